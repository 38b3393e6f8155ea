"""A workbench on a fresh SQLite database: the flagship example, demo accounts, and planted secrets.

Each party's private preferences carry distinctive values (a reservation value, a red line's note, a
basis text) so that a test can search every response for another party's secrets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.domain.amendments import Amendment, AmendmentKind
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import workbench
from accord.services.demo import demo_password, set_up_demo
from accord.storage.database import Database, open_database
from accord.web.app import create_app

NAME = "peace-framework-2025"
A, B = "russia", "ukraine"  # two parties whose secrets must never cross

SECRETS = {
    A: {
        "reservation_value": 0.471828,
        "basis": "secret-basis-of-russia-QX81",
        "note": "russia-red-line-note-ZK44",
    },
    B: {
        "reservation_value": 0.314159,
        "basis": "secret-basis-of-ukraine-PV27",
        "note": "ukraine-red-line-note-MW93",
    },
}


def plant_secrets(database: Database) -> None:
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    for party, secret in SECRETS.items():
        prefs = workbench.preferences(database, mediator, NAME, party)
        prefs["reservation_value"] = secret["reservation_value"]
        prefs["basis"] = secret["basis"]
        if prefs.get("red_lines"):
            prefs["red_lines"][0]["note"] = secret["note"]
        else:  # a red line on an option the party scores lowest on some point
            point, scores = next(iter(prefs["scores"].items()))
            prefs["red_lines"] = [
                {"point": point, "option": min(scores, key=scores.get), "note": secret["note"]}
            ]
        workbench.update_preferences(database, mediator, NAME, party, prefs)


def secrets_of(party: str) -> list[str]:
    secret = SECRETS[party]
    return [str(secret["reservation_value"]), str(secret["basis"]), str(secret["note"])]


@dataclass
class Workbench:
    database: Database
    client: TestClient


def make_workbench(folder: Path) -> Workbench:
    folder.mkdir(parents=True, exist_ok=True)
    database = open_database(str(folder / "accord.db"))
    set_up_demo(database)
    plant_secrets(database)
    return Workbench(database, TestClient(create_app(database), follow_redirects=False))


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Workbench]:
    made = make_workbench(tmp_path)
    yield made
    made.client.close()
    made.database.dispose()


def hidden_csrf(page: str) -> str:
    marker = 'name="csrf_token" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


def login_form(client: TestClient, username: str) -> dict[str, str]:
    """The log-in form as a browser sends it: with the token that the log-in page handed out."""
    token = hidden_csrf(client.get("/login").text)
    return {"username": username, "password": demo_password(username), "csrf_token": token}


def log_in(client: TestClient, username: str) -> str:
    """Log in through the form; returns the session's CSRF token (from a page's hidden field)."""
    response = client.post("/login", data=login_form(client, username))
    assert response.status_code == 303, response.text
    page = client.get("/negotiations")
    marker = 'name="csrf_token" value="'
    return page.text.split(marker, 1)[1].split('"', 1)[0]


def api_token(client: TestClient, username: str) -> str:
    response = client.post("/api/login", json={"username": username, "password": demo_password(username)})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


# a point the mediator adds in a draft it never circulates: nobody but the mediator may learn of it
UNCIRCULATED = {
    "id": "harbour-fund-QT58",
    "title": "Secret harbour fund YV31",
    "text": "A fund kept back until the draft is circulated HK72",
}


def plant_uncirculated_point(database: Database) -> int:
    """Draft v4 from v3 adds the UNCIRCULATED point and is handed to nobody; returns its version."""
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    added = Amendment(
        AmendmentKind.ADD,
        UNCIRCULATED["id"],
        "kept back for now",
        title=UNCIRCULATED["title"],
        text=UNCIRCULATED["text"],
    )
    return workbench.amend(database, mediator, NAME, [added], base=3).version
