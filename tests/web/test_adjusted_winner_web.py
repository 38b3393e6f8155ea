"""Adjusted Winner on the workbench (issue 17: `accord adjusted-winner`): the mediator chooses two
parties and reads who gets each point and why, with the option texts, the same division as the
command's; a choice the method cannot take is said at the form, the choice kept; no party's seat
and no observer may run it (it reads both parties' private preferences)."""

from __future__ import annotations

import html
import re

import pytest

from accord.engine.fair_division import adjusted_winner_for, common_ground
from accord.services import drafts
from tests.web.conftest import NAME, A, B, Workbench, log_in

P = f"/n/{NAME}"


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def rows(page: str) -> dict[str, list[str]]:
    found = re.findall(r'<tr id="point-([^"]+)"[^>]*>(.*?)</tr>', page, re.S)
    return {point: [text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)] for point, row in found}


def problem_at(page: str, field: str) -> str:
    found = re.search(rf'id="problem-{field}">([^<]*)<', page)
    assert found, f"no problem shown at {field}"
    return html.unescape(found.group(1))


def test_the_division_is_the_commands_in_words_with_the_option_texts(bench: Workbench) -> None:
    negotiation = drafts.load(bench.database, NAME).negotiation
    expected = adjusted_winner_for(negotiation, A, B)
    log_in(bench.client, "mediator")
    response = bench.client.get(f"{P}/adjusted-winner?a={A}&b={B}")
    assert response.status_code == 200, response.text
    shown = rows(response.text)
    assert set(shown) == set(expected.allocation)
    names = {p.id: p.name for p in negotiation.parties}
    points = {p.id: p for p in negotiation.points}
    for point, (to_a, to_b) in expected.allocation.items():
        cells = shown[point]
        if to_a == 1:
            assert (cells[4], cells[5]) == ("all", "none")
            assert cells[6].startswith(f"To {names[A]}")
            scores = negotiation.preferences[A].scores[point]
            best = max(points[point].options, key=lambda o: scores.get(o.key, -1))
            assert cells[7] == f"{names[A]}'s way: its most preferred option, “{best.text}”"
        elif to_b == 1:
            assert (cells[4], cells[5]) == ("none", "all")
            assert cells[6].startswith(f"To {names[B]}")
        else:
            assert point == expected.split_item
            assert cells[4].startswith(f"{to_a} (") and cells[5].startswith(f"{to_b} (")
            assert cells[6].startswith("Split:") and cells[7].startswith("A formulation between")
    summary = text_of(response.text.split('id="summary">', 1)[1].split("</div>", 1)[0])
    assert f"Both end with exactly {expected.totals[0]}" in summary
    assert "Every point first went to the party that bid more on it." in summary


def test_with_more_than_two_parties_the_page_asks_for_the_two(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    response = bench.client.get(f"{P}/adjusted-winner")
    assert response.status_code == 200
    assert 'id="choose"' in response.text and 'id="allocation"' not in response.text
    assert f'href="{P}/adjusted-winner"' in bench.client.get(f"{P}/explorer").text


def test_a_party_chosen_twice_or_not_at_all_is_said_at_the_form_the_choice_kept(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    twice = bench.client.get(f"{P}/adjusted-winner?a={A}&b={A}")
    assert twice.status_code == 422
    assert "two different parties" in problem_at(twice.text, "b")
    assert twice.text.count(f'<option value="{A}" selected>') == 2
    missing = bench.client.get(f"{P}/adjusted-winner?a={A}&b=")
    assert missing.status_code == 422 and problem_at(missing.text, "b") == "choose the party"
    unknown = bench.client.get(f"{P}/adjusted-winner?a=atlantis&b={B}")
    assert unknown.status_code == 422 and "atlantis" in problem_at(unknown.text, "a")
    assert 'id="allocation"' not in unknown.text


def test_no_partys_seat_and_no_observer_runs_it(bench: Workbench) -> None:
    for user in (A, "observer"):
        log_in(bench.client, user)
        assert bench.client.get(f"{P}/adjusted-winner?a={A}&b={B}").status_code == 403


def test_points_both_prefer_the_same_option_on_are_named_apart_not_divided(bench: Workbench) -> None:
    negotiation = drafts.load(bench.database, NAME).negotiation
    agreed = common_ground(negotiation, A, B)
    assert agreed, "the fixture's two parties share a favourite option somewhere"
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/adjusted-winner?a={A}&b={B}").text
    assert not set(agreed) & set(rows(page)), "a point both prefer the same option on is not divided"
    points = {p.id: p for p in negotiation.points}
    for point in agreed:
        item = re.search(rf'<li id="agreed-{point}">(.*?)</li>', page, re.S)
        assert item, point
        scores = negotiation.preferences[A].scores[point]
        best = max(points[point].options, key=lambda o: scores.get(o.key, -1))
        assert text_of(item.group(1)) == f"{points[point].number}. {points[point].title}: “{best.text}”"
    summary = text_of(page.split('id="summary">', 1)[1].split("</div>", 1)[0])
    assert "both prefer the same option" in summary and "over the points in dispute" in summary


@pytest.mark.parametrize(("weightless", "field"), [(A, "a"), (B, "b")])
def test_a_party_with_no_weight_in_dispute_is_said_at_its_own_field_in_words(
    bench: Workbench, weightless: str, field: str
) -> None:
    from accord.security.policy import Seat, SeatRole, Viewer
    from accord.services import workbench

    negotiation = drafts.load(bench.database, NAME).negotiation
    agreed = common_ground(negotiation, A, B)
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    weights = {p.id: (1.0 if p.id in agreed else 0.0) for p in negotiation.points}
    workbench.update_preferences(bench.database, mediator, NAME, weightless, {"weights": weights})
    log_in(bench.client, "mediator")
    refused = bench.client.get(f"{P}/adjusted-winner?a={A}&b={B}")
    assert refused.status_code == 422
    said = problem_at(refused.text, field)
    assert f'id="problem-{"ab".replace(field, "")}"' not in refused.text  # the other field is not blamed
    in_dispute = len(negotiation.points) - len(agreed)
    assert said == (
        f"{negotiation.party(weightless).name} puts no weight on the {in_dispute} points in dispute, "
        "so it has nothing to bid with"
    )


def test_the_red_lines_a_division_crosses_are_said_on_the_page(bench: Workbench) -> None:
    from accord.reports.fair_division import adjusted_winner_view

    expected = adjusted_winner_view(drafts.load(bench.database, NAME).negotiation, A, B).red_lines
    assert expected, "the flagship's territory point is both parties' red line"
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/adjusted-winner?a={A}&b={B}").text
    card = page.split('id="red-lines-crossed"', 1)[1].split("</div>", 1)[0]
    assert "it does not know red lines" in text_of(card)
    assert [text_of(li) for li in re.findall(r"<li>(.*?)</li>", card, re.S)] == list(expected)
