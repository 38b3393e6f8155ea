"""Stances corrected and withdrawn, their history, and sources on stances and drafts, through the
`accord` command (issue 13, items 6 and 7), on SQLite and PostgreSQL: the new kinds, the as-of date,
a correction or withdrawal as a new audited entry with its reason (nothing overwritten), the current
stance every reader folds from it, and bad input refused in one line naming the option, exit 1,
nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import audit, workbench
from accord.storage.database import open_database
from accord.storage.unit_of_work import reading
from tests.storage.conftest import FLAGSHIP
from tests.storage.helpers import snapshot

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000"}
NAME = "peace-framework-2025"
TASS = [
    "--source-outlet",
    "TASS",
    "--source-title",
    "Peskov: parts of the plan are acceptable",
    "--source-url",
    "https://tass.com/politics/peskov-plan",
    "--source-date",
    "2025-12-26",
    "--source-quote",
    "Some provisions are acceptable, others are not.",
]


def accord(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", url], env=ENV)
    return result.exit_code, result.stdout, result.stderr


def ok(url: str, *args: str) -> str:
    code, out, err = accord(url, *args)
    assert code == 0, err
    return out


@pytest.fixture
def record(database_url: str) -> str:
    ok(database_url, "import", str(FLAGSHIP))
    return database_url


def history(url: str, *args: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(ok(url, "stance", "history", "--json", *args))
    return found


def status_of(url: str, point: str, party: str) -> str | None:
    """The party's current stance on the point of v3, as `accord status --json` reads it."""
    found = json.loads(ok(url, "status", "--draft", "3", "--json"))
    row = next(p for p in found["points"] if p["point"] == point)
    value: str | None = row["stances"].get(party)
    return value


MEDIATOR = Viewer("m", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})


def matrix_of(url: str, point: str, party: str) -> str | None:
    """The party's current stance on the point, as the workbench's matrix reads it (the fold)."""
    standing = workbench.matrix(open_database(url), MEDIATOR, NAME, 3)
    found = next(p for p in standing.points if p.point == point).stances.get(party)
    return found.value if found else None


def test_the_new_kinds_an_as_of_date_and_a_source_are_recorded(record: str) -> None:
    out = ok(
        record, "stance", "set", "russia", "7", "studying", "--draft", "3", "--as-of", "2025-12-26", *TASS
    )
    assert out.startswith(
        "Russian Federation is studying point 7 (Ukraine and NATO membership) of draft v3. As of 2025-12-26."
    ), "names and numbers, not keys"
    assert "Sources: TASS, “Peskov: parts of the plan are acceptable”, 2025-12-26." in out, (
        "a source in words"
    )
    assert "tass-2025-12-26" not in out, "not its key"
    said = ok(
        record, "stance", "set", "ukraine", "7", "no-position", "--draft", "3", "--source", "tass-2025-12-26"
    )
    assert said.rstrip().endswith("Sources: TASS, “Peskov: parts of the plan are acceptable”, 2025-12-26.")
    russia = history(record, "--draft", "3", "--point", "7", "--party", "russia")[-1]
    assert russia["stance"] == "studying" and russia["as_of"] == "2025-12-26"
    assert russia["entry"] == "set" and russia["current"] is True
    assert russia["sources"] == [
        {
            "id": "tass-2025-12-26",
            "outlet": "TASS",
            "title": "Peskov: parts of the plan are acceptable",
            "url": "https://tass.com/politics/peskov-plan",
            "date": "2025-12-26",
        }
    ]
    ukraine = history(record, "--draft", "3", "--point", "7", "--party", "ukraine")[-1]
    assert ukraine["stance"] == "no-position" and ukraine["as_of"] is None  # not known: not invented
    assert [s["id"] for s in ukraine["sources"]] == ["tass-2025-12-26"]
    assert status_of(record, "nato-membership", "russia") == "studying"
    assert matrix_of(record, "nato-membership", "ukraine") == "no-position"
    database = open_database(record)
    entry = audit.entries(database)[-2]
    assert entry.action == "stance.set" and entry.details["as_of"] == "2025-12-26"
    assert entry.details["sources"] == ["tass-2025-12-26"]
    assert audit.check(database).ok


