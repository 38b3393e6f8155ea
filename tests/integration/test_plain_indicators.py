"""Indicators that never mislead (issue 15 item 4): a draft that breaks demands never reads as optimal,
`solve` names the demands it breaks, a concept's robustness row says in words how often it is that
concept's package, `contested` explains its metric and reads the recorded stances, and the words are
plain (option text, not keys)."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner, Result

from accord.analysis.standing import standing_of
from accord.cli.app import app
from accord.scenario import load
from tests.conftest import EXAMPLES

runner = CliRunner()
FLAGSHIP = str(EXAMPLES / "peace-framework-2025.yaml")
COALITION = str(EXAMPLES / "coalition-agreement.yaml")


def _run(*args: str, columns: int = 80) -> Result:
    """The command's output at ``columns`` wide (the console takes COLUMNS once, when first made)."""
    from accord.cli.output import console

    before = console._width  # None: the console follows the terminal
    console.width = columns
    try:
        result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    finally:
        console._width = before
    assert result.exit_code == 0, result.output
    return result


def _flat(text: str) -> str:
    """The output with Rich's table borders and wrapping taken out, for phrases a cell wraps."""
    return re.sub(r"\s+", " ", re.sub(r"[│┃┏┓┗┛┡┩└┘━─╇┳┻╋┼┬┴├┤┣┫]", " ", text))


def _last_column(table: str) -> str:
    """The last column of a Rich table, its wrapped lines joined."""
    cells = [line.split("│")[-2].strip() for line in table.splitlines() if line.count("│") > 2]
    return " ".join(c for c in cells if c)


def test_a_draft_that_breaks_demands_has_no_distance_but_names_them() -> None:
    rounds = {r.version: r for r in standing_of(load(FLAGSHIP)).rounds}
    v3 = rounds[3]
    assert v3.broken, "draft D breaks Russia's red lines"
    assert v3.distance_to_frontier is None, "a 0 would read as 'optimal'"
    assert v3.frontier_text == "breaks 5 demands of Russian Federation"
    territory = next(d for d in v3.broken if d.point == "territory")
    assert territory.kind == "red_line" and territory.party_names == ("Russian Federation",)
    assert territory.option_text == "Lines frozen at the line of contact; territory left unresolved"
    assert "Russian Federation's red line on point 21 (Territory)" in territory.text


def test_a_draft_that_breaks_nothing_keeps_its_distance() -> None:
    v2 = {r.version: r for r in standing_of(load(COALITION)).rounds}[2]
    assert not v2.broken and v2.distance_to_frontier == 0.0
    assert v2.frontier_text == "0.000 (no package gives every party more)"


def test_status_shows_which_demands_a_draft_breaks_instead_of_a_distance_at_80_columns() -> None:
    result = _run("status", FLAGSHIP)
    table = result.output.split("Convergence, version by version")[1].split("└")[0]
    assert "0.000" not in table, "no distance for a draft that breaks demands"
    assert _last_column(table).endswith("breaks 5 demands of Russian Federation")
    assert "v3 breaks 5 demands of Russian Federation:" in result.output
    flat = _flat(result.output)
    assert (
        "Russian Federation's red line on point 21 (Territory): option "
        "'Lines frozen at the line of contact; territory left unresolved'" in flat
    )


def test_status_json_keeps_the_distance_key_and_adds_the_broken_demands() -> None:
    data = json.loads(_run("status", FLAGSHIP, "--json").output)
    v3 = data["rounds"][-1]
    assert v3["version"] == 3 and "distance_to_frontier" in v3 and v3["distance_to_frontier"] is None
    assert v3["breaks_demands"] is True
    assert v3["frontier_text"] == "breaks 5 demands of Russian Federation"
    assert {d["option_text"] for d in v3["broken"] if d["point"] == "territory"} == {
        "Lines frozen at the line of contact; territory left unresolved"
    }
    coalition = json.loads(_run("status", COALITION, "--json").output)
    assert coalition["rounds"][-1]["breaks_demands"] is False
    assert coalition["rounds"][-1]["distance_to_frontier"] == 0.0


def test_solve_lists_the_demands_the_draft_breaks_in_words() -> None:
    result = _run("solve", FLAGSHIP, "--draft", "3", columns=160)
    flat = _flat(result.output)
    assert "│ breaks 5 demands │" in result.output, "the table says how many, the list under it which"
    assert "Draft 3 breaks 5 demand(s):" in result.output
    assert "Russian Federation's red line on point 8 (NATO troops in Ukraine): option 'Not addressed'" in flat
