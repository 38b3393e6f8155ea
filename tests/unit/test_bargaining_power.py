"""Bargaining power: the asymmetric Nash solution (Kalai 1977), in the scenario, the engine and the CLI."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli.app import app
from accord.engine import Concept, Status, compile_problem, get_solver, solve
from accord.engine.backends import brute_force as bf
from accord.engine.concepts import best_utilities
from accord.engine.power import power_sweep, sweep_powers
from accord.engine.problem import Problem
from accord.errors import DomainError, EngineError, ScenarioError
from accord.reports.power_sweep import sweep_chart, sweep_data
from accord.scenario import dumps, load, loads, scenario_schema
from accord.security.policy import Seat, SeatRole, Viewer, visible
from tests.conftest import EXAMPLES, write_doc
from tests.engine_strategies import powered_problems, problems

SOLVER = get_solver("highs")
FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
runner = CliRunner()


def _weighted_value(problem: Problem, gains: tuple[float, ...]) -> float:
    """The product of gains, each raised to its party's power scaled to average 1 (parties able to gain)."""
    _, u = bf.acceptable(problem)
    active = (u.max(axis=0) - problem.reservation) > bf.NEGLIGIBLE_GAIN
    power = problem.powers[active] / problem.powers[active].mean()
    return float(np.prod(np.array(gains)[active] ** power))


# -- the engine against brute force ------------------------------------------------------------


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(powered_problems())
def test_asymmetric_nash_matches_brute_force(problem: Problem) -> None:
    outcome = solve(problem, Concept.NASH, solver=SOLVER)
    expected = bf.nash_value(problem)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE
        return
    best = outcome.best
    assert best is not None
    assert problem.broken(np.array(best.columns)) == []
    if expected == 0.0:
        assert best.status is Status.DEGENERATE
        return
    assert best.status is Status.OPTIMAL
    # the value is the product of gains, each raised to its party's power (scaled to average 1)
    assert best.value == pytest.approx(_weighted_value(problem, best.gains), rel=1e-9)
    assert best.value == pytest.approx(expected, rel=1e-7)
    chosen, _ = bf.nash_packages(problem, tolerance=1e-7)
    assert any(tuple(int(c) for c in row) == best.columns for row in chosen)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.lists(st.sampled_from([1e-6, 1e-3, 1.0, 1e3, 1e6]), min_size=4, max_size=4))
def test_powers_far_apart_still_match_brute_force(problem: Problem, powers: list[float]) -> None:
    """A party a million times weaker than another may be offered next to nothing: the search keeps its
    floors from rounding away (and from reaching a gain of 0, where the logarithm has no tangent)."""
    problem = problem.with_power(dict(zip(problem.parties, powers, strict=False)))
    outcome = solve(problem, Concept.NASH, solver=SOLVER)
    logs = bf.nash_log_values(problem)
    if logs is None:
        assert outcome.status is Status.INFEASIBLE
        return
    best = outcome.best
    assert best is not None and problem.broken(np.array(best.columns)) == []
    if not len(logs):
        assert best.status is Status.DEGENERATE
        return
    assert best.status is Status.OPTIMAL
    found = [tuple(int(c) for c in row) for row in bf.acceptable(problem)[0]].index(best.columns)
    assert logs[found] == pytest.approx(logs.max(), abs=1e-8)


def test_a_package_that_leaves_the_weak_party_nothing_is_never_proposed() -> None:
    """With powers a million apart the weak party's floor falls below the backend's tolerance, which then
    returned the package giving it 0 and called the search proven (gap 300%): it is cut off instead."""
    problem = Problem(
        parties=("strong", "weak"),
        party_names=("Strong", "Weak"),
        points=("p", "q"),
        point_titles=("P", "Q"),
        point_numbers=(1, 2),
        options=(("a", "b", "c"), ("x", "y")),
        option_texts=(("A", "B", "C"), ("X", "Y")),
        utility=np.array([[0.5, 0.25, 0.45, 0.5, 0.0], [0.0, 0.25, 0.005, 0.0, 0.5]]),
        reservation=np.zeros(2),
        reservations_active=(True, True),
    ).with_power({"strong": 1e6, "weak": 1e-6})
    for solver in (SOLVER, get_solver("cpsat")):
        best = solve(problem, Concept.NASH, solver=solver).best
        assert best is not None and best.status is Status.OPTIMAL and best.gap < 1e-6
        assert best.utilities == pytest.approx((0.95, 0.005)), "the strong party's best that leaves a gain"


