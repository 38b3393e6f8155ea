"""People, sources and meetings as they happened, through the `accord` command (issue 13, items 1, 2
and 6), on SQLite and PostgreSQL: what is recorded, the history of a meeting's changes, and bad input
refused with one line naming the field, exit 1, nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.services import audit
from accord.storage.database import open_database
from tests.conftest import write_doc
from tests.storage.conftest import FLAGSHIP
from tests.storage.helpers import snapshot

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000"}
REUTERS = [
    "--source-outlet",
    "Reuters",
    "--source-title",
    "Putin meets US envoys in Moscow",
    "--source-url",
    "https://www.reuters.com/world/europe/putin-us-envoys-2025-12-02/",
    "--source-date",
    "2025-12-03",
    "--source-quote",
    "The talks lasted about five hours.",
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
    """The flagship imported, with four people of two delegations and one of no party."""
    ok(database_url, "import", str(FLAGSHIP))
    ok(
        database_url,
        "person",
        "add",
        "Steve Witkoff",
        "--party",
        "united-states",
        "--role",
        "special envoy",
        "--lead",
    )
    ok(database_url, "person", "add", "Jared Kushner", "--party", "united-states")
    ok(database_url, "person", "add", "Vladimir Putin", "--party", "russia", "--role", "president", "--lead")
    ok(
        database_url,
        "person",
        "add",
        "Yuri Ushakov",
        "--party",
        "russia",
        "--alias",
        "Yury Ushakov",
        "--role",
        "foreign-policy aide",
        "--note",
        "private: speaks for the president on the plan",
    )
    ok(database_url, "person", "add", "Dmitry Peskov", "--party", "russia", "--role", "spokesman")
    return database_url


def test_people_are_listed_by_party_with_their_leads(record: str) -> None:
    people = json.loads(ok(record, "person", "list", "--json"))
    by_id = {p["id"]: p for p in people}
    assert by_id["steve-witkoff"] == {
        "id": "steve-witkoff",
        "name": "Steve Witkoff",
        "party": "united-states",
        "role": "special envoy",
        "lead": True,
    }
    assert by_id["yuri-ushakov"]["aliases"] == ["Yury Ushakov"] and by_id["jared-kushner"]["lead"] is False
    russians = json.loads(ok(record, "person", "list", "--party", "russia", "--json"))
    assert russians[0]["id"] == "vladimir-putin"  # the lead first
    out = ok(record, "person", "add", "Ida Sorn", "--role", "journalist")
    assert out.strip() == "person ida-sorn: Ida Sorn, of no party"
    assert json.loads(ok(record, "person", "list", "--json"))[-1]["party"] is None
    # another person of a name recorded: with an id of its own
    out = ok(record, "person", "add", "Dmitry Peskov", "--id", "peskov-junior", "--party", "russia")
    assert out.strip() == "person peskov-junior: Dmitry Peskov of Russian Federation", "the party by name"
    # the same name in another party (or in none) is another person
    out = ok(record, "person", "add", "Dmitry Peskov", "--party", "ukraine")
    assert out.strip() == "person dmitry-peskov-2: Dmitry Peskov of Ukraine"


def test_a_person_is_updated_by_an_alias_and_the_change_is_audited(record: str) -> None:
    out = ok(
        record, "person", "update", "Yury Ushakov", "--role", "aide to the president", "--alias", "Y. Ushakov"
    )
    assert "yuri-ushakov" in out
    person = next(p for p in json.loads(ok(record, "person", "list", "--json")) if p["id"] == "yuri-ushakov")
    assert person["role"] == "aide to the president" and person["aliases"] == ["Yury Ushakov", "Y. Ushakov"]
    database = open_database(record)
    entry = audit.entries(database)[-1]
    assert entry.action == "person.update" and entry.details["changes"]["role"][0] == "foreign-policy aide"
    assert audit.check(database).ok


def test_a_meeting_is_recorded_as_it_happened_with_its_source(record: str) -> None:
    out = ok(
        record,
        "meeting",
        "add",
        "--start",
        "2025-12-02 17:00",
        "--duration",
        "5h",
        "--channel",
        "in-person",
        "--place",
        "Moscow, the Kremlin",
        "--with-person",
        "Witkoff",
        "--with-person",
        "Yury Ushakov",
        "--person-note",
        "Jared Kushner=joined for part of the talks",
        "--lead",
        "Steve Witkoff",
        "--lead",
        "Putin",
        "--outcome",
        "Parts of the plan acceptable, parts not; no compromise on territory",
        "--id",
        "kremlin-talks",
        *REUTERS,
    )
    assert out.strip() == "meeting kremlin-talks on 2025-12-02 17:00 at Moscow, the Kremlin: held"
    shown = json.loads(ok(record, "meeting", "show", "kremlin-talks", "--json"))
    assert shown["date"] == "2025-12-02" and shown["start"] == "2025-12-02T17:00"
    assert shown["duration"] == "5h" and shown["duration_minutes"] == 300 and shown["channel"] == "in-person"
    assert shown["participants"] == ["united-states", "russia"]  # the people's parties take part
    assert shown["people"] == [
        "steve-witkoff",
        "yuri-ushakov",
        {"person": "jared-kushner", "note": "joined for part of the talks"},
        "vladimir-putin",
    ]
    assert shown["leads"] == {"united-states": "steve-witkoff", "russia": "vladimir-putin"}
    assert shown["sources"] == ["reuters-2025-12-03"]
    sources = json.loads(ok(record, "source", "list", "--json"))
    assert [s for s in sources if s["id"] == "reuters-2025-12-03"] == [
        {
            "id": "reuters-2025-12-03",
            "outlet": "Reuters",
            "title": "Putin meets US envoys in Moscow",
            "url": "https://www.reuters.com/world/europe/putin-us-envoys-2025-12-02/",
            "date": "2025-12-03",
            "quote": "The talks lasted about five hours.",
        }
    ]
    text = ok(record, "meeting", "show", "kremlin-talks")
    assert "Jared Kushner (joined for part of the talks)" in text and "duration: 5h" in text
    assert "Russian Federation: Vladimir Putin" in text and "Reuters" in text


def test_a_planned_meeting_is_postponed_rescheduled_and_held_with_its_history(record: str) -> None:
    ok(record, "source", "add", "--outlet", "Kyiv Independent", "--date", "2025-12-05", "--id", "kyiv-1205")
    out = ok(
        record,
        "meeting",
        "add",
        "--status",
        "planned",
        "--date-approx",
        "in the coming days",
        "--with",
        "ukraine",
        "--with",
        "united-states",
        "--id",
        "ua-us",
        "--source",
        "kyiv-1205",
    )
    assert out.strip() == "meeting ua-us (in the coming days): planned"
    ok(record, "meeting", "update", "ua-us", "--status", "postponed", "--reason", "delegation delayed")
    ok(
        record,
        "meeting",
        "update",
        "ua-us",
        "--status",
        "planned",
        "--start",
        "2025-12-13 10:00",
        "--place",
        "Miami",
        "--channel",
        "in-person",
    )
    ok(record, "meeting", "update", "ua-us", "--status", "held", "--end", "2025-12-13 16:30", *REUTERS)
    shown = json.loads(ok(record, "meeting", "show", "ua-us", "--json"))
    assert shown["status"] == "held" and shown["duration"] == "6h30m" and shown["place"] == "Miami"
    assert "date_approx" not in shown  # the date known replaced the approximation
    assert shown["sources"] == ["kyiv-1205", "reuters-2025-12-03"]
    history = shown["history"]
    assert [h["changes"]["status"] for h in history] == [
        {"from": "planned", "to": "postponed"},
        {"from": "postponed", "to": "planned"},
        {"from": "planned", "to": "held"},
    ]
    assert history[0]["reason"] == "delegation delayed" and history[0]["by"] == "mediator-desk"
    assert history[1]["changes"]["date_approx"] == {"from": "in the coming days", "to": None}
    assert history[2]["sources"] == ["reuters-2025-12-03"]
    text = ok(record, "meeting", "show", "ua-us")
    assert "history:" in text and "status: planned → postponed" in text and "(delegation delayed)" in text
    database = open_database(record)
    assert [e.action for e in audit.entries(database)][-3:] == ["meeting.update"] * 3
    assert audit.check(database).ok


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["person", "add", "Nobody", "--party", "atlantis"], "NotFoundError: --party: "),
        (
            ["person", "add", "Second Lead", "--party", "russia", "--lead"],
            "DomainError: --lead: Vladimir Putin",
        ),
        (
            ["person", "update", "nobody", "--role", "x"],
            "NotFoundError: negotiation 'peace-framework-2025' has no person",
        ),
        (
            ["source", "add", "--outlet", "X", "--url", "not a url"],
            "DomainError: --url: 'not a url' is not a URL",
        ),
        (["source", "add", "--outlet", "X", "--date", "yesterday"], "DomainError: --date: expected a date"),
        (
            ["meeting", "add", "--date", "2025-12-02", "--place", "Moscow", "--with-person", "Nobody"],
            "NotFoundError: --with-person: ",
        ),
        (
            ["meeting", "add", "--date", "2025-12-02", "--place", "Moscow", "--with", "atlantis"],
            "NotFoundError: --with: ",
        ),
        (
            [
                "meeting",
                "add",
                "--start",
                "2025-12-02 17:00",
                "--duration",
                "three hours",
                "--place",
                "Moscow",
            ],
            "DomainError: --duration: 'three hours' is not a duration",
        ),
        (
            [
                "meeting",
                "add",
                "--start",
                "2025-12-02 17:00",
                "--end",
                "2025-12-02 16:00",
                "--place",
                "Moscow",
            ],
            "DomainError: --end: 2025-12-02 16:00 is not after the start 2025-12-02 17:00",
        ),
        (
            ["meeting", "add", "--start", "at five", "--place", "Moscow"],
            "DomainError: --start: expected a date",
        ),
        (
            [
                "meeting",
                "add",
                "--date",
                "2025-12-02",
                "--place",
                "Moscow",
                "--source-url",
                "www.example.org",
            ],
            "DomainError: --source-url: 'www.example.org' is not a URL",
        ),
        (
            ["meeting", "add", "--date", "2025-12-02", "--place", "Moscow", "--source", "nowhere"],
            "NotFoundError: --source: ",
        ),
        (["meeting", "add", "--place", "Moscow"], "DomainError: --date: a held meeting needs its date"),
        # a name recorded already: not a silent second person (dmitry-peskov-2)
        (
            ["person", "add", "dmitry  PESKOV", "--party", "russia"],
            "DomainError: --id: Dmitry Peskov of that party is recorded already (dmitry-peskov); to record "
            "another person of that name, give it an --id of its own",
        ),
        # an id the scenario format could not export, or one taken
        (
            ["meeting", "add", "--date", "2025-12-02", "--place", "Moscow", "--id", "bad id!"],
            "DomainError: --id: 'bad id!' is not an id; expected an id of letters, digits",
        ),
        (
            ["meeting", "add", "--date", "2025-12-02", "--place", "Moscow", "--id", "moscow-2025-12-02"],
            "DomainError: --id: a meeting 'moscow-2025-12-02' is recorded already",
        ),
        # absurd lengths: refused, never a traceback
        (
            ["meeting", "add", "--date", "2025-12-02", "--place", "M", "--duration", "99999999999999999999h"],
            "DomainError: --duration: '99999999999999999999h' is longer than a meeting can be",
        ),
        (
            ["meeting", "add", "--start", "2025-12-02 17:00", "--end", "2026-02-02 17:00", "--place", "M"],
            "DomainError: --end: 2026-02-02 17:00 is more than 31 days after the start",
        ),
        (
            ["meeting", "update", "moscow-2025-12-02", "--duration", "99999999999m"],
            "DomainError: --duration: '99999999999m' is longer than a meeting can be",
        ),
        (  # more digits than a float holds: said, never an OverflowError
            ["meeting", "update", "moscow-2025-12-02", "--duration", "9" * 400 + "m"],
            "DomainError: --duration: '" + "9" * 37 + "...' is longer than a meeting can be",
        ),
        (["meeting", "add", "--date", "2025-12-02"], "DomainError: --place: a meeting held in person needs"),
        (
            ["meeting", "add", "--date", "2025-12-02", "--channel", "pigeon"],
            "DomainError: --channel: 'pigeon'",
        ),
        (
            ["meeting", "add", "--date", "2025-12-02", "--place", "M", "--lead", "Peskov", "--lead", "Putin"],
            "DomainError: --lead: two leads given for russia",
        ),
        (
            ["meeting", "update", "moscow-2025-12-02", "--status", "planned"],
            "DomainError: --status: a held meeting",
        ),
        (
            ["meeting", "update", "moscow-2025-12-02", "--status", "cancelled"],
            "DomainError: --status: a held",
        ),
        (["meeting", "update", "nowhere", "--outcome", "x"], "NotFoundError: meeting: "),
        (
            ["meeting", "update", "moscow-2025-12-02"],
            "DomainError: nothing to change in meeting moscow-2025-12-02",
        ),
        (
            ["meeting", "update", "moscow-2025-12-02", "--duration", "3h", "--end", "2025-12-02 18:00"],
            "DomainError: --end: needs the --start",
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


def test_postponing_needs_a_reason_and_writes_nothing_without_one(record: str) -> None:
    ok(record, "meeting", "add", "--status", "planned", "--with", "ukraine", "--id", "next")
    database = open_database(record)
    before = snapshot(database)
    code, _out, err = accord(record, "meeting", "update", "next", "--status", "postponed")
    assert code == 1 and err.startswith("DomainError: --reason: a meeting postponed needs its reason")
    assert snapshot(database) == before


def test_empty_lists_say_so_and_how_to_fill_them(
    database_url: str, tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    ok(database_url, "import", str(write_doc(tmp_path / "small.yaml", small_doc)))  # no people, no sources
    assert "no people recorded: add one with `accord person add`" in ok(database_url, "person", "list")
    assert "no people recorded for north" in ok(database_url, "person", "list", "--party", "north")
    assert "no sources recorded: add one with `accord source add`" in ok(database_url, "source", "list")
    assert json.loads(ok(database_url, "person", "list", "--json")) == []
