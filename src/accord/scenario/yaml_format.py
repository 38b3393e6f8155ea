"""The YAML scenario format: load (validating everything) and dump (lossless).

``load`` reports *all* problems of a file at once in a ScenarioError; it never
lets another exception through for bad input. ``dump(load(f))`` gives a file
that loads to the same negotiation.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from accord.domain import (
    Attendee,
    Choice,
    Distribution,
    Draft,
    DraftStatus,
    Event,
    EventKind,
    Link,
    Meeting,
    MeetingChange,
    MeetingChannel,
    MeetingStatus,
    Negotiation,
    Option,
    Paper,
    PaperFile,
    Party,
    Person,
    Point,
    Preferences,
    RedLine,
    Role,
    Stance,
    StanceKind,
    Statement,
    StatementChannel,
    TraceRecord,
    Uncertainty,
)
from accord.domain.people import from_delegation_entry, person_key
from accord.domain.record import format_duration, parse_duration
from accord.domain.sources import Source as RecordSource
from accord.errors import Problem, ScenarioError
from accord.scenario.checks import rule_problems
from accord.scenario.files import write_text_atomically
from accord.scenario.schema import schema_problems
from accord.scenario.yaml_source import Source, parse_text, read_file

FORMAT_VERSION = 1


def load(path: str | Path) -> Negotiation:
    """Read and validate a scenario file."""
    return _negotiation(read_file(path))


def loads(text: str, file: str = "<text>") -> Negotiation:
    """Validate a scenario given as text (``file`` names it in messages)."""
    return _negotiation(parse_text(text, file))


def validate(path: str | Path) -> list[Problem]:
    """All problems of a scenario file; an empty list means it is valid."""
    try:
        load(path)
    except ScenarioError as exc:
        return exc.problems
    return []


def check_document(document: dict[str, Any], file: str = "<document>") -> Negotiation:
    """Validate a document built in memory (a form, an API body) exactly as a file is validated."""
    return _negotiation(Source(file, document=document))


def _negotiation(source: Source) -> Negotiation:
    if source.fatal:
        raise ScenarioError(source.problems)
    problems = source.problems + schema_problems(source) + rule_problems(source)
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: (p.line or 0, p.path)))
    return from_document(source.document)


# -- document -> model ------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value is not None else None


def from_document(doc: dict[str, Any]) -> Negotiation:
    """Build the model from a document that passed validation."""
    meta = doc["negotiation"]
    default_scale = float(doc.get("score_scale", 1))
    points = tuple(
        Point(
            id=p["id"],
            number=int(p["number"]),
            title=p["title"],
            theme=p.get("theme"),
            text=p.get("text"),
            added_in=p.get("added_in"),
            aliases=tuple(p.get("aliases", ())),
            options=tuple(
                Option(
                    key=o["key"],
                    text=o["text"],
                    value=float(o["value"]) if "value" in o else None,
                    source=o.get("source"),
                )
                for o in p["options"]
            ),
        )
        for p in doc["points"]
    )
    parties = []
    preferences = {}
    for party_id, p in doc["parties"].items():
        parties.append(
            Party(
                id=party_id,
                name=p["name"],
                role=Role(p.get("role", "party")),
                note=p.get("note"),
                metadata=p.get("metadata", {}),
                aliases=tuple(p.get("aliases", ())),
            )
        )
        if "weights" in p:
            preferences[party_id] = Preferences(
                party=party_id,
                weights={k: float(v) for k, v in p["weights"].items()},
                scores={
                    point: {o: float(s) for o, s in by_option.items()}
                    for point, by_option in p.get("scores", {}).items()
                },
                score_scale=float(p.get("score_scale", default_scale)),
                red_lines=tuple(
                    RedLine(r["point"], r["option"], r.get("note")) for r in p.get("red_lines", ())
                ),
                reservation_value=float(p.get("reservation_value", 0.0)),
                links=tuple(
                    Link(
                        point=link["point"],
                        option=link["option"],
                        requires_point=link["requires"]["point"],
                        requires_options=tuple(link["requires"]["options"]),
                        note=link.get("note"),
                    )
                    for link in p.get("links", ())
                ),
                basis=p.get("basis"),
                # an empty block ({}: every range cleared) declares none
                uncertainty=_uncertainty(p["uncertainty"]) if p.get("uncertainty") else None,
            )
    drafts = tuple(
        Draft(
            version=int(d["version"]),
            parent=int(d["parent"]) if d.get("parent") is not None else None,
            label=d.get("label"),
            title=d.get("title"),
            date=_date(d.get("date")),
            author=d.get("author"),
            status=DraftStatus(d.get("status", "draft")),
            note=d.get("note"),
            circulated_to=tuple(d.get("circulated_to", ())),
            sources=tuple(d.get("sources", ())),
            choices={
                point: Choice(option=c) if isinstance(c, str) else Choice(text=c["text"])
                for point, c in d["choices"].items()
            },
        )
        for d in doc.get("drafts", ())
    )
    stances = tuple(
        Stance(
            int(s["draft"]),
            s["party"],
            s["point"],
            StanceKind(s["stance"]),
            s.get("note"),
            as_of=_date(s.get("as_of")),
            evidence=s.get("evidence"),
            sources=tuple(s.get("sources", ())),
        )
        for s in doc.get("stances", ())
    )
    return Negotiation(
        id=meta["id"],
        title=meta["title"],
        description=meta.get("description"),
        metadata=meta.get("metadata", {}),
        points=points,
        parties=tuple(parties),
        preferences=preferences,
        drafts=drafts,
        stances=stances,
        papers=tuple(_paper(p) for p in doc.get("papers", ())),
        meetings=tuple(_meeting(m) for m in doc.get("meetings", ())),
        bargaining_power={p: float(v) for p, v in doc.get("bargaining_power", {}).items()},
        people=_people(doc),
        sources=tuple(_source(s) for s in doc.get("sources", ())),
        statements=tuple(_statement(s) for s in doc.get("statements", ())),
        events=tuple(_event(e) for e in doc.get("events", ())),
    )


def _people(doc: dict[str, Any]) -> tuple[Person, ...]:
    """The ``people:`` list, then each party's old ``delegation:`` entries as people of the party
    ("Name (role)" split; the entry kept as an alias, so a copy registered for it still matches)."""
    found = [
        Person(
            id=p["id"],
            name=p["name"],
            party=p.get("party"),
            role=p.get("role"),
            lead=bool(p.get("lead", False)),
            aliases=tuple(p.get("aliases", ())),
            note=p.get("note"),
            sources=tuple(p.get("sources", ())),
        )
        for p in doc.get("people", ())
    ]
    taken = {p.id for p in found}
    for party_id, party in doc["parties"].items():
        for entry in party.get("delegation", ()):
            name, role = from_delegation_entry(entry)
            key = person_key(name, taken)
            taken.add(key)
            aliases = (entry,) if entry != name else ()
            found.append(Person(id=key, name=name, party=party_id, role=role, aliases=aliases))
    return tuple(found)


def _source(s: dict[str, Any]) -> RecordSource:
    return RecordSource(
        id=s["id"],
        outlet=s.get("outlet"),
        title=s.get("title"),
        url=s.get("url"),
        date=_date(s.get("date")),
        quote=s.get("quote"),
        note=s.get("note"),
        sha256=s.get("sha256"),
    )


def _start(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value is not None else None


def _meeting(m: dict[str, Any]) -> Meeting:
    start = _start(m.get("start"))
    date = _date(m.get("date")) or (start.date() if start is not None else None)
    return Meeting(
        id=m["id"],
        date=date,
        place=m.get("place"),
        participants=tuple(m.get("participants", ())),
        papers=tuple(m.get("papers", ())),
        drafts=tuple(int(v) for v in m.get("drafts", ())),
        status=MeetingStatus(m.get("status", "held")),
        reason=m.get("reason"),
        outcome=m.get("outcome"),
        start=start,
        duration=parse_duration(m["duration"]) if "duration" in m else None,
        channel=MeetingChannel(m["channel"]) if "channel" in m else None,
        date_approx=m.get("date_approx"),
        people=tuple(
            Attendee(a) if isinstance(a, str) else Attendee(a["person"], a.get("note"))
            for a in m.get("people", ())
        ),
        leads=dict(m.get("leads", {})),
        sources=tuple(m.get("sources", ())),
        history=tuple(
            MeetingChange(
                recorded_at=h["at"],
                recorded_by=h["by"],
                changes={name: (c.get("from"), c.get("to")) for name, c in h["changes"].items()},
                reason=h.get("reason"),
                sources=tuple(h.get("sources", ())),
            )
            for h in m.get("history", ())
        ),
    )


def _paper(p: dict[str, Any]) -> Paper:
    file = p.get("file")
    count = p.get("count", 1)
    return Paper(
        id=p["id"],
        title=p.get("title"),
        recipients=tuple(p.get("recipients", ())),
        draft=int(p["draft"]) if "draft" in p else None,
        date=_date(p.get("date")),
        note=p.get("note"),
        count=None if count == "several" else int(count),
        text=p.get("text"),
        file=PaperFile(
            name=file["name"],
            media_type=file["media_type"],
            sha256=file["sha256"],
            size=int(file["size"]),
            data=base64.b64decode(file["data"]) if "data" in file else None,
        )
        if file is not None
        else None,
        recipient_people=tuple(p.get("recipient_people", ())),
        meeting=p.get("meeting"),
        related_drafts=tuple(int(v) for v in p.get("related_drafts", ())),
        copy=int(p["copy"]) if "copy" in p else None,
        sources=tuple(p.get("sources", ())),
    )


def _statement(s: dict[str, Any]) -> Statement:
    return Statement(
        id=s["id"],
        person=s["by"],
        date=dt.date.fromisoformat(s["date"]),
        quote=s["quote"],
        summary=s.get("summary"),
        channel=StatementChannel(s.get("channel", "press")),
        points=tuple(s.get("points", ())),
        stance=StanceKind(s["stance"]) if "stance" in s else None,
        draft=int(s["draft"]) if "draft" in s else None,
        note=s.get("note"),
        sources=tuple(s.get("sources", ())),
    )


def _event(e: dict[str, Any]) -> Event:
    return Event(
        id=e["id"],
        kind=EventKind(e["kind"]),
        date=_date(e.get("date")),
        summary=e["summary"],
        draft=int(e["draft"]) if "draft" in e else None,
        paper=e.get("paper"),
        surfaced=e.get("surfaced"),
        date_approx=e.get("date_approx"),
        note=e.get("note"),
        sources=tuple(e.get("sources", ())),
        traces=tuple(
            TraceRecord(recorded_at=t["at"], recorded_by=t["by"], result=dict(t.get("result", {})))
            for t in e.get("traces", ())
        ),
    )


def _distribution(d: dict[str, Any]) -> Distribution:
    if "normal" in d:
        n = d["normal"]
        return Distribution(
            "normal", float(n["range"][0]), float(n["range"][1]), mean=float(n["mean"]), sd=float(n["sd"])
        )
    if "triangular" in d:
        low, mode, high = (float(v) for v in d["triangular"])
        return Distribution("triangular", low, high, mode=mode)
    kind = "uniform" if "uniform" in d else "range"
    return Distribution(kind, float(d[kind][0]), float(d[kind][1]))


def _uncertainty(u: dict[str, Any]) -> Uncertainty:
    weights = u.get("weights", {})
    dirichlet = float(weights["dirichlet"]) if "dirichlet" in weights else None
    return Uncertainty(
        dirichlet=dirichlet,
        weights={} if dirichlet is not None else {p: _distribution(d) for p, d in weights.items()},
        scores={p: {o: _distribution(d) for o, d in by.items()} for p, by in u.get("scores", {}).items()},
        reservation_value=_distribution(u["reservation_value"]) if "reservation_value" in u else None,
    )


# -- model -> document ------------------------------------------------------


def _distribution_document(d: Distribution) -> dict[str, Any]:
    if d.kind == "normal":
        return {
            "normal": {
                "mean": _num(d.mean or 0.0),
                "sd": _num(d.sd or 0.0),
                "range": [_num(d.low), _num(d.high)],
            }
        }
    if d.kind == "triangular":
        return {"triangular": [_num(d.low), _num(d.mode if d.mode is not None else d.low), _num(d.high)]}
    return {d.kind: [_num(d.low), _num(d.high)]}


def _uncertainty_document(u: Uncertainty) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if u.dirichlet is not None:
        doc["weights"] = {"dirichlet": _num(u.dirichlet)}
    elif u.weights:
        doc["weights"] = {p: _distribution_document(d) for p, d in u.weights.items()}
    if u.scores:
        doc["scores"] = {
            p: {o: _distribution_document(d) for o, d in by.items()} for p, by in u.scores.items()
        }
    if u.reservation_value is not None:
        doc["reservation_value"] = _distribution_document(u.reservation_value)
    return doc


def _num(value: float) -> float | int:
    """Write whole numbers without a trailing .0; the value is unchanged."""
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set optional fields only when they say something (keeps dumps readable)."""
    if value is None or value == () or value == {} or value == []:
        return
    target[key] = value


