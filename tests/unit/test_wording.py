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


def test_a_party_named_in_the_plural_takes_a_plural_verb() -> None:
    from accord.wording import plural_name, verb

    plural = ("European states (E3/EU)", "Arab states", "Palestinian factions", "The Allies", "Gulf States")
    plural += ("Social Democrats", "Sudanese Armed Forces", "Trade unions", "the guarantors, jointly")
    plural += ("European states (E3 (UK, France, Germany))", "European states [E3]", "Gulf states/GCC")
    for name in plural:
        assert plural_name(name), name
    # one country or body though the word ends in "s"; and when unsure, singular
    singular = ("Ukraine", "United States", "United States of America", "United Arab Emirates")
    singular += ("United Nations", "Federated States of Micronesia", "The Netherlands", "Philippines")
    singular += ("Marshall Islands", "Hamas", "Honduras", "Laos", "Belarus", "Brussels", "General Motors")
    singular += ("Siemens", "siemens", "Liberal Party of Veldland", "Friends of Syria", "the press corps")
    singular += ("Workers' Party", "Ministry of Foreign Affairs", "Russian Federation", "", "(E3)")
    singular += ("GCC/Gulf states", "Ukraine [UA]")
    for name in singular:
        assert not plural_name(name), name
    assert verb("European states (E3/EU)", "rejects") == "reject"
    assert verb("Ukraine", "rejects") == "rejects"
    assert verb("Arab states", "accepts on a condition") == "accept on a condition"
    assert verb("Arab states", "is studying") == "are studying"
    assert verb("Arab states", "has accepted") == "have accepted"
    assert verb("Arab states", "takes no position on") == "take no position on"
    assert verb("Arab states", "crosses") == "cross" and verb("Arab states", "studies") == "study"
    assert verb("United States", "is studying") == "is studying"


def test_a_possessive_of_a_plural_in_s_takes_the_apostrophe_alone() -> None:
    from accord.wording import possessive

    assert possessive("Ukrainian officials") == "Ukrainian officials'"
    assert possessive("US envoys") == "US envoys'"
    assert possessive("United States") == "United States'"
    assert possessive("Zelensky") == "Zelensky's"
    assert possessive("Chris") == "Chris's", "a name of one person in -s"
    assert possessive("Kremlin spokesman") == "Kremlin spokesman's"


def test_the_parties_are_counted_without_the_mediator_and_observers_who_are_named_apart() -> None:
    from accord.wording import parties_counted

    assert parties_counted(3, ["United States"]) == "3 parties (United States mediating)"
    assert parties_counted(1) == "1 party"
    assert (
        parties_counted(2, ["Norway", "Qatar"], ["United Nations"])
        == "2 parties (Norway and Qatar mediating; United Nations observing)"
    )
