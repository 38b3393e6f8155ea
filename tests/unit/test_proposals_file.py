"""The proposals file of `accord ingest`: written for a person to review and edit, read back exactly.

What accord writes reads back as the same proposals (a rich example and random ones); every edit a
reviewer can get wrong is refused with the file, the field's path, what was expected and the line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.domain import EventKind, MeetingChannel, MeetingStatus, StanceKind, StatementChannel
from accord.domain.proposals import FIELDS, Evidence, Proposal, ProposalKind, Proposals, Report
from accord.errors import Problem, ScenarioError
from accord.scenario.proposals_file import (
    dump_proposals,
    load_proposals,
    parse_proposals,
    proposals_json,
)

SHA = "3f" * 32
ROOT = Path(__file__).resolve().parents[2]


def rich() -> Proposals:
    report = Report(
        SHA,
        file="reports/kommersant-2025-12-03.html",
        date=dt.date(2025, 12, 3),
        date_rule="dateline",
        outlet="Коммерсантъ",
        url="https://example.org/doc/123",
        title="Переговоры в Кремле: «пока не там»",
        negotiation="ukraine-2025",
        characters=5234,
        notes=("the report's year is assumed",),
    )
    long_quote = "Юрий Ушаков сказал журналистам, что " + "разговор был полезным и конструктивным, " * 8
    proposals = (
        Proposal(
            "p1",
            ProposalKind.PERSON,
            0.9,
            (Evidence("Кирилл Дмитриев, глава РФПИ", 10, 37),),
            {"name": "Кирилл Дмитриев", "party": "russia", "role": "envoy", "aliases": ["Dmitriev"]},
            rule="name-and-role",
        ),
        Proposal(
            "p2",
            ProposalKind.MEETING,
            0.85,
            (
                Evidence("встреча в Кремле\nдлилась пять часов", 40, 75),
                Evidence(long_quote, 80, 80 + len(long_quote)),
            ),
            {
                "date": dt.date(2025, 12, 2),
                "start": dt.datetime(2025, 12, 2, 17, 0),
                "place": "Moscow, the Kremlin",
                "duration_minutes": 300,
                "participants": ["russia", "usa"],
                "people": [{"person": "Putin"}, {"person": "Witkoff", "note": "joined for the second half"}],
                "status": "held",
                "channel": "in-person",
            },
            rule="meeting-sentence",
            notes=("the year is the record's, not the report's", "check the duration"),
        ),
        Proposal(
            "p3",
            ProposalKind.MEETING,
            0.4,
            (Evidence("talks are expected next week", 300, 328),),
            {"date_approx": "next week", "start": dt.time(10, 30), "status": "planned", "channel": "video"},
        ),
        Proposal(
            "p4",
            ProposalKind.PAPER,
            0.6,
            (Evidence("handed over several documents", 400, 429),),
            {"count": None, "recipients": ["russia"], "recipient_people": ["Ushakov"], "meeting": "p2"},
        ),
        Proposal(
            "p5",
            ProposalKind.PAPER,
            0.55,
            (),
            {"title": "The 28-point plan", "count": 2, "meeting": "kremlin-2025-12-02", "draft": 3},
            accept=False,
        ),
        Proposal(
            "p6",
            ProposalKind.STATEMENT,
            0.7,
            (Evidence('"We are not there yet," Ushakov said', 500, 536),),
            {
                "date": dt.date(2025, 12, 3),
                "speaker": "Ushakov",
                "party": "russia",
                "quote": "We are not there yet: 17:00, yes, no, 7",
                "channel": "press",
                "points": ["7", "territory"],
                "stance": "no-position",
                "draft": 3,
                "cue": "not there yet",
            },
        ),
        Proposal(
            "p7",
            ProposalKind.STANCE,
            0.5,
            (Evidence("not there yet", 510, 523),),
            {
                "party": "russia",
                "point": "7",
                "stance": "reject",
                "date": dt.date(2025, 12, 3),
                "statement": "p6",
            },
        ),
        Proposal(
            "p8",
            ProposalKind.EVENT,
            0.45,
            (Evidence("the plan leaked to Axios last week", 600, 634),),
            {
                "event": "leak",
                "date_approx": "last week",
                "summary": "The plan leaked",
                "surfaced": "Axios",
                "draft": 2,
            },
        ),
    )
    return Proposals(report, proposals)


def test_a_rich_file_reads_back_as_written() -> None:
    proposals = rich()
    text = dump_proposals(proposals)
    assert parse_proposals(text, "p.yaml") == proposals


def test_the_file_tells_the_reviewer_what_to_do_and_reads_as_a_person_writes() -> None:
    text = dump_proposals(rich())
    head = text.split("report:")[0]
    assert all(line.startswith("#") or not line for line in head.splitlines())
    assert "accept: false" in head and "accord ingest apply FILE" in head
    assert "outlet: Коммерсантъ" in text  # unicode kept
    assert "date: 2025-12-02\n" in text  # a date as typed, unquoted
    assert "start: 2025-12-02 17:00\n" in text and "start: '10:30'\n" in text
    assert "participants: [russia, usa]\n" in text
    assert "count: null\n" in text  # several papers: the null is kept
    # a long quote stays on one line; one running over lines is a block
    assert any(len(line) > 300 and "конструктивным" in line for line in text.splitlines())
    assert "quote: |-\n      встреча в Кремле\n      длилась пять часов\n" in text
    # the order of a proposal's keys: id, kind, accept, confidence, rule, notes, fields, evidence
    meeting = text.split("- id: p2\n")[1].split("\n\n")[0]
    keys = [line.split(":")[0] for line in meeting.splitlines() if re.match(r"  [a-z_]+:", line)]
    assert keys[:6] == ["  kind", "  accept", "  confidence", "  rule", "  notes", "  date"]
    assert keys[-1] == "  evidence"
    assert "confidence: 0.85\n" in meeting


def test_what_accord_ingest_proposes_reads_back_as_proposed() -> None:
    from accord.ingest.extract import read_report
    from accord.scenario.yaml_format import load

    negotiation = load(ROOT / "examples" / "coalition-agreement.yaml")
    read = 0
    for report in sorted((ROOT / "tests" / "fixtures" / "reports").glob("1[3-8]-*.txt")):
        text = report.read_text(encoding="utf-8")
        proposals = read_report(text, negotiation, sha256=SHA, file=report.name, date=dt.date(2031, 11, 7))
        assert parse_proposals(dump_proposals(proposals), "p.yaml") == proposals, report.name
        read += len(proposals.proposals)
    assert read > 20


def test_notes_and_rules_read_as_sentences() -> None:
    text = dump_proposals(rich())
    assert "  notes:\n  - \"the year is the record's, not the report's\"\n  - check the duration\n" in text


def test_confidence_is_written_with_two_decimals() -> None:
    proposals = rich()
    odd = Proposals(proposals.report, (Proposal("p1", ProposalKind.PERSON, 2 / 3, (), {"name": "X"}),))
    assert "confidence: 0.67\n" in dump_proposals(odd)


def test_the_json_form_has_every_field_beside_the_proposals_own() -> None:
    data = proposals_json(rich())
    assert json.loads(json.dumps(data)) == data
    assert data["report"]["date"] == "2025-12-03" and data["report"]["url"] == "https://example.org/doc/123"
    meeting = data["proposals"][1]
    assert meeting["id"] == "p2" and meeting["kind"] == "meeting" and meeting["accept"] is True
    assert meeting["date"] == "2025-12-02" and meeting["start"] == "2025-12-02 17:00"
    assert meeting["participants"] == ["russia", "usa"]
    assert meeting["evidence"][0] == {"quote": "встреча в Кремле\nдлилась пять часов", "start": 40, "end": 75}
    assert data["proposals"][3]["count"] is None
    assert data["proposals"][2]["start"] == "10:30"


def test_load_proposals_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "proposals.yaml"
    path.write_text(dump_proposals(rich()), encoding="utf-8")
    assert load_proposals(path) == rich()


# random proposals ---------------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
        st.sampled_from(list("\n:#'\"-[]{}&*!|>%@`, ?")),
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: bool(s.strip()))
_NOT_AN_ID = _TEXT.filter(lambda s: not re.fullmatch(r"p\d+", s))
_TEXTS = st.lists(_TEXT, min_size=1, max_size=3)
_START = st.one_of(
    st.builds(dt.time, st.integers(0, 23), st.integers(0, 59)),
    st.builds(
        dt.datetime,
        st.integers(1990, 2100),
        st.integers(1, 12),
        st.integers(1, 28),
        st.integers(0, 23),
        st.integers(0, 59),
    ),
)
_PERSON = st.one_of(
    st.builds(lambda p: {"person": p}, _TEXT), st.builds(lambda p, n: {"person": p, "note": n}, _TEXT, _TEXT)
)
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    **{
        name: _TEXT
        for name in ("name", "party", "role", "place", "reason", "title", "speaker", "quote", "cue")
    },
    **{name: _TEXT for name in ("point", "summary", "surfaced", "date_approx")},
    "meeting": _NOT_AN_ID,
    "statement": _NOT_AN_ID,
    **{name: _TEXTS for name in ("aliases", "participants", "recipients", "recipient_people", "points")},
    "date": st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    "start": _START,
    "duration_minutes": st.integers(1, 10_000),
    "draft": st.integers(1, 500),
    "count": st.one_of(st.none(), st.integers(1, 50)),
    "people": st.lists(_PERSON, min_size=1, max_size=3),
    "status": st.sampled_from([s.value for s in MeetingStatus]),
    "stance": st.sampled_from([s.value for s in StanceKind]),
    "event": st.sampled_from([e.value for e in EventKind]),
}
_CHANNELS = {
    ProposalKind.MEETING: st.sampled_from([c.value for c in MeetingChannel]),
    ProposalKind.STATEMENT: st.sampled_from([c.value for c in StatementChannel]),
}
_REQUIRED = {
    ProposalKind.PERSON: ("name",),
    ProposalKind.MEETING: ("date_approx",),
    ProposalKind.PAPER: (),
    ProposalKind.STATEMENT: ("speaker", "date", "quote"),
    ProposalKind.STANCE: ("party", "point", "stance"),
    ProposalKind.EVENT: ("event", "summary", "date"),
}


def _strategy(kind: ProposalKind, name: str) -> st.SearchStrategy[Any]:
    return _CHANNELS[kind] if name == "channel" else _VALUES[name]


@st.composite
def proposal(draw: st.DrawFn, ident: str) -> Proposal:
    kind = draw(st.sampled_from(list(ProposalKind)))
    fields = draw(
        st.fixed_dictionaries(
            {name: _strategy(kind, name) for name in _REQUIRED[kind]},
            optional={name: _strategy(kind, name) for name in FIELDS[kind] if name not in _REQUIRED[kind]},
        )
    )
    evidence = draw(
        st.lists(
            st.builds(
                lambda quote, start, length: Evidence(quote, start, start + length),
                st.text(max_size=60),  # any words, even blank ones, are a quote
                st.integers(0, 10**6),
                st.integers(0, 500),
            ),
            max_size=3,
        )
    )
    return Proposal(
        ident,
        kind,
        draw(st.integers(0, 100)) / 100,
        tuple(evidence),
        fields,
        rule=draw(st.one_of(st.just(""), _TEXT)),
        notes=tuple(draw(st.lists(_TEXT, max_size=2))),
        accept=draw(st.booleans()),
    )


@st.composite
def proposals_files(draw: st.DrawFn) -> Proposals:
    optional = st.one_of(st.none(), _TEXT)
    report = Report(
        draw(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)),
        file=draw(optional),
        date=draw(st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))),
        date_rule=draw(optional),
        outlet=draw(optional),
        url=draw(optional),
        title=draw(optional),
        negotiation=draw(optional),
        characters=draw(st.integers(0, 10**7)),
        notes=tuple(draw(st.lists(_TEXT, max_size=2))),
    )
    count = draw(st.integers(0, 5))
    return Proposals(report, tuple(draw(proposal(f"p{i + 1}")) for i in range(count)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(proposals_files())
def test_any_proposals_read_back_as_written(proposals: Proposals) -> None:
    assert parse_proposals(dump_proposals(proposals), "p.yaml") == proposals


# a reviewer's bad edits -----------------------------------------------------------------------------


def _problems(text: str) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        parse_proposals(text, "p.yaml")
    return caught.value.problems


def _line(text: str, fragment: str, after: str = "") -> int:
    """The line (1-based) where ``fragment`` first stands (after the first ``after``)."""
    start = text.index(after) if after in text else 0
    return text[: text.index(fragment, start)].count("\n") + 1


def _edit(old: str, new: str, after: str = "") -> str:
    text = dump_proposals(rich())
    start = text.index(after) if after else 0
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def _only(text: str) -> Problem:
    problems = _problems(text)
    assert len(problems) == 1, problems
    return problems[0]


# an edit: the text replaced, its replacement, the proposal edited (its id: where the text is looked
# for), the path of the problem, what its message says
# fmt: off
BAD_EDITS = [
    ("date: 2025-12-02", "date: 2025-13-02", "p2", "proposals[1].date", "'2025-13-02' is no such day"),
    ("date: 2025-12-02", "date: 2 December", "p2", "proposals[1].date", "expected a date YYYY-MM-DD"),
    ("date: 2025-12-02", "date: [2025]", "p2", "proposals[1].date", "got [2025]; expected a date YYYY-MM-DD"),
    ("duration_minutes: 300", "duration_minutes: 0", "p2", "proposals[1].duration_minutes",
     "got 0; expected a whole number above 0"),
    ("duration_minutes: 300", "duration_minutes: 5h", "p2", "proposals[1].duration_minutes", "got '5h'"),
    ("count: null", "count: -1", "p4", "proposals[3].count", "or null (several, how many not known)"),
    ("draft: 3", "draft: three", "p5", "proposals[4].draft", "expected a whole number above 0"),
    ("participants: [russia, usa]", "participants: russia", "p2", "proposals[1].participants",
     "got 'russia'; expected a list of texts"),
    ("participants: [russia, usa]", "participants: [russia, [usa]]", "p2", "proposals[1].participants[1]",
     "got ['usa']; expected text"),
    ("aliases: [Dmitriev]", "aliases: {a: b}", "p1", "proposals[0].aliases", "expected a list of texts"),
    ("- person: Putin", "- person: [Putin]", "p2", "proposals[1].people[0].person",
     "expected a person's key, name or alias"),
    ("- person: Putin", "- person: Putin\n    role: lead", "p2", "proposals[1].people[0].role",
     "unknown field; expected one of: person, note"),
    ("status: held", "status: over", "p2", "proposals[1].status",
     "got 'over'; expected one of: planned, held, postponed, cancelled"),
    ("channel: in-person", "channel: press", "p2", "proposals[1].channel",
     "expected one of: in-person, call, video"),
    ("channel: press", "channel: video", "p6", "proposals[5].channel",
     "expected one of: press, interview, social, official, private"),
    ("stance: reject", "stance: maybe", "p7", "proposals[6].stance",
     "expected one of: accept, conditional, reject, studying, no-position"),
    ("event: leak", "event: coup", "p8", "proposals[7].event",
     "expected one of: leak, announcement, postponement, other"),
    # YAML 1.1 reads an unquoted 10:30 as 630 (base 60)
    ("start: '10:30'", "start: 10:30", "p3", "proposals[2].start",
     "got 630; expected a time 'HH:MM' (in quotes)"),
    ("start: 2025-12-02 17:00", "start: 2025-12-02 25:00", "p2", "proposals[1].start",
     "expected a time 'HH:MM' (in quotes) or a date and time YYYY-MM-DD HH:MM"),
    ("accept: true", "accept: maybe", "p2", "proposals[1].accept",
     "got 'maybe'; expected true (write it) or false (drop it)"),
    ("confidence: 0.85", "confidence: 1.5", "p2", "proposals[1].confidence",
     "got 1.5; expected a number from 0 to 1"),
    ("confidence: 0.85", "confidence: high", "p2", "proposals[1].confidence", "got 'high'"),
    ("kind: meeting", "kind: rally", "p2", "proposals[1].kind",
     "got 'rally'; expected one of: person, meeting, paper, statement, stance, event"),
    ("id: p1", "id: p 1", "p1", "proposals[0].id", "got 'p 1'; expected an id of letters, digits, - and _"),
    ("place: Moscow, the Kremlin", "venue: Moscow", "p2", "proposals[1].venue",
     "unknown field; expected one of: id, kind, accept, confidence, rule, notes, date, date_approx, start"),
    ("party: russia", "party: russia\n  speaker: Putin", "p1", "proposals[0].speaker",
     "unknown field; expected one of: id, kind, accept, confidence, rule, notes, name, party, role, "
     "aliases, evidence"),
    ("    start: 10\n", "    start: -1\n", "p1", "proposals[0].evidence[0].start",
     "got -1; expected a character offset in the report (0 or more)"),
    ("    end: 37\n", "    end: 5\n", "p1", "proposals[0].evidence[0].end",
     "got 5; expected an offset at or after the start (10)"),
    ("- quote: Кирилл Дмитриев, глава РФПИ", "- quote: [a]", "p1", "proposals[0].evidence[0].quote",
     "got ['a']; expected the report's words"),
    ("    end: 37\n", "    end: 37\n    page: 2\n", "p1", "proposals[0].evidence[0].page",
     "unknown field; expected one of: quote, start, end"),
    ("evidence:\n  - quote: Кирилл Дмитриев, глава РФПИ\n    start: 10\n    end: 37\n", "evidence: yes\n",
     "p1", "proposals[0].evidence",
     "got True; expected a list of the passages it rests on"),
    ("sha256: " + SHA, "sha256: abc", "", "report.sha256",
     "got 'abc'; expected the SHA-256 of the report's text (64 hex digits)"),
    ("characters: 5234", "characters: many", "", "report.characters", "expected a whole number of 0 or more"),
    ("date: 2025-12-03", "date: yesterday", "", "report.date", "got 'yesterday'; expected a date YYYY-MM-DD"),
    ("outlet: Коммерсантъ", "outlet: Коммерсантъ\n  author: Иванов", "", "report.author",
     "unknown field; expected one of: sha256, file, date, date_rule, outlet"),
    ("meeting: p2", "meeting: p6", "p4", "proposals[3].meeting",
     "proposal p6 is a statement in this file; expected the id of a meeting proposal"),
    ("meeting: p2", "meeting: p99", "p4", "proposals[3].meeting",
     "no proposal p99 in this file; expected the id of a meeting proposal (or a stored meeting's key)"),
    ("statement: p6", "statement: p1", "p7", "proposals[6].statement",
     "proposal p1 is a person in this file; expected the id of a statement proposal"),
]
# fmt: on


@pytest.mark.parametrize(("old", "new", "owner", "path", "message"), BAD_EDITS)
def test_a_bad_edit_is_refused_naming_the_field_and_its_line(
    old: str, new: str, owner: str, path: str, message: str
) -> None:
    after = f"- id: {owner}\n" if owner else "report:"
    text = _edit(old, new, after)
    problem = _only(text)
    assert (problem.file, problem.path) == ("p.yaml", path)
    assert message in problem.message, problem.message
    # the line of the field named last in the path: the edited line that gives it
    key = re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1]
    given = next(
        (line.strip() for line in new.splitlines() if f"{key}:" in line), new.strip().splitlines()[0]
    )
    assert problem.line == _line(text, given, after)


def test_a_reference_that_is_not_a_proposal_id_is_left_for_the_apply_step() -> None:
    text = _edit("meeting: p2", "meeting: kremlin-2025-12-02")
    assert parse_proposals(text, "p.yaml").proposals[3].get("meeting") == "kremlin-2025-12-02"


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("  name: Кирилл Дмитриев\n", "", "proposals[0].name", "missing; a person needs a name"),
        ("  speaker: Ushakov\n", "", "proposals[5].speaker", "missing; a statement needs a speaker"),
        (
            "  quote: 'We are not there yet: 17:00, yes, no, 7'\n",
            "",
            "proposals[5].quote",
            "missing; a statement needs the words said",
        ),
        ("  point: '7'\n", "", "proposals[6].point", "missing; a stance needs the point"),
        ("  summary: The plan leaked\n", "", "proposals[7].summary", "missing; a event needs a summary"),
        (
            "  date_approx: next week\n",
            "",
            "proposals[2].date",
            "missing; a meeting needs a date (YYYY-MM-DD) or date_approx",
        ),
        ("  date_approx: last week\n", "", "proposals[7].date", "missing; a event needs a date"),
        ("  confidence: 0.9\n", "", "proposals[0].confidence", "missing; expected a number from 0 to 1"),
        (
            "  evidence:\n  - quote: Кирилл",
            "  evidenc:\n  - quote: Кирилл",
            "proposals[0].evidence",
            "missing; expected a list of the passages",
        ),
    ],
)
def test_a_missing_field_is_refused_at_its_proposals_line(
    old: str, new: str, path: str, message: str
) -> None:
    text = dump_proposals(rich())
    owner = text[: text.index(old)].rindex("- id: ")
    text = text.replace(old, new, 1)
    problems = [p for p in _problems(text) if p.path == path]
    assert len(problems) == 1, _problems(text)
    assert message in problems[0].message, problems[0].message
    line = text[:owner].count("\n") + 1
    assert problems[0].line == line


def test_a_blanked_field_is_not_proposed_but_a_blanked_required_one_is_missing() -> None:
    text = _edit("place: Moscow, the Kremlin", "place: ''")
    assert "place" not in parse_proposals(text, "p.yaml").proposals[1].fields
    problem = _only(_edit("name: Кирилл Дмитриев", "name:"))
    assert problem.path == "proposals[0].name" and "missing" in problem.message


def test_a_duplicate_key_is_refused_with_both_lines() -> None:
    text = _edit("place: Moscow, the Kremlin", "place: Moscow\n  place: Kyiv")
    problem = _only(text)
    assert problem.path == "proposals[1].place"
    first = _line(text, "place: Moscow")
    assert (
        problem.line == first + 1
        and f"duplicate key 'place' (first given on line {first})" in problem.message
    )


def test_a_duplicate_id_is_refused_naming_the_first() -> None:
    text = _edit("- id: p3", "- id: p2")
    problem = _only(text)
    assert problem.path == "proposals[2].id"
    first = _line(text, "- id: p2")
    assert f"duplicate id 'p2' (first given on line {first})" in problem.message
    assert problem.line == _line(
        text, "- id: p2", "- id: p2\n  kind: meeting\n  accept: true\n  confidence: 0.4"
    )


def test_every_problem_of_the_file_is_reported_at_once() -> None:
    text = _edit("status: held", "status: over")
    text = text.replace("confidence: 0.4\n", "confidence: 4\n").replace("event: leak", "event: coup")
    paths = [p.path for p in _problems(text)]
    assert paths == ["proposals[1].status", "proposals[2].confidence", "proposals[7].event"]


@pytest.mark.parametrize(
    ("text", "path", "message", "line"),
    [
        ("", "", "the file is empty; expected a proposals file (report: and proposals:)", None),
        ("  \n\n", "", "the file is empty; expected a proposals file", None),
        ("- a\n- b\n", "", "expected a proposals file (report: and proposals:): a mapping", 1),
        ("report: x\nproposals: []\n", "report", "expected a mapping: sha256, file, date", 1),
        (f"report:\n  sha256: {SHA}\nproposals: {{}}\n", "proposals", "expected a list of proposals", 3),
        (f"report:\n  sha256: {SHA}\n", "proposals", "missing; expected a list of proposals", 1),
        ("proposals: []\n", "report", "missing; expected the report", 1),
        (f"report:\n  sha256: {SHA}\nproposals:\n- p1\n", "proposals[0]", "expected a mapping: id, kind", 4),
        (
            f"report:\n  sha256: {SHA}\nproposals: []\nextra: 1\n",
            "extra",
            "unknown field; expected report and proposals",
            4,
        ),
        ("report: [unclosed\n", "", "not valid YAML", 2),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused(text: str, path: str, message: str, line: int | None) -> None:
    problem = _only(text)
    assert problem.path == path and message in problem.message, problem
    assert problem.line == line


def test_no_proposals_at_all_is_a_file() -> None:
    read = parse_proposals(f"report:\n  sha256: {SHA.upper()}\nproposals: []\n", "p.yaml")
    assert read == Proposals(Report(SHA), ())


def test_an_entry_added_by_hand_needs_no_rule_no_accept_and_may_rest_on_no_quote() -> None:
    text = (
        dump_proposals(rich())
        + "\n- id: extra-1\n  kind: person\n  confidence: 1\n  name: Rustem Umerov\n  evidence: []\n"
    )
    added = parse_proposals(text, "p.yaml").proposals[-1]
    assert added == Proposal("extra-1", ProposalKind.PERSON, 1.0, (), {"name": "Rustem Umerov"})


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_proposals(tmp_path / "nope.yaml")
    assert "cannot read the file" in str(caught.value)


def test_the_dump_is_safe_yaml_for_other_tools() -> None:
    data = yaml.safe_load(dump_proposals(rich()))
    assert [p["id"] for p in data["proposals"]] == [f"p{i}" for i in range(1, 9)]
