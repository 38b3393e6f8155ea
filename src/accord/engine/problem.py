"""A negotiation compiled into a solver-neutral problem (numpy arrays).

Options are laid out in one flat axis: option ``o`` of point ``p`` is column
``offsets[p] + o``. A package picks exactly one column per point. Everything
the solution concepts need is here: each party's utility per column, the red
lines, the links, the reservation values, and the points fixed by a draft.

Red lines, links and reservation values are *demands*: each can be switched
off (``without``), which is how the deadlock diagnosis looks for the smallest
set of demands that cannot hold together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from accord.domain import Draft, Negotiation, Party
from accord.errors import DomainError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class RedLineDemand:
    party: int
    point: int
    column: int


@dataclass(frozen=True)
class LinkDemand:
    """Column ``column`` (on ``point``) is allowed only if one of ``requires`` is chosen."""

    party: int
    point: int
    column: int
    requires_point: int
    requires: tuple[int, ...]


@dataclass(frozen=True)
class ReservationDemand:
    party: int


Demand = RedLineDemand | LinkDemand | ReservationDemand
DemandKind = Literal["red_line", "link", "reservation"]


@dataclass(frozen=True, eq=False)
class Problem:
    """The compiled problem. Indices refer to ``parties``, ``points`` and the flat option axis."""

    parties: tuple[str, ...]
    party_names: tuple[str, ...]
    points: tuple[str, ...]
    point_titles: tuple[str, ...]
    point_numbers: tuple[int, ...]
    options: tuple[tuple[str, ...], ...]
    option_texts: tuple[tuple[str, ...], ...]
    utility: FloatArray  # (parties, columns): weight x score, so a package's utility is a sum
    reservation: FloatArray  # (parties,)
    red_lines: tuple[RedLineDemand, ...] = ()
    links: tuple[LinkDemand, ...] = ()
    reservations_active: tuple[bool, ...] = ()
    fixed: Mapping[int, int] = field(default_factory=dict)  # point -> column
    # each party's bargaining power for Nash (Kalai 1977); empty: 1 for every party (symmetric Nash)
    power: tuple[float, ...] = ()

    # -- layout ---------------------------------------------------------------
    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def n_points(self) -> int:
        return len(self.points)

    @property
    def n_columns(self) -> int:
        return int(self.utility.shape[1])

    @property
    def offsets(self) -> IntArray:
        sizes = np.array([len(o) for o in self.options], dtype=np.int64)
        return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)

    @property
    def point_of_column(self) -> IntArray:
        return np.repeat(np.arange(self.n_points), [len(o) for o in self.options]).astype(np.int64)

    def columns_of(self, point: int) -> range:
        start = int(self.offsets[point])
        return range(start, start + len(self.options[point]))

    @property
    def powers(self) -> FloatArray:
        """Each party's bargaining power (1 for all unless given)."""
        if not self.power:
            return np.ones(self.n_parties)
        return np.array(self.power, dtype=np.float64)

    @property
    def symmetric(self) -> bool:
        """True when every party has the same bargaining power (the plain Nash solution)."""
        return len(set(self.power)) <= 1

    def with_power(self, power: Mapping[str, float]) -> Problem:
        """The same problem with these parties' bargaining powers (by party id; others keep theirs)."""
        unknown = [p for p in power if p not in self.parties]
        if unknown:
            known = ", ".join(self.parties)
            raise DomainError(f"no party {', '.join(map(repr, unknown))} in the problem (parties: {known})")
        bad = [f"{p}={v}" for p, v in power.items() if not (math.isfinite(v) and v > 0)]
        if bad:
            raise DomainError(f"bargaining power must be a positive number, got {', '.join(bad)}")
        current = self.powers
        return replace(self, power=tuple(float(power.get(p, current[i])) for i, p in enumerate(self.parties)))

    def allowed(self) -> npt.NDArray[np.bool_]:
        """Columns no active red line forbids and no fixed point excludes."""
        mask = np.ones(self.n_columns, dtype=bool)
        for red in self.red_lines:
            mask[red.column] = False
        for point, column in self.fixed.items():
            for other in self.columns_of(point):
                if other != column:
                    mask[other] = False
        return mask

    def reservation_bounds(self) -> FloatArray:
        """Each party's lower bound on utility: its reservation value, or -inf when switched off."""
        active = np.array(self.reservations_active or (True,) * self.n_parties, dtype=bool)
        return np.where(active, self.reservation, -np.inf)

    # -- packages ---------------------------------------------------------------
    def columns(self, package: Mapping[str, str]) -> IntArray:
        """Flat columns of a package given in ids (point -> option key)."""
        chosen = []
        for p, point in enumerate(self.points):
            if point not in package:
                raise DomainError(f"the package has no option for point {point!r}")
            try:
                chosen.append(int(self.offsets[p]) + self.options[p].index(package[point]))
            except ValueError:
                raise DomainError(f"point {point!r} has no option {package[point]!r}") from None
        return np.array(chosen, dtype=np.int64)

    def package(self, columns: Sequence[int] | IntArray) -> dict[str, str]:
        offsets = self.offsets
        return {self.points[p]: self.options[p][int(c) - int(offsets[p])] for p, c in enumerate(columns)}

    def utilities(self, columns: Sequence[int] | IntArray) -> FloatArray:
        return np.asarray(self.utility[:, np.asarray(columns, dtype=np.int64)].sum(axis=1), dtype=np.float64)

    def broken(self, columns: Sequence[int] | IntArray, tolerance: float = 1e-9) -> list[Demand]:
        """The active demands a package breaks (empty: every party can accept it)."""
        chosen = set(int(c) for c in columns)
        broken: list[Demand] = [r for r in self.red_lines if r.column in chosen]
        broken += [
            link for link in self.links if link.column in chosen and not chosen.intersection(link.requires)
        ]
        bounds = self.reservation_bounds()
        values = self.utilities(columns)
        broken += [ReservationDemand(i) for i in range(self.n_parties) if values[i] < bounds[i] - tolerance]
        for point, column in self.fixed.items():
            if column not in chosen:
                raise DomainError(f"the package changes fixed point {self.points[point]!r}")
        return broken

    # -- demands ----------------------------------------------------------------
    def demands(self) -> list[Demand]:
        """Every active demand, in a stable order: red lines, links, reservation values."""
        active = self.reservations_active or (True,) * self.n_parties
        return [
            *self.red_lines,
            *self.links,
            *(ReservationDemand(i) for i in range(self.n_parties) if active[i]),
        ]

    def only(self, demands: Iterable[Demand]) -> Problem:
        """The same problem with only the given demands active."""
        keep = set(demands)
        return replace(
            self,
            red_lines=tuple(r for r in self.red_lines if r in keep),
            links=tuple(link for link in self.links if link in keep),
            reservations_active=tuple(ReservationDemand(i) in keep for i in range(self.n_parties)),
        )

    def without(self, demands: Iterable[Demand]) -> Problem:
        drop = set(demands)
        return self.only(d for d in self.demands() if d not in drop)

    def with_fixed(self, fixed: Mapping[int, int]) -> Problem:
        return replace(self, fixed={**self.fixed, **fixed})

    # -- words --------------------------------------------------------------------
    def describe(self, demand: Demand) -> str:
        """A demand in the negotiators' words."""
        if isinstance(demand, ReservationDemand):
            return (
                f"{self.party_names[demand.party]}'s reservation value {self.reservation[demand.party]:.4g}"
            )
        point = demand.point
        option = self.option_texts[point][demand.column - int(self.offsets[point])]
        where = f"point {self.point_numbers[point]} ({self.point_titles[point]})"
        if isinstance(demand, RedLineDemand):
            return f"{self.party_names[demand.party]}'s red line on {where}: option '{option}'"
        target = demand.requires_point
        offsets = self.offsets
        needed = " or ".join(
            f"'{self.option_texts[target][c - int(offsets[target])]}'" for c in demand.requires
        )
        return (
            f"{self.party_names[demand.party]}'s link: '{option}' on {where} only with {needed} "
            f"on point {self.point_numbers[target]} ({self.point_titles[target]})"
        )


