"""Ids made from GENIUS's names (issues, values and profiles are named, not keyed)."""

from __future__ import annotations

import re

from anyascii import anyascii


def slug(text: str) -> str:
    """An id made from a name: 'Chips and Nuts' -> 'chips-and-nuts', '-3' -> 'minus-3', 'Цена' ->
    'tsena' (a name in another script transliterated)."""
    if re.match(r"-\d", text):
        return "minus-" + slug(text[1:])
    ascii_text = anyascii(text)
    made = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return made or "x"


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not taken yet (and take it)."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate
