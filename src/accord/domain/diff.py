"""What changed between two versions of the text: per point, and word by word inside a changed text."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum

from accord.domain.drafts import Choice, Draft
from accord.domain.negotiation import Negotiation


class Change(StrEnum):
    ADDED = "added"
    DROPPED = "dropped"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


class WordOp(StrEnum):
    SAME = "same"
    DELETED = "deleted"
    INSERTED = "inserted"


@dataclass(frozen=True)
class WordRun:
    op: WordOp
    text: str


@dataclass(frozen=True)
class PointDiff:
    point: str
    number: int
    title: str
    change: Change
    before: str | None  # the text the older draft gives the point
    after: str | None
    before_option: str | None
    after_option: str | None
    words: tuple[WordRun, ...] = ()


def choice_text(negotiation: Negotiation, point_id: str, choice: Choice) -> str:
    if choice.option is not None:
        return negotiation.point(point_id).option(choice.option).text
    return choice.text or ""


def word_diff(before: str, after: str) -> tuple[WordRun, ...]:
    """Runs of kept, deleted and inserted words; a run's words are joined by one space, and runs are
    meant to be shown one space apart (the diff is about words, not about spacing)."""
    a = before.split()
    b = after.split()
    runs: list[WordRun] = []

    def add(op: WordOp, tokens: list[str]) -> None:
        if not tokens:
            return
        text = " ".join(tokens)
        if runs and runs[-1].op is op:
            runs[-1] = WordRun(op, f"{runs[-1].text} {text}")
        else:
            runs.append(WordRun(op, text))

    # a changed stretch is shown as the deleted words, then the inserted words
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(WordOp.SAME, b[j1:j2])
            continue
        add(WordOp.DELETED, a[i1:i2])
        add(WordOp.INSERTED, b[j1:j2])
    return tuple(runs)


def diff_drafts(negotiation: Negotiation, older: Draft, newer: Draft) -> list[PointDiff]:
    """Every point either draft has, in the framework's order."""
    result = []
    for point in sorted(negotiation.points, key=lambda p: p.number):
        a = older.choices.get(point.id)
        b = newer.choices.get(point.id)
        if a is None and b is None:
            continue
        before = choice_text(negotiation, point.id, a) if a else None
        after = choice_text(negotiation, point.id, b) if b else None
        if a is None:
            change = Change.ADDED
        elif b is None:
            change = Change.DROPPED
        elif a == b:
            change = Change.UNCHANGED
        else:
            change = Change.CHANGED
        words = word_diff(before or "", after or "") if change is Change.CHANGED else ()
        result.append(
            PointDiff(
                point=point.id,
                number=point.number,
                title=point.title,
                change=change,
                before=before,
                after=after,
                before_option=a.option if a else None,
                after_option=b.option if b else None,
                words=words,
            )
        )
    return result
