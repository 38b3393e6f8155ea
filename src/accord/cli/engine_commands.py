"""`accord solve`, `diagnose`, `improve`: the compromise engine from the command line.

The engine (NumPy, the solver backends) is imported inside each command, so that the CLI starts at once.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from accord.cli.options import BACKEND, DB, JSON, NEGOTIATION, PARTIES, TIME_LIMIT, plot_path
from accord.cli.output import console, print_json, reports_errors
from accord.cli.scenario_source import SCENARIO, scenario
from accord.cli.tables import print_table
from accord.wording import counted

if TYPE_CHECKING:
    from collections.abc import Sequence

    from accord.analysis.gain_uncertainty import GainCheck
    from accord.engine.conflicts import Requirement
    from accord.engine.diagnose import DraftCheck
    from accord.engine.milp import MilpSolver
    from accord.engine.power import PowerSweep
    from accord.engine.problem import IntArray, Problem
    from accord.engine.solution import Outcome
    from accord.services.robustness import PosteriorAcceptance

_STATUS = {  # by Status value
    "optimal": "[green]optimal[/]",
    "time_limit": "[yellow]time limit[/]",
    "infeasible": "[red]no deal[/]",
    "degenerate": "[yellow]degenerate[/]",
}
MAX_SWEEP_STEPS = 200
FULL_TEXT = 10_000  # an option's text is never shortened in a table (it wraps instead)
_POWER = re.compile(r"^\s*([^=\s]+)\s*=\s*(\S+)\s*$")
_SWEEP = re.compile(r"^\s*([^=\s]+)\s*=\s*([^:\s]+):([^:\s]+):([^:\s]+)\s*$")


def _positive(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def _power_options(values: list[str]) -> dict[str, float]:
    """--power PARTY=W (repeatable) as a mapping; a usage error names the first bad one."""
    powers: dict[str, float] = {}
    for text in values:
        found = _POWER.match(text)
        if not found:
            raise typer.BadParameter(f"expected PARTY=POWER (e.g. russia=2), got {text!r}")
        party, value = found[1], _positive(found[2])
        if value is None:
            raise typer.BadParameter(f"expected a positive number as {party}'s power, got {found[2]!r}")
        if party in powers:
            raise typer.BadParameter(f"{party}'s power is given twice")
        powers[party] = value
    return powers


def _sweep_option(text: str | None) -> tuple[str, float, float, int] | None:
    """--sweep-power PARTY=LO:HI:STEPS, checked before any work."""
    if text is None:
        return None
    found = _SWEEP.match(text)
    if not found:
        raise typer.BadParameter(f"expected PARTY=LO:HI:STEPS (e.g. russia=1:5:9), got {text!r}")
    party, low, high = found[1], _positive(found[2]), _positive(found[3])
    if low is None or high is None:
        bad = found[2] if low is None else found[3]
        raise typer.BadParameter(f"expected positive powers for LO and HI, got {bad!r}")
    if low >= high:
        raise typer.BadParameter(f"LO must be below HI, got {found[2]}:{found[3]}")
    if not found[4].isdigit() or not 2 <= int(found[4]) <= MAX_SWEEP_STEPS:
        raise typer.BadParameter(
            f"expected a whole number of STEPS from 2 to {MAX_SWEEP_STEPS}, got {found[4]!r}"
        )
    return party, low, high, int(found[4])


def _known_party(problem: Problem, party: str, option: str) -> None:
    if party not in problem.parties:
        raise typer.BadParameter(
            f"unknown party {party!r}; expected one of: {', '.join(problem.parties)}", param_hint=option
        )


@reports_errors
def solve_command(
    file: Path | None = SCENARIO,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
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
    power: list[str] = typer.Option(
        [],
        "--power",
        help="A party's bargaining power for Nash, PARTY=W (repeat; overrides the scenario's; default 1).",
    ),
    sweep: str | None = typer.Option(
        None,
        "--sweep-power",
        help="How the Nash package moves as one party's power grows: PARTY=LO:HI:STEPS (evenly spaced).",
        show_default=False,
    ),
    plot: Path | None = typer.Option(
        None, "--plot", callback=plot_path, help="With --sweep-power: write its chart (.png or .svg)."
    ),
    parties: list[str] | None = PARTIES,
    backend: str = BACKEND,
    time_limit: float | None = TIME_LIMIT,
    as_json: bool = JSON,
    posterior: bool = typer.Option(
        False,
        "--posterior",
        help="Also each package's probability that every party accepts it under the parties' posteriors, "
        "estimated from the evidence on record (docs/estimate.md).",
    ),
    posterior_samples: int = typer.Option(
        1000, "--posterior-samples", min=1, help="With --posterior: posterior samples per party."
    ),
    seed: int = typer.Option(0, "--seed", help="With --posterior: the estimate's seed."),
    force: bool = typer.Option(
        False, "--force", help="With --posterior: use a posterior that failed its diagnostics anyway."
    ),
) -> None:
    """Find the compromise packages: Nash, Kalai–Smorodinsky, egalitarian, leximin, utilitarian.

    Every package respects every party's red lines, links and reservation value
    (no package below a party's reservation value is ever proposed). Each answer
    says whether it is proven optimal, or the proven gap when --time-limit stopped
    it. Ties go to the package with the largest total utility.

    Nash maximises the product of gains, each raised to its party's bargaining
    power (the scenario's `bargaining_power`, or --power; all 1 by default).
    --sweep-power solves Nash at evenly spaced powers of one party and shows which
    points change hands first.

    --posterior adds, for each package (and the draft), the probability that every
    party accepts it when its weights, scores and reservation value are drawn from
    its posterior given the recorded evidence (red lines and links as declared).
    """
    from accord.engine import Concept, get_solver, parse_concept, solve
    from accord.reports import compromise as report
    from accord.services.compromise import open_case

    powers = _power_options(power)
    swept = _sweep_option(sweep)
    if plot is not None and swept is None:
        raise typer.BadParameter("draws the power sweep; give --sweep-power too", param_hint="--plot")
    if swept is not None and concept not in ("all", "nash"):
        raise typer.BadParameter(
            "--sweep-power sweeps the Nash package; leave out --concept or give nash", param_hint="--concept"
        )
    if swept is not None and top != 1:
        raise typer.BadParameter("--sweep-power follows the best Nash package only", param_hint="--top")
    if swept is not None and posterior:
        raise typer.BadParameter(
            "--posterior reports the concepts' packages; leave out --sweep-power", param_hint="--posterior"
        )
    if not posterior and (force or posterior_samples != 1000 or seed != 0):
        raise typer.BadParameter("goes with --posterior", param_hint="--force, --posterior-samples, --seed")
    concepts = list(Concept) if concept == "all" else [parse_concept(concept)]
    case = open_case(scenario(file, negotiation, db), parties=parties, draft=draft, fix=fix)
    for party in powers:
        _known_party(case.problem, party, "--power")
    problem = case.problem.with_power(powers)
    solver = get_solver(backend)
    if swept is not None:
        _known_party(problem, swept[0], "--sweep-power")
        _sweep(case.negotiation.id, case.negotiation.title, problem, swept, solver, time_limit, plot, as_json)
        return
    chosen = None if backend == "auto" else solver  # auto: small problems by enumeration
    outcomes = [solve(problem, c, solver=chosen, top=top, time_limit=time_limit) for c in concepts]
    odds = None
    if posterior:
        odds = _posterior_odds(
            case.negotiation, problem, outcomes, case.draft, posterior_samples, seed, force
        )
    if as_json:
        data = {
            "negotiation": case.negotiation.id,
            **report.problem_data(problem),
            "draft": report.draft_data(problem, draft, case.draft)
            if draft is not None and case.draft is not None
            else None,
            "fixed": list(fix),
            "results": [report.outcome_data(problem, o) for o in outcomes],
        }
        if case.draft_unmatched:
            data["draft_not_compared"] = case.draft_unmatched
        if odds is not None:
            _add_odds(data, outcomes, odds)
        print_json(data)
        return
    console.print(
        f"[bold]{case.negotiation.title}[/]: {problem.n_points} points, "
        f"{report.problem_data(problem)['packages']:.3g} packages, parties {', '.join(problem.party_names)}"
    )
    if case.draft_unmatched:
        console.print(f"Not compared with the draft: {case.draft_unmatched}.", markup=False)
    _summary(problem, outcomes, case.draft, draft, odds)
    if odds is not None:
        _posterior_note(problem, odds)
    if draft is not None and case.draft is not None:
        _draft_breaks(problem, draft, case.draft)
    if Concept.NASH in concepts and (problem.powers != 1).any():
        console.print(
            f"Nash with bargaining power {_powers_text(problem)}: the product of gains, each raised "
            "to its party's power.",
            markup=False,
        )
    _packages(problem, outcomes, case.draft, draft)
    if all(o.status.value == "infeasible" for o in outcomes):
        console.print(
            "No package respects every red line, link and reservation value: run `accord diagnose`."
        )


def _powers_text(problem: Problem, skip: int | None = None) -> str:
    """'Russian Federation 2, Ukraine 1, ...' (``skip``: leave out that party)."""
    return ", ".join(
        f"{name} {w:g}"
        for i, (name, w) in enumerate(zip(problem.party_names, problem.powers, strict=True))
        if i != skip
    )


def _sweep(
    negotiation: str,
    title: str,
    problem: Problem,
    swept: tuple[str, float, float, int],
    solver: MilpSolver,
    time_limit: float | None,
    plot: Path | None,
    as_json: bool,
) -> None:
    """accord solve --sweep-power: the Nash package at each power of one party, and what changes."""
    from accord.engine.power import power_sweep, sweep_powers
    from accord.reports import compromise as report
    from accord.reports.power_sweep import sweep_chart, sweep_data

    party, low, high, steps = swept
    sweep = power_sweep(problem, party, sweep_powers(low, high, steps), solver, time_limit)
    if plot is not None:
        from accord.reports.charts import render_line_chart

        render_line_chart(sweep_chart(problem, sweep), plot)
    if as_json:
        print_json(
            {
                "negotiation": negotiation,
                **report.problem_data(problem),
                "sweep": sweep_data(problem, sweep),
                "plot": str(plot) if plot else None,
            }
        )
        return
    console.print(
        f"[bold]{title}[/]: {problem.n_points} points, parties {', '.join(problem.party_names)}",
    )
    _sweep_table(problem, sweep)
    _first_changes(problem, sweep)
    if plot is not None:
        console.print(f"wrote {plot}", markup=False)


def _sweep_table(problem: Problem, sweep: PowerSweep) -> None:
    from accord.reports.power_sweep import change_words

    name = problem.party_names[sweep.party]
    others = _powers_text(problem, skip=sweep.party)
    table = Table(
        title=f"The Nash package as {name}'s bargaining power grows"
        + (f" (others: {others})" if others else ""),
    )
    table.add_column("power", justify="right")
    for party, d in zip(problem.party_names, problem.reservation, strict=True):
        table.add_column(f"{party}\n(reserv. {d:.2f})", justify="right")
    table.add_column("status")
    table.add_column("points that change: new option")
    for step in sweep.steps:
        best = step.best
        if best is None:
            table.add_row(f"{step.power:g}", *([""] * problem.n_parties), _STATUS[step.outcome.status], "")
            continue
        table.add_row(
            f"{step.power:g}",
            *(f"{u:.3f} ({g:+.3f})" for u, g in zip(best.utilities, best.gains, strict=True)),
            _STATUS[best.status],
            "\n".join(change_words(problem, c, width=FULL_TEXT) for c in step.changes),
        )
    print_table(table)


def _first_changes(problem: Problem, sweep: PowerSweep) -> None:
    from accord.reports.power_sweep import option_text_of

    first = sweep.first_changes
    name = problem.party_names[sweep.party]
    if not sweep.steps or sweep.steps[0].best is None:
        console.print(
            "No package respects every red line, link and reservation value: run `accord diagnose`."
        )
        return
    if not first:
        console.print(
            f"The Nash package stays the same over the whole range of {name}'s power.", markup=False
        )
        return
    console.print(f"Points that change hands first, as {name}'s power grows:", markup=False)
    for change in first:
        p = change.point
        console.print(
            f"  at {change.power:g}: point {problem.point_numbers[p]} ({problem.point_titles[p]}): "
            f"'{option_text_of(problem, p, change.before)}' → '{option_text_of(problem, p, change.after)}'",
            markup=False,
        )


def _posterior_odds(
    negotiation: object,
    problem: Problem,
    outcomes: list[Outcome],
    draft_columns: IntArray | None,
    samples: int,
    seed: int,
    force: bool,
) -> PosteriorAcceptance:
    """P(every party accepts) under the posterior for each package, the draft's last (if any)."""
    from accord.domain import Negotiation
    from accord.services.robustness import posterior_acceptance

    assert isinstance(negotiation, Negotiation)
    packages = [s.columns for o in outcomes for s in o.solutions]
    if draft_columns is not None:
        packages.append(tuple(int(c) for c in draft_columns))
    return posterior_acceptance(negotiation, problem, packages, samples=samples, seed=seed, force=force)


def _add_odds(data: dict[str, object], outcomes: list[Outcome], odds: PosteriorAcceptance) -> None:
    """--json: each solution's (and the draft's) `posterior_acceptance`, and how the posterior was made."""
    k = 0
    results = data["results"]
    assert isinstance(results, list)
    for outcome, result in zip(outcomes, results, strict=True):
        for _, entry in zip(outcome.solutions, result["solutions"], strict=True):
            entry["posterior_acceptance"] = {"all": odds.everyone[k], "parties": odds.parties[k]}
            k += 1
    draft = data.get("draft")
    if isinstance(draft, dict) and k < len(odds.everyone):
        draft["posterior_acceptance"] = {"all": odds.everyone[k], "parties": odds.parties[k]}
    found = odds.posterior
    data["posterior"] = {
        "samples": found.samples,
        "seed": found.seed,
        "evidence": found.evidence,
        "diagnostics": found.diagnostics,
        "forced": list(found.forced),
    }


def _posterior_note(problem: Problem, odds: PosteriorAcceptance) -> None:
    found = odds.posterior
    pieces = ", ".join(
        f"{name} {found.evidence[p]}" for p, name in zip(problem.parties, problem.party_names, strict=True)
    )
    console.print(
        f"P(all accept | posterior): each party's weights, scores and reservation value drawn from its "
        f"posterior ({found.samples:,} draws per party, seed {found.seed}; pieces of evidence: {pieces}); "
        "red lines and links as declared.",
        markup=False,
    )
    for party in found.forced:
        name = problem.party_names[problem.parties.index(party)]
        console.print(
            f"The posterior of {name} failed its diagnostics "
            f"({', '.join(found.diagnostics[party]['problems'])}): used anyway (--force).",
            markup=False,
        )


def _summary(
    problem: Problem,
    outcomes: list[Outcome],
    draft_columns: IntArray | None,
    version: int | None,
    odds: PosteriorAcceptance | None = None,
) -> None:
    table = Table(title="Compromise packages: each party's utility (gain over its reservation value)")
    table.add_column("concept")
    table.add_column("#", justify="right")
    for name, d in zip(problem.party_names, problem.reservation, strict=True):
        table.add_column(f"{name}\n(reserv. {d:.2f})", justify="right")
    table.add_column("status")
    table.add_column("time", justify="right")
    if odds is not None:
        table.add_column("P(all accept\n| posterior)", justify="right")
    # the posterior's odds come in the order of the solutions, the draft's last
    chances = [(f"{p:.3f}",) for p in odds.everyone] if odds is not None else []
    blank = ("",) if odds is not None else ()
    if version is not None and draft_columns is not None:
        from accord.engine.conflicts import broken_requirements

        utilities = problem.utilities(draft_columns)
        broken = len(broken_requirements(problem, draft_columns))
        table.add_row(
            f"draft {version}",
            "",
            *(f"{u:.3f} ({u - d:+.3f})" for u, d in zip(utilities, problem.reservation, strict=True)),
            # which ones: listed in words under the table (_draft_breaks)
            f"[red]breaks {broken} demand{'' if broken == 1 else 's'}[/]" if broken else "acceptable",
            "",
            *(chances[-1] if chances else ()),
        )
    k = 0
    for outcome in outcomes:
        if not outcome.solutions:
            table.add_row(
                outcome.concept.value, "", *([""] * problem.n_parties), _STATUS[outcome.status], "", *blank
            )
        for s in outcome.solutions:
            gap = f" gap {s.gap:.2%}" if s.status.value == "time_limit" else ""
            table.add_row(
                outcome.concept.value,
                str(s.rank),
                *(f"{u:.3f} ({g:+.3f})" for u, g in zip(s.utilities, s.gains, strict=True)),
                _STATUS[s.status] + gap,
                f"{s.seconds * 1000:.0f} ms",
                *(chances[k] if chances else ()),
            )
            k += 1
    print_table(table)


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
    table = Table(
        title="The packages, point by point"
        + (" (* differs from the draft)" if draft_columns is not None else "")
    )
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
        texts = dict(zip(problem.options[p], problem.option_texts[p], strict=True))
        said = {key: " ".join((text or key).split()) for key, text in texts.items()}.__getitem__
        row = [str(problem.point_numbers[p]), problem.point_titles[p]]
        if draft_package is not None:
            row.append(said(draft_package[point]))
        for _, package in shown:
            mark = " *" if draft_package is not None and package[point] != draft_package[point] else ""
            row.append(said(package[point]) + mark)
        table.add_row(*row)
    print_table(table)
    console.print(
        "[dim]Points with a single option are not shown. Whole option texts: accord show FILE, or --json.[/]"
    )


@reports_errors
def diagnose_command(
    file: Path | None = SCENARIO,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    draft: int | None = typer.Option(
        None,
        "--draft",
        help="A draft version: which demands it breaks, and the nearest package that breaks none.",
    ),
    limit: int = typer.Option(20, "--limit", min=1, help="List at most this many minimal conflicts."),
    top: int = typer.Option(5, "--top", min=1, help="List at most this many joint relaxations."),
    rank: str = typer.Option(
        "size",
        "--rank",
        help="Rank relaxations by size (fewest demands first) or weight (least costly to their holders).",
    ),
    parties: list[str] | None = PARTIES,
    backend: str = BACKEND,
    time_limit: float | None = TIME_LIMIT,
    as_json: bool = JSON,
) -> None:
    """Explain a deadlock: every minimal set of demands that cannot all hold, and the cheapest ways out.

    A conflict is minimal: drop any one of its demands (a red line, a link, a
    reservation value) and the rest can be met together. A demand several
    parties hold is one demand naming them all. Every minimal conflict is listed
    (up to --limit). A way out relaxes a set of demands together: the smallest
    sets first (--rank weight: the least costly to their holders: their weights
    on the points given up, plus the cut in a reservation value), each with the
    best package then (Nash). With --draft V: the demands draft V breaks, for
    whom, and the nearest package that breaks none (fewest points changed).
    """
    from accord.engine import get_solver
    from accord.engine.diagnose import check_draft, diagnose
    from accord.reports import compromise as report
    from accord.services.compromise import open_case

    if rank not in ("size", "weight"):
        raise typer.BadParameter(f"expected size or weight, got {rank!r}", param_hint="--rank")
    case = open_case(
        scenario(file, negotiation, db), parties=parties, draft=draft, require_draft=draft is not None
    )
    problem = case.problem
    solver = get_solver(backend)
    diagnosis = diagnose(
        problem, solver, time_limit, limit=limit, top=top, rank="size" if rank == "size" else "weight"
    )
    checked = None
    if draft is not None and case.draft is not None:
        checked = check_draft(problem, case.draft, solver, time_limit)
    if as_json:
        print_json(
            {
                "negotiation": case.negotiation.id,
                **report.diagnosis_data(problem, diagnosis),
                "draft": report.draft_check_data(problem, draft, case.draft, checked)
                if checked is not None and draft is not None and case.draft is not None
                else None,
            }
        )
        return
    if checked is not None and draft is not None:
        _draft_check_text(problem, draft, checked)
    if diagnosis.deal_possible:
        console.print(
            "[green]A deal is possible[/]: at least one package respects every red line, link and "
            "reservation value. Run `accord solve` to see the best ones."
        )
        return
    more = "" if diagnosis.complete else f" (the first {len(diagnosis.conflicts)}; more exist: raise --limit)"
    console.print(
        f"[red]No deal is possible[/]: {counted(len(diagnosis.conflicts), 'minimal conflict')}{more}.",
        highlight=False,
    )
    for n, conflict in enumerate(diagnosis.conflicts, start=1):
        console.print(
            f"\n[bold]Conflict {n}[/] — these {len(conflict.requirements)} demands cannot all hold:"
        )
        for text in conflict.descriptions:
            console.print(f"  • {text}", markup=False)
    order = "fewest demands first" if rank == "size" else "least costly to their holders first"
    console.print(f"\n[bold]Ways out[/] (demands relaxed together, {order}):")
    for n, way in enumerate(diagnosis.relaxations, start=1):
        count = (
            "this demand" if len(way.requirements) == 1 else f"these {len(way.requirements)} demands together"
        )
        console.print(f"  {n}. relax {count} (cost to the holders {way.cost:.3f}):", markup=False)
        keep = dict(way.keep_at_most)
        for req, text in zip(way.requirements, way.descriptions, strict=True):
            lowered = ""
            if req.kind == "reservation" and req.first.party in keep:
                lowered = f" — lowered to {keep[req.first.party]:.3f}"
            console.print(f"     – {text}{lowered}", markup=False)
        if way.best is not None:
            values = ", ".join(
                f"{name} {u:.3f}" for name, u in zip(problem.party_names, way.best.utilities, strict=True)
            )
            console.print(f"     best package then (Nash): {values}", markup=False)


def _draft_check_text(problem: Problem, version: int, checked: DraftCheck) -> None:
    """accord diagnose --draft V in words: what the draft breaks, for whom, and the nearest package."""
    values = ", ".join(f"{n} {u:.3f}" for n, u in zip(problem.party_names, checked.utilities, strict=True))
    console.print(f"Draft {version}: {values}", markup=False)
    if not checked.broken:
        console.print(f"Draft {version} breaks no red line, link or reservation value.", markup=False)
        console.print()
        return
    _breaks_text(problem, version, checked.descriptions, dict(checked.shortfalls), checked.broken)
    if checked.nearest is None:
        console.print("No package breaks none of them: see the conflicts below.", markup=False)
    else:
        console.print(
            f"The nearest package that breaks none changes {counted(len(checked.changes), 'point')}:",
            markup=False,
        )
        for p, before, after in checked.changes:
            offset = int(problem.offsets[p])
            console.print(
                f"  point {problem.point_numbers[p]} ({problem.point_titles[p]}): "
                f"'{problem.option_texts[p][before - offset]}' → '{problem.option_texts[p][after - offset]}'",
                markup=False,
            )
        utilities = problem.utilities(checked.nearest)
        values = ", ".join(f"{n} {u:.3f}" for n, u in zip(problem.party_names, utilities, strict=True))
        console.print(f"  then: {values}", markup=False)
    console.print()


def _draft_breaks(problem: Problem, version: int, columns: IntArray) -> None:
    """accord solve --draft V in text: the demands the draft breaks, in words (nothing when none)."""
    from accord.engine.conflicts import broken_requirements, describe

    broken = broken_requirements(problem, columns)
    if not broken:
        return
    utilities = problem.utilities(columns)
    shortfalls = {
        r.first.party: float(problem.reservation[r.first.party] - utilities[r.first.party])
        for r in broken
        if r.kind == "reservation"
    }
    _breaks_text(problem, version, [describe(problem, r) for r in broken], shortfalls, broken)
    console.print(
        "`accord diagnose FILE --draft V` shows the nearest package that breaks none.", markup=False
    )


def _breaks_text(
    problem: Problem,
    version: int,
    descriptions: Sequence[str],
    shortfalls: dict[int, float],
    broken: Sequence[Requirement],
) -> None:
    """'Draft V breaks N demand(s):' and each in words (a reservation value: by how much)."""
    console.print(f"Draft {version} breaks {counted(len(broken), 'demand')}:", markup=False)
    for req, text in zip(broken, descriptions, strict=True):
        short = ""
        if req.kind == "reservation" and req.first.party in shortfalls:
            short = f" (the draft gives {shortfalls[req.first.party]:.3f} less)"
        console.print(f"  • {text}{short}", markup=False)


@reports_errors
def improve_command(
    file: Path | None = SCENARIO,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    draft: int = typer.Option(..., "--draft", help="The draft version to improve on."),
    max_changes: int | None = typer.Option(
        None, "--max-changes", "-k", min=1, help="Change at most K points."
    ),
    top: int = typer.Option(5, "--top", min=1, help="How many improvements to list."),
    samples: int = typer.Option(
        400, "--samples", min=1, help="Draws of the declared uncertainty to check each gain against."
    ),
    seed: int = typer.Option(0, "--seed", help="The seed of those draws."),
    parties: list[str] | None = PARTIES,
    backend: str = BACKEND,
    time_limit: float | None = TIME_LIMIT,
    as_json: bool = JSON,
) -> None:
    """Improve a tentative deal: packages every party likes at least as much as the draft (Raiffa).

    Each improvement leaves every party at least as well off and one strictly
    better, changes at most --max-changes points, keeps every red line, link and
    reservation value, and is ranked by the smallest gain it gives any party.

    When the parties' preferences declare their uncertainty, each gain is checked
    against it: the same draws value the draft and the improvement, and a gain
    is real when the party is better off in at least 95% of them; otherwise the
    improvement says the gain is within the uncertainty of the estimates.
    """
    from accord.engine import get_solver
    from accord.engine.improve import improvements
    from accord.reports import compromise as report
    from accord.services.compromise import improvement_uncertainty, open_case

    case = open_case(scenario(file, negotiation, db), parties=parties, draft=draft, require_draft=True)
    problem = case.problem
    assert case.draft is not None
    found = improvements(
        problem, case.draft, get_solver(backend), max_changes=max_changes, top=top, time_limit=time_limit
    )
    checks = improvement_uncertainty(
        case.negotiation, problem, case.draft, [i.columns for i in found], samples=samples, seed=seed
    )
    if as_json:
        print_json(
            {
                "negotiation": case.negotiation.id,
                "draft": report.draft_data(problem, draft, case.draft),
                "max_changes": max_changes,
                "uncertainty_declared": checks is not None,
                "seed": seed,
                "improvements": [
                    report.improvement_data(problem, i, None if checks is None else checks[n])
                    for n, i in enumerate(found)
                ],
            }
        )
        return
    utilities = problem.utilities(case.draft)
    values = ", ".join(f"{n} {u:.3f}" for n, u in zip(problem.party_names, utilities, strict=True))
    console.print(f"Draft {draft}: {values}")
    if not found:
        within = max_changes is not None and max_changes < problem.n_points
        console.print(
            "No package that keeps every red line, link and reservation value makes every party at least "
            "as well off and one better"
            + (f" within {counted(max_changes or 0, 'change')}." if within else "."),
            markup=False,
        )
        from accord.engine.conflicts import broken_requirements

        broken = broken_requirements(problem, case.draft)
        if broken:
            console.print(
                f"Draft {draft} itself breaks {counted(len(broken), 'demand')}: it is no efficient text, "
                "only one no acceptable package betters. "
                f"`accord diagnose --draft {draft}` finds the nearest package that breaks none.",
                markup=False,
            )
        return
    for n, improvement in enumerate(found):
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
        if checks is not None:
            _gain_check_text(problem, checks[n])
    if checks is None:
        console.print(
            "\nNo party's preferences declare their uncertainty, so these gains are not checked "
            "against it (an `uncertainty` block per party: docs/robustness.md).",
            markup=False,
        )


def _gain_check_text(problem: Problem, check: GainCheck) -> None:
    """Whether each gain is real or within the uncertainty of the estimates, in words."""
    from accord.analysis.gain_uncertainty import describe_check, describe_spread

    console.print(f"  {describe_check(problem.party_names, check)}", markup=False)
    for i in check.doubtful():
        spread = check.parties[i]
        console.print(f"    {describe_spread(problem.party_names[i], spread, check.samples)}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("solve")(solve_command)
    app.command("diagnose")(diagnose_command)
    app.command("improve")(improve_command)
