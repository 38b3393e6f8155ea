"""The robustness result's utility chart reads as its table: the candidates in the table's order and
by the table's names, each line told apart by its dash as well as its colour (the demo's draft 3 (D)
and draft 4 (E) lie on top of each other in a near colour)."""

from __future__ import annotations

import json
import re

from tests.web.conftest import NAME, Workbench, log_in
from tests.web.test_charts_web import _draft_e, specs_in
from tests.web.test_jobs_web import start, wait_until_finished

P = f"/n/{NAME}"


def test_the_utility_chart_names_and_orders_the_candidates_as_the_table(bench: Workbench) -> None:
    _draft_e(bench)
    csrf = log_in(bench.client, "mediator")
    form = {"samples": "2000", "seed": "1", "draft": ["3", "4"], "concept": "nash", "resolves": "0"}
    key = start(bench.client, csrf, form)  # type: ignore[arg-type]
    assert wait_until_finished(bench.client, key) == "done"
    page = bench.client.get(f"{P}/jobs/{key}/result").text
    table = re.search(r'<table id="candidates">.*?</table>', page, re.S)
    assert table is not None
    named = re.findall(r"<tr><td>([^<]+)</td>", table.group(0))
    assert sorted(named) == sorted(["Nash", "draft 3 (D)", "draft 4 (E)"])  # in words, as the charts
    acceptance, utilities = specs_in(page)
    assert [b["candidate"] for b in acceptance["data"]["values"]] == named
    lines = utilities["spec"]["layer"][0]["encoding"]
    assert lines["color"]["scale"]["domain"] == named  # the legend in the table's order
    assert lines["strokeDash"]["scale"]["domain"] == named
    dashes = [json.dumps(d) for d in lines["strokeDash"]["scale"]["range"]]
    assert len(set(dashes)) == len(named)  # draft 3 (D) and draft 4 (E) differ without colour
