"""A party's weights before and after the evidence as a Vega-Lite specification (written with Altair):
per point, the prior (the declared estimate) and the posterior, each its mean with a 90% interval. One
definition for the estimate's page in the workbench (hover a mark to read it) and for the files of
`accord estimate --plot` (accord.reports.vega draws them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.reports.charts import OKABE_ITO
from accord.reports.vega import Spec, with_rows

PRIOR = "prior (declared estimate)"
POSTERIOR = "posterior (after the evidence)"
# grey and bluish green, and a circle against a diamond: the colour is never the only difference
COLOURS = ("#8c8c8c", OKABE_ITO[2])
SHAPES = ("circle", "diamond")
FONT = {"font": "DejaVu Sans, Liberation Sans, sans-serif"}


@dataclass(frozen=True)
class WeightBand:
    """One point: its label in words, and the prior's and the posterior's weight, each as its mean and
    the ends of its 90% interval."""

    label: str
    prior: tuple[float, float, float]  # mean, low, high
    posterior: tuple[float, float, float]


def weights_chart(bands: Sequence[WeightBand], title: str) -> Spec:
    """One row per point (the framework's order, the first at the top): the prior above in grey
    circles, the posterior below in green diamonds, each a mark at its mean on a line from the
    interval's low end to its high end."""
    import altair as alt

    rows = []
    for order, band in enumerate(bands):
        for series, (mean, low, high) in ((PRIOR, band.prior), (POSTERIOR, band.posterior)):
            rows.append(
                {
                    "point": band.label,
                    "order": order,
                    "series": series,
                    "mean": round(mean, 4),
                    "low": round(min(low, mean), 4),
                    "high": round(max(high, mean), 4),
                    "interval": f"{low:.3f} to {high:.3f}",
                }
            )
    y = alt.Y("point:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=300))
    offset = alt.YOffset("series:N", sort=[PRIOR, POSTERIOR], title=None)
    legend = alt.Legend(title=None, orient="bottom")
    colour = alt.Color(
        "series:N", scale=alt.Scale(domain=[PRIOR, POSTERIOR], range=list(COLOURS)), legend=legend
    )
    shape = alt.Shape(
        "series:N", scale=alt.Scale(domain=[PRIOR, POSTERIOR], range=list(SHAPES)), legend=legend
    )
    tooltip = [
        alt.Tooltip("point:N"),
        alt.Tooltip("series:N", title="estimate"),
        alt.Tooltip("mean:Q", title="weight (mean)", format=".3f"),
        alt.Tooltip("interval:N", title="90% interval"),
    ]
    x = alt.X(
        "mean:Q",
        scale=alt.Scale(zero=True),
        title="weight (share of the party's concern): mean and 90% interval",
    )
    base = alt.Chart()
    lines = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title=""), x2="high:Q", y=y, yOffset=offset, color=colour, tooltip=tooltip
    )
    marks = base.mark_point(filled=True, size=60, opacity=1).encode(
        x=x, y=y, yOffset=offset, color=colour, shape=shape, tooltip=tooltip
    )
    chart = alt.layer(lines, marks).properties(
        width=420,
        height=alt.Step(12),
        title=alt.TitleParams(title, anchor="start"),
    )
    spec: Spec = with_rows(chart.to_dict(validate=False), rows)
    spec.setdefault("config", {}).update(FONT)
    return spec