def compile_problem(
    negotiation: Negotiation,
    *,
    parties: Sequence[str] | None = None,
    draft: Draft | None = None,
    fix_points: Iterable[str] = (),
) -> Problem:
    """Compile a negotiation for the engine.

    ``parties`` defaults to the negotiating parties (role ``party``) that have
    preferences. ``draft`` with ``fix_points`` fixes those points to the draft's
    choice (every other point stays open).
    """
    chosen: list[Party]
    if parties is None:
        chosen = [p for p in negotiation.negotiating_parties if p.id in negotiation.preferences]
    else:
        chosen = [negotiation.party(p) for p in parties]
        missing = [p.id for p in chosen if p.id not in negotiation.preferences]
        if missing:
            raise DomainError(f"no preferences for {', '.join(missing)}")
    if not chosen:
        raise DomainError("no party with preferences to compute a compromise for")
    points = sorted(negotiation.points, key=lambda p: p.number)
    columns = [(p, o) for p in points for o in p.options]
    utility = np.zeros((len(chosen), len(columns)))
    for i, party in enumerate(chosen):
        prefs = negotiation.preferences[party.id]
        utility[i] = [prefs.weight(p.id) * prefs.score(p.id, o.key) for p, o in columns]
    column_of = {(p.id, o.key): c for c, (p, o) in enumerate(columns)}
    index_of = {p.id: n for n, p in enumerate(points)}
    red_lines = []
    links = []
    for i, party in enumerate(chosen):
        prefs = negotiation.preferences[party.id]
        for red in prefs.red_lines:
            red_lines.append(RedLineDemand(i, index_of[red.point], column_of[(red.point, red.option)]))
        for link in prefs.links:
            links.append(
                LinkDemand(
                    i,
                    index_of[link.point],
                    column_of[(link.point, link.option)],
                    index_of[link.requires_point],
                    tuple(column_of[(link.requires_point, o)] for o in link.requires_options),
                )
            )
    fixed = {}
    for point_id in fix_points:
        if draft is None:
            raise DomainError("points can only be fixed to a draft's choice")
        choice = draft.choices.get(point_id)
        if choice is None or choice.option is None:
            raise DomainError(f"draft {draft.version} chooses no option on point {point_id!r}")
        fixed[index_of[point_id]] = column_of[(point_id, choice.option)]
    return Problem(
        parties=tuple(p.id for p in chosen),
        party_names=tuple(p.name for p in chosen),
        points=tuple(p.id for p in points),
        point_titles=tuple(p.title for p in points),
        point_numbers=tuple(p.number for p in points),
        options=tuple(p.option_keys for p in points),
        option_texts=tuple(tuple(o.text for o in p.options) for p in points),
        utility=utility,
        reservation=np.array([negotiation.preferences[p.id].reservation_value for p in chosen]),
        red_lines=tuple(red_lines),
        links=tuple(links),
        reservations_active=(True,) * len(chosen),
        fixed=fixed,
        power=tuple(negotiation.power_of(p.id) for p in chosen),
    )


def draft_columns(problem: Problem, draft: Draft) -> IntArray:
    """The draft as a package; every point must carry one of its options."""
    texts: list[str] = []
    dropped: list[str] = []
    for k, point in enumerate(problem.points):
        choice = draft.choices.get(point)
        if choice is None or choice.option is None:
            named = f"{problem.point_numbers[k]} ({problem.point_titles[k]})"
            (dropped if choice is None else texts).append(named)
    if texts or dropped:
        said = []
        if texts:
            said.append(
                f"leaves point{'s' if len(texts) > 1 else ''} {', '.join(texts)} to a text of its own"
            )
        if dropped:
            said.append(f"does not hold point{'s' if len(dropped) > 1 else ''} {', '.join(dropped)}")
        raise DomainError(
            f"draft {draft.version} {' and '.join(said)}, so it is no package of options to compare; "
            "amend it to an option on every point, or compare another draft"
        )
    return problem.columns(draft.package())
