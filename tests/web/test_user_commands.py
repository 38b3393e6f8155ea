"""`accord user add/grant/revoke/list` manage accounts and seats from the command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app
from accord.services.accounts import viewer_of
from accord.storage.database import open_database
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_add_a_user_and_seat_them(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    env = {"ACCORD_USER": "admin", "COLUMNS": "160"}
    assert (
        runner.invoke(
            app, ["import", str(EXAMPLES / "peace-framework-2025.yaml"), "--db", db], env=env
        ).exit_code
        == 0
    )
    added = runner.invoke(
        app, ["user", "add", "oleh", "--name", "Oleh", "--password", "a-long-password", "--db", db], env=env
    )
    assert added.exit_code == 0, added.output
    granted = runner.invoke(
        app,
        [
            "user",
            "grant",
            "oleh",
            "peace-framework-2025",
            "--role",
            "member",
            "--party",
            "ukraine",
            "--db",
            db,
        ],
        env=env,
    )
    assert granted.exit_code == 0, granted.output
    listed = runner.invoke(app, ["user", "list", "--db", db], env=env)
    assert "oleh" in listed.output and "ukraine" in listed.output
    seat = viewer_of(open_database(db), "oleh").seat("peace-framework-2025")
    assert seat is not None and (seat.role.value, seat.party) == ("member", "ukraine")
    log = runner.invoke(app, ["audit", "log", "--db", db, "--json"], env=env).output
    assert '"user.grant"' in log and '"user.add"' in log
    revoked = runner.invoke(app, ["user", "revoke", "oleh", "peace-framework-2025", "--db", db], env=env)
    assert revoked.exit_code == 0, revoked.output
    assert "oleh: no longer seated in peace-framework-2025" in revoked.output
    assert viewer_of(open_database(db), "oleh").seat("peace-framework-2025") is None
    again = runner.invoke(app, ["user", "revoke", "oleh", "peace-framework-2025", "--db", db], env=env)
    assert again.exit_code == 1 and "oleh has no seat at 'peace-framework-2025'" in again.stderr
    assert '"user.revoke"' in runner.invoke(app, ["audit", "log", "--db", db, "--json"], env=env).output
    assert "audit log intact" in runner.invoke(app, ["audit", "verify", "--db", db], env=env).output


def test_bad_seats_and_passwords_are_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    env = {"ACCORD_USER": "admin"}
    runner.invoke(app, ["import", str(EXAMPLES / "peace-framework-2025.yaml"), "--db", db], env=env)
    short = runner.invoke(app, ["user", "add", "x", "--password", "short", "--db", db], env=env)
    assert short.exit_code == 1 and "at least 10 characters" in short.stderr
    runner.invoke(app, ["user", "add", "y", "--password", "a-long-password", "--db", db], env=env)
    for args, words in (
        (["--role", "member"], "give --party"),
        (["--role", "member", "--party", "atlantis"], "no party 'atlantis'"),
        (["--role", "member", "--party", "united-states"], "not a party"),
    ):
        result = runner.invoke(
            app, ["user", "grant", "y", "peace-framework-2025", *args, "--db", db], env=env
        )
        assert result.exit_code == 1 and words in result.stderr, result.stderr
