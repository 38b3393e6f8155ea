"""`accord estimate` on the stored negotiation (issue 14, items 4 and 5), on SQLite and PostgreSQL: the
record's current stances are the evidence; --write stores the posterior as the party's declared
estimate in one audited write that names the evidence, never the numbers; a posterior that failed its
diagnostics is refused unless --force; and the estimates are the mediator's (the policy)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.errors import AccessDenied, StaleWriteError
from accord.security.policy import Seat, SeatRole, Viewer, command_line
from accord.services import audit, preference_edits
from accord.services import estimate as service
from accord.storage.database import open_database
from tests.conftest import write_doc
from tests.storage.conftest import FLAGSHIP
from tests.storage.helpers import snapshot

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000"}
SAMPLES = "400"
SMALL = "harbour-talks"


def accord(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", url], env=ENV)
    return result.exit_code, result.stdout, result.stderr


def ok(url: str, *args: str) -> str:
    code, out, err = accord(url, *args)
    assert code == 0, err
    return out


@pytest.fixture
def small(database_url: str, tmp_path: Path, small_doc: dict[str, Any]) -> str:
    """The small scenario stored, with North rejecting its own favourite on the harbour in draft 3."""
    small_doc["drafts"].append(
        {
            "version": 3,
            "label": "C",
            "parent": 1,
            "author": "envoy",
            "status": "circulated",
            "circulated_to": ["north", "south"],
            "choices": {"ceasefire": "phased", "harbour": "north"},
        }
    )
    small_doc["stances"].append({"draft": 3, "party": "north", "point": "harbour", "stance": "reject"})
    ok(database_url, "import", str(write_doc(tmp_path / "small.yaml", small_doc)))
    return database_url


def test_the_stored_negotiation_is_estimated_from_its_current_stances(database_url: str) -> None:
    ok(database_url, "import", str(FLAGSHIP))
    on_file = json.loads(
        runner.invoke(
            app, ["estimate", str(FLAGSHIP), "-p", "russia", "--samples", SAMPLES, "--json"], env=ENV
        ).stdout
    )
    stored = json.loads(ok(database_url, "estimate", "-p", "russia", "--samples", SAMPLES, "--json"))
    # the record holds what the file holds: the same evidence, the same numbers for the same seed
    on_file.pop("seconds"), stored.pop("seconds")
    assert stored == on_file

    # a withdrawn stance is no longer evidence
    def stances_on_territory(data: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            e
            for e in data["parties"]["russia"]["evidence"]
            if (e["kind"], e["point"], e["draft"]) == ("stance", "territory", 3)
        ]

    assert [e["answer"] for e in stances_on_territory(stored)] == ["reject"]
    ok(database_url, "stance", "withdraw", "russia", "territory", "--draft", "3", "--reason", "a test")
    after = json.loads(ok(database_url, "estimate", "-p", "russia", "--samples", SAMPLES, "--json"))
    assert stances_on_territory(after) == []


def test_nothing_is_written_without_write(small: str) -> None:
    database = open_database(small)
    before = snapshot(database)
    ok(small, "estimate", "--samples", SAMPLES)
    assert snapshot(database) == before


def test_write_stores_the_estimate_in_one_audited_write_naming_the_evidence(small: str) -> None:
    database = open_database(small)
    declared = preference_edits.show(database, SMALL, "north", user="mediator-desk").preferences
    out = ok(small, "estimate", "-p", "north", "--samples", SAMPLES, "--write")
    assert "stored as the declared estimate of north" in out
    entry = audit.entries(database, SMALL)[-1]
    assert entry.action == "preferences.estimate" and entry.actor == "mediator-desk"
    assert entry.details["party"] == "north" and entry.details["forced"] is False
    refs = entry.details["evidence"]
    assert refs and all(isinstance(ref, str) for ref in refs)
    # the refs name the evidence; no number of the estimate is in the log
    assert not any(isinstance(v, float) for v in _leaves(entry.details))
    stored = preference_edits.show(database, SMALL, "north", user="mediator-desk").preferences
    assert stored != declared and stored.get("uncertainty")
    assert audit.check(database).ok


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every posterior fails its diagnostics."""
    real = service.estimate

    def failed(*args: Any, **kwargs: Any) -> Any:
        posterior = real(*args, **kwargs)
        bad = replace(posterior.diagnostics, ok=False, problems=("R-hat 1.31 above 1.05",))
        return replace(posterior, diagnostics=bad)

    monkeypatch.setattr(service, "estimate", failed)


