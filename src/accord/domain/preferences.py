"""A party's private preferences, and the additive utility they define.

Convention (documented in docs/scenario-format.md):
u_party(package) = sum over points of weight(point) * score(point, option),
with weights normalised to sum to 1 and scores divided by the declared score
scale so they lie in [0, 1]; every utility therefore lies in [0, 1]. A profile
imported from GENIUS keeps GENIUS's values: each evaluation divided by the
largest evaluation of its issue, so results compare exactly with GENIUS/NegMAS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from accord.domain.negotiation import Package
from accord.errors import DomainError


@dataclass(frozen=True)
class RedLine:
    """An option the party can never accept (a core demand seen from the other side)."""

    point: str
    option: str
    note: str | None = None


@dataclass(frozen=True)
class Link:
    """ "Option ``option`` on ``point`` only if ``requires_point`` is one of ``requires_options``."""

    point: str
    option: str
    requires_point: str
    requires_options: tuple[str, ...]
    note: str | None = None

    def holds(self, package: Package) -> bool:
        if package.get(self.point) != self.option:
            return True
        return package.get(self.requires_point) in self.requires_options


@dataclass(frozen=True)
class Distribution:
    """How uncertain one estimate is: uniform on [low, high] (written as ``range`` or ``uniform``),
    triangular with a ``mode``, or normal (``mean``, ``sd``) truncated to [low, high]."""

    kind: str  # "range", "uniform", "triangular" or "normal"
    low: float
    high: float
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None


@dataclass(frozen=True)
class Uncertainty:
    """What a party's estimates may really be. ``dirichlet``: the weights vary together as a Dirichlet
    with this concentration around the estimated weights; else ``weights`` may give a distribution per
    point (on the weights' own scale, normalised after sampling). Scores are on the party's scale."""

    dirichlet: float | None = None
    weights: Mapping[str, Distribution] = field(default_factory=dict)
    scores: Mapping[str, Mapping[str, Distribution]] = field(default_factory=dict)
    reservation_value: Distribution | None = None


@dataclass(frozen=True)
class Preferences:
    """One party's private preferences over the framework.

    ``weights`` and ``scores`` are kept as written (any positive weight scale,
    scores on ``[0, score_scale]``) so a file round-trips exactly; the
    normalised values used for utilities come from :meth:`weight` and :meth:`score`.
    """

    party: str
    weights: Mapping[str, float]
    scores: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    score_scale: float = 1.0
    red_lines: tuple[RedLine, ...] = ()
    reservation_value: float = 0.0
    links: tuple[Link, ...] = ()
    basis: str | None = None
    uncertainty: Uncertainty | None = None

    @property
    def total_weight(self) -> float:
        return float(sum(self.weights.values()))

    def weight(self, point: str) -> float:
        """The point's share of the party's concern, normalised so all weights sum to 1."""
        total = self.total_weight
        if total <= 0:
            raise DomainError(f"party {self.party!r} has no positive weight")
        return self.weights.get(point, 0.0) / total

    def score(self, point: str, option: str) -> float:
        """How much the party likes ``option`` on ``point``, on [0, 1]; unscored options count 0."""
        return self.scores.get(point, {}).get(option, 0.0) / self.score_scale

    def utility(self, package: Package) -> float:
        """Additive utility of a package (a partial package counts missing points as 0)."""
        return sum(self.weight(p) * self.score(p, o) for p, o in package.items())

    def is_red_line(self, point: str, option: str) -> bool:
        return any(r.point == point and r.option == option for r in self.red_lines)

    def broken_red_lines(self, package: Package) -> tuple[RedLine, ...]:
        return tuple(r for r in self.red_lines if package.get(r.point) == r.option)

    def broken_links(self, package: Package) -> tuple[Link, ...]:
        return tuple(link for link in self.links if not link.holds(package))

    def accepts(self, package: Package) -> bool:
        """True when the package breaks no red line or link and beats the reservation value."""
        return (
            not self.broken_red_lines(package)
            and not self.broken_links(package)
            and self.utility(package) >= self.reservation_value
        )