def to_document(negotiation: Negotiation) -> dict[str, Any]:
    """The model as a plain document in the scenario format."""
    meta: dict[str, Any] = {"id": negotiation.id, "title": negotiation.title}
    _put(meta, "description", negotiation.description)
    _put(meta, "metadata", dict(negotiation.metadata))
    doc: dict[str, Any] = {"accord": FORMAT_VERSION, "negotiation": meta, "points": []}
    for point in negotiation.points:
        p: dict[str, Any] = {"id": point.id, "number": point.number, "title": point.title}
        _put(p, "theme", point.theme)
        _put(p, "text", point.text)
        _put(p, "added_in", point.added_in)
        _put(p, "aliases", list(point.aliases))
        p["options"] = []
        for option in point.options:
            o: dict[str, Any] = {"key": option.key, "text": option.text}
            _put(o, "value", None if option.value is None else _num(option.value))
            _put(o, "source", option.source)
            p["options"].append(o)
        doc["points"].append(p)
    doc["parties"] = {party.id: _party_document(negotiation, party) for party in negotiation.parties}
    _put(doc, "bargaining_power", {p: _num(v) for p, v in negotiation.bargaining_power.items()})
    if negotiation.drafts:
        doc["drafts"] = [_draft_document(d) for d in negotiation.drafts]
    if negotiation.stances:
        doc["stances"] = []
        for s in negotiation.stances:
            stance: dict[str, Any] = {
                "draft": s.draft,
                "party": s.party,
                "point": s.point,
                "stance": s.stance.value,
            }
            _put(stance, "note", s.note)
            _put(stance, "as_of", s.as_of.isoformat() if s.as_of else None)
            _put(stance, "evidence", s.evidence)
            _put(stance, "sources", list(s.sources))
            doc["stances"].append(stance)
    if negotiation.meetings:
        doc["meetings"] = [meeting_document(m) for m in negotiation.meetings]
    if negotiation.papers:
        doc["papers"] = [paper_document(p) for p in negotiation.papers]
    if negotiation.people:
        doc["people"] = [person_document(p) for p in negotiation.people]
    if negotiation.statements:
        doc["statements"] = [statement_document(s) for s in negotiation.statements]
    if negotiation.events:
        doc["events"] = [event_document(e) for e in negotiation.events]
    if negotiation.sources:
        doc["sources"] = [source_document(s) for s in negotiation.sources]
    return doc


