"""Texts the record keeps hold no control characters (but tabs, line and page breaks), no lone surrogates and
no characters that turn the text's direction: refused in scenario files and on the command line, at
the field or the argument, before anything is read or written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from accord.characters import unfit_character
from accord.cli.app import _unfit_argument

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a\x00b", "control character (U+0000)"),
        ("bell\x07", "control character (U+0007)"),
        ("\x7f", "control character (U+007F)"),
        ("c1 \x9b", "control character (U+009B)"),
        ("half \ud800", "broken character (U+D800"),
        ("gpj.\u202eexe", "changes the text's direction (U+202E)"),
        ("\u2066isolated\u2069", "changes the text's direction (U+2066)"),
    ],
)
def test_unfit_characters_are_named_by_code_point(text: str, said: str) -> None:
    found = unfit_character(text)
    assert found is not None and said in found


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tab\tand\nlines\r\n",
        "page\x0cbreak\x0bline\x85",
        "Україна",
        "שלום \u200f عربي",
        "🕊️ peace",
        "a\u00a0b",
    ],
)
def test_ordinary_text_is_fit(text: str) -> None:
    assert unfit_character(text) is None


def test_the_command_line_names_the_option_whose_value_is_unfit() -> None:
    assert _unfit_argument(["stance", "set", "x", "y", "accept", "--note", "fine"]) is None
    said = _unfit_argument(["stance", "set", "x", "y", "accept", "--note", "a\u202eb"])
    assert said is not None and said.startswith("the value of --note holds a character that changes")
    said = _unfit_argument(["event", "add", "--title=bad\x01"])
    assert said is not None and said.startswith("the value of --title holds a control character (U+0001)")
    said = _unfit_argument(["import", "file\x1b.yaml"])
    assert said == "argument 2 holds a control character (U+001B); remove it"


def test_the_command_refuses_before_it_opens_anything(tmp_path: Path) -> None:
    database = tmp_path / "accord.db"
    done = subprocess.run(
        [sys.executable, "-m", "accord", "init", "--db", str(database)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    stamp = database.stat().st_mtime_ns
    refused = subprocess.run(
        [sys.executable, "-m", "accord", "import", "x\u202e.yaml", "--db", str(database)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert refused.returncode == 2
    assert "argument 2 holds a character that changes the text's direction (U+202E)" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert database.stat().st_mtime_ns == stamp


def test_a_scenario_file_names_each_unfit_text_by_its_field(tmp_path: Path) -> None:
    from accord.scenario.schema import schema_problems
    from accord.scenario.yaml_source import read_file

    document = yaml.safe_load((EXAMPLES / "coalition-agreement.yaml").read_text(encoding="utf-8"))
    party = next(iter(document["parties"]))
    document["parties"][party]["name"] = "nul \x00 here"
    document["points"][0]["title"] = "turned \u202e around"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, default=str), encoding="utf-8")
    problems = [str(p) for p in schema_problems(read_file(path))]
    assert any(f"parties.{party}.name: holds a control character (U+0000)" in p for p in problems), problems
    assert any("points[0].title: holds a character that changes" in p for p in problems), problems
