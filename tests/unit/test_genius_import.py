"""GENIUS import reads what GENIUS reads: hand-written files for each case, utilities checked against
GENIUS's own formulas written out here (never against accord's code).

GENIUS (genius.core.utility.AdditiveUtilitySpace) computes u(bid) = sum over issues of weight x
evaluation, with the weights as written and, per evaluator:

- discrete: evaluation / largest evaluation of the issue (0 when that largest is below 1e-5);
- integer: offset + slope x (value - lowerbound), clipped to [0, 1];
- real, linear: parameter1 x value + parameter0, clipped to [0, 1]; triangular: 0 at parameter0 and
  parameter1, 1 at the top parameter2, linear in between.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from accord.domain import Negotiation
from accord.errors import GeniusFormatError
from accord.scenario.genius import import_genius
from tests.conftest import GENIUS_FIXTURES

G = GENIUS_FIXTURES
JOB = (G / "job_domain.xml", [G / "job_employer.xml", G / "job_candidate.xml"])
LEASE = (G / "lease_domain.xml", [G / "lease_landlord.xml", G / "lease_tenant.xml"])
ENERGY = (G / "energy_domain.xml", [G / "energy_buyer.xml", G / "energy_seller.xml"])
HOLIDAY = (G / "holiday_domain.xml", [G / "holiday_parent.xml", G / "holiday_teenager.xml"])


def clip(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def every_package(negotiation: Negotiation) -> list[tuple[int, ...]]:
    return list(itertools.product(*(range(len(p.options)) for p in negotiation.points)))


def utility(negotiation: Negotiation, party: str, choice: Sequence[int]) -> float:
    package = {p.id: p.options[c].key for p, c in zip(negotiation.points, choice, strict=True)}
    return negotiation.preferences[party].utility(package)


def assert_utilities(
    negotiation: Negotiation, party: str, genius: Callable[[tuple[int, ...]], float]
) -> None:
    """The party's utility of every package equals GENIUS's, to 1e-9."""
    for choice in every_package(negotiation):
        assert utility(negotiation, party, choice) == pytest.approx(genius(choice), abs=1e-9), choice


# --- items nested in <similarity_function> / <criteria_function> blocks -------------------------


def test_items_nested_in_a_similarity_block_change_no_utility() -> None:
    negotiation = import_genius(JOB[0], [G / "job_employer.xml"])
    salary, car, start = (10, 6, 2), (3, 1), (4, 8, 5)
    assert_utilities(
        negotiation,
        "job-employer",
        lambda c: 0.5 * salary[c[0]] / 10 + 0.3 * car[c[1]] / 3 + 0.2 * start[c[2]] / 8,
    )
    # the employer's salary evaluation falls as the salary rises (the nested block rises)
    low, high = (utility(negotiation, "job-employer", (s, 0, 1)) for s in (0, 2))
    assert low > high


def test_items_of_a_criteria_block_that_name_no_value_of_the_domain_are_not_read() -> None:
    negotiation = import_genius(*JOB)
    salary, car, start = (2, 7, 8), (0, 4), (1, 3, 6)
    assert_utilities(
        negotiation,
        "job-candidate",
        lambda c: 0.45 * salary[c[0]] / 8 + 0.35 * car[c[1]] / 4 + 0.2 * start[c[2]] / 6,
    )
    assert negotiation.preferences["job-candidate"].reservation_value == 0.25


# --- integer issues -----------------------------------------------------------------------------


def test_an_integer_issue_becomes_one_option_per_value() -> None:
    negotiation = import_genius(*LEASE)
    rent = negotiation.points[0]
    assert rent.title == "Rent"
    assert [o.value for o in rent.options] == [3, 4, 5, 6, 7, 8]
    assert [o.text for o in rent.options] == ["3", "4", "5", "6", "7", "8"]
    assert [o.value for o in negotiation.points[1].options] == [0, 1, 2, 3, 4]
    assert negotiation.points[2].options[0].value is None


def test_integer_evaluators_by_slope_and_offset_and_by_the_bounds_evaluations() -> None:
    negotiation = import_genius(*LEASE)
    rents, deposits, pets_landlord, pets_tenant = range(3, 9), range(5), (1, 4), (5, 0)

    def landlord(c: tuple[int, ...]) -> float:
        rent = clip(0.0 + 0.25 * (rents[c[0]] - 3))  # reaches 1 at 7 and is clipped at 8
        deposit_slope = (1.0 - 0.2) / (4 - 0)  # the line through the bounds' evaluations
        deposit = clip(0.2 + deposit_slope * (deposits[c[1]] - 0))
        return 0.5 * rent + 0.2 * deposit + 0.3 * pets_landlord[c[2]] / 4

    def tenant(c: tuple[int, ...]) -> float:
        rent = clip(0.9 - 0.15 * (rents[c[0]] - 3))  # its best value is worth 0.9, not 1
        deposit = clip(1.0 + (0.0 - 1.0) / 4 * deposits[c[1]])
        return 0.4 * rent + 0.3 * deposit + 0.3 * pets_tenant[c[2]] / 5

    assert_utilities(negotiation, "lease-landlord", landlord)
    assert_utilities(negotiation, "lease-tenant", tenant)
    # the tenant's best package is worth what GENIUS says: 0.4 x 0.9 + 0.3 + 0.3, not 1
    assert utility(negotiation, "lease-tenant", (0, 0, 0)) == pytest.approx(0.96, abs=1e-12)


# --- a weight naming the objective --------------------------------------------------------------


def test_a_weight_naming_the_objective_itself_is_ignored() -> None:
    domain, (parent, _) = HOLIDAY
    with_it = import_genius(domain, [G / "holiday_objective_weight.xml"])
    without = import_genius(domain, [parent])
    for choice in every_package(without):
        assert utility(with_it, "holiday-objective-weight", choice) == pytest.approx(
            utility(without, "holiday-parent", choice), abs=1e-12
        )


# --- real issues ----------------------------------------------------------------------------------


def test_a_real_issue_is_refused_unless_discretised_and_the_error_says_how() -> None:
    with pytest.raises(GeniusFormatError) as caught:
        import_genius(*ENERGY)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{ENERGY[0]}: ")
    assert "'Price'" in message and "--real-steps" in message and "; expected" in message


def test_a_real_issue_discretised_in_steps_has_genius_utilities_at_each_step() -> None:
    negotiation = import_genius(*ENERGY, real_steps=5)
    price = negotiation.points[0]
    prices = [10.0, 12.5, 15.0, 17.5, 20.0]
    assert [o.value for o in price.options] == prices
    assert len({o.text for o in price.options}) == 5

    def triangular(x: float, low: float, high: float, top: float) -> float:
        if x < low:
            return 0.0
        if x < top:
            return (x - low) / (top - low)
        if x < high:
            return 1 - (x - top) / (high - top)
        return 0.0

    terms_buyer, terms_seller = (2, 3), (1, 0)
    assert_utilities(
        negotiation,
        "energy-buyer",
        lambda c: 0.6 * clip(-0.1 * prices[c[0]] + 2.0) + 0.4 * terms_buyer[c[1]] / 3,
    )
    assert_utilities(
        negotiation,
        "energy-seller",
        lambda c: 0.7 * triangular(prices[c[0]], 10, 20, 15) + 0.3 * terms_seller[c[1]] / 1,
    )


# --- non-additive profiles --------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["grid_hyperrectangles.xml", "grid_constraints.xml"])
def test_a_non_additive_profile_is_refused_as_such(profile: str) -> None:
    with pytest.raises(GeniusFormatError) as caught:
        import_genius(G / "grid_domain.xml", [G / profile])
    message = str(caught.value)
    assert message.startswith(f"{G / profile}: ")
    assert "not additive" in message and "; expected" in message
    assert "integer" not in message and "\n" not in message


# --- messages -----------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


PROFILE_HEAD = '<utility_space type="linear"><objective index="0" name="Holiday">'
DESTINATION = (
    '<issue index="1" name="Destination" type="discrete">'
    '<item value="Beach" evaluation="1"/><item value="Mountains" evaluation="2"/>'
    '<item value="City trip" evaluation="3"/></issue>'
)
DURATION = (
    '<issue index="2" name="Duration" type="discrete">'
    '<item value="1 week" evaluation="1"/><item value="2 weeks" evaluation="1"/></issue>'
)
BUDGET = (
    '<issue index="3" name="Budget" type="discrete">'
    '<item value="Low" evaluation="1"/><item value="Medium" evaluation="1"/>'
    '<item value="High" evaluation="1"/></issue>'
)
WEIGHTS = '<weight index="1" value="0.5"/><weight index="2" value="0.3"/><weight index="3" value="0.2"/>'


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (DESTINATION + DURATION + WEIGHTS, "no evaluation for issue 'Budget'"),
        (DESTINATION.replace('value="Beach"', 'value="Desert"') + DURATION + BUDGET + WEIGHTS, "'Beach'"),
        (DESTINATION + DURATION + BUDGET + WEIGHTS.replace('"0.3"', '"-0.3"'), "-0.3"),
        (DESTINATION + DURATION + BUDGET + WEIGHTS.replace('"0.3"', '"lots"'), "'lots'"),
        (
            DESTINATION.replace('evaluation="2"', 'evaluation="-2"') + DURATION + BUDGET + WEIGHTS,
            "-2",
        ),
    ],
    ids=["issue-missing", "value-missing", "negative-weight", "weight-no-number", "negative-eval"],
)
def test_every_profile_error_is_one_line_naming_the_file_and_what_was_expected(
    tmp_path: Path, body: str, says: str
) -> None:
    profile = _write(tmp_path / "bad.xml", PROFILE_HEAD + body + "</objective></utility_space>")
    with pytest.raises(GeniusFormatError) as caught:
        import_genius(HOLIDAY[0], [profile])
    message = str(caught.value)
    assert message.startswith(f"{profile}: ") and "; expected " in message, message
    assert says in message and "\n" not in message


@pytest.mark.parametrize(
    ("issue", "says"),
    [
        ('<issue index="1" name="Price" type="integer" lowerbound="1"/>', "upperbound"),
        ('<issue index="1" name="Price" type="integer" lowerbound="1.5" upperbound="4"/>', "1.5"),
        ('<issue index="1" name="Price" type="integer" lowerbound="9" upperbound="4"/>', "9"),
        ('<issue index="1" name="Price" type="real"/>', "range"),
        ('<issue index="1" name="Price" type="colour"/>', "'colour'"),
        ('<issue index="1" name="Price" type="discrete"/>', "no values"),
        ('<issue name="Price" type="discrete"><item value="a"/></issue>', "index"),
    ],
)
def test_every_domain_error_is_one_line_naming_the_file_and_what_was_expected(
    tmp_path: Path, issue: str, says: str
) -> None:
    domain = _write(
        tmp_path / "domain.xml",
        f'<negotiation_template><utility_space><objective index="0" name="x">{issue}'
        "</objective></utility_space></negotiation_template>",
    )
    with pytest.raises(GeniusFormatError) as caught:
        import_genius(domain, [])
    message = str(caught.value)
    assert message.startswith(f"{domain}: ") and "; expected " in message, message
    assert says in message and "\n" not in message


def test_issues_inside_nested_objectives_are_read_in_genius_order(tmp_path: Path) -> None:
    # GENIUS's Domain puts an objective's sub-objectives before its own issues
    domain = _write(
        tmp_path / "nested_domain.xml",
        '<negotiation_template><utility_space><objective index="0" name="Deal">'
        '<issue index="3" name="Last" type="discrete"><item value="x"/><item value="y"/></issue>'
        '<objective index="1" name="Money">'
        '<issue index="2" name="First" type="discrete"><item value="a"/><item value="b"/></issue>'
        "</objective></objective></utility_space></negotiation_template>",
    )
    profile = _write(
        tmp_path / "nested_profile.xml",
        '<utility_space><objective index="0" name="Deal">'
        '<issue index="3" name="Last">'
        '<item value="x" evaluation="1"/><item value="y" evaluation="3"/></issue>'
        '<objective index="1" name="Money">'
        '<issue index="2" name="First">'
        '<item value="a" evaluation="2"/><item value="b" evaluation="1"/></issue>'
        '<weight index="2" value="0.6"/></objective>'
        '<weight index="1" value="1"/><weight index="3" value="0.4"/>'
        "</objective></utility_space>",
    )
    negotiation = import_genius(domain, [profile])
    assert [p.title for p in negotiation.points] == ["First", "Last"]
    first, last = (2, 1), (1, 3)
    # an objective's own weight does not scale its issues in GENIUS's utility
    assert_utilities(negotiation, "nested-profile", lambda c: 0.6 * first[c[0]] / 2 + 0.4 * last[c[1]] / 3)


# --- GENIUS's arithmetic at the edges ---------------------------------------------------------------

TWO_ISSUES = (
    '<negotiation_template><utility_space><objective index="0" name="Deal">'
    '<issue index="1" name="Size" type="integer" lowerbound="1" upperbound="3"/>'
    '<issue index="2" name="Colour" type="discrete"><item value="red"/><item value="blue"/></issue>'
    "</objective></utility_space></negotiation_template>"
)


def _profile(size: str, colour: str, weights: tuple[float, float]) -> str:
    return (
        '<utility_space><objective index="0" name="Deal">'
        f'<issue index="1" name="Size" type="integer" lowerbound="1" upperbound="3">{size}</issue>'
        f'<issue index="2" name="Colour" type="discrete">{colour}</issue>'
        f'<weight index="1" value="{weights[0]}"/><weight index="2" value="{weights[1]}"/>'
        "</objective></utility_space>"
    )


RED_BLUE = '<item value="red" evaluation="2"/><item value="blue" evaluation="4"/>'


@pytest.mark.parametrize(
    ("size", "weights", "genius_size"),
    [
        # weights adding up to 0.8: the best package is worth 0.8 in GENIUS, and here
        ('<evaluator ftype="linear" slope="0.5" offset="0"/>', (0.5, 0.3), lambda v: clip(0.5 * (v - 1))),
        # weights adding up to 1.2, but Size is worth at most 0.5: no package reaches 1
        ('<evaluator ftype="linear" slope="0.25" offset="0"/>', (0.8, 0.4), lambda v: clip(0.25 * (v - 1))),
        # no evaluator: GENIUS's slope and offset stay 0
        ("", (0.5, 0.5), lambda v: 0.0),
    ],
    ids=["weights-below-1", "weights-above-1-best-below-1", "no-evaluator"],
)
def test_weights_are_never_rescaled_as_genius_never_rescales_them(
    tmp_path: Path, size: str, weights: tuple[float, float], genius_size: Callable[[int], float]
) -> None:
    domain = _write(tmp_path / "deal_domain.xml", TWO_ISSUES)
    profile = _write(tmp_path / "buyer.xml", _profile(size, RED_BLUE, weights))
    negotiation = import_genius(domain, [profile])
    colour = (2, 4)
    assert_utilities(
        negotiation,
        "buyer",
        lambda c: weights[0] * genius_size(c[0] + 1) + weights[1] * colour[c[1]] / 4,
    )


def test_the_largest_evaluation_counts_every_item_even_one_outside_the_domain(tmp_path: Path) -> None:
    domain = _write(tmp_path / "deal_domain.xml", TWO_ISSUES)
    colour = RED_BLUE + '<item value="green" evaluation="8"/>'  # GENIUS divides by 8, not by 4
    line = '<evaluator ftype="linear" slope="0.5" offset="0"/>'
    negotiation = import_genius(domain, [_write(tmp_path / "b.xml", _profile(line, colour, (0.5, 0.5)))])
    assert_utilities(negotiation, "b", lambda c: 0.5 * clip(0.5 * c[0]) + 0.5 * (2, 4)[c[1]] / 8)


def test_an_issue_whose_largest_evaluation_is_below_1e5_is_worth_nothing(tmp_path: Path) -> None:
    domain = _write(tmp_path / "deal_domain.xml", TWO_ISSUES)
    tiny = '<item value="red" evaluation="0.000001"/><item value="blue" evaluation="0.000009"/>'
    line = '<evaluator ftype="linear" slope="0.5" offset="0"/>'
    negotiation = import_genius(domain, [_write(tmp_path / "b.xml", _profile(line, tiny, (0.5, 0.5)))])
    assert_utilities(negotiation, "b", lambda c: 0.5 * clip(0.5 * c[0]))


def test_a_profile_issue_is_matched_to_the_domain_by_index_as_genius_does(tmp_path: Path) -> None:
    domain = _write(tmp_path / "deal_domain.xml", TWO_ISSUES)
    line = '<evaluator ftype="linear" slope="0.5" offset="0"/>'
    renamed = _profile(line, RED_BLUE, (0.5, 0.5)).replace('name="Colour"', 'name="Colour (paint)"')
    negotiation = import_genius(domain, [_write(tmp_path / "b.xml", renamed)])
    assert [p.title for p in negotiation.points] == ["Size", "Colour"]
    assert_utilities(negotiation, "b", lambda c: 0.5 * clip(0.5 * c[0]) + 0.5 * (2, 4)[c[1]] / 4)


@pytest.mark.parametrize(
    "evaluations",
    [
        [0.0, 0.0, 1.0, 1.0],  # a step
        [1.0, 0.4, 0.0, 0.0],  # one value inside (0, 1), falling
        [0.0, 0.5, 1.0, 1.0],  # clipped at 1
        [0.3, 0.3, 0.3, 0.3],  # constant
    ],
)
def test_a_clipped_line_through_any_integer_scores_that_genius_can_draw_is_found(
    evaluations: list[float],
) -> None:
    from accord.scenario.genius.evaluators import fit_integer

    values = [5, 6, 7, 8]
    line = fit_integer(values, evaluations)
    assert line is not None
    slope, offset = line
    assert [clip(offset + slope * (v - 5)) for v in values] == pytest.approx(evaluations, abs=1e-12)
    assert fit_integer(values, [0.0, 1.0, 0.0, 1.0]) is None


def test_a_profile_whose_best_package_genius_caps_at_1_is_divided_down_with_a_warning(tmp_path: Path) -> None:
    # weights 0.9 + 0.3 + 0.2: GENIUS gives min(1, sum of weight x evaluation), which no additive
    # utility can; accord divides by the best package's worth, 1.4, and says how far that is
    body = DESTINATION + DURATION + BUDGET + WEIGHTS.replace('"0.5"', '"0.9"')
    profile = _write(tmp_path / "heavy.xml", PROFILE_HEAD + body + "</objective></utility_space>")
    warnings: list[str] = []
    negotiation = import_genius(HOLIDAY[0], [profile], warnings=warnings)
    destination = (1, 2, 3)
    assert_utilities(negotiation, "heavy", lambda c: (0.9 * destination[c[0]] / 3 + 0.3 + 0.2) / 1.4)
    (warning,) = warnings
    assert warning.startswith(f"{profile}: ") and "1.4" in warning and "at most 0.29" in warning
    assert negotiation.party("heavy").metadata["genius"]["divided_by"] == pytest.approx(1.4)
    genius = [min(1.0, 0.9 * d / 3 + 0.5) for d in destination]
    ours = [utility(negotiation, "heavy", (c, 0, 0)) for c in range(3)]
    assert max(abs(g - o) for g, o in zip(genius, ours, strict=True)) <= (1.4 - 1) / 1.4 + 1e-12


# --- what GENIUS's own reader takes (genius.core.xml.SimpleDOMParser, AdditiveUtilitySpace) -------


def _domain_with(tmp_path: Path, destinations: str, *, before: str = "", after: str = "") -> Path:
    return _write(
        tmp_path / "holiday_domain.xml",
        f'{before}<?xml version="1.0" encoding="UTF-8"?>\n<negotiation_template><utility_space>'
        f'<objective index="0" name="Holiday"><issue index="1" name="Destination" type="discrete">'
        f"{destinations}</issue></objective></utility_space></negotiation_template>\n{after}",
    )


def _profile_with(tmp_path: Path, name: str, destinations: str, tail: str = "") -> Path:
    return _write(
        tmp_path / name,
        f'{PROFILE_HEAD}<issue index="1" name="Destination" type="discrete">{destinations}</issue>'
        f'<weight index="1" value="1"/></objective>{tail}</utility_space>',
    )


def test_an_ampersand_that_starts_no_entity_is_read_as_text_as_genius_reads_it(tmp_path: Path) -> None:
    """ANAC 2015's Symposium names a value "Coffee & Thee", raw: GENIUS loads it, strict XML does not."""
    domain = _domain_with(
        tmp_path, '<item index="1" value="Coffee & Thee"/><item index="2" value="Tea &amp; Cake"/>'
    )
    profile = _profile_with(
        tmp_path,
        "guest.xml",
        '<item value="Coffee & Thee" evaluation="1"/><item value="Tea &amp; Cake" evaluation="0.5"/>',
    )
    warnings: list[str] = []
    negotiation = import_genius(domain, [profile], warnings=warnings)
    assert [o.text for o in negotiation.points[0].options] == ["Coffee & Thee", "Tea & Cake"]
    assert_utilities(negotiation, "guest", lambda c: (1.0, 0.5)[c[0]])
    assert warnings == [
        f"{domain}: 1 '&' that starts no entity read as text",
        f"{profile}: 1 '&' that starts no entity read as text",
    ]