def test_a_correction_supersedes_the_stance_with_its_reason_and_keeps_it_in_the_history(record: str) -> None:
    before = history(record, "--draft", "3", "--point", "7", "--party", "russia")
    assert [e["stance"] for e in before] == ["reject"]
    out = ok(
        record,
        "stance",
        "correct",
        "russia",
        "7",
        "--draft",
        "3",
        "--stance",
        "conditional",
        "--reason",
        "the spokesman's words were misread",
        "--as-of",
        "2025-12-26",
        *TASS,
    )
    assert out.startswith(
        "Corrected: Russian Federation accepts on a condition point 7 (Ukraine and NATO membership) of draft "
        "v3. Note: “No bar on membership is stated.” As of 2025-12-26."
    )
    after = history(record, "--draft", "3", "--point", "7", "--party", "russia")
    first, correction = after
    assert first == {**before[0], "superseded_by": correction["id"], "current": False}, "nothing overwritten"
    assert correction["entry"] == "correction" and correction["supersedes"] == first["id"]
    assert correction["reason"] == "the spokesman's words were misread"
    assert correction["stance"] == "conditional" and correction["current"] is True
    assert correction["note"] == first["note"], "what the correction does not change is kept"
    assert correction["sources"][0]["outlet"] == "TASS"
    # every reader folds the correction in: status, the matrix, the loaded negotiation
    assert status_of(record, "nato-membership", "russia") == "conditional"
    assert matrix_of(record, "nato-membership", "russia") == "conditional"
    database = open_database(record)
    with reading(database) as uow:
        current = uow.repository.current_stances(NAME, 3, party="russia")
        loaded = uow.repository.load(NAME).negotiation.stances_on(3)
    assert [s.stance.value for s in current if s.point == "nato-membership"] == ["conditional"]
    assert [s.stance.value for s in loaded if (s.party, s.point) == ("russia", "nato-membership")] == [
        "conditional"
    ]
    entry = audit.entries(database)[-1]
    assert entry.action == "stance.correct" and entry.details["was"] == "reject"
    assert entry.details["reason"] == "the spokesman's words were misread"
    assert audit.check(database).ok
    # a correction of the as-of date alone keeps the kind
    ok(
        record,
        "stance",
        "correct",
        "russia",
        "7",
        "--draft",
        "3",
        "--as-of",
        "2025-12-27",
        "--reason",
        "date",
    )
    last = history(record, "--draft", "3", "--point", "7", "--party", "russia")[-1]
    assert (last["stance"], last["as_of"], last["supersedes"]) == (
        "conditional",
        "2025-12-27",
        correction["id"],
    )


def test_a_withdrawn_stance_is_no_stance_for_every_reader(record: str) -> None:
    assert status_of(record, "territory", "ukraine") is not None
    out = ok(
        record, "stance", "withdraw", "ukraine", "territory", "--draft", "3", "--reason", "recorded in error"
    )
    assert out.startswith("Withdraws its stance (Ukraine ") and out.rstrip().endswith(
        "Ukraine holds no stance on the point from now on."
    )
    assert status_of(record, "territory", "ukraine") is None
    assert matrix_of(record, "territory", "ukraine") is None
    found = json.loads(ok(record, "status", "--draft", "3", "--json"))
    territory = next(p for p in found["points"] if p["point"] == "territory")
    assert territory["accepted_by_all"] is False
    database = open_database(record)
    with reading(database) as uow:
        assert not [
            s for s in uow.repository.current_stances(NAME, 3, party="ukraine") if s.point == "territory"
        ]
        assert not [
            s
            for s in uow.repository.load(NAME).negotiation.stances_on(3)
            if (s.party, s.point) == ("ukraine", "territory")
        ]
    entries = history(record, "--draft", "3", "--point", "territory", "--party", "ukraine")
    held, withdrawal = entries
    assert withdrawal["entry"] == "withdrawal" and withdrawal["withdrawn"] is True
    assert withdrawal["supersedes"] == held["id"] and held["superseded_by"] == withdrawal["id"]
    assert withdrawal["reason"] == "recorded in error" and not withdrawal["current"]
    assert audit.entries(database)[-1].action == "stance.withdraw" and audit.check(database).ok
    # nothing left to withdraw or correct; a new stance may be set again and is current
    code, _out, err = accord(
        record, "stance", "withdraw", "ukraine", "territory", "--draft", "3", "--reason", "x"
    )
    assert code == 1 and err.startswith(
        "DomainError: Ukraine holds no stance on point 21 (Territory) of draft v3"
    )
    ok(record, "stance", "set", "ukraine", "territory", "accept", "--draft", "3")
    assert status_of(record, "territory", "ukraine") == "accept"


