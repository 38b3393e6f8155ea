"""Hypothesis strategies: random valid negotiations, and random or mutated YAML documents."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from typing import Any

from hypothesis import strategies as st

from accord.domain import (
    Attendee,
    Choice,
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
    Source,
    Stance,
    StanceKind,
    Statement,
    StatementChannel,
    TraceRecord,
)

ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True)
# text a record keeps (accord.characters): no control characters but tabs and line breaks, no lone
# surrogates, nothing that turns the text's direction
words = st.text(
    st.characters(
        exclude_categories=("Cs", "Cc"),
        exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
        include_characters="\t\n",
    ),
    min_size=1,
    max_size=30,
)
maybe_words = st.none() | words
numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
json_scalars = st.none() | st.booleans() | st.integers(-1000, 1000) | numbers | words
metadata = st.dictionaries(
    ids, st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)), max_size=3
)


@st.composite
def negotiations(draw: st.DrawFn) -> Negotiation:
    point_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    numbers_ = draw(
        st.lists(st.integers(1, 99), min_size=len(point_ids), max_size=len(point_ids), unique=True)
    )
    points = []
    for point_id, number in zip(point_ids, numbers_, strict=True):
        keys = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
        options = tuple(
            Option(k, draw(words), draw(st.none() | numbers), draw(st.none() | words)) for k in keys
        )
        points.append(Point(point_id, number, draw(words), options, draw(maybe_words), draw(maybe_words)))
    party_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    parties = []
    preferences = {}
    for party_id in party_ids:
        role = draw(st.sampled_from(Role))
        parties.append(Party(party_id, draw(words), role, draw(maybe_words), draw(metadata)))
        if role is Role.PARTY or draw(st.booleans()):
            preferences[party_id] = draw(preferences_for(party_id, points))
    versions = draw(st.lists(st.integers(1, 50), max_size=3, unique=True))
    source_ids = draw(st.lists(ids, max_size=3, unique=True))
    cites = (
        st.lists(st.sampled_from(source_ids), max_size=2, unique=True).map(tuple)
        if source_ids
        else st.just(())
    )
    sources = [
        Source(
            sid,
            draw(maybe_words),
            draw(maybe_words),
            draw(st.none() | st.sampled_from(["https://example.org/a", "http://news.example/b?c=1"])),
            draw(st.none() | dates),
            draw(maybe_words),
            draw(maybe_words),
        )
        for sid in source_ids
    ]
    person_ids = draw(st.lists(ids, max_size=3, unique=True))
    people = []
    leads_taken: set[str] = set()
    for pid in person_ids:
        party = draw(st.none() | st.sampled_from(party_ids))
        lead = party is not None and party not in leads_taken and draw(st.booleans())
        if lead and party is not None:
            leads_taken.add(party)
        people.append(
            Person(
                pid,
                draw(words),
                party,
                draw(maybe_words),
                lead,
                tuple(draw(st.lists(words, max_size=2))),
                draw(maybe_words),
                draw(cites),
            )
        )
    drafts = []
    for version in sorted(versions):
        older = [v for v in versions if v < version]
        choices = {}
        for point in points:
            kind = draw(st.sampled_from(["option", "text", "none"]))
            if kind == "option":
                choices[point.id] = Choice(option=draw(st.sampled_from(point.option_keys)))
            elif kind == "text":
                choices[point.id] = Choice(text=draw(words))
        drafts.append(
            Draft(
                version=version,
                choices=choices,
                status=draw(st.sampled_from(DraftStatus)),
                parent=draw(st.none() | st.sampled_from(older)) if older else None,
                author=draw(st.none() | st.sampled_from(party_ids)),
                label=draw(maybe_words),
                title=draw(maybe_words),
                date=draw(st.none() | dates),
                note=draw(maybe_words),
                circulated_to=tuple(draw(st.lists(st.sampled_from(party_ids), max_size=3))),
                sources=draw(cites),
            )
        )
    statement_ids = draw(st.lists(ids, max_size=2, unique=True)) if person_ids else []
    statements = [
        Statement(
            sid,
            draw(st.sampled_from(person_ids)),
            draw(dates),
            draw(words),
            draw(maybe_words),
            draw(st.sampled_from(StatementChannel)),
            tuple(draw(st.lists(st.sampled_from(point_ids), max_size=2))),
            draw(st.none() | st.sampled_from(StanceKind)),
            draw(st.none() | st.sampled_from(versions)) if versions else None,
            draw(maybe_words),
            draw(cites),
        )
        for sid in statement_ids
    ]
    stances = []
    if versions:
        keys = draw(
            st.lists(
                st.tuples(st.sampled_from(versions), st.sampled_from(party_ids), st.sampled_from(point_ids)),
                max_size=6,
                unique=True,
            )
        )
        stances = [
            Stance(
                v,
                party,
                point,
                draw(st.sampled_from(StanceKind)),
                draw(maybe_words),
                draw(st.none() | dates),
                draw(st.none() | st.sampled_from(statement_ids)) if statement_ids else None,
                draw(cites),
            )
            for v, party, point in keys
        ]
    paper_ids = draw(st.lists(ids, max_size=2, unique=True))
    meeting_ids = draw(st.lists(ids, max_size=2, unique=True))
    papers = []
    for pid in paper_ids:
        data = draw(st.none() | st.binary(max_size=40))
        papers.append(
            Paper(
                pid,
                draw(maybe_words),
                tuple(draw(st.lists(st.sampled_from(party_ids), max_size=2))),
                draw(st.none() | st.sampled_from(versions)) if versions else None,
                draw(st.none() | dates),
                draw(maybe_words),
                count=draw(st.none() | st.integers(1, 9)),
                text=draw(maybe_words),
                file=None
                if data is None
                else PaperFile(
                    "a.bin", "application/octet-stream", hashlib.sha256(data).hexdigest(), len(data), data
                ),
                recipient_people=tuple(draw(st.lists(st.sampled_from(person_ids), max_size=2)))
                if person_ids
                else (),
                meeting=draw(st.none() | st.sampled_from(meeting_ids)) if meeting_ids else None,
                related_drafts=tuple(draw(st.lists(st.sampled_from(versions), max_size=2)))
                if versions
                else (),
                copy=draw(st.none() | st.integers(1, 99)),
                sources=draw(cites),
            )
        )
    meetings = []
    for mid in meeting_ids:
        status = draw(st.sampled_from(MeetingStatus))
        needs_reason = status in (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED)
        date = draw(dates) if status is MeetingStatus.HELD else draw(st.none() | dates)
        start = (
            dt.datetime.combine(date, dt.time(draw(st.integers(0, 23)), draw(st.integers(0, 59))))
            if date is not None and draw(st.booleans())
            else None
        )
        attendees = draw(st.lists(st.sampled_from(person_ids), max_size=2, unique=True)) if person_ids else []
        leads = {p.party: p.id for p in people if p.id in attendees and p.party is not None}
        meetings.append(
            Meeting(
                mid,
                date,
                draw(maybe_words),
                tuple(draw(st.lists(st.sampled_from(party_ids), max_size=3))),
                tuple(draw(st.lists(st.sampled_from(paper_ids), max_size=2))) if paper_ids else (),
                tuple(draw(st.lists(st.sampled_from(versions), max_size=2))) if versions else (),
                status,
                draw(words) if needs_reason else draw(maybe_words),
                draw(maybe_words),
                start=start,
                duration=draw(st.none() | st.integers(1, 600).map(lambda m: dt.timedelta(minutes=m))),
                channel=draw(st.none() | st.sampled_from(MeetingChannel)),
                date_approx=draw(maybe_words),
                people=tuple(Attendee(a, draw(maybe_words)) for a in attendees),
                leads=leads if draw(st.booleans()) else {},
                sources=draw(cites),
                history=tuple(
                    MeetingChange(
                        draw(words),
                        draw(words),
                        {"status": ("planned", status.value), "place": (None, draw(words))},
                        draw(maybe_words),
                        draw(cites),
                    )
                    for _ in range(draw(st.integers(0, 2)))
                ),
            )
        )
    events = [
        Event(
            eid,
            draw(st.sampled_from(EventKind)),
            draw(st.none() | dates),
            draw(words),
            draw(st.none() | st.sampled_from(versions)) if versions else None,
            draw(st.none() | st.sampled_from(paper_ids)) if paper_ids else None,
            draw(maybe_words),
            draw(maybe_words),
            draw(maybe_words),
            draw(cites),
            tuple(
                TraceRecord(
                    draw(words), draw(words), {"copy": draw(st.integers(1, 9)), "recipient": draw(words)}
                )
                for _ in range(draw(st.integers(0, 1)))
            ),
        )
        for eid in draw(st.lists(ids, max_size=2, unique=True))
    ]
    return Negotiation(
        id=draw(ids),
        title=draw(words),
        points=tuple(points),
        parties=tuple(parties),
        preferences=preferences,
        drafts=tuple(drafts),
        stances=tuple(stances),
        meetings=tuple(meetings),
        papers=tuple(papers),
        description=draw(maybe_words),
        metadata=draw(metadata),
        people=tuple(people),
        sources=tuple(sources),
        statements=tuple(statements),
        events=tuple(events),
    )


@st.composite
def preferences_for(draw: st.DrawFn, party_id: str, points: list[Point]) -> Preferences:
    weight = st.floats(min_value=0, max_value=1e6, allow_nan=False)
    weights = {p.id: draw(weight) for p in points}
    if sum(weights.values()) <= 0:
        weights[points[0].id] = 1.0
    scale = draw(st.sampled_from([1.0, 10.0, 100.0, 7.5]))
    score = st.floats(min_value=0, max_value=scale, allow_nan=False)
    scores = {
        p.id: {o: draw(score) for o in p.option_keys}
        for p in points
        if weights[p.id] > 0 or draw(st.booleans())
    }
    options = [(p.id, o) for p in points for o in p.option_keys]
    red = draw(st.lists(st.sampled_from(options), max_size=3, unique=True))
    links = []
    if len(points) >= 2:
        for _ in range(draw(st.integers(0, 2))):
            source, target = draw(
                st.lists(st.sampled_from(points), min_size=2, max_size=2, unique_by=lambda p: p.id)
            )
            links.append(
                Link(
                    source.id,
                    draw(st.sampled_from(source.option_keys)),
                    target.id,
                    tuple(draw(st.lists(st.sampled_from(target.option_keys), min_size=1, max_size=3))),
                    draw(maybe_words),
                )
            )
    return Preferences(
        party=party_id,
        weights=weights,
        scores=scores,
        score_scale=scale,
        red_lines=tuple(RedLine(p, o, draw(maybe_words)) for p, o in red),
        reservation_value=draw(st.floats(min_value=0, max_value=1)),
        links=tuple(links),
        basis=draw(maybe_words),
    )


# -- random and mutated documents, for the loader's robustness ----------------

yaml_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | ids, inner, max_size=4),
    max_leaves=20,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> Any:
    """The document with a few random fields replaced, deleted or added."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(yaml_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8) | ids)] = draw(yaml_values)
        else:
            parent.insert(path[-1], draw(yaml_values))
    return doc
