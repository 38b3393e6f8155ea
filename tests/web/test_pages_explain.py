"""Pages explain themselves (issue 17 item 6): a number or a gap a page shows is explained where it
shows: the audit log's skipped numbers, the convergence table's columns and its worst-off party, the
explorer's utilities, the timeline's and the events' order, and what an empty cell means."""

from __future__ import annotations

import html
import re

from accord.services import negotiations
from accord.services.demo import FLAGSHIP
from tests.web.conftest import NAME, Workbench, log_in

P = f"/n/{NAME}"


def _text(page: str) -> str:
    """The page's words, tags dropped and spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_audit_page_says_why_its_entry_numbers_skip(bench: Workbench) -> None:
    # another negotiation's entries interleave with this one's in the one chain
    negotiations.import_scenario(bench.database, FLAGSHIP, actor="other-desk", slug="side-talks")
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/audit").text
    numbers = [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", page)]
    assert numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))), "no gap to explain"
    words = _text(page)
    assert "# is an entry's place in it" in words
    assert (
        "The numbers skip where the chain holds entries about something else (another negotiation, "
        "or the accounts of the workbench), which this page does not show." in words
    )
    assert "side-talks" not in page  # explained without naming the other negotiation
    assert "Hash (first 12 characters)" in words


def test_the_convergence_table_explains_its_columns_and_names_the_worst_off_party(
    bench: Workbench,
) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(P).text
    table = _text(page.split('id="convergence"')[1].split("</table>")[0])
    assert re.search(r"v3 circulated 7/28 0\.\d{3} \(Russian Federation\)", table), table
    legend = _text(page.split('id="convergence-legend"')[1].split("</dl>")[0])
    assert "Accepted by all" in legend and "out of the points it settles" in legend
    assert "from 0 (that party's worst package) to 1 (its ideal one)" in legend
    assert "0.000: no package makes every party better off than this version" in legend
    assert "cannot gain" not in _text(page)


def test_the_explorer_says_what_a_utility_and_the_frontier_are(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    result = _text(bench.client.get(f"{P}/explorer/result?concept=nash", headers={"HX-Request": "true"}).text)
    assert "Utility: what the package is worth to each party" in result
    assert "from 0 (its worst package) to 1 (its ideal one)" in result
    explorer = _text(bench.client.get(f"{P}/explorer").text)
    assert "no other acceptable package beats for every party" in explorer


def test_the_timeline_and_the_events_say_how_they_are_ordered(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    timeline = _text(bench.client.get(f"{P}/timeline").text)
    assert "≈ marks a date known only roughly" in timeline
    assert "placed on its draft's date (≈ “on or after” it)" in timeline
    assert "undated entries come last" in timeline
    events = _text(bench.client.get(f"{P}/events").text)
    assert "An event whose date is known only in words (“around …”) or not at all comes before" in events


def test_an_empty_cell_says_it_is_not_recorded(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    for path, note in (
        ("meetings", "meetings-note"),
        ("papers", "papers-note"),
        ("people", "sources-note"),
    ):
        page = bench.client.get(f"{P}/{path}").text
        assert f'id="{note}"' in page, path
        assert "An empty cell: not recorded." in _text(page.split(f'id="{note}"')[1]), path
    drafts = _text(bench.client.get(f"{P}/drafts").text)
    assert "Points: how many points of the framework the version takes a position on" in drafts