# -- the record's entries as documents (also what the CLI's --json and the web show of them) ----------


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def meeting_document(m: Meeting) -> dict[str, Any]:
    """A meeting as the scenario format writes it."""
    meeting: dict[str, Any] = {"id": m.id}
    _put(meeting, "date", _iso(m.date))
    _put(meeting, "date_approx", m.date_approx)
    _put(meeting, "start", m.start.isoformat(timespec="minutes") if m.start else None)
    _put(meeting, "duration", format_duration(m.duration) if m.duration else None)
    _put(meeting, "channel", m.channel.value if m.channel else None)
    _put(meeting, "place", m.place)
    _put(meeting, "participants", list(m.participants))
    _put(
        meeting,
        "people",
        [a.person if a.note is None else {"person": a.person, "note": a.note} for a in m.people],
    )
    _put(meeting, "leads", dict(m.leads))
    _put(meeting, "papers", list(m.papers))
    _put(meeting, "drafts", list(m.drafts))
    meeting["status"] = m.status.value
    _put(meeting, "reason", m.reason)
    _put(meeting, "outcome", m.outcome)
    _put(meeting, "sources", list(m.sources))
    history = []
    for change in m.history:
        h: dict[str, Any] = {
            "at": change.recorded_at,
            "by": change.recorded_by,
            "changes": {name: {"from": b, "to": a} for name, (b, a) in change.changes.items()},
        }
        _put(h, "reason", change.reason)
        _put(h, "sources", list(change.sources))
        history.append(h)
    _put(meeting, "history", history)
    return meeting


