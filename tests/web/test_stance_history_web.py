"""The stance history page (issue 17: `accord stance history` on the workbench): every entry in words,
corrections and withdrawals with who recorded them, when and why, and their sources; a party's seat
sees its own party's history only, an observer none, the mediator every party's."""

from __future__ import annotations

import html
import re

from accord.domain import StanceKind
from accord.reports.stance_words import source_words
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import stances, workbench
from accord.services.sources import Citation
from tests.web.conftest import NAME, A, B, Workbench, log_in

NAMES = {A: "Russian Federation"}  # as the flagship names the party

P = f"/n/{NAME}"
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})


def _record_a_history(bench: Workbench) -> None:
    """Party A: a stance on territory citing a source, corrected, then withdrawn; party B: one stance."""
    db = bench.database
    workbench.set_stance(
        db,
        MEDIATOR,
        NAME,
        party=A,
        point="territory",
        stance=StanceKind.REJECT,
        version=3,
        note="no line drawn yet",
        citation=Citation(outlet="Example Wire", title="Envoy on the line HX41", prefix="source "),
    )
    workbench.correct_stance(
        db,
        MEDIATOR,
        NAME,
        party=A,
        point="territory",
        version=3,
        reason="misread the read-out QB17",
        stance=StanceKind.CONDITIONAL,
        note="if the line is frozen",
    )
    workbench.withdraw_stance(
        db, MEDIATOR, NAME, party=A, point="territory", version=3, reason="recorded in error ZT08"
    )
    workbench.set_stance(
        db,
        MEDIATOR,
        NAME,
        party=B,
        point="territory",
        stance=StanceKind.ACCEPT,
        version=3,
        note="ukraine-history-note-WK55",
    )


def _rows(page: str) -> dict[int, str]:
    found = re.findall(r'<tr id="entry-(\d+)"[^>]*>(.*?)</tr>', page, re.S)
    return {int(k): html.unescape(re.sub(r"<[^>]+>", " ", row)) for k, row in found}


def test_the_history_says_each_entry_in_words_with_who_when_why_and_sources(bench: Workbench) -> None:
    _record_a_history(bench)
    ids = [e.record.id for e in stances.entries(bench.database, NAME, party=A, point="territory")][-3:]
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/stances/history?party={A}&point=territory&draft=3")
    assert page.status_code == 200, page.text
    rows = _rows(page.text)
    first, correction, withdrawal = (" ".join(rows[i].split()) for i in ids)
    assert "rejects point" in first and "of draft v3" in first and "Note: “no line drawn yet”" in first
    assert "Example Wire" in first and "Envoy on the line HX41" in first
    # the source in the words `accord stance history` gives it (reports.stance_words), not by its key
    (cited,) = stances.entries(bench.database, NAME, party=A, point="territory")[-3].sources
    assert source_words(cited) == "Example Wire, “Envoy on the line HX41”" and source_words(cited) in first
    assert cited.id not in first
    assert f"superseded by #{ids[1]} (a correction)" in first
    assert f"Corrects #{ids[0]} (a stance)" in correction
    assert "accepts on a condition" in correction and "misread the read-out QB17" in correction
    assert f"superseded by #{ids[2]} (a withdrawal)" in correction
    assert f"Withdraws #{ids[1]}" in withdrawal and "holds no stance on the point from now on" in withdrawal
    assert "recorded in error ZT08" in withdrawal and "by mediator" in withdrawal
    assert "ukraine-history-note-WK55" not in page.text, "party filter: only A's entries"
    upper = {"party": NAMES[A].upper(), "point": "territory"}
    by_name = bench.client.get(f"{P}/stances/history", params=upper)
    assert by_name.status_code == 200 and set(ids) <= set(_rows(by_name.text)), "a party by its name too"
    assert "ukraine-history-note-WK55" not in by_name.text
    everyone = bench.client.get(f"{P}/stances/history").text
    assert "ukraine-history-note-WK55" in everyone and "recorded in error ZT08" in everyone


def test_a_party_sees_its_own_history_and_is_refused_another_partys(bench: Workbench) -> None:
    _record_a_history(bench)
    log_in(bench.client, B)
    own = bench.client.get(f"{P}/stances/history")
    assert own.status_code == 200
    assert "ukraine-history-note-WK55" in own.text
    for other in ("misread the read-out QB17", "recorded in error ZT08", "Envoy on the line HX41"):
        assert other not in own.text
    assert '<select name="party">' not in own.text, "a party chooses no other party"
    refused = bench.client.get(f"{P}/stances/history?party={A}")
    assert refused.status_code == 403
    assert "QB17" not in refused.text
    by_name = bench.client.get(f"{P}/stances/history", params={"party": NAMES[A]})
    assert by_name.status_code == 403 and "QB17" not in by_name.text, "another party by its name: refused too"


