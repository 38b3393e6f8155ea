"""Monte Carlo robustness speed: 1,000,000 samples x 100 candidate packages on the flagship example,
in-process and on a local Dask cluster of 1 and 2 workers; peak memory from 1e5 to 1e7 samples.

The cross-check: the in-process and the Dask numbers must be the same, and they are compared on
candidates whose acceptance lies between 5% and 95% (a candidate every sample rejects, as a random
package does, agrees at 0 whatever the code does), under the declared uncertainty and under the
posterior estimated from the flagship's recorded stances (accord.analysis.estimate); under the
posterior the Monte Carlo must also agree with the exact acceptance over the posterior's draws.

    python bench/robustness.py [--samples 1000000] [--candidates 100] [--skip-big]
    python bench/robustness.py --cross-check-only [--check-samples 200000]
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
FLAGSHIP = ROOT / "examples" / "peace-framework-2025.yaml"


def candidates(problem: object, count: int, seed: int) -> np.ndarray:
    """The engine's packages are few; the rest are random acceptable-looking packages (fixed seed)."""
    from accord.engine.problem import Problem

    assert isinstance(problem, Problem)
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(count):
        rows.append([rng.choice(list(problem.columns_of(p))) for p in range(problem.n_points)])
    return np.array(rows, dtype=np.int64)


def measure(samples: int, count: int, workers: int | None) -> float:
    """Seconds of the run (in-process, or on a local Dask cluster of ``workers``)."""
    from accord.analysis.robustness import model_of, run
    from accord.scenario import load
    from accord.services.robustness import dask_runner

    negotiation = load(FLAGSHIP)
    model = model_of(negotiation)
    chosen = candidates(model.problem, count, 5)
    if workers is None:
        started = time.perf_counter()
        run(model, chosen, samples, 1)
        return time.perf_counter() - started
    with dask_runner(workers, None) as (runner, _):
        run(model, chosen, 20_000, 1, runner=runner)  # warm the workers up (imports), not timed
        started = time.perf_counter()
        run(model, chosen, samples, 1, runner=runner)
        return time.perf_counter() - started


def neighbours(problem: object, count: int, seed: int) -> np.ndarray:
    """Packages near the engine's (each concept's 5 best, 1 to 4 points changed to an option no red
    line forbids): unlike random packages, many of them hold in some samples and fail in others."""
    from accord.engine import Concept, get_solver, solve
    from accord.engine.problem import Problem

    assert isinstance(problem, Problem)
    solver = get_solver()
    bases = [s.columns for c in Concept for s in solve(problem, c, solver=solver, top=5).solutions]
    allowed = problem.allowed()
    rng = np.random.default_rng(seed)
    found = {tuple(int(c) for c in b) for b in bases}
    for _ in range(50 * count):
        if len(found) >= count:
            break
        package = list(bases[rng.integers(len(bases))])
        for p in rng.choice(problem.n_points, size=rng.integers(1, 5), replace=False):
            options = [c for c in problem.columns_of(int(p)) if allowed[c]]
            package[int(p)] = int(rng.choice(options))
        found.add(tuple(package))
    return np.array(sorted(found), dtype=np.int64)


def in_doubt(model: object, pool: np.ndarray, count: int, samples: int = 20_000) -> np.ndarray:
    """Up to ``count`` candidates of the pool whose acceptance by every party lies between 5% and
    95% (on a first pass of ``samples``, seed 99), spread over that range."""
    from accord.analysis.robustness import Model, run

    assert isinstance(model, Model)
    share = run(model, pool, samples, 99).accepted_by_all / samples
    doubtful = np.flatnonzero((share > 0.05) & (share < 0.95))
    ordered = doubtful[np.argsort(share[doubtful])]
    if len(ordered) > count:
        ordered = ordered[np.linspace(0, len(ordered) - 1, count).round().astype(int)]
    return pool[ordered]


def posterior_model(model: object, negotiation: object, samples: int, seed: int) -> tuple[object, str]:
    """The model with every party resampled from its posterior (from the flagship's recorded
    stances), and the estimate's diagnostics in words."""
    from accord.analysis.estimate import estimate
    from accord.analysis.robustness import Model, draws_of, with_draws
    from accord.domain import Negotiation

    assert isinstance(model, Model) and isinstance(negotiation, Negotiation)
    draws, words = {}, []
    for party in model.problem.parties:
        posterior = estimate(negotiation, party, samples=samples, seed=seed)
        draws[party] = draws_of(
            model.problem,
            posterior.points,
            posterior.options,
            posterior.weights,
            posterior.scores,
            posterior.reservation,
        )
        d = posterior.diagnostics
        words.append(
            f"{party}: ESS {d.ess:.0f}/{d.particles}, R-hat {d.rhat:.3f}, {'ok' if d.ok else 'FAILS'}"
        )
    return with_draws(model, draws), "; ".join(words)


