"""Start-up is a feature: the CLI loads a command's module (and its heavy libraries) only when it runs.

A guard on what is imported, not a timing (bench/startup.py times it).
"""

from __future__ import annotations

import json
import subprocess
import sys

import typer
import typer.main

from accord.cli.app import COMMANDS, app, load_command

HEAVY = (
    "sqlalchemy",
    "alembic",
    "scipy",
    "highspy",
    "ortools",
    "matplotlib",
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
