"""`accord preferences show/set`: the mediator's estimates, edited from the command line with the web
form's own validation and audit; a point an amendment added weighs nothing until then, and `accord
status` says so. On SQLite and on PostgreSQL; bad input writes nothing (snapshot of every table)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.scenario import load
from accord.storage.database import open_database
from tests.cli_walk import assert_one_line_error
from tests.conftest import EXAMPLES
from tests.storage.helpers import snapshot

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000", "ACCORD_DATABASE_URL": None}
FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
TALKS = "negotiation 'peace-framework-2025'"
ADDED = """\
- add: monitoring
  title: Monitoring of elections
  text: OSCE observers monitor the elections
  reason: Requested by Europe
"""


def accord(*args: str) -> Result:
    return runner.invoke(app, list(args), env=ENV)


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def _shown(db: str, party: str = "russia") -> dict[str, Any]:
    data = json.loads(_ok(accord("preferences", "show", party, "--json", "--db", db)))
    assert data["party"] == party
    preferences: dict[str, Any] = data["preferences"]
    return preferences


def _audit(db: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(_ok(accord("audit", "log", "--json", "--db", db)))
    return [e for e in entries if e["action"] == "preferences.update"]


@pytest.fixture
def imported(database_url: str) -> str:
    _ok(accord("import", str(FLAGSHIP), "--db", database_url))
    return database_url


def test_show_gives_the_estimates_of_the_file(imported: str) -> None:
    shown = _shown(imported)
    russia = load(FLAGSHIP).preferences["russia"]
    assert shown["weights"] == dict(russia.weights)
    assert shown["reservation_value"] == russia.reservation_value
    assert shown["uncertainty"]["weights"] == {"dirichlet": 60}
    text = _ok(accord("preferences", "show", "Ukraine", "--db", imported))  # a party by its name too
    assert "Ukraine (ukraine): the mediator's estimates" in text
    assert "reservation value: 0.4" in text


def test_show_says_the_uncertainty_and_the_links_in_words_and_json_keeps_the_data(imported: str) -> None:
    text = " ".join(_ok(accord("preferences", "show", "russia", "--db", imported)).split())
    assert "{" not in text and "'dirichlet'" not in text, "no Python dict"
    assert "uncertainty (how far the estimates may be off; accord robustness draws from it):" in text
    assert "the weights vary together around the estimates" in text and "concentration 60" in text
    assert (
        "score of “Territorial swaps negotiated from the line of contact after a ceasefire” on point 21 "
        "(Territory), out of 10: anywhere between 0 and 4, each value as likely" in text
    )
    assert (
        "score of “Ukrainian-held Donetsk areas become a free economic zone, only after a referendum” on "
        "point 21 (Territory), out of 10: between 3 and 7, most likely 5" in text
    )
    assert "reservation value: between 0.4 and 0.55, most likely 0.5" in text
    assert (
        "link: “Armed forces of 800,000 in peacetime” on point 6 (Size of Ukraine's armed forces) only "
        "with “Ukraine renounces NATO in its constitution; NATO statutes exclude its admission” on point 7"
    ) in text
    assert "army-size=cap-800k" not in text and "swaps-from-loc" not in text.split("uncertainty (")[1]
    # a spread per weight, and a normal one, in words too
    _ok(accord("preferences", "set", "russia", "--uncertain-weight", "7=normal:10:1:8:12",
               "--uncertain-weight", "territory=range:8:12", "--db", imported))  # fmt: skip
    text = " ".join(_ok(accord("preferences", "show", "russia", "--db", imported)).split())
    assert "weight of point 7 (Ukraine and NATO membership): around 10 (standard deviation 1), never " in text
    assert (
        "below 8 or above 12" in text and "weight of point 21 (Territory): anywhere between 8 and 12" in text
    )
    assert "Dirichlet" not in text
    spread = _shown(imported)["uncertainty"]
    assert spread["weights"]["nato-membership"] == {"normal": {"mean": 10, "sd": 1, "range": [8, 12]}}
    assert spread["scores"]["territory"]["swaps-from-loc"] == {"range": [0, 4]}, "--json: the data"


def test_set_says_the_party_by_its_name(imported: str) -> None:
    said = _ok(accord("preferences", "set", "russia", "--reservation-value", "0.45", "--db", imported))
    assert said.strip() == "preferences of Russian Federation updated (revision 2)"


def test_set_changes_each_field_by_number_id_title_key_and_text(imported: str) -> None:
    before = _shown(imported)
    point = load(FLAGSHIP).points
    army = next(p for p in point if p.id == "army-size")
    _ok(
        accord(
            "preferences", "set", "russia",
            "--weight", "sovereignty=9",                     # by id
            "--weight", f"{army.number}=4",                  # by number
            "--score", f"{army.title.upper()}:{army.options[0].text}=2",  # by title, option by its text
            "--score", f"army-size:{army.options[1].key}=5",  # option by key
            "--red-line", f"army-size:{army.options[0].key}",
            "--reservation-value", "0.45",
            "--uncertain-score", f"army-size:{army.options[1].key}=triangular:3:5:7",
            "--uncertain-reservation-value", "range:0.4:0.5",
            "--as", "analyst-7",
            "--db", imported,
        )
    )  # fmt: skip
    after = _shown(imported)
    assert after["weights"] == {**before["weights"], "sovereignty": 9, "army-size": 4}
    assert after["scores"]["army-size"][army.options[0].key] == 2
    assert after["scores"]["army-size"][army.options[1].key] == 5
    assert {"point": "army-size", "option": army.options[0].key} in after["red_lines"]
    assert after["reservation_value"] == 0.45
    assert after["uncertainty"]["scores"]["army-size"][army.options[1].key] == {"triangular": [3, 5, 7]}
    assert after["uncertainty"]["reservation_value"] == {"range": [0.4, 0.5]}
    assert after["uncertainty"]["weights"] == {"dirichlet": 60}, "what was not given stays"
    assert {k: v for k, v in after["scores"].items() if k != "army-size"} == {
        k: v for k, v in before["scores"].items() if k != "army-size"
    }
    (entry,) = _audit(imported)
    assert entry["actor"] == "analyst-7" and entry["summary"] == "preferences of russia updated"
    # timestamps and digests may hold any digits: only what the entry says counts
    said = {k: v for k, v in entry.items() if k in ("actor", "action", "negotiation", "summary", "details")}
    assert "0.45" not in json.dumps(said), "the audit log says that they changed, not what they are"
    _ok(accord("preferences", "set", "russia", "--lift-red-line", f"army-size:{army.options[0].text}",
               "--db", imported))  # fmt: skip
    assert {"point": "army-size", "option": army.options[0].key} not in _shown(imported)["red_lines"]
    assert len(_audit(imported)) == 2


def test_the_analyses_of_the_record_read_the_new_estimates(imported: str) -> None:
    before = json.loads(_ok(accord("solve", "--json", "-c", "nash", "--db", imported)))
    _ok(accord("preferences", "set", "ukraine", "--reservation-value", "0.45", "--db", imported))
    after = json.loads(_ok(accord("solve", "--json", "-c", "nash", "--db", imported)))
    assert before["reservation_values"]["ukraine"] == 0.4
    assert after["reservation_values"]["ukraine"] == 0.45


WEIGHT = "parties.russia.weights.sovereignty"
BAD = [
    (["atlantis", "--weight", "sovereignty=2"], f"NotFoundError: {TALKS} has no party 'atlantis'"),
    (["russia", "--weight", "99=2"], f"NotFoundError: --weight: {TALKS} has no point '99'"),
    (["russia", "--score", "army-size:nonsense=2"], "NotFoundError: --score: point"),
    (["russia", "--red-line", "army-size:nonsense"], "has no option 'nonsense'"),
    (
        ["russia", "--weight", "sovereignty=abc"],
        f"ScenarioError: preferences of russia: {WEIGHT}: expected a",
    ),
    (["russia", "--weight", "sovereignty=nan"], f"{WEIGHT}: expected a number, got 'nan'"),
    (
        ["russia", "--weight", "sovereignty"],
        "DomainError: --weight: expected POINT=WEIGHT, got 'sovereignty'",
    ),
    (["russia", "--reservation-value", "high"], "reservation_value: expected a number, got 'high'"),
    (["russia", "--weight", "sovereignty=-3"], WEIGHT),
    (["russia", "--uncertain-reservation-value", "range:1"], "russia.uncertainty.reservation_value"),
    (["russia", "--lift-red-line", "army-size:cap-600k"], "--lift-red-line: there is no red line"),
    (["russia"], "DomainError: nothing to change"),
    (["russia", "--weight-concentration", "5", "--uncertain-weight", "sovereignty=range:1:2"], "not both"),
]


@pytest.mark.parametrize(("args", "words"), BAD)
def test_bad_input_is_one_line_naming_the_field_and_writes_nothing(
    imported: str, args: list[str], words: str
) -> None:
    database = open_database(imported)
    before = snapshot(database)
    result = accord("preferences", "set", *args, "--db", imported)
    assert_one_line_error(result, words)
    assert result.exit_code == 1
    assert snapshot(database) == before
    database.dispose()


def test_show_of_an_unknown_party_is_one_line(imported: str) -> None:
    assert_one_line_error(accord("preferences", "show", "atlantis", "--db", imported), "atlantis")


def test_a_stale_revision_is_refused(imported: str) -> None:
    shown = json.loads(_ok(accord("preferences", "show", "russia", "--json", "--db", imported)))
    revision = shown["revision"]
    _ok(accord("stance", "set", "russia", "7", "reject", "--draft", "3", "--db", imported))
    line = assert_one_line_error(
        accord("preferences", "set", "russia", "--weight", "sovereignty=1",
               "--expect-revision", str(revision), "--db", imported),
        "StaleWriteError",
    )  # fmt: skip
    assert "nothing was written" in line


def test_a_point_added_by_amendment_is_flagged_until_someone_weighs_it(imported: str, tmp_path: Path) -> None:
    changes = tmp_path / "changes.yaml"
    changes.write_text(ADDED)
    _ok(accord("draft", "new", "--amendments", str(changes), "--db", imported))
    # the new text is not circulated yet: its points are read with --draft 4
    shown = json.loads(_ok(accord("status", "--draft", "4", "--json", "--db", imported)))
    number = next(p for p in shown["points"] if p["point"] == "monitoring")["number"]
    flag = f"point {number} weighs nothing for any party: set weights with accord preferences set"
    assert flag in _ok(accord("status", "--db", imported))
    assert json.loads(_ok(accord("status", "--json", "--db", imported)))["weightless"] == ["monitoring"]
    # a weighted point needs a score for its option: the validator says so, and nothing is written
    line = assert_one_line_error(
        accord("preferences", "set", "europe", "--weight", "monitoring=3", "--db", imported), "monitoring"
    )
    assert "missing score" in line
    assert flag in _ok(accord("status", "--db", imported))
    by_title_and_text = "Monitoring of elections:OSCE observers monitor the elections=8"
    weighed = accord(
        "preferences",
        "set",
        "europe",
        "--weight",
        f"{number}=3",
        "--score",
        by_title_and_text,
        "--db",
        imported,
    )
    _ok(weighed)
    assert "weighs nothing" not in _ok(accord("status", "--db", imported))
    assert json.loads(_ok(accord("status", "--json", "--db", imported)))["weightless"] == []


def test_a_framework_point_weighing_nothing_is_not_flagged(tmp_path: Path) -> None:
    """Only points an amendment added: a framework point may weigh nothing on purpose."""
    result = accord("status", str(EXAMPLES / "peace-framework-2025.yaml"), "--json")
    assert json.loads(_ok(result))["weightless"] == []


def test_a_members_edit_of_its_uncertainty_keeps_what_it_may_not_see(imported: str, tmp_path: Path) -> None:
    """The web form takes the uncertainty block too now: a party's member edits it on the points it
    sees, and the mediator's distributions on a point added in a draft never sent to it stay."""
    from accord.security.policy import Seat, SeatRole, Viewer
    from accord.services import workbench

    changes = tmp_path / "changes.yaml"
    changes.write_text(ADDED)
    _ok(accord("draft", "new", "--amendments", str(changes), "--db", imported))  # circulated to nobody
    _ok(accord("preferences", "set", "russia", "--weight", "monitoring=1", "--score", "monitoring:proposed=4",
               "--uncertain-score", "monitoring:proposed=range:2:6", "--db", imported))  # fmt: skip
    member = Viewer("russian-desk", "Russian desk", {"peace-framework-2025": Seat(SeatRole.MEMBER, "russia")})
    database = open_database(imported)
    seen = workbench.preferences(database, member, "peace-framework-2025", "russia")
    assert "monitoring" not in json.dumps(seen), "a point added in a draft it never received is not named"
    spread = {**seen["uncertainty"], "weights": {"dirichlet": 30}}
    workbench.update_preferences(database, member, "peace-framework-2025", "russia", {"uncertainty": spread})
    database.dispose()
    after = _shown(imported)["uncertainty"]
    assert after["weights"] == {"dirichlet": 30}
    assert after["scores"]["monitoring"] == {"proposed": {"range": [2, 6]}}
    assert after["scores"]["territory"] == seen["uncertainty"]["scores"]["territory"]
