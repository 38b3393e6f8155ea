"""Every minimal conflict, the cheapest joint relaxations and a draft's faults, checked against brute force.

The reference decides every subset of demands at once: a subset can hold exactly when some package
breaks none of its members (each package's broken demands are computed once by enumeration).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.engine import get_solver
from accord.engine.backends import brute_force as bf
from accord.engine.conflicts import requirements
from accord.engine.diagnose import check_draft, diagnose, relaxed_problem
from accord.engine.problem import Problem, RedLineDemand
from tests.engine_strategies import problems

SOLVER = get_solver("highs")
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
small = problems(max_parties=3, max_points=4, max_options=3)


class Reference:
    """Brute force over packages and subsets of requirements (demands grouped as the engine groups them)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.reqs = requirements(problem.demands())
        index = {d: i for i, r in enumerate(self.reqs) for d in r.demands}
        self.packages = bf.all_packages(problem)
        self.violated = [frozenset(index[d] for d in problem.broken(p)) for p in self.packages]

    def holds(self, subset: frozenset[int]) -> bool:
        return any(not (v & subset) for v in self.violated)

    def subsets(self) -> list[frozenset[int]]:
        n = len(self.reqs)
        return [frozenset(c) for k in range(n + 1) for c in itertools.combinations(range(n), k)]

    def muses(self) -> set[frozenset[int]]:
        return {s for s in self.subsets() if not self.holds(s) and all(self.holds(s - {i}) for i in s)}

    def mcses(self) -> set[frozenset[int]]:
        everything = frozenset(range(len(self.reqs)))
        return {
            s
            for s in self.subsets()
            if self.holds(everything - s) and all(not self.holds(everything - s | {i}) for i in s)
        }

    def ids(self, reqs: object) -> frozenset[int]:
        return frozenset(self.reqs.index(r) for r in reqs)  # type: ignore[attr-defined]


@SETTINGS
@given(small)
def test_every_minimal_conflict_is_listed_and_nothing_else(problem: Problem) -> None:
    ref = Reference(problem)
    diagnosis = diagnose(problem, SOLVER, limit=10_000, top=10_000)
    everything = frozenset(range(len(ref.reqs)))
    assert diagnosis.deal_possible == ref.holds(everything)
    if diagnosis.deal_possible:
        assert not diagnosis.conflicts and not diagnosis.relaxations
        return
    assert diagnosis.complete
    found = [ref.ids(c.requirements) for c in diagnosis.conflicts]
    for conflict in found:
        assert not ref.holds(conflict), "a listed conflict cannot be met as a whole"
        assert all(ref.holds(conflict - {i}) for i in conflict), "drop any one member and the rest hold"
    assert len(set(found)) == len(found)
    assert set(found) == ref.muses(), "the enumeration is complete"
    listed = set().union(*found)
    assert {ref.reqs.index(r) for r, _ in diagnosis.alone} == listed
    for requirement, way in diagnosis.alone:
        alone = ref.holds(everything - {ref.reqs.index(requirement)})
        assert (way is not None) == alone, "a demand relaxed alone restores a deal exactly when it does"
    # relaxations: exactly the minimal correction sets, smallest first, each sufficient and minimal
    relaxed = [ref.ids(r.requirements) for r in diagnosis.relaxations]
    assert set(relaxed) == ref.mcses()
    sizes = [len(r) for r in relaxed]
    assert sizes == sorted(sizes)
    for relaxation in diagnosis.relaxations:
        after = relaxed_problem(problem, list(relaxation.requirements), relaxation.keep_at_most)
        assert relaxation.best is not None
        assert after.broken(np.array(relaxation.best.columns)) == [], "the relaxation makes a deal possible"


@SETTINGS
@given(small, st.integers(1, 3))
def test_the_limits_cut_short_and_say_so(problem: Problem, limit: int) -> None:
    ref = Reference(problem)
    diagnosis = diagnose(problem, SOLVER, limit=limit, top=limit)
    if diagnosis.deal_possible:
        return
    muses, mcses = ref.muses(), ref.mcses()
    found = {ref.ids(c.requirements) for c in diagnosis.conflicts}
    assert found <= muses and len(found) == min(limit, len(muses))
    assert diagnosis.complete == (found == muses)
    relaxed = [ref.ids(r.requirements) for r in diagnosis.relaxations]
    assert set(relaxed) <= mcses and len(relaxed) == min(limit, len(mcses))
    assert len(relaxed[0]) == min(len(s) for s in mcses), "the first relaxation is a smallest one"


@SETTINGS
@given(small)
def test_weight_ranking_puts_the_least_costly_first(problem: Problem) -> None:
    diagnosis = diagnose(problem, SOLVER, limit=1, top=10_000, rank="weight")
    if diagnosis.deal_possible:
        return
    costs = [r.cost for r in diagnosis.relaxations]
    assert costs == sorted(costs)
    for relaxation in diagnosis.relaxations:
        for party, keep in relaxation.keep_at_most:
            assert keep < problem.reservation[party] + 1e-9
        if len(relaxation.keep_at_most) == 1 and len(relaxation.requirements) == 1:
            ((party, keep),) = relaxation.keep_at_most
            best = bf.best_utilities(problem.without(list(relaxation.requirements[0].demands)))
            assert best is not None and keep == pytest.approx(best[party], abs=1e-7)


