"""Paths of fields inside a scenario document, written as users read them.

``("parties", "ukraine", "red_lines", 2)`` reads ``parties.ukraine.red_lines[2]``.
"""

from __future__ import annotations

FieldPath = tuple[str | int, ...]


def render(path: FieldPath) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
