"""The mediator's estimates of a party's preferences, read and changed from the command line.

`accord preferences show/set` name points by number, id or title and options by key or text, as typed
at a terminal; this module turns those names into the scenario format's ids and hands the change to the
web form's own use case (accord.services.workbench.update_preferences): the same policy check, the same
validation (accord.services.party_preferences: every problem with its field path) and the same audit
entry. The command line acts as the local operator (accord.security.policy.command_line).

A change is all or nothing: a name that does not exist or a value the validator refuses writes nothing.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.domain import Negotiation, Point
from accord.domain.amendments import find_point
from accord.errors import DomainError, NotFoundError
from accord.security.policy import Viewer, command_line
from accord.services import workbench
from accord.storage.database import Database
from accord.storage.unit_of_work import reading

# a distribution as typed, KIND:NUMBERS, and the scenario format's mapping it stands for
_DISTRIBUTIONS = {"range": 2, "uniform": 2, "triangular": 3, "normal": 4}


@dataclass(frozen=True)
class Change:
    """What `accord preferences set` was given, as typed: each pair or triple names a point (number,
    id or title), an option (key or text) where it needs one, and the value as text."""

    weights: Sequence[tuple[str, str]] = ()
    scores: Sequence[tuple[str, str, str]] = ()
    red_lines: Sequence[tuple[str, str]] = ()
    lifted_red_lines: Sequence[tuple[str, str]] = ()
    reservation_value: str | None = None
    weight_concentration: str | None = None  # uncertainty: the weights vary together (Dirichlet)
    uncertain_weights: Sequence[tuple[str, str]] = ()
    uncertain_scores: Sequence[tuple[str, str, str]] = ()
    uncertain_reservation_value: str | None = None

    @property
    def empty(self) -> bool:
        texts = (self.reservation_value, self.weight_concentration, self.uncertain_reservation_value)
        lists = (
            self.weights,
            self.scores,
            self.red_lines,
            self.lifted_red_lines,
            self.uncertain_weights,
            self.uncertain_scores,
        )
        return all(text is None for text in texts) and not any(lists)


@dataclass(frozen=True)
class Estimates:
    """A party's preferences as the mediator estimates them (scenario-format fields, by id)."""

    slug: str
    negotiation: Negotiation
    party: str
    revision: int
    preferences: dict[str, Any]


def show(database: Database, slug: str | None, party: str, *, user: str) -> Estimates:
    name, viewer = _operator(database, slug, user)
    seen = workbench.view(database, viewer, name)
    party_id = _party(seen.negotiation, party)
    fields = workbench.preferences(database, viewer, name, party_id)
    return Estimates(name, seen.negotiation, party_id, seen.revision, fields)


def change(
    database: Database,
    slug: str | None,
    party: str,
    given: Change,
    *,
    user: str,
    expected_revision: int | None = None,
) -> Estimates:
    """Apply ``given`` to the party's preferences. Without ``expected_revision`` the revision read here
    is expected, so a change made by someone else meanwhile is never overwritten unseen."""
    old = show(database, slug, party, user=user)  # the record and the party first, then what to do
    if given.empty:
        raise DomainError("nothing to change: give --weight, --score, --red-line, --reservation-value, ...")
    fragment = _fragment(old.negotiation, old.preferences, given)
    viewer = command_line(user, old.slug)
    workbench.update_preferences(
        database,
        viewer,
        old.slug,
        old.party,
        fragment,
        expected_revision=old.revision if expected_revision is None else expected_revision,
    )
    return show(database, old.slug, old.party, user=user)


def _operator(database: Database, slug: str | None, user: str) -> tuple[str, Viewer]:
    if slug is None:
        with reading(database) as uow:
            slug = uow.repository.default_slug()
    return slug, command_line(user, slug)


def _party(negotiation: Negotiation, ref: str) -> str:
    """A party by id or by name (any case)."""
    for party in negotiation.parties:
        if ref in (party.id, party.name) or ref.casefold() == party.name.casefold():
            return party.id
    known = negotiation.known_parties
    raise NotFoundError(f"negotiation {negotiation.id!r} has no party {ref!r} (parties: {known})")


def _point(negotiation: Negotiation, ref: str, flag: str) -> Point:
    """A point by number, id or title (any case)."""
    try:
        return find_point(negotiation, ref.strip())
    except NotFoundError as error:
        wanted = " ".join(ref.split()).casefold()
        for point in negotiation.points:
            if " ".join(point.title.split()).casefold() == wanted:
                return point
        raise NotFoundError(f"{flag}: {error}") from None


def _option(point: Point, ref: str, flag: str) -> str:
    """An option's key, from its key or its text (any case, spacing aside)."""
    if point.has_option(ref.strip()):
        return ref.strip()
    wanted = " ".join(ref.split()).casefold()
    for option in point.options:
        if " ".join(option.text.split()).casefold() == wanted:
            return option.key
    raise NotFoundError(
        f"{flag}: point {point.number} ({point.id}) has no option {ref!r} "
        f"(options by key or text: {', '.join(point.option_keys)})"
    )


