"""A key given for a new entry of the record (`--id`: a meeting, paper, person, statement, event or
source): one rule for all of them, the scenario format's (accord.domain.amendments.ID), so what is
recorded can be exported and read back."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection

from accord.domain.amendments import ID, ID_EXPECTED
from accord.errors import DomainError


def checked_key(key: str, noun: str, taken: Collection[str] = (), flag: str = "--id") -> str:
    """``key`` when it can name a new ``noun`` (not yet ``taken``); else a DomainError naming ``flag``."""
    if not ID.fullmatch(key):
        raise DomainError(f"{flag}: {key!r} is not an id; expected {ID_EXPECTED}")
    if key in taken:
        raise DomainError(f"{flag}: a {noun} {key!r} is recorded already; choose another id")
    return key


_STEM_CHARS = 48


def new_key(noun: str, taken: Collection[str], *words: str | None, date: dt.date | None = None) -> str:
    """The key a new entry recorded without one gets, made from what it says (its place, its title,
    who spoke) and its date: "geneva-2025-11-23", "costing-of-childcare"; the noun where the words
    give nothing ("meeting-2025-11-23", "paper"); "-2", "-3"… after one already taken. Never a count of
    the entries (m7, paper-7), which would tell a party shown some of them how many it is not shown."""
    stem = "-".join(p for p in (_slug(w) for w in words if w) if p) or noun
    if len(stem) > _STEM_CHARS:  # cut at a word's end
        cut = stem[: _STEM_CHARS + 1].rsplit("-", 1)[0]
        stem = cut if "-" in stem[: _STEM_CHARS + 1] else stem[:_STEM_CHARS]
    if date is not None:
        stem = f"{stem}-{date.isoformat()}"
    key, number = stem, 1
    while key in taken:
        number += 1
        key = f"{stem}-{number}"
    return key


def _slug(words: str) -> str:
    """Words as a key's part: lower-case ASCII letters and digits, "-" between ("Genève" -> "geneve");
    nothing left of a script without Latin letters."""
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")
