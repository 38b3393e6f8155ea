"""`accord robustness`: how likely each candidate deal is to hold when preferences are estimates."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from accord.cli.options import DB, JSON, NEGOTIATION, output_folder
from accord.cli.output import console, errors, print_json, reports_errors
from accord.cli.scenario_source import SCENARIO, scenario
from accord.cli.tables import print_table
from accord.errors import DomainError

if TYPE_CHECKING:
    from accord.services import robustness


@reports_errors
def robust(
    file: Path | None = SCENARIO,
    stored: str | None = NEGOTIATION,
    db: str | None = DB,
    samples: int = typer.Option(100_000, "--samples", help="Monte Carlo samples."),
    seed: int = typer.Option(
        1, "--seed", help="The same seed gives the same numbers (any chunking, any workers)."
    ),
    draft: list[int] = typer.Option([], "--draft", help="A draft version to assess (repeat)."),
    concepts: str = typer.Option(
        "",
        "--concepts",
        help="Comma-separated concepts whose packages to assess (e.g. nash,egalitarian) or 'all'.",
    ),
    top: int = typer.Option(1, "--top", min=1, help="The K best packages of each concept."),
    resolves: int = typer.Option(
        100,
        "--resolves",
        min=0,
        help="Re-solves per concept on redrawn preferences (probability of being its package).",
    ),
    workers: int | None = typer.Option(None, "--workers", help="Run on a local Dask cluster of N workers."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Run on an existing Dask cluster (tcp://HOST:PORT)."
    ),
    as_json: bool = JSON,
    plot: Path | None = typer.Option(
        None,
        "--plot",
        help="A folder: writes acceptance.png and utilities.png there.",
        file_okay=False,
        callback=output_folder,
    ),
    posterior: bool = typer.Option(
        False,
        "--posterior",
        help="Sample each party's preferences from its posterior, estimated from the evidence on record "
        "(docs/estimate.md), instead of its `uncertainty` block.",
    ),
    posterior_samples: int = typer.Option(
        1000, "--posterior-samples", help="With --posterior: posterior samples per party."
    ),
    force: bool = typer.Option(
        False, "--force", help="With --posterior: use a posterior that failed its diagnostics anyway."
    ),
) -> None:
    """For each candidate package: the probability that every party accepts it, each party's expected
    utility and 5th percentile, how often it is a concept's package; and which uncertain parameters
    move acceptance most. Uncertainty comes from each party's `uncertainty` block (docs/robustness.md).

    The candidates are the drafts (--draft) and the concepts' packages (--concepts) asked for; with
    neither, the latest draft and the Nash package, as the workbench's form starts.

    With --posterior, each party's weights, scores and reservation value are drawn from its posterior
    given the evidence on record (docs/estimate.md) instead; red lines and links stay as declared. A
    posterior that fails its diagnostics is refused unless --force."""
    from accord.services import robustness

    if workers is not None and scheduler is not None:
        raise DomainError("give --workers (a local cluster) or --scheduler (an existing one), not both")
    if workers is not None and workers < 1:
        raise DomainError(f"--workers must be at least 1, got {workers}")
    if not posterior and (force or posterior_samples != 1000):
        raise DomainError("--force and --posterior-samples go with --posterior")
    if posterior_samples < 1:
        raise DomainError(f"--posterior-samples must be at least 1, got {posterior_samples}")
    negotiation = scenario(file, stored, db)
    chosen = [c.strip() for c in concepts.split(",") if c.strip()]
    if chosen == ["all"]:
        chosen = ["nash", "kalai-smorodinsky", "egalitarian", "leximin", "utilitarian"]
    if not draft and not chosen:
        latest, usual = robustness.default_candidates(negotiation)
        draft, chosen = list(latest), list(usual)
    progress = Progress(
        TextColumn("sampling"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=True,
    )
    with progress:
        task = progress.add_task("samples", total=samples)
        options = {
            "samples": samples,
            "seed": seed,
            "drafts": draft,
            "concepts": chosen,
            "top": top,
            "resolves": resolves,
            "progress": lambda n: progress.advance(task, n),
            "posterior": posterior,
            "posterior_samples": posterior_samples,
            "force": force,
        }
        if workers is not None or scheduler is not None:
            with robustness.dask_runner(workers, scheduler) as (runner, where):
                result = robustness.analyse(negotiation, runner=runner, where=where, **options)  # type: ignore[arg-type]
        else:
            result = robustness.analyse(negotiation, **options)  # type: ignore[arg-type]
    names = {p.id: p.name for p in negotiation.parties}
    if as_json:
        print_json(robustness.as_data(result))
    else:
        _print(result, names)
    if plot is not None:
        _plots(result, negotiation, plot, as_json)


def _print(result: robustness.Robustness, names: dict[str, str]) -> None:
    console.print(
        f"{result.samples:,} samples (seed {result.seed}), {result.workers}, {result.seconds:.2f} s"
        + (f"; {result.resolves} re-solves per concept" if result.resolves else "")
    )
    found = result.posterior
    if found is not None:
        pieces = ", ".join(f"{names.get(p, p)} {n}" for p, n in found.evidence.items())
        console.print(
            f"Preferences from the posterior ({found.samples:,} draws per party; evidence: {pieces})",
            markup=False,
        )
        for party in found.forced:
            console.print(
                f"The posterior of {names.get(party, party)} failed its diagnostics "
                f"({', '.join(found.diagnostics[party]['problems'])}): used anyway (--force).",
                markup=False,
            )
    table = Table(title="Candidates: how likely each is to hold")
    table.add_column("candidate")
    table.add_column("P(all accept)", justify="right")
    parties = [p.party for p in result.candidates[0].parties]
    for party in parties:
        table.add_column(f"{names.get(party, party)}\nmean u / 5th pct", justify="right")
    resolved = any(c.best_by_counts for c in result.candidates)
    if resolved:
        # in words on each row, its own concept's share always: never a bare 0.00 on the Nash row
        table.add_column(
            f"how often it is a\nconcept's package\n({result.resolves} re-solves,\n95% interval)"
        )
    for c in sorted(result.candidates, key=lambda c: -c.acceptance):
        shares = "\n".join(s.short for s in c.concept_shares()) or "no concept's package"
        table.add_row(
            c.candidate.name,
            f"{c.acceptance:.4f} ± {1.96 * c.standard_error:.4f}",
            *(f"{p.expected_utility:.3f} / {p.fifth_percentile:.3f}" for p in c.parties),
            *((shares,) if resolved else ()),
        )
    print_table(table)
    if resolved:
        console.print(
            f"Re-solves: each concept solved again {result.resolves} times on preferences drawn afresh; "
            "a package counts only when it comes out point for point the same, so a share near 0 says "
            "that the concept's package moves with the estimates (95% intervals: Wilson score).",
            markup=False,
        )
    if result.sensitivity:
        sensitivity = Table(title=f"What moves acceptance of {result.sensitivity_of} most (correlation)")
        sensitivity.add_column("parameter")
        sensitivity.add_column("correlation", justify="right")
        for s in result.sensitivity[:10]:
            sensitivity.add_row(s.parameter, f"{s.correlation:+.3f}")
        print_table(sensitivity)


def _plots(result: robustness.Robustness, negotiation: object, folder: Path, quiet: bool) -> None:
    """acceptance.png (every candidate) and utilities.png (every draft asked for, then the most
    acceptable candidates, up to what a panel can show): the output names what each draws, and
    what utilities.png leaves out and why."""
    from accord.domain import Negotiation
    from accord.reports.robustness_plots import (
        MAX_LINES,
        candidate_label,
        chosen_for_utilities,
        plot_acceptance,
        plot_utilities,
    )
    from accord.services import robustness

    assert isinstance(negotiation, Negotiation)
    labels = {d.version: d.label for d in negotiation.drafts}
    ordered = sorted(result.candidates, key=lambda c: -c.acceptance)
    person = {c.candidate.name: candidate_label(c.candidate.name, labels) for c in ordered}
    written = plot_acceptance(robustness.held(result, negotiation), folder / "acceptance.png")
    typer.echo(f"wrote {written}: every candidate", err=quiet)
    drafts = [c.candidate.name for c in result.candidates if c.candidate.name.startswith("draft v")]
    shown, left_out = chosen_for_utilities([c.candidate.name for c in ordered], first=drafts)
    parties = [p.party for p in ordered[0].parties]
    written = plot_utilities(
        [negotiation.party(p).name for p in parties],
        [person[name] for name in shown],
        robustness.histograms(result, shown),
        [negotiation.preferences[p].reservation_value for p in parties],
        folder / "utilities.png",
    )
    typer.echo(f"wrote {written}: {', '.join(person[name] for name in shown)}", err=quiet)
    if left_out:
        typer.echo(
            f"  {written.name}: not drawn (at most {MAX_LINES} lines a panel; the drafts asked for first, "
            f"then the most acceptable; acceptance.png and the table show every one): "
            + ", ".join(person[name] for name in left_out),
            err=quiet,
        )


def register(app: typer.Typer) -> None:
    app.command("robustness")(robust)
