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
    table = result.output.split("Convergence, draft by draft")[1].split("└")[0]
    assert "0.000" not in table, "no distance for a draft that breaks demands"
    assert _last_column(table).endswith("breaks 5 demands of Russian Federation")
    assert "Draft D breaks 5 demands of Russian Federation:" in result.output
    flat = _flat(result.output)
    assert (
        "Russian Federation's red line on point 21 (Territory): option "
        "'Lines frozen at the line of contact; territory left unresolved'" in flat
    )


def test_status_names_each_draft_as_the_briefing_does_never_by_its_version_key() -> None:
    # the briefing says "draft D" for the flagship's v3 (reports.brief_words.draft_name): so does status
    from accord.reports.brief_words import draft_name

    flagship = load(FLAGSHIP)
    names = {d.version: draft_name(d) for d in flagship.drafts}
    assert names == {1: "draft A", 2: "draft B (E3)", 3: "draft D"}
    result = _run("status", FLAGSHIP)
    assert result.output.startswith(f"{flagship.title}: stances on draft D\n")
    table = result.output.split("Convergence, draft by draft")[1].split("└")[0]
    first = [line.split("│")[1].strip() for line in table.splitlines() if line.count("│") > 2]
    assert [cell for cell in first if cell] == ["A", "B (E3)", "D"]
    for said in ("Draft A breaks 5 demands", "Draft B (E3) breaks 2 demands", "Draft D breaks 5 demands"):
        assert said in result.output
    assert not re.search(r"\bv[123]\b", result.output), "no version key anywhere"
    data = json.loads(_run("status", FLAGSHIP, "--json").output)
    assert data["draft"] == 3 and [r["version"] for r in data["rounds"]] == [1, 2, 3], "--json keeps them"


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
    assert "Draft 3 breaks 5 demands:" in result.output
    assert "Russian Federation's red line on point 8 (NATO troops in Ukraine): option 'Not addressed'" in flat


def _rows(table: str) -> dict[str, str]:
    """A Rich table's rows by their first cell, each row's last cell with its wrapped lines joined."""
    rows: dict[str, list[str]] = {}
    current = None
    for line in table.splitlines():
        if line.count("│") < 3:
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells[0]:
            current = cells[0]
            rows[current] = []
        if current is not None and cells[-1]:
            rows[current].append(cells[-1])
    return {name: " ".join(parts) for name, parts in rows.items()}


ROBUSTNESS = ("robustness", FLAGSHIP, "--samples", "2000", "--resolves", "20", "--draft", "3")


def test_a_concepts_robustness_row_says_in_words_how_often_it_is_that_concepts_package() -> None:
    result = _run(*ROBUSTNESS, "--concepts", "nash,egalitarian,leximin", columns=160)
    assert "P(is" not in result.output
    rows = _rows(result.output.split("Candidates: how likely each is to hold")[1].split("└")[0])
    assert re.fullmatch(r"the Nash package in \d+% \(\d+–\d+%\)", rows["nash"]), rows["nash"]
    # egalitarian and leximin agree on the flagship: one row says both
    assert re.fullmatch(
        r"the egalitarian package in (\d+)% \((\d+–\d+)%\) the leximin package in \1% \(\2%\)",
        rows["egalitarian"],
    ), rows["egalitarian"]
    assert rows["draft v3"] == "no concept's package"
    assert "each concept solved again 20 times" in result.output


def test_robustness_json_gives_each_concepts_share_with_its_interval_in_words() -> None:
    data = json.loads(_run(*ROBUSTNESS, "--concepts", "nash", "--json").output)
    nash = next(c for c in data["candidates"] if c["name"] == "nash")
    assert nash["concepts"] == ["nash"] and "best_by" in nash
    [share] = nash["concept_shares"]
    assert share["resolves"] == 20 and share["low"] <= share["share"] <= share["high"]
    assert (
        share["text"].startswith("is the Nash package in ")
        and "of 20 re-solves (95% interval" in share["text"]
    )
    draft = next(c for c in data["candidates"] if c["name"] == "draft v3")
    assert draft["concepts"] == [] and draft["concept_shares"] == []
    # the parameters that move acceptance, by the points' titles and the options' text
    named = [s["parameter"] for s in data["sensitivity"]]
    assert any(re.fullmatch(r".+: weight of point \d+ \(.+\)", n) for n in named), named[:5]
    assert not any(re.search(r"weight of point [a-z-]+$", n) for n in named), named[:5]


