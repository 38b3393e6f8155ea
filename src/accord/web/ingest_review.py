"""The review of an ingested report's proposals in the workbench: each proposal as a card of plain
words and inputs, the reviewer's form read back onto the proposals, and every problem named by its
card and field (never by the proposals file's YAML path).

The page carries the proposals exactly as proposed (the proposals file's YAML, in a hidden field);
the form's inputs are the reviewer's decisions and edits, applied on top by proposal id: fields
only, and whether to accept. A proposal's id, kind, confidence, evidence and the report are never
taken from the inputs. The result is read back through the proposals file's own checks
(accord.scenario.proposals_file), so a value typed wrong is refused with the same words as in the
file, and the reviewer's typing is kept to be shown again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from starlette.datastructures import FormData

from accord.domain import EventKind, MeetingChannel, MeetingStatus, Negotiation, StanceKind
from accord.domain.proposals import APPLY_ORDER, FIELDS, ProposalKind, Proposals
from accord.domain.statements import StatementChannel
from accord.errors import Problem
from accord.scenario.proposals_file import parse_proposals, proposals_json
from accord.web.translations import N_
from accord.wording import verb as agreeing

REVIEW = "the review form"
MAX_PEOPLE_ROWS = 200  # the people of one meeting a form may carry

KIND_WORDS = {  # the catalogue's words (N_), translated where shown
    ProposalKind.PERSON: N_("New person"),
    ProposalKind.MEETING: N_("Meeting"),
    ProposalKind.PAPER: N_("Paper handed over"),
    ProposalKind.STATEMENT: N_("Statement"),
    ProposalKind.STANCE: N_("Stance"),
    ProposalKind.EVENT: N_("Event"),
}
LABELS = {
    "name": N_("Name"),
    "party": N_("Party"),
    "role": N_("Role"),
    "aliases": N_("Other names (separated by ;)"),
    "date": N_("Date"),
    "date_approx": N_("Date in words, when not known exactly"),
    "start": N_("Start (HH:MM)"),
    "place": N_("Place"),
    "duration_minutes": N_("Length in minutes"),
    "participants": N_("Parties taking part"),
    "people": N_("People present"),
    "status": N_("Status"),
    "reason": N_("Reason (postponed or cancelled)"),
    "channel": N_("Channel"),
    "title": N_("Title"),
    "count": N_("Copies (blank: several, number not known)"),
    "recipients": N_("Handed to (parties)"),
    "recipient_people": N_("Handed to (people, separated by ;)"),
    "meeting": N_("At meeting (a recorded meeting's key or a proposal's id)"),
    "draft": N_("Draft version"),
    "speaker": N_("Speaker"),
    "quote": N_("Words said"),
    "points": N_("Points"),
    "point": N_("Point"),
    "stance": N_("Stance"),
    "cue": N_("Cue (the words that show the stance)"),
    "statement": N_("Rests on statement (a proposal's id)"),
    "event": N_("What happened"),
    "summary": N_("Summary"),
    "surfaced": N_("Where it surfaced"),
}
STANCE_VERBS = {
    "accept": "accepts",
    "conditional": "accepts on conditions",
    "reject": "rejects",
    "studying": "is studying",
    "no-position": "takes no position on",
}
STANCE_WORDS = {
    "accept": "accepts",
    "conditional": "on conditions",
    "reject": "rejects",
    "studying": "studying",
    "no-position": "no position",
}
STATUS_WORDS = {"held": "held", "planned": "planned", "postponed": "postponed", "cancelled": "cancelled"}
EVENT_WORDS = {
    "leak": "Leak",
    "announcement": "Announcement",
    "postponement": "Postponement",
    "other": "Event",
}
EVENT_OPTIONS = {
    "leak": "a leak",
    "announcement": "an announcement",
    "postponement": "a postponement",
    "other": "something else",
}
CHANNEL_WORDS = {
    "in-person": "in person",
    "call": "a call",
    "video": "a video call",
    "press": "to the press",
    "interview": "in an interview",
    "social": "on social media",
    "official": "an official statement",
    "private": "in private",
}
DATE_RULES = {
    "--report-date": "as given",
    "dateline": "from its dateline",
    "header date": "from the date at its head",
}

_NUMBERS = ("duration_minutes", "count", "draft")
_DATES = ("date",)
_PARTIES = ("participants", "recipients")
_SEMICOLONS = ("aliases", "recipient_people")
_LONG = ("quote", "summary")
_CHOICES: Mapping[str, Iterable[str]] = {
    "status": [s.value for s in MeetingStatus],
    "stance": [s.value for s in StanceKind],
    "event": [e.value for e in EventKind],
}
_PATH = re.compile(r"proposals\[(\d+)\](?:\.(\w+))?")


def confidence_words(value: float) -> str:
    """ "likely 0.78": a word for how sure the rule is, and the number."""
    word = (
        "very likely"
        if value >= 0.85
        else "likely"
        if value >= 0.65
        else "possible"
        if value >= 0.45
        else "doubtful"
    )
    return f"{word} {value:.2f}"


def day_words(value: Any) -> str:
    """2031-11-06 as "6 November 2031" (anything else as it is)."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B} {day.year}"


