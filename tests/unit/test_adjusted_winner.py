"""Adjusted Winner divides two sides' items exactly, equitably and without envy."""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain import Negotiation
from accord.engine.fair_division import adjusted_winner, adjusted_winner_for, bids_of, common_ground
from accord.errors import EngineError
from accord.scenario import load
from tests.conftest import EXAMPLES


def test_wikipedia_example_gives_alice_good_1_and_95_156_of_good_2() -> None:
    result = adjusted_winner(["1", "2", "3", "4"], [86, 75, 30, 9], [19, 81, 60, 40], names=("Alice", "Bob"))
    assert result.allocation == {
        "1": (Fraction(1), Fraction(0)),
        "2": (Fraction(95, 156), Fraction(61, 156)),
        "3": (Fraction(0), Fraction(1)),
        "4": (Fraction(0), Fraction(1)),
    }
    assert result.split_item == "2" and result.split == (Fraction(95, 156), Fraction(61, 156))
    # 86 + 75 x 95/156 = 181 - 81 x 95/156 = 20541/156 = 131.673...
    assert result.totals == (Fraction(20541, 156), Fraction(20541, 156))
    assert float(result.totals[0]) == pytest.approx(131.673, abs=1e-3)
    assert result.initial_winner == "Bob" and result.transfers == []
    assert result.bundle("Alice") == {"1": Fraction(1), "2": Fraction(95, 156)}


def test_camp_david_splits_sinai_five_sixths_to_egypt() -> None:
    result = adjusted_winner_for(load(EXAMPLES / "camp-david-1978.yaml"), "israel", "egypt")
    won_by_israel = {"diplomatic-recognition", "west-bank-gaza", "palestinian-recognition", "jerusalem"}
    assert {i for i, side in result.initial_allocation.items() if side == "israel"} == won_by_israel
    assert {i for i, side in result.initial_allocation.items() if side == "egypt"} == {
        "sinai",
        "palestinian-rights",
    }
    assert result.initial_winner == "egypt", "Egypt starts ahead, 75 points to 60"
    assert result.split_item == "sinai"
    assert result.allocation["sinai"] == (Fraction(1, 6), Fraction(5, 6))
    assert result.allocation["palestinian-rights"] == (Fraction(0), Fraction(1))
    assert all(result.allocation[i] == (Fraction(1), Fraction(0)) for i in won_by_israel)
    assert result.totals == (Fraction(395, 6), Fraction(395, 6))


def test_items_follow_the_point_numbers_of_the_scenario() -> None:
    result = adjusted_winner_for(load(EXAMPLES / "camp-david-1978.yaml"), "israel", "egypt")
    assert list(result.allocation)[:2] == ["sinai", "diplomatic-recognition"]


def test_no_split_when_a_whole_transfer_levels_the_totals() -> None:
    result = adjusted_winner(["x", "y", "z"], [70, 20, 10], [30, 15, 55])
    # A wins x and y (90 to 55); y has the lower ratio (20/15) and moving it whole levels 70 to 70.
    assert result.initial_winner == "A" and result.transfers == ["y"]
    assert result.split_item is None and result.split is None
    assert result.totals == (Fraction(70), Fraction(70))


def test_no_transfer_when_the_first_allocation_is_already_level() -> None:
    result = adjusted_winner(["x", "y"], [60, 40], [40, 60])
    assert result.initial_winner is None and result.transfers == [] and result.split_item is None
    assert result.totals == (Fraction(60), Fraction(60))


def test_tied_items_go_to_the_first_side_and_are_the_first_handed_over() -> None:
    result = adjusted_winner(["tie", "a", "b"], [40, 40, 20], [40, 10, 50], names=("A", "B"))
    assert result.initial_allocation == {"tie": "A", "a": "A", "b": "B"}
    # A leads 80 to 50; the tied item (ratio 1) moves before "a" (ratio 4), and is split.
    assert result.initial_winner == "A" and result.split_item == "tie"
    assert result.split == (Fraction(5, 8), Fraction(3, 8))
    assert result.totals == (Fraction(65), Fraction(65))


