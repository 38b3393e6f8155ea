"""Killed mid-write (SIGKILL): the database opens, the audit log verifies, the change is all or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.services import audit, drafts, negotiations
from accord.storage.database import Database
from tests.storage.conftest import ACTOR, FLAGSHIP

NAME = "peace-framework-2025"


def _accord(
    database: Database, *args: str, pause_at: str | None = None, marker: Path | None = None
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ACCORD_USER": "crash-test"}
    if pause_at:
        assert marker is not None
        env.update(ACCORD_PAUSE_AT=pause_at, ACCORD_PAUSE_MARKER=str(marker))
    return subprocess.Popen(
        [sys.executable, "-m", "accord", *args, "--db", database.url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _kill_when_paused(process: subprocess.Popen[bytes], marker: Path) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"accord ended before the pause point: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("accord never reached the pause point")
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def test_killed_in_the_middle_of_an_import(database: Database, tmp_path: Path) -> None:
    marker = tmp_path / "paused"
    _kill_when_paused(_accord(database, "import", str(FLAGSHIP), pause_at="import", marker=marker), marker)
    assert negotiations.list_negotiations(database) == []  # none of it
    result = audit.check(database)
    assert result.ok and result.entries == 0
    # the database is usable: the same import now goes through whole
    done = _accord(database, "import", str(FLAGSHIP))
    assert done.wait(timeout=60) == 0, done.communicate()
    assert [n.slug for n in negotiations.list_negotiations(database)] == [NAME]
    assert len(drafts.load(database, NAME).negotiation.drafts) == 3
    assert audit.check(database).ok


@pytest.mark.parametrize("interrupted", [True, False], ids=["killed", "completed"])
def test_killed_in_the_middle_of_a_new_draft(database: Database, tmp_path: Path, interrupted: bool) -> None:
    negotiations.import_scenario(database, FLAGSHIP, actor=ACTOR)
    marker = tmp_path / "paused"
    process = _accord(
        database,
        "draft",
        "new",
        "--drop",
        "28",
        "--reason",
        "folded in",
        "--amendments",
        str(_adding_a_point(tmp_path)),
        pause_at="draft-new" if interrupted else None,
        marker=marker,
    )
    if interrupted:
        _kill_when_paused(process, marker)
    else:
        assert process.wait(timeout=60) == 0, process.communicate()
    stored = drafts.load(database, NAME)
    versions = [d.version for d in stored.negotiation.drafts]
    has_point = any(p.id == "monitoring" for p in stored.negotiation.points)
    if interrupted:  # none of it: no version 4, no added point, no revision raised
        assert (versions, has_point, stored.revision) == ([1, 2, 3], False, 1)
    else:  # all of it
        assert (versions, has_point, stored.revision) == ([1, 2, 3, 4], True, 2)
    result = audit.check(database)
    assert result.ok and result.entries == (1 if interrupted else 2)


def _adding_a_point(folder: Path) -> Path:
    path = folder / "amendments.yaml"
    path.write_text(
        "- add: monitoring\n  title: Monitoring\n  text: OSCE observers monitor\n  reason: asked by Europe\n",
        encoding="utf-8",
    )
    return path
