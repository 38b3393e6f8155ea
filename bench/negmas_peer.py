"""Runs NegMAS on accord's benchmark instances, in NegMAS's own environment.

NegMAS is AGPL: accord never imports it. `bench/engine.py` starts this script
with the Python of a separately installed environment (make bench creates
.venv-negmas) and exchanges JSON over stdin/stdout.

Input: {"instances": [{"name", "weights": [[...]], "scores": [[[...]]], "task": "frontier+nash" | "mobanos"
| "concepts", "reserved": [...] (optional, default 0), "repeat": n (concepts only)}]}
Output: one JSON line per instance: {"name", "seconds", "frontier_size", "nash": [u...]} or {"name", "error"};
for "concepts" (bench/side_by_side.py): {"name", "version", "frontier_seconds", "frontier_size",
"concepts": {concept: {"seconds", "points": [[u...], ...]}}}, seconds being medians of `repeat` runs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

# accord's concept -> the NegMAS 0.16 function that computes it on the frontier (NegMAS has no leximin)
CONCEPT_FUNCTIONS = {
    "nash": "nash_points",
    "kalai-smorodinsky": "ks_points",
    "egalitarian": "kalai_points",
    "utilitarian": "max_welfare_points",
}


def _median(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run_concepts(instance: dict[str, Any], ufuns: list[Any], issues: list[Any]) -> dict[str, Any]:
    """The frontier, then each concept's points on it: what a NegMAS user runs to get each answer."""
    import negmas
    from negmas.preferences import ops, pareto_frontier

    repeat = int(instance.get("repeat", 1))
    frontier_seconds, (frontier, _indices) = _median(lambda: pareto_frontier(ufuns, issues=issues), repeat)
    concepts = {}
    for concept, function_name in CONCEPT_FUNCTIONS.items():
        function = getattr(ops, function_name)
        seconds, points = _median(lambda f=function: f(ufuns, frontier, issues=issues), repeat)
        concepts[concept] = {
            "function": function_name,
            "seconds": seconds,
            "points": [list(point) for point, _index in points[:20]],
        }
    return {
        "name": instance["name"],
        "version": negmas.__version__,
        "frontier_seconds": frontier_seconds,
        "frontier_size": len(frontier),
        "concepts": concepts,
    }


def main() -> None:
    from negmas import make_issue
    from negmas.outcomes import make_os
    from negmas.preferences import (
        LinearAdditiveUtilityFunction,
        MOBANOSParetoSampler,
        nash_points,
        pareto_frontier,
    )
    from negmas.preferences.value_fun import TableFun

    request = json.load(sys.stdin)
    for instance in request["instances"]:
        weights, scores = instance["weights"], instance["scores"]
        n_points = len(scores[0])
        issues = [
            make_issue([f"o{o}" for o in range(len(scores[0][p]))], name=f"p{p}") for p in range(n_points)
        ]
        space = make_os(issues)
        ufuns = [
            LinearAdditiveUtilityFunction(
                values=[
                    TableFun({f"o{o}": float(s) for o, s in enumerate(scores[i][p])}) for p in range(n_points)
                ],
                weights=list(weights[i]),
                outcome_space=space,
                reserved_value=float(instance.get("reserved", [0.0] * len(weights))[i]),
            )
            for i in range(len(weights))
        ]
        try:
            started = time.perf_counter()
            if instance["task"] == "concepts":
                answer = run_concepts(instance, ufuns, issues)
            elif instance["task"] == "mobanos":
                sampler = MOBANOSParetoSampler()
                sampler.init(ufuns[0], ufuns[1])
                outcomes = list(sampler.pareto_outcomes())
                seconds = time.perf_counter() - started
                answer = {
                    "name": instance["name"],
                    "seconds": seconds,
                    "frontier_size": len(outcomes),
                    "nash": None,
                }
            else:
                frontier, _indices = pareto_frontier(ufuns, issues=issues)
                points = nash_points(ufuns, frontier, issues=issues)
                seconds = time.perf_counter() - started
                nash = list(points[0][0]) if points else None
                answer = {
                    "name": instance["name"],
                    "seconds": seconds,
                    "frontier_size": len(frontier),
                    "nash": nash,
                }
        except Exception as exc:  # the peer's failure is a result to report, not a crash of the bench
            answer = {"name": instance["name"], "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