@dataclass(frozen=True)
class Record:
    """What the cards name by words: the record's parties, points and people."""

    parties: Mapping[str, str]  # id -> name
    points: Mapping[str, tuple[int, str]]  # id -> (number, title)
    people: tuple[str, ...]  # names, for the speaker's suggestions

    @classmethod
    def of(cls, negotiation: Negotiation) -> Record:
        return cls(
            parties={p.id: p.name for p in negotiation.parties},
            points={p.id: (p.number, p.title) for p in sorted(negotiation.points, key=lambda p: p.number)},
            people=tuple(sorted({p.name for p in negotiation.people})),
        )

    def party(self, key: Any) -> str:
        return self.parties.get(str(key), str(key))

    def point(self, key: Any) -> str:
        """ "point 11, Finance ministry" (a number or an id; one not in the record as given)."""
        text = str(key)
        for ident, (number, title) in self.points.items():
            if text in (ident, str(number)):
                return f"point {number}, {title}"
        return f"point {text}"

    def point_options(self) -> list[tuple[str, str]]:
        return [(ident, f"{number}. {title}") for ident, (number, title) in self.points.items()]


@dataclass
class Input:
    """One input of a card: its form name and id, its label, what kind of input, its value (a text,
    a list, or the people's rows), the options of a select ((value, words) each), its problem."""

    field: str
    name: str
    ident: str
    label: str
    kind: str  # date, text, textarea, number, select, multiple, people, speaker
    value: Any
    options: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    problem: str | None = None


@dataclass
class Card:
    id: str
    kind: str
    kind_words: str
    headline: str
    confidence: str
    rule: str
    notes: list[str]
    evidence: list[str]
    accept: bool
    inputs: list[Input]
    tone: str | None = None  # a stance's kind, for its colour
    problems: list[str] = dataclasses.field(default_factory=list)


@dataclass
class Found:
    """A problem as the reviewer reads it: the card (its id and headline), the field's label."""

    card: str | None
    headline: str
    field: str | None
    message: str

    @property
    def words(self) -> str:
        where = f"{self.headline}: " if self.headline else ""
        label = f"{LABELS.get(self.field, self.field)}: " if self.field else ""
        return f"{where}{label}{self.message}"


# -- the form read back onto the proposals ------------------------------------------------------------


def document(proposals: Proposals) -> dict[str, Any]:
    """The proposals as plain values (the JSON shape): what the cards show and the form edits."""
    return proposals_json(proposals)


def reviewed(original: Proposals, form: FormData) -> dict[str, Any]:
    """The proposals with the reviewer's form applied: for each proposal whose card the form carried
    (``ID.shown``), whether it is accepted (``ID.accept``) and each of its kind's fields as typed."""
    doc = document(original)
    for entry in doc["proposals"]:
        ident = entry["id"]
        if f"{ident}.shown" not in form:
            continue
        entry["accept"] = f"{ident}.accept" in form
        for name in FIELDS[ProposalKind(entry["kind"])]:
            entry.pop(name, None)
            value = _typed(form, ident, name)
            if value is not _BLANK:
                entry[name] = value
    return doc


_BLANK = object()


