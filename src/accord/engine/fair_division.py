"""Adjusted Winner (Brams & Taylor 1996): a two-party division that is envy-free, equitable and efficient.

Each side spreads the same number of points (usually 100) over the items.

1. Every item goes first to the side that bids more on it.
2. The side ahead (more of its own points) then hands items to the other side,
   in ascending order of (its bid / the other's bid): the items it gains least
   from keeping compared with what the other side gains by receiving them.
3. The first item whose whole transfer would put the other side ahead is
   split so that both sides end with exactly the same number of their own points.

The arithmetic is exact (``fractions.Fraction``): the split of Camp David's
Sinai is 5/6 to Egypt, not 0.8333333.

Tie rule. An item both sides bid the same on goes first to side A (the first
name). Its ratio is 1, the smallest a side can have on an item it won, so if A
ends up ahead the tied items are the first it hands over; if B is ahead they
stay with A. Among items with the same ratio, the one listed first moves first.
Any tie rule gives the same final totals (the equitable point of the Pareto
frontier is unique); the rule only decides which tied item changes hands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from accord.domain import Negotiation
from accord.errors import EngineError

Bid = Fraction | int | str
"""A bid as the caller has it; a string is read exactly ("12.5" is 25/2)."""

SCALE = 100
"""The points each side spreads when a scenario's weights are rescaled."""


@dataclass(frozen=True)
class AdjustedWinner:
    """The outcome of Adjusted Winner.

    ``allocation[item]`` is (share to A, share to B), the two summing to 1.
    ``totals`` are each side's points counted by its own bids; they are equal.
    ``initial_winner`` is the side ahead after step 1 (None when already level);
    ``transfers`` the items it handed over whole, in order; the split item, if
    any, is not among them.
    """

    names: tuple[str, str]
    allocation: dict[str, tuple[Fraction, Fraction]]
    split_item: str | None
    split: tuple[Fraction, Fraction] | None
    totals: tuple[Fraction, Fraction]
    initial_winner: str | None
    transfers: list[str]
    initial_allocation: dict[str, str]  # item -> name of the side that won it in step 1

    def bundle(self, name: str) -> dict[str, Fraction]:
        """The items (with the share) a side ends up with."""
        side = self._side(name)
        return {item: shares[side] for item, shares in self.allocation.items() if shares[side] > 0}

    def _side(self, name: str) -> int:
        if name not in self.names:
            raise EngineError(
                f"no side named {name!r}; the sides are {self.names[0]!r} and {self.names[1]!r}"
            )
        return self.names.index(name)


def adjusted_winner(
    items: Sequence[str],
    bids_a: Sequence[Bid],
    bids_b: Sequence[Bid],
    names: tuple[str, str] = ("A", "B"),
) -> AdjustedWinner:
    """Divide ``items`` between two sides by Adjusted Winner (see the module docstring)."""
    items = list(items)
    a, b = _check(items, bids_a, bids_b, names)
    bids = (a, b)
    # Step 1: each item to the higher bidder; a tie goes to A (see the tie rule above).
    owner = {item: 0 if a[k] >= b[k] else 1 for k, item in enumerate(items)}
    share_to_a = {item: Fraction(1 - owner[item]) for item in items}
    initial_allocation = {item: names[owner[item]] for item in items}
    totals = [
        sum((a[k] for k, item in enumerate(items) if owner[item] == 0), Fraction(0)),
        sum((b[k] for k, item in enumerate(items) if owner[item] == 1), Fraction(0)),
    ]
    if totals[0] == totals[1]:
        return _result(names, items, share_to_a, None, totals, None, [], initial_allocation)
    ahead = 0 if totals[0] > totals[1] else 1
    behind = 1 - ahead
    # Step 2: hand over the items the side ahead values least relative to the other side.
    # An item the other side bids 0 on comes last (infinite ratio); it is never reached,
    # because the sides' equal point budgets make the lead vanish before it.
    held = [k for k, item in enumerate(items) if owner[item] == ahead]
    held.sort(key=lambda k: (bids[behind][k] == 0, _ratio(bids[ahead][k], bids[behind][k]), k))
    transfers: list[str] = []
    for k in held:
        item = items[k]
        lead = totals[ahead] - totals[behind]
        swing = bids[ahead][k] + bids[behind][k]
        if swing <= lead:
            # the whole item can move without putting the other side ahead
            totals[ahead] -= bids[ahead][k]
            totals[behind] += bids[behind][k]
            share_to_a[item] = Fraction(1) if behind == 0 else Fraction(0)
            transfers.append(item)
            if swing == lead:
                return _result(
                    names, items, share_to_a, None, totals, names[ahead], transfers, initial_allocation
                )
            continue
        # Step 3: give away just the fraction that levels the totals:
        # totals[ahead] - x * bid_ahead = totals[behind] + x * bid_behind.
        given = lead / swing
        totals[ahead] -= given * bids[ahead][k]
        totals[behind] += given * bids[behind][k]
        share_to_a[item] = given if behind == 0 else 1 - given
        return _result(names, items, share_to_a, item, totals, names[ahead], transfers, initial_allocation)
    # Unreachable with equal budgets (see above); kept so a broken invariant fails loudly.
    raise EngineError("Adjusted Winner could not level the totals; the bids do not have equal sums")


