"""The mediator's page per party (issue 14 item 7): prior against posterior weight per point, the most
and least preferred options, contradictions, diagnostics, and a button that adopts the estimate (the
same audited write as `accord estimate --write`); the JSON API; and no party's seat ever sees an
estimate, another party's or its own."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from typing import Any

import pytest

from accord.analysis import estimate as estimating
from accord.reports.estimate_chart import POSTERIOR, PRIOR
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import audit, workbench
from tests.web.conftest import NAME, A, B, Workbench, api_token, log_in, secrets_of

P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"
FEW = 200  # posterior samples: quick (the least a request may ask for)
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})


def _bearer(bench: Workbench, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(bench.client, user)}"}


def _revision(bench: Workbench) -> int:
    return workbench.view(bench.database, MEDIATOR, NAME).revision


def test_the_mediator_sees_prior_against_posterior_per_point(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    response = bench.client.get(f"{P}/estimates/{A}?samples={FEW}")
    assert response.status_code == 200, response.text
    page = response.text
    assert "Russian Federation: preferences estimated from the evidence" in page
    # one row per point in the table, and in the chart (the one `accord estimate --plot` draws) a
    # prior and a posterior mark per point, with the table's numbers
    rows = page.split('<table id="weights">', 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr><td>") == 28 and "Territory" in rows and " → " in rows
    spec = json.loads(html.unescape(page.split("data-vl-spec='", 1)[1].split("'", 1)[0]))
    marks = spec["data"]["values"]
    assert len(marks) == 56 and {m["series"] for m in marks} == {PRIOR, POSTERIOR}
    assert spec["title"]["text"] == "Russian Federation: weights before and after the evidence"
    first = rows.split("<tr><td>", 2)[1]  # point 1: prior -> posterior (low-high)
    shown = re.search(r"([\d.]+) → ([\d.]+) \(([\d.]+)–([\d.]+)\)", first)
    assert shown is not None
    prior, posterior = (m for m in marks if m["order"] == 0)
    assert (prior["series"], posterior["series"]) == (PRIOR, POSTERIOR)
    assert f"{prior['mean']:.3f}" == shown[1] and f"{posterior['mean']:.3f}" == shown[2]
    assert (f"{posterior['low']:.3f}", f"{posterior['high']:.3f}") == (shown[3], shown[4])
    assert prior["low"] <= prior["mean"] <= prior["high"] and prior["low"] < prior["high"]
    assert "Lines frozen at the line of contact" in page  # a red line, by its option's text
    for section in ('id="diagnostics"', 'id="reservation"', 'id="contradictions"', 'id="influence"'):
        assert section in page
    assert f'name="revision" value="{_revision(bench)}"' in page
    assert 'action="/n/peace-framework-2025/estimates/russia/adopt"' in page
    # reached from the overview and from the party's preferences
    assert f'href="{P}/estimates/{A}"' in bench.client.get(P).text
    assert f'href="{P}/estimates/{B}"' in bench.client.get(f"{P}/preferences/{B}").text


def test_adopting_the_estimate_is_an_audited_write(bench: Workbench) -> None:
    shown = bench.client.get(f"{API}/estimates/{A}?samples={FEW}", headers=_bearer(bench, "mediator"))
    met = shown.json()["diagnostics"]["ok"]  # the same estimate (samples, seed 0) as the one adopted
    csrf = log_in(bench.client, "mediator")
    before = workbench.preferences(bench.database, MEDIATOR, NAME, A)
    form = {"csrf_token": csrf, "samples": str(FEW), "revision": str(_revision(bench)), "force": "1"}
    response = bench.client.post(f"{P}/estimates/{A}/adopt", data=form)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{P}/preferences/{A}"
    entry = audit.entries(bench.database)[-1]
    assert entry.action == "preferences.estimate" and entry.actor == "mediator"
    assert entry.details["party"] == A and entry.details["forced"] is (not met)  # forced only past a failure
    assert entry.details["samples"] == FEW and entry.details["evidence"]
    after = workbench.preferences(bench.database, MEDIATOR, NAME, A)
    assert after["reservation_value"] != before["reservation_value"] and "uncertainty" in after
    assert after["red_lines"] == before["red_lines"]  # declared red lines stay


def test_adopting_is_refused_without_the_csrf_token_or_when_the_record_moved(
    bench: Workbench,
) -> None:
    csrf = log_in(bench.client, "mediator")
    count = len(audit.entries(bench.database))
    url = f"{P}/estimates/{A}/adopt"
    forged = bench.client.post(url, data={"samples": str(FEW), "force": "1"})
    assert forged.status_code == 403
    stale = {"csrf_token": csrf, "samples": str(FEW), "force": "1", "revision": str(_revision(bench) - 1)}
    response = bench.client.post(url, data=stale)
    assert response.status_code == 409 and "changed since the estimate was shown" in response.text
    bad = bench.client.post(url, data={"csrf_token": csrf, "samples": "lots"})
    assert bad.status_code == 422 and "samples: expected a whole number" in bad.text
    assert len(audit.entries(bench.database)) == count  # nothing written


def test_the_api_gives_the_estimate_and_adopts_it(bench: Workbench) -> None:
    token = _bearer(bench, "mediator")
    response = bench.client.get(f"{API}/estimates/{B}?samples={FEW}", headers=token)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    assert data["party"] == B and data["name"] == "Ukraine" and data["samples"] == FEW
    assert data["revision"] == _revision(bench)
    weights = data["weights"]
    assert len(weights) == 28 and sum(w["mean"] for w in weights.values()) == pytest.approx(1, abs=1e-4)
    assert {"prior_mean", "mean", "low", "high"} == set(weights["territory"])
    assert set(data["reservation_value"]) == {"prior_mean", "mean", "low", "high"}
    assert data["preferred"]["territory"]["most"]["text"]
    assert data["diagnostics"]["particles"] == FEW and data["evidence"]
    assert all(c["party"] == B for c in data["contradictions"])
    assert bench.client.get(f"{API}/estimates/{B}?samples=5", headers=token).status_code == 422
    adopted = bench.client.post(
        f"{API}/estimates/{B}/adopt",
        json={"samples": FEW, "force": True, "expected_revision": data["revision"]},
        headers=token,
    )
    assert adopted.status_code == 200, adopted.text
    assert adopted.json()["audit"][0]["action"] == "preferences.estimate"
    stale = bench.client.post(
        f"{API}/estimates/{B}/adopt",
        json={"samples": FEW, "force": True, "expected_revision": data["revision"]},
        headers=token,
    )
    assert stale.status_code == 409


def test_a_failed_posterior_is_adopted_only_when_forced(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the sampler says of these samples: a posterior failing its diagnostics needs force."""
    real = estimating.estimate

    def failing(*args: Any, **kwargs: Any) -> estimating.Posterior:
        found = real(*args, **kwargs)
        return replace(found, diagnostics=replace(found.diagnostics, ok=False, problems=("planted",)))

    monkeypatch.setattr("accord.services.estimate.estimate", failing)
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/estimates/{A}?samples={FEW}").text
    assert "diagnostics FAILED: planted. Do not rely on this estimate." in page
    assert 'name="force"' in page  # the adopt form offers to force it, and says why
    token = _bearer(bench, "mediator")
    refused = bench.client.post(f"{API}/estimates/{A}/adopt", json={"samples": FEW}, headers=token)
    assert refused.status_code == 422 and "failed its diagnostics" in refused.json()["message"]
    forced = bench.client.post(
        f"{API}/estimates/{A}/adopt", json={"samples": FEW, "force": True}, headers=token
    )
    assert forced.status_code == 200


