"""The record as Vega-Lite specifications (written with Altair): the stances over the drafts and the
timeline. Hover a cell or an entry to read it in words; click it to open its page (``href``, given by
the caller: the web layer knows its own addresses). Colour never carries meaning alone: each stance
cell shows a symbol too, each kind of entry has its own shape, and the legends say both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.analysis.timeline import Entry, EntryKind
from accord.domain import Negotiation
from accord.reports.charts import OKABE_ITO
from accord.reports.vega import Spec, placeholder, with_rows

if TYPE_CHECKING:
    from accord.analysis.standing import Standing
    from accord.domain.drafts import Draft

FONT = {"font": "DejaVu Sans, Liberation Sans, sans-serif"}
# the stances as the workbench's pages tint them (Okabe & Ito), each with its symbol
STANCES = (
    ("accept", OKABE_ITO[2], "✓"),
    ("conditional", OKABE_ITO[3], "~"),
    ("reject", OKABE_ITO[1], "✗"),
    ("studying", OKABE_ITO[5], "?"),
    ("no-position", "#999999", "·"),
    ("no answer", "#e8e8e8", "–"),
)
KIND_SHAPES = {
    EntryKind.DRAFT: "square",
    EntryKind.CIRCULATION: "triangle-right",
    EntryKind.MEETING: "circle",
    EntryKind.PAPER: "diamond",
    EntryKind.STATEMENT: "triangle-up",
    EntryKind.EVENT: "cross",
    EntryKind.STANCE: "triangle-down",
}
KIND_COLOURS = {
    EntryKind.DRAFT: OKABE_ITO[0],
    EntryKind.CIRCULATION: OKABE_ITO[5],
    EntryKind.MEETING: OKABE_ITO[2],
    EntryKind.PAPER: OKABE_ITO[6],
    EntryKind.STATEMENT: OKABE_ITO[3],
    EntryKind.EVENT: OKABE_ITO[1],
    EntryKind.STANCE: OKABE_ITO[4],
}


@dataclass(frozen=True)
class StanceCell:
    """A party's stance on one point of one draft (``stance`` None: no answer)."""

    party: str  # the party's name
    draft: str  # the draft as people name it ('draft 3 (D)')
    point: str  # '7. Ukraine and NATO membership'
    stance: str | None
    option: str | None = None  # the draft's option on the point, in words
    href: str | None = None


def stances_chart(cells: Sequence[StanceCell], drafts: Sequence[str], points: Sequence[str]) -> Spec:
    """One panel per party: a row per point, a column per draft (``drafts`` in date order), each cell
    the party's stance, coloured and marked with its symbol."""
    import altair as alt

    symbols = {name: symbol for name, _colour, symbol in STANCES}
    rows = [
        {
            "party": c.party,
            "draft": c.draft,
            "point": c.point,
            "stance": c.stance or "no answer",
            "symbol": symbols.get(c.stance or "no answer", ""),
            "option": c.option or "no option on this point",
            **({"href": c.href} if c.href else {}),
        }
        for c in cells
    ]
    names = [name for name, _colour, _symbol in STANCES]
    legend = alt.Legend(
        title="stance (symbol)",
        orient="bottom",
        labelExpr=" + ".join(["datum.label", "' ('", f"{_symbol_lookup()}[datum.label]", "')'"]),
    )
    x = alt.X("draft:O", sort=list(drafts), title=None, axis=alt.Axis(labelAngle=0, labelLimit=140))
    y = alt.Y("point:O", sort=list(points), title=None, axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("party:N"),
        alt.Tooltip("draft:N"),
        alt.Tooltip("point:N"),
        alt.Tooltip("stance:N"),
        alt.Tooltip("option:N", title="the draft's option"),
    ]
    cells_layer = (
        alt.Chart()
        .mark_rect(stroke="white", cursor="pointer")
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "stance:N", scale=alt.Scale(domain=names, range=[c for _n, c, _s in STANCES]), legend=legend
            ),
            tooltip=tooltip,
            href="href:N",
        )
    )
    words = (
        alt.Chart()
        .mark_text(fontSize=12, color="#1d2733")
        .encode(x=x, y=y, text="symbol:N", tooltip=tooltip, href="href:N")
    )
    chart = (
        alt.layer(cells_layer, words)
        .properties(width=alt.Step(70), height=alt.Step(16))
        .facet(column=alt.Column("party:N", title=None), data=placeholder(alt))
        .properties(title=alt.TitleParams("Stances over the drafts (drafts in date order)", anchor="start"))
    )
    spec: Spec = with_rows(chart.to_dict(validate=False), rows)
    spec.setdefault("config", {}).update(FONT)
    return spec