def cross_check(samples: int, count: int, workers: int, console: Console) -> None:
    """In-process against a local Dask cluster on candidates in doubt, declared and posterior."""
    from accord.analysis.robustness import Model, acceptance_of_draws, model_of, run
    from accord.scenario import load
    from accord.services.robustness import dask_runner

    negotiation = load(FLAGSHIP)
    declared = model_of(negotiation)
    pool = neighbours(declared.problem, 2000, 11)
    started = time.perf_counter()
    posterior, diagnostics = posterior_model(declared, negotiation, 4000, 0)
    estimated = time.perf_counter() - started
    console.print(f"posterior in {estimated:.1f} s ({diagnostics})")
    assert isinstance(posterior, Model)
    models = {"declared uncertainty": declared, "posterior": posterior}
    with dask_runner(workers, None) as (runner, where):
        for label, model in models.items():
            assert isinstance(model, Model)
            chosen = in_doubt(model, pool, count)
            local = run(model, chosen, samples, 1)
            remote = run(model, chosen, samples, 1, runner=runner)
            other_label, other = next((k, m) for k, m in models.items() if k != label)
            assert isinstance(other, Model)
            elsewhere = run(other, chosen, samples, 1).accepted_by_all / samples
            table = Table(
                title=f"Cross-check under the {label}: {len(chosen)} of {len(pool)} candidates with "
                f"5% < P(all accept) < 95%, {samples:,} samples, in-process vs {where}"
            )
            columns = ("candidate", "in-process", "Dask", "difference", "exact over the draws", "z")
            for column in (*columns, f"under the {other_label}"):
                table.add_column(column, justify="right")
            exact = acceptance_of_draws(model, chosen)[1] if label == "posterior" else None
            for k in range(len(chosen)):
                p, q = local.accepted_by_all[k] / samples, remote.accepted_by_all[k] / samples
                cells = [f"{p:.6f}", f"{q:.6f}", f"{abs(p - q):.1e}"]
                if exact is not None:
                    error = np.sqrt(max(exact[k] * (1 - exact[k]), 1e-12) / samples)
                    cells += [f"{exact[k]:.6f}", f"{(p - exact[k]) / error:+.2f}"]
                else:
                    cells += ["", ""]
                table.add_row(str(k + 1), *cells, f"{elsewhere[k]:.6f}")
            console.print(table)
            same = np.array_equal(local.accepted_by_all, remote.accepted_by_all) and np.array_equal(
                local.histogram, remote.histogram
            )
            console.print(f"in-process and Dask identical (counts and histograms): {same}")
    concepts(negotiation, declared, posterior, samples, console)


def concepts(
    negotiation: object, declared: object, posterior: object, samples: int, console: Console
) -> None:
    """Each concept's package and draft 3: P(all accept) under the declared uncertainty and under the
    posterior (the Monte Carlo, and exactly over the posterior's draws)."""
    from accord.analysis.robustness import Model, acceptance_of_draws, run
    from accord.domain import Negotiation
    from accord.engine import Concept, get_solver, solve
    from accord.engine.problem import draft_columns

    assert isinstance(declared, Model) and isinstance(posterior, Model)
    assert isinstance(negotiation, Negotiation)
    problem = declared.problem
    solver = get_solver()
    named = [(c.value, solve(problem, c, solver=solver).best) for c in Concept]
    rows = [(name, best.columns) for name, best in named if best is not None]
    rows.append(("draft v3", tuple(int(c) for c in draft_columns(problem, negotiation.draft(3)))))
    chosen = np.array([columns for _, columns in rows], dtype=np.int64)
    before = run(declared, chosen, samples, 1).accepted_by_all / samples
    after = run(posterior, chosen, samples, 1).accepted_by_all / samples
    exact = acceptance_of_draws(posterior, chosen)[1]
    table = Table(title=f"The engine's packages: P(all accept), {samples:,} samples")
    for column in ("package", "declared uncertainty", "posterior", "posterior, exact over the draws"):
        table.add_column(column, justify="right")
    for (name, _), b, a, e in zip(rows, before, after, exact, strict=True):
        table.add_row(name, f"{b:.4f}", f"{a:.4f}", f"{e:.4f}")
    console.print(table)


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
    parser.add_argument("--check-samples", type=int, default=200_000, help="samples of the cross-check")
    parser.add_argument("--check-candidates", type=int, default=10, help="candidates in doubt compared")
    parser.add_argument("--cross-check-only", action="store_true", help="only the cross-check")
    args = parser.parse_args()
    console = Console(width=130)
    cross_check(args.check_samples, args.check_candidates, 2, console)
    if args.cross_check_only:
        return
    title = (
        f"{args.samples:,} samples x {args.candidates} candidates, flagship example (3 parties, 28 points)"
    )
    speed = Table(title=title)
    for column in ("where", "seconds", "samples/s", "speed-up"):
        speed.add_column(column, justify="right")
    base = measure(args.samples, args.candidates, None)
    speed.add_row("in-process", f"{base:.2f}", f"{args.samples / base:,.0f}", "1.00")
    for workers in (1, 2):
        seconds = measure(args.samples, args.candidates, workers)
        speed.add_row(
            f"LocalCluster, {workers} worker(s)",
            f"{seconds:.2f}",
            f"{args.samples / seconds:,.0f}",
            f"{base / seconds:.2f}",
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
