"""The key a new entry gets when none is given is made from what it says, never from how many entries
the record holds (a party shown two meetings keyed m7 and m9 would learn of six it is not shown)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from accord.domain.amendments import ID
from accord.services.record_keys import new_key

DAY = dt.date(2025, 11, 23)


def test_a_key_is_made_of_the_words_and_the_date() -> None:
    assert new_key("meeting", set(), "Genève", date=DAY) == "geneve-2025-11-23"
    assert new_key("meeting", set(), None, date=DAY) == "meeting-2025-11-23"
    assert new_key("paper", set(), "Обзор плана", date=DAY) == "paper-2025-11-23", (
        "no Latin letters: the noun"
    )
    assert new_key("paper", set(), "") == "paper"
    long = new_key("paper", set(), "Costing of childcare to the Green Party of Veldland and more words")
    assert long == "costing-of-childcare-to-the-green-party-of", "cut at a word's end"
    assert new_key("paper", set(), "x" * 80) == "x" * 48


def test_a_key_taken_gets_the_next_suffix() -> None:
    taken = {"geneve-2025-11-23", "geneve-2025-11-23-2"}
    assert new_key("meeting", taken, "Geneve", date=DAY) == "geneve-2025-11-23-3"


@given(
    st.sets(st.text(alphabet="abcdefghij-0123456789", min_size=1, max_size=12), max_size=30),
    st.text(max_size=80),
)
def test_the_key_is_an_id_not_taken_and_tells_nothing_of_the_other_entries(
    taken: set[str], words: str
) -> None:
    key = new_key("statement", taken, words, date=DAY)
    assert ID.fullmatch(key) and key not in taken
    # the same words on a record holding other entries (none of them this key's) give the same key
    unrelated = {t for t in taken if not t.startswith(key.split("-2025-11-23")[0])}
    assert new_key("statement", unrelated, words, date=DAY) == new_key("statement", set(), words, date=DAY)
