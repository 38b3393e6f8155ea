"""Pictures of where things stand: a stance heatmap (points x parties) and a convergence chart.

Drawn on matplotlib's Agg canvas, imported only when a plot is asked for (see reports/plots.py).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from accord.analysis.standing import Standing
from accord.domain import StanceKind
from accord.errors import AccordError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# studying and no-position count as no answer yet (no position taken on the text)
STANCE_CODES = {
    None: 0,
    StanceKind.STUDYING: 0,
    StanceKind.NO_POSITION: 0,
    StanceKind.REJECT: 1,
    StanceKind.CONDITIONAL: 2,
    StanceKind.ACCEPT: 3,
}
STANCE_COLOURS = ("#e8e8e8", "#c0392b", "#f0b429", "#2e8b57")  # no answer, reject, conditional, accept
STANCE_LABELS = ("no answer", "reject", "conditional", "accept")


def _target(path: Path | str) -> Path:
    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg"):
        raise AccordError(f"cannot draw a plot as {target.name!r}; expected a .png or .svg file")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def plot_stances(standing: Standing, path: Path | str) -> Path:
    """One row per point of the latest draft, one column per party, coloured by stance."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    target = _target(path)
    if standing.draft is None or not standing.points:
        raise AccordError("no draft with points to show stances for")
    names = [standing.negotiation.party(p).name for p in standing.parties]
    grid = [[STANCE_CODES[point.stances[p]] for p in standing.parties] for point in standing.points]
    height = max(3.0, 0.28 * len(grid) + 1.6)
    figure = Figure(figsize=(2.2 + 1.5 * len(names), height), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    colours = ListedColormap(list(STANCE_COLOURS))
    ax.imshow(grid, cmap=colours, norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], 4), aspect="auto")
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(
        range(len(grid)),
        [f"{p.number}. {textwrap.shorten(p.title, 40, placeholder=' …')}" for p in standing.points],
        fontsize="small",
    )
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.set_xticks([x - 0.5 for x in range(1, len(names))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(grid))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    figure.legend(
        handles=[Patch(color=c, label=label) for c, label in zip(STANCE_COLOURS, STANCE_LABELS, strict=True)],
        loc="outside lower center",
        ncols=4,
    )
    figure.suptitle(f"Stances on draft v{standing.draft.version}")
    figure.savefig(target, dpi=150)
    return target


def plot_convergence(standing: Standing, path: Path | str) -> Path:
    """Per version: share of points all accept, lowest utility, distance to the frontier (a PNG or SVG
    of :func:`convergence_figure`)."""
    target = _target(path)
    if not standing.rounds:
        raise AccordError("no draft yet: nothing converges")
    convergence_figure(standing).savefig(target, dpi=150)
    return target


def convergence_figure(standing: Standing) -> Figure:
    """The convergence chart. The versions stand left to right, evenly spaced, in the order of
    ``standing.rounds``: by date, whatever their numbers (accord.domain.drafts.chronological), each
    labelled with its number and date."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rounds = standing.rounds
    at = list(range(len(rounds)))  # in date order: the numbers may run backwards
    figure = Figure(figsize=(max(7.0, 0.9 * len(rounds) + 2.0), 4.2), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    accepted = [r.accepted_by_all / r.points if r.points else 0.0 for r in rounds]
    ax.plot(at, accepted, marker="o", color="#2e8b57", label="points accepted by all (share)")
    lowest = [(x, r.lowest_utility) for x, r in zip(at, rounds, strict=True) if r.lowest_utility is not None]
    if lowest:
        ax.plot(*zip(*lowest, strict=True), marker="s", color="#1f5a96", label="lowest party utility")
    distance = [
        (x, r.distance_to_frontier)
        for x, r in zip(at, rounds, strict=True)
        if r.distance_to_frontier is not None
    ]
    if distance:
        ax.plot(
            *zip(*distance, strict=True), marker="^", color="#b03a2e", label="distance to the Pareto frontier"
        )
    ax.set_xticks(at, [f"v{r.version}" + (f"\n{r.date.isoformat()}" if r.date else "") for r in rounds])
    ax.set_xlabel("draft version, in date order")
    ax.set_ylim(0, 1.05)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    figure.suptitle(textwrap.shorten(f"Convergence: {standing.negotiation.title}", 70, placeholder=" …"))
    return figure
