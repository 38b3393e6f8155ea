"""Adjusted Winner (Brams & Taylor 1996) in words: who gets each point, how much each bid on it, why
it moved, and what getting it means in the text (the party's most preferred option on the point).

`accord adjusted-winner` prints the allocation as a table; the workbench's page says the same in
sentences, with the option texts, from this one view.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from accord.domain import Negotiation, Option, Point
from accord.engine.fair_division import AdjustedWinner, adjusted_winner, bids_of, shared_favourites
from accord.wording import possessive


@dataclass(frozen=True)
class PointShare:
    """One point as Adjusted Winner divides it: the shares and bids are (party A's, party B's)."""

    number: int
    point: str
    title: str
    shares: tuple[Fraction, Fraction]
    bids: tuple[Fraction, Fraction]
    favourites: tuple[Option | None, Option | None]  # each party's most preferred option on the point
    words: str  # who gets it and why, in a sentence
    in_the_text: str  # what that means for the text: whose option, or a formulation between the two


@dataclass(frozen=True)
class CommonGround:
    """A point on which both parties prefer the same option: left out of the division."""

    number: int
    point: str
    title: str
    option: Option  # the option both prefer most (the first of them, when they share several)
    indifferent: tuple[str, ...] = ()  # the names of those with no preference among the point's options

    @property
    def said(self) -> str:
        """The point in words: "5. Jerusalem: “…”", and who has no preference there."""
        words = f"{self.number}. {self.title}: “{self.option.text}”"
        if len(self.indifferent) == 2:
            return words + " (neither has a preference among the options)"
        if self.indifferent:
            return words + f" ({self.indifferent[0]} has no preference among the options)"
        return words


@dataclass(frozen=True)
class AdjustedWinnerView:
    parties: tuple[str, str]  # ids
    names: tuple[str, str]
    points: tuple[PointShare, ...]
    totals: tuple[Fraction, Fraction]
    rescaled: bool  # the weights were rescaled to 100 each (points left out, or their totals differed)
    summary: tuple[str, ...]  # how the division came about, sentence by sentence
    result: AdjustedWinner
    agreed: tuple[CommonGround, ...] = ()  # points not divided: both prefer the same option there
    # where a party's way on a point it gets is the other's red line: Adjusted Winner weighs points,
    # it knows no red lines, so the division cannot be written into the text as it stands there
    red_lines: tuple[str, ...] = ()


def number(value: Fraction) -> str:
    """A bid: whole, or to two decimals."""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


def exact(value: Fraction) -> str:
    """A total, exactly (with its decimal when it is a fraction)."""
    return str(value) if value.denominator == 1 else f"{value} ≈ {float(value):.2f}"


def share(value: Fraction) -> str:
    """A share of a point: exact, with its percentage when it is a fraction."""
    if value in (0, 1):
        return "all" if value == 1 else "none"
    return f"{value} ({float(value):.0%})"


def _favourite(negotiation: Negotiation, party: str, point: Point) -> Option | None:
    scores = negotiation.preferences[party].scores.get(point.id, {})
    best = max((scores.get(o.key, float("-inf")) for o in point.options), default=float("-inf"))
    if best == float("-inf"):
        return None
    return next(o for o in point.options if scores.get(o.key) == best)


def adjusted_winner_view(negotiation: Negotiation, party_a: str, party_b: str) -> AdjustedWinnerView:
    """Adjusted Winner between two parties over the negotiation's points, their weights the bids."""
    a, b = negotiation.party(party_a).id, negotiation.party(party_b).id
    items, bids_a, bids_b = bids_of(negotiation, a, b)
    result = adjusted_winner(items, bids_a, bids_b, names=(a, b))
    names = (negotiation.party(a).name, negotiation.party(b).name)
    by_id = {p.id: p for p in negotiation.points}
    rows = []
    for k, item in enumerate(items):
        point = by_id[item]
        shares = result.allocation[item]
        bids = (bids_a[k], bids_b[k])
        favourites = (_favourite(negotiation, a, point), _favourite(negotiation, b, point))
        rows.append(
            PointShare(
                number=point.number,
                point=item,
                title=point.title,
                shares=shares,
                bids=bids,
                favourites=favourites,
                words=_who_gets(result, item, names, bids),
                in_the_text=_in_the_text(shares, names, favourites),
            )
        )
    written = [[Fraction(str(negotiation.preferences[p].weights.get(i, 0))) for i in items] for p in (a, b)]
    rescaled = written != [list(bids_a), list(bids_b)]
    agreed = tuple(
        _common(negotiation, a, b, by_id[item], options[0])
        for item, options in shared_favourites(negotiation, a, b).items()
    )
    return AdjustedWinnerView(
        parties=(a, b),
        names=names,
        points=tuple(rows),
        totals=result.totals,
        rescaled=rescaled,
        summary=_summary(
            result, names, {p.point: p for p in rows}, sum(bids_a, Fraction(0)), rescaled, agreed
        ),
        result=result,
        agreed=agreed,
        red_lines=_red_lines_crossed(negotiation, (a, b), names, rows),
    )


