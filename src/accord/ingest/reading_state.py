"""The state of one reading of a report, shared by the rules that read it (accord.ingest.statements,
.meetings, .papers), and the proposal each rule builds (:class:`Draft`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from accord.domain import Negotiation
from accord.domain.negotiation import Role
from accord.domain.people import fold_name
from accord.domain.proposals import ProposalKind
from accord.ingest.dates import FoundDate, dates_in
from accord.ingest.names import TITLE_NOUNS, Mention, Names
from accord.ingest.points import PointFinder
from accord.ingest.sentences import Sentence
from accord.ingest.wording import COLLECTIVE, NUMBER_WORDS

# a party named as the other side of a war or as a subject of the talks is not at the table: "the war
# with Russia", "Russia's invasion", "a plan favouring Moscow", "pressure on Kyiv"
_WAR_WORDS = (
    r"(?:war|conflict|fighting|hostilities|invasion|aggression|attacks?|forces|army|military|full-scale)"
)
_OBJECT_BEFORE = re.compile(
    rf"(?:\b{_WAR_WORDS}\s+(?:with|against|on|in)|\bagainst|\bfavou?ring|\bpressure on|\bsanctions on"
    r"|\bconcessions to|\bdemands of|\bcriticism of|\bappeasing|\bsiding with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_OBJECT_AFTER = re.compile(rf"^(?:['’]s)?\s+(?:{_WAR_WORDS})\b", re.IGNORECASE)


def _not_at_the_table(text: str, m: Mention) -> bool:
    words = m.words
    after = text[m.end : m.end + 30]
    if re.search(r"['’]s$", words):
        after = "'s" + after
    return bool(_OBJECT_BEFORE.search(text[max(0, m.start - 40) : m.start]) or _OBJECT_AFTER.match(after))


def _appositive_of(text: str, person: Mention, group: Mention) -> bool:
    """Whether a group's words are a person's title in an appositive: "Pavlo Hrin, Ukraine's chief
    negotiator, said" (closed by a comma, or a title of one person)."""
    if not re.fullmatch(r",\s+(?:the\s+|a\s+|an\s+)?", text[person.end : group.start]):
        return False
    one = re.search(rf"\b(?i:{TITLE_NOUNS})$", group.words) is not None
    return one or text[group.end : group.end + 1] == ","


@dataclass
class Draft:
    """A proposal being built."""

    kind: ProposalKind
    rule: str
    confidence: float
    evidence: list[Sentence]
    fields: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    accept: bool = True  # proposed as accepted; False: shown, but left out unless the reviewer says so


