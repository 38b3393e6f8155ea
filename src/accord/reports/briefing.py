"""The briefing as a document: sections of paragraphs, lists, tables and figures, in plain words.

The content is built once (accord.reports.brief_mediator, accord.reports.brief_party) and written
in every format (accord.reports.brief_render: Markdown, HTML, PDF, Word) from this one model, so the
formats never say different things.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from accord.domain import StanceKind
from accord.reports.record_charts import STANCES as CHART_STANCES


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """``tones``: per row, per cell, a tone name ("" for none): a stance's kind colours its cell."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    tones: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Figure:
    """A chart, as SVG (HTML, and vector in the PDF) and as PNG (Word, drawn when first asked for),
    with its caption."""

    caption: str
    svg: str = field(repr=False)
    draw_png: Callable[[], bytes] = field(repr=False, compare=False)
    name: str = "figure"

    @functools.cached_property
    def png(self) -> bytes:
        return self.draw_png()


Block = Paragraph | Bullets | Table | Figure


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Briefing:
    title: str  # the negotiation's title
    audience: str  # "the mediator", or a party's name
    party: str | None  # the party it is for (None: the mediator)
    as_of: dt.date
    revision: str  # the record's revision (a stored negotiation), or the scenario file's fingerprint
    warnings: tuple[str, ...]  # front-page warnings (preferences that are illustrative estimates...)
    sections: tuple[Section, ...]
    since: dt.date | None = None

    @property
    def heading(self) -> str:
        return f"Briefing for {self.audience}"

    @property
    def reflects(self) -> str:
        """The date and revision of the record the briefing reflects, in words."""
        return f"The record as of {self.as_of.isoformat()} (revision {self.revision})"


# a stance's words and symbol: the symbol is read without colour, the colour helps at a glance. The
# symbols are the workbench's chart's (accord.reports.record_charts.STANCES), which the briefing draws
# too: one symbol set in the whole document, each symbol with one meaning, "no answer" its own.
SYMBOLS: dict[str, str] = {name: symbol for name, _colour, symbol in CHART_STANCES}
STANCE_WORDS: dict[StanceKind | None, str] = {
    StanceKind.ACCEPT: f"{SYMBOLS['accept']} accepts",
    StanceKind.CONDITIONAL: f"{SYMBOLS['conditional']} on conditions",
    StanceKind.REJECT: f"{SYMBOLS['reject']} rejects",
    StanceKind.STUDYING: f"{SYMBOLS['studying']} studying",
    StanceKind.NO_POSITION: f"{SYMBOLS['no-position']} no position",
    None: f"{SYMBOLS['no answer']} no answer",
}


def stance_legend() -> str:
    """Every symbol with its meaning, in one order: the legend of the stance table and of the chart."""
    return ", ".join(STANCE_WORDS.values())


# Okabe & Ito's colour-blind safe palette, as light tints behind dark text (tone -> (tint, colour))
TONES: dict[str, tuple[str, str]] = {
    "accept": ("#cdeee4", "#009E73"),
    "conditional": ("#fbe6bf", "#E69F00"),
    "reject": ("#f6d2bf", "#D55E00"),
    "studying": ("#d6ecf9", "#56B4E9"),
    "no-position": ("#e6e6e6", "#999999"),
    "none": ("#ffffff", "#bbbbbb"),
}


def tone_of(stance: StanceKind | None) -> str:
    return "none" if stance is None else stance.value
