"""accord against NegMAS 0.16 for every concept at every size, from 576 outcomes to 1e20.

`python bench/engine.py --peer` (run by `make bench`) or `python bench/side_by_side.py` prints one
table: one row per instance and concept, accord's time (in-process, `engine.solve` with the default
backend: enumeration for small domains, HiGHS above) next to NegMAS's (in its own process, from
.venv-negmas: `pareto_frontier` then the concept's `*_points` function on it, which is what a NegMAS
user runs to get that answer), and whether both found the same package.

Instances are GENIUS-like linear additive domains generated from fixed seeds (weights summing to 1,
each issue's best value scoring 1), 2 parties unless named: England–Zimbabwe-like (576 outcomes),
Grocery-like (1,600), then 1e4, 1e5, 1e6, 1e9 and 1e20, and 3 parties at 1e4 and 1e6.

Conventions are aligned so the answers are comparable: NegMAS replaces a reservation value below a
party's worst outcome by that worst outcome, so both sides get a disagreement point just under each
party's worst utility (1e-9 below) and every package is acceptable. Concepts: nash (`nash_points`),
egalitarian (`kalai_points`: the largest smallest gain), utilitarian (`max_welfare_points`),
kalai-smorodinsky (`ks_points`, which minimises the spread of the normalised gains where accord
maximises the smallest one, so the two may pick different packages); NegMAS 0.16 has no leximin.

NegMAS lists every outcome before anything else, so it is not run above PEER_LIMIT outcomes: those
rows read "—" with the number of outcomes it would enumerate and the time that would take at the
rate measured on the largest instance it ran. A run past --peer-timeout reads "—" with the timeout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from accord.engine import Concept, solve
from accord.engine.problem import Problem

ROOT = Path(__file__).resolve().parents[1]
PEER_LIMIT = 2_000_000  # NegMAS enumerates every outcome (about 7 µs each for 2 parties): no further
DISAGREEMENT_BELOW_WORST = 1e-9
NEGMAS_CONCEPTS = {
    Concept.NASH: "nash_points",
    Concept.KALAI_SMORODINSKY: "ks_points",
    Concept.EGALITARIAN: "kalai_points",
    Concept.UTILITARIAN: "max_welfare_points",
}  # NegMAS 0.16 has no leximin


@dataclass(frozen=True)
class PeerInstance:
    name: str
    parties: int
    options: tuple[int, ...]  # options per point
    seed: int

    @property
    def outcomes(self) -> int:
        return math.prod(self.options)


def peer_instances() -> list[PeerInstance]:
    return [
        PeerInstance("England–Zimbabwe-like", 2, (4, 4, 4, 3, 3), 576),
        PeerInstance("Grocery-like", 2, (4, 4, 5, 5, 4), 1600),
        PeerInstance("2p 4x10", 2, (10,) * 4, 10_004),
        PeerInstance("2p 5x10", 2, (10,) * 5, 10_005),
        PeerInstance("2p 6x10", 2, (10,) * 6, 10_006),
        PeerInstance("2p 9x10", 2, (10,) * 9, 10_009),
        PeerInstance("2p 20x10", 2, (10,) * 20, 10_020),
        PeerInstance("3p 4x10", 3, (10,) * 4, 30_004),
        PeerInstance("3p 6x10", 3, (10,) * 6, 30_006),
    ]


def make_peer_problem(instance: PeerInstance) -> tuple[Problem, list[list[float]], list[list[list[float]]]]:
    """The instance as accord's Problem, and as GENIUS-style weights and evaluations for NegMAS."""
    rng = np.random.default_rng(instance.seed)
    n_points = len(instance.options)
    weights = rng.random((instance.parties, n_points))
    weights /= weights.sum(axis=1, keepdims=True)
    scores = []
    for _party in range(instance.parties):
        row = []
        for count in instance.options:
            values = rng.random(count)
            row.append(values / values.max())
        scores.append(row)
    utility = np.array(
        [
            np.concatenate([weights[i, p] * scores[i][p] for p in range(n_points)])
            for i in range(instance.parties)
        ]
    )
    worst = np.array(
        [
            sum(float((weights[i, p] * scores[i][p]).min()) for p in range(n_points))
            for i in range(instance.parties)
        ]
    )
    problem = Problem(
        parties=tuple(f"party{i}" for i in range(instance.parties)),
        party_names=tuple(f"Party {i}" for i in range(instance.parties)),
        points=tuple(f"p{p}" for p in range(n_points)),
        point_titles=tuple(f"Point {p + 1}" for p in range(n_points)),
        point_numbers=tuple(range(1, n_points + 1)),
        options=tuple(tuple(f"o{o}" for o in range(count)) for count in instance.options),
        option_texts=tuple(tuple(f"Option {o}" for o in range(count)) for count in instance.options),
        utility=utility,
        reservation=worst - DISAGREEMENT_BELOW_WORST,
        reservations_active=(True,) * instance.parties,
    )
    return problem, weights.tolist(), [[list(map(float, s)) for s in row] for row in scores]


