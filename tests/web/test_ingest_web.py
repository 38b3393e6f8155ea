"""Ingest from the workbench (issue 16 item 8): paste or upload a report, review the proposals in a
form (accept, edit, drop each), apply; and the JSON API's equivalent. On the coalition example, with
a mediator's seat (the formateur's), a party member's (the Liberals') and an observer's."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from accord.config import BODY_BYTES_VARIABLE, REPORT_BYTES_VARIABLE
from accord.security.policy import SeatRole
from accord.services import accounts, negotiations, workbench
from accord.services.accounts import viewer_of
from accord.storage.database import Database, open_database
from accord.storage.unit_of_work import reading
from accord.web.app import create_app

COALITION = Path(__file__).resolve().parents[2] / "examples" / "coalition-agreement.yaml"
NAME = "veldland-coalition"
P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"
SEATS = {
    "formateur": (SeatRole.MEDIATOR, None),
    "liberal": (SeatRole.MEMBER, "liberals"),
    "watcher": (SeatRole.OBSERVER, None),
}

# a wire report about the coalition example, written for this test
REPORT = """VELDEN, Nov 7 (Veldland Press) - The four parties negotiating Veldland's next government \
held five hours of talks at Castle Rosendael on Thursday.

Liberal leader Henrik van Dael said after the session that leaving the finance ministry with the \
Social Democrats was "a non-starter" for his party.

Green leader Anouk Verhaegen told reporters her party was studying the text on the budget rule.
"""


def password(user: str) -> str:
    return f"{user}-password-for-tests"


@dataclass
class Coalition:
    database: Database
    client: TestClient


@pytest.fixture
def coalition(tmp_path: Path) -> Iterator[Coalition]:
    database = open_database(str(tmp_path / "accord.db"))
    negotiations.initialise(database)
    negotiations.import_scenario(database, COALITION, actor="tests")
    for user, (role, party) in SEATS.items():
        accounts.add_user(database, user, user.capitalize(), password(user), actor="tests")
        accounts.grant(database, user, NAME, role, party, actor="tests")
    client = TestClient(create_app(database), follow_redirects=False)
    yield Coalition(database, client)
    client.close()
    database.dispose()


def log_in(client: TestClient, user: str) -> str:
    """Log in through the form; the session's CSRF token."""
    token = _hidden(client.get("/login").text, "csrf_token")
    answer = client.post("/login", data={"username": user, "password": password(user), "csrf_token": token})
    assert answer.status_code == 303, answer.text
    return _hidden(client.get("/negotiations").text, "csrf_token")


def bearer(client: TestClient, user: str) -> dict[str, str]:
    answer = client.post("/api/login", json={"username": user, "password": password(user)})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _hidden(page: str, name: str) -> str:
    return html.unescape(page.split(f'name="{name}" value="', 1)[1].split('"', 1)[0])


