"""Frontier plots: readable PNG and SVG files for two and for three parties, drawn from the Vega-Lite
specification the workbench draws interactively (accord.reports.frontier_chart)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.engine import compile_problem
from accord.engine.frontier import pareto_frontier
from accord.errors import AccordError
from accord.reports import vega
from accord.reports.frontier_chart import Mark, frontier_chart
from accord.scenario import load
from tests.conftest import EXAMPLES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("example", "marks"),
    [
        ("camp-david-1978", [Mark("Sinai and rights to Egypt", (0.6, 0.75)), Mark("draft", (0.45, 0.6))]),
        ("peace-framework-2025", [Mark("a draft", (0.55, 0.45, 0.45))]),
    ],
)
def test_frontier_plots_are_written_as_png_and_svg(tmp_path: Path, example: str, marks: list[Mark]) -> None:
    problem = compile_problem(load(EXAMPLES / f"{example}.yaml"))
    frontier = pareto_frontier(problem)
    spec = frontier_chart(problem, frontier, marks=marks, interactive=False)
    png = vega.render(spec, tmp_path / f"{example}.png")
    svg = vega.render(
        frontier_chart(problem, frontier, marks=marks, title=example), tmp_path / f"{example}.svg"
    )
    assert png.read_bytes().startswith(PNG_SIGNATURE)
    assert png.stat().st_size > 5_000
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and len(text) > 5_000
    for mark in marks:
        assert f">{mark.name}<" in text  # named next to its symbol


def test_a_plot_needs_a_known_format_and_one_utility_per_party(tmp_path: Path) -> None:
    problem = compile_problem(load(EXAMPLES / "camp-david-1978.yaml"))
    frontier = pareto_frontier(problem)
    with pytest.raises(AccordError, match=r"\.png or \.svg"):
        vega.render(frontier_chart(problem, frontier), tmp_path / "frontier.jpg")
    with pytest.raises(AccordError, match="one per party"):
        frontier_chart(problem, frontier, marks=[Mark("bad", (0.5,))])
