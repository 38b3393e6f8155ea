"""The choices file of `accord draft record --choices FILE`: a party's text, point by point.

    sovereignty: reaffirmed         # point (by id, or by number in quotes): the option the text takes
    "6": cap-600k
    territory:                      # or the party's own wording of the point
      text: "Donbas to be recognised as Russian"

Every problem in the file is reported (with its line) before anything is written; whether the points
and options exist, and whether every point is there, is checked against the negotiation when recorded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.domain import Choice
from accord.errors import ScenarioError
from accord.scenario.yaml_source import Source, read_file

EXPECTED = "an option key, or `text: ...` (the party's own wording)"


def load_choices(path: Path) -> list[tuple[str, Choice]]:
    """(point as written, choice) pairs in the file's order."""
    source = read_file(path)
    if source.fatal:
        raise ScenarioError(source.problems)
    document = source.document
    if not isinstance(document, dict) or not document:
        raise ScenarioError([source.problem((), "expected a mapping of points to options (`7: option-key`)")])
    choices = []
    for key, value in document.items():
        choice = _choice(source, key, value)
        if choice is not None:
            choices.append((str(key), choice))
    if source.problems:
        raise ScenarioError(source.problems)
    return choices


def _scalar(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _choice(source: Source, key: Any, value: Any) -> Choice | None:
    option = _scalar(value)
    if option is not None:
        return Choice(option=option)
    if isinstance(value, dict) and set(value) == {"text"}:
        text = value["text"]
        if isinstance(text, str) and text.strip():
            return Choice(text=text)
        source.problems.append(source.problem((key, "text"), "expected the point's wording (some text)"))
        return None
    found = "missing" if value is None else f"got {value!r}"
    source.problems.append(source.problem((key,), f"{found}; expected {EXPECTED}"))
    return None
