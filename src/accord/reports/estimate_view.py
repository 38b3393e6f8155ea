"""One party's estimate as data (`accord estimate --json`'s ``parties.PARTY``, and the web API's), and
as rows for the mediator's page: prior against posterior weight per point (drawn by
accord.reports.estimate_chart, the same chart as `accord estimate --plot`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.estimate import Posterior, Summary
from accord.domain import Negotiation, Party
from accord.reports.estimate_chart import WeightBand


def _round(value: float) -> float:
    return round(float(value), 6)


def summary_data(s: Summary) -> dict[str, float]:
    return {
        k: _round(v)
        for k, v in (("prior_mean", s.prior_mean), ("mean", s.mean), ("low", s.low), ("high", s.high))
    }


def diagnostics_data(posterior: Posterior) -> dict[str, Any]:
    d = posterior.diagnostics
    return {
        "ok": d.ok,
        "ess": round(d.ess, 1),
        "particles": d.particles,
        "rhat": _round(d.rhat),
        "acceptance": _round(d.acceptance),
        "stages": d.stages,
        "problems": list(d.problems),
    }


def option_text(negotiation: Negotiation, point: str, option: str) -> str:
    try:
        return negotiation.point(point).option(option).text
    except Exception:  # an option the framework does not name (never, for a model read whole)
        return option


def party_data(
    negotiation: Negotiation, party: Party, posterior: Posterior, warnings: Sequence[str] = ()
) -> dict[str, Any]:
    """Weights, scores, reservation value, the stance slope and the cut (prior mean, mean, 90% interval), the
    most and least preferred option per point, each declared red line's probability, the evidence and
    what moved the estimate most, the diagnostics and the warnings."""
    declared = negotiation.preferences.get(party.id)
    return {
        "name": party.name,
        "weights": {p: summary_data(s) for p, s in posterior.weight_summary().items()},
        "scores": {
            p: {o: summary_data(s) for o, s in options.items()}
            for p, options in posterior.score_summary().items()
        },
        "reservation_value": summary_data(posterior.reservation_summary()),
        "slope": summary_data(posterior.slope_summary()),
        "cut": summary_data(posterior.cut_summary()),
        "preferred": {
            p: {
                "most": {
                    "option": most,
                    "text": option_text(negotiation, p, most),
                    "probability": _round(p_most),
                },
                "least": {
                    "option": least,
                    "text": option_text(negotiation, p, least),
                    "probability": _round(p_least),
                },
            }
            for p, ((most, p_most), (least, p_least)) in posterior.preferred().items()
        },
        "red_lines": [
            {
                "point": r.point,
                "option": r.option,
                "text": option_text(negotiation, r.point, r.option),
                "probability": _round(posterior.red_line_probability(r.point, r.option)),
            }
            for r in (declared.red_lines if declared else ())
        ],
        "evidence": [
            {
                "kind": e.kind,
                "ref": e.ref,
                "point": e.point,
                "option": e.option,
                "answer": e.answer,
                "draft": e.draft,
                "date": e.date.isoformat() if e.date else None,
            }
            for e in posterior.evidence
        ],
        "influence": [
            {"ref": e.ref, "kind": e.kind, "moved": _round(moved)} for e, moved in posterior.influence[:10]
        ],
        "diagnostics": diagnostics_data(posterior),
        "warnings": list(warnings),
    }


@dataclass(frozen=True)
class WeightRow:
    """One point on the page: the prior and posterior weight, each its mean and 90% interval."""

    number: int
    title: str
    prior: float
    mean: float
    low: float
    high: float
    prior_low: float
    prior_high: float
    most: str  # option text, with its probability of being the party's best ("" with a single option)
    most_probability: float
    least: str
    least_probability: float

    @property
    def moved(self) -> float:
        return self.mean - self.prior


def weight_rows(negotiation: Negotiation, posterior: Posterior) -> list[WeightRow]:
    """Per point in the framework's order: the prior and the posterior weight."""
    weights = posterior.weight_summary()
    preferred = posterior.preferred()
    prior_ends = np.quantile(posterior.prior_weights, [0.05, 0.95], axis=0)  # (2, P)
    index = {point: p for p, point in enumerate(posterior.points)}
    rows = []
    for point in sorted(negotiation.points, key=lambda p: p.number):
        s = weights.get(point.id)
        if s is None:
            continue
        (most, p_most), (least, p_least) = preferred[point.id]
        texts = {o.key: o.text for o in point.options}
        if len(point.options) < 2:  # nothing to prefer
            most = least = ""
        rows.append(
            WeightRow(
                point.number,
                point.title,
                s.prior_mean,
                s.mean,
                s.low,
                s.high,
                float(prior_ends[0, index[point.id]]),
                float(prior_ends[1, index[point.id]]),
                texts.get(most, most),
                p_most,
                texts.get(least, least),
                p_least,
            )
        )
    return rows


def weight_bands(rows: Sequence[dict[str, Any]]) -> list[WeightBand]:
    """The chart's points from the page's rows (:func:`weight_rows` as JSON, as a job keeps them; a
    row kept before the prior's interval was, shows the prior at its mean)."""
    return [
        WeightBand(
            f"{r['number']}. {r['title']}",
            (r["prior"], r.get("prior_low", r["prior"]), r.get("prior_high", r["prior"])),
            (r["mean"], r["low"], r["high"]),
        )
        for r in rows
    ]
