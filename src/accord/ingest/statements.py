"""Statements (who said what, when, on which points, with which stance), the stances they carry, and
the people a report introduces: the rules of one reading (accord.ingest.reading_state)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from accord.domain.proposals import ProposalKind
from accord.ingest.cues import Cue, cues_in, strongest
from accord.ingest.names import TITLE_NOUNS, Mention
from accord.ingest.reading_state import Draft, ReaderState
from accord.ingest.sentences import Sentence
from accord.ingest.wording import (
    CONDITION,
    OBLIQUE,
    PRONOUN_SAID,
    REPORTING,
    SUBJECT_GAP,
    clauses_of,
    draft_number,
    quoted_words,
    statement_channel,
    without_titles,
)

# a sentence that opens with a name and its verb ("Trump, who …", "Putin himself spoke", "Rubio remarked")
SENTENCE_SUBJECT = re.compile(
    r"(?:[A-Z][^,]{0,40},\s+)?(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"(?:,\s+who\b|\s+(?:himself|herself|has|had|have|was|is|will|would|also|then|later|said|says|told|[a-z]+ed)\b)"
)
_NOT_SUBJECTS = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "A",
        "An",
        "In",
        "On",
        "At",
        "But",
        "And",
        "However",
        "Meanwhile",
        "Earlier",
        "Later",
        "Both",
        "Some",
        "Many",
        "Most",
        "Officials",
        "Talks",
        "Negotiators",
        "Delegates",
        "Sources",
        "There",
        "Here",
        "After",
        "Before",
    ]
)


def _by_the_verb(text: str, m: Mention, at: int) -> bool:
    """Whether a person is the subject right before a reporting verb: "President X told", "X has
    said", "X, the envoy, said"."""
    between = text[m.end : at]
    return bool(
        at >= m.end
        and re.fullmatch(
            r"(?:\s*,[^,]{0,80},)?\s*(?:(?:has|had|have|also|later|then|again|earlier|once)\s+){0,3}",
            between,
        )
    )


