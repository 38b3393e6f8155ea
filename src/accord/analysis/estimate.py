"""A party's preferences learnt from the evidence of the record: a posterior, not a guess.

The model (docs/estimate.md has it in full): party i has weights w on the simplex, scores s[p] on
[0, 1] per point and a reservation value r on [0, 1]. The prior is its declared estimate with its
``uncertainty`` block (accord.analysis.prior); the evidence (accord.analysis.evidence) enters through
the likelihoods below, with the noise parameters of :class:`NoiseModel`:

- a stance (and a statement, with its weaker slope; a declared red line as a ``reject``): an ordered
  logit on the option's position among the point's options, x = (s - min) / (max - min), with
  salience m = P * w[p]: eta = k * beta * m * (x - tau); P(reject) = sigmoid(-eta - cut),
  P(accept) = sigmoid(eta - cut), P(conditional) the rest; k, the party's own multiplier of the
  slopes, is learnt with its preferences (log k ~ N(0, beta_spread^2)), and so is the party's own
  cut, the half-width of its conditional band (log cut ~ N(log 1, cut_spread^2));
- a draft the party wrote: P(chose o) = softmax over the point's options of beta_author * m * s[p];
- a verdict on a whole draft: P(accept) = sigmoid(beta_reservation * (U(draft) - r)).

Parties are independent given the evidence, so each is estimated on its own, by tempered sequential
Monte Carlo (accord.analysis.sampler) in 4 independent runs whose agreement (R-hat) is checked.
Pure: numpy and scipy only, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.special import expit, log_expit
from threadpoolctl import threadpool_limits

from accord.analysis import sampler
from accord.analysis.evidence import ANSWERS, Evidence, evidence_of
from accord.analysis.prior import (
    EDGE,
    NORMAL,
    TRIANGULAR,
    FloatArray,
    IntArray,
    PartyModel,
    Unpacked,
    party_model,
)
from accord.analysis.seeds import checked_seed
from accord.domain import Distribution, Negotiation, Preferences, Stance, Uncertainty
from accord.errors import DomainError

__all__ = [
    "DECLARED_NOISE",
    "RUNS",
    "Contradiction",
    "Diagnostics",
    "Evidence",
    "NoiseModel",
    "Posterior",
    "Summary",
    "as_preferences",
    "contradictions",
    "estimate",
    "evidence_of",
]

RUNS = 4
"""Independent SMC runs per party; their agreement is the R-hat check."""
MAX_RHAT = 1.05
MIN_ACCEPTANCE = 0.05
MIN_ESS = 100
"""Fewer effective samples than this and the 90% intervals are too rough to report."""


@dataclass(frozen=True)
class NoiseModel:
    """The slopes of the likelihoods (how sharply a party's answers follow its preferences) and the
    ordered logit's threshold ``tau`` and cut ``cut`` (see the module docstring).

    ``beta`` (30) is the median of the stance slope's prior, set so that answers follow the true
    preferences about as consistently as roll-call votes follow legislators' ideal points (85-91% of
    them classified correctly; docs/estimate.md, "The noise"). The slope is learnt: every party has its
    own multiplier k of the stance, statement and red-line slopes (their ratios fixed), with the prior
    log k ~ N(0, ``beta_spread``); ``beta_spread`` 0 fixes k at 1 (the slopes as given).

    ``cut`` (1) is the median of the cut's prior: how wide a band of the latent judgement a party
    answers ``conditional`` in. The cut is learnt per party too, log cut ~ N(log ``cut``,
    ``cut_spread``^2): with 0.5 its 90% prior interval is 0.44-2.3, a conditional answer on an option
    the party is indifferent to (eta 0) from 22% to 82% likely, so a party that rarely answers
    conditional and one that mostly does both fit (docs/estimate.md, "The cut"); ``cut_spread`` 0
    fixes the cut."""

    beta: float = 30.0
    tau: float = 0.5
    cut: float = 1.0
    beta_statement: float = 15.0
    beta_author: float = 4.0
    beta_red_line: float = 15.0
    beta_reservation: float = 20.0
    beta_spread: float = 0.7
    cut_spread: float = 0.5

    def slope(self, kind: str) -> float:
        return {"stance": self.beta, "statement": self.beta_statement, "red-line": self.beta_red_line}[kind]

    @property
    def learnt(self) -> bool:
        return self.beta_spread > 0

    @property
    def cut_learnt(self) -> bool:
        return self.cut_spread > 0 and self.cut > 0

    @property
    def log_cut(self) -> float:
        """log ``cut`` (-inf for a cut of 0: no conditional band at all)."""
        return math.log(self.cut) if self.cut > 0 else -math.inf


DECLARED_NOISE = NoiseModel(beta=6.0, beta_statement=3.0, beta_red_line=3.0, beta_spread=0.0, cut_spread=0.0)
"""The noise under which a recorded stance is judged against the *declared* estimate (contradictions):
a guess, not the truth, so its predictions are flatter than the truth's by the guess's own error. The
flagship's stances, read through its declared estimates, fit a slope of about 3 (docs/estimate.md)."""