def stance_cells(
    negotiation: Negotiation,
    standings: Iterable[tuple[Draft, Standing]],
    parties_of: Callable[[Standing], Sequence[str]],
    link: Callable[[Draft], str | None] = lambda draft: None,
) -> tuple[list[StanceCell], list[str], list[str]]:
    """The cells of :func:`stances_chart`, with its drafts and points in order: for each draft and its
    standing (in the order given), each point's option in words and the stance of each party
    ``parties_of`` the standing names; ``link`` gives a draft's cells their address."""
    from accord.reports.charts import draft_label

    names = {p.id: p.name for p in negotiation.parties}
    options = {p.id: {o.key: o.text for o in p.options} for p in negotiation.points}
    cells: list[StanceCell] = []
    drafts: list[str] = []
    points: list[str] = []
    for draft, standing in standings:
        label = draft_label(draft.version, draft.label)
        drafts.append(label)
        for point in standing.points:
            title = f"{point.number}. {point.title}"
            if title not in points:
                points.append(title)
            choice = draft.choices.get(point.point)
            option = None
            if choice is not None and choice.option is not None:
                option = options.get(point.point, {}).get(choice.option, choice.option)
            for party in parties_of(standing):
                stance = point.stances.get(party)
                cells.append(
                    StanceCell(
                        names.get(party, party),
                        label,
                        title,
                        stance.value if stance is not None else None,
                        option,
                        link(draft),
                    )
                )
    return cells, drafts, points


def stances_over_drafts(
    negotiation: Negotiation, *, up_to: int | None = None, parties: Sequence[str] | None = None
) -> Spec:
    """:func:`stances_chart` of the stances on every draft, in date order up to version ``up_to``
    (default: all), of ``parties`` (ids; default: every negotiating party, the mediator's view)."""
    from accord.analysis.standing import standing_of
    from accord.domain.drafts import chronological

    def standings() -> Iterator[tuple[Draft, Standing]]:
        for draft in chronological(negotiation.drafts):
            yield draft, standing_of(negotiation, version=draft.version, rounds=False)
            if draft.version == up_to:
                return

    cells, drafts, points = stance_cells(
        negotiation, standings(), lambda standing: standing.parties if parties is None else parties
    )
    return stances_chart(cells, drafts, points)


def _entry_list(alt: Any, entries: Sequence[Entry]) -> Any:
    """Every entry in words, one a line: its date (≈ an approximate one, 'undated'), kind, what
    happened and its parties."""
    lines = []
    for n, e in enumerate(entries):
        when = "undated" if e.undated else f"≈ {e.when}" if e.approximate else e.when
        parties = ", ".join(e.party_names) or NO_PARTY
        lines.append({"n": n, "line": f"{when} · {e.kind.value} · {e.summary} ({parties})"})
    return (
        alt.Chart(alt.Data(values=lines))
        .mark_text(align="left", baseline="middle", fontSize=11, color="#1d2733", limit=900)
        .encode(y=alt.Y("n:O", axis=None), x=alt.value(0), text="line:N")
        .properties(width=720, height=alt.Step(16))
    )


def _symbol_lookup() -> str:
    import json

    return json.dumps({name: symbol for name, _colour, symbol in STANCES}, ensure_ascii=False)


