"""GENIUS XML interoperability: bring ANAC domains in, send scenarios out.

A GENIUS domain file lists issues (``<issue>``) with their values (``<item>``);
a profile file gives, per issue, an evaluation per value and a weight, plus a
reservation value and a discount factor. GENIUS's additive utility divides
each evaluation by the largest evaluation of its issue; on import accord keeps
exactly those values (score = evaluation / largest evaluation), so utilities,
and therefore every solution concept, match GENIUS and NegMAS. Discount
factors have no meaning in accord's model and are kept as party metadata.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from accord.config import limits
from accord.domain import Negotiation, Option, Party, Point, Preferences, Role
from accord.errors import GeniusFormatError
from accord.scenario.files import FileTooLarge, read_limited


@dataclass(frozen=True)
class GeniusIssue:
    index: int
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class GeniusProfile:
    name: str
    weights: dict[int, float]
    evaluations: dict[int, dict[str, float]]
    reservation: float | None = None
    discount_factor: float | None = None


@dataclass
class GeniusExport:
    """The files written by an export, and what GENIUS's format could not carry."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """An id made from a name: 'Chips and Nuts' -> 'chips-and-nuts'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    made = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return made or "x"


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _parse(path: Path) -> ET.Element:
    try:
        return ET.fromstring(read_limited(path, limits().file_bytes))
    except FileTooLarge as exc:
        raise GeniusFormatError(f"{path}: {exc}") from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        raise GeniusFormatError(f"{path}:{line}: not well-formed XML ({exc})") from None
    except OSError as exc:
        raise GeniusFormatError(f"{path}: cannot read the file: {exc.strerror or exc}") from None


def _number(path: Path, element: ET.Element, attribute: str) -> float:
    raw = element.get(attribute)
    try:
        return float(raw) if raw is not None else float("nan")
    except ValueError:
        raise GeniusFormatError(
            f"{path}: <{element.tag}> attribute {attribute}={raw!r}; expected a number"
        ) from None


def _issues(path: Path, root: ET.Element) -> list[ET.Element]:
    issues = list(root.iter("issue"))
    if not issues:
        raise GeniusFormatError(f"{path}: no <issue> found; expected a GENIUS domain or profile")
    return issues


def read_domain(path: Path) -> list[GeniusIssue]:
    """The discrete issues of a GENIUS domain file, in file order."""
    root = _parse(path)
    result = []
    for issue in _issues(path, root):
        name = issue.get("name")
        kind = issue.get("type") or issue.get("etype") or "discrete"
        if name is None or issue.get("index") is None:
            raise GeniusFormatError(f"{path}: an <issue> lacks its name or index attribute")
        if kind != "discrete":
            raise GeniusFormatError(
                f"{path}: issue {name!r} is of type {kind!r}; "
                "expected discrete issues (only those are supported)"
            )
        values = tuple(item.get("value", "") for item in issue.iter("item"))
        if not values or "" in values:
            raise GeniusFormatError(f"{path}: issue {name!r} has no values or a value without a name")
        if len(set(values)) != len(values):
            raise GeniusFormatError(f"{path}: issue {name!r} lists a value twice")
        result.append(GeniusIssue(int(_number(path, issue, "index")), name, values))
    names = [i.name for i in result]
    if len(set(names)) != len(names):
        raise GeniusFormatError(f"{path}: two issues share a name")
    return result


