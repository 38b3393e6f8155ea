"""Every command shown in README.md and docs/*.md runs on the shipped examples and prints what is shown.

The rules, for whoever writes the docs:

- ```console blocks: a line starting with `$ ` is a command (a line ending in ` \\` goes on); the lines
  after it, up to the next command, are its output as shown. A line `…` (or `...`) stands for any
  number of lines; durations (`44 ms`, `1.2 s`) match any duration; runs of spaces and of a table's
  rules count as one (a column may be wider). No lines shown: the output is not compared. A command
  whose shown output starts with `SomeError:` must fail with status 1; every other one must succeed.
- ```sh blocks: every line that is not a comment is a command (` \\` goes on), and must succeed. In a
  synopsis `[...]` marks an optional part: the command runs without it, and the options named in it
  must exist.
- The commands of one document run in order, in a fresh folder holding a copy of examples/ and of
  tests/fixtures/docs/ (bad.yaml, the GENIUS files...), with `accord` the venv's. A password prompt
  reads PASSWORD (twice).
- `<!-- file: NAME -->` just before a block: the block is written to NAME before the document's commands
  run (the docs show the file, the test uses it).
- `<!-- output of: COMMAND -->` just before a ```json block: COMMAND runs, and its JSON has every field
  the block shows, of the same kind (object, list, text, number, null); `...` and `// comments` may
  stand in the block.
- `<!-- not run: REASON -->` just before a block: its commands are not run. Only commands that serve
  until stopped or need what a test run does not have (NOT_RUN below) may stand in such a block.
  Their `accord` commands, and every `accord ...` written as inline code, are still checked against
  the CLI: the command exists and takes every option named.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from accord.cli.app import loaded_command

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FIXTURES = ROOT / "tests" / "fixtures" / "docs"
BIN = Path(sys.executable).parent
PASSWORD = "docs-example-password"
WIDTH = "110"  # the terminal width the docs' tables were printed at

# what may stand in a `not run` block: servers that run until stopped, and what needs a cluster or root
NOT_RUN = (
    re.compile(r"^accord serve\b"),  # the workbench: runs until Ctrl-C
    re.compile(r"^make (demo|test)\b"),  # ends in `accord serve`; the whole suite
    re.compile(r"^\.ci/run\b"),  # installs packages as root, then runs every test
    re.compile(r"^dask (scheduler|worker)\b"),  # a Dask cluster: runs until stopped
    re.compile(r"^accord robustness .*--scheduler tcp://"),  # needs that cluster
)

MARKER = re.compile(r"^<!--\s*(file|output of|not run):\s*(.*?)\s*-->$")
ELLIPSIS = {"…", "..."}
ERROR_LINE = re.compile(r"^[A-Z][A-Za-z]*Error: ")
DURATION = re.compile(r"\b\d+(?:\.\d+)? ?(?:ms|s)\b")
PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_.]*$|^…$|^\.\.\.$")


@dataclass
class Command:
    line: int
    text: str
    shown: list[str] | None = None  # the output as the docs show it; None: not compared


@dataclass
class Block:
    line: int
    language: str
    body: list[str]
    marker: tuple[str, str] | None = None
    commands: list[Command] = field(default_factory=list)


def blocks_of(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, each with the marker comment just before it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[index])
        if not fence:
            index += 1
            continue
        before = lines[index - 1].strip() if index else ""
        marked = MARKER.match(before)
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        block = Block(index + 1, fence.group(1), lines[index + 1 : end])
        block.marker = (marked.group(1), marked.group(2)) if marked else None
        block.commands = _commands(block)
        found.append(block)
        index = end + 1
    return found


def _commands(block: Block) -> list[Command]:
    commands: list[Command] = []
    if block.language == "console":
        for offset, text in enumerate(block.body):
            if text.startswith("$ "):
                commands.append(Command(block.line + 1 + offset, text[2:], []))
            elif commands and commands[-1].text.endswith("\\"):
                commands[-1].text = commands[-1].text[:-1] + " " + text.strip()
            elif commands and commands[-1].shown is not None:
                commands[-1].shown.append(text)
        for command in commands:
            if command.shown is not None and not any(line.strip() for line in command.shown):
                command.shown = None
    elif block.language == "sh":
        going_on = False
        for offset, text in enumerate(block.body):
            if going_on:
                commands[-1].text = commands[-1].text[:-1] + " " + text.strip()
            elif text.strip() and not text.lstrip().startswith("#"):
                commands.append(Command(block.line + 1 + offset, text.strip()))
            going_on = bool(commands) and commands[-1].text.endswith("\\")
    return commands


def _without_options_in_brackets(command: str) -> str:
    return re.sub(r"\s\[[^\]]*\]", "", command)


# -- comparing output ---------------------------------------------------------------------------


def _normal(line: str) -> str:
    line = DURATION.sub("<duration>", line)
    line = re.sub(r"([━─═])\1+", r"\1", line)
    return re.sub(r"\s+", " ", line).strip()


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the printed lines are the shown ones, `…` standing for any number of lines."""
    want = [None if line.strip() in ELLIPSIS else _normal(line) for line in _trimmed(shown)]
    got = [_normal(line) for line in _trimmed(printed)]
    # can[i][j]: want[i:] matches got[j:]
    can = [[False] * (len(got) + 1) for _ in range(len(want) + 1)]
    can[len(want)][len(got)] = True
    for i in range(len(want) - 1, -1, -1):
        for j in range(len(got), -1, -1):
            if want[i] is None:
                can[i][j] = can[i + 1][j] or (j < len(got) and can[i][j + 1])
            else:
                can[i][j] = j < len(got) and want[i] == got[j] and can[i + 1][j + 1]
    return can[0][0]