@SETTINGS
@given(small, st.data())
def test_draft_check_names_what_breaks_and_the_nearest_acceptable_package(
    problem: Problem, data: st.DataObject
) -> None:
    packages = bf.all_packages(problem)
    draft = packages[data.draw(st.integers(0, len(packages) - 1))]
    checked = check_draft(problem, draft, SOLVER)
    ref = Reference(problem)
    assert {d for r in checked.broken for d in r.demands} == set(problem.broken(draft))
    acceptable, _ = bf.acceptable(problem)
    if len(acceptable) == 0:
        assert checked.nearest is None
        return
    assert checked.nearest is not None and problem.broken(checked.nearest) == []
    fewest = int((acceptable != draft).sum(axis=1).min())
    assert len(checked.changes) == fewest == int((checked.nearest != draft).sum())
    assert ref.holds(frozenset(range(len(ref.reqs))))


def _toy(red_lines: tuple[RedLineDemand, ...], reservation: list[float]) -> Problem:
    """Two points of two options; three parties."""
    utility = np.array([[0.5, 0.0, 0.5, 0.0], [0.0, 0.5, 0.0, 0.5], [0.25, 0.25, 0.25, 0.25]])
    return Problem(
        parties=("russia", "ukraine", "europe"),
        party_names=("Russia", "Ukraine", "Europe"),
        points=("territory", "army"),
        point_titles=("Territory", "Army"),
        point_numbers=(1, 2),
        options=(("ceded", "kept"), ("capped", "free")),
        option_texts=(("Ceded", "Kept"), ("Capped", "Free")),
        utility=utility,
        reservation=np.array(reservation),
        red_lines=red_lines,
        reservations_active=(True, True, True),
    )


def test_a_red_line_two_parties_hold_names_both() -> None:
    # Ukraine and Europe both refuse ceding territory; Russia needs it ceded (reservation 0.5)
    problem = _toy((RedLineDemand(1, 0, 0), RedLineDemand(2, 0, 0)), [0.5, 0.0, 0.0])
    problem = replace(problem, utility=np.array([[1.0, 0.0, 0.0, 0.0], [0, 0.5, 0, 0.5], [0.25] * 4]))
    diagnosis = diagnose(problem, SOLVER)
    (conflict,) = diagnosis.conflicts
    shared = "Ukraine's and Europe's red line on point 1 (Territory): option 'Ceded'"
    assert set(conflict.descriptions) == {shared, "Russia's reservation value 0.5"}
    assert {d.party for d in conflict.demands} == {0, 1, 2}, "every holder is named"
    ways = [set(r.descriptions) for r in diagnosis.relaxations]
    assert {shared} in ways and {"Russia's reservation value 0.5"} in ways


def test_two_independent_conflicts_get_a_joint_relaxation() -> None:
    # on each point Russia vetoes one option and Ukraine (territory) or Europe (army) the other
    problem = _toy((RedLineDemand(1, 0, 0), RedLineDemand(2, 1, 2)), [0.0, 0.0, 0.0])
    problem = replace(problem, red_lines=(*problem.red_lines, RedLineDemand(0, 0, 1), RedLineDemand(0, 1, 3)))
    diagnosis = diagnose(problem, SOLVER)
    assert len(diagnosis.conflicts) == 2
    assert diagnosis.relaxations, "a joint way out is proposed"
    assert all(len(r.requirements) == 2 for r in diagnosis.relaxations)
    assert len(diagnosis.relaxations) == 4  # one red line from each conflict
    for relaxation in diagnosis.relaxations:
        assert relaxation.best is not None


FLAGSHIP = "examples/peace-framework-2025.yaml"


def test_cli_diagnose_draft_and_solve_name_broken_demands_in_words() -> None:
    from accord.cli.app import app

    runner = CliRunner()
    env = {"COLUMNS": "250"}
    text = runner.invoke(app, ["diagnose", FLAGSHIP, "--draft", "1"], env=env)
    assert text.exit_code == 0, text.output
    shared = "Ukraine's and European states (E3/EU)'s red line on point 21 (Territory)"
    assert "Draft 1 breaks 5 demands:" in text.output and shared in text.output
    assert "The nearest package that breaks none changes" in text.output
    data = json.loads(runner.invoke(app, ["diagnose", FLAGSHIP, "--draft", "1", "--json"]).output)
    breaks = data["draft"]["breaks"]
    assert any(b["holders"] == ["ukraine", "europe"] and b["kind"] == "red_line" for b in breaks)
    assert data["draft"]["nearest"]["changes"] and data["deal_possible"] is True
    solve = runner.invoke(app, ["solve", FLAGSHIP, "--draft", "1", "--concept", "nash"], env=env)
    assert solve.exit_code == 0, solve.output
    assert "Draft 1 breaks 5 demands:" in solve.output and shared in solve.output
    assert "'Armed forces capped at 600,000'" in solve.output, "option text, not keys"


def test_cli_diagnose_lists_joint_relaxations_on_a_tightened_flagship(tmp_path: Path) -> None:
    import yaml

    from accord.cli.app import app

    doc = yaml.safe_load(Path(FLAGSHIP).read_text(encoding="utf-8"))
    for party, value in (("russia", 0.75), ("ukraine", 0.65), ("europe", 0.65)):
        doc["parties"][party]["reservation_value"] = value
        doc["parties"][party].pop("uncertainty", None)
    path = tmp_path / "tight.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(app, ["diagnose", str(path)], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    assert "No deal is possible" in out.output and "Conflict 2" in out.output
    assert "relax these" in out.output and "together" in out.output
    data = json.loads(runner.invoke(app, ["diagnose", str(path), "--json", "--rank", "weight"]).output)
    assert data["complete"] is True and len(data["conflicts"]) > 1
    assert all(r["best"] is not None for r in data["relaxations"])
    assert data["relaxations"][0]["keep_at_most"]
