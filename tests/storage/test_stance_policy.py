"""A party answers only a draft circulated to it, through the command line as through the workbench
(issue 11, item 16); and an amendment's new point needs an id the scenario format accepts (item 2).
On SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain import StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.errors import DomainError
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import drafts, stances, workbench
from accord.storage.database import Database
from tests.storage.conftest import ACTOR, FLAGSHIP
from tests.storage.helpers import snapshot

NAME = "peace-framework-2025"
runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "160"}


def accord(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", url], env=ENV)
    return result.exit_code, result.stdout, result.stderr


def test_a_stance_on_a_draft_never_circulated_to_the_party_is_refused_and_nothing_is_written(
    flagship: Database,
) -> None:
    before = snapshot(flagship)
    # v2 went to the United States and Ukraine, never to Russia
    with pytest.raises(DomainError, match="draft v2 was not circulated to Russian Federation"):
        stances.set_stance(
            flagship, NAME, party="russia", point="7", stance=StanceKind.ACCEPT, version=2, actor=ACTOR
        )
    # the newest draft, not circulated to anyone yet
    drafts.new_draft(
        flagship, NAME, [Amendment(AmendmentKind.CHOOSE, "7", "r", option="no-consensus")], actor=ACTOR
    )
    written = snapshot(flagship)
    with pytest.raises(DomainError, match="draft v4 was not circulated to Ukraine"):
        stances.set_stance(flagship, NAME, party="ukraine", point="7", stance=StanceKind.ACCEPT, actor=ACTOR)
    assert snapshot(flagship) == written != before
    drafts.circulate(flagship, NAME, 4, ["ukraine"], actor=ACTOR)
    done = stances.set_stance(
        flagship, NAME, party="ukraine", point="7", stance=StanceKind.ACCEPT, actor=ACTOR
    )
    assert (done.draft, done.party) == (4, "ukraine")


def test_the_mediator_in_the_workbench_follows_the_same_rule(flagship: Database) -> None:
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    with pytest.raises(DomainError, match="draft v2 was not circulated to Russian Federation"):
        workbench.set_stance(
            flagship, mediator, NAME, party="russia", point="7", stance=StanceKind.ACCEPT, version=2
        )
    done = workbench.set_stance(
        flagship, mediator, NAME, party="russia", point="7", stance=StanceKind.ACCEPT, version=3
    )
    assert done.party == "russia"


def test_the_command_line_refuses_a_stance_on_a_draft_never_circulated_in_plain_words(
    database_url: str,
) -> None:
    assert accord(database_url, "init")[0] == 0
    assert accord(database_url, "import", str(FLAGSHIP))[0] == 0
    code, out, err = accord(database_url, "stance", "set", "russia", "7", "accept", "--draft", "2")
    assert code == 1
    assert err.strip().splitlines() == [
        "DomainError: draft v2 was not circulated to Russian Federation; a party answers only the drafts "
        "handed to it (circulate the draft to Russian Federation first)"
    ]
    assert "Traceback" not in out + err
    # the README's story still holds: circulate draft 1 to Ukraine, then record its stance
    code, out, err = accord(database_url, "draft", "circulate", "1", "--to", "russia", "--to", "ukraine")
    assert code == 0, err
    code, out, err = accord(
        database_url,
        "stance",
        "set",
        "ukraine",
        "21",
        "conditional",
        "--draft",
        "1",
        "--note",
        "only with guarantees",
    )
    assert code == 0, err
    assert (
        "Ukraine accepts on a condition point 21 (Territory) of draft v1. Note: “only with guarantees”" in out
    )


def test_an_added_point_needs_an_id_of_the_scenario_format(database_url: str, tmp_path: Path) -> None:
    assert accord(database_url, "init")[0] == 0
    assert accord(database_url, "import", str(FLAGSHIP))[0] == 0
    changes = tmp_path / "changes.yaml"
    changes.write_text(
        '- add: "<script>alert(1)</script>"\n  title: Bad\n  text: Bad text\n  reason: testing\n',
        encoding="utf-8",
    )
    code, out, err = accord(database_url, "draft", "new", "--amendments", str(changes))
    assert code == 1 and "Traceback" not in out + err
    assert "changes.yaml:1: [0].add: got '<script>alert(1)</script>'; expected an id of letters" in err
    code, out, _ = accord(database_url, "draft", "list")
    assert "v4" not in out
