"""Logrolls: two parties trade a concession each, and both come out ahead."""

from __future__ import annotations

import itertools
from dataclasses import replace
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.engine import logrolls as search
from accord.engine.logrolls import TOLERANCE, Logroll, describe_logroll, logrolls, rejection_note
from accord.engine.problem import IntArray, LinkDemand, Problem, RedLineDemand
from accord.errors import EngineError
from tests.engine_strategies import problems

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _problem(utility: list[list[float]], sizes: list[int], **demands: object) -> Problem:
    titles = ["Army size", "Frozen assets", "Elections", "Amnesty"]
    return Problem(
        parties=("north", "south", "east")[: len(utility)],
        party_names=("North", "South", "East")[: len(utility)],
        points=tuple(f"p{p}" for p in range(len(sizes))),
        point_titles=tuple(titles[: len(sizes)]),
        point_numbers=tuple(range(6, 6 + len(sizes))),
        options=tuple(tuple(f"o{o}" for o in range(s)) for s in sizes),
        option_texts=tuple(tuple(f"option {p}.{o}" for o in range(s)) for p, s in enumerate(sizes)),
        utility=np.array(utility, dtype=float),
        reservation=np.zeros(len(utility)),
        reservations_active=(True,) * len(utility),
        **demands,  # type: ignore[arg-type]
    )


# North cares most about point 1, South about point 2; the draft gives each the other's wish.
TRADE = [
    [0.6, 0.0, 0.0, 0.4],  # North: point 1 (cols 0-1) weighs 0.6, point 2 (cols 2-3) 0.4
    [0.0, 0.3, 0.7, 0.0],  # South
]


def test_two_parties_trade_the_points_each_cares_less_about() -> None:
    problem = _problem(TRADE, [2, 2])
    found = logrolls(problem, [1, 3])  # North loses point 1, South loses point 2
    assert len(found) == 1
    trade = found[0]
    assert trade.columns == (0, 2)
    assert trade.giver_on_first == 1 and trade.giver_on_second == 0, "South yields point 1, North point 2"
    assert trade.gains == pytest.approx((0.6 - 0.4, 0.7 - 0.3))
    assert trade.smaller_gain == pytest.approx(0.2)
    assert describe_logroll(problem, trade) == (
        "South gives way on point 6 (Army size): 'option 0.0' instead of 'option 0.1'; "
        "North gives way on point 7 (Frozen assets): 'option 1.0' instead of 'option 1.1'; "
        "North +0.200, South +0.400"
    )


def test_no_logroll_when_the_draft_already_gives_each_party_its_wish() -> None:
    assert logrolls(_problem(TRADE, [2, 2]), [0, 2]) == []


def test_a_change_both_parties_like_is_not_a_trade() -> None:
    # point 2 option 3 is better for both: an improvement, but nobody concedes anything
    problem = _problem([[0.5, 0.0, 0.0, 0.5], [0.0, 0.5, 0.0, 0.5]], [2, 2])
    assert logrolls(problem, [0, 2]) == []


def test_red_line_excludes_the_option_from_every_trade() -> None:
    problem = _problem(TRADE, [2, 2], red_lines=(RedLineDemand(0, 1, 2),))
    assert logrolls(problem, [1, 3]) == []


def test_trade_that_breaks_a_link_is_left_out() -> None:
    link = LinkDemand(party=1, point=0, column=0, requires_point=1, requires=(3,))
    assert logrolls(_problem(TRADE, [2, 2], links=(link,)), [1, 3]) == []


def test_trade_below_a_reservation_value_is_kept_with_a_flag() -> None:
    utility = [*TRADE, [0.5, 0.0, 0.5, 0.0]]
    # East prefers the draft on both points and would fall below its reservation value
    utility[2] = [0.0, 0.5, 0.0, 0.5]
    problem = _problem(utility, [2, 2])
    problem = replace(problem, reservation=np.array([0.0, 0.0, 0.5]))
    (trade,) = logrolls(problem, [1, 3])
    assert trade.below_reservation == (2,)
    assert trade.gains[2] == pytest.approx(-1.0)
    assert describe_logroll(problem, trade).endswith("East -1.000; below the reservation value of East")


def test_ranking_puts_the_trade_with_the_larger_smaller_gain_first() -> None:
    # North yields on point 6 (-0.1 to it, +0.4 to South); South can repay on point 7
    # (-0.2 to it, +0.3 to North: both gain 0.2) or on point 8 (-0.1, +0.2: North gains only 0.1)
    utility = [
        [0.1, 0.0, 0.0, 0.3, 0.0, 0.2],
        [0.0, 0.4, 0.2, 0.0, 0.1, 0.0],
    ]
    problem = _problem(utility, [2, 2, 2])
    found = logrolls(problem, [0, 2, 4])
    assert [t.columns for t in found] == [(1, 3, 4), (1, 2, 5)]
    assert [t.smaller_gain for t in found] == pytest.approx([0.2, 0.1])
    assert logrolls(problem, [0, 2, 4], top=1) == found[:1]