def repeats_for(outcomes: int) -> int:
    return 5 if outcomes <= 20_000 else 3 if outcomes <= 200_000 else 1


def median_seconds(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def negmas_python() -> Path | None:
    named = os.environ.get("ACCORD_NEGMAS_PYTHON") or os.environ.get("NEGMAS_PYTHON")
    candidate = Path(named) if named else ROOT / ".venv-negmas" / "bin" / "python"
    return candidate if candidate.exists() else None


def ask_peer(python: Path, request: dict[str, Any], timeout: float) -> dict[str, Any]:
    """One process per instance, so a timeout or a crash loses one instance only."""
    try:
        done = subprocess.run(
            [str(python), str(ROOT / "bench" / "negmas_peer.py")],
            input=json.dumps({"instances": [request]}),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no answer"])[-1][:80]}
    answer: dict[str, Any] = json.loads(lines[-1])
    return answer


def seconds_text(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.2f} ms" if seconds < 0.01 else f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.0f} h"
    days = seconds / 86400
    if days < 1000:
        return f"{days:.0f} days"
    years = days / 365.25
    return f"{years:,.0f} years" if years < 1e6 else f"1e{math.floor(math.log10(years))} years"


def objective(concept: Concept, utilities: np.ndarray, problem: Problem) -> float:
    """accord's objective for a package's utilities (higher is better)."""
    gains = utilities - problem.reservation
    if concept is Concept.NASH:
        return float(np.prod(gains))
    if concept is Concept.EGALITARIAN:
        return float(gains.min())
    if concept is Concept.UTILITARIAN:
        return float(utilities.sum())
    return float((gains / (_ideal(problem) - problem.reservation)).min())  # Kalai–Smorodinsky


def _ideal(problem: Problem) -> np.ndarray:
    """Each party's best utility over all packages (every package is acceptable here)."""
    return np.array(
        [
            sum(float(problem.utility[i, list(problem.columns_of(p))].max()) for p in range(problem.n_points))
            for i in range(problem.n_parties)
        ]
    )


def verdict(concept: Concept, ours: tuple[float, ...], theirs: list[list[float]], problem: Problem) -> str:
    """Did both find the same package? If not, which is better by accord's definition."""
    if not theirs:
        return "NegMAS found none"
    for point in theirs:
        if np.allclose(point, ours, atol=1e-9):
            return "yes"
    ours_value = objective(concept, np.array(ours), problem)
    theirs_value = objective(concept, np.array(theirs[0]), problem)
    if abs(ours_value - theirs_value) <= 1e-9 * max(1.0, abs(ours_value)):
        return "tie (another package)"
    if concept is Concept.KALAI_SMORODINSKY:
        return f"by definition: min normalised gain ours {ours_value:.4f}, NegMAS's {theirs_value:.4f}"
    better = "ours" if ours_value > theirs_value else "NO: NegMAS's"
    return f"{better} is better ({ours_value:.6g} vs {theirs_value:.6g})"


@dataclass(frozen=True)
class Row:
    instance: PeerInstance
    concept: Concept
    accord: str  # time, and the status when not proven optimal
    negmas: str  # time (frontier + concept point), or "—" and why not
    faster: str  # NegMAS's time over accord's
    same: str  # the verdict on the packages
    accord_seconds: float
    negmas_seconds: float | None


def outcomes_text(outcomes: int) -> str:
    return f"{outcomes:,}" if outcomes < 10_000_000 else f"1e{round(math.log10(outcomes))}"


def peer_answer(
    instance: PeerInstance, problem: Problem, request: dict[str, Any], rate: dict[int, float], timeout: float
) -> dict[str, Any]:
    """NegMAS's answer, or {"error": why not}; records its rate per outcome for the estimates."""
    python = negmas_python()
    if python is None:
        return {"error": "NegMAS is not installed (make peer)"}
    if instance.outcomes > PEER_LIMIT:
        estimate = rate.get(instance.parties)
        return {
            "error": f"would enumerate {outcomes_text(instance.outcomes)} outcomes"
            + (f" (~{seconds_text(estimate * instance.outcomes)})" if estimate else "")
        }
    answer = ask_peer(python, request, timeout)
    if "frontier_seconds" in answer:
        measured = float(answer["frontier_seconds"]) / instance.outcomes
        rate[instance.parties] = max(rate.get(instance.parties, 0.0), measured)
    return answer


def side_by_side(
    chosen: list[PeerInstance], peer_timeout: float = 600.0, time_limit: float = 10.0
) -> list[Row]:
    """Every concept on every instance, accord then NegMAS (instances in increasing size per party
    count, so the rate measured on the largest one NegMAS ran estimates the ones it cannot)."""
    rate: dict[int, float] = {}  # parties -> NegMAS's measured seconds per outcome (frontier)
    rows = []
    for instance in chosen:
        problem, weights, scores = make_peer_problem(instance)
        repeat = repeats_for(instance.outcomes)
        ours = {
            concept: median_seconds(lambda c=concept, p=problem: solve(p, c, time_limit=time_limit), repeat)
            for concept in Concept
        }
        request = {
            "name": instance.name,
            "task": "concepts",
            "weights": weights,
            "scores": scores,
            "reserved": problem.reservation.tolist(),
            "repeat": repeat,
        }
        answer = peer_answer(instance, problem, request, rate, peer_timeout)
        for concept in Concept:
            seconds, outcome = ours[concept]
            best = outcome.best
            status = outcome.status.value
            gap = f" gap {best.gap:.2%}" if best is not None and best.gap else ""
            mine = seconds_text(seconds) + ("" if status == "optimal" else f" ({status}{gap})")
            theirs_text, faster, same, theirs = "—", "", "", None
            if "error" in answer:
                theirs_text = f"— {answer['error']}"
            elif concept not in NEGMAS_CONCEPTS:
                theirs_text = "— NegMAS 0.16 has no leximin"
            else:
                point = answer["concepts"][concept.value]
                theirs = float(answer["frontier_seconds"]) + float(point["seconds"])
                theirs_text = seconds_text(theirs)
                faster = f"{theirs / seconds:,.0f}x" if seconds > 0 else ""
                same = (
                    verdict(concept, best.utilities, point["points"], problem)
                    if best is not None
                    else "accord found none"
                )
            rows.append(Row(instance, concept, mine, theirs_text, faster, same, seconds, theirs))
    return rows


def render(rows: list[Row]) -> Table:
    table = Table(title="accord vs NegMAS 0.16, per concept (medians; NegMAS: frontier + concept point)")
    for column in ("instance", "outcomes", "concept", "accord", "NegMAS", "accord faster", "same package"):
        right = column in ("outcomes", "accord", "NegMAS", "accord faster")
        table.add_column(column, justify="right" if right else "left")
    for index, row in enumerate(rows):
        first = index == 0 or rows[index - 1].instance != row.instance
        last = index == len(rows) - 1 or rows[index + 1].instance != row.instance
        table.add_row(
            row.instance.name if first else "",
            outcomes_text(row.instance.outcomes) if first else "",
            row.concept.value,
            row.accord,
            row.negmas,
            row.faster,
            row.same,
            end_section=last,
        )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run instances whose name contains this text")
    parser.add_argument("--peer-timeout", type=float, default=600.0, help="seconds per instance for NegMAS")
    parser.add_argument("--time-limit", type=float, default=10.0, help="accord's, per concept")
    args = parser.parse_args(argv)
    print_side_by_side(args.peer_timeout, args.only, args.time_limit)


def print_side_by_side(peer_timeout: float, only: str | None, time_limit: float) -> None:
    console = Console(width=200)
    python = negmas_python()
    load = os.getloadavg()
    console.print(
        f"NegMAS: {python or 'not installed (make peer)'}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"accord: engine.solve, default backend, time limit {time_limit:g} s"
    )
    chosen = [i for i in peer_instances() if not only or only in i.name]
    console.print(render(side_by_side(chosen, peer_timeout, time_limit)))


if __name__ == "__main__":
    main()
