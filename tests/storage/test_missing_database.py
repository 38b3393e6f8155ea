"""A missing database is never created by looking at it.

Only `accord init` (and `accord import`, which initialises an empty database itself) may create a
database; every other command, read-only or not, says `no record at URL; run `accord init`` and
leaves no file behind (SQLite would create an empty one on merely connecting). On PostgreSQL a
database that does not exist is a connection error: one line too.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from accord.errors import StorageError
from accord.storage.database import open_database
from accord.storage.unit_of_work import reading
from tests.cli_walk import COMMANDS, Command, assert_one_line_error, invoke, refuse_servers
from tests.postgres import fresh_database

CREATORS = {"init", "import"}  # the commands meant to create a database
# what the issue found creating an empty accord.db: each must refuse, naming the URL
READ_ONLY = [
    ["status"],
    ["negotiations"],
    ["export", "-o", "{scratch}/out.yaml"],
    ["draft", "list"],
    ["draft", "show", "1"],
    ["draft", "diff", "1", "2"],
    ["stance", "history"],
    ["meeting", "list"],
    ["audit", "log"],
    ["audit", "verify"],
    ["user", "list"],
    ["leaks", "rules"],
]


@pytest.fixture(autouse=True)
def _no_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    refuse_servers(monkeypatch)
    monkeypatch.chdir(tmp_path)  # the default database, accord.db, would land here


def _databases(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.rglob("*") if p.suffix in (".db", ".db-wal", ".db-shm", ".db-journal")
    )


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(c, id=c.name)
        for c in COMMANDS
        if c.parameter("db") is not None and c.name not in CREATORS
    ],
)
def test_no_command_but_init_and_import_creates_a_database(command: Command, tmp_path: Path) -> None:
    typo, scratch = tmp_path / "typo.db", tmp_path / "scratch"
    scratch.mkdir()
    result = invoke(command.argv(command.required_outputs(scratch) | {"db": [str(typo)]}))
    assert _databases(tmp_path) == [], f"`accord {command.name} --db typo.db` created a database"
    if result.exit_code != 0:
        line = assert_one_line_error(result, str(typo), "typo.")
        if line.startswith("StorageError: "):
            assert line == f"StorageError: no record at sqlite:///{typo}; run `accord init`"


@pytest.mark.parametrize("argv", READ_ONLY, ids=[" ".join(a[:2]) for a in READ_ONLY])
def test_a_read_only_command_on_a_missing_database_says_run_init(argv: list[str], tmp_path: Path) -> None:
    (tmp_path / "scratch").mkdir()
    typo = tmp_path / "typo.db"
    line = [a.replace("{scratch}", str(tmp_path / "scratch")) for a in argv]
    result = invoke([*line, "--db", str(typo)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"StorageError: no record at sqlite:///{typo}; run `accord init`\n"
    assert _databases(tmp_path) == []


@pytest.mark.parametrize("argv", READ_ONLY, ids=[" ".join(a[:2]) for a in READ_ONLY])
def test_an_empty_file_is_no_record_and_stays_empty(argv: list[str], tmp_path: Path) -> None:
    # a file made by another program, or by `touch`: looking at it writes no database's header into it
    (tmp_path / "scratch").mkdir()
    empty = tmp_path / "empty.txt"
    empty.touch()
    line = [a.replace("{scratch}", str(tmp_path / "scratch")) for a in argv]
    result = invoke([*line, "--db", str(empty)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"StorageError: no record at sqlite:///{empty}; run `accord init`\n"
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "scratch"], "no -wal or -shm beside it"


def test_the_default_database_is_not_created_either(tmp_path: Path) -> None:
    result = invoke(["status"])
    assert result.exit_code == 1
    assert result.stderr == "StorageError: no record at sqlite:///accord.db; run `accord init`\n"
    assert not (tmp_path / "accord.db").exists()


def test_nor_the_one_named_by_the_environment(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from accord.cli.app import app

    result = CliRunner().invoke(app, ["draft", "list"], env={"ACCORD_DATABASE_URL": "typo.db"})
    assert result.exit_code == 1
    assert result.stderr == "StorageError: no record at sqlite:///typo.db; run `accord init`\n"
    assert _databases(tmp_path) == []


def test_init_creates_it_and_then_the_commands_read_it(tmp_path: Path) -> None:
    db = str(tmp_path / "accord.db")
    assert invoke(["init", "--db", db]).exit_code == 0
    result = invoke(["negotiations", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [["init"], ["import", "examples/camp-david-1978.yaml"]])
def test_a_new_sqlite_database_is_readable_by_its_owner_only(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It holds every party's preferences and the password hashes: 0600, as the key file, whatever
    the umask; SQLite gives its -wal and -shm files the same."""
    import os
    import stat

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    db = tmp_path / "accord.db"
    old = os.umask(0o022)
    try:
        assert invoke([*argv, "--db", str(db)]).exit_code == 0
        with open_database(str(db)).engine.connect() as connection:  # the write-ahead log is open
            connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS probe (x)")
            connection.commit()
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("accord.db*")}
    finally:
        os.umask(old)
    assert modes and set(modes.values()) == {0o600}, modes