def review_form(page: str) -> list[tuple[str, str]]:
    """The review form as a browser sends it untouched: hidden fields, ticked boxes, inputs' values,
    selected options (the button is added by the caller)."""
    form = page.split('<form method="post" action="/n/veldland-coalition/ingest/apply"', 1)[1]
    form = form.split("</form>", 1)[0]
    fields: list[tuple[str, str]] = []
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        if name is None:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]*)"', tag)
        if kind and kind[1] == "checkbox" and " checked" not in tag:
            continue
        fields.append((html.unescape(name[1]), html.unescape(value[1]) if value else ""))
    for name, body in re.findall(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', form, re.S):
        fields.append((html.unescape(name), html.unescape(body)))
    for name, body in re.findall(r'<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>', form, re.S):
        for value in re.findall(r'<option value="([^"]*)" selected>', body):
            fields.append((html.unescape(name), html.unescape(value)))
    return fields


def changed(fields: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    """The form with ``name`` set to ``value`` (None: left out, as an unticked box is)."""
    kept = [(k, v) for k, v in fields if k != name]
    return kept if value is None else [*kept, (name, value)]


def send(client: TestClient, fields: list[tuple[str, str]], action: str = "apply") -> Any:
    """The review form sent with one of its buttons (a form's repeated names, as a browser sends them)."""
    return client.post(
        f"{P}/ingest/apply",
        content=urlencode([*fields, ("action", action)]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def read(client: TestClient, csrf: str, text: str = REPORT, **more: str) -> Any:
    return client.post(f"{P}/ingest", data={"csrf_token": csrf, "text": text, **more})


def card(page: str, ident: str) -> str:
    return page.split(f'id="card-{ident}"', 1)[1].split("</fieldset>", 1)[0]


def legend(page: str, ident: str) -> str:
    return card(page, ident).split("<legend>", 1)[1].split("</legend>", 1)[0]


def ids_of(page: str, kind: str) -> list[str]:
    """The ids of the proposals of a kind, in the order of their cards."""
    return re.findall(rf'id="card-(p\d+)" data-kind="{kind}"', page)


def test_the_page_explains_that_nothing_is_written_until_apply(coalition: Coalition) -> None:
    log_in(coalition.client, "formateur")
    page = coalition.client.get(f"{P}/ingest")
    assert page.status_code == 200
    assert "Nothing is written until you apply" in page.text
    for label in ('for="report-text"', 'for="report-file"', 'for="report-date"', 'for="report-outlet"'):
        assert label in page.text
    # linked where the chronology is, for the mediator
    assert f'href="{P}/ingest"' in coalition.client.get(f"{P}/timeline").text


def test_a_pasted_report_is_reviewed_edited_in_part_and_applied_once(coalition: Coalition) -> None:
    client = coalition.client
    csrf = log_in(client, "formateur")
    review = read(client, csrf, outlet="Veldland Press")
    assert review.status_code == 200, review.text
    page = review.text
    # the report: its date and how it was found
    assert "Dated 7 November 2031 (from its dateline)" in page
    # grouped in the order person, meeting, paper, statement, stance, event; in words, with evidence
    assert (
        page.index("<h2>Meetings</h2>") < page.index("<h2>Statements</h2>") < page.index("<h2>Stances</h2>")
    )
    assert "Meeting on 6 November 2031 at Castle Rosendael" in page
    assert "Stance: Liberal Party of Veldland rejects point 11, Finance ministry" in page
    stances, statements = ids_of(page, "stance"), ids_of(page, "statement")
    [liberal_stance] = [i for i in stances if "Liberal Party" in legend(page, i)]
    [green_stance] = [i for i in stances if "Green Party" in legend(page, i)]
    [green_statement] = [i for i in statements if "Anouk Verhaegen" in legend(page, i)]
    liberal = card(page, liberal_stance)
    assert '<blockquote class="evidence">Liberal leader Henrik van Dael said' in liberal
    assert 'was "a non-starter" for his party.</blockquote>' in html.unescape(liberal)  # the evidence
    assert re.search(r"Confidence: <strong>(very likely|likely|possible|doubtful) \d\.\d\d</strong>", liberal)
    assert 'class="card proposal tint-reject"' in page
    # multi-selects show names and titles, never bare keys
    assert ">11. Finance ministry</option>" in liberal
    assert '<option value="liberals" selected>Liberal Party of Veldland</option>' in liberal
    assert f'name="{liberal_stance}.accept" value="1" id="{liberal_stance}-accept" checked' in liberal

    # drop the meeting (the record has it: its card says so) and the Greens' stance; correct the date
    # of the Greens' statement; apply
    [meeting] = ids_of(page, "meeting")
    assert "first-plenary" in card(page, meeting)
    fields = review_form(page)
    fields = changed(fields, f"{meeting}.accept", None)
    fields = changed(fields, f"{green_stance}.accept", None)
    fields = changed(fields, f"{green_statement}.date", "2031-11-08")
    refused = send(client, fields)
    # the record's dates lie ahead of today: a stance's date is refused, on its card, by its label;
    # nothing is written and the form comes back with the reviewer's edits
    assert refused.status_code == 422
    assert "Nothing was written: 1 problem" in refused.text
    problem = (
        "Stance: Liberal Party of Veldland rejects point 11, Finance ministry: "
        "Date: 2031-11-06 is after today"
    )
    assert problem in refused.text and "proposals[" not in refused.text
    assert 'class="field-error" role="alert">2031-11-06 is after today' in card(refused.text, liberal_stance)
    kept = review_form(refused.text)
    assert (f"{green_statement}.date", "2031-11-08") in kept
    assert f"{green_stance}.accept" not in dict(kept)
    fields = changed(kept, f"{liberal_stance}.date", "")
    applied = send(client, fields)
    assert applied.status_code == 200, applied.text
    assert "Written to the record" in applied.text
    assert "Stance: Liberal Party of Veldland rejects point 11, Finance ministry" in applied.text
    assert f'href="{P}/matrix#row-finance-ministry"' in applied.text
    assert "Dropped by you" in applied.text and "Green Party of Veldland is studying" in applied.text
    said = html.unescape(" ".join(applied.text.split()))
    assert "each citing the report as source Veldland Press," in said, "the source in words, not its key"
    assert "on point 11 (Finance ministry) of draft v" in said and "liberals on point" not in said

    # the record holds exactly the accepted entries, with the edit, each citing the report
    mediator = viewer_of(coalition.database, "formateur")
    seen = workbench.view(coalition.database, mediator, NAME).negotiation
    [report] = [s for s in seen.sources if s.sha256]
    assert report.outlet == "Veldland Press"
    names = {p.id: p.name for p in seen.people}
    with reading(coalition.database) as uow:
        stored = uow.repository.load(NAME).negotiation
    citing = [
        *(
            (f"statement by {names[s.person]} on {s.date}")
            for s in stored.statements
            if report.id in s.sources
        ),
        *(
            f"stance of {s.party} on {s.point}: {s.stance.value}"
            for s in stored.stances
            if report.id in s.sources
        ),
        *(f"meeting {m.id}" for m in stored.meetings if report.id in m.sources),
        *(f"paper {p.id}" for p in stored.papers if report.id in p.sources),
        *(f"event {e.id}" for e in stored.events if report.id in e.sources),
        *(f"person {p.id}" for p in stored.people if report.id in p.sources),
    ]
    assert sorted(citing) == [
        "stance of liberals on finance-ministry: reject",
        "statement by Anouk Verhaegen on 2031-11-08",
        "statement by Henrik van Dael on 2031-11-06",
    ]
    assert applied.text.count("<li><a href=") == 3

    # the same proposals again: refused in words, nothing written twice
    again = send(client, fields)
    assert again.status_code == 422
    assert "applied already" in again.text and "Traceback" not in again.text
    assert 'id="apply-problem"' in again.text


def test_check_only_writes_nothing_and_says_what_would_be_written(coalition: Coalition) -> None:
    client = coalition.client
    csrf = log_in(client, "formateur")
    page = read(client, csrf).text
    fields = review_form(page)
    for stance in ids_of(page, "stance"):  # the record's dates lie ahead: record the stances undated
        fields = changed(fields, f"{stance}.date", "")
    before = client.get(f"/api/negotiations/{NAME}", headers=bearer(client, "formateur")).json()["revision"]
    checked = send(client, fields, action="check")
    assert checked.status_code == 200, checked.text
    assert "Check only: every check passed and nothing was written" in checked.text
    assert "Stance: Liberal Party of Veldland rejects point 11, Finance ministry" in checked.text
    assert 'id="review"' in checked.text  # the form again, to apply
    after = client.get(f"/api/negotiations/{NAME}", headers=bearer(client, "formateur")).json()["revision"]
    assert after == before
    assert send(client, review_form(checked.text)).status_code == 200  # then applied as checked


def test_an_empty_paste_and_a_binary_upload_are_refused_on_the_page(coalition: Coalition) -> None:
    client = coalition.client
    csrf = log_in(client, "formateur")
    for text in ("", "   \n  "):
        empty = read(client, csrf, text=text)
        assert empty.status_code == 422
        assert 'id="ingest-problem"' in empty.text and "Traceback" not in empty.text
        assert "nothing to read" in empty.text
    binary = client.post(
        f"{P}/ingest",
        data={"csrf_token": csrf, "text": ""},
        files={"file": ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "image/png")},
    )
    assert binary.status_code == 422
    assert "photo.png is not a text, Markdown, HTML, PDF or Word file" in binary.text
    assert "Traceback" not in binary.text
    # both a text and a file: which one is meant is asked, never guessed; the pasted text is kept
    both = client.post(
        f"{P}/ingest",
        data={"csrf_token": csrf, "text": REPORT},
        files={"file": ("report.txt", REPORT.encode(), "text/plain")},
    )
    assert both.status_code == 422 and "not both" in both.text
    assert "Henrik van Dael said after the session" in both.text
    wrong_date = read(client, csrf, report_date="7 Nov")
    assert wrong_date.status_code == 422 and "report date: expected a date YYYY-MM-DD" in wrong_date.text
    # a source address that is no web address: refused as the report is read, not once it is applied
    wrong_url = read(client, csrf, text=REPORT, url="example.org/talks")
    assert wrong_url.status_code == 422 and "Traceback" not in wrong_url.text
    assert "source url: &#39;example.org/talks&#39; is not a URL" in wrong_url.text
    assert "Henrik van Dael said after the session" in wrong_url.text  # the text is kept
    api = client.post(
        f"{API}/ingest", json={"text": REPORT, "url": "ftp://x"}, headers=bearer(client, "formateur")
    )
    assert api.status_code == 422 and api.json()["problems"] == [
        {
            "path": "url",
            "message": "'ftp://x' is not a URL; expected an address such as https://example.org/page",
        }
    ]


def test_an_uploaded_file_is_read_as_its_format(coalition: Coalition) -> None:
    client = coalition.client
    csrf = log_in(client, "formateur")
    page = "<html><head><title>Talks at Rosendael</title></head><body>" + "".join(
        f"<p>{paragraph}</p>" for paragraph in REPORT.split("\n\n")
    )
    uploaded = client.post(
        f"{P}/ingest",
        data={"csrf_token": csrf},
        files={"file": ("rosendael.html", page.encode(), "text/html")},
    )
    assert uploaded.status_code == 200, uploaded.text
    assert "Talks at Rosendael" in uploaded.text  # the page's title names the report
    assert "Stance: Liberal Party of Veldland rejects point 11, Finance ministry" in uploaded.text


def test_a_report_about_another_negotiation_proposes_nothing_and_says_why(coalition: Coalition) -> None:
    client = coalition.client
    csrf = log_in(client, "formateur")
    other = (
        "BRUSSELS, March 3 (Example Wire) - Trade ministers failed to agree on cheese tariffs on Monday, "
        "officials said, and will meet again in April."
    )
    page = read(client, csrf, text=other)
    assert page.status_code == 200
    assert 'id="no-proposals"' in page.text and "proposes nothing for this record" in page.text
    assert "names none of this negotiation" in page.text  # the report's note: why
    assert 'id="review"' not in page.text


@pytest.mark.parametrize("user", ["liberal", "watcher"])
def test_a_party_member_and_an_observer_may_not_ingest(coalition: Coalition, user: str) -> None:
    client = coalition.client
    csrf = log_in(client, user)
    page = client.get(f"{P}/ingest")
    assert page.status_code == 403
    assert "may not ingest a report into the record" in page.text
    assert read(client, csrf).status_code == 403
    applied = client.post(f"{P}/ingest/apply", data={"csrf_token": csrf, "proposals": "report: {}"})
    assert applied.status_code == 403
    assert f'href="{P}/ingest"' not in client.get(f"{P}/timeline").text
    api = client.post(f"{API}/ingest", json={"text": REPORT}, headers=bearer(client, user))
    assert api.status_code == 403 and api.json()["error"] == "AccessDenied"


def test_anonymous_is_sent_to_log_in(coalition: Coalition) -> None:
    answer = coalition.client.get(f"{P}/ingest")
    assert answer.status_code == 303 and "/login" in answer.headers["location"]


def test_the_api_proposes_then_applies_what_was_accepted_once(coalition: Coalition) -> None:
    client = coalition.client
    auth = bearer(client, "formateur")
    proposed = client.post(f"{API}/ingest", json={"text": REPORT, "outlet": "Veldland Press"}, headers=auth)
    assert proposed.status_code == 200, proposed.text
    body = proposed.json()
    assert body["report"]["date"] == "2031-11-07" and body["report"]["outlet"] == "Veldland Press"
    kinds = [p["kind"] for p in body["proposals"]]
    assert "statement" in kinds and "stance" in kinds
    for p in body["proposals"]:
        p["accept"] = p["kind"] == "statement"
    # a field edited wrong: named by proposal and field, nothing written
    first = next(p for p in body["proposals"] if p["kind"] == "statement")
    index = body["proposals"].index(first)
    first["date"] = "the 6th"
    wrong = client.post(f"{API}/ingest/apply", json={**body, "dry_run": False}, headers=auth)
    assert wrong.status_code == 422
    assert [p["path"] for p in wrong.json()["problems"]] == [f"proposals[{index}].date"]
    first["date"] = "2031-11-06"
    checked = client.post(f"{API}/ingest/apply", json={**body, "dry_run": True}, headers=auth)
    assert checked.status_code == 200 and checked.json()["dry_run"] is True
    applied = client.post(f"{API}/ingest/apply", json=body, headers=auth)
    assert applied.status_code == 200, applied.text
    written = applied.json()["written"]
    assert {w["kind"] for w in written} == {"statement"} and len(written) == kinds.count("statement")
    assert checked.json()["written"] == written  # the dry run said what would be written
    again = client.post(f"{API}/ingest/apply", json=body, headers=auth)
    assert again.status_code == 422 and "applied already" in again.json()["message"]
    # read against another negotiation: refused, as `accord ingest apply -n` refuses it
    elsewhere = {**body, "report": {**body["report"], "negotiation": "camp-david-1978"}}
    refused = client.post(f"{API}/ingest/apply", json=elsewhere, headers=auth)
    assert refused.status_code == 422
    assert "were read against 'camp-david-1978', not 'veldland-coalition'" in refused.json()["message"]


def test_the_api_reads_an_uploaded_file(coalition: Coalition) -> None:
    client = coalition.client
    answer = client.post(
        f"{API}/ingest",
        data={"report_date": "2031-11-07"},
        files={"file": ("report.md", ("# Talks at Rosendael\n\n" + REPORT).encode(), "text/markdown")},
        headers=bearer(client, "formateur"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["report"]["title"] == "Talks at Rosendael"
    assert answer.json()["report"]["date_rule"] == "--report-date"
    empty = client.post(f"{API}/ingest", json={"text": ""}, headers=bearer(client, "formateur"))
    assert empty.status_code == 422 and empty.json()["error"] == "DomainError"
    unknown = client.post(f"{API}/ingest", json={"txt": REPORT}, headers=bearer(client, "formateur"))
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["path"] == "txt"


def test_a_report_over_the_limits_is_refused_in_words(
    coalition: Coalition, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = coalition.client
    csrf = log_in(client, "formateur")
    monkeypatch.setenv(REPORT_BYTES_VARIABLE, "200")
    large = client.post(
        f"{P}/ingest", data={"csrf_token": csrf}, files={"file": ("long.txt", REPORT.encode(), "text/plain")}
    )
    assert large.status_code == 422
    assert f"long.txt is {len(REPORT.encode())} bytes, over the limit of 200 bytes" in large.text
    # a body over the limit of the report routes (the report limit and a form's envelope): 413 before
    # any route runs, in words; the workbench's own limit (smaller) does not bind a report's upload
    monkeypatch.setenv(BODY_BYTES_VARIABLE, "1000")
    with TestClient(create_app(coalition.database), follow_redirects=False) as small:
        csrf = log_in(small, "formateur")
        fits = small.post(f"{P}/ingest", data={"csrf_token": csrf, "text": REPORT * 4})
        assert fits.status_code != 413
        refused = small.post(f"{P}/ingest", data={"csrf_token": csrf, "text": "x" * 70_000})
        assert refused.status_code == 413 and "larger than 65,736 bytes" in refused.text


def test_a_stance_card_agrees_with_a_party_named_in_the_plural() -> None:
    from accord.web.ingest_review import Record, headline

    record = Record({"europe": "European states (E3/EU)", "ukraine": "Ukraine"}, {"nato": (7, "NATO")}, ())
    entry = {"kind": "stance", "party": "europe", "point": "nato", "stance": "reject"}
    assert headline(entry, record) == "Stance: European states (E3/EU) reject point 7, NATO"
    entry = {**entry, "party": "ukraine", "stance": "studying"}
    assert headline(entry, record) == "Stance: Ukraine is studying point 7, NATO"
