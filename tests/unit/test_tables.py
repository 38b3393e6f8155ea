"""print_table: a table wraps between words to the terminal's width, or goes row by row; it never
cuts a word (issue 15, item 6)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from accord.cli.tables import print_table

SLUG = "peace-framework-2025"


def _table() -> Table:
    table = Table(title="Negotiations")
    for column in ("name", "title", "status"):
        table.add_column(column)
    table.add_row(SLUG, "Framework plan for ending the war in Ukraine, 2025", "[green]circulated[/]")
    table.add_row("veldland-coalition", "Coalition agreement", "kalai-smorodinsky")
    return table


def _printed(width: int) -> str:
    console = Console(width=width, record=True, soft_wrap=True)
    print_table(_table(), console)
    return console.export_text()


def test_a_table_that_fits_by_wrapping_between_words_keeps_every_word_whole() -> None:
    text = _printed(60)
    assert "…" not in text and SLUG in text and "kalai-smorodinsky" in text
    assert all(len(line) <= 60 for line in text.splitlines())
    assert "│ name" not in text and "┃ name" in text, "still a table"


def test_a_table_too_narrow_for_its_longest_words_goes_row_by_row() -> None:
    text = _printed(40)
    assert "…" not in text
    assert (
        f"name: {SLUG}" in text and "  status: circulated" in text and "  status: kalai-smorodinsky" in text
    )
    assert "  title: Framework plan for ending the war in Ukraine, 2025" in text


def test_a_wide_terminal_draws_the_table_as_rich_does() -> None:
    console = Console(width=200, record=True, soft_wrap=True)
    console.print(_table())
    assert _printed(200) == console.export_text()
