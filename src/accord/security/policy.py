"""The one place that decides who may see or change what ("negotiating in silence").

Web routes, the JSON API and the services ask :func:`allows` / :func:`require`, and read
negotiations through :func:`visible`; none of them re-implements a rule. The rules:

- the **mediator** of a negotiation sees and does everything in it;
- a **member** of party X sees the framework (points and options) and the parties' names; sees a
  draft only once it was circulated to X, and a point that an amendment added only once a draft
  holding it was circulated to X; sees and edits only X's own preferences and stances
  (answering only drafts circulated to X); sees the meetings X took part in and the papers handed
  to X or to X's people, with their content (text or file); takes fingerprinted copies, registered
  to X, of the drafts X received; sees the mediator's analyses only when the mediator shared a
  result with X;
- an **observer** sees the framework and the drafts circulated to its own seat (if it has one), with
  the points added in them, and nothing else: even on a party's seat no meeting, paper or stance of
  that party, and never a fingerprinted copy (copies are registered to a party and go to its members);
- nobody without a seat at a negotiation sees anything of it, and anonymous visitors nothing at all;
- a draft the viewer may not see answers like one that does not exist (the services raise the same
  NotFoundError, naming only the versions the viewer sees);
- a party answers (records a stance on) only a draft circulated to it, whoever records the answer:
  the party's member, the mediator, or the command line (:func:`require_circulated`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from accord.domain import Draft, Meeting, Negotiation, Paper, Preferences, Stance
from accord.domain.record import MeetingChange
from accord.errors import AccessDenied, DomainError, NotAuthenticated


class SeatRole(StrEnum):
    MEDIATOR = "mediator"
    MEMBER = "member"
    OBSERVER = "observer"


@dataclass(frozen=True)
class Seat:
    """A user's place at one negotiation: the mediator, a member of a party, or an observer."""

    role: SeatRole
    party: str | None = None


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a logged-in user with seats by negotiation, or nobody (``username`` None)."""

    username: str | None
    name: str = ""
    seats: Mapping[str, Seat] = field(default_factory=dict)

    @property
    def authenticated(self) -> bool:
        return self.username is not None

    def seat(self, negotiation: str) -> Seat | None:
        return self.seats.get(negotiation)


ANONYMOUS = Viewer(None)


def command_line(username: str, negotiation: str) -> Viewer:
    """Whoever runs the `accord` command on the database itself: the local operator. The command line
    has no seats (no logins); holding the database, it holds the whole record, as the mediator's seat
    does, and its reads and writes go through the same rules as the mediator's."""
    return Viewer(username, username, {negotiation: Seat(SeatRole.MEDIATOR)})


