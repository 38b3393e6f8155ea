"""A picture of the timeline, written as PNG or SVG.

The entries run top to bottom in date order, one row each, so that every label stays readable however
many entries fall on one day; the columns are the lanes (one per kind of entry, or one per party),
and each entry is marked in its lane (in each of its parties' lanes, joined by a line). The row's
label on the left is its date: an approximate one in its words after "≈" and marked hollow, an
undated one "undated". Drawn on matplotlib's Agg canvas (no pyplot), imported only when a plot is
asked for.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from accord.analysis.timeline import Entry, EntryKind
from accord.errors import AccordError
from accord.reports.charts import OKABE_ITO

KIND_COLOURS = {  # colour-blind safe (Okabe-Ito), each kind with its own symbol too
    EntryKind.DRAFT: OKABE_ITO[0],
    EntryKind.CIRCULATION: OKABE_ITO[5],
    EntryKind.MEETING: OKABE_ITO[2],
    EntryKind.PAPER: OKABE_ITO[6],
    EntryKind.STATEMENT: OKABE_ITO[3],
    EntryKind.EVENT: OKABE_ITO[1],
    EntryKind.STANCE: OKABE_ITO[4],
}
# the lanes by kind, left to right: the texts and their handing over, then the record of the talks
LANE_ORDER = (
    EntryKind.DRAFT,
    EntryKind.CIRCULATION,
    EntryKind.MEETING,
    EntryKind.PAPER,
    EntryKind.STATEMENT,
    EntryKind.EVENT,
    EntryKind.STANCE,
)
KIND_MARKERS = {
    EntryKind.DRAFT: "s",
    EntryKind.CIRCULATION: ">",
    EntryKind.MEETING: "o",
    EntryKind.PAPER: "D",
    EntryKind.STATEMENT: "^",
    EntryKind.EVENT: "*",
    EntryKind.STANCE: "P",
}
NO_PARTY = "no party"


def _date_label(entry: Entry) -> str:
    if entry.undated:
        return "undated"
    return f"≈ {entry.when}" if entry.approximate else entry.when


def plot_timeline(
    entries: Sequence[Entry], path: Path | str, *, title: str = "Timeline", lanes: str = "kind"
) -> Path:
    """Draw ``entries`` (in the order given: date order) to ``path`` (.png or .svg), with one lane
    per kind (``lanes="kind"``) or per party (``lanes="party"``)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg"):
        raise AccordError(f"cannot draw a plot as {target.name!r}; expected a .png or .svg file")
    if not entries:
        raise AccordError("no entries to draw: the timeline (with these filters) is empty")
    if lanes == "party":
        names: dict[str, str] = {}
        for entry in entries:
            names.update(zip(entry.parties, entry.party_names, strict=True))
        columns = list(names.values()) + ([NO_PARTY] if any(not e.parties for e in entries) else [])
    else:
        columns = [k.value for k in LANE_ORDER if any(e.kind is k for e in entries)]
    at = {name: x for x, name in enumerate(columns)}
    rows = len(entries)
    width = 1.2 * len(columns) + 9.0
    figure = Figure(figsize=(width, 0.32 * rows + 1.8), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    label_x = len(columns) - 0.4
    for y, entry in enumerate(entries):
        xs = (
            [at[entry.kind.value]]
            if lanes != "party"
            else [at[n] for n in entry.party_names] or [at[NO_PARTY]]
        )
        colour = KIND_COLOURS[entry.kind]
        if len(xs) > 1:
            ax.plot([min(xs), max(xs)], [y, y], color=colour, linewidth=1, alpha=0.5)
        ax.scatter(
            xs,
            [y] * len(xs),
            marker=KIND_MARKERS[entry.kind],
            s=60,
            color=colour,
            facecolors="white" if entry.approximate or entry.undated else colour,
            linewidths=1.4,
            zorder=3,
        )
        ax.text(
            label_x,
            y,
            textwrap.shorten(entry.summary, 110, placeholder=" …"),
            va="center",
            fontsize="small",
            color="#333333",
        )
    ax.set_yticks(range(rows), [_date_label(e) for e in entries], fontsize="small")
    ax.set_ylim(rows - 0.5, -0.5)  # the earliest at the top
    ax.set_xticks(range(len(columns)), columns, rotation=30, ha="left")
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.set_xlim(-0.5, len(columns) + 8.0)
    for x in range(len(columns)):
        ax.axvline(x, color="#dddddd", linewidth=0.8, zorder=1)
    for side in ("right", "bottom"):
        ax.spines[side].set_visible(False)
    shown = [k for k in LANE_ORDER if any(e.kind is k for e in entries)]
    handles = [
        Line2D([], [], marker=KIND_MARKERS[k], color=KIND_COLOURS[k], linestyle="", label=k.value)
        for k in shown
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            color="#555555",
            markerfacecolor="white",
            linestyle="",
            label="approximate date",
        )
    )
    figure.legend(handles=handles, loc="outside lower center", ncols=min(8, len(handles)), fontsize="small")
    figure.suptitle(textwrap.shorten(title, 90, placeholder=" …"))
    figure.savefig(target, dpi=120)
    return target
