"""The interactive pictures' specifications (issue 17 item 2): valid Vega-Lite (compiled by the same
Vega-Lite the browser runs), packages in words (option text, never keys) in their tooltips, and links
to real pages of the workbench."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from accord.engine.conflicts import broken_requirements
from accord.engine.frontier import pareto_frontier
from accord.reports import vega
from accord.reports.frontier_chart import (
    BREAKS_SHAPE,
    FRONTIER_COLOUR,
    PACKAGE,
    Mark,
    frontier_chart,
    package_words,
    parallel_chart,
)
from accord.reports.robustness_charts import Held, acceptance_chart, utilities_chart
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
    row = next(r for r in spec["data"]["values"] if r["name"].startswith("draft 3 (D)"))
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
    # a mark without a package (utilities only) links nowhere, nor one marked unlinked (the latest draft)
    assert href["calculate"].startswith("isValid(datum.o0) && !datum.unlinked ?")


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


def test_the_estimate_chart_draws_a_prior_and_a_posterior_mark_per_point_told_apart_by_shape() -> None:
    from accord.reports.estimate_chart import COLOURS, POSTERIOR, PRIOR, SHAPES, WeightBand, weights_chart
    from accord.reports.estimate_view import weight_bands

    bands = [
        WeightBand("1. Territory", (0.2, 0.1, 0.3), (0.35, 0.25, 0.45)),
        WeightBand("2. Sanctions", (0.1, 0.05, 0.15), (0.04, 0.01, 0.08)),
        WeightBand("3. Security", (0.7, 0.6, 0.8), (0.61, 0.5, 0.7)),
    ]
    spec = weights_chart(bands, "Ukraine: weights before and after the evidence")
    vega.compiled(spec)
    svg = vega.svg_of(spec)
    assert svg.count('aria-roledescription="point"') == 6  # a mark per estimate and point
    assert svg.count("Ukraine: weights before and after the evidence") >= 1
    rows = spec["data"]["values"]
    assert [(r["point"], r["series"]) for r in rows[:2]] == [
        ("1. Territory", PRIOR),
        ("1. Territory", POSTERIOR),
    ]
    assert rows[3] == {
        "point": "2. Sanctions",
        "order": 1,
        "series": POSTERIOR,
        "mean": 0.04,
        "low": 0.01,
        "high": 0.08,
        "interval": "0.010 to 0.080",
    }
    encoding = spec["layer"][1]["encoding"]
    assert encoding["shape"]["scale"]["range"] == list(SHAPES) and len(set(SHAPES)) == 2  # not colour alone
    assert encoding["color"]["scale"]["range"] == list(COLOURS)
    # the rows of the page (and of a job kept before the prior's interval was): the same bands
    page_rows = [
        {"number": 1, "title": "Territory", "prior": 0.2, "prior_low": 0.1, "prior_high": 0.3,
         "mean": 0.35, "low": 0.25, "high": 0.45},
        {"number": 2, "title": "Sanctions", "prior": 0.1, "mean": 0.04, "low": 0.01, "high": 0.08},
    ]  # fmt: skip
    assert weight_bands(page_rows) == [
        bands[0],
        WeightBand("2. Sanctions", (0.1, 0.1, 0.1), bands[1].posterior),
    ]


@pytest.mark.parametrize("interactive", [True, False])
def test_each_frontier_axis_names_its_party_and_utility(interactive: bool) -> None:
    problem, frontier, draft = _flagship()
    drawn = vega.svg_of(frontier_chart(problem, frontier, marks=[draft], interactive=interactive))
    for party in problem.party_names:  # the first two chosen in the page; every pair in a file
        if interactive and party == problem.party_names[2]:
            continue
        assert f">{html.escape(party, quote=False)} (utility)</text>" in drawn  # an axis's title


def test_a_draft_that_breaks_demands_is_an_x_named_with_the_demands_it_breaks() -> None:
    problem, frontier, draft = _flagship()
    n = len(broken_requirements(problem, list(draft.columns)))
    assert n > 0  # draft 3 of the flagship breaks demands (scripts/demo.sh diagnoses it)
    keeping = Mark("Nash", [0.6, 0.6, 0.6])
    spec = frontier_chart(problem, frontier, marks=[keeping, draft])
    (points,) = [layer for layer in spec["layer"] if "shape" in layer.get("encoding", {})]
    shape = points["encoding"]["shape"]["scale"]
    kinds = dict(zip(shape["domain"], shape["range"], strict=True))
    assert kinds == {PACKAGE: "circle", "Nash": "diamond", f"draft 3 (D): breaks {n} demands": BREAKS_SHAPE}
    colours = points["encoding"]["color"]["scale"]["range"]
    assert colours[2] != FRONTIER_COLOUR and len(set(colours)) == 3
    given = frontier_chart(problem, frontier, marks=[Mark("draft 3 (D)", draft.utilities, draft.columns, 0)])
    assert "draft 3 (D)" in json.dumps(given) and "breaks" not in json.dumps(given["data"])  # as told


def test_the_utilities_chart_tells_every_line_apart_by_its_dash_in_the_order_given() -> None:
    import numpy as np

    names = ["Nash", "draft 3 (D)", "draft 4 (E)"]  # the table's order, most acceptable first
    spec = utilities_chart(["Russian Federation"], names, np.ones((1, 3, 1000)), [0.5])
    lines = spec["spec"]["layer"][0]["encoding"]
    assert lines["color"]["scale"]["domain"] == names == lines["strokeDash"]["scale"]["domain"]
    dashes = [json.dumps(d) for d in lines["strokeDash"]["scale"]["range"]]
    assert len(set(dashes)) == 3  # not only colour: draft 3 and draft 4 differ in grey too
    many = [f"c{k}" for k in range(8)]
    spec = utilities_chart(["Russian Federation"], many, np.ones((1, 8, 1000)), [0.5])
    lines = spec["spec"]["layer"][0]["encoding"]
    styles = {
        (c, json.dumps(d))
        for c, d in zip(lines["color"]["scale"]["range"], lines["strokeDash"]["scale"]["range"], strict=True)
    }
    assert len(styles) == 8
