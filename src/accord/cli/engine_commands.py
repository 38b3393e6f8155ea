"""`accord solve`, `diagnose`, `improve`: the compromise engine from the command line."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from accord.cli.options import BACKEND, FILE, JSON, PARTIES, TIME_LIMIT
from accord.cli.output import console, print_json, reports_errors
from accord.engine import Concept, get_solver, parse_concept, solve
from accord.engine.diagnose import diagnose
from accord.engine.improve import improvements
from accord.engine.problem import IntArray, Problem
from accord.engine.solution import Outcome, Status
from accord.reports import compromise as report
from accord.services.compromise import open_case

_STATUS = {
    Status.OPTIMAL: "[green]optimal[/]",
    Status.TIME_LIMIT: "[yellow]time limit[/]",
    Status.INFEASIBLE: "[red]no deal[/]",
    Status.DEGENERATE: "[yellow]degenerate[/]",
}


@reports_errors
def solve_command(
    file: Path = FILE,
    concept: str = typer.Option(
        "all",
        "--concept",
        "-c",
        help="nash, ks (kalai-smorodinsky), egalitarian, leximin, utilitarian, or all.",
    ),
    draft: int | None = typer.Option(None, "--draft", help="Compare with this draft version."),
    fix: list[str] = typer.Option(
        [], "--fix", help="Keep this point as the draft has it (repeat; needs --draft)."
    ),
    top: int = typer.Option(1, "--top", "-k", min=1, help="The K best distinct packages per concept."),
    parties: list[str] | None = PARTIES,
    backend: str = BACKEND,
    time_limit: float | None = TIME_LIMIT,
    as_json: bool = JSON,
) -> None:
    """Find the compromise packages: Nash, Kalai–Smorodinsky, egalitarian, leximin, utilitarian.

    Every package respects every party's red lines, links and reservation value
    (no package below a party's reservation value is ever proposed). Each answer
    says whether it is proven optimal, or the proven gap when --time-limit stopped
    it. Ties go to the package with the largest total utility.
    """
    concepts = list(Concept) if concept == "all" else [parse_concept(concept)]
    case = open_case(file, parties=parties, draft=draft, fix=fix)
    solver = get_solver(backend)
    outcomes = [solve(case.problem, c, solver=solver, top=top, time_limit=time_limit) for c in concepts]
    if as_json:
        print_json(
            {
                "negotiation": case.negotiation.id,
                **report.problem_data(case.problem),
                "draft": report.draft_data(case.problem, draft, case.draft)
                if draft is not None and case.draft is not None
                else None,
                "fixed": list(fix),
                "results": [report.outcome_data(case.problem, o) for o in outcomes],
            }
        )
        return
    problem = case.problem
    console.print(
        f"[bold]{case.negotiation.title}[/]: {problem.n_points} points, "
        f"{report.problem_data(problem)['packages']:.3g} packages, parties {', '.join(problem.party_names)}"
    )
    _summary(problem, outcomes, case.draft, draft)
    _packages(problem, outcomes, case.draft, draft)
    if all(o.status is Status.INFEASIBLE for o in outcomes):
        console.print(
            "No package respects every red line, link and reservation value: run `accord diagnose`."
        )


def _summary(
    problem: Problem, outcomes: list[Outcome], draft_columns: IntArray | None, version: int | None
) -> None:
    table = Table(title="Compromise packages: each party's utility (gain over its reservation value)")
    table.add_column("concept")
    table.add_column("#", justify="right")
    for name, d in zip(problem.party_names, problem.reservation, strict=True):
        table.add_column(f"{name}\n(reserv. {d:.2f})", justify="right")
    table.add_column("status")
    table.add_column("time", justify="right")
    if version is not None and draft_columns is not None:
        utilities = problem.utilities(draft_columns)
        table.add_row(
            f"draft {version}",
            "",
            *(f"{u:.3f} ({u - d:+.3f})" for u, d in zip(utilities, problem.reservation, strict=True)),
            "[red]breaks demands[/]" if problem.broken(draft_columns) else "acceptable",
            "",
        )
    for outcome in outcomes:
        if not outcome.solutions:
            table.add_row(outcome.concept.value, "", *([""] * problem.n_parties), _STATUS[outcome.status], "")
        for s in outcome.solutions:
            gap = f" gap {s.gap:.2%}" if s.status is Status.TIME_LIMIT else ""
            table.add_row(
                outcome.concept.value,
                str(s.rank),
                *(f"{u:.3f} ({g:+.3f})" for u, g in zip(s.utilities, s.gains, strict=True)),
                _STATUS[s.status] + gap,
                f"{s.seconds * 1000:.0f} ms",
            )
    console.print(table)


def _packages(
    problem: Problem, outcomes: list[Outcome], draft_columns: IntArray | None, version: int | None
) -> None:
    shown = [
        (f"{o.concept.value} #{s.rank}" if s.rank > 1 else o.concept.value, s.package)
        for o in outcomes
        for s in o.solutions
    ]
    if not shown:
        return
    table = Table(title="The packages, point by point (option keys; * differs from the draft)")
    table.add_column("#", justify="right")
    table.add_column("point")
    draft_package = problem.package(draft_columns) if draft_columns is not None else None
    if draft_package is not None:
        table.add_column(f"draft {version}")
    for name, _ in shown:
        table.add_column(name)
    for p, point in enumerate(problem.points):
        if len(problem.options[p]) == 1:
            continue
        row = [str(problem.point_numbers[p]), problem.point_titles[p]]
        if draft_package is not None:
            row.append(draft_package[point])
        for _, package in shown:
            mark = "*" if draft_package is not None and package[point] != draft_package[point] else ""
            row.append(package[point] + mark)
        table.add_row(*row)
    console.print(table)
    console.print(
        "[dim]Points with a single option are not shown. Option texts: accord show FILE, or --json.[/]"
    )


@reports_errors
def diagnose_command(
    file: Path = FILE,
    parties: list[str] | None = PARTIES,
    backend: str = BACKEND,
    time_limit: float | None = TIME_LIMIT,
    as_json: bool = JSON,
) -> None:
    """Explain a deadlock: the smallest sets of demands that cannot all hold, and the cheapest ways out.

    A conflict is minimal: drop any one of its demands (a red line, a link, a
    reservation value) and the rest can be met together. Disjoint conflicts are
    all listed. Each way out relaxes one demand; when that alone makes a deal
    possible, the Nash package then is shown (and for a reservation value, the
    largest value the party could keep).
    """
    case = open_case(file, parties=parties)
    problem = case.problem
    diagnosis = diagnose(problem, get_solver(backend), time_limit)
    if as_json:
        print_json({"negotiation": case.negotiation.id, **report.diagnosis_data(problem, diagnosis)})
        return
    if diagnosis.deal_possible:
        console.print(
            "[green]A deal is possible[/]: at least one package respects every red line, link and "
            "reservation value. Run `accord solve` to see the best ones."
        )
        return
    console.print(f"[red]No deal is possible[/]: {len(diagnosis.conflicts)} conflict(s) found.")
    for n, conflict in enumerate(diagnosis.conflicts, start=1):
        console.print(f"\n[bold]Conflict {n}[/] — these {len(conflict.demands)} demands cannot all hold:")
        for text in conflict.descriptions:
            console.print(f"  • {text}", markup=False)
    console.print("\n[bold]Ways out[/] (one demand relaxed at a time, cheapest first):")
    for way in diagnosis.ways_out:
        if not way.restores_deal:
            console.print(f"  – relaxing {way.description} alone is not enough", markup=False)
            continue
        keep = (
            f" (a deal is possible if it is lowered to {way.keep_at_most:.3f})"
            if way.keep_at_most is not None
            else ""
        )
        console.print(f"  ✓ relax {way.description}{keep}", markup=False)
        if way.best is not None:
            values = ", ".join(
                f"{name} {u:.3f}" for name, u in zip(problem.party_names, way.best.utilities, strict=True)
            )
            console.print(f"      best package then (Nash): {values}", markup=False)


@reports_errors
def improve_command(
    file: Path = FILE,
    draft: int = typer.Option(..., "--draft", help="The draft version to improve on."),
    max_changes: int | None = typer.Option(
        None, "--max-changes", "-k", min=1, help="Change at most K points."
    ),
    top: int = typer.Option(5, "--top", min=1, help="How many improvements to list."),
    parties: list[str] | None = PARTIES,
    backend: str = BACKEND,
    time_limit: float | None = TIME_LIMIT,
    as_json: bool = JSON,
) -> None:
    """Improve a tentative deal: packages every party likes at least as much as the draft (Raiffa).

    Each improvement leaves every party at least as well off and one strictly
    better, changes at most --max-changes points, keeps every red line, link and
    reservation value, and is ranked by the smallest gain it gives any party.
    """
    case = open_case(file, parties=parties, draft=draft, require_draft=True)
    problem = case.problem
    assert case.draft is not None
    found = improvements(
        problem, case.draft, get_solver(backend), max_changes=max_changes, top=top, time_limit=time_limit
    )
    if as_json:
        print_json(
            {
                "negotiation": case.negotiation.id,
                "draft": report.draft_data(problem, draft, case.draft),
                "max_changes": max_changes,
                "improvements": [report.improvement_data(problem, i) for i in found],
            }
        )
        return
    utilities = problem.utilities(case.draft)
    values = ", ".join(f"{n} {u:.3f}" for n, u in zip(problem.party_names, utilities, strict=True))
    console.print(f"Draft {draft}: {values}")
    if not found:
        console.print(
            "No package makes every party at least as well off and one better"
            + (f" within {max_changes} changes." if max_changes else ".")
        )
        return
    for improvement in found:
        gains = ", ".join(
            f"{n} {g:+.3f}" for n, g in zip(problem.party_names, improvement.gains, strict=True)
        )
        console.print(f"\n[bold]Improvement {improvement.rank}[/]: {gains}")
        for change in improvement.changes:
            p = problem.points.index(change.point)
            console.print(
                f"  point {problem.point_numbers[p]} ({problem.point_titles[p]}): "
                f"'{report.option_text(problem, change.point, change.before)}' → "
                f"'{report.option_text(problem, change.point, change.after)}'",
                markup=False,
            )


def register(app: typer.Typer) -> None:
    app.command("solve")(solve_command)
    app.command("diagnose")(diagnose_command)
    app.command("improve")(improve_command)