def test_a_withdrawal_of_an_accept_leaves_the_point_not_accepted_by_all(record: str) -> None:
    found = json.loads(ok(record, "status", "--draft", "3", "--json"))
    point = next(p for p in found["points"] if set(p["stances"].values()) == {"accept"})
    party = next(iter(point["stances"]))
    assert point["accepted_by_all"] and point["point"] in found["agreed"]
    ok(record, "stance", "withdraw", party, point["point"], "--draft", "3", "--reason", "not said")
    found = json.loads(ok(record, "status", "--draft", "3", "--json"))
    after = next(p for p in found["points"] if p["point"] == point["point"])
    assert party not in after["stances"] or after["stances"][party] is None
    assert point["point"] not in found["agreed"]
    assert matrix_of(record, point["point"], party) is None, "a withdrawn accept must not show as accept"


def test_the_history_table_shows_as_of_reason_marks_and_sources(
    record: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli import output

    # the width this runner's COLUMNS gives, whatever width an earlier test's import fixed (rich reads
    # COLUMNS once, when the console is made): an entry a line, as on a wide terminal
    monkeypatch.setattr(output.console, "_width", None)
    ok(record, "stance", "set", "russia", "7", "studying", "--draft", "3", "--as-of", "2025-12-26", *TASS)
    ok(
        record,
        "stance",
        "correct",
        "russia",
        "7",
        "--draft",
        "3",
        "--stance",
        "reject",
        "--reason",
        "misheard",
    )
    ok(record, "stance", "withdraw", "russia", "7", "--draft", "3", "--reason", "never said")
    entries = history(record, "--draft", "3", "--party", "russia", "--point", "nato-membership")
    assert [e["entry"] for e in entries] == ["set", "set", "correction", "withdrawal"]
    assert [e["current"] for e in entries] == [False, False, False, False]
    assert all(e["recorded_by"] == "mediator-desk" for e in entries[1:])
    out = ok(record, "stance", "history", "--draft", "3", "--party", "russia", "--point", "7")
    lines = [line for line in out.splitlines() if "point 7 (Ukraine and NATO membership) of draft v3" in line]
    assert len(lines) == 4, "an entry a line, in words: the party and the point by name, not key"
    assert (
        "2025-12-26" in lines[1]
        and "TASS, “Peskov: parts of the plan are acceptable”, 2025-12-26" in lines[1]
        and f"superseded by #{entries[2]['id']} (a correction)" in lines[1]
    )
    assert (
        "misheard" in lines[2]
        and f"Corrects #{entries[1]['id']} (a stance): Russian Federation rejects" in lines[2]
    )
    assert (
        f"Withdraws #{entries[2]['id']} (Russian Federation rejects" in lines[3] and "never said" in lines[3]
    )
    assert "not known" in lines[0], "an as-of date not known is said so"
    assert "russia" not in out and "nato-membership" not in out and "tass-2025-12-26" not in out
    first_round = history(record, "--draft", "1")
    assert first_round and {e["draft"] for e in first_round} == {1}


def test_a_stance_imported_on_a_draft_not_handed_to_the_party_can_be_put_right(record: str) -> None:
    # the flagship holds Europe's answers to the 28 points, which were handed to Russia and Ukraine only
    # (Europe answered the leaked text): a new answer there is refused, and so is a correction to
    # another answer; a correction of the note, or a withdrawal, is not
    code, _out, err = accord(record, "stance", "set", "europe", "21", "accept", "--draft", "1")
    assert code == 1 and "draft v1 was not circulated to European states (E3/EU)" in err
    code, _out, err = accord(
        record, "stance", "correct", "europe", "21", "--draft", "1", "--stance", "accept", "--reason", "r"
    )
    assert code == 1 and "draft v1 was not circulated to European states (E3/EU)" in err, "another answer"
    fix = ["--note", "as reported", "--reason", "r"]
    out = ok(record, "stance", "correct", "europe", "21", "--draft", "1", *fix)
    assert out.startswith("Corrected: European states (E3/EU) reject point 21 (Territory) of draft v1.")
    out = ok(record, "stance", "withdraw", "europe", "21", "--draft", "1", "--reason", "never said")
    assert "European states (E3/EU) hold no stance on the point from now on." in out


def test_drafts_cite_sources_and_show_lists_them(record: str) -> None:
    ok(record, "draft", "new", "--from", "3", "--choose", "7=no-consensus", "--reason", "r", *TASS)
    shown = json.loads(ok(record, "draft", "show", "4", "--json"))
    assert shown["sources"] == [
        {
            "id": "tass-2025-12-26",
            "outlet": "TASS",
            "title": "Peskov: parts of the plan are acceptable",
            "url": "https://tass.com/politics/peskov-plan",
            "date": "2025-12-26",
        }
    ]
    v3 = json.loads(ok(record, "draft", "show", "3", "--json"))
    args = []
    for p in v3["points"]:
        args += (
            ["--choose", f"{p['point']}={p['option']}"]
            if p["option"]
            else ["--text", f"{p['point']}={p['text']}"]
        )
    ok(record, "draft", "record", "--author", "russia", *args, "--source", "tass-2025-12-26")
    recorded = json.loads(ok(record, "draft", "show", "5", "--json"))
    assert [s["id"] for s in recorded["sources"]] == ["tass-2025-12-26"]
    database = open_database(record)
    assert audit.entries(database)[-1].details["sources"] == ["tass-2025-12-26"]
    assert audit.check(database).ok


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["stance", "set", "russia", "7", "studying", "--as-of", "26/12/2025"], "DomainError: --as-of: "),
        (["stance", "set", "russia", "7", "accept", "--as-of", "2025-11-01"], "DomainError: --as-of: "),
        (["stance", "set", "russia", "7", "accept", "--as-of", "2099-01-01"], "DomainError: --as-of: "),
        (["stance", "set", "russia", "7", "accept", "--source", "nowhere"], "NotFoundError: --source: "),
        (
            ["stance", "set", "russia", "7", "accept", "--source-url", "not a url"],
            "DomainError: --source-url: ",
        ),
        (["stance", "set", "russia", "7", "accept", "--source-date", "soon"], "DomainError: --source-date: "),
        (["stance", "set", "russia", "7", "accept", "--draft", "9"], "NotFoundError: --draft: "),
        (["stance", "correct", "russia", "7", "--stance", "accept"], "DomainError: --reason: "),
        (
            ["stance", "correct", "russia", "7", "--stance", "accept", "--reason", " "],
            "DomainError: --reason: ",
        ),
        (
            ["stance", "correct", "atlantis", "7", "--stance", "accept", "--reason", "r"],
            "NotFoundError: negotiation 'peace-framework-2025' has no party 'atlantis'",
        ),
        (
            ["stance", "correct", "russia", "99", "--stance", "accept", "--reason", "r"],
            "NotFoundError: negotiation 'peace-framework-2025' has no point '99'",
        ),
        (
            ["stance", "correct", "russia", "7", "--draft", "9", "--stance", "accept", "--reason", "r"],
            "NotFoundError: --draft: negotiation 'peace-framework-2025' has no draft version 9",
        ),
        (
            ["stance", "correct", "russia", "7", "--draft", "2", "--stance", "accept", "--reason", "r"],
            "DomainError: Russian Federation holds no stance on point 7 (Ukraine and NATO membership) of "
            "draft v2",
        ),
        (
            ["stance", "correct", "russia", "7", "--draft", "3", "--reason", "r"],
            "DomainError: nothing to correct",
        ),
        (
            ["stance", "correct", "russia", "7", "--stance", "accept", "--reason", "r", "--source-url", "x"],
            "DomainError: --source-url: ",
        ),
        (["stance", "withdraw", "russia", "7", "--draft", "3"], "DomainError: --reason: "),
        (["stance", "withdraw", "atlantis", "7", "--reason", "r"], "NotFoundError: negotiation"),
        (["stance", "withdraw", "russia", "7", "--draft", "7", "--reason", "r"], "NotFoundError: --draft: "),
        (
            ["stance", "withdraw", "united-states", "7", "--reason", "r"],
            "DomainError: 'united-states' is the mediator",
        ),
        (["stance", "history", "--draft", "9"], "NotFoundError: --draft: "),
        (["stance", "history", "--party", "atlantis"], "NotFoundError: --party: no party 'atlantis'"),
        (
            ["draft", "new", "--choose", "7=no-consensus", "--reason", "r", "--source", "nowhere"],
            "NotFoundError: --source: ",
        ),
        (
            ["draft", "new", "--choose", "7=no-consensus", "--reason", "r", "--source-url", "ftp:x"],
            "DomainError: --source-url: ",
        ),
    ],
)
def test_bad_input_is_refused_with_one_line_naming_the_field_and_nothing_written(
    record: str, args: list[str], words: str
) -> None:
    database = open_database(record)
    before = snapshot(database)
    code, out, err = accord(record, *args)
    assert code == 1, out + err
    assert err.startswith(words), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert snapshot(database) == before


