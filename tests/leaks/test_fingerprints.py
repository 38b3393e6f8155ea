"""Fingerprinted copies: they differ, they mean the same, and a leak names its source — retyped,
in excerpts, with OCR errors, merged by two colluders; an unfingerprinted text names nobody."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from accord.leaks.document import build, render
from accord.leaks.rules import Rule
from accord.scenario import load
from tests.conftest import EXAMPLES
from tests.leaks.simulate import Circulation, excerpt, garble, merge, retype

FLAGSHIP = load(EXAMPLES / "peace-framework-2025.yaml")
RECIPIENTS = 50


@pytest.fixture(scope="module")
def circulation() -> Circulation:
    return Circulation.of(FLAGSHIP, 3, RECIPIENTS, seed=28)


def _words(text: str) -> list[str]:
    import re as regex

    from accord.leaks.rules import COMPOUND_BACK, SPELLING_BACK

    words = regex.findall(r"[A-Za-z']+(?:-[A-Za-z']+)*", text.lower())
    return sorted(COMPOUND_BACK.get(w, SPELLING_BACK.get(w, w)) for w in words)


def _numbers(text: str) -> list[int]:
    return sorted(
        int(m.replace(",", "").replace(" ", "")) for m in re.findall(r"\d{1,3}(?:[, ]\d{3})+|\d+", text)
    )


def test_copies_differ_but_keep_every_number_and_name(circulation: Circulation) -> None:
    original = circulation.original()
    texts = [retype(circulation.text(c)) for c in circulation.copies[:10]]
    assert len(set(texts)) == 10, "every copy differs from every other"
    for text in texts:
        assert _numbers(text) == _numbers(retype(original)), "no number changes its value"
        for party in FLAGSHIP.parties:
            assert text.count(party.name) == retype(original).count(party.name), "names are never varied"
        # the same words once the variants are undone (case, hyphens, spelling; list order may differ)
        assert _words(text) == _words(retype(original))


def test_a_vetoed_rule_never_varies() -> None:
    document = build(FLAGSHIP, FLAGSHIP.draft(3), frozenset({Rule.HEADING_CASE, Rule.NUMBER_GROUPING}))
    assert not any(s.rule in (Rule.HEADING_CASE, Rule.NUMBER_GROUPING) for s in document.sites)
    one = render(document, lambda s: 1, None)
    assert any("800,000" in text for _, text in one.paragraphs)


def _accuracy(
    trials: int, make: Callable[[random.Random, Circulation], tuple[str, set[int]]], c: Circulation
) -> float:
    rng = random.Random(20251123)
    right = 0
    for _ in range(trials):
        text, sources = make(rng, c)
        named = c.trace(text).named
        right += named is not None and named.copy.id in sources
    return right / trials


def test_a_full_retyped_copy_names_its_recipient_every_time(circulation: Circulation) -> None:
    def full(rng: random.Random, c: Circulation) -> tuple[str, set[int]]:
        copy = rng.choice(c.copies)
        return retype(c.text(copy)), {copy.id}

    assert _accuracy(60, full, circulation) == 1.0


def test_a_150_word_excerpt_of_a_retyped_copy(circulation: Circulation) -> None:
    def cut(rng: random.Random, c: Circulation) -> tuple[str, set[int]]:
        copy = rng.choice(c.copies)
        return excerpt(retype(c.text(copy)), 150, rng), {copy.id}

    assert _accuracy(200, cut, circulation) >= 0.99


def test_a_150_word_excerpt_with_one_percent_ocr_errors(circulation: Circulation) -> None:
    def noisy(rng: random.Random, c: Circulation) -> tuple[str, set[int]]:
        copy = rng.choice(c.copies)
        return garble(excerpt(retype(c.text(copy)), 150, rng), 0.01, rng), {copy.id}

    assert _accuracy(200, noisy, circulation) >= 0.95


def test_an_unfingerprinted_excerpt_names_nobody(circulation: Circulation) -> None:
    rng = random.Random(7)
    named = sum(
        circulation.trace(excerpt(retype(circulation.original()), 150, rng)).named is not None
        for _ in range(200)
    )
    assert named <= 2  # "no confident match" in >= 99% of trials


def test_two_colluders_merging_sentence_by_sentence_are_caught(circulation: Circulation) -> None:
    def merged(rng: random.Random, c: Circulation) -> tuple[str, set[int]]:
        a, b = rng.sample(c.copies, 2)
        return retype(merge(c.text(a), c.text(b), rng)), {a.id, b.id}

    assert _accuracy(100, merged, circulation) >= 0.90


def test_a_digital_copy_is_named_by_its_zero_width_layer_alone(circulation: Circulation) -> None:
    copy = circulation.copies[11]
    digital = circulation.text(copy, digital=True)
    # the words of the original, with only the invisible characters of the copy
    invisible = "".join(c for c in digital if c in "\u200b\u200c\u2060")
    result = circulation.trace(retype(circulation.original()) + " " + invisible)
    assert result.zero_width_bits >= 200
    assert result.named is not None and result.named.copy.id == copy.id
