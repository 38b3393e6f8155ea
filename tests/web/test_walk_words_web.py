"""What a walk of the workbench found said in keys or bare figures, now said in words:

- a draft's changes name the point by its number and title and the option by its text, on the
  mediator's draft page and in `accord draft show` alike (one definition: accord.reports.amendment_words);
- the estimate's page says what its percentages are the chance of;
- the stance matrix shows what the draft says on each point (its option's text, shortened where long,
  the whole in a title) and the note of each stance the seat may see, escaped; the JSON API the same.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain.amendments import Amendment, AmendmentKind
from accord.domain.drafts import StanceKind
from accord.domain.negotiation import Negotiation
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import drafts, workbench
from accord.wording import shortened
from tests.web.conftest import NAME, A, B, Workbench, api_token, log_in

P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})


def words(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# -- a draft's changes ---------------------------------------------------------------------------------


def _amended(bench: Workbench) -> tuple[int, str]:
    """v4 from v3 by one change of each kind (the text one naming its point by number, as the command
    line may); returns the version and the text of the option chosen for army-size."""
    seen = workbench.view(bench.database, MEDIATOR, NAME).negotiation
    army = seen.point("army-size")
    v3 = seen.draft(3)
    other = next(o for o in army.options if o.key != v3.choices["army-size"].option)
    made = drafts.new_draft(
        bench.database,
        NAME,
        [
            Amendment(AmendmentKind.CHOOSE, "army-size", "a cap Ukraine can live with", option=other.key),
            Amendment(AmendmentKind.TEXT, "21", "the line as it runs", text="Lines as they stand on signing"),
            Amendment(AmendmentKind.DROP, "nato-troops", "left to a later round"),
            Amendment(
                AmendmentKind.ADD,
                "monitoring",
                "someone must watch the line",
                title="Monitoring mission",
                text="An OSCE mission monitors the line",
            ),
        ],
        actor="mediator",
    )
    return made.version, other.text


EXPECTED = (
    "point 6 (Size of Ukraine's armed forces): “{option}” — a cap Ukraine can live with",
    "point 21 (Territory): new text — the line as it runs",
    "point 8 (NATO troops in Ukraine) dropped — left to a later round",
    "new point 29 (Monitoring mission) — someone must watch the line",
)


def test_the_draft_page_names_a_change_by_the_points_title_and_the_options_text(bench: Workbench) -> None:
    version, option = _amended(bench)
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/drafts/{version}").text
    changes = words(page.split('id="amendments"', 1)[1].split("</section>", 1)[0])
    for line in EXPECTED:
        assert line.format(option=option) in changes, changes
    for key in ("army-size", "nato-troops", "monitoring", "option "):
        assert key not in changes, f"{key!r} is a key, not words: {changes}"


def test_draft_show_says_the_changes_in_the_same_words(bench: Workbench, tmp_path: Path) -> None:
    version, option = _amended(bench)
    result = CliRunner().invoke(
        app,
        ["draft", "show", str(version), "--db", str(tmp_path / "accord.db")],
        env={"ACCORD_DATABASE_URL": None, "COLUMNS": "1000"},
    )
    assert result.exit_code == 0, result.output
    said = [line for line in result.stdout.splitlines() if line.startswith("amendment: ")]
    expected = [line.format(option=option).replace(" — ", " — reason: ", 1) for line in EXPECTED]
    assert said == [f"amendment: {line}" for line in expected]


# -- the estimate's percentages ------------------------------------------------------------------------


def test_the_estimate_says_what_its_percentages_are_the_chance_of(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/estimates/{A}?samples=200").text
    rows = page.split('<table id="weights">', 1)[1].split("</table>", 1)[0]
    assert re.search(r"\(\d+% likely to be its most preferred option\)", words(rows))
    assert re.search(r"\(\d+% likely to be its least preferred option\)", words(rows))
    assert not re.search(r"\(\d+%\)", words(rows)), "a bare percentage"
    red_lines = words(page.split('id="red-lines"', 1)[1].split("</ul>", 1)[0])
    assert "P(" not in red_lines
    assert re.search(r"— \d+% likely to be a red line \(an option it rejects\)", red_lines), red_lines


# -- the stance matrix ---------------------------------------------------------------------------------

NOTE = "Only with <b>guarantees</b> & a vote (KR52)"


def _row(page: str, point: str) -> str:
    return page.split(f'id="row-{point}"', 1)[1].split("</tr>", 1)[0]


def test_the_matrix_shows_what_the_draft_says_and_the_note_of_each_stance(bench: Workbench) -> None:
    seen = workbench.view(bench.database, MEDIATOR, NAME).negotiation
    territory = seen.point("territory")
    says = territory.option(seen.draft(3).choices["territory"].option).text
    csrf = log_in(bench.client, A)
    recorded = bench.client.post(
        f"{P}/stances",
        data={"point": "territory", "stance": "conditional", "draft": "3", "note": NOTE, "csrf_token": csrf},
    )
    assert recorded.status_code == 303, recorded.text
    row = _row(bench.client.get(f"{P}/matrix").text, "territory")
    assert html.escape(NOTE) in row and NOTE not in row, "the note, escaped"
    assert html.escape(shortened(says, 70)) in row
    if shortened(says, 70) != says:
        assert f'title="{html.escape(says)}"' in row
    # a long option text is cut, the whole of it in the title
    long_point = next(
        p.point
        for p in workbench.matrix(bench.database, MEDIATOR, NAME).points
        if len(_says(seen, p.point)) > 70
    )
    long_row = _row(bench.client.get(f"{P}/matrix").text, long_point)
    whole = _says(seen, long_point)
    assert f'title="{html.escape(whole)}"' in long_row and html.escape(shortened(whole, 70)) in long_row
    # the mediator sees every party's note; the other party's seat sees none of Russia's
    bench.client.cookies.clear()
    log_in(bench.client, "mediator")
    assert html.escape(NOTE) in _row(bench.client.get(f"{P}/matrix").text, "territory")
    bench.client.cookies.clear()
    log_in(bench.client, B)
    other = bench.client.get(f"{P}/matrix").text
    assert "KR52" not in other
    assert html.escape(shortened(says, 70)) in _row(other, "territory")


def _says(negotiation: Negotiation, point: str) -> str:
    choice = negotiation.draft(3).choices[point]
    return negotiation.point(point).option(choice.option).text if choice.option else choice.text or ""


def test_the_matrix_api_gives_the_drafts_words_and_the_notes_the_seat_may_see(bench: Workbench) -> None:
    workbench.set_stance(
        bench.database,
        Viewer(A, A, {NAME: Seat(SeatRole.MEMBER, A)}),
        NAME,
        party=A,
        point="territory",
        stance=StanceKind.CONDITIONAL,
        version=3,
        note=NOTE,
    )
    seen = workbench.view(bench.database, MEDIATOR, NAME).negotiation
    for user, sees in (("mediator", True), (A, True), (B, False)):
        matrix = bench.client.get(
            f"{API}/matrix", headers={"Authorization": f"Bearer {api_token(bench.client, user)}"}
        ).json()
        territory = next(p for p in matrix["points"] if p["point"] == "territory")
        assert territory["text"] == _says(seen, "territory")
        assert (territory["notes"].get(A) == NOTE) is sees, (user, territory["notes"])
        if user == B:
            assert set(territory["notes"]) <= {B}
