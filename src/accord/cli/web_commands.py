"""`accord serve` (the web workbench) and `accord user ...` (accounts and seats)."""

from __future__ import annotations

import getpass
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from accord.cli.key_commands import KEY_FILE
from accord.cli.options import ACTOR, DB, actor_name, output_folder, port_number
from accord.cli.output import console, reports_errors
from accord.cli.tables import print_table
from accord.errors import DomainError
from accord.security.policy import SeatRole
from accord.web.capacity import REQUEST_THREADS

if TYPE_CHECKING:
    from accord.storage.database import Database

# The services and the storage are imported in each command, when it runs: `accord serve --help` and
# `accord users --help` then answer at once (the accounts' module hashes, the storage loads SQLAlchemy
# and Alembic).

users = typer.Typer(
    help="Accounts of the web workbench and their seats at negotiations.", no_args_is_help=True
)


@users.command("add")
@reports_errors
def add(
    username: str = typer.Argument(..., help="The log-in name."),
    name: str = typer.Option("", "--name", help="The full name shown in the workbench."),
    password: str | None = typer.Option(
        None, "--password", help="The password (asked for when left out; at least 10 characters)."
    ),
    db: str | None = DB,
    actor: str | None = ACTOR,
) -> None:
    """Add an account (its password is stored as an argon2id hash)."""
    from accord.services import accounts
    from accord.storage.database import open_database

    database = open_database(db)
    database.require_schema()  # before the password is asked for: a wrong --db costs no typing
    if password is None:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise DomainError("the two passwords differ")
    accounts.add_user(database, username, name, password, actor=actor_name(actor))
    console.print(f"user {username} added")


@users.command("password")
@reports_errors
def password_(
    username: str = typer.Argument(..., help="The log-in name."),
    password: str | None = typer.Option(
        None, "--password", help="The new password (asked for when left out; at least 10 characters)."
    ),
    db: str | None = DB,
    actor: str | None = ACTOR,
) -> None:
    """Give an account a new password (the audit log records that it changed, never the password); the
    account's sessions end, so whoever logged in with the old one is logged out."""
    from accord.services import accounts
    from accord.storage.database import open_database

    database = open_database(db)
    database.require_schema()
    accounts.require_user(database, username)  # before the typing, as add checks --db first
    if password is None:
        password = getpass.getpass("new password: ")
        if getpass.getpass("again: ") != password:
            raise DomainError("the two passwords differ")
    accounts.set_password(database, username, password, actor=actor_name(actor))
    console.print(f"password of {username} changed")


@users.command("grant")
@reports_errors
def grant(
    username: str = typer.Argument(...),
    negotiation: str = typer.Argument(..., help="The stored negotiation."),
    role: SeatRole = typer.Option(..., "--role", help="mediator, member (of --party) or observer."),
    party: str | None = typer.Option(None, "--party", help="The party a member belongs to."),
    db: str | None = DB,
    actor: str | None = ACTOR,
) -> None:
    """Seat a user at a negotiation: as its mediator, a member of a party, or an observer."""
    from accord.services import accounts
    from accord.storage.database import open_database

    accounts.grant(open_database(db), username, negotiation, role, party, actor=actor_name(actor))
    console.print(f"{username}: {role.value}" + (f" of {party}" if party else "") + f" in {negotiation}")


@users.command("revoke")
@reports_errors
def revoke(
    username: str = typer.Argument(...),
    negotiation: str = typer.Argument(..., help="The stored negotiation."),
    db: str | None = DB,
    actor: str | None = ACTOR,
) -> None:
    """Unseat a user from a negotiation: from its next request on, it sees nothing of it (audited)."""
    from accord.services import accounts
    from accord.storage.database import open_database

    accounts.revoke(open_database(db), username, negotiation, actor=actor_name(actor))
    console.print(f"{username}: no longer seated in {negotiation}")


@users.command("list")
@reports_errors
def list_(db: str | None = DB) -> None:
    """Every seat of every user."""
    from accord.services import accounts
    from accord.storage.database import open_database

    table = Table(title="Seats")
    for column in ("user", "negotiation", "role", "party"):
        table.add_column(column)
    for g in accounts.grants(open_database(db)):
        table.add_row(g.username, g.negotiation, g.role, g.party or "")
    print_table(table)


