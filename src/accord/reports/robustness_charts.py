"""Robustness as Vega-Lite specifications (written with Altair): how likely each candidate is to hold,
with its 95% interval, and each party's utility under uncertainty. One definition for the workbench
(hover a candidate to read it, click it to compare its package with the latest draft) and for the
files of `accord robustness --plot` (accord.reports.vega draws them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.reports.charts import OKABE_ITO
from accord.reports.vega import Spec, placeholder, with_rows

# the candidates' lines: Okabe-Ito without the vermilion of the reservation value, each line with its
# own dash too, so that two lines whose colours are near (blue and bluish green) differ without colour
CANDIDATE_COLOURS = tuple(c for c in OKABE_ITO if c != OKABE_ITO[1])
# eight dashes to seven colours: MAX_LINES (8) lines, and well past it no two alike
CANDIDATE_DASHES = ([1, 0], [7, 3], [2, 2], [10, 3, 2, 3], [14, 4], [4, 3, 1, 3, 1, 3], [1, 4], [20, 3, 4, 3])
FONT = {"font": "DejaVu Sans, Liberation Sans, sans-serif"}


@dataclass(frozen=True)
class Held:
    """One candidate: its name in words, P(every party accepts) and that estimate's standard error,
    each party's mean utility, and (in the browser) the page its package opens."""

    name: str
    acceptance: float
    standard_error: float
    utilities: dict[str, float] = field(default_factory=dict)  # party's name -> mean utility
    href: str | None = None


def acceptance_chart(candidates: Sequence[Held]) -> Spec:
    """Horizontal bars, most acceptable first: the probability that every party accepts, the 95%
    interval as a line with ends, and the percentage written at the bar's end."""
    import altair as alt

    rows = []
    for order, c in enumerate(candidates):
        half = 1.96 * c.standard_error
        row: dict[str, Any] = {
            "candidate": c.name,
            "order": order,
            "p": round(c.acceptance, 4),
            "low": round(max(c.acceptance - half, 0.0), 4),
            "high": round(min(c.acceptance + half, 1.0), 4),
            "percent": f"{100 * c.acceptance:.0f}%",
            "interval": f"{100 * max(c.acceptance - half, 0):.1f}% to "
            f"{100 * min(c.acceptance + half, 1):.1f}%",
        }
        row.update({f"m{i}": round(u, 3) for i, u in enumerate(c.utilities.values())})
        if c.href:
            row["href"] = c.href
        rows.append(row)
    parties = list(candidates[0].utilities) if candidates else []
    tooltip = [
        alt.Tooltip("candidate:N", title="candidate"),
        alt.Tooltip("p:Q", title="P(every party accepts)", format=".1%"),
        alt.Tooltip("interval:N", title="95% interval"),
        *(alt.Tooltip(f"m{i}:Q", title=f"{p}: mean utility", format=".3f") for i, p in enumerate(parties)),
    ]
    y = alt.Y("candidate:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=320))
    x = alt.X(
        "p:Q", scale=alt.Scale(domain=[0, 1]), title="probability that every party accepts (95% interval)"
    )
    base = alt.Chart()
    bars = base.mark_bar(color=OKABE_ITO[2], cursor="pointer").encode(
        x=x, y=y, tooltip=tooltip, href="href:N"
    )
    whiskers = base.mark_errorbar(ticks=True, color="#222222").encode(
        x=alt.X("low:Q", title=""), x2="high:Q", y=y, tooltip=tooltip
    )
    words = base.mark_text(align="left", dx=4, fontSize=11, color="#222222").encode(
        x="high:Q", y=y, text="percent:N", tooltip=tooltip
    )
    chart = alt.layer(bars, whiskers, words).properties(
        width=460,
        height=alt.Step(26),
        title=alt.TitleParams("How likely each candidate is to hold", anchor="start"),
    )
    spec: Spec = with_rows(chart.to_dict(validate=False), rows)
    spec.setdefault("config", {}).update(FONT)
    return spec


def utilities_chart(
    parties: Sequence[str], names: Sequence[str], histograms: np.ndarray, reservations: Sequence[float]
) -> Spec:
    """One panel per party: the share of samples at each utility (100 bins on [0, 1]) under each
    candidate (in the order of ``names``, the legend's too), a line each in its own colour and its own
    dash; the party's estimated reservation value dashed in vermilion. ``histograms``: (parties,
    candidates, bins) counts."""
    import altair as alt

    bins = histograms.shape[2]
    merged = histograms.reshape(*histograms.shape[:2], 100, bins // 100).sum(axis=3)
    rows: list[dict[str, Any]] = []
    for i, party in enumerate(parties):
        for k, name in enumerate(names):
            total = max(float(merged[i, k].sum()), 1.0)
            rows += [
                {
                    "party": party,
                    "candidate": name,
                    "utility": (b + 0.5) / 100,
                    "share": float(merged[i, k, b]) / total,
                }
                for b in range(100)
            ]
    colours = [CANDIDATE_COLOURS[k % len(CANDIDATE_COLOURS)] for k in range(len(names))]
    # past seven lines the colours come round again, with other dashes
    dashes = [CANDIDATE_DASHES[k % len(CANDIDATE_DASHES)] for k in range(len(names))]
    legend = alt.Legend(title=None, orient="bottom", columns=3, labelLimit=260)
    tooltip = [
        alt.Tooltip("candidate:N"),
        alt.Tooltip("party:N"),
        alt.Tooltip("utility:Q", format=".2f"),
        alt.Tooltip("share:Q", title="share of samples", format=".1%"),
    ]
    lines = (
        alt.Chart()
        .transform_filter("isValid(datum.share)")
        .mark_line(strokeWidth=1.6)
        .encode(
            x=alt.X("utility:Q", scale=alt.Scale(domain=[0, 1]), title="utility"),
            y=alt.Y("share:Q", title="share of samples"),
            color=alt.Color("candidate:N", scale=alt.Scale(domain=list(names), range=colours), legend=legend),
            strokeDash=alt.StrokeDash(
                "candidate:N", scale=alt.Scale(domain=list(names), range=dashes), legend=legend
            ),
            tooltip=tooltip,
        )
    )
    levels = [{"party": p, "reservation": float(r)} for p, r in zip(parties, reservations, strict=True)]
    rule = (
        alt.Chart()
        .transform_filter("isValid(datum.reservation)")
        .mark_rule(color=OKABE_ITO[1], strokeDash=[5, 4])
        .encode(
            x=alt.X("reservation:Q", title="utility"),
            tooltip=[alt.Tooltip("reservation:Q", title="reservation value (estimate)", format=".3f")],
        )
    )
    chart = (
        alt.layer(lines, rule)
        .properties(width=240, height=200)
        .facet(column=alt.Column("party:N", title=None, sort=list(parties)), data=placeholder(alt))
        .properties(
            title=alt.TitleParams(
                "Each party's utility under uncertainty (dashed: its reservation value)", anchor="start"
            )
        )
    )
    spec: Spec = with_rows(chart.to_dict(validate=False), rows + levels)
    spec.setdefault("config", {}).update(FONT)
    return spec
