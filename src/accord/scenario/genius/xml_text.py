"""Reading GENIUS XML files: parsing within accord's file limit, numbers, one-line errors.

Every error says ``FILE: what was wrong; expected …`` on one line.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

from accord.config import limits
from accord.errors import GeniusFormatError
from accord.scenario.files import FileTooLarge, read_limited


def problem(path: Path, what: str, expected: str) -> GeniusFormatError:
    """The error for a file: ``FILE: what was wrong; expected …``."""
    return GeniusFormatError(f"{path}: {what}; expected {expected}")


def parse(path: Path) -> ET.Element:
    """The root element of a GENIUS XML file."""
    limit = limits().file_bytes
    try:
        return ET.fromstring(read_limited(path, limit))
    except FileTooLarge as exc:
        raise problem(path, str(exc), f"at most {limit:,} bytes") from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        raise GeniusFormatError(
            f"{path}:{line}: not well-formed XML ({exc}); expected a GENIUS XML file"
        ) from None
    except OSError as exc:
        raise problem(
            path, f"cannot read the file: {exc.strerror or exc}", "a readable GENIUS XML file"
        ) from None


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
