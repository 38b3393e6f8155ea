"""The lingering differences: how contested each point of the framework is.

For one point taken on its own, each party has a favourite option and loses
``weight x (best score - score)`` of utility under any other; in the compiled
problem that is ``max_o utility[k, o] - utility[k, o]``.

``contest`` is what the least painful option still costs the party it hurts
most: the minimum over the options left open (by red lines and fixed points)
of the maximum loss over parties. It is 0 when one option is everyone's
favourite, and the option reaching it is the ``compromise``. (Among options
with the same worst loss, the one with the smaller total loss, then the first
listed, is named.) When red lines leave no option open the point is
``blocked``: there is no compromise, and ``contest`` is then taken over all
options, as the cost if the red lines gave way.

``spread`` measures how far apart the parties' views are, whatever the red
lines say, in utility units so that a quarrel over a minor point counts less:

* each party's *stake* on the point is the utility between its best and worst
  option, ``stake_k = max_o u[k, o] - min_o u[k, o]`` (weight x score range);
* its *rating* of an option is where that option sits in this range,
  ``r[k, o] = (u[k, o] - min_o u[k, o]) / stake_k`` (in [0, 1]);
* for each option, the stake-weighted standard deviation of the ratings
  across parties, ``sd_o = sqrt(sum_k stake_k (r[k, o] - mean_o)^2 / sum_k stake_k)``
  with ``mean_o`` the stake-weighted mean rating;
* ``spread = mean over options of sd_o x mean over parties of stake_k``.

A party indifferent on the point (stake 0) takes no part in it. ``spread`` is 0
when the parties rank the options alike, and at most 0.5 x the mean stake.

Ranking: blocked points first, then by contest, then by spread (both
descending), then by point number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.engine.problem import Problem, RedLineDemand

TOLERANCE = 1e-12
"""Utility differences below this are rounding: they neither make a favourite nor a loss."""


@dataclass(frozen=True)
class ContestedPoint:
    """How contested one point is; ``point`` indexes ``problem.points``, options are flat columns.

    ``favourites[k]`` is party k's favourite option (the first listed among equals);
    ``losses[k][o]`` what party k loses under the point's o-th option.
    """

    point: int
    favourites: tuple[int, ...]
    losses: tuple[tuple[float, ...], ...]
    contest: float
    compromise: int | None
    spread: float
    red_lines: tuple[RedLineDemand, ...]
    blocked: bool


def contested_points(problem: Problem) -> list[ContestedPoint]:
    """Every point with how contested it is, the most contested first (see the module docstring)."""
    allowed = problem.allowed()
    found = [_contested(problem, p, allowed) for p in range(problem.n_points)]
    return sorted(found, key=lambda c: (not c.blocked, -c.contest, -c.spread, problem.point_numbers[c.point]))


def describe_contested_point(problem: Problem, contested: ContestedPoint) -> str:
    """One point's difference in the negotiators' words."""
    p = contested.point
    offsets = problem.offsets
    texts = problem.option_texts[p]
    head = f"point {problem.point_numbers[p]} ({problem.point_titles[p]})"
    if contested.blocked:
        return f"{head}: blocked, red lines leave no option ({_who_refuses(problem, contested)})"
    assert contested.compromise is not None  # only a blocked point has none
    compromise = texts[contested.compromise - int(offsets[p])]
    if contested.contest <= TOLERANCE:
        return f"{head}: no difference, everyone's favourite is '{compromise}'"
    words = f"{head}: contest {contested.contest:.3f}, spread {contested.spread:.3f}"
    words += f"; least painful '{compromise}'"
    if contested.red_lines:
        words += f" ({_who_refuses(problem, contested)})"
    return words


def _who_refuses(problem: Problem, contested: ContestedPoint) -> str:
    offsets = int(problem.offsets[contested.point])
    texts = problem.option_texts[contested.point]
    return "; ".join(
        f"{problem.party_names[r.party]} refuses '{texts[r.column - offsets]}'" for r in contested.red_lines
    )


def _contested(problem: Problem, p: int, allowed: np.ndarray) -> ContestedPoint:
    columns = np.array(problem.columns_of(p), dtype=np.int64)
    utility = problem.utility[:, columns]  # parties x options of this point
    best = utility.max(axis=1)
    worst = utility.min(axis=1)
    loss = best[:, None] - utility
    loss[loss < TOLERANCE] = 0.0  # rounding is not a loss
    # argmax takes the first listed among equal favourites
    favourites = tuple(int(columns[k]) for k in np.argmax(utility >= best[:, None] - TOLERANCE, axis=1))
    open_ = allowed[columns]
    blocked = not open_.any()
    candidates = np.arange(columns.size) if blocked else np.flatnonzero(open_)
    worst_loss = loss[:, candidates].max(axis=0)
    total_loss = loss[:, candidates].sum(axis=0)
    pick = candidates[np.lexsort((candidates, total_loss, worst_loss))[0]]
    return ContestedPoint(
        point=p,
        favourites=favourites,
        losses=tuple(tuple(float(x) for x in row) for row in loss),
        contest=float(loss[:, pick].max()),
        compromise=None if blocked else int(columns[pick]),
        spread=_spread(utility, best, worst),
        red_lines=tuple(r for r in problem.red_lines if r.point == p),
        blocked=blocked,
    )


def _spread(utility: np.ndarray, best: np.ndarray, worst: np.ndarray) -> float:
    stake = best - worst
    stake[stake < TOLERANCE] = 0.0
    if stake.sum() <= 0:
        return 0.0
    safe = np.where(stake > 0, stake, 1.0)
    rating = (utility - worst[:, None]) / safe[:, None]
    share = stake / stake.sum()
    mean = share @ rating  # per option
    sd = np.sqrt(share @ (rating - mean[None, :]) ** 2)
    return float(sd.mean() * stake.mean())
