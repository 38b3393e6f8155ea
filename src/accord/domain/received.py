"""A draft received from outside: a party's counter-text, recorded as a version of its own.

It amends nothing (it is the party's text, not the mediator's change of one), so it comes with no
amendments and no parent, and says what it says on every point: an option, or the party's own
wording. A point left out is a mistake in the record, not a silence of the text, and is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.domain.amendments import ID, ID_EXPECTED, find_point
from accord.domain.drafts import Choice, Draft, DraftStatus
from accord.domain.negotiation import Negotiation
from accord.errors import DomainError, NotFoundError

MISSING_SHOWN = 12
"""How many missing points the error names before it counts the rest (it stays one line)."""


def received_draft(
    negotiation: Negotiation,
    choices: Sequence[tuple[str, Choice]],
    *,
    author: str,
    title: str | None = None,
    label: str | None = None,
    date: dt.date | None = None,
    note: str | None = None,
) -> Draft:
    """Version n+1 (n = the newest version): ``author``'s text, its choice on every point of the
    framework given in ``choices`` as (point id or number, choice) pairs."""
    party = negotiation.party(author).id
    given: dict[str, Choice] = {}
    for ref, choice in choices:
        point = find_point(negotiation, ref)
        if point.id in given:
            raise DomainError(f"point {point.id!r} is given twice; give each point one option")
        if choice.option is not None and choice.text is not None:
            raise DomainError(f"point {point.id!r} is given an option and a text; give one of them")
        if choice.option is not None:
            if not ID.fullmatch(choice.option):
                raise DomainError(f"{choice.option!r} is not an option key; expected {ID_EXPECTED}")
            if not point.has_option(choice.option):
                known = ", ".join(point.option_keys)
                raise NotFoundError(f"point {point.id!r} has no option {choice.option!r} (options: {known})")
        elif not (choice.text and choice.text.strip()):
            raise DomainError(f"point {point.id!r} needs an option or a text")
        given[point.id] = choice
    missing = [p for p in sorted(negotiation.points, key=lambda p: p.number) if p.id not in given]
    if missing:
        named = ", ".join(f"{p.number} ({p.id})" for p in missing[:MISSING_SHOWN])
        more = f" and {len(missing) - MISSING_SHOWN} more" if len(missing) > MISSING_SHOWN else ""
        raise DomainError(
            f"a draft received must give every point an option; {len(missing)} missing: {named}{more}"
        )
    latest = negotiation.latest_draft
    order = {p.id: p.number for p in negotiation.points}
    return Draft(
        version=(latest.version if latest else 0) + 1,
        choices=dict(sorted(given.items(), key=lambda item: order[item[0]])),
        status=DraftStatus.DRAFT,
        parent=None,
        author=party,
        label=label,
        title=title,
        date=date,
        note=note,
    )