def test_init_in_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "no-such-folder"
    result = invoke(["init", "--db", str(folder / "accord.db")])
    line = assert_one_line_error(result, str(folder))
    assert line.startswith("StorageError: cannot create database")
    assert not folder.exists()


def test_reading_a_missing_sqlite_file_refuses_before_connecting(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "typo.db"))
    assert database.missing and database.schema_revision() is None
    refused = pytest.raises(StorageError, match=r"^no record at sqlite:///.*typo\.db; run `accord init`$")
    with refused, reading(database):
        pass
    assert not (tmp_path / "typo.db").exists()


def test_a_postgresql_database_without_the_schema_says_run_init(postgres: str) -> None:
    with fresh_database(postgres) as url:
        result = invoke(["draft", "list", "--db", url])
        line = assert_one_line_error(result, "accord_test_")
        assert line.startswith("StorageError: no record at postgresql") and line.endswith("run `accord init`")


def test_a_postgresql_database_that_does_not_exist_is_one_line(postgres: str) -> None:
    name = "accord_typo_database"
    url = f"{postgres}/{name}"
    for argv in (["status"], ["audit", "verify"], ["user", "list"]):
        line = assert_one_line_error(invoke([*argv, "--db", url]), name)
        assert line.startswith("StorageError: cannot open database")
    with psycopg.connect(f"{postgres}/postgres") as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchall()
    assert found == [], "nothing was created on the server"


def test_a_postgresql_server_that_is_not_there_is_one_line() -> None:
    url = "postgresql://nobody@127.0.0.1:1/accord"  # port 1: nothing listens
    line = assert_one_line_error(invoke(["status", "--db", url]), "127.0.0.1:1")
    assert line.startswith("StorageError: cannot open database")


@pytest.mark.parametrize(
    "argv",
    [
        ["init", "--key-file", "{scratch}/k.key"],
        ["import", str(Path(__file__).parents[2] / "examples" / "peace-framework-2025.yaml")],
    ],
)
def test_another_programs_database_gets_no_tables_of_accords(argv: list[str], tmp_path: Path) -> None:
    import sqlite3

    theirs = tmp_path / "theirs.db"
    with sqlite3.connect(theirs) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    result = invoke([*(a.replace("{scratch}", str(tmp_path)) for a in argv), "--db", str(theirs)])
    line = assert_one_line_error(result, "theirs.db")
    assert line == (
        f"StorageError: database sqlite:///{theirs} is not accord's: it holds other tables (notes); "
        "give accord a database of its own (--db or $ACCORD_DATABASE_URL)"
    )
    with sqlite3.connect(theirs) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == [("notes",)]
    assert not (tmp_path / "k.key").exists()


def test_nor_another_programs_postgresql_database(postgres: str) -> None:
    with fresh_database(postgres) as url:
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as theirs:
            theirs.execute("CREATE TABLE invoices (id INTEGER)")
        line = assert_one_line_error(invoke(["init", "--db", url]), "accord_test_")
        assert "is not accord's: it holds other tables (invoices)" in line
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as theirs:
            found = theirs.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        assert found == [("invoices",)]