def _typed(form: FormData, ident: str, name: str) -> Any:
    key = f"{ident}.{name}"
    if name in (*_PARTIES, "points"):
        chosen = [str(v).strip() for v in form.getlist(key) if str(v).strip()]
        return chosen or _BLANK
    if name == "people":
        rows = []
        for index in range(MAX_PEOPLE_ROWS):
            if f"{key}.{index}.person" not in form:
                break
            person = str(form.get(f"{key}.{index}.person") or "").strip()
            note = str(form.get(f"{key}.{index}.note") or "").strip()
            if person:
                rows.append({"person": person, **({"note": note} if note else {})})
        return rows or _BLANK
    text = str(form.get(key) or "").strip()
    if name in _SEMICOLONS:
        parts = [part.strip() for part in text.split(";") if part.strip()]
        return parts or _BLANK
    if not text:
        return None if name == "count" else _BLANK  # a blank count: several, how many not known
    if name in _NUMBERS and text.isdigit():
        return int(text)
    return text


def read_back(doc: Mapping[str, Any]) -> Proposals:
    """The reviewed proposals through the proposals file's checks (ScenarioError, each problem with
    its proposals[i].field path)."""
    text = yaml.safe_dump(dict(doc), allow_unicode=True, sort_keys=False, width=1_000_000)
    return parse_proposals(text, REVIEW)


# -- the cards ----------------------------------------------------------------------------------------


def cards(doc: Mapping[str, Any], record: Record, problems: Iterable[Problem] = ()) -> list[Card]:
    """One card per proposal, in the order person, meeting, paper, statement, stance, event (each
    kind in the order proposed), with the problems on their cards and inputs."""
    entries: list[dict[str, Any]] = list(doc["proposals"])
    speakers = sorted({*record.people, *(str(e.get("name")) for e in entries if e["kind"] == "person")})
    made = {e["id"]: _card(e, record, speakers) for e in entries}
    for found in located(doc, problems, record):
        card = made.get(found.card or "")
        if card is None:
            continue
        target = next((i for i in card.inputs if i.field == found.field), None)
        if target is not None and target.problem is None:
            target.problem = found.message
        else:
            card.problems.append(found.words.removeprefix(f"{card.headline}: "))
    order = {kind.value: index for index, kind in enumerate(APPLY_ORDER)}
    return sorted(made.values(), key=lambda c: order[c.kind])  # stable: the proposed order within a kind


def located(doc: Mapping[str, Any], problems: Iterable[Problem], record: Record) -> list[Found]:
    """Each problem named by its proposal's card and field (``proposals[3].date`` is the date of
    the fourth proposal); a problem of the report or the whole form by itself."""
    entries: list[dict[str, Any]] = list(doc["proposals"])
    found = []
    for problem in problems:
        match = _PATH.match(problem.path or "")
        if match and int(match[1]) < len(entries):
            entry = entries[int(match[1])]
            found.append(Found(entry["id"], headline(entry, record), match[2], problem.message))
        else:
            found.append(Found(None, "", None, str(problem.message)))
    return found


def headline(entry: Mapping[str, Any], record: Record) -> str:
    """A proposal in one line of plain words: "Meeting on 6 November 2031 at Castle Rosendael",
    "Stance: Liberal Party of Veldland rejects point 11, Finance ministry"."""
    kind = ProposalKind(entry["kind"])
    when = day_words(entry["date"]) if entry.get("date") else entry.get("date_approx")
    on = f" on {when}" if when else ""
    if kind is ProposalKind.PERSON:
        role = f", {entry['role']}" if entry.get("role") else ""
        party = f" ({record.party(entry['party'])})" if entry.get("party") else " (of no party)"
        return f"New person: {entry.get('name') or 'unnamed'}{role}{party}"
    if kind is ProposalKind.MEETING:
        status = str(entry.get("status") or "held")
        what = "Meeting" if status == "held" else f"{STATUS_WORDS.get(status, status).capitalize()} meeting"
        place = f" at {entry['place']}" if entry.get("place") else ""
        return f"{what}{on}{place}"
    if kind is ProposalKind.PAPER:
        count = entry.get("count", 1)
        what = "Paper" if count == 1 else "Papers" if count is None else f"{count} papers"
        title = f": {entry['title']}" if entry.get("title") else ""
        to = ", ".join(record.party(p) for p in entry.get("recipients") or ())
        return f"{what} handed over{on}{f' to {to}' if to else ''}{title}"
    if kind is ProposalKind.STATEMENT:
        party = f" ({record.party(entry['party'])})" if entry.get("party") else ""
        points = "; ".join(record.point(p) for p in entry.get("points") or ())
        about = f", on {points}" if points else ""
        stance = f": {STANCE_WORDS.get(str(entry['stance']), entry['stance'])}" if entry.get("stance") else ""
        return f"Statement by {entry.get('speaker') or 'someone'}{party}{on}{about}{stance}"
    if kind is ProposalKind.STANCE:
        stance = str(entry.get("stance") or "")
        verb = STANCE_VERBS.get(stance, stance or "takes a stance on")
        party = record.party(entry.get("party") or "a party")
        return f"Stance: {party} {agreeing(party, verb)} {record.point(entry.get('point') or '?')}"
    event = str(entry.get("event") or "other")
    summary = f": {entry['summary']}" if entry.get("summary") else ""
    return f"{EVENT_WORDS.get(event, event.capitalize())}{on}{summary}"


