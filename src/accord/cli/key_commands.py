"""`accord keys init|show|move-secrets`: the key file that signs checkpoints and seals fingerprint secrets."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.options import ACTOR, DB, actor_name, output_file
from accord.cli.output import console, reports_errors

app = typer.Typer(
    help="The key file, kept outside the database: it signs audit checkpoints and seals the "
    "fingerprint secrets of leak-traceable copies.",
    no_args_is_help=True,
)

KEY_FILE = typer.Option(
    None,
    "--key-file",
    help="The key file. Default: $ACCORD_KEY_FILE, else next to an SQLite database (accord.db -> "
    "accord.key), else ~/.config/accord/HOST-DBNAME.key.",
    show_default=False,
)


def resolve_key_path(db: str | None, key_file: str | None) -> Path:
    from accord import keys
    from accord.storage.database import database_url

    return keys.key_path(database_url(db), key_file)


@app.command("init")
@reports_errors
def init(
    key_file: str | None = KEY_FILE,
    db: str | None = DB,
    public_key: Path | None = typer.Option(
        None,
        "--public-key",
        help="Where to write the public key file (default: KEY_FILE.pub).",
        callback=output_file,
    ),
) -> None:
    """Write a new key file (mode 0600; never overwrites one) and its public key file."""
    from accord import keys

    path = resolve_key_path(db, key_file)
    public = public_key or keys.public_path(path)
    key = keys.create(path, public)
    console.print(f"key file written: {path} (mode 0600; keep it secret, back it up)")
    console.print(f"public key: {public} ({key.key_id})")


@app.command("show")
@reports_errors
def show(
    key_file: str | None = KEY_FILE,
    db: str | None = DB,
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Also write the public key file here (to publish or hand out).",
        callback=output_file,
    ),
) -> None:
    """Print the key's id (its public key); the secret parts are never printed."""
    from accord import keys

    path = resolve_key_path(db, key_file)
    public = keys.load_public(path)
    if output is not None:
        keys.write_public(output, public)
    console.print(f"{path}: {public.key_id}")


@app.command("move-secrets")
@reports_errors
def move_secrets(key_file: str | None = KEY_FILE, db: str | None = DB, actor: str | None = ACTOR) -> None:
    """Seal the fingerprint secrets a database still keeps in the clear under the key file (one
    audited write per negotiation); copies exported before are traced as before."""
    from accord.services import leaks
    from accord.storage.database import open_database

    database = open_database(db)
    moved = leaks.move_secrets(database, resolve_key_path(db, key_file), actor=actor_name(actor))
    if moved:
        console.print(f"fingerprint secrets sealed under the key file: {', '.join(moved)}")
    else:
        console.print("no fingerprint secret is kept in the clear: nothing to move")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="keys")
