"""A stance the form cannot record says why at its row, with what was typed kept: in place when the page
runs its scripts (htmx swaps the row the answer carries), on the whole page again when it does not;
nothing is written."""

from __future__ import annotations

import re

from accord.services import drafts
from tests.web.conftest import NAME, A, Workbench, log_in

P = f"/n/{NAME}"
FUTURE = "2031-01-01"


def _current(bench: Workbench) -> object:
    negotiation = drafts.load(bench.database, NAME).negotiation
    return [(s.party, s.point, s.draft, s.stance) for s in negotiation.stances]


def test_a_refused_stance_is_said_at_its_row_with_what_was_typed(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    before = _current(bench)
    typed = {"point": "territory", "stance": "conditional", "draft": "3", "note": "only with monitors"}
    # with scripts: the row comes back, in place of the old one, saying why, the choices kept
    row = bench.client.post(
        f"{P}/stances", data={**typed, "as_of": FUTURE, "csrf_token": csrf}, headers={"HX-Request": "true"}
    )
    assert row.status_code == 422
    assert row.text.lstrip().startswith('<tr id="row-territory">')
    assert (
        'role="alert" id="problem-territory">Not recorded: as-of date: 2031-01-01 is after today' in row.text
    )
    assert '<option value="conditional" selected>' in row.text
    assert 'value="only with monitors"' in row.text and f'value="{FUTURE}"' in row.text
    assert "DomainError" not in row.text and "--" not in re.sub(r"<!--.*?-->", "", row.text)
    # without scripts: the whole page again, not an error page, the typed note kept at its row
    page = bench.client.post(f"{P}/stances", data={**typed, "as_of": FUTURE, "csrf_token": csrf})
    assert page.status_code == 422 and "<h1>Stances on draft v3</h1>" in page.text
    assert "Not recorded: as-of date: 2031-01-01 is after today" in page.text
    assert 'value="only with monitors"' in page.text
    assert _current(bench) == before
    # and the htmx configuration swaps such an answer (htmx 2 leaves a 4xx unswapped by default)
    assert '{"code": "422", "swap": true}' in bench.client.get(f"{P}/matrix").text


def test_a_recorded_stance_still_comes_back_as_its_row(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    row = bench.client.post(
        f"{P}/stances",
        data={"point": "territory", "stance": "reject", "draft": "3", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200 and 'role="alert"' not in row.text
    assert '<option value="reject" selected>' in row.text
