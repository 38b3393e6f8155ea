"""The episode of issue 13, recorded end to end through the `accord` command the day after it was
reported, on SQLite and PostgreSQL: a meeting of several hours in Moscow between the Russian president
and the US envoys (one of whom joined only for part of it); documents related to the plan handed over;
the Kremlin's spokesman telling reporters that parts of the plan were acceptable and parts incompatible
with Russia's position, and that the talks should stay out of the press; a planned Ukraine–US meeting
postponed; further contacts expected soon.

Every fact has a place in the record and a source, and `accord timeline` shows them in date order.
People are named by their roles, as in docs/record.md's worked example."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from accord.cli.app import app
from tests.storage.conftest import FLAGSHIP

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "200"}
SOURCE = [
    "--source-outlet",
    "Example Wire",
    "--source-title",
    "Envoys in Moscow",
    "--source-date",
    "2025-12-03",
]


def ok(url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", url], env=ENV)
    assert result.exit_code == 0, result.stderr or result.stdout
    return result.stdout


def test_the_moscow_episode_is_recorded_with_a_source_for_every_fact_and_shown_by_the_timeline(
    database_url: str,
) -> None:
    url = database_url
    ok(url, "import", str(FLAGSHIP))
    ok(
        url,
        "source",
        "add",
        "--id",
        "wire-1203",
        "--outlet",
        "Example Wire",
        "--title",
        "Envoys in Moscow",
        "--date",
        "2025-12-03",
    )
    cite = ["--source", "wire-1203"]
    for name, party, role in (
        ("Russian president", "russia", "President of Russia"),
        ("Kremlin spokesman", "russia", "the Kremlin's press secretary"),
        ("US envoy", "united-states", "special envoy"),
        ("Second US envoy", "united-states", "envoy"),
    ):
        ok(url, "person", "add", name, "--party", party, "--role", role)

    # the meeting is on record already (the flagship's, from the same coverage): corrected, not duplicated
    meetings_before = len(json.loads(ok(url, "meeting", "list", "--json")))
    ok(
        url,
        "meeting",
        "update",
        "moscow-2025-12-02",
        "--with-person",
        "Russian president",
        "--with-person",
        "US envoy",
        "--with-person",
        "Second US envoy",
        "--person-note",
        "Second US envoy=joined for part of the meeting",
        "--lead",
        "Russian president",
        "--lead",
        "US envoy",
        "--outcome",
        "A meeting of several hours; further contacts expected soon",
        *cite,
    )
    ok(
        url,
        "paper",
        "add",
        "--several",
        "--meeting",
        "moscow-2025-12-02",
        "--to-person",
        "Russian president",
        "--related-draft",
        "3",
        "--note",
        "Documents related to the plan",
        *cite,
    )
    ok(
        url,
        "statement",
        "add",
        "--by",
        "Kremlin spokesman",
        "--date",
        "2025-12-03",
        "--channel",
        "press",
        "--quote",
        "Parts of the plan are acceptable, others are incompatible with Russia's position; "
        "the talks should not be conducted through the press",
        "--id",
        "spokesman-1203",
        *cite,
    )
    ok(
        url,
        "meeting",
        "add",
        "--id",
        "ukraine-us-next",
        "--status",
        "planned",
        "--with",
        "ukraine",
        "--with",
        "united-states",
        "--date-approx",
        "after the Moscow meeting",
        *cite,
    )
    ok(
        url,
        "meeting",
        "update",
        "ukraine-us-next",
        "--status",
        "postponed",
        "--reason",
        "postponed, as reported after the Moscow meeting",
        *cite,
    )
    ok(
        url,
        "event",
        "add",
        "--kind",
        "postponement",
        "--date-approx",
        "early December 2025",
        "--summary",
        "The planned Ukraine-US meeting was postponed",
        "--id",
        "ukraine-us-postponed",
        *cite,
    )
    ok(
        url,
        "meeting",
        "add",
        "--id",
        "further-contacts",
        "--status",
        "planned",
        "--with",
        "russia",
        "--with",
        "united-states",
        "--date-approx",
        "soon",
        *cite,
    )

    # every fact has its place ...
    meetings = {m["id"]: m for m in json.loads(ok(url, "meeting", "list", "--json"))}
    assert len(meetings) == meetings_before + 2, "the Moscow meeting was corrected, not recorded twice"
    moscow = json.loads(ok(url, "meeting", "show", "moscow-2025-12-02", "--json"))
    # the scenario format's attendees: a person's id, or {person, note}
    people = {
        a if isinstance(a, str) else a["person"]: None if isinstance(a, str) else a["note"]
        for a in moscow["people"]
    }
    assert people["second-us-envoy"] == "joined for part of the meeting"
    assert {"russian-president", "us-envoy"} <= set(people)
    assert moscow["leads"] == {"russia": "russian-president", "united-states": "us-envoy"}
    assert "several hours" in moscow["outcome"] and moscow["history"], "the correction is kept"
    assert (
        meetings["ukraine-us-next"]["status"] == "postponed" and meetings["ukraine-us-next"]["date"] is None
    )
    assert (
        meetings["further-contacts"]["status"] == "planned" and meetings["further-contacts"]["place"] is None
    )
    papers = json.loads(ok(url, "paper", "list", "--json"))
    (handed,) = [p for p in papers if p.get("meeting") == "moscow-2025-12-02"]
    assert handed["title"] is None and handed["count"] == "several"  # untitled, how many unknown
    shown = json.loads(ok(url, "meeting", "show", "moscow-2025-12-02", "--json"))
    assert handed["id"] in [p["id"] for p in shown["papers"]], "the meeting lists what was handed over"
    assert "several untitled papers" in ok(url, "meeting", "show", "moscow-2025-12-02")
    statement = json.loads(ok(url, "statement", "show", "spokesman-1203", "--json"))
    assert statement["by"] == "kremlin-spokesman" and statement["channel"] == "press"

    # ... and a source, and the timeline shows them in date order
    entries: list[dict[str, Any]] = json.loads(ok(url, "timeline", "--json"))
    ours = [e for e in entries if any(s["id"] == "wire-1203" for s in e["sources"])]
    kinds = sorted(e["kind"] for e in ours)
    assert kinds == ["event", "meeting", "meeting", "meeting", "paper", "statement"], kinds
    dated = [e["date"] for e in entries if not e["undated"] and not e["approximate"]]
    assert dated == sorted(dated)
    spoken = next(e for e in ours if e["kind"] == "statement")
    assert spoken["date"] == "2025-12-03" and "incompatible with Russia" in spoken["summary"]
    assert entries.index(spoken) > entries.index(next(e for e in ours if e["kind"] == "paper"))
    table = ok(url, "timeline", "--from", "2025-12-02", "--to", "2025-12-03")
    assert "Kremlin spokesman" in table and ("Example Wire" in table or "Envoys in Moscow" in table)
