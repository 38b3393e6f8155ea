"""What the API and the pages show of domain objects, as plain data."""

from __future__ import annotations

from typing import Any

from accord.analysis.standing import Standing
from accord.audit import AuditEntry
from accord.domain import Draft, Meeting, Negotiation, Paper
from accord.domain.diff import PointDiff, choice_text
from accord.domain.people import Person
from accord.domain.sources import Source
from accord.storage.accounts import Share


def draft_data(negotiation: Negotiation, draft: Draft) -> dict[str, Any]:
    return {
        "version": draft.version,
        "parent": draft.parent,
        "status": draft.status.value,
        "label": draft.label,
        "title": draft.title,
        "author": draft.author,
        "date": draft.date.isoformat() if draft.date else None,
        "note": draft.note,
        "circulated_to": list(draft.circulated_to),
        "points": [
            {
                "number": negotiation.point(pid).number,
                "point": pid,
                "title": negotiation.point(pid).title,
                "option": c.option,
                "text": choice_text(negotiation, pid, c),
            }
            for pid, c in sorted(draft.choices.items(), key=lambda item: negotiation.point(item[0]).number)
        ],
    }


def negotiation_data(slug: str, negotiation: Negotiation, revision: int) -> dict[str, Any]:
    latest = negotiation.latest_draft
    return {
        "name": slug,
        "title": negotiation.title,
        "revision": revision,
        "parties": [{"id": p.id, "name": p.name, "role": p.role.value} for p in negotiation.parties],
        "points": [
            {
                "number": p.number,
                "point": p.id,
                "title": p.title,
                "options": [{"key": o.key, "text": o.text} for o in p.options],
            }
            for p in sorted(negotiation.points, key=lambda p: p.number)
        ],
        "drafts": [d.version for d in negotiation.drafts],
        "latest_draft": latest.version if latest else None,
    }


def diff_data(points: list[PointDiff]) -> list[dict[str, Any]]:
    return [
        {
            "number": p.number,
            "point": p.point,
            "title": p.title,
            "change": p.change.value,
            "before": p.before,
            "after": p.after,
            "words": [{"op": w.op.value, "text": w.text} for w in p.words],
        }
        for p in points
    ]


def draft_says(standing: Standing) -> dict[str, str]:
    """Per point of the standing's draft, what the draft says on it: its option's text, or its own."""
    draft = standing.draft
    if draft is None:
        return {}
    return {
        p.point: choice_text(standing.negotiation, p.point, draft.choices[p.point])
        for p in standing.points
        if p.point in draft.choices
    }


def stance_notes(standing: Standing) -> dict[tuple[str, str], str]:
    """(party, point) -> the note of the party's current stance on the point of the standing's draft, for
    the stances the seat sees (the standing holds no other: accord.security.policy)."""
    if standing.draft is None:
        return {}
    return {
        (s.party, s.point): s.note for s in standing.negotiation.stances_on(standing.draft.version) if s.note
    }


def matrix_data(standing: Standing) -> dict[str, Any]:
    says = draft_says(standing)
    notes = stance_notes(standing)
    return {
        "draft": standing.draft.version if standing.draft else None,
        "parties": list(standing.parties),
        "points": [
            {
                "number": p.number,
                "point": p.point,
                "title": p.title,
                "text": says.get(p.point),
                "stances": {k: (v.value if v else None) for k, v in p.stances.items()},
                "notes": {k: notes[(k, p.point)] for k in p.stances if (k, p.point) in notes},
            }
            for p in standing.points
        ],
    }


def meeting_data(meeting: Meeting, papers: tuple[Paper, ...]) -> dict[str, Any]:
    # the papers it lists, then those recorded with it as their meeting (as Negotiation.papers_at)
    by_id = {p.id: p for p in papers}
    keys = [*meeting.papers, *(p.id for p in papers if p.meeting == meeting.id)]
    handed = [by_id[k] for k in dict.fromkeys(keys) if k in by_id]
    return {
        "id": meeting.id,
        "date": meeting.date.isoformat() if meeting.date else None,
        "when": meeting.when,
        "place": meeting.place,
        "status": meeting.status.value,
        "reason": meeting.reason,
        "outcome": meeting.outcome,
        "participants": list(meeting.participants),
        "drafts": list(meeting.drafts),
        "papers": [{"id": p.id, "title": p.title} for p in handed],
        "start": meeting.start.isoformat(timespec="minutes") if meeting.start else None,
        "duration_minutes": round(meeting.duration.total_seconds() / 60) if meeting.duration else None,
        "channel": meeting.channel.value if meeting.channel else None,
        "date_approx": meeting.date_approx,
        "people": [{"person": a.person, "note": a.note} for a in meeting.people],
        "leads": dict(meeting.leads),
        "sources": list(meeting.sources),
        "history": [
            {
                "recorded_at": c.recorded_at,
                "recorded_by": c.recorded_by,
                "changes": {k: {"before": b, "after": a} for k, (b, a) in c.changes.items()},
                "reason": c.reason,
                "sources": list(c.sources),
            }
            for c in meeting.history
        ],
    }


def person_data(person: Person) -> dict[str, Any]:
    """A person as the seat sees it (policy.visible left the private note to the mediator)."""
    return {
        "id": person.id,
        "name": person.name,
        "party": person.party,
        "role": person.role,
        "lead": person.lead,
        "aliases": list(person.aliases),
        "note": person.note,
        "sources": list(person.sources),
    }


def source_data(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "outlet": source.outlet,
        "title": source.title,
        "url": source.url,
        "date": source.date.isoformat() if source.date else None,
        "quote": source.quote,
        "note": source.note,
    }


def share_data(share: Share) -> dict[str, Any]:
    return {
        "id": share.id,
        "party": share.party,
        "title": share.title,
        "content": share.content,
        "shared_at": share.shared_at,
        "shared_by": share.shared_by,
    }


def audit_data(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "recorded_at": entry.recorded_at,
        "actor": entry.actor,
        "action": entry.action,
        "summary": entry.summary,
        "hash": entry.hash,
    }
