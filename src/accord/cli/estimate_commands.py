"""`accord estimate`: each party's preferences learnt from what it said and did (docs/estimate.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli.options import ACTOR, DB, JSON, NEGOTIATION, PARTIES, actor_name, output_folder
from accord.cli.output import console, errors, print_json, reports_errors
from accord.cli.scenario_source import SCENARIO
from accord.cli.tables import print_table
from accord.wording import counted

if TYPE_CHECKING:
    from accord.analysis.estimate import Summary
    from accord.domain import Negotiation
    from accord.services.estimate import Estimation

SHOWN_CONTRADICTIONS = 10  # in the text output; --json lists every one


@reports_errors
def estimate_command(
    file: Path | None = SCENARIO,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    parties: list[str] | None = PARTIES,
    samples: int = typer.Option(1000, "--samples", help="Posterior samples per party."),
    seed: int = typer.Option(0, "--seed", help="The same seed gives the same numbers."),
    as_json: bool = JSON,
    plot: Path | None = typer.Option(
        None,
        "--plot",
        help="A folder: writes estimate-PARTY.png there (each party's weights, prior and posterior).",
        file_okay=False,
        callback=output_folder,
    ),
    write: bool = typer.Option(
        False,
        "--write",
        help="Store each posterior as the party's declared estimate (audited; the stored negotiation only).",
    ),
    force: bool = typer.Option(
        False, "--force", help="With --write: store a posterior even though it failed its diagnostics."
    ),
    actor: str | None = ACTOR,
) -> None:
    """Each party's preferences learnt from the evidence (stances, statements, drafts it wrote): prior
    and posterior weights, preferred options, red lines, reservation value; and where the declared
    estimates contradict the recorded stances (docs/estimate.md).

    Per party and point: the prior and posterior weight (mean and 90% interval), the most and least
    preferred option with their probabilities; the chance that each declared red line is one; the
    reservation value; which evidence moved the estimate most; the sampler's diagnostics. Nothing is
    stored without --write (the stored negotiation only; refused for a posterior that failed its
    diagnostics unless --force)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from accord.analysis.estimate import RUNS
    from accord.security.policy import command_line
    from accord.services import estimate as service

    if samples < 2 * RUNS:  # each of the sampler's RUNS runs needs two particles at least
        raise typer.BadParameter(f"must be at least {2 * RUNS}, got {samples}", param_hint="--samples")
    if write and file is not None:
        raise typer.BadParameter(
            "stores an estimate in the database: leave out the FILE to estimate the stored negotiation",
            param_hint="--write",
        )
    if force and not write:
        raise typer.BadParameter("goes with --write only", param_hint="--force")
    user = actor_name(actor)
    record = None
    if file is not None:
        from accord.scenario import load

        read = load(file)
    else:
        from accord.storage.database import open_database

        database = open_database(db)
        record = service.read(
            database, command_line(user, negotiation or _only(database)), negotiation, parties
        )
        read = record.negotiation
    if plot is not None:
        plot.mkdir(exist_ok=True)  # a folder that cannot be made fails now, not after the sampling
    progress = Progress(
        TextColumn("estimating {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=errors,
        transient=True,
    )
    with progress:
        task = progress.add_task("", total=None)

        def advance(party: Any, done: int, total: int) -> None:
            progress.update(task, description=party.name, completed=done, total=total)

        options: dict[str, Any] = {"samples": samples, "seed": seed, "progress": advance}
        result = (
            service.estimate_parties(read, parties, **options)
            if record is None
            else service.of_record(record, parties, **options)
        )
    for found in result.estimates:
        for warning in found.warnings:
            errors.print(f"warning: {warning}", markup=False)
    written: list[str] = []
    if write:
        assert record is not None  # --write with a FILE was refused above
        entries = service.adopt(database, command_line(user, record.slug), result, force=force)
        written = [str(e.details["party"]) for e in entries]
    if as_json:
        print_json(_data(result, written))
    else:
        _print(result)
        for entry in entries if write else ():
            console.print(
                f"stored as the declared estimate of {entry.details['party']} (audit entry {entry.seq})",
                markup=False,
            )
    if plot is not None:
        for path in _plots(result, plot):
            typer.echo(f"wrote {path}", err=as_json)


def _only(database: Any) -> str:
    from accord.storage.unit_of_work import reading

    with reading(database) as uow:
        return str(uow.repository.default_slug())


# -- JSON ---------------------------------------------------------------------------------------------


def _data(result: Estimation, written: list[str]) -> dict[str, Any]:
    from accord.reports.estimate_view import diagnostics_data, party_data
    from accord.services.estimate import contradiction_data

    n = result.negotiation
    return {
        "negotiation": n.id,
        "samples": result.samples,
        "seed": result.seed,
        "seconds": round(result.seconds, 3),
        "parties": {e.party.id: party_data(n, e.party, e.posterior, e.warnings) for e in result.estimates},
        "diagnostics": {
            "ok": result.ok,
            "parties": {e.party.id: diagnostics_data(e.posterior) for e in result.estimates},
        },
        "contradictions": [contradiction_data(n, c) for c in result.contradictions],
        "written": written,
    }


# -- text ---------------------------------------------------------------------------------------------


def _interval(s: Summary, digits: int = 3) -> str:
    return f"{s.mean:.{digits}f} ({s.low:.{digits}f}–{s.high:.{digits}f})"


def _option_text(negotiation: Negotiation, point: str, option: str) -> str:
    try:
        return negotiation.point(point).option(option).text
    except Exception:  # an option the framework does not name (never, for a model read whole)
        return option


def _print(result: Estimation) -> None:
    from rich.table import Table

    from accord.services.estimate import in_words

    n = result.negotiation
    console.print(
        f"{n.title}: {len(result.estimates)} part{'y' if len(result.estimates) == 1 else 'ies'} estimated, "
        f"{result.samples:,} samples each (seed {result.seed}), {result.seconds:.1f} s"
    )
    for found in result.estimates:
        posterior = found.posterior
        d = posterior.diagnostics
        pieces = len(posterior.evidence)
        console.print()
        console.print(
            f"{found.party.name} ({found.party.id}): {counted(pieces, 'piece')} of evidence; "
            + (
                f"diagnostics ok (ESS {d.ess:,.0f} of {d.particles:,}, R-hat {d.rhat:.3f})"
                if d.ok
                else f"DIAGNOSTICS FAILED: {'; '.join(d.problems) or 'see --json'}"
            ),
            markup=False,
        )
        weights = posterior.weight_summary()
        preferred = posterior.preferred()
        table = Table(title=f"{found.party.name}: weights and preferred options")
        table.add_column("#", justify="right")
        table.add_column("point")
        table.add_column("weight: prior", justify="right")
        table.add_column("posterior (90%)", justify="right")
        table.add_column("most preferred (chance)")
        table.add_column("least preferred (chance)")
        for point in n.points:
            if point.id not in weights:
                continue
            s = weights[point.id]
            (most, p_most), (least, p_least) = preferred[point.id]
            table.add_row(
                str(point.number),
                point.title,
                f"{s.prior_mean:.3f}",
                _interval(s),
                f"{_option_text(n, point.id, most)} ({p_most:.0%})",
                # a point of one option has no least preferred one
                "—" if least == most else f"{_option_text(n, point.id, least)} ({p_least:.0%})",
            )
        print_table(table)
        console.print(
            "Chance: how likely the option is the party's most (least) preferred on the point, by the "
            "estimate.",
            markup=False,
        )
        declared = n.preferences.get(found.party.id)
        if declared and declared.red_lines:
            console.print("Red lines declared, and the chance that each is one:")
            for r in declared.red_lines:
                point = n.point(r.point)
                console.print(
                    f"  point {point.number} {point.title!r}: {_option_text(n, r.point, r.option)!r}, "
                    f"{posterior.red_line_probability(r.point, r.option):.0%} likely to be a red line "
                    "(an option it rejects)",
                    markup=False,
                )
        r_value = posterior.reservation_summary()
        console.print(
            f"Reservation value: prior mean {r_value.prior_mean:.2f}, posterior {_interval(r_value, 2)}",
            markup=False,
        )
        slope = posterior.slope_summary()
        console.print(
            "How sharply its answers follow its preferences (the stance slope; 30, the prior's median, is "
            f"as consistent as roll-call votes): prior mean {slope.prior_mean:.0f}, posterior "
            f"{_interval(slope, 0)}",
            markup=False,
        )
        cut = posterior.cut_summary()
        console.print(
            "How wide its band of conditional answers (the cut; 1 is the prior's median): "
            f"prior mean {cut.prior_mean:.2f}, posterior {_interval(cut, 2)}",
            markup=False,
        )
        if posterior.influence:
            console.print(
                "Moved most by: "
                + "; ".join(f"{e.ref} ({moved:.3f})" for e, moved in posterior.influence[:5]),
                markup=False,
            )
    if result.contradictions:
        console.print()
        console.print("Where the declared estimates contradict the recorded stances (most surprising first):")
        for c in result.contradictions[:SHOWN_CONTRADICTIONS]:
            console.print(f"  • {in_words(n, c)}", markup=False)
        rest = len(result.contradictions) - SHOWN_CONTRADICTIONS
        if rest > 0:
            console.print(f"  … and {rest} more (--json lists every one)")


# -- plots --------------------------------------------------------------------------------------------


def _plots(result: Estimation, folder: Path) -> list[Path]:
    """Per party, its weights before and after the evidence: the chart of the estimate's page in the
    workbench (accord.reports.estimate_chart), drawn to PNG."""
    from dataclasses import asdict

    from accord.reports import vega
    from accord.reports.estimate_chart import weights_chart
    from accord.reports.estimate_view import weight_bands, weight_rows

    written = []
    for found in result.estimates:
        rows = [asdict(r) for r in weight_rows(result.negotiation, found.posterior)]
        spec = weights_chart(weight_bands(rows), f"{found.party.name}: weights before and after the evidence")
        written.append(vega.render(spec, folder / f"estimate-{found.party.id}.png"))
    return written


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate_command)