class Action(StrEnum):
    SEE_NEGOTIATION = "see the negotiation"
    SEE_DRAFT = "see the draft"
    AMEND_DRAFT = "amend the text"
    RECORD_DRAFT = "record a text received from a party"
    CIRCULATE_DRAFT = "circulate or change the status of a draft"
    SEE_PREFERENCES = "see the preferences"
    EDIT_PREFERENCES = "edit the preferences"
    SEE_STANCES = "see the stances"
    SET_STANCE = "record a stance"
    CORRECT_STANCE = "correct or withdraw a stance"
    # the mediator records what a party said of a point (in a meeting, to the press), citing where it
    # comes from: on the party's behalf, never a party's own seat on another's
    RECORD_STANCE_FOR_PARTY = "record a party's stance on its behalf"
    SEE_MEETING = "see the meeting"
    ADD_MEETING = "record a meeting"
    UPDATE_MEETING = "change a recorded meeting"
    # people are read through visible() (every seat: names and roles, never the private note);
    # recording or changing one, and recording a source, are the mediator's
    RECORD_PERSON = "record or change a person"
    RECORD_SOURCE = "record a source"
    # a paper and its content (text or file): the mediator and the parties it was handed to (a
    # person it was handed to brings in that person's party)
    SEE_PAPER = "see the paper"
    ADD_PAPER = "record a paper"
    # statements are read through visible() (public: every seat; private: the speaker's party too);
    # recording one, adopting one as a party's stance, and events (a leak's traces) are the mediator's
    RECORD_STATEMENT = "record a statement"
    ADOPT_STATEMENT = "adopt a statement as a party's stance"
    SEE_EVENTS = "see the events"
    RECORD_EVENT = "record an event"
    # reading a report against the whole record (every party's people, every point) and writing the
    # entries a person accepted from it (`accord ingest`, `accord ingest apply`): the mediator's work
    INGEST = "ingest a report into the record"
    ANALYSE = "run the mediator's analyses"
    # a party's preferences estimated from the evidence (accord.services.estimate), and the
    # contradictions they show, are the mediator's reading of that party: no party's seat sees one
    # (its own included); adopting one as the party's declared estimate is the mediator's write
    ESTIMATE = "estimate a party's preferences from the evidence"
    ADOPT_ESTIMATE = "adopt an estimate as a party's preferences"
    SHARE = "share an analysis with a party"
    SEE_SHARED = "see the analyses shared"
    # a briefing (accord.services.briefing): the mediator's, or a party's as that party reads it (its
    # stances, red lines and reservation value): the mediator's seat and that party's members, never
    # an observer, even one seated with a party
    SEE_BRIEFING = "read a party's briefing"
    SEE_AUDIT = "see the audit log"
    TAKE_COPY = "take a fingerprinted copy"
    # tracing a leaked text reads the register of every copy handed out (who received which), and the
    # variant rules decide how copies differ: the mediator's, as `accord trace` and `accord leaks` are
    # the operator's
    TRACE_LEAK = "trace a leaked copy"
    SET_LEAK_RULES = "veto or allow a variant rule of the copies"
    # the whole record as a file (every party's preferences, every paper's content): the mediator's
    EXPORT = "export the negotiation"
    # a new negotiation from a scenario or GENIUS files: whoever mediates a negotiation already
    # (:func:`require_import`); the importer is seated as the new one's mediator
    IMPORT = "import a negotiation"
    # every write raises the negotiation's revision: anyone but the mediator reads its seat's own
    # (accord.services.seat_revision), or it would watch the other parties at work
    SEE_REVISION = "see the negotiation's revision"


def allows(
    viewer: Viewer,
    action: Action,
    negotiation: str,
    *,
    party: str | None = None,
    draft: Draft | None = None,
    meeting: Meeting | None = None,
    paper: Paper | None = None,
) -> bool:
    """True when ``viewer`` may do ``action`` in ``negotiation`` (on ``party``'s data, ``draft``...)."""
    seat = viewer.seat(negotiation)
    if seat is None:
        return False
    if seat.role is SeatRole.MEDIATOR:
        return True
    own = seat.party is not None and party == seat.party
    received = draft is not None and seat.party is not None and seat.party in draft.circulated_to
    if action is Action.SEE_NEGOTIATION:
        return True
    if action is Action.SEE_DRAFT:
        return received
    if seat.role is SeatRole.OBSERVER:
        # a window on the drafts circulated to its seat, not on a party's record: no meeting, paper or
        # stance, and never a fingerprinted copy (a copy is registered to a party, as that party's)
        return False
    # a member of a party
    if action is Action.SEE_MEETING:
        return meeting is not None and seat.party is not None and seat.party in meeting.participants
    if action is Action.SEE_PAPER:
        return paper is not None and seat.party is not None and seat.party in paper.recipients
    if action in (
        Action.SEE_PREFERENCES,
        Action.EDIT_PREFERENCES,
        Action.SEE_STANCES,
        Action.SEE_SHARED,
        Action.SEE_BRIEFING,
    ):
        return own
    if action in (Action.SET_STANCE, Action.CORRECT_STANCE, Action.TAKE_COPY):
        return own and received
    return False


def require(
    viewer: Viewer,
    action: Action,
    negotiation: str,
    *,
    party: str | None = None,
    draft: Draft | None = None,
    meeting: Meeting | None = None,
    paper: Paper | None = None,
) -> None:
    """Raise NotAuthenticated for nobody, AccessDenied for a viewer the policy refuses."""
    if not viewer.authenticated:
        raise NotAuthenticated("log in first")
    if not allows(viewer, action, negotiation, party=party, draft=draft, meeting=meeting, paper=paper):
        target = f" of {party}" if party else ""
        target += f" (draft v{draft.version})" if draft else ""
        raise AccessDenied(f"{viewer.username} may not {action.value}{target} in {negotiation!r}")


