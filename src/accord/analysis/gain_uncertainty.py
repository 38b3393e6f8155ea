"""Is a gain real, or within the uncertainty of the estimates? (Monte Carlo over declared uncertainty)

An improvement of a draft gains each party a little on the estimated preferences. When the parties'
preferences are only estimates (their ``uncertainty`` block, sampled as accord.analysis.robustness
samples it), the same draw of a party's weights and scores values both the draft and the
improvement, and the difference is that party's gain in that draw. A gain is *real* when the party
is better off in at least CONFIDENCE of the draws; otherwise it is within the uncertainty of the
estimates, and a mediator should not sell it as a gain. Reservation values play no part here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.robustness import Model, Sample, sample
from accord.analysis.seeds import checked_seed
from accord.engine.problem import Problem

CONFIDENCE = 0.95
"""A gain is real when the party is better off in at least this share of the draws."""

NOISE = 1e-9
"""Utility differences smaller than this are rounding: no gain and no loss."""


@dataclass(frozen=True)
class GainSpread:
    """One party's gain over the draft, as estimated and across the draws."""

    estimate: float  # the gain on the estimates themselves
    low: float  # 5th percentile of the gain across the draws
    high: float  # 95th percentile
    better: float  # share of the draws in which the party is better off
    worse: float  # share in which it is worse off

    @property
    def real(self) -> bool:
        """A gain the uncertainty cannot explain away (a party that gains nothing has no gain)."""
        return self.estimate > NOISE and self.better >= CONFIDENCE

    @property
    def doubtful(self) -> bool:
        """Sold as a gain (or as no loss) while the draws say it may not be one."""
        if self.estimate > NOISE:
            return self.better < CONFIDENCE
        return self.worse > 1 - CONFIDENCE


@dataclass(frozen=True)
class GainCheck:
    """Every party's gain of one package over the draft, checked against the uncertainty."""

    parties: tuple[GainSpread, ...]  # in the problem's party order
    samples: int

    def doubtful(self) -> tuple[int, ...]:
        """The parties whose gain may not be real (or who may be worse off)."""
        return tuple(i for i, spread in enumerate(self.parties) if spread.doubtful)


def declares_uncertainty(model: Model) -> bool:
    """True when some party's preferences are uncertain (a spread declared, or draws given)."""
    return any(
        p.dirichlet is not None or p.weight_spread or p.score_spread or p.draws is not None
        for p in model.parties
    )


def check_gains(
    model: Model,
    draft: Sequence[int] | npt.NDArray[np.int64],
    packages: Sequence[Sequence[int]],
    *,
    samples: int = 400,
    seed: int = 0,
) -> list[GainCheck]:
    """For each package (flat columns, one per point), every party's gain over ``draft`` across
    ``samples`` draws of the parties' preferences (the same draws for every package and the draft,
    so the comparison is paired); seeded, so the same seed gives the same answer."""
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    checked_seed(seed)
    if not packages:
        return []
    candidates = np.asarray([list(draft), *(list(p) for p in packages)], dtype=np.int64)  # (K+1, P)
    drawn = sample(model, np.random.default_rng(np.random.SeedSequence(seed)), samples)
    problem = model.problem
    estimated = np.stack([problem.utilities(c) for c in candidates], axis=1)  # (n, K+1)
    spreads: list[list[GainSpread]] = [[] for _ in packages]
    for i in range(len(model.parties)):
        u = _utilities(model, problem, drawn, i, candidates)  # (samples, K+1)
        gains = u[:, 1:] - u[:, :1]
        low, high = np.quantile(gains, [0.05, 0.95], axis=0)
        better = (gains > NOISE).mean(axis=0)
        worse = (gains < -NOISE).mean(axis=0)
        for k in range(len(packages)):
            spreads[k].append(
                GainSpread(
                    float(estimated[i, k + 1] - estimated[i, 0]),
                    float(low[k]),
                    float(high[k]),
                    float(better[k]),
                    float(worse[k]),
                )
            )
    return [GainCheck(tuple(s), samples) for s in spreads]


def _utilities(
    model: Model, problem: Problem, drawn: Sample, party: int, candidates: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """(samples, K): party's utility of each candidate in each draw (as robustness computes it)."""
    drawn_utility = drawn.column_utility[party]
    if drawn_utility is not None:  # a party given draws: utility per column, summed over the package
        summed: npt.NDArray[np.float64] = np.asarray(drawn_utility, dtype=np.float64)[:, candidates].sum(
            axis=2
        )
        return summed
    weights = np.asarray(drawn.weights[party], dtype=np.float64)  # (S, P)
    score = model.parties[party].score[candidates]  # (K, P)
    u = weights @ score.T
    for column, delta in drawn.corrections[party]:
        point = problem.point_of_column[column]
        uses = candidates[:, point] == column
        if uses.any():
            u[:, uses] += (weights[:, point] * delta)[:, None]
    return u


def describe_check(names: Sequence[str], check: GainCheck) -> str:
    """The check in one sentence: which gains may not be real (and who may even be worse off)."""
    doubtful = check.doubtful()
    if not doubtful:
        return (
            "Beyond the uncertainty of the estimates: every party that gains is better off in at least "
            f"{CONFIDENCE:.0%} of {check.samples} draws."
        )
    gains = [names[i] for i in doubtful if check.parties[i].estimate > NOISE]
    losses = [names[i] for i in doubtful if check.parties[i].estimate <= NOISE]
    words = []
    if gains:
        words.append(f"may not be a real gain for {_and(gains)}")
    if losses:
        words.append(f"may leave {_and(losses)} worse off")
    return f"Within the uncertainty of the estimates: {'; '.join(words)}."


def describe_spread(name: str, spread: GainSpread, samples: int) -> str:
    """One party's gain across the draws, in words."""
    share = (
        f"better off in {spread.better:.0%}"
        if spread.estimate > NOISE
        else f"worse off in {spread.worse:.0%}"
    )
    interval = f"90% interval of the gain {spread.low:+.3f} to {spread.high:+.3f}"
    return f"{name}: {share} of {samples} draws ({interval})"


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
