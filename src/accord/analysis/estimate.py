"""A party's preferences learnt from the evidence of the record: a posterior, not a guess.

The model (docs/estimate.md has it in full): party i has weights w on the simplex, scores s[p] on
[0, 1] per point and a reservation value r on [0, 1]. The prior is its declared estimate with its
``uncertainty`` block (accord.analysis.prior); the evidence (accord.analysis.evidence) enters through
the likelihoods below, with the noise parameters of :class:`NoiseModel`:

- a stance (and a statement, with its weaker slope; a declared red line as a ``reject``): an ordered
  logit on the option's position among the point's options, x = (s - min) / (max - min), with
  salience m = P * w[p]: eta = beta * m * (x - tau); P(reject) = sigmoid(-eta - cut),
  P(accept) = sigmoid(eta - cut), P(conditional) the rest;
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
from scipy.special import log_expit
from threadpoolctl import threadpool_limits

from accord.analysis import sampler
from accord.analysis.evidence import ANSWERS, Evidence, evidence_of
from accord.analysis.prior import FloatArray, IntArray, PartyModel, Unpacked, party_model
from accord.domain import Distribution, Negotiation, Preferences, Stance, Uncertainty
from accord.errors import DomainError

__all__ = [
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
    ordered logit's threshold ``tau`` and cut ``cut`` (see the module docstring)."""

    beta: float = 6.0
    tau: float = 0.5
    cut: float = 1.0
    beta_statement: float = 3.0
    beta_author: float = 4.0
    beta_red_line: float = 3.0
    beta_reservation: float = 20.0

    def slope(self, kind: str) -> float:
        return {"stance": self.beta, "statement": self.beta_statement, "red-line": self.beta_red_line}[kind]


