"""`accord serve --workers 2`: several server processes share sessions through the database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from accord.services.demo import demo_password, set_up_demo
from accord.storage.database import open_database
from accord.web.asgi import TcpConfig


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_worker_processes_serve_one_session(tmp_path: Path) -> None:
    db = str(tmp_path / "accord.db")
    set_up_demo(open_database(db))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "accord", "serve", "--db", db, "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "120"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        token = httpx.post(
            f"{url}/api/login", json={"username": "ukraine", "password": demo_password("ukraine")}
        )
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        # new connections each time: the requests are spread over both processes
        answers = [httpx.get(f"{url}/api/negotiations", headers=headers).status_code for _ in range(12)]
        assert answers == [200] * 12
        # a job started on one process is polled and read on whichever answers (kept in the database)
        mediator = httpx.post(
            f"{url}/api/login", json={"username": "mediator", "password": demo_password("mediator")}
        )
        token = {"Authorization": f"Bearer {mediator.json()['token']}"}
        jobs = f"{url}/api/negotiations/peace-framework-2025/jobs"
        parameters = {"samples": 2000, "seed": 1, "draft": [3], "resolves": 0}
        started = httpx.post(jobs, json={"kind": "robustness", "parameters": parameters}, headers=token)
        assert started.status_code == 202, started.text
        key = started.json()["key"]
        polls: list[int] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            answer = httpx.get(f"{jobs}/{key}", headers=token)  # a new connection: either process
            polls.append(answer.status_code)
            if answer.status_code != 200 or answer.json()["state"] == "done":
                break
            time.sleep(0.05)
        assert polls and set(polls) == {200}, polls
        result = [httpx.get(f"{jobs}/{key}/result", headers=token) for _ in range(6)]
        assert [r.status_code for r in result] == [200] * 6
        assert all(r.json()["result"]["samples"] == 2000 for r in result)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_shared_socket_sends_small_responses_at_once() -> None:
    """The socket the worker processes share says it is TCP and has Nagle's algorithm off, so asyncio
    and the kernel send each response at once (without it every response waited ~40 ms)."""
    config = TcpConfig("accord.web.asgi:make_app", factory=True, host="127.0.0.1", port=0, workers=2)
    sock = config.bind_socket()
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        sock.listen()
        with socket.create_connection(sock.getsockname()):
            accepted, _ = sock.accept()
            with accepted:  # what a worker's asyncio transport gets
                assert accepted.proto == socket.IPPROTO_TCP
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()
