"""A key given for a new entry of the record (`--id`: a meeting, paper, person, statement, event or
source): one rule for all of them, the scenario format's (accord.domain.amendments.ID), so what is
recorded can be exported and read back."""

from __future__ import annotations

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
