"""`accord robustness --posterior` and `accord solve --posterior` on a scenario file (issue 14 item 6):
preferences drawn from each party's posterior given the recorded evidence instead of the declared
uncertainty; the solve's odds agree with the robustness Monte Carlo; a posterior that fails its
diagnostics is refused in one line naming why, unless --force."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis import estimate as estimating
from accord.cli.app import app
from accord.engine.problem import compile_problem
from accord.scenario import load
from accord.services.robustness import posterior_acceptance
from tests.conftest import EXAMPLES, write_doc
from tests.robustness.test_monte_carlo import DOC

FLAGSHIP = str(EXAMPLES / "peace-framework-2025.yaml")
FEW = ["--posterior", "--posterior-samples", "200", "--force"]  # quick; too few to trust: forced
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "1000"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _json(*args: str) -> Any:
    code, out, err = _run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_solve_reports_each_package_with_its_odds_under_the_posterior() -> None:
    data = _json("solve", FLAGSHIP, "--draft", "3", *FEW, "--seed", "3")
    assert data["posterior"]["samples"] == 200 and data["posterior"]["seed"] == 3
    assert set(data["posterior"]["diagnostics"]) == {"russia", "ukraine", "europe"}
    assert all(n > 0 for n in data["posterior"]["evidence"].values())
    for result in data["results"]:
        for solution in result["solutions"]:
            odds = solution["posterior_acceptance"]
            assert 0 <= odds["all"] <= 1
            assert odds["all"] == pytest.approx(np.prod(list(odds["parties"].values())))
    # draft 3 crosses Russia's red lines, which hold in every draw: no draw accepts it
    assert data["draft"]["posterior_acceptance"]["all"] == 0.0
    assert data["draft"]["posterior_acceptance"]["parties"]["russia"] == 0.0
    # the declared preferences' own packages are kept: --posterior adds, it does not re-solve
    plain = _json("solve", FLAGSHIP, "--draft", "3")
    assert [r["solutions"][0]["package"] for r in plain["results"]] == [
        r["solutions"][0]["package"] for r in data["results"]
    ]
    assert "posterior_acceptance" not in plain["results"][0]["solutions"][0] and "posterior" not in plain


def test_solve_shows_the_odds_in_its_table() -> None:
    code, out, err = _run("solve", FLAGSHIP, "--concept", "nash", *FEW)
    assert code == 0, err
    assert "P(all accept" in out and "| posterior)" in out
    assert "drawn from its posterior (200 draws per party, seed 0" in out


def test_robustness_samples_the_posterior_and_agrees_with_the_exact_odds() -> None:
    data = _json(
        "robustness", FLAGSHIP, "--concepts", "nash,utilitarian", "--samples", "40000", "--resolves", "0",
        "--seed", "5", *FEW,
    )  # fmt: skip
    assert data["preferences"] == "posterior"
    assert data["posterior"]["samples"] == 200 and set(data["posterior"]["forced"]) <= {
        "russia",
        "ukraine",
        "europe",
    }
    # the sensitivity names the posterior's parameters: weights of points and reservation values
    assert any("reservation value" in s["parameter"] for s in data["sensitivity"])
    negotiation = load(Path(FLAGSHIP))
    problem = compile_problem(negotiation)
    packages = [problem.columns({p: o for p, o in c["package"].items()}) for c in data["candidates"]]
    exact = posterior_acceptance(negotiation, problem, packages, samples=200, seed=5, force=True)
    for candidate, p in zip(data["candidates"], exact.everyone, strict=True):
        error = max(np.sqrt(p * (1 - p) / 40000), 1e-4)
        assert abs(candidate["acceptance"] - p) < 5 * error, (candidate["name"], candidate["acceptance"], p)
    declared = _json("robustness", FLAGSHIP, "--concepts", "nash", "--samples", "20000", "--resolves", "0")
    assert declared["preferences"] == "uncertainty" and declared["posterior"] is None


def test_robustness_from_the_posterior_needs_no_uncertainty_block(tmp_path: Path) -> None:
    doc = copy.deepcopy(DOC)
    for party in doc["parties"].values():
        del party["uncertainty"]
    path = str(write_doc(tmp_path / "toy.yaml", doc))
    code, _, err = _run("robustness", path, "--draft", "1", "--samples", "1000")
    assert code == 1 and "no party's preferences have an `uncertainty` block" in err
    data = _json("robustness", path, "--draft", "1", "--samples", "20000", *FEW)
    assert data["preferences"] == "posterior" and data["posterior"]["evidence"] == {"north": 0, "south": 0}
    assert 0 < data["candidates"][0]["acceptance"] < 1  # the prior's spread: some draws accept, some not


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every posterior fails its diagnostics, whatever the sampler would say."""
    real = estimating.estimate

    def estimate(*args: Any, **kwargs: Any) -> estimating.Posterior:
        found = real(*args, **kwargs)
        diagnostics = replace(found.diagnostics, ok=False, problems=("planted: the runs disagree",))
        return replace(found, diagnostics=diagnostics)

    monkeypatch.setattr(estimating, "estimate", estimate)


@pytest.mark.parametrize(
    "command",
    [
        ["solve", FLAGSHIP, "--concept", "nash"],
        ["robustness", FLAGSHIP, "--concepts", "nash", "--samples", "1000", "--resolves", "0"],
    ],
)
def test_a_posterior_that_fails_its_diagnostics_is_refused_unless_forced(
    failing: None, command: list[str]
) -> None:
    code, out, err = _run(*command, "--posterior", "--posterior-samples", "200")
    assert code == 1 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("DomainError: the posterior failed its diagnostics (Russian Federation: planted")
    assert "--force" in line
    data = _json(*command, "--posterior", "--posterior-samples", "200", "--force")
    assert data["posterior"]["forced"] == ["russia", "ukraine", "europe"]
    assert data["posterior"]["diagnostics"]["russia"]["problems"] == ["planted: the runs disagree"]


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["solve", FLAGSHIP, "--force"], "goes with --posterior"),
        (["solve", FLAGSHIP, "--posterior", "--sweep-power", "russia=1:2:2"], "leave out --sweep-power"),
        (["robustness", FLAGSHIP, "--draft", "3", "--force"], "go with --posterior"),
        (["robustness", FLAGSHIP, "--draft", "3", "--posterior", "--posterior-samples", "0"], "at least 1"),
    ],
)
def test_posterior_options_out_of_place_are_one_line_errors(command: list[str], words: str) -> None:
    code, _, err = _run(*command)
    assert code in (1, 2) and words in err and "Traceback" not in err
