"""Ingest on its labelled corpus (tests/fixtures/reports/, scored by bench/ingest.py): the issue's targets
hold — precision >= 0.9 and recall >= 0.8 for meetings, statements and stances, every date exact — and
a report about another negotiation proposes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bench.ingest import TARGETS, Score, run, table

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "reports"


@pytest.fixture(scope="module")
def score() -> Score:
    return run(CORPUS)


@pytest.fixture(scope="module")
def scored(score: Score) -> dict:  # type: ignore[type-arg]
    return table(score)


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_precision_and_recall_meet_the_targets(scored: dict, kind: str) -> None:  # type: ignore[type-arg]
    row = scored["kinds"][kind]
    precision, recall = TARGETS[kind]
    assert row["gold"] >= 40, "the corpus holds enough entries of this kind to measure"
    assert row["precision"] >= precision, row
    assert row["recall"] >= recall, row


def test_every_date_is_exact(scored: dict) -> None:  # type: ignore[type-arg]
    assert scored["dates_scored"] >= 100
    assert scored["dates_exact"] == 1.0
    assert scored["report_dates_exact"] == 1.0


def test_the_corpus_is_the_one_the_issue_asks_for(scored: dict) -> None:  # type: ignore[type-arg]
    assert scored["reports"] >= 30


def test_a_report_about_another_negotiation_proposes_nothing(score: Score) -> None:
    unrelated = [
        gold.name.removesuffix(".gold.yaml")
        for gold in sorted(CORPUS.glob("*.gold.yaml"))
        if not yaml.safe_load(gold.read_text(encoding="utf-8")).get("proposals")
    ]
    assert unrelated, "the corpus holds reports about other negotiations"
    extras = [miss for miss in score.misses if miss.split(".", 1)[0] in unrelated]
    assert extras == []
