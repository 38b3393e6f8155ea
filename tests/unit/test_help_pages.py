"""Help pages read as prose at any terminal width: each paragraph is wrapped by the terminal, never
broken where the source's docstring happened to break it."""

from __future__ import annotations

from typing import Any

import typer.core
import typer.main
from typer.testing import CliRunner

from accord.cli.app import app, loaded_command, reflowed


def _every_command(command: Any, path: str) -> list[tuple[str, Any]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _every_command(sub, f"{path} {name}")
    return found


def test_reflowed_joins_the_lines_of_a_paragraph_and_keeps_the_paragraphs() -> None:
    text = "First line\n    goes on.\n\nSecond paragraph,\nwrapped."
    assert reflowed(text) == "First line goes on.\n\nSecond paragraph, wrapped."
    assert reflowed(None) is None


def test_no_help_text_breaks_a_paragraph_in_the_middle() -> None:
    commands = _every_command(loaded_command(), "accord")
    listed = typer.main.get_command(app)
    assert isinstance(listed, typer.core.TyperGroup)
    commands += [(f"accord {name} (listed)", c) for name, c in listed.commands.items()]
    assert len(commands) > 60
    broken = [
        path
        for path, command in commands
        for text in (command.help or "", command.short_help or "")
        if any("\n" in part for part in text.split("\n\n"))
    ]
    assert broken == []


def test_a_long_help_paragraph_fills_the_terminal_width() -> None:
    """`accord status --help` at 80 columns: the convergence paragraph's lines run to the box's width
    (before, every other line stopped after a few words where the docstring broke)."""
    result = CliRunner().invoke(app, ["status", "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0
    lines = [line.strip() for line in result.output.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Convergence per version"))
    paragraph = lines[start : lines.index("", start)]
    assert len(paragraph) >= 3
    assert all(len(line) > 60 for line in paragraph[:-1]), paragraph
