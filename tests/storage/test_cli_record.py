"""The record through the `accord` command: bad input gives a clear error, exit 1, nothing written;
and the flagship example replayed as a story, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.storage.database import open_database
from tests.storage.conftest import FLAGSHIP
from tests.storage.helpers import snapshot

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "160"}


def accord(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", url], env=ENV)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def imported(database_url: str) -> str:
    assert accord(database_url, "init")[0] == 0
    code, _out, err = accord(database_url, "import", str(FLAGSHIP))
    assert code == 0, err
    return database_url


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["draft", "show", "9"], "NotFoundError: negotiation 'peace-framework-2025' has no draft version 9"),
        (["draft", "show", "-n", "nowhere"], "NotFoundError: no negotiation 'nowhere'"),
        (
            ["stance", "set", "atlantis", "7", "accept"],
            "NotFoundError: negotiation 'peace-framework-2025' has no party 'atlantis'",
        ),
        (
            ["stance", "set", "russia", "99", "accept"],
            "NotFoundError: negotiation 'peace-framework-2025' has no point '99'",
        ),
        (["draft", "circulate", "3", "--to", "atlantis"], "has no party 'atlantis'"),
        (["draft", "new", "--choose", "7=barred"], "need --reason"),
        (
            ["draft", "new", "--choose", "7=nonsense", "--reason", "r"],
            "point 'nato-membership' has no option 'nonsense'",
        ),
        (
            ["meeting", "add", "--date", "2025-12-01", "--place", "Doha", "--with", "qatar"],
            "no party 'qatar'",
        ),
        (
            ["meeting", "add", "--date", "2025-12-01", "--place", "Doha", "--status", "cancelled"],
            "a cancelled meeting needs a --reason",
        ),
    ],
)
def test_bad_input_is_named_exits_1_and_writes_nothing(imported: str, args: list[str], words: str) -> None:
    database = open_database(imported)
    before = snapshot(database)
    code, out, err = accord(imported, *args)
    assert code == 1, out
    assert words in err
    assert "Traceback" not in err + out
    assert snapshot(database) == before
    database.dispose()


def test_an_uninitialised_database_is_named(tmp_path: Path) -> None:
    code, _, err = accord(f"sqlite:///{tmp_path / 'empty.db'}", "draft", "list")
    assert code == 1 and "StorageError" in err and "accord init" in err


def test_an_unreachable_server_is_a_clear_error() -> None:
    code, _, err = accord("postgresql://nobody@127.0.0.1:1/none", "draft", "list")
    assert code == 1 and err.startswith(
        "StorageError: cannot open database postgresql+psycopg://nobody@127.0.0.1:1/none"
    )


def test_a_bad_amendments_file_lists_every_problem_with_its_line(imported: str, tmp_path: Path) -> None:
    path = tmp_path / "amend.yaml"
    path.write_text(
        "- point: 7\n  option: barred\n- point: 8\n  reason: x\n- add: new\n  reason: y\n"
        "- point: 9\n  option: barred\n  text: and a text\n  reason: z\n",
        encoding="utf-8",
    )
    code, _, err = accord(imported, "draft", "new", "--amendments", str(path))
    assert code == 1
    assert f"{path}:1: [0].reason: missing; expected a reason for the amendment" in err
    assert f"{path}:3: [1]: expected exactly one change" in err
    assert f"{path}:5: [2].title: missing; expected the new point's title" in err
    # an option and a text: which one was meant? (the text was once dropped without a word)
    assert (
        f"{path}:7: [3]: expected exactly one change: option, text, drop: true, or add (given: option, text)"
        in err
    )
    assert "5 problems found" in err


def test_the_flagship_story(database_url: str, tmp_path: Path) -> None:
    """Draft A circulated to both parties, stances recorded, a meeting held, a meeting postponed,
    draft D amended into a new version and diffed against A, the audit log verified."""
    url = database_url
    assert accord(url, "init")[0] == 0
    assert accord(url, "import", str(FLAGSHIP))[0] == 0
    code, out, _ = accord(
        url, "draft", "circulate", "1", "--to", "russia", "--to", "ukraine", "--date", "2025-11-20"
    )
    assert code == 0 and "draft v1 handed to Russian Federation, Ukraine" in out
    for party, point, stance in (
        ("ukraine", "21", "reject"),
        ("russia", "21", "accept"),
        ("ukraine", "1", "accept"),
    ):
        code, out, err = accord(
            url, "stance", "set", party, point, stance, "--draft", "1", "--note", "round one"
        )
        assert code == 0, err
    code, out, err = accord(
        url,
        "meeting",
        "add",
        "--date",
        "2025-11-23",
        "--place",
        "Geneva",
        "--with",
        "united-states",
        "--with",
        "ukraine",
        "--draft",
        "1",
        "--paper",
        "Draft A",
        "--outcome",
        "revised text agreed in part",
    )
    assert code == 0, err
    code, out, err = accord(
        url,
        "meeting",
        "add",
        "--date",
        "2025-12-09",
        "--place",
        "Miami",
        "--with",
        "ukraine",
        "--status",
        "postponed",
        "--reason",
        "delegation delayed",
    )
    assert code == 0, err
    code, out, _ = accord(url, "meeting", "list", "--json")
    listed = json.loads(out)
    assert {m["status"] for m in listed} >= {"held", "postponed"}
    assert any(m["reason"] == "delegation delayed" for m in listed)
    code, out, err = accord(
        url,
        "draft",
        "new",
        "--from",
        "3",
        "--choose",
        "7=no-consensus",
        "--text",
        "12=A jointly run fund",
        "--reason",
        "closing the gap on membership and the fund",
        "--label",
        "E",
    )
    assert code == 0 and "draft v4 created from v3: 2 amendments" in out, err
    code, out, _ = accord(url, "draft", "diff", "1", "3", "--json")
    diff = json.loads(out)
    assert diff["from"] == 1 and diff["to"] == 3
    territory = next(p for p in diff["points"] if p["point"] == "territory")
    assert territory["change"] == "changed" and territory["words"]
    code, out, _ = accord(url, "draft", "diff", "1", "3")
    assert code == 0 and "[-" in out and "{+" in out
    code, out, _ = accord(url, "draft", "list", "--json")
    listing = json.loads(out)
    assert [d["version"] for d in listing["drafts"]] == [1, 2, 3, 4]
    assert listing["drafts"][0]["circulated_to"][:2] == ["russia", "ukraine"]
    code, out, _ = accord(url, "stance", "history", "--point", "21", "--json")
    assert [s["stance"] for s in json.loads(out) if s["note"] == "round one"] == ["reject", "accept"]
    code, out, err = accord(url, "status", "--json", "--plot", str(tmp_path / "plots"))
    assert code == 0, err
    status = json.loads(out)
    # v4 is the mediator's text, not yet circulated: the stances shown are on v3, the latest put to the
    # parties; every version is a round of the convergence
    assert status["draft"] == 3 and [r["version"] for r in status["rounds"]] == [1, 2, 3, 4]
    code, out, _ = accord(url, "status", "--draft", "4", "--json")
    assert code == 0 and json.loads(out)["draft"] == 4
    assert (tmp_path / "plots" / "stances.png").stat().st_size > 10_000
    # the stances over the drafts: the workbench's Vega-Lite chart, drawn to PNG
    assert (tmp_path / "plots" / "stances.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (tmp_path / "plots" / "convergence.png").stat().st_size > 10_000
    code, out, _ = accord(url, "audit", "log", "--json")
    assert [e["action"] for e in json.loads(out)] == [
        "negotiation.import",
        "draft.circulate",
        "stance.set",
        "stance.set",
        "stance.set",
        "meeting.add",
        "meeting.add",
        "draft.new",
    ]
    # the table says each action in words (reports.audit_words), the --json above keeps them as stored
    code, out, _ = accord(url, "audit", "log")
    said = " ".join(out.split())
    for words in ("negotiation imported", "draft circulated", "stance recorded", "meeting recorded"):
        assert words in said, words
    assert "new draft written" in said
    assert not re.search(r"\b(negotiation\.import|stance\.set|draft\.new|meeting\.add)\b", out)
    code, out, err = accord(url, "audit", "log", "-n", "peace-framework")  # a name mistyped: said so
    assert code == 1 and err.startswith("NotFoundError: no negotiation 'peace-framework' in the database")
    assert "Traceback" not in out + err
    code, out, _ = accord(url, "audit", "verify")
    assert code == 0 and "audit log intact: 8 entries" in out
    exported = tmp_path / "after.yaml"
    assert accord(url, "export", "-o", str(exported))[0] == 0
    assert runner.invoke(app, ["validate", str(exported)]).exit_code == 0


def test_an_import_counts_what_it_stored_in_words(database_url: str) -> None:
    from tests.conftest import EXAMPLES

    code, out, err = accord(database_url, "import", str(EXAMPLES / "camp-david-1978.yaml"))
    assert code == 0, err
    # Israel and Egypt negotiate; the United States mediates, and is named, not counted among them
    said = " ".join(out.split())
    expected = ": 6 points, 2 parties (United States mediating), 0 drafts, 0 stances, 1 meeting"
    assert said.endswith(expected), out


def test_a_draft_that_is_no_package_is_said_not_silently_left_out_of_solve(imported: str) -> None:
    import json

    code, _out, err = accord(
        imported,
        "draft",
        "new",
        "--from",
        "3",
        "--text",
        "21=Settled by a commission",
        "--drop",
        "26",
        "--reason",
        "r",
    )
    assert code == 0, err
    reason = (
        "draft 4 leaves point 21 (Territory) to a text of its own and does not hold point 26 (Amnesty), so "
        "it is no package of options to compare"
    )
    code, out, err = accord(imported, "solve", "--draft", "4", "--concept", "nash")
    assert code == 0, err
    assert f"Not compared with the draft: {reason}" in " ".join(out.split())
    assert "differs from the draft" not in out, "no legend for a column that is not there"
    code, out, err = accord(imported, "solve", "--draft", "4", "--concept", "nash", "--json")
    data = json.loads(out)
    assert data["draft"] is None and data["draft_not_compared"].startswith(reason)
    code, _out, err = accord(imported, "diagnose", "--draft", "4")
    assert code == 1 and err.startswith(f"DomainError: {reason}")
    code, out, err = accord(imported, "frontier", "--draft", "4")
    assert code == 0 and f"Not compared with the draft: {reason}" in " ".join(out.split()), err


@pytest.mark.parametrize(
    ("day", "words"),
    [
        ("2099-01-01", "DomainError: --date: 2099-01-01 is after today"),
        ("2020-01-01", "DomainError: --date: 2020-01-01 is before draft v3 was written (2025-12-23)"),
    ],
)
def test_a_draft_is_not_handed_over_before_it_was_written_or_after_today(
    imported: str, day: str, words: str
) -> None:
    code, _out, err = accord(imported, "draft", "circulate", "3", "--to", "russia", "--date", day)
    assert code == 1 and err.startswith(words), err
    code, _out, err = accord(imported, "draft", "circulate", "3", "--to", "russia", "--date", "2025-12-24")
    assert code == 0, err
