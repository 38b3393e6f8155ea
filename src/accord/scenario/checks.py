"""Rules the JSON Schema cannot express: references, uniqueness, scales, dates.

The checks read the raw document defensively (a malformed part is skipped
here, the schema has already reported it), so that one pass reports every
problem in the file, not only the first.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, TypeGuard

from accord.errors import Problem
from accord.scenario.paths import FieldPath
from accord.scenario.yaml_source import Source


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_number(value: Any) -> TypeGuard[float]:
    """A finite number (NaN and the infinities are said by the schema's check, once)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # a whole number of hundreds of digits: no float holds it
        return False


HUGE = 10**300
"""Beyond this a whole number is no measure of anything (a float holds up to about 1.8e308)."""


def _finite_sum(numbers: list[float]) -> bool:
    try:
        return math.isfinite(sum(float(n) for n in numbers))
    except OverflowError:
        return False


class _Checker:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.doc = _dict(source.document)
        self.problems: list[Problem] = []
        self.options: dict[str, list[str]] = {}  # point id -> option keys
        self.parties: set[str] = set(_dict(self.doc.get("parties")))
        self.versions: set[int] = set()
        self.papers: set[str] = set()
        self.people: dict[str, Any] = {}  # person id -> party (None: of no party)
        self.sources: set[str] = set()
        self.statements: set[str] = set()
        self.meetings: set[str] = set()

    def add(self, path: FieldPath, message: str) -> None:
        self.problems.append(self.source.problem(path, message))

    def check_huge(self, value: Any, path: FieldPath) -> None:
        """A whole number too large for a float (hundreds of digits) anywhere: said at its field, before
        any arithmetic trips on it."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.check_huge(item, (*path, str(key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_huge(item, (*path, index))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > HUGE:
            self.add(path, "a number too large to work with; write a smaller one")

    # -- references -------------------------------------------------------
    def point_ref(self, path: FieldPath, point: Any) -> bool:
        if not isinstance(point, str):
            return False
        if point not in self.options:
            self.add(path, f"unknown point {point!r}; expected one of: {', '.join(self.options)}")
            return False
        return True

    def option_ref(self, path: FieldPath, point: Any, option: Any) -> bool:
        if not isinstance(option, str):
            return False
        if option not in self.options[point]:
            known = ", ".join(self.options[point])
            self.add(path, f"point {point!r} has no option {option!r}; expected one of: {known}")
            return False
        return True

    def party_ref(self, path: FieldPath, party: Any) -> None:
        if isinstance(party, str) and party not in self.parties:
            known = ", ".join(sorted(self.parties))
            self.add(path, f"unknown party {party!r}; expected one of: {known}")

    def version_ref(self, path: FieldPath, version: Any) -> None:
        if _is_number(version) and version not in self.versions:
            known = ", ".join(str(v) for v in sorted(self.versions)) or "none defined"
            self.add(path, f"unknown draft version {version}; expected one of: {known}")

    def ref(self, path: FieldPath, value: Any, known: Any, what: str) -> bool:
        """A reference by id to a person, source, meeting, paper or statement of the file."""
        if not isinstance(value, str):
            return False
        if value not in known:
            listing = ", ".join(sorted(known)) or "none defined"
            self.add(path, f"unknown {what} {value!r}; expected one of: {listing}")
            return False
        return True

    def source_refs(self, path: FieldPath, entry: dict[str, Any]) -> None:
        for n, source in enumerate(_list(entry.get("sources"))):
            self.ref((*path, "sources", n), source, self.sources, "source")

    def datetime(self, path: FieldPath, value: Any) -> dt.datetime | None:
        if not isinstance(value, str):
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            self.add(path, f"expected a date and time written YYYY-MM-DDTHH:MM, got {value!r}")
            return None

    def date(self, path: FieldPath, value: Any) -> None:
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                self.add(path, f"expected a date written YYYY-MM-DD, got {value!r}")

    def unique(self, path: FieldPath, items: list[Any], field: str, what: str) -> set[Any]:
        seen: dict[Any, int] = {}
        for index, item in enumerate(items):
            key = _dict(item).get(field)
            if key is None or isinstance(key, dict | list):
                continue
            if key in seen:
                self.add(
                    (*path, index, field),
                    f"duplicate {what} {key!r} (also at {path[-1]}[{seen[key]}]); expected each once",
                )
            else:
                seen[key] = index
        return set(seen)

    # -- sections ---------------------------------------------------------
    def check(self) -> list[Problem]:
        self.check_huge(self.doc, ())
        self.check_points()
        self.versions = {
            v
            for v in self.unique(("drafts",), _list(self.doc.get("drafts")), "version", "draft version")
            if isinstance(v, int) and not isinstance(v, bool)
        }
        paper_ids = self.unique(("papers",), _list(self.doc.get("papers")), "id", "paper id")
        self.papers = {p for p in paper_ids if isinstance(p, str)}
        self.sources = {
            s
            for s in self.unique(("sources",), _list(self.doc.get("sources")), "id", "source id")
            if isinstance(s, str)
        }
        self.meetings = {
            m
            for m in self.unique(("meetings",), _list(self.doc.get("meetings")), "id", "meeting id")
            if isinstance(m, str)
        }
        self.statements = {
            s
            for s in self.unique(("statements",), _list(self.doc.get("statements")), "id", "statement id")
            if isinstance(s, str)
        }
        self.check_people()
        for party_id, party in _dict(self.doc.get("parties")).items():
            self.check_party(("parties", party_id), _dict(party))
        self.check_bargaining_power()
        self.check_drafts()
        self.check_stances()
        self.check_meetings()
        self.check_papers()
        self.check_sources()
        self.check_statements()
        self.check_events()
        return self.problems

    def check_points(self) -> None:
        points = _list(self.doc.get("points"))
        self.unique(("points",), points, "id", "point id")
        self.unique(("points",), points, "number", "point number")
        for index, point in enumerate(points):
            point = _dict(point)
            options = _list(point.get("options"))
            self.unique(("points", index, "options"), options, "key", "option key")
            if isinstance(point.get("id"), str):
                keys = [o.get("key") for o in options if isinstance(o, dict)]
                self.options.setdefault(point["id"], [k for k in keys if isinstance(k, str)])

    def check_party(self, path: FieldPath, party: dict[str, Any]) -> None:
        weights = party.get("weights")
        has_preferences = any(
            key in party for key in ("weights", "scores", "red_lines", "links", "reservation_value")
        )
        if party.get("role", "party") == "party" and weights is None:
            self.add(
                (*path, "weights"),
                "missing; expected a weight for every point (a party's preferences start with its weights)",
            )
        elif has_preferences and weights is None:
            self.add((*path, "weights"), "missing; preferences need a weight for every point")
        if isinstance(weights, dict) and not weights and self.options:
            self.add((*path, "weights"), "empty; expected a weight for every point")
        weights = _dict(weights)
        for point in weights:
            self.point_ref((*path, "weights", point), point)
        if weights:
            for point in self.options:
                if point not in weights:
                    self.add(
                        (*path, "weights"),
                        f"missing weight for point {point!r}; "
                        "expected a number >= 0 (0 if it does not matter)",
                    )
            numbers = [w for w in weights.values() if _is_number(w)]
            if numbers and len(numbers) == len(weights) and all(w == 0 for w in numbers):
                self.add((*path, "weights"), "all weights are 0; expected at least one positive weight")
            elif numbers and not _finite_sum(numbers):
                self.add(
                    (*path, "weights"),
                    "the weights add up to more than a number can hold; write smaller ones (they are "
                    "relative: 60 and 40 say what 0.6 and 0.4 say)",
                )
        declared = party.get("score_scale", self.doc.get("score_scale", 1))
        scale = declared if _is_number(declared) and declared > 0 else None
        scores = _dict(party.get("scores"))
        for point, by_option in scores.items():
            if not self.point_ref((*path, "scores", point), point):
                continue
            for option, score in _dict(by_option).items():
                where = (*path, "scores", point, option)
                known = self.option_ref(where, point, option)
                if known and scale is not None and _is_number(score) and not 0 <= score <= scale:
                    self.add(where, f"score {score} is outside the declared scale; expected 0 to {scale}")
        for point, keys in self.options.items():
            weight = weights.get(point)
            if _is_number(weight) and weight > 0:
                missing = [k for k in keys if k not in _dict(scores.get(point))]
                if missing:
                    self.add(
                        (*path, "scores", point),
                        f"missing score for option(s) {', '.join(missing)} of a weighted point; "
                        "expected a score for every option",
                    )
        red_lines = _list(party.get("red_lines"))
        seen: set[tuple[Any, Any]] = set()
        for index, entry in enumerate(red_lines):
            red_line = _dict(entry)
            where = (*path, "red_lines", index)
            on_point, on_option = red_line.get("point"), red_line.get("option")
            if self.point_ref((*where, "point"), on_point):
                self.option_ref((*where, "option"), on_point, on_option)
            if isinstance(on_point, str) and isinstance(on_option, str):
                if (on_point, on_option) in seen:
                    self.add(where, f"duplicate red line {on_point}/{on_option}; expected each once")
                seen.add((on_point, on_option))
        for index, link in enumerate(_list(party.get("links"))):
            self.check_link((*path, "links", index), _dict(link))
        if "uncertainty" in party:
            self.check_uncertainty((*path, "uncertainty"), party, weights, scores, scale)

    def check_uncertainty(
        self,
        path: FieldPath,
        party: dict[str, Any],
        weights: dict[str, Any],
        scores: dict[str, Any],
        scale: float | None,
    ) -> None:
        """Distributions must be proper, lie on their quantity's scale and contain its estimate."""
        uncertainty = _dict(party.get("uncertainty"))
        by_point = _dict(uncertainty.get("weights"))
        if "dirichlet" not in by_point:
            for point, spread in by_point.items():
                if self.point_ref((*path, "weights", point), point):
                    self.distribution((*path, "weights", point), spread, 0.0, None, weights.get(point))
        for point, by_option in _dict(uncertainty.get("scores")).items():
            if not self.point_ref((*path, "scores", point), point):
                continue
            for option, spread in _dict(by_option).items():
                where = (*path, "scores", point, option)
                if self.option_ref(where, point, option):
                    estimate = _dict(scores.get(point)).get(option)
                    self.distribution(where, spread, 0.0, scale, estimate)
        if "reservation_value" in uncertainty:
            self.distribution(
                (*path, "reservation_value"),
                uncertainty["reservation_value"],
                0.0,
                1.0,
                party.get("reservation_value", 0.0),
            )

    def distribution(
        self, path: FieldPath, spread: Any, lowest: float, highest: float | None, estimate: Any
    ) -> None:
        spread = _dict(spread)
        if "normal" in spread:
            normal = _dict(spread["normal"])
            bounds = _list(normal.get("range"))
            mean = normal.get("mean")
            numeric = len(bounds) == 2 and all(_is_number(b) for b in bounds) and _is_number(mean)
            if numeric and not bounds[0] <= mean <= bounds[1]:
                self.add((*path, "normal", "mean"), f"mean {mean} is outside its range {bounds}")
            kind, values = "normal", bounds
        elif "triangular" in spread:
            kind, values = "triangular", _list(spread["triangular"])
        else:
            kind = "uniform" if "uniform" in spread else "range"
            values = _list(spread.get(kind))
        if not values or not all(_is_number(v) for v in values):
            return  # the schema reports the shape
        if values != sorted(values) or values[0] == values[-1]:
            expected = "low <= mode <= high, low < high" if kind == "triangular" else "low < high"
            self.add((*path, kind), f"{values} is not an interval; expected {expected}")
            return
        top = f"{highest:g}" if highest is not None else "any"
        if values[0] < lowest or (highest is not None and values[-1] > highest):
            self.add((*path, kind), f"{values} leaves the scale; expected values from {lowest:g} to {top}")
        if _is_number(estimate) and not values[0] <= estimate <= values[-1]:
            self.add(
                (*path, kind), f"the estimate {estimate} lies outside {values}; expected a range around it"
            )

    def check_link(self, path: FieldPath, link: dict[str, Any]) -> None:
        point, option = link.get("point"), link.get("option")
        requires = _dict(link.get("requires"))
        target = requires.get("point")
        if self.point_ref((*path, "point"), point):
            self.option_ref((*path, "option"), point, option)
        if isinstance(target, str) and target == point:
            self.add(
                (*path, "requires", "point"),
                f"the link refers to its own point {point!r}; expected another point",
            )
            return
        if self.point_ref((*path, "requires", "point"), target):
            for index, required in enumerate(_list(requires.get("options"))):
                self.option_ref((*path, "requires", "options", index), target, required)

    def check_bargaining_power(self) -> None:
        """Powers belong to negotiating parties (the schema asks for positive numbers, and the schema's
        check for finite ones)."""
        parties = _dict(self.doc.get("parties"))
        for party in _dict(self.doc.get("bargaining_power")):
            where: FieldPath = ("bargaining_power", party)
            if party not in parties:
                known = ", ".join(sorted(self.parties))
                self.add(where, f"unknown party {party!r}; expected one of: {known}")
                continue
            role = _dict(parties[party]).get("role", "party")
            if role in ("mediator", "observer"):
                who = "the mediator" if role == "mediator" else "an observer"
                self.add(where, f"{party!r} is {who}; bargaining power is for the negotiating parties")
            # a power that is not finite is said by the schema's check (accord.scenario.schema)

    def check_drafts(self) -> None:
        for index, draft in enumerate(_list(self.doc.get("drafts"))):
            draft = _dict(draft)
            path: FieldPath = ("drafts", index)
            parent, version = draft.get("parent"), draft.get("version")
            if _is_number(parent):
                self.version_ref((*path, "parent"), parent)
                if _is_number(version) and parent >= version:
                    self.add(
                        (*path, "parent"),
                        f"parent {parent} is not older than version {version}; expected an earlier version",
                    )
            self.party_ref((*path, "author"), draft.get("author"))
            self.date((*path, "date"), draft.get("date"))
            self.source_refs(path, draft)
            for n, party in enumerate(_list(draft.get("circulated_to"))):
                self.party_ref((*path, "circulated_to", n), party)
            for point, choice in _dict(draft.get("choices")).items():
                where = (*path, "choices", point)
                if self.point_ref(where, point) and isinstance(choice, str):
                    self.option_ref(where, point, choice)

    def check_stances(self) -> None:
        seen: dict[tuple[Any, ...], int] = {}
        for index, stance in enumerate(_list(self.doc.get("stances"))):
            stance = _dict(stance)
            path: FieldPath = ("stances", index)
            self.version_ref((*path, "draft"), stance.get("draft"))
            self.party_ref((*path, "party"), stance.get("party"))
            self.point_ref((*path, "point"), stance.get("point"))
            self.date((*path, "as_of"), stance.get("as_of"))
            self.ref((*path, "evidence"), stance.get("evidence"), self.statements, "statement")
            self.source_refs(path, stance)
            key = (stance.get("draft"), stance.get("party"), stance.get("point"))
            if all(isinstance(k, str | int) for k in key):
                if key in seen:
                    self.add(
                        path,
                        f"duplicate stance of {key[1]!r} on point {key[2]!r} of draft {key[0]} "
                        f"(also stances[{seen[key]}]); expected one",
                    )
                else:
                    seen[key] = index

    def check_people(self) -> None:
        people = _list(self.doc.get("people"))
        self.unique(("people",), people, "id", "person id")
        for index, person in enumerate(people):
            person = _dict(person)
            if isinstance(person.get("id"), str):
                self.people.setdefault(person["id"], person.get("party"))
            self.party_ref(("people", index, "party"), person.get("party"))
        # an older file's delegation names become people too (yaml_format._people): their ids are
        # made from the names, so they can be referred to once the file is imported, not within it
        leads: dict[Any, int] = {}
        for index, person in enumerate(people):
            person = _dict(person)
            party = person.get("party")
            if person.get("lead") is True and isinstance(party, str):
                if party in leads:
                    self.add(
                        ("people", index, "lead"),
                        f"{party!r} has a lead already (people[{leads[party]}]); expected one lead per party",
                    )
                else:
                    leads[party] = index

    def check_sources(self) -> None:
        from accord.domain.sources import url_problem

        for index, source in enumerate(_list(self.doc.get("sources"))):
            source = _dict(source)
            path: FieldPath = ("sources", index)
            self.date((*path, "date"), source.get("date"))
            url = source.get("url")
            if isinstance(url, str):
                problem = url_problem(url)
                if problem:
                    self.add((*path, "url"), problem)

    def check_statements(self) -> None:
        for index, statement in enumerate(_list(self.doc.get("statements"))):
            statement = _dict(statement)
            path: FieldPath = ("statements", index)
            self.ref((*path, "by"), statement.get("by"), self.people, "person")
            self.date((*path, "date"), statement.get("date"))
            for n, point in enumerate(_list(statement.get("points"))):
                self.point_ref((*path, "points", n), point)
            if "draft" in statement:
                self.version_ref((*path, "draft"), statement.get("draft"))
            self.source_refs(path, statement)

    def check_events(self) -> None:
        events = _list(self.doc.get("events"))
        self.unique(("events",), events, "id", "event id")
        for index, event in enumerate(events):
            event = _dict(event)
            path: FieldPath = ("events", index)
            self.date((*path, "date"), event.get("date"))
            if "draft" in event:
                self.version_ref((*path, "draft"), event.get("draft"))
            self.ref((*path, "paper"), event.get("paper"), self.papers, "paper")
            self.source_refs(path, event)

    def check_meetings(self) -> None:
        meetings = _list(self.doc.get("meetings"))
        for index, meeting in enumerate(meetings):
            meeting = _dict(meeting)
            path: FieldPath = ("meetings", index)
            self.date((*path, "date"), meeting.get("date"))
            start = self.datetime((*path, "start"), meeting.get("start"))
            if start is not None and isinstance(meeting.get("date"), str):
                try:
                    day = dt.date.fromisoformat(meeting["date"])
                except ValueError:
                    day = start.date()
                if day != start.date():
                    self.add(
                        (*path, "start"),
                        f"starts on {start.date()}, not on its date {day}; expected the same day",
                    )
            duration = meeting.get("duration")
            if isinstance(duration, str):
                from accord.domain.record import parse_duration

                try:
                    parse_duration(duration)
                except ValueError as exc:
                    self.add((*path, "duration"), str(exc))
            if meeting.get("status", "held") == "held" and not any(
                meeting.get(k) for k in ("date", "start", "date_approx")
            ):
                self.add((*path, "date"), "missing; a held meeting needs its date (or date_approx)")
            for n, person in enumerate(_list(meeting.get("people"))):
                who = _dict(person).get("person") if isinstance(person, dict) else person
                where = (*path, "people", n) if isinstance(person, str) else (*path, "people", n, "person")
                self.ref(where, who, self.people, "person")
            for party, person in _dict(meeting.get("leads")).items():
                self.party_ref((*path, "leads", party), party)
                if self.ref((*path, "leads", party), person, self.people, "person"):
                    belongs = self.people.get(person)
                    if belongs is not None and belongs != party:
                        self.add(
                            (*path, "leads", party), f"{person!r} belongs to {belongs!r}, not to {party!r}"
                        )
            self.source_refs(path, meeting)
            for n, change in enumerate(_list(meeting.get("history"))):
                for m, source in enumerate(_list(_dict(change).get("sources"))):
                    self.ref((*path, "history", n, "sources", m), source, self.sources, "source")
            for n, party in enumerate(_list(meeting.get("participants"))):
                self.party_ref((*path, "participants", n), party)
            for n, paper in enumerate(_list(meeting.get("papers"))):
                if isinstance(paper, str) and paper not in self.papers:
                    self.add(
                        (*path, "papers", n),
                        f"unknown paper {paper!r}; "
                        f"expected one of: {', '.join(sorted(self.papers)) or 'none defined'}",
                    )
            for n, version in enumerate(_list(meeting.get("drafts"))):
                self.version_ref((*path, "drafts", n), version)
            if meeting.get("status") in ("postponed", "cancelled") and not meeting.get("reason"):
                self.add((*path, "reason"), f"missing; a {meeting['status']} meeting needs its reason")

    def check_papers(self) -> None:
        for index, paper in enumerate(_list(self.doc.get("papers"))):
            paper = _dict(paper)
            path: FieldPath = ("papers", index)
            self.date((*path, "date"), paper.get("date"))
            for n, party in enumerate(_list(paper.get("recipients"))):
                self.party_ref((*path, "recipients", n), party)
            if "draft" in paper:
                self.version_ref((*path, "draft"), paper.get("draft"))
            for n, person in enumerate(_list(paper.get("recipient_people"))):
                self.ref((*path, "recipient_people", n), person, self.people, "person")
            self.ref((*path, "meeting"), paper.get("meeting"), self.meetings, "meeting")
            for n, version in enumerate(_list(paper.get("related_drafts"))):
                self.version_ref((*path, "related_drafts", n), version)
            self.source_refs(path, paper)
            self.check_file((*path, "file"), _dict(paper.get("file")))

    def check_file(self, path: FieldPath, file: dict[str, Any]) -> None:
        """A file's bytes, when carried, must be what its SHA-256 and size say."""
        import base64
        import binascii
        import hashlib

        data = file.get("data")
        if not isinstance(data, str):
            return
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            self.add((*path, "data"), "is not base64; expected the file's bytes in base64")
            return
        if file.get("sha256") != hashlib.sha256(raw).hexdigest():
            self.add((*path, "sha256"), "does not match the file's bytes; expected the SHA-256 of data")
        if file.get("size") != len(raw):
            self.add((*path, "size"), f"does not match the file's bytes; expected {len(raw)}")


def rule_problems(source: Source) -> list[Problem]:
    """Every broken reference, duplicate, out-of-scale score or bad date in the document."""
    return _Checker(source).check()
