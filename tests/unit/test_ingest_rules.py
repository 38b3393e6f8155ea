"""The rules of ingest, one by one: the report's date, the dates of its sentences, stance cues with
negation and hedging, names (spellings, titles, groups), points by their words and aliases."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from accord.domain.drafts import StanceKind
from accord.domain.proposals import ProposalKind
from accord.ingest.cues import cues_in, strongest
from accord.ingest.dates import dates_in, report_date
from accord.ingest.extract import read_report
from accord.ingest.names import Names
from accord.ingest.points import PointFinder
from accord.scenario.yaml_format import load

ROOT = Path(__file__).resolve().parents[2]
FRIDAY = dt.date(2031, 11, 7)


@pytest.fixture(scope="module")
def coalition():  # type: ignore[no-untyped-def]
    return load(ROOT / "examples" / "coalition-agreement.yaml")


@pytest.mark.parametrize(
    ("head", "day", "rule"),
    [
        ("VELDEN, Nov 7 (Veldland Press) - The four parties", dt.date(2031, 11, 7), "dateline"),
        ("GENEVA, Nov. 24 (Reuters) — Talks", dt.date(2031, 11, 24), "dateline"),
        ("KYIV, Monday, 3 November - The", dt.date(2031, 11, 3), "dateline"),
        ("Readout of the meeting\n7 November 2031\n\nThe formateur", dt.date(2031, 11, 7), None),
        ("WASHINGTON —\nBy Staff, December 3, 2030\n\nText", dt.date(2030, 12, 3), None),
    ],
)
def test_the_dateline_or_a_dated_heading_fixes_the_report_day(
    head: str, day: dt.date, rule: str | None
) -> None:
    found = report_date(head, record_latest=dt.date(2031, 11, 20))
    assert found is not None and found.date == day
    if rule:
        assert found.rule == rule


def test_a_dateline_without_a_year_takes_the_year_the_record_makes_likely_and_says_so() -> None:
    found = report_date("VELDEN, Dec 30 (Veldland Press) - Talks", record_latest=dt.date(2032, 1, 3))
    assert found is not None and found.date == dt.date(2031, 12, 30)
    assert found.note is not None and "no year" in found.note and "2032-01-03" in found.note


def test_no_date_is_invented_for_a_report_without_one() -> None:
    assert report_date("Talks stall\n\nThe parties met again.") is None


@pytest.mark.parametrize(
    ("sentence", "day", "approx"),
    [
        ("The parties met on Thursday.", dt.date(2031, 11, 6), None),
        ("They will meet again on Tuesday.", dt.date(2031, 11, 11), None),
        ("They met yesterday.", dt.date(2031, 11, 6), None),
        ("The text was handed over on Nov 3.", dt.date(2031, 11, 3), None),
        ("On 5 November 2031 the formateur met them.", dt.date(2031, 11, 5), None),
        ("Last week the Liberals said no.", None, "Last week"),
        ("In November the talks stalled.", None, "In November"),
    ],
)
def test_sentence_dates_resolve_against_the_report_day(
    sentence: str, day: dt.date | None, approx: str | None
) -> None:
    found = dates_in(sentence, FRIDAY)
    assert found, sentence
    assert found[0].date == day
    assert found[0].approx == approx


def test_a_date_that_reads_two_ways_is_flagged_not_guessed() -> None:
    (found,) = dates_in("They met on 03/04/2031.", FRIDAY)
    assert found.date is None and found.note is not None and "two ways" in found.note


def test_a_past_weekday_and_a_future_weekday_in_one_sentence() -> None:
    found = dates_in("They met on Monday, and will meet again on Thursday.", FRIDAY)
    assert [f.date for f in found] == [dt.date(2031, 11, 3), dt.date(2031, 11, 13)]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("We are not saying no to the proposal", StanceKind.CONDITIONAL),
        ("This is far from a rejection", StanceKind.CONDITIONAL),
        ("The plan is a non-starter for us", StanceKind.REJECT),
        ("We cannot accept a cap on the army", StanceKind.REJECT),
        ("This is not acceptable", StanceKind.REJECT),
        ("The ministry is studying the text", StanceKind.STUDYING),
        ("The party welcomes the compromise", StanceKind.ACCEPT),
        (
            "The rule was acceptable on condition that rejected applicants are returned",
            StanceKind.CONDITIONAL,
        ),
        ("They did not reject the idea", StanceKind.CONDITIONAL),
        ("We are still far from agreement on the dam", StanceKind.REJECT),
        ("She declined to comment", StanceKind.NO_POSITION),
    ],
)
def test_stance_cues_read_negation_and_conditions(sentence: str, kind: StanceKind) -> None:
    cue = strongest(cues_in(sentence))
    assert cue is not None and cue.kind is kind, (sentence, cue)


def test_words_on_the_state_of_the_talks_are_no_party_s_stance() -> None:
    assert strongest(cues_in("The sides remain far from agreement")) is None
    assert strongest(cues_in("There is no agreement on the plant yet")) is None


def test_a_hedge_lowers_the_confidence_not_the_kind() -> None:
    firm = strongest(cues_in("The party accepts the text"))
    hedged = strongest(cues_in("The party might accept the text"))
    assert firm is not None and hedged is not None
    assert hedged.kind is firm.kind and hedged.confidence < firm.confidence


def test_a_spelling_close_to_a_record_name_is_that_person(coalition) -> None:  # type: ignore[no-untyped-def]
    names = Names.of(coalition)
    (found,) = [m for m in names.people_in("Anuk Verhagen told reporters") if m.kind == "person"]
    assert coalition.person(found.key).name == "Anouk Verhaegen"
    assert found.score < 1.0


def test_a_title_introduces_a_person_the_record_lacks_with_the_party_it_implies(coalition) -> None:  # type: ignore[no-untyped-def]
    names = Names.of(coalition)
    text = "Greens spokeswoman Lena Pauwels said the party was studying the text."
    (new,) = names.new_people_in(text, names.people_in(text))
    assert (new.key, new.party, new.role) == ("Lena Pauwels", "greens", "spokeswoman")


def test_an_organisation_is_no_person(coalition) -> None:  # type: ignore[no-untyped-def]
    names = Names.of(coalition)
    text = "A spokesman for the Velder Courant declined to say more."
    assert names.new_people_in(text, names.people_in(text)) == []


def test_points_by_alias_and_title_words_and_none_when_unclear(coalition) -> None:  # type: ignore[no-untyped-def]
    finder = PointFinder(coalition)
    assert finder.find("The finance ministry question remained open")[0].point == "finance-ministry"
    assert finder.find("The weather in Velden was mild and the mood friendly") == []


def _read(text: str, negotiation, **kwargs):  # type: ignore[no-untyped-def]
    return read_report(text, negotiation, sha256=hashlib.sha256(text.encode()).hexdigest(), **kwargs)


REPORT = """Coalition talks stall over finance ministry

