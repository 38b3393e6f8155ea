"""Charts as declarative specifications, and their rendering at the edge (PNG or SVG).

A report builds a ``LineChart`` (plain data: what to draw, not how); the CLI, the
web or the briefing render it. Rendering draws on matplotlib's Agg canvas,
imported only when a chart is drawn (so that ``import accord`` stays light).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = (".png", ".svg")
# Okabe and Ito's palette (2008): told apart with every common form of colour blindness. Where colour
# encodes a category, a chart takes its colours from here, in this order, and pairs them with a marker
# or a line style so that the category survives a grey print too.
OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: faint on white)
)
COLOURS = OKABE_ITO
LINE_STYLES = ("-", "--", "-.", ":")
MARKER_COLOUR = "#7f7f7f"
SVG_SALT = "accord"  # matplotlib's ids in an SVG come from this salt: the same chart, the same bytes

# the solution concepts in people's words: (name on a chart, what it picks)
CONCEPT_WORDS = {
    "nash": ("Nash", "the largest product of gains"),
    "kalai-smorodinsky": ("Kalai-Smorodinsky", "gains in proportion to each party's best"),
    "egalitarian": ("egalitarian", "the largest smallest gain"),
    "leximin": ("leximin", "the smallest gains as large as they can be, in turn"),
    "utilitarian": ("utilitarian", "the largest total"),
}


def draft_label(version: int, label: str | None = None) -> str:
    """A draft as people name it on a chart: 'draft 3 (D)', 'draft 2: B (E3)', or 'draft 3'."""
    if not label:
        return f"draft {version}"
    return f"draft {version}: {label}" if "(" in label else f"draft {version} ({label})"


def concept_label(concept: str) -> str:
    """A concept's name on a chart ('Kalai-Smorodinsky' for 'kalai-smorodinsky'); other names as given."""
    return CONCEPT_WORDS[concept][0] if concept in CONCEPT_WORDS else concept


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
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise AccordError(f"cannot draw a plot as {target.name!r}; expected a .png or .svg file")
    save(line_chart_figure(chart), target)
    return target


def line_chart_figure(chart: LineChart) -> Figure:
    """``chart`` drawn on a matplotlib figure (for :func:`save` or :func:`svg_of`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 4.6), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    for series in chart.series:
        ax.plot(
            chart.x,
            series.y,
            color=COLOURS[series.colour % len(COLOURS)],
            linestyle="--" if series.dashed else LINE_STYLES[series.colour % len(LINE_STYLES)],
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
    return figure


def save(figure: Figure, path: Path) -> Path:
    """Write ``figure`` to ``path``: a PNG at 150 dpi, or the SVG of :func:`svg_of` (same bytes for
    the same chart)."""
    if path.suffix.lower() == ".svg":
        path.write_text(svg_of(figure), encoding="utf-8")
    else:
        figure.savefig(path, dpi=150)
    return path


def svg_of(figure: Figure, *, prefix: str = "") -> str:
    """The figure as an SVG element (``<svg ...>…</svg>``, no XML prolog): a file of its own, or a
    figure inlined in an HTML page. Reproducible: the same figure gives the same text (a fixed id
    salt, no date). Text is drawn as paths, so any script (Cyrillic names) shows without fonts.

    ``prefix`` is put before every id (and every reference to one), so that several charts inlined
    in one page never share an id (matplotlib names its glyphs alike in every chart)."""
    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    if prefix:
        text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
        text = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{prefix}\2"', text)
        text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", text)
    return text
