"""`accord show` names the bargaining powers of a scenario that gives any party a power other than 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from accord.cli.app import app
from tests.conftest import write_doc

runner = CliRunner()


def shown(tmp_path: Path, doc: dict[str, Any]) -> str:
    result = runner.invoke(app, ["show", str(write_doc(tmp_path / "s.yaml", doc))], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_show_lists_the_powers_by_party_name_when_one_differs_from_1(
    tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    small_doc["bargaining_power"] = {"north": 2.5}  # south left out: 1
    output = shown(tmp_path, small_doc)
    assert "Bargaining power (asymmetric Nash): North 2.5, South 1" in output
    assert "Envoy" not in output.split("Bargaining power", 1)[1].split("\n", 1)[0], "the mediator has none"


def test_show_says_nothing_of_power_when_every_party_has_1(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    assert "Bargaining power" not in shown(tmp_path, small_doc)
    small_doc["bargaining_power"] = {"north": 1, "south": 1.0}
    assert "Bargaining power" not in shown(tmp_path, small_doc)


def test_show_json_gives_each_partys_power_and_none_for_the_mediator(
    tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    import json

    small_doc["bargaining_power"] = {"north": 2.5}
    path = write_doc(tmp_path / "s.yaml", small_doc)
    result = runner.invoke(app, ["show", str(path), "--json"])
    assert result.exit_code == 0, result.output
    powers = {p["id"]: p["power"] for p in json.loads(result.output)["parties"]}
    assert powers["north"] == 2.5 and powers["south"] == 1.0
    mediators = [p["id"] for p in json.loads(result.output)["parties"] if p["role"] == "mediator"]
    assert mediators and all(powers[m] is None for m in mediators)