def _number(text: str) -> float | str:
    """A finite number; anything else is left as typed, for the validator to name its field."""
    try:
        value = float(text)
    except ValueError:
        return text
    return (int(value) if value.is_integer() else value) if math.isfinite(value) else text


def distribution_from_text(text: str) -> dict[str, Any] | str:
    """``range:0:4``, ``uniform:0:4``, ``triangular:3:5:7``, ``normal:MEAN:SD:LOW:HIGH`` as the scenario
    format writes them; anything else is left as typed, for the validator to name its field."""
    kind, *parts = [part.strip() for part in text.split(":")]
    numbers = [_number(part) for part in parts]
    if _DISTRIBUTIONS.get(kind.lower()) != len(numbers):
        return text
    kind = kind.lower()
    if kind == "normal":
        return {"normal": {"mean": numbers[0], "sd": numbers[1], "range": numbers[2:]}}
    return {kind: numbers}


def distribution_text(spread: Any) -> str:
    """A distribution of the scenario format as :func:`distribution_from_text` reads it
    (``triangular:3:5:7``); anything else as its text, to be corrected."""
    if isinstance(spread, dict) and len(spread) == 1:
        kind, value = next(iter(spread.items()))
        if kind == "normal" and isinstance(value, dict):
            numbers = [value.get("mean"), value.get("sd"), *(value.get("range") or [])]
        else:
            numbers = list(value) if isinstance(value, list) else [value]
        return ":".join([str(kind), *(_plain(n) for n in numbers)])
    return str(spread)


def _plain(number: Any) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _fragment(negotiation: Negotiation, old: dict[str, Any], given: Change) -> dict[str, Any]:
    """The fields that change, each whole (the use case replaces a field given, keeps the others)."""
    fragment: dict[str, Any] = {}
    if given.weights:
        weights = dict(old.get("weights") or {})
        for ref, value in given.weights:
            weights[_point(negotiation, ref, "--weight").id] = _number(value)
        fragment["weights"] = weights
    if given.scores:
        scores = copy.deepcopy(old.get("scores") or {})
        for ref, option, value in given.scores:
            point = _point(negotiation, ref, "--score")
            scores.setdefault(point.id, {})[_option(point, option, "--score")] = _number(value)
        fragment["scores"] = scores
    if given.red_lines or given.lifted_red_lines:
        fragment["red_lines"] = _red_lines(negotiation, list(old.get("red_lines") or []), given)
    if given.reservation_value is not None:
        fragment["reservation_value"] = _number(given.reservation_value)
    uncertainty = _uncertainty(negotiation, copy.deepcopy(old.get("uncertainty") or {}), given)
    if uncertainty is not None:
        fragment["uncertainty"] = uncertainty
    return fragment


def _red_lines(negotiation: Negotiation, rows: list[Any], given: Change) -> list[Any]:
    def key(row: Any) -> tuple[Any, Any]:
        return (row.get("point"), row.get("option")) if isinstance(row, dict) else (None, None)

    for ref, option in given.lifted_red_lines:
        point = _point(negotiation, ref, "--lift-red-line")
        target = (point.id, _option(point, option, "--lift-red-line"))
        if target not in [key(row) for row in rows]:
            raise NotFoundError(f"--lift-red-line: there is no red line on point {point.number}, {target[1]}")
        rows = [row for row in rows if key(row) != target]
    for ref, option in given.red_lines:
        point = _point(negotiation, ref, "--red-line")
        target = (point.id, _option(point, option, "--red-line"))
        if target not in [key(row) for row in rows]:
            rows.append({"point": target[0], "option": target[1]})
    return rows


def _uncertainty(negotiation: Negotiation, spread: dict[str, Any], given: Change) -> dict[str, Any] | None:
    """The party's uncertainty block with the distributions given set; None when none is given."""
    if not (
        given.weight_concentration is not None
        or given.uncertain_weights
        or given.uncertain_scores
        or given.uncertain_reservation_value is not None
    ):
        return None
    if given.weight_concentration is not None and given.uncertain_weights:
        raise DomainError(
            "--weight-concentration (the weights vary together) or --uncertain-weight (each on its own), "
            "not both"
        )
    if given.weight_concentration is not None:
        spread["weights"] = {"dirichlet": _number(given.weight_concentration)}
    if given.uncertain_weights:
        weights = spread.get("weights")
        # a distribution per point replaces a Dirichlet spread (the format holds one or the other)
        weights = {} if not isinstance(weights, dict) or "dirichlet" in weights else dict(weights)
        for ref, text in given.uncertain_weights:
            weights[_point(negotiation, ref, "--uncertain-weight").id] = distribution_from_text(text)
        spread["weights"] = weights
    if given.uncertain_scores:
        scores = spread.get("scores") if isinstance(spread.get("scores"), dict) else {}
        assert isinstance(scores, dict)
        for ref, option, text in given.uncertain_scores:
            point = _point(negotiation, ref, "--uncertain-score")
            key = _option(point, option, "--uncertain-score")
            scores.setdefault(point.id, {})[key] = distribution_from_text(text)
        spread["scores"] = scores
    if given.uncertain_reservation_value is not None:
        spread["reservation_value"] = distribution_from_text(given.uncertain_reservation_value)
    return spread
