"""The negotiation model: plain dataclasses and rules, standard library only."""

from accord.domain.drafts import Choice, Draft, DraftStatus, Stance, StanceKind
from accord.domain.negotiation import Negotiation, Option, Package, Party, Point, Role
from accord.domain.preferences import Distribution, Link, Preferences, RedLine, Uncertainty
from accord.domain.record import Meeting, MeetingStatus, Paper

__all__ = [
    "Choice",
    "Distribution",
    "Draft",
    "DraftStatus",
    "Link",
    "Meeting",
    "MeetingStatus",
    "Negotiation",
    "Option",
    "Package",
    "Paper",
    "Party",
    "Point",
    "Preferences",
    "RedLine",
    "Role",
    "Stance",
    "StanceKind",
    "Uncertainty",
]
