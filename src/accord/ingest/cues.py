"""Stance cues: the words of diplomacy that say where a party stands ("acceptable", "a non-starter",
"cannot accept", "is studying the text", "on condition that"), with negation and hedging read.

A cue found under a negation turns: a negated rejection ("not a rejection", "we are not saying no",
"far from a rejection") is an opening, read as conditional; a negated acceptance ("not acceptable",
"far from agreement") is a rejection. A hedge ("might", "could", "reportedly") lowers the confidence,
it does not change the kind. The cue's words are kept, so a reviewer sees why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.domain.drafts import StanceKind

A, C, R, S, N = (
    StanceKind.ACCEPT,
    StanceKind.CONDITIONAL,
    StanceKind.REJECT,
    StanceKind.STUDYING,
    StanceKind.NO_POSITION,
)

# phrases already carrying their negation, read as a whole (before the single words below)
_PHRASES: tuple[tuple[str, StanceKind, float], ...] = (
    (r"(?:are|is|am|were|was)n?'?t? not saying no|not saying no|not a no\b", C, 0.75),
    (r"(?:not|far from) (?:a |an )?(?:outright |flat )?(?:rejection|refusal|no)\b", C, 0.7),
    (
        r"(?:does|do|did) not (?:reject|rule out)|doesn't (?:reject|rule out)|don't (?:reject|rule out)"
        r"|not ruling (?:it |this |that )?out|not rejected|would not rule out|wouldn't rule out",
        C,
        0.7,
    ),
    (r"door (?:is |remains |was )?(?:still )?open|left the door open|leaves the door open", C, 0.65),
    (
        r"far from (?:acceptable|acceptance)|far from (?:an? )?(?:agreement|deal)|no agreement|not agreed",
        R,
        0.6,
    ),
    (
        r"cannot accept|can ?not accept|can't accept|could not accept|couldn't accept|will not accept"
        r"|won't accept|would not accept|wouldn't accept|will never accept|would never accept"
        r"|cannot agree|can't agree|could not agree|will not agree|won't agree|do not agree|does not agree"
        r"|(?:cannot|can ?not|can't|could not|must not|mustn't|should not|will not|won't|will never|would never)"  # noqa: E501
        r" (?:make|give|allow|cede|surrender|recogni[sz]e|withdraw|leave)\b"
        r"|refuses? to accept|refused to accept|not accept(?:able)?|unacceptable|not agree",
        R,
        0.85,
    ),
    (
        r"rebuff(?:ed|s)?|ruled out|rules out|ruling out|turned down|turns down|will not budge|won't budge"
        r"|refuses? to budge|balked at|balks at|vetoed|a step too far|said no to|says no to"
        r"|(?:cannot|can ?not|can't|must not|mustn't|should not|will not|won't) be\b"
        r"|non-?starter|out of the question|dead on arrival|deal-?breaker|no-go\b|red line[s]? (?:was|were|had been) crossed"  # noqa: E501
        r"|rejected outright|outright rejection|flatly rejected|rejected|rejects?\b|rejection|refused|refuses"
        r"|would (?:ruin|destroy|kill|wreck|cripple)|unworkable|a disaster|catastroph\w*|opposes?|opposed|dismissed|dismisses|incompatible|will not sign|won't sign|cannot support"  # noqa: E501
        r"|can't support|will not support|won't support|never agree|not negotiable|non-negotiable",
        R,
        0.8,
    ),
    (
        r"(?:is|are|was|were|remains?|remained) open to|signall?ed flexibility|showed flexibility|flexible on"
        r"|willing to (?:consider|discuss|look at)|could consider|room for compromise"
        r"|on (?:the )?condition that|provided that|providing that|as long as|only if|subject to"
        r"|conditional(?:ly)?|with reservations|has reservations|have reservations|expressed reservations"
        r"|in principle|with conditions|under conditions|if and only if|could accept .{0,40}\bif\b"
        r"|would accept .{0,40}\bif\b|could agree .{0,40}\bif\b|in exchange for|in return for"
        r"|(?:could|would|can|will) (?:accept|agree|live with|support|sign)\b"
        r"[^.;]{0,80}?\b(?:if|provided|unless)\b"
        r"|(?:acceptable|accept\w*|welcomed?|supports?|backed) [^.;]{0,60}?\bif\b"
        r"|had reservations|reservations about"
        r"|open question|remains? open|only as\b|only with\b|only under\b|only after\b|\bprovided\b"
        r"|depend(?:s|ed)? on|depending on|conditional on|contingent on|hinges? on|tied to",
        C,
        0.7,
    ),
    (
        r"studying|is reviewing|are reviewing|reviewing the|examining|will study|needs? (?:more )?time"
        r"|(?:wants?|wanted|asked for|asks for) more time|more time to study|to study the|has yet to decide"
        r"|undecided|still consulting|consulting its"
        r"|considering the|is considering|are considering|assessing|still looking at|will respond"
        r"|will give (?:its|their|our) answer|has not yet responded|yet to respond|mulling",
        S,
        0.7,
    ),
    (
        r"no position(?: yet)?|has not taken a position|not taken a position|declined to comment"
        r"|would not comment|wouldn't comment|no comment",
        N,
        0.6,
    ),
    (
        r"acceptable|accepts?\b|accepted|agrees? to|agreed to|agrees with|welcomes?|welcomed|could live with"
        r"|can live with|supports?\b|supported|backs?\b|backed|endorses?|endorsed|approves?|approved"
        r"|signed off|a good basis|a basis for|positive|on board|embraced?|in favour of|in favor of|agreeable",  # noqa: E501
        A,
        0.75,
    ),
)
_CUES = [(re.compile(rf"\b(?:{pattern})", re.IGNORECASE), kind, conf) for pattern, kind, conf in _PHRASES]

_NEGATION = re.compile(
    r"\b(?:not|no|never|n't|hardly|neither|nor|without|far from|is not|are not|isn't|aren't|wasn't|weren't)\s+"  # noqa: E501
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:might|may|could(?! not\b|n't)|possibly|perhaps|appears? to|seems? to|reportedly|signall?ed|hinted|suggested"  # noqa: E501
    r"|is said to|are said to|according to (?:people|sources|officials)|unclear)\b",
    re.IGNORECASE,
)


# an acceptance others ask for: "a deadline to accept", "pressed Kyiv to agree", "gave Ukraine until
# Thursday to approve", "urged them to sign"
_PRESSED = re.compile(
    r"\b(?:deadline|pressure|press(?:ed|es|ing)?|push(?:ed|es|ing)?|urg(?:e|ed|es|ing)|ask(?:ed|s|ing)?"
    r"|demand(?:ed|s|ing)?|call(?:ed|s|ing)? on|until|forc(?:e|ed|es|ing)|ultimatum)\b"
    r"[^.;:]{0,50}?\bto\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    """A stance cue of a sentence: the kind it says, its words and offsets within the sentence, how
    it was read ("negated 'acceptable'"), and a confidence."""

    kind: StanceKind
    words: str
    start: int
    end: int
    reading: str
    confidence: float


# words on the state of the talks, not a party's position ("the sides remain far from agreement",
# "there is no agreement on the plant yet"): read first, so that "agreement" says no acceptance
_STATE_OF_TALKS = re.compile(
    r"\b(?:(?:sides|parties|states|delegations|talks|negotiators|both|all|two|three|four|they|there)\b"
    r"[^.;]{0,30}?(?:far from (?:an? )?(?:agreement|deal|consensus)|no (?:agreement|deal|consensus)(?: yet)?"
    r"|not (?:yet )?agreed)"
    r"|(?:reached|reach|reaching) (?:an? )?(?:agreement|deal)|agreement (?:was|is) (?:reached|close|near))\b",
    re.IGNORECASE,
)


def cues_in(text: str) -> list[Cue]:
    """Every stance cue of a clause, longest first where two overlap, in order of appearance."""
    found: list[Cue] = []
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _STATE_OF_TALKS.finditer(text)]
    for pattern, kind, conf in _CUES:
        for m in pattern.finditer(text):
            if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
                continue
            if kind is A and _PRESSED.search(text[: m.start()]):
                continue  # "faces a deadline to accept the deal": asked of them, not their stance
            taken.append((m.start(), m.end()))
            found.append(_read(text, m, kind, conf))
    found.sort(key=lambda c: c.start)
    return found


def _read(text: str, m: re.Match[str], kind: StanceKind, conf: float) -> Cue:
    words = m[0]
    before = text[max(0, m.start() - 30) : m.start()]
    reading = f"{kind.value}: {words!r}"
    already_negative = kind in (C, N) or re.search(
        r"\b(?:not|no|never|n't|far from|cannot|can't|won't)\b", words
    )
    if not already_negative and _NEGATION.search(before):
        negator = _NEGATION.search(before)
        assert negator is not None
        if kind is R:
            kind, reading = C, f"conditional: negated rejection {negator[0].strip()!r} + {words!r}"
        elif kind is A:
            kind, reading = R, f"reject: negated acceptance {negator[0].strip()!r} + {words!r}"
        elif kind is S:
            kind, reading = N, f"no-position: negated {words!r}"
        conf -= 0.1
    if _HEDGE.search(text):
        conf -= 0.1
        reading += " (hedged)"
    return Cue(kind, words, m.start(), m.end(), reading, round(max(0.3, conf), 2))


def strongest(cues: list[Cue]) -> Cue | None:
    """The cue a clause's stance rests on: its first, the main verb's ("was acceptable on condition that
    rejected applicants…" says accept, then its condition), except that a condition turns an acceptance
    into a conditional one, and a firm no outweighs a "studying" or "no position"."""
    if not cues:
        return None
    first = cues[0]
    later = cues[1:]
    kinds = {c.kind for c in cues}
    if A in kinds and R in kinds and not any(c.kind is C for c in cues):
        # "some elements acceptable, others incompatible": a party that takes part and refuses part
        accepted = next(c for c in cues if c.kind is A)
        refused = next(c for c in cues if c.kind is R)
        return Cue(
            C,
            f"{accepted.words} … {refused.words}",
            min(accepted.start, refused.start),
            max(accepted.end, refused.end),
            f"conditional: accepts part ({accepted.words!r}) and refuses part ({refused.words!r})",
            round(min(accepted.confidence, refused.confidence) - 0.1, 2),
        )
    if first.kind is A and any(c.kind is C for c in later):
        return next(c for c in later if c.kind is C)
    if first.kind in (S, N) and any(c.kind is R for c in later):
        return next(c for c in later if c.kind is R)
    return first
