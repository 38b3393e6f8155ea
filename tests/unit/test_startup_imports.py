"""Start-up is a feature: the CLI loads a command's module (and its heavy libraries) only when it runs.

A guard on what is imported, not a timing (bench/startup.py times it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main

from accord.cli.app import COMMANDS, app, load_command

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "sqlalchemy",
    "alembic",
    "scipy",
    "highspy",
    "ortools",
    "matplotlib",
    "altair",
    "vl_convert",
    "fastapi",
    "argon2",
    "numpy",
    "jsonschema",
    "yaml",
    "accord.engine",
    "accord.storage",
    "accord.services",
)


def _imported_by(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout.splitlines()[-1]
    return {
        name.split(".")[0] if not name.startswith("accord.") else ".".join(name.split(".")[:2])
        for name in json.loads(out)
    }


def test_importing_the_cli_app_pulls_in_no_heavy_library() -> None:
    loaded = _imported_by("import accord.cli.app")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_root_help_loads_no_command_module() -> None:
    code = (
        "import sys\n"
        "from accord.cli.app import app\n"
        "sys.argv = ['accord', '--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    loaded = _imported_by(code)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert not any(name.endswith("_commands") for name in loaded)


def test_every_commands_help_loads_no_heavy_library() -> None:
    """`accord COMMAND --help` (and a group's) loads the command's module, never what it runs on: the
    storage, the engine, the services and their libraries are imported when the command runs."""
    probe = (
        "import contextlib, io, json, sys\n"
        "from accord.cli.app import COMMANDS, main\n"
        "loaded = {}\n"
        "for name, _, _ in COMMANDS:\n"
        "    before = set(sys.modules)\n"
        "    sys.argv = ['accord', name, '--help']\n"
        "    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "        main()\n"
        "    loaded[name] = sorted(set(sys.modules) - before)\n"
        "print(json.dumps(loaded))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120, cwd=ROOT
    ).stdout.splitlines()[-1]
    heavy = {
        name: sorted({m for m in modules if m.split(".")[0] in HEAVY or ".".join(m.split(".")[:2]) in HEAVY})
        for name, modules in json.loads(out).items()
    }
    assert len(heavy) == len(COMMANDS)
    assert not any(heavy.values()), {name: found for name, found in heavy.items() if found}


def test_the_command_table_matches_the_modules_registrations() -> None:
    """Every command the modules register is listed once, in order, with its own first help paragraph."""
    modules = dict.fromkeys(module for _, mods, _ in COMMANDS for module in mods)
    scratch = typer.Typer()
    for module in modules:
        __import__(f"accord.cli.{module}", fromlist=["register"]).register(scratch)
    real = typer.main.get_command(scratch)
    assert isinstance(real, typer.core.TyperGroup)
    assert sorted(real.commands) == sorted(name for name, _, _ in COMMANDS)
    for name, mods, shown in COMMANDS:
        command = real.commands[name]
        assert not command.hidden
        text = command.short_help or command.help or ""
        assert shown == text.split("\n\n")[0], name
        assert load_command(name, mods).name == name


def test_a_lazy_command_runs_and_shows_its_own_help() -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["$schema"]
    result = CliRunner().invoke(app, ["draft", "--help"])
    assert result.exit_code == 0
    assert "export" in result.output  # added to the group by leak_commands
    result = CliRunner().invoke(app, ["solv"])
    assert result.exit_code != 0


def test_no_command_offers_shell_completion_in_its_help() -> None:
    """`accord --help` offers no shell completion, so neither does any command (a module registering a
    single command used to bring Typer's --install-completion/--show-completion with it)."""
    from typer.testing import CliRunner

    for name, _, _ in COMMANDS:
        result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (name, result.output)
        assert "--install-completion" not in result.output, name


def _run_main(*argv: str, then_exit: bool = False) -> str:
    """Code that runs `accord ARGV` as the console script does (accord.cli.app.main)."""
    run = "main()\n" if then_exit else "try:\n    main()\nexcept SystemExit:\n    pass\n"
    return f"import sys\nfrom accord.cli.app import main\nsys.argv = ['accord', *{list(argv)!r}]\n{run}"


NOT_FOR_HELP = ("rich.markdown", "markdown_it", "rich.traceback", "rich.syntax", "pygments", "pydantic")


def _modules_loaded_by(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout.splitlines()[-1]
    return set(json.loads(out))


def test_help_and_usage_errors_load_neither_markdown_nor_tracebacks_nor_pydantic() -> None:
    # (`accord solve` alone reads the stored negotiation: an option without its value is the usage error)
    for argv in (["--help"], ["solve", "--help"], ["solv"], ["solve", "--top"]):
        loaded = _modules_loaded_by(_run_main(*argv))
        assert "typer.rich_utils" in loaded, argv  # drawn by rich, as always
        unwanted = {m for m in loaded if m.split(".")[0] in NOT_FOR_HELP or m in NOT_FOR_HELP}
        assert not unwanted, (argv, sorted(unwanted))


def test_solving_a_valid_file_loads_neither_pydantic_nor_jsonschema() -> None:
    code = _run_main("solve", "examples/peace-framework-2025.yaml", "--concept", "nash", "--json")
    loaded = {
        name.split(".")[0] for name in _modules_loaded_by(f"import os\nos.chdir({str(ROOT)!r})\n{code}")
    }
    assert "accord" in loaded and "numpy" in loaded  # it did solve
    assert not loaded & {"pydantic", "jsonschema", "referencing"}, sorted(loaded & {"pydantic", "jsonschema"})


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["solve", "--help"],
        ["draft", "export", "--help"],
        ["solv"],
        ["solve", "--top"],
        ["solve", "examples/camp-david-1978.yaml", "--top", "abc"],
        ["solve", "examples/camp-david-1978.yaml", "--top", "0"],
        ["show", "examples/camp-david-1978.yaml", "--party", "egypt"],
    ],
)
def test_the_quick_start_up_prints_exactly_what_typer_would(argv: list[str]) -> None:
    """Help pages and usage errors are the same byte for byte with and without accord's start-up
    shortcuts (accord.cli.quick_help, accord.cli.coercion)."""
    quick = _run_main(*argv, then_exit=True)
    stock = (
        "import sys, typer.rich_utils\n"  # loaded whole, before quick_help could step in
        "import accord.cli.coercion as coercion\n"
        "coercion.quicken = lambda command: command\n"  # Typer's own coercion, through Pydantic
        "from accord.cli.app import app\n"
        f"sys.argv = ['accord', *{argv!r}]\n"
        "app()\n"
    )
    env = {**os.environ, "COLUMNS": "100"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
        )
        for code in (quick, stock)
    ]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr == runs[1].stderr
    assert runs[0].returncode == runs[1].returncode