def ordinal_log_probabilities(
    eta: FloatArray, cut: float | FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """log P(reject), log P(conditional), log P(accept) of the ordered logit at ``eta`` (``cut`` a
    number or one per column of ``eta``), stably:
    P(conditional) = sigmoid(eta + cut) - sigmoid(eta - cut), written through |eta| so it never
    cancels to zero."""
    reject = log_expit(-eta - cut)
    accept = log_expit(eta - cut)
    a = np.abs(eta)
    upper, lower = log_expit(cut - a), log_expit(-cut - a)
    conditional = upper + np.log1p(-np.exp(np.minimum(lower - upper, -1e-12)))
    return reject, conditional, accept


@dataclass(frozen=True)
class Summary:
    """A quantity's prior mean and its posterior mean with the 90% interval (5% and 95% quantiles)."""

    prior_mean: float
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class Diagnostics:
    """How far the sampler can be trusted. ``ess``: the effective sample size, the median over the
    weights, the reservation value and the logs of the slope multiplier and the cut (those learnt) of
    4 * W / Var(run means) (how much the 4 runs' means scatter against the spread within a run), capped
    at ``particles``; ``rhat``: the largest Gelman-Rubin R-hat over the same across the 4 runs;
    ``acceptance``: the Metropolis acceptance rate at the last stage (mean over runs); ``stages``: the
    most tempering stages a run took. ``ok`` is False, with the ``problems`` in plain words, when R-hat
    exceeds 1.05, the acceptance collapsed below 5%, or a run did not reach the posterior."""

    ess: float
    particles: int
    rhat: float
    acceptance: float
    stages: int
    ok: bool
    problems: tuple[str, ...]
    stage_ess: tuple[float, ...] = ()  # per stage of the first run, the ESS before resampling


@dataclass(frozen=True)
class Posterior:
    """Posterior samples of one party's preferences (equally weighted), with the prior's for
    comparison, the evidence used, what moved it most, and the sampler's diagnostics.

    ``influence``: each piece of evidence with how far leaving it out would move the posterior means,
    in utility units: sum_p |dw_p| + sum_p mean(w_p) * sum_o |ds_po| + |dr|, the posterior without it
    got by reweighting the samples by 1 / its likelihood (leave-one-out importance sampling, weights
    truncated at sqrt(S) times their mean); most influential first."""

    party: str
    points: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    weights: FloatArray  # (S, P)
    scores: tuple[FloatArray, ...]  # per point (S, K_p), on [0, 1]
    reservation: FloatArray  # (S,)
    prior_weights: FloatArray
    prior_scores: tuple[FloatArray, ...]
    prior_reservation: FloatArray
    evidence: tuple[Evidence, ...]
    influence: tuple[tuple[Evidence, float], ...]
    diagnostics: Diagnostics
    score_scale: float
    noise: NoiseModel = field(default_factory=NoiseModel)
    warnings: tuple[str, ...] = ()  # no evidence (the posterior is the prior), no declared preferences
    slope_scale: FloatArray | None = None  # (S,) the learnt multiplier k of the ordinal slopes
    cuts: FloatArray | None = None  # (S,) the learnt cut of the ordered logit (None: noise.cut)

    def slope_summary(self) -> Summary:
        """The stance slope beta * k: its prior mean (beta exp(spread^2 / 2), the log-normal's) and its
        posterior: how consistently this party's answers follow its preferences."""
        k = self.slope_scale if self.slope_scale is not None else np.ones(len(self.weights))
        prior_mean = self.noise.beta * math.exp(self.noise.beta_spread**2 / 2)
        low, high = np.quantile(self.noise.beta * k, [0.05, 0.95])
        return Summary(prior_mean, float(self.noise.beta * k.mean()), float(low), float(high))

    def cut_summary(self) -> Summary:
        """The cut: its prior mean (cut exp(cut_spread^2 / 2), the log-normal's) and its posterior:
        how wide the band of the party's judgement it answers ``conditional`` in."""
        cut = self.cuts if self.cuts is not None else np.full(len(self.weights), self.noise.cut)
        prior_mean = self.noise.cut * math.exp(self.noise.cut_spread**2 / 2)
        low, high = np.quantile(cut, [0.05, 0.95])
        return Summary(prior_mean, float(cut.mean()), float(low), float(high))

    def cut_values(self) -> FloatArray:
        """(S,) each sample's cut."""
        return self.cuts if self.cuts is not None else np.full(len(self.weights), self.noise.cut)

    @property
    def ok(self) -> bool:
        return self.diagnostics.ok

    def _index(self, point: str) -> int:
        try:
            return self.points.index(point)
        except ValueError:
            raise DomainError(f"the estimate of {self.party!r} has no point {point!r}") from None

    def _option(self, point: str, option: str) -> tuple[int, int]:
        p = self._index(point)
        if option not in self.options[p]:
            known = ", ".join(self.options[p])
            raise DomainError(f"point {point!r} has no option {option!r} (options: {known})")
        return p, self.options[p].index(option)

    def weight_summary(self) -> dict[str, Summary]:
        return {
            point: _summary(self.prior_weights[:, p], self.weights[:, p])
            for p, point in enumerate(self.points)
        }

    def score_summary(self) -> dict[str, dict[str, Summary]]:
        """Per point and option, on the party's own score scale."""
        k = self.score_scale
        return {
            point: {
                option: _summary(k * self.prior_scores[p][:, o], k * self.scores[p][:, o])
                for o, option in enumerate(self.options[p])
            }
            for p, point in enumerate(self.points)
        }

    def reservation_summary(self) -> Summary:
        return _summary(self.prior_reservation, self.reservation)

    def preferred(self) -> dict[str, tuple[tuple[str, float], tuple[str, float]]]:
        """Per point: the option most likely the party's best, with that probability, and the one most
        likely its worst, with that one."""
        found = {}
        for p, point in enumerate(self.points):
            s = self.scores[p]
            k = s.shape[1]
            best = np.bincount(s.argmax(axis=1), minlength=k) / len(s)
            worst = np.bincount(s.argmin(axis=1), minlength=k) / len(s)
            b, w = int(best.argmax()), int(worst.argmax())
            found[point] = ((self.options[p][b], float(best[b])), (self.options[p][w], float(worst[w])))
        return found

    def stance_probabilities(self, point: str, option: str) -> dict[str, float]:
        """The posterior predictive of the party's stance on ``option`` of ``point``."""
        p, o = self._option(point, option)
        eta = (
            self.noise.beta
            * len(self.points)
            * self.weights[:, p]
            * (_position(self.scores[p], o) - self.noise.tau)
        )
        if self.slope_scale is not None:
            eta = eta * self.slope_scale
        logs = ordinal_log_probabilities(eta, self.cut_values())
        return {answer: float(np.exp(lp).mean()) for answer, lp in zip(ANSWERS, logs, strict=True)}

    def red_line_probability(self, point: str, option: str) -> float:
        """P(the party rejects the option): the posterior predictive of a ``reject`` stance on it."""
        return self.stance_probabilities(point, option)["reject"]


def _summary(prior: FloatArray, posterior: FloatArray) -> Summary:
    low, high = np.quantile(posterior, [0.05, 0.95])
    return Summary(float(prior.mean()), float(posterior.mean()), float(low), float(high))


def _position(scores: FloatArray, column: int) -> FloatArray:
    """The option's relative position among the point's options, per sample (0.5 when all are equal)."""
    low, high = scores.min(axis=1), scores.max(axis=1)
    span = high - low
    safe = np.where(span > 1e-12, span, 1.0)
    return np.asarray(np.where(span > 1e-12, (scores[:, column] - low) / safe, 0.5), dtype=np.float64)


def _answered(eta: FloatArray, by_answer: Sequence[IntArray], cut: float | FloatArray) -> FloatArray:
    """log P(the recorded answer) per row of eta, the rows grouped by answer (reject, conditional,
    accept); ``cut`` a number or (1, n), one per column."""
    out = np.empty_like(eta)
    for code, rows in enumerate(by_answer):
        if not len(rows):
            continue
        e = eta[rows]
        if code == 0:
            out[rows] = log_expit(-e - cut)
        elif code == 2:
            out[rows] = log_expit(e - cut)
        else:
            out[rows] = ordinal_log_probabilities(e, cut)[1]
    return out


F32 = np.float32
WALKS = 3
"""Random-walk moves of the weights and the reservation value per step (one score sweep): they are the
slow part to mix (a random walk in P + 1 dimensions decorrelates in about P steps, a point's scores in a
few) and cost half a sweep; three walks per sweep gave the weights about three times the effective
sample size per CPU second of one (docs/estimate.md)."""


def _log_sigmoid(z: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """log sigmoid(z) in single precision through exp and log only (SciPy's log_expit and NumPy's
    log1p run several times slower): min(z, 0) - log(1 + exp(-|z|)); rounding 1 + e costs at most
    6e-8 in absolute terms."""
    return np.minimum(z, F32(0)) - np.log(F32(1) + np.exp(-np.abs(z)))


class Particles:
    """The particles of one party's SMC, all runs side by side, particles last, in single precision
    where the work is (the sampler's :class:`accord.analysis.sampler.Particles`). Two moves per step:

    - a Gaussian random walk on the weight coordinates and the reservation value, with the particles'
      covariance, taken WALKS times per step; the scores do not move, so the options' places x on their
      points (the ordered logit's input) are kept from the last move that changed them, not recomputed;
    - every point's scores at once: each point's free score coordinates (logits) get a Gaussian
      random-walk proposal, accepted point by point on the change of that point's prior and its own
      evidence (stances, statements, red lines, authored choices), which are independent across points
      given the weights; then, when whole-draft verdicts tie the points together, the accepted points
      are kept or all put back at once on the change of the verdicts' likelihood (delayed acceptance,
      Christen & Fox 2005: the first stage is a product of per-point Metropolis kernels, each
      reversible for its point's factor, so the second accepts on the remaining factor alone).

    Per point the log-likelihood of its own evidence is kept as a (P, n) array, so either move
    recomputes only what it changes."""

    def __init__(
        self,
        likelihood: Likelihood,
        theta: FloatArray,
        log_scale: FloatArray | None = None,
        log_cut: FloatArray | None = None,
    ) -> None:
        m = likelihood.model
        noise = likelihood.noise
        self.model, self.noise = m, noise
        # the slope multiplier k of the ordinal evidence, walked with the weights as log k (when learnt)
        self.learn = noise.learnt and len(likelihood.ordinal_point) > 0
        self.ls = (
            np.asarray(log_scale, dtype=np.float64).copy()
            if self.learn and log_scale is not None
            else np.zeros(theta.shape[0])
        )
        # the cut's log, walked with them too (when learnt)
        self.learn_cut = noise.cut_learnt and len(likelihood.ordinal_point) > 0
        self.lc = (
            np.asarray(log_cut, dtype=np.float64).copy()
            if self.learn_cut and log_cut is not None
            else np.full(theta.shape[0], noise.log_cut)
        )
        n_points, columns = len(m.points), m.columns
        self.n_points = n_points
        # the coordinates: weights and reservation value (walked), score columns (swept), fixed ones
        offset = n_points
        score_coordinate = np.arange(offset, offset + columns)
        walk = m.free.copy()
        walk[offset : offset + columns] = False
        self.walk = np.flatnonzero(walk)
        self.free_columns = np.flatnonzero(m.free[score_coordinate])  # score columns that move
        self.fixed_columns = np.flatnonzero(~m.free[score_coordinate])
        self.all_free = not len(self.fixed_columns)
        fixed_at = dict(zip(m.fixed.tolist(), m.fixed_value.tolist(), strict=True))
        self.fixed_scores = np.array([fixed_at[offset + c] for c in self.fixed_columns], dtype=F32).reshape(
            -1, 1
        )
        # the bounded walk coordinates (raw weights off the Dirichlet, the reservation value)
        self.walk_bounded = np.array([c for c in self.walk if m.slot[c] >= 0], dtype=np.intp)
        self.head = np.append(np.arange(n_points), m.size - 1)  # every walked coordinate is one of these
        place = {int(c): i for i, c in enumerate(self.head)}
        self.walk_in_head = np.array([place[int(c)] for c in self.walk], dtype=np.intp)
        self.bounded_in_head = np.array([place[int(c)] for c in self.walk_bounded], dtype=np.intp)
        # the swept columns' transform, as (k, 1) single-precision columns
        slots = m.slot[offset + self.free_columns]

        def col(a: FloatArray) -> npt.NDArray[np.float32]:
            return np.asarray(a[slots], dtype=F32).reshape(-1, 1)

        self.low, self.width = col(m.low), col(m.width)
        self.mode, self.high = col(m.mode), col(m.high)
        self.mean, self.sd = col(m.mean), col(m.sd)
        kind = m.kind[slots]
        self.triangular = np.flatnonzero(kind == TRIANGULAR)
        self.normal = np.flatnonzero(kind == NORMAL)
        self.shaped = bool(len(self.triangular) or len(self.normal))
        triangle = (kind == TRIANGULAR).reshape(-1, 1)
        with np.errstate(divide="ignore"):  # a side of zero width: the other side everywhere
            up = np.where(triangle & (self.mode > self.low), 1.0 / (self.mode - self.low), 1e30)
            down = np.where(triangle & (self.high > self.mode), 1.0 / (self.high - self.mode), 1e30)
        self.rise, self.fall = up.astype(F32), down.astype(F32)
        k_max = max(len(o) for o in m.options)
        self.padded = np.array(
            [[m.starts[p] + (k if k < len(o) else 0) for p, o in enumerate(m.options)] for k in range(k_max)],
            dtype=np.intp,
        )
        point_of_free = m.point_of_column[self.free_columns]
        moving = np.bincount(point_of_free, minlength=n_points)
        self.moving_points = np.flatnonzero(moving > 0)
        self.still_points = np.flatnonzero(moving == 0)
        self.step_of_column = (2.38 / np.sqrt(np.maximum(moving[point_of_free], 1))).astype(F32)
        self.sum_free = self._indicator(point_of_free, n_points)  # (P, free columns)
        self.point_of_free = point_of_free
        # the evidence: ordinal rows grouped by answer (reject, conditional, accept), as slices
        order = np.argsort(likelihood.ordinal_answer, kind="stable")
        self.ordinal_point = likelihood.ordinal_point[order]
        self.ordinal_column = likelihood.ordinal_column[order]
        self.ordinal_slope = likelihood.ordinal_slope[order].astype(F32).reshape(-1, 1)
        counts = np.bincount(likelihood.ordinal_answer, minlength=3)
        self.bounds = (int(counts[0]), int(counts[0] + counts[1]))
        self.sum_ordinal = self._indicator(self.ordinal_point, n_points)
        self.authored_point = likelihood.authored_point
        self.authored_column = likelihood.authored_column
        self.sum_authored = self._indicator(self.authored_point, n_points)
        self.package = likelihood.verdict_package.astype(F32)
        self.sign = np.where(likelihood.verdict_accept, 1.0, -1.0).astype(F32).reshape(-1, 1)
        self.tau = F32(noise.tau)
        self.set(np.ascontiguousarray(theta.T))

    @staticmethod
    def _indicator(rows: IntArray, points: int) -> npt.NDArray[np.float32]:
        out = np.zeros((points, len(rows)), dtype=F32)
        out[rows, np.arange(len(rows))] = 1.0
        return out

    # the state, from the coordinates ------------------------------------------------------------

    def set(self, theta: FloatArray) -> None:
        """Everything from theta (D, n): the walked coordinates, the score logits and all derived."""
        m = self.model
        self.coordinates = theta  # (D, n) float64: the fixed coordinates are read from here
        self.uw = theta[self.walk].copy()
        # the swept scores as fractions of their intervals, f = sigmoid(logit coordinate)
        self.us = expit(theta[self.n_points + self.free_columns]).astype(F32)
        self.w, self.r, self.prior_walk = self._walk_values(self.uw)
        s = np.empty((m.columns, theta.shape[1]), dtype=F32)
        s[self.fixed_columns] = self.fixed_scores
        values, density = self._scores(self.us)
        s[self.free_columns] = values
        self.s = s
        self.prior_points = self.sum_free @ density
        self.x = self._places(s)
        self.k = np.exp(self.ls).astype(F32)
        if self.learn:
            self.prior_walk = self.prior_walk + self._log_scale_prior(self.ls)
        self.cut = self._cut_terms(self.lc)
        if self.learn_cut:
            self.prior_walk = self.prior_walk + self._log_cut_prior(self.lc)
        w32 = self.w.astype(F32)
        self.local = self._local(self.x, s, w32, self.k, self.cut)
        self.utility, self.verdicts = self._verdicts(s, w32, self.r)
        self.loglik = self.local.sum(axis=0, dtype=np.float64) + self.verdicts

    def take(self, chosen: npt.NDArray[np.intp]) -> None:
        for name in (
            "uw",
            "us",
            "w",
            "r",
            "prior_walk",
            "s",
            "prior_points",
            "x",
            "local",
            "ls",
            "k",
            "lc",
            "cut",
        ):
            setattr(self, name, getattr(self, name)[..., chosen])
        self.coordinates = self.coordinates[:, chosen]
        self.utility, self.verdicts = self.utility[:, chosen], self.verdicts[chosen]
        self.loglik = self.loglik[chosen]

    def theta(self) -> FloatArray:
        theta = self.coordinates.copy()
        theta[self.walk] = self.uw
        fraction = np.clip(self.us.astype(np.float64), EDGE, 1.0 - EDGE)
        theta[self.n_points + self.free_columns] = np.log(fraction) - np.log1p(-fraction)
        return np.ascontiguousarray(theta.T)

    def _walk_values(self, uw: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Weights (P, n), reservation values (n,) and their log prior density (n,), in double precision."""
        m = self.model
        head = self.coordinates[self.head]  # the weight coordinates and the reservation value's
        head[self.walk_in_head] = uw
        prior = np.zeros(uw.shape[1])
        z = head[: self.n_points]
        if m.dirichlet:
            top = z.max(axis=0)
            e = np.exp(z - top)  # one exponential for both the density and the softmax
            prior += (m.alpha[:, None] * z).sum(axis=0) - e.sum(axis=0) * np.exp(top)
            w = e / e.sum(axis=0)
        if len(self.walk_bounded):
            at = self.bounded_in_head
            values, density = m.bounded_values(m.slot[self.walk_bounded], head[at])
            head[at] = values
            prior += density.sum(axis=0)
        if not m.dirichlet:
            raw = head[: self.n_points]
            w = raw / raw.sum(axis=0)
        return w, head[-1].copy(), prior

    def _log_scale_prior(self, ls: FloatArray) -> FloatArray:
        """log N(ls; 0, beta_spread^2), constants left out: the prior of the slope multiplier's log."""
        return np.asarray(-0.5 * (ls / self.noise.beta_spread) ** 2, dtype=np.float64)

    def _log_cut_prior(self, lc: FloatArray) -> FloatArray:
        """log N(lc; log cut, cut_spread^2), constants left out: the prior of the cut's log."""
        return np.asarray(-0.5 * ((lc - self.noise.log_cut) / self.noise.cut_spread) ** 2)

    @staticmethod
    def _cut_terms(lc: FloatArray) -> npt.NDArray[np.float32]:
        """(3, n) per particle: the cut c, log(2 sinh c) and 2 cosh c (the ordered logit's terms), in
        single precision; log(2 sinh c) = c + log(1 - exp(-2c)), which stays finite for large c."""
        c = np.exp(lc)
        with np.errstate(over="ignore", divide="ignore"):
            terms = np.array([c, c + np.log(-np.expm1(-2.0 * c)), 2.0 * np.cosh(c)])
        return np.asarray(terms, dtype=F32)

    def _scores(self, f: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """The swept score columns' values at fractions f of their intervals (each in [0, 1]) and their
        log prior densities in f (constants left out; -1e30 for none), in single precision, without
        branches (np.where on random masks costs more here than a logarithm)."""
        x = self.low + self.width * f
        if not self.shaped:
            return x, np.zeros_like(f)
        # a triangle's rising and falling sides: the lower of the two is its shape (at most 1); a
        # uniform's sides are so steep that its shape is 1 all through
        shape = np.minimum((x - self.low) * self.rise, (self.high - x) * self.fall)
        with np.errstate(divide="ignore"):
            density = np.log(np.clip(shape, F32(0), F32(1)))
        if len(self.normal):
            k = self.normal
            z = (x[k] - self.mean[k]) / self.sd[k]
            density[k] -= F32(0.5) * z * z
        return x, np.maximum(density, F32(-1e30))

    def _places(self, s: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Each ordinal row's option place x among its point's options (0.5 when all are equal)."""
        if not len(self.ordinal_point):
            return np.zeros((0, s.shape[1]), dtype=F32)
        padded = s[self.padded]  # (K max, P, n): each point's options, the first repeated to fill
        low, high = padded[0].copy(), padded[0].copy()
        for k in range(1, len(padded)):
            np.minimum(low, padded[k], out=low)
            np.maximum(high, padded[k], out=high)
        span = high - low
        p = self.ordinal_point
        x = (s[self.ordinal_column] - low[p]) / np.maximum(span, F32(1e-12))[p]
        flat = span <= F32(1e-12)
        if flat.any():
            x = np.where(flat[p], F32(0.5), x)
        return np.asarray(x, dtype=F32)

    def _local(
        self,
        x: npt.NDArray[np.float32],
        s: npt.NDArray[np.float32],
        w: npt.NDArray[np.float32],
        k: npt.NDArray[np.float32],
        cut: npt.NDArray[np.float32],
    ) -> npt.NDArray[np.float32]:
        """(P, n): the log-likelihood of each point's own evidence (ordinal rows and authored choices),
        the ordinal slopes times each particle's multiplier k, with each particle's cut terms (3, n)."""
        salience = F32(self.n_points) * w
        out = np.zeros((self.n_points, s.shape[1]), dtype=F32)
        if len(self.ordinal_point):
            eta = self.ordinal_slope * salience[self.ordinal_point] * (x - self.tau) * k
            a, b = self.bounds
            rows = np.empty_like(eta)
            c, log_two_sinh, two_cosh = cut[0], cut[1], cut[2]
            rows[:a] = _log_sigmoid(-eta[:a] - c)
            rows[b:] = _log_sigmoid(eta[b:] - c)
            if b > a:
                # log P(conditional) = log(sigmoid(eta + cut) - sigmoid(eta - cut))
                #                    = log sinh(cut) - log(cosh(eta) + cosh(cut)), written through exp(-|eta|)
                h = np.abs(eta[a:b])
                e = np.exp(-h)
                rows[a:b] = log_two_sinh - h - np.log(F32(1) + e * (e + two_cosh))
            out += self.sum_ordinal @ rows
        if len(self.authored_point):
            m = self.model
            v = F32(self.noise.beta_author) * salience[m.point_of_column] * s
            top = np.maximum.reduceat(v, m.starts, axis=0)
            total = np.add.reduceat(np.exp(v - top[m.point_of_column]), m.starts, axis=0)
            lse = top + np.log(total)
            out += self.sum_authored @ (v[self.authored_column] - lse[self.authored_point])
        return out

    def _verdicts(
        self, s: npt.NDArray[np.float32], w: npt.NDArray[np.float32], r: FloatArray
    ) -> tuple[npt.NDArray[np.float32], FloatArray]:
        """The drafts' utilities (V, n) and the verdicts' total log-likelihood (n,)."""
        n = s.shape[1]
        if not len(self.package):
            return np.zeros((0, n), dtype=F32), np.zeros(n)
        utility = self.package @ (w[self.model.point_of_column] * s)
        return utility, self._verdict_loglik(utility, r)

    def _verdict_loglik(self, utility: npt.NDArray[np.float32], r: FloatArray) -> FloatArray:
        z = F32(self.noise.beta_reservation) * self.sign * (utility - r.astype(F32))
        return np.asarray(_log_sigmoid(z).sum(axis=0, dtype=np.float64))

    # the moves -----------------------------------------------------------------------------------

    @property
    def _walks(self) -> bool:
        return bool(len(self.walk) or self.learn or self.learn_cut)

    def moves(self) -> int:
        return int(self._walks) + int(len(self.free_columns) > 0)

    def _walked(self) -> FloatArray:
        """The walked coordinates (D, n): the weights' and the reservation value's, then log k and
        log cut (those learnt)."""
        extra = [a[None, :] for a, on in ((self.ls, self.learn), (self.lc, self.learn_cut)) if on]
        return np.vstack([self.uw, *extra]) if extra else self.uw

    def prepare(self) -> None:
        if self._walks:
            walked = self._walked()
            # the walk's steps are the factor times uniform draws on [-1/2, 1/2] (sqrt(12) puts their
            # variance at 1): a symmetric proposal of the same covariance as the Gaussian's, drawn
            # and multiplied in single precision at a quarter of its cost
            factor = sampler.proposal_factor(walked.T) * (2.38 * math.sqrt(12.0) / math.sqrt(len(walked)))
            self.factor = factor.astype(F32)
        if len(self.free_columns):
            self.spread = self.us.std(axis=1, keepdims=True) + F32(1e-3)

    def step(self, t: float, rng: np.random.Generator, scales: Sequence[float]) -> list[float]:
        rates = []
        k = 0
        if self._walks:
            rates.append(sum(self._walk(t, rng, scales[k]) for _ in range(WALKS)) / WALKS)
            k += 1
        if len(self.free_columns):
            rates.append(self._sweep(t, rng, scales[k]))
        return rates

    def _walk(self, t: float, rng: np.random.Generator, scale: float) -> float:
        n = self.uw.shape[1]
        d = len(self.walk)
        uniform = rng.random((d + self.learn + self.learn_cut, n), dtype=F32) - F32(0.5)
        move = (F32(scale) * self.factor) @ uniform
        proposal = self.uw + move[:d]
        w, r, prior = self._walk_values(proposal)
        if self.learn:
            ls = self.ls + move[d]
            k = np.exp(ls).astype(F32)
            prior = prior + self._log_scale_prior(ls)
        else:
            ls, k = self.ls, self.k
        if self.learn_cut:
            lc = self.lc + move[d + self.learn]
            cut = self._cut_terms(lc)
            prior = prior + self._log_cut_prior(lc)
        else:
            lc, cut = self.lc, self.cut
        w32 = w.astype(F32)
        local = self._local(self.x, self.s, w32, k, cut)
        utility, verdicts = self._verdicts(self.s, w32, r)
        loglik = local.sum(axis=0, dtype=np.float64) + verdicts
        ratio = (prior - self.prior_walk) + t * (loglik - self.loglik)
        ok = np.log(rng.random(n)) < ratio  # a ratio of NaN (-inf - -inf) rejects: the comparison is False
        i = np.flatnonzero(ok)  # indices: copying by them runs 2-5 times faster than by the mask
        self.uw[:, i], self.w[:, i], self.r[i] = proposal[:, i], w[:, i], r[i]
        if self.learn:
            self.ls[i], self.k[i] = ls[i], k[i]
        if self.learn_cut:
            self.lc[i], self.cut[:, i] = lc[i], cut[:, i]
        self.prior_walk[i], self.loglik[i] = prior[i], loglik[i]
        self.local[:, i], self.utility[:, i], self.verdicts[i] = local[:, i], utility[:, i], verdicts[i]
        return float(ok.mean())

    def _sweep(self, t: float, rng: np.random.Generator, scale: float) -> float:
        n = self.us.shape[1]
        step = (F32(scale) * self.step_of_column[:, None]) * self.spread
        # uniform steps of the same variance as N(0, step^2) (symmetric, and three times cheaper to
        # draw), at most 1 wide either way, reflected at the interval's ends (0 and 1 of the fraction):
        # the reflected walk is symmetric too, so the prior and the likelihood alone decide
        width = np.minimum(F32(2 * math.sqrt(3)) * step, F32(2))
        proposal = self.us + width * (rng.random(self.us.shape, dtype=F32) - F32(0.5))
        proposal = F32(1) - np.abs(F32(1) - np.abs(proposal))
        values, density = self._scores(proposal)
        if self.all_free:
            s = values
        else:
            s = self.s.copy()
            s[self.free_columns] = values
        prior_points = self.sum_free @ density
        x = self._places(s)
        w32 = self.w.astype(F32)
        local = self._local(x, s, w32, self.k, self.cut)
        ratio = (prior_points - self.prior_points) + F32(t) * (local - self.local)
        with np.errstate(divide="ignore"):  # a uniform draw of 0 accepts whatever the ratio
            ok = np.log(rng.random(ratio.shape, dtype=F32)) < ratio  # NaN rejects
        ok[self.still_points] = False
        m = self.model
        if len(self.package):
            # the verdicts' turn: the points accepted so far stand or fall together
            column = ok[m.point_of_column]
            kept = s * column + self.s * ~column
            utility = self.package @ (w32[m.point_of_column] * kept)
            verdicts = self._verdict_loglik(utility, self.r)
            together = np.log(rng.random(n)) < t * (verdicts - self.verdicts)
            ok &= together
            self.utility[:, together], self.verdicts[together] = utility[:, together], verdicts[together]
        # the new values where accepted, by arithmetic (exact for finite values; np.where is slower)
        keep = ok.astype(F32)
        drop = F32(1) - keep
        free_keep = keep[self.point_of_free]
        self.us = proposal * free_keep + self.us * (F32(1) - free_keep)
        if self.all_free:
            self.s = self.low + self.width * self.us
        else:
            self.s[self.free_columns] = self.low + self.width * self.us
        self.prior_points = prior_points * keep + self.prior_points * drop
        self.local = local * keep + self.local * drop
        row_keep = keep[self.ordinal_point]
        self.x = x * row_keep + self.x * (F32(1) - row_keep)
        self.loglik = self.local.sum(axis=0, dtype=np.float64) + self.verdicts
        return float(ok[self.moving_points].mean())


@dataclass(frozen=True)
class Likelihood:
    """The evidence compiled to arrays; :meth:`matrix` gives log P(each piece | parameters)."""

    model: PartyModel
    noise: NoiseModel
    ordinal_point: np.ndarray  # (E1,)
    ordinal_column: np.ndarray
    ordinal_answer: np.ndarray  # 0 reject, 1 conditional, 2 accept
    ordinal_slope: FloatArray
    authored_point: np.ndarray  # (E2,)
    authored_column: np.ndarray
    verdict_package: FloatArray  # (E3, C): 1 where the draft chose the column
    verdict_accept: np.ndarray  # (E3,) bool
    order: np.ndarray  # column of each piece of evidence in the stacked (ordinal, authored, verdict) order

    @property
    def size(self) -> int:
        return len(self.order)

    def rows(
        self, found: Unpacked, scale: FloatArray | None = None, cut: FloatArray | None = None
    ) -> FloatArray:
        """(E, n): the log-likelihood of each piece of evidence, stacked (ordinal, authored, verdict);
        ``scale`` (n,): each particle's multiplier of the ordinal slopes (1 when not given); ``cut``
        (n,): each particle's cut (the noise model's when not given)."""
        m = self.model
        w, s, r = found.w, found.s, found.r
        n = s.shape[1]
        salience = len(m.points) * w
        parts = []
        if len(self.ordinal_point):
            p = self.ordinal_point
            low = np.minimum.reduceat(s, m.starts, axis=0)[p]
            span = np.maximum.reduceat(s, m.starts, axis=0)[p] - low
            x = np.where(
                span > 1e-12, (s[self.ordinal_column] - low) / np.where(span > 1e-12, span, 1.0), 0.5
            )
            eta = self.ordinal_slope[:, None] * salience[p] * (x - self.noise.tau)
            if scale is not None:
                eta = eta * scale
            parts.append(_answered(eta, self.by_answer, self.noise.cut if cut is None else cut[None, :]))
        if len(self.authored_point):
            v = self.noise.beta_author * salience[m.point_of_column] * s
            top = np.maximum.reduceat(v, m.starts, axis=0)
            total = np.add.reduceat(np.exp(v - top[m.point_of_column]), m.starts, axis=0)
            lse = top + np.log(total)
            parts.append(v[self.authored_column] - lse[self.authored_point])
        if len(self.verdict_accept):
            u = self.verdict_package @ (w[m.point_of_column] * s)
            z = self.noise.beta_reservation * (u - r)
            parts.append(log_expit(np.where(self.verdict_accept[:, None], z, -z)))
        return np.concatenate(parts, axis=0) if parts else np.zeros((0, n))

    def matrix(
        self, theta: FloatArray, scale: FloatArray | None = None, cut: FloatArray | None = None
    ) -> FloatArray:
        """(n, E): the log-likelihood of each piece of evidence, in the evidence's order."""
        return np.ascontiguousarray(self.rows(self.model.unpack(theta), scale, cut)[self.order].T)

    def evaluate(self, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
        """The log prior and the total log-likelihood of each particle (the sampler's target)."""
        found = self.model.unpack(theta)
        return found.log_prior, self.rows(found).sum(axis=0)

    @property
    def by_answer(self) -> tuple[IntArray, IntArray, IntArray]:
        a = self.ordinal_answer
        return np.flatnonzero(a == 0), np.flatnonzero(a == 1), np.flatnonzero(a == 2)


def likelihood_of(
    model: PartyModel,
    evidence: Sequence[Evidence],
    noise: NoiseModel,
    packages: Mapping[int, Mapping[str, str]],
) -> Likelihood:
    """The evidence as arrays; ``packages``: each draft's options by point (for the whole-draft verdicts)."""
    ordinal: list[tuple[int, int, int, float, int]] = []
    authored: list[tuple[int, int, int]] = []
    verdicts: list[tuple[FloatArray, bool, int]] = []
    for i, e in enumerate(evidence):
        if e.kind in ("stance", "statement", "red-line"):
            assert e.point is not None and e.option is not None and e.answer is not None
            p, c = model.column(e.point, e.option)
            ordinal.append((p, c, ANSWERS.index(e.answer), noise.slope(e.kind), i))
        elif e.kind == "authored":
            assert e.point is not None and e.option is not None
            p, c = model.column(e.point, e.option)
            authored.append((p, c, i))
        elif e.kind == "draft":
            assert e.draft is not None
            package = np.zeros(model.columns)
            for point, option in packages[e.draft].items():
                if point in model.points:
                    package[model.column(point, option)[1]] = 1.0
            verdicts.append((package, e.answer == "accept", i))
    stacked = [o[-1] for o in ordinal] + [a[-1] for a in authored] + [v[-1] for v in verdicts]
    order = np.argsort(np.array(stacked, dtype=np.intp)) if stacked else np.zeros(0, dtype=np.intp)
    return Likelihood(
        model,
        noise,
        np.array([o[0] for o in ordinal], dtype=np.intp),
        np.array([o[1] for o in ordinal], dtype=np.intp),
        np.array([o[2] for o in ordinal], dtype=np.intp),
        np.array([o[3] for o in ordinal], dtype=np.float64),
        np.array([a[0] for a in authored], dtype=np.intp),
        np.array([a[1] for a in authored], dtype=np.intp),
        np.array([v[0] for v in verdicts], dtype=np.float64).reshape(len(verdicts), model.columns),
        np.array([v[1] for v in verdicts], dtype=bool),
        order,
    )


def estimate(
    negotiation: Negotiation,
    party: str,
    *,
    samples: int = 1000,
    seed: int = 0,
    noise: NoiseModel = NoiseModel(),
    stances: Sequence[Stance] | None = None,
) -> Posterior:
    """The posterior of ``party``'s preferences given the record's evidence: ``samples`` draws in all,
    from RUNS independent runs of samples / RUNS particles each, reproducible for a ``seed``."""
    if samples < 2 * RUNS:
        raise DomainError(f"samples: expected at least {2 * RUNS}, got {samples:,}")
    checked_seed(seed)
    evidence = evidence_of(negotiation, party, stances)
    party = negotiation.party(party).id
    prefs = negotiation.preferences.get(party)
    model = party_model(negotiation, prefs)
    likelihood = likelihood_of(model, evidence, noise, {d.version: d.package() for d in negotiation.drafts})
    per_run = samples // RUNS
    warnings: list[str] = []
    if prefs is None:
        warnings.append(
            f"{party} has declared no preferences: the prior is flat (Dirichlet(1) weights, uniform scores)"
        )
    if not evidence:
        warnings.append(f"the record holds no evidence about {party}: the estimate is the prior")
    starts = np.array(
        [model.sample(np.random.default_rng(np.random.SeedSequence([seed, k])), per_run) for k in range(RUNS)]
    )
    # the slope multiplier's log, from its prior (it stays there when no ordinal evidence speaks of it)
    log_scale = (
        np.random.default_rng(np.random.SeedSequence([seed, RUNS + 2])).normal(
            0.0, noise.beta_spread, RUNS * per_run
        )
        if noise.learnt
        else np.zeros(RUNS * per_run)
    )
    # the cut's log, from its prior likewise
    log_cut = noise.log_cut + (
        np.random.default_rng(np.random.SeedSequence([seed, RUNS + 3])).normal(
            0.0, noise.cut_spread, RUNS * per_run
        )
        if noise.cut_learnt
        else np.zeros(RUNS * per_run)
    )
    if likelihood.size == 0:
        runs = [sampler.Run(start, np.zeros(per_run), (), (), (1.0,), 0) for start in starts]
    else:
        # the random walk moves the weights and the reservation value; the sweep the points' scores
        with threadpool_limits(
            limits=1, user_api="blas"
        ):  # small products: one thread is faster on a busy box
            rng = np.random.default_rng(np.random.SeedSequence([seed, RUNS + 1]))
            particles = Particles(likelihood, starts.reshape(RUNS * per_run, model.size), log_scale, log_cut)
            runs = sampler.run(particles, RUNS, rng)
            if particles.learn:
                log_scale = particles.ls.copy()
            if particles.learn_cut:
                log_cut = particles.lc.copy()
    theta = np.concatenate([r.particles for r in runs])
    prior_theta = model.sample(np.random.default_rng(np.random.SeedSequence([seed, RUNS])), len(theta))
    w, s, r = model.decode(theta)
    pw, ps, pr = model.decode(prior_theta)
    scale, cuts = np.exp(log_scale), np.exp(log_cut)
    ordinal = len(likelihood.ordinal_point) > 0
    learnt = [a for a, on in ((log_scale, noise.learnt), (log_cut, noise.cut_learnt)) if on and ordinal]
    diagnostics = _diagnostics(runs, model, likelihood.size > 0, learnt)
    posterior_evidence = tuple(evidence)
    influence = _influence(likelihood, theta, w, s, r, model, posterior_evidence, scale, cuts)
    return Posterior(
        party=party,
        points=model.points,
        options=model.options,
        weights=w,
        scores=model.split(s),
        reservation=r,
        prior_weights=pw,
        prior_scores=model.split(ps),
        prior_reservation=pr,
        evidence=posterior_evidence,
        influence=influence,
        diagnostics=diagnostics,
        score_scale=prefs.score_scale if prefs else 1.0,
        noise=noise,
        warnings=tuple(warnings),
        slope_scale=scale,
        cuts=cuts,
    )


def _diagnostics(
    runs: Sequence[sampler.Run],
    model: PartyModel,
    sampled: bool,
    learnt: Sequence[FloatArray] = (),
) -> Diagnostics:
    """R-hat and ESS over the weights, the reservation value and (``learnt``: each particle's value,
    all runs in a row) the slope's and the cut's logs."""
    per_run = len(runs[0].particles)
    chains = []
    for i, run in enumerate(runs):
        w, _, r = model.decode(run.particles)
        columns = [w, r, *(a[i * per_run : (i + 1) * per_run] for a in learnt)]
        chains.append(np.column_stack(columns))
    stacked = np.array(chains)
    rhat = float(np.max(sampler.rhat(stacked))) if per_run > 1 else math.inf
    ess_each = sampler.between_run_ess(stacked)
    ess = float(np.median(ess_each)) if len(ess_each) else float(RUNS * per_run)
    acceptance = float(np.mean([run.acceptance[-1] for run in runs])) if sampled else 1.0
    problems = []
    unfinished = [run for run in runs if sampled and not run.finished]
    if unfinished:
        t = min(run.temperatures[-1] for run in unfinished)
        problems.append(
            f"{len(unfinished)} of {RUNS} runs stopped after {sampler.MAX_STAGES} stages at temperature "
            f"{t:.3g} of 1: the evidence is too sharp for the noise model or the prior"
        )
    if not rhat <= MAX_RHAT:
        problems.append(f"the {RUNS} independent runs disagree (R-hat {rhat:.3g} > {MAX_RHAT})")
    if ess < MIN_ESS:
        problems.append(f"too few effective samples ({ess:.0f} < {MIN_ESS}): ask for more samples")
    if acceptance < MIN_ACCEPTANCE:
        problems.append(
            f"the sampler's moves were almost never accepted ({acceptance:.1%} at the last stage)"
        )
    return Diagnostics(
        ess=ess,
        particles=RUNS * per_run,
        rhat=rhat,
        acceptance=acceptance,
        stages=max((len(run.temperatures) for run in runs), default=0),
        ok=not problems,
        problems=tuple(problems),
        stage_ess=runs[0].stage_ess,
    )


def _influence(
    likelihood: Likelihood,
    theta: FloatArray,
    w: FloatArray,
    s: FloatArray,
    r: FloatArray,
    model: PartyModel,
    evidence: tuple[Evidence, ...],
    scale: FloatArray,
    cuts: FloatArray,
) -> tuple[tuple[Evidence, float], ...]:
    if not evidence:
        return ()
    n = len(theta)
    logw = -likelihood.matrix(theta, scale, cuts)  # (n, E): leave one out by dividing its likelihood away
    logw -= logw.max(axis=0)
    weights = np.exp(logw)
    weights /= weights.sum(axis=0)
    weights = np.minimum(weights, math.sqrt(n) / n)  # truncated importance sampling (Ionides 2008)
    weights /= weights.sum(axis=0)
    dw = np.abs(weights.T @ w - w.mean(axis=0)).sum(axis=1)
    ds = (np.abs(weights.T @ s - s.mean(axis=0)) * w.mean(axis=0)[model.point_of_column]).sum(axis=1)
    dr = np.abs(weights.T @ r - r.mean())
    moved = dw + ds + dr
    ranked = sorted(zip(evidence, moved.tolist(), strict=True), key=lambda item: -item[1])
    return tuple((e, float(v)) for e, v in ranked)


@dataclass(frozen=True)
class Contradiction:
    """A recorded stance the declared estimate finds unlikely."""

    party: str
    point: str
    option: str
    draft: int | None
    recorded: str  # the stance as recorded
    probability: float  # the model's probability of that answer under the CURRENT (declared) estimate
    surprise: float  # -log(probability), the ranking key
    ref: str


def contradictions(
    negotiation: Negotiation,
    party: str | None = None,
    *,
    noise: NoiseModel = DECLARED_NOISE,
    threshold: float = 0.1,
) -> list[Contradiction]:
    """Where the declared estimates contradict the record: every stance (and statement with a stance)
    to which the stance model, with the declared weights and scores, gives a probability below
    ``threshold``; the most surprising first. No sampling. Parties without declared preferences are
    skipped (there is no estimate to contradict)."""
    parties = [party] if party is not None else [p.id for p in negotiation.negotiating_parties]
    found = []
    for who in parties:
        pieces = evidence_of(negotiation, who)
        prefs = negotiation.preferences.get(negotiation.party(who).id)
        if prefs is None or prefs.total_weight <= 0:
            continue
        n_points = len(negotiation.points)
        for e in pieces:
            if e.kind not in ("stance", "statement"):
                continue
            assert e.point is not None and e.option is not None and e.answer is not None
            point = negotiation.point(e.point)
            scores = np.array([[prefs.score(point.id, o) for o in point.option_keys]])
            x = _position(scores, point.option_keys.index(e.option))
            eta = noise.slope(e.kind) * n_points * prefs.weight(point.id) * (x - noise.tau)
            log_p = ordinal_log_probabilities(eta, noise.cut)[ANSWERS.index(e.answer)]
            probability = float(np.exp(log_p[0]))
            if probability < threshold:
                found.append(
                    Contradiction(
                        e.party,
                        e.point,
                        e.option,
                        e.draft,
                        e.answer,
                        probability,
                        -math.log(max(probability, 1e-300)),
                        e.ref,
                    )
                )
    return sorted(found, key=lambda c: -c.surprise)


def as_preferences(posterior: Posterior, declared: Preferences) -> Preferences:
    """The posterior as a party's estimate: the posterior means (weights on the declared weights'
    total, scores on the party's scale), and an uncertainty block fitted to the samples: the weights'
    Dirichlet concentration by moment matching (a0 = sum_p m_p (1 - m_p) / sum_p var_p - 1, at least
    1), every score and the reservation value a normal with the samples' mean and standard deviation,
    truncated to the scale. Red lines, links and the basis are kept as declared."""
    scale = declared.score_scale
    total = declared.total_weight if declared.total_weight > 0 else 1.0
    mean_w = posterior.weights.mean(axis=0)
    var_w = posterior.weights.var(axis=0)
    spread = float(var_w.sum())
    concentration = float((mean_w * (1 - mean_w)).sum() / spread - 1.0) if spread > 0 else 1e6
    weights = {p: float(total * mean_w[i]) for i, p in enumerate(posterior.points)}
    scores: dict[str, dict[str, float]] = {}
    spreads: dict[str, dict[str, Distribution]] = {}
    for i, point in enumerate(posterior.points):
        values = posterior.scores[i] * scale
        scores[point] = {o: float(values[:, k].mean()) for k, o in enumerate(posterior.options[i])}
        spreads[point] = {o: _normal(values[:, k], scale) for k, o in enumerate(posterior.options[i])}
    reservation = float(posterior.reservation.mean())
    uncertainty = Uncertainty(
        dirichlet=max(1.0, concentration),
        scores=spreads,
        reservation_value=_normal(posterior.reservation, 1.0),
    )
    return Preferences(
        party=declared.party,
        weights=weights,
        scores=scores,
        score_scale=scale,
        red_lines=declared.red_lines,
        reservation_value=reservation,
        links=declared.links,
        basis=declared.basis,
        uncertainty=uncertainty,
    )


def _normal(values: FloatArray, scale: float) -> Distribution:
    mean = float(np.clip(values.mean(), 0.0, scale))
    sd = max(float(values.std()), 1e-3 * scale)
    return Distribution("normal", 0.0, scale, mean=mean, sd=sd)
