"""The briefing's charts are the workbench's Vega-Lite specifications drawn by vl-convert (issue 17
item 2): the answers draft by draft are the stance matrix over the drafts, for the briefing's
parties only; the SVG keeps its text as text (searchable, Cyrillic as written) and is the same
bytes for the same record."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from accord.reports import brief_charts, vega
from accord.reports.brief_charts import Bar
from accord.reports.record_charts import stances_over_drafts, timeline_chart
from accord.scenario import load
from tests.conftest import EXAMPLES

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_briefings_answers_are_the_stance_matrix_over_the_drafts_drawn() -> None:
    negotiation = load(FLAGSHIP)
    parties = [p.id for p in negotiation.negotiating_parties]
    figure = brief_charts.answers(negotiation, parties, "caption")
    drawn = vega.svg_of(stances_over_drafts(negotiation, parties=parties))
    # the same picture: only the ids are prefixed (several charts inline in one page)
    assert re.sub(r'"answers-', '"', figure.svg.replace("url(#answers-", "url(#")) == drawn
    texts = _texts(figure.svg)
    assert "Stances over the drafts (drafts in date order)" in texts
    assert {"draft 1 (A)", "draft 3 (D)", "28. Ceasefire"} <= set(texts)
    assert {p.name for p in negotiation.negotiating_parties} <= set(texts)
    assert figure.png.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_partys_answers_chart_shows_that_party_and_no_other() -> None:
    negotiation = load(FLAGSHIP)
    own, *others = negotiation.negotiating_parties
    svg = brief_charts.answers(negotiation, [own.id], "caption").svg
    assert own.name in _texts(svg)
    # a panel per party, headed by its name (the points' titles may name a party: the text is shared)
    assert not {other.name for other in others} & set(_texts(svg))
    assert len(re.findall(r"✗|✓|~", svg)) <= len(negotiation.points) * len(negotiation.drafts)


def test_the_utilities_chart_keeps_cyrillic_text_and_the_same_bytes() -> None:
    def drawn() -> str:
        return brief_charts.utilities_by_party(
            ["Україна", "Росія"],
            [[Bar("Nash", 0.6, 0.5, 0.7), Bar("the latest draft", 0.4, draft=True)]] * 2,
            [0.3, None],
            "caption",
        ).svg

    first = drawn()
    assert first == drawn()
    texts = _texts(first)
    assert {"Україна", "Росія", "Nash", "the latest draft", "utility (0 worst, 1 best)"} <= set(texts)
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert all(i.startswith("utilities-") for i in ids)  # inlined beside other charts: no clash


def test_the_timeline_file_lists_every_entry_in_words() -> None:
    import datetime as dt

    from accord.analysis.timeline import Entry, EntryKind

    entries = [
        Entry(
            EntryKind.MEETING,
            dt.date(2025, 12, 2),
            "2025-12-02",
            "Talks in Moscow",
            "m1",
            ("r",),
            ("Russia",),
        ),
        Entry(EntryKind.EVENT, None, "in the coming days", "A postponement", "e1", approximate=True),
    ]
    spec = timeline_chart(entries, lambda _e: None, title="Timeline", lanes="party", listed=True)
    texts = _texts(vega.svg_of(spec))
    assert any("Talks in Moscow" in t for t in texts) and "Russia" in texts
    assert any("≈ in the coming days" in t and "A postponement" in t for t in texts)


def test_status_plots_the_stances_up_to_the_chosen_draft_with_the_options_in_words() -> None:
    """`accord status --draft 2 --plot DIR` draws this specification to DIR/stances.png."""
    negotiation = load(FLAGSHIP)
    spec = stances_over_drafts(negotiation, up_to=2)
    rows = spec["data"]["values"]
    assert {r["draft"] for r in rows} == {"draft 1 (A)", "draft 2: B (E3)"}
    texts = {o.text for p in negotiation.points for o in p.options}
    options = {r["option"] for r in rows} - {"no option on this point"}
    assert options and options <= texts  # the draft's option in words, never a key
    vega.compiled(spec)  # valid Vega-Lite