NO_PARTY = "no party"


def timeline_chart(
    entries: Sequence[Entry],
    link: Callable[[Entry], str | None],
    *,
    title: str,
    lanes: str = "kind",
    listed: bool = False,
) -> Spec:
    """The dated entries on a time axis, a lane per kind of entry (its own shape and colour) or, with
    ``lanes="party"``, a lane per party (an entry in each of its parties' lanes); an approximate date
    drawn hollow. Undated entries have no place on the axis: the page's table lists them (and the
    chart's subtitle says how many).

    ``listed``: every entry (the undated too) also listed under the axis in words, one a line, in the
    order given: a picture read without a table beside it or a pointer to hover with (a file)."""
    import altair as alt

    dated = [e for e in entries if e.day is not None]
    rows = []
    lane_names: list[str] = []
    for e in dated:
        assert e.day is not None
        row: dict[str, Any] = {
            "day": e.day.isoformat(),
            "when": f"≈ {e.when}" if e.approximate else e.when,
            "kind": e.kind.value,
            "summary": e.summary,
            "parties": ", ".join(e.party_names) or NO_PARTY,
            "approximate": e.approximate,
        }
        href = link(e)
        if href:
            row["href"] = href
        for lane in (e.party_names or (NO_PARTY,)) if lanes == "party" else (e.kind.value,):
            rows.append({**row, "lane": lane})
            if lane not in lane_names:
                lane_names.append(lane)
    kinds = [k for k in KIND_SHAPES if any(e.kind is k for e in dated)]
    if lanes != "party":
        lane_names = [k.value for k in kinds]
    elif NO_PARTY in lane_names:  # the entries of no party below every party's lane
        lane_names = [n for n in lane_names if n != NO_PARTY] + [NO_PARTY]
    legend = alt.Legend(title="kind", orient="bottom")
    tooltip = [
        alt.Tooltip("when:N", title="date"),
        alt.Tooltip("kind:N"),
        alt.Tooltip("summary:N", title="what happened"),
        alt.Tooltip("parties:N"),
    ]
    undated = len(entries) - len(dated)
    subtitle = (
        f"{undated} entr{'y' if undated == 1 else 'ies'} without a date: listed "
        + ("below" if listed else "in the table")
        if undated
        else ""
    )
    heading = alt.TitleParams(title, subtitle=subtitle, anchor="start") if subtitle else title
    chart = (
        alt.Chart()
        .mark_point(size=110, strokeWidth=2, cursor="pointer")
        .encode(
            x=alt.X(
                "day:T",
                title=None,
                axis=alt.Axis(format="%d %b %Y", labelAngle=0),
                scale=alt.Scale(padding=14),  # the first and last marks whole, inside the frame
            ),
            y=alt.Y("lane:N", sort=lane_names, title=None),
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=[k.value for k in kinds], range=[KIND_SHAPES[k] for k in kinds]),
                legend=legend,
            ),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=[k.value for k in kinds], range=[KIND_COLOURS[k] for k in kinds]),
                legend=legend,
            ),
            fill=alt.condition(
                "datum.approximate",
                alt.value("white"),
                alt.Color(
                    "kind:N",
                    scale=alt.Scale(domain=[k.value for k in kinds], range=[KIND_COLOURS[k] for k in kinds]),
                    legend=None,
                ),
            ),
            tooltip=tooltip,
            href="href:N",
        )
        # the dates can span months with most entries in a few days: in the browser the time axis
        # zooms (the wheel) and pans (a drag); the lanes stay put
        .interactive(bind_y=False)
        .properties(
            width=720,
            height=alt.Step(34),
            **({} if listed else {"title": heading}),
        )
    )
    if listed:
        chart = alt.vconcat(chart, _entry_list(alt, entries), title=heading)
    spec: Spec = with_rows(chart.to_dict(validate=False), rows)
    spec.setdefault("config", {}).update(FONT)
    return spec
