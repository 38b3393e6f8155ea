"""The stance history page: `accord stance history` on the workbench.

Every entry ever recorded on a party's stances, oldest first: new stances, corrections and
withdrawals, each said in words with when the party took it, when and by whom it was recorded, why it
was corrected or withdrawn, what became of it and the sources it cites. The seat sees what
accord.services.stance_history lets it (its own party's; the mediator every party's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from accord.domain import Negotiation, Source, StanceKind
from accord.security.policy import Viewer
from accord.services.stance_history import stance_history
from accord.services.stances import Entry
from accord.web.context import database, logged_in
from accord.web.routes.pages import page
from accord.web.translations import N_, words
from accord.wording import plural_name

pages = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]

# a stance as a verb of its party ("Russia accepts point 7 ..."): words of the catalogue
VERBS = {
    StanceKind.ACCEPT: N_("accepts"),
    StanceKind.CONDITIONAL: N_("accepts on a condition"),
    StanceKind.REJECT: N_("rejects"),
    StanceKind.STUDYING: N_("is studying"),
    StanceKind.NO_POSITION: N_("takes no position on"),
}
# the same of a party named in the plural ("European states (E3/EU) reject ...": wording.plural_name)
PLURAL_VERBS = {
    StanceKind.ACCEPT: N_("accept"),
    StanceKind.CONDITIONAL: N_("accept on a condition"),
    StanceKind.REJECT: N_("reject"),
    StanceKind.STUDYING: N_("are studying"),
    StanceKind.NO_POSITION: N_("take no position on"),
}
# an entry's kind (accord.services.stances.Entry.kind) as a noun
NOUNS = {"set": N_("a stance"), "correction": N_("a correction"), "withdrawal": N_("a withdrawal")}
Words = Callable[[str], str]


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class Line:
    """One entry as the page shows it."""

    id: int
    kind: str  # set, correction or withdrawal
    words: str
    as_of: str
    recorded_at: str
    recorded_by: str
    reason: str | None
    evidence: str | None
    sources: tuple[Source, ...]
    now: str
    current: bool


def in_words(entry: Entry, negotiation: Negotiation, kinds: dict[int, str], _: Words = _same) -> str:
    """What the entry records, as a sentence; ``kinds``: every shown entry's kind, by id; ``_``: the
    page's words (accord.web.translations)."""
    r = entry.record
    s = r.stance
    name = _party_name(negotiation, s.party)
    plural = plural_name(name)
    said = {
        "party": name,
        "verb": _((PLURAL_VERBS if plural else VERBS)[s.stance]),
        "point": _point_words(negotiation, s.point, _),
        "version": s.draft,
    }
    if r.withdrawn:
        said["which"] = f"#{r.supersedes}" if r.supersedes is not None else _("its stance")
        if plural:
            return (
                _(
                    "Withdraws %(which)s (%(party)s %(verb)s %(point)s of draft v%(version)s): "
                    "%(party)s hold no stance on the point from now on."
                )
                % said
            )
        return (
            _(
                "Withdraws %(which)s (%(party)s %(verb)s %(point)s of draft v%(version)s): "
                "%(party)s holds no stance on the point from now on."
            )
            % said
        )
    sentence = _("%(party)s %(verb)s %(point)s of draft v%(version)s.") % said
    if s.note:
        sentence += " " + _("Note: “%(note)s”") % {"note": s.note}
    if r.supersedes is not None:
        was = NOUNS.get(kinds.get(r.supersedes, ""))
        if was:
            return _("Corrects #%(id)s (%(was)s): %(said)s") % {
                "id": r.supersedes,
                "was": _(was),
                "said": sentence,
            }
        return _("Corrects #%(id)s: %(said)s") % {"id": r.supersedes, "said": sentence}
    return sentence


def what_became(entry: Entry, kinds: dict[int, str], _: Words = _same) -> str:
    if entry.record.withdrawn:
        return _("a withdrawal: no stance holds since")
    if entry.superseded_by is None:
        return _("holds now")
    later = _(NOUNS.get(kinds.get(entry.superseded_by, ""), N_("a later entry")))
    return _("superseded by #%(id)s (%(later)s)") % {"id": entry.superseded_by, "later": later}


def _party_name(negotiation: Negotiation, party: str) -> str:
    return next((p.name for p in negotiation.parties if p.id == party), party)


def _point_words(negotiation: Negotiation, point: str, _: Words = _same) -> str:
    found = next((p for p in negotiation.points if p.id == point), None)
    if found:
        return _("point %(number)s (%(title)s)") % {"number": found.number, "title": found.title}
    return _("point %(id)s") % {"id": point}


def lines(entries: tuple[Entry, ...], negotiation: Negotiation, _: Words = _same) -> list[Line]:
    kinds = {e.record.id: e.kind for e in entries}
    return [
        Line(
            id=e.record.id,
            kind=e.kind,
            words=in_words(e, negotiation, kinds, _),
            as_of=e.record.stance.as_of.isoformat() if e.record.stance.as_of else "",
            recorded_at=e.record.recorded_at[:16].replace("T", " "),
            recorded_by=e.record.recorded_by,
            reason=e.record.reason,
            evidence=e.record.stance.evidence,
            sources=e.sources,
            now=what_became(e, kinds, _),
            current=e.current,
        )
        for e in entries
    ]


@pages.get("/n/{name}/stances/history", response_class=HTMLResponse)
def history_page(
    request: Request,
    viewer: Who,
    name: str,
    party: Annotated[str | None, Query(max_length=200)] = None,
    point: Annotated[str | None, Query(max_length=200)] = None,
    draft: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Every stance entry the seat may see (a party, a point, a draft: only those)."""
    found = stance_history(
        database(request), viewer, name, party=party or None, point=point or None, version=draft
    )
    seen = found.negotiation
    return page(
        request,
        "stance_history.html",
        name,
        negotiation=seen,
        history=found,
        lines=lines(found.entries, seen, words(request)),
        party_names={p.id: p.name for p in seen.parties},
        points=sorted(seen.points, key=lambda p: p.number),
        drafts=sorted(seen.drafts, key=lambda d: d.version, reverse=True),
        filtered=bool(party or point or draft),
    )
