"""`accord audit log|verify`: the tamper-evident audit log."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.options import DB, JSON, NEGOTIATION
from accord.cli.output import console, errors, print_json, reports_errors
from accord.services import audit
from accord.storage.database import open_database

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


@app.command("log")
@reports_errors
def log(
    negotiation: str | None = NEGOTIATION,
    last: int | None = typer.Option(None, "--last", help="Only the newest N entries."),
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """Every write, oldest first: who, when, what, and the hashes that chain the entries."""
    entries = audit.entries(open_database(db), negotiation, last)
    if as_json:
        print_json([e.__dict__ for e in entries])
        return
    table = Table(title="Audit log")
    for column in ("#", "when", "who", "action", "negotiation", "what", "hash"):
        table.add_column(column)
    for e in entries:
        table.add_row(
            str(e.seq), e.recorded_at[:19], e.actor, e.action, e.negotiation or "", e.summary, e.hash[:12]
        )
    console.print(table)


@app.command("verify")
@reports_errors
def verify(db: str | None = DB, as_json: bool = JSON) -> None:
    """Check the chain and the stored record against it; exit 1 naming the first bad entry."""
    result = audit.check(open_database(db))
    if as_json:
        print_json(
            {
                "ok": result.ok,
                "entries": result.entries,
                "problems": [{"entry": p.seq, "message": p.message} for p in result.problems],
            }
        )
    elif result.ok:
        console.print(f"audit log intact: {result.entries} entries chained, the stored record matches")
    else:
        first = result.first_bad
        assert first is not None
        errors.print(f"AuditError: the audit log does not verify; first bad: {first}", markup=False)
        for problem in result.problems[1:]:
            errors.print(f"  also: {problem}", markup=False)
    if not result.ok:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
