"""The mediator's analyses as pages (issue 17): diagnose with a chosen draft, improve, logrolls and
contested, saying what `accord diagnose --draft`, `improve`, `logrolls` and `contested` say, in words
and option text, to the mediator alone."""

from __future__ import annotations

import re

import pytest

from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import workbench
from tests.web.conftest import NAME, A, B, Workbench, log_in

P = f"/n/{NAME}"
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
PAGES = ("diagnose", "improve", "logrolls", "contested")


def words(page: str) -> str:
    """The page's text after its menus, tags taken out, blanks folded."""
    body = page.split('id="analyses-menu"', 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#39;", "'")


def test_diagnose_with_a_draft_names_what_it_breaks_and_the_nearest_package_by_option_text(
    bench: Workbench,
) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/diagnose?draft=3")
    assert page.status_code == 200
    text = words(page.text)
    assert "Draft v3 gives: Russian Federation 0.278" in text
    assert "Draft v3 breaks 5 demands" in text
    assert (
        "Russian Federation's red line on point 7 (Ukraine and NATO membership): option 'Not addressed"
        in text
    )
    # the nearest package that breaks none, its changes by the options' text, and what it gives
    assert "The nearest package that breaks none changes 4 points" in text
    assert (
        "Ukraine and NATO membership: “Not addressed; no bar on membership stated” → “Ukraine renounces"
        in text
    )
    assert re.search(r"Then: Russian Federation 0\.\d{3}, Ukraine 0\.\d{3}", text)
    assert "A deal is possible" in text
    # the draft chosen stays chosen in the form
    assert '<option value="3" selected>' in page.text


def test_diagnose_without_a_draft_and_by_default(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    none = words(bench.client.get(f"{P}/diagnose?draft=").text)
    assert "A deal is possible" in none and "Draft v3 gives" not in none
    default = words(bench.client.get(f"{P}/diagnose").text)  # the newest draft, as the form shows first
    assert "Draft v3 breaks 5 demands" in default


def test_diagnose_lists_the_clashing_demands_and_the_ways_out_when_no_deal_is_possible(
    bench: Workbench,
) -> None:
    prefs = workbench.preferences(bench.database, MEDIATOR, NAME, A)
    prefs["reservation_value"] = 0.99  # more than any package gives Russia
    prefs["uncertainty"].pop("reservation_value")  # (its declared range lies around 0.5)
    workbench.update_preferences(bench.database, MEDIATOR, NAME, A, prefs)
    log_in(bench.client, "mediator")
    for rank in ("size", "weight"):
        text = words(bench.client.get(f"{P}/diagnose?draft=&rank={rank}").text)
        assert "No deal is possible" in text
        assert "minimal conflict" in text and "demands cannot all hold" in text
        assert "Russian Federation's reservation value 0.99" in text
        assert "lowered to" in text and "The best package then (Nash): Russian Federation" in text
        order = "fewest demands first" if rank == "size" else "least costly to their holders first"
        assert f"Ways out ({order})" in text


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("diagnose?draft=x", "draft: expected a version number such as 3, got 'x'"),
        ("diagnose?draft=99", "has no draft version 99 (versions: 1, 2, 3)"),
        ("improve?draft=", "draft: choose the draft to start from"),
        ("improve?draft=2&max_changes=0", "max changes: expected a whole number of at least 1, got '0'"),
        ("logrolls?draft=v9", "has no draft version 9"),
    ],
)
def test_a_mistake_in_the_form_is_said_on_the_page(bench: Workbench, query: str, said: str) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/{query}")
    assert page.status_code == 422
    assert said in page.text.replace("&#39;", "'")
    assert "Traceback" not in page.text and "<form" in page.text  # the form, to correct it


def test_improve_lists_changes_by_option_text_with_every_partys_gain(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    text = words(bench.client.get(f"{P}/improve?draft=2").text)
    assert "Draft v2 gives: Russian Federation" in text
    assert re.search(r"Improvement 1 ?: gains Russian Federation \+0\.\d{3}, Ukraine \+", text)
    assert "Ukraine and NATO membership: “Membership not barred" in text
    # the declared uncertainty checks each gain, in words
    assert "draws" in text or "uncertainty" in text
    one = words(bench.client.get(f"{P}/improve?draft=2&max_changes=1").text)
    assert "Improvement 1" in one or "within 1 change." in one  # --max-changes 1: at most one point
    none = words(bench.client.get(f"{P}/improve?draft=3").text)
    assert (
        "No package that keeps every red line, link and reservation value makes every party at least as well "
        "off and one better." in none
    )
    # draft 3 breaks demands: never made to look efficient
    assert "Draft v3 itself breaks 5 demands: it is no efficient text" in none
    assert f'href="{P}/diagnose?draft=3"' in bench.client.get(f"{P}/improve?draft=3").text


def test_logrolls_name_the_concessions_and_set_apart_the_trades_below_a_reservation_value(
    bench: Workbench,
) -> None:
    log_in(bench.client, "mediator")
    text = words(bench.client.get(f"{P}/logrolls?draft=1").text)
    assert "gives way on point" in text and "instead of '" in text
    three = words(bench.client.get(f"{P}/logrolls?draft=3").text)
    assert "keeps every party at or above its reservation value" in three
    assert "Not options" in three and "✗ Ukraine gives way on point" in three


def test_contested_ranks_the_points_with_the_recorded_stances_in_words(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/contested")
    text = words(page.text)
    assert "Points are ranked, most contested first" in text
    assert "stances on draft v3" in text
    assert "rejected by Russian Federation; accepted with conditions by Ukraine" in text
    assert "the least painful option, 'Ukrainian-held Donetsk areas" in text


@pytest.mark.parametrize("user", [A, B, "observer"])
def test_the_analyses_are_the_mediators_alone(bench: Workbench, user: str) -> None:
    log_in(bench.client, user)
    for name in PAGES:
        refused = bench.client.get(f"{P}/{name}?draft=3")
        assert refused.status_code == 403, name
        assert "Draft v3" not in refused.text and "demand" not in refused.text
    assert 'id="analyses"' not in bench.client.get(P).text
    assert "/diagnose" not in bench.client.get(P).text


def test_the_overview_and_the_explorer_link_the_analyses_for_the_mediator(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    for where in (P, f"{P}/explorer"):
        page = bench.client.get(where).text
        assert all(f'href="{P}/{name}"' in page for name in PAGES), where


def test_nobody_logged_in_is_sent_to_log_in(bench: Workbench) -> None:
    for name in PAGES:
        answer = bench.client.get(f"{P}/{name}")
        assert answer.status_code == 303 and "/login" in answer.headers["location"]


def test_a_draft_older_than_an_added_point_is_refused_in_words(bench: Workbench) -> None:
    """As `accord diagnose --draft 3` once v4 added a point: v3 holds no option on it to score."""
    from tests.web.conftest import plant_uncirculated_point

    newest = plant_uncirculated_point(bench.database)
    log_in(bench.client, "mediator")
    older = bench.client.get(f"{P}/logrolls?draft=3")
    assert older.status_code == 422
    assert "draft 3 does not hold point 29 (" in older.text and "so it is no package of options" in older.text
    assert bench.client.get(f"{P}/logrolls?draft={newest}").status_code == 200