def read_profile(path: Path, issues: list[GeniusIssue]) -> GeniusProfile:
    """A GENIUS utility profile over the given domain issues."""
    root = _parse(path)
    by_name = {issue.name: issue for issue in issues}
    index_to_name: dict[int, str] = {}
    evaluations: dict[int, dict[str, float]] = {}
    for element in _issues(path, root):
        name = element.get("name")
        if name not in by_name:
            raise GeniusFormatError(f"{path}: issue {name!r} is not in the domain")
        issue = by_name[name]
        local_index = int(_number(path, element, "index"))
        index_to_name[local_index] = name
        table: dict[str, float] = {}
        for item in element.iter("item"):
            value = item.get("value")
            if value not in issue.values:
                raise GeniusFormatError(f"{path}: issue {name!r} has no value {value!r} in the domain")
            evaluation = _number(path, item, "evaluation")
            if not evaluation >= 0:
                raise GeniusFormatError(
                    f"{path}: issue {name!r}, value {value!r}: "
                    f"evaluation {evaluation}; expected a number >= 0"
                )
            table[value] = evaluation
        missing = [v for v in issue.values if v not in table]
        if missing:
            raise GeniusFormatError(f"{path}: issue {name!r} has no evaluation for {', '.join(missing)}")
        evaluations[issue.index] = table
    weights: dict[int, float] = {}
    for element in root.iter("weight"):
        local_index = int(_number(path, element, "index"))
        if local_index not in index_to_name:
            raise GeniusFormatError(f"{path}: <weight index={local_index}> names no issue of the profile")
        weight = _number(path, element, "value")
        if not weight >= 0:
            raise GeniusFormatError(
                f"{path}: weight of issue {index_to_name[local_index]!r} is {weight}; expected >= 0"
            )
        weights[by_name[index_to_name[local_index]].index] = weight
    absent = [i.name for i in issues if i.index not in weights or i.index not in evaluations]
    if absent:
        raise GeniusFormatError(f"{path}: no weight or evaluations for issue(s) {', '.join(absent)}")
    reservation = root.find("reservation")
    discount = root.find("discount_factor")
    return GeniusProfile(
        name=path.stem,
        weights=weights,
        evaluations=evaluations,
        reservation=_number(path, reservation, "value") if reservation is not None else None,
        discount_factor=_number(path, discount, "value") if discount is not None else None,
    )


def import_genius(domain_file: Path, profile_files: list[Path]) -> Negotiation:
    """A negotiation built from a GENIUS domain and one profile per party."""
    issues = read_domain(domain_file)
    profiles = [read_profile(path, issues) for path in profile_files]
    point_ids: set[str] = set()
    points = []
    option_keys: dict[int, dict[str, str]] = {}
    for number, issue in enumerate(issues, start=1):
        taken: set[str] = set()
        option_keys[issue.index] = {v: _unique(slug(v), taken) for v in issue.values}
        points.append(
            Point(
                id=_unique(slug(issue.name), point_ids),
                number=number,
                title=issue.name,
                options=tuple(Option(option_keys[issue.index][v], v) for v in issue.values),
            )
        )
    party_ids: set[str] = set()
    parties = []
    preferences = {}
    for profile, path in zip(profiles, profile_files, strict=True):
        party_id = _unique(slug(profile.name), party_ids)
        genius_meta: dict[str, object] = {"profile": path.name}
        if profile.discount_factor is not None:
            genius_meta["discount_factor"] = profile.discount_factor
        if profile.reservation is None or not 0 <= profile.reservation <= 1:
            genius_meta["reservation"] = "absent" if profile.reservation is None else profile.reservation
        parties.append(Party(party_id, profile.name, Role.PARTY, metadata={"genius": genius_meta}))
        scores = {}
        for point, issue in zip(points, issues, strict=True):
            table = profile.evaluations[issue.index]
            top = max(table.values())
            # GENIUS: evaluation / largest evaluation of the issue (all-zero issues count 0)
            scores[point.id] = {
                option_keys[issue.index][v]: (e / top if top > 0 else 0.0) for v, e in table.items()
            }
        reservation = profile.reservation if profile.reservation is not None else 0.0
        preferences[party_id] = Preferences(
            party=party_id,
            weights={p.id: profile.weights[i.index] for p, i in zip(points, issues, strict=True)},
            scores=scores,
            reservation_value=min(max(reservation, 0.0), 1.0),
            basis=f"GENIUS profile {path.name}",
        )
    if not any(sum(p.weights.values()) > 0 for p in preferences.values()) and preferences:
        raise GeniusFormatError(f"{domain_file}: every weight of every profile is 0")
    # ANAC files are usually named like "party_domain.xml"; the id drops that suffix
    name = re.sub(r"[-_ ]?domain$", "", domain_file.stem, flags=re.IGNORECASE) or domain_file.stem
    return Negotiation(
        id=slug(name),
        title=name,
        points=tuple(points),
        parties=tuple(parties),
        preferences=preferences,
        metadata={"genius": {"domain": domain_file.name}},
    )


