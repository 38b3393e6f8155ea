"""A party's uncertainty block and links said in words (accord.reports.preference_words): the points by
number and title, the options by their text, every kind of distribution in plain words, and what does
not read as the format says shown as written rather than refused."""

from __future__ import annotations

from accord.reports.preference_words import distribution_words, link_words, uncertainty_lines
from accord.scenario import load
from tests.conftest import EXAMPLES

FLAGSHIP = load(EXAMPLES / "peace-framework-2025.yaml")


def test_every_kind_of_distribution_is_said_in_words() -> None:
    assert distribution_words({"range": [0, 4]}) == "anywhere between 0 and 4, each value as likely"
    assert (
        distribution_words({"uniform": [0.25, 0.5]}) == "anywhere between 0.25 and 0.5, each value as likely"
    )
    assert distribution_words({"triangular": [3, 5.0, 7]}) == "between 3 and 7, most likely 5"
    assert (
        distribution_words({"normal": {"mean": 5, "sd": 1, "range": [3, 7]}})
        == "around 5 (standard deviation 1), never below 3 or above 7"
    )
    assert distribution_words({"beta": [1, 2]}) == "as written: {'beta': [1, 2]}"


def test_the_block_reads_point_by_point_in_the_frameworks_order() -> None:
    block = {
        "weights": {"territory": {"range": [8, 12]}, "sovereignty": {"triangular": [1, 2, 3]}},
        "scores": {"territory": {"loc-freeze": {"range": [0, 2]}}, "nowhere": {"x": {"range": [0, 1]}}},
        "reservation_value": {"range": [0.4, 0.6]},
    }
    lines = uncertainty_lines(FLAGSHIP, {"uncertainty": block, "score_scale": 10})
    assert lines == [
        "weight of point 1 (Ukraine's sovereignty): between 1 and 3, most likely 2",
        "weight of point 21 (Territory): anywhere between 8 and 12, each value as likely",
        "score of “Lines frozen at the line of contact; territory left unresolved” on point 21 (Territory), "
        "out of 10: anywhere between 0 and 2, each value as likely",
        "score of option x on point nowhere, out of 10: anywhere between 0 and 1, each value as likely",
        "reservation value: anywhere between 0.4 and 0.6, each value as likely",
    ]
    assert uncertainty_lines(FLAGSHIP, {}) == [] and uncertainty_lines(FLAGSHIP, {"uncertainty": {}}) == []


def test_a_link_names_the_options_by_their_text() -> None:
    link = {
        "point": "army-size",
        "option": "cap-800k",
        "requires": {"point": "nato-membership", "options": ["barred"]},
    }
    assert link_words(FLAGSHIP, link) == (
        "“Armed forces of 800,000 in peacetime” on point 6 (Size of Ukraine's armed forces) only with "
        "“Ukraine renounces NATO in its constitution; NATO statutes exclude its admission” on point 7 "
        "(Ukraine and NATO membership)"
    )
