"""A count with its noun in the right number."""

from accord.wording import counted


def test_one_is_singular_every_other_count_plural() -> None:
    assert counted(1, "stance") == "1 stance"
    assert counted(0, "stance") == "0 stances"
    assert counted(2, "entry", "entries") == "2 entries"
    assert counted(12_000, "sample") == "12,000 samples"
