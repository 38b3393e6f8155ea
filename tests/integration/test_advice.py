"""Advice a mediator can act on (issue 15, item 5): an improvement smaller than the uncertainty of the
estimates says so; a logroll that leaves a party below its reservation value is no option."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli.app import app
from tests.conftest import EXAMPLES

runner = CliRunner()
FLAGSHIP = str(EXAMPLES / "peace-framework-2025.yaml")
COALITION = str(EXAMPLES / "coalition-agreement.yaml")
ENV = {"COLUMNS": "200"}


def test_improve_says_when_a_gain_is_within_the_uncertainty_of_the_estimates() -> None:
    result = runner.invoke(app, ["improve", FLAGSHIP, "--draft", "2", "--top", "2"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.output.count("Within the uncertainty of the estimates: may not be a real gain for") == 2
    assert "Russian Federation: better off in " in result.output and "of 400 draws" in result.output


def test_improve_json_gives_each_gain_checked_against_the_uncertainty() -> None:
    args = ["improve", FLAGSHIP, "--draft", "2", "--top", "2", "--json", "--samples", "300", "--seed", "5"]
    data = json.loads(runner.invoke(app, args, env=ENV).output)
    assert data["uncertainty_declared"] is True and data["seed"] == 5
    for item in data["improvements"]:
        check = item["uncertainty"]
        assert check["samples"] == 300 and "russia" in check["may_not_be_real"]
        russia = check["parties"]["russia"]
        assert 0 < russia["probability_better_off"] < 0.95 and russia["real_gain"] is False
        low, high = russia["gain_interval_90"]
        assert low < item["gains"]["russia"] < high
    assert json.loads(runner.invoke(app, args, env=ENV).output) == data, "seeded: the same answer twice"


def test_improve_without_declared_uncertainty_says_the_gains_are_unchecked() -> None:
    result = runner.invoke(app, ["improve", COALITION, "--draft", "1", "--top", "1"], env=ENV)
    assert "No party's preferences declare their uncertainty" in result.output
    data = json.loads(runner.invoke(app, ["improve", COALITION, "--draft", "1", "--json"], env=ENV).output)
    assert data["uncertainty_declared"] is False
    assert all(item["uncertainty"] is None for item in data["improvements"])


def test_logrolls_below_a_reservation_value_are_not_options() -> None:
    result = runner.invoke(app, ["logrolls", FLAGSHIP, "--draft", "3"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "None of the 7 trades keeps every party at or above its reservation value: "
        "each leaves Russian Federation below it, as the draft already does."
    )
    data = json.loads(runner.invoke(app, ["logrolls", FLAGSHIP, "--draft", "3", "--json"], env=ENV).output)
    assert data["logrolls"] == [] and len(data["rejected"]) == 7
    assert all(t["below_reservation"] == ["russia"] for t in data["rejected"])
    assert data["note"].startswith("None of the 7 trades")


def test_logrolls_all_lists_the_rejected_trades_marked() -> None:
    result = runner.invoke(app, ["logrolls", FLAGSHIP, "--draft", "3", "--all"], env=ENV)
    lines = result.output.splitlines()
    assert "Not options: these trades leave a party below its reservation value." in lines
    marked = [line for line in lines if line.startswith("✗ ")]
    assert len(marked) == 7 and all(
        line.endswith("below the reservation value of Russian Federation") for line in marked
    )


def test_logrolls_that_keep_every_party_are_listed_as_before() -> None:
    result = runner.invoke(app, ["logrolls", FLAGSHIP, "--draft", "2"], env=ENV)
    options = [line for line in result.output.splitlines() if line[:1].isdigit()]
    assert options and not any("below the reservation value" in line for line in options)


def test_a_draft_that_breaks_demands_never_looks_efficient_when_nothing_betters_it() -> None:
    result = runner.invoke(app, ["improve", FLAGSHIP, "--draft", "3", "--max-changes", "1000000"], env=ENV)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (
        "No package that keeps every red line, link and reservation value makes every party at least as well "
        "off and one better." in said
    ), "a limit above the number of points is no limit: not said"
    assert "Draft 3 itself breaks 5 demands: it is no efficient text" in said
    assert "`accord diagnose --draft 3`" in said
    within = runner.invoke(app, ["improve", FLAGSHIP, "--draft", "3", "--max-changes", "1"], env=ENV)
    assert "one better within 1 change." in " ".join(within.output.split())
