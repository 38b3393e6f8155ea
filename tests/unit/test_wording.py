"""A count with its noun in the right number."""

from accord.wording import counted


def test_one_is_singular_every_other_count_plural() -> None:
    assert counted(1, "stance") == "1 stance"
    assert counted(0, "stance") == "0 stances"
    assert counted(2, "entry", "entries") == "2 entries"
    assert counted(12_000, "sample") == "12,000 samples"


def test_a_long_text_is_cut_at_a_words_end_with_an_ellipsis() -> None:
    from accord.wording import shortened

    text = "Ukraine renounces NATO in its constitution; NATO statutes exclude its membership"
    assert shortened(text, 200) == text
    cut = shortened(text, 60)
    assert cut == "Ukraine renounces NATO in its constitution; NATO statutes…"
    assert len(cut) <= 60 and text.startswith(cut[:-1])
    assert shortened("a" * 80, 10) == "a" * 9 + "…"  # one word longer than the limit: cut inside it
    assert shortened("Exactly ten", 11) == "Exactly ten"
    assert shortened("Two words", 8) == "Two…"
