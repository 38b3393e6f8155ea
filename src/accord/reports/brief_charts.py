"""The briefing's pictures: one quantity per panel, labels in words, drawn the same way every time.

Each chart is drawn once with matplotlib's Agg canvas and kept as SVG (vector, for HTML and PDF) and
PNG (for Word). The SVG carries no date and a fixed id salt, so the same record gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.reports.briefing import Figure

FONT = "DejaVu Sans"  # full Unicode (Cyrillic names render), installed with the fonts the PDF embeds
INK = "#222222"
BAR = "#0072B2"  # Okabe & Ito blue
DRAFT_BAR = "#999999"


@dataclass(frozen=True)
class Bar:
    """One package's utility for one party: ``low``-``high`` the band under the uncertainty of the
    estimates (None: no band), ``reservation`` the party's reservation value."""

    label: str
    value: float
    low: float | None = None
    high: float | None = None
    draft: bool = False


def _figure(panels: int, height: float, columns: int = 3) -> tuple[Any, Any]:
    import matplotlib
    from matplotlib.figure import Figure as Canvas  # no pyplot: nothing global keeps the figure

    matplotlib.rcParams["svg.hashsalt"] = "accord-briefing"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, and light to typeset
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [FONT, "DejaVu Sans", "Liberation Sans"]
    matplotlib.rcParams["font.size"] = 8
    columns = min(panels, columns)
    rows = (panels + columns - 1) // columns
    fig = Canvas(figsize=(6.8, height * rows))
    axes = fig.subplots(rows, columns, squeeze=False)
    for extra in axes.flat[panels:]:
        extra.set_visible(False)
    return fig, axes.flat


def _finish(fig: Any, caption: str, name: str) -> Figure:
    """The SVG now (every format but Word shows it); the PNG only when a Word file asks for it."""
    fig.tight_layout()
    svg = io.StringIO()
    fig.savefig(svg, format="svg", metadata={"Date": None})

    def png() -> bytes:
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=150, metadata={"Software": None})
        return out.getvalue()

    return Figure(caption, svg.getvalue(), png, name)


def _wrapped(label: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(label, width)[:2])


def utilities_by_party(
    parties: Sequence[str], bars: Sequence[Sequence[Bar]], reservations: Sequence[float | None], caption: str
) -> Figure:
    """One panel per party: each package's utility for it (with its band), and its reservation value
    as a dashed line. ``bars[i]`` are party ``i``'s bars, in the same package order for every party."""
    fig, axes = _figure(len(parties), 2.3)
    columns = min(len(parties), 3)
    for k, (ax, party, row, reservation) in enumerate(zip(axes, parties, bars, reservations, strict=False)):
        labels = [_wrapped(b.label) for b in row]
        y = list(range(len(row)))[::-1]
        colours = [DRAFT_BAR if b.draft else BAR for b in row]
        ax.barh(y, [b.value for b in row], color=colours, height=0.6)
        for yy, b in zip(y, row, strict=True):
            if b.low is not None and b.high is not None:
                ax.errorbar(
                    b.value,
                    yy,
                    xerr=[[max(b.value - b.low, 0.0)], [max(b.high - b.value, 0.0)]],
                    fmt="none",
                    ecolor=INK,
                    capsize=2,
                    linewidth=0.8,
                )
        if reservation is not None:
            ax.axvline(reservation, color="#D55E00", linestyle="--", linewidth=1)
        ax.set_yticks(y, labels if k % columns == 0 else [])  # the packages named once per row
        ax.set_xlim(0, 1)
        ax.set_title(_wrapped(party, 22), fontsize=8, color=INK)
        ax.set_xlabel("utility (0 worst, 1 best)")
    return _finish(fig, caption, "utilities")


def acceptance(labels: Sequence[str], values: Sequence[float], caption: str) -> Figure:
    """How likely every party accepts each package (one panel)."""
    fig, axes = _figure(1, 0.45 * len(labels) + 0.9)
    ax = axes[0]
    y = list(range(len(labels)))[::-1]
    ax.barh(y, [100 * v for v in values], color=BAR, height=0.6)
    for yy, v in zip(y, values, strict=True):
        ax.text(min(100 * v + 1, 88), yy, f"{100 * v:.0f}%", va="center", fontsize=8, color=INK)
    ax.set_yticks(y, [_wrapped(label, 28) for label in labels])
    ax.set_xlim(0, 100)
    ax.set_xlabel("chance that every party accepts (%)")
    return _finish(fig, caption, "acceptance")


def stances_by_round(
    rounds: Sequence[str],
    counts: Sequence[dict[str, int]],
    kinds: Sequence[tuple[str, str, str]],
    caption: str,
) -> Figure:
    """Per draft (in date order), the answers recorded on it, one panel per kind of answer.
    ``kinds``: (key, label, colour)."""
    fig, axes = _figure(len(kinds), 1.3, columns=1)
    x = list(range(len(rounds)))
    for ax, (key, label, colour) in zip(axes, kinds, strict=False):
        ax.bar(x, [c.get(key, 0) for c in counts], color=colour)
        ax.set_title(label, fontsize=8, color=INK)
        ax.set_xticks(x, list(rounds))
        ax.set_ylabel("points")
    return _finish(fig, caption, "answers")
