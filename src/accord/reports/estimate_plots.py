"""A party's weights before and after the evidence: the prior and the posterior, per point."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from accord.errors import AccordError

# (mean, low, high) per point: the 90% interval around the mean
Band = Sequence[tuple[float, float, float]]


def plot_weights(labels: Sequence[str], prior: Band, posterior: Band, title: str, path: Path) -> Path:
    """One row per point (the first at the top): the prior weight (grey) and the posterior weight
    (green), each as its mean with a 90% interval."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if path.suffix.lower() not in (".png", ".svg"):
        raise AccordError(f"cannot draw a plot as {path.name!r}; expected a .png or .svg file")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure = Figure(figsize=(7.5, max(2.5, 0.32 * len(labels) + 1.4)), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    y = np.arange(len(labels))[::-1].astype(float)
    for band, shift, colour, name in (
        (prior, 0.17, "#9a9a9a", "prior (declared estimate)"),
        (posterior, -0.17, "#2e8b57", "posterior (after the evidence)"),
    ):
        values = np.asarray(band, dtype=float).reshape(-1, 3)
        mean, low, high = values[:, 0], values[:, 1], values[:, 2]
        errors = np.vstack([np.maximum(mean - low, 0.0), np.maximum(high - mean, 0.0)])
        ax.errorbar(mean, y + shift, xerr=errors, fmt="o", color=colour, capsize=3, markersize=4, label=name)
    ax.set_yticks(y, list(labels))
    ax.set_xlim(left=0)
    ax.set_xlabel("weight (share of the party's concern), mean and 90% interval")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    figure.suptitle(title)
    figure.savefig(path, dpi=150)
    return path
