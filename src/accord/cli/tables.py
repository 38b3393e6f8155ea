"""Terminal tables that never cut what a user must read or type.

Rich fits a table to the terminal by shrinking its columns; when the longest words of the columns
do not fit side by side it shrinks them evenly anyway, and cuts words with an ellipsis: a slug
becomes `peace-framework-…`, a concept `kalai-smo…`. Here each column keeps at least the width of
its longest word, so text wraps between words and never inside one: Rich's own narrowing where it
cuts nothing, else the room beyond the longest words shared as browsers share it. When even the
longest words do not fit side by side, the table is printed one row at a time, each cell on a line
of its own after its column's name.
"""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text


def print_table(table: Table, console: Console | None = None) -> None:
    """Print ``table`` whole: wrapped between words to the terminal's width, or row by row."""
    if console is None:
        from accord.cli.output import console as default

        console = default
    if not table.columns:
        console.print(table)
        return
    widths = column_widths(table, console)
    if widths is None:
        print_rows(table, console)
        return
    _, right, _, left = Padding.unpack(table.padding)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = max(width - left - right, 1)
        column.overflow = "fold"  # never reached: no word is wider than its column
    console.print(table)


def column_widths(table: Table, console: Console) -> list[int] | None:
    """Each column's width (padding included) so the table fits the terminal and no word is cut;
    None when the columns' longest words alone are wider than the terminal."""
    options = console.options
    _, right, _, left = Padding.unpack(table.padding)
    smallest: list[int] = []
    widest: list[int] = []
    for column in table.columns:
        cells: list[RenderableType] = list(column.cells)
        if table.show_header:
            cells.append(column.header)
        sizes = [Measurement.get(console, options, cell) for cell in cells]
        low = max((s.minimum for s in sizes), default=1)
        high = max((s.maximum for s in sizes), default=1)
        if column.no_wrap:
            low = high
        if column.min_width is not None:
            low = max(low, column.min_width)
        if column.max_width is not None:
            high = min(high, max(column.max_width, low))
        smallest.append(low + left + right)
        widest.append(max(high, low) + left + right)
    borders = (2 if table.box and table.show_edge else 0) + (len(table.columns) - 1 if table.box else 0)
    room = console.width - borders
    if sum(smallest) > room:
        return None
    if sum(widest) <= room:
        return widest
    # Rich's own narrowing (the widest columns give way first) when it cuts no word: the tables
    # look as they always did wherever they were whole
    wrapable = [column.width is None and not column.no_wrap for column in table.columns]
    narrowed = Table._collapse_widths(widest, wrapable, room)
    if sum(narrowed) <= room and all(w >= low for w, low in zip(narrowed, smallest, strict=True)):
        return narrowed
    # else as browsers lay out tables: every column gets its longest word, and the room left is shared
    # in proportion to how much more each would take (a long text gets more than a short header)
    spare = room - sum(smallest)
    wants = [high - low for low, high in zip(smallest, widest, strict=True)]
    shares = [spare * want / sum(wants) for want in wants]
    widths = [low + int(share) for low, share in zip(smallest, shares, strict=True)]
    # the characters lost to rounding go to the largest remainders
    for i in sorted(range(len(widths)), key=lambda i: int(shares[i]) - shares[i])[: room - sum(widths)]:
        widths[i] += 1
    return widths


def print_rows(table: Table, console: Console) -> None:
    """The table one row at a time: the first cell as the row's heading, then each other cell on a
    line of its own after its column's name (empty cells left out)."""
    if table.title is not None:
        console.print(table.title, style="bold")
    if table.caption is not None:
        console.print(table.caption, style="dim")
    names = [_one_line(_text(console, column.header)) for column in table.columns]
    columns = [list(column.cells) for column in table.columns]
    for row in range(table.row_count):
        console.print()
        for index, cells in enumerate(columns):
            value = _text(console, cells[row]) if row < len(cells) else Text()
            if not value.plain.strip():
                continue
            indent = "" if index == 0 else "  "
            if index == 0 and names[0] in ("#", ""):  # a row number heads its row as "#2"
                label = Text(names[0])
            else:
                label = Text(f"{indent}{names[index]}: " if names[index] else indent)
            if index == 0:
                label.stylize("bold")
            lines = value.split("\n")
            body = Text("\n" + " " * len(label.plain)).join(lines)
            console.print(Text.assemble(label, body))


def _text(console: Console, cell: RenderableType) -> Text:
    if isinstance(cell, Text):
        return cell.copy()
    if isinstance(cell, str):
        return console.render_str(cell)
    return Text(str(cell))


def _one_line(text: Text) -> str:
    return " ".join(text.plain.split())