def test_a_share_of_none_says_0_with_an_interval_above_0() -> None:
    from accord.services.robustness import concept_share

    none = concept_share("nash", 0, 30)
    assert none.low == 0 and 0.10 < none.high < 0.12  # Wilson: z^2 / (n + z^2)
    assert none.text == "is the Nash package in 0% of 30 re-solves (95% interval 0–11%)"
    assert none.short == "the Nash package in 0% (0–11%)"
    every = concept_share("kalai-smorodinsky", 100, 100)
    assert every.high == 1 and every.text.startswith("is the Kalai–Smorodinsky package in 100%")


def test_contested_explains_its_ranking_and_counts_the_recorded_stances() -> None:
    result = _run("contested", FLAGSHIP)
    head = result.output.split("Contested points")[0]
    assert head.startswith("Points are ranked, most contested first:")
    assert "recorded stances: rejected on the latest draft put to the parties (v3)" in head
    assert "contest: what the least painful option still costs the party it hurts most" in head
    assert "spread: how differently the parties rate the options" in head
    assert "stances on v3" in result.output
    assert (
        "• point 21 (Territory): the least painful option, 'Ukrainian-held Donetsk areas become a free "
        "economic zone, only after a referendum', still costs Russian Federation" in result.output
    )
    assert "on draft v3 rejected by Russian Federation, accepted with conditions by Ukraine" in result.output


def test_contested_json_describes_the_metric_and_names_who_rejected() -> None:
    data = json.loads(_run("contested", FLAGSHIP, "--json").output)
    assert data["stances_on"] == 3 and "recorded stances" in data["description"]
    points = data["points"]
    rejected = [p for p in points if p["rejected_by"]]
    assert rejected and points[: len(rejected)] == rejected, "points rejected on draft D come first"
    territory = next(p for p in points if p["point"] == "territory")
    assert territory["rejected_by"] == ["russia"] and set(territory["conditional_by"]) == {
        "ukraine",
        "europe",
    }
    assert territory["compromise_text"].startswith("Ukrainian-held Donetsk areas")
    # a point every party accepted on draft D and on which their favourites agree comes last
    assert points[-1]["rejected_by"] == points[-1]["conditional_by"] == [] and points[-1]["contest"] == 0


def test_frontier_speaks_plainly_and_keeps_the_method_for_verbose() -> None:
    result = _run("frontier", COALITION, "--draft", "2", columns=120)
    first = result.output.lstrip().splitlines()[0]
    assert re.match(
        r"\d+ packages on the Pareto frontier \(all of them; [\d.]+ s\): packages that keep", first
    )
    for jargon in ("Minkowski", "dynamic programming", "non-dominated"):
        assert jargon not in result.output
    assert re.search(r"^  nash: Social Democratic Party of Veldland \d\.\d{3}, ", result.output, re.MULTILINE)
    verbose = _run("frontier", COALITION, "--verbose", columns=120)
    assert "How: Exact Pareto frontier" in verbose.output


def test_frontier_never_calls_a_draft_that_breaks_demands_unbeatable() -> None:
    result = _run("frontier", FLAGSHIP, "--draft", "3", columns=120)
    assert "No acceptable package gives every party more than draft 3" not in result.output
    assert "Draft 3 breaks 5 demands (`accord solve --draft 3` lists them)" in result.output
    data = json.loads(_run("frontier", FLAGSHIP, "--draft", "3", "--json").output)
    assert data["draft_distance"] is None and len(data["draft_breaks"]) == 5
    coalition = json.loads(_run("frontier", COALITION, "--draft", "2", "--json").output)
    assert coalition["draft_distance"] == 0 and coalition["draft_breaks"] == []
