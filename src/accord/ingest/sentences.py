"""A report's text as paragraphs and sentences, with the offsets of each in the text.

Sentences are spaCy's: a blank English pipeline (its tokenizer knows "Mr.", "Dec.", "U.S." are no
sentence ends) with the rule-based sentencizer; no trained model, nothing downloaded. Paragraphs are
split first (a blank line, or a line that starts a speaker's turn in a transcript: "Q:", "A:",
"SPOKESWOMAN:"), so a headline never runs into the first sentence.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# a speaker's turn: "Q:", "A:", a name in capitals ("MS BERG:"), or "Mr/Ms Name:"
_TURN = re.compile(
    r"^(?P<label>Q|A|[A-Z][A-Z .'’-]{1,40}|(?:Mr|Mrs|Ms|Dr|Minister|Spokesman|Spokeswoman)\.? [A-Z][\w'’-]+):\s",  # noqa: E501
    re.MULTILINE,
)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int
    label: str | None = None  # the speaker's label of a transcript turn ("Q", "A", "MS BERG")


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import spacy  # imported on first use: ~0.5 s

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def paragraphs(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, turn label) of each paragraph."""
    cuts = {0, len(text)}
    for m in re.finditer(r"\n[ \t]*\n", text):
        cuts.add(m.end())
    for m in _TURN.finditer(text):
        cuts.add(m.start())
    # a short line without an end stop (a headline, a byline) is a paragraph of its own
    for m in re.finditer(r"^[^\n]{1,120}$", text, re.MULTILINE):
        line = m[0].strip()
        if line and not re.search(r"[.!?\"”’:)]$", line) and len(line.split()) <= 14:
            cuts.add(m.start())
            cuts.add(min(len(text), m.end() + 1))
    bounds = sorted(cuts)
    found = []
    for start, end in itertools.pairwise(bounds):
        chunk = text[start:end]
        if not chunk.strip():
            continue
        turn = _TURN.match(chunk)
        found.append((start, end, turn["label"].strip() if turn else None))
    return found


def sentences(text: str) -> list[Sentence]:
    nlp = _pipeline()
    found: list[Sentence] = []
    for number, (start, end, label) in enumerate(paragraphs(text)):
        chunk = text[start:end].replace("\n", " ")  # same length: offsets hold
        for sent in nlp(chunk).sents:
            words = sent.text.strip()
            if not words:
                continue
            s = start + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            found.append(Sentence(text[s : s + len(words)], s, s + len(words), number, label))
    return found
