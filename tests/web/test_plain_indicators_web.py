"""The workbench's indicators never mislead (issue 15 item 4): the convergence table names the demands a
draft breaks instead of a distance of 0, and the explorer says in plain words why no improvement of
the draft is listed, and lists improvements by the options' text."""

from __future__ import annotations

import html

from accord.domain.amendments import Amendment, AmendmentKind
from accord.engine import Concept, get_solver, solve
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import workbench
from tests.web.conftest import NAME, Workbench, log_in

P = f"/n/{NAME}"
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})


def _text(page: str) -> str:
    return html.unescape(page)


def test_the_convergence_table_names_the_broken_demands_instead_of_a_distance(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = _text(bench.client.get(P).text)
    table = page.split('id="convergence"')[1].split("</table>")[0]
    assert "breaks 5 demands of Russian Federation" in table
    assert (
        "Russian Federation's red line on point 21 (Territory): option "
        "'Lines frozen at the line of contact; territory left unresolved'" in table
    )
    assert "0.000" not in table, "a draft that breaks demands has no distance"


def _explorer(bench: Workbench) -> str:
    return _text(bench.client.get(f"{P}/explorer/result?concept=nash", headers={"HX-Request": "true"}).text)


def test_the_explorer_says_why_a_draft_that_breaks_demands_has_no_improvement(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = _explorer(bench)
    assert "every party cannot gain" not in page
    assert "Draft v3 breaks 5 demands of Russian Federation:" in page
    assert "Russian Federation's red line on point 8 (NATO troops in Ukraine): option 'Not addressed'" in page
    assert "No package that keeps every demand makes every party better off than this draft." in page


def _amend_to(bench: Workbench, package: dict[str, str]) -> None:
    latest = workbench.draft(bench.database, MEDIATOR, NAME, 3)
    changes = [
        Amendment(AmendmentKind.CHOOSE, point, "test", option=option)
        for point, option in package.items()
        if latest.choices[point].option != option
    ]
    workbench.amend(bench.database, MEDIATOR, NAME, changes, base=3)


def test_the_explorer_says_plainly_when_no_change_makes_every_party_better_off(bench: Workbench) -> None:
    problem = workbench.explore(bench.database, MEDIATOR, NAME, "nash").problem
    nash = solve(problem, Concept.NASH, solver=get_solver()).best
    assert nash is not None
    _amend_to(bench, nash.package)  # the Nash package is on the frontier: nothing beats it for all
    log_in(bench.client, "mediator")
    page = _explorer(bench)
    assert "No change of the draft makes every party better off at once." in page
    assert "breaks" not in page.split("Improvements of draft")[1]


def test_the_explorer_lists_improvements_by_the_options_text(bench: Workbench) -> None:
    problem = workbench.explore(bench.database, MEDIATOR, NAME, "nash").problem
    nash = solve(problem, Concept.NASH, solver=get_solver()).best
    assert nash is not None
    # the Nash package with one point worse for every party (breaking no demand): Nash improves on it
    worse = None
    base = problem.utilities(nash.columns)
    for p in range(problem.n_points):
        for column in problem.columns_of(p):
            columns = list(nash.columns)
            columns[p] = column
            utilities = problem.utilities(columns)
            if (utilities < base - 1e-6).all() and not problem.broken(columns):
                worse = (p, columns)
                break
        if worse:
            break
    assert worse is not None
    p, columns = worse
    _amend_to(bench, problem.package(columns))
    log_in(bench.client, "mediator")
    page = _explorer(bench)
    improvements = page.split('id="improvements"')[1].split("</ol>")[0]
    offset = int(problem.offsets[p])
    before = problem.option_texts[p][columns[p] - offset]
    after = problem.option_texts[p][nash.columns[p] - offset]
    assert f"{problem.point_titles[p]}: “{before}” → “{after}”" in improvements
    assert problem.options[p][columns[p] - offset] not in improvements.replace(before, "").replace(after, "")
