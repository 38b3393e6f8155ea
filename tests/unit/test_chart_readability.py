"""Charts people can read (issue 15): labels that never overlap or leave the picture, one quantity per
panel with the drafts in date order, names instead of keys, and reproducible SVG for the briefing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from accord.analysis.standing import standing_of
from accord.domain import Choice, Negotiation
from accord.engine import Concept, solve
from accord.engine.frontier import pareto_frontier
from accord.reports.chart_labels import _box
from accord.reports.charts import concept_label, draft_label, svg_of
from accord.reports.frontier_chart import PACKAGE, PANEL, Mark, frontier_chart
from accord.reports.record_plots import CONVERGENCE_PANELS, convergence_figure
from accord.scenario import load
from accord.services.compromise import open_case
from tests.conftest import EXAMPLES

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"


def _flagship_frontier(
    example: str = "peace-framework-2025", draft: int | None = 3
) -> tuple[Any, list[Mark]]:
    """The picture `accord frontier FLAGSHIP --draft 3 --plot` draws (its Vega-Lite specification):
    the concepts and draft 3 marked."""
    case = open_case(load(EXAMPLES / f"{example}.yaml"), draft=draft)
    problem = case.problem
    marks = []
    for concept in (Concept.NASH, Concept.KALAI_SMORODINSKY, Concept.EGALITARIAN, Concept.UTILITARIAN):
        best = solve(problem, concept).best
        assert best is not None
        marks.append(Mark(concept_label(concept.value), best.utilities))
    if draft is not None:
        assert case.draft is not None
        utilities = tuple(float(u) for u in problem.utilities(case.draft))
        marks.append(Mark(draft_label(draft, case.negotiation.draft(draft).label), utilities))
    spec = frontier_chart(
        problem, pareto_frontier(problem), marks=marks, title=case.negotiation.title, interactive=False
    )
    return spec, marks


def _labels(spec: Any, key: str, size: float) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The labels of one panel (``key``: 'X_Y', the parties' indices) and their boxes in pixels."""
    i, j = (int(k) for k in key.split("_"))
    found = []
    for row in spec["data"]["values"]:
        if row["kind"] != PACKAGE and f"lt_{key}" in row:
            spot = (row[f"u{i}"] * size, (1 - row[f"u{j}"]) * size)
            box, align, baseline = _box(spot, row[f"lt_{key}"], row[f"dx_{key}"], row[f"dy_{key}"])
            assert (align, baseline) == (row[f"al_{key}"], row[f"bl_{key}"])
            found.append((row[f"lt_{key}"], box))
    return found


def test_the_flagships_frontier_labels_never_overlap_and_stay_in_the_picture() -> None:
    spec, marks = _flagship_frontier()
    assert len(spec["concat"]) == 3  # three pairs of parties, a panel each
    for key in ("0_1", "0_2", "1_2"):
        labels = _labels(spec, key, PANEL)
        # every mark named in every panel, marks on one spot in one label
        named = [line for text, _box in labels for line in text.split("\n")]
        assert sorted(named) == sorted(m.name for m in marks), key
        boxes = [box for _text, box in labels]
        for k, a in enumerate(boxes):
            assert a[0] >= 0 and a[2] <= PANEL and a[1] >= 0 and a[3] <= PANEL, (key, a)  # inside its panel
            for b in boxes[k + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), f"overlap: {a} {b}"


def test_marks_on_one_spot_share_one_label() -> None:
    # Camp David: the four concepts pick the same package
    spec, marks = _flagship_frontier("camp-david-1978", draft=None)
    (label,) = [text for text, _box in _labels(spec, "0_1", 360)]
    assert sorted(label.split("\n")) == sorted(m.name for m in marks)


def test_the_frontier_picture_names_concepts_and_drafts_as_people_do() -> None:
    assert concept_label("kalai-smorodinsky") == "Kalai-Smorodinsky"
    assert concept_label("nash") == "Nash"
    assert concept_label("something else") == "something else"
    assert draft_label(3, "D") == "draft 3 (D)"
    assert draft_label(2, "B (E3)") == "draft 2: B (E3)"
    assert draft_label(4) == "draft 4"


def _flagship_with_a_late_counter_text() -> Negotiation:
    """The flagship with a v4 dated before v3 although numbered after it, and an undated v5."""
    negotiation = load(FLAGSHIP)
    v3 = negotiation.draft(3)
    counter = replace(
        v3,
        version=4,
        label=None,
        parent=None,
        title="Russian counter-text",
        date=dt.date(2025, 12, 2),
        circulated_to=(),
        choices={**v3.choices, "territory": Choice(option="de-facto-recognition")},
    )
    undated = replace(counter, version=5, date=None, title="undated")
    return replace(negotiation, drafts=(*negotiation.drafts, counter, undated))


def test_the_convergence_chart_has_one_panel_per_quantity_in_date_order() -> None:
    standing = standing_of(_flagship_with_a_late_counter_text())
    figure = convergence_figure(standing)
    axes = figure.axes
    assert len(axes) == len(CONVERGENCE_PANELS) == 3
    assert [ax.get_title(loc="left") for ax in axes] == list(CONVERGENCE_PANELS)
    shared = axes[0].get_shared_x_axes()
    assert all(shared.joined(axes[0], ax) for ax in axes)
    bottom = axes[-1]
    ticks = sorted(zip(bottom.get_xticks(), (t.get_text() for t in bottom.get_xticklabels()), strict=True))
    heads = [label.split("\n")[0] for _x, label in ticks]
    # by date: v4 (2 Dec) before v3 (23 Dec); the undated v5 after v4, the one numbered just below it
    assert heads == ["draft 1 (A)", "draft 2: B (E3)", "draft 4", "draft 5", "draft 3 (D)"]
    assert [label.split("\n")[-1] for _x, label in ticks] == [
        "2025-11-20",
        "2025-11-23",
        "2025-12-02",
        "no date",
        "2025-12-23",
    ]
    assert "without a date" in bottom.get_xlabel()
    for ax in axes:  # every series runs left to right, never back, and one series a panel
        lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 1]
        assert len(lines) <= 1
        for line in lines:
            xs = list(line.get_xdata())
            assert xs == sorted(xs)


def test_a_draft_that_breaks_demands_says_so_instead_of_a_distance() -> None:
    standing = standing_of(load(FLAGSHIP))
    texts = [t.get_text() for t in convergence_figure(standing).axes[2].texts]
    breaking = [r for r in standing.rounds if r.distance_to_frontier is None]
    assert breaking, "the flagship's drafts break demands"
    assert sum(t.startswith("breaks ") for t in texts) == len(breaking)


def test_svg_of_is_reproducible_and_inlines_without_shared_ids() -> None:
    standing = standing_of(load(FLAGSHIP))
    first, again = svg_of(convergence_figure(standing)), svg_of(convergence_figure(standing))
    assert first == again
    assert first.startswith("<svg") and first.rstrip().endswith("</svg>")
    assert "<dc:date>" not in first
    one, two = (
        svg_of(convergence_figure(standing), prefix="a-"),
        svg_of(convergence_figure(standing), prefix="b-"),
    )

    ids_one = set(re.findall(r'\bid="([^"]+)"', one))
    ids_two = set(re.findall(r'\bid="([^"]+)"', two))
    assert ids_one and not ids_one & ids_two
    assert all(ref in ids_one for ref in re.findall(r'href="#([^"]+)"', one))
