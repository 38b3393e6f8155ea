"""`accord robustness --plot` draws every draft asked for, or says why it does not (issue 15 item 4):
the utilities chart used to keep the five most acceptable candidates, so drafts (rarely acceptable)
vanished from it without a word; and a draft with the same package as another one vanished from the
table too."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app
from accord.reports.robustness_charts import utilities_chart
from accord.reports.robustness_plots import (
    MAX_LINES,
    candidate_label,
    chosen_for_utilities,
)
from accord.scenario import load
from accord.services.robustness import analyse
from tests.conftest import EXAMPLES

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"


def _robustness(tmp_path: Path, *options: str) -> tuple[dict[str, object], str]:
    result = CliRunner().invoke(
        app,
        [
            "robustness",
            str(FLAGSHIP),
            "--samples",
            "2000",
            "--resolves",
            "2",
            "--draft",
            "1",
            "--draft",
            "2",
            "--draft",
            "3",
            *options,
            "--json",
            "--plot",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def _about_utilities(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if "utilities.png" in line]
    assert lines, stderr
    return "\n".join(lines)


def test_every_requested_draft_is_drawn_even_the_least_acceptable(tmp_path: Path) -> None:
    data, stderr = _robustness(tmp_path, "--concepts", "all")
    candidates = data["candidates"]
    assert isinstance(candidates, list) and len(candidates) > 5  # more than the old chart's five
    told = _about_utilities(stderr)
    for draft in ("draft 1 (A)", "draft 2: B (E3)", "draft 3 (D)"):
        assert draft in told, told
    assert "not drawn" not in told
    assert (tmp_path / "utilities.png").stat().st_size > 5000


def test_a_draft_not_drawn_is_named_with_the_reason(tmp_path: Path) -> None:
    # three drafts and the two best packages of each of five concepts: more lines than a panel can hold
    data, stderr = _robustness(tmp_path, "--concepts", "all", "--top", "2")
    candidates = data["candidates"]
    assert isinstance(candidates, list) and len(candidates) > MAX_LINES
    told = _about_utilities(stderr)
    for draft in ("draft 1 (A)", "draft 2: B (E3)", "draft 3 (D)"):  # the drafts asked for come first
        assert draft in told.split("not drawn")[0], told
    assert f"not drawn (at most {MAX_LINES} lines a panel" in told
    labels = {d.version: d.label for d in load(FLAGSHIP).drafts}
    for candidate in candidates:  # every candidate drawn or named as not drawn
        assert isinstance(candidate, dict)
        assert candidate_label(candidate["name"], labels) in told, (candidate["name"], told)
    assert candidate_label("kalai-smorodinsky #2", labels) == "Kalai-Smorodinsky #2"
    assert candidate_label("draft v2 = draft v3", labels) == "draft 2: B (E3) = draft 3 (D)"


def test_the_choice_puts_requested_drafts_first_then_by_acceptance() -> None:
    names = [f"c{k}" for k in range(10)]
    shown, left = chosen_for_utilities(names, first=["c9", "c7"], limit=4)
    assert shown == ["c9", "c7", "c0", "c1"] and left == ["c2", "c3", "c4", "c5", "c6", "c8"]
    assert chosen_for_utilities(names[:3], first=["c2"]) == (["c2", "c0", "c1"], [])


def test_the_utilities_chart_has_a_line_for_each_candidate_in_every_panel() -> None:
    import numpy as np

    names = ["draft 1 (A)", "draft 3 (D)", "Nash"]
    histograms = np.ones((2, 3, 1000))
    spec = utilities_chart(["Russian Federation", "Ukraine"], names, histograms, [0.5, 0.4])
    rows = spec["data"]["values"]
    for party in ("Russian Federation", "Ukraine"):  # a panel each (faceted by party): every line in it
        assert sorted({r["candidate"] for r in rows if r["party"] == party and "share" in r}) == sorted(names)
    lines = spec["spec"]["layer"][0]["encoding"]
    assert lines["color"]["scale"]["domain"] == names
    assert len(set(lines["color"]["scale"]["range"])) == 3  # a colour each


def test_a_draft_with_the_same_package_as_another_is_named_not_dropped() -> None:
    negotiation = load(FLAGSHIP)
    copy = replace(negotiation.draft(3), version=4, label=None, parent=None, title="a copy of D")
    negotiation = replace(negotiation, drafts=(*negotiation.drafts, copy))
    result = analyse(negotiation, samples=500, seed=1, drafts=[3, 4, 1])
    assert [c.candidate.name for c in result.candidates] == ["draft v3 = draft v4", "draft v1"]


def test_with_no_draft_or_concept_asked_the_latest_draft_and_nash_are_weighed(tmp_path: Path) -> None:
    """As the workbench's form starts: the latest draft and the Nash package (it used to stop with
    "no candidate package")."""
    result = CliRunner().invoke(
        app, ["robustness", str(FLAGSHIP), "--samples", "2000", "--resolves", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    latest = load(FLAGSHIP).latest_draft
    assert latest is not None
    names = [c["name"] for c in data["candidates"]]
    assert sorted(names) == sorted([f"draft v{latest.version}", "nash"])
