"""Sequential Monte Carlo with likelihood tempering, vectorised over the particles (NumPy only).

From particles drawn from the prior, the likelihood is brought in by degrees: the target at
temperature t is prior x likelihood^t. Each stage picks the next temperature by bisection so that the
importance weights keep an effective sample size (ESS) of half the particles, resamples (systematic
resampling), then moves every particle with random-walk Metropolis steps at the new temperature. The
proposal is a Gaussian with the particles' own covariance, scaled (2.38 / sqrt(d) to start, then
adapted to the acceptance rate of the previous stage); the number of steps per stage follows the
acceptance rate: enough for a particle to have moved with probability 0.99 (as PyMC's SMC does), within
[MIN_STEPS, MAX_STEPS]. At temperature 1 the particles are equally weighted posterior draws.

Everything draws from the numpy Generator given, so a seed gives the same particles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MIN_STEPS = 3
MAX_STEPS = 25
MAX_STAGES = 80
"""A run that needs more stages than this stops where it got to and says so: the likelihood is so
sharp (or so at odds with the prior) that tempering would take forever."""
TARGET_ACCEPTANCE = 0.25
MOVED = 0.95
"""Steps per stage: enough that a particle has moved with this probability at the acceptance rate seen."""


@dataclass(frozen=True)
class Run:
    """One independent SMC run."""

    particles: FloatArray  # (n, d) equally weighted
    loglik: FloatArray  # (n,) the total log-likelihood of each particle
    temperatures: tuple[float, ...]  # after each stage; the last is 1.0 when the run finished
    stage_ess: tuple[float, ...]  # the ESS of the importance weights at each stage, before resampling
    acceptance: tuple[float, ...]  # the Metropolis acceptance rate at each stage
    steps: int  # Metropolis steps taken in all

    @property
    def finished(self) -> bool:
        return bool(self.temperatures) and self.temperatures[-1] >= 1.0


def ess_of(logw: FloatArray) -> float:
    """Kish's effective sample size of (unnormalised) log weights."""
    finite = np.isfinite(logw)
    if not finite.any():
        return 0.0
    w = np.exp(logw - logw[finite].max())
    w[~finite] = 0.0
    return float(w.sum() ** 2 / (w**2).sum())


def _next_temperature(loglik: FloatArray, now: float, fraction: float) -> float:
    n = len(loglik)
    if ess_of((1.0 - now) * loglik) >= fraction * n:
        return 1.0
    low, high = 0.0, 1.0 - now
    for _ in range(60):
        mid = 0.5 * (low + high)
        if ess_of(mid * loglik) >= fraction * n:
            low = mid
        else:
            high = mid
    return now + max(low, 1e-12)


def systematic(weights: FloatArray, rng: np.random.Generator) -> npt.NDArray[np.intp]:
    """Systematic resampling: indices of n particles drawn with one uniform number."""
    n = len(weights)
    positions = (rng.random() + np.arange(n)) / n
    cumulative = np.cumsum(weights)
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, positions, side="left")


class Particles(Protocol):
    """A model's particles, all runs side by side (run k holds particles k*n to (k+1)*n), with what
    the sampler needs of them: their log-likelihood, resampling, and the model's own move kernels."""

    loglik: FloatArray  # (runs * n,) the total log-likelihood of each particle

    def take(self, chosen: npt.NDArray[np.intp]) -> None:
        """Keep the particles ``chosen`` (resampling)."""

    def prepare(self) -> None:
        """Fit the moves' proposals to the particles as they are (once per stage, after resampling:
        the kernel stays fixed within a stage)."""

    def moves(self) -> int:
        """How many move kernels :meth:`step` applies (each with its own adapted scale)."""

    def step(self, t: float, rng: np.random.Generator, scales: Sequence[float]) -> list[float]:
        """One pass of every move kernel at temperature ``t`` (each leaves prior x likelihood^t
        invariant), with ``scales`` the kernels' adapted scales; their acceptance rates."""

    def theta(self) -> FloatArray:
        """(runs * n, d): the particles as vectors."""


