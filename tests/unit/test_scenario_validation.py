"""Every kind of bad scenario is reported with its file, field path, line and expectation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.errors import Problem, ScenarioError
from accord.scenario import load, loads
from tests.conftest import write_doc


def problems_of(tmp_path: Path, doc: Any) -> list[Problem]:
    path = write_doc(tmp_path / "scenario.yaml", doc)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert caught.value.problems, "a ScenarioError always lists its problems"
    for problem in caught.value.problems:
        assert problem.file == str(path)
    return caught.value.problems


def only(problems: list[Problem], path: str) -> Problem:
    matching = [p for p in problems if p.path == path]
    assert matching, f"no problem at {path}; got {[str(p) for p in problems]}"
    return matching[0]


def test_the_small_fixture_is_valid(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    negotiation = load(write_doc(tmp_path / "ok.yaml", small_doc))
    assert [p.id for p in negotiation.points] == ["ceasefire", "harbour"]
    assert negotiation.preferences["north"].score("harbour", "joint") == pytest.approx(0.6)


def test_unknown_point_in_weights_is_named(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["north"]["weights"]["borders"] = 2
    problem = only(problems_of(tmp_path, small_doc), "parties.north.weights.borders")
    assert "unknown point 'borders'" in problem.message
    assert "ceasefire" in problem.message, "the message lists the points that exist"


def test_unknown_option_in_red_line_is_named(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["south"]["red_lines"].append({"point": "harbour", "option": "east"})
    problem = only(problems_of(tmp_path, small_doc), "parties.south.red_lines[1].option")
    assert "no option 'east'" in problem.message and "north, joint, south" in problem.message


def test_unknown_party_anywhere_is_named(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["stances"][0]["party"] = "west"
    small_doc["drafts"][0]["circulated_to"].append("east")
    small_doc["meetings"][0]["participants"].append("observer-x")
    small_doc["papers"][0]["recipients"] = ["nobody"]
    small_doc["drafts"][1]["author"] = "ghost"
    problems = problems_of(tmp_path, small_doc)
    for path, name in [
        ("stances[0].party", "west"),
        ("drafts[0].circulated_to[2]", "east"),
        ("meetings[0].participants[3]", "observer-x"),
        ("papers[0].recipients[0]", "nobody"),
        ("drafts[1].author", "ghost"),
    ]:
        assert f"unknown party '{name}'" in only(problems, path).message


def test_unknown_point_in_stance_and_unknown_draft_version(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["stances"][1].update(point="borders", draft=7)
    problems = problems_of(tmp_path, small_doc)
    assert "unknown point 'borders'" in only(problems, "stances[1].point").message
    assert "unknown draft version 7" in only(problems, "stances[1].draft").message


def test_duplicate_yaml_key_is_reported_with_both_lines(tmp_path: Path) -> None:
    text = (
        "negotiation: {id: n, title: N}\n"
        "points:\n"
        "  - {id: a, number: 1, title: A, options: [{key: x, text: X}]}\n"
        "parties:\n"
        "  p:\n"
        "    name: P\n"
        "    weights: {a: 1}\n"
        "    scores: {a: {x: 1}}\n"
        "  p:\n"
        "    name: Q\n"
        "    weights: {a: 1}\n"
        "    scores: {a: {x: 1}}\n"
    )
    path = tmp_path / "dup.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    problem = only(caught.value.problems, "parties.p")
    assert problem.line == 9
    assert "duplicate key 'p'" in problem.message and "line 5" in problem.message


def test_duplicate_ids_are_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["points"][1]["id"] = "ceasefire"
    small_doc["points"][0]["options"][1]["key"] = "immediate"
    small_doc["drafts"][1]["version"] = 1
    problems = problems_of(tmp_path, small_doc)
    assert "duplicate point id 'ceasefire'" in only(problems, "points[1].id").message
    assert "duplicate option key 'immediate'" in only(problems, "points[0].options[1].key").message
    assert "duplicate draft version 1" in only(problems, "drafts[1].version").message


def test_negative_weight_is_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["north"]["weights"]["harbour"] = -3
    problem = only(problems_of(tmp_path, small_doc), "parties.north.weights.harbour")
    assert "expected a number >= 0, got -3" in problem.message


def test_missing_weight_for_a_point_is_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    del small_doc["parties"]["south"]["weights"]["harbour"]
    problem = only(problems_of(tmp_path, small_doc), "parties.south.weights")
    assert "missing weight for point 'harbour'" in problem.message


def test_party_without_any_weights_is_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    del small_doc["parties"]["south"]["weights"]
    problem = only(problems_of(tmp_path, small_doc), "parties.south.weights")
    assert problem.message.startswith("missing")


def test_all_zero_weights_are_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["south"]["weights"] = {"ceasefire": 0, "harbour": 0}
    assert "all weights are 0" in only(problems_of(tmp_path, small_doc), "parties.south.weights").message


def test_weights_too_large_to_add_up_are_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    # each finite, their sum not: every utility would come out 0 for the party, labelled optimal
    small_doc["parties"]["south"]["weights"] = {"ceasefire": 1.0e308, "harbour": 1.0e308}
    message = only(problems_of(tmp_path, small_doc), "parties.south.weights").message
    assert message.startswith("the weights add up to more than a number can hold; write smaller ones")


def test_a_number_yaml_reads_as_text_says_how_to_write_it(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    path = write_doc(tmp_path / "scenario.yaml", small_doc)
    text = path.read_text(encoding="utf-8")
    weight = str(small_doc["parties"]["south"]["weights"]["harbour"])
    assert f"harbour: {weight}" in text
    path.write_text(text.replace(f"harbour: {weight}", "harbour: 1e3", 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    said = [str(p) for p in caught.value.problems]
    assert any(
        "expected a number, got '1e3'; YAML reads that as text: write 1000, or 1.0e+3" in p for p in said
    ), said
    path.write_text(text.replace(f"harbour: {weight}", "harbour: 5e-1", 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    said = [str(p) for p in caught.value.problems]
    assert any("got '5e-1'; YAML reads that as text: write 0.5, or 5.0e-1" in p for p in said), said


def test_a_whole_number_too_large_for_a_float_is_said_at_its_field(
    tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    small_doc["parties"]["south"]["weights"]["harbour"] = int("9" * 400)
    message = only(problems_of(tmp_path, small_doc), "parties.south.weights.harbour").message
    assert message == "a number too large to work with; write a smaller one"


def test_score_outside_the_declared_scale_is_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["north"]["scores"]["harbour"]["joint"] = 11
    small_doc["parties"]["south"]["score_scale"] = 5
    problems = problems_of(tmp_path, small_doc)
    assert (
        "outside the declared scale; expected 0 to 10"
        in only(problems, "parties.north.scores.harbour.joint").message
    )
    assert "expected 0 to 5" in only(problems, "parties.south.scores.ceasefire.immediate").message


def test_missing_score_of_a_weighted_point_is_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    del small_doc["parties"]["north"]["scores"]["harbour"]["joint"]
    problem = only(problems_of(tmp_path, small_doc), "parties.north.scores.harbour")
    assert "missing score for option(s) joint" in problem.message


def test_link_to_its_own_point_is_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["north"]["links"][0]["requires"] = {"point": "ceasefire", "options": ["phased"]}
    problem = only(problems_of(tmp_path, small_doc), "parties.north.links[0].requires.point")
    assert "refers to its own point 'ceasefire'" in problem.message


def test_link_to_an_unknown_option_is_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["north"]["links"][0]["requires"]["options"] = ["north", "lagoon"]
    problem = only(problems_of(tmp_path, small_doc), "parties.north.links[0].requires.options[1]")
    assert "no option 'lagoon'" in problem.message


def test_draft_choosing_an_option_the_point_lacks_is_reported(
    tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    small_doc["drafts"][0]["choices"]["harbour"] = "condominium"
    problem = only(problems_of(tmp_path, small_doc), "drafts[0].choices.harbour")
    assert "point 'harbour' has no option 'condominium'" in problem.message


def test_draft_parent_must_be_an_older_known_version(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["drafts"][1]["parent"] = 2
    assert "not older than version 2" in only(problems_of(tmp_path, small_doc), "drafts[1].parent").message


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_reservation_value_outside_zero_one_is_reported(
    tmp_path: Path, small_doc: dict[str, Any], value: float
) -> None:
    small_doc["parties"]["south"]["reservation_value"] = value
    problem = only(problems_of(tmp_path, small_doc), "parties.south.reservation_value")
    assert "expected a number" in problem.message and str(value) in problem.message


def test_a_file_that_is_not_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("negotiation:\n  id: x\n  title: [unclosed\npoints: 3\n")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert problem.message.startswith("not valid YAML")
    assert problem.line is not None and problem.line >= 3


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("negotiation:\n  title: Genève\n".encode("latin-1"))
    with pytest.raises(ScenarioError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert "not UTF-8" in problem.message and problem.line == 2


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_an_empty_file_is_reported(tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert "empty" in problem.message or "no YAML document" in problem.message


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load(tmp_path / "nowhere.yaml")


def test_a_document_that_is_not_a_mapping_is_reported() -> None:
    with pytest.raises(ScenarioError) as caught:
        loads("- just\n- a list\n", "list.yaml")
    assert "expected a mapping" in str(caught.value)


def test_unknown_field_is_reported_with_the_allowed_ones(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["north"]["weigths"] = {}
    problem = only(problems_of(tmp_path, small_doc), "parties.north.weigths")
    assert "unknown field 'weigths'" in problem.message and "weights" in problem.message


def test_missing_required_field_is_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    del small_doc["points"][0]["title"]
    assert only(problems_of(tmp_path, small_doc), "points[0].title").message.startswith("missing")


def test_wrong_type_names_what_was_expected(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["points"][1]["number"] = "two"
    assert (
        "expected a whole number, got 'two'"
        in only(problems_of(tmp_path, small_doc), "points[1].number").message
    )


def test_bad_id_and_bad_date_are_reported(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["west bank"] = {"name": "X", "role": "observer"}
    small_doc["meetings"][0]["date"] = "12 January"
    problems = problems_of(tmp_path, small_doc)
    assert "not a valid id" in only(problems, "parties.west bank").message
    assert "expected a date written YYYY-MM-DD" in only(problems, "meetings[0].date").message


def test_postponed_meeting_needs_a_reason(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    del small_doc["meetings"][0]["reason"]
    assert "needs its reason" in only(problems_of(tmp_path, small_doc), "meetings[0].reason").message


def test_non_text_keys_are_reported() -> None:
    with pytest.raises(ScenarioError) as caught:
        loads("negotiation: {id: n, title: N}\npoints: []\nparties: {7: {name: seven}}\n", "k.yaml")
    assert "key 7 is not text" in str(caught.value)


def test_all_problems_are_reported_at_once_with_lines(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    small_doc["parties"]["north"]["weights"]["harbour"] = -1
    small_doc["parties"]["south"]["reservation_value"] = 2
    small_doc["drafts"][0]["choices"]["harbour"] = "nowhere"
    small_doc["stances"][0]["party"] = "west"
    problems = problems_of(tmp_path, small_doc)
    assert len(problems) >= 4
    assert all(p.line is not None for p in problems)
    text = (tmp_path / "scenario.yaml").read_text().splitlines()
    reservation = only(problems, "parties.south.reservation_value")
    assert reservation.line is not None
    assert "reservation_value" in text[reservation.line - 1]


def test_a_number_that_is_not_finite_is_named_once(tmp_path: Path, small_doc: dict[str, Any]) -> None:
    """YAML's .nan and .inf load as floats, and every range check passes NaN (it compares false)."""
    small_doc["parties"]["north"]["weights"]["ceasefire"] = float("nan")
    small_doc["parties"]["south"]["reservation_value"] = float("-inf")
    problems = problems_of(tmp_path, small_doc)
    assert [(p.path, p.message) for p in problems] == [
        ("parties.north.weights.ceasefire", "expected a finite number, got not a number (NaN)"),
        ("parties.south.reservation_value", "expected a finite number, got minus infinity"),
    ]
    assert all(p.line for p in problems)  # at their lines in the file


