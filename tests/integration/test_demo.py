"""`make demo` (scripts/demo.sh): words a mediator reads (no shell echo, no jargon), the workbench
serving the very record the demo built with the demo log-ins working on it, and no temporary files
left behind when Ctrl-C stops it; `accord serve --demo` alone removes its temporary database."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from accord.errors import DomainError
from accord.security.passwords import verify_password
from accord.services import accounts, negotiations
from accord.services.demo import FLAGSHIP, FLAGSHIP_NAME, demo_password, open_demo
from accord.storage.database import Database, open_database
from accord.storage.unit_of_work import reading
from tests.conftest import EXAMPLES, ROOT

ACCORD = str(Path(sys.executable).parent / "accord")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Running:
    """A process in a session of its own (as a terminal's foreground job), its output collected."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "COLUMNS": "100", **env},
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_server(self, url: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"the workbench did not start:\n{self.output}")
            time.sleep(0.2)

    def ctrl_c(self) -> int:
        """What Ctrl-C in a terminal does: SIGINT to the whole foreground process group."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            code = self.process.wait(timeout=30)
        finally:
            self.stop()
        self._reader.join(timeout=5)
        return code

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _logs_in(database: Database, username: str, password: str) -> bool:
    with reading(database) as uow:
        user = uow.accounts.user(username)
    return user is not None and verify_password(user.password_hash, password)


def _log_in(url: str, username: str) -> dict[str, str]:
    answer = httpx.post(f"{url}/api/login", json={"username": username, "password": demo_password(username)})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_make_demo_reads_as_words_and_serves_the_record_it_built(tmp_path: Path) -> None:
    out, scratch, port = tmp_path / "out", tmp_path / "tmp", _free_port()
    scratch.mkdir()
    url = f"http://127.0.0.1:{port}"
    demo = Running(
        [str(ROOT / "scripts" / "demo.sh")],
        {"ACCORD": ACCORD, "OUT": str(out), "PORT": str(port), "TMPDIR": str(scratch)},
    )
    demo.wait_for_server(url)
    try:
        # the record the demo built, with its draft E, under the demo's own log-ins
        mediator = _log_in(url, "mediator")
        draft = httpx.get(f"{url}/api/negotiations/{FLAGSHIP_NAME}/drafts/4", headers=mediator)
        assert draft.status_code == 200, draft.text
        assert draft.json()["label"] == "E"
        chosen = {p["number"]: p["option"] for p in draft.json()["points"]}
        assert chosen[7] == "no-consensus"  # the demo's amendment of draft 3
        _log_in(url, "ukraine")  # a party's log-in works too
    finally:
        code = demo.ctrl_c()
    text = demo.output
    assert code == 0, text
    # words for a mediator: headings, no make or shell echo, no jargon, no traceback
    for heading in ("1. The framework and the parties", "The best compromise packages for draft 3"):
        assert heading in text
    assert "Minkowski" not in text and "Traceback" not in text
    steps = "validate|show|diagnose|solve|contested|frontier|init|import|draft|status|audit|brief|serve"
    command = rf"^\s*(\S*/)?(accord ({steps}) |(mkdir|rm|echo|printf|cd|trap|set) |\w+=)"
    echoed = [line for line in demo.lines if re.match(command, line) or ".venv/bin" in line]
    assert not echoed, echoed
    assert f"Demo log-ins (sqlite:///{out / 'accord.db'})" in text, "the workbench served another record"
    assert f"Kept in {out}/" in text
    # what the user keeps is in out/; nothing temporary is left anywhere
    kept = {p.name for p in out.iterdir()}
    assert {"accord.db", "frontier.png", "stances.png", "convergence.png", "checkpoint.txt"} <= kept
    assert not {"accord.db-wal", "accord.db-shm", "accord.db-journal"} & kept
    assert list(scratch.iterdir()) == []
    # it ends by pointing at the briefing
    assert (out / "briefing.html").exists()
    assert demo.lines[-1] == f"The briefing for the mediator: {out}/briefing.html"
    # the demo log-ins stay with the kept record
    database = open_database(str(out / "accord.db"))
    try:
        assert _logs_in(database, "observer", demo_password("observer"))
    finally:
        database.dispose()


def test_the_makefile_runs_the_demo_without_echoing_commands() -> None:
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert recipe is not None
    assert all(line.startswith("\t@") for line in recipe.group(1).splitlines())


def test_serve_demo_alone_removes_its_temporary_database_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    server = Running([ACCORD, "serve", "--demo", "--port", str(port)], {"TMPDIR": str(tmp_path)})
    server.wait_for_server(f"http://127.0.0.1:{port}")
    try:
        made = list(tmp_path.glob("accord-demo-*"))
        assert len(made) == 1 and (made[0] / "accord.db").exists()
        _log_in(f"http://127.0.0.1:{port}", "mediator")
    finally:
        code = server.ctrl_c()
    assert code == 0, server.output
    assert list(tmp_path.iterdir()) == [], "the demo's temporary database is left behind"
    assert "temporary database is removed" in server.output


# the service under `accord serve --demo --db`: on SQLite and PostgreSQL


def test_the_demo_seats_its_accounts_on_a_record_that_holds_the_flagship(database_url: str) -> None:
    database = open_database(database_url)
    try:
        negotiations.import_scenario(database, FLAGSHIP, actor="desk")
        rows = open_demo(database)
        assert [r[0] for r in rows] == ["mediator", "russia", "ukraine", "europe", "observer"]
        for username, password, _ in rows:
            assert _logs_in(database, username, password)
        grants = {(g.username, g.role, g.party) for g in accounts.grants(database)}
        assert ("russia", "member", "russia") in grants and ("mediator", "mediator", None) in grants
        # again (a second `accord serve --demo --db` on it): nothing new, the log-ins still work
        before = len(accounts.grants(database))
        assert open_demo(database) == rows
        assert len(accounts.grants(database)) == before
    finally:
        database.dispose()


def test_the_demo_refuses_a_record_it_would_not_serve_truthfully(database_url: str) -> None:
    database = open_database(database_url)
    try:
        negotiations.import_scenario(database, EXAMPLES / "camp-david-1978.yaml", actor="desk")
        with pytest.raises(DomainError, match="holds camp-david-1978"):
            open_demo(database)
        negotiations.import_scenario(database, FLAGSHIP, actor="desk")
        accounts.add_user(database, "ukraine", "Kyiv desk", "a password of its own", actor="desk")
        with pytest.raises(DomainError, match="'ukraine' with a password of its own"):
            open_demo(database)
        assert not _logs_in(database, "mediator", demo_password("mediator")), "nothing changed"
    finally:
        database.dispose()