def _same_kind(shown: Any, printed: Any, where: str) -> list[str]:
    """Where the printed JSON lacks a field the shown one has, or holds another kind of value."""
    if isinstance(shown, dict):
        if not isinstance(printed, dict):
            return [f"{where}: the docs show an object, the command prints {json.dumps(printed)[:60]}"]
        problems = []
        for key, value in shown.items():
            if key == "…":
                continue
            if key not in printed:
                problems.append(f"{where}.{key}: shown in the docs, not printed")
            else:
                problems += _same_kind(value, printed[key], f"{where}.{key}")
        return problems
    if isinstance(shown, list):
        if not isinstance(printed, list):
            return [f"{where}: the docs show a list, the command prints {json.dumps(printed)[:60]}"]
        if shown and printed:
            return _same_kind(shown[0], printed[0], f"{where}[0]")
        return []
    kinds = {type(None): "null", bool: "true/false", int: "number", float: "number", str: "text"}
    if kinds[type(shown)] != kinds.get(type(printed), "?"):
        return [f"{where}: the docs show {json.dumps(shown)}, the command prints {json.dumps(printed)[:60]}"]
    return []


def _shown_json(body: list[str]) -> Any:
    """The docs' JSON with its `// comments` and `...` stand-ins made plain JSON."""
    text = "\n".join(re.sub(r"\s//.*$", "", line) for line in body)
    text = re.sub(r"\{\s*(\.\.\.|…)\s*\}", '{"…": true}', text)
    text = re.sub(r",\s*(\.\.\.|…)\s*(?=[\]}])", "", text)
    return json.loads(text)


# -- checking commands against the CLI, without running them -------------------------------------

CLI = loaded_command()


def cli_problems(command: str) -> list[str]:
    """What in an `accord ...` command the CLI does not have: an unknown command or option."""
    problems = []
    for part in re.split(r"&&|\|\||[|;]", command.replace("[", " ").replace("]", " ")):
        try:
            words = shlex.split(part, comments=True)
        except ValueError:
            words = part.split()
        if not words or words[0] != "accord":
            continue
        current: Any = CLI  # Typer's own click (typer._click) or click: groups have `commands`
        words = words[1:]
        while hasattr(current, "commands") and words and not words[0].startswith("-"):
            if PLACEHOLDER.match(words[0]):  # `accord COMMAND --help`
                break
            found = current.commands.get(words[0])
            default = getattr(current, "default_command", None)  # `accord ingest REPORT` is `ingest read`
            if found is None and default in current.commands:
                current = current.commands[default]
                break
            if found is None:
                problems.append(f"`{command}`: accord has no command {words[0]!r}")
                break
            current, words = found, words[1:]
        options = {"--help"} | {o for p in current.params for o in (*p.opts, *p.secondary_opts)}
        for word in words:
            name = word.split("=", 1)[0]
            is_option = name.startswith("-") and name not in ("-", "--") and not re.match(r"^-\d", name)
            if is_option and name not in options:
                problems.append(f"`{command}`: {current.name!r} has no option {name}")
    return problems


def inline_commands(path: Path) -> list[str]:
    """The `accord ...` commands written as inline code in the prose (outside fenced blocks)."""
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    spans = re.findall(r"`([^`]+)`", text)
    return [" ".join(span.split()) for span in spans if span.split()[:1] == ["accord"]]


# -- running a document's commands ---------------------------------------------------------------


