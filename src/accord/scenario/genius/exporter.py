"""A scenario as GENIUS XML: a domain file and one profile per party, which GENIUS and NegMAS load.

GENIUS's utility is the sum of weight x evaluation, the weights as written; a discrete evaluation
is divided by the largest of its issue. The export writes, per point with best score top:

    weight = normalised weight x top,   evaluation = score / top

so GENIUS's utility of every package is accord's, unscaled, and importing the files gives back the
same utilities. A point whose options are the whole numbers lo, lo+1, …, hi (each option's value,
its text that number) goes out as an integer issue when every party's scores lie on a line GENIUS's
integer evaluator can draw (offset + slope x (value - lo), clipped to [0, 1], never divided by a
largest): weight = normalised weight, and that line. Otherwise it goes out as a discrete issue, with
a warning.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from accord.domain import Negotiation, Party, Point, Preferences
from accord.errors import GeniusFormatError
from accord.scenario.files import write_text_atomically
from accord.scenario.genius import evaluators
from accord.wording import counted


@dataclass
class GeniusExport:
    """The files written by an export, and what GENIUS's format could not carry."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _IntegerIssue:
    lower: int
    upper: int
    lines: dict[str, tuple[float, float]]  # party id -> (slope, offset)


def export_genius(negotiation: Negotiation, directory: Path, *, source: str | None = None) -> GeniusExport:
    """Write ``directory/<id>-domain.xml`` and ``directory/<party>.xml`` per party with preferences
    (``<party>-profile.xml`` for a party whose id is ``<id>-domain``, and so on: no file is written twice).

    ``source`` names the scenario in error messages."""
    where = source or negotiation.id
    _require_names(negotiation, where)
    report = GeniusExport()
    parties = [
        (p, negotiation.preferences[p.id]) for p in negotiation.parties if p.id in negotiation.preferences
    ]
    integers = {point.id: _integer_issue(point, parties, report) for point in negotiation.points}
    directory.mkdir(parents=True, exist_ok=True)
    domain = ET.Element("negotiation_template")
    space = ET.SubElement(domain, "utility_space", number_of_issues=str(len(negotiation.points)))
    objective = _objective(space, negotiation.title)
    for index, point in enumerate(negotiation.points, start=1):
        issue = _issue(objective, index, point, integers[point.id])
        if integers[point.id] is None:
            for n, option in enumerate(point.options, start=1):
                ET.SubElement(issue, "item", index=str(n), value=option.text)
    domain_path = directory / f"{negotiation.id}-domain.xml"
    written = [(domain_path, domain)]
    taken = {domain_path.name.casefold()}
    for party, prefs in parties:
        # a party "<id>-domain" keeps the domain's file, and no two profiles share one
        name = next(
            n
            for n in (
                f"{party.id}.xml",
                f"{party.id}-profile.xml",
                *(f"{party.id}-{k}.xml" for k in range(2, 1000)),
            )
            if n.casefold() not in taken
        )
        taken.add(name.casefold())
        written.append((directory / name, _profile(negotiation, prefs, party, integers, report, where)))
    for path, root in written:
        ET.indent(root)
        # the declaration as GENIUS's own files write it (double quotes)
        text = f'<?xml version="1.0" encoding="UTF-8"?>\n{ET.tostring(root, encoding="unicode")}\n'
        write_text_atomically(path, text)
        report.files.append(path)
    return report


def _require_names(negotiation: Negotiation, where: str) -> None:
    """GENIUS names issues by their title and values by their text: both must tell them apart."""
    titles = [p.title for p in negotiation.points]
    twice = sorted({t for t in titles if titles.count(t) > 1})
    if twice:
        raise GeniusFormatError(
            f"{where}: two points share the title {twice[0]!r}; expected distinct titles "
            "(GENIUS names an issue by its title)"
        )
    for point in negotiation.points:
        texts = [o.text for o in point.options]
        same = sorted({t for t in texts if texts.count(t) > 1})
        if same:
            raise GeniusFormatError(
                f"{where}: two options of point {point.id!r} share the text {same[0]!r}; expected "
                "distinct texts (GENIUS names a value by its text)"
            )