def jobs_owner(viewer: Viewer, negotiation: str) -> str:
    """Whose jobs (long work off the request, accord.web.jobs) the viewer reads, polls and cancels at
    the negotiation: its own, and nobody else's (not even another mediator's of the same negotiation);
    a viewer without a seat there reads none (AccessDenied). Starting a job is the work's own action
    (ANALYSE for a robustness run or a solve, ESTIMATE for an estimate)."""
    require(viewer, Action.SEE_NEGOTIATION, negotiation)
    assert viewer.username is not None
    return viewer.username


# the action each kind of job (accord.web.jobs) does: asked again at every read of a job, its result
# included, so that a seat changed since (a mediator made an observer) reads none of what it ran before
JOB_ACTIONS = {"robustness": Action.ANALYSE, "explore": Action.ANALYSE, "estimate": Action.ESTIMATE}


def may_read_job(viewer: Viewer, negotiation: str, kind: str) -> bool:
    """Whether the viewer may still read a job of its own of ``kind`` (an unknown kind: the mediator's)."""
    return allows(viewer, JOB_ACTIONS.get(kind, Action.ANALYSE), negotiation)


def may_import(viewer: Viewer) -> bool:
    """Importing a scenario starts a new negotiation, which has no seats yet: the command line's
    operator may (it holds the database); on the workbench, a user who mediates some negotiation
    already (Action.IMPORT where it holds a seat), and nobody else."""
    return viewer.authenticated and any(allows(viewer, Action.IMPORT, name) for name in viewer.seats)


def require_import(viewer: Viewer) -> None:
    """Raise NotAuthenticated for nobody, AccessDenied for a viewer :func:`may_import` refuses."""
    if not viewer.authenticated:
        raise NotAuthenticated("log in first")
    if not may_import(viewer):
        raise AccessDenied(
            f"{viewer.username} may not {Action.IMPORT.value}: "
            "only a negotiation's mediator may start another"
        )


def require_circulated(party: str, draft: Draft, name: str | None = None) -> None:
    """A party answers only a draft that was circulated to it, whoever records the answer (the
    party's member, the mediator, the command line): the stance services call this on every new answer,
    and on a correction to another answer (a withdrawal, or a correction of the note, date or sources of
    an answer the record holds, needs none: an imported record may hold one on such a draft).
    ``name``: the party's name, for the message (its id otherwise)."""
    if party not in draft.circulated_to:
        called = name or party
        raise DomainError(
            f"draft v{draft.version} was not circulated to {called}; a party answers only the drafts handed "
            f"to it (circulate the draft to {called} first)"
        )


def points_seen(viewer: Viewer, slug: str, negotiation: Negotiation) -> frozenset[str] | None:
    """The ids of the points ``viewer`` may see, or None for every point (the mediator)."""
    require(viewer, Action.SEE_NEGOTIATION, slug)
    seat = viewer.seat(slug)
    assert seat is not None
    return None if seat.role is SeatRole.MEDIATOR else points_of(negotiation, seat.party)


def points_of(negotiation: Negotiation, party: str | None) -> frozenset[str]:
    """The ids of the points a seat of ``party`` (None: an observer without a party's seat) may see:
    the framework's own points, and a point added by an amendment once a draft holding it was
    circulated to ``party``."""
    received = [d for d in negotiation.drafts if party is not None and party in d.circulated_to]
    return frozenset(
        p.id for p in negotiation.points if p.added_in is None or any(p.id in d.choices for d in received)
    )


def _preferences_on(prefs: Preferences, points: frozenset[str]) -> Preferences:
    """A party's preferences on ``points`` only."""
    uncertainty = prefs.uncertainty
    if uncertainty is not None:
        uncertainty = replace(
            uncertainty,
            weights={k: v for k, v in uncertainty.weights.items() if k in points},
            scores={k: v for k, v in uncertainty.scores.items() if k in points},
        )
    return replace(
        prefs,
        weights={k: v for k, v in prefs.weights.items() if k in points},
        scores={k: v for k, v in prefs.scores.items() if k in points},
        red_lines=tuple(r for r in prefs.red_lines if r.point in points),
        links=tuple(k for k in prefs.links if k.point in points and k.requires_point in points),
        uncertainty=uncertainty,
    )


