"""The record of the process: meetings held or postponed, and papers handed over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Paper:
    """A document handed to named recipients (parties)."""

    id: str
    title: str
    recipients: tuple[str, ...] = ()
    draft: int | None = None
    date: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Meeting:
    """A meeting of some parties; ``reason`` explains a postponement or cancellation."""

    id: str
    date: dt.date
    place: str
    participants: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    drafts: tuple[int, ...] = ()
    status: MeetingStatus = MeetingStatus.HELD
    reason: str | None = None
    outcome: str | None = None