def test_whole_transfers_come_in_ascending_ratio_before_the_split() -> None:
    result = adjusted_winner(["p", "q", "r", "s"], [10, 50, 30, 10], [8, 10, 22, 60])
    # A wins p, q, r (90 to 60); ratios p 1.25, r 1.36, q 5: p moves whole (80 to 68), then r is split.
    assert result.transfers == ["p"]
    assert result.split_item == "r" and result.split == (Fraction(10, 13), Fraction(3, 13))
    assert result.totals == (Fraction(950, 13), Fraction(950, 13))


def test_bids_given_as_strings_are_read_exactly() -> None:
    result = adjusted_winner(["x", "y"], ["62.5", "37.5"], ["37.5", Fraction(125, 2)])
    assert result.totals == (Fraction(125, 2), Fraction(125, 2))


@pytest.mark.parametrize(
    ("bids_a", "bids_b", "message"),
    [
        ([60, 40], [70, 40], "same total"),
        ([110, -10], [50, 50], "must not be negative"),
        ([0, 0], [0, 0], "positive total"),
        ([100], [50, 50], "expected one bid for each"),
        ([50, "half"], [50, 50], "not a number"),
        ([50.0, 50], [50, 50], "as a string"),
    ],
)
def test_bids_that_do_not_add_up_are_refused_with_a_reason(
    bids_a: list[object], bids_b: list[object], message: str
) -> None:
    with pytest.raises(EngineError, match=message):
        adjusted_winner(["x", "y"], bids_a, bids_b)  # type: ignore[arg-type]


def test_duplicate_items_and_equal_names_are_refused() -> None:
    with pytest.raises(EngineError, match="distinct"):
        adjusted_winner(["x", "x"], [50, 50], [50, 50])
    with pytest.raises(EngineError, match="two different side names"):
        adjusted_winner(["x", "y"], [50, 50], [50, 50], names=("A", "A"))


def test_weights_on_different_scales_are_rescaled_to_100_each() -> None:
    negotiation = load(EXAMPLES / "camp-david-1978.yaml")
    israel = negotiation.preferences["israel"]
    doubled = replace(israel, weights={point: 2 * w for point, w in israel.weights.items()})
    rescaled = replace(negotiation, preferences={**negotiation.preferences, "israel": doubled})
    assert adjusted_winner_for(rescaled, "israel", "egypt") == adjusted_winner_for(
        negotiation, "israel", "egypt"
    )


def test_a_party_without_preferences_cannot_bid() -> None:
    with pytest.raises(EngineError, match="no preferences"):
        adjusted_winner_for(load(EXAMPLES / "camp-david-1978.yaml"), "united-states", "egypt")