@pytest.mark.parametrize("party", [B, A, "atlantis"])
def test_a_party_seat_never_sees_an_estimate(bench: Workbench, party: str) -> None:
    """Russia's member asks for Ukraine's estimate, its own, and a party that does not exist: 403
    each time (refused before anything is read: not even whether the party exists), by page and API,
    and nothing is adopted."""
    count = len(audit.entries(bench.database))
    token = _bearer(bench, A)
    csrf = log_in(bench.client, A)
    answers = [
        bench.client.get(f"{P}/estimates/{party}?samples={FEW}"),
        bench.client.get(f"{API}/estimates/{party}?samples={FEW}", headers=token),
        bench.client.post(f"{P}/estimates/{party}/adopt", data={"csrf_token": csrf, "force": "1"}),
        bench.client.post(f"{API}/estimates/{party}/adopt", json={"force": True}, headers=token),
    ]
    assert [a.status_code for a in answers] == [403] * 4
    body = "".join(a.text for a in answers)
    assert not [s for s in secrets_of(B) if s in body]
    assert 'id="weights"' not in body and '"weights"' not in body
    assert len(audit.entries(bench.database)) == count


def test_a_seed_out_of_range_is_refused_in_words_on_the_page_and_the_api(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/estimates/{A}?seed=-1&samples=200")
    assert page.status_code == 422, page.text[:300]
    assert "seed: expected a whole number from 0 to 4,294,967,295, got -1" in html.unescape(page.text)
    token = {"Authorization": f"Bearer {api_token(bench.client, 'mediator')}"}
    answer = bench.client.get(f"{API}/estimates/{A}?seed=-1&samples=200", headers=token)
    assert answer.status_code == 422
    assert "seed: expected a whole number from 0 to 4,294,967,295, got -1" in answer.text


@pytest.mark.parametrize(
    ("address", "said"),
    [
        (f"{P}/estimates/{A}?seed=abc", "seed: expected a whole number"),
        (f"{P}/matrix?draft=abc", "draft: expected a whole number"),
    ],
)
def test_a_page_address_with_a_value_it_cannot_use_is_a_page_in_words(
    bench: Workbench, address: str, said: str
) -> None:
    """Not FastAPI's JSON: the page a person asked for, saying which value and what was expected."""
    log_in(bench.client, "mediator")
    page = bench.client.get(address)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert said in html.unescape(page.text) and "abc" not in page.text
    token = {"Authorization": f"Bearer {api_token(bench.client, 'mediator')}"}
    answer = bench.client.get(f"{API}/estimates/{A}?seed=abc", headers=token)
    assert answer.status_code == 422
    assert answer.json()["problems"] == [{"path": "seed", "message": "expected a whole number"}]
