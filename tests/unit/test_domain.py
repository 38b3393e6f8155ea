"""The negotiation model: additive utilities, red lines, links, look-ups."""

from __future__ import annotations

import pytest

from accord.domain import Link, Negotiation, Option, Party, Point, Preferences, RedLine, Role
from accord.errors import DomainError


def _prefs(**overrides: object) -> Preferences:
    base: dict[str, object] = {
        "party": "north",
        "weights": {"a": 1.0, "b": 3.0},
        "scores": {"a": {"x": 5.0, "y": 10.0}, "b": {"x": 10.0, "y": 0.0}},
        "score_scale": 10.0,
    }
    base.update(overrides)
    return Preferences(**base)  # type: ignore[arg-type]


def test_weights_on_any_positive_scale_are_normalised_to_sum_to_one() -> None:
    prefs = _prefs()
    assert prefs.weight("a") == pytest.approx(0.25)
    assert prefs.weight("b") == pytest.approx(0.75)
    assert prefs.weight("a") + prefs.weight("b") == pytest.approx(1.0)


def test_utility_is_the_weighted_sum_of_scores_divided_by_the_scale() -> None:
    prefs = _prefs()
    assert prefs.utility({"a": "x", "b": "x"}) == pytest.approx(0.25 * 0.5 + 0.75 * 1.0)
    assert prefs.utility({"a": "y", "b": "y"}) == pytest.approx(0.25)


def test_every_utility_lies_between_zero_and_one() -> None:
    prefs = _prefs()
    values = [prefs.utility({"a": a, "b": b}) for a in "xy" for b in "xy"]
    assert min(values) >= 0 and max(values) <= 1


def test_red_line_makes_a_package_unacceptable_whatever_its_utility() -> None:
    prefs = _prefs(red_lines=(RedLine("b", "x"),))
    package = {"a": "y", "b": "x"}
    assert prefs.utility(package) == pytest.approx(1.0)
    assert prefs.broken_red_lines(package) == (RedLine("b", "x"),)
    assert not prefs.accepts(package)


def test_link_holds_only_when_the_required_option_is_chosen() -> None:
    link = Link("a", "x", "b", ("y",))
    assert link.holds({"a": "x", "b": "y"})
    assert not link.holds({"a": "x", "b": "x"})
    assert link.holds({"a": "y", "b": "x"}), "a link says nothing when its option is not chosen"
    assert not _prefs(links=(link,)).accepts({"a": "x", "b": "x"})


def test_package_below_the_reservation_value_is_not_accepted() -> None:
    prefs = _prefs(reservation_value=0.5)
    assert not prefs.accepts({"a": "y", "b": "y"})  # 0.25
    assert prefs.accepts({"a": "x", "b": "x"})  # 0.875


def test_unscored_options_count_zero() -> None:
    prefs = _prefs(scores={"a": {"x": 10.0}})
    assert prefs.score("a", "y") == 0.0
    assert prefs.score("b", "x") == 0.0


def test_preferences_without_positive_weight_refuse_to_normalise() -> None:
    with pytest.raises(DomainError, match="no positive weight"):
        _prefs(weights={"a": 0.0, "b": 0.0}).weight("a")


def _negotiation() -> Negotiation:
    points = (
        Point("a", 1, "A", (Option("x", "X"), Option("y", "Y"))),
        Point("b", 2, "B", (Option("x", "X"), Option("y", "Y"), Option("z", "Z"))),
    )
    parties = (
        Party("m", "Mediator", Role.MEDIATOR),
        Party("north", "North"),
        Party("obs", "O", Role.OBSERVER),
    )
    return Negotiation("n", "N", points, parties)


def test_look_ups_name_what_is_missing() -> None:
    negotiation = _negotiation()
    assert negotiation.point("b").option("z").text == "Z"
    with pytest.raises(DomainError, match="no point 'c'"):
        negotiation.point("c")
    with pytest.raises(DomainError, match="no option 'q'"):
        negotiation.point("a").option("q")
    with pytest.raises(DomainError, match="no party 'south'"):
        negotiation.party("south")
    with pytest.raises(DomainError, match="no draft version 3"):
        negotiation.draft(3)


def test_negotiating_parties_exclude_mediator_and_observers() -> None:
    assert [p.id for p in _negotiation().negotiating_parties] == ["north"]


def test_outcome_count_is_the_product_of_option_counts() -> None:
    assert _negotiation().outcome_count() == 6
    assert _negotiation().latest_draft is None
