"""A GENIUS utility profile, read element for element as GENIUS's AdditiveUtilitySpace reads it.

GENIUS (``loadTreeRecursive``) visits every element of the file. At each, it takes the ``<weight>``
elements among its direct children, and for each ``<issue>`` (or ``<objective>``) direct child whose
index one of those weights names, it loads an evaluator from that child's own direct children, and
gives it that weight; a later one for the same index replaces an earlier one. So:

- ``<item>`` and ``<weight>`` elements nested deeper (in a ``<similarity_function>`` or a
  ``<criteria_function>`` block) are never an issue's evaluations or weight;
- a weight naming the objective itself (index 0, value 1) gives the objective an evaluator, which
  no utility uses: it changes nothing;
- an issue is matched to the domain by its index, as GENIUS does, not by its name.

The evaluations kept are those GENIUS's evaluators return (accord.scenario.genius.evaluators).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from accord.errors import GeniusFormatError
from accord.scenario.genius import evaluators
from accord.scenario.genius.domain_file import GeniusIssue, IssueKind
from accord.scenario.genius.xml_text import children, first_child, integer, number, parse, problem

# what makes a GENIUS profile non-additive: UTILITYSPACETYPE of the root, or the elements of a
# hyper-rectangle (NonlinearUtilitySpace) or constraint (ConstraintUtilitySpace) utility space
NON_ADDITIVE_TYPES = {"nonlinear", "constraint"}
NON_ADDITIVE_TAGS = {"ufun", "hyperrectangle", "constraint"}
ADDITIVE = "an additive (linear) profile: one weight and one evaluator per issue"


@dataclass(frozen=True)
class GeniusProfile:
    """A profile over a domain: per domain issue index, its weight as written and GENIUS's
    evaluation of each of its values."""

    name: str
    weights: dict[int, float]
    evaluations: dict[int, dict[str, float]]
    reservation: float | None = None
    discount_factor: float | None = None
    notes: tuple[str, ...] = ()  # what was read otherwise than written, as GENIUS reads it


def read_profile(path: Path, issues: list[GeniusIssue]) -> GeniusProfile:
    """A GENIUS utility profile over the given domain issues (real ones discretised)."""
    notes: list[str] = []
    root = parse(path, notes)
    require_additive(path, root)
    return profile_from(path, root, issues, notes)


def require_additive(path: Path, root: ET.Element) -> None:
    """Refuse a non-linear or constraint utility space: accord's utilities are additive."""
    declared = root.get("type") or ""
    if declared.strip().lower() in NON_ADDITIVE_TYPES:
        raise problem(path, f"the profile is not additive (a {declared!r} utility space)", ADDITIVE)
    for element in root.iter():
        if element.tag.lower() in NON_ADDITIVE_TAGS:
            raise problem(
                path,
                f"the profile is not additive (it holds <{element.tag}> elements, which score "
                "combinations of values rather than each issue on its own)",
                ADDITIVE,
            )


def profile_from(
    path: Path, root: ET.Element, issues: list[GeniusIssue], notes: list[str] | None = None
) -> GeniusProfile:
    """The profile in ``root``; ``notes`` (what parsing repaired) are kept with it, with what the
    reservation value and discount factor were read as where GENIUS reads them otherwise than written:
    a value that is no number as none (GENIUS catches the error and goes on), a discount factor not
    above 0 or above 1 as 1 (GENIUS's validateDiscount)."""
    chosen: dict[int, tuple[ET.Element, float]] = {}
    reservation: float | None = None
    discount: float | None = None
    said = list(notes or ())
    for element in root.iter():
        found = first_child(element, "reservation")
        if found is not None:
            reservation = _optional(path, found, "<reservation>", said, "no reservation value")
        found = first_child(element, "discount_factor")
        if found is not None:
            discount = _optional(path, found, "<discount_factor>", said, "no discount (1)")
            if discount is not None and not 0 < discount <= 1:
                said.append(
                    f"<discount_factor value={found.get('value')!r}> read as 1 (no discount), as GENIUS does"
                )
                discount = 1.0
        level = {
            integer(path, w, "index"): number(path, w, "value", where=f"<weight index={w.get('index')!r}>")
            for w in children(element, "weight")
        }
        if not level:
            continue
        for child in children(element, "issue") + children(element, "objective"):
            index = integer(path, child, "index")
            if index in level:
                chosen[index] = (child, level[index])
    weights: dict[int, float] = {}
    evaluations: dict[int, dict[str, float]] = {}
    for issue in issues:
        element, weight = _chosen(path, chosen, issue)
        if not weight >= 0:
            raise problem(path, f"the weight of issue {issue.name!r} is {weight:g}", "a weight >= 0")
        weights[issue.index] = weight
        evaluations[issue.index] = _evaluations(path, element, issue)
    return GeniusProfile(path.stem, weights, evaluations, reservation, discount, tuple(said))


