"""A new person's key is made from the name, readable in any script."""

from __future__ import annotations

from accord.domain.people import person_key


def test_a_key_is_the_name_in_lower_case_with_hyphens() -> None:
    assert person_key("Anouk Verhaegen") == "anouk-verhaegen"
    assert person_key("Bjørn Ødegård") == "bjorn-odegard"  # not "bj-rn-deg-rd"


def test_a_name_in_another_script_is_transliterated() -> None:
    assert person_key("Юрий Ушаков") == "yurii-ushakov"
    assert person_key("Ελένη Παππά") == "eleni-pappa"
    assert person_key("!!!") == "person"


def test_a_taken_key_gets_a_number() -> None:
    assert person_key("Юрий Ушаков", {"yurii-ushakov"}) == "yurii-ushakov-2"
    assert person_key("Anouk Verhaegen", {"anouk-verhaegen", "anouk-verhaegen-2"}) == "anouk-verhaegen-3"