def test_when_the_most_even_package_gives_a_party_only_a_negligible_gain_none_is_a_nash_candidate() -> None:
    """Found by hypothesis: the most even package leaves a party exactly NEGLIGIBLE_GAIN, which the
    backend's objective exceeded within its tolerance; the search then had no candidate at all (a
    ValueError). As brute force says, no package gives every party able to gain a real gain."""
    problem = Problem(
        parties=("a", "b", "c"),
        party_names=("A", "B", "C"),
        points=("p", "q"),
        point_titles=("P", "Q"),
        point_numbers=(1, 2),
        options=(("x", "y"), ("z",)),
        option_texts=(("X", "Y"), ("Z",)),
        utility=np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1e-6, 1.0, 0.0]]),
        reservation=np.zeros(3),
        reservations_active=(True, True, True),
    ).with_power({"a": 1e-6, "b": 1e-6, "c": 1e-6})
    assert bf.nash_log_values(problem) is not None and not len(bf.nash_log_values(problem))
    for solver in (SOLVER, get_solver("cpsat")):
        best = solve(problem, Concept.NASH, solver=solver).best
        assert best is not None and best.status is Status.DEGENERATE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(powered_problems(max_points=5, max_options=3))
def test_asymmetric_nash_on_cpsat_agrees_with_brute_force_to_its_scaling(problem: Problem) -> None:
    outcome = solve(problem, Concept.NASH, solver=get_solver("cpsat"))
    expected = bf.nash_value(problem)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE
        return
    assert outcome.best is not None
    if expected > 0:
        assert outcome.best.value == pytest.approx(expected, rel=1e-4, abs=1e-9)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_power_one_for_every_party_is_the_symmetric_nash_solution(problem: Problem) -> None:
    symmetric = solve(problem, Concept.NASH, solver=SOLVER)
    ones = solve(problem.with_power(dict.fromkeys(problem.parties, 1.0)), Concept.NASH, solver=SOLVER)
    equal = solve(problem.with_power(dict.fromkeys(problem.parties, 3.0)), Concept.NASH, solver=SOLVER)
    assert ones.status is symmetric.status and equal.status is symmetric.status
    if symmetric.best is None:
        return
    assert ones.best is not None and equal.best is not None
    assert ones.best.columns == symmetric.best.columns
    assert ones.best.value == symmetric.best.value
    # only the ratios of the powers matter: equal powers give the same package and the same value
    assert equal.best.columns == symmetric.best.columns
    assert equal.best.value == symmetric.best.value


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_points=5))
def test_a_very_large_power_gives_the_party_its_best_package_that_leaves_everyone_a_gain(
    problem: Problem,
) -> None:
    expected = bf.nash_value(problem)
    assume(expected)  # a deal where every party able to gain gains (more than the negligible 1e-6)
    _, u = bf.acceptable(problem)
    gains = u - problem.reservation
    able = (u.max(axis=0) - problem.reservation) > bf.NEGLIGIBLE_GAIN
    assume(able[0])
    everyone_gains = (gains[:, able] > bf.NEGLIGIBLE_GAIN).all(axis=1)
    best_for_first = float(u[everyone_gains, 0].max())
    strong = problem.with_power({problem.parties[0]: 1e9})
    outcome = solve(strong, Concept.NASH, solver=SOLVER)
    assert outcome.best is not None and outcome.best.status is Status.OPTIMAL
    assert outcome.best.utilities[0] == pytest.approx(best_for_first, abs=1e-8)


def test_a_very_large_power_tends_to_the_partys_best_acceptable_package_on_the_flagship() -> None:
    problem = compile_problem(load(FLAGSHIP))
    best = best_utilities(problem, SOLVER)
    assert best is not None
    russia = problem.parties.index("russia")
    utilities = []
    for power in (1.0, 2.0, 5.0, 1e6):
        outcome = solve(problem.with_power({"russia": power}), Concept.NASH, solver=SOLVER)
        assert outcome.best is not None and outcome.best.status is Status.OPTIMAL
        utilities.append(outcome.best.utilities[russia])
    assert utilities == sorted(utilities), "more power never leaves Russia worse off"
    assert utilities[0] < best[russia] - 0.05
    assert utilities[-1] == pytest.approx(best[russia], abs=1e-9)


