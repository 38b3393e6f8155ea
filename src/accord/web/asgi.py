"""The workbench for an ASGI server's own process model: `accord serve --workers N` runs
``uvicorn --factory accord.web.asgi:make_app`` in N processes, each building the app from the
environment ($ACCORD_DATABASE_URL; $ACCORD_HTTPS=1 for Secure cookies; $ACCORD_THREADS, request
threads per process). Sessions live in the
database, so any process serves any user; the log-in throttle counts per process."""

from __future__ import annotations

import os

from fastapi import FastAPI

from accord.storage.database import open_database
from accord.web.app import create_app
from accord.web.capacity import REQUEST_THREADS


def make_app() -> FastAPI:
    database = open_database(os.environ.get("ACCORD_DATABASE_URL"))
    database.require_schema()
    threads = int(os.environ.get("ACCORD_THREADS", str(REQUEST_THREADS)))
    return create_app(database, https_only=os.environ.get("ACCORD_HTTPS") == "1", threads=threads)
