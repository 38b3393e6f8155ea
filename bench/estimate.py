"""Calibration of the preference estimate (accord.analysis.estimate) on synthetic negotiations.

Each instance hides true preferences (weights ~ Dirichlet(1), scores ~ U(0, 1) on a 0-10 scale,
reservation ~ U(0.3, 0.6)), circulates 6 drafts (each changes half the points of the one before), and
records every party's stance on every point of every draft, drawn from the truth

- ``model``: through the estimate's own likelihood, an ordered logit with slope ``--beta`` (30, the
  median of the estimate's prior for the slope: answers as consistent with the truth as roll-call
  votes are with ideal points, docs/estimate.md "The noise"), tau 0.5, cut 1; or
- ``misspecified``: through another noise model, differently shaped and noisier: a probit on
  (beta / 1.7) m (x - 0.35) + N(0, 1) (1.7: the logistic's scale against the normal's) with cuts at
  +-0.8, and one answer in ten replaced by a random one. Its slope matches the model's, but the
  random answers and the shifted middle make it noisier: the truth classifies about 81% of its
  answers correctly, against 87% through the model's noise (docs/estimate.md, "Calibration").
- ``misspecified, as consistent``: the same noise with its slope AS_CONSISTENT times steeper, so
  that the truth classifies as many answers correctly as through the model's noise (87%): the
  noise's shape is wrong, its level is not. The same instances (truths and drafts) as the
  misspecified rows.

The estimate does not know the bench's slope or cut: it learns each party's slope and cut from the
answers (log-normal priors around 30 and 1, accord.analysis.estimate.NoiseModel). ``--sweep`` runs
the model rows at slopes from 3 to 100 and reports, at each, the truth's accuracy (the ceiling) and
the posterior's.

The prior is deliberately off: the declared weights are the true ones times exp(N(0, 0.5)), the
declared scores the true ones plus N(0, 2) (clipped to the scale), the declared reservation value the
true one plus N(0, 0.1); no uncertainty block (the estimate's weakly informative defaults).

Held out of the evidence: every stance on the last draft, and 15% of the other stances at random.
Reported per configuration: the share of true weights inside the 90% posterior interval (target
85-95% with the model's own noise), the accuracy and Brier score of the predicted held-out stances
(the posterior predictive's most likely answer) against the prior alone, against the truth itself
through the noise that generated the answers (the ceiling no estimate reaches: it knows every option's
place), and against the bound (:func:`bound`: the truth's weights and noise, each point's scores left
to the exact posterior given the party's kept answers on that point; no estimate with the estimate's
prior for the scores does better in expectation, as it must learn the weights and the noise too), the share
of each party's 3 heaviest true points among the posterior's 5 heaviest (against the prior's 5 heaviest,
and against :func:`ranking_bound`'s 5, what an estimate told the noise and the scale could expect),
the slope learnt, the worst
diagnostics, and the time to estimate every party (through accord.services.estimate, two parties at
a time as `accord estimate` runs them; wall clock and CPU time, with the load average). Each rate
comes with its 95% Wilson interval (of the count behind it: the answers, weights or top points are
not independent within a party, so the intervals are, if anything, too narrow).

``--ranking`` scores the declared weights and the ranking bound alone on many instances (60 by
default; no estimate is run, so it takes minutes), for the top-3 score's expectation, which twelve
instances leave within about five points.

    python bench/estimate.py [--instances N] [--samples 1000] [--quick] [--beta 30] [--sweep | --ranking]
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rich.console import Console
from rich.table import Table
from scipy.special import expit, ndtr

from accord.analysis.estimate import NoiseModel, Posterior
from accord.analysis.prior import party_model
from accord.domain import (
    Choice,
    Draft,
    DraftStatus,
    Negotiation,
    Option,
    Party,
    Point,
    Preferences,
    Role,
    Stance,
    StanceKind,
)
from accord.wording import counted

ANSWERS = (StanceKind.REJECT, StanceKind.CONDITIONAL, StanceKind.ACCEPT)
SCALE = 10.0
DRAFTS = 6
HELD_OUT_SHARE = 0.15
WEIGHT_NOISE = 0.5
"""The declared weights are the truth's times exp(N(0, WEIGHT_NOISE^2)), renormalised."""


