"""Pictures of the Pareto frontier, written as PNG or SVG.

Figures are drawn on matplotlib's Agg canvas directly (no pyplot), so drawing
one never switches the backend of whatever process imports accord (a notebook,
a GUI) and needs no display. matplotlib itself is imported only when a plot is
asked for, to keep ``import accord`` light.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from accord.engine.frontier import Frontier
from accord.engine.problem import Problem
from accord.errors import AccordError
from accord.reports.charts import OKABE_ITO, place_labels, save

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = (".png", ".svg")
MARKERS = ("*", "D", "s", "^", "v", "P", "X", "o", "<", ">")
# the marks: Okabe-Ito colours other than the frontier's blue and the reservation values' vermilion,
# each with its own symbol
MARK_COLOURS = (OKABE_ITO[3], OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[6], OKABE_ITO[7], OKABE_ITO[5])
FRONTIER_COLOUR = OKABE_ITO[0]
RESERVATION_COLOUR = OKABE_ITO[1]


def plot_frontier(
    frontier: Frontier,
    problem: Problem,
    path: Path | str,
    *,
    marks: Mapping[str, Sequence[float]] | None = None,
    title: str | None = None,
) -> Path:
    """Draw the frontier (2 parties: one chart; more: one panel per pair of parties) to ``path``.

    ``marks`` names packages to show on it, by their utility vectors (e.g.
    ``{"Nash": (0.6, 0.75), "draft 3": (0.5, 0.5)}``). The format follows the
    suffix: ``.png`` or ``.svg``.
    """
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise AccordError(f"cannot draw a plot as {target.name!r}; expected a .png or .svg file")
    return save(frontier_figure(frontier, problem, marks=marks, title=title), target)


def frontier_figure(
    frontier: Frontier,
    problem: Problem,
    *,
    marks: Mapping[str, Sequence[float]] | None = None,
    title: str | None = None,
) -> Figure:
    """The frontier picture of :func:`plot_frontier` as a matplotlib figure (for charts.svg_of).

    Each mark is labelled next to its symbol where the label overlaps no other label and stays inside
    its panel (charts.place_labels; charts.label_boxes finds the labels' boxes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    marks = dict(marks or {})
    for name, vector in marks.items():
        if len(vector) != problem.n_parties:
            raise AccordError(
                f"mark {name!r} has {len(vector)} utilities; expected one per party ({problem.n_parties})"
            )
    pairs = list(itertools.combinations(range(problem.n_parties), 2))
    if not pairs:
        raise AccordError("a frontier plot needs at least two parties")
    columns = min(3, len(pairs))
    rows = math.ceil(len(pairs) / columns)
    size = (6.4, 5.2) if len(pairs) == 1 else (4.4 * columns, 4.2 * rows)
    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax, (x, y) in zip(axes, pairs, strict=False):
        _panel(ax, frontier, problem, x, y, marks, staircase=problem.n_parties == 2)
    for ax in axes[len(pairs) :]:
        ax.set_visible(False)
    kind = "exact" if frontier.exact else "representative set"
    shown = f"{len(frontier.points)} package{'s' if len(frontier.points) != 1 else ''}"
    figure.suptitle(title or f"Pareto frontier ({kind}, {shown}{', capped' if frontier.capped else ''})")
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        figure.legend(
            handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize="small"
        )
    figure.draw_without_rendering()  # settles the layout: the labels are placed in the final panels
    for ax, (x, y) in zip(axes, pairs, strict=False):
        avoid = [(float(u), float(v)) for u, v in frontier.points[:, [x, y]]] if len(frontier.points) else []
        place_labels(ax, [(name, (vector[x], vector[y])) for name, vector in marks.items()], avoid=avoid)
    return figure


def _panel(
    ax: Axes,
    frontier: Frontier,
    problem: Problem,
    x: int,
    y: int,
    marks: Mapping[str, Sequence[float]],
    *,
    staircase: bool,
) -> None:
    """One pair of parties: the frontier's points, their reservation values and the marks."""
    points = frontier.points
    if len(points):
        if staircase:
            # with two parties the frontier is a staircase: between two packages, the better one for
            # the second party is only reachable up to its own utility for the first
            order = np.argsort(points[:, x], kind="stable")
            ax.step(points[order, x], points[order, y], where="pre", color=FRONTIER_COLOUR, alpha=0.5)
        ax.scatter(
            points[:, x],
            points[:, y],
            s=18 if len(points) < 500 else 6,
            color=FRONTIER_COLOUR,
            alpha=0.6,
            label="Pareto-optimal package" if staircase else "Pareto-optimal package (projected)",
            zorder=2,
        )
    else:
        ax.text(
            0.5, 0.5, "no package every party can accept", ha="center", va="center", transform=ax.transAxes
        )
    bounds = problem.reservation_bounds()
    if np.isfinite(bounds[x]):
        ax.axvline(
            bounds[x], color=RESERVATION_COLOUR, linestyle="--", linewidth=1, label="reservation value"
        )
    if np.isfinite(bounds[y]):
        label = "_" if np.isfinite(bounds[x]) else "reservation value"  # one legend entry for both lines
        ax.axhline(bounds[y], color=RESERVATION_COLOUR, linestyle="--", linewidth=1, label=label)
    styles = zip(itertools.cycle(MARKERS), itertools.cycle(MARK_COLOURS))
    for (name, vector), (marker, colour) in zip(marks.items(), styles, strict=False):
        ax.scatter(
            [vector[x]],
            [vector[y]],
            marker=marker,
            s=90,
            color=colour,
            edgecolors="black",
            label=name,
            zorder=3,
        )
    ax.set_xlabel(f"{problem.party_names[x]} (utility)")
    ax.set_ylabel(f"{problem.party_names[y]} (utility)")
    ax.grid(True, alpha=0.3)
