"""Which characters a text the record keeps may hold: what it stores must read as it is shown."""

from __future__ import annotations

import re

# control characters other than a tab and the line and page breaks (\v, \f and U+0085 come with
# text from PDFs and word processors; PostgreSQL refuses U+0000; the others print nothing), lone
# surrogates (no UTF-8 for them), and the characters that change which way text runs (embeddings,
# overrides, isolates: a note holding one can read differently from what is stored)
_UNFIT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def unfit_character(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (None when it can), naming the first unfit character by
    its code point."""
    found = _UNFIT.search(value)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"holds a broken character (U+{code:04X}, half of a pair); remove it"
    if code >= 0x202A:
        return (
            f"holds a character that changes the text's direction (U+{code:04X}), which can make it "
            "read differently from what is stored; remove it"
        )
    return f"holds a control character (U+{code:04X}); remove it"