def run(
    particles: Particles,
    runs: int,
    rng: np.random.Generator,
    *,
    fraction: float = 0.5,
    max_stages: int = MAX_STAGES,
) -> list[Run]:
    """Temper the ``runs`` independent runs held by ``particles`` (each started from a prior sample)
    to the posterior. The runs resample each within itself; they share the temperature schedule (each
    stage goes as far as the run that can go least far allows) and the proposals' shapes (from all
    particles), so they are computed as one array."""
    n = len(particles.loglik) // runs
    scales = [1.0] * particles.moves()
    t = 0.0
    temperatures: list[float] = []
    stage_ess: list[list[float]] = [[] for _ in range(runs)]
    acceptance: list[float] = []
    steps = 0
    while t < 1.0 and len(temperatures) < max_stages:
        loglik = particles.loglik
        new = min(_next_temperature(loglik[k * n : (k + 1) * n], t, fraction) for k in range(runs))
        picked = []
        for k in range(runs):
            logw = (new - t) * loglik[k * n : (k + 1) * n]
            stage_ess[k].append(ess_of(logw))
            w = np.exp(logw - logw.max())
            picked.append(k * n + systematic(w / w.sum(), rng))
        particles.take(np.concatenate(picked))
        t = new
        temperatures.append(t)
        if not scales:
            acceptance.append(1.0)
            continue
        particles.prepare()
        rates: list[list[float]] = []
        planned = MIN_STEPS
        done = 0
        while done < planned:
            rates.append(particles.step(t, rng, scales))
            done += 1
            if done == MIN_STEPS:
                mean = sum(min(r) for r in rates) / done
                wanted = math.log(1.0 - MOVED) / math.log(1.0 - mean) if 0.0 < mean < 1.0 else MAX_STEPS
                planned = int(min(MAX_STEPS, max(MIN_STEPS, math.ceil(wanted))))
        steps += done
        acceptance.append(sum(min(r) for r in rates) / done)
        # the scales adapt between stages (the kernels stay fixed within one) towards TARGET_ACCEPTANCE
        for j in range(len(scales)):
            scales[j] *= math.exp(2.0 * (sum(r[j] for r in rates) / done - TARGET_ACCEPTANCE))
    xs = particles.theta().reshape(runs, n, -1)
    loglik = particles.loglik
    return [
        Run(
            xs[k],
            loglik[k * n : (k + 1) * n].copy(),
            tuple(temperatures),
            tuple(stage_ess[k]),
            tuple(acceptance),
            steps,
        )
        for k in range(runs)
    ]


def proposal_factor(moved: FloatArray) -> FloatArray:
    """The Cholesky factor of the particles' covariance, with a little of its diagonal mixed in so it is
    well posed when the particles are few or alike."""
    d = moved.shape[1]
    covariance = np.atleast_2d(np.cov(moved, rowvar=False))
    spread = np.diag(covariance).copy()
    spread[spread <= 0] = 1e-8
    covariance = 0.9 * covariance + 0.1 * np.diag(spread) + 1e-10 * np.eye(d)
    return np.asarray(np.linalg.cholesky(covariance), dtype=np.float64)


def rhat(chains: FloatArray) -> FloatArray:
    """Gelman-Rubin's potential scale reduction per column of ``chains`` (runs, n, k): the between-run
    variance of the run means against the within-run variance of the particles. 1 when the runs agree;
    a column that does not vary at all gets 1."""
    m, n, _ = chains.shape
    means = chains.mean(axis=1)
    within = chains.var(axis=1, ddof=1).mean(axis=0)
    between = n * means.var(axis=0, ddof=1) if m > 1 else np.zeros_like(within)
    pooled = (n - 1) / n * within + between / n
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.sqrt(pooled / within)
    return np.where(within > 0, r, np.where(between > 0, np.inf, 1.0))


def between_run_ess(chains: FloatArray) -> FloatArray:
    """The effective sample size per column, from how much the runs' means scatter: m * W / Var(means),
    capped at the particle count (the variance of a run's mean is W / ess_run)."""
    m, n, _ = chains.shape
    within = chains.var(axis=1, ddof=1).mean(axis=0)
    spread = chains.mean(axis=1).var(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ess = np.where(spread > 0, m * within / spread, m * n)
    return np.asarray(np.minimum(np.nan_to_num(ess, nan=0.0), m * n), dtype=np.float64)
