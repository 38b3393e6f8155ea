"""The timeline of a stored negotiation, as far as the viewer may see it (issue 13, item 9).

One use case for the command line and the web: the stored record is read, cut to the viewer's view
by the policy (accord.security.policy.visible), and handed to accord.analysis.timeline with the two
facts the model does not carry: when each draft was handed to each party, and when each current
stance was recorded. Both are cut to the same view: a party's seat learns of no circulation to
another party, and of no stance but its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from accord.analysis.timeline import Circulated, Entry, EntryKind, build, kinds_named, party_named, select
from accord.domain import Negotiation
from accord.errors import DomainError
from accord.security.policy import Action, Viewer, command_line, require, visible
from accord.storage.database import Database
from accord.storage.repository import Stored
from accord.storage.unit_of_work import reading
from accord.wording import counted


@dataclass(frozen=True)
class Filters:
    """What to keep: a date range (inclusive), a party (id or name), kinds (by name; none: all)."""

    start: dt.date | None = None
    end: dt.date | None = None
    party: str | None = None
    kinds: tuple[str, ...] = ()
    flag: str = "--"  # how the options are named in errors: "--from" (command line), "from" (web)


def filters_from(
    start: str | None,
    end: str | None,
    party: str | None = None,
    kinds: Iterable[str] = (),
    *,
    flag: str = "--",
) -> Filters:
    """Filters from text as typed (the command line's options, flag "--"; a web form's fields, flag
    ""): an empty value is none; a bad date or a range that runs backwards is a DomainError naming
    the option (checked before anything is read)."""

    def day(value: str | None, name: str) -> dt.date | None:
        if value is None or not value.strip():
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise DomainError(
                f"{flag}{name}: expected a date written YYYY-MM-DD, got {value[:40]!r}"
            ) from None

    found = Filters(
        day(start, "from"),
        day(end, "to"),
        party.strip() if party and party.strip() else None,
        tuple(k for k in kinds if k.strip()),
        flag,
    )
    if found.start is not None and found.end is not None and found.start > found.end:
        raise DomainError(
            f"{flag}from: {found.start} is after {flag}to {found.end}; the range runs backwards"
        )
    kinds_named(found.kinds, f"{flag}kind")
    return found


@dataclass(frozen=True)
class Timeline:
    negotiation: Negotiation  # as the viewer sees it
    entries: tuple[Entry, ...]
    party: str | None = None  # the party kept (its id), when filtered
    kinds: frozenset[EntryKind] = frozenset()

    @property
    def undrawn(self) -> tuple[Entry, ...]:
        """The entries a chart of the timeline leaves out, having no day: dated only in words (a
        stance on an undated draft, "recorded …") or not at all. The chart says how many."""
        return tuple(e for e in self.entries if e.day is None)


def undrawn_words(count: int) -> str:
    """What a chart of the timeline leaves out, in words (the command line's; the page says it in its own)."""
    return (
        f"{counted(count, 'entry', 'entries')} without a date of their own (a stance on an undated "
        "draft, an entry dated only in words or not at all); they are listed with the others"
    )


def _day(stamp: str | None) -> dt.date | None:
    if not stamp:
        return None
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def entries_of(stored: Stored, seen: Negotiation) -> list[Entry]:
    """The timeline of ``seen`` (the stored negotiation cut to a viewer's view), with the circulation
    dates and the stances' recording days of what that view holds."""
    received = {d.version: set(d.circulated_to) for d in seen.drafts}
    circulations = [
        Circulated(c.draft, c.party, _day(c.date))
        for c in stored.circulations
        if c.party in received.get(c.draft, set())
    ]
    current = {(s.draft, s.party, s.point) for s in seen.stances}
    recorded: dict[tuple[int, str, str], dt.date] = {}
    for record in stored.stance_history:  # oldest first: the newest record of each stance wins
        s = record.stance
        key = (s.draft, s.party, s.point)
        day = _day(record.recorded_at)
        if key in current and not record.withdrawn and day is not None:
            recorded[key] = day
    return build(seen, circulations=circulations, recorded=recorded)


def timeline(database: Database, viewer: Viewer, slug: str | None, filters: Filters = Filters()) -> Timeline:
    """The viewer's timeline of the negotiation (``slug`` None: the only one stored), filtered.
    Bad filters are one-line errors naming the option: an unknown party or kind, --from after --to."""
    kinds = kinds_named(filters.kinds, f"{filters.flag}kind")
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        require(viewer, Action.SEE_NEGOTIATION, name)  # before reading: a stranger learns nothing
        stored = uow.repository.load(name)
    seen = visible(viewer, name, stored.negotiation)
    flag = f"{filters.flag}party"
    party = party_named(seen, filters.party, flag) if filters.party is not None else None
    found = select(entries_of(stored, seen), start=filters.start, end=filters.end, party=party, kinds=kinds)
    return Timeline(seen, tuple(found), party, kinds)


def for_command_line(
    database: Database, slug: str | None, *, user: str, filters: Filters = Filters()
) -> Timeline:
    """The timeline as the command line's local operator reads it (accord.security.policy.command_line)."""
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
    return timeline(database, command_line(user, name), name, filters)
