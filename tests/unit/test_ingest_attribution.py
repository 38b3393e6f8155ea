"""Ingest on patterns of real wire reports, in short sentences written for these tests (the people are
invented): who said what, which party a new person belongs to, which stances a sentence carries, and
when a report is not one to read."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.domain import Negotiation
from accord.domain.proposals import ProposalKind, Proposals
from accord.ingest.dates import report_date
from accord.ingest.extract import LOW_CONFIDENCE
from tests.unit.ingest_talks import of, read


def _said(proposals: Proposals) -> list[tuple[str, str, str]]:
    """(speaker, party, the sentence's first words) of each statement."""
    return [
        (p.fields["speaker"], p.fields["party"], p.evidence[0].quote[:20])
        for p in of(proposals, ProposalKind.STATEMENT)
    ]


WIRE = "MOSCOW, Dec 2 (Wire) - "


def test_he_is_who_spoke_before_not_the_person_named_last(talks: Negotiation) -> None:
    text = (
        WIRE + "Russian Deputy Foreign Minister Oleg Sarin said the new text differed from the old one. "
        "Sarin spoke after a call with Ukrainian negotiator Pavlo Hrin. "
        "He added that Russia could not accept the ceasefire as drafted."
    )
    said = _said(read(text, talks))
    assert [(who, party) for who, party, _ in said] == [("Oleg Sarin", "russia")] * 2


def test_a_name_after_the_reporting_verb_speaks_not_a_group_in_a_with_phrase(talks: Negotiation) -> None:
    text = (
        WIRE + "US envoy Marta Kell arrived in Moscow. "
        '"They would like to end the war," said Marta Kell, referring to her talks with Russian officials.'
    )
    assert [(who, party) for who, party, _ in _said(read(text, talks))] == [("Marta Kell", "united-states")]


def test_the_title_means_the_one_who_just_spoke_with_it(talks: Negotiation) -> None:
    text = (
        WIRE + "Ukrainian President Ivan Dorko and US President Ray Holt spoke by phone. "
        '"We made progress," said Ray Holt. The President added that much work remained.'
    )
    said = _said(read(text, talks))
    assert [who for who, _, _ in said] == ["Ray Holt", "Ray Holt"]


def test_a_quote_inside_the_words_names_no_speaker(talks: Negotiation) -> None:
    text = WIRE + 'A Western diplomat said: "Nothing is agreed until Ivan Dorko of Ukraine says so."'
    assert _said(read(text, talks)) == []


def test_a_person_who_backs_a_plan_is_not_its_speaker(talks: Negotiation) -> None:
    text = WIRE + "The plan, backed by US President Ray Holt, calls for Ukraine to cede territory."
    proposals = read(text, talks)
    assert of(proposals, ProposalKind.STATEMENT) == []
    assert of(proposals, ProposalKind.STANCE) == []


def test_an_acceptance_asked_of_a_party_is_not_its_stance(talks: Negotiation) -> None:
    text = (
        WIRE + "Ukrainian President Ivan Dorko faces a deadline to accept the deal, but he has warned "
        "that accepting it could undermine Ukraine's sovereignty."
    )
    proposals = read(text, talks)
    assert [(who, party) for who, party, _ in _said(proposals)] == [("Ivan Dorko", "ukraine")]
    assert all(p.fields.get("stance") != "accept" for p in proposals.proposals)


def test_a_clause_after_but_keeps_its_point_out_of_the_other_clause_s_stance(talks: Negotiation) -> None:
    text = (
        WIRE + "Ukrainian President Ivan Dorko said he welcomed the offer but acknowledged that "
        "differences remain over territorial concessions."
    )
    assert of(read(text, talks), ProposalKind.STANCE) == []


def test_a_guess_is_proposed_unaccepted(talks: Negotiation) -> None:
    # no dateline: the day is unknown, so the statement and its stance are unsure
    text = "Ukrainian negotiator Pavlo Hrin said Ukraine rejects the ceasefire as drafted."
    proposals = read(text, talks)
    unsure = [p for p in proposals.proposals if p.confidence < LOW_CONFIDENCE]
    assert unsure, "the case shows a low-confidence proposal"
    for p in proposals.proposals:
        if p.kind in (ProposalKind.STATEMENT, ProposalKind.STANCE) and p.confidence < LOW_CONFIDENCE:
            assert p.accept is False
            assert any("left unaccepted" in note for note in p.notes)


@pytest.mark.parametrize(
    ("sentence", "name", "party"),
    [
        ("Talks on the war with Russia resumed as special envoy Lena Ostrow arrived.", "Lena Ostrow", None),
        ("Kremlin spokesman Oleg Sarin spoke to reporters.", "Oleg Sarin", "russia"),
        ("Britain's national security adviser Tom Reed flew in.", "Tom Reed", "europe"),
        ("German Chancellor Karl Weiss flew in.", "Karl Weiss", "europe"),
        ("Pavlo Hrin, secretary of Ukraine's security council, flew in.", "Pavlo Hrin", "ukraine"),
        ("The plan, seen as favouring Moscow, was drafted by envoy Lena Ostrow.", "Lena Ostrow", None),
        ("Ray Holt's special envoy for Ukraine, Lena Ostrow, flew in.", "Lena Ostrow", None),
    ],
)
def test_a_new_person_s_party_is_their_title_s_never_one_mentioned_nearby(
    talks: Negotiation, sentence: str, name: str, party: str | None
) -> None:
    people = of(read(WIRE + "Russia and Ukraine sent delegations. " + sentence, talks), ProposalKind.PERSON)
    assert [(p.fields["name"], p.fields.get("party")) for p in people] == [(name, party)]
    if party is None:
        assert any("no party" in note for note in people[0].notes)


def test_the_owner_of_a_title_gives_its_party(talks: Negotiation) -> None:
    text = WIRE + "US President Ray Holt spoke to Kyiv. Holt's envoy Lena Ostrow flew in."
    people = of(read(text, talks), ProposalKind.PERSON)
    assert [(p.fields["name"], p.fields.get("party")) for p in people] == [
        ("Ray Holt", "united-states"),
        ("Lena Ostrow", "united-states"),
    ]


def test_a_title_before_a_name_is_the_person_s_not_a_group_s(talks: Negotiation) -> None:
    text = WIRE + "Ukrainian President Ivan Dorko said Ukraine rejects territorial concessions."
    assert [(who, party) for who, party, _ in _said(read(text, talks))] == [("Ivan Dorko", "ukraine")]


def test_names_are_whole_people_without_possessives_titles_or_councils(talks: Negotiation) -> None:
    text = (
        WIRE + "US President Ray Holt's envoy met Ukraine's team. "
        "Pavlo Hrin, secretary of Ukraine's National Security and Defence Council, said talks went well. "
        "Senator Mitch McAllister criticised the plan. Ukraine's deputy Ali Rezai-Tabar flew in. "
        "First Deputy Foreign Minister Olena Kovalska of Ukraine also attended."
    )
    names = {p.fields["name"] for p in of(read(text, talks), ProposalKind.PERSON)}
    assert names == {"Ray Holt", "Pavlo Hrin", "Mitch McAllister", "Ali Rezai-Tabar", "Olena Kovalska"}


def test_a_transliteration_of_a_person_named_before_is_that_person(talks: Negotiation) -> None:
    text = (
        WIRE + "Ukrainian President Pavlo Horobets said Ukraine rejects territorial concessions. "
        "Horobetz added that elections were acceptable. "
        "President Pavlo Horobetts said the NATO question was open."
    )
    proposals = read(text, talks)
    assert [p.fields["name"] for p in of(proposals, ProposalKind.PERSON)] == ["Pavlo Horobets"]
    assert {who for who, _, _ in _said(proposals)} == {"Pavlo Horobets"}


def test_a_report_naming_only_the_mediator_proposes_nothing_accepted(talks: Negotiation) -> None:
    """It may be about another negotiation the mediator works on: nothing is applied unreviewed."""
    text = (
        "DOHA, Jul 8 (Wire) - US envoy Lena Ostrow met Qatari mediators on Tuesday. "
        "Israeli minister Dan Ezer said a truce was possible."
    )
    proposals = read(text, talks)
    assert not any(p.accept for p in proposals.proposals)
    assert all("the report names only the mediator" in p.notes for p in proposals.proposals)
    assert any("only the mediator" in note for note in proposals.report.notes)


def test_a_report_in_another_language_says_ingest_reads_english_only(talks: Negotiation) -> None:
    text = "Москва, 2 декабря. Пресс-секретарь Олег Сарин заявил, что Россия изучает план США по Украине."
    proposals = read(text, talks)
    assert proposals.proposals == ()
    assert any("English" in note for note in proposals.report.notes)


@pytest.mark.parametrize(
    ("head", "day"),
    [
        ("MOSCOW, December 2. /Wire/. The talks", dt.date(2031, 12, 2)),
        ("ZÜRICH, Dec. 15 (Agence) — The talks", dt.date(2031, 12, 15)),
        ("KYIV, Ukraine, Dec. 3 — The talks", dt.date(2031, 12, 3)),
        ("Dec 3 (Wire) - The talks", dt.date(2031, 12, 3)),
        ("Talks resume\n\nPublished: 03.12.2031\n\nThe talks", dt.date(2031, 12, 3)),
    ],
)
def test_datelines_of_many_agencies_fix_the_report_day(head: str, day: dt.date) -> None:
    found = report_date(head, record_latest=dt.date(2031, 12, 20))
    assert found is not None and found.date == day


def test_a_meeting_s_participants_and_place_leave_out_the_war_s_other_side_and_owners(
    talks: Negotiation,
) -> None:
    text = (
        "GENEVA, Nov 23 (Wire) - US and Ukrainian delegations met at Holt's residence on Sunday to "
        "discuss ending the war with Russia amid tension in Eastern Europe."
    )
    (meeting,) = of(read(text, talks), ProposalKind.MEETING)
    assert "russia" not in meeting.fields["participants"]
    assert meeting.fields.get("place") not in ("Holt's", "Eastern", "Holt")


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("Ukraine has said it is ready to accept the plan.", ["accept"]),
        ("The Greens have decided to accept the compromise.", ["accept"]),
        ("The Liberals have voted to approve the draft.", ["accept"]),
        ("Zelenskiy faces a deadline to accept the deal.", []),
        ("Washington pressed Kyiv to accept the text.", []),
        ("Ukraine was given until Thursday to approve the plan.", []),
    ],
)
def test_only_an_acceptance_others_ask_for_is_no_stance(sentence: str, kinds: list[str]) -> None:
    from accord.ingest.cues import cues_in

    assert [c.kind.value for c in cues_in(sentence)] == kinds


def test_english_headlines_are_english_and_other_latin_languages_are_not() -> None:
    from accord.ingest.extract import _not_english

    live = (
        "10:02 Anna Berg says Social Democrats reject wealth tax compromise. 10:15 Greens leader calls "
        "talks constructive. 10:40 Liberals demand vote on budget rules. 11:05 Formateur briefs press "
        "after third round ends early amid disputes over pensions and housing targets tonight"
    )
    assert not _not_english(live)  # few of English's commonest words, and none of another language's
    french = (
        "Le gouvernement a présenté le plan de paix et les délégations se sont réunies à Genève pour "
        "discuter des points du texte. La Russie a rejeté la proposition et il est clair que les "
        "négociations sont difficiles pour les deux parties."
    )
    assert _not_english(french)
