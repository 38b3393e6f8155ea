"""The pages do what a mediator and a party need: stances by HTMX, preferences with errors at the
field, amendments, the explorer, the audit log."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from accord.domain import StanceKind
from accord.services import audit, stances
from accord.services.demo import FLAGSHIP, set_up_demo
from accord.storage.database import open_database
from accord.web.app import create_app
from accord.web.routes.pages import AUDIT_ENTRIES_SHOWN
from tests.web.conftest import NAME, SECRETS, A, B, Workbench, log_in

P = f"/n/{NAME}"


def test_a_stance_recorded_by_htmx_comes_back_as_the_updated_row(bench: Workbench) -> None:
    csrf = log_in(bench.client, B)
    response = bench.client.post(
        f"{P}/stances",
        data={
            "point": "territory",
            "stance": "conditional",
            "draft": "3",
            "note": "with guarantees",
            "csrf_token": csrf,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<tr id="row-territory">')
    assert 'class="conditional"' in response.text
    assert audit.entries(bench.database)[-1].actor == B


def test_a_bad_weight_is_shown_at_its_field_and_nothing_is_saved(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    before = bench.client.get(f"/api/negotiations/{NAME}")
    response = bench.client.post(
        f"{P}/preferences/{A}",
        data={"csrf_token": csrf, "weight.territory": "heavy", "reservation_value": "1.5"},
    )
    assert response.status_code == 422
    assert "expected a number, got &#39;heavy&#39;" in response.text
    response = bench.client.post(
        f"{P}/preferences/{A}", data={"csrf_token": csrf, "reservation_value": "1.5"}
    )
    assert response.status_code == 422 and "field-error" in response.text and "1.5" in response.text
    page = bench.client.get(f"{P}/preferences/{A}")
    assert str(SECRETS[A]["reservation_value"]) in page.text, "the old value is kept"
    assert bench.client.get(f"/api/negotiations/{NAME}").text == before.text


def test_a_party_saves_its_preferences(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    saved = bench.client.post(f"{P}/preferences/{A}", data={"csrf_token": csrf, "reservation_value": "0.45"})
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    assert 'value="0.45"' in saved.text
    assert audit.entries(bench.database)[-1].summary == f"preferences of {A} updated"
    assert "0.45" not in str(audit.entries(bench.database)[-1].details), "the log never holds the values"


def test_the_mediator_amends_circulates_and_reads_the_audit_log(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    form = {
        "csrf_token": csrf,
        "base": "3",
        "choose.nato-membership": "no-consensus",
        "reason": "later consensus",
    }
    created = bench.client.post(f"{P}/drafts", data=form)
    assert created.status_code == 303 and created.headers["location"] == f"{P}/drafts/4"
    circulated = bench.client.post(f"{P}/drafts/4/circulate", data={"csrf_token": csrf, "to": [A, B]})
    assert circulated.status_code == 303
    page = bench.client.get(f"{P}/drafts/4").text
    assert "Handed to: Russian Federation, Ukraine" in page
    log = bench.client.get(f"{P}/audit").text
    # the action in words (reports.audit_words), as `accord audit log` says it
    assert "Intact" in log and "<td>draft circulated</td>" in log and "draft.circulate" not in log


def test_an_amendment_without_a_reason_is_refused_on_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    form = {"csrf_token": csrf, "base": "3", "choose.nato-membership": "no-consensus", "reason": " "}
    refused = bench.client.post(f"{P}/drafts", data=form)
    assert refused.status_code == 422 and "no reason" in refused.text


def test_the_explorer_shows_a_package_with_bars_and_shares_it(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    result = bench.client.get(f"{P}/explorer/result?concept=nash", headers={"HX-Request": "true"})
    assert result.status_code == 200
    assert 'id="utilities"' in result.text and 'class="bar"' in result.text and 'id="package"' in result.text
    image = bench.client.get(f"{P}/frontier.png")
    assert image.headers["content-type"] == "image/png" and image.content[:4] == b"\x89PNG"
    assert (
        bench.client.post(f"{P}/shares", data={"csrf_token": csrf, "party": A, "concept": "nash"}).status_code
        == 303
    )
    log_in(bench.client, A)
    shared = bench.client.get(f"{P}/shared/{A}").text
    assert "The package of the Nash bargaining solution" in shared and "Your utility" in shared


def test_the_amendment_form_changes_text_drops_and_adds_points(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    form = {
        "csrf_token": csrf,
        "base": "3",
        "text.reconstruction": "A jointly run fund",
        "drop.ceasefire": "on",
        "add.id": "monitoring",
        "add.title": "Monitoring",
        "add.text": "OSCE observers monitor the elections",
        "reason": "the Geneva round",
    }
    created = bench.client.post(f"{P}/drafts", data=form)
    assert created.status_code == 303, created.text
    diff = bench.client.get(f"{P}/diff?a=3&b=4").text
    assert "3 points changed" in diff and "OSCE observers monitor the elections" in diff


def test_a_party_downloads_its_own_fingerprinted_copy_and_a_leak_of_it_is_traced(bench: Workbench) -> None:
    from accord.services.leaks import trace_text

    csrf = log_in(bench.client, B)
    response = bench.client.post(f"{P}/drafts/3/copy", data={"format": "md", "csrf_token": csrf})
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith(f'-v3-{B}.md"')
    named = trace_text(bench.database, NAME, response.text).named
    assert named is not None and named.copy.recipient == B
    other = bench.client.post(f"{P}/drafts/3/copy", data={"format": "md", "for": A, "csrf_token": csrf})
    assert other.status_code == 403
    assert audit.entries(bench.database)[-1].action == "copy.export"


def test_a_long_audit_log_shows_its_newest_entries_and_says_how_many_are_left_out(bench: Workbench) -> None:
    for n in range(AUDIT_ENTRIES_SHOWN + 5):
        stances.set_stance(
            bench.database, NAME, party=B, point="territory", stance=StanceKind.ACCEPT, note=str(n), actor=B
        )
    everything = audit.entries(bench.database, NAME)
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/audit").text
    shown = re.findall(r"<tr><td>(\d+)</td>", page)
    assert [int(seq) for seq in shown] == [e.seq for e in everything[-AUDIT_ENTRIES_SHOWN:]]
    assert f"{len(everything) - AUDIT_ENTRIES_SHOWN} earlier entries are not shown" in page
    assert "Intact" in page  # the whole chain is still verified


def test_the_explorer_names_the_bargaining_powers_of_its_nash_package_to_the_mediator_only(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "flagship.yaml"
    scenario.write_text(
        FLAGSHIP.read_text(encoding="utf-8") + "\nbargaining_power: {russia: 2}\n", encoding="utf-8"
    )
    database = open_database(str(tmp_path / "accord.db"))
    set_up_demo(database, scenario)
    client = TestClient(create_app(database), follow_redirects=False)
    try:
        csrf = log_in(client, "mediator")
        nash = client.get(f"{P}/explorer/result?concept=nash", headers={"HX-Request": "true"}).text
        line = nash.split('id="power">', 1)[1].split("</p>", 1)[0]
        assert "Bargaining power (asymmetric Nash" in line
        assert "Russian Federation 2, Ukraine 1, European states (E3/EU) 1" in line  # names, as elsewhere
        egalitarian = client.get(f"{P}/explorer/result?concept=egalitarian").text
        assert 'id="power"' not in egalitarian, "powers weigh the Nash product only"
        assert (
            client.post(f"{P}/shares", data={"csrf_token": csrf, "party": A, "concept": "nash"}).status_code
            == 303
        )
        log_in(client, A)  # a party learns nothing of the powers: not in what is shared, not in its pages
        assert client.get(f"{P}/explorer/result?concept=nash").status_code == 403
        for page in (f"{P}/shared/{A}", f"{P}", f"{P}/preferences/{A}"):
            response = client.get(page)
            assert response.status_code == 200, page
            # the concept's name ("Nash bargaining solution") is no secret; the powers are
            said = response.text.lower()
            assert "bargaining power" not in said and "bargaining_power" not in said, page
    finally:
        client.close()
        database.dispose()


def test_the_explorer_says_nothing_of_power_when_every_party_has_1(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    nash = bench.client.get(f"{P}/explorer/result?concept=nash").text
    assert 'id="utilities"' in nash and 'id="power"' not in nash and "Bargaining power" not in nash
