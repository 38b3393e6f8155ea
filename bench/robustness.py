"""Monte Carlo robustness speed: 1,000,000 samples x 100 candidate packages on the flagship example,
in-process and on a local Dask cluster of 1 and 2 workers; peak memory from 1e5 to 1e7 samples.

    python bench/robustness.py [--samples 1000000] [--candidates 100] [--skip-big]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]


def candidates(problem: object, count: int, seed: int) -> np.ndarray:
    """The engine's packages are few; the rest are random acceptable-looking packages (fixed seed)."""
    from accord.engine.problem import Problem

    assert isinstance(problem, Problem)
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(count):
        rows.append([rng.choice(list(problem.columns_of(p))) for p in range(problem.n_points)])
    return np.array(rows, dtype=np.int64)


def measure(samples: int, count: int, workers: int | None) -> tuple[float, float]:
    """Seconds and acceptance of the first candidate (so runs can be compared)."""
    from accord.analysis.robustness import model_of, run
    from accord.scenario import load
    from accord.services.robustness import dask_runner

    negotiation = load(ROOT / "examples" / "peace-framework-2025.yaml")
    model = model_of(negotiation)
    chosen = candidates(model.problem, count, 5)
    if workers is None:
        started = time.perf_counter()
        tally = run(model, chosen, samples, 1)
        return time.perf_counter() - started, float(tally.accepted_by_all[0] / samples)
    with dask_runner(workers, None) as (runner, _):
        run(model, chosen, 20_000, 1, runner=runner)  # warm the workers up (imports), not timed
        started = time.perf_counter()
        tally = run(model, chosen, samples, 1, runner=runner)
        return time.perf_counter() - started, float(tally.accepted_by_all[0] / samples)


def peak_memory(samples: int, count: int) -> float:
    """Peak resident memory (MB) of a fresh process running the in-process analysis."""
    code = (
        f"import sys, resource; sys.path.insert(0, {str(ROOT)!r}); from bench.robustness import measure; "
        f"measure({samples}, {count}, None); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--skip-big", action="store_true", help="leave out the 1e7-sample memory run")
    args = parser.parse_args()
    console = Console()
    title = (
        f"{args.samples:,} samples x {args.candidates} candidates, flagship example (3 parties, 28 points)"
    )
    speed = Table(title=title)
    for column in ("where", "seconds", "samples/s", "speed-up", "P(all accept) of candidate 1"):
        speed.add_column(column, justify="right")
    base, first = measure(args.samples, args.candidates, None)
    speed.add_row("in-process", f"{base:.2f}", f"{args.samples / base:,.0f}", "1.00", f"{first:.6f}")
    for workers in (1, 2):
        seconds, value = measure(args.samples, args.candidates, workers)
        speed.add_row(
            f"LocalCluster, {workers} worker(s)",
            f"{seconds:.2f}",
            f"{args.samples / seconds:,.0f}",
            f"{base / seconds:.2f}",
            f"{value:.6f}",
        )
    console.print(speed)
    memory = Table(title="Peak memory of the in-process run (target: flat)")
    memory.add_column("samples", justify="right")
    memory.add_column("peak RSS, MB", justify="right")
    for samples in (100_000, 1_000_000) + (() if args.skip_big else (10_000_000,)):
        memory.add_row(f"{samples:,}", f"{peak_memory(samples, args.candidates):.0f}")
    console.print(memory)


if __name__ == "__main__":
    main()
