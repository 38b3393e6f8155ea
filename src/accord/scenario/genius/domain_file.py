"""A GENIUS domain file: the issues and their values, read as GENIUS's DomainImpl reads them.

The first ``<objective>`` of the ``<utility_space>`` is the root; its ``<objective>`` and ``<issue>``
children (direct children only) form a tree, and the issues in GENIUS's order are those met going
down it, an objective's sub-objectives before its own issues. An issue's kind is its ``type``
attribute (``discrete`` when there is none):

- discrete: its ``<item value="…">`` children;
- integer: every whole number from its ``lowerbound`` to its ``upperbound`` attribute;
- real: the ``<range lowerbound="…" upperbound="…">`` child (a real issue becomes options only
  when it is discretised on request).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from accord.scenario.genius import evaluators
from accord.scenario.genius.xml_text import children, describe, first_child, integer, number, parse, problem

# an integer issue becomes one option per value; more than this is no framework a mediator reads
MAX_INTEGER_VALUES = 100_000


class IssueKind(Enum):
    DISCRETE = "discrete"
    INTEGER = "integer"
    REAL = "real"


@dataclass(frozen=True)
class GeniusIssue:
    """One issue of a domain. ``values`` names its values (for an integer issue, the numbers as
    text) and ``numbers`` gives their numbers (integer issues, discretised real ones); a real issue
    has no values until it is discretised."""

    index: int
    name: str
    values: tuple[str, ...]
    kind: IssueKind = IssueKind.DISCRETE
    lower: float | None = None
    upper: float | None = None
    numbers: tuple[float, ...] = ()

    def discretised(self, count: int) -> GeniusIssue:
        """A real issue as ``count`` evenly spaced values from its lower to its upper bound."""
        assert self.lower is not None and self.upper is not None
        numbers = tuple(evaluators.steps(self.lower, self.upper, count))
        return replace(self, values=number_texts(numbers), numbers=numbers)


def number_texts(numbers: tuple[float, ...]) -> tuple[str, ...]:
    """The steps' values as short as they can be written while telling them apart."""
    for digits in range(6, 18):
        texts = tuple(f"{x:.{digits}g}" for x in numbers)
        if len(set(texts)) == len(texts):
            return texts
    return tuple(map(repr, numbers))


def read_domain(path: Path, notes: list[str] | None = None) -> list[GeniusIssue]:
    """The issues of a GENIUS domain file, in GENIUS's order (what parsing repaired said in ``notes``)."""
    root = parse(path, notes)
    space = root if root.tag == "utility_space" else first_child(root, "utility_space")
    objective = first_child(space, "objective") if space is not None else None
    if objective is None:
        raise problem(
            path,
            f"no <utility_space> with an <objective> under <{root.tag}>",
            "a GENIUS domain: <negotiation_template><utility_space><objective> with <issue>s",
        )
    issues = [_issue(path, element) for element in _issue_elements(objective)]
    if not issues:
        raise problem(path, "the objective holds no <issue>", "at least one issue")
    for what in ("index", "name"):
        seen = [str(getattr(i, what)) for i in issues]
        twice = sorted({x for x in seen if seen.count(x) > 1})
        if twice:
            raise problem(path, f"two issues share the {what} {', '.join(twice)}", f"each issue {what} once")
    return issues


def _issue_elements(objective: ET.Element) -> list[ET.Element]:
    found: list[ET.Element] = []
    for sub in children(objective, "objective"):
        found += _issue_elements(sub)
    return found + children(objective, "issue")


def _issue(path: Path, element: ET.Element) -> GeniusIssue:
    name = element.get("name")
    if name is None or element.get("index") is None:
        raise problem(
            path, f"{describe(element)} lacks its name or index attribute", 'name="…" and index="…"'
        )
    index = integer(path, element, "index")
    raw_kind = element.get("type") or "discrete"
    try:
        kind = IssueKind(raw_kind.lower())
    except ValueError:
        raise problem(
            path, f"issue {name!r} is of type {raw_kind!r}", "type discrete, integer or real"
        ) from None
    where = f"issue {name!r}"
    if kind is IssueKind.INTEGER:
        lower, upper = _bounds(path, element, where, whole=True)
        count = int(upper - lower) + 1
        if count > MAX_INTEGER_VALUES:
            raise problem(
                path,
                f"{where} runs from {lower:g} to {upper:g}: {count:,} values",
                f"at most {MAX_INTEGER_VALUES:,} values per integer issue (one option each)",
            )
        numbers = tuple(range(int(lower), int(upper) + 1))
        return GeniusIssue(
            index, name, tuple(map(str, numbers)), kind, lower, upper, tuple(map(float, numbers))
        )
    if kind is IssueKind.REAL:
        lower, upper = _bounds(path, element, where, whole=False)
        return GeniusIssue(index, name, (), kind, lower, upper)
    items = children(element, "item")
    values = tuple(item.get("value") or "" for item in items)
    if not values:
        raise problem(path, f"{where} has no values", '<item value="…"/> children')
    if "" in values:
        raise problem(path, f"{where} has an <item> without a value", 'value="…" on every item')
    if len(set(values)) != len(values):
        raise problem(path, f"{where} lists a value twice", "each value once")
    return GeniusIssue(index, name, values)


def _bounds(path: Path, element: ET.Element, where: str, *, whole: bool) -> tuple[float, float]:
    """An integer issue's bounds are attributes (IssueInteger); a real one's are in <range>
    (IssueReal). Either place is read for either kind, as NegMAS does."""
    holder = element
    if "lowerbound" not in element.attrib or "upperbound" not in element.attrib:
        in_range = first_child(element, "range")
        holder = element if in_range is None else in_range
    if "lowerbound" not in holder.attrib or "upperbound" not in holder.attrib:
        place = "lowerbound and upperbound attributes" if whole else "a <range lowerbound upperbound> child"
        raise problem(path, f"{where} has no lowerbound or upperbound", place)
    read = integer if whole else number
    lower = read(path, holder, "lowerbound", where=where)
    upper = read(path, holder, "upperbound", where=where)
    if lower > upper:
        raise problem(
            path, f"{where} has lowerbound {lower:g} above upperbound {upper:g}", "lowerbound <= upperbound"
        )
    return float(lower), float(upper)