def _red_lines_crossed(
    negotiation: Negotiation, parties: tuple[str, str], names: tuple[str, str], rows: list[PointShare]
) -> tuple[str, ...]:
    """Each point a party gets (whole or in part) whose option it prefers most is a red line of the
    other, in words."""
    said = []
    for row in rows:
        for side in (0, 1):
            favourite, other = row.favourites[side], 1 - side
            if favourite is None or row.shares[side] == 0:
                continue
            lines = negotiation.preferences[parties[other]].red_lines
            if any(line.point == row.point and line.option == favourite.key for line in lines):
                way = f"{possessive(names[side])} way there, “{favourite.text}”"
                said.append(f"Point {row.number} ({row.title}): {way}, is a red line of {names[other]}.")
    return tuple(said)


def _common(negotiation: Negotiation, a: str, b: str, point: Point, option: str) -> CommonGround:
    indifferent = []
    for party in (a, b):
        scores = negotiation.preferences[party].scores.get(point.id, {})
        if len({scores[o.key] for o in point.options if o.key in scores}) == 1 and len(point.options) > 1:
            indifferent.append(negotiation.party(party).name)
    return CommonGround(point.number, point.id, point.title, point.option(option), tuple(indifferent))


def _who_gets(result: AdjustedWinner, item: str, names: tuple[str, str], bids: tuple[Fraction, ...]) -> str:
    first = names[result.names.index(result.initial_allocation[item])]
    bid = f"{names[0]} bid {number(bids[0])}, {names[1]} {number(bids[1])}"
    if item == result.split_item:
        x, y = result.allocation[item]
        return (
            f"Split: {share(x)} to {names[0]}, {share(y)} to {names[1]}; first {first}'s ({bid}), "
            "divided so that both end with exactly as many of their own points."
        )
    x, _ = result.allocation[item]
    owner = names[0] if x == 1 else names[1]
    if item in result.transfers:
        return (
            f"To {owner}, handed over by {first}, which won it first ({bid}) but values it least "
            f"against {owner}."
        )
    if bids[0] == bids[1] == 0:
        return f"To {owner}: neither party bid on it (a tie goes to the first party chosen)."
    if bids[0] == bids[1]:
        return f"To {owner}: both bid {number(bids[0])} (a tie goes to the first party chosen)."
    return f"To {owner}, which bid more on it ({bid})."


def _in_the_text(
    shares: tuple[Fraction, Fraction], names: tuple[str, str], favourites: tuple[Option | None, Option | None]
) -> str:
    def said(side: int) -> str:
        option = favourites[side]
        return f"“{option.text}”" if option is not None else "(no option scored)"

    if shares[0] == 1 or shares[1] == 1:
        side = 0 if shares[0] == 1 else 1
        return f"{names[side]}'s way: its most preferred option, {said(side)}"
    if favourites[0] is not None and favourites[0] == favourites[1]:
        return f"Both prefer {said(0)}"
    return f"A formulation between {names[0]}'s {said(0)} and {names[1]}'s {said(1)}"


def _summary(
    result: AdjustedWinner,
    names: tuple[str, str],
    rows: dict[str, PointShare],
    budget: Fraction,
    rescaled: bool,
    agreed: tuple[CommonGround, ...] = (),
) -> tuple[str, ...]:
    def point(item: str) -> str:
        return f"{rows[item].number} ({rows[item].title})"

    ta = result.totals[0]  # equal to the second
    said = []
    if agreed:
        listed = (
            "point"
            + ("s " if len(agreed) > 1 else " ")
            + ", ".join(f"{c.number} ({c.title})" for c in agreed)
            if len(agreed) <= 3
            else f"{len(agreed)} points (listed apart)"
        )
        unsure = " (or one has no preference among the options)" if any(c.indifferent for c in agreed) else ""
        said.append(
            f"On {listed} both prefer the same option{unsure}: giving one its way there gives the other "
            "its way too, so there is nothing to divide, and "
            f"{'they are' if len(agreed) > 1 else 'it is'} left out."
        )
    why = (
        "both rescaled to 100"
        if agreed
        else "both rescaled to 100, as the two parties' weights total differently"
    )
    where = "the points in dispute" if agreed else "the points of the framework"
    said += [
        f"Each party spreads {number(budget)} points over {where}: its weights are its bids"
        + (f" ({why})." if rescaled else "."),
        "Every point first went to the party that bid more on it.",
    ]
    if result.initial_winner is None:
        said.append("That left the two level at once; nothing changed hands.")
    else:
        ahead = names[result.names.index(result.initial_winner)]
        behind = names[1 - result.names.index(result.initial_winner)]
        moved = [point(i) for i in result.transfers]
        handed = f"handed over point{'s' if len(moved) > 1 else ''} {', '.join(moved)} whole" if moved else ""
        split = f"split point {point(result.split_item)}" if result.split_item else ""
        what = " and ".join(x for x in (handed, split) if x)
        several = len(moved) + bool(split) > 1
        which, them = ("those", "them") if several else ("the one", "it")
        said.append(
            f"That put {ahead} ahead, so {ahead} {what}: {which} it values least against what {behind} "
            f"gains by receiving {them}."
        )
    said.append(
        f"Both end with exactly {exact(ta)} of their own {number(budget)} points: neither would swap its "
        "share for the other's (envy-free), and no other division gives both more (efficient)."
    )
    return tuple(said)
