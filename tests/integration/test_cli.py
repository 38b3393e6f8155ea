"""The `accord` command through Typer's runner, and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.app import app
from accord.scenario import load
from tests.conftest import EXAMPLES, GENIUS_FIXTURES, write_doc

runner = CliRunner()

COMMANDS = [
    "validate",
    "show",
    "schema",
    "import-genius",
    "export-genius",
    "solve",
    "diagnose",
    "improve",
    "frontier",
    "logrolls",
    "contested",
    "adjusted-winner",
    "init",
    "import",
    "export",
    "negotiations",
    "status",
    "serve",
]


def test_validate_accepts_a_valid_file() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLES / "camp-david-1978.yaml")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and "6 points" in result.output


def test_validate_counts_the_parties_that_negotiate_and_names_the_mediator_apart() -> None:
    # the flagship's United States holds the pen: it mediates, it is not one of the parties to the deal
    result = runner.invoke(app, ["validate", str(EXAMPLES / "peace-framework-2025.yaml")])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "28 points, 3 parties (United States mediating), 3 drafts, 95 stances" in said
    assert "4 parties" not in said


def test_validate_lists_every_problem_and_exits_1_without_traceback(
    tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    small_doc["parties"]["north"]["weights"]["harbour"] = -1
    small_doc["parties"]["south"]["reservation_value"] = 3
    path = write_doc(tmp_path / "bad.yaml", small_doc)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "ScenarioError: 2 problems found" in result.output
    assert "parties.north.weights.harbour" in result.output
    assert "parties.south.reservation_value" in result.output
    assert f"{path}:" in result.output


def test_validate_of_a_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "cannot read the file" in result.output and "Traceback" not in result.output


def test_show_prints_points_parties_and_stances(small_doc: dict[str, Any], tmp_path: Path) -> None:
    small_doc["stances"].append({"draft": 2, "party": "north", "point": "harbour", "stance": "reject"})
    path = write_doc(tmp_path / "s.yaml", small_doc)
    result = runner.invoke(app, ["show", str(path)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for text in (
        "Control of the harbour",
        "Joint administration",
        "North",
        "mediator",
        "Draft 2",
        "reject",
        "accept",
    ):
        assert text in result.output


def test_show_json_is_machine_readable(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    path = write_doc(tmp_path / "s.yaml", small_doc)
    result = runner.invoke(app, ["show", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["outcome_count"] == 6
    assert [p["id"] for p in data["points"]] == ["ceasefire", "harbour"]
    assert data["latest_draft"]["version"] == 2
    assert data["latest_draft"]["choices"]["ceasefire"] == {
        "option": "immediate",
        "text": "Immediate ceasefire",
    }
    assert data["latest_draft"]["choices"]["harbour"]["text"] == "Administration to be agreed"
    assert data["stances"] == {"ceasefire": {"south": "accept"}}
    north = next(p for p in data["parties"] if p["id"] == "north")
    assert north == {
        "id": "north",
        "name": "North",
        "role": "party",
        "has_preferences": True,
        "red_lines": 1,
        "power": 1.0,
    }


def test_schema_is_json_schema_that_every_example_satisfies() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    for example in EXAMPLES.glob("*.yaml"):
        document = yaml.load(example.read_text("utf-8"), Loader=yaml.BaseLoader)  # dates stay text
        jsonschema.validate(_numbers(document, yaml.safe_load(example.read_text("utf-8"))), schema)


def _numbers(text_doc: Any, typed_doc: Any) -> Any:
    """The typed document with dates kept as text, as accord reads it."""
    if isinstance(typed_doc, dict):
        return {k: _numbers(text_doc[k], v) for k, v in typed_doc.items()}
    if isinstance(typed_doc, list):
        return [_numbers(t, v) for t, v in zip(text_doc, typed_doc, strict=True)]
    return text_doc if not isinstance(typed_doc, bool | int | float | type(None)) else typed_doc


def test_import_genius_then_export_genius(tmp_path: Path) -> None:
    scenario = tmp_path / "holiday.yaml"
    result = runner.invoke(
        app,
        [
            "import-genius",
            str(GENIUS_FIXTURES / "holiday_domain.xml"),
            str(GENIUS_FIXTURES / "holiday_parent.xml"),
            str(GENIUS_FIXTURES / "holiday_teenager.xml"),
            "-o",
            str(scenario),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "3 points, 2 parties (18 packages)" in result.output
    negotiation = load(scenario)
    assert negotiation.preferences["holiday-parent"].reservation_value == 0.25
    out = tmp_path / "genius"
    result = runner.invoke(app, ["export-genius", str(scenario), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "holiday-domain.xml",
        "holiday-parent.xml",
        "holiday-teenager.xml",
    ]


def test_import_genius_of_a_broken_file_is_a_clean_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<negotiation_template><utility_space>")
    result = runner.invoke(app, ["import-genius", str(broken), str(broken), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1
    assert "GeniusFormatError:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.yaml").exists(), "nothing is written on failure"


def test_export_genius_warns_about_red_lines(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    path = write_doc(tmp_path / "s.yaml", small_doc)
    result = runner.invoke(app, ["export-genius", str(path), "-o", str(tmp_path / "x")])
    assert result.exit_code == 0
    assert "warning: north: 1 red line and 1 link are not part of GENIUS's format" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_useful_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Usage:" in result.output
    body = result.output.split("Usage:", 1)[1]
    assert len(body.split()) > 25, f"`accord {command} --help` explains itself"


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


def test_python_dash_m_accord_runs_as_a_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "validate", str(EXAMPLES / "camp-david-1978.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valid" in done.stdout


def test_a_bad_file_gives_exit_1_and_no_traceback_as_a_process(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("negotiation: [\n")
    done = subprocess.run(
        [sys.executable, "-m", "accord", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr.startswith("ScenarioError:") and "Traceback" not in done.stderr


FLAGSHIP = str(EXAMPLES / "peace-framework-2025.yaml")
CAMP_DAVID = str(EXAMPLES / "camp-david-1978.yaml")


def test_solve_prints_every_concept_and_json_is_stable() -> None:
    result = runner.invoke(app, ["solve", FLAGSHIP, "--draft", "3"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for concept in ("nash", "kalai-smorodinsky", "egalitarian", "leximin", "utilitarian", "draft 3"):
        assert concept in result.output
    # the packages say each option in words, never by its key
    shown = " ".join(result.output.split())
    assert "Armed forces of 800,000 in peacetime" in shown and "cap-800k" not in shown
    result = runner.invoke(app, ["solve", FLAGSHIP, "--concept", "ks", "--top", "2", "--json"])
    data = json.loads(result.output)
    (outcome,) = data["results"]
    assert outcome["concept"] == "kalai-smorodinsky" and len(outcome["solutions"]) == 2
    first = outcome["solutions"][0]
    assert first["status"] == "optimal" and set(first["utilities"]) == {"russia", "ukraine", "europe"}
    assert {p["point"] for p in first["package"]} >= {"territory", "army-size"}


def test_solve_rejects_an_unknown_concept_cleanly() -> None:
    result = runner.invoke(app, ["solve", FLAGSHIP, "--concept", "fairest"])
    assert result.exit_code == 1 and "EngineError: unknown concept 'fairest'" in result.output


def test_diagnose_explains_a_deadlock(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    # North's red line excludes the south; South's the north; with high reservation values no deal remains
    small_doc["parties"]["north"]["reservation_value"] = 0.9
    small_doc["parties"]["south"]["reservation_value"] = 0.9
    path = write_doc(tmp_path / "deadlock.yaml", small_doc)
    result = runner.invoke(app, ["diagnose", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "No deal is possible" in result.output and "Conflict 1" in result.output
    assert "reservation value 0.9" in result.output
    data = json.loads(runner.invoke(app, ["diagnose", str(path), "--json"]).output)
    assert data["deal_possible"] is False and data["conflicts"]
    assert runner.invoke(app, ["solve", str(path)]).output.count("no deal") == 5


def test_improve_logrolls_contested_frontier_and_adjusted_winner(tmp_path: Path) -> None:
    improve = runner.invoke(app, ["improve", FLAGSHIP, "--draft", "2", "--max-changes", "3", "--json"])
    assert improve.exit_code == 0, improve.output
    for item in json.loads(improve.output)["improvements"]:
        assert all(g >= -1e-9 for g in item["gains"].values()) and len(item["changes"]) <= 3
    trades = json.loads(runner.invoke(app, ["logrolls", FLAGSHIP, "--draft", "2", "--json"]).output)[
        "logrolls"
    ]
    assert trades and "gives way on point" in trades[0]["description"]
    contested = json.loads(runner.invoke(app, ["contested", FLAGSHIP, "--json"]).output)["points"]
    assert "territory" in [c["point"] for c in contested[:3]]
    plot = tmp_path / "frontier.png"
    frontier = runner.invoke(app, ["frontier", CAMP_DAVID, "--plot", str(plot), "--json"])
    data = json.loads(frontier.output)
    assert data["exact"] and len(data["points"]) == 11 and plot.read_bytes().startswith(b"\x89PNG")
    winner = json.loads(runner.invoke(app, ["adjusted-winner", CAMP_DAVID, "--json"]).output)
    assert winner["split_item"] == "sinai" and winner["totals"] == ["395/6", "395/6"]


def test_adjusted_winner_leaves_out_the_points_both_prefer_the_same_option_on() -> None:
    from accord.engine.fair_division import common_ground
    from accord.scenario import load

    args = ["adjusted-winner", FLAGSHIP, "--party", "russia", "--party", "ukraine"]
    winner = json.loads(runner.invoke(app, [*args, "--json"]).output)
    agreed = common_ground(load(FLAGSHIP), "russia", "ukraine")
    assert agreed and winner["agreed"] == agreed and not set(agreed) & set(winner["allocation"])
    shown = " ".join(runner.invoke(app, args).output.split())
    assert f"On {len(agreed)} points (listed apart) both prefer the same option" in shown
    negotiation = load(FLAGSHIP)
    listed = shown.split("Not divided, both prefer the same option there:", 1)[1]
    for key in agreed:
        point = negotiation.point(key)
        scores = negotiation.preferences["russia"].scores[key]
        best = max(point.options, key=lambda o: scores.get(o.key, -1))
        assert f"{point.number}. {point.title}: “{best.text}”" in listed
    assert winner["totals"][0] == winner["totals"][1]


def test_adjusted_winner_needs_two_parties() -> None:
    result = runner.invoke(app, ["adjusted-winner", FLAGSHIP])
    assert result.exit_code == 1 and "exactly two parties" in result.output


def test_with_no_package_that_keeps_every_red_line_frontier_says_there_is_no_frontier(tmp_path: Path) -> None:
    doc = yaml.safe_load((EXAMPLES / "camp-david-1978.yaml").read_text(encoding="utf-8"))
    sinai = next(p for p in doc["points"] if p["id"] == "sinai")
    for party in ("israel", "egypt"):  # both rule out every option of Sinai: no deal
        doc["parties"][party]["red_lines"] = [
            {"point": "sinai", "option": o["key"]} for o in sinai["options"]
        ]
    path = write_doc(tmp_path / "no-deal.yaml", doc)
    result = runner.invoke(app, ["frontier", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert (
        "No package respects every red line, link and reservation value, so there is no frontier: run "
        "`accord diagnose`" in result.output
    )
    assert "0 packages on the Pareto frontier" not in result.output
    aw = runner.invoke(app, ["adjusted-winner", str(path), "--json"], env={"COLUMNS": "200"})
    crossed = json.loads(aw.output)["red_lines_crossed"]
    assert any(s.startswith("Point 1 (Sinai): Israel's way there") for s in crossed), crossed
