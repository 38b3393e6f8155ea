"""Which points of the framework a sentence is about: by the point's number ("point 7"), by its
aliases and title as phrases, and by the words that set it apart from the other points (in its title,
text, theme, aliases and options). A sentence that names no point clearly is linked to none: never
forced onto one.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from accord.domain import Negotiation

_STOP = frozenset(
    """a an the of to in on at for by with and or not no is are be been was were this that these those it its
    as from into over under than then there their they them he she his her we our you your will would shall
    should can could may might must do does did has have had which who whom whose what when where how all any
    each every both either neither other another such same so very more most less least only own also just
    point points draft drafts text texts plan plans deal agreement agreements party parties side sides talks
    negotiation negotiations proposal proposals question questions issue issues option options framework
    between after before within without about against up down out off again further once here why i me my
    government state states country countries said says new one two three first second yes per cent percent
    peace part parts full fully whole general principle term terms some
    """.split()  # noqa: SIM905
)


def stem(word: str) -> str:
    """A crude English stem: enough that "guarantees" meets "guarantee" and "membership" stays itself."""
    w = word.casefold().strip("'’")
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("es", "e"), ("s", ""), ("ing", ""), ("ed", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)] + repl
    return w


def words_of(text: str) -> list[str]:
    return [stem(w) for w in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]+", text) if w.casefold() not in _STOP]


def _pairs(text: str) -> set[str]:
    """Two neighbouring words of an option, both words that say something ("proportional cuts")."""
    words = re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]+", text)
    return {
        f"{a} {b}".casefold()
        for a, b in itertools.pairwise(words)
        if a.casefold() not in _STOP and b.casefold() not in _STOP and len(a) > 3 and len(b) > 3
    }


def _numbers(text: str) -> set[str]:
    """The figures of a text that can name an option (600,000; 450), never a year (2035)."""
    found = {n.replace(",", "") for n in re.findall(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{3,}\b", text)}
    return {n for n in found if not (len(n) == 4 and 1900 <= int(n) <= 2100)}


@dataclass(frozen=True)
class PointMatch:
    point: str
    score: float
    why: str


class PointFinder:
    """The framework's points, as the words that name each."""

    def __init__(self, negotiation: Negotiation) -> None:
        self.points = negotiation.points
        self._phrases: list[tuple[re.Pattern[str], str, str]] = []
        self._title_words: dict[str, set[str]] = {}
        self._other_words: dict[str, set[str]] = {}
        for point in self.points:
            for phrase, why in [(a, f"alias {a!r}") for a in point.aliases] + [(point.title, "title")]:
                if len(phrase.strip()) > 3:
                    pattern = re.compile(rf"(?<![\w-]){re.escape(phrase.strip())}(?![\w-])", re.IGNORECASE)
                    self._phrases.append((pattern, point.id, why))
            self._title_words[point.id] = set(words_of(" ".join([point.title, *point.aliases])))
            others = " ".join([point.text or "", point.theme or "", *(o.text for o in point.options)])
            self._other_words[point.id] = set(words_of(others))
            # two words together from an option ("proportional cuts", "points-based scheme") name it
            self._phrases += [
                (
                    re.compile(rf"(?<![\w-]){re.escape(pair)}(?![\w-])", re.IGNORECASE),
                    point.id,
                    f"option words {pair!r}",
                )
                for pair in _pairs(" ".join(o.text for o in point.options))
            ]
        # how many points a word names: a word of one point's title says more than one shared by many
        self._spread = Counter(w for words in self._title_words.values() for w in words)
        self._other_spread = Counter(w for words in self._other_words.values() for w in words)

    def find(self, sentence: str) -> list[PointMatch]:
        found: dict[str, PointMatch] = {}

        def add(point: str, score: float, why: str) -> None:
            current = found.get(point)
            if current is None:
                found[point] = PointMatch(point, score, why)
            else:
                found[point] = PointMatch(point, current.score + score, f"{current.why}; {why}")

        for m in re.finditer(r"\bpoints?\s+(?:no\.?\s*)?(\d{1,3})\b", sentence, re.IGNORECASE):
            number = int(m[1])
            for point in self.points:
                if point.number == number:
                    add(point.id, 3.0, f"{m[0]!r}")
        for pattern, point_id, why in self._phrases:
            if pattern.search(sentence):
                add(point_id, 2.0 if why.startswith("option words") else 3.0, why)
        words = set(words_of(sentence))
        numbers = _numbers(sentence)
        for point in self.points:
            for option in point.options:
                option_numbers = _numbers(option.text)
                hit = numbers & option_numbers
                if hit:
                    add(point.id, 2.0, f"the number {sorted(hit)[0]} of option {option.key!r}")
                    break
            own = set(words_of(point.title))
            if own and own <= words and all(self._spread[w] == 1 for w in own):
                add(point.id, 1.0, "every word of its title")
        for point_id, title_words in self._title_words.items():
            shared = sorted(w for w in words & title_words if len(w) > 3)
            if not shared:
                continue
            score = sum(1.0 / self._spread[w] for w in shared)
            if score > 0:
                add(point_id, score, f"title words {', '.join(shared)}")
        for point_id, other_words in self._other_words.items():
            shared = sorted(w for w in words & other_words if len(w) > 4 and self._other_spread[w] == 1)
            if shared:
                add(point_id, 0.5 * len(shared), f"words of its text or options: {', '.join(shared)}")
        kept = [m for m in found.values() if m.score >= 1.5]
        return sorted(kept, key=lambda m: (-m.score, m.point))