def paper_document(paper: Paper, *, with_data: bool = True) -> dict[str, Any]:
    """A paper as the scenario format writes it; a file's bytes (when carried) in base64 unless
    ``with_data`` is false."""
    pd: dict[str, Any] = {"id": paper.id}
    _put(pd, "title", paper.title)
    if paper.count != 1:
        pd["count"] = paper.count if paper.count is not None else "several"
    _put(pd, "text", paper.text)
    if paper.file is not None:
        f = paper.file
        fd: dict[str, Any] = {"name": f.name, "media_type": f.media_type, "sha256": f.sha256, "size": f.size}
        if with_data and f.data is not None:
            fd["data"] = base64.b64encode(f.data).decode("ascii")
        pd["file"] = fd
    _put(pd, "recipients", list(paper.recipients))
    _put(pd, "recipient_people", list(paper.recipient_people))
    _put(pd, "meeting", paper.meeting)
    _put(pd, "draft", paper.draft)
    _put(pd, "related_drafts", list(paper.related_drafts))
    _put(pd, "copy", paper.copy)
    _put(pd, "date", _iso(paper.date))
    _put(pd, "note", paper.note)
    _put(pd, "sources", list(paper.sources))
    return pd


def person_document(person: Person, *, private: bool = True) -> dict[str, Any]:
    """A person as the scenario format writes it (``private=False`` leaves the private note out)."""
    d: dict[str, Any] = {"id": person.id, "name": person.name}
    _put(d, "party", person.party)
    _put(d, "role", person.role)
    if person.lead:
        d["lead"] = True
    _put(d, "aliases", list(person.aliases))
    if private:
        _put(d, "note", person.note)
    _put(d, "sources", list(person.sources))
    return d


