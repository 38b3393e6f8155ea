"""Interactive pictures (issue 17 item 2) in the workbench: the frontier drawn in the browser from a
Vega-Lite specification, its script served from this site (never a CDN), each package linked to its
comparison with the latest draft; the same specification drawn to PNG for a browser without scripts."""

from __future__ import annotations

import gzip
import html
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from accord.domain.amendments import Amendment, AmendmentKind
from accord.reports import vega
from accord.reports.charts import OKABE_ITO
from accord.reports.frontier_chart import BREAKS_COLOUR, BREAKS_SHAPE, FRONTIER_COLOUR
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import drafts
from accord.services.frontier_view import frontier_view
from tests.web.charted import COMPARED, FIRST_OPTIONS, FLAGSHIP
from tests.web.conftest import NAME, A, Workbench, log_in

P = f"/n/{NAME}"


def specs_in(page: str) -> list[dict[str, Any]]:
    return [json.loads(html.unescape(s)) for s in re.findall(r"data-vl-spec='([^']*)'", page)]


def test_the_chart_script_comes_from_this_site_as_javascript_kept_by_the_browser(bench: Workbench) -> None:
    plain = bench.client.get("/static/vega.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("text/javascript")
    assert "window.vegaEmbed" in plain.text
    assert plain.headers["cache-control"].startswith("public")  # the same for everyone: no no-store
    assert "script-src 'self'" in plain.headers["content-security-policy"]
    packed = bench.client.get("/static/vega.js", headers={"Accept-Encoding": "gzip"})
    assert packed.content == plain.content  # httpx unpacks it
    assert packed.headers["content-encoding"] == "gzip"
    assert len(gzip.compress(plain.content)) < len(plain.content) / 2
    again = bench.client.get("/static/vega.js", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304


def test_the_explorer_draws_the_frontier_with_scripts_of_this_site_only(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    explorer = bench.client.get(f"{P}/explorer")
    assert explorer.status_code == 200
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', explorer.text)
    assert "/static/vega.js" in scripts and "/static/charts.js" in scripts
    assert all(s.startswith("/static/") for s in scripts)  # nothing from another host
    assert not re.search(r"<script(?![^>]*src=)", explorer.text)  # no inline script
    assert f'hx-get="{P}/explorer/frontier"' in explorer.text
    assert f'src="{P}/frontier.png"' in explorer.text  # inside <noscript>
    fragment = bench.client.get(f"{P}/explorer/frontier")
    assert fragment.status_code == 200
    assert not re.search(r"https?://", fragment.text.replace("https://vega.github.io/schema/", ""))
    specs = specs_in(fragment.text)
    assert len(specs) == 2  # three parties: two at a time, and every party at once
    for spec in specs:
        vega.compiled(spec)  # valid Vega-Lite
    rows = specs[0]["data"]["values"]
    assert [r["name"] for r in rows if r["kind"] != "Pareto-optimal package"][:1] == ["Nash"]
    assert any(r["name"].startswith("draft ") for r in rows)  # the latest draft marked


def test_a_frontier_package_links_to_its_comparison_with_the_latest_draft(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    fragment = bench.client.get(f"{P}/explorer/frontier").text
    links = re.findall(rf'href="({P}/compare\?[^"]+)"', fragment)
    assert links, "the frontier's table links each package to its comparison"
    package = dict(parse_qsl(urlsplit(html.unescape(links[0])).query))
    assert set(package) == {p.id for p in FLAGSHIP.points}
    compared = bench.client.get(html.unescape(links[0]))
    assert compared.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", compared.text))
    assert re.search(r"This package and draft \d+ .* differ on \d+ of 28 points", text)
    assert "Ukraine&#39;s sovereignty" in compared.text


def test_the_comparison_shows_both_packages_in_words_and_each_party_s_utilities(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/compare?{COMPARED}")
    assert page.status_code == 200
    first = FLAGSHIP.points[0]
    assert first.options[0].text in html.unescape(page.text)
    assert "Russian Federation" in page.text and "Reservation value" in page.text
    assert 'id="compare-points"' in page.text and "changed" in page.text


def test_a_package_with_a_mistake_is_refused_in_words_naming_the_point(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    wrong = {**FIRST_OPTIONS, "army-size": "cap-1m"}
    page = bench.client.get(f"{P}/compare", params=wrong)
    assert page.status_code == 422
    assert "point 'army-size'" in html.unescape(page.text) and "cap-1m" in page.text
    missing = dict(list(FIRST_OPTIONS.items())[1:])
    page = bench.client.get(f"{P}/compare", params=missing)
    assert page.status_code == 422
    assert "no option for point 'sovereignty'" in html.unescape(page.text)


@pytest.mark.parametrize("user", [A, "observer"])
def test_a_party_may_neither_see_the_frontier_nor_compare_packages(bench: Workbench, user: str) -> None:
    log_in(bench.client, user)
    assert bench.client.get(f"{P}/explorer/frontier").status_code == 403
    assert bench.client.get(f"{P}/compare?{COMPARED}").status_code == 403


def test_the_frontier_picture_without_scripts_is_the_same_specification_drawn(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    picture = bench.client.get(f"{P}/frontier.png")
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")


def _hrefs(spec: dict[str, Any]) -> set[str]:
    return {r["href"] for r in spec["data"]["values"] if "href" in r}


def test_the_timeline_draws_its_dated_entries_each_linked_to_its_page(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/timeline")
    (spec,) = specs_in(page.text)
    vega.compiled(spec)
    rows = spec["data"]["values"]
    assert {"draft", "meeting", "statement"} <= {r["kind"] for r in rows}
    assert all(r["summary"] and r["when"] for r in rows)  # in words
    for href in _hrefs(spec):
        assert bench.client.get(href).status_code == 200, href


def test_the_stances_over_the_drafts_show_a_party_its_own_column_only(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    assert 'hx-get="' + P + '/stances/over-drafts"' in bench.client.get(f"{P}/matrix").text
    (everyone,) = specs_in(bench.client.get(f"{P}/stances/over-drafts").text)
    vega.compiled(everyone)
    cells = everyone["data"]["values"]
    assert {c["party"] for c in cells} == {"Russian Federation", "Ukraine", "European states (E3/EU)"}
    assert {c["stance"] for c in cells} >= {"accept", "reject", "no answer"}
    assert all(c["symbol"] for c in cells)  # a symbol in every cell: colour is never alone
    for href in _hrefs(everyone):
        assert bench.client.get(href).status_code == 200, href
    bench.client.post("/logout", data={"csrf_token": log_in(bench.client, "mediator")})
    log_in(bench.client, A)
    (own,) = specs_in(bench.client.get(f"{P}/stances/over-drafts").text)
    assert {c["party"] for c in own["data"]["values"]} == {"Russian Federation"}


def _draft_e(bench: Workbench) -> None:
    """The demo's draft E: draft 3 with NATO membership left to a later consensus (scripts/demo.sh),
    which breaks 5 of Russia's demands."""
    drafts.new_draft(
        bench.database,
        NAME,
        [Amendment(AmendmentKind.CHOOSE, "7", "membership left to a later consensus", option="no-consensus")],
        actor="demo",
        base=3,
        label="E",
    )


def _words(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_frontier_s_axes_name_the_party_whose_utility_they_show(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    fragment = bench.client.get(f"{P}/explorer/frontier").text
    frontier = specs_in(fragment)[0]
    drawn = vega.svg_of(frontier)  # the parties first chosen: Russia across, Ukraine up
    assert ">Russian Federation (utility)</text>" in drawn and ">Ukraine (utility)</text>" in drawn
    titles = [
        axis["title"]
        for axis in vega.compiled(frontier)["axes"]
        if axis.get("title") and axis["title"] != "value"
    ]
    assert all(isinstance(t, dict) for t in titles), titles  # expressions: the parties as chosen
    assert all("x_party" in t["signal"] or "y_party" in t["signal"] for t in titles), titles
    assert len(titles) == 2
    # the lists that choose the two parties are drawn below the chart, and the caption says so
    assert "choose them in the lists below the chart" in fragment
    assert "lists above the chart" not in fragment


def test_a_draft_that_breaks_demands_never_passes_for_a_frontier_package(bench: Workbench) -> None:
    _draft_e(bench)
    log_in(bench.client, "mediator")
    fragment = bench.client.get(f"{P}/explorer/frontier").text
    frontier, parallel = specs_in(fragment)
    breaking = "draft 4 (E): breaks 5 demands"
    (row,) = [r for r in frontier["data"]["values"] if r["kind"].startswith("draft ")]
    assert row["kind"] == breaking and row["name"] == breaking  # in the legend and the tooltip
    assert row["label"] == "draft 4 (E)\nbreaks 5 demands"  # written beside it
    assert row.get("unlinked") is True  # clicking it offers no comparison with itself
    layers = [layer for layer in frontier["layer"] if "shape" in layer.get("encoding", {})]
    (points,) = layers
    shapes = points["encoding"]["shape"]["scale"]
    colours = points["encoding"]["color"]["scale"]
    assert shapes["domain"][-1] == breaking and colours["domain"][-1] == breaking
    assert shapes["range"][-1] == BREAKS_SHAPE  # its own symbol: an X
    assert shapes["range"].count(BREAKS_SHAPE) == 1 and shapes["range"][0] == "circle"
    assert colours["range"][-1] == BREAKS_COLOUR != FRONTIER_COLOUR
    drawn = vega.svg_of(frontier)
    assert "draft 4 (E): breaks 5 demands" in html.unescape(drawn)  # the legend's entry
    words = _words(fragment)
    assert "The latest draft, draft 4 (E), breaks 5 demands of Russian Federation" in words
    assert "A draft that breaks demands is drawn as an X" in words
    # the parallel coordinates: its line in a colour and a dash of its own
    line = parallel["layer"][0]["encoding"]
    kinds = line["color"]["scale"]["domain"]
    colour = dict(zip(kinds, line["color"]["scale"]["range"], strict=True))
    dash = dict(zip(kinds, line["strokeDash"]["scale"]["range"], strict=True))
    assert colour[breaking] not in (FRONTIER_COLOUR, OKABE_ITO[5])  # neither blue nor sky blue
    assert dash[breaking] != dash["Pareto-optimal package"]
    assert len({json.dumps(d) for d in dash.values()}) == len(kinds)  # every kind its own dash


def test_the_frontier_s_table_lists_the_latest_draft_apart_with_nothing_to_compare(bench: Workbench) -> None:
    _draft_e(bench)
    log_in(bench.client, "mediator")
    fragment = bench.client.get(f"{P}/explorer/frontier").text
    frontier_table, draft_table = re.findall(r"<table[^>]*>.*?</table>", fragment, re.S)
    assert "draft 4 (E)" not in frontier_table  # the frontier's packages only, the concepts' marked
    assert 'id="frontier-draft-table"' in draft_table and "draft 4 (E)" in draft_table
    assert "breaks 5 demands of Russian Federation" in draft_table
    assert "/compare?" not in draft_table  # the latest draft is never compared with itself
    words = _words(fragment)
    packages = len(specs_in(fragment)[0]["data"]["values"]) - 5
    assert f"The frontier as a table ({packages} packages, 4 marked), and the latest draft apart" in words
    assert "The latest draft, for comparison: not a frontier package" in words
    # no link anywhere on the page compares the draft's own package with the latest draft
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    found = frontier_view(bench.database, mediator, NAME)
    (draft,) = [m for m in found.marks if m.draft]
    assert draft.breaks == 5
    own = urlencode(found.problem.package(draft.columns))
    links = [html.unescape(q) for q in re.findall(rf'href="{P}/compare\?([^"]+)"', fragment)]
    assert links and own not in links
