"""What people said, in public or in private, and events of the talks (a leak, a postponement)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from accord.domain.drafts import StanceKind


class StatementChannel(StrEnum):
    """How a statement was made; every channel but ``private`` is public (seen by every seat)."""

    PRESS = "press"
    INTERVIEW = "interview"
    SOCIAL = "social"
    OFFICIAL = "official"
    PRIVATE = "private"


@dataclass(frozen=True)
class Statement:
    """What a person said, on a date: the ``quote`` (their words, or the reported words) and the
    mediator's ``summary``. ``points`` are the framework points it is about; ``stance`` the position
    it expresses on them (for ``draft``, if it names one). A statement is evidence: on the mediator's
    confirmation it becomes the speaker's party's stance, and that stance names the statement as its
    ``evidence`` (see :meth:`accord.domain.Negotiation.stances_evidenced_by`)."""

    id: str
    person: str
    date: dt.date
    quote: str
    summary: str | None = None
    channel: StatementChannel = StatementChannel.PRESS
    points: tuple[str, ...] = ()
    stance: StanceKind | None = None
    draft: int | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        return self.channel is not StatementChannel.PRIVATE


class EventKind(StrEnum):
    LEAK = "leak"
    ANNOUNCEMENT = "announcement"
    POSTPONEMENT = "postponement"
    OTHER = "other"


@dataclass(frozen=True)
class TraceRecord:
    """The result of `accord trace` attached to a leak event: stored as it was reported (``result``:
    the trace's JSON), with when and by whom it was attached."""

    recorded_at: str
    recorded_by: str
    result: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """Something that happened: a leak (what leaked: ``draft`` or ``paper``; where it ``surfaced``),
    an announcement, a postponement. ``date`` may be unknown, ``date_approx`` says what is known
    ("early November"). ``traces``: the leak traces attached to it, oldest first."""

    id: str
    kind: EventKind
    date: dt.date | None
    summary: str
    draft: int | None = None
    paper: str | None = None
    surfaced: str | None = None
    date_approx: str | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    traces: tuple[TraceRecord, ...] = ()