def test_no_stance_to_correct_after_a_withdrawal_writes_nothing(record: str) -> None:
    ok(record, "stance", "withdraw", "europe", "7", "--draft", "3", "--reason", "recorded in error")
    database = open_database(record)
    before = snapshot(database)
    code, _out, err = accord(
        record, "stance", "correct", "europe", "7", "--stance", "accept", "--reason", "r"
    )
    assert code == 1 and err.startswith(
        "DomainError: European states (E3/EU) hold no stance on point 7 (Ukraine and NATO membership) of "
        "draft v3"
    )
    assert len(err.strip().splitlines()) == 1
    assert snapshot(database) == before


def test_each_negotiation_numbers_its_history_from_one(record: str) -> None:
    """An entry's number is its place in its negotiation's history, not a row id counting the other
    negotiations' entries; what a correction supersedes is numbered alike."""
    ok(record, "import", str(FLAGSHIP.parent / "coalition-agreement.yaml"))
    for negotiation in (NAME, "veldland-coalition"):
        entries = history(record, "--negotiation", negotiation)
        assert [e["id"] for e in entries] == list(range(1, len(entries) + 1)), negotiation
    ok(
        record,
        "stance",
        "correct",
        "russia",
        "territory",
        "--draft",
        "3",
        "--stance",
        "conditional",
        "--reason",
        "misread",
        "--negotiation",
        NAME,
    )
    last = history(record, "--negotiation", NAME, "--party", "russia", "--point", "territory")[-1]
    earlier = history(record, "--negotiation", NAME)[last["supersedes"] - 1]
    assert earlier["id"] == last["supersedes"] and earlier["superseded_by"] == last["id"]
    assert (earlier["party"], earlier["point"], earlier["draft"]) == ("russia", "territory", 3)