def source_document(source: RecordSource) -> dict[str, Any]:
    d: dict[str, Any] = {"id": source.id}
    _put(d, "outlet", source.outlet)
    _put(d, "title", source.title)
    _put(d, "url", source.url)
    _put(d, "date", _iso(source.date))
    _put(d, "quote", source.quote)
    _put(d, "note", source.note)
    _put(d, "sha256", source.sha256)
    return d


def statement_document(s: Statement) -> dict[str, Any]:
    d: dict[str, Any] = {"id": s.id, "by": s.person, "date": s.date.isoformat(), "quote": s.quote}
    _put(d, "summary", s.summary)
    d["channel"] = s.channel.value
    _put(d, "points", list(s.points))
    _put(d, "stance", s.stance.value if s.stance else None)
    _put(d, "draft", s.draft)
    _put(d, "note", s.note)
    _put(d, "sources", list(s.sources))
    return d


def event_document(e: Event) -> dict[str, Any]:
    d: dict[str, Any] = {"id": e.id, "kind": e.kind.value}
    _put(d, "date", _iso(e.date))
    _put(d, "date_approx", e.date_approx)
    d["summary"] = e.summary
    _put(d, "draft", e.draft)
    _put(d, "paper", e.paper)
    _put(d, "surfaced", e.surfaced)
    _put(d, "note", e.note)
    _put(d, "sources", list(e.sources))
    _put(
        d, "traces", [{"at": t.recorded_at, "by": t.recorded_by, "result": dict(t.result)} for t in e.traces]
    )
    return d


