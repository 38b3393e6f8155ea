"""The variant rules: meaning-preserving alternatives, found in a draft's text as *sites*.

Every site has two renderings (alternative 0 and 1) that a reader takes to mean the same: a number's
digit grouping, a date's order, UK or US spelling, a hyphenated or solid compound, a serial comma,
sentence or title case of a heading, the style of a heading's number, the order of items in a
parenthesised list, straight or curly apostrophes. No rule changes a number's value or a name.
The mediator may veto any rule for a negotiation (see accord.services.leaks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    NUMBER_GROUPING = "number-grouping"  # 600,000 / 600 000
    DATE_ORDER = "date-order"  # 23 November 2025 / November 23, 2025
    SPELLING = "spelling"  # neighbours / neighbors
    HYPHENATION = "hyphenation"  # ceasefire / cease-fire
    SERIAL_COMMA = "serial-comma"  # A, B and C / A, B, and C
    HEADING_CASE = "heading-case"  # Size of Ukraine's armed forces / Size of Ukraine's Armed Forces
    HEADING_NUMBER = "heading-number"  # 7. / 7)
    LIST_ORDER = "list-order"  # (a, b, c) / (b, a, c) in a parenthesised list
    APOSTROPHE = "apostrophe"  # Ukraine's / Ukraine’s (survives only in digital copies)
    FINAL_STOP = "final-stop"  # a point's text ends with a full stop, or not
    HEADING_COLON = "heading-colon"  # a point's title ends with a colon, or not


DESCRIPTIONS = {
    Rule.NUMBER_GROUPING: "digit grouping of numbers of 1,000 and more: 600,000 or 600 000",
    Rule.DATE_ORDER: "dates as 23 November 2025 or November 23, 2025",
    Rule.SPELLING: "UK or US spelling: neighbours/neighbors, defence/defense, ...",
    Rule.HYPHENATION: "compounds solid or hyphenated: ceasefire/cease-fire, peacekeeping/peace-keeping, ...",
    Rule.SERIAL_COMMA: "a comma before the last 'and' of a list, or none",
    Rule.HEADING_CASE: "point titles in sentence case or title case",
    Rule.HEADING_NUMBER: "point numbers as '7.' or '7)'",
    Rule.LIST_ORDER: "the first two items of a parenthesised list of three or more, in either order",
    Rule.APOSTROPHE: "straight or curly apostrophes (digital copies only: retyping straightens them)",
    Rule.FINAL_STOP: "a point's text with or without a closing full stop",
    Rule.HEADING_COLON: "a point's title with or without a closing colon",
}

# UK spelling -> US spelling; either direction is a site
SPELLINGS = {
    "neighbours": "neighbors",
    "neighbour": "neighbor",
    "neighbouring": "neighboring",
    "defence": "defense",
    "recognise": "recognize",
    "recognised": "recognized",
    "recognises": "recognizes",
    "organisation": "organization",
    "organisations": "organizations",
    "favour": "favor",
    "labour": "labor",
    "centre": "center",
    "programme": "program",
    "honour": "honor",
    "authorised": "authorized",
    "normalisation": "normalization",
    "normalise": "normalize",
    "stabilisation": "stabilization",
    "demilitarised": "demilitarized",
    "demilitarisation": "demilitarization",
    "utilise": "utilize",
    "prioritise": "prioritize",
    "realise": "realize",
    "harmonise": "harmonize",
    "minimise": "minimize",
    "jeopardise": "jeopardize",
    "catalogue": "catalog",
    "licence": "license",
    "offence": "offense",
    "behaviour": "behavior",
    "endeavour": "endeavor",
    "towards": "toward",
    "amongst": "among",
    "whilst": "while",
}
SPELLING_BACK = {us: uk for uk, us in SPELLINGS.items()}

# solid -> hyphenated
COMPOUNDS = {
    "ceasefire": "cease-fire",
    "peacekeeping": "peace-keeping",
    "peacekeepers": "peace-keepers",
    "peacetime": "peace-time",
    "postwar": "post-war",
    "nonaggression": "non-aggression",
    "cooperation": "co-operation",
    "reintegration": "re-integration",
    "multilateral": "multi-lateral",
    "nonnuclear": "non-nuclear",
    "wartime": "war-time",
    "reconstruction": "re-construction",
    "counteroffensive": "counter-offensive",
    "frontline": "front-line",
}
COMPOUND_BACK = {h: s for s, h in COMPOUNDS.items()}

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH = "|".join(MONTHS)
NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]*\d)|(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d ]*\d)")
DATE_DMY = re.compile(rf"\b(\d{{1,2}}) ({_MONTH}) (\d{{4}})\b")
DATE_MDY = re.compile(rf"\b({_MONTH}) (\d{{1,2}}), (\d{{4}})\b")
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
SERIAL = re.compile(r"(\w[\w' -]*?), (\w[\w' -]*?)(,?) and (\w)")
PAREN_LIST = re.compile(r"\(([^()]+?, [^()]+?, [^()]+?)\)")
APOSTROPHE = re.compile(r"(?<=[A-Za-z])['’](?=[A-Za-z])")
SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "via",
}


@dataclass(frozen=True)
class Site:
    """One place in a block of text that can be written two ways; ``start:end`` in the block as written."""

    key: str  # stable within a draft: block, rule, occurrence
    rule: Rule
    start: int
    end: int
    alternatives: tuple[str, str]
    written: int  # which alternative the base text has


def _case(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def title_case(title: str) -> str:
    words = title.split(" ")
    out = []
    for i, w in enumerate(words):
        if i and w.lower() in SMALL_WORDS:
            out.append(w)
        elif w[:1].islower():
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
    return " ".join(out)


def find_sites(block: str, text: str, *, heading: bool, vetoed: frozenset[Rule] = frozenset()) -> list[Site]:
    """Every site in ``text`` (one block of the document), non-overlapping, in order."""
    found: list[Site] = []
    taken: list[tuple[int, int]] = []
    counts: dict[Rule, int] = {}

    def add(rule: Rule, start: int, end: int, alternatives: tuple[str, str], written: int) -> None:
        if rule in vetoed or alternatives[0] == alternatives[1]:
            return
        if any(start < b and a < end for a, b in taken):
            return
        n = counts.get(rule, 0)
        counts[rule] = n + 1
        taken.append((start, end))
        found.append(Site(f"{block}:{rule.value}:{n}", rule, start, end, alternatives, written))

    if heading:
        add(Rule.HEADING_CASE, 0, len(text), (text, title_case(text)), 0)
        if not text.endswith((":", ".", "?", "!")):
            add(Rule.HEADING_COLON, len(text), len(text), ("", ":"), 0)
        return found
    stripped = text.rstrip()
    if (stripped and stripped[-1].isalnum()) or stripped.endswith(")"):
        add(Rule.FINAL_STOP, len(stripped), len(stripped), ("", "."), 0)
    elif stripped.endswith(".") and not stripped.endswith(".."):
        add(Rule.FINAL_STOP, len(stripped) - 1, len(stripped), ("", "."), 1)
    for m in DATE_DMY.finditer(text):
        day, month, year = m.groups()
        add(Rule.DATE_ORDER, m.start(), m.end(), (m.group(0), f"{month} {int(day)}, {year}"), 0)
    for m in DATE_MDY.finditer(text):
        month, day, year = m.groups()
        add(Rule.DATE_ORDER, m.start(), m.end(), (f"{int(day)} {month} {year}", m.group(0)), 1)
    for m in NUMBER.finditer(text):
        digits = m.group(0).replace(",", "").replace(" ", "")
        grouped = f"{int(digits):,}"
        add(
            Rule.NUMBER_GROUPING,
            m.start(),
            m.end(),
            (grouped, grouped.replace(",", " ")),
            int("," not in m.group(0)),
        )
    for m in PAREN_LIST.finditer(text):
        items = m.group(1).split(", ")
        if len(items) >= 3 and not any(" and " in item or " or " in item for item in items):
            swapped = ", ".join([items[1], items[0], *items[2:]])
            add(Rule.LIST_ORDER, m.start(1), m.end(1), (m.group(1), swapped), 0)
    for m in SERIAL.finditer(text):
        comma_at = m.start(3)
        written = int(m.group(3) == ",")
        add(Rule.SERIAL_COMMA, comma_at, m.end(3), ("", ","), written)
    for m in WORD.finditer(text):
        word = m.group(0)
        lower = word.lower()
        if lower in SPELLINGS:
            add(Rule.SPELLING, m.start(), m.end(), (word, _case(SPELLINGS[lower], word)), 0)
        elif lower in SPELLING_BACK:
            add(Rule.SPELLING, m.start(), m.end(), (_case(SPELLING_BACK[lower], word), word), 1)
        elif lower in COMPOUNDS:
            add(Rule.HYPHENATION, m.start(), m.end(), (word, _case(COMPOUNDS[lower], word)), 0)
        elif lower in COMPOUND_BACK:
            add(Rule.HYPHENATION, m.start(), m.end(), (_case(COMPOUND_BACK[lower], word), word), 1)
    for m in APOSTROPHE.finditer(text):
        add(Rule.APOSTROPHE, m.start(), m.end(), ("'", "’"), int(m.group(0) == "’"))
    found.sort(key=lambda s: s.start)
    return found
