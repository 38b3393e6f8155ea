"""Words for people: a count with its noun in the right number ("1 stance", "3 stances")."""

from __future__ import annotations


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one, else ``nouns`` (the noun + "s" by default)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
