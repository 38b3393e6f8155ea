"""What a party's preferences may be before the evidence: its declared estimate and uncertainty.

The parameters of a party (weights w on the simplex, scores s[p][o] on [0, 1], reservation value r on
[0, 1]) live in an unconstrained vector theta, so the sampler can move them freely:

- weights, from a Dirichlet: theta_p = log g_p with g_p ~ Gamma(alpha_p) independent, w = softmax(theta)
  (the normalised gammas are the Dirichlet); alpha = concentration * declared normalised weights when
  the ``uncertainty`` block gives ``dirichlet``, else DEFAULT_CONCENTRATION per point (a weakly
  informative default, 2P in all), each alpha at least ALPHA_FLOOR so that a point declared weightless
  may still turn out to matter; Dirichlet(1) with no declared weights at all;
- weights, from per-point distributions (``uncertainty.weights``, read as accord.analysis.robustness
  reads them): each raw weight on its own interval, points without one fixed at their declared raw
  weight, w the normalised raw weights;
- scores, from ``uncertainty.scores`` (divided by the score scale) where given, else triangular on
  [0, 1] with the declared score as the mode, uniform on [0, 1] where the party declared none;
- the reservation value from ``uncertainty.reservation_value``, else triangular on [0, 1] with the
  declared value as the mode (uniform when the party has no preferences).

A bounded quantity on [low, high] is theta = logit((x - low) / (high - low)); its log density carries
the Jacobian. Draws use accord.analysis.robustness.draw, as the robustness analysis does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln, logit, ndtr

from accord.analysis.robustness import draw
from accord.domain import Distribution, Negotiation, Preferences

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

DEFAULT_CONCENTRATION = 2.0
"""Per point: with no ``dirichlet`` given, the weights are Dirichlet(2 * P * declared weights)."""
ALPHA_FLOOR = 0.5
"""The least Dirichlet parameter of a point: a point declared weightless keeps a small prior weight."""
EDGE = 1e-9  # how close to an interval's end a bounded draw may come (its logit stays finite)

UNIFORM, TRIANGULAR, NORMAL = 0, 1, 2
_KINDS = {"range": UNIFORM, "uniform": UNIFORM, "triangular": TRIANGULAR, "normal": NORMAL}


@dataclass(frozen=True)
class Unpacked:
    """Particles seen from the model (particles last)."""

    log_prior: FloatArray  # (n,)
    w: FloatArray  # (P, n)
    s: FloatArray  # (C, n)
    r: FloatArray  # (n,)


@dataclass(frozen=True)
class PartyModel:
    """One party's parameter space: theta = (P weight coordinates, C score columns, reservation)."""

    points: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    point_of_column: IntArray  # (C,)
    starts: IntArray  # (P,) the first column of each point
    dirichlet: bool  # weights as log-gammas (else as raw weights, bounded or fixed)
    alpha: FloatArray  # (P,) the Dirichlet's parameters (dirichlet only)
    bounded: IntArray  # the coordinates on an interval
    low: FloatArray
    high: FloatArray
    kind: IntArray
    mode: FloatArray
    mean: FloatArray
    sd: FloatArray
    distributions: tuple[Distribution, ...]  # of the bounded coordinates, for drawing
    fixed: IntArray  # coordinates the prior fixes (their theta is the value itself)
    fixed_value: FloatArray
    free: npt.NDArray[np.bool_]  # (D,) the coordinates the sampler moves

    def __post_init__(self) -> None:
        # derived arrays for the log density: which bounded coordinates are triangular or normal, the
        # slopes of the triangles, and the constant part (it matters for nothing but a proper density)
        width = self.high - self.low
        triangular = np.flatnonzero(self.kind == TRIANGULAR)
        normal = np.flatnonzero(self.kind == NORMAL)
        rise = 1.0 / np.where(self.mode > self.low, self.mode - self.low, 1.0)[triangular]
        fall = 1.0 / np.where(self.high > self.mode, self.high - self.mode, 1.0)[triangular]
        k = normal
        mass = ndtr((self.high[k] - self.mean[k]) / self.sd[k]) - ndtr(
            (self.low[k] - self.mean[k]) / self.sd[k]
        )
        constant = float(
            -np.log(width[self.kind == UNIFORM]).sum()
            + np.log(2.0 / width[triangular]).sum()
            - np.log(self.sd[k] * np.sqrt(2 * np.pi) * mass).sum()
            + np.log(width).sum()
            - (gammaln(self.alpha).sum() if self.dirichlet else 0.0)
        )
        rise_all = np.zeros(len(self.kind))
        fall_all = np.zeros(len(self.kind))
        rise_all[triangular], fall_all[triangular] = rise, fall
        slot = np.full(len(self.free), -1, dtype=np.intp)
        slot[self.bounded] = np.arange(len(self.bounded))
        for name, value in (
            ("rise_all", rise_all),
            ("fall_all", fall_all),
            ("slot", slot),
            ("width", width),
            ("triangular", triangular),
            ("normal", normal),
            ("rise", rise),
            ("fall", fall),
            ("constant", constant),
        ):
            object.__setattr__(self, name, value)

    width: FloatArray = field(init=False, repr=False)
    rise_all: FloatArray = field(init=False, repr=False)
    fall_all: FloatArray = field(init=False, repr=False)
    slot: IntArray = field(init=False, repr=False)  # coordinate -> its place among the bounded ones, or -1
    triangular: IntArray = field(init=False, repr=False)
    normal: IntArray = field(init=False, repr=False)
    rise: FloatArray = field(init=False, repr=False)
    fall: FloatArray = field(init=False, repr=False)
    constant: float = field(init=False, repr=False)

    @property
    def columns(self) -> int:
        return len(self.point_of_column)

    @property
    def size(self) -> int:
        return len(self.points) + self.columns + 1

    def column(self, point: str, option: str) -> tuple[int, int]:
        p = self.points.index(point)
        return p, int(self.starts[p]) + self.options[p].index(option)

    def split(self, scores: FloatArray) -> tuple[FloatArray, ...]:
        """(n, C) score columns as one (n, K_p) array per point."""
        return tuple(np.split(scores, self.starts[1:], axis=1))

    def unpack(self, theta: FloatArray) -> Unpacked:
        """The prior's log density at each particle of theta (n, D), with the parameters it stands for,
        particles last (weights (P, n), scores (C, n)): the layout the likelihood runs fastest on."""
        t = np.ascontiguousarray(theta.T)
        n_points = len(self.points)
        log_prior = np.full(t.shape[1], self.constant)
        if self.dirichlet:
            z = t[:n_points]
            log_prior += (self.alpha[:, None] * z - np.exp(z)).sum(axis=0)
        if len(self.bounded):
            u = t[self.bounded]
            a = np.abs(u)
            e = np.exp(-a)
            inverse = 1.0 / (1.0 + e)
            x = self.low[:, None] + self.width[:, None] * np.where(u >= 0, inverse, e * inverse)
            log_prior -= (a + 2.0 * np.log1p(e)).sum(axis=0)  # the logit's Jacobian, log(width) aside
            if len(self.triangular):
                xt = x[self.triangular]
                k = self.triangular
                shape = np.where(
                    xt < self.mode[k, None],
                    (xt - self.low[k, None]) * self.rise[:, None],
                    (self.high[k, None] - xt) * self.fall[:, None],
                )
                with np.errstate(divide="ignore"):
                    log_prior += np.log(np.maximum(shape, 0.0)).sum(axis=0)
            if len(self.normal):
                k = self.normal
                zn = (x[k] - self.mean[k, None]) / self.sd[k, None]
                log_prior -= 0.5 * (zn * zn).sum(axis=0)
            t[self.bounded] = x
        head = t[:n_points]
        if self.dirichlet:
            e = np.exp(head - head.max(axis=0))
            w = e / e.sum(axis=0)
        else:
            w = head / head.sum(axis=0)
        return Unpacked(log_prior, w, t[n_points : n_points + self.columns], t[-1])

    def bounded_values(self, js: IntArray, u: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Bounded coordinates ``js`` (places among the bounded ones) at u (k, n): their values and their
        log prior density (with the Jacobian, constants left out), each (k, n)."""
        a = np.abs(u)
        e = np.exp(-a)
        inverse = 1.0 / (1.0 + e)
        low, width = self.low[js, None], self.width[js, None]
        x = low + width * np.where(u >= 0, inverse, e * inverse)
        density = -(a + 2.0 * np.log1p(e))
        kind = self.kind[js]
        if (kind == TRIANGULAR).any():
            shape = np.where(
                x < self.mode[js, None],
                (x - low) * self.rise_all[js, None],
                (self.high[js, None] - x) * self.fall_all[js, None],
            )
            with np.errstate(divide="ignore"):
                density = density + np.where(
                    (kind == TRIANGULAR)[:, None], np.log(np.maximum(shape, 0.0)), 0.0
                )
        if (kind == NORMAL).any():
            z = (x - self.mean[js, None]) / self.sd[js, None]
            density = density - np.where((kind == NORMAL)[:, None], 0.5 * z * z, 0.0)
        return x, density

    def decode(self, theta: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Weights (n, P) summing to 1, scores (n, C) on [0, 1], reservation values (n,)."""
        found = self.unpack(theta)
        return np.ascontiguousarray(found.w.T), np.ascontiguousarray(found.s.T), found.r.copy()

    def log_prior(self, theta: FloatArray) -> FloatArray:
        return self.unpack(theta).log_prior

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """n draws of theta from the prior."""
        theta = np.zeros((n, self.size))
        n_points = len(self.points)
        if self.dirichlet:
            # log of a Gamma(a) draw as log Gamma(a + 1) + log(U) / a: no underflow for small a
            g = rng.standard_gamma(self.alpha + 1.0, size=(n, n_points))
            theta[:, :n_points] = np.log(g) + np.log(rng.random((n, n_points))) / self.alpha
        for j, (column, d) in enumerate(zip(self.bounded, self.distributions, strict=True)):
            x = draw(d, rng, n)
            fraction = np.clip((x - self.low[j]) / (self.high[j] - self.low[j]), EDGE, 1.0 - EDGE)
            theta[:, column] = logit(fraction)
        theta[:, self.fixed] = self.fixed_value
        return theta


def _scaled(d: Distribution, scale: float) -> Distribution:
    def by(v: float | None) -> float | None:
        return None if v is None else v / scale

    return Distribution(d.kind, d.low / scale, d.high / scale, by(d.mode), by(d.mean), by(d.sd))


def _triangular(mode: float) -> Distribution:
    return Distribution("triangular", 0.0, 1.0, mode=float(min(max(mode, 0.0), 1.0)))


UNIT = Distribution("uniform", 0.0, 1.0)


def party_model(negotiation: Negotiation, prefs: Preferences | None) -> PartyModel:
    """The prior of a party with preferences ``prefs`` (None: flat) over the negotiation's points."""
    ordered = sorted(negotiation.points, key=lambda p: p.number)
    points = tuple(p.id for p in ordered)
    options = tuple(p.option_keys for p in ordered)
    sizes = [len(o) for o in options]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
    point_of_column = np.repeat(np.arange(len(points)), sizes).astype(np.intp)
    u = prefs.uncertainty if prefs else None
    raw = np.array([prefs.weights.get(p, 0.0) if prefs else 0.0 for p in points], dtype=np.float64)
    # coordinate -> its distribution (bounded), or its fixed value
    spread: dict[int, Distribution] = {}
    fixed: dict[int, float] = {}
    weight_spread = {p: d for p, d in (u.weights.items() if u else ()) if p in points}
    dirichlet = not (u is not None and u.dirichlet is None and weight_spread)
    if dirichlet:
        if raw.sum() > 0:
            concentration = u.dirichlet if u and u.dirichlet else DEFAULT_CONCENTRATION * len(points)
            alpha = np.maximum(concentration * raw / raw.sum(), ALPHA_FLOOR)
        else:
            alpha = np.ones(len(points))
    else:
        alpha = np.ones(len(points))
        for j, p in enumerate(points):
            if p in weight_spread:
                spread[j] = weight_spread[p]
            else:
                fixed[j] = float(raw[j])
    offset = len(points)
    scale = prefs.score_scale if prefs else 1.0
    for c, (j, k) in enumerate((j, k) for j, opts in enumerate(options) for k in range(len(opts))):
        point, option = points[j], options[j][k]
        given = u.scores.get(point, {}).get(option) if u else None
        declared = prefs.scores.get(point, {}).get(option) if prefs else None
        if given is not None:
            spread[offset + c] = _scaled(given, scale)
        elif declared is not None:
            spread[offset + c] = _triangular(declared / scale)
        else:
            spread[offset + c] = UNIT
    last = offset + len(point_of_column)
    if u is not None and u.reservation_value is not None:
        spread[last] = u.reservation_value
    else:
        spread[last] = _triangular(prefs.reservation_value) if prefs else UNIT
    for coordinate, d in list(spread.items()):
        if not d.high > d.low:  # a degenerate interval fixes the quantity
            fixed[coordinate] = d.low
            del spread[coordinate]
    bounded = np.array(sorted(spread), dtype=np.intp)
    ds = tuple(spread[c] for c in bounded)
    free = np.zeros(last + 1, dtype=bool)
    free[bounded] = True
    if dirichlet:
        free[:offset] = True
    return PartyModel(
        points=points,
        options=options,
        point_of_column=point_of_column,
        starts=starts,
        dirichlet=dirichlet,
        alpha=alpha.astype(np.float64),
        bounded=bounded,
        low=np.array([d.low for d in ds]),
        high=np.array([d.high for d in ds]),
        kind=np.array([_KINDS.get(d.kind, UNIFORM) for d in ds], dtype=np.intp),
        mode=np.array([d.mode if d.mode is not None else d.low for d in ds]),
        mean=np.array([d.mean if d.mean is not None else 0.5 * (d.low + d.high) for d in ds]),
        sd=np.array([d.sd if d.sd else 1.0 for d in ds]),
        distributions=ds,
        fixed=np.array(sorted(fixed), dtype=np.intp),
        fixed_value=np.array([fixed[c] for c in sorted(fixed)]),
        free=free,
    )
