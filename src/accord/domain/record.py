"""The record of the process: meetings as they happened (or were planned, postponed, cancelled),
with their history of changes, and papers handed over with their content.

Nothing in the record is overwritten: a meeting's changes are kept as :class:`MeetingChange` entries
(each with the values before and after), and the storage keeps them append-only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


# status changes that make sense: a held meeting stays held (correct it, never un-hold it); a
# postponed one may be planned again (re-scheduled), held or cancelled; a cancelled one revived
TRANSITIONS: Mapping[MeetingStatus, frozenset[MeetingStatus]] = {
    MeetingStatus.PLANNED: frozenset(
        {MeetingStatus.HELD, MeetingStatus.POSTPONED, MeetingStatus.CANCELLED, MeetingStatus.PLANNED}
    ),
    MeetingStatus.POSTPONED: frozenset(
        {MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.CANCELLED, MeetingStatus.POSTPONED}
    ),
    MeetingStatus.CANCELLED: frozenset({MeetingStatus.PLANNED, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset({MeetingStatus.HELD}),
}


def transition_problem(before: MeetingStatus, after: MeetingStatus) -> str | None:
    """Why a meeting cannot go from ``before`` to ``after`` (None: it can)."""
    if after in TRANSITIONS[before]:
        return None
    if before is MeetingStatus.HELD:
        return f"a held meeting cannot become {after.value}: it took place (correct its details instead)"
    allowed = ", ".join(sorted(s.value for s in TRANSITIONS[before] if s is not before)) or "none"
    return f"a {before.value} meeting cannot become {after.value} (from {before.value}: {allowed})"


class MeetingChannel(StrEnum):
    """How the meeting took place."""

    IN_PERSON = "in-person"
    CALL = "call"
    VIDEO = "video"


@dataclass(frozen=True)
class Attendee:
    """A person at a meeting; ``note`` says how ("joined for the second half")."""

    person: str
    note: str | None = None


@dataclass(frozen=True)
class MeetingChange:
    """One audited change of a meeting: for each field changed, its value before and after (JSON
    values as the scenario format writes them), why, on which sources, when and by whom."""

    recorded_at: str
    recorded_by: str
    changes: Mapping[str, tuple[Any, Any]]
    reason: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A meeting of some parties and people.

    ``date`` is the day (None for a planned meeting without one; ``date_approx`` then says what is
    known: "in the coming days"); ``start`` the time it began when known (``date`` is its day);
    ``duration`` how long it lasted. ``place`` may be unknown for a meeting not yet held or held by
    call or video. ``participants`` are parties; ``people`` the persons present (a person's party
    takes part implicitly); ``leads`` who led each side (party -> person). ``reason`` explains a
    postponement or cancellation; ``history`` holds every change since it was first recorded.
    """

    id: str
    date: dt.date | None
    place: str | None = None
    participants: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    drafts: tuple[int, ...] = ()
    status: MeetingStatus = MeetingStatus.HELD
    reason: str | None = None
    outcome: str | None = None
    start: dt.datetime | None = None
    duration: dt.timedelta | None = None
    channel: MeetingChannel | None = None
    date_approx: str | None = None
    people: tuple[Attendee, ...] = ()
    leads: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    history: tuple[MeetingChange, ...] = ()

    @property
    def end(self) -> dt.datetime | None:
        return self.start + self.duration if self.start is not None and self.duration is not None else None

    @property
    def sort_key(self) -> tuple[dt.date, str, str]:
        """Meetings by date (undated ones last), then start time, then key."""
        start = self.start.time().isoformat() if self.start is not None else ""
        return (self.date or dt.date.max, start, self.id)

    @property
    def when(self) -> str:
        """The date (and time) as a person would say it; an approximate date as recorded."""
        if self.start is not None:
            return self.start.strftime("%Y-%m-%d %H:%M")
        if self.date is not None:
            return self.date.isoformat()
        return self.date_approx or "date unknown"


@dataclass(frozen=True)
class PaperFile:
    """A paper's content as a stored file: its name, media type, SHA-256 (hex) and size in bytes.
    ``data`` (the bytes) is carried only where needed (an import, `paper get`), never compared."""

    name: str
    media_type: str
    sha256: str
    size: int
    data: bytes | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Paper:
    """A document handed over: to parties (``recipients``) and people (``recipient_people``), at a
    ``meeting``. ``title`` may be unknown; ``count`` says how many documents the entry stands for
    ("several papers were handed over": None, a number unknown). The content is ``text`` or a stored
    ``file``. ``draft`` is the draft version it carries, ``related_drafts`` others it bears on;
    ``copy`` the issue-register entry (copies.id) when it is a fingerprinted copy."""

    id: str
    title: str | None
    recipients: tuple[str, ...] = ()
    draft: int | None = None
    date: dt.date | None = None
    note: str | None = None
    count: int | None = 1
    text: str | None = None
    file: PaperFile | None = None
    recipient_people: tuple[str, ...] = ()
    meeting: str | None = None
    related_drafts: tuple[int, ...] = ()
    copy: int | None = None
    sources: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.count == 1:
            return "untitled paper"
        return f"{self.count} untitled papers" if self.count else "several untitled papers"


_DURATION = re.compile(r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h)?\s*(?:(?P<m>\d+)\s*(?:m|min))?\s*$")


LONGEST_MEETING = dt.timedelta(days=31)
"""The longest a meeting may last: a summit of several weeks is several meetings (Camp David, 13 days)."""


def parse_duration(text: str) -> dt.timedelta:
    """ "3h", "2h30m", "90m", "1.5h", "2:30" as a duration; ValueError for anything else (or zero, or
    longer than LONGEST_MEETING)."""
    value = text.strip().lower()
    shown = text if len(text) <= 40 else text[:37] + "..."
    clock = re.fullmatch(r"(\d+):([0-5]\d)", value)
    match = None if clock else _DURATION.match(value)
    if not clock and (not value or match is None or (match["h"] is None and match["m"] is None)):
        raise ValueError(f"{shown!r} is not a duration; expected hours and minutes such as 3h, 2h30m or 90m")
    hours, minutes = (clock[1], clock[2]) if clock else (match["h"] or "0", match["m"] or "0")  # type: ignore[index]
    longest = LONGEST_MEETING.total_seconds() / 3600
    # digits first: a number of many digits overflows a float, or exceeds Python's digits for an int
    if len(hours.split(".")[0]) > 6 or len(minutes) > 8 or float(hours) + int(minutes) / 60 > longest:
        raise ValueError(
            f"{shown!r} is longer than a meeting can be; expected at most {longest:.0f}h (31 days)"
        )
    found = dt.timedelta(hours=float(hours), minutes=int(minutes))
    if found <= dt.timedelta(0):
        raise ValueError(f"{shown!r} is not a duration; expected a positive length such as 3h or 90m")
    return found


def format_duration(duration: dt.timedelta) -> str:
    """A duration as the scenario format writes it: "3h", "2h30m", "45m"."""
    minutes = round(duration.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")
