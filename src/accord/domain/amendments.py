"""Amending the single negotiating text: version n+1 from version n, each change with its reason."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import StrEnum

from accord.domain.drafts import Choice, Draft, DraftStatus
from accord.domain.negotiation import Negotiation, Option, Point
from accord.errors import DomainError, NotFoundError

ADDED_OPTION = "proposed"
"""The key of the one option a point added by amendment starts with: the text proposed for it."""

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
"""What a point id or an option key may be: the scenario format's rule (``$defs/id`` of
accord/scenario/schema.json, which a test keeps equal), so what an amendment adds is a valid file."""
ID_EXPECTED = "an id of letters, digits, '-' and '_' (starting with a letter or digit)"


class AmendmentKind(StrEnum):
    CHOOSE = "choose"  # the point takes another of its options
    TEXT = "text"  # the point gets free text instead of an option
    ADD = "add"  # a new point enters the text
    DROP = "drop"  # the point leaves the text


@dataclass(frozen=True)
class Amendment:
    """One change to a draft. ``point`` is the point's id (for ADD: the new point's id)."""

    kind: AmendmentKind
    point: str
    reason: str
    option: str | None = None
    text: str | None = None
    title: str | None = None
    number: int | None = None

    def describe(self) -> str:
        if self.kind is AmendmentKind.CHOOSE:
            return f"point {self.point}: option {self.option}"
        if self.kind is AmendmentKind.TEXT:
            return f"point {self.point}: new text"
        if self.kind is AmendmentKind.ADD:
            return f"new point {self.point} ({self.title})"
        return f"point {self.point} dropped"


@dataclass(frozen=True)
class Amended:
    """The result of amending: the new draft, and the negotiation with any added points in it."""

    negotiation: Negotiation
    draft: Draft


def find_point(negotiation: Negotiation, ref: str) -> Point:
    """A point by id or by number ("7")."""
    for point in negotiation.points:
        if point.id == ref or str(point.number) == ref:
            return point
    raise NotFoundError(
        f"negotiation {negotiation.id!r} has no point {ref!r} "
        f"(points are named by id or number, 1 to {max((p.number for p in negotiation.points), default=0)})"
    )


def amend(
    negotiation: Negotiation,
    base: Draft,
    amendments: list[Amendment],
    *,
    author: str | None = None,
    title: str | None = None,
    label: str | None = None,
    date: dt.date | None = None,
    note: str | None = None,
) -> Amended:
    """Version n+1 (n = the newest version) amending ``base``; nothing in ``negotiation`` is changed."""
    if not amendments:
        raise DomainError("a new draft needs at least one amendment")
    latest = negotiation.latest_draft
    version = (latest.version if latest else 0) + 1
    choices = dict(base.choices)
    points = list(negotiation.points)
    preferences = dict(negotiation.preferences)
    touched: set[str] = set()
    for amendment in amendments:
        if not amendment.reason.strip():
            raise DomainError(f"amendment {amendment.describe()!r} has no reason; every amendment needs one")
        if amendment.kind is AmendmentKind.ADD:
            point = _added_point(points, amendment, version)
            points.append(point)
            for party, prefs in preferences.items():
                # a new point weighs nothing for a party until its preferences are updated
                preferences[party] = replace(prefs, weights={**prefs.weights, point.id: 0.0})
            choices[point.id] = Choice(option=ADDED_OPTION)
            touched.add(point.id)
            continue
        point = find_point(replace(negotiation, points=tuple(points)), amendment.point)
        if point.id in touched:
            raise DomainError(
                f"point {point.id!r} is amended twice in one draft; give one amendment per point"
            )
        touched.add(point.id)
        if amendment.kind is AmendmentKind.DROP:
            if point.id not in choices:
                raise DomainError(f"point {point.id!r} is not in draft v{base.version}; it cannot be dropped")
            del choices[point.id]
        elif amendment.kind is AmendmentKind.CHOOSE:
            if amendment.option is not None and not ID.fullmatch(amendment.option):
                raise DomainError(f"{amendment.option!r} is not an option key; expected {ID_EXPECTED}")
            if amendment.option is None or not point.has_option(amendment.option):
                raise NotFoundError(
                    f"point {point.id!r} has no option {amendment.option!r} "
                    f"(options: {', '.join(point.option_keys)})"
                )
            if choices.get(point.id) == Choice(option=amendment.option):
                raise DomainError(
                    f"point {point.number} ({point.title}) says “{point.option(amendment.option).text}” in "
                    f"draft v{base.version} already; an amendment changes what a point says"
                )
            choices[point.id] = Choice(option=amendment.option)
        else:
            if not amendment.text or not amendment.text.strip():
                raise DomainError(f"a text amendment of point {point.id!r} needs the new text")
            if choices.get(point.id) == Choice(text=amendment.text):
                raise DomainError(
                    f"point {point.number} ({point.title}) has that text in draft v{base.version} already; "
                    "an amendment changes what a point says"
                )
            choices[point.id] = Choice(text=amendment.text)
    order = {p.id: i for i, p in enumerate(points)}
    draft = Draft(
        version=version,
        parent=base.version,
        choices=dict(sorted(choices.items(), key=lambda item: order[item[0]])),
        status=DraftStatus.DRAFT,
        author=author,
        title=title,
        label=label,
        date=date,
        note=note,
    )
    amended = replace(
        negotiation,
        points=tuple(points),
        preferences=preferences,
        drafts=(*negotiation.drafts, draft),
    )
    return Amended(amended, draft)


def _added_point(points: list[Point], amendment: Amendment, version: int) -> Point:
    if not ID.fullmatch(amendment.point):
        raise DomainError(f"{amendment.point!r} cannot be a point's id; expected {ID_EXPECTED}")
    if any(p.id == amendment.point for p in points):
        raise DomainError(f"point {amendment.point!r} exists already; an added point needs a new id")
    if not amendment.title or not amendment.title.strip() or not amendment.text or not amendment.text.strip():
        raise DomainError(f"the new point {amendment.point!r} needs a title and a text")
    number = (
        amendment.number if amendment.number is not None else max((p.number for p in points), default=0) + 1
    )
    if number < 1:
        raise DomainError(f"point number {number} is not a positive whole number; choose one from 1")
    if any(p.number == number for p in points):
        raise DomainError(f"point number {number} is taken; choose another for {amendment.point!r}")
    option = Option(key=ADDED_OPTION, text=amendment.text, source=f"v{version}")
    return Point(
        id=amendment.point, number=number, title=amendment.title, options=(option,), added_in=version
    )