def _party_document(negotiation: Negotiation, party: Party) -> dict[str, Any]:
    d: dict[str, Any] = {"name": party.name, "role": party.role.value}
    _put(d, "note", party.note)
    _put(d, "aliases", list(party.aliases))
    _put(d, "metadata", dict(party.metadata))
    prefs = negotiation.preferences.get(party.id)
    if prefs is None:
        return d
    _put(d, "basis", prefs.basis)
    d["weights"] = {p: _num(w) for p, w in prefs.weights.items()}
    d["score_scale"] = _num(prefs.score_scale)
    d["scores"] = {p: {o: _num(s) for o, s in by.items()} for p, by in prefs.scores.items()}
    red_lines = []
    for r in prefs.red_lines:
        rd: dict[str, Any] = {"point": r.point, "option": r.option}
        _put(rd, "note", r.note)
        red_lines.append(rd)
    _put(d, "red_lines", red_lines)
    d["reservation_value"] = _num(prefs.reservation_value)
    links = []
    for link in prefs.links:
        ld: dict[str, Any] = {
            "point": link.point,
            "option": link.option,
            "requires": {"point": link.requires_point, "options": list(link.requires_options)},
        }
        _put(ld, "note", link.note)
        links.append(ld)
    _put(d, "links", links)
    if prefs.uncertainty is not None:
        d["uncertainty"] = _uncertainty_document(prefs.uncertainty)
    return d


def _draft_document(draft: Draft) -> dict[str, Any]:
    d: dict[str, Any] = {"version": draft.version}
    _put(d, "parent", draft.parent)
    _put(d, "label", draft.label)
    _put(d, "title", draft.title)
    _put(d, "date", draft.date.isoformat() if draft.date else None)
    _put(d, "author", draft.author)
    d["status"] = draft.status.value
    _put(d, "note", draft.note)
    _put(d, "circulated_to", list(draft.circulated_to))
    _put(d, "sources", list(draft.sources))
    d["choices"] = {
        point: c.option if c.option is not None else {"text": c.text} for point, c in draft.choices.items()
    }
    return d


class _Dumper(yaml.SafeDumper):
    """Block style, with list items indented under their key (easier to read)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# YAML folds these line breaks to spaces in plain and single-quoted scalars;
# only double quotes (with escapes) carry them through unchanged.
_FRAGILE = frozenset("\x85\u2028\u2029\r\t")


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    fragile = any(c in _FRAGILE or not c.isprintable() for c in text if c != "\n")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"' if fragile else None)


_Dumper.add_representer(str, _represent_text)


def dumps(negotiation: Negotiation) -> str:
    """The negotiation as scenario YAML text."""
    return yaml.dump(
        to_document(negotiation),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def dump(negotiation: Negotiation, path: str | Path) -> None:
    """Write the negotiation as a scenario file (all at once, never half-written)."""
    write_text_atomically(path, dumps(negotiation))