@dataclass(frozen=True)
class Truth:
    weights: np.ndarray  # (P,)
    scores: list[np.ndarray]  # per point (K_p,) on [0, 1]
    reservation: float


@dataclass(frozen=True)
class Instance:
    negotiation: Negotiation  # the evidence (held-out stances removed) and the declared preferences
    truth: dict[str, Truth]
    held_out: list[Stance]
    misspecified: bool
    beta: float  # the generator's slope


def position(scores: np.ndarray, option: int) -> float:
    span = scores.max() - scores.min()
    return float((scores[option] - scores.min()) / span) if span > 1e-12 else 0.5


def model_probabilities(truth: Truth, p: int, option: int, beta: float) -> np.ndarray:
    noise = NoiseModel()
    eta = beta * len(truth.weights) * truth.weights[p] * (position(truth.scores[p], option) - noise.tau)
    reject, accept = expit(-eta - noise.cut), expit(eta - noise.cut)
    # the middle as a difference of the two sigmoids, never negative by rounding
    return np.array([reject, expit(eta + noise.cut) - accept, accept])


LOGISTIC_SCALE = 1.7
"""A logistic's slope is about 1.7 times a probit's of the same shape (Amemiya 1981: 1.6-1.8)."""


def misspecified_probabilities(truth: Truth, p: int, option: int, beta: float) -> np.ndarray:
    m = len(truth.weights) * truth.weights[p]
    latent = beta / LOGISTIC_SCALE * m * (position(truth.scores[p], option) - 0.35)
    reject, accept = ndtr(-0.8 - latent), ndtr(latent - 0.8)
    probit = np.array([reject, ndtr(0.8 - latent) - reject, accept])
    return 0.9 * probit + 0.1 / 3.0


def answer_probabilities_at(m: float, x: np.ndarray, misspecified: bool, beta: float) -> np.ndarray:
    """(n, 3): P(reject, conditional, accept) of the generating noise at salience ``m`` and option places
    ``x`` (n,): :func:`model_probabilities` and :func:`misspecified_probabilities` for many places at once."""
    if misspecified:
        latent = beta / LOGISTIC_SCALE * m * (x - 0.35)
        reject, accept = ndtr(-0.8 - latent), ndtr(latent - 0.8)
        return 0.9 * np.stack([reject, ndtr(0.8 - latent) - reject, accept], axis=-1) + 0.1 / 3.0
    noise = NoiseModel()
    eta = beta * m * (x - noise.tau)
    reject, accept = expit(-eta - noise.cut), expit(eta - noise.cut)
    return np.stack([reject, expit(eta + noise.cut) - accept, accept], axis=-1)


AS_CONSISTENT = 2.4
"""The misspecified noise's slope times this: the truth then classifies 86.9% of the answers
correctly, through the model's noise 86.7% (240,000 answers through the bench's preferences, 30
points, as tests/unit/test_estimate_bench.py simulates them; at 20 points 86.9% and 86.9%); at 2.3,
86.7%; at 2.5, 87.1% (600,000 answers)."""


def generator(misspecified: bool, beta: float) -> Callable[[Truth, int, int], np.ndarray]:
    """P(reject, conditional, accept) of the noise the answers are drawn through."""
    if misspecified:
        return lambda truth, p, option: misspecified_probabilities(truth, p, option, beta)
    return lambda truth, p, option: model_probabilities(truth, p, option, beta)


