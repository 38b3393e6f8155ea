"""`accord estimate FILE` (issue 14, items 4 and 5) on scenario files: the table and the JSON, plots,
reproducibility, the contradictions (also in `accord status`), and bad input answered in one line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app
from tests.conftest import EXAMPLES, write_doc

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000", "ACCORD_DATABASE_URL": None}
FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
CAMP_DAVID = EXAMPLES / "camp-david-1978.yaml"  # no draft, no stance, no red line: no evidence at all
SAMPLES = "400"


def accord(*args: str) -> Result:
    return runner.invoke(app, list(args), env=ENV)


def ok(*args: str) -> Result:
    result = accord(*args)
    assert result.exit_code == 0, f"{result.stdout}\n{result.stderr}"
    return result


def one_line_error(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, f"{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.output
    lines = [line.strip("│ ").strip() for line in result.stderr.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("Usage:", "Try ", "╭", "╰"))]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def contradicted(tmp_path: Path, small_doc: dict[str, Any]) -> Path:
    """The small scenario with North rejecting its own favourite on the harbour (draft 3): a stance its
    declared estimate makes very unlikely."""
    small_doc["drafts"].append(
        {
            "version": 3,
            "label": "C",
            "parent": 1,
            "author": "envoy",
            "status": "circulated",
            "circulated_to": ["north", "south"],
            "choices": {"ceasefire": "phased", "harbour": "north"},
        }
    )
    small_doc["stances"].append({"draft": 3, "party": "north", "point": "harbour", "stance": "reject"})
    return write_doc(tmp_path / "contradicted.yaml", small_doc)


def _summary_fields(value: dict[str, Any]) -> None:
    assert set(value) >= {"prior_mean", "mean", "low", "high"}
    assert value["low"] <= value["mean"] <= value["high"]


def test_the_json_gives_weights_scores_and_reservation_value_per_party() -> None:
    data = json.loads(
        ok("estimate", str(FLAGSHIP), "--party", "russia", "--samples", SAMPLES, "--json").stdout
    )
    assert set(data["parties"]) == {"russia"}
    russia = data["parties"]["russia"]
    assert len(russia["weights"]) == 28
    for summary in russia["weights"].values():
        _summary_fields(summary)
        assert summary["low"] >= 0 and summary["high"] <= 1
    territory = russia["scores"]["territory"]
    assert set(territory) == {"de-facto-recognition", "swaps-from-loc", "loc-freeze", "free-economic-zone"}
    for summary in territory.values():
        _summary_fields(summary)
    # on the party's own score scale (Russia's is 10)
    assert territory["de-facto-recognition"]["prior_mean"] > 1
    _summary_fields(russia["reservation_value"])
    assert {(r["point"], r["option"]) for r in russia["red_lines"]} >= {("territory", "loc-freeze")}
    assert all(0 <= r["probability"] <= 1 for r in russia["red_lines"])
    assert russia["evidence"] and russia["influence"] and russia["influence"][0]["ref"]
    assert {e["kind"] for e in russia["evidence"]} >= {"stance", "red-line"}
    most = russia["preferred"]["territory"]["most"]
    assert most["option"] in territory and 0 < most["probability"] <= 1
    assert set(data["diagnostics"]["parties"]) == {"russia"} and "ok" in data["diagnostics"]
    assert {"ess", "rhat", "particles", "problems"} <= set(data["diagnostics"]["parties"]["russia"])
    assert data["written"] == []


def test_the_same_seed_gives_the_same_numbers() -> None:
    args = ("estimate", str(FLAGSHIP), "-p", "ukraine", "--samples", SAMPLES, "--seed", "7", "--json")
    first, second = (json.loads(ok(*args).stdout) for _ in range(2))
    first.pop("seconds"), second.pop("seconds")
    assert first == second


def test_the_table_names_options_by_their_text(contradicted: Path) -> None:
    out = ok("estimate", str(contradicted), "--samples", SAMPLES).stdout
    assert "North (north)" in out and "South (south)" in out
    assert "Control of the harbour" in out
    assert "Northern administration" in out or "Southern administration" in out
    assert "Reservation value: prior mean 0.43, posterior " in out  # triangular, mode 0.3, on [0, 1]
    assert "Red lines declared" in out and "'Southern administration'" in out
    # every chance says what it is the chance of, as a percentage
    assert re.search(r"'Southern administration', \d+% likely to be a red line \(an option it rejects\)", out)
    assert "Chance: how likely the option is the party's most (least) preferred" in " ".join(out.split())


def test_contradictions_are_listed_in_plain_words_most_surprising_first(contradicted: Path) -> None:
    out = ok("estimate", str(contradicted), "--samples", SAMPLES).stdout
    assert "contradict the recorded stances" in out
    assert "the estimates give North a" in out
    assert "chance of rejecting point 2 'Control of the harbour' on draft C, which it rejected" in out
    data = json.loads(ok("estimate", str(contradicted), "--samples", SAMPLES, "--json").stdout)
    found = data["contradictions"]
    assert found and found[0]["party"] == "north" and found[0]["recorded"] == "reject"
    assert found[0]["draft"] == 3 and found[0]["option"] == "north"
    surprises = [c["surprise"] for c in found]
    assert surprises == sorted(surprises, reverse=True)
    assert found[0]["text"].startswith("the estimates give North a ")


def test_status_lists_the_contradictions_too(contradicted: Path) -> None:
    out = ok("status", str(contradicted)).stdout
    assert "which it rejected" in out
    data = json.loads(ok("status", str(contradicted), "--json").stdout)
    assert data["contradictions"][0]["party"] == "north"
    assert data["contradictions"][0]["text"].endswith("which it rejected")


def test_status_json_has_an_empty_contradictions_list_when_nothing_contradicts(
    tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    small_doc["stances"] = []
    data = json.loads(ok("status", str(write_doc(tmp_path / "quiet.yaml", small_doc)), "--json").stdout)
    assert data["contradictions"] == []


def test_a_party_with_no_evidence_gets_the_prior_and_a_warning() -> None:
    result = ok("estimate", str(CAMP_DAVID), "--samples", SAMPLES, "--json")
    assert "warning: no evidence on record for Israel: its estimate is the prior" in result.stderr
    assert "warning: no evidence on record for Egypt" in result.stderr
    israel = json.loads(result.stdout)["parties"]["israel"]
    assert israel["evidence"] == [] and israel["warnings"]
    for point, summary in israel["weights"].items():
        assert summary["mean"] == pytest.approx(summary["prior_mean"], abs=0.05), point


def test_plots_are_written_per_party(tmp_path: Path) -> None:
    folder = tmp_path / "charts"
    result = ok(
        "estimate",
        str(FLAGSHIP),
        "-p",
        "russia",
        "-p",
        "Ukraine",
        "--samples",
        SAMPLES,
        "--plot",
        str(folder),
    )
    for party in ("russia", "ukraine"):
        chart = folder / f"estimate-{party}.png"
        assert chart.read_bytes().startswith(b"\x89PNG")
        assert f"wrote {chart}" in result.stdout


def test_an_unknown_party_is_named_with_the_parties_there_are() -> None:
    line = one_line_error(accord("estimate", str(FLAGSHIP), "--party", "narnia", "--samples", SAMPLES))
    assert line.startswith("NotFoundError: ") and "'narnia'" in line and "russia" in line


@pytest.mark.parametrize("samples", ["0", "-5", "7"])
def test_samples_must_be_enough_for_the_samplers_runs(samples: str) -> None:
    """Four runs of at least two particles each: the option says so, not the sampler after it."""
    line = one_line_error(accord("estimate", str(FLAGSHIP), "--samples", samples), code=2)
    assert "--samples" in line and "at least 8" in line


def test_a_plot_folder_that_cannot_be_written_is_refused_before_any_work(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = one_line_error(accord("estimate", str(FLAGSHIP), "--plot", str(blocker / "charts")), code=2)
    assert "a-file" in line
    assert not (blocker.parent / "charts").exists()


def test_write_needs_the_stored_negotiation() -> None:
    line = one_line_error(accord("estimate", str(FLAGSHIP), "--write"), code=2)
    assert "--write" in line and "stored negotiation" in line
    line = one_line_error(accord("estimate", str(FLAGSHIP), "--force"), code=2)
    assert "--force" in line


def test_a_missing_file_is_one_line() -> None:
    line = one_line_error(accord("estimate", "no-such-file.yaml"))
    assert "no-such-file.yaml" in line


def test_progress_is_reported_party_by_party(small_doc: dict[str, Any]) -> None:
    from accord.scenario.yaml_format import check_document
    from accord.services.estimate import estimate_parties

    seen: list[tuple[str, int, int]] = []
    found = estimate_parties(
        check_document(small_doc),
        samples=80,
        progress=lambda party, done, total: seen.append((party.id, done, total)),
    )
    assert [e.party.id for e in found.estimates] == ["north", "south"]
    assert seen == [("north", 0, 2), ("south", 1, 2), ("south", 2, 2)]


def test_parties_estimated_side_by_side_are_the_ones_estimated_alone(small_doc: dict[str, Any]) -> None:
    """Two parties at a time (threads): each still draws from its own seeded generators."""
    import numpy as np

    from accord.analysis.estimate import estimate
    from accord.scenario.yaml_format import check_document
    from accord.services.estimate import estimate_parties

    negotiation = check_document(small_doc)
    found = estimate_parties(negotiation, samples=400, seed=3)
    for e in found.estimates:
        alone = estimate(negotiation, e.party.id, samples=400, seed=3)
        assert np.array_equal(e.posterior.weights, alone.weights)
        assert np.array_equal(e.posterior.reservation, alone.reservation)
