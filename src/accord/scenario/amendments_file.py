"""The amendments file of `accord draft new --amendments FILE`: a YAML list, one change each.

    - point: 7            # by number or id
      option: B           # the point takes another of its options
      reason: Both sides asked for a phased timetable
    - point: 12
      text: "Free text replacing the point"
      reason: ...
    - point: 13
      drop: true
      reason: ...
    - add: elections      # a new point: its id, title and text (number: optional)
      title: Elections
      text: Elections within 100 days
      reason: ...

Every problem in the file is reported (with its line) before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.domain.amendments import ID, ID_EXPECTED, Amendment, AmendmentKind
from accord.errors import ScenarioError
from accord.scenario.paths import FieldPath
from accord.scenario.yaml_source import Source, read_file

_KINDS = ("option", "text", "drop", "add")


def load_amendments(path: Path) -> list[Amendment]:
    source = read_file(path)
    if source.fatal:
        raise ScenarioError(source.problems)
    document = source.document
    if not isinstance(document, list) or not document:
        raise ScenarioError([source.problem((), "expected a list of amendments (one `- point: ...` each)")])
    amendments = []
    for index, item in enumerate(document):
        amendment = _amendment(source, (index,), item)
        if amendment is not None:
            amendments.append(amendment)
    if source.problems:
        raise ScenarioError(source.problems)
    return amendments


def _text(source: Source, path: FieldPath, value: Any, what: str) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    found = "missing" if value is None else f"got {value!r}"
    source.problems.append(source.problem(path, f"{found}; expected {what}"))
    return None


def _amendment(source: Source, path: FieldPath, item: Any) -> Amendment | None:
    if not isinstance(item, dict):
        source.problems.append(source.problem(path, "expected a mapping with point, reason and one change"))
        return None
    unknown = sorted(set(item) - {"point", "reason", "number", "title", *_KINDS})
    for key in unknown:
        source.problems.append(
            source.problem(
                (*path, key), "unknown field; expected point, option, text, drop, add, title, reason"
            )
        )
    # a new point's text goes with add; otherwise text is a change of its own, and one change is all
    kinds = ["add"] if "add" in item else [k for k in _KINDS if k in item]
    if len(kinds) != 1:
        given = f" (given: {', '.join(kinds)})" if kinds else ""
        source.problems.append(
            source.problem(path, f"expected exactly one change: option, text, drop: true, or add{given}")
        )
        return None
    reason = _text(source, (*path, "reason"), item.get("reason"), "a reason for the amendment")
    kind = kinds[0]
    if kind == "add":
        point = _text(source, (*path, "add"), item["add"], "the new point's id")
        if point is not None and not ID.fullmatch(point):
            source.problems.append(source.problem((*path, "add"), f"got {point!r}; expected {ID_EXPECTED}"))
            point = None
        title = _text(source, (*path, "title"), item.get("title"), "the new point's title")
        text = _text(source, (*path, "text"), item.get("text"), "the new point's text")
        number = item.get("number")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool) or number < 1):
            source.problems.append(
                source.problem((*path, "number"), f"expected a positive whole number, got {number!r}")
            )
            return None
        if None in (point, title, text, reason):
            return None
        assert point is not None and reason is not None
        return Amendment(AmendmentKind.ADD, point, reason, title=title, text=text, number=number)
    point = _text(source, (*path, "point"), item.get("point"), "the point's number or id")
    if kind == "drop" and item["drop"] is not True:
        source.problems.append(source.problem((*path, "drop"), "expected `drop: true`"))
        return None
    value = None
    if kind in ("option", "text"):
        value = _text(source, (*path, kind), item[kind], f"the new {kind}")
        if value is None:
            return None
    if point is None or reason is None:
        return None
    if kind == "option":
        return Amendment(AmendmentKind.CHOOSE, point, reason, option=value)
    if kind == "text":
        return Amendment(AmendmentKind.TEXT, point, reason, text=value)
    return Amendment(AmendmentKind.DROP, point, reason)
