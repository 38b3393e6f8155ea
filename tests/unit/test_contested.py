"""The lingering differences: which points still divide the parties, and how much."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from accord.analysis.contested import ContestedPoint, contested_points, describe_contested_point
from accord.engine.problem import Problem, RedLineDemand, compile_problem
from accord.scenario import load
from tests.conftest import EXAMPLES

NORTH, SOUTH, EAST = 0, 1, 2


def _problem(*red_lines: RedLineDemand) -> Problem:
    # point 1 (cols 0-1): everyone prefers the first option
    # point 2 (cols 2-4): North and South pull opposite ways, East does not care
    # point 3 (cols 5-6): North and South pull opposite ways on two options
    utility = np.array(
        [
            [0.1, 0.0, 0.4, 0.2, 0.0, 0.5, 0.0],
            [0.2, 0.1, 0.0, 0.1, 0.3, 0.0, 0.4],
            [0.5, 0.0, 0.0, 0.0, 0.0, 0.3, 0.3],
        ]
    )
    return Problem(
        parties=("north", "south", "east"),
        party_names=("North", "South", "East"),
        points=("ceasefire", "harbour", "border"),
        point_titles=("Ceasefire", "Harbour", "Border"),
        point_numbers=(1, 2, 3),
        options=(("now", "later"), ("north", "joint", "south"), ("old", "new")),
        option_texts=(("Now", "Later"), ("Northern", "Joint", "Southern"), ("Old line", "New line")),
        utility=utility,
        reservation=np.zeros(3),
        red_lines=red_lines,
        reservations_active=(True,) * 3,
    )


def _by_point(found: list[ContestedPoint]) -> dict[int, ContestedPoint]:
    return {c.point: c for c in found}


def test_point_where_everyone_has_the_same_favourite_is_not_contested() -> None:
    ceasefire = _by_point(contested_points(_problem()))[0]
    assert ceasefire.contest == 0 and ceasefire.spread == pytest.approx(0)
    assert ceasefire.compromise == 0 and ceasefire.favourites == (0, 0, 0)
    assert not ceasefire.blocked


def test_contest_is_what_the_least_painful_option_costs_the_party_it_hurts_most() -> None:
    harbour = _by_point(contested_points(_problem()))[1]
    assert harbour.favourites == (2, 4, 2), "East is indifferent: its favourite is the first option"
    assert [list(row) for row in harbour.losses] == [
        pytest.approx(row) for row in ([0, 0.2, 0.4], [0.3, 0.2, 0], [0, 0, 0])
    ]
    assert harbour.contest == pytest.approx(0.2)
    assert harbour.compromise == 3, "joint administration costs each side 0.2 at most"


def test_red_line_excludes_the_compromise_and_raises_the_contest() -> None:
    refused = RedLineDemand(SOUTH, 1, 3)
    harbour = _by_point(contested_points(_problem(refused)))[1]
    assert harbour.red_lines == (refused,)
    assert harbour.compromise == 2 and harbour.contest == pytest.approx(0.3)
    assert not harbour.blocked


def test_spread_is_the_stake_weighted_disagreement_times_the_mean_stake() -> None:
    harbour = _by_point(contested_points(_problem()))[1]
    # stakes 0.4, 0.3, 0; ratings North (1, 1/2, 0), South (0, 1/3, 1); with two parties the
    # weighted standard deviation is sqrt(w_n w_s) |r_n - r_s|, with w = 4/7 and 3/7
    differences = [1, 1 / 6, 1]
    expected = math.sqrt(12 / 49) * sum(differences) / 3 * (0.7 / 3)
    assert harbour.spread == pytest.approx(expected)


def test_point_whose_every_option_is_refused_is_blocked_and_ranked_first() -> None:
    red_lines = (RedLineDemand(NORTH, 2, 6), RedLineDemand(SOUTH, 2, 5))
    found = contested_points(_problem(*red_lines))
    assert [c.point for c in found] == [2, 1, 0]
    border = found[0]
    assert border.blocked and border.compromise is None
    assert border.red_lines == red_lines
    assert border.contest == pytest.approx(0.4), "the cost if the red lines gave way"
    assert describe_contested_point(_problem(*red_lines), border) == (
        "point 3 (Border): blocked, red lines leave no option "
        "(North refuses “New line”; South refuses “Old line”)"
    )


def test_ranking_is_by_contest_then_spread_then_point_number() -> None:
    found = contested_points(_problem())
    # border: contest min(max(0, .4), max(.5, 0)) = .4; harbour .2; ceasefire 0
    assert [c.point for c in found] == [2, 1, 0]
    assert [c.contest for c in found] == pytest.approx([0.4, 0.2, 0.0])


def test_points_equal_on_contest_and_spread_follow_the_point_numbers() -> None:
    problem = _problem()
    twin = replace(problem, utility=np.zeros_like(problem.utility))
    assert [c.point for c in contested_points(twin)] == [0, 1, 2]


def test_descriptions_name_the_least_painful_option() -> None:
    problem = _problem()
    words = [describe_contested_point(problem, c) for c in contested_points(problem)]
    assert words[1] == (
        "point 2 (Harbour): the least painful option, 'Joint', still costs North and South 0.200 of "
        "utility each (spread 0.083)"
    )
    assert words[2] == "point 1 (Ceasefire): no difference, everyone's favourite is 'Now'"


def test_flagship_territory_is_among_the_most_contested_points() -> None:
    negotiation = load(EXAMPLES / "peace-framework-2025.yaml")
    problem = compile_problem(negotiation)
    found = contested_points(problem)
    ranked = [problem.points[c.point] for c in found]
    assert "territory" in ranked[:3], ranked[:5]
    territory = found[ranked.index("territory")]
    assert territory.contest > 0 and not territory.blocked
    refusers = {problem.parties[r.party] for r in territory.red_lines}
    assert {"russia", "ukraine", "europe"} <= refusers


def test_flagship_losses_are_weight_times_the_score_given_up() -> None:
    negotiation = load(EXAMPLES / "peace-framework-2025.yaml")
    problem = compile_problem(negotiation)
    territory = _by_point(contested_points(problem))[problem.points.index("territory")]
    ukraine = negotiation.preferences["ukraine"]
    k = problem.parties.index("ukraine")
    options = problem.options[territory.point]
    best = max(ukraine.score("territory", o) for o in options)
    expected = [ukraine.weight("territory") * (best - ukraine.score("territory", o)) for o in options]
    assert territory.losses[k] == pytest.approx(expected)


def test_a_point_rejected_on_the_latest_draft_ranks_above_a_larger_contest() -> None:
    from accord.domain import StanceKind

    problem = _problem()
    # ceasefire: everyone's favourite is the same, yet South rejected it and East set conditions
    stances = {
        ("south", "ceasefire"): StanceKind.REJECT,
        ("east", "ceasefire"): StanceKind.CONDITIONAL,
        ("north", "harbour"): StanceKind.CONDITIONAL,
        ("north", "border"): StanceKind.ACCEPT,
    }
    found = contested_points(problem, stances)
    assert [c.point for c in found] == [0, 1, 2], "rejected first, then with conditions, then by contest"
    assert found[0].rejected_by == (SOUTH,) and found[0].conditional_by == (EAST,)
    assert found[1].conditional_by == (NORTH,) and found[2].rejected_by == found[2].conditional_by == ()
    assert describe_contested_point(problem, found[0], 2) == (
        "point 1 (Ceasefire): no difference, everyone's favourite is 'Now'; "
        "on draft v2 rejected by South, accepted with conditions by East"
    )


def test_the_ranking_is_explained_in_words() -> None:
    from accord.analysis.contested import ranking_text

    words = ranking_text(3)
    for phrase in (
        "blocked",
        "rejected on the latest draft put to the parties (v3)",
        "only with conditions",
        "contest:",
        "spread:",
    ):
        assert phrase in words
