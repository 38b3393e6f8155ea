"""Reading GENIUS XML files: parsing within accord's file limit, numbers, one-line errors.

Every error says ``FILE: what was wrong; expected …`` on one line.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import cast

from accord.config import limits
from accord.errors import GeniusFormatError
from accord.scenario.files import FileTooLarge, read_limited


def problem(path: Path, what: str, expected: str) -> GeniusFormatError:
    """The error for a file: ``FILE: what was wrong; expected …``."""
    return GeniusFormatError(f"{path}: {what}; expected {expected}")


# an ampersand that starts no entity or character reference (GENIUS's own reader takes "Coffee & Thee")
_STRAY_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z_][A-Za-z0-9_.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_UTF16 = (b"\xff\xfe", b"\xfe\xff")


def parse(path: Path, notes: list[str] | None = None) -> ET.Element:
    """The root element of a GENIUS XML file.

    What GENIUS's own reader (SimpleDOMParser) takes and strict XML refuses is repaired, and said in
    ``notes``: an ampersand that starts no entity (ANAC 2015's Symposium has "Coffee & Thee"), blanks
    before the XML declaration, anything after the root element."""
    limit = limits().file_bytes
    try:
        data = read_limited(path, limit)
    except FileTooLarge as exc:
        raise problem(path, str(exc), f"at most {limit:,} bytes") from None
    except OSError as exc:
        raise problem(
            path, f"cannot read the file: {exc.strerror or exc}", "a readable GENIUS XML file"
        ) from None
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        repaired = _lenient(data, notes)
        if repaired is not None:
            return repaired
        line = exc.position[0] if exc.position else "?"
        raise GeniusFormatError(
            f"{path}:{line}: not well-formed XML ({exc}); expected a GENIUS XML file"
        ) from None


def _lenient(data: bytes, notes: list[str] | None) -> ET.Element | None:
    """The root element once what GENIUS's reader takes is repaired; None when that is not enough (or
    the file is UTF-16, whose bytes these repairs do not read)."""
    if data.startswith(_UTF16):
        return None
    said: list[str] = []
    text = data.lstrip(b" \t\r\n")
    if len(text) < len(data) and text.startswith(b"<?xml"):
        said.append("blanks before the XML declaration were skipped")
    else:
        text = data
    stray = len(_STRAY_AMPERSAND.findall(text))
    if stray:
        text = _STRAY_AMPERSAND.sub(b"&amp;", text)
        said.append(f"{stray} '&' that start{'s' if stray == 1 else ''} no entity read as text")
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    parser.feed(text)
    depth, closed = 0, False
    root: ET.Element | None = None
    events = parser.read_events()
    try:
        for event in events:
            kind, element = cast(tuple[str, ET.Element], event)  # asked for start and end only
            depth += 1 if kind == "start" else -1
            root = element if root is None else root
            if depth == 0:
                closed = True
                break
        for _ in events:  # raises at what follows the root element
            pass
        parser.close()
    except ET.ParseError:
        if not closed:
            return None
        said.append("what follows the root element was ignored")
    if root is None or not closed:
        return None
    if notes is not None:
        notes.extend(said)
    return root


def describe(element: ET.Element) -> str:
    """An element as a reader finds it in the file: ``<issue name="Price" index="2">``."""
    shown = [f'{key}="{element.get(key)}"' for key in ("name", "index", "value") if key in element.attrib]
    return f"<{' '.join([element.tag, *shown])}>"


def number(path: Path, element: ET.Element, attribute: str, *, where: str = "") -> float:
    """A finite number in ``attribute`` (Java's Double.valueOf trims blanks, as this does)."""
    raw = element.get(attribute)
    place = where or describe(element)
    if raw is None:
        raise problem(path, f"{place} has no {attribute} attribute", f'{attribute}="<a number>"')
    try:
        value = float(raw.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or "_" in raw:
        raise problem(path, f"{place} has {attribute}={raw!r}", "a number")
    return value


def integer(path: Path, element: ET.Element, attribute: str, *, where: str = "") -> int:
    """A whole number in ``attribute`` (GENIUS reads indices and integer bounds with Integer.valueOf)."""
    value = number(path, element, attribute, where=where)
    if not value.is_integer():
        place = where or describe(element)
        raise problem(path, f"{place} has {attribute}={element.get(attribute)!r}", "a whole number")
    return int(value)


def children(element: ET.Element, tag: str) -> list[ET.Element]:
    """The direct children with this tag: GENIUS's SimpleElement.getChildByTagName."""
    return [child for child in element if child.tag == tag]


def first_child(element: ET.Element, tag: str) -> ET.Element | None:
    return next((child for child in element if child.tag == tag), None)
