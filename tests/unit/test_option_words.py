"""The services head a refusal with the command line's option ("--summary: ..."); the API answers with
its own field's name and a page in plain words (accord.web.option_words)."""

from __future__ import annotations

from accord.web.form_problems import FormProblems, place
from accord.web.option_words import for_api, for_page


def test_the_head_becomes_the_apis_field_and_a_pages_words() -> None:
    said = "--date-approx: expected what is known of the date"
    assert for_api(said) == ("date_approx: expected what is known of the date", "date_approx")
    assert for_page(said) == "approximate date: expected what is known of the date"
    assert for_api("--as-of: 2031-01-01 is after today") == ("as_of: 2031-01-01 is after today", "as_of")
    assert for_page("--as-of: 2031-01-01 is after today") == "as-of date: 2031-01-01 is after today"


def test_an_option_named_inside_is_quoted_in_the_same_words() -> None:
    said = "--text: give the content as --file or as --text, not both"
    assert for_api(said) == ("text: give the content as 'file' or as 'text', not both", "text")
    assert for_page(said) == "text: give the content as 'file' or as 'text', not both"
    assert for_page("a statement names no point (--about-point)") == "a statement names no point ('point')"


def test_a_field_the_api_names_otherwise_is_named_as_the_api_does() -> None:
    assert for_api("--about-point: no point 99", "statements") == ("points: no point 99", "points")
    assert for_api("--lead: two leads given for ru", "meetings")[1] == "leads"
    assert for_api("--lead: X belongs to no party", "people")[1] == "lead"


def test_what_is_not_an_option_is_left_as_it_is() -> None:
    for said in (
        "source url: not a web address",
        "a range 1--3 and a dash -- here",
        "first `accord person update x --no-lead`, then again",
    ):
        assert for_page(said) == said
        assert for_api(said) == (said, None)


def test_a_form_shows_no_option_even_where_it_maps_none() -> None:
    problems = FormProblems()
    place(problems, "--as-of: 2031-01-01 is after today", {"--as-of": "as_of"})
    place(problems, "--summary: an event needs a summary (or --date-approx)", {})
    assert problems.at == {"as_of": "2031-01-01 is after today"}
    assert problems.general == ["summary: an event needs a summary (or 'approximate date')"]
