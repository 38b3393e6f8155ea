"""The stance history page: `accord stance history` on the workbench.

Every entry ever recorded on a party's stances, oldest first: new stances, corrections and
withdrawals, each said in words with when the party took it, when and by whom it was recorded, why it
was corrected or withdrawn, what became of it and the sources it cites. The seat sees what
accord.services.stance_history lets it (its own party's; the mediator every party's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from accord.domain import Negotiation, Source
from accord.reports.stance_words import Words, in_words, source_words, what_became
from accord.security.policy import Viewer
from accord.services.stance_history import stance_history
from accord.services.stances import Entry
from accord.web.context import database, logged_in
from accord.web.routes.pages import page
from accord.web.translations import words

pages = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]


@dataclass(frozen=True)
class SourceLine:
    """A source an entry cites, in the words `accord stance history` gives it (stance_words), with its
    web address to link to (None: it has none, or none a browser opens safely)."""

    words: str
    link: str | None

    @classmethod
    def of(cls, source: Source) -> SourceLine:
        url = source.url
        return cls(source_words(source), url if url and url.startswith(("https://", "http://")) else None)


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
    sources: tuple[SourceLine, ...]
    now: str
    current: bool


def lines(entries: tuple[Entry, ...], negotiation: Negotiation, _: Words = str) -> list[Line]:
    kinds = {e.record.id: e.kind for e in entries}
    return [
        Line(
            id=e.record.id,
            kind=e.kind,
            words=in_words(e.record, negotiation, kinds, _),
            as_of=e.record.stance.as_of.isoformat() if e.record.stance.as_of else "",
            recorded_at=e.record.recorded_at[:16].replace("T", " "),
            recorded_by=e.record.recorded_by,
            reason=e.record.reason,
            evidence=e.record.stance.evidence,
            sources=tuple(SourceLine.of(s) for s in e.sources),
            now=what_became(e.record, e.superseded_by, kinds, _),
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
