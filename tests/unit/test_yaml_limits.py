"""What accord reads is bounded: YAML alias expansion, and the size of every file it is given.

A "billion laughs" YAML file of a few hundred bytes expands, through nested aliases, to billions of
values; accord counts what aliases would add while the file is parsed and refuses past a small
budget, naming the file and the line of the alias. Files larger than the limit are refused before
they are read whole.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.app import app
from accord.config import FILE_BYTES_VARIABLE, Limits, limits
from accord.errors import GeniusFormatError, ScenarioError, SettingsError
from accord.scenario import load
from accord.scenario.amendments_file import load_amendments
from accord.scenario.genius import read_domain
from accord.scenario.yaml_format import loads
from tests.conftest import GENIUS_FIXTURES, write_doc

runner = CliRunner()


def billion_laughs(levels: int = 9, fan_out: int = 9) -> str:
    """Each level lists the previous one `fan_out` times: fan_out ** levels values in ~400 bytes."""
    lines = ['l0: &l0 ["lol"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{','.join([f'*l{level - 1}'] * fan_out)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly_naming_the_file_and_the_alias_line() -> None:
    text = billion_laughs()
    assert len(text.encode()) < 450
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as caught:
        loads(text, "bomb.yaml")
    assert time.perf_counter() - started < 1.0
    [problem] = caught.value.problems
    assert problem.file == "bomb.yaml"
    # the aliases of level 4 (line 5) bring what aliases add past 10,000 values (9 * 1,549)
    assert problem.line == 5
    assert "alias" in problem.message and "10,000" in problem.message


def test_an_alias_to_the_collection_that_holds_it_is_refused() -> None:
    with pytest.raises(ScenarioError) as caught:
        loads("a: &a [1, *a]\n", "loop.yaml")
    [problem] = caught.value.problems
    assert problem.line == 1 and "contains it" in problem.message


def test_a_few_aliases_and_merge_keys_still_load(small_doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(small_doc, sort_keys=False)
    # the same scores for both parties' ceasefire, written once
    text = text.replace("ceasefire:\n        immediate: 4", "ceasefire: &scores\n        immediate: 4", 1)
    text = text.replace("ceasefire:\n        immediate: 9\n        phased: 3", "ceasefire: *scores", 1)
    assert "*scores" in text
    negotiation = loads(text, "aliases.yaml")
    assert negotiation.preferences["south"].scores["ceasefire"] == {"immediate": 4, "phased": 8}


@pytest.mark.parametrize("levels", [9, 12])
def test_validate_refuses_an_alias_bomb_with_one_problem_and_no_traceback(
    tmp_path: Path, levels: int
) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs(levels))
    started = time.perf_counter()
    result = runner.invoke(app, ["validate", str(bomb)])
    assert time.perf_counter() - started < 2.0
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    [line] = result.output.strip().splitlines()  # one problem, one line
    assert line.startswith(f"ScenarioError: {bomb}:5: aliases would add more than 10,000 values")


def test_a_scenario_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, small_doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_doc(tmp_path / "big.yaml", small_doc)
    monkeypatch.setenv(FILE_BYTES_VARIABLE, str(path.stat().st_size - 1))
    with pytest.raises(ScenarioError) as caught:
        load(path)
    [problem] = caught.value.problems
    assert problem.file == str(path)
    assert f"larger than {path.stat().st_size - 1:,} bytes" in problem.message
    assert FILE_BYTES_VARIABLE in problem.message
    monkeypatch.setenv(FILE_BYTES_VARIABLE, str(path.stat().st_size))
    assert load(path).id == "harbour-talks"


def test_an_endless_file_is_refused_at_the_default_limit() -> None:
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero here")
    started = time.perf_counter()
    result = runner.invoke(app, ["validate", str(zero)])
    assert time.perf_counter() - started < 5.0
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "larger than 5,000,000 bytes" in result.output


def test_an_amendments_file_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "changes.yaml"
    path.write_text("- point: 7\n  option: barred\n  reason: " + "x" * 200 + "\n")
    monkeypatch.setenv(FILE_BYTES_VARIABLE, "100")
    with pytest.raises(ScenarioError, match="larger than 100 bytes"):
        load_amendments(path)


def test_an_amendments_file_with_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "changes.yaml"
    path.write_text(billion_laughs() + "- point: 7\n")
    with pytest.raises(ScenarioError, match="aliases would add"):
        load_amendments(path)


def test_a_genius_file_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    domain = GENIUS_FIXTURES / "holiday_domain.xml"
    assert read_domain(domain)
    monkeypatch.setenv(FILE_BYTES_VARIABLE, "100")
    with pytest.raises(GeniusFormatError, match=r"larger than 100 bytes"):
        read_domain(domain)


def test_limits_have_documented_defaults_and_refuse_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FILE_BYTES_VARIABLE, raising=False)
    assert limits() == Limits(file_bytes=5_000_000, body_bytes=1_000_000, alias_values=10_000)
    monkeypatch.setenv(FILE_BYTES_VARIABLE, "2_000_000")
    assert limits().file_bytes == 2_000_000
    for bad in ("lots", "0", "-5"):
        monkeypatch.setenv(FILE_BYTES_VARIABLE, bad)
        with pytest.raises(SettingsError, match=FILE_BYTES_VARIABLE):
            limits()
