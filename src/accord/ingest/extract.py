"""A report read against a negotiation's record: the proposed entries, each with its evidence.

Rules, sentence by sentence (each proposal names its rule):

- a **statement** is a sentence that attributes words (a reporting verb — said, told, warned,
  according to — or a transcript's turn) to a person of a party: a record person (by name, alias,
  surname, or a close spelling), a record group ("Russian officials"), or a person a title introduces
  ("chief negotiator Lena Pauwels", a new **person**); a pronoun ("she added") is the last speaker.
  People outside the parties (analysts) are not proposed. Its points are those its words name; its
  stance the strongest cue, with negation and hedging read (accord.ingest.cues).
- a **stance** for each point of a statement that has a stance and the speaker's party.
- a **meeting** is a sentence with words of meeting ("met", "held talks", "round") and a date, a
  place or parties; later sentences about "the talks" add to it; future words make it planned,
  "postponed"/"called off" postponed/cancelled; duration, channel and who joined are read from it.
- a **paper** is a sentence where documents change hands ("handed over two documents").
- an **event**: a leak ("leaked", "a copy obtained by"), an announcement.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from accord.domain import Negotiation
from accord.domain.as_of import last_dated
from accord.domain.negotiation import Role
from accord.domain.proposals import Evidence, Proposal, ProposalKind, Proposals, Report
from accord.ingest.dates import report_date
from accord.ingest.meetings import MeetingRules
from accord.ingest.names import Mention
from accord.ingest.papers import PaperRules
from accord.ingest.reading_state import Draft
from accord.ingest.sentences import sentences
from accord.ingest.statements import StatementRules


def read_report(
    text: str,
    negotiation: Negotiation,
    *,
    sha256: str,
    file: str | None = None,
    date: dt.date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    today: dt.date | None = None,
) -> Proposals:
    """The proposals a report makes for a negotiation's record (nothing is written here)."""
    notes: list[str] = []
    date_rule = "--report-date" if date is not None else None
    latest = last_dated(negotiation)
    found_date = report_date(text, record_latest=latest, today=today)
    if date is None and found_date is not None:
        date, date_rule = found_date.date, found_date.rule
        if found_date.note:
            notes.append(found_date.note)
    if date is None:
        notes.append(
            "the report's date was not found (no dateline or dated heading): relative dates ('on Thursday') "
            "are left as words; give --report-date"
        )
    reader = _Reader(text, negotiation, date)
    if found_date is not None:
        reader.dateline = (found_date.start, found_date.end)
    drafts = reader.read()
    if date_rule != "--report-date" and found_date is not None and found_date.note:
        # the report's year is the record's likely one: every day read against it says so
        for d in drafts:
            if isinstance(d.fields.get("date"), dt.date):
                d.notes.append(
                    f"the year is {found_date.date.year}, the record's likely one: the report gives none"
                )
    proposals = _number(drafts)
    known = reader.names_found
    mediators = {p.id for p in negotiation.parties if p.role is Role.MEDIATOR}
    negotiating = reader.parties_named - mediators
    if _not_english(text):
        notes.append(
            "the report does not seem to be in English: ingest reads English reports only, so nothing "
            "is proposed; give an English text (a translation) of the report"
        )
        proposals = ()
    elif not known:
        notes.append(
            "the report names none of this negotiation's parties or people: it may be about another "
            "negotiation, and nothing is proposed"
        )
        proposals = ()
    elif reader.parties_named & mediators and not negotiating:
        # a mediator works on many negotiations: "US envoy Witkoff" in a report on other talks
        names = ", ".join(negotiation.party(m).name for m in sorted(reader.parties_named & mediators))
        notes.append(
            f"the report names only the mediator ({names}), none of the negotiating parties: it may be "
            "about another negotiation, so every proposal is left unaccepted; accept those that are "
            "about this one"
        )
        proposals = tuple(
            replace(p, accept=False, notes=(*p.notes, "the report names only the mediator"))
            for p in proposals
        )
    elif len(proposals) <= 1:
        notes.append(
            "few proposals: the report says little this negotiation's record lacks, or is about another"
        )
    report = Report(
        sha256=sha256,
        file=file,
        date=date,
        date_rule=date_rule,
        outlet=outlet,
        url=url,
        title=title,
        negotiation=negotiation.id,
        characters=len(text),
        notes=tuple(notes),
    )
    return Proposals(report, proposals)