def test_a_package_that_is_not_one_option_per_point_is_refused() -> None:
    problem = _problem(TRADE, [2, 2])
    with pytest.raises(EngineError, match="one option column per point"):
        logrolls(problem, [0])
    with pytest.raises(EngineError, match="not an option of point 7"):
        logrolls(problem, [0, 1])
    with pytest.raises(EngineError, match="top must be at least 1"):
        logrolls(problem, [0, 2], top=0)


def test_a_fixed_point_is_never_traded() -> None:
    problem = _problem(TRADE, [2, 2]).with_fixed({0: 1})
    assert logrolls(problem, [1, 3]) == []


# -- against brute force -------------------------------------------------------------


def _brute_force(problem: Problem, draft: IntArray) -> list[tuple[float, int, int]]:
    """Every logroll by enumeration: (smaller gain, first column, second column), best first."""
    allowed = problem.allowed()
    delta = problem.utility - problem.utility[:, draft[problem.point_of_column]]
    before = {d for d in problem.broken(draft) if isinstance(d, RedLineDemand | LinkDemand)}
    found = []
    for p, q in itertools.combinations(range(problem.n_points), 2):
        for a in problem.columns_of(p):
            for b in problem.columns_of(q):
                if a == draft[p] or b == draft[q] or not (allowed[a] and allowed[b]):
                    continue
                best = -np.inf
                for i, j in itertools.permutations(range(problem.n_parties), 2):
                    i_yields_on_p = delta[i, a] < -TOLERANCE and delta[j, a] > TOLERANCE
                    j_yields_on_q = delta[j, b] < -TOLERANCE and delta[i, b] > TOLERANCE
                    gain_i, gain_j = delta[i, a] + delta[i, b], delta[j, a] + delta[j, b]
                    if i_yields_on_p and j_yields_on_q and gain_i > TOLERANCE and gain_j > TOLERANCE:
                        best = max(best, min(gain_i, gain_j))
                if best == -np.inf:
                    continue
                columns = draft.copy()
                columns[p], columns[q] = a, b
                after = {d for d in problem.broken(columns) if isinstance(d, RedLineDemand | LinkDemand)}
                if after - before:
                    continue
                found.append((float(best), a, b))
    return sorted(found, key=lambda t: (-t[0], t[1], t[2]))


def _check_is_a_trade(problem: Problem, draft: IntArray, trade: Logroll) -> None:
    changed = [p for p in range(problem.n_points) if trade.columns[p] != draft[p]]
    assert changed == [trade.first_point, trade.second_point], "a logroll changes exactly two points"
    assert trade.gains == pytest.approx(tuple(problem.utilities(trade.columns) - problem.utilities(draft)))
    i, j = trade.traders
    assert i != j and trade.gains[i] > 0 and trade.gains[j] > 0, "both traders gain"
    first, second = trade.first_option_column, trade.second_option_column
    assert problem.utility[i, first] < problem.utility[i, draft[trade.first_point]], "i gives way first"
    assert problem.utility[j, first] > problem.utility[j, draft[trade.first_point]]
    assert problem.utility[j, second] < problem.utility[j, draft[trade.second_point]], "j gives way next"
    assert problem.utility[i, second] > problem.utility[i, draft[trade.second_point]]


@st.composite
def problems_with_drafts(
    draw: st.DrawFn, max_parties: int = 4, max_points: int = 6, max_options: int = 4
) -> tuple[Problem, IntArray]:
    problem = draw(problems(max_parties=max_parties, max_points=max_points, max_options=max_options))
    draft = np.array(
        [draw(st.sampled_from(list(problem.columns_of(p)))) for p in range(problem.n_points)], dtype=np.int64
    )
    return problem, draft


@SETTINGS
@given(problems_with_drafts(), st.integers(1, 6))
def test_logrolls_match_brute_force_enumeration(case: tuple[Problem, IntArray], top: int) -> None:
    problem, draft = case
    expected = _brute_force(problem, draft)
    found = logrolls(problem, draft, top=top)
    for trade in found:
        _check_is_a_trade(problem, draft, trade)
    if expected:
        assert found and found[0].smaller_gain == expected[0][0], "the best trade is found"
    assert [(t.smaller_gain, t.first_option_column, t.second_option_column) for t in found] == expected[:top]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems_with_drafts(max_parties=4, max_points=10, max_options=5), st.integers(1, 3))
