"""The stance matrix's corrections and withdrawals (issue 13, item 7) through the pages and the JSON
API: the new kinds and the as-of date, a correction or withdrawal with its reason, through the same
services and policy as the command line: a party's seat changes only its own stances, on drafts
circulated to it."""

from __future__ import annotations

import html
import re

from accord.services import audit, stances
from tests.storage.helpers import snapshot
from tests.web.conftest import NAME, A, B, Workbench, api_token, log_in

P = f"/n/{NAME}"


def current(bench: Workbench, party: str, point: str, version: int = 3) -> str | None:
    found = [
        r
        for r in stances.history(bench.database, NAME, party=party, point=point, version=version)
        if r.stance.draft == version
    ]
    if not found or found[-1].withdrawn:
        return None
    return found[-1].stance.stance.value


def test_the_matrix_offers_the_new_kinds_an_as_of_date_corrections_and_withdrawals(bench: Workbench) -> None:
    log_in(bench.client, A)
    page = bench.client.get(f"{P}/matrix").text
    for kind in ("studying", "no-position"):
        assert f'<option value="{kind}"' in page
    assert 'type="date" name="as_of"' in page
    assert f'action="{P}/stances/corrections"' in page and f'action="{P}/stances/withdrawals"' in page
    assert f'name="party" value="{A}"' in page, "a party corrects its own stances only"