@pytest.mark.parametrize(
    ("uncertainty", "path", "said"),
    [
        (
            {"weights": {"dirichlet": -1}},
            "parties.north.uncertainty.weights.dirichlet",
            "expected a number > 0, got -1",
        ),
        (
            {"reservation_value": {"normal": {"mean": 0.3, "sd": -1, "range": [0, 1]}}},
            "parties.north.uncertainty.reservation_value.normal.sd",
            "expected a number > 0, got -1",
        ),
        (
            {"reservation_value": {"range": ["a", 0.5]}},
            "parties.north.uncertainty.reservation_value.range[0]",
            "expected a number, got 'a'",
        ),
    ],
)
def test_a_bad_value_inside_one_form_of_an_uncertainty_is_named_where_it_is(
    tmp_path: Path, small_doc: dict[str, Any], uncertainty: dict[str, Any], path: str, said: str
) -> None:
    """Not "expected one of the forms, got a mapping": the form is clear, its value is wrong."""
    small_doc["parties"]["north"]["uncertainty"] = uncertainty
    assert only(problems_of(tmp_path, small_doc), path).message == said


def test_nan_where_text_is_expected_is_said_as_the_texts_problem(
    tmp_path: Path, small_doc: dict[str, Any]
) -> None:
    small_doc["negotiation"]["title"] = float("nan")
    problem = only(problems_of(tmp_path, small_doc), "negotiation.title")
    assert problem.message.startswith("expected non-empty text") and "finite" not in problem.message
