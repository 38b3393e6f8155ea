"""Terminal tables never cut what a user must read or type (issue 15, item 6).

Every command that prints a table runs at 80 columns, on the flagship and the coalition example
(imported into an SQLite file where the command reads the record: the rendering does not depend
on the database); no line may hold an ellipsis, no line may be wider than the terminal, and the
identifiers a user types (slugs, concept names, statuses, party ids) appear whole.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app
from tests.conftest import EXAMPLES

runner = CliRunner()
FLAGSHIP = str(EXAMPLES / "peace-framework-2025.yaml")
COALITION = str(EXAMPLES / "coalition-agreement.yaml")
PEACE = ["--negotiation", "peace-framework-2025"]

# each command, and words that must appear whole in its output
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "negotiations": (["negotiations"], ["peace-framework-2025", "veldland-coalition"]),
    "draft list": (["draft", "list", *PEACE], ["circulated", "Ukraine", "Federation"]),
    "draft list (coalition)": (["draft", "list", "--negotiation", "veldland-coalition"], ["Vandermaar"]),
    "solve": (["solve", FLAGSHIP, "--draft", "3"], ["kalai-smorodinsky", "egalitarian", "utilitarian"]),
    "solve (coalition)": (["solve", COALITION, "--draft", "2"], ["kalai-smorodinsky", "acceptable"]),
    "solve --sweep-power": (["solve", FLAGSHIP, "--sweep-power", "russia=1:3:3"], ["optimal"]),
    "status": (["status", *PEACE], ["conditional", "Zaporizhzhia"]),
    "show": (["show", FLAGSHIP], ["Russia-Ukraine", "non-aggression", "conditional"]),
    "show (coalition)": (["show", COALITION], ["christian-democrats", "social-democrats"]),
    "contested": (["contested", FLAGSHIP], ["territory"]),
    "robustness": (
        ["robustness", FLAGSHIP, "--draft", "3", "--concepts", "all", "--samples", "2000", "--resolves", "2"],
        ["kalai-smorodinsky", "egalitarian"],
    ),
    "frontier": (["frontier", FLAGSHIP], ["Federation"]),
    "adjusted-winner": (["adjusted-winner", FLAGSHIP, "--party", "russia", "--party", "ukraine"], []),
    "preferences show": (["preferences", "show", "russia", *PEACE], ["de-facto-recognition"]),
    "stance history": (
        ["stance", "history", *PEACE],
        ["Ukraine rejects point 21 (Territory) of draft v1", "mediator-desk"],
    ),
    "meeting list": (["meeting", "list", *PEACE], ["States"]),
    "paper list": (["paper", "list", *PEACE], ["united-states"]),
    "person list": (["person", "list", *PEACE], []),
    "source list": (["source", "list", *PEACE], []),
    "statement list": (["statement", "list", *PEACE], []),
    "event list": (["event", "list", *PEACE], []),
    "timeline": (["timeline", *PEACE], []),
    "audit log": (["audit", "log"], ["mediator-desk", "peace-framework-2025"]),
}
# a sentence that says how much more --json lists is not a cut
ALLOWED = ("  … and ",)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('tables') / 'accord.db'}"
    for example in (FLAGSHIP, COALITION):
        result = runner.invoke(app, ["import", example, "--db", url], env={"ACCORD_USER": "mediator-desk"})
        assert result.exit_code == 0, result.output
    return url


def _run(args: list[str], database: str, columns: int) -> Result:
    """The command at ``columns`` wide (the console takes COLUMNS once, when first made: set it too)."""
    from accord.cli.output import console

    before = console._width
    console.width = columns
    try:
        env = {"COLUMNS": str(columns), "ACCORD_USER": "mediator-desk", "ACCORD_DATABASE_URL": database}
        return runner.invoke(app, args, env=env)
    finally:
        console._width = before


@pytest.mark.parametrize("name", list(COMMANDS))
def test_nothing_is_cut_at_80_columns(name: str, database: str) -> None:
    args, whole = COMMANDS[name]
    result = _run(args, database, 80)
    assert result.exit_code == 0, result.output
    cut = [line for line in result.output.splitlines() if "…" in line and not line.startswith(ALLOWED)]
    assert not cut, f"{name}: cut at 80 columns:\n" + "\n".join(cut[:5])
    table_lines = [line for line in result.output.splitlines() if line[:1] in "┏┃┡│└"]
    assert all(len(line) <= 80 for line in table_lines), f"{name}: a table wider than the terminal"
    for word in whole:
        assert word in result.output, f"{name}: {word!r} not shown whole"


def test_a_wide_terminal_shows_one_row_per_line(database: str) -> None:
    result = _run(["negotiations"], database, 200)
    rows = [line for line in result.output.splitlines() if line.startswith("│")]
    assert len(rows) == 2 and "peace-framework-2025" in rows[0]