def _integer_issue(
    point: Point, parties: list[tuple[Party, Preferences]], report: GeniusExport
) -> _IntegerIssue | None:
    values = [o.value for o in point.options]
    if any(v is None or not float(v).is_integer() for v in values):
        return None
    numbers = sorted(int(v) for v in values if v is not None)
    contiguous = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    if not contiguous or any(o.text != str(int(o.value or 0)) for o in point.options):
        return None
    lines = {}
    for party, prefs in parties:
        scores = {int(o.value or 0): prefs.score(point.id, o.key) for o in point.options}
        line = evaluators.fit_integer(numbers, [scores[v] for v in numbers])
        if line is None:
            report.warnings.append(
                f"point {point.id!r} is numbered {numbers[0]}..{numbers[-1]} but {party.id}'s scores lie on "
                "no line GENIUS's integer evaluator can draw; written as a discrete issue"
            )
            return None
        lines[party.id] = line
    return _IntegerIssue(numbers[0], numbers[-1], lines)


def _objective(parent: ET.Element, title: str) -> ET.Element:
    return ET.SubElement(
        parent, "objective", index="0", description="", name=title, type="objective", etype="objective"
    )


def _issue(objective: ET.Element, index: int, point: Point, integer: _IntegerIssue | None) -> ET.Element:
    kind = "discrete" if integer is None else "integer"
    attributes = {"index": str(index), "name": point.title, "etype": kind, "type": kind, "vtype": kind}
    if integer is not None:
        attributes |= {"lowerbound": str(integer.lower), "upperbound": str(integer.upper)}
    return ET.SubElement(objective, "issue", attributes)


def _fmt(value: float) -> str:
    return repr(float(value))


def _profile(
    negotiation: Negotiation,
    prefs: Preferences,
    party: Party,
    integers: dict[str, _IntegerIssue | None],
    report: GeniusExport,
    where: str,
) -> ET.Element:
    tops = {p.id: max(prefs.score(p.id, o.key) for o in p.options) for p in negotiation.points}
    if sum(prefs.weight(p.id) * tops[p.id] for p in negotiation.points) <= 0:
        raise GeniusFormatError(
            f"{where}: every package is worth 0 to party {party.id!r}; expected a positive score on a "
            "weighted point (GENIUS's import of the profile would have nothing to compare)"
        )
    if prefs.red_lines or prefs.links:
        report.warnings.append(
            f"{party.id}: {counted(len(prefs.red_lines), 'red line')} and "
            f"{counted(len(prefs.links), 'link')} "
            "are not part of GENIUS's format and were left out"
        )
    # "linear": GENIUS reads the root's type to choose an additive utility space
    root = ET.Element("utility_space", type="linear", number_of_issues=str(len(negotiation.points)))
    objective = _objective(root, negotiation.title)
    for index, point in enumerate(negotiation.points, start=1):
        integer = integers[point.id]
        issue = _issue(objective, index, point, integer)
        if integer is not None:
            slope, offset = integer.lines[party.id]
            ET.SubElement(issue, "evaluator", ftype="linear", slope=_fmt(slope), offset=_fmt(offset))
            continue
        top = tops[point.id]
        for n, option in enumerate(point.options, start=1):
            evaluation = prefs.score(point.id, option.key) / top if top > 0 else 0.0
            ET.SubElement(issue, "item", index=str(n), value=option.text, evaluation=_fmt(evaluation))
    for index, point in enumerate(negotiation.points, start=1):
        # an integer evaluation is not divided by its issue's largest: its weight stays as it is
        weight = prefs.weight(point.id) * (1.0 if integers[point.id] is not None else tops[point.id])
        ET.SubElement(objective, "weight", index=str(index), value=_fmt(weight))
    genius = party.metadata.get("genius")
    discount = genius.get("discount_factor", 1.0) if isinstance(genius, dict) else 1.0
    ET.SubElement(root, "discount_factor", value=_fmt(float(discount)))
    ET.SubElement(root, "reservation", value=_fmt(prefs.reservation_value))
    return root
