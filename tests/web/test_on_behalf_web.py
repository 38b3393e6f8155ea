"""A party's stance recorded by the mediator on its behalf, citing a source (issue 17): the stances
page's cells lead to the form; a problem is shown at its field and the form keeps what was typed; a
party's member and an observer are refused (the policy's RECORD_STANCE_FOR_PARTY)."""

from __future__ import annotations

import html
import re

from accord.services import drafts, stances
from tests.web.conftest import NAME, A, B, Workbench, log_in

P = f"/n/{NAME}"


def problem_at(page: str, field: str) -> str:
    found = re.search(rf'id="problem-{field}">([^<]*)<', page)
    assert found, f"no problem shown at {field}"
    return html.unescape(found.group(1))


def test_the_stances_page_leads_the_mediator_to_a_form_per_party_and_point(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    matrix = bench.client.get(f"{P}/matrix").text
    assert f"{P}/stances/on-behalf?party={A}&amp;point=territory&amp;draft=3" in matrix
    form = bench.client.get(f"{P}/stances/on-behalf?party={A}&point=territory&draft=3").text
    assert f'<option value="{A}" selected>' in form
    assert re.search(r'<option value="territory" selected>', form)
    assert '<option value="3" selected>' in form
    for words in ("accepts the point as drafted", "is studying it (under review)", "takes no position"):
        assert words in form


def test_the_mediator_records_a_stance_citing_a_new_source(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    response = bench.client.post(
        f"{P}/stances/on-behalf",
        data={
            "party": A,
            "point": "territory",
            "draft": "3",
            "stance": "conditional",
            "note": "if the line is frozen",
            "as_of": "2025-12-27",
            "source_outlet": "Example Wire",
            "source_title": "Envoy on the line of contact",
            "source_url": "https://example.org/line",
            "source_date": "2025-12-03",
            "source_quote": "We could accept a frozen line.",
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith(f"{P}/matrix")
    last = stances.history(bench.database, NAME, party=A, point="territory")[-1].stance
    assert (last.stance.value, last.note, str(last.as_of)) == (
        "conditional",
        "if the line is frozen",
        "2025-12-27",
    )
    (key,) = last.sources
    source = drafts.load(bench.database, NAME).negotiation.source(key)
    assert (source.outlet, source.url, source.quote) == (
        "Example Wire",
        "https://example.org/line",
        "We could accept a frozen line.",
    )


def test_the_mediator_cites_a_stored_source(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    response = bench.client.post(
        f"{P}/stances/on-behalf",
        data={"party": B, "point": "7", "draft": "3", "stance": "reject", "source": "liga-28-points"}
        | {"csrf_token": csrf},
    )
    assert response.status_code == 303, response.text
    last = stances.history(bench.database, NAME, party=B)[-1].stance
    assert last.sources == ("liga-28-points",) and last.stance.value == "reject"


def test_every_problem_of_the_form_is_shown_at_its_field_and_what_was_typed_is_kept(
    bench: Workbench,
) -> None:
    csrf = log_in(bench.client, "mediator")
    before = len(stances.history(bench.database, NAME))
    typed = {
        "party": "",
        "point": "territory",
        "draft": "3",
        "stance": "",
        "note": "kept note QW12",
        "source_date": "3 December",
        "source_outlet": "Kept Outlet",
        "csrf_token": csrf,
    }
    response = bench.client.post(f"{P}/stances/on-behalf", data=typed)
    assert response.status_code == 422
    page = response.text
    assert "choose the party" in problem_at(page, "party")
    assert "stance" in problem_at(page, "stance")
    assert "YYYY-MM-DD" in problem_at(page, "source_date")
    assert 'value="kept note QW12"' in page and 'value="Kept Outlet"' in page
    assert len(stances.history(bench.database, NAME)) == before, "nothing was recorded"


def test_the_services_refusals_are_shown_at_their_fields(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    base = {"party": A, "point": "territory", "draft": "3", "stance": "accept", "csrf_token": csrf}
    late = bench.client.post(f"{P}/stances/on-behalf", data=base | {"as_of": "2999-01-01"})
    assert late.status_code == 422 and "after today" in problem_at(late.text, "as_of")
    assert 'value="2999-01-01"' in late.text
    bad_url = bench.client.post(f"{P}/stances/on-behalf", data=base | {"source_url": "not a web address"})
    assert bad_url.status_code == 422 and problem_at(bad_url.text, "source_url")
    assert 'value="not a web address"' in bad_url.text
    unknown = bench.client.post(f"{P}/stances/on-behalf", data=base | {"source": "no-such-source"})
    assert unknown.status_code == 422 and "no-such-source" in problem_at(unknown.text, "source")
    # draft v2 went to the United States and Ukraine only: party A never answered it
    uncirculated = bench.client.post(f"{P}/stances/on-behalf", data=base | {"draft": "2"})
    assert uncirculated.status_code == 422
    assert "not circulated" in problem_at(uncirculated.text, "draft")
    flood = bench.client.post(f"{P}/stances/on-behalf", data=base | {"note": "n" * 2_001})
    assert flood.status_code == 422 and "longer than 2,000" in problem_at(flood.text, "note")
    assert "nnnn" not in flood.text, "a text over its limit is never repeated"


def test_a_party_and_an_observer_are_refused_the_form(bench: Workbench) -> None:
    for user in (A, "observer"):
        csrf = log_in(bench.client, user)
        assert bench.client.get(f"{P}/stances/on-behalf").status_code == 403
        refused = bench.client.post(
            f"{P}/stances/on-behalf",
            data={"party": B, "point": "7", "draft": "3", "stance": "accept", "csrf_token": csrf},
        )
        assert refused.status_code == 403
        if user == A:
            assert "stances/on-behalf" not in bench.client.get(f"{P}/matrix").text
        bench.client.cookies.clear()