def _optional(path: Path, element: ET.Element, where: str, notes: list[str], otherwise: str) -> float | None:
    """The element's number, or None with a note where it is none: GENIUS reads the reservation value
    and the discount factor inside a try and goes on without them (ANAC 2011's IS_BT_Acquisition has
    ``<discount_factor value="s">``)."""
    try:
        return number(path, element, "value", where=where)
    except GeniusFormatError:
        notes.append(
            f"{where[:-1]} value={element.get('value')!r}> is not a number: "
            f"read as {otherwise}, as GENIUS does"
        )
        return None


def _chosen(
    path: Path, chosen: dict[int, tuple[ET.Element, float]], issue: GeniusIssue
) -> tuple[ET.Element, float]:
    entry = chosen.get(issue.index)
    if entry is None or entry[0].tag != "issue":
        raise problem(
            path,
            f"no evaluation for issue {issue.name!r} (index {issue.index})",
            f'an <issue index="{issue.index}"> with a <weight index="{issue.index}"> beside it',
        )
    return entry


def _evaluations(path: Path, element: ET.Element, issue: GeniusIssue) -> dict[str, float]:
    raw = element.get("type") or "discrete"  # AdditiveUtilitySpace: no type attribute means discrete
    kind = raw.strip().lower()
    where = f"issue {issue.name!r}"
    if kind == "discrete" and issue.kind is not IssueKind.REAL:
        return _discrete(path, element, issue, where)
    if kind == issue.kind.value == "integer":
        lower, slope, offset = _integer_line(path, element, issue, where)
        return {v: evaluators.integer(int(v), lower, slope, offset) for v in issue.values}
    if kind == issue.kind.value == "real":
        return _real(path, element, issue, where)
    raise problem(
        path,
        f"{where} is {issue.kind.value} in the domain but the profile evaluates it as {raw!r}",
        f"a {issue.kind.value} evaluator",
    )


def _discrete(path: Path, element: ET.Element, issue: GeniusIssue, where: str) -> dict[str, float]:
    table: dict[str, float] = {}
    for item in children(element, "item"):
        value, evaluation = item.get("value"), item.get("evaluation")
        if value is None or evaluation is None or evaluation == "null":
            continue  # EvaluatorDiscrete.loadFromXML skips such items
        e = number(path, item, "evaluation", where=f"{where}, value {value!r}")
        table[_as_value(value, issue)] = e
        if e < 0:
            raise problem(path, f"{where}, value {value!r}: evaluation {e:g}", "evaluations >= 0")
    missing = [v for v in issue.values if v not in table]
    if missing:
        raise problem(
            path,
            f"no evaluation for {', '.join(repr(v) for v in missing)} of {where}",
            'an <item value="…" evaluation="…"/> for every value of the domain',
        )
    normalised = evaluators.discrete(table)
    return {v: normalised[v] for v in issue.values}


