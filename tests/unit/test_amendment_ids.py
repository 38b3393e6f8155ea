"""What an amendment adds is valid in the scenario format (issue 11, item 2), and says where it came
from (the draft that added it), so that the policy can keep it from those who never received it."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from accord.domain.amendments import ID, Amendment, AmendmentKind, amend
from accord.errors import DomainError
from accord.scenario import load
from accord.scenario.yaml_format import check_document, to_document
from tests.conftest import EXAMPLES

FRAMEWORK = load(EXAMPLES / "peace-framework-2025.yaml")


def _add(point: str, *, title: str = "T", text: str = "Some text", number: int | None = None) -> Amendment:
    return Amendment(AmendmentKind.ADD, point, "a reason", title=title, text=text, number=number)


def test_the_id_rule_is_the_scenario_formats() -> None:
    schema = json.loads(resources.files("accord.scenario").joinpath("schema.json").read_text("utf-8"))
    assert f"^{ID.pattern}$" == schema["$defs"]["id"]["pattern"]


@pytest.mark.parametrize(
    "bad", ["<script>alert(1)</script>", "", " ", "-leading-dash", "with space", "dot.ted", "tëxt", "a\nb"]
)
def test_a_point_added_with_an_id_the_format_refuses_is_refused(bad: str) -> None:
    with pytest.raises(DomainError, match="expected an id of letters, digits"):
        amend(FRAMEWORK, FRAMEWORK.draft(3), [_add(bad)])


def test_a_choice_of_an_option_key_the_format_refuses_is_refused() -> None:
    choose = Amendment(AmendmentKind.CHOOSE, "7", "a reason", option="<b>x</b>")
    with pytest.raises(DomainError, match="is not an option key; expected an id of letters"):
        amend(FRAMEWORK, FRAMEWORK.draft(3), [choose])


@pytest.mark.parametrize(
    "added", [_add("elections-2", title="  "), _add("elections-2", text="\t"), _add("elections-2", number=0)]
)
def test_an_added_point_needs_a_title_a_text_and_a_positive_number(added: Amendment) -> None:
    with pytest.raises(DomainError):
        amend(FRAMEWORK, FRAMEWORK.draft(3), [added])


def test_an_added_point_says_which_draft_added_it_and_the_result_is_a_valid_scenario() -> None:
    amended = amend(FRAMEWORK, FRAMEWORK.draft(3), [_add("elections_2")])
    point = amended.negotiation.point("elections_2")
    assert point.added_in == amended.draft.version == 4
    again = check_document(to_document(amended.negotiation))  # the whole file validates, and round-trips
    assert again.point("elections_2").added_in == 4
    assert all(p.added_in is None for p in again.points if p.id != "elections_2")


def test_an_amendment_that_changes_nothing_is_refused() -> None:
    base = FRAMEWORK.draft(3)
    point = next(p for p in FRAMEWORK.points if p.number == 7)
    held = base.choices[point.id].option
    assert held is not None
    same = Amendment(AmendmentKind.CHOOSE, "7", "a reason", option=held)
    with pytest.raises(DomainError) as caught:
        amend(FRAMEWORK, base, [same])
    assert str(caught.value) == (
        f"point 7 ({point.title}) says “{point.option(held).text}” in draft v3 already; an amendment changes "
        "what a point says"
    )
    other = next(o.key for o in point.options if o.key != held)
    assert amend(FRAMEWORK, base, [Amendment(AmendmentKind.CHOOSE, "7", "a reason", option=other)]).draft
    worded = amend(FRAMEWORK, base, [Amendment(AmendmentKind.TEXT, "7", "r", text="A text")])
    again = Amendment(AmendmentKind.TEXT, "7", "r", text="A text")
    with pytest.raises(DomainError, match="has that text in draft v4 already"):
        amend(worded.negotiation, worded.draft, [again])
