"""Typed settings: the limits on what accord reads, from the environment.

Each limit has a default that fits every real input by a wide margin; an
environment variable raises or lowers it (`accord serve --max-body-bytes`
sets the last one for the server's processes). Settings are read when they are
used, never at import time.

    ACCORD_MAX_FILE_BYTES   largest scenario, amendments or GENIUS XML file read (5,000,000)
    ACCORD_MAX_BODY_BYTES   largest request body the workbench accepts (1,000,000)
    ACCORD_MAX_PAPER_BYTES  largest paper's content (a file, or text) stored (25,000,000: 25 MB)
    ACCORD_MAX_REPORT_BYTES largest report file `accord ingest` reads (5,000,000: 5 MB)
    ACCORD_MAX_REPORT_CHARS longest text read from a report, once extracted (500,000 characters)

Two limits are fixed: YAML aliases may add at most 10,000 values to a document
(an "alias bomb" of a few hundred bytes otherwise expands to billions), and the
free texts a seat types into the workbench have the lengths of ``TEXT_CHARS``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from accord.errors import SettingsError

FILE_BYTES_VARIABLE = "ACCORD_MAX_FILE_BYTES"
BODY_BYTES_VARIABLE = "ACCORD_MAX_BODY_BYTES"
PAPER_BYTES_VARIABLE = "ACCORD_MAX_PAPER_BYTES"
REPORT_BYTES_VARIABLE = "ACCORD_MAX_REPORT_BYTES"
REPORT_CHARS_VARIABLE = "ACCORD_MAX_REPORT_CHARS"


@dataclass(frozen=True)
class Limits:
    """How much accord reads before refusing."""

    file_bytes: int = 5_000_000
    body_bytes: int = 1_000_000
    alias_values: int = 10_000
    # a paper handed over (a scanned document, a slide deck): stored in the database with its digest
    paper_bytes: int = 25_000_000
    # a news report, a read-out, a transcript to ingest: its file, and its text once extracted (a PDF's
    # or a Word file's text is far smaller than the file; an HTML page's is smaller too)
    report_bytes: int = 5_000_000
    report_characters: int = 500_000


# the longest free text per kind of field a seat may type into the workbench (pages and API alike)
TEXT_CHARS = {
    "name": 200,  # an id, a key, a party or point named in a request
    "title": 500,  # a point's or a draft's title, a meeting's place
    "note": 2_000,  # a stance's or a red line's note, an amendment's reason, a preferences' basis
    "outcome": 5_000,  # a meeting's outcome
    "text": 10_000,  # a point's text in an amendment
}


def limits() -> Limits:
    """The limits in force: the defaults, changed by the environment variables above."""
    default = Limits()
    return Limits(
        file_bytes=_bytes(FILE_BYTES_VARIABLE, default.file_bytes),
        body_bytes=_bytes(BODY_BYTES_VARIABLE, default.body_bytes),
        alias_values=default.alias_values,
        paper_bytes=_bytes(PAPER_BYTES_VARIABLE, default.paper_bytes),
        report_bytes=_bytes(REPORT_BYTES_VARIABLE, default.report_bytes),
        report_characters=_bytes(REPORT_CHARS_VARIABLE, default.report_characters, "characters"),
    )


def _bytes(variable: str, default: int, unit: str = "bytes") -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise SettingsError(f"${variable}={raw!r}; expected a whole number of {unit} above 0")
    return value