def _as_value(value: str, issue: GeniusIssue) -> str:
    """A discrete item names an integer issue's value by its number ("3" or "3.0", as NegMAS writes)."""
    if issue.kind is IssueKind.INTEGER:
        try:
            return str(int(float(value)))
        except ValueError:
            return value
    return value


def _integer_line(
    path: Path, element: ET.Element, issue: GeniusIssue, where: str
) -> tuple[int, float, float]:
    """EvaluatorInteger reads the profile issue's own lowerbound and its <evaluator>'s slope and
    offset; a linear evaluator may instead give the evaluations of the two bounds, which fix the
    line as GENIUS's setLinearFunction does."""
    lower = _profile_bound(path, element, "lowerbound", issue.lower, where)
    upper = _profile_bound(path, element, "upperbound", issue.upper, where)
    evaluator = first_child(element, "evaluator")
    if evaluator is None:
        return lower, 0.0, 0.0  # GENIUS: slope and offset stay 0
    if "slope" in evaluator.attrib or "offset" in evaluator.attrib:
        place = f"the evaluator of {where}"
        return (
            lower,
            number(path, evaluator, "slope", where=place),
            number(path, evaluator, "offset", where=place),
        )
    low = _bound_evaluation(path, element, evaluator, "lowerbound", where)
    high = _bound_evaluation(path, element, evaluator, "upperbound", where)
    if low is None or high is None:
        raise problem(
            path,
            f"the evaluator of {where} gives neither slope and offset nor the evaluations of its bounds",
            '<evaluator ftype="linear" slope="…" offset="…"/> (or lowerbound="…" upperbound="…" evaluations)',
        )
    slope = (high - low) / (upper - lower) if upper != lower else 0.0
    return lower, slope, low


def _profile_bound(path: Path, element: ET.Element, name: str, domain: float | None, where: str) -> int:
    holder = element if name in element.attrib else first_child(element, "range")
    if holder is not None and name in holder.attrib:
        return integer(path, holder, name, where=where)
    return int(domain or 0)  # the domain's bound when the profile leaves it out (as NegMAS reads it)


def _bound_evaluation(
    path: Path, element: ET.Element, evaluator: ET.Element, name: str, where: str
) -> float | None:
    place = f"the evaluator of {where}"
    if name in evaluator.attrib:
        return number(path, evaluator, name, where=place)
    for holder in (evaluator, element):
        child = first_child(holder, name)
        if child is not None:
            return number(path, child, "evaluation", where=f"<{name}> of {where}")
    return None


def _real(path: Path, element: ET.Element, issue: GeniusIssue, where: str) -> dict[str, float]:
    """EvaluatorReal at each step of the discretised issue."""
    evaluator = first_child(element, "evaluator")
    ftype = (evaluator.get("ftype") or "") if evaluator is not None else ""
    place = f"the evaluator of {where}"

    def parameter(n: int, alias: str) -> float:
        assert evaluator is not None
        key = (
            f"parameter{n}" if f"parameter{n}" in evaluator.attrib or alias not in evaluator.attrib else alias
        )
        return number(path, evaluator, key, where=place)

    steps = issue.numbers
    kind = ftype.lower()
    if kind == "linear":
        p0, p1 = parameter(0, "offset"), parameter(1, "slope")
        worth = [evaluators.real_linear(x, p0, p1) for x in steps]
    elif kind == "constant":
        worth = [parameter(0, "offset")] * len(steps)
    elif kind == "triangular":
        low, high, top = parameter(0, "start"), parameter(1, "end"), parameter(2, "middle")
        worth = [evaluators.triangular(x, low, high, top) for x in steps]
    else:
        raise problem(
            path,
            f"{where} has {'no <evaluator>' if evaluator is None else f'an evaluator of ftype {ftype!r}'}",
            'an <evaluator ftype="linear|constant|triangular" parameter0="…" …/> (as GENIUS evaluates)',
        )
    if any(w < 0 for w in worth):
        raise problem(path, f"{place} gives a negative evaluation", "evaluations >= 0")
    return dict(zip(issue.values, worth, strict=True))
