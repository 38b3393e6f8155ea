"""Runs NegMAS on accord's benchmark instances, in NegMAS's own environment.

NegMAS is AGPL: accord never imports it. `bench/engine.py` starts this script
with the Python of a separately installed environment (make bench creates
.venv-negmas) and exchanges JSON over stdin/stdout.

Input: {"instances": [{"name", "weights": [[...]], "scores": [[[...]]], "task": "frontier+nash" | "mobanos"}]}
Output: one JSON line per instance: {"name", "seconds", "frontier_size", "nash": [u...]} or {"name", "error"}.
"""

from __future__ import annotations

import json
import sys
import time


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
                reserved_value=0.0,
            )
            for i in range(len(weights))
        ]
        try:
            started = time.perf_counter()
            if instance["task"] == "mobanos":
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