@st.composite
def budgets(draw: st.DrawFn, size: int) -> list[int]:
    """``size`` non-negative integer bids summing to 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=size - 1, max_size=size - 1)))
    bounds = [0, *cuts, 100]
    return [hi - lo for lo, hi in itertools.pairwise(bounds)]


@st.composite
def bid_pairs(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    size = draw(st.integers(1, 8))
    return draw(budgets(size)), draw(budgets(size))


@settings(max_examples=300, deadline=None)
@given(bid_pairs())
def test_division_is_equitable_envy_free_and_splits_at_most_one_item(
    bids: tuple[list[int], list[int]],
) -> None:
    bids_a, bids_b = bids
    items = [f"item{k}" for k in range(len(bids_a))]
    result = adjusted_winner(items, bids_a, bids_b)
    shares = result.allocation
    assert all(a + b == 1 and 0 <= a <= 1 for a, b in shares.values())
    split = [item for item, (a, _) in shares.items() if 0 < a < 1]
    assert len(split) <= 1 and split == ([result.split_item] if result.split_item else [])
    own_a = sum(
        (Fraction(bid) * shares[item][0] for item, bid in zip(items, bids_a, strict=True)), Fraction(0)
    )
    own_b = sum(
        (Fraction(bid) * shares[item][1] for item, bid in zip(items, bids_b, strict=True)), Fraction(0)
    )
    assert result.totals == (own_a, own_b)
    assert own_a == own_b, "equitable: both sides end with the same number of their own points"
    assert own_a >= 50 and own_b >= 50, "envy-free: each side values its bundle at least half its total"


def _with_scores(negotiation: Negotiation, party: str, point: str, scores: dict[str, float]) -> Negotiation:
    prefs = negotiation.preferences[party]
    changed = replace(prefs, scores={**prefs.scores, point: scores})
    return replace(negotiation, preferences={**negotiation.preferences, party: changed})


def test_a_point_both_prefer_the_same_option_on_is_not_divided() -> None:
    """Brams and Taylor divide the issues in dispute: where both parties' favourite option is the same,
    giving one its way gives the other its way too. Such a point is left out, and the bids are
    rescaled to 100 over the rest, as if the parties had spread their points over those alone."""
    negotiation = load(EXAMPLES / "camp-david-1978.yaml")
    # Egypt comes to prefer Israel's option on Jerusalem; on rights, Israel is indifferent
    agreed = _with_scores(negotiation, "egypt", "jerusalem", {"israel": 1.0, "egypt": 0.5})
    agreed = _with_scores(agreed, "israel", "palestinian-rights", {"israel": 0.3, "egypt": 0.3})
    assert common_ground(agreed, "israel", "egypt") == ["palestinian-rights", "jerusalem"]
    items, bids_a, bids_b = bids_of(agreed, "israel", "egypt")
    assert items == ["sinai", "diplomatic-recognition", "west-bank-gaza", "palestinian-recognition"]
    # Israel's 35, 10, 20, 10 of 75 and Egypt's 55, 5, 10, 5 of 75, each out of 100
    assert bids_a == [Fraction(140, 3), Fraction(40, 3), Fraction(80, 3), Fraction(40, 3)]
    assert bids_b == [Fraction(220, 3), Fraction(20, 3), Fraction(40, 3), Fraction(20, 3)]
    result = adjusted_winner_for(agreed, "israel", "egypt")
    assert set(result.allocation) == set(items)
    assert result == adjusted_winner(items, bids_a, bids_b, names=("israel", "egypt"))
    # as before, nothing changed for Camp David as written: no point is common ground there
    assert common_ground(negotiation, "israel", "egypt") == []


def test_nothing_to_divide_when_both_prefer_the_same_option_everywhere() -> None:
    negotiation = load(EXAMPLES / "camp-david-1978.yaml")
    for point in negotiation.points:
        negotiation = _with_scores(negotiation, "egypt", point.id, {"israel": 1.0, "egypt": 0.0})
    with pytest.raises(EngineError, match="prefer the same option on every point: nothing is in dispute"):
        adjusted_winner_for(negotiation, "israel", "egypt")


def test_a_division_that_gives_a_party_the_other_s_red_line_says_so() -> None:
    from accord.reports.fair_division import adjusted_winner_view

    flagship = load(EXAMPLES / "peace-framework-2025.yaml")
    view = adjusted_winner_view(flagship, "russia", "ukraine")
    territory = next(p for p in view.points if p.point == "territory")
    assert all(share > 0 for share in territory.shares), "the point both claim is split"
    said = [s for s in view.red_lines if s.startswith("Point 21 (Territory): ")]
    assert len(said) == 2
    assert any(
        "Russian Federation's way there" in s and s.endswith("is a red line of Ukraine.") for s in said
    )
    # a point one party gets whole that is no red line of the other: not listed
    lines = {(r.point, r.option) for p in ("russia", "ukraine") for r in flagship.preferences[p].red_lines}
    for row in view.points:
        for side in (0, 1):
            favourite = row.favourites[side]
            crossed = favourite is not None and row.shares[side] > 0 and (row.point, favourite.key) in lines
            listed = any(
                s.startswith(f"Point {row.number} (") and view.names[side] + "'" in s for s in view.red_lines
            )
            assert crossed == listed, (row.point, side)
    camp = adjusted_winner_view(load(EXAMPLES / "camp-david-1978.yaml"), "israel", "egypt")
    assert camp.red_lines == (), "no red lines declared there"
