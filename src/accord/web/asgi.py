"""The workbench for an ASGI server's own process model: `accord serve --workers N` runs
``uvicorn --factory accord.web.asgi:make_app`` in N processes, each building the app from the
environment ($ACCORD_DATABASE_URL; $ACCORD_HTTPS=1 for Secure cookies; $ACCORD_THREADS, request
threads per process; $ACCORD_CHECKPOINT_EVERY minutes and $ACCORD_CHECKPOINT_DIR for scheduled
audit checkpoints, signed with the key file of $ACCORD_KEY_FILE or the database's default). Sessions
live in the database, so any process serves any user, and so are failed log-ins: the processes throttle
log-ins together."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from accord import keys
from accord.storage.database import open_database
from accord.web.app import create_app
from accord.web.capacity import REQUEST_THREADS
from accord.web.schedule import schedule


def make_app() -> FastAPI:
    database = open_database(os.environ.get("ACCORD_DATABASE_URL"))
    database.require_schema()
    threads = int(os.environ.get("ACCORD_THREADS", str(REQUEST_THREADS)))
    plan = None
    if os.environ.get("ACCORD_CHECKPOINT_EVERY"):
        plan = schedule(
            Path(os.environ.get("ACCORD_CHECKPOINT_DIR") or "checkpoints"),
            float(os.environ["ACCORD_CHECKPOINT_EVERY"]),
            keys.key_path(database.url),
        )
    return create_app(
        database, https_only=os.environ.get("ACCORD_HTTPS") == "1", threads=threads, checkpoints=plan
    )


WORKER_START_SECONDS = 60


class TcpConfig(uvicorn.Config):
    """uvicorn's own configuration, with a listening socket that says it is TCP. uvicorn binds the
    socket its worker processes share as ``socket(AF_INET)``, protocol 0, and asyncio sets
    TCP_NODELAY only on sockets whose protocol is TCP: without it every response waited ~40 ms for
    the client's delayed acknowledgement (Nagle's algorithm)."""

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        tcp = socket.socket(bound.family, socket.SOCK_STREAM, socket.IPPROTO_TCP, fileno=bound.detach())
        tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it
        tcp.set_inheritable(True)
        return tcp


def proxy_options(forwarded_allow_ips: str | None) -> dict[str, Any]:
    """uvicorn's options for X-Forwarded-For: believed only from the proxies named (uvicorn's own
    default believes any client on 127.0.0.1, so a guesser on the server's machine, or behind a
    careless local proxy, could name a new address for every log-in attempt)."""
    if not forwarded_allow_ips:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": forwarded_allow_ips}


def serve_in_processes(host: str, port: int, workers: int, forwarded_allow_ips: str | None = None) -> None:
    """What ``uvicorn.run(..., workers=N)`` does, with :class:`TcpConfig`; the settings travel in the
    environment (see the module's docstring)."""
    config = TcpConfig(
        "accord.web.asgi:make_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        # a new process answers uvicorn's health check only once it has imported the app: ~2 s on
        # an idle machine, 6 s and more on a busy one, where uvicorn's 5 s killed and restarted
        # every process forever
        timeout_worker_healthcheck=WORKER_START_SECONDS,
        **proxy_options(forwarded_allow_ips),
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()
