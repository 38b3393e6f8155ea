"""Charts as declarative specifications, and their rendering at the edge (PNG or SVG).

A report builds a ``LineChart`` (plain data: what to draw, not how); the CLI, the
web or the briefing render it. Rendering draws on matplotlib's Agg canvas,
imported only when a chart is drawn (see reports/plots.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.errors import AccordError

FORMATS = (".png", ".svg")
COLOURS = ("#1f5a96", "#b03a2e", "#2e8b57", "#f0b429", "#9467bd", "#8c564b", "#e377c2", "#17becf")
MARKER_COLOUR = "#7f7f7f"


@dataclass(frozen=True)
class Series:
    """One line: ``y`` against the chart's ``x``; ``dashed`` for a reference level."""

    name: str
    y: tuple[float, ...]
    colour: int = 0  # an index into COLOURS, so that related lines share a colour
    dashed: bool = False
    legend: bool = True  # False: a reference line the axis label explains


@dataclass(frozen=True)
class Marker:
    """A vertical line at ``x`` with a short label (e.g. the points that change there)."""

    x: float
    label: str


@dataclass(frozen=True)
class LineChart:
    title: str
    x_label: str
    y_label: str
    x: tuple[float, ...]
    series: tuple[Series, ...]
    markers: tuple[Marker, ...] = ()
    y_range: tuple[float, float] | None = None

    def as_data(self) -> dict[str, Any]:
        """The specification as plain data (for JSON, or a browser-side renderer)."""
        return {
            "title": self.title,
            "x_label": self.x_label,
            "y_label": self.y_label,
            "x": list(self.x),
            "series": [
                {
                    "name": s.name,
                    "y": list(s.y),
                    "colour": COLOURS[s.colour % len(COLOURS)],
                    "dashed": s.dashed,
                    "legend": s.legend,
                }
                for s in self.series
            ],
            "markers": [{"x": m.x, "label": m.label} for m in self.markers],
            "y_range": list(self.y_range) if self.y_range else None,
        }


def render_line_chart(chart: LineChart, path: Path | str) -> Path:
    """Draw ``chart`` to ``path`` (.png or .svg)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise AccordError(f"cannot draw a plot as {target.name!r}; expected a .png or .svg file")
    figure = Figure(figsize=(7.5, 4.6), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    for series in chart.series:
        ax.plot(
            chart.x,
            series.y,
            color=COLOURS[series.colour % len(COLOURS)],
            linestyle="--" if series.dashed else "-",
            linewidth=1 if series.dashed else 1.8,
            marker=None if series.dashed else "o",
            markersize=3.5,
            label=series.name if series.legend else f"_{series.name}",
        )
    top = ax.get_ylim()[1] if chart.y_range is None else chart.y_range[1]
    for marker in chart.markers:
        ax.axvline(marker.x, color=MARKER_COLOUR, linestyle=":", linewidth=1)
        ax.annotate(
            marker.label,
            (marker.x, top),
            xytext=(3, -3),
            textcoords="offset points",
            rotation=90,
            va="top",
            fontsize="x-small",
            color=MARKER_COLOUR,
        )
    if chart.y_range is not None:
        ax.set_ylim(*chart.y_range)
    ax.set_xlabel(chart.x_label)
    ax.set_ylabel(chart.y_label)
    ax.grid(True, alpha=0.3)
    shown = sum(1 for s in chart.series if s.legend)
    if shown:
        figure.legend(loc="outside lower center", ncols=min(shown, 3), fontsize="small")
    figure.suptitle(chart.title)
    figure.savefig(target, dpi=150)
    return target
