"""The stances page takes a chosen draft (issue 17: `accord status --draft N` on the workbench): every
party's stance per point of that draft, a choice of the seat's drafts, the way back to the latest; a
draft the seat never received is one that does not exist for it; the overview's versions lead there."""

from __future__ import annotations

import html
import re

from accord.services import drafts
from accord.services.status import standing_of
from tests.web.conftest import NAME, A, Workbench, log_in

P = f"/n/{NAME}"


def cells(page: str) -> dict[str, list[str]]:
    """Each point's row: the stances shown in its cells, in the columns' order."""
    found = re.findall(r'<tr id="row-([^"]+)">(.*?)</tr>', page, re.S)
    return {
        point: [html.unescape(c).split()[0] for c in re.findall(r'<td class="[^"]*">([^<]*)', row)]
        for point, row in found
    }


def test_the_mediator_reads_the_stances_on_an_earlier_draft_as_the_command_gives_them(
    bench: Workbench,
) -> None:
    csrf = log_in(bench.client, A)
    recorded = bench.client.post(
        f"{P}/stances", data={"point": "territory", "stance": "reject", "draft": "1", "csrf_token": csrf}
    )
    assert recorded.status_code == 303 and recorded.headers["location"] == f"{P}/matrix?draft=1"
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/matrix?draft=1").text
    assert "<h1>Stances on draft v1</h1>" in page
    assert f'An earlier draft: the latest is <a href="{P}/matrix">v3</a>' in page
    assert '<option value="1" selected>draft v1</option>' in page
    expected = standing_of(drafts.load(bench.database, NAME).negotiation, version=1)
    shown = cells(page)
    for p in expected.points:
        assert shown[p.point] == [(s.value if s else "—") for s in p.stances.values()], p.point
    assert shown["territory"][list(expected.parties).index(A)] == "reject"
    latest = bench.client.get(f"{P}/matrix").text
    assert "<h1>Stances on draft v3</h1>" in latest and "The latest draft put to the parties." in latest
    on_v3 = standing_of(drafts.load(bench.database, NAME).negotiation, version=3)
    territory = next(p for p in on_v3.points if p.point == "territory").stances[A]
    assert cells(latest)["territory"][list(on_v3.parties).index(A)] == (territory.value if territory else "—")
    assert f'href="{P}/stances/history?draft=1"' in page, "the history of the draft shown"


def test_the_overviews_versions_lead_to_their_stances(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    overview = bench.client.get(P).text
    for version in (1, 2, 3):
        assert f'href="{P}/matrix?draft={version}"' in overview


def test_a_party_chooses_among_the_drafts_it_received_only(bench: Workbench) -> None:
    log_in(bench.client, A)  # drafts 1 and 3 went to party A, draft 2 did not
    page = bench.client.get(f"{P}/matrix?draft=1")
    assert page.status_code == 200 and "<h1>Stances on draft v1</h1>" in page.text
    options = re.findall(r'<option value="(\d+)"[^>]*>draft v', page.text)
    assert options == ["3", "1"]
    assert bench.client.get(f"{P}/matrix?draft=2").status_code == 404
    assert bench.client.get(f"{P}/matrix?draft=99").status_code == 404
    assert bench.client.get(f"{P}/matrix?draft=0").status_code == 422


def test_a_text_not_yet_circulated_is_not_where_the_stances_open(bench: Workbench) -> None:
    """The mediator's new v4 has no answers: the matrix stays on v3 and says v4 is not out yet."""
    from accord.domain.amendments import Amendment, AmendmentKind

    drafts.new_draft(
        bench.database, NAME, [Amendment(AmendmentKind.DROP, "28", "folded in")], actor="mediator"
    )
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/matrix").text
    assert "<h1>Stances on draft v3</h1>" in page
    assert "The latest draft put to the parties. Not yet circulated, so not answered yet: v4." in page
    assert '<option value="4" >draft v4 (not yet circulated)</option>' in page
    unsent = bench.client.get(f"{P}/matrix?draft=4").text
    assert "<h1>Stances on draft v4</h1>" in unsent
    assert (
        "A draft not yet circulated: no party has it, so no party has answered it. "
        f'The latest draft put to the parties is <a href="{P}/matrix">v3</a>.'
    ) in unsent
    log_in(bench.client, A)  # a party never holds the mediator's text
    assert "Not yet circulated" not in bench.client.get(f"{P}/matrix").text
