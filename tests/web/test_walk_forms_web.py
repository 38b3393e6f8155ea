"""What the mediator's walk through the flagship needed of the forms (issue 17, "How it is checked"):
a meeting's form says how a person took part (one who joined late, and when); a paper's form says the
meeting it was handed over at; a new version's page lists its changes from the version it amends, each
with its reason; the stances page marks a stance the mediator recorded from a source on a party's
behalf, naming the source."""

from __future__ import annotations

import html
import re

from accord.services import audit
from tests.web.conftest import NAME, Workbench, hidden_csrf, log_in

P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"


def words(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _vienna(bench: Workbench, csrf: str, notes: str) -> int:
    return bench.client.post(
        f"{P}/meetings",
        data={
            "csrf_token": csrf,
            "date": "2026-01-10",
            "place": "Vienna",
            "status": "held",
            "participants": ["russia", "ukraine"],
            "people": "US envoys; Ukrainian officials",
            "person_notes": notes,
        },
    ).status_code


def test_the_meetings_form_records_who_joined_late_and_when(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    assert _vienna(bench, csrf, "Russian officials=joined at 15:40") == 303
    (meeting,) = [m for m in bench.client.get(f"{API}/meetings").json() if m.get("place") == "Vienna"]
    assert {"person": "russian-officials", "note": "joined at 15:40"} in meeting["people"]
    row = words(bench.client.get(f"{P}/meetings").text)
    assert "Russian officials — joined at 15:40" in row


def test_a_note_without_its_person_is_refused_in_words_and_nothing_is_written(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    before = len(audit.entries(bench.database))
    refused = bench.client.post(
        f"{P}/meetings",
        data={"csrf_token": csrf, "date": "2026-01-10", "status": "held", "person_notes": "joined late"},
    )
    assert refused.status_code == 422
    assert 'how some took part: expected "NAME=how they took part", got' in words(refused.text)
    assert len(audit.entries(bench.database)) == before


def test_a_paper_is_recorded_as_handed_over_at_a_meeting(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    form = bench.client.get(f"{P}/papers").text
    assert '<option value="geneva-2025-11-23">' in form  # the meetings on record, to choose from
    assert _vienna(bench, csrf, "") == 303
    (meeting,) = [m["id"] for m in bench.client.get(f"{API}/meetings").json() if m.get("place") == "Vienna"]
    data = bytes(range(256))
    made = bench.client.post(
        f"{P}/papers",
        data={
            "csrf_token": hidden_csrf(form),
            "title": "Memo on guarantees",
            "meeting": meeting,
            "to": "ukraine",
        },
        files={"file": ("memo.bin", data, "application/octet-stream")},
    )
    assert made.status_code == 303, made.text
    (paper,) = [p for p in bench.client.get(f"{API}/papers").json() if p["label"] == "Memo on guarantees"]
    assert paper["meeting"] == meeting
    assert bench.client.get(f"{P}/papers/{paper['id']}/content").content == data
    assert "Memo on guarantees" in words(bench.client.get(f"{P}/meetings").text).split("Vienna", 1)[1]


def test_a_paper_at_a_meeting_not_on_record_is_refused(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    typed = {"title": "Stray", "text": "the text typed KP31", "note": "a note", "to": ["russia", "ukraine"]}
    refused = bench.client.post(
        f"{P}/papers", data={"csrf_token": csrf, "meeting": "no-such-meeting", **typed}
    )
    assert refused.status_code == 422
    assert "no-such-meeting" in words(refused.text) and "Nothing was saved" in refused.text
    # what was typed is kept at the form
    assert 'name="title" maxlength="500" value="Stray"' in refused.text
    assert ">the text typed KP31</textarea>" in refused.text
    assert 'value="russia" checked' in refused.text and 'value="ukraine" checked' in refused.text
    assert not [p for p in bench.client.get(f"{API}/papers").json() if p["label"] == "Stray"]


def test_a_new_version_lists_its_changes_from_the_version_it_amends_with_their_reasons(
    bench: Workbench,
) -> None:
    csrf = log_in(bench.client, "mediator")
    amend = bench.client.get(f"{P}/amend?base=2").text
    revision = re.search(r'name="expected_revision" value="(\d+)"', amend)
    first_option = r'<option value="">\(unchanged\)</option>\s*<option value="([^"]+)"'
    option = re.search(r'<select name="choose\.army-size"[^>]*>' + first_option, amend)
    assert revision and option
    made = bench.client.post(
        f"{P}/drafts",
        data={
            "csrf_token": csrf,
            "base": "2",
            "expected_revision": revision.group(1),
            "choose.army-size": option.group(1),
            "reason.army-size": "a cap Ukraine can live with",
        },
    )
    assert made.status_code == 303, made.text
    assert made.headers["location"] == f"{P}/drafts/4"
    page = words(bench.client.get(f"{P}/drafts/4").text)
    assert "amends v2" in page
    assert "The changes from v2, each with its reason" in page
    chosen = re.search(rf'<option value="{option.group(1)}"[^>]*title="([^"]+)"', amend[option.start() :])
    assert chosen
    said = f"point 6 (Size of Ukraine's armed forces): “{html.unescape(chosen.group(1))}”"
    assert f"{said} — a cap Ukraine can live with" in page
    # a party reads the text it was handed, not the mediator's reasons
    bench.client.post(f"{P}/drafts/4/circulate", data={"csrf_token": csrf, "to": "ukraine"})
    bench.client.cookies.clear()
    log_in(bench.client, "ukraine")
    party = words(bench.client.get(f"{P}/drafts/4").text)
    assert "Draft v4" in party and "a cap Ukraine can live with" not in party


def test_the_matrix_marks_a_stance_recorded_on_a_partys_behalf_with_its_source(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    recorded = bench.client.post(
        f"{P}/stances/on-behalf",
        data={
            "csrf_token": csrf,
            "party": "ukraine",
            "point": "army-size",
            "draft": "3",
            "stance": "conditional",
            "source": "liga-28-points",
        },
    )
    assert recorded.status_code == 303, recorded.text
    row = re.search(r'<tr id="row-army-size">.*?</tr>', bench.client.get(f"{P}/matrix?draft=3").text, re.S)
    assert row and "conditional recorded on its behalf, source news.liga.net" in words(row.group(0))
    # a party's own answer cites nothing and is not marked; a party's page never shows the mark
    bench.client.cookies.clear()
    csrf = log_in(bench.client, "russia")
    answered = bench.client.post(
        f"{P}/stances", data={"csrf_token": csrf, "point": "army-size", "stance": "accept", "draft": "3"}
    )
    assert answered.status_code == 303
    own = re.search(r'<tr id="row-army-size">.*?</tr>', bench.client.get(f"{P}/matrix?draft=3").text, re.S)
    assert own and "recorded on its behalf" not in own.group(0)
    bench.client.cookies.clear()
    log_in(bench.client, "mediator")
    row = re.search(r'<tr id="row-army-size">.*?</tr>', bench.client.get(f"{P}/matrix?draft=3").text, re.S)
    assert row
    cells = re.findall(r"<td class=\"(\w[\w-]*)\">(.*?)</td>", row.group(0), re.S)
    marked = [kind for kind, cell in cells if "recorded on its behalf" in cell]
    assert marked == ["conditional"], cells


def test_a_refused_meeting_keeps_what_was_typed_and_says_why_at_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    before = len(audit.entries(bench.database))
    typed = {
        "date": "2026-01-10",
        "start": "2026-01-10 10:00",
        "duration": "800h",  # longer than a meeting can be
        "date_approx": "early January",
        "place": "Vienna QM44",
        "channel": "video",
        "status": "planned",
        "note": "to agree the agenda",
        "participants": ["russia", "ukraine"],
        "people": "US envoys; Ukrainian officials",
        "person_notes": "Russian officials=joined at 15:40",
        "source_outlet": "Example Wire",
        "source_title": "Talks in Vienna",
        "source_url": "https://example.org/vienna",
        "source_date": "2026-01-11",
    }
    refused = bench.client.post(f"{P}/meetings", data={"csrf_token": csrf, **typed})
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    problem = re.search(r'id="form-problem">([^<]*)<', page)
    assert problem and problem.group(1).startswith("duration: '800h' is longer than a meeting can be")
    assert "Nothing was saved" in problem.group(1) and "Traceback" not in page
    form = page.split('id="add-meeting"', 1)[1].split("</form>", 1)[0]
    for field, value in typed.items():
        if field not in ("channel", "status", "participants"):
            assert re.search(rf'name="{field}"[^>]* value="{re.escape(str(value))}"', form), field
    assert "<option selected>video</option>" in form and "<option selected>planned</option>" in form
    assert 'value="russia" checked' in form and 'value="ukraine" checked' in form
    assert 'value="europe" checked' not in form
    assert len(audit.entries(bench.database)) == before


def test_a_meeting_naming_someone_not_recorded_says_so_by_name_at_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    typed = {"date": "2026-01-10", "place": "Vienna", "status": "held", "people": "US envoys; Nobody Known"}
    refused = bench.client.post(f"{P}/meetings", data={"csrf_token": csrf, **typed})
    assert refused.status_code == 422
    problem = re.search(r'id="form-problem">([^<]*)<', html.unescape(refused.text))
    assert problem and problem.group(1).startswith("people present: nobody called 'Nobody Known' is recorded")
    assert "US envoys" in problem.group(1) and "us-envoys" not in problem.group(1), "names, not keys"
    assert 'name="people" value="US envoys; Nobody Known"' in refused.text
