"""GENIUS's evaluators as formulas: what one issue's value is worth before the issue's weight.

As GENIUS computes them (genius.core.utility: EvaluatorDiscrete, EvaluatorInteger, EvaluatorReal,
EVALFUNCTYPE); pure functions, no XML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# EvaluatorDiscrete.normalize: an issue whose largest evaluation is below this is worth 0 throughout
DISCRETE_FLOOR = 0.00001
# how closely an exported evaluator must give back the scores it stands for
EXACT = 1e-12


def clip(x: float) -> float:
    """GENIUS clips linear evaluations to [0, 1]."""
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def discrete(table: Mapping[str, float]) -> dict[str, float]:
    """Each evaluation divided by the largest of the table (EvaluatorDiscrete.normalize).

    The largest is taken over every item the profile lists, even one naming no value of the
    domain, as GENIUS does."""
    top = max(table.values())
    return {value: (0.0 if top < DISCRETE_FLOOR else e / top) for value, e in table.items()}


def integer(value: int, lower: int, slope: float, offset: float) -> float:
    """EvaluatorInteger: offset + slope x (value - lowerbound), clipped to [0, 1]."""
    return clip(slope * (value - lower) + offset)


def real_linear(x: float, parameter0: float, parameter1: float) -> float:
    """EvaluatorReal, ftype linear: parameter1 x value + parameter0, clipped to [0, 1]."""
    return clip(parameter1 * x + parameter0)


def triangular(x: float, low: float, high: float, top: float) -> float:
    """EVALFUNCTYPE.evalTriangular: 0 outside (low, high), 1 at top, linear in between."""
    if x < low:
        return 0.0
    if x < top:
        return (x - low) / (top - low)
    if x < high:
        return 1 - (x - top) / (high - top)
    return 0.0


def steps(lower: float, upper: float, count: int) -> list[float]:
    """``count`` evenly spaced values from ``lower`` to ``upper``, both included."""
    if count == 1 or upper == lower:
        return [lower]
    return [lower + (upper - lower) * k / (count - 1) for k in range(count - 1)] + [upper]


def fit_integer(values: Sequence[int], evaluations: Sequence[float]) -> tuple[float, float] | None:
    """A slope and offset with which GENIUS's integer evaluator gives back ``evaluations`` exactly
    (to 1e-12), lowerbound being ``values[0]``; None when no clipped line does.

    Inside (0, 1) the line is fixed by two points; at a step from 0 to 1 (or back) any slope steep
    enough will do, and the steepest needed is taken."""
    lower = values[0]
    pairs = sorted(zip(values, evaluations, strict=True))
    inside = [(v, e) for v, e in pairs if EXACT < e < 1 - EXACT]
    if len(inside) >= 2:
        (v0, e0), (v1, e1) = inside[0], inside[-1]
        slope = (e1 - e0) / (v1 - v0)
        candidate = (slope, e0 - slope * (v0 - lower))
    elif all(abs(e - pairs[0][1]) <= EXACT for _, e in pairs):
        candidate = (0.0, pairs[0][1])
    else:
        candidate = _fit_step(pairs, inside, lower)
    slope, offset = candidate
    if all(abs(integer(v, lower, slope, offset) - e) <= EXACT for v, e in pairs):
        return slope, offset
    return None


def _fit_step(
    pairs: Sequence[tuple[int, float]], inside: Sequence[tuple[int, float]], lower: int
) -> tuple[float, float]:
    """A line through at most one inner point, clipped to 0 on one side and 1 on the other."""
    rising = pairs[-1][1] > pairs[0][1]
    zeros = [v for v, e in pairs if e <= EXACT]
    ones = [v for v, e in pairs if e >= 1 - EXACT]
    if not zeros or not ones:
        return 0.0, pairs[0][1]  # not a step: the check in fit_integer refuses it
    zero = max(zeros) if rising else min(zeros)
    one = min(ones) if rising else max(ones)
    if inside:
        v, e = inside[0]
        slope = max(e / abs(v - zero), (1 - e) / abs(one - v))
        slope = slope if rising else -slope
        return slope, e - slope * (v - lower)
    slope = 1 / (one - zero)
    return slope, -slope * (zero - lower)
