"""A stance and its history in words: "Russian Federation rejects point 6 (Size of Ukraine's armed
forces) of draft v3.", the party by name, the point by number and title, the sources by outlet,
title and date, never their keys. One
definition for `accord stance` (its confirmations and `accord stance history`) and the workbench's
stance history page (which passes its gettext: babel.cfg collects these words into its catalogue)."""

from __future__ import annotations

from collections.abc import Callable

from accord.domain import Negotiation, Source, Stance, StanceKind
from accord.storage.repository import StanceRecord
from accord.wording import plural_name

Words = Callable[[str], str]


def N_(message: str) -> str:  # marks a word for the catalogue (babel's default keywords), said later
    return message


def _same(message: str) -> str:
    return message


# a stance as a verb of its party ("Russia accepts point 7 ...")
VERBS = {
    StanceKind.ACCEPT: N_("accepts"),
    StanceKind.CONDITIONAL: N_("accepts on a condition"),
    StanceKind.REJECT: N_("rejects"),
    StanceKind.STUDYING: N_("is studying"),
    StanceKind.NO_POSITION: N_("takes no position on"),
}
# the same of a party named in the plural ("European states (E3/EU) reject ...": wording.plural_name)
PLURAL_VERBS = {
    StanceKind.ACCEPT: N_("accept"),
    StanceKind.CONDITIONAL: N_("accept on a condition"),
    StanceKind.REJECT: N_("reject"),
    StanceKind.STUDYING: N_("are studying"),
    StanceKind.NO_POSITION: N_("take no position on"),
}
# an entry's kind (kind_of) as a noun
NOUNS = {"set": N_("a stance"), "correction": N_("a correction"), "withdrawal": N_("a withdrawal")}


def kind_of(record: StanceRecord) -> str:
    """set, correction or withdrawal."""
    if record.withdrawn:
        return "withdrawal"
    return "correction" if record.supersedes is not None or record.reason else "set"


def party_name(negotiation: Negotiation, party: str) -> str:
    return next((p.name for p in negotiation.parties if p.id == party), party)


def point_words(negotiation: Negotiation, point: str, _: Words = _same) -> str:
    found = next((p for p in negotiation.points if p.id == point), None)
    if found:
        return _("point %(number)s (%(title)s)") % {"number": found.number, "title": found.title}
    return _("point %(id)s") % {"id": point}


def source_words(source: Source) -> str:
    """A source as a reader names it: "Reuters, “Kremlin says…”, 2025-12-03" (its outlet, title and
    date); its address, else its key, when it has none of them (Source.label)."""
    return source.label


def sources_words(negotiation: Negotiation, keys: tuple[str, ...] | list[str]) -> str:
    """The sources a stance cites, by their words, "; " between them (a source's words hold commas);
    a key the record does not hold (not the reader's to see) as it is."""
    found = {s.id: s for s in negotiation.sources}
    return "; ".join(source_words(found[k]) if k in found else k for k in keys)


def _said(negotiation: Negotiation, stance: Stance, _: Words) -> dict[str, object]:
    name = party_name(negotiation, stance.party)
    plural = plural_name(name)
    return {
        "party": name,
        "verb": _((PLURAL_VERBS if plural else VERBS)[stance.stance]),
        "point": point_words(negotiation, stance.point, _),
        "version": stance.draft,
        "holds": _("hold") if plural else _("holds"),
    }


def stance_words(negotiation: Negotiation, stance: Stance, _: Words = _same) -> str:
    """The stance as a sentence, with its note: "Russian Federation rejects point 6 (…) of draft v3."."""
    sentence = _("%(party)s %(verb)s %(point)s of draft v%(version)s.") % _said(negotiation, stance, _)
    if stance.note:
        sentence += " " + _("Note: “%(note)s”") % {"note": stance.note}
    return sentence


def withdrawal_words(negotiation: Negotiation, stance: Stance, which: str, _: Words = _same) -> str:
    """The withdrawal of ``stance`` (``which``: "#4", or "its stance") as a sentence."""
    return _(
        "Withdraws %(which)s (%(party)s %(verb)s %(point)s of draft v%(version)s): "
        "%(party)s %(holds)s no stance on the point from now on."
    ) % {**_said(negotiation, stance, _), "which": which}


def in_words(record: StanceRecord, negotiation: Negotiation, kinds: dict[int, str], _: Words = _same) -> str:
    """What a history entry records, as a sentence; ``kinds``: every shown entry's kind, by id."""
    if record.withdrawn:
        which = f"#{record.supersedes}" if record.supersedes is not None else _("its stance")
        return withdrawal_words(negotiation, record.stance, which, _)
    sentence = stance_words(negotiation, record.stance, _)
    if record.supersedes is not None:
        was = NOUNS.get(kinds.get(record.supersedes, ""))
        if was:
            return _("Corrects #%(id)s (%(was)s): %(said)s") % {
                "id": record.supersedes,
                "was": _(was),
                "said": sentence,
            }
        return _("Corrects #%(id)s: %(said)s") % {"id": record.supersedes, "said": sentence}
    return sentence


def what_became(
    record: StanceRecord, superseded_by: int | None, kinds: dict[int, str], _: Words = _same
) -> str:
    """Whether the entry still holds, or what superseded it."""
    if record.withdrawn:
        return _("a withdrawal: no stance holds since")
    if superseded_by is None:
        return _("holds now")
    later = _(NOUNS.get(kinds.get(superseded_by, ""), N_("a later entry")))
    return _("superseded by #%(id)s (%(later)s)") % {"id": superseded_by, "later": later}