def test_powers_on_a_problem_are_checked() -> None:
    problem = compile_problem(load(FLAGSHIP))
    assert problem.power == (1.0, 1.0, 1.0) and problem.symmetric
    assert problem.with_power({"russia": 2}).powers.tolist() == [2.0, 1.0, 1.0]
    with pytest.raises(DomainError, match="no party 'mars'"):
        problem.with_power({"mars": 2})
    for bad in (0.0, -1.0, float("inf"), float("nan")):
        with pytest.raises(DomainError, match="positive number"):
            problem.with_power({"russia": bad})


# -- the sweep ------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_points=5, max_options=3))
def test_a_power_sweep_never_leaves_the_swept_party_worse_off(problem: Problem) -> None:
    # revealed preference: optimal at w and at w' > w gives (w' - w)(log g(w') - log g(w)) >= 0
    sweep = power_sweep(problem, problem.parties[0], sweep_powers(0.5, 6.0, 5), SOLVER)
    assert [s.power for s in sweep.steps] == pytest.approx([0.5, 1.875, 3.25, 4.625, 6.0])
    found = [s.best for s in sweep.steps]
    if found[0] is None or found[0].status is not Status.OPTIMAL:
        return
    utilities = [b.utilities[0] for b in found if b is not None]
    assert all(b >= a - 1e-7 for a, b in itertools.pairwise(utilities))
    for previous, step in itertools.pairwise(sweep.steps):
        assert step.best is not None and previous.best is not None
        moved = {c.point for c in step.changes}
        assert moved == {
            p for p, (a, b) in enumerate(zip(previous.best.columns, step.best.columns, strict=True)) if a != b
        }
    start = found[0].columns
    for first in sweep.first_changes:
        assert first.before == start[first.point] and first.after != first.before


def test_the_sweep_starts_at_symmetric_nash_and_says_what_changes_hands_first() -> None:
    problem = compile_problem(load(FLAGSHIP))
    sweep = power_sweep(problem, "russia", sweep_powers(1.0, 4.0, 4), SOLVER)
    symmetric = solve(problem, Concept.NASH, solver=SOLVER).best
    assert symmetric is not None and sweep.steps[0].best is not None
    assert sweep.steps[0].best.columns == symmetric.columns
    assert sweep.powers == (1.0, 1.0, 1.0)
    assert sweep.first_changes, "Russia's power moves some point"
    assert [f.power for f in sweep.first_changes] == sorted(f.power for f in sweep.first_changes)
    data = sweep_data(problem, sweep)
    assert set(data) == {"party", "from", "to", "steps", "power", "package", "results", "first_changes"}
    assert data["party"] == "russia" and data["steps"] == 4 and (data["from"], data["to"]) == (1.0, 4.0)
    assert set(data["results"][0]) == {"power", "status", "value", "utilities", "gains", "changes"}
    assert data["results"][0]["changes"] == []
    change = data["first_changes"][0]
    assert set(change) == {"power", "number", "point", "title", "from", "from_text", "to", "to_text"}
    chart = sweep_chart(problem, sweep)
    assert chart.x == (1.0, 2.0, 3.0, 4.0)
    assert [s.name for s in chart.series if s.legend] == list(problem.party_names)
    assert chart.markers and json.dumps(chart.as_data())


def test_sweep_bounds_are_checked() -> None:
    with pytest.raises(EngineError, match="at least 2 steps"):
        sweep_powers(1, 2, 1)
    for low, high in ((2.0, 1.0), (0.0, 1.0), (1.0, 1.0)):
        with pytest.raises(EngineError, match="positive LO to a larger HI"):
            sweep_powers(low, high, 3)
    with pytest.raises(EngineError, match="no party 'mars'"):
        power_sweep(compile_problem(load(FLAGSHIP)), "mars", (1.0, 2.0), SOLVER)


# -- the scenario format ----------------------------------------------------------------------------


