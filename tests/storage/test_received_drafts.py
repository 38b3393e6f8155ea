"""Drafts by date (issue 13, item 8) through the `accord` command, on SQLite and on PostgreSQL:
a party's counter-text recorded as a version with its choices in full and no amendments; every draft
listed and shown with its date, title, note and author; the chronology ordered by date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.storage.database import open_database
from tests.storage.conftest import FLAGSHIP
from tests.storage.helpers import snapshot

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "200"}


def accord(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", url], env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def imported(database_url: str) -> str:
    assert accord(database_url, "init")[0] == 0
    code, _out, err = accord(database_url, "import", str(FLAGSHIP))
    assert code == 0, err
    return database_url


def _choices_of(url: str, version: int) -> dict[str, str]:
    code, out, err = accord(url, "draft", "show", str(version), "--json")
    assert code == 0, err
    return {p["point"]: p["option"] for p in json.loads(out)["points"]}


def _choose(choices: dict[str, str]) -> list[str]:
    return [arg for point, option in choices.items() for arg in ("--choose", f"{point}={option}")]


# Russia's counter-text: draft D (v3) but for the territory, dated before D although recorded after it
COUNTER = {"territory": "de-facto-recognition", "army-size": "cap-600k"}
RECORD = ["--author", "russia", "--date", "2025-12-02", "--title", "Russian counter-text"]


def test_a_counter_text_is_recorded_with_its_choices_in_full_and_no_amendments(imported: str) -> None:
    choices = _choices_of(imported, 3) | COUNTER
    code, out, err = accord(
        imported, "draft", "record", *_choose(choices), *RECORD, "--note", "handed over in Moscow"
    )
    assert code == 0, err
    assert "draft v4 recorded: russia's text" in out

    code, out, _ = accord(imported, "draft", "show", "4", "--json")
    shown = json.loads(out)
    assert shown["author"] == "russia" and shown["date"] == "2025-12-02"
    assert shown["title"] == "Russian counter-text" and shown["note"] == "handed over in Moscow"
    assert shown["amendments"] == [] and shown["parent"] is None
    assert {p["point"]: p["option"] for p in shown["points"]} == choices

    code, out, _ = accord(imported, "draft", "diff", "3", "4", "--json")
    changed = {p["point"]: p["after_option"] for p in json.loads(out)["points"]}
    assert changed == COUNTER

    # audited like every draft write, and the chain still verifies
    code, out, _ = accord(imported, "audit", "log", "--json")
    entry = json.loads(out)[-1]
    assert entry["action"] == "draft.record"
    assert accord(imported, "audit", "verify")[0] == 0


def test_the_choices_can_come_from_a_file(imported: str, tmp_path: Path) -> None:
    choices = _choices_of(imported, 3) | COUNTER
    lines = [f"{point}: {option}" for point, option in choices.items()]
    lines[0] = "'1': reaffirmed  # points by id, or by number in quotes"
    file = tmp_path / "counter.yaml"
    file.write_text("\n".join(lines) + "\n")
    code, _out, err = accord(imported, "draft", "record", "--choices", str(file), *RECORD)
    assert code == 0, err
    assert _choices_of(imported, 4) == choices


def test_list_and_show_carry_date_title_note_and_author(imported: str) -> None:
    code, out, _ = accord(imported, "draft", "list", "--json")
    first = json.loads(out)["drafts"][0]
    assert {"date", "title", "note", "author"} <= set(first)
    assert first["date"] == "2025-11-20" and first["author"] == "united-states"
    code, out, _ = accord(imported, "draft", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["date"] == "2025-11-20" and "note" in shown and shown["title"]
    # and the text output shows them too
    code, out, _ = accord(imported, "draft", "list")
    assert "2025-11-20" in out and "date" in out
    code, out, _ = accord(imported, "draft", "show", "1")
    assert code == 0 and "2025-11-20" in out and "by United States" in out, "the author by name"


def test_the_chronology_orders_versions_by_date_where_numbers_disagree(imported: str, tmp_path: Path) -> None:
    code, _out, err = accord(
        imported, "draft", "record", *_choose(_choices_of(imported, 3) | COUNTER), *RECORD
    )
    assert code == 0, err
    code, out, _ = accord(imported, "draft", "list", "--json")
    listed = json.loads(out)["drafts"]
    assert [d["version"] for d in listed] == [1, 2, 4, 3]
    assert [d["date"] for d in listed] == ["2025-11-20", "2025-11-23", "2025-12-02", "2025-12-23"]
    code, out, err = accord(imported, "status", "--json", "--plot", str(tmp_path / "plots"))
    assert code == 0, err
    assert [r["version"] for r in json.loads(out)["rounds"]] == [1, 2, 4, 3]
    assert (tmp_path / "plots" / "convergence.png").stat().st_size > 10_000


def test_every_point_needs_an_option_and_the_missing_ones_are_listed(imported: str) -> None:
    choices = _choices_of(imported, 3)
    for dropped in ("territory", "army-size", "ceasefire"):
        del choices[dropped]
    database = open_database(imported)
    before = snapshot(database)
    code, out, err = accord(imported, "draft", "record", *_choose(choices), *RECORD)
    assert code == 1, out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("DomainError: ") and "every point" in lines[0]
    assert "6 (" in lines[0] and "21 (" in lines[0] and "28 (" in lines[0]
    assert snapshot(database) == before
    database.dispose()


@pytest.mark.parametrize(
    ("update", "extra", "words"),
    [
        (
            {},
            ["--choose", "99=reaffirmed"],
            "NotFoundError: negotiation 'peace-framework-2025' has no point '99'",
        ),
        ({"territory": "nonsense"}, [], "NotFoundError: point 'territory' has no option 'nonsense'"),
        ({}, ["--choose", "21=loc-freeze"], "DomainError: point 'territory' is given twice"),
        ({}, ["--date", "2025-13-45"], "DomainError: --date: expected a date YYYY-MM-DD, got '2025-13-45'"),
        ({}, ["--date", "last week"], "DomainError: --date: expected a date"),
        (
            {},
            ["--author", "atlantis"],
            "NotFoundError: negotiation 'peace-framework-2025' has no party 'atlantis'",
        ),
        ({}, ["--text", "territory="], "DomainError: --text: expected POINT=TEXT"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_and_nothing_is_written(
    imported: str, update: dict[str, str], extra: list[str], words: str
) -> None:
    database = open_database(imported)
    before = snapshot(database)
    choices = _choices_of(imported, 3) | update
    code, out, err = accord(imported, "draft", "record", *_choose(choices), *RECORD, *extra)
    assert code == 1, out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], err
    assert "Traceback" not in out + err
    assert snapshot(database) == before
    database.dispose()


def test_a_choices_file_with_a_problem_names_its_line(imported: str, tmp_path: Path) -> None:
    file = tmp_path / "counter.yaml"
    file.write_text("territory: [a, b]\n")
    database = open_database(imported)
    before = snapshot(database)
    code, _out, err = accord(imported, "draft", "record", "--choices", str(file), *RECORD)
    assert code == 1
    assert err.strip().startswith(f"ScenarioError: {file}:1") and "territory" in err, err
    assert snapshot(database) == before
    database.dispose()
