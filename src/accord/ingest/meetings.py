"""Meetings as reports tell them (held, planned, postponed, cancelled; when, where, how long, who
took part and who joined late): the rules of one reading (accord.ingest.reading_state)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from accord.domain.proposals import ProposalKind
from accord.ingest.names import Mention
from accord.ingest.reading_state import Draft, ReaderState
from accord.ingest.sentences import Sentence
from accord.ingest.wording import (
    CANCELLED,
    CHANNEL,
    JOINED,
    MEETING,
    MEETING_STRONG,
    PLACE,
    PLANNED,
    POSTPONED,
    RECENT,
    channel_of,
    duration_of,
)


class MeetingRules(ReaderState):
    def _meeting(self, sentence: Sentence, people: list[Mention], parties: list[Mention]) -> None:
        text = sentence.text
        strong = MEETING_STRONG.search(text)
        if strong is not None and re.search(
            r"(?:\b(?:its|their|the party's|his party's|her party's) own|\binternal|\bparty council's?)\s*$",
            text[max(0, strong.start() - 30) : strong.start()],
            re.IGNORECASE,
        ):
            strong = None  # a party's own meeting is not a meeting of the talks
        weak = MEETING.search(text) or strong
        if weak is None:
            return
        status = "held"
        if CANCELLED.search(text):
            status = "cancelled"
        elif POSTPONED.search(text):
            status = "postponed"
        elif PLANNED.search(text):
            status = "planned"
        dates = [f for f in self._dates(sentence) if f.date is not None or f.approx is not None]
        place = self._place(text)
        participants = self._participants(people, parties, text)
        definite = re.search(r"\b(?:the|that|this|those) (?:meeting|talks|session|round)\b", text, re.I)
        continuing = (
            self.last_meeting is not None
            and (
                self.last_meeting.evidence[-1].paragraph >= sentence.paragraph - 2
                or (not dates and (definite or JOINED.search(text)) is not None)
            )
            and (
                not dates
                or (dates[0].date is not None and dates[0].date == self.last_meeting.fields.get("date"))
            )
            and (status == self.last_meeting.fields["status"] or (status == "held" and not strong))
        )
        if continuing and self.last_meeting is not None and (not strong or definite or JOINED.search(text)):
            m = self.last_meeting
            m.evidence.append(sentence)
            self._meeting_details(m, text, people, participants, place)
            return
        if strong is None:
            return
        if not (dates or place or len(participants) >= 1):
            return
        if status == "held" and not dates and sentence.paragraph > 2 and not RECENT.search(text):
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
                and other.fields.get("channel") == channel_of(text)
            ):
                other.evidence.append(sentence)
                if other.fields.pop("_undated", False) and day is not None:
                    other.fields["date"] = day  # the headline's meeting, dated by the story
                    other.notes = [n for n in other.notes if not n.startswith("no date in the sentence")]
                self._meeting_details(other, text, people, participants, place)
                self.last_meeting = other
                return
        d = Draft(
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
            d.notes.append(
                f"the record has this meeting already ({recorded}): "
                "left unaccepted; accept it only if it is another"
            )
            d.confidence -= 0.2
            d.accept = False
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
        self, d: Draft, text: str, people: list[Mention], participants: list[str], place: str | None
    ) -> None:
        current = list(d.fields.get("participants", []))
        d.fields["participants"] = list(dict.fromkeys([*current, *participants]))
        if place and not d.fields.get("place"):
            d.fields["place"] = place
        duration = duration_of(text)
        if duration and not d.fields.get("duration_minutes"):
            d.fields["duration_minutes"] = duration
        for pattern, channel in CHANNEL:
            if pattern.search(text) and "channel" not in d.fields and not JOINED.search(text):
                d.fields["channel"] = channel
        attendees = list(d.fields.get("people", []))
        names = {a["person"] for a in attendees}
        joined = JOINED.search(text)
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

    def _place(self, text: str) -> str | None:
        for known in self.names.places:
            head = known.split(",")[0].strip()
            if head and re.search(rf"\b{re.escape(head)}\b", text):
                return head
        for m in PLACE.finditer(text):
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
                or re.search(r"['’]s?\b", words)  # "at Trump's residence": an owner, not a place
            ):
                continue
            return words.removeprefix("the ").strip()
        return None
