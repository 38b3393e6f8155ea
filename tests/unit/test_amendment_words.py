"""A draft's changes in words (accord.reports.amendment_words), also where the record no longer holds
what a change names: no empty brackets, no key dressed up as an option's text."""

from __future__ import annotations

from typing import Any

import pytest

from accord.domain import Negotiation
from accord.reports.amendment_words import amendment_words


@pytest.mark.parametrize(
    ("amendment", "said"),
    [
        (
            {"kind": "choose", "point": "army-size", "option": "cap-800k"},
            "point 6 (Size of Ukraine's armed forces): “Armed forces of 800,000 in peacetime”",
        ),
        ({"kind": "choose", "point": "6", "option": "cap-800k"}, None),  # by number, as typed: the same
        ({"kind": "text", "point": "territory"}, "point 21 (Territory): new text"),
        ({"kind": "drop", "point": "territory"}, "point 21 (Territory) dropped"),
        (
            {"kind": "add", "point": "monitoring", "number": 29, "title": "Monitoring"},
            "new point 29 (Monitoring)",
        ),
        ({"kind": "add", "point": "ghost"}, "new point ghost"),
        (
            {"kind": "choose", "point": "army-size", "option": "gone"},
            "point 6 (Size of Ukraine's armed forces): option gone",
        ),
        ({"kind": "choose", "point": "ghost", "option": "x"}, "point ghost: option x"),
        ({}, "a point: a change of another kind (unknown)"),
    ],
)
def test_a_change_in_words(talks: Negotiation, amendment: dict[str, Any], said: str | None) -> None:
    if said is None:
        said = amendment_words(talks, {**amendment, "point": "army-size"})
    assert amendment_words(talks, amendment) == said
