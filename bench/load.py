"""The web workbench under load: many clients recording stances and reading the matrix at once.

For each backend (SQLite in a temporary file, and a throwaway PostgreSQL server) this prepares
the demo database, starts `accord serve --workers N` on it, logs in the three party members and
runs ``--clients`` concurrent clients for ``--seconds``. Each client loops: GET the matrix, then
POST a stance (its party is the client's index mod 3, the point rotates over 1..28, the note is
unique), pausing ``--think`` seconds on average after each request (uniformly 0.5x to 1.5x: a person
at the workbench reads what came back; 0 sends back to back, which measures the server's capacity:
then latency is simply clients / throughput). Afterwards every acknowledged write is looked up in
the stored stance history (a missing one is a lost update) and `accord audit verify` is run.

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
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx
from rich.console import Console
from rich.table import Table

from accord.cli.web_commands import demo_password, set_up_demo
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
    started: float = field(default_factory=time.perf_counter)

    def done(self, kind: str, sent: float) -> None:
        now = time.perf_counter()
        self.latencies[kind].append(now - sent)
        self.timeline.append((now - self.started, now - sent))

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
def database_url(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="accord-load-") as folder:
            yield f"sqlite:///{folder}/accord.db"
    elif backend == "postgresql":
        with postgres_server() as server, fresh_database(server) as url:
            yield url
    else:
        raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")


@contextlib.contextmanager
def running_server(
    url: str, log: Path, workers: int, threads: int
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`accord serve --db URL` on a free port, until it answers; stopped (SIGINT, then kill) after."""
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
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"accord serve exited with {server.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"accord serve did not answer within 30 s:\n{log.read_text()}")
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
    headers = {"Authorization": f"Bearer {token}"}
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
            start = time.perf_counter()
            try:
                async with http.request(method, url, json=payload, headers=headers) as response:
                    text = await response.text()
            except (aiohttp.ClientError, TimeoutError) as error:
                tally.done(kind, start)
                tally.fail(kind, type(error).__name__, start, repr(error))
                continue
            tally.done(kind, start)
            if 200 <= response.status < 300:
                if kind == "write":
                    tally.written.append(note)
            else:
                tally.fail(kind, f"HTTP {response.status} {text[:200]}", start)
            if think and time.perf_counter() < deadline:
                await asyncio.sleep(pace.uniform(0.5 * think, 1.5 * think))


async def run_clients(base: str, tokens: dict[str, str], clients: int, seconds: float, think: float) -> Tally:
    # keep-alive connections from one pool, up to one per client (never a queue for a connection)
    connector = aiohttp.TCPConnector(limit=clients, limit_per_host=clients)
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


def run(backend: str, clients: int, seconds: float, think: float, workers: int, threads: int) -> Result:
    with database_url(backend) as url, tempfile.TemporaryDirectory(prefix="accord-load-log-") as logs:
        set_up_demo(open_database(url))
        log = Path(logs) / "server.log"
        with running_server(url, log, workers, threads) as (server, base):
            tokens = log_in(base)
            server_before, client_before = cpu_seconds(server.pid), time.process_time()
            machine_before, wall = machine_busy_seconds(), time.time()
            tally = asyncio.run(run_clients(base, tokens, clients, seconds, think))
            wall = time.time() - wall
            server_cpu = (cpu_seconds(server.pid) - server_before) / wall
            client_cpu = (time.process_time() - client_before) / wall
            other_cpu = (machine_busy_seconds() - machine_before) / wall - server_cpu - client_cpu
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
        )


def report(results: list[Result]) -> None:
    pauses = {r.think for r in results}
    think = ", ".join(f"pausing {t:g} s after each request" if t else "back to back" for t in sorted(pauses))
    table = Table(title=f"accord serve under load: each client GETs the matrix, then POSTs a stance, {think}")
    columns = ["backend", "clients", "seconds", "kind", "requests", "req/s", "p50 ms", "p99 ms", "max ms"]
    columns += ["errors", "lost updates", "audit ok", "server cpu", "client cpu", "other cpu"]
    for column in columns:
        table.add_column(column, justify="left" if column in ("backend", "kind") else "right")
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
                str(r.clients) if first else "",
                f"{r.seconds:.1f}" if first else "",
                kind,
                str(len(latencies)),
                f"{len(latencies) / r.seconds:.0f}",
                f"{percentile(latencies, 0.50):.0f}",
                f"{percentile(latencies, 0.99):.0f}",
                f"{max(latencies, default=float('nan')) * 1000:.0f}",
                str(errors[kind]),
                str(r.lost) if first else "",
                ("yes" if r.audit_ok else "NO") if first else "",
                f"{r.server_cpu:.0%}" if first else "",
                f"{r.client_cpu:.0%}" if first else "",
                f"{r.other_cpu:.0%}" if first else "",
                end_section=kind == "read",
            )
    console.print(table)
    console.print(
        f"seconds: the run plus the wait for requests still in flight (timeout {REQUEST_TIMEOUT:g} s); "
        f"cpu: share of one core (this machine has {os.cpu_count()}) used by the server process, by this "
        "client process, and by everything else (PostgreSQL's own processes, and anything else running)"
    )
    for r in results:
        console.print(f"{r.backend}: audit verify: {r.audit_message}", markup=False)
        window = 10 if r.seconds >= 30 else 1
        windows = "  ".join(f"{n:.0f}" for n in r.tally.per_window(window))
        console.print(f"{r.backend}: req/s in each {window} s of the run: {windows}", markup=False)
        p99s = "  ".join(f"{p:.0f}" for p in r.tally.p99_per_window(window))
        console.print(f"{r.backend}: p99 ms in each {window} s of the run: {p99s}", markup=False)
        if r.unacknowledged:
            console.print(
                f"{r.backend}: {r.unacknowledged} writes not acknowledged to the client were stored anyway",
                markup=False,
            )
        for error, count in r.tally.errors.most_common(10):
            console.print(f"{r.backend}: {count} x {error}", markup=False)
        for sample in r.tally.error_samples:
            console.print(f"{r.backend}: first errors: {sample}", markup=False)
        output = "\n".join(
            line for line in r.server_log.splitlines() if not line.startswith("accord workbench on")
        )
        if output.strip():
            console.rule(f"{r.backend}: server output")
            console.print(output[-20000:], markup=False, highlight=False)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the clients run (default 60)")
    parser.add_argument(
        "--backends", default=",".join(BACKENDS), help="comma-separated: sqlite,postgresql (default both)"
    )
    parser.add_argument("--workers", type=int, default=1, help="server processes (accord serve --workers)")
    parser.add_argument("--threads", type=int, default=1, help="request threads per server process")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds each client pauses after a request, on average (default 1; 0: back to back)",
    )
    options = parser.parse_args()
    backends = [b.strip() for b in options.backends.split(",") if b.strip()]
    for backend in backends:
        if backend not in BACKENDS:
            parser.error(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    results = []
    for backend in backends:
        console.print(f"{backend}: {options.clients} clients for {options.seconds:g} s ...")
        results.append(
            run(backend, options.clients, options.seconds, options.think, options.workers, options.threads)
        )
    report(results)
    if any(r.lost for r in results):
        sys.exit("lost updates: acknowledged stances are missing from the stored history")
    if not all(r.audit_ok for r in results):
        sys.exit("the audit log does not verify after the run")


if __name__ == "__main__":
    main()
