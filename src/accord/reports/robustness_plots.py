"""Pictures of robustness: the probability that each candidate holds, and each party's utility spread,
written as PNG or SVG from the Vega-Lite specifications of accord.reports.robustness_charts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from accord.errors import AccordError
from accord.reports import vega
from accord.reports.charts import concept_label, draft_label
from accord.reports.robustness_charts import Held, acceptance_chart, utilities_chart

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


def plot_acceptance(candidates: Sequence[Held], path: Path) -> Path:
    """Horizontal bars: P(acceptable to every party) per candidate, with a 95% interval (the chart of
    the workbench's result page, accord.reports.robustness_charts)."""
    return vega.render(acceptance_chart(candidates), _target(path))


def plot_utilities(
    parties: list[str], names: list[str], histograms: np.ndarray, reservations: list[float], path: Path
) -> Path:
    """One panel per party: the distribution of its utility under each candidate (``histograms``:
    (parties, candidates, bins) counts on [0, 1]), with its estimated reservation value. Draw at most
    :data:`MAX_LINES` candidates (:func:`chosen_for_utilities`)."""
    return vega.render(utilities_chart(parties, names, histograms, reservations), _target(path))