class StatementRules(ReaderState):
    def _remember_titles(self, text: str, people: list[Mention]) -> None:
        """The titles the report gives people ("Water Minister Dmitri Volkhov", "Henrik Dahle, who heads
        the delta board"), so that "the Minister said" later means that person."""
        for m in people:
            if m.kind not in ("person", "new-person"):
                continue  # a person of no known party too: "the President" may mean them
            before = text[max(0, m.start - 50) : m.start]
            after = text[m.end : m.end + 60]
            words = " ".join(re.findall(r"\w+", before)[-4:] + re.findall(r"\w+", after)[:6]).casefold()
            role = m.role or (self.negotiation.person(m.key).role if m.kind == "person" else None) or ""
            self.titled.append((words + " " + role.casefold(), m))

    def _titled_subject(self, text: str, at: int) -> Mention | None:
        """The person "the Minister" or "the envoy" means: the last one the report named with that title."""
        m = re.search(
            r"\b[Tt]he (?P<t>[\w'’-]+(?: [\w'’-]+){0,2})\s*$", text[max(0, at - 50) : at].rstrip(", ")
        )
        if m is None:
            return None
        title = m["t"].split()[-1].casefold()
        if not re.fullmatch(TITLE_NOUNS, title, re.IGNORECASE):
            return None
        holders = [person for words, person in self.titled if re.search(rf"\b{re.escape(title)}\b", words)]
        # "… said Donald Trump. The President added": the one who just spoke, if the title is theirs
        for recent in (self.last_speaker, self.last_subject):
            if recent is not None and any(p.key == recent.key for p in holders):
                return recent
        if holders:
            return holders[-1]
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
        """A new person whose title points back ("the party's spokeswoman Lena Pauwels", a briefing's
        host) takes the party the report named last, marked as a guess (a lower score). Any other
        title without a party of its own leaves the party unset: a party merely mentioned before ("the
        war with Russia") says nothing about who someone works for."""
        if m.kind != "new-person" or m.party is not None or self.last_party is None or not m.refers_back:
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
        if found:
            return found[0]
        # a person the report introduced ("spokesman Wim Terlinden"), by surname: "TERLINDEN:"
        surname = label.split()[-1].casefold()
        for name, draft in self.new_people.items():
            if name.split()[-1].casefold() == surname:
                party = draft.fields.get("party")
                return Mention("new-person", name, 0, 0, label, f"the turn of {name}", 0.75, party, None)
        return self.last_speaker

    def _new_person(self, m: Mention, sentence: Sentence) -> None:
        current = self.new_people.get(m.key)
        if current is not None:
            if current.fields.get("party") is None and m.party is not None:
                current.fields["party"] = m.party
            return
        d = Draft(
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
        joint = ""  # "said together with 'Y'": when several named people say it
        if sentence.label is not None and sentence.label.upper() != "Q" and self.turn_speaker is not None:
            speaker, rule = self.turn_speaker, f"a turn of the transcript ({sentence.label}:)"
        elif sentence.label is not None and sentence.label.upper() == "Q":
            # the points a question names are what the answer is about, if the answer names none
            self.question_points = [m.point for m in self.points.find(text)] or self.question_points
            return
        else:
            reporting = REPORTING.search(text)
            quoted = re.search(r"[\"“][^\"”]{8,}[\"”]", text)
            if reporting is None and quoted is None:
                return
            at = reporting.start() if reporting else 0
            # a person named after a preposition ("met with Zelensky", "backed by Trump") or as an
            # owner ("Trump's envoy") is not who speaks; "as confirmed by X" is
            speakers = [m for m in people if self._party_of(m) is not None and self._may_speak(text, m)]
            if reporting is not None and reporting[0].casefold() == "according to":
                after = text[reporting.end() : reporting.end() + 60]
                named = [
                    m
                    for m in people
                    if self._party_of(m) is not None and reporting.end() <= m.start <= reporting.end() + 25
                ]
                if re.match(r"\s+(?:him|her|it|them)\b", after):
                    # "According to him, …": the one who spoke before
                    back = self.last_speaker if re.match(r"\s+(?:it|them)\b", after) else self.last_subject
                    named = [back] if back is not None else []
                if not named:
                    return  # "according to people familiar with it": not a party's words
                speakers = named
                if not re.match(r"\s*(?:the\s+)?\S", after):
                    return
            pronoun = PRONOUN_SAID.search(text)
            antecedent = self.last_subject or self.last_speaker
            if pronoun is not None:
                # "Zelensky faces a deadline, but he has warned …": the subject named before the pronoun
                earlier = [
                    m
                    for m in people
                    if m.kind != "group" and m.end <= pronoun.start() and self._may_speak(text, m)
                ]
                if earlier:
                    antecedent = earlier[0]
            subject = self._party_subject(text, parties, at)
            titled = self._titled_subject(text, at)
            if (
                pronoun is not None
                and antecedent is not None
                and (not speakers or self._pronoun_nearer(pronoun, speakers, at))
            ):
                speaker, rule = (
                    antecedent,
                    f"a pronoun ({pronoun[0].strip()!r}): who spoke or was named before",
                )
            elif subject is not None and (not speakers or self._nearer(subject, speakers, at)):
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
            elif titled is not None and (
                not speakers or (self._nearest(speakers, at).kind == "group" and titled.kind != "group")
            ):
                # "the Kremlin spokesman said": the spokesman named before, not the Kremlin's group
                speaker, rule = titled, f"{titled.words!r}: the person of that title named before"
            elif speakers:
                speaker = self._nearest(speakers, at)
                rule = f"words attributed to {speaker.words!r}"
                together = _together(speakers, speaker, text, self._party_of)
                if len(together) > 1:
                    # "US envoys X and Y said": both speak; a statement is one person's, so the first's
                    speaker = together[0]
                    words = [repr(m.words) for m in together]
                    others = ", ".join(words[1:-1]) + " and " + words[-1] if len(words) > 2 else words[1]
                    listed = ", ".join(words[:-1]) + " and " + words[-1]
                    rule = f"words attributed to {listed}: the first named speaks"
                    joint = f"said together with {others}; recorded as said by {speaker.words!r}"
                # "President X told reporters that … Witkoff …": X speaks, though the report gives X no
                # party; the words are no one's rather than those of a party's person named after
                unknown = [
                    m
                    for m in people
                    if m.kind != "group"
                    and self._party_of(m) is None
                    and reporting is not None
                    and _by_the_verb(text, m, at)
                ]
                if unknown:
                    speaker, joint = unknown[-1], ""
            if speaker is None:
                return
        if sentence.label is None:
            self.sentence_speaker = speaker  # whom the next "he said" means, whatever their party
        party = self._party_of(speaker)
        if party is None:
            return
        if sentence.label is None:
            self.last_speaker = speaker
        quote = quoted_words(re.sub(r"^[A-Z][A-Za-z .'’-]{0,40}:\s+", "", text) if sentence.label else text)
        d = Draft(
            ProposalKind.STATEMENT,
            "statement: " + rule,
            0.8 * speaker.score,
            [sentence],
            {
                "speaker": self._speaker_name(speaker),
                "party": party,
                "quote": quote,
                "channel": statement_channel(text),
            },
        )
        if joint:
            d.notes.append(joint)
        self._said_on(sentence, d)
        draft = draft_number(text)
        if draft is not None and any(x.version == draft for x in self.negotiation.drafts):
            d.fields["draft"] = draft
        points_all: list[str] = []
        stances: list[tuple[str, Cue]] = []
        masked = without_titles(text, people)
        for clause in clauses_of(masked):
            cue = strongest(cues_in(clause))
            # a point named only in a condition ("as long as a Liberal holds the finance ministry") is
            # what the party asks for, not what it answers on
            condition = CONDITION.search(clause)
            matches = self.points.find(clause[: condition.start()]) if condition else []
            if not matches:
                matches = self.points.find(clause)
            ids = [m.point for m in matches]
            points_all += ids
            if cue is not None:
                stances += [(p, cue) for p in ids]
        whole_cue = strongest(cues_in(text))
        if not points_all and sentence.label is not None and self.question_points:
            points_all = list(self.question_points)  # "A: It is a non-starter for us": the question's point
            d.notes.append("the point is the question's: the answer names none")
            if whole_cue is not None:
                stances += [(p, whole_cue) for p in points_all]
        d.fields["points"] = list(dict.fromkeys(points_all))
        if whole_cue is not None:
            d.fields["stance"] = whole_cue.kind.value
            d.fields["cue"] = whole_cue.reading
            d.confidence = min(d.confidence, whole_cue.confidence + 0.1)
        self.drafts.append(d)
        if party in self.mediators:
            return  # a mediator answers no draft: its words are a statement, never a stance
        seen: set[str] = set()
        # a point named in a clause without a cue takes the sentence's cue, unless a contrast sets the
        # clauses apart ("welcomed the guarantees but acknowledged disagreements over territory": no
        # acceptance of territory)
        contrast = re.search(r"\b(?:but|while|whereas|however|although|though)\b", masked, re.IGNORECASE)
        if whole_cue is not None and contrast is None:
            for p in d.fields["points"]:
                if p not in {x for x, _ in stances}:
                    stances.append((p, whole_cue))
        for point, cue in stances:
            if point in seen:
                continue
            seen.add(point)
            s = Draft(
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
            if not self._has_a_draft(party, d.fields.get("date"), d.fields.get("draft")):
                s.accept = False
                s.notes.append(
                    "no draft had reached this party by then, and a stance answers a draft: "
                    "left unaccepted; to accept it, give the draft it answers"
                )
            self.drafts.append(s)

    def _has_a_draft(self, party: str, date: object, version: object) -> bool:
        """Whether a draft had been circulated to the party by the day (the draft named, if any)."""
        for draft in self.negotiation.drafts:
            if party not in draft.circulated_to or (version is not None and draft.version != version):
                continue
            if draft.date is None or not isinstance(date, dt.date) or draft.date <= date:
                return True
        return False

    def _said_on(self, sentence: Sentence, d: Draft) -> None:
        """When words were said: a date by the reporting verb ("said on Monday", "On Monday, X said"),
        the meeting's day for words said "after the session", else the report's day. A date elsewhere
        in the sentence is what the words are about ("would answer next week"), not when they were said."""
        text = sentence.text
        verb = REPORTING.search(text)
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
            if 0 <= at - m.end <= 30 and re.fullmatch(SUBJECT_GAP, between, re.IGNORECASE):
                return m
        return None

    def _may_speak(self, text: str, m: Mention) -> bool:
        """Whether a person named in a sentence can be the one who speaks in it: not one named after a
        preposition ("talks with President Zelensky", "a plan backed by Trump") unless the preposition
        follows a reporting verb ("as confirmed by X"), and not an owner ("Trump's envoy")."""
        if re.match(r"['’]s?\b", text[m.end : m.end + 2]):
            return False
        if any(q.start() < m.start < q.end() for q in re.finditer(r"[\"“][^\"”]*[\"”]", text)):
            return False  # named inside the quoted words: not who says them
        if re.search(r"\b(?:leads|heads|led|headed|leading|heading)\s+(?:the\s+)?$", text[: m.start]):
            return False  # "Pavlo Hrin, who leads Ukraine's delegation, said": the delegation is led
        verb = next(reversed(list(REPORTING.finditer(text[: m.start]))), None)
        between = text[verb.end() : m.start] if verb is not None else ""
        if (
            verb is not None
            and verb[0].casefold() != "according to"
            and not re.search(r"[.;:\"“”]", between)
            and (
                re.search(r"\b(?:that|whether|included|includes|including)\b", between)
                or (
                    m.start - verb.end() <= 40
                    and "," not in between
                    and re.match(
                        r"(?:\s+and\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+)?\s+"
                        r"(?:had|has|have|was|were|is|are|would|will|could|should|did|might|must|can|may)\b",
                        text[m.end :],
                    )
                )
            )
        ):
            return False  # "Ushakov said Putin and Witkoff had …", "said the US side included X": whom
            # the words are about
        window = text[max(0, m.start - 80) : m.start]
        before = OBLIQUE.search(window)
        if before is None:
            return True
        if re.search(rf"\b(?i:{TITLE_NOUNS})\s*$", window[: before.start()]):
            # "Secretary of State Marco Rubio": a person's title; "the head of the Ukrainian
            # delegation": a group in someone's title, not who speaks
            return m.kind != "group"
        if before["prep"].casefold() == "with" and re.match(r"\s+\w+ing\b", text[m.end :]):
            return True  # "with Dmitriev noting that …": Dmitriev speaks
        if before["prep"].casefold() == "by":
            lead = text[: m.start - len(before[0])]
            return bool(re.search(rf"(?:{REPORTING.pattern})\s*$", lead, re.IGNORECASE))
        return False

    def subject_of(self, text: str, people: list[Mention]) -> Mention | None:
        """The person a sentence is about, whom its next sentence's "he" or "she" means: the first
        person of a party named in it as a subject (not after a preposition, not as an owner)."""
        found = next((m for m in people if self._may_speak(text, m)), None)
        if found is not None and (people.index(found) == 0 or found.start < 40):
            return found
        # "Trump, who had set a deadline, …": someone the record and the report do not know is the
        # subject; "he" in the next sentence is them, not a person named before
        unknown = SENTENCE_SUBJECT.match(text)
        if (
            unknown is not None
            and unknown["name"] not in _NOT_SUBJECTS
            and not self.names.parties_in(unknown["name"])
            and (found is None or found.start > unknown.end())
        ):
            return Mention("new-person", unknown["name"], 0, unknown.end("name"), unknown["name"], "", 0.0)
        return found

    def _pronoun_nearer(self, pronoun: re.Match[str], speakers: list[Mention], at: int) -> bool:
        """Whether "he said" speaks rather than a person named in the sentence ("He said he had
        met Zelensky": he; "Zelensky said he would travel": Zelensky)."""
        if any(0 <= at - m.end <= 2 for m in speakers):
            return False  # "Helena Marsh said she would …": the name is the subject
        where = pronoun.start() + len(pronoun[0]) - len(pronoun[0].lstrip(' ,"“”'))
        distance = min(abs(where - at), abs(pronoun.end() - at))
        return all(where < m.start for m in speakers) or distance < min(
            min(abs(at - m.end), abs(m.start - at)) for m in speakers
        )

    def _nearer(self, subject: Mention, speakers: list[Mention], at: int) -> bool:
        return abs(at - subject.end) < min(min(abs(at - m.end), abs(m.start - at)) for m in speakers)

    def _nearest(self, speakers: list[Mention], at: int) -> Mention:
        """The speaker of a reported sentence: the person nearest its reporting verb."""

        def distance(m: Mention) -> int:
            return min(abs(m.end - at), abs(m.start - at))

        return min(speakers, key=distance)


def _together(
    speakers: list[Mention], speaker: Mention, text: str, party_of: Callable[[Mention], str | None]
) -> list[Mention]:
    """The people named in one list with ``speaker``, in the order named, ``speaker`` among them ("X, Y
    and Z said": all three), of one party: only ``speaker`` when it is not in such a list."""
    people = sorted((m for m in speakers if m.kind != "group"), key=lambda m: m.start)
    if speaker not in people:
        return [speaker]
    at = people.index(speaker)
    first = last = at
    while first > 0 and re.fullmatch(
        r"\s*(?:,\s*(?:and\s+)?|and\s+)", text[people[first - 1].end : people[first].start]
    ):
        first -= 1
    while last + 1 < len(people) and re.fullmatch(
        r"\s*(?:,\s*(?:and\s+)?|and\s+)", text[people[last].end : people[last + 1].start]
    ):
        last += 1
    listed = people[first : last + 1]
    if len({party_of(m) for m in listed}) > 1 or any(party_of(m) is None for m in listed):
        return [speaker]  # of several parties, or of none said: whose words these are is unclear
    return listed