def test_a_party_records_studying_as_of_a_date(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    response = bench.client.post(
        f"{P}/stances",
        data={
            "point": "territory",
            "stance": "studying",
            "draft": "3",
            "as_of": "2025-12-26",
            "csrf_token": csrf,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'class="studying"' in response.text
    last = stances.history(bench.database, NAME, party=A, point="territory")[-1]
    assert last.stance.as_of is not None and last.stance.as_of.isoformat() == "2025-12-26"


def test_a_party_corrects_and_withdraws_its_own_stance_with_a_reason(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    corrected = bench.client.post(
        f"{P}/stances/corrections",
        data={
            "point": "territory",
            "draft": "3",
            "stance": "accept",
            "reason": "our answer was",
            "csrf_token": csrf,
        },
    )
    assert corrected.status_code == 303, corrected.text
    assert current(bench, A, "territory") == "accept"
    entry = audit.entries(bench.database)[-1]
    assert (entry.action, entry.actor, entry.details["reason"]) == ("stance.correct", A, "our answer was")
    withdrawn = bench.client.post(
        f"{P}/stances/withdrawals",
        data={"point": "territory", "draft": "3", "reason": "not our position yet", "csrf_token": csrf},
    )
    assert withdrawn.status_code == 303
    assert current(bench, A, "territory") is None
    row = bench.client.get(f"{P}/matrix").text.split('id="row-territory"', 1)[1].split("</tr>", 1)[0]
    assert 'class="accept"' not in row and 'class="none"' in row, "a withdrawn stance shows as no answer"
    assert audit.check(bench.database).ok


def test_a_correction_without_a_reason_writes_nothing(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    before = snapshot(bench.database)
    response = bench.client.post(
        f"{P}/stances/corrections",
        data={"point": "territory", "draft": "3", "stance": "accept", "reason": "", "csrf_token": csrf},
    )
    assert response.status_code == 422
    assert snapshot(bench.database) == before


def test_a_party_seat_cannot_withdraw_or_correct_another_partys_stance(bench: Workbench) -> None:
    assert current(bench, B, "territory") is not None
    csrf = log_in(bench.client, A)
    token = api_token(bench.client, A)
    before = snapshot(bench.database)
    for path, extra in (("withdrawals", {}), ("corrections", {"stance": "reject"})):
        response = bench.client.post(
            f"{P}/stances/{path}",
            data={"party": B, "point": "territory", "draft": "3", "reason": "r", "csrf_token": csrf, **extra},
        )
        assert response.status_code == 403, response.text
        assert f"may not correct or withdraw a stance of {B}" in response.text
    headers = {"Authorization": f"Bearer {token}"}
    body = {"party": B, "point": "territory", "draft": 3, "reason": "r"}
    refused = bench.client.post(f"/api/negotiations/{NAME}/stances/withdrawals", json=body, headers=headers)
    assert refused.status_code == 403 and refused.json()["error"] == "AccessDenied"
    assert f"may not correct or withdraw a stance of {B}" in refused.json()["message"]
    assert snapshot(bench.database) == before
    assert current(bench, B, "territory") is not None


def test_a_party_cannot_withdraw_on_a_draft_not_circulated_to_it(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    before = snapshot(bench.database)
    response = bench.client.post(
        f"{P}/stances/withdrawals",
        data={"point": "territory", "draft": "2", "reason": "r", "csrf_token": csrf},
    )
    assert response.status_code in (403, 404)
    assert snapshot(bench.database) == before


def test_the_mediator_corrects_and_withdraws_any_partys_stance_through_the_api(bench: Workbench) -> None:
    token = api_token(bench.client, "mediator")
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "party": B,
        "point": "territory",
        "draft": 3,
        "reason": "misrecorded",
        "stance": "reject",
        "as_of": "2025-12-26",
    }
    corrected = bench.client.post(f"/api/negotiations/{NAME}/stances/corrections", json=body, headers=headers)
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["stance"] == "reject" and corrected.json()["as_of"] == "2025-12-26"
    withdrawal = {"party": B, "point": "territory", "draft": 3, "reason": "withdrawn by Kyiv"}
    done = bench.client.post(
        f"/api/negotiations/{NAME}/stances/withdrawals", json=withdrawal, headers=headers
    )
    assert done.status_code == 201 and done.json()["withdrawn"] is True
    matrix = bench.client.get(f"/api/negotiations/{NAME}/matrix", headers=headers).json()
    territory = next(p for p in matrix["points"] if p["point"] == "territory")
    assert territory["stances"].get(B) is None
    again = bench.client.post(
        f"/api/negotiations/{NAME}/stances/withdrawals", json=withdrawal, headers=headers
    )
    assert again.status_code == 422 and "holds no stance" in again.json()["message"]


def test_a_correction_of_the_as_of_date_alone_moves_the_partys_own_revision(bench: Workbench) -> None:
    member = {"Authorization": f"Bearer {api_token(bench.client, A)}"}
    mediator = {"Authorization": f"Bearer {api_token(bench.client, 'mediator')}"}
    before = bench.client.get(f"/api/negotiations/{NAME}", headers=member).json()["revision"]
    body = {
        "party": A,
        "point": "territory",
        "draft": 3,
        "reason": "the date was known",
        "as_of": "2025-12-27",
    }
    corrected = bench.client.post(
        f"/api/negotiations/{NAME}/stances/corrections", json=body, headers=mediator
    )
    assert corrected.status_code == 201, corrected.text
    after = bench.client.get(f"/api/negotiations/{NAME}", headers=member).json()["revision"]
    assert after != before, "what the party's seat reads changed: its revision moves"


def _form(page: str, form: str) -> str:
    return html.unescape(page.split(f'id="{form}"', 1)[1].split("</form>", 1)[0])


def test_a_refused_correction_or_withdrawal_keeps_what_was_typed_and_says_why_at_its_form(
    bench: Workbench,
) -> None:
    csrf = log_in(bench.client, "mediator")
    before = snapshot(bench.database)
    typed = {
        "party": B,
        "point": "army-size",
        "draft": "3",
        "stance": "conditional",
        "note": "only with monitors KT52",
        "as_of": "2031-01-01",  # after today
        "reason": "misrecorded at the meeting",
    }
    refused = bench.client.post(f"{P}/stances/corrections", data={**typed, "csrf_token": csrf})
    assert refused.status_code == 422 and "<h1>Stances on draft v3</h1>" in refused.text
    form = _form(refused.text, "correct-stance")
    problem = re.search(r'id="form-problem">([^<]*)<', form)
    assert problem and problem.group(1).startswith("as-of date: 2031-01-01 is after today")
    assert "Nothing was saved" in problem.group(1) and "Traceback" not in refused.text
    assert f'<option value="{B}" selected>' in form and '<option value="army-size" selected>' in form
    assert '<option value="conditional" selected>' in form
    assert 'value="only with monitors KT52"' in form and 'value="2031-01-01"' in form
    assert 'value="misrecorded at the meeting"' in form
    assert 'id="form-problem"' not in _form(refused.text, "withdraw-stance")
    # a withdrawal without its reason (a space typed): said at the withdrawal's form, the choices kept
    typed = {"party": B, "point": "army-size", "draft": "3", "reason": " "}
    refused = bench.client.post(f"{P}/stances/withdrawals", data={**typed, "csrf_token": csrf})
    assert refused.status_code == 422
    form = _form(refused.text, "withdraw-stance")
    problem = re.search(r'id="form-problem">([^<]*)<', form)
    assert problem and problem.group(1).startswith("reason: a withdrawal needs its reason")
    assert f'<option value="{B}" selected>' in form and '<option value="army-size" selected>' in form
    assert snapshot(bench.database) == before


def test_a_withdrawal_of_no_stance_says_so_in_words_at_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    withdrawal = {"point": "territory", "draft": "3", "reason": "not our position yet", "csrf_token": csrf}
    assert bench.client.post(f"{P}/stances/withdrawals", data=withdrawal).status_code == 303
    again = bench.client.post(f"{P}/stances/withdrawals", data=withdrawal)
    assert again.status_code == 422
    form = _form(again.text, "withdraw-stance")
    problem = re.search(r'id="form-problem">([^<]*)<', form)
    assert problem and "holds no stance on point" in problem.group(1) and "`accord" not in problem.group(1)
    assert f'name="party" value="{A}"' in form and 'value="not our position yet"' in form
