"""What makes the workbench fast must not make it wrong: negotiations kept per process are never
stale, the current stances come from the database's newest rows, and the state digest taken over
parts encoded once is byte for byte the digest of the plain state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from accord.audit import Encoded, Parts, canonical, digest
from accord.domain import DraftStatus, MeetingStatus, StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.security.policy import SeatRole
from accord.services import accounts, audit, drafts, meetings, stances
from accord.storage.database import Database, open_database
from accord.storage.repository import CHAINED
from accord.storage.tables import (
    LATER_COLUMNS,
    copies,
    event_traces,
    events,
    grants,
    leak_settings,
    meeting_changes,
    negotiations,
    paper_files,
    papers,
    people,
    shares,
    sources,
    statements,
)
from accord.storage.tables import drafts as draft_rows
from accord.storage.tables import meetings as meeting_rows
from accord.storage.unit_of_work import reading, writing

NAME = "peace-framework-2025"


def _loaded(database: Database) -> Any:
    with reading(database) as uow:
        return uow.repository.load(NAME, stances=False)


def test_a_negotiation_kept_by_one_process_follows_the_writes_of_another(flagship: Database) -> None:
    other = open_database(flagship.url)  # its own engine and cache, like a second server worker
    try:
        first = _loaded(other)
        assert _loaded(other).negotiation is first.negotiation  # kept: nothing changed
        hits = other.loaded.hits

        version = first.negotiation.latest_draft.version
        with reading(other) as uow:
            folded_before = uow.repository.current_stances(NAME, version)  # the fold, kept by `other`
        # a stance: the negotiation without stances is the same, only the revision moves
        done = stances.set_stance(
            flagship, NAME, party="ukraine", point="1", stance=StanceKind.REJECT, actor="kyiv", note="no"
        )
        with reading(other) as uow:
            folded_after = uow.repository.current_stances(NAME, version)
        assert done in folded_after and done not in folded_before
        assert folded_after[-1] == done  # the newest record comes last
        assert (
            len(folded_after)
            == len([s for s in folded_before if (s.party, s.point) != (done.party, done.point)]) + 1
        )
        after_stance = _loaded(other)
        assert after_stance.negotiation is first.negotiation
        assert after_stance.revision == first.revision + 1
        assert other.loaded.hits == hits + 1

        # every other kind of write is seen at once by the other process
        latest = first.negotiation.latest_draft.version
        drafts.new_draft(flagship, NAME, [Amendment(AmendmentKind.DROP, "28", "folded in")], actor="m")
        assert _loaded(other).negotiation.latest_draft.version == latest + 1
        drafts.circulate(flagship, NAME, latest + 1, ["ukraine"], actor="m")
        assert _loaded(other).negotiation.draft(latest + 1).circulated_to == ("ukraine",)
        meetings.add_meeting(
            flagship,
            NAME,
            date=dt.date(2026, 1, 5),
            place="Geneva",
            participants=["ukraine", "europe"],
            status=MeetingStatus.HELD,
            reason=None,
            outcome="talks",
            actor="m",
        )
        assert any(m.place == "Geneva" for m in _loaded(other).negotiation.meetings)
        # and what the other process keeps is exactly what a fresh load reads
        fresh = open_database(flagship.url)
        try:
            with reading(fresh) as uow:
                uncached = uow.repository._load(uow.repository.id_of(NAME), stances=False)
            assert _loaded(other).negotiation == uncached.negotiation
        finally:
            fresh.dispose()
    finally:
        other.dispose()


def test_the_current_stances_are_the_newest_rows(flagship: Database) -> None:
    version = _loaded(flagship).negotiation.latest_draft.version
    recorded = [
        ("ukraine", "1", StanceKind.REJECT),
        ("russia", "1", StanceKind.ACCEPT),
        ("ukraine", "1", StanceKind.CONDITIONAL),
        ("ukraine", "2", StanceKind.ACCEPT),
        ("russia", "1", StanceKind.REJECT),
    ]
    ids = {}
    for party, point, kind in recorded:
        done = stances.set_stance(
            flagship, NAME, party=party, point=point, stance=kind, version=version, actor="x"
        )
        ids[point] = done.point  # the point's id
    with reading(flagship) as uow:
        every = uow.repository.current_stances(NAME, version)
        ukraine = uow.repository.current_stances(NAME, version, party="ukraine")
        full = uow.repository.load(NAME).negotiation  # the history, folded in Python
    expected = [s for s in full.stances if s.draft == version]
    assert sorted(every, key=lambda s: (s.party, s.point)) == sorted(
        expected, key=lambda s: (s.party, s.point)
    )
    got = {(s.party, s.point): s.stance for s in every}
    assert got[("ukraine", ids["1"])] is StanceKind.CONDITIONAL
    assert got[("russia", ids["1"])] is StanceKind.REJECT
    assert {s.party for s in ukraine} == {"ukraine"}
    assert {(s.point, s.stance) for s in ukraine} >= {
        (ids["1"], StanceKind.CONDITIONAL),
        (ids["2"], StanceKind.ACCEPT),
    }


def _plain_state(database: Database) -> dict[str, Any]:
    """The state as the digest was first defined: every row read plainly, JSON parsed by the driver
    (a column added later, tables.LATER_COLUMNS, only when it holds a value; a table added later only
    when it holds rows)."""
    with database.engine.connect() as connection:
        nid = connection.execute(sa.select(negotiations.c.id).where(negotiations.c.slug == NAME)).scalar_one()
        row = connection.execute(sa.select(negotiations).where(negotiations.c.id == nid)).one()
        state: dict[str, Any] = {
            "negotiation": {k: v for k, v in row._mapping.items() if k != "revision_without_stances"}
        }
        for table in (draft_rows, meeting_rows, papers, shares, grants, copies, leak_settings):
            rows = connection.execute(
                sa.select(table).where(table.c.negotiation_id == nid).order_by(table.c.id)
            )
            later = LATER_COLUMNS.get(table.name, frozenset())
            state[table.name] = [
                {k: v for k, v in r._mapping.items() if not (k in later and v is None)} for r in rows
            ]
        # the tables migration 0007 added, when they hold rows (the flagship's people, sources,
        # statements and events); it has no stored file, whose state would be its paper and SHA-256
        for table in (meeting_changes, people, sources, statements, events, event_traces):
            rows = connection.execute(
                sa.select(table).where(table.c.negotiation_id == nid).order_by(table.c.id)
            ).all()
            later = LATER_COLUMNS.get(table.name, frozenset())
            if rows:
                state[table.name] = [
                    {k: v for k, v in r._mapping.items() if not (k in later and v is None)} for r in rows
                ]
        assert not connection.execute(sa.select(paper_files)).first()
        for table in CHAINED:
            chains = (
                connection.execute(
                    sa.select(table.c.chain).where(table.c.negotiation_id == nid).order_by(table.c.id)
                )
                .scalars()
                .all()
            )
            state[table.name] = {"rows": len(chains), "chain": chains[-1] if chains else "0" * 64}
    return state


def test_the_state_digest_is_the_digest_of_the_plain_state(flagship: Database) -> None:
    stances.set_stance(flagship, NAME, party="europe", point="3", stance=StanceKind.ACCEPT, actor="brussels")
    # every small table holds rows, with JSON, floats and text outside ASCII in them
    accounts.add_user(flagship, "olena", "Olena Ш.", "a long enough password", actor="admin")
    accounts.grant(flagship, "olena", NAME, SeatRole.MEMBER, "ukraine", actor="admin")
    content = {"package": {"1": "a"}, "your_utility": 0.1 + 0.2, "note": "Ж ü 1e-07", "n": [1, 2.5e-7]}
    with writing(flagship, "admin") as uow:
        before = uow.repository.state_digest(NAME)
        uow.accounts.add_share(uow.repository.id_of(NAME), "ukraine", "Nash — share", content, uow.now, "m")
        uow.record("analysis.share", NAME, "shared", before)
    with reading(flagship) as uow:
        state = uow.repository.state(NAME)
        assert state is not None
        assert isinstance(state["negotiation"]["framework"], Encoded)
        assert uow.repository.state_digest(NAME) == digest(_plain_state(flagship))
    # and the entry a stance write leaves (its "after" built from the "before") matches the record
    assert audit.check(flagship).ok


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), _json, max_size=6), st.data())
def test_encoding_in_parts_gives_the_same_bytes(value: dict[str, Any], data: st.DataObject) -> None:
    parts = Parts()
    for key, item in value.items():
        how = data.draw(st.sampled_from(["plain", "encoded", "parts"]))
        if how == "encoded":
            parts[key] = Encoded.of(item)
        elif how == "parts" and isinstance(item, dict):
            parts[key] = Parts(item)
        else:
            parts[key] = item
    assert canonical(parts) == canonical(value)


def test_a_key_left_out_of_the_state_is_only_the_cache_counter(flagship: Database) -> None:
    with reading(flagship) as uow:
        state = uow.repository.state(NAME)
    assert state is not None
    assert set(state["negotiation"]) == {c.name for c in negotiations.c} - {"revision_without_stances"}


def test_what_a_write_that_rolls_back_read_is_not_kept(flagship: Database) -> None:
    latest = _loaded(flagship).negotiation.latest_draft.version
    with pytest.raises(RuntimeError), writing(flagship, "m") as uow:
        uow.repository.set_draft_status(NAME, latest, "withdrawn")  # raises the counter, uncommitted
        assert (
            uow.repository.load(NAME, stances=False).negotiation.draft(latest).status is DraftStatus.WITHDRAWN
        )
        raise RuntimeError("the write fails after it read its own change")
    # another write raises the counter to the same value the rolled-back one had reached
    drafts.set_status(flagship, NAME, latest, DraftStatus.AGREED, actor="m")
    assert _loaded(flagship).negotiation.draft(latest).status is DraftStatus.AGREED


def _state_is_plain(database: Database) -> None:
    with reading(database) as uow:
        assert uow.repository.state_digest(NAME) == digest(_plain_state(database))


def test_the_state_kept_per_process_follows_every_write_that_changes_it(
    flagship: Database, tmp_path: Any
) -> None:
    """What a process keeps of the state digest's small tables (Repository.state) is never stale:
    after each kind of write that changes them (some outside the repository: seats, shares, leak
    rules, fingerprinted copies), the state read through the kept parts is the plain state, and a
    stance write's entry (its "before" taken through them) verifies."""
    from accord.leaks.rules import Rule
    from accord.services import leaks

    _state_is_plain(flagship)  # the parts are kept from here on
    writes = [
        lambda: accounts.add_user(flagship, "olena", "Olena Ш.", "a long enough password", actor="admin"),
        lambda: accounts.grant(flagship, "olena", NAME, SeatRole.MEMBER, "ukraine", actor="admin"),
        lambda: leaks.set_veto(flagship, NAME, Rule.SPELLING, True, actor="m"),
        lambda: leaks.export_copy(flagship, NAME, 3, "russia", "md", tmp_path / "copy.md", actor="m"),
        lambda: drafts.set_status(flagship, NAME, 3, DraftStatus.AGREED, actor="m"),
    ]
    for number, write in enumerate(writes):
        write()
        _state_is_plain(flagship)
        stances.set_stance(
            flagship, NAME, party="europe", point=str(number + 1), stance=StanceKind.ACCEPT, actor="b"
        )
        _state_is_plain(flagship)
    with writing(flagship, "admin") as uow:
        before = uow.repository.state_digest(NAME)
        uow.accounts.add_share(uow.repository.id_of(NAME), "ukraine", "a share", {"a": 1}, uow.now, "m")
        uow.record("analysis.share", NAME, "shared", before)
    _state_is_plain(flagship)
    assert flagship.states.hits > 0  # the parts were kept and used, not read every time
    assert audit.check(flagship).ok


def test_the_state_read_by_a_write_that_rolls_back_is_not_kept(flagship: Database) -> None:
    _state_is_plain(flagship)
    with pytest.raises(RuntimeError), writing(flagship, "admin") as uow:
        uow.accounts.add_share(uow.repository.id_of(NAME), "ukraine", "kept?", {"a": 1}, uow.now, "m")
        uow.repository.state(NAME)  # reads its own, uncommitted share
        raise RuntimeError("the write fails after it read its own change")
    # another write raises the counter to the value the rolled-back one had reached
    with writing(flagship, "admin") as uow:
        before = uow.repository.state_digest(NAME)
        uow.accounts.add_share(uow.repository.id_of(NAME), "europe", "the one", {"b": 2}, uow.now, "m")
        uow.record("analysis.share", NAME, "shared", before)
    _state_is_plain(flagship)
    assert audit.check(flagship).ok