def _environment(home: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    environment.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        HOME=str(home),
        COLUMNS=WIDTH,
        LINES="50",
        NO_COLOR="1",
        TERM="dumb",
        LC_ALL="C.UTF-8",
        ACCORD_USER="docs",
        MPLBACKEND="Agg",
    )
    return environment


def run(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=_environment(folder),
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=600,
        start_new_session=True,  # no terminal: a password prompt reads stdin
    )


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs-run"
    shutil.copytree(ROOT / "examples", folder / "examples")
    for fixture in FIXTURES.iterdir():
        shutil.copy(fixture, folder / fixture.name)
    return folder


def _report(doc: Path, command: Command, result: subprocess.CompletedProcess[str], why: str) -> str:
    printed = (result.stdout + result.stderr).rstrip().splitlines()
    shown = "\n".join(command.shown or [])
    return (
        f"{doc.name}:{command.line}: `{command.text}` {why} (status {result.returncode})\n"
        f"--- shown in the docs:\n{shown}\n--- printed:\n" + "\n".join(printed[:80])
    )


def _run_document(doc: Path, folder: Path) -> list[str]:
    failures = []
    blocks = blocks_of(doc)
    for block in blocks:
        if block.marker and block.marker[0] == "file":
            (folder / block.marker[1]).write_text("\n".join(block.body) + "\n", encoding="utf-8")
    for block in blocks:
        if block.marker and block.marker[0] == "not run":
            continue
        for command in block.commands:
            result = run(_without_options_in_brackets(command.text), folder)
            printed = (result.stdout + result.stderr).splitlines()
            fails = bool(command.shown) and any(ERROR_LINE.match(line) for line in command.shown[:1])
            if "Traceback (most recent call last)" in result.stderr:
                failures.append(_report(doc, command, result, "printed a traceback"))
            elif fails and result.returncode != 1:
                failures.append(_report(doc, command, result, "should fail with status 1"))
            elif not fails and result.returncode != 0:
                failures.append(_report(doc, command, result, "failed"))
            elif command.shown is not None and not matches(command.shown, printed):
                failures.append(_report(doc, command, result, "printed something else"))
        if block.marker and block.marker[0] == "output of" and block.language == "json":
            result = run(block.marker[1], folder)
            try:
                printed_json = json.loads(result.stdout)
            except json.JSONDecodeError:
                failures.append(f"{doc.name}:{block.line}: `{block.marker[1]}` printed no JSON")
                continue
            for problem in _same_kind(_shown_json(block.body), printed_json, "output"):
                failures.append(f"{doc.name}:{block.line}: `{block.marker[1]}`: {problem}")
    return failures


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_every_command_in_the_docs_runs_and_prints_what_is_shown(doc: Path, tmp_path: Path) -> None:
    failures = _run_document(doc, _folder(tmp_path))
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_every_accord_command_in_the_docs_exists_with_the_options_named(doc: Path) -> None:
    shown = inline_commands(doc)
    for block in blocks_of(doc):
        shown += [command.text for command in block.commands]
        if block.marker and block.marker[0] == "output of":
            shown.append(block.marker[1])
    problems = [problem for command in shown for problem in cli_problems(command)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_blocks_that_are_not_run_hold_only_servers_and_cluster_commands(doc: Path) -> None:
    for block in blocks_of(doc):
        if block.marker and block.marker[0] == "not run":
            assert block.marker[1], f"{doc.name}:{block.line}: say why the block is not run"
            for command in block.commands:
                assert any(rule.match(command.text) for rule in NOT_RUN), (
                    f"{doc.name}:{command.line}: `{command.text}` can run in a test: take it out of the "
                    "`not run` block"
                )
        for command in block.commands:
            if not block.marker or block.marker[0] != "not run":
                assert not any(rule.match(command.text) for rule in NOT_RUN[:4]), (
                    f"{doc.name}:{command.line}: `{command.text}` never ends: mark its block `not run`"
                )


def test_the_comparison_elides_and_ignores_widths_and_durations() -> None:
    assert matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "…", "b"], ["a", "b"])
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert matches(["│ nash │ 44 ms │"], ["│ nash   │ 130 ms │"])
    assert matches(["┏━━━┳━━┓"], ["┏━━━━━━┳━━┓"])
    assert not matches(["draft v4 created"], ["draft v5 created"])
    assert _same_kind({"draft": {"version": 3}}, {"draft": None}, "output")
    assert not _same_kind(
        _shown_json(['{"a": [1, ...], "b": {...}, "c": null}']), {"a": [2], "b": {}, "c": None}, "o"
    )
