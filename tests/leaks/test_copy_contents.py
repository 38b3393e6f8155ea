"""What a fingerprinted copy holds: the draft's own title and only what that version contains, never
a hint of later drafts (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from accord.domain.amendments import Amendment, AmendmentKind
from accord.scenario import load
from accord.services import drafts, leaks, negotiations
from accord.storage.database import Database, open_database
from tests.conftest import EXAMPLES

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
NAME = "talks"
REVEALING_TITLE = "Talks on the framework (drafts A, B and D)"


@pytest.fixture
def database(database_url: str, tmp_path: Path) -> Iterator[Database]:
    """The flagship, its negotiation titled as the flagship once was: naming every draft."""
    document = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    document["negotiation"]["title"] = REVEALING_TITLE
    scenario = tmp_path / "talks.yaml"
    scenario.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    db = open_database(database_url)
    negotiations.initialise(db)
    negotiations.import_scenario(db, scenario, actor="test", slug=NAME)
    yield db
    db.dispose()


def _copy(database: Database, version: int, tmp_path: Path) -> str:
    path = tmp_path / f"v{version}.md"
    leaks.export_copy(database, NAME, version, "russia", "md", path, actor="test")
    return path.read_text(encoding="utf-8")


def test_a_copy_of_draft_a_is_headed_with_its_own_title_and_names_no_later_draft(
    database: Database, tmp_path: Path
) -> None:
    flagship = load(FLAGSHIP)
    text = _copy(database, 1, tmp_path)
    assert text.splitlines()[0].rstrip(".") == f"# {flagship.draft(1).title}"  # a final stop may vary
    assert "Draft version 1 (A)" in text
    assert "drafts A, B" not in text and REVEALING_TITLE.split(" (")[0] not in text
    for later in (2, 3):
        assert str(flagship.draft(later).title) not in text
        assert f"({flagship.draft(later).label})" not in text


def test_a_copy_holds_no_point_a_later_draft_added(database: Database, tmp_path: Path) -> None:
    drafts.new_draft(
        database,
        NAME,
        [
            Amendment(
                AmendmentKind.ADD,
                "sanctions-relief-later",
                "a later idea",
                title="Phased sanctions relief (added later)",
                text="Sanctions are lifted in three phases tied to verified steps.",
            )
        ],
        actor="test",
        title="Draft E",
    )
    earlier = _copy(database, 3, tmp_path)
    assert "sanctions relief (added later)" not in earlier.lower()
    assert "three phases tied to verified steps" not in earlier
    assert "Draft E" not in earlier
    later = _copy(database, 4, tmp_path)
    assert later.splitlines()[0].rstrip(".") == "# Draft E"
    assert "three phases tied to verified steps" in later


def test_the_flagships_title_names_no_draft() -> None:
    title = load(FLAGSHIP).title
    assert "draft" not in title.lower()
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    assert "drafts A, B and D)" not in readme
