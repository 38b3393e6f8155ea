"""Pictures of robustness: the probability that each candidate holds, and each party's utility spread."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from accord.errors import AccordError


def _target(path: Path) -> Path:
    if path.suffix.lower() not in (".png", ".svg"):
        raise AccordError(f"cannot draw a plot as {path.name!r}; expected a .png or .svg file")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def plot_acceptance(names: list[str], acceptance: list[float], errors: list[float], path: Path) -> Path:
    """Horizontal bars: P(acceptable to every party) per candidate, with a 95% interval."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    target = _target(path)
    figure = Figure(figsize=(7.5, max(2.5, 0.35 * len(names) + 1.2)), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    y = np.arange(len(names))[::-1]
    ax.barh(y, acceptance, xerr=[1.96 * e for e in errors], color="#2e8b57", capsize=3)
    ax.set_yticks(y, names)
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability that every party accepts")
    ax.grid(axis="x", alpha=0.3)
    figure.suptitle("How likely each candidate is to hold")
    figure.savefig(target, dpi=150)
    return target


def plot_utilities(
    parties: list[str], names: list[str], histograms: np.ndarray, reservations: list[float], path: Path
) -> Path:
    """One panel per party: the distribution of its utility under each candidate (``histograms``:
    (parties, candidates, bins) counts on [0, 1]), with its estimated reservation value."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    target = _target(path)
    figure = Figure(figsize=(4.2 * len(parties), 3.6), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, len(parties), squeeze=False)[0]
    bins = histograms.shape[2]
    # coarser bins for the picture: 100 on [0, 1]
    merged = histograms.reshape(*histograms.shape[:2], 100, bins // 100).sum(axis=3)
    centres = (np.arange(100) + 0.5) / 100
    for i, ax in enumerate(axes):
        for k, name in enumerate(names):
            density = merged[i, k] / max(merged[i, k].sum(), 1)
            ax.plot(centres, density, label=name)
        ax.axvline(reservations[i], color="#b03a2e", linestyle="--", label="reservation value (estimate)")
        ax.set_title(parties[i])
        ax.set_xlabel("utility")
        ax.set_xlim(0, 1)
    axes[0].set_ylabel("share of samples")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize="small")
    figure.suptitle("Each party's utility under uncertainty")
    figure.savefig(target, dpi=150)
    return target