def test_blanks_before_the_declaration_and_text_after_the_root_are_passed_over_with_a_warning(
    tmp_path: Path,
) -> None:
    items = '<item index="1" value="Beach"/><item index="2" value="City"/>'
    domain = _domain_with(tmp_path, items, before="\n  ", after="trailing words\n")
    profile = _profile_with(
        tmp_path, "p.xml", '<item value="Beach" evaluation="1"/><item value="City" evaluation="2"/>'
    )
    warnings: list[str] = []
    negotiation = import_genius(domain, [profile], warnings=warnings)
    assert_utilities(negotiation, "p", lambda c: (0.5, 1.0)[c[0]])
    assert warnings == [
        f"{domain}: blanks before the XML declaration were skipped",
        f"{domain}: what follows the root element was ignored",
    ]


def test_xml_that_no_repair_makes_well_formed_is_still_refused_with_its_line(tmp_path: Path) -> None:
    domain = _write(
        tmp_path / "d.xml",
        "<negotiation_template>\n<utility_space>\n& <objective>\n</negotiation_template>\n",
    )
    with pytest.raises(GeniusFormatError, match=r"d\.xml:3: not well-formed XML"):
        import_genius(domain, [])


@pytest.mark.parametrize(
    ("tail", "discount", "reservation", "says"),
    [
        (
            '<discount_factor value="s"/><reservation value="0.3"/>',
            None,
            0.3,
            "<discount_factor value='s'> is not a number: read as no discount (1)",
        ),
        (
            '<discount_factor value="0"/>',
            1.0,
            "absent",
            "<discount_factor value='0'> read as 1 (no discount)",
        ),
        (
            '<discount_factor value="1.5"/>',
            1.0,
            "absent",
            "<discount_factor value='1.5'> read as 1 (no discount)",
        ),
        (
            '<reservation value=""/>',
            None,
            "absent",
            "<reservation value=''> is not a number: read as no reservation value",
        ),
    ],
    ids=["discount-no-number", "discount-0", "discount-over-1", "reservation-empty"],
)
def test_a_discount_or_reservation_genius_would_not_use_is_read_as_genius_reads_it(
    tmp_path: Path, tail: str, discount: float | None, reservation: object, says: str
) -> None:
    """GENIUS reads both in a try and goes on without them (ANAC 2011's IS_BT_Acquisition has
    discount_factor "s"), and takes a discount factor not in (0, 1] as 1 (validateDiscount)."""
    domain = _domain_with(tmp_path, '<item index="1" value="Beach"/><item index="2" value="City"/>')
    profile = _profile_with(
        tmp_path, "p.xml", '<item value="Beach" evaluation="1"/><item value="City" evaluation="2"/>', tail
    )
    warnings: list[str] = []
    negotiation = import_genius(domain, [profile], warnings=warnings)
    meta = negotiation.party("p").metadata["genius"]
    assert meta.get("discount_factor") == discount
    if reservation == "absent":
        assert meta["reservation"] == "absent" and negotiation.preferences["p"].reservation_value == 0
    else:
        assert "reservation" not in meta and negotiation.preferences["p"].reservation_value == reservation
    assert len(warnings) == 1 and warnings[0].startswith(f"{profile}: {says}, as GENIUS does"), warnings


def test_names_in_other_scripts_give_readable_ids(tmp_path: Path) -> None:
    domain = _write(
        tmp_path / "market_domain.xml",
        '<negotiation_template><utility_space><objective index="0" name="Рынок">'
        '<issue index="1" name="Цена" type="discrete"><item index="1" value="Низкая"/>'
        '<item index="2" value="Высокая"/></issue></objective></utility_space></negotiation_template>',
    )
    profile = _write(
        tmp_path / "Покупатель.xml",
        '<utility_space><objective index="0" name="Рынок"><issue index="1" name="Цена" type="discrete">'
        '<item value="Низкая" evaluation="1"/><item value="Высокая" evaluation="0.2"/></issue>'
        '<weight index="1" value="1"/></objective></utility_space>',
    )
    negotiation = import_genius(domain, [profile])
    assert [p.id for p in negotiation.parties] == ["pokupatel"]
    assert negotiation.points[0].id == "tsena"
    assert [o.key for o in negotiation.points[0].options] == ["nizkaya", "vysokaya"]
    assert [o.text for o in negotiation.points[0].options] == ["Низкая", "Высокая"]  # the names as written
