"""Logrolls: two parties trade concessions on two points of a tentative package.

Starting from a package on the table (a draft), a logroll changes exactly two
points. On the first, one trader gives way to the other (its utility falls,
the other's rises); on the second the other trader gives way in return. It
is worth proposing when both traders come out ahead overall: each concedes
on the point it cares about less and wins on the point it cares about more.
Third parties' gains and losses are reported, not required; a trade that leaves
any party below its reservation value is flagged, or, with ``within_reservation``,
not a logroll at all (it is no option a mediator can put on the table).

Logrolls are ranked by the smaller of the two traders' gains (the trade is
only as attractive as it is to the less eager trader), then by the points and
options in order, so the ranking is deterministic.

Search. For each pair of parties every candidate concession is a column, so
the trades are the cells of a (concessions by one) x (concessions by the other)
matrix, computed with numpy in row blocks; only the best ``keep`` cells of
each pair are kept (``np.argpartition``). Options forbidden by a red line (or
excluded by a fixed point) are never offered. Links are checked afterwards on
the few packages kept; if too many of those break a link, the search is
repeated keeping more, until the reported ranking is provably the true one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.engine.problem import FloatArray, IntArray, LinkDemand, Problem, RedLineDemand
from accord.errors import EngineError

TOLERANCE = 1e-12
"""Utility changes smaller than this are rounding, not a concession or a gain."""

RESERVATION_TOLERANCE = 1e-9
"""A party this close below its reservation value is at it (as Problem.broken counts it)."""

KEEP_PER_RESULT = 4
MIN_KEEP = 32
"""The search first keeps max(KEEP_PER_RESULT x top, MIN_KEEP) trades per pair of parties:
enough slack that a few trades breaking links or found twice rarely force a second round."""

BLOCK = 1 << 21
"""Cells of the trade matrix computed at once (bounds memory to a few tens of MB)."""


@dataclass(frozen=True)
class Logroll:
    """Two concessions traded between ``giver_on_first`` and ``giver_on_second``.

    Points are indices into ``problem.points`` (``first_point`` < ``second_point``);
    option columns are flat columns, as in :class:`~accord.engine.problem.Problem`.
    ``gains`` holds every party's utility change (third parties too); ``columns``
    the whole new package; ``below_reservation`` the parties the new package
    leaves below their reservation value (a warning, not a veto).
    """

    giver_on_first: int
    first_point: int
    first_option_column: int
    second_point: int
    second_option_column: int
    gains: tuple[float, ...]
    columns: tuple[int, ...]
    giver_on_second: int
    first_draft_column: int
    second_draft_column: int
    below_reservation: tuple[int, ...] = ()

    @property
    def traders(self) -> tuple[int, int]:
        return (self.giver_on_first, self.giver_on_second)

    @property
    def smaller_gain(self) -> float:
        """The gain of the less eager trader: what the ranking orders by."""
        return min(self.gains[self.giver_on_first], self.gains[self.giver_on_second])


def logrolls(
    problem: Problem,
    draft_columns: Sequence[int] | IntArray,
    *,
    top: int = 10,
    within_reservation: bool = False,
) -> list[Logroll]:
    """The ``top`` best logrolls from the package ``draft_columns`` (one column per point).

    ``within_reservation``: only trades that leave every party at or above its reservation value
    (the best ``top`` of those, found in the search itself, not by filtering the ranking)."""
    if top < 1:
        raise EngineError(f"top must be at least 1, got {top}")
    draft = _check_package(problem, draft_columns)
    point_of = problem.point_of_column
    # delta[k, c]: what party k gains if its point switches from the draft's option to column c
    delta = problem.utility - problem.utility[:, draft[point_of]]
    open_ = problem.allowed()
    open_[draft] = False  # staying put is not a concession
    already_broken = set(_red_lines_and_links(problem, draft))
    # how far each party may fall before it is below its reservation value (inf: no floor)
    slack = problem.utilities(draft) - problem.reservation_bounds() + RESERVATION_TOLERANCE
    floors = slack if within_reservation else None
    keep = max(KEEP_PER_RESULT * top, MIN_KEEP)
    while True:
        found, bound = _candidates(delta, point_of, open_, keep, floors)
        chosen = _rank(problem, draft, delta, found, already_broken, top, within_reservation)
        # Trades not kept score at most ``bound``; the ranking is final when the last
        # reported logroll beats it strictly (ties at the bound might order differently).
        if bound == -np.inf or (len(chosen) == top and chosen[-1].smaller_gain > bound):
            return chosen
        keep *= 4


def describe_logroll(problem: Problem, logroll: Logroll) -> str:
    """A logroll in the negotiators' words, with every party's gain or loss."""
    names = problem.party_names
    offsets = problem.offsets

    def concession(giver: int, point: int, column: int, instead_of: int) -> str:
        texts = problem.option_texts[point]
        return (
            f"{names[giver]} gives way on point {problem.point_numbers[point]} "
            f"({problem.point_titles[point]}): '{texts[column - int(offsets[point])]}' "
            f"instead of '{texts[instead_of - int(offsets[point])]}'"
        )

    parts = [
        concession(
            logroll.giver_on_first,
            logroll.first_point,
            logroll.first_option_column,
            logroll.first_draft_column,
        ),
        concession(
            logroll.giver_on_second,
            logroll.second_point,
            logroll.second_option_column,
            logroll.second_draft_column,
        ),
        # adding 0.0 turns a rounded -0.0 into 0.0, so no one is shown losing "-0.000"
        ", ".join(f"{names[k]} {round(gain, 3) + 0.0:+.3f}" for k, gain in enumerate(logroll.gains)),
    ]
    if logroll.below_reservation:
        below = ", ".join(names[k] for k in logroll.below_reservation)
        parts.append(f"below the reservation value of {below}")
    return "; ".join(parts)


def rejection_note(
    problem: Problem,
    rejected: Sequence[Logroll],
    *,
    options_left: bool,
    draft_columns: Sequence[int] | IntArray | None = None,
) -> str | None:
    """One sentence on the trades left out because they leave a party below its reservation value:
    why none is an option (``options_left`` False), or how many were left out; None if none was."""
    if not rejected:
        return None
    names = problem.party_names
    common = set(rejected[0].below_reservation).intersection(*(t.below_reservation for t in rejected))
    who, tally = _and(names[k] for k in sorted(common)), ""
    if not common:
        counts = {k: sum(k in t.below_reservation for t in rejected) for k in range(problem.n_parties)}
        who = "a party"
        tally = " (" + ", ".join(f"{names[k]} in {c}" for k, c in counts.items() if c) + ")"
    below = "below it" if len(common) <= 1 else "below their reservation values"
    already = ""
    if draft_columns is not None and common:
        before = problem.utilities(np.asarray(draft_columns, dtype=np.int64))
        bounds = problem.reservation_bounds()
        if all(before[k] < bounds[k] - RESERVATION_TOLERANCE for k in common):
            already = ", as the draft already does"
    n = len(rejected)
    if options_left:
        trades = "1 more trade leaves" if n == 1 else f"{n} more trades leave"
        value = "its reservation value" if len(common) <= 1 else "their reservation values"
        return f"{trades} {who} below {value}{tally}: not options, so not listed."
    if n == 1:
        return (
            "The one trade found does not keep every party at or above its reservation value: "
            f"it leaves {who} {below}{already}."
        )
    return (
        f"None of the {n} trades keeps every party at or above its reservation value: "
        f"each leaves {who} {below}{tally}{already}."
    )


def _and(words: Iterable[str]) -> str:
    listed = list(words)
    if not listed:
        return ""
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


# -- search ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    score: FloatArray  # smaller of the two traders' gains
    first_giver: IntArray
    second_giver: IntArray
    first: IntArray  # column the first giver concedes
    second: IntArray  # column the second giver concedes


def _candidates(
    delta: FloatArray,
    point_of: IntArray,
    open_: npt.NDArray[np.bool_],
    keep: int,
    floors: FloatArray | None = None,
) -> tuple[_Found, float]:
    """The best ``keep`` trades of each pair of parties, and a bound on every trade left out.
    ``floors``: each party's largest allowed loss; trades beyond it are no trades at all."""
    parts: list[tuple[FloatArray, int, int, IntArray, IntArray]] = []
    bound = -np.inf
    n_parties = delta.shape[0]
    for i in range(n_parties):
        for j in range(i + 1, n_parties):
            # A trade for {i, j} is one concession by i and one by j; ordering the
            # pair i < j enumerates each trade once.
            di, dj = delta[i], delta[j]
            by_i = np.flatnonzero(open_ & (di < -TOLERANCE) & (dj > TOLERANCE))
            by_j = np.flatnonzero(open_ & (dj < -TOLERANCE) & (di > TOLERANCE))
            if by_i.size == 0 or by_j.size == 0:
                continue
            # A concession by i can only be repaid by one of j's worth more to i than
            # it costs i, and vice versa: drop concessions nothing can repay.
            by_i = by_i[-di[by_i] < di[by_j].max()]
            by_j = by_j[-dj[by_j] < dj[by_i].max()] if by_i.size else by_j[:0]
            if by_i.size == 0 or by_j.size == 0:
                continue
            score, rows, cols, pair_bound = _best_cells(delta, i, j, point_of, by_i, by_j, keep, floors)
            bound = max(bound, pair_bound)
            parts.append((score, i, j, by_i[rows], by_j[cols]))
    if not parts:
        empty_f = np.empty(0, dtype=np.float64)
        empty_i = np.empty(0, dtype=np.int64)
        return _Found(empty_f, empty_i, empty_i, empty_i, empty_i), bound
    return (
        _Found(
            score=np.concatenate([p[0] for p in parts]),
            first_giver=np.concatenate([np.full(p[0].size, p[1], dtype=np.int64) for p in parts]),
            second_giver=np.concatenate([np.full(p[0].size, p[2], dtype=np.int64) for p in parts]),
            first=np.concatenate([p[3] for p in parts]),
            second=np.concatenate([p[4] for p in parts]),
        ),
        bound,
    )


