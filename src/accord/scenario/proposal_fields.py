"""The fields of a proposal in the proposals file (accord.scenario.proposals_file), each checked for
its type: a date, a time, a whole number, a list of texts, the people at a meeting, one of a few
words, the passages of the report it rests on. A check appends a Problem to the source and returns
None; what it returns otherwise is the value a Proposal holds, as accord.ingest proposes it (lists
as lists, a date as a date, a start as a datetime or a time of day, a choice as its text)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from accord.domain import EventKind, MeetingChannel, MeetingStatus, StanceKind, StatementChannel
from accord.domain.proposals import Evidence, ProposalKind
from accord.scenario.paths import FieldPath
from accord.scenario.yaml_source import Source

Check = Callable[[Source, FieldPath, Any, ProposalKind], Any]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def fail(source: Source, path: FieldPath, value: Any, expected: str) -> None:
    got = "missing" if value is None else f"got {value!r}"
    source.problems.append(source.problem(path, f"{got}; expected {expected}"))


def whole(value: Any, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def unknown(source: Source, path: FieldPath, item: Mapping[str, Any], expected: tuple[str, ...]) -> None:
    """A problem for each key of ``item`` not in ``expected`` (which the message names)."""
    for key in item:
        if key not in expected:
            source.problems.append(
                source.problem((*path, key), f"unknown field; expected one of: {', '.join(expected)}")
            )


def text(source: Source, path: FieldPath, value: Any, kind: ProposalKind | None = None) -> str | None:
    """Text (a number is read as its text: `point: 7`); blank text is None, no problem."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    fail(source, path, value, "text")
    return None


def texts(
    source: Source, path: FieldPath, value: Any, kind: ProposalKind | None = None
) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        fail(source, path, value, "a list of texts, such as [a, b]")
        return None
    found = []
    for index, entry in enumerate(value):
        item = entry if isinstance(entry, str) and entry.strip() else None
        if isinstance(entry, int | float) and not isinstance(entry, bool):
            item = str(entry)
        if item is None:
            fail(source, (*path, index), entry, "text")
            return None
        found.append(item)
    return tuple(found)


def text_list(source: Source, path: FieldPath, value: Any, kind: ProposalKind) -> list[str] | None:
    """A field's list of texts (parties, points, names), a list as accord.ingest proposes it."""
    found = texts(source, path, value)
    return None if found is None else list(found)


def date(source: Source, path: FieldPath, value: Any, kind: ProposalKind | None = None) -> dt.date | None:
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            source.problems.append(
                source.problem(path, f"{value!r} is no such day; expected a date YYYY-MM-DD")
            )
            return None
    fail(source, path, value, "a date YYYY-MM-DD")
    return None


def start(source: Source, path: FieldPath, value: Any, kind: ProposalKind) -> dt.datetime | dt.time | None:
    """A meeting's start: a time of day (its date is the meeting's) or a date and time."""
    if isinstance(value, str):
        given = value.strip()
        clock = _TIME.fullmatch(given)
        if clock:
            return dt.time(int(clock[1]), int(clock[2]))
        day, _, time = given.replace("T", " ", 1).partition(" ")
        clock = _TIME.fullmatch(time.strip())
        if _DAY.fullmatch(day) and clock:
            try:
                return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(int(clock[1]), int(clock[2])))
            except ValueError:
                pass
    # YAML 1.1 reads an unquoted 17:30 as a number (base 60): hence "in quotes"
    fail(source, path, value, "a time 'HH:MM' (in quotes) or a date and time YYYY-MM-DD HH:MM")
    return None


def positive(source: Source, path: FieldPath, value: Any, kind: ProposalKind) -> int | None:
    if whole(value, 1):
        return int(value)
    fail(source, path, value, "a whole number above 0")
    return None


def count(source: Source, path: FieldPath, value: Any, kind: ProposalKind) -> int | None:
    if whole(value, 1):
        return int(value)
    fail(source, path, value, "a whole number above 0, or null (several, how many not known)")
    return None


