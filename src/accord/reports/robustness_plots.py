"""Pictures of robustness: the probability that each candidate holds, and each party's utility spread."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from accord.errors import AccordError
from accord.reports.charts import LINE_STYLES, OKABE_ITO, concept_label, draft_label, save

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# the candidates' lines: Okabe-Ito without the vermilion of the reservation value; past seven, dashed
CANDIDATE_COLOURS = tuple(c for c in OKABE_ITO if c != OKABE_ITO[1])
MAX_LINES = 8  # candidates a utilities panel can show and still be told apart


def _target(path: Path) -> Path:
    if path.suffix.lower() not in (".png", ".svg"):
        raise AccordError(f"cannot draw a plot as {path.name!r}; expected a .png or .svg file")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def candidate_label(name: str, draft_labels: Mapping[int, str | None]) -> str:
    """A candidate as people name it: 'draft v3' -> 'draft 3 (D)', 'kalai-smorodinsky #2' ->
    'Kalai-Smorodinsky #2'; candidates with one package ('draft v3 = draft v4') name by name."""
    words = []
    for part in name.split(" = "):
        draft = re.fullmatch(r"draft v(\d+)", part)
        concept = re.fullmatch(r"([a-z-]+)( #\d+)?", part)
        if draft:
            version = int(draft.group(1))
            words.append(draft_label(version, draft_labels.get(version)))
        elif concept:
            words.append(concept_label(concept.group(1)) + (concept.group(2) or ""))
        else:
            words.append(part)
    return " = ".join(words)


def chosen_for_utilities(
    names: Sequence[str], *, first: Sequence[str] = (), limit: int = MAX_LINES
) -> tuple[list[str], list[str]]:
    """The candidates the utilities chart draws, and those it leaves out: ``first`` (the drafts asked
    for) before the others, which follow in the order of ``names`` (most acceptable first), up to
    ``limit`` lines. The caller says which were left out, and why."""
    ordered = [n for n in first if n in names] + [n for n in names if n not in first]
    return ordered[:limit], ordered[limit:]


def plot_acceptance(names: list[str], acceptance: list[float], errors: list[float], path: Path) -> Path:
    """Horizontal bars: P(acceptable to every party) per candidate, with a 95% interval."""
    return save(acceptance_figure(names, acceptance, errors), _target(path))


def acceptance_figure(names: Sequence[str], acceptance: Sequence[float], errors: Sequence[float]) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, max(2.5, 0.35 * len(names) + 1.2)), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    y = np.arange(len(names))[::-1]
    ax.barh(y, acceptance, xerr=[1.96 * e for e in errors], color=OKABE_ITO[2], capsize=3)
    ax.set_yticks(y, names)
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability that every party accepts (with its 95% interval)")
    ax.grid(axis="x", alpha=0.3)
    figure.suptitle("How likely each candidate is to hold")
    return figure


def plot_utilities(
    parties: list[str], names: list[str], histograms: np.ndarray, reservations: list[float], path: Path
) -> Path:
    """One panel per party: the distribution of its utility under each candidate (``histograms``:
    (parties, candidates, bins) counts on [0, 1]), with its estimated reservation value."""
    return save(utilities_figure(parties, names, histograms, reservations), _target(path))


def utilities_figure(
    parties: Sequence[str], names: Sequence[str], histograms: np.ndarray, reservations: Sequence[float]
) -> Figure:
    """The chart of :func:`plot_utilities`: a line per candidate in every panel, each its own colour
    (colour-blind safe) and, past seven, its own dash. Draw at most :data:`MAX_LINES` candidates
    (:func:`chosen_for_utilities`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4.2 * len(parties), 3.9), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, len(parties), squeeze=False)[0]
    bins = histograms.shape[2]
    # coarser bins for the picture: 100 on [0, 1]
    merged = histograms.reshape(*histograms.shape[:2], 100, bins // 100).sum(axis=3)
    centres = (np.arange(100) + 0.5) / 100
    for i, ax in enumerate(axes):
        for k, name in enumerate(names):
            density = merged[i, k] / max(merged[i, k].sum(), 1)
            ax.plot(
                centres,
                density,
                label=name,
                color=CANDIDATE_COLOURS[k % len(CANDIDATE_COLOURS)],
                linestyle=LINE_STYLES[(k // len(CANDIDATE_COLOURS)) % len(LINE_STYLES)],
                linewidth=1.6,
            )
        ax.axvline(reservations[i], color=OKABE_ITO[1], linestyle="--", label="reservation value (estimate)")
        ax.set_title(parties[i])
        ax.set_xlabel("utility")
        ax.set_xlim(0, 1)
    axes[0].set_ylabel("share of samples")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize="small")
    figure.suptitle("Each party's utility under uncertainty")
    return figure
