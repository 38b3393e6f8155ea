"""Adjusted Winner on the workbench (`accord adjusted-winner`): the mediator chooses two parties and
reads who gets each point, why, and what that means in the text. A choice the method cannot take (the
same party twice, a party without preferences) is said at the form, the choice kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from accord.errors import DomainError, EngineError
from accord.reports.fair_division import AdjustedWinnerView, exact, number, share
from accord.security.policy import Action, Viewer, require
from accord.services import workbench
from accord.services.fair_division import adjusted_winner
from accord.web.context import database, logged_in
from accord.web.form_problems import FormProblems
from accord.web.routes.pages import page
from accord.web.translations import said as _

pages = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]
Party = Annotated[str | None, Query(max_length=200)]


@pages.get("/n/{name}/adjusted-winner", response_class=HTMLResponse)
def adjusted_winner_page(
    request: Request, viewer: Who, name: str, a: Party = None, b: Party = None
) -> Response:
    """The two parties' form; with both chosen (or the negotiation's only two), the division."""
    require(viewer, Action.ANALYSE, name)
    seen = workbench.view(database(request), viewer, name).negotiation
    parties = seen.negotiating_parties
    if not a and not b and len(parties) == 2:
        a, b = parties[0].id, parties[1].id
    problems = FormProblems()
    result: AdjustedWinnerView | None = None
    if a or b:
        for field, chosen in (("a", a), ("b", b)):
            if not chosen:
                problems.add(field, _("choose the party"))
        known = {p.id for p in parties}
        for field, chosen in (("a", a), ("b", b)):
            if chosen and chosen not in known:
                problems.add(
                    field,
                    _("“%(chosen)s” is not one of the negotiating parties (%(names)s)")
                    % {"chosen": chosen, "names": ", ".join(p.name for p in parties)},
                )
        if not problems:
            assert a is not None and b is not None
            try:
                result = adjusted_winner(database(request), viewer, name, a, b)
            except (DomainError, EngineError) as error:
                # the field of the party the question fails for (one without preferences, or with no
                # weight to bid), else the second (the same party twice, nothing in dispute)
                party = error.party if isinstance(error, EngineError) else None
                problems.add("a" if party == a and a != b else "b", str(error))
    return page(
        request,
        "adjusted_winner.html",
        name,
        422 if problems else 200,
        negotiation=seen,
        parties=parties,
        chosen={"a": a or "", "b": b or ""},
        result=result,
        problems=problems,
        number=number,
        exact=exact,
        share=share,
    )