_VIEWS: dict[tuple[int, str, Seat], tuple[Negotiation, Negotiation]] = {}
"""(id() of a negotiation without stances, its slug, a seat) -> (that negotiation, what the seat sees
of it): what a seat sees is decided by the seat and the negotiation alone, and a server process shares
one negotiation as loaded without its stances between its requests while only stances change
(accord.storage.loaded), so each seat's view is worked out once per change, not once per request. The
negotiation is kept with its view, so its id() cannot be taken by another object while the entry
lives; one loaded with its stances (the whole history, read for one request) is not kept."""
_VIEWS_KEPT = 64


def visible(viewer: Viewer, slug: str, negotiation: Negotiation) -> Negotiation:
    """The negotiation as far as ``viewer`` may see it: what may not be seen is left out entirely."""
    require(viewer, Action.SEE_NEGOTIATION, slug)
    seat = viewer.seat(slug)
    assert seat is not None
    if seat.role is SeatRole.MEDIATOR:
        return negotiation
    if negotiation.stances:  # loaded with its history: read once, not shared between requests
        return _seen_by(viewer, slug, negotiation, seat)
    key = (id(negotiation), slug, seat)
    known = _VIEWS.get(key)
    if known is not None and known[0] is negotiation:
        return known[1]
    shown = _seen_by(viewer, slug, negotiation, seat)
    if len(_VIEWS) >= _VIEWS_KEPT:
        _VIEWS.clear()
    _VIEWS[key] = (negotiation, shown)
    return shown


def visible_with_stances(
    viewer: Viewer, slug: str, negotiation: Negotiation, stances: Iterable[Stance]
) -> Negotiation:
    """``visible(viewer, slug, replace(negotiation, stances=stances))`` for ``negotiation`` as loaded
    without its stances (one draft's current stances read on their own), the rest of the view being the
    one worked out for ``negotiation`` (:func:`visible`)."""
    if negotiation.stances:
        return visible(viewer, slug, replace(negotiation, stances=tuple(stances)))
    shown = visible(viewer, slug, negotiation)
    if shown is negotiation:  # the mediator's
        return replace(negotiation, stances=tuple(stances))
    seat = viewer.seat(slug)
    assert seat is not None
    mine = seat.party if seat.role is SeatRole.MEMBER else None
    kept = _stances_seen(stances, mine, {d.version for d in shown.drafts})
    cited = {s.id for s in shown.sources} | {key for s in kept for key in s.sources}
    return replace(shown, stances=kept, sources=tuple(s for s in negotiation.sources if s.id in cited))


def _stances_seen(stances: Iterable[Stance], mine: str | None, seen: set[int]) -> tuple[Stance, ...]:
    """A seat sees its own party's stances (``mine``: None for an observer) on the drafts it sees."""
    return tuple(s for s in stances if s.party == mine and s.draft in seen)


def _seen_by(viewer: Viewer, slug: str, negotiation: Negotiation, seat: Seat) -> Negotiation:
    drafts = tuple(d for d in negotiation.drafts if allows(viewer, Action.SEE_DRAFT, slug, draft=d))
    seen = {d.version for d in drafts}
    mine = seat.party if seat.role is SeatRole.MEMBER else None
    points = points_seen(viewer, slug, negotiation)
    assert points is not None
    papers = _papers_seen(viewer, slug, negotiation, seen)
    handed = {p.id for p in papers}
    shown = replace(
        negotiation,
        points=tuple(p for p in negotiation.points if p.id in points),
        # who else received a draft is the mediator's business
        drafts=tuple(
            replace(
                d,
                parent=d.parent if d.parent in seen else None,
                circulated_to=tuple(p for p in d.circulated_to if p == seat.party),
            )
            for d in drafts
        ),
        preferences={
            p: _preferences_on(prefs, points) for p, prefs in negotiation.preferences.items() if p == mine
        },
        stances=_stances_seen(negotiation.stances, mine, seen),
        meetings=tuple(
            replace(
                m,
                drafts=tuple(v for v in m.drafts if v in seen),
                # a paper handed to another party at the same meeting is that party's business
                papers=tuple(p for p in m.papers if p in handed),
            )
            for m in negotiation.meetings
            if allows(viewer, Action.SEE_MEETING, slug, meeting=m)
        ),
        papers=papers,
        # the powers are the mediator's reading of who holds the stronger hand: its own business
        bargaining_power={},
    )
    shown = replace(shown, **_chronology_seen(shown, mine, seen))
    cited = {s.id for s in shown.sources}
    return replace(
        shown,
        meetings=tuple(replace(m, history=_history_seen(m, seen, handed, cited)) for m in shown.meetings),
    )


