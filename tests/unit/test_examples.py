"""The shipped examples load cleanly and say what they claim to say."""

from __future__ import annotations

import pytest

from accord.domain import DraftStatus, Role
from accord.scenario import load
from tests.conftest import EXAMPLES

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_example_loads_cleanly(name: str) -> None:
    negotiation = load(EXAMPLES / name)
    assert negotiation.points and negotiation.negotiating_parties


def test_flagship_has_the_mediator_the_parties_and_enough_points() -> None:
    negotiation = load(FLAGSHIP)
    assert negotiation.party("united-states").role is Role.MEDIATOR
    assert {p.id for p in negotiation.negotiating_parties} == {"russia", "ukraine", "europe"}
    assert len(negotiation.points) >= 20
    assert all(1 <= p.number <= 28 for p in negotiation.points)


def test_flagship_encodes_drafts_a_and_d_as_versions_of_one_text() -> None:
    negotiation = load(FLAGSHIP)
    by_label = {d.label: d for d in negotiation.drafts}
    assert {"A", "D"} <= set(by_label)
    a, d = by_label["A"], by_label["D"]
    assert d.version > a.version and negotiation.latest_draft == d
    assert d.parent is not None and a.status is DraftStatus.CIRCULATED
    assert negotiation.point("army-size").option(a.choices["army-size"].option or "").value == 600_000
    assert negotiation.point("army-size").option(d.choices["army-size"].option or "").value == 800_000
    dropped = [p for p, c in d.choices.items() if c.option == "not-included"]
    assert dropped, "draft D drops some of draft A's points"
    for point_id in dropped:
        assert negotiation.point(point_id).has_option("not-included")


def test_flagship_preferences_are_marked_illustrative_with_red_lines_from_statements() -> None:
    negotiation = load(FLAGSHIP)
    for party in ("russia", "ukraine", "europe"):
        prefs = negotiation.preferences[party]
        assert prefs.basis is not None and "illustrative" in prefs.basis.lower()
        assert "not the official position" in prefs.basis.lower()
        assert len(prefs.red_lines) >= 2
        assert all(r.note for r in prefs.red_lines), "each red line says which statement it reflects"
    ukraine = negotiation.preferences["ukraine"]
    assert ukraine.is_red_line("territory", "de-facto-recognition")


def test_flagship_has_stances_of_every_party_on_the_latest_draft() -> None:
    negotiation = load(FLAGSHIP)
    latest = negotiation.latest_draft
    assert latest is not None
    voices = {s.party for s in negotiation.stances_on(latest.version)}
    assert voices == {"russia", "ukraine", "europe"}


def test_camp_david_weights_are_the_published_point_table() -> None:
    negotiation = load(EXAMPLES / "camp-david-1978.yaml")
    israel = negotiation.preferences["israel"]
    egypt = negotiation.preferences["egypt"]
    assert dict(israel.weights) == {
        "sinai": 35,
        "diplomatic-recognition": 10,
        "west-bank-gaza": 20,
        "palestinian-recognition": 10,
        "palestinian-rights": 5,
        "jerusalem": 20,
    }
    assert egypt.weights["sinai"] == 55 and egypt.weights["palestinian-rights"] == 20
    # each side wins the issues it values more: Israel 60 of its points, Egypt 75 of its own
    split = {
        p.id: ("egypt" if p.id in ("sinai", "palestinian-rights") else "israel") for p in negotiation.points
    }
    assert israel.utility(split) == pytest.approx(0.60)
    assert egypt.utility(split) == pytest.approx(0.75)


def test_coalition_example_has_four_parties_and_a_draft_all_of_them_accept() -> None:
    negotiation = load(EXAMPLES / "coalition-agreement.yaml")
    parties = negotiation.negotiating_parties
    assert len(parties) >= 4
    assert any(p.role is Role.MEDIATOR for p in negotiation.parties)
    latest = negotiation.latest_draft
    assert latest is not None
    package = latest.package()
    assert len(package) == len(negotiation.points)
    assert all(negotiation.preferences[p.id].accepts(package) for p in parties)


def test_flagship_chronology_cites_a_source_for_every_fact_and_invents_no_article() -> None:
    negotiation = load(FLAGSHIP)
    sources = {s.id: s for s in negotiation.sources}
    entries = [
        *negotiation.meetings,
        *negotiation.papers,
        *negotiation.statements,
        *negotiation.events,
        *negotiation.drafts,
        *negotiation.people,
    ]
    assert negotiation.statements and negotiation.events and negotiation.people
    for entry in entries:
        assert entry.sources, f"{type(entry).__name__} {getattr(entry, 'id', entry)} cites no source"
        assert set(entry.sources) <= set(sources)
    for source in sources.values():
        # an outlet the press summaries came from, or a plainly labelled summary; no article title
        # or address is given there, so none may appear here, and never the reference file's path
        assert source.outlet or source.title
        assert source.url is None
        assert "reference" not in " ".join(filter(None, (source.title, source.note, source.outlet))).lower()
    # the November leak of draft A is recorded as a leak, on the day the draft is dated
    (leak,) = [e for e in negotiation.events if e.kind.value == "leak"]
    assert leak.draft == 1 and str(leak.date) == "2025-11-20"
    # estimated dates say so
    for statement in negotiation.statements:
        assert statement.note and "estimated" in statement.note
