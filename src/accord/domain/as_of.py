"""The record as it stood on a day: what had happened by then, and nothing later.

A briefing "as of" a date reads the negotiation cut this way. A fact is kept when it is dated on or
before the day; a stance is dated by when the party took it (``as_of``), or else by its draft's
date; a fact without any date is kept (the record cannot place it later), and the cut says how many
such facts it kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from accord.domain.negotiation import Negotiation


@dataclass(frozen=True)
class Cut:
    negotiation: Negotiation
    day: dt.date
    dropped: int  # facts dated after the day
    undated: int  # facts without a date, kept


def last_dated(negotiation: Negotiation) -> dt.date | None:
    """The day of the latest dated fact on record (a draft, a stance, a meeting, a paper, a statement,
    an event); None when nothing is dated."""
    n = negotiation
    days = [
        *(d.date for d in n.drafts),
        *(s.as_of for s in n.stances),
        *(m.date for m in n.meetings),
        *(p.date for p in n.papers),
        *(s.date for s in n.statements),
        *(e.date for e in n.events),
    ]
    known = [d for d in days if d is not None]
    return max(known) if known else None


def _kept(day: dt.date | None, cut: dt.date) -> bool:
    return day is None or day <= cut


def record_as_of(negotiation: Negotiation, day: dt.date) -> Cut:
    """``negotiation`` as it stood at the end of ``day``."""
    n = negotiation
    drafts = tuple(d for d in n.drafts if _kept(d.date, day))
    versions = {d.version for d in drafts}
    dated = {d.version: d.date for d in n.drafts}
    stances = tuple(
        s
        for s in n.stances
        if s.draft in versions and _kept(s.as_of if s.as_of is not None else dated.get(s.draft), day)
    )
    meetings = tuple(
        replace(m, drafts=tuple(v for v in m.drafts if v in versions))
        for m in n.meetings
        if _kept(m.date, day)
    )
    held = {m.id for m in meetings}
    papers = tuple(
        replace(p, related_drafts=tuple(v for v in p.related_drafts if v in versions))
        for p in n.papers
        if _kept(p.date, day)
        and (p.draft is None or p.draft in versions)
        and (p.meeting is None or p.meeting in held)
    )
    statements = tuple(s for s in n.statements if s.date <= day and (s.draft is None or s.draft in versions))
    events = tuple(e for e in n.events if _kept(e.date, day) and (e.draft is None or e.draft in versions))
    kept = replace(
        n,
        drafts=tuple(replace(d, parent=d.parent if d.parent in versions else None) for d in drafts),
        stances=stances,
        meetings=meetings,
        papers=papers,
        statements=statements,
        events=events,
    )
    before = (
        len(n.drafts) + len(n.stances) + len(n.meetings) + len(n.papers) + len(n.statements) + len(n.events)
    )
    after = len(drafts) + len(stances) + len(meetings) + len(papers) + len(statements) + len(events)
    undated = (
        sum(d.date is None for d in drafts)
        + sum(m.date is None for m in meetings)
        + sum(p.date is None for p in papers)
        + sum(e.date is None for e in events)
    )
    return Cut(kept, day, before - after, undated)


EARLIEST_ZONE = dt.timedelta(hours=14)
"""How far ahead of UTC the clock runs somewhere (UTC+14, Kiribati's Line Islands)."""


def today_somewhere(now: str) -> dt.date:
    """The latest day it is anywhere on Earth at ``now`` (an ISO timestamp in UTC): a date not after
    it has begun for someone, so a mediator east of UTC is never told, after their midnight, that
    their own today is "after today"."""
    return (dt.datetime.fromisoformat(now[:19]) + EARLIEST_ZONE).date()


def dated_after(day: dt.date, now: str, option: str, why: str) -> str | None:
    """Why ``day`` cannot be recorded as having happened (None when it can): it is after today."""
    if day > today_somewhere(now):
        return f"{option}: {day.isoformat()} is after today; {why}"
    return None
