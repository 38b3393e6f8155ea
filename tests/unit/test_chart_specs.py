"""The interactive pictures' specifications (issue 17 item 2): valid Vega-Lite (compiled by the same
Vega-Lite the browser runs), packages in words (option text, never keys) in their tooltips, and links
to real pages of the workbench."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from accord.engine.frontier import pareto_frontier
from accord.reports import vega
from accord.reports.frontier_chart import PACKAGE, Mark, frontier_chart, package_words, parallel_chart
from accord.reports.robustness_charts import Held, acceptance_chart
from accord.scenario import load
from accord.services.compromise import open_case
from tests.conftest import EXAMPLES

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"


def _flagship() -> Any:
    case = open_case(load(FLAGSHIP), draft=3)
    assert case.draft is not None
    problem = case.problem
    frontier = pareto_frontier(problem, cap=60)
    draft = Mark(
        "draft 3 (D)", [float(u) for u in problem.utilities(case.draft)], [int(c) for c in case.draft]
    )
    return problem, frontier, draft


def _evaluated(expression: str, row: dict[str, Any]) -> Any:
    """A transform's expression 'ARRAY[datum.oJ]' (or the href's join of them) evaluated for a row."""
    return re.sub(
        r"(\[[^\[\]]*\])\[datum\.(o\d+)\]", lambda m: json.loads(m.group(1))[row[m.group(2)]], expression
    )


@pytest.mark.parametrize("interactive", [True, False])
def test_the_frontier_specifications_are_valid_vega_lite(interactive: bool) -> None:
    problem, frontier, draft = _flagship()
    spec = frontier_chart(problem, frontier, marks=[draft], link="/n/x/compare", interactive=interactive)
    compiled = vega.compiled(spec)
    # drawn: a point per package and per mark in each panel (the rows reach every layer)
    panels = 1 if interactive else 3
    drawn = vega.svg_of(spec).count('aria-roledescription="point"')
    assert drawn == panels * (len(frontier.points) + 1)
    assert compiled["$schema"].startswith("https://vega.github.io/schema/vega/")
    if interactive:  # three parties: the two shown are chosen in the page, by name
        bound = {s["name"]: s for s in compiled["signals"] if "bind" in s}
        assert set(bound) == {"x_party", "y_party"}
        assert bound["x_party"]["bind"]["labels"] == list(problem.party_names)
    vega.compiled(parallel_chart(problem, frontier, marks=[draft], link="/n/x/compare"))


def test_a_package_reads_in_words_option_text_never_keys() -> None:
    problem, frontier, draft = _flagship()
    spec = frontier_chart(problem, frontier, marks=[draft], link="/n/x/compare")
    assert draft.columns is not None
    words = package_words(problem, "/n/x/compare")
    tooltip = spec["layer"][0]["encoding"]["tooltip"]
    shown = [t["field"] for t in tooltip]
    assert shown[0] == "name" and shown[1:4] == ["u0", "u1", "u2"]
    assert [t["title"] for t in tooltip[4:6]] == [
        f"1. {problem.point_titles[0]}",
        f"2. {problem.point_titles[1]}",
    ]
    row = next(r for r in spec["data"]["values"] if r["name"] == "draft 3 (D)")
    for j in range(problem.n_points):
        text = _evaluated(words[f"t{j}"], row)
        assert text in problem.option_texts[j] and text not in problem.options[j]
        assert (
            text
            == problem.option_texts[j][
                int(problem.columns(problem.package(draft.columns))[j]) - int(problem.offsets[j])
            ]
        )


def test_each_package_links_to_its_comparison_with_every_point_by_key() -> None:
    problem, frontier, _draft = _flagship()
    spec = frontier_chart(problem, frontier, link="/n/peace-framework-2025/compare")
    (href,) = [t for t in spec.get("transform", []) if t.get("as") == "href"]
    row = next(r for r in spec["data"]["values"] if r["kind"] == PACKAGE)
    address = _evaluated(href["calculate"], row)
    package = problem.package(frontier.packages[0])
    for point, option in package.items():
        assert f"{point}={option}" in address
    assert '"/n/peace-framework-2025/compare?"' in address
    # a mark without a package (utilities only) links nowhere
    assert href["calculate"].startswith("isValid(datum.o0) ?")


def test_the_acceptance_chart_shows_the_interval_and_links_each_candidate() -> None:
    spec = acceptance_chart(
        [
            Held("Nash", 0.42, 0.01, {"Russian Federation": 0.6}, "/n/x/compare?a=b"),
            Held("draft 3 (D)", 0.0, 0.0, {"Russian Federation": 0.3}),
        ]
    )
    vega.compiled(spec)
    first, second = spec["data"]["values"]
    assert (first["low"], first["high"]) == (round(0.42 - 0.0196, 4), round(0.42 + 0.0196, 4))
    assert first["href"] == "/n/x/compare?a=b" and "href" not in second
    assert first["interval"] == "40.0% to 44.0%"