def test_bargaining_power_is_read_compiled_and_written_back(
    tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    small_doc["bargaining_power"] = {"north": 2.5}
    negotiation = load(write_doc(tmp_path / "powers.yaml", small_doc))
    assert negotiation.bargaining_power == {"north": 2.5}
    assert negotiation.power_of("south") == 1.0
    assert compile_problem(negotiation).power == (2.5, 1.0)
    again = loads(dumps(negotiation))
    assert again == negotiation
    assert "bargaining_power:\n  north: 2.5\n" in dumps(negotiation)
    assert "bargaining_power" not in dumps(load(EXAMPLES / "camp-david-1978.yaml")), "none: not written"
    schema = scenario_schema()["properties"]["bargaining_power"]
    assert schema["additionalProperties"]["exclusiveMinimum"] == 0


@pytest.mark.parametrize(
    ("powers", "path", "words"),
    [
        ({"west": 2}, "bargaining_power.west", "unknown party 'west'; expected one of: envoy, north, south"),
        ({"north": 0}, "bargaining_power.north", "expected a number > 0, got 0"),
        ({"north": -2}, "bargaining_power.north", "expected a number > 0, got -2"),
        ({"north": "strong"}, "bargaining_power.north", "expected a positive number, got 'strong'"),
        ({"north": float("inf")}, "bargaining_power.north", "expected a finite number, got infinity"),
        ({"envoy": 2}, "bargaining_power.envoy", "'envoy' is the mediator"),
        (["north", 2], "bargaining_power", "expected a mapping (key: value), got a list"),
    ],
)
def test_bad_bargaining_powers_are_named_with_file_line_and_field(
    tmp_path: Path, small_doc: dict[str, Any], powers: Any, path: str, words: str
) -> None:
    small_doc["bargaining_power"] = powers
    file = write_doc(tmp_path / "powers.yaml", small_doc)
    with pytest.raises(ScenarioError) as caught:
        load(file)
    found = [p for p in caught.value.problems if p.path == path]
    assert found, [str(p) for p in caught.value.problems]
    problem = found[0]
    assert words in problem.message
    assert problem.file == str(file) and problem.line is not None
    assert path.split(".")[-1] in file.read_text().splitlines()[problem.line - 1], "the field's own line"


def test_a_party_never_sees_the_bargaining_powers_the_mediator_set(small_doc: dict[str, Any]) -> None:
    small_doc["bargaining_power"] = {"north": 2, "south": 1}
    negotiation = loads(json.dumps(small_doc))
    mediator = Viewer("ann", seats={"harbour-talks": Seat(SeatRole.MEDIATOR)})
    member = Viewer("bob", seats={"harbour-talks": Seat(SeatRole.MEMBER, "north")})
    observer = Viewer("cy", seats={"harbour-talks": Seat(SeatRole.OBSERVER)})
    assert visible(mediator, "harbour-talks", negotiation).bargaining_power == {"north": 2.0, "south": 1.0}
    assert visible(member, "harbour-talks", negotiation).bargaining_power == {}
    assert visible(observer, "harbour-talks", negotiation).bargaining_power == {}


# -- the command line ------------------------------------------------------------------------------


def _solve(*args: str) -> Any:
    return runner.invoke(app, ["solve", *args])


def test_solve_power_option_changes_nash_and_says_so(tmp_path: Path) -> None:
    plain = _solve(str(FLAGSHIP), "--concept", "nash")
    assert plain.exit_code == 0, plain.output
    assert "bargaining power" not in plain.output, "all powers 1: nothing to say"
    strong = _solve(str(FLAGSHIP), "--concept", "nash", "--power", "russia=2", "--power", "ukraine=1")
    assert strong.exit_code == 0, strong.output
    assert "Nash with bargaining power Russian Federation 2, Ukraine 1, European states (E3/EU) 1" in (
        " ".join(strong.output.split())
    )
    assert "0.686" in strong.output and "0.633" not in strong.output


def test_solve_json_shows_the_powers_on_the_nash_result_only() -> None:
    result = _solve(str(FLAGSHIP), "--power", "russia=2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by_concept = {r["concept"]: r for r in data["results"]}
    assert by_concept["nash"]["power"] == {"russia": 2.0, "ukraine": 1.0, "europe": 1.0}
    assert all("power" not in r for c, r in by_concept.items() if c != "nash")
    nash = by_concept["nash"]["solutions"][0]
    gains = nash["gains"]
    # powers 2 : 1 : 1 scaled to average 1
    product = gains["russia"] ** 2 * gains["ukraine"] * gains["europe"]
    assert nash["value"] == pytest.approx(product**0.75, rel=1e-9)


def test_command_line_powers_override_the_scenarios(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["bargaining_power"] = {"north": 3}
    file = write_doc(tmp_path / "powers.yaml", small_doc)
    scenario = json.loads(_solve(str(file), "--concept", "nash", "--json").stdout)
    assert scenario["results"][0]["power"] == {"north": 3.0, "south": 1.0}
    overridden = json.loads(_solve(str(file), "--concept", "nash", "--power", "north=1", "--json").stdout)
    assert overridden["results"][0]["power"] == {"north": 1.0, "south": 1.0}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--power", "russia"], "expected PARTY=POWER"),
        (["--power", "russia=0"], "expected a positive number as russia's power"),
        (["--power", "russia=-1"], "expected a positive number"),
        (["--power", "russia=lots"], "expected a positive number"),
        (["--power", "russia=2", "--power", "russia=3"], "given twice"),
        (["--power", "mars=2"], "unknown party 'mars'"),
        (["--sweep-power", "mars=1:2:3"], "unknown party 'mars'"),
        (["--sweep-power", "russia=3:1:5"], "LO must be below HI"),
        (["--sweep-power", "russia=1:3:1"], "STEPS from 2"),
        (["--sweep-power", "russia=1:3:2.5"], "STEPS from 2"),
        (["--sweep-power", "russia=1:3"], "expected PARTY=LO:HI:STEPS"),
        (["--sweep-power", "russia"], "expected PARTY=LO:HI:STEPS"),
        (["--sweep-power", "russia=a:b:3"], "expected positive powers"),
        (["--sweep-power", "russia=0:2:3"], "expected positive powers"),
        (["--plot", "sweep.png"], "give --sweep-power too"),
        (["--sweep-power", "russia=1:2:3", "--concept", "egalitarian"], "sweeps the Nash package"),
        (["--sweep-power", "russia=1:2:3", "--top", "2"], "best Nash package only"),
    ],
)
def test_bad_power_options_are_a_usage_error_without_traceback(args: list[str], words: str) -> None:
    result = _solve(str(FLAGSHIP), *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert words in " ".join(result.output.replace("│", " ").split())


def test_sweep_power_prints_a_table_and_what_changes_hands_first(tmp_path: Path) -> None:
    plot = tmp_path / "sweep.png"
    result = _solve(str(FLAGSHIP), "--sweep-power", "russia=1:4:4", "--plot", str(plot))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "The Nash package as Russian Federation's bargaining power grows" in text
    assert "Points that change hands first, as Russian Federation's power grows:" in text
    assert "at 2: point" in text and "→" in text
    assert f"wrote {plot}" in text
    assert plot.read_bytes().startswith(PNG_SIGNATURE) and plot.stat().st_size > 5_000


def test_sweep_power_json(tmp_path: Path) -> None:
    plot = tmp_path / "sweep.svg"
    result = _solve(
        str(FLAGSHIP), "--sweep-power", "russia=1:3:3", "--power", "europe=2", "--json", "--plot", str(plot)
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["negotiation"] == "peace-framework-2025" and data["plot"] == str(plot)
    sweep = data["sweep"]
    assert sweep["party"] == "russia" and sweep["power"] == {"russia": 1.0, "ukraine": 1.0, "europe": 2.0}
    assert [r["power"] for r in sweep["results"]] == [1.0, 2.0, 3.0]
    assert all(r["status"] == "optimal" for r in sweep["results"])
    assert set(sweep["results"][1]["utilities"]) == {"russia", "ukraine", "europe"}
    assert "<svg" in plot.read_text(encoding="utf-8")


def test_the_solve_commands_module_imports_no_engine_until_a_command_runs() -> None:
    # start-up is a feature: the engine (NumPy, the solver backends) is imported inside the command
    heavy = ("numpy", "scipy", "highspy", "ortools", "matplotlib", "accord.engine", "accord.services")
    code = f"import sys, accord.cli.engine_commands; print([m for m in {heavy!r} if m in sys.modules])"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
