"""Words for people: a count with its noun in the right number ("1 stance", "3 stances")."""

from __future__ import annotations


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one, else ``nouns`` (the noun + "s" by default)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def shortened(text: str, limit: int = 60) -> str:
    """``text`` cut to at most ``limit`` characters at a word's end, with "…" when cut ("Membership
    left to a later…"); a first word longer than ``limit`` is cut inside it (with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > 0 and text[limit - 1] != " ":
        cut = cut[:space]
    return cut.rstrip(" ,;:.–—-") + "…"
