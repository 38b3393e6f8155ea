"""The briefing's pictures: Vega-Lite specifications (written with Altair) drawn by vl-convert, as SVG
(vector, text kept as text: HTML, PDF and Markdown) and as PNG (Word, drawn when first asked for).

Where the briefing shows what the workbench shows, it draws the workbench's own chart: the answers
draft by draft are the stance matrix over the drafts (accord.reports.record_charts.stances_chart),
for the parties the briefing may show and no other. Each party's utility per package, with its band
and reservation value, is the briefing's own chart, written here the same way. vl-convert gives the
same bytes for the same specification, so the same record gives the same briefing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.domain import Negotiation
from accord.reports.briefing import Figure
from accord.reports.charts import OKABE_ITO
from accord.reports.vega import Spec, placeholder, with_rows

FONT = {"font": "DejaVu Sans, Liberation Sans, sans-serif"}  # full Unicode: Cyrillic names render
INK = "#222222"
BAR = OKABE_ITO[0]
DRAFT_BAR = "#999999"


@dataclass(frozen=True)
class Bar:
    """One package's utility for one party: ``low``-``high`` the band under the uncertainty of the
    estimates (None: no band); ``draft`` for the latest draft's package (drawn grey)."""

    label: str
    value: float
    low: float | None = None
    high: float | None = None
    draft: bool = False


def figure(spec: Spec, caption: str, name: str) -> Figure:
    """The chart of ``spec`` as the briefing's figure: its SVG now (every format but Word shows it,
    its ids prefixed with ``name`` so that charts inlined in one page never share one), its PNG
    when a Word file asks for it."""
    from accord.reports import vega

    svg = vega.svg_of(spec)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{name}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{name}-\2"', svg)
    return Figure(caption, svg, lambda: vega.png_of(spec), name)


def utilities_spec(
    parties: Sequence[str], bars: Sequence[Sequence[Bar]], reservations: Sequence[float | None]
) -> Spec:
    """One panel per party (three a row): each package's utility for it as a bar (the latest draft
    grey), its band as a whisker, and the party's reservation value as a dashed vermilion line.
    ``bars[i]`` are party ``i``'s bars, in the same package order for every party."""
    import altair as alt

    rows: list[dict[str, Any]] = []
    for party, row, reservation in zip(parties, bars, reservations, strict=True):
        for order, b in enumerate(row):
            rows.append(
                {
                    "party": party,
                    "package": b.label,
                    "order": order,
                    "utility": round(b.value, 4),
                    "kind": "the latest draft" if b.draft else "a package",
                    # on every row of the party: the rule spans the panel, however many packages
                    **({"reservation": round(float(reservation), 4)} if reservation is not None else {}),
                    **(
                        {"low": round(b.low, 4), "high": round(b.high, 4)}
                        if b.low is not None and b.high is not None
                        else {}
                    ),
                }
            )
    y = alt.Y("package:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=150))
    x = alt.X("utility:Q", scale=alt.Scale(domain=[0, 1]), title="utility (0 worst, 1 best)")
    bars_layer = (
        alt.Chart()
        .mark_bar(height={"band": 0.6})
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=["a package", "the latest draft"], range=[BAR, DRAFT_BAR]),
                legend=None,
            ),
        )
    )
    whiskers = (
        alt.Chart()
        .transform_filter("isValid(datum.low)")
        .mark_errorbar(ticks=True, color=INK)
        .encode(x=alt.X("low:Q", title=""), x2="high:Q", y=y)
    )
    rule = (
        alt.Chart()
        .transform_filter("isValid(datum.reservation)")
        .mark_rule(color=OKABE_ITO[1], strokeDash=[5, 4], strokeWidth=1.4)
        .encode(x=alt.X("reservation:Q", title=""))
    )
    chart = (
        alt.layer(bars_layer, whiskers, rule)
        .properties(width=150, height=alt.Step(18))
        .facet(
            facet=alt.Facet("party:N", sort=list(parties), title=None, header=alt.Header(labelLimit=200)),
            columns=3,
            data=placeholder(alt),
        )
        .resolve_scale(y="independent")
    )
    spec: Spec = with_rows(chart.to_dict(validate=False), rows)
    spec.setdefault("config", {}).update(FONT)
    return spec


def utilities_by_party(
    parties: Sequence[str], bars: Sequence[Sequence[Bar]], reservations: Sequence[float | None], caption: str
) -> Figure:
    """:func:`utilities_spec` as the briefing's figure."""
    return figure(utilities_spec(parties, bars, reservations), caption, "utilities")


def answers_spec(negotiation: Negotiation, parties: Sequence[str]) -> Spec:
    """The workbench's stance matrix over the drafts, for ``parties`` only (a party's briefing: its
    own answers, never another party's)."""
    from accord.reports.record_charts import stances_over_drafts

    return stances_over_drafts(negotiation, parties=parties)


def answers(negotiation: Negotiation, parties: Sequence[str], caption: str) -> Figure:
    return figure(answers_spec(negotiation, parties), caption, "answers")