def people(source: Source, path: FieldPath, value: Any, kind: ProposalKind) -> list[dict[str, str]] | None:
    """The people at a meeting: ``{person, note}`` each (a bare name is ``{person: name}``)."""
    if not isinstance(value, list):
        fail(source, path, value, "a list of people ({person: NAME, note: ...} each)")
        return None
    found = []
    before = len(source.problems)
    for index, entry in enumerate(value):
        at = (*path, index)
        if isinstance(entry, str) and entry.strip():
            found.append({"person": entry})
            continue
        if not isinstance(entry, dict):
            fail(source, at, entry, "a person: {person: NAME, note: how they took part}")
            continue
        unknown(source, at, entry, ("person", "note"))
        person, note = entry.get("person"), entry.get("note")
        if not isinstance(person, str) or not person.strip():
            fail(source, (*at, "person"), person, "a person's key, name or alias")
            continue
        attendee = {"person": person}
        if note is not None and not isinstance(note, str):
            fail(source, (*at, "note"), note, "text")
        elif note is not None and note.strip():
            attendee["note"] = note
        found.append(attendee)
    return found if len(source.problems) == before else None


def _choice(values: Callable[[ProposalKind], type[Enum]]) -> Check:
    def check(source: Source, path: FieldPath, value: Any, kind: ProposalKind) -> str | None:
        allowed = [str(m.value) for m in values(kind)]
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        fail(source, path, value, f"one of: {', '.join(allowed)}")
        return None

    return check


def _channels(kind: ProposalKind) -> type[Enum]:
    return MeetingChannel if kind is ProposalKind.MEETING else StatementChannel


_TEXTS = ("name", "party", "role", "place", "reason", "title", "meeting", "speaker", "quote", "cue")
_MORE_TEXTS = ("point", "summary", "surfaced", "statement", "date_approx")
_LISTS = ("aliases", "participants", "recipients", "recipient_people", "points")

# every field of accord.domain.proposals.FIELDS and its check
CHECKS: Mapping[str, Check] = {
    **dict.fromkeys((*_TEXTS, *_MORE_TEXTS), text),
    **dict.fromkeys(_LISTS, text_list),
    "date": date,
    "start": start,
    "duration_minutes": positive,
    "draft": positive,
    "count": count,
    "people": people,
    "status": _choice(lambda kind: MeetingStatus),
    "channel": _choice(_channels),
    "stance": _choice(lambda kind: StanceKind),
    "event": _choice(lambda kind: EventKind),
}

_EVIDENCE = "a list of the passages it rests on ({quote, start, end} each), or [] for an entry added by hand"


def evidence(source: Source, path: FieldPath, value: Any) -> tuple[Evidence, ...] | None:
    """The passages of the report a proposal rests on: its words, and where they stand (offsets)."""
    if not isinstance(value, list):
        fail(source, path, value, _EVIDENCE)
        return None
    found = []
    before = len(source.problems)
    for index, entry in enumerate(value):
        at = (*path, index)
        if not isinstance(entry, dict):
            fail(source, at, entry, "a passage: {quote: ..., start: N, end: N}")
            continue
        unknown(source, at, entry, ("quote", "start", "end"))
        quote: Any = entry.get("quote")
        first: Any = entry.get("start")
        last: Any = entry.get("end")
        if not isinstance(quote, str):
            fail(source, (*at, "quote"), quote, "the report's words")
        for name, offset in (("start", first), ("end", last)):
            if not whole(offset, 0):
                fail(source, (*at, name), offset, "a character offset in the report (0 or more)")
        if whole(first, 0) and whole(last, 0) and first > last:
            fail(source, (*at, "end"), last, f"an offset at or after the start ({first})")
        if len(source.problems) == before:
            found.append(Evidence(quote, first, last))
    return tuple(found) if len(source.problems) == before else None
