"""GENIUS XML: a hand-written domain comes in with GENIUS's own utilities, and goes back out."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest

from accord.domain import Negotiation
from accord.errors import GeniusFormatError
from accord.scenario import dump, load
from accord.scenario.genius import export_genius, import_genius, slug
from tests.conftest import EXAMPLES, GENIUS_FIXTURES

DOMAIN = GENIUS_FIXTURES / "holiday_domain.xml"
PROFILES = [GENIUS_FIXTURES / "holiday_parent.xml", GENIUS_FIXTURES / "holiday_teenager.xml"]


def _all_packages(negotiation: Negotiation) -> list[dict[str, str]]:
    keys = [p.option_keys for p in negotiation.points]
    ids = [p.id for p in negotiation.points]
    return [dict(zip(ids, combo, strict=True)) for combo in itertools.product(*keys)]


def _genius_utility(weights: list[float], evaluations: list[list[float]], choice: list[int]) -> float:
    # GENIUS additive utility: sum of weight * evaluation / largest evaluation of the issue
    return sum(w * ev[c] / max(ev) for w, ev, c in zip(weights, evaluations, choice, strict=True))


def test_import_keeps_issues_values_and_names() -> None:
    negotiation = import_genius(DOMAIN, PROFILES)
    assert [p.title for p in negotiation.points] == ["Destination", "Duration", "Budget"]
    assert [p.id for p in negotiation.points] == ["destination", "duration", "budget"]
    assert [o.text for o in negotiation.point("destination").options] == ["Beach", "Mountains", "City trip"]
    assert negotiation.point("duration").option_keys == ("1-week", "2-weeks")
    assert [p.id for p in negotiation.parties] == ["holiday-parent", "holiday-teenager"]


def test_imported_utilities_equal_genius_utilities_for_every_package() -> None:
    negotiation = import_genius(DOMAIN, PROFILES)
    parent = negotiation.preferences["holiday-parent"]
    weights = [0.3, 0.2, 0.5]
    evaluations = [[4, 8, 2], [5, 3], [10, 6, 1]]
    for choice in itertools.product(range(3), range(2), range(3)):
        package = {p.id: p.options[c].key for p, c in zip(negotiation.points, choice, strict=True)}
        assert parent.utility(package) == pytest.approx(
            _genius_utility(weights, evaluations, list(choice)), abs=1e-12
        )


def test_import_keeps_reservation_and_discount_factor() -> None:
    negotiation = import_genius(DOMAIN, PROFILES)
    assert negotiation.preferences["holiday-parent"].reservation_value == 0.25
    assert negotiation.party("holiday-parent").metadata["genius"]["discount_factor"] == 0.9
    teen = negotiation.party("holiday-teenager").metadata["genius"]
    assert teen["reservation"] == "absent", "a profile without reservation says so"
    assert negotiation.preferences["holiday-teenager"].reservation_value == 0.0


def test_genius_import_export_import_round_trips(tmp_path: Path) -> None:
    first = import_genius(DOMAIN, PROFILES)
    dump(first, tmp_path / "holiday.yaml")
    report = export_genius(load(tmp_path / "holiday.yaml"), tmp_path / "out")
    assert report.warnings == []
    names = sorted(p.name for p in report.files)
    assert names == ["holiday-domain.xml", "holiday-parent.xml", "holiday-teenager.xml"]
    out = tmp_path / "out"
    second = import_genius(
        out / "holiday-domain.xml", [out / "holiday-parent.xml", out / "holiday-teenager.xml"]
    )
    assert [p.title for p in second.points] == [p.title for p in first.points]
    assert second.party("holiday-parent").metadata["genius"]["discount_factor"] == 0.9
    for package in _all_packages(first):
        for party in ("holiday-parent", "holiday-teenager"):
            assert second.preferences[party].utility(package) == pytest.approx(
                first.preferences[party].utility(package), abs=1e-12
            )
    assert second.preferences["holiday-parent"].reservation_value == pytest.approx(0.25)


def _translate(original: Negotiation, back: Negotiation, package: dict[str, str]) -> dict[str, str]:
    """GENIUS names issues and values by their text: find the same choice in the re-imported ids."""
    translated = {}
    for point_id, key in package.items():
        point = original.point(point_id)
        twin = next(p for p in back.points if p.title == point.title)
        text = point.option(key).text
        translated[twin.id] = next(o.key for o in twin.options if o.text == text)
    return translated


def test_export_of_a_scenario_keeps_every_utility(tmp_path: Path) -> None:
    original = load(EXAMPLES / "camp-david-1978.yaml")
    report = export_genius(original, tmp_path)
    assert report.warnings == [], "scores reach the top of the scale and there are no red lines"
    back = import_genius(
        tmp_path / "camp-david-1978-domain.xml", [tmp_path / "israel.xml", tmp_path / "egypt.xml"]
    )
    assert back.id == "camp-david-1978"
    for package in _all_packages(original):
        for party in ("israel", "egypt"):
            assert back.preferences[party].utility(_translate(original, back, package)) == pytest.approx(
                original.preferences[party].utility(package), abs=1e-12
            )


def test_export_keeps_utilities_when_the_best_score_of_a_point_is_below_the_top(tmp_path: Path) -> None:
    # GENIUS divides a discrete evaluation by its issue's largest but never rescales the weights:
    # the top score goes into the weight, and the party's best package stays worth what it is
    from tests.conftest import SMALL, write_doc

    doc = {**SMALL, "parties": {k: dict(v) for k, v in SMALL["parties"].items()}}
    doc["parties"]["south"]["scores"] = {
        "ceasefire": {"immediate": 5, "phased": 3},
        "harbour": {"north": 0, "joint": 5, "south": 10},
    }
    original = load(write_doc(tmp_path / "s.yaml", doc))
    report = export_genius(original, tmp_path / "out")
    assert not any("worth" in w for w in report.warnings)
    assert any("red line" in w for w in report.warnings)
    out = tmp_path / "out"
    back = import_genius(out / "harbour-talks-domain.xml", [out / "north.xml", out / "south.xml"])
    for package in _all_packages(original):
        assert back.preferences["south"].utility(_translate(original, back, package)) == pytest.approx(
            original.preferences["south"].utility(package), abs=1e-12
        )
    assert back.preferences["south"].reservation_value == pytest.approx(0.2)


def test_slug_makes_ids_from_names() -> None:
    assert slug("Chips and Nuts") == "chips-and-nuts"
    assert slug("Genève 2025!") == "geneve-2025"
    assert slug("¿?") == "x"


def test_malformed_xml_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<utility_space>\n<objective>\n</utility_space>\n")
    with pytest.raises(GeniusFormatError, match=r"bad\.xml:3: not well-formed XML"):
        import_genius(bad, PROFILES)


def test_profile_with_a_value_missing_from_the_domain_is_refused(tmp_path: Path) -> None:
    text = PROFILES[0].read_text().replace('value="Beach"', 'value="Desert"')
    profile = tmp_path / "odd.xml"
    profile.write_text(text)
    with pytest.raises(GeniusFormatError, match="no evaluation for 'Beach' of issue 'Destination'"):
        import_genius(DOMAIN, [profile])


def test_profile_without_a_weight_is_refused(tmp_path: Path) -> None:
    text = PROFILES[0].read_text().replace('<weight index="2" value="0.2"/>', "")
    profile = tmp_path / "noweight.xml"
    profile.write_text(text)
    with pytest.raises(GeniusFormatError, match=r"no evaluation for issue 'Duration' \(index 2\)"):
        import_genius(DOMAIN, [profile])


def test_export_keeps_the_domain_file_when_a_party_is_named_like_it(tmp_path: Path) -> None:
    """A party "<id>-domain" would overwrite `<id>-domain.xml`: its profile is `<id>-domain-profile.xml`,
    and a party named that gets a file of its own in turn: no file is written twice."""
    original = import_genius(DOMAIN, PROFILES)
    renamed = {
        p.id: n
        for p, n in zip(
            original.parties, (f"{original.id}-domain", f"{original.id}-domain-profile"), strict=True
        )
    }
    clash = dataclasses.replace(
        original,
        parties=tuple(dataclasses.replace(p, id=renamed[p.id]) for p in original.parties),
        preferences={
            renamed[k]: dataclasses.replace(v, party=renamed[k]) for k, v in original.preferences.items()
        },
    )
    written = export_genius(clash, tmp_path)
    names = [p.name for p in written.files]
    assert len(set(names)) == len(names) == 3
    assert names[1:] == [f"{original.id}-domain-profile.xml", f"{original.id}-domain-profile-profile.xml"]
    back = import_genius(tmp_path / names[0], [tmp_path / n for n in names[1:]])
    for party, twin in zip(original.parties, back.parties, strict=True):  # each profile its own party's
        for choice in itertools.product(*(p.options for p in original.points)):
            package = {p.id: o.key for p, o in zip(original.points, choice, strict=True)}
            assert back.preferences[twin.id].utility(_translate(original, back, package)) == pytest.approx(
                original.preferences[party.id].utility(package), abs=1e-12
            )
