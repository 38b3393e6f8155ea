"""The briefing's common words: what the record says of the drafts, the answers and the chronology,
as the mediator's and a party's briefings both put it (accord.reports.brief_mediator and
accord.reports.brief_party build their sections from these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.analysis.timeline import Entry
from accord.domain import Draft, DraftStatus, Negotiation, StanceKind
from accord.domain.diff import Change, diff_drafts
from accord.domain.drafts import chronological
from accord.reports import brief_charts
from accord.reports.briefing import (
    STANCE_WORDS,
    Block,
    Bullets,
    Figure,
    Paragraph,
    Table,
    stance_legend,
    tone_of,
)
from accord.wording import listed

CONCEPT_WORDS = {
    "nash": ("Nash bargaining solution", "the package that maximises the product of the parties' gains"),
    "kalai-smorodinsky": (
        "Kalai–Smorodinsky solution",
        "each party gets the same share of the most it could hope for",
    ),
    "egalitarian": ("egalitarian solution", "the worst-off party's gain is as large as it can be"),
    "utilitarian": ("utilitarian solution", "the parties' utilities add up to the most"),
}
LISTED = 8  # entries of the chronology listed at most
listing = listed  # "A, B and C" (accord.wording), by the name the briefing's modules call it


# -- shared pieces ------------------------------------------------------------------------------------


def draft_name(draft: Draft) -> str:
    """ "draft D" for a short label, "draft 2 (Formateur's amended paper)" for a long one."""
    if draft.label and len(draft.label) <= 12:
        return f"draft {draft.label}"
    return f"draft {draft.version}" + (f" ({draft.label})" if draft.label else "")


def status_words(negotiation: Negotiation, draft: Draft) -> str:
    """Where the draft stands, in words: "circulated to Ukraine and Russian Federation", "not yet
    circulated", "since withdrawn", "now agreed"."""
    to = listing([party_name(negotiation, p) for p in draft.circulated_to])
    if draft.status is DraftStatus.CIRCULATED:
        return f"circulated to {to}" if to else "circulated"
    if draft.status is DraftStatus.WITHDRAWN:
        return f"since withdrawn (it was circulated to {to})" if to else "since withdrawn"
    if draft.status is DraftStatus.AGREED:
        return "now agreed"
    return f"handed to {to} but not yet marked circulated" if to else "not yet circulated"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def party_name(negotiation: Negotiation, party: str) -> str:
    return next((p.name for p in negotiation.parties if p.id == party), party)


def previous(negotiation: Negotiation, draft: Draft) -> Draft | None:
    ordered = chronological(negotiation.drafts)
    at = next(i for i, d in enumerate(ordered) if d.version == draft.version)
    return ordered[at - 1] if at > 0 else None


def latest(negotiation: Negotiation) -> Draft | None:
    ordered = chronological(negotiation.drafts)
    return ordered[-1] if ordered else None


def said(negotiation: Negotiation, draft: Draft, point: str) -> str:
    choice = draft.choices.get(point)
    if choice is None:
        return "(not in this draft)"
    if choice.option is not None:
        return negotiation.point(point).option(choice.option).text
    return choice.text or "(left open)"


def answers_on(negotiation: Negotiation, version: int) -> dict[tuple[str, str], StanceKind]:
    return {(s.party, s.point): s.stance for s in negotiation.stances_on(version)}


def in_window(entries: Sequence[Entry], since: dt.date | None, as_of: dt.date) -> list[Entry]:
    return [e for e in entries if e.day is not None and e.day <= as_of and (since is None or e.day >= since)]


# an entry of the timeline in words, where its kind alone would mislead: a stance entry is one party's
# answers on one draft (many stances), a circulation one draft handed to some parties
_ENTRY_WORDS = {
    "stance": ("party's answers to a draft", "sets of answers to a draft"),
    "circulation": ("draft handed over", "drafts handed over"),
}


def _entries(kind: str, count: int) -> str:
    one, many = _ENTRY_WORDS.get(kind, (kind, kind + "s"))
    return f"{count} {one if count == 1 else many}"


def happened(entries: Sequence[Entry], since: dt.date | None, as_of: dt.date) -> list[Block]:
    """What happened since ``since`` (or lately), from the chronology."""
    window = in_window(entries, since, as_of)
    if not window:
        if since is not None:
            return [
                Paragraph(
                    f"The record holds nothing dated between {since.isoformat()} and {as_of.isoformat()}."
                )
            ]
        return []
    kinds: dict[str, int] = {}
    for e in window:
        kinds[e.kind.value] = kinds.get(e.kind.value, 0) + 1
    counted = listing([_entries(kind, n) for kind, n in sorted(kinds.items())])
    shown = window[-LISTED:]
    latest = f" The {len(shown)} most recent:" if len(shown) < len(window) else ""
    lead = (
        f"Since {since.isoformat()} the record holds {counted}.{latest}"
        if since is not None
        else f"The record holds {counted}.{latest or ' In date order:'}"
    )
    more = ""
    return [Paragraph(lead + more), Bullets(tuple(f"{e.when}: {e.summary}" for e in shown))]


