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
from dataclasses import dataclass, field
from typing import Any

from accord.domain import Negotiation
from accord.domain.negotiation import Role
from accord.domain.proposals import Evidence, Proposal, ProposalKind, Proposals, Report
from accord.ingest.cues import Cue, cues_in, strongest
from accord.ingest.dates import FoundDate, dates_in, report_date
from accord.ingest.names import TITLE_NOUNS, Mention, Names
from accord.ingest.points import PointFinder
from accord.ingest.sentences import Sentence, sentences

_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|stated|declared|added|adds|insisted|insists|warned|warns|noted"
    r"|stressed|stresses|argued|argues|acknowledged|acknowledges|confirmed|confirms|explained|described"
    r"|called for|called on|calls for|calls on|posted|complained|repeated|replied|replies|answered"
    r"|signalled|signaled|reaffirmed"
    r"|hinted|conceded|cautioned|urged|maintained|maintains|announced|announces|reiterated|underlined"
    r"|emphasised|emphasized|dismissed|rejected|welcomed|according to|in a statement|told reporters)\b",
    re.IGNORECASE,
)
_PRONOUN_SAID = re.compile(
    r"(?:^|[,\"“”]\s*)(?:he|she|they)\s+(?:said|added|says|told|warned|insisted|noted|stressed|went on)\b"
    r"|\b(?:said|added)\s+(?:he|she)\b",
    re.IGNORECASE,
)
_MEETING = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|held talks|round of talks|round|session|sat down|hosted"
    r"|summit|consultations|negotiating session|video call|phone call|spoke by (?:tele)?phone|convened"
    r"|gathered|plenary)\b",
    re.IGNORECASE,
)
_MEETING_STRONG = re.compile(
    r"\b(?:met|meet|meets|held talks|hold talks|round of talks|sat down|hosted|convened|plenary|a meeting"
    r"|the meeting|meeting (?:on|in|at|with|between)|talks (?:on|in|at|with|between)|session (?:on|in|at)"
    r"|video call|phone call|spoke by (?:tele)?phone|summit|received the delegation|receives the delegation"
    r"|(?:speak|spoke|talk|talked|meet) again|spoke (?:to|with) (?!reporters|journalists|the press)"
    r"|(?:speak|talk|spoke|talked) by (?:tele)?phone|(?:technical|working|negotiating|plenary) session"
    r"|session (?:held|of)|(?:first|second|third|fourth|fifth|sixth|next|new|latest|last|final) round\b"
    r"|(?:will|would|is to|are to) visit|visited|a visit to"
    r"|will take place|takes place|took place|(?:will|would) (?:travel|return) to|be received|was received"
    r"|were received)\b",
    re.IGNORECASE,
)
_POSTPONED = re.compile(r"\b(?:postponed|put off|delayed|pushed back|rescheduled|deferred)\b", re.IGNORECASE)
_CANCELLED = re.compile(r"\b(?:cancelled|canceled|called off|scrapped|abandoned)\b", re.IGNORECASE)
_PLANNED = re.compile(
    r"\b(?:will meet|will hold|will resume|are due to|is due to|is scheduled|are scheduled|scheduled for"
    r"|is set to|are set to|to meet again|will reconvene|plan to meet|planned for|expected to meet"
    r"|next round|will gather|will convene|will sit down|is to take place|are to meet|next meeting"
    r"|were due to|was due to|had been due to|would meet|would reconvene|would resume|would hold"
    r"|will take place|is to take place|next (?:plenary|session|round|meeting|talks)|will travel|will be received"  # noqa: E501
    r"|(?:will|is to|are to) (?:visit|speak|talk|hold|open|begin|start|resume)|(?:is|are) due in|opens|begins\b"  # noqa: E501
    r"|(?:will|would|shall) (?:return|go back|come back) to|to hold the next"
    r"|(?:agreed|plan|planned|want|wanted|hope|hoped) to (?:speak|meet|talk) again"
    r"|meets?\b[^.]{0,60}\b(?:this afternoon|this evening|later today|tonight|tomorrow))\b",
    re.IGNORECASE,
)
_DOCUMENTS = (
    r"papers?|documents?|texts?|drafts?|proposals?|non-papers?|memos?|memorand(?:um|a)|letters?|maps?|notes?"
    r"|counter-proposals?|copies|outlines?|stud(?:y|ies)|costings?|reports?|models?|tables?|annex(?:es)?|lists?"
    r"|schedules?|plans?|frameworks?"
)
_PAPER = re.compile(
    r"\b(?:handed over|handed|gave|given|passed|presented|submitted|tabled|delivered|exchanged|sent|received"
    r"|circulated|distributed)\b[^.]{0,80}?\b(?:" + _DOCUMENTS + r")\b"
    r"|\b(?:" + _DOCUMENTS + r")\b[^.]{0,60}?\b(?:were|was|had been|has been)\s+"
    r"(?:handed|given|passed|presented|submitted|delivered|exchanged|circulated|sent)\b",
    re.IGNORECASE,
)
_LEAK = re.compile(
    r"\b(?:leaked|leak|leaks|obtained by|a copy (?:of [^.]{0,40})?(?:was )?(?:obtained|published)"
    r"|published (?:the|a) (?:full )?(?:text|draft)|made public without)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "both": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "half": 0.5, "a half": 0.5,
}  # fmt: skip
_DURATION = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?P<half>(?:\s+and\s+a)?[\s-]+half)?[\s-]+(?P<unit>hours?|minutes?|hrs?|mins?)\b(?![\s-]+(?:later|before|after|ago|drive|flight))",
    re.IGNORECASE,
)
_JOINED = re.compile(
    r"\b(?:joined|left|arrived|took part)\b[^.,;]{0,60}?(?:later|late|for (?:the )?(?:first|second|last|final) "  # noqa: E501
    r"(?:half|part|hour|session)|by video|by phone|part of|towards the end|midway|for part)[^.,;]{0,30}",
    re.IGNORECASE,
)
_CHANNEL = (
    (re.compile(r"\bby video(?:[- ]link| conference)?|\bvideo ?(?:call|conference|link)\b|\bvirtual(?:ly)?\b", re.I), "video"),  # noqa: E501
    (re.compile(r"\bby (?:tele)?phone\b|\bphone call\b|\btelephone (?:call|conversation)\b|\bspoke by phone\b", re.I), "call"),  # noqa: E501
)  # fmt: skip
_STATEMENT_CHANNEL = (
    (re.compile(r"\bin an interview\b|\btold (?:the )?[A-Z][\w ]{0,30}in an interview\b|\binterview with\b", re.I), "interview"),  # noqa: E501
    (re.compile(r"\b(?:posted|wrote) on\b|\bon (?:X|Twitter|Telegram|Facebook|social media)\b", re.I), "social"),  # noqa: E501
    (re.compile(r"\bin a (?:written |official )?statement\b|\bread-?out\b|\bcommuniqu[eé]\b|\bpress release\b", re.I), "official"),  # noqa: E501
)  # fmt: skip
_PLACE = re.compile(
    r"\b(?:in|at)\s+(?P<place>(?:the\s+)?(?:[A-Z][\w'’-]+(?:\s+(?:of|de|du|la|le)\s+)?){1,4})",
)
_DRAFT = re.compile(
    r"\bdraft\s+(?:no\.?\s*)?(\d{1,2})\b|\b(first|second|third|fourth|fifth) draft\b", re.IGNORECASE
)
# what may stand between a party and its reporting verb: "Russia said", "Kyiv's foreign ministry said"
_SUBJECT_GAP = (
    r"\s*(?:(?:foreign |defence |defense |finance )?(?:ministry|government|side|delegation|officials?"
    r"|negotiators?|team|leadership|office)\s*)?(?:has |have |had )?(?:also |again )?"
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


@dataclass
class _Draft:
    """A proposal being built."""

    kind: ProposalKind
    rule: str
    confidence: float
    evidence: list[Sentence]
    fields: dict[str, Any]
    notes: list[str] = field(default_factory=list)


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
    latest = _record_latest(negotiation)
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
    proposals = _number(drafts)
    known = reader.names_found
    if not known:
        notes.append(
            "the report names none of this negotiation's parties or people: it may be about another "
            "negotiation, and nothing is proposed"
        )
        proposals = ()
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


def _record_latest(negotiation: Negotiation) -> dt.date | None:
    dates = [m.date for m in negotiation.meetings if m.date]
    dates += [s.date for s in negotiation.statements]
    dates += [p.date for p in negotiation.papers if p.date]
    dates += [d.date for d in negotiation.drafts if d.date]
    return max(dates) if dates else None


def _number(drafts: list[_Draft]) -> tuple[Proposal, ...]:
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


class _Reader:
    def __init__(self, text: str, negotiation: Negotiation, date: dt.date | None) -> None:
        self.text = text
        self.negotiation = negotiation
        self.date = date
        self.names = Names.of(negotiation)
        self.points = PointFinder(negotiation)
        self.drafts: list[_Draft] = []
        self.names_found = False
        self.new_people: dict[str, _Draft] = {}
        self.last_speaker: Mention | None = None
        self.last_meeting: _Draft | None = None
        self.turn_speaker: Mention | None = None
        self.mediators = set(self.names.mediators())
        self.dateline: tuple[int, int] | None = None
        self.first_speaker: Mention | None = None  # who a transcript's "A:" is, before anyone spoke
        self.leak: _Draft | None = None
        self.last_party: str | None = None
        self.last_person: Mention | None = None  # the person named last (whom "he said" means)
        self.titled: list[tuple[str, Mention]] = []  # (title words, person) as the report introduced them

    # -- helpers ------------------------------------------------------------------------------------

    def _dates(self, sentence: Sentence) -> list[FoundDate]:
        found = dates_in(sentence.text, self.date)
        if self.dateline is None:
            return found
        start, end = self.dateline
        # the dateline's day is the report's, not an event's
        return [f for f in found if not (sentence.start + f.start < end and sentence.start + f.end > start)]

    def _day(self, sentence: Sentence, d: _Draft, *, default_report: bool = True) -> None:
        """Put the sentence's date on a proposal: a day, or words for a period, or the report's day."""
        for found in self._dates(sentence):
            if found.date is not None:
                d.fields["date"] = found.date
                if found.note:
                    d.notes.append(f"{found.words!r}: {found.note}")
                return
            if found.approx is not None:
                d.fields.setdefault("date_approx", found.approx)
                if found.note:
                    d.notes.append(f"{found.words!r}: {found.note}")
                    d.confidence -= 0.1
                return
        if default_report and self.date is not None:
            d.fields["date"] = self.date
            d.notes.append("no date in the sentence: the report's date")
        elif default_report:
            d.notes.append("no date found: set one")
            d.confidence -= 0.2

    def _people(self, sentence: Sentence) -> list[Mention]:
        known = self.names.people_in(sentence.text)
        new = self.names.new_people_in(sentence.text, known)
        mentions = sorted([*known, *new], key=lambda m: m.start)
        if any(m.kind != "new-person" for m in mentions):
            self.names_found = True
        return mentions

    def _parties(self, sentence: Sentence) -> list[Mention]:
        found = self.names.parties_in(sentence.text)
        if found:
            self.names_found = True
        return found

    def _party_of(self, mention: Mention) -> str | None:
        if mention.kind == "new-person":
            return mention.party
        if mention.kind in ("person", "group"):
            return self.negotiation.person(mention.key).party
        return None

    def _speaker_name(self, mention: Mention) -> str:
        if mention.kind == "new-person":
            return mention.key
        return self.negotiation.person(mention.key).name

    # -- the reading --------------------------------------------------------------------------------

    def read(self) -> list[_Draft]:
        paragraph = -1
        for sentence in sentences(self.text):
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
            self._statement(sentence, people, parties)
            named = [
                m for m in people if m.kind in ("person", "new-person") and self._party_of(m) is not None
            ]
            if named and sentence.label is None:
                self.last_person = named[-1]
        return self.drafts

    def _remember_titles(self, text: str, people: list[Mention]) -> None:
        """The titles the report gives people ("Water Minister Dmitri Volkhov", "Henrik Dahle, who heads
        the delta board"), so that "the Minister said" later means that person."""
        for m in people:
            if m.kind not in ("person", "new-person") or self._party_of(m) is None:
                continue
            before = text[max(0, m.start - 50) : m.start]
            after = text[m.end : m.end + 60]
            words = " ".join(re.findall(r"\w+", before)[-4:] + re.findall(r"\w+", after)[:6]).casefold()
            role = m.role or (self.negotiation.person(m.key).role if m.kind == "person" else None) or ""
            self.titled.append((words + " " + role.casefold(), m))

    def _titled_subject(self, text: str, at: int) -> Mention | None:
        """The person "the Minister" or "the envoy" means: the last one the report named with that title."""
        m = re.search(
            r"\b[Tt]he (?P<t>[A-Za-z]+(?: [A-Za-z]+)?)\s*$", text[max(0, at - 40) : at].rstrip(", ")
        )
        if m is None:
            return None
        title = m["t"].split()[-1].casefold()
        if not re.fullmatch(TITLE_NOUNS, title, re.IGNORECASE):
            return None
        for words, person in reversed(self.titled):
            if re.search(rf"\b{re.escape(title)}\b", words):
                return person
        for someone in self.negotiation.people:  # a record person of that role
            if (
                someone.role
                and re.search(rf"\b{re.escape(title)}\b", someone.role, re.IGNORECASE)
                and someone.party
            ):
                return Mention(
                    "person", someone.id, 0, 0, m[0], f"the record's {someone.role}", 0.7, someone.party
                )
        return None

    def _with_party(self, m: Mention) -> Mention:
        """A new person without a party in their sentence ("the party's spokeswoman Lena Pauwels") takes
        the party the report named last, marked as a guess (a lower score)."""
        if m.kind != "new-person" or m.party is not None or self.last_party is None or m.score < 0.5:
            return m
        return Mention(
            m.kind,
            m.key,
            m.start,
            m.end,
            m.words,
            m.rule + " (party: the one named before)",
            min(m.score, 0.6),
            self.last_party,
            m.role,
        )

    def _turn_speaker(self, label: str) -> Mention | None:
        if label.upper() == "Q":
            return None
        if label.upper() == "A":  # the transcript's host: who gave the briefing, named before any turn
            return self.first_speaker or self.last_speaker
        found = self.names.people_in(label) or self.names.people_in(label.title())
        return found[0] if found else self.last_speaker

    def _new_person(self, m: Mention, sentence: Sentence) -> None:
        current = self.new_people.get(m.key)
        if current is not None:
            if current.fields.get("party") is None and m.party is not None:
                current.fields["party"] = m.party
            return
        d = _Draft(
            ProposalKind.PERSON,
            "person: " + m.rule,
            m.score,
            [sentence],
            {"name": m.key, "party": m.party, "role": m.role},
        )
        if m.party is None:
            d.notes.append("no party found for this person: set one")
        self.new_people[m.key] = d
        self.drafts.append(d)

    def _statement(self, sentence: Sentence, people: list[Mention], parties: list[Mention]) -> None:
        text = sentence.text
        speaker: Mention | None = None
        rule = ""
        if sentence.label is not None and sentence.label.upper() != "Q" and self.turn_speaker is not None:
            speaker, rule = self.turn_speaker, f"a turn of the transcript ({sentence.label}:)"
        elif sentence.label is not None and sentence.label.upper() == "Q":
            return
        else:
            reporting = _REPORTING.search(text)
            quoted = re.search(r"[\"“][^\"”]{8,}[\"”]", text)
            if reporting is None and quoted is None:
                return
            speakers = [m for m in people if self._party_of(m) is not None]
            at = reporting.start() if reporting else 0
            if reporting is not None and reporting[0].casefold() == "according to":
                after = text[reporting.end() : reporting.end() + 60]
                named = [m for m in speakers if reporting.end() <= m.start <= reporting.end() + 25]
                if not named:
                    return  # "according to people familiar with it": not a party's words
                speakers = named
                if not re.match(r"\s*(?:the\s+)?\S", after):
                    return
            subject = self._party_subject(text, parties, at)
            if subject is not None and (not speakers or self._nearer(subject, speakers, at)):
                group = self.names.groups.get(subject.key)
                if group is None:
                    return  # "the Liberals said": a party, no person to attribute it to
                speaker = Mention(
                    "group",
                    group.id,
                    subject.start,
                    subject.end,
                    subject.words,
                    f"the party {subject.words!r} speaks: its group {group.name!r}",
                    0.8,
                    subject.key,
                )
                rule = speaker.rule
            elif speakers:
                speaker = self._nearest(speakers, at)
                rule = f"words attributed to {speaker.words!r}"
            elif _PRONOUN_SAID.search(text) and (self.last_person or self.last_speaker) is not None:
                speaker = self.last_person or self.last_speaker
                rule = "a pronoun: the person named last"
            elif (titled := self._titled_subject(text, at)) is not None:
                speaker, rule = titled, f"{titled.words!r}: the person of that title named before"
            if speaker is None:
                return
        party = self._party_of(speaker)
        if party is None:
            return
        if sentence.label is None:
            self.last_speaker = speaker
        quote = _quote(re.sub(r"^[A-Z][A-Za-z .'’-]{0,40}:\s+", "", text) if sentence.label else text)
        d = _Draft(
            ProposalKind.STATEMENT,
            "statement: " + rule,
            0.8 * speaker.score,
            [sentence],
            {
                "speaker": self._speaker_name(speaker),
                "party": party,
                "quote": quote,
                "channel": _statement_channel(text),
            },
        )
        self._said_on(sentence, d)
        draft = _draft_number(text)
        if draft is not None and any(x.version == draft for x in self.negotiation.drafts):
            d.fields["draft"] = draft
        points_all: list[str] = []
        stances: list[tuple[str, Cue]] = []
        masked = _without_titles(text, people)
        for clause in _clauses(masked):
            cue = strongest(cues_in(clause))
            # a point named only in a condition ("as long as a Liberal holds the finance ministry") is
            # what the party asks for, not what it answers on
            condition = _CONDITION.search(clause)
            matches = self.points.find(clause[: condition.start()]) if condition else []
            if not matches:
                matches = self.points.find(clause)
            ids = [m.point for m in matches]
            points_all += ids
            if cue is not None:
                stances += [(p, cue) for p in ids]
        whole_cue = strongest(cues_in(text))
        d.fields["points"] = list(dict.fromkeys(points_all))
        if whole_cue is not None:
            d.fields["stance"] = whole_cue.kind.value
            d.fields["cue"] = whole_cue.reading
            d.confidence = min(d.confidence, whole_cue.confidence + 0.1)
        if not points_all and whole_cue is not None and len(self.points.points) == 1:
            points_all = [self.points.points[0].id]
        self.drafts.append(d)
        if party in self.mediators and not any(
            p.role is Role.PARTY for p in self.negotiation.parties if p.id == party
        ):
            return
        seen: set[str] = set()
        # a point named in a clause without a cue takes the sentence's cue
        if whole_cue is not None:
            for p in d.fields["points"]:
                if p not in {x for x, _ in stances}:
                    stances.append((p, whole_cue))
        for point, cue in stances:
            if point in seen:
                continue
            seen.add(point)
            s = _Draft(
                ProposalKind.STANCE,
                f"stance: the statement's cue ({cue.reading}) on a point its words name",
                min(d.confidence, cue.confidence) - 0.05,
                [sentence],
                {
                    "party": party,
                    "point": point,
                    "stance": cue.kind.value,
                    "date": d.fields.get("date"),
                    "cue": cue.reading,
                    "draft": d.fields.get("draft"),
                    "_statement": d,
                },
            )
            self.drafts.append(s)

    def _said_on(self, sentence: Sentence, d: _Draft) -> None:
        """When words were said: a date by the reporting verb ("said on Monday", "On Monday, X said"),
        the meeting's day for words said "after the session", else the report's day. A date elsewhere
        in the sentence is what the words are about ("would answer next week"), not when they were said."""
        text = sentence.text
        verb = _REPORTING.search(text)
        for found in self._dates(sentence):
            near_verb = (
                verb is not None
                and 0 <= found.start - verb.end() <= 40
                and not re.search(
                    r"\b(?:that|would|will|to|which|who|they|when|until|before|after)\b",
                    text[verb.end() : found.start],
                    re.IGNORECASE,
                )
            )
            if (near_verb or found.start < 15) and found.date is not None:
                d.fields["date"] = found.date
                if found.note:
                    d.notes.append(f"{found.words!r}: {found.note}")
                return
        after = re.search(
            r"\b(?:(?:after|during|at the end of|following) the (?:session|talks|meeting|round)|afterwards)\b",  # noqa: E501
            text,
            re.I,
        )
        if (
            after
            and self.last_meeting is not None
            and isinstance(self.last_meeting.fields.get("date"), dt.date)
        ):
            d.fields["date"] = self.last_meeting.fields["date"]
            d.notes.append("said at the meeting proposed above: its day")
            return
        if self.date is not None:
            d.fields["date"] = self.date
            d.notes.append("no date by the words said: the report's date")
        else:
            d.notes.append("no date found: set one")
            d.confidence -= 0.2

    def _party_subject(self, text: str, parties: list[Mention], at: int) -> Mention | None:
        """A party right before the reporting verb ("the Liberals said", "Moscow warned")."""
        for m in parties:
            between = text[m.end : at]
            if 0 <= at - m.end <= 30 and re.fullmatch(_SUBJECT_GAP, between, re.IGNORECASE):
                return m
        return None

    def _nearer(self, subject: Mention, speakers: list[Mention], at: int) -> bool:
        return abs(at - subject.end) < min(min(abs(at - m.end), abs(m.start - at)) for m in speakers)

    def _nearest(self, speakers: list[Mention], at: int) -> Mention:
        """The speaker of a reported sentence: the person nearest its reporting verb."""

        def distance(m: Mention) -> int:
            return min(abs(m.end - at), abs(m.start - at))

        return min(speakers, key=distance)

    def _meeting(self, sentence: Sentence, people: list[Mention], parties: list[Mention]) -> None:
        text = sentence.text
        strong = _MEETING_STRONG.search(text)
        if strong is not None and re.search(
            r"(?:\b(?:its|their|the party's|his party's|her party's) own|\binternal|\bparty council's?)\s*$",
            text[max(0, strong.start() - 30) : strong.start()],
            re.IGNORECASE,
        ):
            strong = None  # a party's own meeting is not a meeting of the talks
        weak = _MEETING.search(text) or strong
        if weak is None:
            return
        status = "held"
        if _CANCELLED.search(text):
            status = "cancelled"
        elif _POSTPONED.search(text):
            status = "postponed"
        elif _PLANNED.search(text):
            status = "planned"
        dates = [f for f in self._dates(sentence) if f.date is not None or f.approx is not None]
        place = self._place(text)
        participants = self._participants(people, parties, text)
        definite = re.search(r"\b(?:the|that|this|those) (?:meeting|talks|session|round)\b", text, re.I)
        continuing = (
            self.last_meeting is not None
            and (
                self.last_meeting.evidence[-1].paragraph >= sentence.paragraph - 2
                or (not dates and (definite or _JOINED.search(text)) is not None)
            )
            and (
                not dates
                or (dates[0].date is not None and dates[0].date == self.last_meeting.fields.get("date"))
            )
            and (status == self.last_meeting.fields["status"] or (status == "held" and not strong))
        )
        if continuing and self.last_meeting is not None and (not strong or definite or _JOINED.search(text)):
            m = self.last_meeting
            m.evidence.append(sentence)
            self._meeting_details(m, text, people, participants, place)
            return
        if strong is None:
            return
        if not (dates or place or len(participants) >= 1):
            return
        if status == "held" and not dates and sentence.paragraph > 2 and not _RECENT.search(text):
            return  # talks recalled in passing, with no time at all: history, not news
        day = dates[0].date if dates else None
        if status == "held" and day is not None and self.date is not None and day > self.date:
            status = "planned"  # a meeting on a day after the report's has not happened yet
        recorded = self._recorded(day, status, place, participants)
        for other in self.drafts:
            if (
                other.kind is ProposalKind.MEETING
                and other.fields["status"] == status
                and (
                    (day is not None and other.fields.get("date") == day)
                    or (day is not None and other.fields.get("_undated"))
                    or (
                        day is None
                        and not dates
                        and status == "held"
                        and other.fields.get("date") == self.date
                    )
                )
                and (
                    not participants
                    or not other.fields.get("participants")
                    or set(participants) & set(other.fields["participants"])
                )
                and other.fields.get("channel") == _channel(text)
            ):
                other.evidence.append(sentence)
                if other.fields.pop("_undated", False) and day is not None:
                    other.fields["date"] = day  # the headline's meeting, dated by the story
                    other.notes = [n for n in other.notes if not n.startswith("no date in the sentence")]
                self._meeting_details(other, text, people, participants, place)
                self.last_meeting = other
                return
        d = _Draft(
            ProposalKind.MEETING,
            f"meeting: {strong[0]!r}" + (f", {status}" if status != "held" else ""),
            0.75,
            [sentence],
            {"status": status},
        )
        if dates:
            first = dates[0]
            if first.date is not None:
                d.fields["date"] = first.date
                if first.note:
                    d.notes.append(f"{first.words!r}: {first.note}")
            else:
                d.fields["date_approx"] = first.approx
                d.notes.append(f"{first.words!r} names no single day: kept as words")
                if status == "held":
                    d.confidence -= 0.15
        elif self.date is not None and status == "held":
            d.fields["date"] = self.date
            d.fields["_undated"] = True
            d.notes.append("no date in the sentence: the report's date")
            d.confidence -= 0.1
        elif status != "held":
            d.notes.append("no date given")
        if status == "postponed":
            reason = re.search(r"\b(?:because|after|as|since|due to|amid)\b[^.]*", text)
            if reason:
                d.fields["reason"] = reason[0].strip()
        self._meeting_details(d, text, people, participants, place)
        if recorded is not None:
            d.notes.append(f"the record has a meeting like it ({recorded}): drop this one if it is the same")
            d.confidence -= 0.2
        if not participants:
            d.notes.append("no party found among those who met: add them")
            d.confidence -= 0.15
        self.drafts.append(d)
        self.last_meeting = d

    def _recorded(
        self, date: dt.date | None, status: str, place: str | None, participants: list[str]
    ) -> str | None:
        """Whether the record holds this meeting already: the same day (or, undated in the sentence, the
        same place) and status, and the parties named among its participants."""
        for m in self.negotiation.meetings:
            if m.status.value != status:
                continue
            same_day = date is not None and m.date == date
            same_place = (
                date is None
                and place is not None
                and m.place is not None
                and place.casefold() in m.place.casefold()
            )
            if (same_day or same_place) and set(participants) <= set(m.participants):
                return m.id
        return None

    def _meeting_details(
        self, d: _Draft, text: str, people: list[Mention], participants: list[str], place: str | None
    ) -> None:
        current = list(d.fields.get("participants", []))
        d.fields["participants"] = list(dict.fromkeys([*current, *participants]))
        if place and not d.fields.get("place"):
            d.fields["place"] = place
        duration = _duration(text)
        if duration and not d.fields.get("duration_minutes"):
            d.fields["duration_minutes"] = duration
        for pattern, channel in _CHANNEL:
            if pattern.search(text) and "channel" not in d.fields and not _JOINED.search(text):
                d.fields["channel"] = channel
        attendees = list(d.fields.get("people", []))
        names = {a["person"] for a in attendees}
        joined = _JOINED.search(text)
        for m in people:
            if m.kind not in ("person", "new-person"):
                continue
            name = self._speaker_name(m)
            if name in names:
                continue
            entry: dict[str, Any] = {"person": name}
            if joined is not None and abs(joined.start() - m.end) < 40:
                entry["note"] = joined[0].strip()
            attendees.append(entry)
            names.add(name)
        d.fields["people"] = attendees

    def _participants(self, people: list[Mention], parties: list[Mention], text: str = "") -> list[str]:
        """The parties at a meeting: those named (or whose people are), and all of them for "the
        parties", "the four delegations", "the plenary" when the count fits the negotiation."""
        found = [m.key for m in parties]
        collective = _COLLECTIVE.search(text)
        if collective is not None:
            negotiating = [p.id for p in self.negotiation.parties if p.role is Role.PARTY]
            count = _NUMBER_WORDS.get((collective["n"] or "").casefold())
            if count is None or int(count) == len(negotiating):
                mediators = [p.id for p in self.negotiation.parties if p.role is Role.MEDIATOR]
                found = [*mediators, *negotiating, *found]
        for m in people:
            party = self._party_of(m)
            if party is not None:
                found.append(party)
        return list(dict.fromkeys(found))

    def _place(self, text: str) -> str | None:
        for known in self.names.places:
            head = known.split(",")[0].strip()
            if head and re.search(rf"\b{re.escape(head)}\b", text):
                return head
        for m in _PLACE.finditer(text):
            words = m["place"].strip()
            words = re.sub(r"\s+(?:of|de|du|la|le)$", "", words)
            first = words.split()[0] if words.split() else ""
            if (
                first.casefold().strip(".")
                in {
                    "monday",
                    "tuesday",
                    "wednesday",
                    "thursday",
                    "friday",
                    "saturday",
                    "sunday",
                    "january",
                    "february",
                    "march",
                    "april",
                    "may",
                    "june",
                    "july",
                    "august",
                    "september",
                    "october",
                    "november",
                    "december",
                }
                or self.names.parties_in(words)
                or self.names.people_in(words)
            ):
                continue
            return words.removeprefix("the ").strip()
        return None

    def _paper(self, sentence: Sentence, people: list[Mention], parties: list[Mention]) -> None:
        text = sentence.text
        m = _PAPER.search(text)
        if m is None:
            return
        count: int | None = 1
        counted = re.search(
            r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|some|a number of|a few"  # noqa: E501
            r"|a set of|a package of|a stack of)\s+(?:\w+\s+){0,2}?(?:papers?|documents?|non-papers?|memos?|texts?"  # noqa: E501
            r"|drafts?|proposals?|letters?|maps?|counter-proposals?)\b",
            text,
            re.IGNORECASE,
        )
        if counted is not None:
            word = counted["n"].casefold()
            if word.isdigit():
                count = int(word)
            elif word in _NUMBER_WORDS:
                count = int(_NUMBER_WORDS[word])
            else:
                count = None
        elif re.search(r"\b(?:papers|documents|texts|memos|proposals)\b", text, re.IGNORECASE):
            count = None
        d = _Draft(ProposalKind.PAPER, f"paper: {m[0][:60]!r}", 0.7, [sentence], {"count": count})
        meeting = self.last_meeting
        at_meeting = (
            meeting is not None
            and meeting.fields.get("status") == "held"
            and isinstance(meeting.fields.get("date"), dt.date)
            and (
                meeting.evidence[-1].paragraph >= sentence.paragraph - 1
                or re.search(r"\b(?:during|at) the (?:call|meeting|talks|session|round)\b", text, re.I)
            )
            and not [f for f in self._dates(sentence) if f.date is not None]
        )
        if at_meeting and meeting is not None:
            d.fields["date"] = meeting.fields["date"]  # handed over at the meeting just reported
            d.notes.append("no date of its own: the day of the meeting reported before it")
        else:
            self._day(sentence, d)
        recipients: list[str] = []
        to = re.search(r"\bto\s+(?:the\s+)?(?P<who>[^.;]{1,80})", text[m.start() :])
        if to is not None:
            recipients = [x.key for x in self.names.parties_in(to["who"])]
            recipient_people = [
                self._speaker_name(x) for x in self.names.people_in(to["who"]) if x.kind in ("person",)
            ]
            recipients += [p for x in self.names.people_in(to["who"]) if (p := self._party_of(x))]
            if recipient_people:
                d.fields["recipient_people"] = recipient_people
        if not recipients:
            giver = self._participants(people, parties)[:1]
            recipients = [p for p in self._participants(people, parties) if p not in giver]
            if recipients:
                d.notes.append("recipients read from the parties the sentence names: check them")
                d.confidence -= 0.1
        d.fields["recipients"] = list(dict.fromkeys(recipients))
        title = re.search(r"[\"“](?P<t>[^\"”]{4,80})[\"”]", text)
        if title is not None:
            d.fields["title"] = title["t"]
        if (
            self.last_meeting is not None
            and self.last_meeting.evidence[-1].paragraph >= sentence.paragraph - 1
        ):
            d.notes.append("handed over at the meeting proposed above, perhaps: link it by editing `meeting`")
        draft = _draft_number(text)
        if draft is not None and any(x.version == draft for x in self.negotiation.drafts):
            d.fields["draft"] = draft
        self.drafts.append(d)

    def _event(self, sentence: Sentence) -> None:
        text = sentence.text
        m = _LEAK.search(text)
        if m is None:
            return
        if re.search(
            r"\b(?:leak(?:ed)? (?:inquiry|investigation)|no leak|deny|denied)\b", text, re.IGNORECASE
        ):
            return
        d = _Draft(
            ProposalKind.EVENT,
            f"event: a leak ({m[0]!r})",
            0.7,
            [sentence],
            {"event": "leak", "summary": " ".join(text.split())},
        )
        self._day(sentence, d)
        surfaced = re.search(
            r"\b(?:to|by|in)\s+(?:the\s+)?(?P<o>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})", text[m.start() :]
        )
        if surfaced is not None and not self.names.parties_in(surfaced["o"]):
            d.fields["surfaced"] = surfaced["o"]
        draft = _draft_number(text)
        if draft is not None and any(x.version == draft for x in self.negotiation.drafts):
            d.fields["draft"] = draft
        self.drafts.append(d)
        self.leak = d


# words that make an undated meeting news rather than history
_RECENT = re.compile(
    r"\b(?:today|tonight|this (?:morning|afternoon|evening|week)|just|now|latest|new)\b", re.I
)
# the whole table: "the parties", "the four delegations", "the plenary", "the three states"
_COLLECTIVE = re.compile(
    r"\b(?:the|all(?: the)?)\s+(?:(?P<n>two|three|four|five|six|seven|eight|nine|ten)\s+)?(?:\w+\s+)?"
    r"(?:parties|delegations|sides|states|negotiating teams)\b|\bplenary\b|\bround of (?:the )?talks\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:as long as|on (?:the )?condition that|provided(?: that)?|providing|only if|if|unless|in exchange for"  # noqa: E501
    r"|in return for|subject to)\b",
    re.IGNORECASE,
)


def _without_titles(text: str, people: list[Mention]) -> str:
    """The sentence with each person's title blanked ("Liberal finance spokeswoman Sofie Marckx", "Sofie
    Marckx, the Liberals' finance spokeswoman,"), so a title's words never name a point."""
    chars = list(text)
    for m in people:
        before = re.search(r"(?:\b[\w'’-]+\s+){0,4}$", text[: m.start])
        if before is not None and re.search(rf"\b(?i:{TITLE_NOUNS})\b", before[0]):
            for i in range(before.start(), m.start):
                chars[i] = " "
        after = re.match(r",\s+(?:the|a|an)?\s*[^,.;]{0,60}?,", text[m.end :])
        if after is not None and re.search(rf"\b(?i:{TITLE_NOUNS})\b", after[0]):
            for i in range(m.end, m.end + after.end()):
                chars[i] = " "
    return "".join(chars)


def _channel(text: str) -> str | None:
    for pattern, channel in _CHANNEL:
        if pattern.search(text) and not _JOINED.search(text):
            return channel
    return None


def _clauses(text: str) -> list[str]:
    """A sentence's clauses where contrast splits its stance ("accepts A but rejects B")."""
    parts = re.split(r"\s*(?:;|\bbut\b|\bwhile\b|\bwhereas\b|\bhowever\b|\balthough\b)\s*", text)
    return [p for p in parts if p.strip()]


def _quote(text: str) -> str:
    quoted = re.findall(r"[\"“]([^\"”]{8,})[\"”]", text)
    if quoted:
        return " … ".join(q.strip() for q in quoted)
    return " ".join(text.split())


def _statement_channel(text: str) -> str:
    for pattern, channel in _STATEMENT_CHANNEL:
        if pattern.search(text):
            return channel
    return "press"


def _draft_number(text: str) -> int | None:
    m = _DRAFT.search(text)
    if m is None:
        return None
    return int(m[1]) if m[1] else _ORDINALS[m[2].casefold()]


def _duration(text: str) -> int | None:
    m = _DURATION.search(text)
    if m is None:
        return None
    word = m["n"].casefold()
    number = float(word) if re.fullmatch(r"\d+(?:\.\d+)?", word) else float(_NUMBER_WORDS[word])
    if m["half"]:
        number += 0.5
    minutes = number * 60 if m["unit"].casefold().startswith("h") else number
    return round(minutes) if minutes > 0 else None
