"""`accord status`: where things stand on the latest draft, and how the rounds converge."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from accord.cli.options import BACKEND, DB, JSON, NEGOTIATION, output_folder
from accord.cli.output import console, print_json, reports_errors
from accord.cli.scenario_source import SCENARIO, scenario
from accord.cli.tables import print_table
from accord.domain import StanceKind

_MARK = {
    StanceKind.ACCEPT: "[green]accept[/]",
    StanceKind.CONDITIONAL: "[yellow]conditional[/]",
    StanceKind.REJECT: "[red]reject[/]",
    StanceKind.STUDYING: "[cyan]studying[/]",
    StanceKind.NO_POSITION: "[dim]no position[/]",
    None: "[dim]—[/]",
}


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


@reports_errors
def status(
    file: Path | None = SCENARIO,
    version: int | None = typer.Option(
        None, "--draft", help="The version whose stances to show (default: newest)."
    ),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
    plot: Path | None = typer.Option(
        None,
        "--plot",
        help="A folder: writes stances.png (every party's stance per point, draft by draft) and"
        " convergence.png there.",
        file_okay=False,
        callback=output_folder,
    ),
    backend: str = BACKEND,
) -> None:
    """Per point, each party's stance on the newest draft sent out (or --draft); per version, convergence.

    Convergence per version: the points every party accepts, the lowest party utility of the draft's
    package, and its distance to the Pareto frontier (the most every party could gain at once), or,
    for a draft that breaks demands (red lines, links, reservation values), which ones instead.
    """
    from accord.reports.record_plots import plot_convergence
    from accord.services.status import contradiction_data, contradictions, in_words, standing_of

    result = standing_of(scenario(file, negotiation, db), version=version, solver=backend)
    names = {p: result.negotiation.party(p).name for p in result.parties}
    # where the declared estimates contradict the recorded stances (every draft), most surprising first
    clashes = contradictions(result.negotiation)
    if as_json:
        print_json(
            {
                "negotiation": result.negotiation.id,
                "draft": result.draft.version if result.draft else None,
                "points": [
                    {
                        "number": p.number,
                        "point": p.point,
                        "title": p.title,
                        "stances": {k: (v.value if v else None) for k, v in p.stances.items()},
                        "accepted_by_all": p.accepted_by_all,
                        "contested": p.contested,
                    }
                    for p in result.points
                ],
                "agreed": [p.point for p in result.agreed],
                "contested": [p.point for p in result.contested],
                "weightless": [p.id for p in result.weightless],
                "rounds": [r.data() for r in result.rounds],
                "contradictions": [contradiction_data(result.negotiation, c) for c in clashes],
            }
        )
    else:
        _print(result, names)
        if clashes:
            console.print(
                "Where the declared estimates contradict the recorded stances (most surprising first):"
            )
            for c in clashes[:10]:
                console.print(f"  • {in_words(result.negotiation, c)}", markup=False)
            if len(clashes) > 10:
                console.print(f"  … and {len(clashes) - 10} more (--json lists every one)")
    if plot is not None:
        written = []
        if result.points:
            from accord.reports import vega
            from accord.reports.record_charts import stances_over_drafts

            spec = stances_over_drafts(
                result.negotiation, up_to=result.draft.version if result.draft else None
            )
            written.append(vega.render(spec, plot / "stances.png"))
        if result.rounds:
            written.append(plot_convergence(result, plot / "convergence.png"))
        for path in written:
            typer.echo(f"wrote {path}", err=as_json)


def _print(result: object, names: dict[str, str]) -> None:
    from accord.analysis.standing import Standing
    from accord.reports.brief_words import cap, draft_name

    assert isinstance(result, Standing)
    if result.draft is None:
        console.print(f"{result.negotiation.title}: no draft yet")
        return

    def named(version: int) -> str:  # as the briefing names a draft: "draft D", "draft 2 (…)"
        return draft_name(result.negotiation.draft(version))

    table = Table(title=f"{result.negotiation.title}: stances on {draft_name(result.draft)}")
    table.add_column("#", justify="right")
    table.add_column("point")
    for party in result.parties:
        table.add_column(names[party])
    for p in result.points:
        table.add_row(str(p.number), p.title, *(_MARK[p.stances[party]] for party in result.parties))
    print_table(table)
    console.print(
        f"accepted by every party: {len(result.agreed)} of {len(result.points)}"
        + (f" ({', '.join(str(p.number) for p in result.agreed)})" if result.agreed else "")
    )
    console.print(
        f"contested (a rejection or a condition): {len(result.contested)}"
        + (f" ({', '.join(str(p.number) for p in result.contested)})" if result.contested else "")
    )
    rounds = Table(title="Convergence, draft by draft")
    for column in (
        "draft",
        "status",
        "accepted by all",
        "answered",
        "lowest utility",
        "distance to frontier",
    ):
        rounds.add_column(column)
    for r in result.rounds:
        rounds.add_row(
            named(r.version).removeprefix("draft "),  # under the heading "draft": "D", "2 (…)"
            r.status,
            f"{r.accepted_by_all}/{r.points}",
            f"{r.answered}/{r.points}",
            _num(r.lowest_utility)
            + (f" ({names.get(r.lowest_party, r.lowest_party)})" if r.lowest_party else ""),
            r.frontier_text,
        )
    print_table(rounds)
    for r in result.rounds:
        if r.broken:
            # which demands, in words: the holder, the point and the option the draft chose
            console.print(f"{cap(named(r.version))} {r.frontier_text}:", markup=False)
            for demand in r.broken:
                console.print(f"  • {demand.text}", markup=False)
    for r in result.rounds:
        if r.note:
            console.print(f"{cap(named(r.version))}: {r.note}", markup=False)
    for point in result.weightless:
        console.print(
            f"point {point.number} weighs nothing for any party: set weights with accord preferences set",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.command("status")(status)