class ReaderState:
    """What a reading of a report knows as it goes: the record's names, the proposals so far, who spoke
    and which meeting was reported last."""

    def __init__(self, text: str, negotiation: Negotiation, date: dt.date | None) -> None:
        self.text = text
        self.negotiation = negotiation
        self.date = date
        self.names = Names.of(negotiation)
        self.points = PointFinder(negotiation)
        self.drafts: list[Draft] = []
        self.names_found = False
        self.parties_named: set[str] = set()  # every party the report names, by any of its names
        self.new_people: dict[str, Draft] = {}
        self.last_speaker: Mention | None = None
        self.last_meeting: Draft | None = None
        self.turn_speaker: Mention | None = None
        self.mediators = set(self.names.mediators())
        self.dateline: tuple[int, int] | None = None
        self.first_speaker: Mention | None = None  # who a transcript's "A:" is, before anyone spoke
        self.leak: Draft | None = None
        self.last_party: str | None = None
        self.last_subject: Mention | None = None  # whom "he said" means: who spoke, or the subject, last
        self.sentence_speaker: Mention | None = None  # who speaks in the sentence being read
        self.question_points: list[str] = []  # what the last question of a transcript was about
        self.titled: list[tuple[str, Mention]] = []  # (title words, person) as the report introduced them
        # the party each new person's own title gives anywhere in the report (None: titles disagree),
        # and the people some title puts outside the parties ("former President X")
        self.report_titles: dict[str, tuple[str | None, str]] = {}
        self.outside_names: set[str] = set()

    # -- helpers ------------------------------------------------------------------------------------

    def _dates(self, sentence: Sentence) -> list[FoundDate]:
        found = dates_in(sentence.text, self.date)
        if self.dateline is None:
            return found
        start, end = self.dateline
        # the dateline's day is the report's, not an event's
        return [f for f in found if not (sentence.start + f.start < end and sentence.start + f.end > start)]

    def _day(self, sentence: Sentence, d: Draft, *, default_report: bool = True) -> None:
        """Put the sentence's date on a proposal: a day, or words for a period, or the report's day."""
        for found in self._dates(sentence):
            if found.date is not None:
                d.fields["date"] = found.date
                if found.note:
                    d.notes.append(f"{found.words!r}: {found.note}")
                return
            if found.approx is not None:
                if d.kind in (ProposalKind.PAPER, ProposalKind.STATEMENT):  # a day or nothing
                    d.notes.append(f"{found.words!r} names no single day: set the date")
                    d.confidence -= 0.1
                    return
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

    def read_titles(self, sentences: list[Sentence]) -> None:
        """Read every title the report gives a new person before reading it sentence by sentence, so
        that "President Ray Holt said" takes the party of "US President Ray Holt" named later (or
        earlier) in the same report. Only a title tied to the person counts (their own title, an
        appositive, the delegation they lead), never a party merely named nearby; titles naming two
        parties for one name give none."""
        introduced: dict[str, str | None] = {}
        for sentence in sentences:
            text = sentence.text
            known = self.names.people_in(text)
            for m in self.names.new_people_in(text, known, introduced):
                key = fold_name(m.key)
                if m.outside:
                    self.outside_names.add(key)
                if m.party is None:
                    continue
                before = re.search(r"(?:[\w.'’-]+\s+){0,4}$", text[: m.start])
                words = " ".join(((before[0] if before else "") + m.words).split())
                prior = self.report_titles.get(key)
                if prior is None:
                    self.report_titles[key] = (m.party, words)
                elif prior[0] != m.party:
                    self.report_titles[key] = (None, "")
                introduced.setdefault(m.key, m.party)

    def _titled_elsewhere(self, m: Mention) -> Mention:
        """A new person whose title here names no party ("President Ray Holt said"): the party of the
        person they were introduced as before in this reading, else the one their title gives elsewhere
        in the report ("US President Ray Holt"); never for someone outside the parties."""
        if m.kind != "new-person" or m.party is not None or m.outside:
            return m
        key = fold_name(m.key)
        introduced = self.new_people.get(m.key)
        if introduced is not None and introduced.fields.get("party") is not None:
            return replace(m, score=max(m.score, introduced.confidence), refers_back=False)
        if key in self.outside_names:
            return m
        from rapidfuzz import fuzz

        found = self.report_titles.get(key)
        if found is None:
            close = {
                value
                for name, value in self.report_titles.items()
                if fuzz.ratio(name, key) >= 85 and value[0] is not None
            }
            found = close.pop() if len({party for party, _ in close}) == 1 else None
        if found is None or found[0] is None:
            return m
        party, words = found
        return replace(
            m,
            party=party,
            score=max(m.score, 0.7),
            rule=m.rule + f" (party: {words!r} elsewhere in the report)",
            refers_back=False,
        )

    def _people(self, sentence: Sentence) -> list[Mention]:
        text = sentence.text
        known = self.names.people_in(text)
        introduced = {name: d.fields.get("party") for name, d in self.new_people.items()}
        new = [
            self._titled_elsewhere(self._as_introduced(m))
            for m in self.names.new_people_in(text, known, introduced)
        ]
        again = self._introduced_in(text, [*known, *new])
        people = [*known, *new, *again]
        # "Ukrainian President Zelensky": the title is the person's, not a group's words; "Pavlo Hrin,
        # Ukraine's chief negotiator, said": the appositive is Hrin's title, not a group that speaks
        people = [
            g
            for g in people
            if g.kind != "group"
            or not any(
                m.kind != "group"
                and (
                    (0 <= m.start - g.end <= 2 and not text[g.end : m.start].strip(" ,"))
                    or _appositive_of(text, m, g)
                )
                for m in people
            )
        ]
        mentions = sorted(people, key=lambda m: m.start)
        if any(m.kind != "new-person" for m in mentions):
            self.names_found = True
        self.parties_named.update(m.party for m in mentions if m.kind != "new-person" and m.party)
        return mentions

    def _as_introduced(self, m: Mention) -> Mention:
        """A new person the report introduced before under another spelling ("Zelensky", then
        "President Volodymyr Zelenskyy"): the same person, under the first spelling."""
        if m.kind != "new-person" or m.key in self.new_people:
            return m
        from rapidfuzz import fuzz

        for name in self.new_people:
            if fuzz.ratio(fold_name(name), fold_name(m.key)) >= 85:
                return replace(m, key=name, rule=m.rule + f" (the {name!r} named before)")
        return m

    def _introduced_in(self, text: str, taken: list[Mention]) -> list[Mention]:
        """Later mentions of people the report introduced: by their name, their surname ("Mr
        Zelenskiy"), or a spelling of it within a transliteration's distance ("Zelenskyy")."""
        from rapidfuzz import fuzz

        if not self.new_people:
            return []
        spans = [(m.start, m.end) for m in taken]
        found: list[Mention] = []
        for word in re.finditer(r"(?<![\w-])[A-Z][\w'’-]*[\w](?![\w-])", text):
            start, end = word.start(), word.end()
            if any(not (end <= s or start >= e) for s, e in spans):
                continue
            surname = re.sub(r"['’]s$", "", word[0])
            if len(surname) < 4:
                continue
            best: tuple[float, str] | None = None
            for name in self.new_people:
                score = fuzz.ratio(fold_name(surname), fold_name(name.split()[-1]))
                if score >= 85 and (best is None or score > best[0]):
                    best = (score, name)
            if best is None:
                continue
            name = best[1]
            draft = self.new_people[name]
            party = draft.fields.get("party")
            end = start + len(surname)
            first = re.search(r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+|[A-Z][\w'’-]+\s+)$", text[:start])
            if first is not None and fold_name(first[0].strip()) == fold_name(" ".join(name.split()[:-1])):
                start = first.start()  # the whole name: "Volodymyr Zelensky"
            found.append(
                Mention(
                    "new-person",
                    name,
                    start,
                    end,
                    text[start:end],
                    f"{name!r}, named before",
                    0.75 if party else 0.5,
                    party,
                    draft.fields.get("role"),
                )
            )
            spans.append((start, end))
        return found

    def _parties(self, sentence: Sentence) -> list[Mention]:
        found = self.names.parties_in(sentence.text)
        if found:
            self.names_found = True
        self.parties_named.update(m.key for m in found)
        return found

    def _party_of(self, mention: Mention) -> str | None:
        if mention.kind == "new-person":
            introduced = self.new_people.get(mention.key)
            return mention.party or (introduced.fields.get("party") if introduced is not None else None)
        if mention.kind in ("person", "group"):
            return self.negotiation.person(mention.key).party
        return None

    def _speaker_name(self, mention: Mention) -> str:
        if mention.kind == "new-person":
            return mention.key
        return self.negotiation.person(mention.key).name

    # -- the reading --------------------------------------------------------------------------------

    def _participants(self, people: list[Mention], parties: list[Mention], text: str = "") -> list[str]:
        """The parties at a meeting: those named (or whose people are), and all of them for "the
        parties", "the four delegations", "the plenary" when the count fits the negotiation."""
        found = [m.key for m in parties if not _not_at_the_table(text, m)]
        collective = COLLECTIVE.search(text)
        if collective is not None:
            negotiating = [p.id for p in self.negotiation.parties if p.role is Role.PARTY]
            count = NUMBER_WORDS.get((collective["n"] or "").casefold())
            if count is None or int(count) == len(negotiating):
                mediators = [p.id for p in self.negotiation.parties if p.role is Role.MEDIATOR]
                found = [*mediators, *negotiating, *found]
        for m in people:
            party = self._party_of(m)
            if party is not None:
                found.append(party)
        return list(dict.fromkeys(found))
