"""The requests being served, counted where a job's process can see them, so that a job works only
while no request of any server process is being answered.

A job's process already runs only on a core no request wants (accord.web.job_process.give_way), but
on PostgreSQL the requests still waited behind it: measured with bench/load.py --with-job (200
clients, idle machine), p99 70-244 ms against 68-75 ms without the job, each request's thread time
up from 6-7 to 9-10 ms while the job ran beside it (the job's memory traffic and the machine's other
costs are shared whichever core it runs on). So a job pauses between its steps while any request is
in flight, and goes on in the gaps between them.

Each server process counts its own requests in flight (InFlight, ASGI middleware) into a file of
eight bytes mapped into memory (Serving), one file per process in a directory all the server's
processes share ($ACCORD_IN_FLIGHT_DIR: `accord serve --workers N` makes it before it starts the
processes; a process on its own makes its own). A job's process maps every file of that directory
(Quiet) and, at each step of its work, waits while any count is above zero: reading the counts is a
few memory reads, no system call. A count that never returns to zero (a process killed while it
answered) holds a job back at most LONGEST_WAIT per step, and a file whose process has gone is
dropped when the directory is next looked at.
"""

from __future__ import annotations

import atexit
import contextlib
import mmap
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DIRECTORY_VARIABLE = "ACCORD_IN_FLIGHT_DIR"
LONGEST_WAIT = 0.5  # seconds a job waits for the requests at one step, at most
LOOK_EVERY = 0.0005  # seconds between two looks at the counts while a job waits
RESCAN_EVERY = 1.0  # seconds between two looks at which processes serve (the directory's files)
_SIZE = 8
_IDLE = bytes(_SIZE)


def shared_directory() -> Path:
    """The directory of this server's counts: $ACCORD_IN_FLIGHT_DIR, else a new one (named there,
    so the processes started after this one share it; removed when this process ends)."""
    named = os.environ.get(DIRECTORY_VARIABLE)
    if named:
        return Path(named)
    made = tempfile.mkdtemp(prefix="accord-in-flight-")
    os.environ[DIRECTORY_VARIABLE] = made
    atexit.register(shutil.rmtree, made, True)
    return Path(made)


class Serving:
    """This process's count of requests in flight, in its own file of ``directory`` (made at the
    first request, removed when the process ends). Counted on the event loop's thread only."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0
        self._map: mmap.mmap | None = None
        self._path: Path | None = None

    def enter(self) -> None:
        self.count += 1
        self._write()

    def leave(self) -> None:
        self.count = max(0, self.count - 1)
        self._write()

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None
        if self._path is not None:
            with contextlib.suppress(OSError):
                self._path.unlink()
            self._path = None

    def _write(self) -> None:
        if self._map is None:
            self._open()
            if self._map is None:
                return  # the directory is gone (the server stopping): nobody is watching
        self._map[:_SIZE] = self.count.to_bytes(_SIZE, "little")

    def _open(self) -> None:
        path = self.directory / f"{os.getpid()}-{secrets.token_hex(4)}"
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        except OSError:
            return
        try:
            os.ftruncate(descriptor, _SIZE)
            self._map = mmap.mmap(descriptor, _SIZE)
        finally:
            os.close(descriptor)
        self._path = path
        atexit.register(self.close)


class InFlight:
    """ASGI middleware: each HTTP request counted in ``serving`` from when it reaches the app until
    its answer's last part has been handed to the server (or it failed)."""

    def __init__(self, app: ASGIApp, serving: Serving) -> None:
        self.app = app
        self.serving = serving

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        serving = self.serving
        serving.enter()
        counted = True

        async def sending(message: Message) -> None:
            nonlocal counted
            if counted and message["type"] == "http.response.body" and not message.get("more_body"):
                try:
                    await send(message)
                finally:
                    counted = False
                    serving.leave()
                return
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if counted:
                counted = False
                serving.leave()


class Quiet:
    """What a job's process sees of the requests of every server process sharing ``directory``."""

    def __init__(self, directory: Path, longest_wait: float = LONGEST_WAIT) -> None:
        self.directory = directory
        self.longest_wait = longest_wait
        self.waited = 0.0  # seconds this job's process has waited for the requests, in all
        self._maps: dict[str, mmap.mmap] = {}
        self._looked = -RESCAN_EVERY

    def busy(self) -> bool:
        """True while a request of any of the server's processes is being answered."""
        if time.monotonic() - self._looked >= RESCAN_EVERY:
            self._rescan()
        return any(counted[:_SIZE] != _IDLE for counted in self._maps.values())

    def wait(self) -> None:
        """Return once no request is in flight, or after ``longest_wait`` seconds."""
        if not self.busy():
            return
        started = time.monotonic()
        while True:
            time.sleep(LOOK_EVERY)
            now = time.monotonic()
            if not self.busy() or now - started >= self.longest_wait:
                self.waited += now - started
                return

    def close(self) -> None:
        for counted in self._maps.values():
            counted.close()
        self._maps.clear()

    def _rescan(self) -> None:
        self._looked = time.monotonic()
        try:
            names = {entry.name for entry in os.scandir(self.directory) if _serving(entry.name)}
        except OSError:
            names = set()
        for gone in set(self._maps) - names:
            self._maps.pop(gone).close()
        for name in names - set(self._maps):
            try:
                with open(self.directory / name, "rb") as file:
                    self._maps[name] = mmap.mmap(file.fileno(), _SIZE, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # removed meanwhile, or not yet its full size
                continue


def _serving(name: str) -> bool:
    """Whether the process that made the file ``name`` still runs."""
    pid, _, _ = name.partition("-")
    if not pid.isdigit():
        return False
    if os.name != "posix":  # os.kill(pid, 0) would signal the process there, not test it
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: it runs
    return True
