"""Pictures of where things stand: a stance heatmap (points x parties) and a convergence chart.

Drawn on matplotlib's Agg canvas (no pyplot: no global backend switched, no display needed),
imported only when a plot is asked for.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from accord.analysis.standing import Standing
from accord.domain import StanceKind
from accord.errors import AccordError
from accord.reports.charts import OKABE_ITO, draft_label, save

if TYPE_CHECKING:
    from matplotlib.axes import Axes
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
# colour-blind safe (Okabe-Ito: vermilion, yellow, blue), and each cell says its stance in words too
STANCE_COLOURS = (
    "#e8e8e8",
    OKABE_ITO[1],
    OKABE_ITO[7],
    OKABE_ITO[0],
)  # no answer, reject, conditional, accept
STANCE_LABELS = ("no answer", "reject", "conditional", "accept")
STANCE_INK = ("#333333", "white", "black", "white")  # the words on each colour


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
    for row, codes in enumerate(grid):
        for column, code in enumerate(codes):
            ax.text(
                column,
                row,
                STANCE_LABELS[code] if code else "–",
                ha="center",
                va="center",
                fontsize="x-small",
                color=STANCE_INK[code],
            )
    figure.legend(
        handles=[Patch(color=c, label=label) for c, label in zip(STANCE_COLOURS, STANCE_LABELS, strict=True)],
        loc="outside lower center",
        ncols=4,
    )
    figure.suptitle(f"Stances on {draft_label(standing.draft.version, standing.draft.label)}")
    return save(figure, target)


def plot_convergence(standing: Standing, path: Path | str) -> Path:
    """Per version: share of points all accept, lowest utility, distance to the frontier (a PNG or SVG
    of :func:`convergence_figure`)."""
    target = _target(path)
    if not standing.rounds:
        raise AccordError("no draft yet: nothing converges")
    return save(convergence_figure(standing), target)


CONVERGENCE_PANELS = (
    "points every party accepts (share)",
    "utility of the worst-off party",
    "gain every party could still make at once",
)


def convergence_figure(standing: Standing) -> Figure:
    """The convergence chart: one panel per quantity (:data:`CONVERGENCE_PANELS`), the panels sharing
    the versions left to right, evenly spaced, in the order of ``standing.rounds``: by date, whatever
    their numbers (accord.domain.drafts.chronological: a version without a date follows the one
    numbered just below it, and the chart says so), each labelled 'draft N (label)' over its date.

    The gain every party could still make at once is the distance to the Pareto frontier; a draft that
    breaks a demand has none (no package keeping every demand is compared with it): its panel says
    'breaks N demands' there instead of drawing a point."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rounds = standing.rounds
    at = list(range(len(rounds)))  # in date order: the numbers may run backwards
    figure = Figure(figsize=(max(7.0, 1.1 * len(rounds) + 2.5), 7.2), layout="constrained")
    FigureCanvasAgg(figure)
    accepted_ax, lowest_ax, distance_ax = figure.subplots(3, 1, sharex=True)
    green, blue, vermilion = OKABE_ITO[2], OKABE_ITO[0], OKABE_ITO[1]

    accepted = [r.accepted_by_all / r.points if r.points else 0.0 for r in rounds]
    accepted_ax.plot(at, accepted, marker="o", color=green)
    _panel_frame(accepted_ax, CONVERGENCE_PANELS[0], (-0.04, 1.05))

    lowest = [(x, r.lowest_utility) for x, r in zip(at, rounds, strict=True) if r.lowest_utility is not None]
    if lowest:
        lowest_ax.plot(*zip(*lowest, strict=True), marker="s", color=blue)
        names = {p.id: p.name for p in standing.negotiation.parties}
        for x, r in zip(at, rounds, strict=True):
            if r.lowest_utility is not None and r.lowest_party is not None:
                lowest_ax.annotate(
                    textwrap.fill(
                        names.get(r.lowest_party, r.lowest_party), 18, max_lines=2, placeholder="…"
                    ),
                    (x, r.lowest_utility),
                    xytext=(0, -9),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize="x-small",
                    color="#333333",
                )
    else:
        _no_data(lowest_ax, "no party has preferences: no utilities")
    _panel_frame(lowest_ax, CONVERGENCE_PANELS[1], (-0.04, 1.05))

    distance = [
        (x, r.distance_to_frontier)
        for x, r in zip(at, rounds, strict=True)
        if r.distance_to_frontier is not None and not r.broken
    ]
    if distance:
        distance_ax.plot(*zip(*distance, strict=True), marker="^", color=vermilion, linestyle="--")
    top = max([0.1, *(d for _x, d in distance)]) * 1.25
    for x, r in zip(at, rounds, strict=True):
        broken = r.broken
        if broken:
            n = len(broken)
            distance_ax.text(
                x,
                top * 0.5,
                f"breaks {n}\ndemand{'' if n == 1 else 's'}",
                ha="center",
                va="center",
                fontsize="x-small",
                color=vermilion,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": vermilion},
            )
        elif r.distance_to_frontier is None:
            distance_ax.text(x, top * 0.5, "not\nmeasured", ha="center", va="center", fontsize="x-small")
        elif r.distance_to_frontier <= 0:
            distance_ax.annotate(
                "on the\nfrontier",
                (x, 0.0),
                xytext=(0, 8),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize="x-small",
                color="#333333",
            )
    _panel_frame(distance_ax, CONVERGENCE_PANELS[2], (-0.04 * top, top))
    distance_ax.set_xlim(-0.5, len(rounds) - 0.5)

    labels = []
    for r in rounds:
        label = standing.negotiation.draft(r.version).label if _has_draft(standing, r.version) else None
        name = textwrap.fill(draft_label(r.version, label), 24, max_lines=2, placeholder=" …")
        labels.append(f"{name}\n{r.date.isoformat() if r.date else 'no date'}")
    distance_ax.set_xticks(at, labels, fontsize="small")
    undated = any(r.date is None for r in rounds)
    distance_ax.set_xlabel(
        "drafts in date order"
        + ("; a draft without a date follows the draft numbered just below it" if undated else "")
    )
    figure.suptitle(textwrap.shorten(f"Convergence: {standing.negotiation.title}", 70, placeholder=" …"))
    return figure


def _panel_frame(ax: Axes, title: str, limits: tuple[float, float]) -> None:
    ax.set_title(title, loc="left", fontsize="medium")
    ax.set_ylim(*limits)
    ax.grid(alpha=0.3)


def _no_data(ax: Axes, why: str) -> None:
    ax.text(0.5, 0.5, why, ha="center", va="center", transform=ax.transAxes, fontsize="small")


def _has_draft(standing: Standing, version: int) -> bool:
    return any(d.version == version for d in standing.negotiation.drafts)
