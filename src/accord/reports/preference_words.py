"""A party's estimated preferences in words where `accord preferences show` would otherwise print the
stored data: the uncertainty block (per point and option, what the spread says) and the links, the
points by number and title and the options by their text, never their keys. --json keeps the data.

The uncertainty block is the scenario format's (docs/robustness.md): ``weights`` either ``{dirichlet:
c}`` or a distribution per point, ``scores`` a distribution per point and option, ``reservation_value``
one distribution; a distribution ``{range: [low, high]}`` (or ``uniform``), ``{triangular: [low, mode,
high]}`` or ``{normal: {mean, sd, range: [low, high]}}``. What the stored record holds was checked as a
scenario file is; anything else is said as it is written rather than refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.domain import Negotiation
from accord.errors import AccordError


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def distribution_words(spread: Any) -> str:
    """A distribution as a person says it: "anywhere between 0 and 4, each value as likely",
    "between 3 and 7, most likely 5", "around 5 (standard deviation 1), never below 3 or above 7"."""
    if isinstance(spread, Mapping) and len(spread) == 1:
        kind, value = next(iter(spread.items()))
        if kind in ("range", "uniform") and isinstance(value, list | tuple) and len(value) == 2:
            low, high = (_number(v) for v in value)
            return f"anywhere between {low} and {high}, each value as likely"
        if kind == "triangular" and isinstance(value, list | tuple) and len(value) == 3:
            low, mode, high = (_number(v) for v in value)
            return f"between {low} and {high}, most likely {mode}"
        if kind == "normal" and isinstance(value, Mapping) and {"mean", "sd"} <= set(value):
            said = f"around {_number(value['mean'])} (standard deviation {_number(value['sd'])})"
            bounds = value.get("range")
            if isinstance(bounds, list | tuple) and len(bounds) == 2:
                said += f", never below {_number(bounds[0])} or above {_number(bounds[1])}"
            return said
    return f"as written: {spread}"


def _point_words(negotiation: Negotiation, point: str) -> str:
    try:
        found = negotiation.point(point)
    except AccordError:
        return f"point {point}"
    return f"point {found.number} ({found.title})"


def _option_words(negotiation: Negotiation, point: str, option: str) -> str:
    try:
        return f"“{negotiation.point(point).option(option).text}”"
    except AccordError:
        return f"option {option}"


def uncertainty_lines(negotiation: Negotiation, preferences: Mapping[str, Any]) -> list[str]:
    """What the party's uncertainty block says, one line per estimate it spreads (none without one):
    the weights, then each point's scores in the framework's order, then the reservation value."""
    block = preferences.get("uncertainty")
    if not isinstance(block, Mapping) or not block:
        return []
    lines: list[str] = []
    weights = block.get("weights")
    if isinstance(weights, Mapping) and "dirichlet" in weights:
        lines.append(
            "the weights vary together around the estimates, keeping their sum (Dirichlet, concentration "
            f"{_number(weights['dirichlet'])}: the larger, the closer they stay to the estimates)"
        )
    elif isinstance(weights, Mapping):
        for point, spread in _in_order(negotiation, weights):
            lines.append(f"weight of {_point_words(negotiation, point)}: {distribution_words(spread)}")
    elif weights is not None:
        lines.append(f"the weights: as written: {weights}")
    scale = _number(preferences.get("score_scale", 1))
    scores = block.get("scores")
    if isinstance(scores, Mapping):
        for point, options in _in_order(negotiation, scores):
            if not isinstance(options, Mapping):
                lines.append(f"scores on {_point_words(negotiation, point)}: as written: {options}")
                continue
            for option, spread in options.items():
                lines.append(
                    f"score of {_option_words(negotiation, point, str(option))} on "
                    f"{_point_words(negotiation, point)}, out of {scale}: {distribution_words(spread)}"
                )
    if "reservation_value" in block:
        lines.append(f"reservation value: {distribution_words(block['reservation_value'])}")
    known = {"weights", "scores", "reservation_value"}
    lines.extend(f"{key}: as written: {value}" for key, value in block.items() if key not in known)
    return lines


def _in_order(negotiation: Negotiation, by_point: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The entries by the points' numbers (a point the framework lacks last, as written)."""
    numbers = {p.id: p.number for p in negotiation.points}
    return sorted(
        ((str(k), v) for k, v in by_point.items()),
        key=lambda kv: (kv[0] not in numbers, numbers.get(kv[0], 0)),
    )


def link_words(negotiation: Negotiation, link: Mapping[str, Any]) -> str:
    """A link as the broken demands put it: "“Armed forces of 800,000 in peacetime” on point 6 (Size of
    Ukraine's armed forces) only with “Ukraine renounces NATO…” on point 7 (Ukraine and NATO
    membership)"."""
    needed = link.get("requires") or {}
    target = str(needed.get("point", ""))
    options = " or ".join(_option_words(negotiation, target, str(o)) for o in needed.get("options") or ())
    point = str(link.get("point", ""))
    option = _option_words(negotiation, point, str(link.get("option", "")))
    return (
        f"{option} on {_point_words(negotiation, point)} "
        f"only with {options or 'no option'} on {_point_words(negotiation, target)}"
    )
