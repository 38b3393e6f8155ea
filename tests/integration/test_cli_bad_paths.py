"""Ordinary mistakes never show a traceback.

Every command registered on the Typer app is walked (so a command added tomorrow is covered too) and
given, one at a time: a missing input file, an output in a folder that does not exist, an output
under a regular file (so it cannot be written; the tests run as root, where permissions would not
stop them), and a database in a folder that does not exist or a file that is no database. Each
answer is one line naming the file, exit status 1 (2 for a usage error), never a traceback.

Which parameters are files, outputs and the database is read from the parameters (tests/cli_walk.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli_walk import (
    COMMANDS,
    FLAGSHIP,
    Command,
    Parameter,
    assert_one_line_error,
    invoke,
    refuse_servers,
)
from tests.conftest import EXAMPLES


def _with(predicate: Any) -> list[Any]:
    return [
        pytest.param(c, p, id=f"{c.name}:{p.name}") for c in COMMANDS for p in c.parameters if predicate(p)
    ]


INPUTS = _with(lambda p: p.is_input)
OUTPUTS = _with(lambda p: p.is_output)
WITH_DB = [pytest.param(c, id=c.name) for c in COMMANDS if c.parameter("db") is not None]


def test_the_walk_finds_the_commands_and_their_files() -> None:
    names = {c.name for c in COMMANDS}
    assert {"validate", "frontier", "status", "export", "draft export", "trace", "serve", "user add"} <= names
    assert {"preferences show", "preferences set"} <= names
    inputs = {(x.values[0].name, x.values[1].name) for x in INPUTS}
    assert inputs >= {("trace", "file"), ("import-genius", "profiles"), ("draft new", "amendments_file")}
    # `accord ingest REPORT` is `accord ingest read REPORT`; the proposals file goes to `ingest apply`
    assert inputs >= {("ingest read", "report"), ("ingest apply", "file")}
    # an analysis reads a scenario FILE, or without one the stored negotiation (--db)
    assert inputs >= {(name, "file") for name in ("solve", "frontier", "robustness", "status")}
    analyses = {"solve", "diagnose", "improve", "frontier", "robustness", "status"}
    assert {x.values[0].name for x in WITH_DB} >= analyses
    outputs = {(x.values[0].name, x.values[1].name) for x in OUTPUTS}
    assert outputs >= {
        ("frontier", "plot"),
        ("status", "plot"),
        ("export", "output"),
        ("draft export", "output"),
        ("ingest read", "out"),
    }
    assert not inputs & outputs


# commands whose --db only says where something else goes (the key file next to it)
NEVER_OPEN_THE_DATABASE = {"keys init"}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding accord.db (initialised, the flagship imported, a paper with content to get)
    and whatever init puts next to it."""
    folder = tmp_path_factory.mktemp("recorded")
    db = str(folder / "accord.db")
    paper = ["paper", "add", "--text", "a paper's text", "--id", "walk-paper", "--db", db]
    for argv in (["init", "--db", db], ["import", str(FLAGSHIP), "--db", db], paper):
        result = invoke(argv)
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def db(recorded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the recorded database, so that no case sees another's writes."""
    monkeypatch.chdir(tmp_path)  # nothing lands in the checkout
    copy = tmp_path / "record"
    shutil.copytree(recorded, copy)
    return str(copy / "accord.db")


@pytest.fixture(autouse=True)
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    refuse_servers(monkeypatch)


def _given(command: Command, db: str, scratch: Path) -> dict[str, list[str]]:
    """The good database, and a fresh place for every output the command requires."""
    given = command.required_outputs(scratch)
    if command.parameter("db") is not None:
        given["db"] = [db]
    return given


@pytest.mark.parametrize(("command", "parameter"), INPUTS)
def test_a_missing_input_file_is_one_line_naming_it(
    command: Command, parameter: Parameter, db: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-input.yaml"
    given = _given(command, db, tmp_path) | {parameter.name: [str(missing)]}
    result = invoke(command.argv(given))
    if result.exit_code == 0 and not parameter.required:
        # an option only read together with others (a public key with --checkpoint): give every
        # file option of the command a missing file
        for other in command.parameters:
            if other.is_input and not other.required:
                given[other.name] = [str(tmp_path / f"no-such-{other.name}")]
        result = invoke(command.argv(given))
    assert_one_line_error(result, "no-such-")


@pytest.mark.parametrize(("command", "parameter"), OUTPUTS)
def test_an_output_in_a_missing_folder_is_one_line_naming_it(
    command: Command, parameter: Parameter, db: str, tmp_path: Path
) -> None:
    folder = tmp_path / "no-such-folder"
    given = _given(command, db, tmp_path) | {parameter.name: [str(folder / "out.png")]}
    assert_one_line_error(invoke(command.argv(given)), "no-such-folder")
    assert not folder.exists(), "the missing folder is not created"


@pytest.mark.parametrize(("command", "parameter"), OUTPUTS)
def test_an_output_that_cannot_be_written_is_one_line_naming_it(
    command: Command, parameter: Parameter, db: str, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-regular-file"
    blocker.write_text("not a folder\n")
    given = _given(command, db, tmp_path) | {parameter.name: [str(blocker / "out.png")]}
    assert_one_line_error(invoke(command.argv(given)), "a-regular-file")
    assert blocker.read_text() == "not a folder\n"


# what a command needs besides its output to get as far as writing it
TO_THE_WRITE = {
    "solve": {"sweep": ["russia=0.5:2:3"]},
    "robustness": {"draft": ["3"]},
    "paper get": {"key": ["walk-paper"]},
    "brief": {"format": ["html"], "samples": ["0"]},
}
# serve makes its checkpoint folder when the first checkpoint is due, with the server running
WRITTEN_LATER = {("serve", "checkpoint_dir")}


WRITTEN_AT_ONCE = [x for x in OUTPUTS if (x.values[0].name, x.values[1].name) not in WRITTEN_LATER]


@pytest.mark.parametrize(("command", "parameter"), WRITTEN_AT_ONCE)
def test_an_output_the_system_refuses_is_named_as_given_never_by_its_temporary_file(
    command: Command, parameter: Parameter, db: str, tmp_path: Path
) -> None:
    """/sys takes no new file, not even from root: the write itself fails (after the checks of the
    options, which see a folder that exists), and the message names the path the user gave."""
    refused = Path("/sys/accord-out.png")
    assert refused.parent.is_dir() and not refused.exists()
    given = _given(command, db, tmp_path) | TO_THE_WRITE.get(command.name, {})
    if command.name == "keys init":  # a database without a key file next to it yet
        given["db"] = [str(tmp_path / "accord.db")]
    given[parameter.name] = [str(refused)]
    line = assert_one_line_error(invoke(command.argv(given)), str(refused))
    assert ".tmp" not in line and ".part" not in line, line


@pytest.mark.parametrize("command", WITH_DB)
def test_a_database_in_a_missing_folder_is_one_line_naming_it(
    command: Command, db: str, tmp_path: Path
) -> None:
    folder = tmp_path / "no-such-folder"
    result = invoke(command.argv(command.required_outputs(tmp_path) | {"db": [str(folder / "accord.db")]}))
    assert_one_line_error(result, "no-such-folder")
    assert not folder.exists(), "nothing is created on the way"


@pytest.mark.parametrize("command", WITH_DB)
def test_a_database_that_is_no_database_is_one_line_naming_it(
    command: Command, db: str, tmp_path: Path
) -> None:
    text = tmp_path / "notes.db"
    text.write_text("these are notes, not a database\n" * 100)
    result = invoke(command.argv(command.required_outputs(tmp_path) | {"db": [str(text)]}))
    if result.exit_code != 0 or command.name not in NEVER_OPEN_THE_DATABASE:
        # the database, or a file named after it (the key file next to it)
        assert_one_line_error(result, str(tmp_path / "notes."))
    assert text.read_text() == "these are notes, not a database\n" * 100


# the cases the issue reported, one by one


def test_trace_of_a_missing_file(db: str) -> None:
    line = assert_one_line_error(invoke(["trace", "missing.pdf", "--db", db]), "missing.pdf")
    assert line.startswith("FileNotFoundError: ")


def test_trace_of_a_file_that_is_no_draft_text(db: str) -> None:
    line = assert_one_line_error(invoke(["trace", "/bin/ls", "--db", db]), "/bin/ls")
    assert "vNone" not in line


def test_trace_of_a_text_without_a_fingerprint(db: str, tmp_path: Path) -> None:
    text = tmp_path / "letter.txt"
    text.write_text("Dear colleagues, the weather in Geneva is fine.\n")
    result = invoke(["user", "list", "--db", db])  # the database is fine
    assert result.exit_code == 0, result.output
    # a copy must exist for a trace to be attempted at all
    made = invoke(["draft", "export", "1", "--for", "russia", "-o", str(tmp_path / "copy.md"), "--db", db])
    assert made.exit_code == 0, made.output
    line = assert_one_line_error(invoke(["trace", str(text), "--db", db]), str(text))
    assert "fingerprint" in line


@pytest.mark.parametrize("port", ["80000", "-1", "65536"])
def test_serve_refuses_a_port_out_of_range_before_any_work(port: str, tmp_path: Path) -> None:
    made = set(Path("/tmp").glob("accord-demo-*"))
    result = invoke(["serve", "--demo", "--port", port, "--db", str(tmp_path / "demo.db")])
    assert_one_line_error(result, port)
    assert result.exit_code == 2
    assert not (tmp_path / "demo.db").exists(), "no demo was built"
    assert set(Path("/tmp").glob("accord-demo-*")) == made


@pytest.mark.parametrize(
    "argv",
    [
        ["frontier", str(EXAMPLES / "camp-david-1978.yaml"), "--plot", "{missing}/chart.png"],
        ["status", "--plot", "{missing}/plots", "--db", "{db}"],
        ["export", "-o", "{missing}/out.yaml", "--db", "{db}"],
        ["draft", "export", "1", "--for", "russia", "-o", "{missing}/copy.md", "--db", "{db}"],
    ],
    ids=["frontier", "status", "export", "draft export"],
)
def test_the_reported_outputs_into_a_missing_folder(argv: list[str], db: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    line = assert_one_line_error(
        invoke([a.replace("{missing}", str(missing)).replace("{db}", db) for a in argv]), str(missing)
    )
    assert ".tmp" not in line and ".part" not in line
    assert not missing.exists()


def test_an_output_the_system_refuses_is_one_line(db: str) -> None:
    """Past the up-front checks (root may write anywhere, as far as access() knows), the write fails."""
    result = invoke(["export", "-o", "/sys/accord-out.yaml", "--db", db])
    line = assert_one_line_error(result, "/sys/")
    assert line.startswith(("PermissionError: ", "FileNotFoundError: ", "OSError: "))


def test_a_missing_scenario_file_is_one_line() -> None:
    line = assert_one_line_error(invoke(["validate", "nope.yaml"]), "nope.yaml")
    assert line.startswith("ScenarioError: nope.yaml")


SEEDED = {
    "estimate": ["estimate", str(FLAGSHIP), "--samples", "40"],
    "robustness": ["robustness", str(FLAGSHIP), "--draft", "3", "--samples", "100", "--resolves", "0"],
    "solve": [
        "solve",
        str(FLAGSHIP),
        "--concept",
        "nash",
        "--posterior",
        "--posterior-samples",
        "40",
        "--force",
    ],
    "improve": ["improve", str(FLAGSHIP), "--draft", "3"],
    "brief": ["brief", str(FLAGSHIP), "--samples", "100"],
}


def test_every_command_with_a_seed_is_walked_below() -> None:
    assert {c.name for c in COMMANDS if c.parameter("seed") is not None} == set(SEEDED)


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
@pytest.mark.parametrize("name", sorted(SEEDED))
def test_a_seed_out_of_range_is_one_line_saying_what_a_seed_is(name: str, seed: str, tmp_path: Path) -> None:
    argv = [*SEEDED[name], "--seed", seed]
    if name == "brief":
        argv += ["-o", str(tmp_path / "brief.html")]
    line = assert_one_line_error(invoke(argv), "seed")
    assert "expected a whole number from 0 to 4,294,967,295" in line, line
    assert not (tmp_path / "brief.html").exists()


def test_serve_on_a_port_in_use_is_one_line_before_any_announcement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    refuse_servers(monkeypatch)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = invoke(["serve", "--demo", "--port", port, "--db", str(tmp_path / "demo.db")])
    line = assert_one_line_error(result, port)
    assert line.startswith("DomainError: --port: cannot serve on 127.0.0.1:") and "in use" in line
    assert "accord workbench on" not in result.stdout


@pytest.mark.parametrize(
    ("host", "said"),
    [("10.255.255.1", "not an address of this machine"), ("a" * 70, "not a host name")],
)
def test_serve_on_a_host_that_is_not_this_machines_names_the_host(
    host: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_servers(monkeypatch)
    result = invoke(["serve", "--demo", "--host", host, "--port", "8797", "--db", str(tmp_path / "d.db")])
    line = assert_one_line_error(result, host[:20])
    assert line.startswith("DomainError: --host: cannot serve on") and said in line
