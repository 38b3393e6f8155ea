"""The current stance folded from the history (accord.storage.loaded.StanceFold): a later entry
replaces an earlier one (a correction included), a withdrawal leaves no stance, and a stance set
after a withdrawal holds again; the fold brought up to date in steps equals the fold in one go."""

from __future__ import annotations

from accord.domain import Stance, StanceKind
from accord.storage.loaded import StanceFold

KEY = (3, "russia", "nato-membership")
HELD = Stance(3, "russia", "nato-membership", StanceKind.ACCEPT)
CORRECTED = Stance(3, "russia", "nato-membership", StanceKind.REJECT, "misread")
OTHER = Stance(3, "ukraine", "nato-membership", StanceKind.STUDYING)
EMPTY = StanceFold(0, 0, "", {})


def test_a_correction_replaces_and_a_withdrawal_leaves_no_stance() -> None:
    rows = [(1, "c1", HELD, False), (2, "c2", OTHER, False), (3, "c3", CORRECTED, False)]
    folded = EMPTY.then(rows)
    assert folded.current[KEY] == (3, CORRECTED) and folded.rows == 3
    withdrawn = folded.then([(4, "c4", CORRECTED, True)])
    assert KEY not in withdrawn.current and withdrawn.current[(3, "ukraine", "nato-membership")] == (2, OTHER)
    assert (withdrawn.last_id, withdrawn.rows, withdrawn.chain) == (4, 4, "c4")
    again = withdrawn.then([(5, "c5", HELD, False)])
    assert again.current[KEY] == (5, HELD)


def test_folding_in_steps_equals_folding_at_once() -> None:
    rows = [
        (1, "c1", HELD, False),
        (2, "c2", CORRECTED, False),
        (3, "c3", CORRECTED, True),
        (4, "c4", OTHER, False),
    ]
    assert EMPTY.then(rows[:2]).then(rows[2:]) == EMPTY.then(rows)
