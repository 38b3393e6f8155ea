"""The single negotiating text in versions, and the parties' stances on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class DraftStatus(StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    WITHDRAWN = "withdrawn"
    AGREED = "agreed"


@dataclass(frozen=True)
class Choice:
    """What a draft says on one point: one of the point's options, or free text."""

    option: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Draft:
    """A version of the negotiating text; ``parent`` is the version it amends."""

    version: int
    choices: Mapping[str, Choice]
    status: DraftStatus = DraftStatus.DRAFT
    parent: int | None = None
    author: str | None = None
    label: str | None = None
    title: str | None = None
    date: dt.date | None = None
    note: str | None = None
    circulated_to: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def package(self) -> dict[str, str]:
        """The options this draft chooses (points left to free text are not in it)."""
        return {p: c.option for p, c in self.choices.items() if c.option is not None}


class StanceKind(StrEnum):
    """A party's position on a point: accepted, accepted on a condition, rejected, under review
    (``studying``: "we are studying the plan"), or none taken (``no-position``)."""

    ACCEPT = "accept"
    CONDITIONAL = "conditional"
    REJECT = "reject"
    STUDYING = "studying"
    NO_POSITION = "no-position"


@dataclass(frozen=True)
class Stance:
    """A party's answer on one point of one draft version.

    ``as_of`` is when the party took the position (it may be long before it was recorded);
    ``evidence`` the key of the statement it was adopted from; ``sources`` the sources it rests on.
    Stances are never overwritten: a later record supersedes, or withdraws, an earlier one (the
    storage keeps the history: accord.storage.repository.StanceRecord).
    """

    draft: int
    party: str
    point: str
    stance: StanceKind
    note: str | None = None
    as_of: dt.date | None = None
    evidence: str | None = None
    sources: tuple[str, ...] = ()


def chronological(drafts: Iterable[Draft]) -> list[Draft]:
    """The versions in the order they were made: by date, the version number breaking a tie.

    Numbers and dates may disagree: a party's counter-text recorded late is numbered after texts it
    preceded. A version without a date keeps its place by number: it follows the version numbered just
    below it (it is ordered as if dated like that one, and after it), and undated versions numbered
    before any dated one come first. With no dates at all, the order is the versions' numbers.
    """
    ordered = sorted(drafts, key=lambda d: d.version)
    keys: dict[int, tuple[dt.date, int]] = {}
    last = dt.date.min
    for draft in ordered:
        last = draft.date or last
        keys[draft.version] = (last, draft.version)
    return sorted(ordered, key=lambda d: keys[d.version])