def test_ranking_stays_exact_when_the_search_keeps_only_the_best_trades(
    case: tuple[Problem, IntArray], top: int
) -> None:
    problem, draft = case
    expected = _brute_force(problem, draft)
    # keep only ``top`` trades per pair at first, so the search must widen whenever
    # trades that break links, or are found by two pairs, crowd out the right ones
    with patch.object(search, "MIN_KEEP", 1), patch.object(search, "KEEP_PER_RESULT", 1):
        found = logrolls(problem, draft, top=top)
    assert [(t.smaller_gain, t.first_option_column, t.second_option_column) for t in found] == expected[:top]


def test_large_problem_is_searched_in_seconds() -> None:
    rng = np.random.default_rng(7)
    n_parties, n_points, n_options = 10, 300, 6
    weights = rng.random((n_parties, n_points))
    weights /= weights.sum(axis=1, keepdims=True)
    utility = (weights[:, :, None] * rng.random((n_parties, n_points, n_options))).reshape(n_parties, -1)
    problem = Problem(
        parties=tuple(f"party{i}" for i in range(n_parties)),
        party_names=tuple(f"Party {i}" for i in range(n_parties)),
        points=tuple(f"p{p}" for p in range(n_points)),
        point_titles=tuple(f"Point {p}" for p in range(n_points)),
        point_numbers=tuple(range(1, n_points + 1)),
        options=tuple(tuple(f"o{o}" for o in range(n_options)) for _ in range(n_points)),
        option_texts=tuple(tuple(f"Option {o}" for o in range(n_options)) for _ in range(n_points)),
        utility=utility,
        reservation=np.zeros(n_parties),
    )
    draft = problem.offsets + rng.integers(0, n_options, n_points)
    found = logrolls(problem, draft, top=10)
    assert len(found) == 10
    for trade in found:
        _check_is_a_trade(problem, draft, trade)


# -- only trades every party can accept (issue 15: advice a mediator can act on) ----------


def test_trade_below_a_reservation_value_is_no_option_within_reservation() -> None:
    utility = [*TRADE, [0.0, 0.5, 0.0, 0.5]]  # East prefers the draft on both points
    problem = replace(_problem(utility, [2, 2]), reservation=np.array([0.0, 0.0, 0.5]))
    assert logrolls(problem, [1, 3], within_reservation=True) == []
    (trade,) = logrolls(problem, [1, 3])
    assert rejection_note(problem, [trade], options_left=False, draft_columns=[1, 3]) == (
        "The one trade found does not keep every party at or above its reservation value: "
        "it leaves East below it."
    )
    # a reservation value switched off (diagnose's relaxations) is no floor
    relaxed = replace(problem, reservations_active=(True, True, False))
    assert logrolls(relaxed, [1, 3], within_reservation=True) == [replace(trade, below_reservation=())]


def test_rejection_note_says_why_none_is_an_option_or_how_many_were_left_out() -> None:
    problem = _problem([*TRADE, [0.0, 0.5, 0.0, 0.5]], [2, 2])
    trade = logrolls(problem, [1, 3])[0]
    below_east = replace(trade, below_reservation=(2,))
    below_north = replace(trade, below_reservation=(0,))
    assert rejection_note(problem, [], options_left=False) is None
    assert rejection_note(problem, [below_east] * 7, options_left=False) == (
        "None of the 7 trades keeps every party at or above its reservation value: each leaves East below it."
    )
    assert rejection_note(problem, [below_east, below_east, below_north], options_left=False) == (
        "None of the 3 trades keeps every party at or above its reservation value: "
        "each leaves a party below it (North in 1, East in 2)."
    )
    assert rejection_note(problem, [below_east] * 2, options_left=True) == (
        "2 more trades leave East below its reservation value: not options, so not listed."
    )


@SETTINGS
@given(problems_with_drafts(), st.integers(1, 6), st.floats(0.0, 1.0))
def test_logrolls_within_reservation_match_brute_force(
    case: tuple[Problem, IntArray], top: int, level: float
) -> None:
    problem, draft = case
    # reservation values around the draft's utilities, so some trades pass and some do not
    problem = replace(problem, reservation=problem.utilities(draft) * level)
    bounds = problem.reservation_bounds()

    def keeps_every_party(first: int, second: int) -> bool:
        columns = draft.copy()
        columns[problem.point_of_column[first]] = first
        columns[problem.point_of_column[second]] = second
        return bool((problem.utilities(columns) >= bounds - 1e-9).all())

    expected = [t for t in _brute_force(problem, draft) if keeps_every_party(t[1], t[2])]
    found = logrolls(problem, draft, top=top, within_reservation=True)
    assert all(not t.below_reservation for t in found)
    assert [(t.smaller_gain, t.first_option_column, t.second_option_column) for t in found] == expected[:top]
