"""Reading an input file, at most as many bytes as accord reads (accord.config's file limit)."""

from __future__ import annotations

from pathlib import Path

from accord.config import FILE_BYTES_VARIABLE


def read_limited(path: str | Path, limit: int) -> bytes:
    """At most ``limit`` bytes of the file; :class:`FileTooLarge` when it holds more (or never ends).

    ``OSError`` passes through for the caller to name."""
    with open(path, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise FileTooLarge(limit)
    return raw


class FileTooLarge(Exception):
    """A file holds more bytes than accord reads (the limit is in the message)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the file is larger than {limit:,} bytes, the most accord reads "
            f"(set ${FILE_BYTES_VARIABLE} to change it)"
        )
