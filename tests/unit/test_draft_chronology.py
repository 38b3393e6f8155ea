"""Versions in the order they were made: by date, whatever their numbers say (a counter-text received
late may be numbered after a text it preceded), and a version without a date after the one numbered
just below it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from accord.analysis.standing import standing_of
from accord.domain import Choice, Draft, Negotiation
from accord.domain.drafts import chronological
from accord.reports.record_plots import convergence_figure, plot_convergence
from accord.scenario import load
from tests.conftest import EXAMPLES


def _draft(version: int, date: str | None) -> Draft:
    return Draft(version, {}, date=dt.date.fromisoformat(date) if date else None)


def _order(*drafts: Draft) -> list[int]:
    return [d.version for d in chronological(drafts)]


def test_versions_follow_their_dates_not_their_numbers() -> None:
    assert _order(_draft(1, "2025-11-20"), _draft(2, "2025-12-23"), _draft(3, "2025-11-23")) == [1, 3, 2]


def test_the_version_number_breaks_a_tie_of_dates() -> None:
    assert _order(_draft(3, "2025-11-20"), _draft(1, "2025-11-20"), _draft(2, "2025-11-21")) == [1, 3, 2]


def test_a_version_without_a_date_follows_the_version_numbered_just_below_it() -> None:
    # v2 has no date: it stays after v1, wherever v1's date puts v1
    drafts = (_draft(1, "2025-12-01"), _draft(2, None), _draft(3, "2025-11-01"), _draft(4, None))
    assert _order(*drafts) == [3, 4, 1, 2]
    # undated versions before any dated one come first, by number
    assert _order(_draft(1, None), _draft(2, None), _draft(3, "2025-01-01")) == [1, 2, 3]
    assert _order(_draft(2, None), _draft(3, "2025-01-01"), _draft(1, "2025-06-01")) == [3, 1, 2]
    # no dates at all: by number
    assert _order(_draft(3, None), _draft(1, None), _draft(2, None)) == [1, 2, 3]


def _flagship_with_a_late_counter_text() -> Negotiation:
    """The flagship, with a v4 (a counter-text) dated before v3 although numbered after it."""
    negotiation = load(EXAMPLES / "peace-framework-2025.yaml")
    v3 = negotiation.draft(3)
    counter = replace(
        v3,
        version=4,
        parent=None,
        author="russia",
        title="Russian counter-text",
        date=dt.date(2025, 12, 2),
        circulated_to=(),
        choices={**v3.choices, "territory": Choice(option="de-facto-recognition")},
    )
    return replace(negotiation, drafts=(*negotiation.drafts, counter))


def test_the_convergence_rounds_run_in_date_order() -> None:
    negotiation = _flagship_with_a_late_counter_text()
    assert negotiation.draft(3).date == dt.date(2025, 12, 23)
    rounds = standing_of(negotiation).rounds
    assert [r.version for r in rounds] == [1, 2, 4, 3]
    assert [r.date for r in rounds] == sorted(r.date for r in rounds if r.date is not None)


def test_the_convergence_chart_draws_the_versions_in_date_order(tmp_path: Path) -> None:
    standing = standing_of(_flagship_with_a_late_counter_text())
    figure = convergence_figure(standing)
    ax = figure.axes[-1]  # the panels share the versions; the bottom one names them
    ticks = sorted(zip(ax.get_xticks(), (t.get_text() for t in ax.get_xticklabels()), strict=True))
    assert [label.split("\n")[0] for _x, label in ticks] == [
        "draft 1 (A)",
        "draft 2: B (E3)",
        "draft 4 (D)",
        "draft 3 (D)",
    ]
    assert ticks[2][1] == "draft 4 (D)\n2025-12-02"
    for line in (line for panel in figure.axes for line in panel.get_lines()):  # left to right, never back
        xs = list(line.get_xdata())
        assert xs == sorted(xs)
    path = plot_convergence(standing, tmp_path / "convergence.svg")
    # matplotlib's SVG keeps every text as a comment: the tick labels, left to right
    assert re.findall(r"<!-- (draft \d)\b", path.read_text()) == ["draft 1", "draft 2", "draft 4", "draft 3"]


def test_chronological_takes_any_iterable_and_leaves_the_drafts_alone() -> None:
    drafts = [_draft(2, "2025-01-02"), _draft(1, "2025-01-03")]
    assert chronological(iter(drafts)) == [drafts[0], drafts[1]]
    assert [d.version for d in drafts] == [2, 1]