@reports_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", callback=port_number, help="The TCP port (1 to 65535)."),
    db: str | None = DB,
    demo: bool = typer.Option(
        False,
        "--demo",
        help="The flagship example with demo accounts: in a temporary SQLite database (removed when the "
        "server stops), or in --db: a fresh one, or one that holds the flagship already (as `make demo` "
        "builds), whose demo accounts are added.",
    ),
    https_only: bool = typer.Option(False, "--https", help="Mark cookies Secure (when served behind HTTPS)."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Server processes (sessions are in the database)."
    ),
    threads: int = typer.Option(
        REQUEST_THREADS,
        "--threads",
        min=1,
        help="Request threads per process (the engine has threads of its own); more processes serve "
        "more than more threads.",
    ),
    max_body_bytes: int | None = typer.Option(
        None,
        "--max-body-bytes",
        min=1,
        help="Refuse request bodies larger than this (default: $ACCORD_MAX_BODY_BYTES, else 1,000,000).",
    ),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="The addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed "
        "(comma-separated; '*' for any). By default none: the log-in throttle counts the connection's "
        "own address.",
    ),
    key_file: str | None = KEY_FILE,
    checkpoint_every: float | None = typer.Option(
        None,
        "--checkpoint-every",
        min=0.01,
        help="Sign a checkpoint of the audit log every MINUTES (when it grew) into --checkpoint-dir.",
        metavar="MINUTES",
    ),
    checkpoint_dir: Path = typer.Option(
        Path("checkpoints"),
        "--checkpoint-dir",
        help="Where scheduled checkpoints are written.",
        callback=output_folder,
    ),
    language: str | None = typer.Option(
        None,
        "--language",
        help="The pages' language: one with a catalogue (default: $ACCORD_LANGUAGE, else en; "
        "docs/translating.md).",
    ),
) -> None:
    """Run the web workbench (pages for the mediator and each party, and the JSON API at /docs)."""
    from accord.storage.database import open_database

    if max_body_bytes is not None:  # every process's app reads it (accord.config)
        os.environ["ACCORD_MAX_BODY_BYTES"] = str(max_body_bytes)
    from accord.web import translations  # the web's own: only when it serves

    if language is not None:  # every process's app reads it
        os.environ[translations.LANGUAGE_VARIABLE] = language
    named = "--language" if language is not None else f"${translations.LANGUAGE_VARIABLE}"
    # refused here, before any process starts
    translations.catalogue(translations.chosen_language(), translations.chosen_locale(), named)
    temporary = None  # the demo's own folder, removed when the server stops
    if demo and db is None:
        temporary = Path(tempfile.mkdtemp(prefix="accord-demo-"))
        db = str(temporary / "accord.db")
    try:
        database = open_database(db)
        try:
            _serve(
                database,
                demo,
                host,
                port,
                https_only,
                workers,
                threads,
                forwarded_allow_ips,
                key_file,
                checkpoint_every,
                checkpoint_dir,
            )
        finally:
            database.dispose()  # SQLite folds its write-ahead log into the file when the last one closes
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
            console.print("the demo's temporary database is removed")


def _serve(
    database: Database,
    demo: bool,
    host: str,
    port: int,
    https_only: bool,
    workers: int,
    threads: int,
    forwarded_allow_ips: str | None,
    key_file: str | None,
    checkpoint_every: float | None,
    checkpoint_dir: Path,
) -> None:
    import uvicorn

    from accord import keys
    from accord.services.demo import open_demo
    from accord.web.app import create_app
    from accord.web.asgi import proxy_options, serve_in_processes
    from accord.web.requests_in_flight import shared_directory
    from accord.web.schedule import schedule

    _require_free(host, port)  # before the demo's accounts and the "workbench on" line
    if demo:
        rows = open_demo(database)
        table = Table(title=f"Demo log-ins ({database.shown_url})")
        for column in ("user", "password", "seat"):
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        print_table(table)
    else:
        database.require_schema()
    if key_file:  # the key file of this server's copies and checkpoints, in every process
        os.environ[keys.ENVIRONMENT_VARIABLE] = key_file
    plan = None
    if checkpoint_every is not None:
        plan = schedule(checkpoint_dir, checkpoint_every, keys.key_path(database.url, key_file))
        console.print(f"audit checkpoints every {checkpoint_every:g} minutes into {checkpoint_dir}")
    console.print(f"accord workbench on http://{host}:{port}  (API: http://{host}:{port}/docs)")
    if workers == 1:
        app = create_app(database, https_only=https_only, threads=threads, checkpoints=plan)
        uvicorn.run(app, host=host, port=port, log_level="warning", **proxy_options(forwarded_allow_ips))
        return
    # several processes: each builds the app from the environment (accord.web.asgi)
    os.environ["ACCORD_DATABASE_URL"] = database.url
    os.environ["ACCORD_HTTPS"] = "1" if https_only else "0"
    os.environ["ACCORD_THREADS"] = str(threads)
    if checkpoint_every is not None:
        os.environ["ACCORD_CHECKPOINT_EVERY"] = str(checkpoint_every)
        os.environ["ACCORD_CHECKPOINT_DIR"] = str(checkpoint_dir)
    shared_directory()  # the processes' counts of requests in flight, which their jobs wait on
    serve_in_processes(host, port, workers, forwarded_allow_ips)


def _require_free(host: str, port: int) -> None:
    """A one-line refusal when the server could not listen at ``host:port`` (a port in use, a host
    that is not this machine's), instead of announcing the workbench and then the server's error.
    Every address the host names is tried, as the server binds them all."""
    import errno
    import socket

    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        why = error.strerror if isinstance(error, socket.gaierror) else "not a host name"
        raise DomainError(f"--host: cannot serve on {host[:80]!r}: {why}") from None
    for family, kind, proto, _, address in addresses:
        try:
            probe = socket.socket(family, kind, proto)
        except OSError:
            continue  # a family this machine lacks: the server skips it too
        with probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server sets it
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRNOTAVAIL:
                    raise DomainError(
                        f"--host: cannot serve on {host!r}: {error.strerror} (not an address of this "
                        "machine; 127.0.0.1 serves this machine only, 0.0.0.0 every network)"
                    ) from None
                raise DomainError(
                    f"--port: cannot serve on {host}:{port}: {error.strerror}"
                    + (
                        " (another server there?); choose another --port"
                        if error.errno == errno.EADDRINUSE
                        else ""
                    )
                ) from None


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="user")
    app.command("serve")(serve)
