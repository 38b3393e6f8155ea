"""`accord frontier`, `logrolls`, `contested`, `adjusted-winner`: the rest of the compromise analysis."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import Progress
from rich.table import Table

from accord.cli.options import BACKEND, DB, JSON, NEGOTIATION, PARTIES, plot_path
from accord.cli.output import console, print_json, reports_errors
from accord.cli.scenario_source import SCENARIO, scenario
from accord.cli.tables import print_table
from accord.errors import EngineError

if TYPE_CHECKING:
    from accord.engine.frontier import Frontier


@reports_errors
def frontier_command(
    file: Path | None = SCENARIO,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    plot: Path | None = typer.Option(
        None, "--plot", callback=plot_path, help="Write a chart (.png or .svg) with the concepts marked."
    ),
    draft: int | None = typer.Option(None, "--draft", help="Mark this draft version on the chart."),
    cap: int = typer.Option(5000, "--cap", min=1, help="Report at most this many frontier points."),
    parties: list[str] | None = PARTIES,
    backend: str = BACKEND,
    as_json: bool = JSON,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also say how the frontier was computed."),
) -> None:
    """The Pareto frontier: acceptable packages no other acceptable package beats for everyone.

    Exact for two and three parties (dynamic programming over points, keeping
    only non-dominated partial packages); for more parties exact while it stays
    small, otherwise a representative set of supported points (the method is
    stated). Respects red lines, links and reservation values.
    """
    from accord.engine import Concept, get_solver, solve
    from accord.engine.conflicts import broken_requirements, describe
    from accord.engine.frontier import distance_to_frontier, pareto_frontier
    from accord.reports import compromise as report
    from accord.services.compromise import open_case

    case = open_case(scenario(file, negotiation, db), parties=parties, draft=draft)
    problem = case.problem
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("frontier", total=problem.n_points)
        frontier = pareto_frontier(
            problem,
            cap=cap,
            solver=get_solver(backend),
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    marks: dict[str, tuple[float, ...]] = {}
    drawn: list[
        tuple[str, tuple[float, ...], tuple[int, ...]]
    ] = []  # (name on the chart, utilities, package)
    solver = get_solver(backend)
    for concept in (Concept.NASH, Concept.KALAI_SMORODINSKY, Concept.EGALITARIAN, Concept.UTILITARIAN):
        best = solve(problem, concept, solver=None if backend == "auto" else solver).best
        if best is not None:
            marks[concept.value] = best.utilities
            drawn.append((concept.value, best.utilities, best.columns))
    if case.draft is not None:
        marks[f"draft {draft}"] = tuple(float(u) for u in problem.utilities(case.draft))
        drawn.append((f"draft {draft}", marks[f"draft {draft}"], tuple(int(c) for c in case.draft)))
    if plot is not None:
        # the same Vega-Lite specification as the workbench's interactive frontier, every pair of
        # parties in a panel of its own
        from accord.reports import vega
        from accord.reports.charts import concept_label, draft_label
        from accord.reports.frontier_chart import Mark, frontier_chart

        def called(name: str) -> str:  # the draft as the talks call it too
            if draft is not None and name == f"draft {draft}":
                return draft_label(draft, case.negotiation.draft(draft).label)
            return concept_label(name)

        shown = [Mark(called(name), vector, columns) for name, vector, columns in drawn]
        spec = frontier_chart(problem, frontier, marks=shown, title=case.negotiation.title, interactive=False)
        vega.render(spec, plot)
    if as_json:
        print_json(
            {
                "negotiation": case.negotiation.id,
                "parties": list(problem.parties),
                "exact": frontier.exact,
                "capped": frontier.capped,
                "method": frontier.method,
                "seconds": round(frontier.seconds, 6),
                "points": [
                    {"utilities": report.by_party(problem, point), "package": problem.package(package)}
                    for point, package in zip(frontier.points, frontier.packages, strict=True)
                ],
                "marks": {name: report.by_party(problem, values) for name, values in marks.items()},
                "draft_distance": distance_to_frontier(frontier, problem.utilities(case.draft))
                if case.draft is not None and not broken_requirements(problem, case.draft)
                else None,
                "draft_breaks": [describe(problem, r) for r in broken_requirements(problem, case.draft)]
                if case.draft is not None
                else None,
                "plot": str(plot) if plot else None,
                **({"draft_not_compared": case.draft_unmatched} if case.draft_unmatched else {}),
            }
        )
        return
    if case.draft_unmatched:
        console.print(f"Not compared with the draft: {case.draft_unmatched}.", markup=False)
    if len(frontier.points) == 0:
        console.print(
            "No package respects every red line, link and reservation value, so there is no frontier: run "
            "`accord diagnose` for what blocks a deal.",
            markup=False,
        )
        return
    console.print(_frontier_words(frontier), markup=False)
    if verbose:
        console.print(f"How: {frontier.method}", markup=False)
    table = Table(title="Pareto frontier (first points by the first party's utility)")
    for name in problem.party_names:
        table.add_column(name, justify="right")
    listed = (
        frontier.points
        if len(frontier.points) <= 20
        else frontier.points[:: max(len(frontier.points) // 20, 1)]
    )
    for point in listed:
        table.add_row(*(f"{u:.3f}" for u in point))
    print_table(table)
    for name, values in marks.items():
        utilities = zip(problem.party_names, values, strict=True)
        console.print(f"  {name}: " + ", ".join(f"{party} {u:.3f}" for party, u in utilities), markup=False)
    broken = broken_requirements(problem, case.draft) if case.draft is not None else []
    if broken:
        # compared with packages that keep every demand, a draft that breaks some would read as optimal
        n = len(broken)
        console.print(
            f"Draft {draft} breaks {n} demand{'' if n == 1 else 's'} (`accord solve --draft {draft}` lists "
            "them): it is not measured against the frontier, whose packages keep every demand.",
            markup=False,
        )
    elif case.draft is not None:
        gap = distance_to_frontier(frontier, problem.utilities(case.draft))
        if gap > 0:
            console.print(
                f"Draft {draft} is {gap:.3f} below the frontier (every party could gain that much at once)."
            )
        else:
            console.print(f"No acceptable package gives every party more than draft {draft} does.")
    if plot is not None:
        console.print(f"wrote {plot}")


def _frontier_words(frontier: Frontier) -> str:
    """What the frontier is, in a mediator's words (how it was computed: --verbose, or --json's method)."""
    n = len(frontier.points)
    found = "all of them" if frontier.exact and not frontier.capped else "a selection, not all of them"
    if frontier.capped:
        found += " (evenly spread; --cap shows more)"
    elif not frontier.exact:
        found += " (too many parties to list every one)"
    return (
        f"{n} package{'' if n == 1 else 's'} on the Pareto frontier ({found}; {frontier.seconds:.1f} s): "
        "packages that keep every red line, link and reservation value, and that no other such package "
        "betters for one party without leaving another worse off."
    )


@reports_errors
def logrolls_command(
    file: Path | None = SCENARIO,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    draft: int = typer.Option(..., "--draft", help="The draft version to trade from."),
    top: int = typer.Option(10, "--top", min=1, help="How many logrolls to list."),
    show_all: bool = typer.Option(
        False,
        "--all",
        help="Also list the trades that leave a party below its reservation value (marked; not options).",
    ),
    parties: list[str] | None = PARTIES,
    as_json: bool = JSON,
) -> None:
    """Logrolls: two points on which two parties trade concessions so that both gain.

    Each logroll changes the draft on exactly two points: one party gives way on
    the first, the other on the second. Ranked by the smaller of the two gains;
    the effect on every other party is shown too. Only trades that keep every
    party at or above its reservation value are options; when none does, one
    sentence says why (--all lists the others too, marked).
    """
    from accord.engine.logrolls import Logroll, describe_logroll
    from accord.reports import compromise as report
    from accord.services.compromise import logroll_options, open_case

    case = open_case(scenario(file, negotiation, db), parties=parties, draft=draft, require_draft=True)
    problem = case.problem
    assert case.draft is not None
    found = logroll_options(problem, case.draft, top=top)
    if as_json:

        def trade_data(trade: Logroll) -> dict[str, object]:
            return {
                "description": describe_logroll(problem, trade),
                "gains": report.by_party(problem, trade.gains),
                "package": problem.package(trade.columns),
                "below_reservation": [problem.parties[i] for i in trade.below_reservation],
            }

        print_json(
            {
                "negotiation": case.negotiation.id,
                "draft": draft,
                "logrolls": [trade_data(t) for t in found.options],
                "rejected": [trade_data(t) for t in found.rejected],
                "note": found.note,
            }
        )
        return
    if not found.options and not found.rejected:
        console.print(f"No logroll found from draft {draft}.")
        return
    for n, trade in enumerate(found.options, start=1):
        console.print(f"{n}. {describe_logroll(problem, trade)}", markup=False)
    if found.note is not None and not (show_all and found.options):
        hint = "" if show_all or not found.options else " (--all lists them)"
        console.print(found.note + hint, markup=False)
    if show_all and found.rejected:
        console.print("\nNot options: these trades leave a party below its reservation value.", markup=False)
        for trade in found.rejected:
            console.print(f"✗ {describe_logroll(problem, trade)}", markup=False)


@reports_errors
def contested_command(
    file: Path | None = SCENARIO,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    parties: list[str] | None = PARTIES,
    as_json: bool = JSON,
) -> None:
    """The lingering differences: points ranked by how far apart the parties are.

    Points whose options are all ruled out by red lines come first; then the
    points rejected on the latest draft (the recorded stances), then those
    accepted only with conditions; then by contest, the smallest worst loss any
    option imposes on a party (relative to its favourite option on that point,
    weighted by importance), and by spread, how differently the parties rate
    the options. The output says so in words.
    """
    from accord.analysis.contested import (
        contested_points,
        describe_contested_point,
        ranking_lines,
        ranking_text,
        recorded_stances,
    )
    from accord.services.compromise import open_case

    case = open_case(scenario(file, negotiation, db), parties=parties)
    problem = case.problem
    version, stances = recorded_stances(case.negotiation)
    ranked = contested_points(problem, stances)
    if as_json:
        print_json(
            {
                "negotiation": case.negotiation.id,
                "description": ranking_text(version),
                "stances_on": version,
                "points": [
                    {
                        "point": problem.points[c.point],
                        "title": problem.point_titles[c.point],
                        "contest": c.contest,
                        "spread": c.spread,
                        "blocked": c.blocked,
                        "compromise": None
                        if c.compromise is None
                        else problem.options[c.point][c.compromise - int(problem.offsets[c.point])],
                        "compromise_text": None
                        if c.compromise is None
                        else problem.option_texts[c.point][c.compromise - int(problem.offsets[c.point])],
                        "red_lines": [problem.describe(r) for r in c.red_lines],
                        "rejected_by": [problem.parties[k] for k in c.rejected_by],
                        "conditional_by": [problem.parties[k] for k in c.conditional_by],
                        "description": describe_contested_point(problem, c, version),
                    }
                    for c in ranked
                ],
            }
        )
        return
    for line in ranking_lines(version):
        console.print(line if line[0] == "P" else f"  {line}", markup=False)
    said = f"stances on v{version}" if version is not None else "stances"
    table = Table(title="Contested points (most contested first)")
    for column in ("#", "point", said, "contest", "spread", "red lines", "blocked"):
        table.add_column(
            column, justify="right" if column in ("#", "contest", "spread", "red lines") else "left"
        )
    for c in ranked:
        recorded = [f"{len(c.rejected_by)} reject"] if c.rejected_by else []
        recorded += [f"{len(c.conditional_by)} conditional"] if c.conditional_by else []
        table.add_row(
            str(problem.point_numbers[c.point]),
            problem.point_titles[c.point],
            "\n".join(recorded),
            f"{c.contest:.3f}",
            f"{c.spread:.3f}",
            str(len(c.red_lines)),
            "[red]yes[/]" if c.blocked else "",
        )
    print_table(table)
    for c in ranked[:5]:
        console.print(f"• {describe_contested_point(problem, c, version)}", markup=False)


@reports_errors
def adjusted_winner_command(
    file: Path | None = SCENARIO,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    parties: list[str] | None = PARTIES,
    as_json: bool = JSON,
) -> None:
    """Adjusted Winner (Brams & Taylor) for two parties, in exact fractions.

    Each party's weights are its point allocation over the points (rescaled to
    100 if the two totals differ); a point on which both prefer the same option
    is not divided (the bids are then rescaled to 100 over the points in
    dispute). Each point first goes to the higher bidder;
    the party ahead then hands points over in order of its lowest ratio until
    the totals are equal, splitting at most one point.
    """
    from accord.reports.fair_division import adjusted_winner_view, number, share
    from accord.services.compromise import open_case

    case = open_case(scenario(file, negotiation, db), parties=parties)
    chosen = case.problem.parties
    if len(chosen) != 2:
        raise EngineError(
            f"Adjusted Winner needs exactly two parties, got {len(chosen)}: use --party A --party B"
        )
    view = adjusted_winner_view(case.negotiation, chosen[0], chosen[1])
    result = view.result
    a, b = result.names
    if as_json:
        print_json(
            {
                "negotiation": case.negotiation.id,
                "parties": [a, b],
                "allocation": {item: [str(x), str(y)] for item, (x, y) in result.allocation.items()},
                "split_item": result.split_item,
                "split": [str(x) for x in result.split] if result.split else None,
                "totals": [str(t) for t in result.totals],
                "totals_decimal": [float(t) for t in result.totals],
                "transfers": result.transfers,
                "agreed": [c.point for c in view.agreed],
                "red_lines_crossed": list(view.red_lines),
            }
        )
        return
    na, nb = view.names
    table = Table(title=f"Adjusted Winner: {na} and {nb}")
    table.add_column("#", justify="right")
    table.add_column("point")
    table.add_column(f"{na}'s bid", justify="right")
    table.add_column(f"{nb}'s bid", justify="right")
    table.add_column(f"{na} gets", justify="right")
    table.add_column(f"{nb} gets", justify="right")
    for p in view.points:
        split = " (split)" if p.point == result.split_item else ""
        table.add_row(
            str(p.number),
            p.title + split,
            number(p.bids[0]),
            number(p.bids[1]),
            share(p.shares[0]),
            share(p.shares[1]),
        )
    print_table(table)
    for sentence in view.summary:
        console.print(sentence, markup=False)
    if view.red_lines:
        console.print(RED_LINES_CROSSED, markup=False)
        for sentence in view.red_lines:
            console.print(f"  {sentence}", markup=False)
    if view.agreed:
        console.print("Not divided, both prefer the same option there:", markup=False)
        for c in view.agreed:
            console.print(f"  {c.said}", markup=False)


RED_LINES_CROSSED = (
    "Adjusted Winner weighs points; it does not know red lines. So its division crosses these, and cannot "
    "be written into the text as it stands on them:"
)


def register(app: typer.Typer) -> None:
    app.command("frontier")(frontier_command)
    app.command("logrolls")(logrolls_command)
    app.command("contested")(contested_command)
    app.command("adjusted-winner")(adjusted_winner_command)