def _best_cells(
    delta: FloatArray,
    i: int,
    j: int,
    point_of: IntArray,
    by_i: IntArray,
    by_j: IntArray,
    keep: int,
    floors: FloatArray | None = None,
) -> tuple[FloatArray, IntArray, IntArray, float]:
    """Best ``keep`` cells of the trade matrix of parties i and j; the bound on the cells dropped."""
    di, dj = delta[i], delta[j]
    # the parties a trade could push below their reservation value (a finite floor)
    floored = [] if floors is None else [k for k in range(len(floors)) if np.isfinite(floors[k])]
    rows_per_block = max(1, BLOCK // by_j.size)
    di_j, dj_j, point_j = di[by_j][None, :], dj[by_j][None, :], point_of[by_j][None, :]
    scores: list[FloatArray] = []
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    bound = -np.inf
    for start in range(0, by_i.size, rows_per_block):
        block = by_i[start : start + rows_per_block]
        gain_i = di[block][:, None] + di_j
        gain_j = dj[block][:, None] + dj_j
        worth = (gain_i > TOLERANCE) & (gain_j > TOLERANCE) & (point_of[block][:, None] != point_j)
        for k in floored:
            assert floors is not None
            worth &= delta[k][block][:, None] + delta[k][by_j][None, :] >= -floors[k]
        r, c = np.nonzero(worth)
        if r.size == 0:
            continue
        s = np.minimum(gain_i[r, c], gain_j[r, c])
        s, r, c, dropped = _top(s, r + start, c, keep)
        bound = max(bound, dropped)
        scores.append(s)
        rows.append(r)
        cols.append(c)
    if not scores:
        empty = np.empty(0, dtype=np.int64)
        return np.empty(0, dtype=np.float64), empty, empty, bound
    s, r, c, dropped = _top(np.concatenate(scores), np.concatenate(rows), np.concatenate(cols), keep)
    return s, r, c, max(bound, dropped)


def _top(
    score: FloatArray, rows: IntArray, cols: IntArray, keep: int
) -> tuple[FloatArray, IntArray, IntArray, float]:
    if score.size <= keep:
        return score, rows, cols, -np.inf
    best = np.argpartition(-score, keep - 1)[:keep]
    # every dropped cell scores at most the worst kept one
    return score[best], rows[best], cols[best], float(score[best].min())


# -- ranking and checks ----------------------------------------------------------------


def _rank(
    problem: Problem,
    draft: IntArray,
    delta: FloatArray,
    found: _Found,
    already_broken: set[RedLineDemand | LinkDemand],
    top: int,
    within_reservation: bool = False,
) -> list[Logroll]:
    point_of = problem.point_of_column
    # Name each trade by its two changes, the lower point first, so that the same pair
    # of changes found for two pairs of parties is one logroll (kept with its best pair).
    swap = point_of[found.first] > point_of[found.second]
    first = np.where(swap, found.second, found.first)
    second = np.where(swap, found.first, found.second)
    first_giver = np.where(swap, found.second_giver, found.first_giver)
    second_giver = np.where(swap, found.first_giver, found.second_giver)
    order = np.lexsort((second_giver, first_giver, second, first, -found.score))
    seen: set[tuple[int, int]] = set()
    chosen: list[Logroll] = []
    bounds = problem.reservation_bounds()
    for k in order:
        move = (int(first[k]), int(second[k]))
        if move in seen:
            continue
        seen.add(move)
        columns = draft.copy()
        p, q = int(point_of[move[0]]), int(point_of[move[1]])
        columns[p], columns[q] = move
        # A trade may not break a red line or link the draft itself keeps; demands the
        # draft already breaks elsewhere are not the trade's doing.
        if set(_red_lines_and_links(problem, columns)) - already_broken:
            continue
        gains = delta[:, move[0]] + delta[:, move[1]]
        after = problem.utilities(columns)
        below = tuple(int(x) for x in np.flatnonzero(after < bounds - RESERVATION_TOLERANCE))
        if below and within_reservation:  # a rounding hair from the search's own check
            continue
        chosen.append(
            Logroll(
                giver_on_first=int(first_giver[k]),
                first_point=p,
                first_option_column=move[0],
                second_point=q,
                second_option_column=move[1],
                gains=tuple(float(g) for g in gains),
                columns=tuple(int(c) for c in columns),
                giver_on_second=int(second_giver[k]),
                first_draft_column=int(draft[p]),
                second_draft_column=int(draft[q]),
                below_reservation=below,
            )
        )
        if len(chosen) == top:
            break
    return chosen


def _red_lines_and_links(problem: Problem, columns: IntArray) -> list[RedLineDemand | LinkDemand]:
    return [d for d in problem.broken(columns) if isinstance(d, RedLineDemand | LinkDemand)]


def _check_package(problem: Problem, columns: Sequence[int] | IntArray) -> IntArray:
    draft = np.asarray(columns, dtype=np.int64)
    if draft.shape != (problem.n_points,):
        raise EngineError(
            f"a package needs one option column per point ({problem.n_points}), got shape {draft.shape}"
        )
    for p, column in enumerate(draft):
        if int(column) not in problem.columns_of(p):
            raise EngineError(
                f"column {int(column)} is not an option of point {problem.point_numbers[p]} "
                f"({problem.point_titles[p]})"
            )
    for p, column in problem.fixed.items():
        if int(draft[p]) != column:
            raise EngineError(
                f"the package changes point {problem.point_numbers[p]} ({problem.point_titles[p]}), "
                "which the problem fixes"
            )
    return draft
