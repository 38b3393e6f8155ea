"""The web workbench under load: many clients recording stances and reading the matrix at once.

For each backend (SQLite in a temporary file, and a throwaway PostgreSQL server) this prepares
the demo database, starts `accord serve --workers N` on it, logs in the three party members and
runs ``--clients`` concurrent clients for ``--seconds``. Each client loops: GET the matrix, then
POST a stance (its party is the client's index mod 3, the point rotates over 1..28, the note is
unique), pausing ``--think`` seconds on average after each request (uniformly 0.5x to 1.5x: a person
at the workbench reads what came back; 0 sends back to back, which measures the server's capacity:
then latency is simply clients / throughput). Afterwards every acknowledged write is looked up in
the stored stance history (a missing one is a lost update) and `accord audit verify` is run.

``--runs N`` runs each backend N times, one after another (each on a fresh database), and reports
every run with its p99 in each 10 s of it and the machine's load average before and after.
``--with-job`` starts a robustness run as the mediator (the workbench's form, as a browser would)
before the clients start, so it runs in the background for the whole run; the report says whether it
was still running at the end (it is cancelled then). ``--profile`` runs the server with the request
probe ($ACCORD_PROFILE_REQUESTS, docs/workbench.md "Under load") and attributes the slowest 1% of the
requests the clients saw to where they waited.

The clients run on aiohttp in this one process (httpx took half a core for the same work, which the
server then lacked). Targets: p99 <= 100 ms and no errors at 200 clients. Run with `make bench`, or
quickly with `python bench/load.py --clients 20 --seconds 5`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx
from rich.console import Console
from rich.table import Table

from accord.services.demo import demo_password, set_up_demo
from accord.services.stances import history
from accord.storage.database import open_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.postgres import fresh_database, postgres_server  # noqa: E402

ACCORD = Path(sys.executable).parent / "accord"
NEGOTIATION = "peace-framework-2025"
PARTIES = ("russia", "ukraine", "europe")
POINTS = 28
DRAFT = 3
STANCES = ("accept", "conditional", "reject")
BACKENDS = ("sqlite", "postgresql")
REQUEST_TIMEOUT = 30.0
START_SECONDS = 120  # a busy machine (other work on both cores) took 30 s to start two processes
WINDOW = 10.0  # seconds: the p99 of each window of the run is reported too
# the robustness run of --with-job: the form's largest, so it outlasts a minute's run on this machine
JOB_FORM = {
    "samples": "2000000",
    "seed": "7",
    "top": "1",
    "resolves": "1000",
    "draft": str(DRAFT),
    "concept": "nash",
}

console = Console(width=200)


@dataclass
class Tally:
    """What the clients saw: latencies (seconds) per kind, failures, and the acknowledged notes."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"write": [], "read": []})
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    attempted: list[str] = field(default_factory=list)
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (completed at, latency)
    by_id: dict[str, tuple[str, float]] = field(default_factory=dict)  # X-Load-Id: (kind, latency)
    started: float = field(default_factory=time.perf_counter)

    def done(self, kind: str, sent: float, request: str = "") -> None:
        now = time.perf_counter()
        self.latencies[kind].append(now - sent)
        self.timeline.append((now - self.started, now - sent))
        if request:
            self.by_id[request] = (kind, now - sent)

    def p99_per_window(self, window: float) -> list[float]:
        """p99 latency (ms) of the requests completed in each whole window of the run."""
        spans: dict[int, list[float]] = {}
        for at, latency in self.timeline:
            spans.setdefault(int(at // window), []).append(latency)
        whole = int(self.last_completed() // window)
        return [percentile(spans.get(i, []), 0.99) for i in range(whole)]

    def per_window(self, window: float) -> list[float]:
        """Requests completed per second in each whole window of the run (a last, shorter one is left out)."""
        counts = Counter(int(at // window) for at, _latency in self.timeline)
        return [counts[i] / window for i in range(int(self.last_completed() // window))]

    def last_completed(self) -> float:
        return max((at for at, _latency in self.timeline), default=0.0)

    def fail(self, kind: str, reason: str, sent: float, detail: str = "") -> None:
        self.errors[f"{kind}: {reason}"] += 1
        if len(self.error_samples) < 10:
            at = sent - self.started
            waited = time.perf_counter() - sent
            self.error_samples.append(
                f"{kind} sent at {at:.1f} s, failed after {waited:.1f} s: {reason} {detail}"
            )


@dataclass
class Result:
    backend: str
    think: float
    clients: int
    seconds: float
    tally: Tally
    lost: int
    unacknowledged: int
    audit_ok: bool
    audit_message: str
    server_cpu: float
    client_cpu: float
    other_cpu: float
    server_log: str
    run: int = 1
    load_before: float = float("nan")
    load_after: float = float("nan")
    job: str = ""  # --with-job: what became of the background job
    profile: list[dict[str, object]] = field(default_factory=list)  # the probe's lines (--profile)
    profile_file: str = ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its live children (uvicorn's workers), from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if stat.parent.name == str(pid) or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def machine_busy_seconds() -> float:
    """CPU time spent by the whole machine (all cores, every process), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile, in milliseconds (nan when there is nothing to rank)."""
    if not values:
        return float("nan")
    ranked = sorted(values)
    index = min(len(ranked) - 1, max(0, round(fraction * len(ranked) + 0.5) - 1))
    return ranked[index] * 1000


@contextlib.contextmanager
def database_server(backend: str) -> Iterator[str | None]:
    """A throwaway PostgreSQL server for all the runs on it (None for SQLite: a file per run)."""
    if backend == "postgresql":
        with postgres_server() as server:
            yield server
    else:
        yield None


@contextlib.contextmanager
def database_url(backend: str, server: str | None) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="accord-load-") as folder:
            yield f"sqlite:///{folder}/accord.db"
    elif backend == "postgresql" and server is not None:
        with fresh_database(server) as url:
            yield url
    else:
        raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")


@contextlib.contextmanager
def running_server(
    url: str, log: Path, workers: int, threads: int, profile: Path | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`accord serve --db URL` on a free port, until it answers; stopped (SIGINT, then kill) after.
    ``profile``: the file the request probe writes to (the server inherits this process's environment,
    $PYTHONPATH included, so it imports the same accord)."""
    environment = dict(os.environ)
    if profile is not None:
        environment["ACCORD_PROFILE_REQUESTS"] = str(profile)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(ACCORD),
                "serve",
                "--db",
                url,
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"accord serve exited with {server.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"accord serve did not answer within {START_SECONDS} s:\n{log.read_text()}"
                )
            time.sleep(0.1)
        yield server, base
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def log_in(base: str) -> dict[str, str]:
    tokens = {}
    for party in PARTIES:
        response = httpx.post(
            f"{base}/api/login", json={"username": party, "password": demo_password(party)}, timeout=10
        )
        response.raise_for_status()
        tokens[party] = response.json()["token"]
    return tokens


async def client(
    http: aiohttp.ClientSession,
    base: str,
    index: int,
    token: str,
    party: str,
    deadline: float,
    think: float,
    tally: Tally,
) -> None:
    """One simulated user: read the matrix, write a stance, repeat; after each request it pauses for
    ``think`` seconds on average (uniformly between half and one and a half times that; 0: no pause)."""
    authorization = f"Bearer {token}"
    stances = f"{base}/api/negotiations/{NEGOTIATION}/stances"
    matrix = f"{base}/api/negotiations/{NEGOTIATION}/matrix"
    pace = random.Random(index)
    if think:
        # users arrive spread over one whole cycle (a read, a pause, a write, a pause), so the run starts
        # in the mix it keeps, not with every user writing in the same second
        await asyncio.sleep(pace.uniform(0, 2 * think))
    seq = 0
    while time.perf_counter() < deadline:
        note = f"c{index}-{seq}"
        body = {
            "party": party,
            "point": str((index + seq) % POINTS + 1),
            "stance": STANCES[(index + seq) % len(STANCES)],
            "draft": DRAFT,
            "note": note,
        }
        seq += 1
        tally.attempted.append(note)
        for kind, method, url, payload in (("read", "GET", matrix, None), ("write", "POST", stances, body)):
            request = f"{kind}-{note}"  # the probe's lines name it (X-Load-Id)
            headers = {"Authorization": authorization, "X-Load-Id": request}
            start = time.perf_counter()
            try:
                async with http.request(method, url, json=payload, headers=headers) as response:
                    text = await response.text()
            except (aiohttp.ClientError, TimeoutError) as error:
                tally.done(kind, start, request)
                tally.fail(kind, type(error).__name__, start, repr(error))
                continue
            tally.done(kind, start, request)
            if 200 <= response.status < 300:
                if kind == "write":
                    tally.written.append(note)
            else:
                tally.fail(kind, f"HTTP {response.status} {text[:200]}", start)
            if think and time.perf_counter() < deadline:
                await asyncio.sleep(pace.uniform(0.5 * think, 1.5 * think))


async def run_clients(base: str, tokens: dict[str, str], clients: int, seconds: float, think: float) -> Tally:
    # keep-alive connections from one pool, up to one per client (never a queue for a connection)
    # idle connections are closed by the clients before the server would (uvicorn: after 5 s): a POST
    # sent on a connection the server closes at that moment fails, and is not retried (seen once a
    # run when the machine was so busy that connections sat idle for seconds)
    connector = aiohttp.TCPConnector(limit=clients, limit_per_host=clients, keepalive_timeout=3)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        tally = Tally()
        deadline = tally.started + seconds
        await asyncio.gather(
            *(
                client(http, base, i, tokens[PARTIES[i % 3]], PARTIES[i % 3], deadline, think, tally)
                for i in range(clients)
            )
        )
    return tally


def audit_verify(url: str) -> tuple[bool, str]:
    done = subprocess.run(
        [str(ACCORD), "audit", "verify", "--db", url, "--json"], capture_output=True, text=True, check=False
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return False, (done.stdout + done.stderr).strip()
    problems = "; ".join(f"#{p['entry']}: {p['message']}" for p in report["problems"][:3])
    return done.returncode == 0 and report["ok"], f"{report['entries']} entries" + (
        f"; {problems}" if problems else ""
    )


def start_job(base: str) -> str:
    """--with-job: the mediator starts a robustness run from the workbench's form; the job's page."""
    with httpx.Client(base_url=base, timeout=30) as http:
        token = http.post(
            "/api/login", json={"username": "mediator", "password": demo_password("mediator")}
        ).json()["token"]
        response = http.post(
            f"/n/{NEGOTIATION}/robustness", data=JOB_FORM, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code != 303:
            raise RuntimeError(
                f"starting the robustness job: HTTP {response.status_code} {response.text[:300]}"
            )
        return f"{response.headers['location']}|{token}"


class JobKeeper:
    """--with-job for the whole run: a robustness job started at once, and again whenever the last one
    has finished (a run of the form's largest can finish within a minute on an idle machine)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.job = start_job(base)
        self.started = 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep, daemon=True)
        self._thread.start()

    def _keep(self) -> None:
        while not self._stop.wait(1.0):
            page, token = self.job.split("|")
            headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
            try:
                with httpx.Client(base_url=self.base, timeout=30, headers=headers) as http:
                    answer = http.get(f"{page}/progress")
            except httpx.HTTPError:
                continue
            state = re.search(r'<strong id="job-state">(\w+)</strong>', answer.text)
            if answer.status_code == 200 and state and state.group(1) in ("done", "failed", "cancelled"):
                self.job = start_job(self.base)
                self.started += 1

    def stop(self) -> str:
        """The job running now (its page and token), for end_job."""
        self._stop.set()
        self._thread.join()
        return self.job


def end_job(base: str, job: str) -> str:
    """What became of the job (asked until the process that runs it answers), then cancel it."""
    page, token = job.split("|")
    headers = {"Authorization": f"Bearer {token}"}
    # a job is known only to the process that runs it: each attempt on a new connection, which any of
    # the server's processes may accept
    headers["Connection"] = "close"
    with httpx.Client(base_url=base, timeout=30, headers=headers) as http:
        for _attempt in range(60):
            progress = http.get(f"{page}/progress")
            if progress.status_code == 200:
                break
            time.sleep(0.05)
        else:
            return "not found (the process that ran it did not answer)"
        found = re.search(
            r'<strong id="job-state">(\w+)</strong>: <span id="job-words">([^<]*)<', progress.text
        )
        state, words = found.groups() if found else ("unknown", progress.text[:200])
        state = f"{state} at the end ({words}; {'running' if state == 'running' else 'NOT running'})"
        for _attempt in range(60):
            if http.post(f"{page}/cancel").status_code in (200, 303):
                break
            time.sleep(0.05)
        return state


def read_profile(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def run(
    backend: str,
    clients: int,
    seconds: float,
    think: float,
    workers: int,
    threads: int,
    *,
    server_url: str | None = None,
    number: int = 1,
    with_job: bool = False,
    profile: bool = False,
) -> Result:
    """One run on a fresh database (``server_url``: the PostgreSQL server to make it on; None: one of
    its own)."""
    with contextlib.ExitStack() as stack:
        if server_url is None:
            server_url = stack.enter_context(database_server(backend))
        return _run(backend, server_url, clients, seconds, think, workers, threads, number, with_job, profile)


def _run(
    backend: str,
    server_url: str | None,
    clients: int,
    seconds: float,
    think: float,
    workers: int,
    threads: int,
    number: int,
    with_job: bool,
    profile: bool,
) -> Result:
    with (
        database_url(backend, server_url) as url,
        tempfile.TemporaryDirectory(prefix="accord-load-log-") as logs,
    ):
        set_up_demo(open_database(url))
        log = Path(logs) / "server.log"
        probe = Path(tempfile.gettempdir()) / f"accord-load-profile-{backend}-{number}-{os.getpid()}.jsonl"
        probe.unlink(missing_ok=True)
        load_before = os.getloadavg()[0]
        with running_server(url, log, workers, threads, probe if profile else None) as (server, base):
            tokens = log_in(base)
            keeper = JobKeeper(base) if with_job else None
            server_before, client_before = cpu_seconds(server.pid), time.process_time()
            machine_before, wall = machine_busy_seconds(), time.time()
            tally = asyncio.run(run_clients(base, tokens, clients, seconds, think))
            wall = time.time() - wall
            job = keeper.stop() if keeper else ""
            server_cpu = (cpu_seconds(server.pid) - server_before) / wall
            client_cpu = (time.process_time() - client_before) / wall
            other_cpu = (machine_busy_seconds() - machine_before) / wall - server_cpu - client_cpu
            load_after = os.getloadavg()[0]
            job_state = ""
            if keeper:
                job_state = f"{end_job(base, job)}; {keeper.started} run(s) one after another"
        stored = {r.stance.note for r in history(open_database(url), NEGOTIATION)}
        acknowledged = set(tally.written)
        lost = len(acknowledged - stored)
        unacknowledged = len((set(tally.attempted) - acknowledged) & stored)
        audit_ok, audit_message = audit_verify(url)
        return Result(
            backend,
            think,
            clients,
            wall,
            tally,
            lost,
            unacknowledged,
            audit_ok,
            audit_message,
            server_cpu,
            client_cpu,
            other_cpu,
            log.read_text(),
            number,
            load_before,
            load_after,
            job_state,
            read_profile(probe) if profile else [],
            str(probe) if profile else "",
        )


# where a request waited, in the probe's words (accord.web.request_timing): these add up to the
# client's latency; "gc" and "loop lag" overlap them (a pause stops every thread)
EXCLUSIVE = (
    "outside app",
    "loop",
    "thread queue",
    "write gate",
    "pool",
    "write lock",
    "db",
    "commit",
    "python",
)
OVERLAPPING = ("gc", "loop lag")


def causes(line: dict[str, object], latency: float) -> dict[str, float]:
    """One request's milliseconds per cause: the probe's phases, and what the app never saw."""
    ms = {
        k: float(v)
        for k, v in line.items()
        if isinstance(v, (int, float)) and k not in ("pid", "at", "status") and not k.endswith(" turns")
    }
    inside = sum(ms.get(k, 0.0) for k in ("write gate", "pool", "write lock", "db", "commit"))
    found = {
        "outside app": max(0.0, latency * 1000 - ms["total"]),
        "loop": ms.get("loop", 0.0),
        "thread queue": ms.get("thread queue", 0.0) + ms.get("analysis queue", 0.0),
        "write gate": ms.get("write gate", 0.0),
        "pool": ms.get("pool", 0.0),
        "write lock": ms.get("write lock", 0.0),
        "db": ms.get("db", 0.0),
        "commit": ms.get("commit", 0.0),
        "python": max(0.0, ms.get("thread", 0.0) + ms.get("analysis", 0.0) - inside),
    }
    found.update({k: ms.get(k, 0.0) for k in OVERLAPPING})
    return found


def attribute(r: Result) -> None:
    """The slowest 1% of the requests the clients saw, by where they waited (the probe's lines
    joined to the clients' latencies by X-Load-Id)."""
    lines = {str(line.get("id")): line for line in r.profile if line.get("id")}
    joined = [(latency, kind, lines[i]) for i, (kind, latency) in r.tally.by_id.items() if i in lines]
    if not joined:
        console.print(f"{r.backend} run {r.run}: the probe wrote nothing ({r.profile_file})", markup=False)
        return
    joined.sort(key=lambda j: j[0], reverse=True)
    slowest = joined[: max(1, len(joined) // 100)]
    table = Table(
        title=f"{r.backend}, run {r.run}: where the slowest 1% waited ({len(slowest)} of {len(joined)} "
        f"requests, {slowest[-1][0] * 1000:.0f} ms and slower; mean ms per request)"
    )
    table.add_column("requests")
    table.add_column("latency", justify="right")
    for cause in (*EXCLUSIVE, *OVERLAPPING):
        table.add_column(cause, justify="right")
    table.add_column("turns", justify="right")
    table.add_column("largest cause (how many)")
    groups: list[tuple[str, list[tuple[float, str, dict[str, object]]]]] = [
        ("slowest 1%", slowest),
        ("  of them writes", [j for j in slowest if j[1] == "write"]),
        ("  of them reads", [j for j in slowest if j[1] == "read"]),
        ("all", joined),
    ]
    for label, group in groups:
        if not group:
            continue
        split = [causes(line, latency) for latency, _kind, line in group]
        largest = Counter(max(EXCLUSIVE, key=lambda c, one=one: one[c]) for one in split)  # type: ignore[misc]
        table.add_row(
            f"{label} ({len(group)})",
            f"{sum(j[0] for j in group) / len(group) * 1000:.0f}",
            *(f"{sum(one[c] for one in split) / len(split):.1f}" for c in (*EXCLUSIVE, *OVERLAPPING)),
            f"{sum(float(str(j[2].get('thread turns', 0))) for j in group) / len(group):.1f}",
            ", ".join(f"{c} {n}" for c, n in largest.most_common(3)),
        )
    console.print(table)
    console.print(
        "outside app: the client's latency less the time the app held the request (connection, the "
        "server's event loop before the app, the client's own loop); loop: in the app on the event loop; "
        "thread queue: waiting for a request thread; python: on the thread, less the database phases "
        "(work, and waiting for the interpreter lock); gc and loop lag overlap the others. "
        f"Lines: {r.profile_file}",
        markup=False,
    )


def window_p99s(r: Result) -> list[float]:
    return r.tally.p99_per_window(WINDOW if r.seconds >= 2 * WINDOW else 1)


def report(results: list[Result]) -> None:
    pauses = {r.think for r in results}
    think = ", ".join(f"pausing {t:g} s after each request" if t else "back to back" for t in sorted(pauses))
    table = Table(title=f"accord serve under load: each client GETs the matrix, then POSTs a stance, {think}")
    columns = ["backend", "run", "clients", "seconds", "kind", "requests", "req/s", "p50 ms", "p99 ms"]
    columns += ["p99 ms per 10 s", "max ms", "errors", "lost updates", "audit ok", "server cpu"]
    columns += ["client cpu", "other cpu", "load avg"]
    for column in columns:
        table.add_column(
            column, justify="left" if column in ("backend", "kind", "p99 ms per 10 s") else "right"
        )
    for r in results:
        kinds = {"all": r.tally.latencies["write"] + r.tally.latencies["read"], **r.tally.latencies}
        errors = {
            "all": sum(r.tally.errors.values()),
            **{k: sum(n for e, n in r.tally.errors.items() if e.startswith(k)) for k in ("write", "read")},
        }
        for kind, latencies in kinds.items():
            first = kind == "all"
            table.add_row(
                r.backend if first else "",
                str(r.run) if first else "",
                str(r.clients) if first else "",
                f"{r.seconds:.1f}" if first else "",
                kind,
                str(len(latencies)),
                f"{len(latencies) / r.seconds:.0f}",
                f"{percentile(latencies, 0.50):.0f}",
                f"{percentile(latencies, 0.99):.0f}",
                " ".join(f"{p:.0f}" for p in window_p99s(r)) if first else "",
                f"{max(latencies, default=float('nan')) * 1000:.0f}",
                str(errors[kind]),
                str(r.lost) if first else "",
                ("yes" if r.audit_ok else "NO") if first else "",
                f"{r.server_cpu:.0%}" if first else "",
                f"{r.client_cpu:.0%}" if first else "",
                f"{r.other_cpu:.0%}" if first else "",
                f"{r.load_before:.1f}→{r.load_after:.1f}" if first else "",
                end_section=kind == "read",
            )
    console.print(table)
    console.print(
        f"seconds: the run plus the wait for requests still in flight (timeout {REQUEST_TIMEOUT:g} s); "
        f"p99 ms per 10 s: of the requests completed in each whole 10 s of the run (each second when the "
        f"run is shorter than 20 s); cpu: share of one core (this machine has {os.cpu_count()}) used by the "
        "server process, by this client process, and by everything else (PostgreSQL's own processes, and "
        "anything else running); load avg: the machine's 1-minute load average before and after the run"
    )
    for r in results:
        name = f"{r.backend} run {r.run}"
        console.print(f"{name}: audit verify: {r.audit_message}", markup=False)
        if r.job:
            console.print(f"{name}: the robustness job: {r.job}", markup=False)
        window = 10 if r.seconds >= 30 else 1
        windows = "  ".join(f"{n:.0f}" for n in r.tally.per_window(window))
        console.print(f"{name}: req/s in each {window} s of the run: {windows}", markup=False)
        if r.unacknowledged:
            console.print(
                f"{name}: {r.unacknowledged} writes not acknowledged to the client were stored anyway",
                markup=False,
            )
        for error, count in r.tally.errors.most_common(10):
            console.print(f"{name}: {count} x {error}", markup=False)
        for sample in r.tally.error_samples:
            console.print(f"{name}: first errors: {sample}", markup=False)
        output = "\n".join(
            line for line in r.server_log.splitlines() if not line.startswith("accord workbench on")
        )
        if output.strip():
            console.rule(f"{name}: server output")
            console.print(output[-20000:], markup=False, highlight=False)
        if r.profile_file:
            attribute(r)


def runs(options: argparse.Namespace, backends: Iterable[str]) -> list[Result]:
    results = []
    for backend in backends:
        with database_server(backend) as server:
            for number in range(1, options.runs + 1):
                console.print(
                    f"{backend} run {number} of {options.runs}: {options.clients} clients for "
                    f"{options.seconds:g} s"
                    + (", a robustness job running" if options.with_job else "")
                    + " ..."
                )
                results.append(
                    run(
                        backend,
                        options.clients,
                        options.seconds,
                        options.think,
                        options.workers,
                        options.threads,
                        server_url=server,
                        number=number,
                        with_job=options.with_job,
                        profile=options.profile,
                    )
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the clients run (default 60)")
    parser.add_argument(
        "--backends",
        "--backend",
        default=",".join(BACKENDS),
        help="comma-separated: sqlite,postgresql (default both)",
    )
    parser.add_argument("--workers", type=int, default=1, help="server processes (accord serve --workers)")
    parser.add_argument("--threads", type=int, default=1, help="request threads per server process")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds each client pauses after a request, on average (default 1; 0: back to back)",
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="runs per backend, one after another, each reported"
    )
    parser.add_argument(
        "--with-job", action="store_true", help="a robustness job (the mediator's) runs during each run"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the server with the request probe and attribute the slowest 1%% to where they waited",
    )
    options = parser.parse_args()
    backends = [b.strip() for b in options.backends.split(",") if b.strip()]
    for backend in backends:
        if backend not in BACKENDS:
            parser.error(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    if options.runs < 1:
        parser.error("--runs: at least 1")
    results = runs(options, backends)
    report(results)
    if any(r.lost for r in results):
        sys.exit("lost updates: acknowledged stances are missing from the stored history")
    if not all(r.audit_ok for r in results):
        sys.exit("the audit log does not verify after the run")


if __name__ == "__main__":
    main()
