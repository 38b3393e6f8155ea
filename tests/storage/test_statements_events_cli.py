"""Statements and events through the `accord` command (issue 13, items 4 and 5), on SQLite and
PostgreSQL: what is recorded and read back, a statement adopted as its speaker's party's stance (the
statement its evidence) on the mediator's confirmation, a leak with its trace attached, and bad input
refused with one line naming the option, exit 1, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.app import app
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import audit
from accord.services import statements as statement_service
from accord.storage.database import open_database
from accord.storage.unit_of_work import reading
from tests.conftest import SMALL
from tests.storage.conftest import FLAGSHIP
from tests.storage.helpers import snapshot

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000"}
NAME = "peace-framework-2025"
TASS = [
    "--source-outlet",
    "TASS",
    "--source-title",
    "Kremlin: parts of the plan acceptable, parts not",
    "--source-url",
    "https://tass.com/politics/kremlin-plan-2025-12-03",
    "--source-date",
    "2025-12-03",
]
PRIVATE_QUOTE = "Off the record: the line of contact is the most we give QX-PRIVATE-71"


def accord(url: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", url], env=ENV, input=input)
    return result.exit_code, result.stdout, result.stderr


def ok(url: str, *args: str, input: str | None = None) -> str:
    code, out, err = accord(url, *args, input=input)
    assert code == 0, out + err
    return out


@pytest.fixture
def record(database_url: str) -> str:
    """The flagship imported, with a speaker of Russia, one of Europe, and a journalist of no party
    (names the flagship itself does not use, so surnames stay unique)."""
    ok(database_url, "import", str(FLAGSHIP))
    ok(database_url, "person", "add", "Ilya Varnov", "--party", "russia", "--role", "spokesman")
    ok(database_url, "person", "add", "Oksana Tervel", "--party", "ukraine", "--role", "negotiator")
    ok(database_url, "person", "add", "Greta Hollmann", "--party", "europe", "--role", "adviser")
    ok(database_url, "person", "add", "Ida Sorn", "--role", "journalist")
    return database_url


def _peskov_style(url: str, *extra: str) -> str:
    return ok(
        url,
        "statement",
        "add",
        "--by",
        "Varnov",
        "--date",
        "2025-12-03",
        "--quote",
        "Some parts of the plan are acceptable, others are incompatible with our position.",
        "--summary",
        "Territory as drafted is not acceptable.",
        "--channel",
        "press",
        "--about-point",
        "21",
        "--stance",
        "reject",
        "--id",
        "varnov-12-03",
        *TASS,
        *extra,
    )


def test_a_statement_is_recorded_with_its_source_listed_and_shown(record: str) -> None:
    out = _peskov_style(record)
    assert "statement varnov-12-03 by ilya-varnov on 2025-12-03 (press)" in out
    listed = {s["id"]: s for s in json.loads(ok(record, "statement", "list", "--json"))}
    said = listed["varnov-12-03"]
    assert said["by"] == "ilya-varnov" and said["name"] == "Ilya Varnov" and said["party"] == "russia"
    assert said["points"] == ["territory"] and said["stance"] == "reject" and said["public"] is True
    assert said["sources"] == ["tass-2025-12-03"] and said["adopted"] == []
    shown = json.loads(ok(record, "statement", "show", "varnov-12-03", "--json"))
    assert shown == said
    text = ok(record, "statement", "show", "varnov-12-03")
    assert "Ilya Varnov (Russian Federation), 2025-12-03, press" in text and "tass-2025-12-03 (TASS" in text
    russians = json.loads(ok(record, "statement", "list", "--party", "russia", "--json"))
    assert [s["id"] for s in russians if s["id"] == "varnov-12-03"] == ["varnov-12-03"]
    assert all(s["party"] == "russia" for s in russians)
    database = open_database(record)
    entry = audit.entries(database)[-1]
    assert entry.action == "statement.add" and entry.details["statement"] == "varnov-12-03"
    assert "incompatible" not in entry.summary  # the words stay out of the log's summary
    assert audit.check(database).ok


def test_adopting_a_statement_records_the_party_stance_with_the_statement_as_evidence(record: str) -> None:
    _peskov_style(record)
    database = open_database(record)
    before = snapshot(database)
    code, out, _err = accord(record, "statement", "adopt", "varnov-12-03", input="n\n")
    # shown in words (the party and point by name), asked of the one stance, then declined
    assert code == 1 and "  Russian Federation rejects point 21 (Territory) of draft v3. Note: " in out
    assert "As of 2025-12-03." in out
    assert "Record it?" in out
    assert snapshot(database) == before
    out = ok(record, "statement", "adopt", "varnov-12-03", "--yes")
    assert "recorded 1 stance of Russian Federation on draft v3 from statement varnov-12-03" in out
    with reading(database) as uow:
        negotiation = uow.repository.load(NAME).negotiation
    (adopted,) = negotiation.stances_evidenced_by("varnov-12-03")
    assert (adopted.draft, adopted.party, adopted.point, adopted.stance.value) == (
        3,
        "russia",
        "territory",
        "reject",
    )
    assert adopted.as_of is not None and adopted.as_of.isoformat() == "2025-12-03"
    assert adopted.sources == ("tass-2025-12-03",)
    shown = json.loads(ok(record, "statement", "show", "varnov-12-03", "--json"))
    assert shown["adopted"] == [{"draft": 3, "party": "russia", "point": "territory", "stance": "reject"}]
    entry = audit.entries(database)[-1]
    assert entry.action == "statement.adopt" and entry.details["points"] == ["territory"]
    assert audit.check(database).ok


def _say(url: str, key: str, by: str, *extra: str) -> None:
    ok(url, "statement", "add", "--by", by, "--date", "2025-12-04", "--quote", "words", "--id", key, *extra)


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("no-point", "DomainError: statement no-point names no point"),
        ("no-stance", "DomainError: statement no-stance expresses no stance"),
        ("journalist", "DomainError: statement journalist: Ida Sorn belongs to no party"),
        ("not-circulated", "DomainError: draft v1 was not circulated to European states (E3/EU)"),
        ("twice", "DomainError: statement twice was adopted already"),
        ("nowhere", "NotFoundError: statement: "),
    ],
)
def test_adoption_is_refused_with_one_line_and_nothing_written(
    record: str, statement: str, words: str
) -> None:
    _say(record, "no-point", "Varnov", "--stance", "reject")
    _say(record, "no-stance", "Varnov", "--about-point", "21")
    _say(record, "journalist", "Sorn", "--about-point", "21", "--stance", "accept")
    _say(
        record,
        "not-circulated",
        "Hollmann",
        "--about-point",
        "21",
        "--stance",
        "reject",
        "--about-draft",
        "1",
    )
    _say(record, "twice", "Tervel", "--about-point", "6", "--stance", "conditional")
    ok(record, "statement", "adopt", "twice", "--yes")
    database = open_database(record)
    before = snapshot(database)
    code, out, err = accord(record, "statement", "adopt", statement, "--yes")
    assert code == 1, out + err
    assert err.startswith(words), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert snapshot(database) == before


def test_a_private_statement_is_read_by_the_mediator_and_the_speaker_party_only(record: str) -> None:
    _say(record, "private-1", "Varnov", "--channel", "private", "--about-point", "21", "--stance", "reject")
    ok(record, "statement", "add", "--by", "Varnov", "--date", "2025-12-05", "--quote", PRIVATE_QUOTE,
       "--channel", "private", "--id", "private-2")  # fmt: skip
    database = open_database(record)

    def seen_by(role: SeatRole, party: str | None) -> set[str]:
        viewer = Viewer("someone", "Someone", {NAME: Seat(role, party)})
        found, _ = statement_service.list_statements(database, NAME, viewer)
        return {s.id for s in found}

    assert {"private-1", "private-2"} <= seen_by(SeatRole.MEDIATOR, None)
    assert {"private-1", "private-2"} <= seen_by(SeatRole.MEMBER, "russia")
    assert not {"private-1", "private-2"} & seen_by(SeatRole.MEMBER, "ukraine")
    assert not {"private-1", "private-2"} & seen_by(SeatRole.OBSERVER, None)
    # the command line is the local operator: it holds the whole record
    assert "private-2" in {s["id"] for s in json.loads(ok(record, "statement", "list", "--json"))}
    shown = json.loads(ok(record, "statement", "show", "private-2", "--json"))
    assert shown["quote"] == PRIVATE_QUOTE and shown["public"] is False


def test_a_leak_is_recorded_and_a_trace_attached_to_it(
    record: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli import output

    monkeypatch.setattr(output.console, "_width", None)  # this runner's COLUMNS: a row a line
    out = ok(
        record,
        "event",
        "add",
        "--kind",
        "leak",
        "--date-approx",
        "late December",
        "--summary",
        "The 20-point framework leaked to the press.",
        "--draft",
        "3",
        "--surfaced",
        "a Telegram channel",
        "--id",
        "leak-d",
        *TASS,
    )
    assert "event leak-d: leak (late December)" in out
    for party in ("russia", "ukraine"):
        ok(record, "draft", "export", "3", "--for", party, "-o", str(tmp_path / f"{party}.md"))
    traced = json.loads(ok(record, "trace", str(tmp_path / "ukraine.md"), "--attach-to", "leak-d", "--json"))
    assert traced["named"] == "ukraine" and traced["attached_to"] == "leak-d" and "warning" not in traced
    shown = json.loads(ok(record, "event", "show", "leak-d", "--json"))
    assert shown["kind"] == "leak" and shown["draft"] == 3 and shown["surfaced"] == "a Telegram channel"
    assert shown["date"] is None and shown["when"] == "late December"
    assert shown["sources"] == ["tass-2025-12-03"]
    (trace,) = shown["traces"]
    assert trace["recorded_by"] == "mediator-desk" and trace["result"]["named"] == "ukraine"
    assert trace["result"]["suspects"][0]["recipient"] == "ukraine"
    text = ok(record, "event", "show", "leak-d")
    # in names, not keys: the draft as the briefing names it, the source, the recipients
    assert "traces:" in text and "draft D, " in text and "source Ukraine;" in text
    assert "  concerns: draft D\n" in text and "Ukraine (" in text and "Russian Federation (" in text
    assert "  sources: TASS, “Kremlin: parts of the plan acceptable, parts not”, 2025-12-03\n" in text
    for key in ("ukraine", "russia", "tass-2025-12-03", "v3"):
        assert key not in text, key
    listed = {e["id"]: e for e in json.loads(ok(record, "event", "list", "--json"))}
    assert len(listed["leak-d"]["traces"]) == 1
    assert listed["leak-d"]["draft"] == 3, "--json keeps the version"
    table = ok(record, "event", "list")
    row = next(line for line in table.splitlines() if "leak-d" in line)
    assert "│ draft D " in row and "v3" not in table
    database = open_database(record)
    entry = audit.entries(database)[-1]
    assert entry.action == "event.trace" and entry.details == {
        "event": "leak-d",
        "version": 3,
        "named": "ukraine",
    }
    assert audit.check(database).ok


def test_an_event_on_a_paper_is_recorded(record: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.cli import output

    monkeypatch.setattr(output.console, "_width", None)  # this runner's COLUMNS: a row a line
    with reading(open_database(record)) as uow:
        papers = uow.repository.load(NAME).negotiation.papers
    out = ok(
        record,
        "event",
        "add",
        "--kind",
        "postponement",
        "--date",
        "2025-12-04",
        "--summary",
        "The Ukraine-US meeting planned for Thursday was postponed.",
        "--paper",
        papers[0].id,
    )
    assert "postponement (2025-12-04)" in out
    listed = json.loads(ok(record, "event", "list", "--json"))
    assert any(e["paper"] == papers[0].id and e["kind"] == "postponement" for e in listed)
    row = next(line for line in ok(record, "event", "list").splitlines() if "was postponed" in line)
    assert f"paper “{papers[0].label}”" in row and f"│ {papers[0].id} " not in row, "the paper by its title"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["statement", "add", "--by", "Nobody", "--date", "2025-12-03", "--quote", "x"],
            "NotFoundError: --by: ",
        ),
        (
            [
                "statement",
                "add",
                "--by",
                "Varnov",
                "--date",
                "2025-12-03",
                "--quote",
                "x",
                "--about-point",
                "99",
            ],
            "NotFoundError: --about-point: ",
        ),
        (
            [
                "statement",
                "add",
                "--by",
                "Varnov",
                "--date",
                "2025-12-03",
                "--quote",
                "x",
                "--about-draft",
                "9",
            ],
            "NotFoundError: --about-draft: ",
        ),
        (
            ["statement", "add", "--by", "Varnov", "--date", "3 December", "--quote", "x"],
            "DomainError: --date: expected a date written YYYY-MM-DD",
        ),
        (
            [
                "statement",
                "add",
                "--by",
                "Varnov",
                "--date",
                "2025-12-03",
                "--quote",
                "x",
                "--channel",
                "pigeon",
            ],
            "DomainError: --channel: 'pigeon' is not one of: press, interview",
        ),
        (
            [
                "statement",
                "add",
                "--by",
                "Varnov",
                "--date",
                "2025-12-03",
                "--quote",
                "x",
                "--stance",
                "maybe",
            ],
            "DomainError: --stance: 'maybe' is not one of: accept",
        ),
        (
            [
                "statement",
                "add",
                "--by",
                "Varnov",
                "--date",
                "2025-12-03",
                "--quote",
                "x",
                "--source-url",
                "tass",
            ],
            "DomainError: --source-url: 'tass' is not a URL",
        ),
        (
            ["statement", "add", "--by", "Varnov", "--date", "2025-12-03", "--quote", "x", "--source", "s99"],
            "NotFoundError: --source: ",
        ),
        (
            ["statement", "add", "--by", "Varnov", "--date", "2025-12-03", "--quote", " "],
            "DomainError: --quote: ",
        ),
        (["statement", "show", "nowhere"], "NotFoundError: statement: "),
        (["statement", "list", "--party", "atlantis"], "NotFoundError: --party: "),
        (
            ["event", "add", "--kind", "rumour", "--date", "2025-12-03", "--summary", "x"],
            "DomainError: --kind: ",
        ),
        (
            ["event", "add", "--kind", "leak", "--summary", "x"],
            "DomainError: --date: an event needs its date",
        ),
        (
            ["event", "add", "--kind", "leak", "--date", "2025-13-01", "--summary", "x"],
            "DomainError: --date: expected a date written YYYY-MM-DD",
        ),
        (
            ["event", "add", "--kind", "leak", "--date", "2025-12-03", "--summary", "x", "--draft", "9"],
            "NotFoundError: --draft: ",
        ),
        (
            ["event", "add", "--kind", "leak", "--date", "2025-12-03", "--summary", "x", "--paper", "nope"],
            "NotFoundError: --paper: ",
        ),
        (
            [
                "event",
                "add",
                "--kind",
                "leak",
                "--date",
                "2025-12-03",
                "--summary",
                "x",
                "--source-url",
                "ftp:/x",
            ],
            "DomainError: --source-url: ",
        ),
        (["event", "show", "nowhere"], "NotFoundError: event: "),
        (["trace", "-", "--attach-to", "nowhere"], "NotFoundError: --attach-to: "),
    ],
)
def test_bad_input_is_refused_with_one_line_naming_the_option_and_nothing_written(
    record: str, args: list[str], words: str
) -> None:
    database = open_database(record)
    before = snapshot(database)
    code, out, err = accord(record, *args, input="")
    assert code == 1, out + err
    assert err.startswith(words), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert snapshot(database) == before


def test_a_trace_of_another_draft_than_the_leaks_is_kept_and_said(record: str, tmp_path: Path) -> None:
    ok(record, "event", "add", "--kind", "leak", "--date", "2025-12-01", "--summary", "x", "--id", "no-draft")
    ok(
        record,
        "event",
        "add",
        "--kind",
        "leak",
        "--date",
        "2025-12-02",
        "--summary",
        "x",
        "--draft",
        "1",
        "--id",
        "v1",
    )
    ok(record, "draft", "export", "3", "--for", "russia", "-o", str(tmp_path / "russia.md"))
    leaks = ["no-draft", "v1"]
    said = ok(record, "trace", str(tmp_path / "russia.md"), "--attach-to", leaks[-1])
    assert f"the leak {leaks[-1]} is recorded as of draft v1, but the text traced is of v3" in said
    traced = json.loads(ok(record, "trace", str(tmp_path / "russia.md"), "--attach-to", leaks[-1], "--json"))
    assert traced["warning"].startswith(f"the leak {leaks[-1]} is recorded as of draft v1")
    shown = json.loads(ok(record, "event", "show", leaks[-1], "--json"))
    assert [t["result"]["version"] for t in shown["traces"]] == [3, 3]
    assert all("warning" in t["result"] for t in shown["traces"])
    entry = audit.entries(open_database(record))[-1]
    assert entry.action == "event.trace" and "recorded as of draft v1" in entry.summary
    # a leak that names no draft: nothing to disagree with
    quiet = json.loads(ok(record, "trace", str(tmp_path / "russia.md"), "--attach-to", leaks[0], "--json"))
    assert "warning" not in quiet


def test_a_trace_is_attached_to_leaks_only(record: str) -> None:
    ok(
        record,
        "event",
        "add",
        "--kind",
        "announcement",
        "--date",
        "2025-12-03",
        "--summary",
        "x",
        "--id",
        "ann",
    )
    database = open_database(record)
    before = snapshot(database)
    code, _out, err = accord(record, "trace", "-", "--attach-to", "ann", input="text")
    assert code == 1 and err.startswith("DomainError: --attach-to: event ann is announcement, not a leak")
    assert snapshot(database) == before


def test_empty_lists_say_so_and_how_to_fill_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'accord.db'}"
    scenario = tmp_path / "small.yaml"
    scenario.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    ok(url, "import", str(scenario))
    assert "no statements recorded: add one with `accord statement add`" in ok(url, "statement", "list")
    assert "no statements recorded for north" in ok(url, "statement", "list", "--party", "north")
    assert "no events recorded: add one with `accord event add`" in ok(url, "event", "list")
    assert (
        json.loads(ok(url, "statement", "list", "--json"))
        == json.loads(ok(url, "event", "list", "--json"))
        == []
    )
