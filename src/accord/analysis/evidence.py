"""What the record says about a party's preferences: the evidence the estimate learns from.

Five kinds, each a piece a mediator can name (``ref``):

- ``stance``: the party's current stance (accept, conditional, reject) on a point of a draft, on the
  option the draft chose there. Withdrawn and superseded stances are folded away as everywhere in
  accord (the newest record per draft, party and point counts); ``studying`` and ``no-position``
  say nothing about preferences; a point the draft leaves to free text or drops gives no evidence.
- ``statement``: something one of the party's people said, with a point and a stance, read as a
  stance on the statement's draft (or on the newest draft the party had received by then). A
  statement already adopted as a stance counts once, as that stance.
- ``authored``: a draft the party wrote itself (a counter-text recorded with ``accord draft record``):
  on each point it settles by an option, the party chose that option.
- ``red-line``: a red line the party declared, read as a ``reject`` of that option.
- ``draft``: the party's verdict on a whole draft it answered on at least half of the points of:
  ``accept`` when it rejected none of them, ``reject`` when it rejected any.

Pure: the negotiation in, a list out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accord.domain import Draft, Negotiation, Point, Role, Stance, StanceKind
from accord.domain.drafts import chronological
from accord.errors import DomainError

ANSWERS = ("reject", "conditional", "accept")
"""The stances that carry information, from worst to best (the ordered-logit's categories)."""

KINDS = ("stance", "statement", "authored", "red-line", "draft")


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about a party's preferences (see the module's docstring)."""

    kind: str  # "stance" | "statement" | "authored" | "red-line" | "draft"
    party: str
    point: str | None  # None for a whole draft
    option: str | None
    answer: (
        str | None
    )  # accept/conditional/reject (stance, statement; red-line: reject), accept/reject (draft)
    draft: int | None
    date: dt.date | None
    ref: str  # how a person would name it: "stance on point 21 of v3", "statement S-4 on point 2", ...


def current(stances: Iterable[Stance]) -> list[Stance]:
    """The stances in force: the last record per (draft, party, point) wins, in the order given (the
    order they were recorded in, as accord.storage folds the stance history). A negotiation loaded from
    the database holds only these already; a scenario file may list a point's stance more than once."""
    latest: dict[tuple[int, str, str], Stance] = {}
    for stance in stances:
        key = (stance.draft, stance.party, stance.point)
        latest.pop(key, None)
        latest[key] = stance
    return list(latest.values())


def _negotiating_party(negotiation: Negotiation, party: str) -> str:
    found = negotiation.party(party)
    if found.role is not Role.PARTY:
        raise DomainError(
            f"{found.id!r} is the negotiation's {found.role.value}; "
            "only the parties' preferences are estimated"
        )
    return found.id


def _version(draft: Draft) -> str:
    return f"v{draft.version}" + (f" ({draft.label})" if draft.label else "")


def evidence_of(
    negotiation: Negotiation, party: str, stances: Sequence[Stance] | None = None
) -> list[Evidence]:
    """Every piece of evidence about ``party``'s preferences in the record, in the order: stances,
    statements, authored drafts, red lines, whole drafts. ``stances`` replaces the negotiation's own
    (for a stance history read elsewhere); either way only the current ones count."""
    party = _negotiating_party(negotiation, party)
    points = {p.id: p for p in negotiation.points}
    drafts = {d.version: d for d in negotiation.drafts}
    mine = [
        s
        for s in current(negotiation.stances if stances is None else stances)
        if s.party == party and s.draft in drafts and s.point in points
    ]
    found: list[Evidence] = []

    def on_draft(kind: str, draft: Draft, point: Point, answer: str, date: dt.date | None, ref: str) -> None:
        choice = draft.choices.get(point.id)
        if choice is None or choice.option is None or not point.has_option(choice.option):
            return  # dropped, or left to free text: no option to judge
        found.append(Evidence(kind, party, point.id, choice.option, answer, draft.version, date, ref))

    for s in sorted(mine, key=lambda s: (s.draft, points[s.point].number)):
        if s.stance.value in ANSWERS:
            draft, point = drafts[s.draft], points[s.point]
            ref = f"stance on point {point.number} of {_version(draft)}"
            on_draft("stance", draft, point, s.stance.value, s.as_of or draft.date, ref)

    adopted = {s.evidence for s in current(negotiation.stances if stances is None else stances) if s.evidence}
    for statement in sorted(negotiation.statements, key=lambda s: (s.date, s.id)):
        speaker = next((p for p in negotiation.people if p.id == statement.person), None)
        if speaker is None or speaker.party != party or statement.id in adopted:
            continue
        if statement.stance is None or statement.stance.value not in ANSWERS:
            continue
        spoken_of = _draft_of_statement(negotiation, party, statement.draft, statement.date)
        if spoken_of is None:
            continue
        for point_id in statement.points:
            if point_id in points:
                point = points[point_id]
                ref = f"statement {statement.id} on point {point.number} ({_version(spoken_of)})"
                on_draft("statement", spoken_of, point, statement.stance.value, statement.date, ref)

    for draft in sorted(negotiation.drafts, key=lambda d: d.version):
        if draft.author != party:
            continue
        for point in sorted(negotiation.points, key=lambda p: p.number):
            choice = draft.choices.get(point.id)
            if choice is not None and choice.option is not None and point.has_option(choice.option):
                ref = f"its own text {_version(draft)}, point {point.number}"
                found.append(
                    Evidence("authored", party, point.id, choice.option, None, draft.version, draft.date, ref)
                )

    prefs = negotiation.preferences.get(party)
    for line in prefs.red_lines if prefs else ():
        if line.point in points and points[line.point].has_option(line.option):
            point = points[line.point]
            ref = f"declared red line on point {point.number} ({point.option(line.option).text})"
            found.append(Evidence("red-line", party, line.point, line.option, "reject", None, None, ref))

    by_draft: dict[int, list[StanceKind]] = {}
    for s in mine:
        if s.stance.value in ANSWERS and s.point in drafts[s.draft].choices:
            by_draft.setdefault(s.draft, []).append(s.stance)
    for version, answers in sorted(by_draft.items()):
        draft = drafts[version]
        if not draft.package() or 2 * len(answers) < len(draft.choices):
            continue
        verdict = "reject" if StanceKind.REJECT in answers else "accept"
        ref = f"verdict on {_version(draft)} as a whole"
        found.append(Evidence("draft", party, None, None, verdict, version, draft.date, ref))
    return found


def _draft_of_statement(
    negotiation: Negotiation, party: str, version: int | None, date: dt.date
) -> Draft | None:
    """The draft a statement speaks of: the one it names, else the newest the party had received by the
    statement's date (an undated draft counts as received; with no circulation recorded, every draft)."""
    if version is not None:
        return next((d for d in negotiation.drafts if d.version == version), None)
    received = [d for d in negotiation.drafts if party in d.circulated_to or d.author == party]
    if not any(d.circulated_to for d in negotiation.drafts):
        received = list(negotiation.drafts)
    known = [d for d in received if d.date is None or d.date <= date]
    ordered = chronological(known)
    return ordered[-1] if ordered else None
