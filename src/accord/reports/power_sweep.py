"""A bargaining-power sweep as plain data (``--json``), as table rows, and as a chart specification."""

from __future__ import annotations

import textwrap
from typing import Any

from accord.engine.power import Change, PowerSweep
from accord.engine.problem import Problem
from accord.reports.charts import LineChart, Marker, Series
from accord.reports.compromise import by_party, package_data


def option_text_of(problem: Problem, point: int, column: int) -> str:
    return problem.option_texts[point][column - int(problem.offsets[point])]


def option_key_of(problem: Problem, point: int, column: int) -> str:
    return problem.options[point][column - int(problem.offsets[point])]


def change_data(problem: Problem, point: int, before: int, after: int) -> dict[str, Any]:
    return {
        "number": problem.point_numbers[point],
        "point": problem.points[point],
        "title": problem.point_titles[point],
        "from": option_key_of(problem, point, before),
        "from_text": option_text_of(problem, point, before),
        "to": option_key_of(problem, point, after),
        "to_text": option_text_of(problem, point, after),
    }


def change_words(problem: Problem, change: Change, width: int = 40) -> str:
    """A change in the negotiators' words: the point's number and the option it moves to (shortened)."""
    after = textwrap.shorten(option_text_of(problem, change.point, change.after), width, placeholder=" …")
    return f"{problem.point_numbers[change.point]}: '{after}'"


def sweep_data(problem: Problem, sweep: PowerSweep) -> dict[str, Any]:
    """The stable JSON of ``accord solve --sweep-power`` (docs/json-output.md)."""
    first = next((s.best for s in sweep.steps if s.best is not None), None)
    return {
        "party": problem.parties[sweep.party],
        "from": sweep.steps[0].power,
        "to": sweep.steps[-1].power,
        "steps": len(sweep.steps),
        "power": by_party(problem, sweep.powers),
        "package": package_data(problem, first.package) if first is not None else None,
        "results": [
            {
                "power": step.power,
                "status": step.outcome.status.value,
                "value": step.best.value if step.best else None,
                "utilities": by_party(problem, step.best.utilities) if step.best else None,
                "gains": by_party(problem, step.best.gains) if step.best else None,
                "changes": [change_data(problem, c.point, c.before, c.after) for c in step.changes],
            }
            for step in sweep.steps
        ],
        "first_changes": [
            {"power": f.power, **change_data(problem, f.point, f.before, f.after)}
            for f in sweep.first_changes
        ],
    }


def sweep_chart(problem: Problem, sweep: PowerSweep) -> LineChart:
    """Each party's utility against the swept party's power, its reservation value dashed, and a marker
    where the package changes (naming the points that change there)."""
    party = problem.party_names[sweep.party]
    x = tuple(step.power for step in sweep.steps)
    series: list[Series] = []
    for i, name in enumerate(problem.party_names):
        values = tuple(step.best.utilities[i] if step.best else float("nan") for step in sweep.steps)
        series.append(Series(name, values, colour=i))
    for i, name in enumerate(problem.party_names):
        level = float(problem.reservation[i])
        series.append(
            Series(f"{name}: reservation value", (level,) * len(x), colour=i, dashed=True, legend=False)
        )
    markers = tuple(
        Marker(
            step.power,
            ("points " if len(step.changes) > 1 else "point ")
            + ", ".join(str(problem.point_numbers[c.point]) for c in step.changes),
        )
        for step in sweep.steps
        if step.changes
    )
    return LineChart(
        title=textwrap.shorten(f"The Nash package as {party}'s bargaining power grows", 80, placeholder=" …"),
        x_label=f"{party}'s bargaining power (others: as set)",
        y_label="utility (dashed: reservation values)",
        x=x,
        series=tuple(series),
        markers=markers,
        y_range=(0.0, 1.0),
    )
