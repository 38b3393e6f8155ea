"""Charts as declarative specifications, and their rendering at the edge (PNG or SVG).

A report builds a ``LineChart`` (plain data: what to draw, not how); the CLI, the
web or the briefing render it. Rendering draws on matplotlib's Agg canvas,
imported only when a chart is drawn (so that ``import accord`` stays light).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

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


# --- labels that never overlap -------------------------------------------------------------------

LABEL_GID = "accord-label"  # the gid of every label placed by place_labels (tests find them by it)
_DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))
_DISTANCES = (6.0, 14.0, 24.0, 36.0, 50.0, 66.0)  # points from the marked spot
_LEADER_FROM = 12.0  # from this far, a thin line leads from the label to its spot


def place_labels(
    ax: Axes,
    labels: Sequence[tuple[str, tuple[float, float]]],
    *,
    avoid: Sequence[tuple[float, float]] = (),
    fontsize: str = "small",
) -> list[Text]:
    """Write each label next to its spot (data coordinates) where it overlaps no other label and stays
    inside the axes, trying spots around it, nearest first; a label set further off gets a thin
    leader line to its spot. Labels of one spot (marks drawn on top of each other) are written
    together, one name a line. Spots in ``avoid`` (other data points, data coordinates) are covered
    as little as possible.

    The figure's layout must be settled before (``figure.draw_without_rendering()``), and is frozen
    after, so that the boxes found here are the boxes drawn."""
    figure = ax.get_figure(root=True)
    assert figure is not None
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    inside = ax.get_window_extent(renderer).padded(-3)
    labels = _together(labels, ax.transData)
    spots = [ax.transData.transform(xy) for _name, xy in labels]
    others = ax.transData.transform(list(avoid)) if len(avoid) else None
    symbol = 7 * figure.dpi / 72  # half the width of a mark's symbol, in pixels
    placed: list[Bbox] = []
    texts: list[Text] = []
    for index, (name, xy) in enumerate(labels):
        text = ax.text(
            *xy,
            name,
            fontsize=fontsize,
            gid=LABEL_GID,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
        text.set_in_layout(False)
        best: tuple[tuple[int, float], tuple[float, float]] | None = None
        for rank, distance in enumerate(_DISTANCES):
            for dx, dy in _DIRECTIONS:
                box = _put(text, dx * distance, dy * distance, renderer)
                if not _within(box, inside) or any(box.overlaps(other) for other in placed):
                    continue
                # first: cover no other mark; then: near its spot, diagonal, over few data points
                hidden = sum(1 for k, spot in enumerate(spots) if k != index and _covers(box, spot, symbol))
                covered = 0 if others is None else _covered(box, others)
                score = (hidden, rank + covered / 20 + (0.5 if dx == 0 or dy == 0 else 0.0))
                if best is None or score < best[0]:
                    best = (score, (dx * distance, dy * distance))
            if best is not None and best[0] <= (0, rank + 1.0):
                break  # nothing further off can do better
        ox, oy = (6.0, 6.0) if best is None else best[1]  # no room anywhere: next to its spot
        placed.append(_put(text, ox, oy, renderer))
        texts.append(text)
        if max(abs(ox), abs(oy)) >= _LEADER_FROM:
            ax.annotate(
                "",
                xy=xy,
                xytext=(ox, oy),
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.7, "shrinkB": 5},
                zorder=4,
                annotation_clip=False,
            ).set_in_layout(False)
    figure.set_layout_engine("none")
    return texts


def _put(text: Text, ox: float, oy: float, renderer: RendererBase) -> Bbox:
    """Set ``text`` (ox, oy) points off its spot, aligned away from it; its box with its white frame,
    in pixels."""
    from matplotlib.transforms import ScaledTranslation

    ax = text.axes
    figure = text.get_figure(root=True)
    assert ax is not None and figure is not None
    text.set_horizontalalignment("left" if ox > 0 else "right" if ox < 0 else "center")
    text.set_verticalalignment("bottom" if oy > 0 else "top" if oy < 0 else "center")
    text.set_transform(ax.transData + ScaledTranslation(ox / 72, oy / 72, figure.dpi_scale_trans))
    return text.get_window_extent(renderer).padded(3)


def _together(
    labels: Sequence[tuple[str, tuple[float, float]]], to_display: Any
) -> list[tuple[str, tuple[float, float]]]:
    """The labels, those of spots within 3 pixels of each other joined (one name a line)."""
    groups: list[tuple[list[str], tuple[float, float], Any]] = []
    for name, xy in labels:
        spot = to_display.transform(xy)
        for names, _xy, where in groups:
            if abs(spot[0] - where[0]) <= 3 and abs(spot[1] - where[1]) <= 3:
                names.append(name)
                break
        else:
            groups.append(([name], xy, spot))
    return [("\n".join(names), xy) for names, xy, _spot in groups]


def label_boxes(figure: Figure) -> list[Bbox]:
    """The window extents (pixels) of the labels :func:`place_labels` wrote on ``figure``."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    return [
        text.get_window_extent(renderer)
        for ax in figure.axes
        for text in ax.texts
        if text.get_gid() == LABEL_GID
    ]


def _within(box: Bbox, frame: Bbox) -> bool:
    return bool(box.x0 >= frame.x0 and box.y0 >= frame.y0 and box.x1 <= frame.x1 and box.y1 <= frame.y1)


def _covers(box: Bbox, spot: Any, margin: float) -> bool:
    x, y = float(spot[0]), float(spot[1])
    return bool(box.x0 - margin < x < box.x1 + margin and box.y0 - margin < y < box.y1 + margin)


def _covered(box: Bbox, points: Any) -> int:
    """How many of ``points`` (pixels, an (n, 2) array) fall inside ``box``."""
    xs, ys = points[:, 0], points[:, 1]
    return int(((xs > box.x0) & (xs < box.x1) & (ys > box.y0) & (ys < box.y1)).sum())
