"""Leak tracing on the workbench: a leaked copy uploaded (or pasted) is traced as `accord trace` traces
a file, and the variant rules reviewed, vetoed and allowed as `accord leaks rules|veto|allow` do, for
a viewer the policy lets (Action.TRACE_LEAK, Action.SET_LEAK_RULES: the mediator's).

The text of an upload is read as `accord trace` reads a file (accord.services.leaks.read_leak: a PDF
or Word file for its text, anything else as it is, markup included, since a copy's headings are
fingerprinted too); what is no leaked text at all (nothing, a program or an image, a damaged PDF, a
file over the report limit) is refused with a DomainError naming the file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from accord.config import REPORT_BYTES_VARIABLE, limits
from accord.domain import EventKind, Negotiation
from accord.errors import AccordError, DomainError
from accord.leaks.rules import Rule
from accord.leaks.trace import Trace
from accord.security.policy import Action, Viewer, require
from accord.services import drafts as draft_service
from accord.services import events
from accord.services import leaks as leak_service
from accord.storage.database import Database

SUSPECTS_SHOWN = 5
_EXPANSION = 20  # a Word file expanding to more than this many times the limit is refused unopened


def leaked_text(data: bytes, name: str) -> str:
    """The text of a leaked file's bytes, or a DomainError naming ``name`` and what was wrong."""
    limit = limits().report_bytes
    if len(data) > limit:
        raise DomainError(
            f"{name} is {len(data):,} bytes, over the limit of {limit:,} bytes "
            f"(${REPORT_BYTES_VARIABLE} sets it)"
        )
    if not data.strip():
        raise DomainError(f"{name} is empty: there is no text to trace")
    if data[:2] == b"PK":
        _refuse_a_bomb(data, name, limit * _EXPANSION)
    try:
        text = leak_service.read_bytes(data)
    except AccordError:
        raise
    except Exception as error:  # what the PDF and Word readers raise on a damaged or foreign file
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        raise DomainError(f"cannot read {name}: not a readable PDF or Word file ({reason})") from None
    if "\x00" in text:  # a program, an image, an archive: no text a draft was copied into
        raise DomainError(f"cannot read {name}: not a text, Markdown, HTML, PDF or Word file")
    if not text.strip():
        raise DomainError(f"{name} holds no text to trace (a scanned PDF holds only pictures of it)")
    return text


def _refuse_a_bomb(data: bytes, name: str, most: int) -> None:
    try:
        expanded = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError):
        raise DomainError(f"cannot read {name}: not a readable Word file (a damaged zip)") from None
    if expanded > most:
        raise DomainError(f"cannot read {name}: it expands to {expanded:,} bytes, over {most:,}")


@dataclass(frozen=True)
class Suspect:
    recipient: str  # in words: "Ukraine", "Ukraine (Rustem Umerov)"
    copy: int
    version: int
    agree: int
    observed: int
    p_value: float
    confidence: float


@dataclass(frozen=True)
class Traced:
    """A trace in words, and its `--json` data (what a leak event keeps when it is attached)."""

    version: int | None
    versions_considered: tuple[int, ...]
    sites: int
    zero_width_bits: int
    named: Suspect | None  # None: no confident match
    suspects: tuple[Suspect, ...]
    data: dict[str, Any]
    attached_to: str | None
    warning: str | None = None  # kept on a leak whose recorded draft is not the one traced


def recipient_words(negotiation: Negotiation, recipient: str) -> str:
    """A copy's recipient (``party`` or ``party/person``) as the talks name them."""
    party, _, person = recipient.partition("/")
    try:
        shown = negotiation.party(party).name
    except DomainError:
        shown = party
    if person:
        found = next((p for p in negotiation.people_of(party) if p.answers_to(person)), None)
        shown += f" ({found.name if found else person})"
    return shown


def leak_events(database: Database, viewer: Viewer, slug: str) -> list[tuple[str, str]]:
    """The leak events a trace may be attached to: (key, "date: summary")."""
    require(viewer, Action.TRACE_LEAK, slug)
    negotiation = draft_service.load(database, slug, stances=False).negotiation
    return [
        (e.id, f"{e.date.isoformat() if e.date else e.date_approx or 'undated'}: {e.summary}")
        for e in negotiation.events
        if e.kind is EventKind.LEAK
    ]


def trace_upload(
    database: Database,
    viewer: Viewer,
    slug: str,
    text: str,
    name: str,
    *,
    version: int | None = None,
    attach_to: str | None = None,
) -> Traced:
    """`accord trace FILE [--version V] [--attach-to EVENT]` on a text read already (``name``: the
    file's, for the messages)."""
    require(viewer, Action.TRACE_LEAK, slug)
    if attach_to is not None:
        require(viewer, Action.RECORD_EVENT, slug)
        events.check_leak(database, slug, attach_to)  # before the work, not after it
    result: Trace = leak_service.trace_text(database, slug, text, version=version)
    if result.sites_observed == 0 and result.zero_width_bits == 0:
        raise DomainError(
            f"found no fingerprinted draft text in {name}: none of the wordings a copy varies "
            "(nor its invisible marks) is in it"
        )
    data = leak_service.trace_data(result, SUSPECTS_SHOWN)
    warning = None
    if attach_to is not None:
        assert viewer.username is not None
        kept = events.attach_trace(database, slug, attach_to, data, actor=viewer.username)
        warning = kept.result.get("warning")
    negotiation = draft_service.load(database, slug, stances=False).negotiation

    def suspect(s: Any) -> Suspect:
        return Suspect(
            recipient_words(negotiation, s.copy.recipient),
            s.copy.id,
            s.copy.version,
            s.agree,
            s.observed,
            s.p_value,
            s.confidence,
        )

    named = result.named
    return Traced(
        result.version,
        result.versions_considered,
        result.sites_observed,
        result.zero_width_bits,
        suspect(named) if named is not None else None,
        tuple(suspect(s) for s in result.suspects[:SUSPECTS_SHOWN]),
        data,
        attach_to,
        warning,
    )


def rules(database: Database, viewer: Viewer, slug: str) -> list[leak_service.RuleReview]:
    """`accord leaks rules`: every variant rule, its sites in the newest draft, vetoed or in use."""
    require(viewer, Action.TRACE_LEAK, slug)
    return leak_service.review_rules(database, slug)


def set_rule(database: Database, viewer: Viewer, slug: str, rule: str, vetoed: bool) -> Rule:
    """`accord leaks veto RULE` (``vetoed``) or `accord leaks allow RULE`."""
    require(viewer, Action.SET_LEAK_RULES, slug)
    try:
        chosen = Rule(rule)
    except ValueError:
        known = ", ".join(r.value for r in Rule)
        raise DomainError(f"rule: expected one of {known}, got {rule[:60]!r}") from None
    assert viewer.username is not None
    leak_service.set_veto(database, slug, chosen, vetoed, actor=viewer.username)
    return chosen
