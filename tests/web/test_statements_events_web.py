"""Statements and events in the workbench (issue 13, items 4 and 5): the mediator records them by page
and API, adopts a statement as a party's stance, and reads events with their traces; bad input is a
422 naming the field, nothing written."""

from __future__ import annotations

from typing import Any

from accord.domain.statements import TraceRecord
from accord.services import audit
from accord.storage.unit_of_work import reading, writing
from tests.storage.helpers import snapshot
from tests.web.conftest import NAME, A, Workbench, api_token, log_in
from tests.web.private_statement import ADOPT_API, SPEAKER, plant_statements

API = f"/api/negotiations/{NAME}"
P = f"/n/{NAME}"


def _mediator(bench: Workbench) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(bench.client, 'mediator')}"}


def test_the_mediator_records_a_statement_with_its_source_and_adopts_another(bench: Workbench) -> None:
    plant_statements(bench.database)
    token = _mediator(bench)
    answer = bench.client.post(
        f"{API}/statements",
        json={
            "by": "Speaker",  # a unique surname
            "date": "2025-12-03",
            "quote": "Parts of the plan are acceptable.",
            "points": ["21"],
            "stance": "studying",
            "source": {"outlet": "TASS", "url": "https://tass.com/politics/1", "date": "2025-12-03"},
        },
        headers=token,
    )
    assert answer.status_code == 201, answer.text
    said = answer.json()
    assert said["by"] == SPEAKER and said["party"] == A and said["points"] == ["territory"]
    assert said["sources"] == ["tass-2025-12-03"]
    adopted = bench.client.post(f"{API}/statements/{ADOPT_API}/adopt", headers=token)
    assert adopted.status_code == 201, adopted.text
    assert adopted.json() == {
        "statement": ADOPT_API,
        "party": A,
        "draft": 3,
        "stances": [{"point": "nato-membership", "stance": "reject"}],
    }
    with reading(bench.database) as uow:
        (stance,) = uow.repository.load(NAME).negotiation.stances_evidenced_by(ADOPT_API)
    assert (stance.party, stance.draft, stance.stance.value) == (A, 3, "reject")
    listed = {s["id"]: s for s in bench.client.get(f"{API}/statements", headers=token).json()}
    assert listed[ADOPT_API]["adopted"] == [
        {"draft": 3, "party": A, "point": "nato-membership", "stance": "reject"}
    ]
    assert [e.action for e in audit.entries(bench.database)[-2:]] == ["statement.add", "statement.adopt"]


def test_the_events_page_shows_the_traces_attached(bench: Workbench) -> None:
    plant_statements(bench.database)
    with writing(bench.database, "mediator") as uow:
        uow.repository.add_event_trace(
            NAME, "planted-leak", TraceRecord(uow.now, "mediator", {"version": 3, "named": "ukraine"})
        )
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/events").text
    assert "draft v3" in page and "source ukraine" in page
    events = bench.client.get(f"{API}/events", headers=_mediator(bench)).json()
    (leak,) = [e for e in events if e["id"] == "planted-leak"]
    assert leak["traces"][0]["result"]["named"] == "ukraine"


def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(bench: Workbench) -> None:
    plant_statements(bench.database)
    token = _mediator(bench)
    log_in(bench.client, "mediator")
    before = _record(bench)
    cases = [
        ("statements", {"by": "Nobody", "date": "2025-12-03", "quote": "x"}, "by: "),
        (
            "statements",
            {"by": SPEAKER, "date": "2025-12-03", "quote": "x", "points": ["99"]},
            "points: ",
        ),
        ("statements", {"by": SPEAKER, "date": "2025-12-03", "quote": "x", "draft": 9}, "draft: "),
        (
            "statements",
            {"by": SPEAKER, "date": "2025-12-03", "quote": "x", "source": {"url": "not a url"}},
            "source.url: ",
        ),
        ("events", {"kind": "leak", "summary": "x"}, "date: "),
        ("events", {"kind": "leak", "date": "2025-12-03", "summary": "x", "paper": "nope"}, "paper: "),
    ]
    for what, body, words in cases:
        answer = bench.client.post(f"{API}/{what}", json=body, headers=token)
        assert answer.status_code in (404, 422), answer.text
        assert answer.json()["message"].startswith(words), answer.text
        # the API's own field names, never the command line's options (--about-point)
        assert "--" not in answer.text, answer.text
        if words != "source.url: ":  # a field of the source's own, named in the message
            assert answer.json()["problems"][0]["path"] == words[:-2], answer.text
    page = bench.client.get(f"{P}/statements").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = bench.client.post(
        f"{P}/statements", data={"by": SPEAKER, "date": "3 Dec", "quote": "x", "csrf_token": csrf}
    )
    assert answer.status_code == 422 and "date: expected a date YYYY-MM-DD" in answer.text
    assert _record(bench) == before


def _record(bench: Workbench) -> dict[str, Any]:
    """Every table but the log-in sessions (a page read renews its session)."""
    found = snapshot(bench.database)
    found.pop("sessions")
    return found


def test_a_refused_statement_or_event_keeps_what_was_typed_and_says_why_at_the_form(bench: Workbench) -> None:
    import html
    import re

    plant_statements(bench.database)
    before = _record(bench)
    csrf = log_in(bench.client, "mediator")
    typed = {
        "by": SPEAKER,
        "date": "2025-12-03",
        "quote": "We will not sign this text QX19",
        "summary": "refuses the text",
        "points": ["territory", "army-size"],
        "draft": "9",  # no such draft
        "source_outlet": "Example Wire",
        "csrf_token": csrf,
    }
    answer = bench.client.post(f"{P}/statements", data=typed)
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    problem = re.search(r'id="form-problem">([^<]*)<', page)
    assert (
        problem and "has no draft version 9" in problem.group(1) and "Nothing was saved" in problem.group(1)
    )
    assert ">We will not sign this text QX19</textarea>" in page
    assert 'name="summary" value="refuses the text"' in page and 'value="Example Wire"' in page
    chosen = re.findall(r'<option value="([^"]+)" selected>', page.split('id="add-statement"', 1)[1])
    assert {"territory", "army-size", SPEAKER} <= set(chosen)
    event = {"kind": "leak", "summary": "the paper surfaced ZR27", "date": "last week", "csrf_token": csrf}
    answer = bench.client.post(f"{P}/events", data=event)
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert 'name="summary" required value="the paper surfaced ZR27"' in page
    assert re.search(r'id="form-problem">date: ', page)
    assert _record(bench) == before
