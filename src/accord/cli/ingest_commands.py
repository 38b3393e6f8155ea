"""`accord ingest REPORT`: read a report (a wire story, a read-out, a transcript) and propose entries
for the record, for a person to review; `accord ingest apply FILE`: write the accepted ones.

Two usages under one name: `accord ingest REPORT` reads (the `read` command, which a first word
that is no command name falls back to), `accord ingest apply FILE` writes.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
import typer.core

from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name, output_file
from accord.cli.output import console, print_json, reports_errors

if TYPE_CHECKING:
    from typer._click import Context

    from accord.services.ingest_apply import Applied

HELP = (
    "Read a report and propose record entries for review; apply the reviewed proposals.\n\n"
    "accord ingest REPORT [-n NEGOTIATION] [--report-date D] [--source-outlet NAME] [--source-url URL] "
    "[-o proposals.yaml] [--json]\n\n"
    "accord ingest apply FILE [--dry-run] [-n NEGOTIATION] [--as NAME] [--expect-revision N]\n\n"
    "REPORT is a text, Markdown, HTML, PDF or Word file, or - for the standard input. Each proposal (a "
    "meeting, a paper, a statement, a stance, an event, a person) carries the sentences it came from and "
    "a confidence. Review the proposals file (accept: false drops a proposal; edit any field), then apply "
    "it: all or nothing, every entry citing the report (docs/ingest.md)."
)


class _ReadOrApply(typer.core.TyperGroup):
    """`accord ingest REPORT ...` is `accord ingest read REPORT ...`: a first word that names no
    command (a file, -, an option) goes to `read`."""

    default_command = "read"

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: Context, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, "REPORT [OPTIONS] | apply FILE [OPTIONS]")


app = typer.Typer(help=HELP, no_args_is_help=True, cls=_ReadOrApply, add_completion=False)


@app.command("read")
@reports_errors
def read(
    report: Path = typer.Argument(
        ..., help="The report: a text, Markdown, HTML, PDF or Word file, or - for the standard input."
    ),
    report_date: str | None = typer.Option(
        None, "--report-date", help="The report's date, YYYY-MM-DD (default: from its dateline)."
    ),
    source_outlet: str | None = typer.Option(
        None, "--source-outlet", help="Who published it (Reuters, a ministry); kept with the report's source."
    ),
    source_url: str | None = typer.Option(
        None, "--source-url", help="Its web address (http or https); kept with the report's source."
    ),
    out: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        help="Write the proposals file (YAML) here and print a summary (default: the YAML on stdout).",
        callback=output_file,
    ),
    json: bool = JSON,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
) -> None:
    """Read a report and propose record entries, each with the sentences it came from.

    Meetings, papers, statements, stances, events and people, for a person to review: the YAML on
    stdout, or with -o written to a file and summed up."""
    from accord.cli.source_options import parse_day
    from accord.ingest.reading import read_report, report_from_bytes
    from accord.scenario.files import write_text_atomically
    from accord.scenario.proposals_file import dump_proposals, proposals_json
    from accord.services.ingest import propose
    from accord.storage.database import open_database

    day = parse_day(report_date, "--report-date") if report_date is not None else None
    text = report_from_bytes(sys.stdin.buffer.read(), "-") if str(report) == "-" else read_report(report)
    proposals = propose(
        open_database(db),
        negotiation,
        text,
        user=actor_name(None),
        report_date=day,
        outlet=source_outlet,
        url=source_url,
    )
    if out is None:
        if json:
            print_json(proposals_json(proposals))
        else:
            typer.echo(dump_proposals(proposals), nl=False)
        return
    write_text_atomically(out, dump_proposals(proposals))
    if json:
        print_json(proposals_json(proposals))
        return
    counts = Counter(p.kind.value for p in proposals.proposals)
    listed = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items()) or "none"
    console.print(f"wrote {out}: {len(proposals.proposals)} proposals ({listed})", markup=False)
    found = proposals.report
    if found.date is not None:
        console.print(f"report date: {found.date.isoformat()} ({found.date_rule or 'given'})", markup=False)
    else:
        console.print("report date: not found (give --report-date)", markup=False)
    for note in found.notes:
        console.print(f"note: {note}", markup=False)
    console.print(
        f"review it (accept: false drops a proposal), then: accord ingest apply {out}", markup=False
    )


@app.command("apply")
@reports_errors
def apply(
    file: Path = typer.Argument(..., help="The proposals file (YAML) `accord ingest REPORT -o FILE` wrote."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check everything and show what would be written; write nothing."
    ),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Write the accepted proposals of a reviewed file into the record, all or nothing.

    One audited transaction, every entry citing the report (a source with its text's SHA-256); the
    same proposals of the same report are never applied twice. --dry-run: what would be written."""
    from accord.scenario.proposals_file import load_proposals
    from accord.services.ingest_apply import apply_proposals
    from accord.storage.database import open_database
    from accord.storage.unit_of_work import reading

    database = open_database(db)
    with reading(database) as uow:  # the database first: a wrong one is named before the file is read
        uow.repository.summaries()
    proposals = load_proposals(file)  # into the negotiation it was read against, unless -n says otherwise
    applied = apply_proposals(
        database,
        negotiation,
        proposals,
        actor=actor_name(actor),
        file=str(file),
        dry_run=dry_run,
        expected_revision=expect_revision,
    )
    _print(applied)


def _print(applied: Applied) -> None:
    from accord.domain.proposals import ProposalKind

    would = "would be " if applied.dry_run else ""
    words = applied.source_words or applied.source
    source = f"source {words} ({'new' if applied.source_created else 'stored already'})"
    console.print(
        f"{'dry run: nothing written; ' if applied.dry_run else ''}{len(applied.written)} "
        f"entr{'y' if len(applied.written) == 1 else 'ies'} {would}written to {applied.negotiation}, "
        f"citing {source}:",
        markup=False,
    )
    for written in applied.written:
        # an entry by its key, which the record's commands take (`accord statement show statement-4`);
        # a stance has none of its own (its party, point and draft: the line says them by name)
        key = "" if written.kind is ProposalKind.STANCE else f" {written.key}"
        console.print(f"  {written.proposal}: {written.kind.value}{key}: {written.line}", markup=False)
    for proposal, reason in applied.skipped:
        console.print(f"  {proposal}: skipped: {reason}", markup=False)
    if applied.dropped:
        console.print(f"dropped (accept: false): {', '.join(applied.dropped)}", markup=False)
    if applied.revision is not None:
        console.print(f"revision {applied.revision}", markup=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="ingest")