def _card(entry: Mapping[str, Any], record: Record, speakers: list[str]) -> Card:
    kind = ProposalKind(entry["kind"])
    ident = str(entry["id"])
    return Card(
        id=ident,
        kind=kind.value,
        kind_words=KIND_WORDS[kind],
        headline=headline(entry, record),
        confidence=confidence_words(float(entry["confidence"])),
        rule=str(entry.get("rule") or ""),
        notes=[str(n) for n in entry.get("notes") or ()],
        evidence=[str(e["quote"]) for e in entry.get("evidence") or ()],
        accept=bool(entry.get("accept", True)),
        inputs=[_input(kind, ident, name, entry, record, speakers) for name in FIELDS[kind]],
        tone=str(entry["stance"]) if entry.get("stance") in STANCE_VERBS else None,
    )


def _input(
    kind: ProposalKind,
    ident: str,
    name: str,
    entry: Mapping[str, Any],
    record: Record,
    speakers: list[str],
) -> Input:
    value = entry.get(name)
    made = Input(name, f"{ident}.{name}", f"{ident}-{name}", LABELS.get(name, name), "text", value)
    if name in _DATES:
        made.kind = "date"
    elif name in _NUMBERS:
        made.kind = "number"
        if name == "count":
            made.value = entry.get("count", 1)  # None: several; not given: one
    elif name in _LONG:
        made.kind = "textarea"
    elif name in _SEMICOLONS:
        made.value = "; ".join(str(v) for v in value or ())
    elif name in _PARTIES:
        made.kind, made.value = "multiple", [str(v) for v in value or ()]
        made.options = _with_unknown(list(record.parties.items()), made.value)
    elif name == "points":
        made.kind, made.value = "multiple", [str(v) for v in value or ()]
        made.options = _with_unknown(record.point_options(), made.value)
    elif name == "point":
        made.kind = "select"
        made.options = _with_unknown(record.point_options(), [str(value)] if value else [])
        made.options = [("", "choose a point"), *made.options] if not value else made.options
    elif name == "party":
        made.kind = "select"
        blank = "no party" if kind is ProposalKind.PERSON else "choose a party"
        made.options = [
            ("", blank),
            *_with_unknown(list(record.parties.items()), [str(value)] if value else []),
        ]
    elif name in _CHOICES or name == "channel":
        made.kind = "select"
        values = _CHOICES.get(name) or [
            c.value for c in (MeetingChannel if kind is ProposalKind.MEETING else StatementChannel)
        ]
        words = {**STANCE_WORDS, **CHANNEL_WORDS, **EVENT_OPTIONS}
        optional = name == "channel" or (name == "stance" and kind is ProposalKind.STATEMENT)
        if name == "status":
            made.value = value or MeetingStatus.HELD.value  # as applied when none is given
        made.options = [
            *([("", "none")] if optional else []),
            *_with_unknown([(v, words.get(v, v)) for v in values], [str(value)] if value else []),
        ]
    elif name == "people":
        made.kind = "people"
        rows = [dict(r) if isinstance(r, Mapping) else {"person": str(r)} for r in value or ()]
        made.value = [*rows, {"person": "", "note": ""}]  # and one row more, for someone missing
    elif name == "speaker":
        made.kind = "speaker"
        made.options = [(s, s) for s in speakers]
    if made.kind in ("text", "textarea", "date", "number", "speaker", "select"):
        made.value = "" if made.value is None else str(made.value)
    return made


def _with_unknown(options: list[tuple[str, str]], chosen: list[str]) -> list[tuple[str, str]]:
    """The record's options, and any value proposed that is none of them (shown as it is, so a
    reviewer sees it and a form sent unchanged keeps it)."""
    known = {value for value, _ in options}
    return [*options, *((v, f"{v} (not in the record)") for v in chosen if v not in known)]