def adjusted_winner_for(negotiation: Negotiation, party_a: str, party_b: str) -> AdjustedWinner:
    """Adjusted Winner over a scenario's points in dispute, each party bidding its weights as written.

    Items are the point ids in point-number order, less the points on which the two parties prefer the
    same option (:func:`common_ground`: no one's to win, both have their way there); the sides are named
    by party id. Scores only decide which points are in dispute: Adjusted Winner treats each point as
    won or lost whole (or split). Weights are read exactly from their decimal form; when points were
    left out or the two sides' weights total differently, both are rescaled to 100 so the budgets match.
    """
    items, bids_a, bids_b = bids_of(negotiation, party_a, party_b)
    return adjusted_winner(items, bids_a, bids_b, names=(party_a, party_b))


def common_ground(negotiation: Negotiation, party_a: str, party_b: str) -> list[str]:
    """The points (ids, in point-number order) on which an option is most preferred by both parties:
    giving either its way there gives the other its way too, so there is nothing to divide. A point one
    of them scored no option on is in dispute (nothing says it would be content)."""
    return list(shared_favourites(negotiation, party_a, party_b))


def shared_favourites(negotiation: Negotiation, party_a: str, party_b: str) -> dict[str, tuple[str, ...]]:
    """Per point of :func:`common_ground` (in point-number order), the options (keys, in the point's
    order) both parties prefer most."""
    agreed: dict[str, tuple[str, ...]] = {}
    for point in sorted(negotiation.points, key=lambda p: p.number):
        tops = []
        for party in (party_a, party_b):
            prefs = negotiation.preferences.get(party)
            scores = prefs.scores.get(point.id, {}) if prefs is not None else {}
            scored = {o.key: scores[o.key] for o in point.options if o.key in scores}
            best = max(scored.values(), default=None)
            tops.append({key for key, value in scored.items() if value == best})
        if shared := tops[0] & tops[1]:
            agreed[point.id] = tuple(o.key for o in point.options if o.key in shared)
    return agreed


