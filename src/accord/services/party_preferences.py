"""A party's preferences as the party may see and change them (scenario-format fragments).

A party sees its preferences only on the points it may see (accord.security.policy.points_of): a
point added in a draft never circulated to it is not named, not even as a weight key. When the party
edits its preferences, its values on the points it cannot see are kept as they were; the edit is
checked as the party sees the negotiation, so an error names only the party's own fields and points;
a problem anywhere else (another party's preferences, a draft the party never received) comes back
as one generic message.
"""

from __future__ import annotations

from typing import Any

from accord.domain import Negotiation
from accord.errors import Problem, ScenarioError
from accord.scenario.yaml_format import check_document

ELSEWHERE = (
    "nothing was saved: the change clashes with a part of the negotiation outside your preferences; "
    "ask the mediator to look into it"
)

Seen = frozenset[str] | None  # the point ids the editor sees; None: every point (the mediator)


def _on(seen: frozenset[str], point: Any, inside: bool) -> bool:
    return (point in seen) is inside


def _row_on(seen: frozenset[str], row: Any, inside: bool) -> bool:
    """A red line or a link on the points seen (``inside``) or not; a malformed row counts as seen (the
    check reports it to the editor)."""
    if not isinstance(row, dict):
        return inside
    if "requires" in row:
        return _link_seen(row, seen) is inside
    return _on(seen, row.get("point"), inside)


def _part(entry: dict[str, Any], seen: frozenset[str], inside: bool) -> dict[str, Any]:
    """The entry's values on the points seen (``inside``) or on the others."""
    part: dict[str, Any] = {}
    for field in ("weights", "scores"):
        if isinstance(entry.get(field), dict):
            part[field] = {k: v for k, v in entry[field].items() if _on(seen, k, inside)}
    for field in ("red_lines", "links"):
        if isinstance(entry.get(field), list):
            part[field] = [row for row in entry[field] if _row_on(seen, row, inside)]
    if isinstance(entry.get("uncertainty"), dict):
        spread = dict(entry["uncertainty"])
        for field in ("weights", "scores"):
            if isinstance(spread.get(field), dict) and "dirichlet" not in spread[field]:
                spread[field] = {k: v for k, v in spread[field].items() if _on(seen, k, inside)}
        part["uncertainty"] = spread
    return part


def _link_seen(link: dict[str, Any], seen: frozenset[str]) -> bool:
    requires = link.get("requires")
    target = requires.get("point") if isinstance(requires, dict) else None
    return link.get("point") in seen and (target is None or target in seen)


def shown(entry: dict[str, Any], seen: Seen) -> dict[str, Any]:
    """A party's entry (or a fragment of it) on the points seen only."""
    return entry if seen is None else {**entry, **_part(entry, seen, True)}


def merged(old: dict[str, Any], fragment: dict[str, Any], seen: Seen) -> dict[str, Any]:
    """The party's entry after an edit: each field given replaces the old one on the points seen; the
    old values on the points not seen stay as they were."""
    entry = {**old, **fragment}
    if seen is None:
        return entry
    hidden = _part(old, seen, False)
    for field in ("weights", "scores"):
        if field in fragment and isinstance(entry.get(field), dict) and hidden.get(field):
            entry[field] = {**entry[field], **hidden[field]}
    for field in ("red_lines", "links"):
        if field in fragment and isinstance(entry.get(field), list) and hidden.get(field):
            entry[field] = [*entry[field], *hidden[field]]
    if "uncertainty" in fragment and isinstance(entry.get("uncertainty"), dict):
        entry["uncertainty"] = _spread_merged(entry["uncertainty"], hidden.get("uncertainty"))
    return entry


def _spread_merged(spread: dict[str, Any], hidden: Any) -> dict[str, Any]:
    """An uncertainty block as edited, with the old distributions on the points not seen kept."""
    spread = dict(spread)
    for field in ("weights", "scores"):
        kept = hidden.get(field) if isinstance(hidden, dict) else None
        if not isinstance(kept, dict) or not kept or "dirichlet" in kept:
            continue
        mine = spread.get(field)
        if mine is None:
            spread[field] = kept
        elif isinstance(mine, dict) and "dirichlet" not in mine:
            spread[field] = {**mine, **kept}
    return spread


def _own(problem: Problem, party: str) -> bool:
    prefix = f"parties.{party}"
    return problem.path == prefix or problem.path.startswith(prefix + ".")


def checked(
    document: dict[str, Any], party: str, fragment: dict[str, Any], seen: Seen, *, file: str
) -> Negotiation:
    """The negotiation (``document``, in the scenario format) with ``party``'s preferences changed by
    ``fragment``, validated as a file would be. ScenarioError: for an editor who sees everything, every
    problem; for anyone else, the problems in the party's own preferences as the editor sees the
    negotiation, or else one generic problem."""
    old = document["parties"][party]
    full = {**document, "parties": {**document["parties"], party: merged(old, fragment, seen)}}
    if seen is None:
        return check_document(full, file=file)
    # the fragment as given, on the negotiation as the editor sees it: a point it may not see is, in
    # what it is told, a point that does not exist
    view = {
        **document,
        "points": [p for p in document["points"] if p.get("id") in seen],
        "parties": {**document["parties"], party: {**shown(old, seen), **fragment}},
    }
    try:
        check_document(view, file=file)
    except ScenarioError as error:
        own = [p for p in error.problems if _own(p, party)]
        if own:
            raise ScenarioError(own) from None
    try:
        return check_document(full, file=file)
    except ScenarioError:
        raise ScenarioError([Problem(file, "", ELSEWHERE)]) from None
