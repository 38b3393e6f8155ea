"""Papers handed over (how many, to whom, when) and leaks: the rules of one reading
(accord.ingest.reading_state)."""

from __future__ import annotations

import datetime as dt
import re

from accord.domain.proposals import ProposalKind
from accord.ingest.names import Mention
from accord.ingest.reading_state import Draft, ReaderState
from accord.ingest.sentences import Sentence
from accord.ingest.wording import (
    LEAK,
    NUMBER_WORDS,
    PAPER,
    draft_number,
)


class PaperRules(ReaderState):
    def _paper(self, sentence: Sentence, people: list[Mention], parties: list[Mention]) -> None:
        text = sentence.text
        m = PAPER.search(text)
        if m is None:
            return
        count: int | None = 1
        counted = re.search(
            r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|some|a number of|a few"  # noqa: E501
            r"|a set of|a package of|a stack of)\s+(?:(?!delegations\b|parties\b|sides\b|states\b|the\b|a\b|an\b|to\b)"  # noqa: E501
            r"\w+\s+){0,2}?(?:papers?|documents?|non-papers?|memos?|texts?"
            r"|drafts?|proposals?|letters?|maps?|counter-proposals?)\b",
            text,
            re.IGNORECASE,
        )
        if counted is not None:
            word = counted["n"].casefold()
            if word.isdigit():
                count = int(word)
            elif word in NUMBER_WORDS:
                count = int(NUMBER_WORDS[word])
            else:
                count = None
        elif re.search(r"\b(?:papers|documents|texts|memos|proposals)\b", text, re.IGNORECASE):
            count = None
        d = Draft(ProposalKind.PAPER, f"paper: {m[0][:60]!r}", 0.7, [sentence], {"count": count})
        meeting = self.last_meeting
        at_meeting = (
            meeting is not None
            and meeting.fields.get("status") == "held"
            and isinstance(meeting.fields.get("date"), dt.date)
            and (
                meeting.evidence[-1].paragraph >= sentence.paragraph - 1
                or re.search(r"\b(?:during|at) the (?:call|meeting|talks|session|round)\b", text, re.I)
            )
            and not self._dates(sentence)
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
        draft = draft_number(text)
        if draft is not None and any(x.version == draft for x in self.negotiation.drafts):
            d.fields["draft"] = draft
        self.drafts.append(d)

    def _event(self, sentence: Sentence) -> None:
        text = sentence.text
        m = LEAK.search(text)
        if m is None:
            return
        if re.search(
            r"\b(?:leak(?:ed)? (?:inquiry|investigation)|no leak|deny|denied)\b", text, re.IGNORECASE
        ):
            return
        d = Draft(
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
        draft = draft_number(text)
        if draft is not None and any(x.version == draft for x in self.negotiation.drafts):
            d.fields["draft"] = draft
        self.drafts.append(d)
        self.leak = d
