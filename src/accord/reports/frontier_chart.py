"""The Pareto frontier as Vega-Lite specifications (written with Altair): one definition for the
browser (hover a package to read it in words, click it to compare it with the latest draft) and for
the SVG and PNG files of the CLI and the pages (accord.reports.vega draws them).

- :func:`frontier_chart`: the frontier projected on two parties. In the browser the two parties are
  chosen from two lists; drawn to a file, every pair of parties gets its own panel.
- :func:`parallel_chart`: every party at once (three parties or more): one line per package across
  one axis per party.

Each package is a row of data: its name, each party's utility (``u0``, ``u1``, ...), the text of its
option on each point (``t0``, ``t1``, ...: the words, never the keys) and, in the browser, ``href``:
the page it opens when clicked. Altair is imported when a chart is built, not with accord.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from accord.engine.conflicts import broken_requirements
from accord.engine.frontier import Frontier
from accord.engine.problem import Problem
from accord.errors import AccordError, DomainError
from accord.reports.chart_labels import place_labels
from accord.reports.charts import OKABE_ITO
from accord.reports.vega import Spec, with_rows

PACKAGE = "Pareto-optimal package"
FRONTIER_COLOUR = OKABE_ITO[0]
RESERVATION_COLOUR = OKABE_ITO[1]
# the marked packages: Okabe-Ito colours other than the frontier's blue and the reservation values'
# vermilion (the sky blue, near the frontier's blue, last), each with its own symbol and, across the
# parties, its own dash (colour is never the only thing that tells them apart)
MARK_COLOURS = (OKABE_ITO[3], OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[6], OKABE_ITO[7], OKABE_ITO[5])
MARK_SHAPES = ("diamond", "square", "triangle-up", "cross", "triangle-down", "star")
MARK_DASHES = ([8, 3], [14, 3, 3, 3], [20, 5], [8, 3, 2, 3, 2, 3], [5, 5], [20, 4, 4, 4])
# a marked package that breaks demands (red lines, links, reservation values): no frontier package
# does, so it may lie beyond the frontier; it is drawn as an X in vermilion, dotted across the parties,
# and its legend entry says how many demands it breaks, so it never passes for a better package
BREAKS_COLOUR = OKABE_ITO[1]
BREAKS_SHAPE = (  # an X (a filled path: a symbol in the legend too), in Vega's unit square
    "M-0.85,-0.57L-0.57,-0.85L0,-0.28L0.57,-0.85L0.85,-0.57L0.28,0L0.85,0.57L0.57,0.85L0,0.28"
    "L-0.57,0.85L-0.85,0.57L-0.28,0Z"
)
BREAKS_DASH = [2, 3]
WIDTH = 460
HEIGHT = 360
PANEL = 260  # a panel's side when every pair of parties is drawn
LEADER_FROM = 12.0  # pixels: a label set this far from its spot or further gets a thin line to it


@dataclass(frozen=True)
class Mark:
    """A package to mark on the frontier (a concept's choice, the latest draft): its name as people
    say it, each party's utility, and its columns when known (then it is shown in words too)."""

    name: str
    utilities: Sequence[float]
    columns: Sequence[int] | None = None
    breaks: int | None = None  # the demands it breaks; None: counted from its columns (0 without them)
    linked: bool = True  # False: no link to its comparison (the latest draft, compared with itself)


def breaks_of(problem: Problem, mark: Mark) -> int:
    """How many demands ``mark`` breaks (red lines, links, reservation values), as the diagnosis
    counts them: given, or counted from its columns."""
    if mark.breaks is not None:
        return mark.breaks
    if mark.columns is None:
        return 0
    try:
        return len(broken_requirements(problem, [int(c) for c in mark.columns]))
    except DomainError:  # it changes a fixed point: not a package the frontier could hold either
        return 1


def mark_kind(name: str, breaks: int) -> str:
    """A mark's name in the legend: 'draft 4 (E): breaks 5 demands' when it breaks any."""
    return f"{name}: breaks {breaks} demand{'' if breaks == 1 else 's'}" if breaks else name


def package_rows(problem: Problem, frontier: Frontier, marks: Sequence[Mark] = ()) -> list[dict[str, Any]]:
    """The chart's data: a row per frontier package, then a row per mark (``kind``: its name, and the
    demands it breaks if any; ``label``: the words written beside it)."""
    for mark in marks:
        if len(mark.utilities) != problem.n_parties:
            raise AccordError(
                f"mark {mark.name!r} has {len(mark.utilities)} utilities; "
                f"expected one per party ({problem.n_parties})"
            )
    rows: list[dict[str, Any]] = []
    named: list[tuple[str, str, Sequence[float], Sequence[int] | None]]
    named = [
        (f"package {k + 1}", PACKAGE, [float(u) for u in point], columns)
        for k, (point, columns) in enumerate(zip(frontier.points, frontier.packages, strict=True))
    ]
    named += [(m.name, mark_kind(m.name, breaks_of(problem, m)), m.utilities, m.columns) for m in marks]
    unlinked = {m.name for m in marks if not m.linked}
    for name, kind, utilities, columns in named:
        row: dict[str, Any] = {"name": name, "kind": kind}
        if kind != PACKAGE:  # a mark: named with the demands it breaks, if any
            row.update(name=kind, label=kind.replace(f"{name}: ", f"{name}\n", 1))
            if name in unlinked:
                row["unlinked"] = True
        row.update({f"u{i}": round(float(u), 4) for i, u in enumerate(utilities)})
        if columns is not None:
            chosen = [int(c) for c in columns]
            offsets = problem.offsets
            for j, column in enumerate(chosen):
                row[f"o{j}"] = column - int(offsets[j])  # its text: t{j}, see package_words()
        rows.append(row)
    return rows


def package_words(problem: Problem, link: str | None) -> dict[str, str]:
    """The transforms that give each row its options' words (``t{j}`` from the index ``o{j}``) and,
    with ``link`` (a page's path), ``href``: ``link?point=option&...`` by the keys. Each option's
    text and key are written once in the specification, not once per package (a frontier of 400
    packages of 28 points would otherwise carry every text 400 times)."""
    words = {
        f"t{j}": f"{json.dumps(list(texts), ensure_ascii=False)}[datum.o{j}]"
        for j, texts in enumerate(problem.option_texts)
    }
    if link is not None:
        parts = [
            f"{json.dumps([f'{quote(point)}={quote(key)}' for key in keys])}[datum.o{j}]"
            for j, (point, keys) in enumerate(zip(problem.points, problem.options, strict=True))
        ]
        address = f"{json.dumps(link + '?')} + join([{', '.join(parts)}], '&')"
        words["href"] = f"isValid(datum.o0) && !datum.unlinked ? {address} : null"
    return words


def _tooltip(problem: Problem, alt: Any) -> list[Any]:
    """The package in words: its name, each party's utility, then its option on every point."""
    fields = [alt.Tooltip("name:N", title="package")]
    fields += [
        alt.Tooltip(f"u{i}:Q", title=f"{name} (utility)", format=".3f")
        for i, name in enumerate(problem.party_names)
    ]
    fields += [
        alt.Tooltip(f"t{j}:N", title=f"{number}. {title}")
        for j, (number, title) in enumerate(zip(problem.point_numbers, problem.point_titles, strict=True))
    ]
    return fields


@dataclass(frozen=True)
class _Kinds:
    """The legend: the frontier's packages, then each mark; their colours, symbols and dashes."""

    names: list[str]
    colours: list[str]
    shapes: list[str]
    dashes: list[list[int]]


def _kinds(problem: Problem, marks: Sequence[Mark]) -> _Kinds:
    kinds = _Kinds([PACKAGE], [FRONTIER_COLOUR], ["circle"], [[1, 0]])
    keeping = 0  # the marks that keep every demand, each in the next colour, symbol and dash
    for mark in marks:
        breaks = breaks_of(problem, mark)
        kinds.names.append(mark_kind(mark.name, breaks))
        if breaks:
            kinds.colours.append(BREAKS_COLOUR)
            kinds.shapes.append(BREAKS_SHAPE)
            kinds.dashes.append(BREAKS_DASH)
        else:
            kinds.colours.append(MARK_COLOURS[keeping % len(MARK_COLOURS)])
            kinds.shapes.append(MARK_SHAPES[keeping % len(MARK_SHAPES)])
            kinds.dashes.append(MARK_DASHES[keeping % len(MARK_DASHES)])
            keeping += 1
    return kinds


def _title(frontier: Frontier, title: str | None) -> str:
    kind = "exact" if frontier.exact else "representative set"
    n = len(frontier.points)
    shown = f"{n} package{'s' if n != 1 else ''}"
    return title or f"Pareto frontier ({kind}, {shown}{', capped' if frontier.capped else ''})"


def frontier_chart(
    problem: Problem,
    frontier: Frontier,
    *,
    marks: Sequence[Mark] = (),
    link: str | None = None,
    title: str | None = None,
    interactive: bool = True,
) -> Spec:
    """The frontier on two parties' utilities, the marks labelled (a mark that breaks demands an X,
    named with how many it breaks), each party's reservation value a dashed line. ``interactive``:
    one panel whose two parties are chosen in the page (three parties or more); otherwise one panel
    per pair of parties (a file shows them all)."""
    import altair as alt

    if problem.n_parties < 2:
        raise AccordError("a frontier plot needs at least two parties")
    rows = package_rows(problem, frontier, marks)
    names = list(problem.party_names)
    if interactive or problem.n_parties == 2:
        chart = _panel(
            alt, problem, rows, marks, None if problem.n_parties > 2 else (0, 1), (WIDTH, HEIGHT)
        ).properties(width=WIDTH, height=HEIGHT)
        if problem.n_parties > 2:
            chart = chart.add_params(
                _party_choice(alt, "x_party", 0, names, "across (x): "),
                _party_choice(alt, "y_party", 1, names, "up (y): "),
            )
    else:
        panels = [
            _panel(alt, problem, rows, marks, pair, (PANEL, PANEL)).properties(width=PANEL, height=PANEL)
            for pair in itertools.combinations(range(problem.n_parties), 2)
        ]
        chart = alt.concat(*panels, columns=3)
    return _finished(alt, problem, chart, _title(frontier, title), rows, link)


def _party_choice(alt: Any, name: str, value: int, parties: list[str], label: str) -> Any:
    return alt.param(
        name=name,
        value=value,
        bind=alt.binding_select(options=list(range(len(parties))), labels=parties, name=label),
    )


def _panel(
    alt: Any,
    problem: Problem,
    rows: list[dict[str, Any]],
    marks: Sequence[Mark],
    pair: tuple[int, int] | None,
    size: tuple[int, int],
) -> Any:
    """One projection of ``size`` (width, height) pixels: ``pair`` fixed, or None for the parties
    chosen in the page (x_party, y_party)."""
    parties = json.dumps(list(problem.party_names))
    if pair is None:
        x_field, y_field = "datum['u' + x_party]", "datum['u' + y_party]"
        x_title: Any = {"expr": f"{parties}[x_party] + ' (utility)'"}
        y_title: Any = {"expr": f"{parties}[y_party] + ' (utility)'"}
    else:
        x_field, y_field = f"datum.u{pair[0]}", f"datum.u{pair[1]}"
        x_title = f"{problem.party_names[pair[0]]} (utility)"
        y_title = f"{problem.party_names[pair[1]]} (utility)"
    kinds = _kinds(problem, marks)
    base = alt.Chart().transform_calculate(x=x_field, y=y_field)
    # the titles on the axes: a title that follows the parties chosen in the page is an expression,
    # which Vega-Lite takes as an axis's title only (a field's title would be dropped), as plain JSON;
    # a fixed title names the field too (a point's description for a screen reader)
    fixed = {} if pair is None else {"x": {"title": x_title}, "y": {"title": y_title}}
    x = alt.X("x:Q", axis={"title": x_title}, scale=alt.Scale(domain=[0, 1]), **fixed.get("x", {}))
    y = alt.Y("y:Q", axis={"title": y_title}, scale=alt.Scale(domain=[0, 1]), **fixed.get("y", {}))
    is_package = alt.datum.kind == PACKAGE
    layers = []
    if pair is not None and problem.n_parties == 2:
        # with two parties the frontier is a staircase: between two packages, the better one for the
        # second party is only reachable up to its own utility for the first
        layers.append(
            base.transform_filter(is_package)
            .mark_line(interpolate="step-before", color=FRONTIER_COLOUR, opacity=0.5)
            .encode(x=x, y=y, order="x:Q")
        )
    tooltip = _tooltip(problem, alt)
    legend = alt.Legend(title=None, orient="bottom", columns=3, labelLimit=260)
    kind = alt.Color("kind:N", scale=alt.Scale(domain=kinds.names, range=kinds.colours), legend=legend)
    shape = alt.Shape("kind:N", scale=alt.Scale(domain=kinds.names, range=kinds.shapes), legend=legend)
    points = base.mark_point(filled=True, opacity=0.75, cursor="pointer").encode(
        x=x,
        y=y,
        color=kind,
        shape=shape,
        size=alt.condition(is_package, alt.value(45), alt.value(160)),
        stroke=alt.condition(is_package, alt.value(None), alt.value("black")),
        tooltip=tooltip,
        href="href:N",
    )
    layers.append(points)
    layers.append(
        _labels(alt, problem, rows, pair, size, base.encode(x=x, y=y, tooltip=tooltip, href="href:N"))
    )
    bounds = problem.reservation_bounds()
    reservations = [
        {"party": i, "value": round(float(v), 4)}
        for i, v in enumerate(bounds)
        if v == v and abs(v) != float("inf")
    ]
    if reservations:
        layers += _reservation_rules(alt, reservations, pair)
    return alt.layer(*layers)


def _labels(
    alt: Any,
    problem: Problem,
    rows: list[dict[str, Any]],
    pair: tuple[int, int] | None,
    size: tuple[int, int],
    base: Any,
) -> Any:
    """The marks' names next to them, never over one another (accord.reports.chart_labels): placed for
    ``pair``, or for every ordered pair of parties the page may choose, in the mark rows' fields
    ``lt_X_Y`` (the text), ``dx_X_Y``, ``dy_X_Y``, ``al_X_Y``, ``bl_X_Y`` (offset, align, baseline)."""
    width, height = size
    marked = [r for r in rows if r["kind"] != PACKAGE]
    avoid = [r for r in rows if r["kind"] == PACKAGE]
    pairs = (
        [pair]
        if pair is not None
        else [(i, j) for i in range(problem.n_parties) for j in range(problem.n_parties) if i != j]
    )
    for i, j in pairs:

        def at(row: dict[str, Any], i: int = i, j: int = j) -> tuple[float, float]:
            return (row[f"u{i}"] * width, (1 - row[f"u{j}"]) * height)

        placed = place_labels(
            [at(r) for r in marked], [r["label"] for r in marked], width, height, avoid=[at(r) for r in avoid]
        )
        for row, label in zip(marked, placed, strict=True):
            if label is not None:
                key = f"{i}_{j}"
                row.update(
                    {
                        f"lt_{key}": label.text,
                        f"dx_{key}": label.dx,
                        f"dy_{key}": label.dy,
                        f"al_{key}": label.align,
                        f"bl_{key}": label.baseline,
                    }
                )
                if max(abs(label.dx), abs(label.dy)) >= LEADER_FROM:  # a thin line leads to its spot
                    row[f"lx_{key}"] = row[f"u{i}"] + label.dx / width
                    row[f"ly_{key}"] = row[f"u{j}"] - label.dy / height
    key = "x_party + '_' + y_party" if pair is None else repr(f"{pair[0]}_{pair[1]}")

    def field(prefix: str) -> str:
        return f"datum['{prefix}_' + {key}]"

    leaders = (
        base.transform_calculate(lx=field("lx"), ly=field("ly"))
        .transform_filter("isValid(datum.lx)")
        .mark_rule(color="#555555", strokeWidth=0.7, aria=False)  # decoration: often none at all
        .encode(x2="lx:Q", y2="ly:Q")
    )
    names = (
        base.transform_calculate(label=field("lt"))
        .transform_filter("isValid(datum.label)")
        .mark_text(
            fontSize=11,
            color="#222222",
            lineBreak="\n",
            dx=alt.ExprRef(expr=field("dx")),
            dy=alt.ExprRef(expr=field("dy")),
            align=alt.ExprRef(expr=field("al")),
            baseline=alt.ExprRef(expr=field("bl")),
        )
        .encode(text="label:N")
    )
    return alt.layer(leaders, names)


def _reservation_rules(alt: Any, values: list[dict[str, Any]], pair: tuple[int, int] | None) -> list[Any]:
    """Each shown party's reservation value: a dashed line (vertical for x, horizontal for y)."""
    data = alt.Data(values=values)
    # no ARIA role: a party without a reservation value leaves its line's group empty, and an empty
    # group with a role and no label is an accessibility fault (axe: svg-img-alt); the axis and the
    # page's tables carry the values
    rule = {"color": RESERVATION_COLOUR, "strokeDash": [5, 4], "strokeWidth": 1, "aria": False}
    which_x = "datum.party == " + ("x_party" if pair is None else str(pair[0]))
    which_y = "datum.party == " + ("y_party" if pair is None else str(pair[1]))
    tip = [alt.Tooltip("value:Q", title="reservation value", format=".3f")]
    return [
        alt.Chart(data).transform_filter(which_x).mark_rule(**rule).encode(x="value:Q", tooltip=tip),
        alt.Chart(data).transform_filter(which_y).mark_rule(**rule).encode(y="value:Q", tooltip=tip),
    ]


def parallel_chart(
    problem: Problem,
    frontier: Frontier,
    *,
    marks: Sequence[Mark] = (),
    link: str | None = None,
    title: str | None = None,
) -> Spec:
    """Every party at once: one vertical axis per party (utility 0 to 1), one line per package; the
    marks drawn thick, in their colour and dash, and named in the legend."""
    import altair as alt

    if problem.n_parties < 2:
        raise AccordError("a frontier plot needs at least two parties")
    rows = package_rows(problem, frontier, marks)
    for index, row in enumerate(rows):
        row["row"] = index
    utilities: list[Any] = [f"u{i}" for i in range(problem.n_parties)]
    parties = json.dumps(list(problem.party_names))
    kinds = _kinds(problem, marks)
    is_package = alt.datum.kind == PACKAGE
    base = (
        alt.Chart()
        .transform_fold(utilities, as_=["axis", "utility"])
        .transform_calculate(party=f"{parties}[indexof({json.dumps(utilities)}, datum.axis)]")
    )
    x = alt.X("party:N", sort=list(problem.party_names), title=None, axis=alt.Axis(labelAngle=0, grid=True))
    y = alt.Y("utility:Q", title="utility", scale=alt.Scale(domain=[0, 1]))
    legend = alt.Legend(title=None, orient="bottom", columns=3, labelLimit=260)
    colour = alt.Color("kind:N", scale=alt.Scale(domain=kinds.names, range=kinds.colours), legend=legend)
    tooltip = _tooltip(problem, alt)
    lines = base.mark_line(cursor="pointer").encode(
        x=x,
        y=y,
        detail="row:N",
        color=colour,
        strokeDash=alt.StrokeDash(
            "kind:N", scale=alt.Scale(domain=kinds.names, range=kinds.dashes), legend=legend
        ),
        opacity=alt.condition(is_package, alt.value(0.35), alt.value(1.0)),
        strokeWidth=alt.condition(is_package, alt.value(1.2), alt.value(3)),
        tooltip=tooltip,
        href="href:N",
    )
    dots = base.mark_point(filled=True, size=30, cursor="pointer").encode(
        x=x, y=y, color=colour, tooltip=tooltip, href="href:N"
    )
    chart = alt.layer(lines, dots).properties(width=max(WIDTH, 150 * problem.n_parties), height=HEIGHT)
    chart_title = title or f"Every party at once: {_title(frontier, None)}"
    return _finished(alt, problem, chart, chart_title, rows, link)


def _finished(
    alt: Any, problem: Problem, chart: Any, title: str, rows: list[dict[str, Any]], link: str | None
) -> Spec:
    """The specification as JSON data, the rows given once at the top (every layer reads them)."""
    spec: Spec = chart.properties(title=alt.TitleParams(title, anchor="start")).to_dict(validate=False)
    # added to the JSON, not through Altair (which copies the whole chart for each transform)
    words = [
        {"calculate": expression, "as": name} for name, expression in package_words(problem, link).items()
    ]
    spec["transform"] = words + spec.get("transform", [])
    with_rows(spec, rows)
    spec.setdefault("config", {}).update({"font": "DejaVu Sans, Liberation Sans, sans-serif"})
    return spec
