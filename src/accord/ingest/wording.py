"""The words of diplomacy ingest reads: reporting verbs, words of meeting, of papers changing hands,
of leaks; durations, channels, places, conditions; and small readers of a sentence built on them.
Patterns only (no state): accord.ingest.statements, .meetings and .papers apply them."""

from __future__ import annotations

import re

from accord.ingest.names import TITLE_NOUNS, Mention

REPORTING = re.compile(
    r"\b(?:said|says|told|tells|stated|declared|added|adds|insisted|insists|warned|warns|noted"
    r"|stressed|stresses|argued|argues|acknowledged|acknowledges|confirmed|confirms|explained|described"
    r"|called for|called on|calls for|calls on|posted|complained|repeated|replied that|answered that"
    r"|rebuffed|rebuffs|ruled out|rules out|turned down|endorsed|vetoed|balked at"
    r"|signalled|signaled|reaffirmed"
    r"|hinted|conceded|cautioned|urged|maintained|maintains|announced|announces|reiterated|underlined"
    r"|emphasised|emphasized|dismissed|rejected|welcomed|according to|in a statement|told reporters"
    r"|pointed out|remarked|mentioned|asserted|claimed|noting|stating|saying|echoed|denied|cautions)\b",
    re.IGNORECASE,
)
# "he added", "She also warned", "he has repeatedly said", "said he"; "they said" only where it opens a
# clause (a group's "they" is ambiguous elsewhere)
PRONOUN_SAID = re.compile(
    r"(?:^|[,\"“”]\s*)(?:he|she|they)\s+(?:said|added|says|told|warned|insisted|noted|stressed|went on)\b"
    r"|\b(?:he|she)\s+(?:(?:also|later|then|further|again|has|had|have|previously|repeatedly|earlier"
    r"|once more)\s+){0,3}(?:" + REPORTING.pattern[5:-3] + r")\b"
    r"|\b(?:said|added)\s+(?:he|she)\b",
    re.IGNORECASE,
)
# a preposition before a name (and the title words between): "met with Ukrainian President", "backed
# by former President", "the son-in-law of"
OBLIQUE = re.compile(
    r"\b(?P<prep>(?i:with|to|of|for|from|about|against|on|at|in|into|by|between|among|including|like"
    r"|via|toward|towards|than|over|under|without|appeasing))\s+(?i:the\s+|an?\s+)?"
    r"(?:(?:[A-Z][\w.'’-]*|(?i:and|or|former|special|presidential|chief|senior|deputy|foreign|national|security"
    r"|envoy|adviser|advisor|aide|minister|president|secretary|spokesman|spokeswoman|spokesperson"
    r"|negotiator|head|leader|counterpart|son-in-law))\s+){0,6}$"
)
MEETING = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|held talks|round of talks|round|session|sat down|hosted"
    r"|summit|consultations|negotiating session|video call|phone call|spoke by (?:tele)?phone|convened"
    r"|gathered|plenary)\b",
    re.IGNORECASE,
)
MEETING_STRONG = re.compile(
    r"\b(?:met|meet|meets|held talks|hold talks|round of talks|sat down|hosted|convened|plenary|a meeting"
    r"|the meeting|meeting (?:on|in|at|with|between)|talks (?:on|in|at|with|between)|session (?:on|in|at)"
    r"|video call|phone call|spoke by (?:tele)?phone|summit|received the delegation|receives the delegation"
    r"|(?:speak|spoke|talk|talked|meet) again|spoke (?:to|with) (?!reporters|journalists|the press)"
    r"|(?:speak|talk|spoke|talked) by (?:tele)?phone|(?:technical|working|negotiating|plenary) session"
    r"|session (?:held|of)|(?:first|second|third|fourth|fifth|sixth|next|new|latest|last|final) round\b"
    r"|(?:will|would|is to|are to) visit|visited|a visit to"
    r"|will take place|takes place|took place|(?:will|would) (?:travel|return) to|be received|was received"
    r"|were received|(?:talks|meetings?|negotiations|consultations|round|session)\s+(?:were|was|had been"
    r"|have been|has been|will be|would be|are being|is being|are to be|is to be)\s+held)\b",
    re.IGNORECASE,
)
POSTPONED = re.compile(r"\b(?:postponed|put off|delayed|pushed back|rescheduled|deferred)\b", re.IGNORECASE)
CANCELLED = re.compile(r"\b(?:cancelled|canceled|called off|scrapped|abandoned)\b", re.IGNORECASE)
PLANNED = re.compile(
    r"\b(?:will meet|will hold|will resume|are due to|is due to|is scheduled|are scheduled|scheduled for"
    r"|is set to|are set to|to meet again|will reconvene|plan to meet|planned for|expected to meet"
    r"|next round|will gather|will convene|will sit down|is to take place|are to meet|next meeting"
    r"|were due to|was due to|had been due to|would meet|would reconvene|would resume|would hold"
    r"|will take place|is to take place|next (?:plenary|session|round|meeting|talks)|will travel|will be received"  # noqa: E501
    r"|(?:will|is to|are to) (?:visit|speak|talk|hold|open|begin|start|resume)|(?:is|are) due in|opens|begins\b"  # noqa: E501
    r"|(?:will|would|shall) (?:return|go back|come back) to|to hold the next|(?:will|would|to) be held"
    r"|(?:agreed|plan|planned|want|wanted|hope|hoped) to (?:speak|meet|talk) again"
    r"|meets?\b[^.]{0,60}\b(?:this afternoon|this evening|later today|tonight|tomorrow))\b",
    re.IGNORECASE,
)
DOCUMENTS = (
    r"papers?|documents?|texts?|drafts?|proposals?|non-papers?|memos?|memorand(?:um|a)|letters?|maps?|notes?"
    r"|counter-proposals?|copies|outlines?|stud(?:y|ies)|costings?|reports?|models?|tables?|annex(?:es)?|lists?"
    r"|schedules?|plans?|frameworks?"
)
PAPER = re.compile(
    r"\b(?:handed over|handed|gave|given|passed|presented|submitted|tabled|delivered|exchanged|sent|received"
    r"|circulated|distributed)\b[^.]{0,80}?\b(?:" + DOCUMENTS + r")\b"
    r"|\b(?:" + DOCUMENTS + r")\b[^.]{0,60}?\b(?:were|was|had been|has been)\s+"
    r"(?:handed|given|passed|presented|submitted|delivered|exchanged|circulated|sent)\b",
    re.IGNORECASE,
)
LEAK = re.compile(
    r"(?<!\bthe )(?<!\ba )(?<!\bthis )\b(?:leaked|leak|leaks|obtained by"
    r"|a copy (?:of [^.]{0,40})?(?:was )?(?:obtained|published)"
    r"|published (?:the|a) (?:full )?(?:text|draft)|made public without)\b",
    re.IGNORECASE,
)
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "both": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "half": 0.5, "a half": 0.5,
}  # fmt: skip
DURATION = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?P<half>(?:\s+and\s+a)?[\s-]+half)?[\s-]+(?P<unit>hours?|minutes?|hrs?|mins?)\b(?![\s-]+(?:later|before|after|ago|drive|flight))",
    re.IGNORECASE,
)
JOINED = re.compile(
    r"\b(?:joined|left|arrived|took part)\b[^.,;]{0,60}?(?:later|late|for (?:the )?(?:first|second|last|final) "  # noqa: E501
    r"(?:half|part|hour|session)|by video|by phone|part of|towards the end|midway|for part)[^.,;]{0,30}",
    re.IGNORECASE,
)
CHANNEL = (
    (re.compile(r"\bby video(?:[- ]link| conference)?|\bvideo ?(?:call|conference|link)\b|\bvirtual(?:ly)?\b", re.I), "video"),  # noqa: E501
    (re.compile(r"\bby (?:tele)?phone\b|\bphone call\b|\btelephone (?:call|conversation)\b|\bspoke by phone\b", re.I), "call"),  # noqa: E501
)  # fmt: skip
STATEMENT_CHANNEL = (
    (re.compile(r"\bin an interview\b|\btold (?:the )?[A-Z][\w ]{0,30}in an interview\b|\binterview with\b", re.I), "interview"),  # noqa: E501
    (re.compile(r"\b(?:posted|wrote) on\b|\bon (?:X|Twitter|Telegram|Facebook|social media)\b", re.I), "social"),  # noqa: E501
    (re.compile(r"\bin a (?:written |official )?statement\b|\bread-?out\b|\bcommuniqu[eé]\b|\bpress release\b", re.I), "official"),  # noqa: E501
)  # fmt: skip
PLACE = re.compile(
    r"\b(?:in|at)\s+(?P<place>(?:the\s+)?[A-Z][\w'’-]+(?:(?:\s+(?:of|de|du|la|le))?\s+[A-Z][\w'’-]+){0,3})",
)
DRAFT = re.compile(
    r"\bdraft\s+(?:no\.?\s*)?(\d{1,2})\b|\b(first|second|third|fourth|fifth) draft\b", re.IGNORECASE
)
# what may stand between a party and its reporting verb: "Russia said", "Kyiv's foreign ministry said"
SUBJECT_GAP = (
    r"\s*(?:(?:foreign |defence |defense |finance )?(?:ministry|government|side|delegation|officials?"
    r"|negotiators?|team|leadership|office)\s*)?(?:has |have |had )?(?:also |again )?"
)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


