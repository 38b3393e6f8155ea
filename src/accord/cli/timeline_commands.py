"""`accord timeline`: the chronology of the talks in date order, each entry with its sources."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from accord.cli.options import DB, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.errors import AccordError, DomainError

KIND_HELP = "Only this kind (repeat): meeting, paper, statement, event, draft, circulation, stance."


def _plot_target(value: Path | None) -> Path | None:
    """The --plot file, checked before any work: a .png or .svg in a folder that can be written
    into (a one-line DomainError naming --plot otherwise)."""
    if value is None:
        return None
    from accord.cli.options import output_file

    if value.suffix.lower() not in (".png", ".svg"):
        raise DomainError(f"--plot: cannot draw {value.name!r}; expected a file name ending in .png or .svg")
    try:
        return output_file(value)
    except typer.BadParameter as problem:
        raise DomainError(f"--plot: {problem.message}") from None


@reports_errors
def timeline(
    start: str | None = typer.Option(None, "--from", help="From this day on, YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--to", help="Up to this day (included), YYYY-MM-DD."),
    party: str | None = typer.Option(
        None, "--party", help="Only the entries involving this party (its id or name)."
    ),
    kind: list[str] = typer.Option([], "--kind", help=KIND_HELP),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
    plot: Path | None = typer.Option(
        None,
        "--plot",
        help="Also draw the timeline to this file (.png or .svg): one lane per kind (or --lanes party).",
    ),
    lanes: str = typer.Option("kind", "--lanes", help="The plot's lanes: kind or party."),
) -> None:
    """The talks in date order: meetings, papers, statements, events, drafts, stances, with sources.

    Circulations (which draft went to whom, when) are entries too; each entry says in plain words
    what happened, and names the parties involved. An approximate date is shown in its words ("in the
    coming days") and marked; entries without a date come last. A date range (--from, --to) leaves
    out the entries without a day.
    """
    from accord.services.timeline import filters_from, for_command_line, undrawn_words
    from accord.storage.database import open_database

    if lanes not in ("kind", "party"):
        raise DomainError(f"--lanes: {lanes!r} is not a way to draw lanes; expected kind or party")
    filters = filters_from(start, end, party, kind)
    target = _plot_target(plot)
    found = for_command_line(open_database(db), negotiation, user=actor_name(None), filters=filters)
    if as_json:
        print_json([entry.data() for entry in found.entries])
    else:
        _print(found, filtered=bool(start or end))
    if target is not None:
        from accord.reports import vega
        from accord.reports.record_charts import timeline_chart

        if not found.entries:
            raise AccordError("no entries to draw: the timeline (with these filters) is empty")
        spec = timeline_chart(
            found.entries,
            lambda _entry: None,
            title=f"Timeline: {found.negotiation.title}",
            lanes=lanes,
            listed=True,
        )
        written = vega.render(spec, target)
        typer.echo(f"wrote {written}", err=as_json)
        if found.undrawn:  # as the workbench's timeline says under its chart
            typer.echo(f"not in the picture: {undrawn_words(len(found.undrawn))}", err=as_json)


def _print(found: object, *, filtered: bool = False) -> None:
    from rich.text import Text

    from accord.services.timeline import Timeline

    assert isinstance(found, Timeline)
    if not found.entries:
        if filtered or found.party or found.kinds:  # the record may hold entries these leave out
            console.print("no entries for these filters (--from, --to, --party, --kind)", markup=False)
        else:
            console.print(
                "no entries: record meetings, statements, events with `accord meeting add`, ...",
                markup=False,
            )
        return
    table = Table(title=f"Timeline: {found.negotiation.title}")
    for column in ("date", "kind", "what happened", "parties", "sources"):
        table.add_column(column, overflow="fold")
    for entry in found.entries:
        when = entry.when + (" (approx.)" if entry.approximate else "")
        table.add_row(
            Text(when),
            Text(entry.kind.value),
            Text(entry.summary),
            Text(", ".join(entry.party_names)),
            Text("; ".join(s.label + (f" {s.url}" if s.url else "") for s in entry.sources)),
        )
    print_table(table)


def register(root: typer.Typer) -> None:
    root.command("timeline")(timeline)
