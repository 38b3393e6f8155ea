"""Benchmark of the compromise engine, side by side with NegMAS where it applies.

Prints one table. Instances: 2, 3 and 5 parties on 4x5, 4x6, 6x4, 8x4, 10x4, 12x4, 28x5,
100x6 and 300x6 (points x options; 300x6 also with 10 parties), generated from
fixed seeds so every tool sees the same numbers. For each: accord's time per
concept and for the frontier (median of --repeat runs, in-process), and — when
a NegMAS environment is available (make bench creates .venv-negmas) — NegMAS's
`pareto_frontier` + `nash_points` on the same instance in its own process, with
a check that both give the same Nash point. Large instances are skipped for
NegMAS (it enumerates every outcome). A 2-party 28x3 row times the exact
frontier against NegMAS's MOBANOS sampler.

Instances with red lines (2 per party) and reservation values 0.25 measure
accord alone; the peer rows have neither, since NegMAS has no red lines.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from accord.engine import Concept, get_solver, solve
from accord.engine.backends import BACKENDS
from accord.engine.enumeration import LIMIT
from accord.engine.frontier import pareto_frontier
from accord.engine.problem import Problem, RedLineDemand

try:  # run as a script (python bench/engine.py) or imported as bench.engine
    from side_by_side import print_side_by_side  # type: ignore[import-not-found]
except ImportError:
    from bench.side_by_side import print_side_by_side

ROOT = Path(__file__).resolve().parents[1]
BACKEND_NAMES = {
    "auto": f"auto (enumeration up to {LIMIT:,} packages, else HiGHS)",
    "highs": "HiGHS",
    "cpsat": "CP-SAT",
}
PEER_LIMIT = 1_100_000  # NegMAS enumerates outcomes; beyond this it is not attempted


@dataclass(frozen=True)
class Instance:
    name: str
    parties: int
    points: int
    options: int
    red_lines: bool
    seed: int

    @property
    def outcomes(self) -> int:
        return int(self.options**self.points)


def make_problem(instance: Instance) -> tuple[Problem, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(instance.seed)
    weights = rng.random((instance.parties, instance.points))
    weights /= weights.sum(axis=1, keepdims=True)
    scores = rng.random((instance.parties, instance.points, instance.options))
    # GENIUS convention: the best option of each point scores 1 for each party
    scores /= scores.max(axis=2, keepdims=True)
    utility = (weights[:, :, None] * scores).reshape(instance.parties, -1)
    red_lines = []
    if instance.red_lines:
        for party in range(instance.parties):
            for point in rng.choice(instance.points, size=2, replace=False):
                worst = int(np.argmin(scores[party, point]))
                red_lines.append(RedLineDemand(party, int(point), int(point) * instance.options + worst))
    problem = Problem(
        parties=tuple(f"party{i}" for i in range(instance.parties)),
        party_names=tuple(f"Party {i}" for i in range(instance.parties)),
        points=tuple(f"p{p}" for p in range(instance.points)),
        point_titles=tuple(f"Point {p + 1}" for p in range(instance.points)),
        point_numbers=tuple(range(1, instance.points + 1)),
        options=tuple(tuple(f"o{o}" for o in range(instance.options)) for _ in range(instance.points)),
        option_texts=tuple(
            tuple(f"Option {o}" for o in range(instance.options)) for _ in range(instance.points)
        ),
        utility=utility,
        reservation=np.full(instance.parties, 0.25 if instance.red_lines else 0.0),
        red_lines=tuple(dict.fromkeys(red_lines)),
        reservations_active=(True,) * instance.parties,
    )
    return problem, weights, scores


def instances() -> list[Instance]:
    found = []
    for parties in (2, 3, 5):
        for points, options in ((4, 5), (4, 6), (6, 4), (8, 4), (10, 4), (12, 4)):
            found.append(
                Instance(
                    f"{parties}p {points}x{options}",
                    parties,
                    points,
                    options,
                    False,
                    1000 + parties * 100 + points,
                )
            )
        for points, options in ((28, 5), (100, 6), (300, 6)):
            found.append(
                Instance(
                    f"{parties}p {points}x{options} +red",
                    parties,
                    points,
                    options,
                    True,
                    2000 + parties * 1000 + points,
                )
            )
    found.append(Instance("10p 300x6 +red", 10, 300, 6, True, 99))
    found.append(Instance("2p 28x3 (frontier)", 2, 28, 3, False, 28))
    return found


def median_seconds(action, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def negmas_python() -> str | None:
    candidate = os.environ.get("NEGMAS_PYTHON") or str(ROOT / ".venv-negmas" / "bin" / "python")
    return candidate if Path(candidate).exists() else None


def run_peer(requests: list[dict[str, object]], timeout: float) -> dict[str, dict[str, object]]:
    python = negmas_python()
    answers: dict[str, dict[str, object]] = {}
    if python is None:
        return answers
    for request in requests:  # one process per instance, so a timeout loses one row only
        try:
            done = subprocess.run(
                [python, str(ROOT / "bench" / "negmas_peer.py")],
                input=json.dumps({"instances": [request]}),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            for line in done.stdout.splitlines():
                answer = json.loads(line)
                answers[str(answer["name"])] = answer
            if done.returncode != 0 and str(request["name"]) not in answers:
                answers[str(request["name"])] = {"error": done.stderr.strip().splitlines()[-1]}
        except subprocess.TimeoutExpired:
            answers[str(request["name"])] = {"error": f"> {timeout:.0f} s (stopped)"}
    return answers


def run_large_targets(repeat: int) -> None:
    """The large-instance targets alone (bench/large_targets.py), on this file's instances."""
    try:
        from large_targets import print_large_targets  # type: ignore[import-not-found]
    except ImportError:
        from bench.large_targets import print_large_targets
    print_large_targets(repeat, instances, make_problem)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds < 10 else f"{seconds:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="run instances whose name contains this text")
    parser.add_argument("--peer-timeout", type=float, default=120.0)
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help="per concept, for the largest instances"
    )
    parser.add_argument(
        "--backend",
        choices=("auto", *BACKENDS),
        default="auto",
        help="accord's solver backend (auto: enumeration up to enumeration.LIMIT packages, else HiGHS)",
    )
    parser.add_argument(
        "--peer",
        action="store_true",
        help="print instead the side-by-side table with NegMAS, every concept from 576 outcomes to 1e20"
        " (bench/side_by_side.py)",
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help="print instead the large-instance targets alone (bench/large_targets.py):"
        " target / achieved / verdict",
    )
    args = parser.parse_args()
    if args.peer:
        print_side_by_side(args.peer_timeout, args.only, args.time_limit)
        return
    if args.large:
        run_large_targets(args.repeat)
        return
    chosen = [i for i in instances() if not args.only or args.only in i.name]
    solver = None if args.backend == "auto" else get_solver(args.backend)
    console = Console(width=240)  # a wide table; wrapping it would make it unreadable in a log
    peer = negmas_python()
    console.print(
        f"NegMAS: {'from ' + peer if peer else 'not available (make bench creates .venv-negmas)'}; "
        f"accord backend: {BACKEND_NAMES[args.backend]}; times in ms unless marked (median of {args.repeat})"
    )
    table = Table()
    for column in (
        "instance",
        "outcomes",
        *(c.value[:5] for c in Concept),
        "frontier",
        "front size",
        "status",
    ):
        table.add_column(column, justify="right" if column not in ("instance", "status") else "left")
    table.add_column("NegMAS front+nash", justify="right")
    table.add_column("speed-up", justify="right")
    table.add_column("same Nash", justify="left")
    requests = []
    rows = []
    for instance in chosen:
        problem, weights, scores = make_problem(instance)
        repeat = args.repeat if instance.points <= 28 else 1
        limit = args.time_limit if instance.points > 28 else None
        times = {}
        statuses = set()
        nash_utilities = None
        for concept in Concept:
            if instance.name.endswith("(frontier)"):
                continue
            seconds, outcome = median_seconds(
                lambda c=concept, p=problem, t=limit: solve(p, c, solver=solver, time_limit=t), repeat
            )
            times[concept] = seconds
            best = outcome.best  # type: ignore[attr-defined]
            gap = f"{best.gap:.2%}" if best is not None and best.gap else ""
            statuses.add(
                f"{concept.value[:5]} {outcome.status.value}{' ' + gap if gap else ''}"
                if outcome.status.value != "optimal"
                else ""
            )  # type: ignore[attr-defined]
            if concept is Concept.NASH and best is not None:
                nash_utilities = best.utilities
        frontier_seconds, frontier = (float("nan"), None)
        # exact frontier: 2 parties up to 28 points, 3 parties up to 12 (a random 3-party 28x5
        # frontier runs to hundreds of thousands of points: see the issue note)
        exact_size = (instance.parties == 2 and instance.points <= 28) or (
            instance.parties == 3 and instance.points <= 12
        )
        if exact_size or instance.name.endswith("(frontier)"):
            frontier_seconds, frontier = median_seconds(lambda p=problem: pareto_frontier(p), repeat)
        elif instance.parties > 3 and instance.points <= 12:
            frontier_seconds, frontier = median_seconds(lambda p=problem: pareto_frontier(p, samples=50), 1)
        size = "" if frontier is None else f"{len(frontier.points)}{'' if frontier.exact else ' (repr.)'}"  # type: ignore[attr-defined]
        rows.append((instance, times, frontier_seconds, size, statuses, nash_utilities))
        if (not instance.red_lines and instance.outcomes <= PEER_LIMIT) or instance.name.endswith(
            "(frontier)"
        ):
            requests.append(
                {
                    "name": instance.name,
                    "task": "mobanos" if instance.name.endswith("(frontier)") else "frontier+nash",
                    "weights": weights.tolist(),
                    "scores": scores.tolist(),
                }
            )
    answers = run_peer(requests, args.peer_timeout)
    for instance, times, frontier_seconds, size, statuses, nash_utilities in rows:
        answer = answers.get(instance.name)
        peer_time, speedup, same = "", "", ""
        if answer is not None and "error" not in answer:
            peer_seconds = float(answer["seconds"])  # type: ignore[arg-type]
            peer_time = ms(peer_seconds)
            ours = frontier_seconds + times.get(Concept.NASH, 0.0)
            speedup = f"{peer_seconds / ours:.0f}x" if ours > 0 else ""
            if answer.get("nash") is not None and nash_utilities is not None:
                theirs = float(np.prod(answer["nash"]))  # type: ignore[arg-type]
                ours_point = float(np.prod(nash_utilities))
                if np.allclose(answer["nash"], nash_utilities, atol=1e-9):  # type: ignore[arg-type]
                    same = "yes"
                elif ours_point > theirs:
                    same = f"no: NegMAS's product {theirs:.6g} < ours {ours_point:.6g} (exact)"
                else:
                    same = f"NO: NegMAS {theirs:.6g} > ours {ours_point:.6g}"
        elif answer is not None:
            peer_time = str(answer["error"])[:40]
        elif instance.red_lines or instance.outcomes > PEER_LIMIT:
            peer_time = "not run"
        table.add_row(
            instance.name,
            f"{instance.outcomes:.2g}",
            *(ms(times[c]) if c in times else "" for c in Concept),
            "" if np.isnan(frontier_seconds) else ms(frontier_seconds),
            size,
            "; ".join(s for s in statuses if s) or "optimal",
            peer_time,
            speedup,
            same,
        )
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
