"""The negotiation model: plain dataclasses and rules, standard library only."""

from accord.domain.drafts import Choice, Draft, DraftStatus, Stance, StanceKind
from accord.domain.negotiation import Negotiation, Option, Package, Party, Point, Role
from accord.domain.people import Person
from accord.domain.preferences import Distribution, Link, Preferences, RedLine, Uncertainty
from accord.domain.record import (
    Attendee,
    Meeting,
    MeetingChange,
    MeetingChannel,
    MeetingStatus,
    Paper,
    PaperFile,
)
from accord.domain.sources import Source
from accord.domain.statements import Event, EventKind, Statement, StatementChannel, TraceRecord

__all__ = [
    "Attendee",
    "Choice",
    "Distribution",
    "Draft",
    "DraftStatus",
    "Event",
    "EventKind",
    "Link",
    "Meeting",
    "MeetingChange",
    "MeetingChannel",
    "MeetingStatus",
    "Negotiation",
    "Option",
    "Package",
    "Paper",
    "PaperFile",
    "Party",
    "Person",
    "Point",
    "Preferences",
    "RedLine",
    "Role",
    "Source",
    "Stance",
    "StanceKind",
    "Statement",
    "StatementChannel",
    "TraceRecord",
    "Uncertainty",
]
