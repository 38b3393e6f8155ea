"""`accord timeline` on SQLite and PostgreSQL (issue 13, item 9): the record, seeded by `accord import`
of a scenario with every part of the chronology, shown in date order with its sources; the filters;
the plot (PNG, SVG); a party's seat sees its own view only; bad input is one line naming the option,
exit 1, nothing written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import timeline as timeline_service
from accord.storage.database import open_database
from tests.conftest import write_doc
from tests.storage.test_chronology_record import chronology

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000"}
NAME = "harbour-talks"
SOUTH_SECRET = "private-words-of-south-RW58"
NORTH_PRIVATE = "private-words-of-north-KD17"


def accord(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", url], env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def ok(url: str, *args: str) -> str:
    code, out, err = accord(url, *args)
    assert code == 0, err
    return out


def scenario() -> dict[str, Any]:
    doc = chronology()
    doc["statements"] += [
        {
            "id": "vale-private",
            "by": "oren-vale",
            "date": "2025-01-19",
            "quote": SOUTH_SECRET,
            "channel": "private",
        },
        {
            "id": "lind-private",
            "by": "mara-lind",
            "date": "2025-01-19",
            "quote": NORTH_PRIVATE,
            "channel": "private",
        },
    ]
    return doc


@pytest.fixture
def record(database_url: str, tmp_path: Path) -> str:
    ok(database_url, "init")
    ok(database_url, "import", str(write_doc(tmp_path / "chronology.yaml", scenario())))
    ok(database_url, "draft", "circulate", "2", "--to", "south", "--date", "2025-01-18")
    return database_url


def entries(url: str, *args: str) -> list[dict[str, Any]]:
    return list(json.loads(ok(url, "timeline", "--json", *args)))


def test_the_timeline_holds_every_kind_of_entry_in_date_order_with_sources(record: str) -> None:
    found = entries(record)
    assert {e["kind"] for e in found} == {
        "meeting",
        "paper",
        "statement",
        "event",
        "draft",
        "circulation",
        "stance",
    }
    assert all({"date", "kind", "summary", "sources", "parties"} <= set(e) for e in found)
    dated = [e["day"] for e in found if e["day"] is not None]
    assert dated == sorted(dated)
    tail = [e for e in found if e["day"] is None]
    assert tail == found[len(found) - len(tail) :], "approximate dates in words and undated entries last"
    planned = next(e for e in found if e["ref"] == "round-3")
    assert planned["date"] == "in the coming days" and planned["approximate"]
    held = next(e for e in found if e["ref"] == "round-2")
    assert held["date"] == "2025-01-20" and held["time"] == "17:00"
    assert "Mara Lind (North; led)" in held["summary"] and "mara-lind" not in held["summary"]
    leak = next(e for e in found if e["kind"] == "event" and e["ref"] == "leak-1")
    assert leak["sources"] == [
        {
            "id": "harbour-gazette-0112",
            "outlet": "Harbour Gazette",
            "title": "Talks postponed",
            "url": "https://gazette.example/talks-postponed",
            "date": "2025-01-12",
        }
    ]
    assert "traced to the copy of South" in leak["summary"]
    # the circulation recorded with its date, the stance by its as-of date
    handed = next(e for e in found if e["kind"] == "circulation" and e["ref"] == "v2")
    assert handed["date"] == "2025-01-18" and not handed["approximate"]
    assert handed["summary"] == "Draft v2 handed to South"
    studying = next(e for e in found if e["kind"] == "stance" and e["date"] == "2025-01-21")
    assert "South is studying Control of the harbour" in studying["summary"]
    # a stance without as-of on an undated draft: no day (the import's day is not when it was
    # taken); the day it was recorded in words
    recorded = [e for e in found if e["kind"] == "stance" and e["when"].startswith("recorded ")]
    assert recorded and all(
        e["day"] is None and e["when"] == f"recorded {dt.date.today().isoformat()}" for e in recorded
    )


def test_the_table_shows_dates_kinds_summaries_and_sources(record: str) -> None:
    out = ok(record, "timeline")
    assert "Timeline: Harbour talks" in out
    assert "in the coming days (approx.)" in out
    assert "Meeting held in Valletta" in out and "https://gazette.example/talks-postponed" in out


def test_filters_by_range_party_and_kind(record: str) -> None:
    ranged = entries(record, "--from", "2025-01-20", "--to", "2025-01-21")
    assert ranged and {e["date"] for e in ranged} <= {"2025-01-20", "2025-01-21"}
    north = entries(record, "--party", "North")  # by name, or by id
    assert north and all("north" in e["parties"] for e in north)
    assert north == entries(record, "--party", "north")
    assert {e["ref"] for e in north} >= {"round-2", "annex", "lind-private"}
    kinds = entries(record, "--kind", "meeting", "--kind", "event")
    assert {e["kind"] for e in kinds} == {"meeting", "event"}


def test_a_range_that_leaves_everything_out_says_so_not_that_the_record_is_empty(record: str) -> None:
    out = ok(record, "timeline", "--from", "2030-01-01")
    assert "no entries for these filters" in out and "accord meeting add" not in out


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG\r\n\x1a\n"), (".svg", b"<svg")])
@pytest.mark.parametrize("lanes", ["kind", "party"])
def test_the_plot_is_written(record: str, tmp_path: Path, suffix: str, magic: bytes, lanes: str) -> None:
    target = tmp_path / f"timeline{suffix}"
    out = ok(record, "timeline", "--plot", str(target), "--lanes", lanes)
    assert f"wrote {target}" in out
    data = target.read_bytes()
    if suffix == ".png":
        assert data.startswith(magic)
    else:
        import xml.etree.ElementTree as ET

        assert ET.fromstring(data).tag == "{http://www.w3.org/2000/svg}svg"
        assert b"in the coming days" in data  # the approximate date, in its words


def test_a_party_seat_sees_its_own_view_only(record: str) -> None:
    """Through the same service as the web: North's member sees its own private statement, not
    South's, no event (a leak and its trace are the mediator's), no stance but North's."""
    database = open_database(record)
    try:
        north = Viewer("north-desk", "North desk", {NAME: Seat(SeatRole.MEMBER, "north")})
        seen = timeline_service.timeline(database, north, NAME).entries
        text = json.dumps([e.data() for e in seen])
        assert NORTH_PRIVATE in text and SOUTH_SECRET not in text
        assert not [e for e in seen if e.kind.value == "event"]
        assert {p for e in seen if e.kind.value == "stance" for p in e.parties} == {"north"}
        # v2 went to South alone: North sees neither the text nor its handing over
        assert not [e for e in seen if e.ref == "v2"]
        mediator = timeline_service.for_command_line(database, NAME, user="desk").entries
        assert SOUTH_SECRET in json.dumps([e.data() for e in mediator])
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["--from", "2025-02-01", "--to", "2025-01-01"], "DomainError: --from: 2025-02-01 is after --to"),
        (["--from", "2025-13-01"], "DomainError: --from: expected a date written YYYY-MM-DD"),
        (["--to", "yesterday"], "DomainError: --to: expected a date"),
        (["--party", "west"], "NotFoundError: --party: no party 'west'"),
        (["--kind", "meetings"], "DomainError: --kind: 'meetings' is not a kind of entry"),
        (["--lanes", "colour"], "DomainError: --lanes: 'colour' is not a way"),
        (["--plot", "{tmp}/timeline.gif"], "DomainError: --plot: cannot draw 'timeline.gif'"),
        (["--plot", "{tmp}/no-such-folder/timeline.png"], "DomainError: --plot: no folder"),
        (["--plot", "{tmp}/a-file/timeline.png"], "DomainError: --plot: {tmp}/a-file is a file"),
    ],
    ids=["backwards", "bad-from", "bad-to", "party", "kind", "lanes", "extension", "folder", "under-a-file"],
)
def test_bad_input_is_one_line_naming_the_option(
    record: str, tmp_path: Path, args: list[str], start: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder\n")

    def files() -> list[str]:
        # SQLite's -wal and -shm files come and go with its connections: not something written
        return sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm")))

    before = files()
    code, out, err = accord(record, "timeline", *(a.replace("{tmp}", str(tmp_path)) for a in args))
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1, err
    assert lines[0].startswith(start.replace("{tmp}", str(tmp_path))), lines[0]
    assert not out
    assert files() == before, "nothing written"