def statements(negotiation: Negotiation, since: dt.date | None, limit: int = 6) -> list[Block]:
    """The latest statements: the speaker's recorded words (the quote) alone inside quotation marks;
    the record's summary, if any, after them and outside them, said to be the summary."""
    chosen = sorted(
        (s for s in negotiation.statements if since is None or s.date >= since), key=lambda s: s.date
    )[-limit:]
    if not chosen:
        return []
    people = {p.id: p for p in negotiation.people}
    sources = {s.id: s for s in negotiation.sources}
    items = []
    for s in chosen:
        person = people.get(s.person)
        who = person.name if person else s.person
        if person and person.party:
            who += f" ({party_name(negotiation, person.party)})"
        cited = [sources[k] for k in s.sources if k in sources]
        where = "; ".join(" — ".join(x for x in (c.outlet, c.title, c.url) if x) or c.id for c in cited)
        quote = s.quote.strip()
        summary = (s.summary or "").strip() or quote
        items.append(
            f"{s.date.isoformat()}, {who}: "
            + (f"“{quote}”" if quote else "(no words recorded)")
            + (f" (source: {where})" if where else " (no source recorded)")
            + (f". The record's summary, not their words: {_sentence(summary)}" if summary != quote else "")
        )
    return [
        Paragraph("What was said, with its sources (in quotation marks, the words on record):"),
        Bullets(tuple(items)),
    ]


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?…" else text + "."


def stance_table(negotiation: Negotiation, draft: Draft, parties: Sequence[str]) -> Table:
    stances = answers_on(negotiation, draft.version)
    rows, tones = [], []
    for point in sorted(negotiation.points, key=lambda p: p.number):
        if point.id not in draft.choices:
            continue
        cells = [stances.get((party, point.id)) for party in parties]
        rows.append(
            (
                str(point.number),
                point.title,
                said(negotiation, draft, point.id),
                *(STANCE_WORDS[c] for c in cells),
            )
        )
        tones.append(("", "", "", *(tone_of(c) for c in cells)))
    return Table(
        f"Each party's answer, point by point, on {draft_name(draft)}: {stance_legend()}",
        ("#", "Point", "The draft says", *(party_name(negotiation, p) for p in parties)),
        tuple(rows),
        tuple(tones),
    )


def tally(negotiation: Negotiation, draft: Draft, parties: Sequence[str]) -> dict[str, int]:
    stances = answers_on(negotiation, draft.version)
    points = [p for p in draft.choices]
    agreed = sum(all(stances.get((q, p)) is StanceKind.ACCEPT for q in parties) for p in points)
    contested = sum(
        any(stances.get((q, p)) in (StanceKind.REJECT, StanceKind.CONDITIONAL) for q in parties)
        for p in points
    )
    waiting = sum(any((q, p) not in stances for q in parties) for p in points)
    return {"points": len(points), "agreed": agreed, "contested": contested, "waiting": waiting}


def changes(negotiation: Negotiation, draft: Draft, parties: Sequence[str]) -> list[Block]:
    before = previous(negotiation, draft)
    if before is None:
        return [Paragraph(f"{cap(draft_name(draft))} is the first text on record.")]
    changed = [d for d in diff_drafts(negotiation, before, draft) if d.change is not Change.UNCHANGED]
    blocks: list[Block] = []
    if changed:
        blocks.append(Paragraph(f"What {draft_name(draft)} changed from {draft_name(before)}:"))
        blocks.append(
            Bullets(
                tuple(
                    f"point {d.number} ({d.title}): "
                    + (
                        f"added: “{d.after}”"
                        if d.change is Change.ADDED
                        else f"dropped (was “{d.before}”)"
                        if d.change is Change.DROPPED
                        else f"“{d.before}” became “{d.after}”"
                    )
                    for d in changed
                )
            )
        )
    else:
        blocks.append(
            Paragraph(f"{cap(draft_name(draft))} says on every point what {draft_name(before)} said.")
        )
    old, new = answers_on(negotiation, before.version), answers_on(negotiation, draft.version)
    moved = []
    for party in parties:
        for point in sorted(negotiation.points, key=lambda p: p.number):
            a, b = old.get((party, point.id)), new.get((party, point.id))
            if a is not None and b is not None and a is not b:
                moved.append(
                    f"{party_name(negotiation, party)} on point {point.number} ({point.title}): "
                    f"{STANCE_WORDS[a].split(' ', 1)[1]} → {STANCE_WORDS[b].split(' ', 1)[1]}"
                )
    if moved:
        blocks += [Paragraph("Answers that changed from the previous draft:"), Bullets(tuple(moved))]
    return blocks


def percent(value: float) -> str:
    return "less than 1%" if 0 < value < 0.005 else f"{value:.0%}"


def answers_chart(negotiation: Negotiation, parties: Sequence[str]) -> Figure:
    return brief_charts.answers(
        negotiation,
        parties,
        "The answers, draft by draft in date order: a panel per party, a row per point, each cell the "
        f"answer in colour and symbol ({stance_legend()}).",
    )