def test_an_observer_sees_no_stance_history(bench: Workbench) -> None:
    _record_a_history(bench)
    log_in(bench.client, "observer")
    assert bench.client.get(f"{P}/stances/history").status_code == 403


def test_a_draft_the_party_never_received_is_as_if_it_did_not_exist(bench: Workbench) -> None:
    from tests.web.conftest import plant_uncirculated_point

    hidden = plant_uncirculated_point(bench.database)
    log_in(bench.client, A)
    response = bench.client.get(f"{P}/stances/history?draft={hidden}")
    assert response.status_code == 404
    log_in(bench.client, "mediator")
    assert bench.client.get(f"{P}/stances/history?draft={hidden}").status_code == 200


def test_the_stances_page_links_to_the_history(bench: Workbench) -> None:
    log_in(bench.client, A)
    assert f'href="{P}/stances/history?draft=3&amp;party={A}"' in bench.client.get(f"{P}/matrix").text
    log_in(bench.client, "mediator")
    assert f'href="{P}/stances/history?draft=3"' in bench.client.get(f"{P}/matrix").text
    log_in(bench.client, "observer")
    assert "/stances/history" not in bench.client.get(f"{P}/matrix").text


def test_a_party_named_in_the_plural_takes_a_plural_verb(bench: Workbench) -> None:
    db = bench.database
    workbench.set_stance(
        db, MEDIATOR, NAME, party="europe", point="territory", stance=StanceKind.REJECT, version=3
    )
    workbench.withdraw_stance(
        db, MEDIATOR, NAME, party="europe", point="territory", version=3, reason="recorded in error PL42"
    )
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/stances/history?party=europe&point=territory&draft=3")
    assert page.status_code == 200, page.text
    first, withdrawal = (" ".join(row.split()) for row in list(_rows(page.text).values())[-2:])
    assert "European states (E3/EU) reject point" in first
    assert "European states (E3/EU) hold no stance on the point from now on" in withdrawal


def test_entries_are_numbered_in_the_history_the_seat_is_shown(bench: Workbench) -> None:
    """The numbers are places in the history shown, not the database's row ids: a party's member
    counts only its own party's entries (the gaps between another numbering would tell of the other
    party's activity), and "Corrects #N" names the number the page shows."""
    _record_a_history(bench)
    every = stances.entries(bench.database, NAME)
    assert [e.record.id for e in every] == list(range(1, len(every) + 1)), "the mediator: 1, 2, 3…"
    log_in(bench.client, A)
    own = _rows(bench.client.get(f"{P}/stances/history").text)
    assert sorted(own) == list(range(1, len(own) + 1)), "a party: its own entries, 1, 2, 3…"
    assert len(own) < len(every)  # the other party's entries are not counted
    last = len(own)
    assert f"Withdraws #{last - 1}" in " ".join(own[last].split())
    assert f"Corrects #{last - 2} (a stance)" in " ".join(own[last - 1].split())
    # a filter shows fewer entries, each with the same number
    filtered = _rows(bench.client.get(f"{P}/stances/history?point=territory&draft=3").text)
    assert filtered and all(" ".join(own[k].split()) == " ".join(row.split()) for k, row in filtered.items())


def test_the_api_gives_the_history_the_page_shows_numbered_alike(bench: Workbench) -> None:
    from tests.web.conftest import api_token

    _record_a_history(bench)
    token = {"Authorization": f"Bearer {api_token(bench.client, A)}"}
    given = bench.client.get(f"/api/negotiations/{NAME}/stances/history", headers=token)
    assert given.status_code == 200, given.text
    entries = given.json()
    assert [e["id"] for e in entries] == list(range(1, len(entries) + 1))
    assert {e["party"] for e in entries} == {A}, "a party's own entries only"
    last = entries[-1]
    assert last["entry"] == "withdrawal" and last["supersedes"] == last["id"] - 1
    assert last["reason"] == "recorded in error ZT08"
    log_in(bench.client, A)
    shown = _rows(bench.client.get(f"{P}/stances/history").text)
    assert sorted(shown) == [e["id"] for e in entries], "the page and the API number the same entries alike"
    other = bench.client.get(f"/api/negotiations/{NAME}/stances/history?party={B}", headers=token)
    assert other.status_code == 403 and "ukraine-history-note-WK55" not in other.text
