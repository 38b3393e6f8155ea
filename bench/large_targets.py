"""The engine's large-instance targets (issue 12, section 4), alone: `python bench/engine.py --large`.

- 5 parties x 100 points x 6 options with red lines: egalitarian proven optimal in <= 2 s;
- 10 parties x 300 points x 6 options with red lines: egalitarian, Kalai–Smorodinsky and leximin
  within 0.1% of optimal in 10 s (the gap is the solver's proven bound against the package found:
  (bound - value) / value, never an estimate).

The instances are bench/engine.py's (same seeds). Times are wall-clock, in-process, median of
--repeat runs for the first target (one run for the others: each takes its whole time limit), with
the machine's load average printed alongside, since a busy machine slows every number.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from accord.engine import Concept, Problem, get_solver, solve


@dataclass(frozen=True)
class Target:
    instance: str
    concept: Concept
    seconds: float  # the time allowed
    gap: float  # the largest gap allowed (0: proven optimal)

    @property
    def wanted(self) -> str:
        if self.gap == 0:
            return f"proven optimal in <= {self.seconds:g} s"
        return f"gap <= {self.gap:.1%} in {self.seconds:g} s"


TARGETS = (
    Target("5p 100x6 +red", Concept.EGALITARIAN, 2.0, 0.0),
    Target("10p 300x6 +red", Concept.EGALITARIAN, 10.0, 0.001),
    Target("10p 300x6 +red", Concept.KALAI_SMORODINSKY, 10.0, 0.001),
    Target("10p 300x6 +red", Concept.LEXIMIN, 10.0, 0.001),
)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def print_large_targets(
    repeat: int, instances: Callable[[], list[Any]], make_problem: Callable[[Any], tuple[Problem, Any, Any]]
) -> bool:
    """Measure every target on bench/engine.py's instances (passed in: ``instances``, ``make_problem``),
    print target / achieved / verdict; True when all are met."""
    console = Console(width=200)
    console.print(f"Large-instance targets (HiGHS backend); before: {_load()}")
    table = Table()
    for column in ("instance", "concept", "target", "time (s)", "status", "gap", "value", "bound", "verdict"):
        table.add_column(
            column, justify="left" if column in ("instance", "concept", "target", "verdict") else "right"
        )
    by_name = {i.name: i for i in instances()}
    solver = get_solver("highs")
    met_all = True
    for target in TARGETS:
        problem, _, _ = make_problem(by_name[target.instance])
        proving = target.gap == 0
        runs = repeat if proving else 1
        # a proof has no time limit (the time is what is measured); a gap target gets its time limit
        limit = None if proving else target.seconds
        times, outcome = [], None
        for _ in range(runs):
            start = time.perf_counter()
            outcome = solve(problem, target.concept, solver=solver, time_limit=limit)
            times.append(time.perf_counter() - start)
        assert outcome is not None and outcome.best is not None
        best = outcome.best
        seconds = statistics.median(times)
        bound = best.value * (1 + best.gap)
        if proving:
            met = outcome.status.value == "optimal" and seconds <= target.seconds
            how = f"{seconds / target.seconds:.2f}x the time" if not met else ""
        else:
            met = best.gap <= target.gap + 1e-12
            how = f"{best.gap / target.gap:.2f}x the gap" if not met else ""
        met_all &= met
        table.add_row(
            target.instance,
            target.concept.value,
            target.wanted,
            f"{seconds:.2f}" + (f" (runs {', '.join(f'{t:.2f}' for t in times)})" if runs > 1 else ""),
            outcome.status.value,
            f"{best.gap:.3%}",
            f"{best.value:.9f}",
            f"{bound:.9f}",
            "met" if met else f"MISSED ({how})",
        )
    console.print(table)
    console.print(f"after: {_load()}")
    return met_all