def _not_english(text: str) -> bool:
    """Whether a text is in another language: mostly letters outside the Latin script, or Latin words
    of which another language's commonest ones outnumber English's (a list of headlines has few of
    either, and is English)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c < "\u0250")
    if latin < 0.6 * len(letters):
        return True
    words = re.findall(r"[^\W\d_]+", text.casefold())
    english = sum(1 for w in words if w in _ENGLISH)
    other = sum(1 for w in words if w in _OTHER)
    return other >= 10 and other > 2 * english


def _word_set(*lines: str) -> frozenset[str]:
    return frozenset(word for line in lines for word in line.split())


_ENGLISH = _word_set(
    "the of and to in a is that for on was with said by as are were has have it its from at this"
)
# the commonest words of French, German, Spanish, Italian, Portuguese, Dutch and Polish that are no
# English words
_OTHER = (
    _word_set(
        "le la les des du une est et dans pour qui que sur au aux avec sont il elle",  # French
        "der die das und ist nicht mit von dem den zu sich auf für ein eine wird",  # German
        "el los las del y en que por con para una es se lo como pero",  # Spanish
        "il di che è della per non con gli sono alla nel",  # Italian
        "o os da do das dos em um uma não com por para",  # Portuguese
        "de het een en van is op te dat niet met zijn voor",  # Dutch
        "i w z na się nie do że jest to od po",  # Polish
    )
    - _ENGLISH
)


def _number(drafts: list[Draft]) -> tuple[Proposal, ...]:
    drafts = sorted(drafts, key=lambda d: (d.evidence[0].start, _ORDER[d.kind]))
    ids: dict[int, str] = {id(d): f"p{n}" for n, d in enumerate(drafts, start=1)}
    out = []
    for d in drafts:
        fields = dict(d.fields)
        ref = fields.pop("_statement", None)
        fields.pop("_undated", None)
        if ref is not None:
            fields["statement"] = ids[id(ref)]
        evidence = tuple(dict.fromkeys(Evidence(s.text, s.start, s.end) for s in d.evidence))
        if (
            d.kind in (ProposalKind.STATEMENT, ProposalKind.STANCE)
            and d.confidence < LOW_CONFIDENCE
            and d.accept
        ):
            # an unreviewed apply must not write a guess: who spoke, or what they meant, is unsure
            d.accept = False
            d.notes.append(
                f"confidence below {LOW_CONFIDENCE}: left unaccepted; check the speaker, the party and the "
                "stance against the evidence, then set accept: true"
            )
        out.append(
            Proposal(
                id=ids[id(d)],
                kind=d.kind,
                confidence=round(min(0.99, max(0.05, d.confidence)), 2),
                evidence=evidence,
                # a paper's count None says "several": kept; every other empty field is left out
                fields={k: v for k, v in fields.items() if v not in (None, [], (), "") or k == "count"},
                rule=d.rule,
                notes=tuple(dict.fromkeys(d.notes)),
                accept=d.accept,
            )
        )
    return tuple(out)


_ORDER = {
    ProposalKind.PERSON: 0,
    ProposalKind.MEETING: 1,
    ProposalKind.PAPER: 2,
    ProposalKind.STATEMENT: 3,
    ProposalKind.STANCE: 4,
    ProposalKind.EVENT: 5,
}


# a statement or stance below this confidence is proposed unaccepted
LOW_CONFIDENCE = 0.4


class _Reader(StatementRules, MeetingRules, PaperRules):
    """All the rules, sentence by sentence."""

    def read(self) -> list[Draft]:
        paragraph = -1
        read = sentences(self.text)
        self.read_titles(read)
        for sentence in read:
            if sentence.paragraph != paragraph:
                paragraph = sentence.paragraph
                if sentence.label is not None:
                    self.turn_speaker = self._turn_speaker(sentence.label)
            people = self._people(sentence)
            parties = self._parties(sentence)
            if parties:
                self.last_party = parties[-1].key
            people = [self._with_party(m) for m in people]
            self._remember_titles(sentence.text, people)
            if self.first_speaker is None and sentence.label is None:
                self.first_speaker = next((m for m in people if self._party_of(m) is not None), None)
                if self.first_speaker is None:
                    subject = next(iter(parties), None)
                    group = self.names.groups.get(subject.key) if subject else None
                    if (
                        subject is not None
                        and group is not None
                        and re.search(r"\b(?:officials?|briefing)\b", sentence.text, re.I)
                    ):
                        self.first_speaker = Mention(
                            "group",
                            group.id,
                            subject.start,
                            subject.end,
                            subject.words,
                            f"the briefing's host {group.name!r}",
                            0.8,
                            subject.key,
                        )
            for m in people:
                if m.kind == "new-person":
                    self._new_person(m, sentence)
            if sentence.label is None or sentence.label.upper() != "Q":  # a question reports nothing
                self._meeting(sentence, people, parties)
                self._paper(sentence, people, parties)
                self._event(sentence)
            self.sentence_speaker = None
            self._statement(sentence, people, parties)
            if sentence.label is None:
                # the next sentence's "he" is who spoke in this one, else the person it is about
                self.last_subject = (
                    self.sentence_speaker or self.subject_of(sentence.text, people) or self.last_subject
                )
        return self.drafts