VELDEN, Nov 14 (Veldland Press) - Formateur Ilse Vandermaar met the four party leaders for five hours at \
Castle Rosendael on Thursday.

Henrik van Dael told reporters the finance ministry question remained "a non-starter" for the Liberals.

Greens spokeswoman Lena Pauwels said the party was studying the formateur's text on the minimum wage. \
Piet Lindqvist joined for the second half of the meeting.

The formateur handed over two documents to the Greens and the Christian Democrats. The parties will meet \
again next Tuesday.

A copy of the draft was leaked to the Velden Courier on Wednesday. An analyst at Velden University, \
Karl Moor, said the talks could collapse.
"""


def test_a_report_proposes_each_kind_with_its_evidence(coalition) -> None:  # type: ignore[no-untyped-def]
    proposals = _read(REPORT, coalition)
    assert proposals.report.date == dt.date(2031, 11, 14) and proposals.report.date_rule == "dateline"
    by_kind: dict[ProposalKind, list] = {}
    for p in proposals.proposals:
        by_kind.setdefault(p.kind, []).append(p)
        for e in p.evidence:  # the evidence is the report's own words, where they stand
            assert REPORT[e.start : e.end] == e.quote
        assert p.rule and 0 < p.confidence < 1
    held, planned = by_kind[ProposalKind.MEETING]
    assert held.fields["date"] == dt.date(2031, 11, 13) and held.fields["duration_minutes"] == 300
    assert held.fields["place"] == "Castle Rosendael"
    assert any("the year is 2031" in note for note in held.notes)  # the dateline gives none
    assert {"person": "Piet Lindqvist", "note": "joined for the second half of the meeting"} in held.fields[
        "people"
    ]
    assert planned.fields["status"] == "planned" and planned.fields["date"] == dt.date(2031, 11, 18)
    speakers = {s.fields["speaker"]: s for s in by_kind[ProposalKind.STATEMENT]}
    assert set(speakers) == {"Henrik van Dael", "Lena Pauwels"}  # the analyst is no party's
    assert speakers["Henrik van Dael"].fields["stance"] == "reject"
    stances = {
        (s.fields["party"], s.fields["point"], s.fields["stance"]) for s in by_kind[ProposalKind.STANCE]
    }
    assert ("liberals", "finance-ministry", "reject") in stances
    assert ("greens", "minimum-wage", "studying") in stances
    (person,) = by_kind[ProposalKind.PERSON]
    assert person.fields == {"name": "Lena Pauwels", "party": "greens", "role": "spokeswoman"}
    (paper,) = by_kind[ProposalKind.PAPER]
    assert paper.fields["count"] == 2 and set(paper.fields["recipients"]) == {"greens", "christian-democrats"}
    (leak,) = by_kind[ProposalKind.EVENT]
    assert leak.fields["event"] == "leak" and leak.fields["date"] == dt.date(2031, 11, 12)


def test_a_report_about_another_negotiation_proposes_nothing_and_says_so(coalition) -> None:  # type: ignore[no-untyped-def]
    text = (
        "OSLO, March 3 (Nordic Wire) - Fishing quotas for the Barents Sea were agreed by the Norwegian and "
        'Icelandic delegations on Tuesday. "A fair outcome," said Minister Ola Brekke.'
    )
    proposals = _read(text, coalition)
    assert proposals.proposals == ()
    assert any("another negotiation" in note for note in proposals.report.notes)


def test_a_statement_with_no_identifiable_point_is_linked_to_none(coalition) -> None:  # type: ignore[no-untyped-def]
    text = 'VELDEN, Nov 7 (Veldland Press) - "We are making progress," Henrik van Dael said.'
    (statement,) = [p for p in _read(text, coalition).proposals if p.kind is ProposalKind.STATEMENT]
    assert "points" not in statement.fields
    assert not [p for p in _read(text, coalition).proposals if p.kind is ProposalKind.STANCE]
