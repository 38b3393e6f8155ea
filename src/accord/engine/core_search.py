"""A better start for the maximin concepts when the exact search cannot settle: CP-SAT on the LP's core.

Near the LP relaxation's optimum, a good package takes, at almost every point, an option whose reduced
cost under the LP's multipliers is small (the "core" of multidimensional knapsacks: Puchinger, Raidl and
Pferschy 2010). Every package x satisfies lambda . g(x) = bound - sum of its options' reduced costs, so a
package within s of the LP bound spends at most s on reduced costs; the good ones spend far less, on few
points. A core keeps the options whose reduced cost is within a share of the slack between the LP bound
and the start (and the start's own), fixes the other points to their best option, and lets CP-SAT,
whose search finds such balanced packages better than HiGHS's branch and bound here, look for the
largest smallest gain.

The width matters, and narrow wins (measured on the bench's 10 parties x 300 points x 6 options with red
lines, egalitarian, start 0.48836, LP bound 0.48942, slack 1.06e-3): a core of 0.01 of the slack (about
20 points keep a choice) is solved outright in ~0.2 s of CPU (0.48859), 0.02 (32 points) from there in
~0.2 s more (0.48881), and 0.03 (39 points) finds 0.48888 in ~0.3 s; one core of 0.1 (86 points), the
earlier default, stayed at 0.48880 after 5 s, and 0.07 at 0.48872 after 3 s. So
``widening_core_search`` solves cores of growing width (``CORE_SHARES``), each from the best package so
far. Kalai–Smorodinsky on the same instance: 0.65311 to 0.65410 (the 0.02 core). The widest, 0.1, is
for smaller instances: on 5 parties x 300 x 6 (Kalai–Smorodinsky) the narrow cores are all solved in
0.2 s at 0.73212, and the 0.1 core then in ~2 s at 0.73223. Past 0.48888 nothing
found moved: wider cores (to 0.07, 8 s), cores from tilted multipliers, every exchange of up to four
options within the 0.07 core, and HiGHS for 60 s from that package. (An earlier note records 0.48900
from HiGHS on the whole model after 45 s, not reproduced here.)

Only a start: the package found is checked against every demand of the problem by the caller, its value
is computed from the utilities, and no bound ever comes from here (CP-SAT works on rounded coefficients).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from accord.engine.maximin import Gains
from accord.engine.milp import INF, Milp
from accord.engine.problem import FloatArray, IntArray

CORE_SHARE = 0.1  # of the slack between the LP bound and the start: the reduced costs the core keeps
# the cores ``widening_core_search`` solves one after another, narrowest first (shares of that slack)
CORE_SHARES = (0.01, 0.02, 0.03, 0.05, 0.1)
MIN_SLICE = 0.05  # seconds: less time left than this is not worth a CP-SAT model


def core_package(
    gains: Gains,
    lam: FloatArray,
    start: IntArray,
    time_limit: float,
    share: float = CORE_SHARE,
    reach: float | None = None,
) -> IntArray | None:
    """A package (columns, one per point) whose smallest gain is as large as CP-SAT finds in
    ``time_limit`` seconds among the options near the LP optimum (multipliers ``lam``) and the start's
    own; None when it finds none. The core keeps the options whose reduced cost is at most ``reach``
    (by default ``share`` of the slack between the LP bound and the start). Links and reservation
    values are not enforced here."""
    points = np.arange(gains.n_points)
    chosen = np.array([int(np.nonzero(gains.table[p] == c)[0][0]) for p, c in enumerate(start)])
    by_option = np.where(gains.valid, np.einsum("k,kpw->pw", lam, gains.values), -np.inf)
    best = by_option.max(axis=1)
    reduced = best[:, None] - by_option  # inf where an option is not allowed
    value = float((gains.values[:, points, chosen].sum(axis=1) + gains.offset).min())
    top = float(best.sum() + lam @ gains.offset)
    keep = reduced <= (share * max(top - value, 0.0) if reach is None else reach)
    keep[points, chosen] = True  # the start stays a package of the core: the search begins from it
    free = np.nonzero(keep.sum(axis=1) > 1)[0]
    if not len(free):
        return None
    fixed = np.argmax(keep, axis=1)  # the one option left where a point has no choice
    alone = keep.sum(axis=1) == 1
    offset = gains.offset + gains.values[:, points[alone], fixed[alone]].sum(axis=1)
    free_point, free_option = np.nonzero(keep[free])
    free_point = free[free_point]
    n = len(free_point)
    milp = Milp()
    for _ in range(n):
        milp.add_var(0.0, 1.0, 0.0, True)
    # the smallest gain, never below the start's (less CP-SAT's rounding): only improvements are sought
    t = milp.add_var(value - 1e-6, INF, 1.0)
    for point in free.tolist():
        index = np.nonzero(free_point == point)[0]
        milp.add_row(1.0, 1.0, index, np.ones(len(index)))
    for party in range(gains.k):
        # sum of the free options' gains - t >= -(offset of the fixed points)
        milp.add_row(
            -float(offset[party]),
            INF,
            [*range(n), t],
            [*gains.values[party, free_point, free_option].tolist(), -1.0],
        )
    hint = (free_option == chosen[free_point]).astype(np.float64)
    from accord.engine.backends.cpsat import CpSatSolver  # imported when used: start-up counts

    result = CpSatSolver().solve(milp, time_limit, np.append(hint, value))
    if not result.has_solution:
        return None
    options = fixed.copy()
    picked = result.values[:n] > 0.5
    options[free_point[picked]] = free_option[picked]
    return np.asarray(gains.table[points, options], dtype=np.int64)


def widening_core_search(
    gains: Gains,
    lam: FloatArray,
    start: IntArray,
    time_limit: float,
    shares: tuple[float, ...] = CORE_SHARES,
    accept: Callable[[IntArray], bool] | None = None,
) -> IntArray | None:
    """The best package CP-SAT finds on cores of growing width in ``time_limit`` seconds: core k keeps
    the options whose reduced cost is at most ``shares[k]`` of the slack between the LP bound and
    ``start``, and starts from the best package found so far. A narrow core is often solved outright in
    a fraction of a second, and its optimum is a better start for the next; each core has the time
    left shared equally among the cores left, so what a solved core leaves passes on. None when no
    core gave a package better than ``start``. Links and reservation values are not enforced here: a
    package ``accept`` refuses (the caller's check of every demand) is not taken as the next start."""
    deadline = time.perf_counter() + time_limit
    top = float(np.where(gains.valid, np.einsum("k,kpw->pw", lam, gains.values), -np.inf).max(axis=1).sum())
    top += float(lam @ gains.offset)
    slack = max(top - gains.value(start), 0.0)
    best: IntArray | None = None
    current, value = start, gains.value(start)
    for index, share in enumerate(shares):
        left = deadline - time.perf_counter()
        if left <= MIN_SLICE:
            break
        found = core_package(gains, lam, current, left / (len(shares) - index), reach=share * slack)
        if found is None or gains.value(found) <= value or (accept is not None and not accept(found)):
            continue
        best, current, value = found, found, gains.value(found)
    return best