def bids_of(
    negotiation: Negotiation, party_a: str, party_b: str
) -> tuple[list[str], list[Fraction], list[Fraction]]:
    """The points in dispute (ids, in point-number order) and each party's bids on them, as
    :func:`adjusted_winner_for` reads them from the weights (rescaled to 100 when points were left out
    or the totals differ)."""
    if party_a == party_b:
        raise EngineError("Adjusted Winner needs two different parties")
    points = sorted(negotiation.points, key=lambda p: p.number)
    names = []
    for party in (party_a, party_b):
        names.append(negotiation.party(party).name)  # an unknown party is a DomainError, as everywhere else
        if negotiation.preferences.get(party) is None:
            raise EngineError(
                f"party {party!r} has no preferences, so no point allocation to bid with", party=party
            )
    agreed = set(common_ground(negotiation, party_a, party_b))
    items = [p.id for p in points if p.id not in agreed]
    if not items:
        raise EngineError(
            f"{names[0]} and {names[1]} prefer the same option on every point: nothing is in dispute, "
            "so there is nothing to divide"
        )
    sides = []
    for party in (party_a, party_b):
        prefs = negotiation.preferences[party]
        sides.append([Fraction(str(prefs.weights.get(p, 0))) for p in items])
    totals = [sum(side, Fraction(0)) for side in sides]
    for party, name, total in zip((party_a, party_b), names, totals, strict=True):
        if total <= 0:
            raise EngineError(
                f"{name} puts no weight on the {len(items)} point{'s' if len(items) > 1 else ''} in "
                "dispute, so it has nothing to bid with",
                party=party,
            )
    if totals[0] != totals[1] or agreed:
        sides = [[w * SCALE / total for w in side] for side, total in zip(sides, totals, strict=True)]
    return items, sides[0], sides[1]


def _ratio(keeper: Fraction, receiver: Fraction) -> Fraction:
    return keeper / receiver if receiver else Fraction(0)


def _check(
    items: list[str], bids_a: Sequence[Bid], bids_b: Sequence[Bid], names: tuple[str, str]
) -> tuple[list[Fraction], list[Fraction]]:
    if len(names) != 2 or names[0] == names[1]:
        raise EngineError(f"Adjusted Winner needs two different side names, got {names!r}")
    if not items:
        raise EngineError("Adjusted Winner needs at least one item to divide")
    if len(set(items)) != len(items):
        twice = sorted({i for i in items if items.count(i) > 1})
        raise EngineError(f"items must be distinct; listed more than once: {', '.join(twice)}")
    sides = []
    for name, bids in zip(names, (bids_a, bids_b), strict=True):
        if len(bids) != len(items):
            raise EngineError(f"{name} bids on {len(bids)} items; expected one bid for each of {len(items)}")
        exact = [_exact(name, bid) for bid in bids]
        negative = [item for item, bid in zip(items, exact, strict=True) if bid < 0]
        if negative:
            raise EngineError(f"{name}'s bids must not be negative; negative on: {', '.join(negative)}")
        sides.append(exact)
    total_a, total_b = (sum(side, Fraction(0)) for side in sides)
    if total_a <= 0:
        raise EngineError(f"{names[0]}'s bids total {total_a}; each side must spread a positive total")
    if total_a != total_b:
        raise EngineError(
            f"the sides must spread the same total: {names[0]} bids {total_a}, {names[1]} bids {total_b}"
        )
    return sides[0], sides[1]


def _exact(name: str, bid: object) -> Fraction:
    # bool is an int subclass and float is inexact: both are mistakes here, so say so.
    if isinstance(bid, bool) or not isinstance(bid, Fraction | int | str):
        hint = f" (pass {str(bid)!r} as a string to read it exactly)" if isinstance(bid, float) else ""
        raise EngineError(f"{name}'s bid {bid!r} is not a Fraction, int or str{hint}")
    try:
        return Fraction(bid)
    except (ValueError, ZeroDivisionError):
        raise EngineError(f"{name}'s bid {bid!r} is not a number") from None


def _result(
    names: tuple[str, str],
    items: list[str],
    share_to_a: dict[str, Fraction],
    split_item: str | None,
    totals: list[Fraction],
    initial_winner: str | None,
    transfers: list[str],
    initial_allocation: dict[str, str],
) -> AdjustedWinner:
    split = None
    if split_item is not None:
        split = (share_to_a[split_item], 1 - share_to_a[split_item])
    return AdjustedWinner(
        names=names,
        allocation={item: (share_to_a[item], 1 - share_to_a[item]) for item in items},
        split_item=split_item,
        split=split,
        totals=(totals[0], totals[1]),
        initial_winner=initial_winner,
        transfers=transfers,
        initial_allocation=initial_allocation,
    )
