"""Bargaining power: how the Nash package moves as one party's power grows.

The asymmetric Nash solution (Kalai 1977; Roth 1979) maximises the product of
gains, each raised to its party's bargaining power. A sweep solves it exactly at
evenly spaced powers of one party (every other party keeps its power) and records,
step by step, which points change option: the points that change hands first are
those the party cares about most relative to what they cost the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.engine.milp import MilpSolver
from accord.engine.nash import nash
from accord.engine.problem import Problem
from accord.engine.solution import Outcome, Solution
from accord.errors import EngineError


@dataclass(frozen=True)
class Change:
    """Point ``point`` (an index) moved from column ``before`` to column ``after``."""

    point: int
    before: int
    after: int


@dataclass(frozen=True)
class SweepStep:
    power: float  # the swept party's power at this step
    outcome: Outcome  # the Nash answer with that power
    changes: tuple[Change, ...]  # against the previous step's package (none at the first step)

    @property
    def best(self) -> Solution | None:
        return self.outcome.best


@dataclass(frozen=True)
class FirstChange:
    """The first step at which a point leaves the option it had at the lowest power."""

    point: int
    power: float
    before: int  # the option at the lowest power
    after: int  # the option it moved to at ``power``


@dataclass(frozen=True)
class PowerSweep:
    party: int  # the swept party (an index into the problem's parties)
    steps: tuple[SweepStep, ...]
    powers: tuple[float, ...]  # every party's power at the first step (the swept one: LO)

    @property
    def first_changes(self) -> tuple[FirstChange, ...]:
        """Each point that changes option anywhere in the sweep, in the order it first changes."""
        start = next((s.best for s in self.steps if s.best is not None), None)
        if start is None:
            return ()
        found: dict[int, FirstChange] = {}
        for step in self.steps:
            if step.best is None:
                continue
            for point, (before, after) in enumerate(zip(start.columns, step.best.columns, strict=True)):
                if before != after and point not in found:
                    found[point] = FirstChange(point, step.power, before, after)
        return tuple(found.values())


def sweep_powers(low: float, high: float, steps: int) -> tuple[float, ...]:
    """``steps`` evenly spaced powers from ``low`` to ``high`` (both included)."""
    if not (np.isfinite(low) and np.isfinite(high) and 0 < low < high):
        raise EngineError(f"a power sweep runs from a positive LO to a larger HI, got {low:g} to {high:g}")
    if steps < 2:
        raise EngineError(f"a power sweep needs at least 2 steps, got {steps}")
    return tuple(float(p) for p in np.linspace(low, high, steps))


def power_sweep(
    problem: Problem,
    party: str,
    powers: tuple[float, ...],
    solver: MilpSolver,
    time_limit: float | None = None,
) -> PowerSweep:
    """The Nash package at each of ``powers`` for ``party`` (``time_limit``: seconds per step)."""
    if party not in problem.parties:
        known = ", ".join(problem.parties)
        raise EngineError(f"no party {party!r} to sweep the power of (parties: {known})")
    who = problem.parties.index(party)
    steps: list[SweepStep] = []
    previous: Solution | None = None
    for power in powers:
        outcome = nash(problem.with_power({party: power}), solver, 1, time_limit)
        best = outcome.best
        changes: tuple[Change, ...] = ()
        if best is not None and previous is not None:
            changes = tuple(
                Change(point, before, after)
                for point, (before, after) in enumerate(zip(previous.columns, best.columns, strict=True))
                if before != after
            )
        steps.append(SweepStep(power, outcome, changes))
        previous = best if best is not None else previous
    first = problem.powers.copy()
    first[who] = powers[0]
    return PowerSweep(who, tuple(steps), tuple(float(p) for p in first))
