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

The recorded stances count too: a point a party rejected on the latest draft put to the parties
is contested whatever the estimates say (the record is evidence, the weights
and scores are estimates). ``rejected_by`` and ``conditional_by`` name the
parties that rejected the point or accepted it only with conditions.

Ranking: blocked points first; then the points rejected on the latest draft
(most rejections first), then those accepted with conditions (most first);
then by contest, then by spread (both descending), then by point number.
``RANKING`` says it in words for the output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from accord.domain import Negotiation, StanceKind
from accord.engine.problem import Problem, RedLineDemand
from accord.wording import verb

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
    rejected_by: tuple[int, ...] = ()  # parties that rejected the point on the latest draft
    conditional_by: tuple[int, ...] = ()  # parties that accepted it there only with conditions


RANKING = (
    "Points are ranked, most contested first:",
    "1. blocked: red lines leave the point no option at all;",
    "2. recorded stances: rejected on the latest draft put to the parties{draft}, the most rejections "
    "first; then accepted "
    "there only with conditions, the most first;",
    "3. contest: what the least painful option still costs the party it hurts most (its weight on the "
    "point times the score it gives up against its favourite option; 0 when one option is everyone's "
    "favourite);",
    "4. spread: how differently the parties rate the options (0 when they rank them alike).",
)


def ranking_lines(version: int | None) -> list[str]:
    """How the points are ranked, in words (``version``: the draft whose stances count)."""
    draft = f" (v{version})" if version is not None else " (no draft here)"
    return [line.format(draft=draft) for line in RANKING]


def ranking_text(version: int | None) -> str:
    return " ".join(ranking_lines(version))


def recorded_stances(negotiation: Negotiation) -> tuple[int | None, dict[tuple[str, str], StanceKind]]:
    """The version of the latest draft put to the parties (a text still being written has no answers
    yet) and each party's latest stance on each of its points."""
    latest = negotiation.latest_put_to_parties
    if latest is None:
        return None, {}
    return latest.version, {(s.party, s.point): s.stance for s in negotiation.stances_on(latest.version)}


def contested_points(
    problem: Problem, stances: Mapping[tuple[str, str], StanceKind] | None = None
) -> list[ContestedPoint]:
    """Every point with how contested it is, the most contested first (see the module docstring).

    ``stances``: (party, point) -> the stance recorded on the latest draft (:func:`recorded_stances`)."""
    allowed = problem.allowed()
    found = [
        _recorded(problem, _contested(problem, p, allowed), stances or {}) for p in range(problem.n_points)
    ]
    return sorted(
        found,
        key=lambda c: (
            not c.blocked,
            -len(c.rejected_by),
            -len(c.conditional_by),
            -c.contest,
            -c.spread,
            problem.point_numbers[c.point],
        ),
    )


def _recorded(
    problem: Problem, contested: ContestedPoint, stances: Mapping[tuple[str, str], StanceKind]
) -> ContestedPoint:
    point = problem.points[contested.point]
    said = [stances.get((party, point)) for party in problem.parties]
    rejected = tuple(k for k, s in enumerate(said) if s is StanceKind.REJECT)
    conditional = tuple(k for k, s in enumerate(said) if s is StanceKind.CONDITIONAL)
    if not rejected and not conditional:
        return contested
    return replace(contested, rejected_by=rejected, conditional_by=conditional)


def describe_contested_point(problem: Problem, contested: ContestedPoint, version: int | None = None) -> str:
    """One point's difference in the negotiators' words."""
    p = contested.point
    offsets = problem.offsets
    texts = problem.option_texts[p]
    head = f"point {problem.point_numbers[p]} ({problem.point_titles[p]})"
    said = _said(problem, contested, version)
    if contested.blocked:
        return f"{head}: blocked, red lines leave no option ({_who_refuses(problem, contested)})" + said
    assert contested.compromise is not None  # only a blocked point has none
    compromise = texts[contested.compromise - int(offsets[p])]
    if contested.contest <= TOLERANCE:
        return f"{head}: no difference, everyone's favourite is '{compromise}'" + said
    column = contested.compromise - int(offsets[p])
    hurt = [k for k, row in enumerate(contested.losses) if row[column] >= contested.contest - TOLERANCE]
    words = (
        f"{head}: the least painful option, '{compromise}', still costs {_names(problem, hurt)} "
        f"{contested.contest:.3f} of utility{' each' if len(hurt) > 1 else ''} "
        f"(spread {contested.spread:.3f})"
    )
    if contested.red_lines:
        words += f"; {_who_refuses(problem, contested)}"
    return words + said


def _names(problem: Problem, parties: list[int] | tuple[int, ...]) -> str:
    names = [problem.party_names[k] for k in parties]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _said(problem: Problem, contested: ContestedPoint, version: int | None) -> str:
    """'; on draft v3 rejected by Russian Federation, accepted with conditions by Ukraine'."""
    pieces = []
    if contested.rejected_by:
        pieces.append(f"rejected by {_names(problem, contested.rejected_by)}")
    if contested.conditional_by:
        pieces.append(f"accepted with conditions by {_names(problem, contested.conditional_by)}")
    if not pieces:
        return ""
    where = f"on draft v{version} " if version is not None else "on the latest draft "
    return f"; {where}{', '.join(pieces)}"


def _who_refuses(problem: Problem, contested: ContestedPoint) -> str:
    offsets = int(problem.offsets[contested.point])
    texts = problem.option_texts[contested.point]
    said = []
    for r in contested.red_lines:
        name = problem.party_names[r.party]
        said.append(f"{name} {verb(name, 'refuses')} “{texts[r.column - offsets]}”")
    return "; ".join(said)


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
