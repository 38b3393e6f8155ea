"""`accord audit log|verify|checkpoint`: the tamper-evident audit log and its signed checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.key_commands import KEY_FILE, resolve_key_path
from accord.cli.options import DB, JSON, NEGOTIATION, output_file
from accord.cli.output import console, errors, print_json, reports_errors
from accord.cli.tables import print_table

if TYPE_CHECKING:
    from accord.checkpoints import Checkpoint

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


@app.command("log")
@reports_errors
def log(
    negotiation: str | None = NEGOTIATION,
    last: int | None = typer.Option(None, "--last", min=1, help="Only the newest N entries."),
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """Every write, oldest first: who, when, what, and the hashes that chain the entries."""
    from accord.services import audit
    from accord.storage.database import open_database

    entries = audit.entries(open_database(db), negotiation, last)
    if as_json:
        print_json([e.__dict__ for e in entries])
        return
    from accord.reports.audit_words import action_words

    table = Table(title="Audit log")
    for column in ("#", "when", "who", "action", "negotiation", "what", "hash"):
        table.add_column(column)
    for e in entries:
        table.add_row(
            str(e.seq),
            e.recorded_at[:19],
            escape(e.actor),
            action_words(e.action),  # in words ("preferences changed"); --json keeps the stored action
            escape(e.negotiation or ""),
            escape(e.summary),
            e.hash[:12],
        )
    print_table(table)


CHECKPOINTS = typer.Option(
    None,
    "--checkpoint",
    help="A signed checkpoint (repeat): the log must extend each one (not cut, not rewritten).",
    show_default=False,
)
PUBLIC_KEY = typer.Option(
    None,
    "--public-key",
    help="The public key file checkpoints must be signed with (default: the key file's public half).",
    show_default=False,
)


@app.command("verify")
@reports_errors
def verify(
    db: str | None = DB,
    as_json: bool = JSON,
    checkpoint: list[Path] | None = CHECKPOINTS,
    public_key: Path | None = PUBLIC_KEY,
    key_file: str | None = KEY_FILE,
) -> None:
    """Check the chain, the stored record and the accounts against it, and that the log extends every
    --checkpoint; exit 1 naming the first bad entry (or the checkpoint that does not verify)."""
    from accord.services import audit
    from accord.storage.database import open_database

    trusted = _checkpoints(checkpoint or [], db, public_key, key_file)
    result = audit.check(open_database(db), trusted)
    if as_json:
        print_json(
            {
                "ok": result.ok,
                "entries": result.entries,
                "problems": [{"entry": p.seq, "message": p.message} for p in result.problems],
                "checkpoints": [
                    {"file": c.name, "entries": c.entries, "head": c.head, "time": c.time} for c in trusted
                ],
            }
        )
    elif result.ok:
        console.print(f"audit log intact: {result.entries} entries chained, the stored record matches")
        for c in trusted:
            console.print(f"  extends checkpoint {c.name}: {_entries(c.entries)}, signed {c.time}")
    else:
        first = result.first_bad
        assert first is not None
        errors.print(f"AuditError: the audit log does not verify; first bad: {first}", markup=False)
        for problem in result.problems[1:]:
            errors.print(f"  also: {problem}", markup=False)
    if not result.ok:
        raise typer.Exit(1)


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def _checkpoints(
    files: list[Path], db: str | None, public_key: Path | None, key_file: str | None
) -> list[Checkpoint]:
    """The checkpoint files, each authenticated against the trusted public key (CheckpointError
    naming the file otherwise)."""
    if not files:
        return []
    from accord import checkpoints, keys
    from accord.errors import CheckpointError

    source = public_key or resolve_key_path(db, key_file)
    trusted = keys.load_public(source)
    found = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not text"
            raise CheckpointError(f"cannot read checkpoint {file}: {reason}") from None
        found.append(checkpoints.read(text, str(file), trusted, f"from {source}"))
    return found


@app.command("checkpoint")
@reports_errors
def checkpoint(
    output: Path = typer.Option(
        ..., "--output", "-o", help="The checkpoint file to write (text).", callback=output_file
    ),
    db: str | None = DB,
    key_file: str | None = KEY_FILE,
) -> None:
    """Sign the chain's head (entry count, last hash, time) with the key file: a small text file to
    publish or mail, which `accord audit verify --checkpoint FILE` later holds the log to."""
    from accord import keys
    from accord.errors import CheckpointError
    from accord.services import audit
    from accord.storage.database import open_database

    key = keys.load(resolve_key_path(db, key_file))
    taken = audit.checkpoint(open_database(db), key)
    try:
        output.write_text(taken.text(), encoding="utf-8")
    except OSError as error:
        raise CheckpointError(f"cannot write checkpoint {output}: {error.strerror}") from None
    console.print(
        f"checkpoint {output}: {_entries(taken.entries)}, head {taken.head[:12]}, signed {taken.time}"
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
