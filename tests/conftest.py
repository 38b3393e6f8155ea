"""Shared fixtures: a small valid scenario to break in every way the loader must catch, and the two
databases (SQLite and PostgreSQL) every test touching storage runs on (`database_url`)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GENIUS_FIXTURES = Path(__file__).parent / "fixtures" / "genius"

SMALL: dict[str, Any] = {
    "accord": 1,
    "negotiation": {"id": "harbour-talks", "title": "Harbour talks"},
    "score_scale": 10,
    "points": [
        {
            "id": "ceasefire",
            "number": 1,
            "title": "Ceasefire",
            "theme": "security",
            "options": [
                {"key": "immediate", "text": "Immediate ceasefire"},
                {"key": "phased", "text": "Phased ceasefire"},
            ],
        },
        {
            "id": "harbour",
            "number": 2,
            "title": "Control of the harbour",
            "options": [
                {"key": "north", "text": "Northern administration"},
                {"key": "joint", "text": "Joint administration"},
                {"key": "south", "text": "Southern administration"},
            ],
        },
    ],
    "parties": {
        "envoy": {"name": "Envoy", "role": "mediator"},
        "north": {
            "name": "North",
            "weights": {"ceasefire": 1, "harbour": 3},
            "scores": {
                "ceasefire": {"immediate": 4, "phased": 8},
                "harbour": {"north": 10, "joint": 6, "south": 0},
            },
            "red_lines": [{"point": "harbour", "option": "south"}],
            "reservation_value": 0.3,
            "links": [
                {
                    "point": "ceasefire",
                    "option": "immediate",
                    "requires": {"point": "harbour", "options": ["north", "joint"]},
                }
            ],
        },
        "south": {
            "name": "South",
            "weights": {"ceasefire": 2, "harbour": 2},
            "scores": {
                "ceasefire": {"immediate": 9, "phased": 3},
                "harbour": {"north": 0, "joint": 5, "south": 10},
            },
            "red_lines": [{"point": "harbour", "option": "north"}],
            "reservation_value": 0.2,
        },
    },
    "drafts": [
        {
            "version": 1,
            "label": "first",
            "date": "2025-01-10",
            "author": "envoy",
            "status": "circulated",
            "circulated_to": ["north", "south"],
            "choices": {"ceasefire": "phased", "harbour": "joint"},
        },
        {
            "version": 2,
            "parent": 1,
            "author": "envoy",
            "choices": {"ceasefire": "immediate", "harbour": {"text": "Administration to be agreed"}},
        },
    ],
    "stances": [
        {"draft": 1, "party": "north", "point": "harbour", "stance": "conditional", "note": "if phased"},
        {"draft": 2, "party": "south", "point": "ceasefire", "stance": "accept"},
    ],
    "papers": [{"id": "envoy-note", "title": "Envoy's note", "recipients": ["north"], "draft": 1}],
    "meetings": [
        {
            "id": "round-1",
            "date": "2025-01-12",
            "place": "Valletta",
            "participants": ["envoy", "north", "south"],
            "papers": ["envoy-note"],
            "drafts": [1],
            "status": "postponed",
            "reason": "delegation travel",
        }
    ],
}


@pytest.fixture(autouse=True)
def _key_files_stay_in_temporary_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key file defaults to the user's configuration folder for a PostgreSQL database (see
    accord.keys): in tests, a temporary one, never the real home."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("ACCORD_KEY_FILE", raising=False)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """One throwaway PostgreSQL server for the whole session (tests/postgres.py), started on first use."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A test that takes this runs twice: on an SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'accord.db'}"
        return
    from tests.postgres import fresh_database

    server = request.getfixturevalue("postgres")
    with fresh_database(server) as url:
        yield url


@pytest.fixture
def small_doc() -> dict[str, Any]:
    """A fresh copy of a small valid scenario document, to mutate in a test."""
    return copy.deepcopy(SMALL)


def write_doc(path: Path, doc: Any) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