@pytest.mark.usefixtures("failing")
def test_a_posterior_that_failed_its_diagnostics_is_not_written_unless_forced(small: str) -> None:
    database = open_database(small)
    before = snapshot(database)
    code, _, err = accord(small, "estimate", "-p", "north", "--samples", SAMPLES, "--write")
    assert code == 1
    assert (
        err.strip().splitlines()[-1].startswith("DomainError: the estimate of North failed its diagnostics")
    )
    assert "warning: the estimate of North failed its diagnostics (R-hat 1.31 above 1.05)" in err
    assert snapshot(database) == before
    ok(small, "estimate", "-p", "north", "--samples", SAMPLES, "--write", "--force")
    entry = audit.entries(database, SMALL)[-1]
    assert entry.action == "preferences.estimate" and entry.details["forced"] is True


@pytest.mark.usefixtures("failing")
def test_failed_diagnostics_are_reported_in_the_output(small: str) -> None:
    data = json.loads(ok(small, "estimate", "-p", "north", "--samples", SAMPLES, "--json"))
    assert data["diagnostics"]["ok"] is False
    assert data["diagnostics"]["parties"]["north"]["problems"] == ["R-hat 1.31 above 1.05"]
    assert "DIAGNOSTICS FAILED: R-hat 1.31 above 1.05" in ok(
        small, "estimate", "-p", "north", "--samples", SAMPLES
    )


def test_an_estimate_read_before_another_write_is_not_stored(small: str) -> None:
    database = open_database(small)
    mediator = command_line("mediator-desk", SMALL)
    found = service.for_viewer(database, mediator, SMALL, ["north"], samples=200)
    ok(small, "preferences", "set", "south", "--reservation-value", "0.25")
    before = snapshot(database)
    with pytest.raises(StaleWriteError):
        service.adopt(database, mediator, found)
    assert snapshot(database) == before


def test_status_lists_the_contradictions_of_the_record(small: str) -> None:
    data = json.loads(ok(small, "status", "--json"))
    first = data["contradictions"][0]
    assert (first["party"], first["point"], first["draft"], first["recorded"]) == (
        "north",
        "harbour",
        3,
        "reject",
    )
    assert "on draft C, which it rejected" in first["text"]


# -- who may see an estimate ---------------------------------------------------------------------------


def _seat(role: SeatRole, party: str | None = None) -> Viewer:
    return Viewer(f"{role.value}-{party}", seats={SMALL: Seat(role, party)})


@pytest.mark.parametrize(
    "viewer",
    [
        _seat(SeatRole.MEMBER, "south"),  # another party's estimate
        _seat(SeatRole.MEMBER, "north"),  # its own: the estimate is the mediator's reading of it
        _seat(SeatRole.OBSERVER),
        Viewer("stranger", seats={"elsewhere": Seat(SeatRole.MEDIATOR)}),
    ],
    ids=["other-party", "own-party", "observer", "stranger"],
)
def test_no_seat_but_the_mediators_reads_an_estimate(small: str, viewer: Viewer) -> None:
    database = open_database(small)
    with pytest.raises(AccessDenied):
        service.for_viewer(database, viewer, SMALL, ["north"], samples=50)
    mediator = service.for_viewer(database, _seat(SeatRole.MEDIATOR), SMALL, ["north"], samples=50)
    assert [e.party.id for e in mediator.estimates] == ["north"]
    with pytest.raises(AccessDenied):
        service.adopt(database, viewer, mediator)