def make(
    parties: int, points: int, misspecified: bool, seed: int, beta: float = NoiseModel().beta
) -> Instance:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 7, size=points)
    framework = tuple(
        Point(
            f"p{i + 1}",
            i + 1,
            f"Point {i + 1}",
            tuple(Option(f"o{k}", f"option {k}") for k in range(sizes[i])),
        )
        for i in range(points)
    )
    names = [f"party{j + 1}" for j in range(parties)]
    truth: dict[str, Truth] = {}
    declared: dict[str, Preferences] = {}
    for name in names:
        w = rng.dirichlet(np.ones(points))
        s = [rng.random(k) for k in sizes]
        r = float(rng.uniform(0.3, 0.6))
        truth[name] = Truth(w, s, r)
        off_w = w * np.exp(rng.normal(0.0, WEIGHT_NOISE, points))
        declared[name] = Preferences(
            name,
            weights={p.id: float(v) for p, v in zip(framework, off_w / off_w.sum(), strict=True)},
            scores={
                p.id: {
                    o.key: float(np.clip(SCALE * v + rng.normal(0.0, 2.0), 0, SCALE))
                    for o, v in zip(p.options, sv, strict=True)
                }
                for p, sv in zip(framework, s, strict=True)
            },
            score_scale=SCALE,
            reservation_value=float(np.clip(r + rng.normal(0.0, 0.1), 0.0, 1.0)),
        )
    package = [int(rng.integers(k)) for k in sizes]
    drafts = []
    for version in range(1, DRAFTS + 1):
        if version > 1:
            for p in rng.choice(points, size=points // 2, replace=False):
                package[p] = int(rng.integers(sizes[p]))
        drafts.append(
            Draft(
                version,
                {f"p{p + 1}": Choice(option=f"o{package[p]}") for p in range(points)},
                DraftStatus.CIRCULATED,
                circulated_to=tuple(names),
            )
        )
    answer_probabilities = generator(misspecified, beta)
    kept: list[Stance] = []
    held: list[Stance] = []
    for d in drafts:
        for name in names:
            for p in range(points):
                option = int(d.choices[f"p{p + 1}"].option[1:])  # type: ignore[index]
                probs = answer_probabilities(truth[name], p, option)
                answer = ANSWERS[int(rng.choice(3, p=probs / probs.sum()))]
                stance = Stance(d.version, name, f"p{p + 1}", answer)
                (held if d.version == DRAFTS or rng.random() < HELD_OUT_SHARE else kept).append(stance)
    negotiation = Negotiation(
        id="synthetic",
        title="Synthetic talks",
        points=framework,
        parties=(Party("mediator", "Mediator", Role.MEDIATOR), *(Party(n, n) for n in names)),
        preferences=declared,
        drafts=tuple(drafts),
        stances=tuple(kept),
    )
    return Instance(negotiation, truth, held, misspecified, beta)


@dataclass
class Scores:
    covered: int = 0
    weights: int = 0
    width: float = 0.0
    right: int = 0
    right_prior: int = 0
    right_oracle: int = 0
    brier: float = 0.0
    brier_prior: float = 0.0
    brier_oracle: float = 0.0
    held: int = 0
    top_found: int = 0
    top_asked: int = 0
    top_prior: int = 0  # the same from the prior's mean weights
    top_bound: int = 0  # the same from :func:`ranking_bound`
    seconds: float = 0.0
    cpu: float = 0.0
    worst_rhat: float = 1.0
    failed: int = 0
    estimates: int = 0
    slope: float = 0.0  # the posterior mean slope beta k, summed over parties
    cut: float = 0.0  # the posterior mean cut, summed over parties
    right_bound: int = 0  # the truth's weights and noise, each point's scores from its evidence (exact)
    brier_bound: float = 0.0
    held_seen: int = 0  # held-out answers on an option the party answered on elsewhere in the evidence
    right_seen: int = 0
    right_new: int = 0


def predictive(
    weights: np.ndarray,
    scores: np.ndarray,
    p: int,
    option: int,
    noise: NoiseModel,
    k: np.ndarray,
    cut: np.ndarray,
) -> np.ndarray:
    """P(reject, conditional, accept) averaged over samples (k: each sample's slope multiplier, cut
    its cut)."""
    low, high = scores.min(axis=1), scores.max(axis=1)
    span = high - low
    x = np.where(span > 1e-12, (scores[:, option] - low) / np.where(span > 1e-12, span, 1), 0.5)
    eta = noise.beta * k * weights.shape[1] * weights[:, p] * (x - noise.tau)
    reject, accept = expit(-eta - cut), expit(eta - cut)
    return np.array([reject.mean(), (expit(eta + cut) - accept).mean(), accept.mean()])


BOUND_DRAWS = 20000


def kept_answers(negotiation: Negotiation) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Per (party, point), the answers kept as evidence: (the option drafted, its ANSWERS index)."""
    kept: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for s in negotiation.stances:
        kept.setdefault((s.party, s.point), []).append(
            (negotiation.draft(s.draft).choices[s.point].option or "", ANSWERS.index(s.stance))
        )
    return kept


def bound(instance: Instance, seed: int) -> dict[tuple[str, str, str], np.ndarray]:
    """What an estimate told the truth's weights and noise could predict, the scores left to the
    evidence: per (party, point, option) of a held-out answer, P(reject, conditional, accept) averaged
    over the exact posterior of that point's scores, given the party's kept answers on the point, from
    the estimate's own prior for them (accord.analysis.prior, the declared scores as modes), by
    importance sampling of BOUND_DRAWS prior draws. Given the weights and the noise, a point's scores
    are independent of every other point's, so this is exact up to Monte Carlo error: no estimate that
    does not know the weights and the noise does better in expectation. The gap between it and the
    truth is what the evidence cannot say about the scores (places of options against options never
    drafted; answers on an option heard once or twice)."""
    neg = instance.negotiation
    rng = np.random.default_rng(np.random.SeedSequence([seed, 99]))
    kept = kept_answers(neg)
    wanted: dict[str, set[tuple[str, str]]] = {}
    for held in instance.held_out:
        wanted.setdefault(held.party, set()).add(
            (held.point, neg.draft(held.draft).choices[held.point].option or "")
        )
    found: dict[tuple[str, str, str], np.ndarray] = {}
    for party, asked in wanted.items():
        model = party_model(neg, neg.preferences[party])
        _, scores, _ = model.decode(model.sample(rng, BOUND_DRAWS))
        by_point = model.split(scores)
        truth = instance.truth[party]
        for point in {p for p, _ in asked}:
            p = model.points.index(point)
            s = by_point[p]
            low, span = s.min(axis=1), s.max(axis=1) - s.min(axis=1)
            x = (s - low[:, None]) / np.maximum(span, 1e-12)[:, None]
            m = len(truth.weights) * truth.weights[p]
            log_w = np.zeros(len(s))
            for option, answer in kept.get((party, point), []):
                probs = answer_probabilities_at(
                    m, x[:, model.options[p].index(option)], instance.misspecified, instance.beta
                )
                log_w += np.log(np.maximum(probs[:, answer], 1e-300))
            w = np.exp(log_w - log_w.max())
            w /= w.sum()
            for q, option in asked:
                if q == point:
                    probs = answer_probabilities_at(
                        m, x[:, model.options[p].index(option)], instance.misspecified, instance.beta
                    )
                    found[(party, point, option)] = w @ probs
    return found


RANKING_GRID = np.linspace(-2.0, 2.0, 101)
"""The grid of e (a point's weight: the declared one times exp(-e), up to the scale): 4 sds each way."""
RANKING_DRAWS = 1000


def ranking_bound(instance: Instance, seed: int) -> dict[str, np.ndarray]:
    """Per party, P(each point is among its 3 heaviest), as an estimate told the truth's noise and the
    scale of its weights could know it: the reference the top-3 in top-5 score is read against.

    The declared weights are the truth's times exp(N(0, WEIGHT_NOISE^2)), renormalised (:func:`make`),
    so a point's true weight w is its declared one times exp(-e) times one scale c shared by the
    points, with e ~ N(0, WEIGHT_NOISE^2); c is taken from the truth. The truth's weights are flat
    Dirichlet, so one weight alone is Beta(1, P - 1), of density w (1 - w)^(P - 2) on log w: a point
    declared heavy is likely to have drawn its noise upwards (declared heaviest of 30, it is among the
    3 heaviest three times in four, not five in six). Each point's e gets that prior times the normal
    one: its marginal in place of the simplex's joint constraint, an approximation that
    tests/unit/test_estimate_bench.py checks for calibration. Given c and the noise, each point's e
    depends on that point's answers alone: its posterior is computed on RANKING_GRID, the options'
    places integrated over the estimate's own prior for the point's scores (as :func:`bound` does,
    RANKING_DRAWS draws). P(among the 3 heaviest) then comes from joint draws of every point's e. The
    5 points most likely among the 3 heaviest are the choice of 5 that finds the most of them in
    expectation; an estimate with the estimate's prior for the scores, which must learn the noise and
    the scale, is not expected to do better (up to the approximation)."""
    neg = instance.negotiation
    rng = np.random.default_rng(np.random.SeedSequence([seed, 98]))
    kept = kept_answers(neg)
    normal = -0.5 * (RANKING_GRID / WEIGHT_NOISE) ** 2
    found: dict[str, np.ndarray] = {}
    for party, truth in instance.truth.items():
        model = party_model(neg, neg.preferences[party])
        declared = np.array([neg.preferences[party].weight(point) for point in model.points])
        scale = float(np.mean(np.log(truth.weights) - np.log(declared)))
        _, scores, _ = model.decode(model.sample(rng, RANKING_DRAWS))
        by_point = model.split(scores)
        log_weights = np.empty((RANKING_DRAWS * 4, len(model.points)))
        for p, point in enumerate(model.points):
            s = by_point[p]
            low, span = s.min(axis=1), s.max(axis=1) - s.min(axis=1)
            x = (s - low[:, None]) / np.maximum(span, 1e-12)[:, None]  # (draws, options)
            w = np.minimum(declared[p] * np.exp(scale - RANKING_GRID), 1.0 - 1e-9)  # (grid,)
            log_prior = normal + np.log(w) + (len(model.points) - 2) * np.log1p(-w)
            m = len(model.points) * w
            log_lik = np.zeros((len(RANKING_GRID), len(s)))
            for option, answer in kept.get((party, point), []):
                place = x[None, :, model.options[p].index(option)]
                probs = answer_probabilities_at(m[:, None], place, instance.misspecified, instance.beta)
                log_lik += np.log(np.maximum(probs[..., answer], 1e-300))
            top = log_lik.max()
            posterior = np.exp(log_prior - log_prior.max()) * np.exp(log_lik - top).mean(axis=1)
            e = rng.choice(RANKING_GRID, size=len(log_weights), p=posterior / posterior.sum())
            log_weights[:, p] = np.log(declared[p]) - e
        ranks = np.argsort(np.argsort(-log_weights, axis=1), axis=1)
        found[party] = (ranks < 3).mean(axis=0)
    return found


def score(instance: Instance, samples: int, seed: int, into: Scores) -> None:
    noise = NoiseModel()
    from accord.services.estimate import estimate_parties  # as `accord estimate` does: 2 at a time

    started = time.perf_counter()
    cpu = time.process_time()
    estimation = estimate_parties(instance.negotiation, list(instance.truth), samples=samples, seed=seed)
    into.seconds += time.perf_counter() - started
    into.cpu += time.process_time() - cpu
    posteriors: dict[str, Posterior] = {e.party.id: e.posterior for e in estimation.estimates}
    ranked = ranking_bound(instance, seed)
    for party, post in posteriors.items():
        truth = instance.truth[party]
        into.estimates += 1
        into.slope += post.slope_summary().mean
        into.cut += post.cut_summary().mean
        into.failed += not post.diagnostics.ok
        into.worst_rhat = max(into.worst_rhat, post.diagnostics.rhat)
        low, high = np.quantile(post.weights, [0.05, 0.95], axis=0)
        into.covered += int(((truth.weights >= low) & (truth.weights <= high)).sum())
        into.weights += len(truth.weights)
        into.width += float((high - low).sum())
        top = set(np.argsort(-truth.weights)[:3])
        found = set(np.argsort(-post.weights.mean(axis=0))[:5])
        into.top_found += len(top & found)
        into.top_prior += len(top & set(np.argsort(-post.prior_weights.mean(axis=0))[:5]))
        into.top_bound += len(top & set(np.argsort(-ranked[party], kind="stable")[:5]))
        into.top_asked += 3
    answer_probabilities = generator(instance.misspecified, instance.beta)
    # the prior's slope multipliers: log k ~ N(0, spread^2), as the estimate's prior has them
    prior_rng = np.random.default_rng(seed)
    prior_k = np.exp(prior_rng.normal(0.0, noise.beta_spread, samples))
    prior_cut = noise.cut * np.exp(prior_rng.normal(0.0, noise.cut_spread, samples))
    answered = {
        (s.party, s.point, instance.negotiation.draft(s.draft).choices[s.point].option)
        for s in instance.negotiation.stances
    }
    best = bound(instance, seed)
    for stance in instance.held_out:
        post = posteriors[stance.party]
        truth = instance.truth[stance.party]
        k = post.slope_scale if post.slope_scale is not None else np.ones(len(post.weights))
        cut = post.cut_values()
        p = post.points.index(stance.point)
        option = post.options[p].index(instance.negotiation.draft(stance.draft).choices[stance.point].option)
        y = np.zeros(3)
        y[ANSWERS.index(stance.stance)] = 1
        for probs, attr in (
            (predictive(post.weights, post.scores[p], p, option, noise, k, cut), ""),
            (
                predictive(
                    post.prior_weights,
                    post.prior_scores[p],
                    p,
                    option,
                    noise,
                    prior_k[: len(post.prior_weights)],
                    prior_cut[: len(post.prior_weights)],
                ),
                "_prior",
            ),
            (answer_probabilities(truth, p, option), "_oracle"),
            (best[(stance.party, stance.point, post.options[p][option])], "_bound"),
        ):
            setattr(into, "right" + attr, getattr(into, "right" + attr) + int(probs.argmax() == y.argmax()))
            setattr(into, "brier" + attr, getattr(into, "brier" + attr) + float(((probs - y) ** 2).sum()))
        into.held += 1
        chosen = instance.negotiation.draft(stance.draft).choices[stance.point].option
        right = int(predictive(post.weights, post.scores[p], p, option, noise, k, cut).argmax() == y.argmax())
        if (stance.party, stance.point, chosen) in answered:
            into.held_seen += 1
            into.right_seen += right
        else:
            into.right_new += right


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (Wilson 1927), 95% by default."""
    if trials == 0:
        return float("nan"), float("nan")
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return centre - half, centre + half


def rate(successes: int, trials: int, digits: int = 1) -> str:
    """A rate with its 95% Wilson interval: "81.1% (78.0-83.9)"."""
    low, high = wilson(successes, trials)
    return f"{successes / trials:.{digits}%} ({100 * low:.{digits}f}-{100 * high:.{digits}f})"


def row(parties: int, points: int, misspecified: bool, beta: float, replicates: int, samples: int) -> Scores:
    """``replicates`` instances, each with its own seed (1000 parties + 10 r + misspecified)."""
    s = Scores()
    for r in range(replicates):
        instance = make(parties, points, misspecified, seed=1000 * parties + 10 * r + misspecified, beta=beta)
        score(instance, samples, r, s)
    return s


def positive(text: str) -> int:
    """A whole number of at least 1, for argparse (which reports the error as a usage error)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--instances",
        "--replicates",
        dest="instances",
        type=positive,
        default=None,
        help="instances per configuration, each with its own seed (default: 12 for the table, about 25 "
        "minutes on 2 idle cores; 2 per cell for --sweep; 60 for --ranking)",
    )
    parser.add_argument("--samples", type=positive, default=1000)
    parser.add_argument("--quick", action="store_true", help="one replicate")
    parser.add_argument(
        "--beta", type=float, default=NoiseModel().beta, help="the slope the answers are generated with"
    )
    instead = parser.add_mutually_exclusive_group()
    instead.add_argument(
        "--sweep", action="store_true", help="accuracy against the slope (model noise), instead of the table"
    )
    instead.add_argument(
        "--ranking",
        action="store_true",
        help="the top-3 in top-5 score of the declared weights and of the ranking bound alone, on many "
        "instances (no estimate run; --samples and --quick do not apply), instead of the table",
    )
    args = parser.parse_args()
    if args.ranking:
        ranking(Console(width=160), args.instances or RANKING_INSTANCES, args.beta)
        return
    instances = args.instances or (2 if args.sweep else 12)
    replicates, samples = (1, args.samples) if args.quick else (instances, args.samples)
    console = Console(width=260)
    before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    if args.sweep:
        sweep(console, replicates, samples)
        return
    table = Table(
        title=f"Preference estimate: calibration ({counted(replicates, 'instance')} per row, "
        f"{samples} samples, answers generated at slope {args.beta:g})"
    )
    for column in (
        "parties x points",
        "noise",
        "90% coverage of weights",
        "mean interval",
        "held-out accuracy: posterior / prior / truth",
        "Brier: posterior / prior / truth",
        "bound: accuracy (Brier)",
        "posterior accuracy: option answered before / new",
        "top-3 in top-5: posterior / prior / bound",
        "slope learnt (mean)",
        "cut learnt (mean)",
        "worst R-hat",
        "failed",
        "seconds per instance: wall (CPU)",
        "load",
    ):
        table.add_column(column, justify="right", min_width=27 if column == "noise" else None)
    for parties, points in ((3, 20), (5, 30)):
        for noise, misspecified, slope in (
            ("model", False, args.beta),
            ("misspecified", True, args.beta),
            ("misspecified, as consistent", True, args.beta * AS_CONSISTENT),
        ):
            load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            s = row(parties, points, misspecified, slope, replicates, samples)
            load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            table.add_row(
                f"{parties} x {points}",
                noise,
                rate(s.covered, s.weights),
                f"{s.width / s.weights:.3f}",
                f"{rate(s.right, s.held)} / {rate(s.right_prior, s.held)} / {rate(s.right_oracle, s.held)}",
                f"{s.brier / s.held:.3f} / {s.brier_prior / s.held:.3f} / {s.brier_oracle / s.held:.3f}",
                f"{rate(s.right_bound, s.held)} ({s.brier_bound / s.held:.3f})",
                f"{s.right_seen / max(s.held_seen, 1):.1%} ({s.held_seen}) / "
                f"{s.right_new / max(s.held - s.held_seen, 1):.1%} ({s.held - s.held_seen})",
                f"{rate(s.top_found, s.top_asked, 0)} / {s.top_prior / s.top_asked:.0%} / "
                f"{s.top_bound / s.top_asked:.0%} of {s.top_asked}",
                f"{s.slope / s.estimates:.1f}",
                f"{s.cut / s.estimates:.2f}",
                f"{s.worst_rhat:.3f}",
                f"{s.failed}/{s.estimates}",
                f"{s.seconds / replicates:.1f} ({s.cpu / replicates:.1f})",
                f"{load_before:.1f}-{load_after:.1f}",
            )
    console.print(table)
    footer(console, before)


SWEEP = (3.0, 6.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 100.0)


def sweep(console: Console, replicates: int, samples: int) -> None:
    """The model rows at each slope of SWEEP: what the truth can predict and what the posterior does."""
    before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = Table(
        title=f"Held-out accuracy against the noise (model noise; {replicates} instance(s) per cell, "
        f"{samples} samples; the estimate's prior for the slope is the same everywhere)"
    )
    for column in (
        "slope generated",
        "parties x points",
        "accuracy: truth (ceiling)",
        "posterior",
        "prior",
        "Brier: truth / posterior / prior",
        "coverage",
        "top-3 in top-5: posterior / prior / bound",
        "slope learnt (mean)",
        "failed",
    ):
        table.add_column(column, justify="right")
    for beta in SWEEP:
        for parties, points in ((3, 20), (5, 30)):
            s = row(parties, points, False, beta, replicates, samples)
            table.add_row(
                f"{beta:g}",
                f"{parties} x {points}",
                f"{s.right_oracle / s.held:.1%}",
                f"{s.right / s.held:.1%}",
                f"{s.right_prior / s.held:.1%}",
                f"{s.brier_oracle / s.held:.3f} / {s.brier / s.held:.3f} / {s.brier_prior / s.held:.3f}",
                f"{s.covered / s.weights:.1%}",
                f"{s.top_found / s.top_asked:.0%} / {s.top_prior / s.top_asked:.0%} / "
                f"{s.top_bound / s.top_asked:.0%}",
                f"{s.slope / s.estimates:.1f}",
                f"{s.failed}/{s.estimates}",
            )
    console.print(table)
    footer(console, before)


RANKING_INSTANCES = 60


def ranking(console: Console, instances: int, beta: float) -> None:
    """The top-3 in top-5 score of the declared weights and of :func:`ranking_bound` on many instances
    (the same seeds as the table's rows, and more): neither runs the estimate, so the score's expectation
    can be read to a point or two where the table's twelve instances leave it to five."""
    before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = Table(
        title=f"Which points matter most: the true top 3 among the top 5 ({counted(instances, 'instance')} "
        f"per row, answers generated at slope {beta:g}, times {AS_CONSISTENT:g} in the as-consistent rows; "
        "no estimate run)"
    )
    for column in ("parties x points", "noise", "declared weights", "bound", "seconds per instance"):
        table.add_column(column, justify="right")
    for parties, points in ((3, 20), (5, 30)):
        for noise, misspecified, slope in (
            ("model", False, beta),
            ("misspecified", True, beta),
            ("misspecified, as consistent", True, beta * AS_CONSISTENT),
        ):
            declared = best = asked = 0
            started = time.perf_counter()
            for r in range(instances):
                instance = make(
                    parties, points, misspecified, seed=1000 * parties + 10 * r + misspecified, beta=slope
                )
                found = ranking_bound(instance, r)
                for party, truth in instance.truth.items():
                    top = set(np.argsort(-truth.weights)[:3])
                    weights = instance.negotiation.preferences[party].weights
                    stated = np.array([weights[f"p{p + 1}"] for p in range(points)])
                    declared += len(top & set(np.argsort(-stated, kind="stable")[:5]))
                    best += len(top & set(np.argsort(-found[party], kind="stable")[:5]))
                    asked += 3
            table.add_row(
                f"{parties} x {points}",
                noise,
                rate(declared, asked),
                rate(best, asked),
                f"{(time.perf_counter() - started) / instances:.1f}",
            )
    console.print(table)
    footer(
        console,
        before,
        "declared weights: their 5 heaviest points; bound: the 5 points most likely among the 3 heaviest "
        "(ranking_bound: the truth's noise and scale told, the answers read point by point); rates with "
        "their 95% Wilson interval (the 3 points of one party are not independent: if anything too narrow); "
        "seconds: the instance's and the bound's",
    )


def footer(console: Console, before: float, legend: str | None = None) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    console.print(
        f"load average {before:.2f} at the start, {load:.2f} at the end, on {os.cpu_count()} cores; "
        + (
            legend
            or "seconds: wall clock for every party of an instance, 2 at a time as `accord estimate` runs "
            "them (CPU: the process's CPU time); load: the 1-minute load average at the row's start and end; "
            "rates with their 95% Wilson interval; Brier: sum over the 3 answers; slope and cut learnt: the "
            "posterior means, averaged over the parties"
        )
    )


if __name__ == "__main__":
    main()