# words that make an undated meeting news rather than history
RECENT = re.compile(
    r"\b(?:today|tonight|this (?:morning|afternoon|evening|week)|just|now|latest|new)\b", re.I
)
# the whole table: "the parties", "the four delegations", "the plenary", "the three states"
COLLECTIVE = re.compile(
    r"\b(?:the|all(?: the)?)\s+(?:(?P<n>two|three|four|five|six|seven|eight|nine|ten)\s+)?(?:\w+\s+)?"
    r"(?:parties|delegations|sides|states|negotiating teams)\b|\bplenary\b|\bround of (?:the )?talks\b",
    re.IGNORECASE,
)
CONDITION = re.compile(
    r"\b(?:as long as|on (?:the )?condition that|provided(?: that)?|providing|only if|if|unless|in exchange for"  # noqa: E501
    r"|in return for|subject to)\b",
    re.IGNORECASE,
)


def without_titles(text: str, people: list[Mention]) -> str:
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


def channel_of(text: str) -> str | None:
    for pattern, channel in CHANNEL:
        if pattern.search(text) and not JOINED.search(text):
            return channel
    return None


def clauses_of(text: str) -> list[str]:
    """A sentence's clauses where contrast splits its stance ("accepts A but rejects B")."""
    parts = re.split(r"\s*(?:;|\bbut\b|\bwhile\b|\bwhereas\b|\bhowever\b|\balthough\b)\s*", text)
    return [p for p in parts if p.strip()]


def quoted_words(text: str) -> str:
    quoted = re.findall(r"[\"“]([^\"”]{8,})[\"”]", text)
    if quoted:
        return " … ".join(q.strip() for q in quoted)
    return " ".join(text.split())


def statement_channel(text: str) -> str:
    for pattern, channel in STATEMENT_CHANNEL:
        if pattern.search(text):
            return channel
    return "press"


def draft_number(text: str) -> int | None:
    m = DRAFT.search(text)
    if m is None:
        return None
    return int(m[1]) if m[1] else ORDINALS[m[2].casefold()]


def duration_of(text: str) -> int | None:
    m = DURATION.search(text)
    if m is None:
        return None
    word = m["n"].casefold()
    number = float(word) if re.fullmatch(r"\d+(?:\.\d+)?", word) else float(NUMBER_WORDS[word])
    if m["half"]:
        number += 0.5
    minutes = number * 60 if m["unit"].casefold().startswith("h") else number
    return round(minutes) if minutes > 0 else None