def ordinal_log_probabilities(eta: FloatArray, cut: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """log P(reject), log P(conditional), log P(accept) of the ordered logit at ``eta``, stably:
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
    weights and the reservation value of 4 * W / Var(run means) (how much the 4 runs' means scatter
    against the spread within a run), capped at ``particles``; ``rhat``: the largest Gelman-Rubin R-hat
    over the weights and the reservation value across the 4 runs; ``acceptance``: the Metropolis
    acceptance rate at the last stage (mean over runs); ``stages``: the most tempering stages a run
    took. ``ok`` is False, with the ``problems`` in plain words, when R-hat exceeds 1.05, the acceptance
    collapsed below 5%, or a run did not reach the posterior."""

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
        logs = ordinal_log_probabilities(eta, self.noise.cut)
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


def _answered(eta: FloatArray, by_answer: Sequence[IntArray], cut: float) -> FloatArray:
    """log P(the recorded answer) per row of eta, the rows grouped by answer (reject, conditional, accept)."""
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


@dataclass(frozen=True)
class Block:
    """One point's score coordinates, with the evidence that bears on them (for :class:`PointSweep`)."""

    point: int
    columns: IntArray  # the point's score columns
    moving: IntArray  # which of them the prior leaves free (places within the point)
    coordinates: IntArray  # their coordinates in theta
    slots: IntArray  # their places among the bounded coordinates
    ordinal_local: IntArray  # per ordinal evidence on the point: the chosen option's place
    ordinal_slope: FloatArray
    ordinal_by_answer: tuple[IntArray, IntArray, IntArray]
    authored_local: IntArray
    verdict_rows: IntArray  # the verdicts whose draft settles the point
    verdict_local: IntArray  # and the option they chose there


class PointSweep:
    """Metropolis-within-Gibbs over the points: each point's scores in turn get a Gaussian random-walk
    proposal (scaled by the particles' spread), accepted on the change of the prior, of that point's
    stances, statements, red lines and authored choices, and of the whole-draft verdicts, so one pass
    moves every score at the cost of about one evaluation of the likelihood."""

    def __init__(self, likelihood: Likelihood) -> None:
        self.likelihood = likelihood
        m = likelihood.model
        package = likelihood.verdict_package
        blocks = []
        for p in range(len(m.points)):
            columns = np.arange(m.starts[p], m.starts[p] + len(m.options[p]), dtype=np.intp)
            coordinates = len(m.points) + columns
            moving = np.flatnonzero(m.free[coordinates])
            if not len(moving):
                continue
            mine = np.flatnonzero(likelihood.ordinal_point == p)
            answers = likelihood.ordinal_answer[mine]
            authored = likelihood.authored_column[likelihood.authored_point == p] - m.starts[p]
            chosen = package[:, columns] if len(package) else np.zeros((0, len(columns)))
            rows = np.flatnonzero(chosen.sum(axis=1) > 0)
            blocks.append(
                Block(
                    point=p,
                    columns=columns,
                    moving=moving,
                    coordinates=coordinates[moving],
                    slots=m.slot[coordinates[moving]],
                    ordinal_local=likelihood.ordinal_column[mine] - m.starts[p],
                    ordinal_slope=likelihood.ordinal_slope[mine],
                    ordinal_by_answer=tuple(np.flatnonzero(answers == a) for a in range(3)),  # type: ignore[arg-type]
                    authored_local=authored,
                    verdict_rows=rows,
                    verdict_local=chosen[rows].argmax(axis=1) if len(rows) else np.zeros(0, dtype=np.intp),
                )
            )
        self.blocks = blocks

    def _loglik(self, b: Block, block: FloatArray, salience: FloatArray) -> FloatArray:
        noise = self.likelihood.noise
        total = np.zeros(block.shape[1])
        if len(b.ordinal_local):
            low, high = block.min(axis=0), block.max(axis=0)
            span = high - low
            x = np.where(
                span > 1e-12, (block[b.ordinal_local] - low) / np.where(span > 1e-12, span, 1.0), 0.5
            )
            eta = b.ordinal_slope[:, None] * salience * (x - noise.tau)
            total += _answered(eta, b.ordinal_by_answer, noise.cut).sum(axis=0)
        if len(b.authored_local):
            v = noise.beta_author * salience * block
            top = v.max(axis=0)
            lse = top + np.log(np.exp(v - top).sum(axis=0))
            total += (v[b.authored_local] - lse).sum(axis=0)
        return total

    def __call__(
        self,
        x: FloatArray,
        prior: FloatArray,
        loglik: FloatArray,
        t: float,
        rng: np.random.Generator,
        scale: float,
    ) -> float:
        lik = self.likelihood
        m = lik.model
        if not self.blocks:
            return 1.0
        theta = np.ascontiguousarray(x.T)
        found = m.unpack(x)
        w, s, r = found.w, found.s, found.r
        salience = len(m.points) * w
        accept = lik.verdict_accept[:, None]
        utility = lik.verdict_package @ (w[m.point_of_column] * s) if len(accept) else np.zeros((0, len(r)))
        beta_r = lik.noise.beta_reservation
        accepted = 0.0
        for k in rng.permutation(len(self.blocks)):
            b = self.blocks[k]
            old_u = theta[b.coordinates]
            spread = old_u.std(axis=1, keepdims=True) + 1e-3
            step = scale * 2.38 / math.sqrt(len(b.moving))
            new_u = old_u + step * spread * rng.standard_normal(old_u.shape)
            _, old_density = m.bounded_values(b.slots, old_u)
            new_x, new_density = m.bounded_values(b.slots, new_u)
            old_block = s[b.columns]
            new_block = old_block.copy()
            new_block[b.moving] = new_x
            sal = salience[b.point]
            change = self._loglik(b, new_block, sal) - self._loglik(b, old_block, sal)
            if len(b.verdict_rows):
                rows = b.verdict_rows
                before = utility[rows]
                after = before + w[b.point] * (new_block[b.verdict_local] - old_block[b.verdict_local])
                sign = np.where(accept[rows], 1.0, -1.0)
                change += (
                    log_expit(sign * beta_r * (after - r)) - log_expit(sign * beta_r * (before - r))
                ).sum(axis=0)
            d_prior = (new_density - old_density).sum(axis=0)
            ok = np.log(rng.random(len(r))) < d_prior + t * change
            theta[b.coordinates] = np.where(ok, new_u, old_u)
            s[b.columns] = np.where(ok, new_block, old_block)
            if len(b.verdict_rows):
                utility[b.verdict_rows] = np.where(ok, after, before)
            prior += np.where(ok, d_prior, 0.0)
            loglik += np.where(ok, change, 0.0)
            accepted += float(ok.mean())
        x[:] = theta.T
        return accepted / len(self.blocks)


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

    def rows(self, found: Unpacked) -> FloatArray:
        """(E, n): the log-likelihood of each piece of evidence, stacked (ordinal, authored, verdict)."""
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
            parts.append(_answered(eta, self.by_answer, self.noise.cut))
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

    def matrix(self, theta: FloatArray) -> FloatArray:
        """(n, E): the log-likelihood of each piece of evidence, in the evidence's order."""
        return np.ascontiguousarray(self.rows(self.model.unpack(theta))[self.order].T)

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
    samples: int = 4000,
    seed: int = 0,
    noise: NoiseModel = NoiseModel(),
    stances: Sequence[Stance] | None = None,
) -> Posterior:
    """The posterior of ``party``'s preferences given the record's evidence: ``samples`` draws in all,
    from RUNS independent runs of samples / RUNS particles each, reproducible for a ``seed``."""
    if samples < 2 * RUNS:
        raise DomainError(f"samples must be at least {2 * RUNS} (got {samples})")
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
    if likelihood.size == 0:
        runs = [sampler.Run(start, np.zeros(per_run), (), (), (1.0,), 0) for start in starts]
    else:
        # the random walk moves the weights and the reservation value; the sweep each point's scores
        walk = model.free.copy()
        walk[len(model.points) : len(model.points) + model.columns] = False
        with threadpool_limits(
            limits=1, user_api="blas"
        ):  # small products: one thread is faster on a busy box
            rng = np.random.default_rng(np.random.SeedSequence([seed, RUNS + 1]))
            runs = sampler.run(likelihood.evaluate, starts, walk, rng, sweep=PointSweep(likelihood))
    theta = np.concatenate([r.particles for r in runs])
    prior_theta = model.sample(np.random.default_rng(np.random.SeedSequence([seed, RUNS])), len(theta))
    w, s, r = model.decode(theta)
    pw, ps, pr = model.decode(prior_theta)
    diagnostics = _diagnostics(runs, model, likelihood.size > 0)
    posterior_evidence = tuple(evidence)
    influence = _influence(likelihood, theta, w, s, r, model, posterior_evidence)
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
    )


def _diagnostics(runs: Sequence[sampler.Run], model: PartyModel, sampled: bool) -> Diagnostics:
    per_run = len(runs[0].particles)
    chains = []
    for run in runs:
        w, _, r = model.decode(run.particles)
        chains.append(np.column_stack([w, r]))
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
) -> tuple[tuple[Evidence, float], ...]:
    if not evidence:
        return ()
    n = len(theta)
    logw = -likelihood.matrix(theta)  # (n, E): leave one out by dividing its likelihood away
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
    noise: NoiseModel = NoiseModel(),
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
