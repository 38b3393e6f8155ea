"""Random small negotiation problems, small enough for the brute-force reference."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from accord.engine.problem import LinkDemand, Problem, RedLineDemand


@st.composite
def problems(
    draw: st.DrawFn,
    min_parties: int = 2,
    max_parties: int = 4,
    max_points: int = 6,
    max_options: int = 4,
    demands: bool = True,
) -> Problem:
    n_parties = draw(st.integers(min_parties, max_parties))
    n_points = draw(st.integers(1, max_points))
    sizes = [draw(st.integers(1, max_options)) for _ in range(n_points)]
    n_columns = sum(sizes)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    # integer scores make ties common, which is where tie-breaking and tolerances are tested
    integer = draw(st.booleans())
    utility = np.zeros((n_parties, n_columns))
    for i in range(n_parties):
        weights = np.array([draw(st.integers(0, 10)) for _ in range(n_points)], dtype=float)
        if weights.sum() == 0:
            weights[0] = 1
        weights /= weights.sum()
        for p in range(n_points):
            for o in range(sizes[p]):
                score = draw(st.integers(0, 10)) / 10 if integer else draw(st.floats(0, 1))
                utility[i, offsets[p] + o] = weights[p] * score
    red_lines: list[RedLineDemand] = []
    links: list[LinkDemand] = []
    reservation = np.zeros(n_parties)
    if demands:
        for _ in range(draw(st.integers(0, 3))):
            column = draw(st.integers(0, n_columns - 1))
            point = int(np.searchsorted(offsets, column, side="right") - 1)
            red = RedLineDemand(draw(st.integers(0, n_parties - 1)), point, column)
            if red not in red_lines:
                red_lines.append(red)
        if n_points >= 2:
            for _ in range(draw(st.integers(0, 2))):
                p, q = draw(st.lists(st.integers(0, n_points - 1), min_size=2, max_size=2, unique=True))
                column = int(offsets[p]) + draw(st.integers(0, sizes[p] - 1))
                options = draw(
                    st.lists(st.integers(0, sizes[q] - 1), min_size=1, max_size=sizes[q], unique=True)
                )
                links.append(
                    LinkDemand(
                        draw(st.integers(0, n_parties - 1)),
                        p,
                        column,
                        q,
                        tuple(int(offsets[q]) + o for o in sorted(options)),
                    )
                )
        reservation = np.array([draw(st.sampled_from([0.0, 0.1, 0.25, 0.4, 0.55])) for _ in range(n_parties)])
    return Problem(
        parties=tuple(f"party{i}" for i in range(n_parties)),
        party_names=tuple(f"Party {i}" for i in range(n_parties)),
        points=tuple(f"p{p}" for p in range(n_points)),
        point_titles=tuple(f"Point {p + 1}" for p in range(n_points)),
        point_numbers=tuple(range(1, n_points + 1)),
        options=tuple(tuple(f"o{o}" for o in range(s)) for s in sizes),
        option_texts=tuple(tuple(f"Option {o}" for o in range(s)) for s in sizes),
        utility=utility,
        reservation=reservation,
        red_lines=tuple(red_lines),
        links=tuple(links),
        reservations_active=(True,) * n_parties,
    )


@st.composite
def powered_problems(
    draw: st.DrawFn, max_parties: int = 4, max_points: int = 6, max_options: int = 4
) -> Problem:
    """A random small problem whose parties have random bargaining powers (Kalai 1977)."""
    problem = draw(problems(max_parties=max_parties, max_points=max_points, max_options=max_options))
    powers = [
        draw(st.one_of(st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0, 10.0]), st.floats(0.1, 8.0)))
        for _ in range(problem.n_parties)
    ]
    return problem.with_power(dict(zip(problem.parties, powers, strict=True)))
