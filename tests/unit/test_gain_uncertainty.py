"""A gain smaller than the uncertainty of the estimates says so (issue 15, item 5)."""

from __future__ import annotations

from dataclasses import replace

from accord.analysis.gain_uncertainty import (
    GainCheck,
    GainSpread,
    check_gains,
    declares_uncertainty,
    describe_check,
)
from accord.analysis.robustness import build_model
from accord.domain import Uncertainty
from accord.engine import compile_problem, get_solver
from accord.engine.improve import improvements
from accord.engine.problem import IntArray, Problem, draft_columns
from accord.scenario import load
from accord.services.compromise import improvement_uncertainty
from tests.conftest import EXAMPLES

FLAGSHIP = load(EXAMPLES / "peace-framework-2025.yaml")


def _improvements_of_draft_b() -> tuple[Problem, IntArray, list[tuple[int, ...]]]:
    problem = compile_problem(FLAGSHIP)
    draft = draft_columns(problem, FLAGSHIP.draft(2))
    found = improvements(problem, draft, get_solver("auto"), top=3)
    return problem, draft, [i.columns for i in found]


def test_small_gains_on_the_flagship_are_within_the_uncertainty_of_the_estimates() -> None:
    problem, draft, packages = _improvements_of_draft_b()
    checks = improvement_uncertainty(FLAGSHIP, problem, draft, packages)
    assert checks is not None and len(checks) == len(packages) == 3
    for check in checks:
        assert check.samples == 400
        russia = check.parties[0]
        assert russia.estimate > 0 and russia.better < 0.95 and russia.low < 0 < russia.high
        assert 0 in check.doubtful()
        assert describe_check(problem.party_names, check).startswith(
            "Within the uncertainty of the estimates: may not be a real gain for Russian Federation"
        )


def test_the_same_seed_gives_the_same_answer_and_another_seed_another() -> None:
    problem, draft, packages = _improvements_of_draft_b()
    model = build_model(FLAGSHIP, problem)
    assert check_gains(model, draft, packages, seed=3) == check_gains(model, draft, packages, seed=3)
    assert check_gains(model, draft, packages, seed=3) != check_gains(model, draft, packages, seed=4)


def test_gains_beyond_a_tight_uncertainty_are_real() -> None:
    tight = replace(
        FLAGSHIP,
        preferences={
            party: replace(prefs, uncertainty=Uncertainty(dirichlet=1e7))
            for party, prefs in FLAGSHIP.preferences.items()
        },
    )
    problem, draft, packages = _improvements_of_draft_b()
    checks = improvement_uncertainty(tight, problem, draft, packages)
    assert checks is not None
    for check in checks:
        assert check.doubtful() == ()
        assert all(s.real for s in check.parties if s.estimate > 0)
        assert describe_check(problem.party_names, check).startswith(
            "Beyond the uncertainty of the estimates"
        )


def test_no_declared_uncertainty_means_nothing_to_check_against() -> None:
    certain = replace(
        FLAGSHIP,
        preferences={p: replace(prefs, uncertainty=None) for p, prefs in FLAGSHIP.preferences.items()},
    )
    problem, draft, packages = _improvements_of_draft_b()
    assert not declares_uncertainty(build_model(certain, problem))
    assert improvement_uncertainty(certain, problem, draft, packages) is None


def test_a_party_that_gains_nothing_is_doubtful_only_when_it_may_lose() -> None:
    steady = GainSpread(estimate=0.0, low=0.0, high=0.0, better=0.0, worse=0.0)
    shaky = GainSpread(estimate=0.0, low=-0.02, high=0.02, better=0.5, worse=0.5)
    real = GainSpread(estimate=0.03, low=0.01, high=0.05, better=0.99, worse=0.0)
    check = GainCheck((real, steady, shaky), samples=400)
    assert check.doubtful() == (2,)
    assert describe_check(["North", "South", "East"], check) == (
        "Within the uncertainty of the estimates: may leave East worse off."
    )
