"""A draft's changes in words: the point's number and title, the option's text ("point 6 (Size of
Ukraine's armed forces): “Armed forces of 800,000 in peacetime”"), never their keys. One definition for
`accord draft show` and the workbench's draft page (which passes its gettext: babel.cfg collects these
words into the workbench's catalogue)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from accord.domain.negotiation import Negotiation, Point

Words = Callable[[str], str]


def _same(message: str) -> str:
    return message


def _point(negotiation: Negotiation, ref: str) -> Point | None:
    """The point an amendment names (by id, or by number as typed: "7"); None when not in the record."""
    return next((p for p in negotiation.points if ref in (p.id, str(p.number))), None)


def amendment_words(negotiation: Negotiation, amendment: Mapping[str, Any], _: Words = _same) -> str:
    """One change as stored with its draft (``kind``, ``point``, and ``option``, ``title``, ``number``
    as the kind has them) in words, without its reason."""
    kind = amendment.get("kind")
    ref = str(amendment.get("point", ""))
    point = _point(negotiation, ref)
    if kind == "add":
        number = point.number if point else amendment.get("number", ref)
        title = point.title if point else amendment.get("title", "")
        if not title:
            return _("new point %(number)s") % {"number": number}
        return _("new point %(number)s (%(title)s)") % {"number": number, "title": title}
    named = (
        _("point %(number)s (%(title)s)") % {"number": point.number, "title": point.title}
        if point
        else (_("point %(id)s") % {"id": ref} if ref else _("a point"))
    )
    if kind == "choose":
        key = str(amendment.get("option", ""))
        option = next((o for o in point.options if o.key == key), None) if point else None
        if option is None:  # an option the record no longer holds: its key is all there is to say
            return _("%(point)s: option %(key)s") % {"point": named, "key": key}
        return _("%(point)s: “%(option)s”") % {"point": named, "option": option.text}
    if kind == "text":
        return _("%(point)s: new text") % {"point": named}
    if kind == "drop":
        return _("%(point)s dropped") % {"point": named}
    return _("%(point)s: a change of another kind (%(kind)s)") % {"point": named, "kind": kind or "unknown"}
