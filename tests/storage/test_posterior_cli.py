"""`accord solve --posterior` and `accord robustness --posterior` on the record (SQLite and PostgreSQL):
the posterior rests on the stances stored, so a stance recorded since moves it."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from accord.cli.app import app
from tests.storage.conftest import FLAGSHIP

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000"}
FEW = ["--posterior", "--posterior-samples", "200", "--force"]


def ok(url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", url], env=ENV)
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result.stdout


def test_the_posterior_reads_the_stances_on_record(database_url: str) -> None:
    ok(database_url, "init")
    ok(database_url, "import", str(FLAGSHIP))
    before: Any = json.loads(ok(database_url, "solve", "--concept", "nash", *FEW, "--json"))
    odds = before["results"][0]["solutions"][0]["posterior_acceptance"]
    assert 0 <= odds["all"] <= 1 and set(odds["parties"]) == {"russia", "ukraine", "europe"}
    # Russia now studies the territory point: that stance carries no information, one piece fewer
    ok(database_url, "stance", "set", "russia", "territory", "studying", "--draft", "3")
    after: Any = json.loads(ok(database_url, "solve", "--concept", "nash", *FEW, "--json"))
    assert after["posterior"]["evidence"]["russia"] == before["posterior"]["evidence"]["russia"] - 1
    assert after["posterior"]["evidence"]["ukraine"] == before["posterior"]["evidence"]["ukraine"]
    robust: Any = json.loads(
        ok(database_url, "robustness", "--draft", "3", "--samples", "5000", *FEW, "--json")
    )
    assert robust["preferences"] == "posterior"
    assert robust["posterior"]["evidence"] == after["posterior"]["evidence"]
    assert robust["candidates"][0]["acceptance"] == 0.0  # draft 3 crosses Russia's red lines
