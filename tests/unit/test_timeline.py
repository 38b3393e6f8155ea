"""The timeline as a pure function of a negotiation (accord.analysis.timeline): date order, approximate
and undated entries, plain words, parties involved, sources, and the filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from accord.analysis.timeline import Circulated, EntryKind, build, kinds_named, party_named, select
from accord.domain import (
    Attendee,
    Draft,
    Event,
    EventKind,
    Meeting,
    MeetingChannel,
    MeetingStatus,
    Negotiation,
    Option,
    Paper,
    Party,
    Person,
    Point,
    Role,
    Source,
    Stance,
    StanceKind,
    Statement,
    StatementChannel,
    TraceRecord,
)
from accord.errors import DomainError, NotFoundError

D = dt.date


def negotiation() -> Negotiation:
    return Negotiation(
        id="harbour",
        title="Harbour talks",
        points=(
            Point(
                "ceasefire", 1, "Ceasefire", (Option("now", "Immediate ceasefire"), Option("later", "Phased"))
            ),
            Point(
                "harbour", 2, "Control of the harbour", (Option("north", "North"), Option("joint", "Joint"))
            ),
        ),
        parties=(
            Party("envoy", "Envoy", Role.MEDIATOR),
            Party("north", "North"),
            Party("south", "South"),
        ),
        people=(
            Person("mara", "Mara Lind", party="north", lead=True),
            Person("oren", "Oren Vale", party="south", role="spokesman"),
            Person("ida", "Ida Sorn", role="journalist"),
        ),
        sources=(
            Source(
                "gazette",
                outlet="Harbour Gazette",
                title="Talks held",
                url="https://gazette.example/a",
                date=D(2025, 1, 21),
            ),
        ),
        drafts=(
            Draft(
                1,
                {},
                date=D(2025, 1, 10),
                author="envoy",
                title="First text",
                circulated_to=("north", "south"),
            ),
            Draft(2, {}, parent=1, author="envoy"),  # undated: follows v1
            Draft(3, {}, date=D(2025, 1, 5), author="south", note="South's counter-text"),
        ),
        meetings=(
            Meeting(
                "round-2",
                D(2025, 1, 20),
                place="Valletta",
                participants=("envoy",),
                start=dt.datetime(2025, 1, 20, 17, 0),
                duration=dt.timedelta(hours=3),
                channel=MeetingChannel.IN_PERSON,
                people=(Attendee("mara"), Attendee("oren", "joined for the second half")),
                leads={"north": "mara"},
                outcome="Annex handed over",
                sources=("gazette",),
            ),
            Meeting(
                "round-3",
                None,
                status=MeetingStatus.PLANNED,
                date_approx="in the coming days",
                participants=("north",),
            ),
            Meeting("round-0", None, status=MeetingStatus.CANCELLED, reason="no agenda"),
        ),
        papers=(Paper("annex", "Harbour annex", recipient_people=("mara",), meeting="round-2"),),
        statements=(
            Statement(
                "vale",
                "oren",
                D(2025, 1, 21),
                "Parts are acceptable.",
                channel=StatementChannel.PRESS,
                points=("harbour",),
                stance=StanceKind.STUDYING,
                draft=1,
                sources=("gazette",),
            ),
        ),
        events=(
            Event(
                "leak",
                EventKind.LEAK,
                D(2025, 1, 22),
                "Draft 1 published",
                draft=1,
                traces=(TraceRecord("2025-01-22T10:00", "desk", {"named": "south", "confident": True}),),
            ),
            Event("later", EventKind.POSTPONEMENT, None, "Round 3 put off", date_approx="late January"),
        ),
        stances=(
            Stance(1, "south", "harbour", StanceKind.STUDYING, as_of=D(2025, 1, 21), evidence="vale"),
            Stance(1, "south", "ceasefire", StanceKind.ACCEPT, as_of=D(2025, 1, 21)),
            Stance(1, "north", "harbour", StanceKind.REJECT, note="never joint"),
        ),
    )


def test_entries_come_in_date_order_with_approximate_then_undated_last() -> None:
    entries = build(negotiation(), recorded={(1, "north", "harbour"): D(2025, 1, 23)})
    days = [e.day for e in entries if e.day is not None]
    assert days == sorted(days)
    tail = [(e.ref, e.approximate, e.undated) for e in entries if e.day is None]
    assert tail == [("round-3", True, False), ("later", True, False), ("round-0", False, True)]
    # the counter-text dated before v1 comes first, whatever its number
    assert [e.ref for e in entries if e.kind is EntryKind.DRAFT] == ["v3", "v1", "v2"]


def test_an_undated_draft_follows_the_one_numbered_below_it_and_says_so() -> None:
    v2 = next(e for e in build(negotiation()) if e.ref == "v2" and e.kind is EntryKind.DRAFT)
    assert v2.day == D(2025, 1, 10) and v2.approximate and v2.when == "after v1 (2025-01-10)"
    assert v2.data()["date"] == "2025-01-10" and v2.data()["approximate"] is True


def test_approximate_and_undated_entries_say_so_in_json() -> None:
    entries = {e.ref: e.data() for e in build(negotiation())}
    assert entries["round-3"]["date"] == "in the coming days" and entries["round-3"]["approximate"]
    assert entries["round-0"]["date"] is None and entries["round-0"]["undated"]
    assert entries["later"]["when"] == "late January" and entries["later"]["day"] is None
    assert entries["round-2"]["day"] == "2025-01-20"


def test_sentences_join_with_one_full_stop_and_papers_are_named_by_title() -> None:
    n = negotiation()
    leak = replace(n.events[0], summary="Draft 1 published.", paper="annex", note="Seen by many.")
    meeting = replace(n.meetings[0], outcome="Annex handed over.")
    entries = {e.ref: e for e in build(replace(n, events=(leak,), meetings=(meeting,)))}
    assert "Leak: Draft 1 published; draft v1; paper “Harbour annex”" in entries["leak"].summary
    assert ".." not in entries["leak"].summary and ".;" not in entries["leak"].summary
    assert entries["round-2"].summary.endswith("Outcome: Annex handed over.")


def test_a_meeting_in_plain_words_with_people_leads_time_and_sources() -> None:
    meeting = next(e for e in build(negotiation()) if e.ref == "round-2")
    assert meeting.when == "2025-01-20 17:00" and meeting.time == dt.time(17, 0)
    assert "Meeting held in Valletta (in person, from 17:00, for 3h)" in meeting.summary
    assert "Mara Lind (North; led)" in meeting.summary
    assert "Oren Vale (South; joined for the second half)" in meeting.summary
    assert set(meeting.parties) == {"envoy", "north", "south"}
    assert "mara" not in meeting.summary  # names, never keys
    assert [s.outlet for s in meeting.sources] == ["Harbour Gazette"]
    assert meeting.data()["sources"][0]["url"] == "https://gazette.example/a"


def test_a_paper_handed_over_at_a_meeting_takes_its_day_and_follows_it() -> None:
    entries = build(negotiation())
    refs = [e.ref for e in entries]
    paper = entries[refs.index("annex")]
    assert paper.day == D(2025, 1, 20) and refs.index("annex") == refs.index("round-2") + 1
    assert "“Harbour annex” to Mara Lind (North)" in paper.summary and paper.parties == ("north",)


def test_statements_events_and_stances_name_points_people_and_parties() -> None:
    entries = {(e.kind, e.ref): e for e in build(negotiation())}
    said = entries[(EntryKind.STATEMENT, "vale")]
    assert "Oren Vale (South), to the press: “Parts are acceptable.”" in said.summary
    assert "South is studying Control of the harbour (draft v1)" in said.summary
    leak = entries[(EntryKind.EVENT, "leak")]
    assert "traced to the copy of South with confidence" in leak.summary and leak.parties == ("south",)
    south = entries[(EntryKind.STANCE, "v1/south")]
    assert south.day == D(2025, 1, 21)
    assert "South accepts Ceasefire; is studying Control of the harbour (draft v1)" in south.summary
    assert "Oren Vale's statement of 2025-01-21" in south.summary


def test_a_stance_without_as_of_is_placed_on_its_drafts_date_never_on_the_day_it_was_recorded() -> None:
    # recorded long after the talks (an import): the recording day would stretch a chart to it
    recorded = {(1, "north", "harbour"): D(2026, 12, 2)}
    north = next(e for e in build(negotiation(), recorded=recorded) if e.ref == "v1/north")
    assert north.day == D(2025, 1, 10) and north.when == "on or after 2025-01-10" and north.approximate
    assert "North rejects Control of the harbour (never joint)" in north.summary
    unrecorded = next(e for e in build(negotiation()) if e.ref == "v1/north")
    assert unrecorded.day == D(2025, 1, 10)


def test_a_stance_without_as_of_on_an_undated_draft_has_no_day_and_says_when_it_was_recorded() -> None:
    base = negotiation()
    undated = replace(base, drafts=tuple(replace(d, date=None) for d in base.drafts))
    recorded = {(1, "north", "harbour"): D(2026, 12, 2)}
    north = next(e for e in build(undated, recorded=recorded) if e.ref == "v1/north")
    assert north.day is None and north.when == "recorded 2026-12-02" and north.approximate
    assert next(e for e in build(undated) if e.ref == "v1/north").undated


def test_circulations_by_draft_and_day_and_without_a_date_on_or_after_the_draft() -> None:
    dated = build(
        negotiation(),
        circulations=[Circulated(1, "north", D(2025, 1, 11)), Circulated(1, "south", D(2025, 1, 12))],
    )
    handed = [(e.day, e.summary) for e in dated if e.kind is EntryKind.CIRCULATION]
    assert handed == [
        (D(2025, 1, 11), "Draft v1 handed to North"),
        (D(2025, 1, 12), "Draft v1 handed to South"),
    ]
    undated = [e for e in build(negotiation()) if e.kind is EntryKind.CIRCULATION]
    assert [(e.summary, e.when, e.approximate) for e in undated] == [
        ("Draft v1 handed to North and South", "on or after 2025-01-10", True)
    ]
    # the handing over follows its draft, before the next text
    order = [
        (e.kind, e.ref) for e in build(negotiation()) if e.kind in (EntryKind.DRAFT, EntryKind.CIRCULATION)
    ]
    assert order.index((EntryKind.CIRCULATION, "v1")) == order.index((EntryKind.DRAFT, "v1")) + 1


def test_select_by_range_party_and_kind() -> None:
    entries = build(negotiation())
    ranged = select(entries, start=D(2025, 1, 20), end=D(2025, 1, 21))
    assert ranged and all(e.day is not None and D(2025, 1, 20) <= e.day <= D(2025, 1, 21) for e in ranged)
    south = select(entries, party="south")
    assert south and all("south" in e.parties for e in south)
    assert {e.ref for e in south} >= {"round-2", "vale", "leak", "v3"}
    assert "round-3" not in {e.ref for e in south}
    only = select(entries, kinds=[EntryKind.MEETING, EntryKind.EVENT])
    assert {e.kind for e in only} == {EntryKind.MEETING, EntryKind.EVENT}
    assert len(select(entries)) == len(entries)


def test_bad_kinds_and_parties_name_the_option() -> None:
    assert kinds_named(["Meeting", "stance"]) == {EntryKind.MEETING, EntryKind.STANCE}
    with pytest.raises(DomainError, match=r"^--kind: 'meetings' is not a kind"):
        kinds_named(["meetings"])
    assert party_named(negotiation(), "SOUTH") == "south"  # by name, case aside
    with pytest.raises(NotFoundError, match=r"^--party: no party 'west'"):
        party_named(negotiation(), "west")


def test_an_empty_negotiation_has_an_empty_timeline() -> None:
    empty = Negotiation("x", "X", points=(), parties=(Party("a", "A"),))
    assert build(empty) == []


def test_a_whole_rounds_answers_are_counted_and_the_rejections_named() -> None:
    """An entry of many answers (a party's answer to a whole draft) would drown the timeline and the
    briefing's recent events: it says how many of each, and names the points rejected."""
    from pathlib import Path

    from accord.scenario.yaml_format import load

    flagship = load(Path(__file__).resolve().parents[2] / "examples" / "peace-framework-2025.yaml")
    russia = next(e for e in build(flagship) if e.kind is EntryKind.STANCE and e.ref == "v3/russia")
    assert russia.summary.startswith("Russian Federation answered draft v3 on 28 points: rejected 8 (")
    assert "Territory" in russia.summary and russia.summary.endswith(
        "; accepted on conditions 12; accepted 8"
    )
    assert "Reconstruction package" not in russia.summary  # accepted: counted, not listed


def test_a_party_named_in_the_plural_takes_a_plural_verb() -> None:
    """European states (E3/EU) reject, Ukraine rejects: the verb agrees with the party's name."""
    talks = negotiation()
    talks = replace(
        talks,
        parties=(talks.parties[0], talks.parties[1], Party("south", "Southern states (the League)")),
    )
    entries = {(e.kind, e.ref): e for e in build(talks)}
    said = entries[(EntryKind.STATEMENT, "vale")].summary
    assert "Southern states (the League) are studying Control of the harbour (draft v1)" in said
    south = entries[(EntryKind.STANCE, "v1/south")].summary
    assert "Southern states (the League) accept Ceasefire; are studying Control of the harbour" in south
    north = entries[(EntryKind.STANCE, "v1/north")].summary
    assert "North rejects Control of the harbour" in north