def _objective_element(parent: ET.Element, title: str) -> ET.Element:
    return ET.SubElement(
        parent, "objective", index="0", description="", name=title, type="objective", etype="objective"
    )


def _issue_element(objective: ET.Element, index: int, title: str) -> ET.Element:
    return ET.SubElement(
        objective, "issue", index=str(index), name=title, etype="discrete", type="discrete", vtype="discrete"
    )


def _fmt(value: float) -> str:
    return repr(float(value))


def export_genius(negotiation: Negotiation, directory: Path) -> GeniusExport:
    """Write a GENIUS domain file and one profile per party with preferences."""
    titles = [p.title for p in negotiation.points]
    if len(set(titles)) != len(titles):
        raise GeniusFormatError("GENIUS names issues by title, and two points share a title")
    report = GeniusExport()
    directory.mkdir(parents=True, exist_ok=True)
    domain = ET.Element("negotiation_template")
    space = ET.SubElement(domain, "utility_space", number_of_issues=str(len(negotiation.points)))
    objective = _objective_element(space, negotiation.title)
    for index, point in enumerate(negotiation.points, start=1):
        issue = _issue_element(objective, index, point.title)
        for n, option in enumerate(point.options, start=1):
            ET.SubElement(issue, "item", index=str(n), value=option.text)
    written = [(directory / f"{negotiation.id}-domain.xml", domain)]

    for party in negotiation.parties:
        prefs = negotiation.preferences.get(party.id)
        if prefs is None:
            continue
        written.append((directory / f"{party.id}.xml", _profile(negotiation, prefs, party, report)))
    for path, root in written:
        ET.indent(root)
        temporary = path.with_name(f".{path.name}.tmp")
        ET.ElementTree(root).write(temporary, encoding="utf-8", xml_declaration=True)
        temporary.replace(path)
        report.files.append(path)
    return report


def _profile(negotiation: Negotiation, prefs: Preferences, party: Party, report: GeniusExport) -> ET.Element:
    # GENIUS divides each evaluation by its issue's largest; where a party's best
    # option on a point scores below 1, fold that top score into the weight.
    tops = {p.id: max(prefs.score(p.id, o.key) for o in p.options) for p in negotiation.points}
    raw = {p.id: prefs.weight(p.id) * tops[p.id] for p in negotiation.points}
    total = sum(raw.values())
    if total <= 0:
        raise GeniusFormatError(f"party {party.id!r}: every package is worth 0; GENIUS cannot express that")
    if abs(total - 1.0) > 1e-12:
        report.warnings.append(
            f"{party.id}: the best package is worth {total:.6g}, not 1; GENIUS normalises, so this "
            f"profile's utilities (and reservation value) are scaled by 1/{total:.6g}"
        )
    if prefs.red_lines or prefs.links:
        report.warnings.append(
            f"{party.id}: {len(prefs.red_lines)} red line(s) and {len(prefs.links)} link(s) "
            "are not part of GENIUS's format and were left out"
        )
    root = ET.Element("utility_space", type="", number_of_issues=str(len(negotiation.points)))
    objective = _objective_element(root, negotiation.title)
    for index, point in enumerate(negotiation.points, start=1):
        issue = _issue_element(objective, index, point.title)
        top = tops[point.id]
        for n, option in enumerate(point.options, start=1):
            evaluation = prefs.score(point.id, option.key) / top if top > 0 else 1.0
            ET.SubElement(issue, "item", index=str(n), value=option.text, evaluation=_fmt(evaluation))
    for index, point in enumerate(negotiation.points, start=1):
        ET.SubElement(objective, "weight", index=str(index), value=_fmt(raw[point.id] / total))
    genius = party.metadata.get("genius")
    discount = genius.get("discount_factor", 1.0) if isinstance(genius, dict) else 1.0
    ET.SubElement(root, "discount_factor", value=_fmt(float(discount)))
    ET.SubElement(root, "reservation", value=_fmt(min(prefs.reservation_value / total, 1.0)))
    return root
