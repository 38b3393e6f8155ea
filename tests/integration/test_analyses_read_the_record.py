"""Every analysis reads a scenario FILE or, with no FILE, the stored negotiation: no export needed.

The answer on the stored negotiation is the answer on the file it was imported from, command by
command, on SQLite and on PostgreSQL; the read asks the policy as the command line's local operator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app
from tests.cli_walk import assert_one_line_error
from tests.conftest import EXAMPLES

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000", "ACCORD_DATABASE_URL": None}
FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
TIMINGS = {"seconds"}  # how long a search took: the only figure allowed to differ between runs

# each analysis, as it is given after its FILE (or without one)
ANALYSES = {
    "solve": ["solve", "--json", "--draft", "3"],
    "frontier": ["frontier", "--json", "--draft", "3"],
    "diagnose": ["diagnose", "--json", "--draft", "3"],
    "improve": ["improve", "--json", "--draft", "3"],
    "logrolls": ["logrolls", "--json", "--draft", "3"],
    "contested": ["contested", "--json"],
    "adjusted-winner": ["adjusted-winner", "--json", "--party", "russia", "--party", "ukraine"],
    "robustness": ["robustness", "--json", "--draft", "3", "--samples", "2000", "--resolves", "3"],
    "status": ["status", "--json"],
}


def accord(*args: str) -> Result:
    return runner.invoke(app, list(args), env=ENV)


def _without_timings(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_timings(v) for k, v in data.items() if k not in TIMINGS}
    if isinstance(data, list):
        return [_without_timings(v) for v in data]
    return data


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return _without_timings(json.loads(result.stdout))


@pytest.fixture
def imported(database_url: str) -> str:
    result = accord("import", str(FLAGSHIP), "--db", database_url)
    assert result.exit_code == 0, result.output
    return database_url


@pytest.mark.parametrize("command", ANALYSES)
def test_the_stored_negotiation_gives_the_answer_its_file_gives(command: str, imported: str) -> None:
    name, *rest = ANALYSES[command]
    from_file = _json(accord(name, str(FLAGSHIP), *rest))
    from_record = _json(accord(name, *rest, "--db", imported))
    named = _json(accord(name, *rest, "--negotiation", "peace-framework-2025", "--db", imported))
    assert from_record == from_file
    assert named == from_file


def test_several_negotiations_stored_must_be_named(imported: str) -> None:
    camp_david = EXAMPLES / "camp-david-1978.yaml"
    assert accord("import", str(camp_david), "--db", imported).exit_code == 0
    for name, *rest in ANALYSES.values():
        line = assert_one_line_error(accord(name, *rest, "--db", imported), "--negotiation")
        assert "camp-david-1978" in line and "peace-framework-2025" in line, line
    from_file = _json(accord("contested", str(camp_david), "--json"))
    assert _json(accord("contested", "--json", "-n", "camp-david-1978", "--db", imported)) == from_file


def test_an_unknown_negotiation_is_one_line_naming_those_stored(imported: str) -> None:
    line = assert_one_line_error(accord("solve", "-n", "nowhere", "--db", imported), "nowhere")
    assert line.startswith("NotFoundError: ") and "peace-framework-2025" in line


def test_a_database_without_a_negotiation_says_import_one(database_url: str) -> None:
    assert accord("init", "--db", database_url).exit_code == 0
    for name, *rest in ANALYSES.values():
        line = assert_one_line_error(accord(name, *rest, "--db", database_url), "accord import")
        assert line.startswith("NotFoundError: the database holds no negotiation yet")


def test_a_file_and_a_stored_negotiation_together_is_a_usage_error(tmp_path: Path) -> None:
    result = accord("contested", str(FLAGSHIP), "--negotiation", "peace-framework-2025")
    assert_one_line_error(result, "--negotiation")
    assert result.exit_code == 2


def test_a_file_is_read_without_opening_any_database(tmp_path: Path) -> None:
    """--db says where the stored negotiation is; with a FILE it is not even opened."""
    missing = tmp_path / "no-such-folder" / "accord.db"
    assert accord("contested", str(FLAGSHIP), "--json", "--db", str(missing)).exit_code == 0
    assert not missing.parent.exists()


def test_the_stored_read_asks_the_policy(imported: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read is the mediator's analyses: a viewer the policy refuses them reads nothing."""
    from accord.security.policy import Seat, SeatRole, Viewer
    from accord.services import stored_negotiation

    def observer(username: str, negotiation: str) -> Viewer:
        return Viewer(username, username, {negotiation: Seat(SeatRole.OBSERVER)})

    monkeypatch.setattr(stored_negotiation, "command_line", observer)
    line = assert_one_line_error(accord("solve", "--db", imported), "analyses")
    assert line.startswith("AccessDenied: mediator-desk may not run the mediator's analyses")


def test_the_command_line_is_the_local_operator_with_the_mediators_seat() -> None:
    from accord.security.policy import Action, allows, command_line

    viewer = command_line("desk", "talks")
    assert all(allows(viewer, action, "talks") for action in Action)
    assert not allows(viewer, Action.ANALYSE, "other-talks"), "a seat at the negotiation it reads only"