def _history_seen(
    meeting: Meeting, drafts: set[int], papers: set[str], sources: set[str]
) -> tuple[MeetingChange, ...]:
    """A meeting's changes as far as the seat may know them: a draft it never received, a paper handed
    to another party, a source it does not see, are left out of every change ("drafts: none -> [4, 5]"
    would name texts that, for it, do not exist); a change left with nothing is left out."""
    shown_of: dict[str, set[Any]] = {"drafts": set(drafts), "papers": set(papers), "sources": set(sources)}
    history = []
    for change in meeting.history:
        fields: dict[str, tuple[Any, Any]] = {}
        for name, (before, after) in change.changes.items():
            if name in shown_of:
                before, after = (_only(v, shown_of[name]) for v in (before, after))
                if before == after:
                    continue
            fields[name] = (before, after)
        if fields:
            history.append(
                replace(change, changes=fields, sources=tuple(s for s in change.sources if s in sources))
            )
    return tuple(history)


def _only(value: Any, shown: set[Any]) -> Any:
    """A list of a change (drafts, papers, sources) cut to what the seat sees; empty: none."""
    if not isinstance(value, list | tuple):
        return value
    kept = [v for v in value if v in shown]
    return kept or None


def _papers_seen(viewer: Viewer, slug: str, negotiation: Negotiation, seen: set[int]) -> tuple[Paper, ...]:
    """The papers handed to the seat's party (with a draft it received, if any), as far as it is the
    party's business: who else received a paper, and drafts it never received, are left out."""
    seat = viewer.seat(slug)
    party = seat.party if seat is not None else None
    own_people = {p.id for p in negotiation.people if party is not None and p.party == party}
    attended = {m.id for m in negotiation.meetings if allows(viewer, Action.SEE_MEETING, slug, meeting=m)}
    return tuple(
        replace(
            p,
            recipients=tuple(r for r in p.recipients if r == party),
            recipient_people=tuple(r for r in p.recipient_people if r in own_people),
            related_drafts=tuple(v for v in p.related_drafts if v in seen),
            meeting=p.meeting if p.meeting in attended else None,
        )
        for p in negotiation.papers
        if allows(viewer, Action.SEE_PAPER, slug, paper=p) and (p.draft is None or p.draft in seen)
    )


def _chronology_seen(negotiation: Negotiation, mine: str | None, seen: set[int]) -> dict[str, Any]:
    """The chronology a party's seat sees (issue 13, item 11): every person's name and role, never
    the mediator's private note; public statements, and private ones of its own people; no events
    (a leak's trace is the mediator's); the sources of what it sees.

    One rule for statements, the same for every seat: a public statement is every seat's (it was said
    in public), whichever draft it answers; a private one is its speaker's party's. What the seat may
    not learn is left out of the statement, not the statement itself: the draft it answers, unless the
    seat sees that draft, and the points the seat does not see."""
    speakers = {p.id: p.party for p in negotiation.people}
    known = {p.id for p in negotiation.points}  # the points this seat sees
    statements = tuple(
        # the mediator's note is its own; a point or draft the seat does not see is not named to it
        replace(
            s,
            note=None,
            points=tuple(p for p in s.points if p in known),
            draft=s.draft if s.draft in seen else None,
        )
        for s in negotiation.statements
        if s.public or (mine is not None and speakers.get(s.person) == mine)
    )
    n = negotiation
    citing = [
        *(s.sources for s in statements),
        *(m.sources for m in n.meetings),
        *(p.sources for p in n.papers),
        *(d.sources for d in n.drafts),
        *(s.sources for s in n.stances),
    ]
    cited = {key for sources in citing for key in sources}
    return {
        "people": tuple(replace(p, note=None) for p in negotiation.people),
        "statements": statements,
        "events": (),
        "sources": tuple(s for s in negotiation.sources if s.id in cited),
    }
