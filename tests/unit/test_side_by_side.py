"""bench/side_by_side.py: the table accord vs NegMAS 0.16 covers every concept at every size from
576 outcomes to 1e20, the two agree on the package, and sizes NegMAS cannot enumerate say so."""

from __future__ import annotations

import pytest
from bench.side_by_side import PEER_LIMIT, PeerInstance, peer_instances, render, side_by_side

from accord.engine import Concept
from tests.peer import negmas_python


def test_the_table_spans_576_outcomes_to_1e20_for_every_concept() -> None:
    sizes = {instance.outcomes for instance in peer_instances()}
    assert {576, 1_600, 10**4, 10**5, 10**6, 10**9, 10**20} <= sizes
    assert any(instance.parties > 2 for instance in peer_instances())


def test_accord_and_negmas_find_the_same_packages_and_beyond_enumeration_negmas_reads_a_dash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_NEGMAS_PYTHON", str(negmas_python()))
    chosen = [i for i in peer_instances() if i.outcomes in (576, 1_600)]
    chosen.append(PeerInstance("2p 9x10", 2, (10,) * 9, 10_009))
    rows = side_by_side(chosen, peer_timeout=300, time_limit=10)
    assert [(r.instance.outcomes, r.concept) for r in rows] == [
        (i.outcomes, c) for i in chosen for c in Concept
    ]
    for row in rows:
        assert row.accord.endswith("ms"), row  # proven optimal, no status note
        if row.instance.outcomes > PEER_LIMIT:
            assert row.negmas.startswith("— would enumerate 1e9 outcomes"), row
        elif row.concept is Concept.LEXIMIN:
            assert row.negmas == "— NegMAS 0.16 has no leximin"
        else:
            assert row.same == "yes", row
            assert row.negmas_seconds is not None
    assert render(rows).row_count == len(rows)
