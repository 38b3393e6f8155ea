"""`accord ingest apply`: the proposals a person accepted from a report become entries of the record,
all or nothing, in one audited transaction, each citing the report (a source with its text's
SHA-256); the same proposals are never applied twice. On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from accord.domain import StanceKind
from accord.domain.proposals import Evidence, Proposal, ProposalKind, Proposals, Report
from accord.errors import DomainError, ScenarioError
from accord.services import audit, negotiations
from accord.services.ingest_apply import apply_proposals
from accord.storage.database import Database, open_database
from accord.storage.unit_of_work import reading
from tests.conftest import EXAMPLES

COALITION = "veldland-coalition"
ACTOR = "desk-officer"
TEXT = (
    "ROSENDAEL, Nov 21 (Wire) - The formateur met the Greens and the Liberals in Rosendael on Thursday "
    "for ninety minutes. Lotte Vermeer, the Greens' spokeswoman, joined for the second half. Two papers "
    'on the costing of childcare were handed to the Greens. "We cannot accept a coal phase-out in '
    '2040," Vermeer said. A draft of the budget chapter leaked to De Veldlander on Wednesday.'
)
SHA = hashlib.sha256(TEXT.encode()).hexdigest()


def _evidence(words: str) -> tuple[Evidence, ...]:
    start = TEXT.index(words)
    return (Evidence(words, start, start + len(words)),)


def _proposal(ident: str, kind: ProposalKind, words: str, **fields: Any) -> Proposal:
    return Proposal(ident, kind, 0.8, _evidence(words), fields, rule="by hand")


def _proposals() -> Proposals:
    """One proposal of every kind, and one the reviewer dropped."""
    report = Report(
        sha256=SHA,
        file="wire-2031-11-21.txt",
        date=dt.date(2031, 11, 21),
        date_rule="dateline",
        outlet="Wire",
        title="Formateur meets Greens and Liberals",
        negotiation=COALITION,
        characters=len(TEXT),
    )
    said = "We cannot accept a coal phase-out in 2040"
    return Proposals(
        report,
        (
            _proposal(
                "p1",
                ProposalKind.PERSON,
                "Lotte Vermeer",
                name="Lotte Vermeer",
                party="greens",
                role="spokeswoman",
            ),
            _proposal(
                "p2",
                ProposalKind.MEETING,
                "met the Greens and the Liberals in Rosendael",
                date=dt.date(2031, 11, 20),
                start=dt.time(17, 0),
                place="Rosendael",
                duration_minutes=90,
                participants=("formateur", "greens", "liberals"),
                people=(
                    {"person": "Anouk Verhaegen"},
                    {"person": "Lotte Vermeer", "note": "joined for the second half"},
                ),
                status="held",
            ),
            _proposal(
                "p3",
                ProposalKind.PAPER,
                "Two papers",
                date=dt.date(2031, 11, 20),
                title="Costing of childcare",
                count=2,
                recipients=("greens",),
                meeting="p2",
            ),
            _proposal(
                "p4",
                ProposalKind.STATEMENT,
                said,
                date=dt.date(2031, 11, 20),
                speaker="Vermeer",
                party="greens",
                quote=said,
                channel="press",
                points=("coal-phase-out",),
                stance="reject",
            ),
            _proposal(
                "p5",
                ProposalKind.STANCE,
                said,
                party="greens",
                point="coal-phase-out",
                stance="reject",
                statement="p4",
                cue="cannot accept",
            ),
            _proposal(
                "p6",
                ProposalKind.EVENT,
                "A draft of the budget chapter leaked",
                event="leak",
                date=dt.date(2031, 11, 19),
                summary="A draft of the budget chapter leaked",
                surfaced="De Veldlander",
            ),
            replace(
                _proposal(
                    "p7",
                    ProposalKind.STATEMENT,
                    said,
                    date=dt.date(2031, 11, 20),
                    speaker="Vermeer",
                    quote="a coal phase-out in 2040",
                ),
                accept=False,
            ),
        ),
    )


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_database(database_url)
    negotiations.initialise(db)
    negotiations.import_scenario(db, EXAMPLES / "coalition-agreement.yaml", actor="import")
    yield db
    db.dispose()


def _state(database: Database) -> tuple[str, int]:
    with reading(database) as uow:
        return uow.repository.state_digest(COALITION), uow.repository.load(COALITION, stances=False).revision


def _record(database: Database) -> Any:
    with reading(database) as uow:
        return uow.repository.load(COALITION).negotiation


def test_every_kind_of_proposal_becomes_an_entry_citing_the_report(database: Database) -> None:
    applied = apply_proposals(database, COALITION, _proposals(), actor=ACTOR)

    keys = {w.proposal: w.key for w in applied.written}
    assert set(keys) == {"p1", "p2", "p3", "p4", "p5", "p6"}
    assert [w.kind.value for w in applied.written] == [
        "person",
        "meeting",
        "paper",
        "statement",
        "stance",
        "event",
    ]
    assert applied.dropped == ("p7",) and applied.source_created and not applied.dry_run
    record = _record(database)
    source = record.source(applied.source)
    assert source.sha256 == SHA and source.outlet == "Wire" and source.date == dt.date(2031, 11, 21)
    assert source.note == "ingested report wire-2031-11-21.txt"

    person = record.person(keys["p1"])
    assert (person.name, person.party, person.role, person.sources) == (
        "Lotte Vermeer",
        "greens",
        "spokeswoman",
        (source.id,),
    )
    meeting = record.meeting(keys["p2"])
    assert meeting.place == "Rosendael" and meeting.duration == dt.timedelta(minutes=90)
    assert meeting.start == dt.datetime(2031, 11, 20, 17, 0)
    assert {a.person: a.note for a in meeting.people} == {
        "anouk-verhaegen": None,
        person.id: "joined for the second half",
    }
    assert meeting.sources == (source.id,)
    paper = record.paper(keys["p3"])
    assert (paper.count, paper.recipients, paper.meeting, paper.sources) == (
        2,
        ("greens",),
        meeting.id,
        (source.id,),
    )
    statement = record.statement(keys["p4"])
    assert (statement.person, statement.points, statement.stance) == (
        person.id,
        ("coal-phase-out",),
        StanceKind.REJECT,
    )
    assert statement.sources == (source.id,)
    assert len(record.statements) == 1  # the dropped one was not written
    stance = next(s for s in record.stances if (s.party, s.point, s.draft) == ("greens", "coal-phase-out", 1))
    assert keys["p5"] == "greens/coal-phase-out/v1"
    assert (stance.stance, stance.evidence, stance.sources) == (StanceKind.REJECT, statement.id, (source.id,))
    event = record.event(keys["p6"])
    assert (event.kind.value, event.surfaced, event.sources) == ("leak", "De Veldlander", (source.id,))

    verification = audit.check(database)
    assert verification.ok, [str(p) for p in verification.problems]
    entries = audit.entries(database, COALITION)
    ingest = [e for e in entries if e.action == "ingest.apply"]
    assert len(ingest) == 1
    assert ingest[0].details["report"] == SHA and ingest[0].details["source"] == source.id
    assert ingest[0].details["entries"]["p3"] == {"kind": "paper", "key": paper.id}
    # each entry was written by its own use case, audited as the command would audit it
    assert {
        "source.add",
        "person.add",
        "meeting.add",
        "paper.add",
        "statement.add",
        "stance.set",
        "event.add",
    } <= {e.action for e in entries}


def test_applying_the_same_proposals_again_is_refused_and_changes_nothing(database: Database) -> None:
    apply_proposals(database, COALITION, _proposals(), actor=ACTOR)
    before = _state(database)
    with pytest.raises(
        DomainError,
        match=r"were applied already; nothing was written.*\n"
        r"  p1 \(person lotte-vermeer\), p2 \(meeting rosendael-2031-11-20\).*: applied .* by desk-",
    ):
        apply_proposals(database, COALITION, _proposals(), actor=ACTOR)
    assert _state(database) == before
    assert audit.check(database).ok


def test_a_report_stored_already_is_reused_as_the_source(database: Database) -> None:
    first = apply_proposals(database, COALITION, _proposals(), actor=ACTOR)
    more = replace(
        _proposals(),
        proposals=(
            _proposal(
                "p8",
                ProposalKind.EVENT,
                "leaked",
                event="announcement",
                date=dt.date(2031, 11, 21),
                summary="The formateur announced a fourth plenary",
            ),
        ),
    )
    second = apply_proposals(database, COALITION, more, actor=ACTOR)
    assert second.source == first.source and not second.source_created
    assert [s.id for s in _record(database).sources if s.sha256 == SHA] == [first.source]


def test_one_bad_proposal_writes_nothing_and_names_its_field_and_line(
    database: Database, tmp_path: Path
) -> None:
    file = tmp_path / "proposals.yaml"
    file.write_text(
        "report:\n"
        f"  sha256: {SHA}\n"
        "proposals:\n"
        "- id: p1\n"
        "  kind: person\n"
        "  name: Lotte Vermeer\n"
        "- id: p2\n"
        "  kind: meeting\n"
        "  place: Rosendael\n"
        "  participants: [formateur, the-greens]\n",
        encoding="utf-8",
    )
    proposals = _proposals()
    bad = replace(
        proposals.proposals[1],
        fields={**proposals.proposals[1].fields, "participants": ("formateur", "the-greens")},
    )
    speechless = replace(
        proposals.proposals[3], fields={**proposals.proposals[3].fields, "speaker": "Nobody Known"}
    )
    broken = replace(proposals, proposals=(proposals.proposals[0], bad, proposals.proposals[2], speechless))
    before = _state(database)

    with pytest.raises(ScenarioError) as refused:
        apply_proposals(database, COALITION, broken, actor=ACTOR, file=str(file))

    found = {(p.path, p.line) for p in refused.value.problems}
    assert ("proposals[1].participants", 10) in found
    assert any(
        p.path == "proposals[3].speaker" and "Nobody Known" in p.message for p in refused.value.problems
    )
    assert "the-greens" in str(refused.value)
    assert _state(database) == before


def test_a_dry_run_checks_everything_and_writes_nothing(database: Database) -> None:
    before = _state(database)
    entries = len(audit.entries(database))
    tried = apply_proposals(database, COALITION, _proposals(), actor=ACTOR, dry_run=True)
    assert tried.dry_run and [w.proposal for w in tried.written] == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert _state(database) == before and len(audit.entries(database)) == entries
    applied = apply_proposals(database, COALITION, _proposals(), actor=ACTOR)
    assert [(w.proposal, w.key, w.line) for w in applied.written] == [
        (w.proposal, w.key, w.line) for w in tried.written
    ]


def test_a_stance_on_a_draft_not_circulated_to_the_party_is_refused(database: Database) -> None:
    proposals = _proposals()
    stance = replace(proposals.proposals[4], fields={**proposals.proposals[4].fields, "draft": 2})
    with pytest.raises(ScenarioError, match=r"proposals\[4\]\.draft.*not circulated to greens"):
        apply_proposals(
            database, COALITION, replace(proposals, proposals=(*proposals.proposals[:4], stance)), actor=ACTOR
        )


def test_a_stale_revision_is_refused(database: Database) -> None:
    _digest, revision = _state(database)
    with pytest.raises(Exception, match="changed since it was read"):
        apply_proposals(database, COALITION, _proposals(), actor=ACTOR, expected_revision=revision - 1)
    applied = apply_proposals(database, COALITION, _proposals(), actor=ACTOR, expected_revision=revision)
    assert applied.revision is not None and applied.revision > revision


# -- the command line ------------------------------------------------------------------------------


def _run(*argv: str, input: str | None = None) -> Any:
    from typer.testing import CliRunner

    from accord.cli.app import app

    return CliRunner().invoke(app, list(argv), input=input, env={"ACCORD_USER": ACTOR, "COLUMNS": "200"})


@pytest.fixture
def stored(tmp_path: Path) -> str:
    db = str(tmp_path / "accord.db")
    for argv in (["init", "--db", db], ["import", str(EXAMPLES / "coalition-agreement.yaml"), "--db", db]):
        assert _run(*argv).exit_code == 0
    return db


def test_ingest_help_shows_both_usages() -> None:
    result = _run("ingest", "--help")
    assert result.exit_code == 0, result.output
    assert "accord ingest REPORT" in result.output and "accord ingest apply FILE" in result.output


def test_apply_on_the_command_line_prints_each_entry_then_refuses_a_second_time(
    stored: str, tmp_path: Path
) -> None:
    from accord.scenario.proposals_file import dump_proposals

    file = tmp_path / "proposals.yaml"
    file.write_text(dump_proposals(_proposals()), encoding="utf-8")

    tried = _run("ingest", "apply", str(file), "--dry-run", "--db", stored)
    assert tried.exit_code == 0, tried.output
    assert "dry run: nothing written; 6 entries would be written" in tried.output
    assert "p3: paper costing-of-childcare: " in tried.output
    assert "dropped (accept: false): p7" in tried.output

    done = _run("ingest", "apply", str(file), "--db", stored, "-n", COALITION)
    assert done.exit_code == 0, done.output
    said = done.output
    assert (
        "6 entries written to veldland-coalition, citing source Wire, “Formateur meets Greens and Liberals”, "
        "2031-11-21 (new)" in said
    ), "the report's source in words, not its key"
    # every entry in names, not keys: the parties, the people, the points
    assert "p1: person lotte-vermeer: Lotte Vermeer of Green Party of Veldland, spokeswoman" in said
    met = "held meeting on 2031-11-20 17:00 at Rosendael"
    parties = "Formateur Ilse Vandermaar, Green Party of Veldland, Liberal Party of Veldland"
    assert "p2: meeting rosendael-2031-11-20: " in said and f"{met} ({parties})" in said
    assert "p3: paper costing-of-childcare: Costing of childcare to Green Party of Veldland" in said
    assert "Lotte Vermeer on 2031-11-20 on point 3 (Coal phase-out year): reject" in said
    assert (
        "p5: stance: Green Party of Veldland on point 3 (Coal phase-out year) of draft v1: reject "
        "(from statement " in said
    )
    for key in ("greens", "liberals", "formateur", "coal-phase-out", "wire-2031-11-21"):
        assert key not in said, key

    again = _run("ingest", "apply", str(file), "--db", stored)
    assert again.exit_code == 1 and again.stderr.startswith("DomainError: 6 of these proposals of report")
    assert "Traceback" not in again.output
    assert "audit log intact" in _run("audit", "verify", "--db", stored).output


def test_an_edited_proposals_file_with_a_wrong_party_is_refused_with_its_line(
    stored: str, tmp_path: Path
) -> None:
    from accord.scenario.proposals_file import dump_proposals

    text = dump_proposals(_proposals()).replace(
        "[formateur, greens, liberals]", "[formateur, grens, liberals]"
    )
    file = tmp_path / "proposals.yaml"
    file.write_text(text, encoding="utf-8")
    line = next(n for n, words in enumerate(text.splitlines(), 1) if "grens" in words)
    result = _run("ingest", "apply", str(file), "--db", stored)
    assert result.exit_code == 1
    assert f"{file}:{line}: proposals[1].participants:" in result.stderr and "'grens'" in result.stderr


def test_ingest_reads_a_report_from_the_standard_input(stored: str, tmp_path: Path) -> None:
    out = tmp_path / "proposals.yaml"
    result = _run("ingest", "-", "--db", stored, "-o", str(out), "--source-outlet", "Wire", input=TEXT)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: " in result.output and "report date: 2031-11-21 (dateline)" in result.output
    assert out.read_text(encoding="utf-8").startswith("#")
    wrong = _run("ingest", "-", "--db", stored, "--source-url", "example.org/x", input=TEXT)
    assert wrong.exit_code == 1 and wrong.stderr.startswith(
        "DomainError: --source-url: 'example.org/x' is not a URL"
    ), wrong.output
    shown = _run("ingest", "-", "--db", stored, "--json", input=TEXT)
    assert shown.exit_code == 0, shown.output
    answer = json.loads(shown.stdout)
    assert answer["report"]["sha256"] == SHA
    assert answer["proposals"], "the report proposes entries"
    for proposal in answer["proposals"]:  # the shape the issue names, every evidence the report's words
        assert {"id", "kind", "confidence", "evidence"} <= set(proposal)
        assert proposal["kind"] in {"meeting", "paper", "statement", "stance", "event", "person"}
        for evidence in proposal["evidence"]:
            assert TEXT.replace("\r\n", "\n")[evidence["start"] : evidence["end"]] == evidence["quote"]


def test_the_report_source_and_its_digest_survive_an_export_and_an_import(
    stored: str, tmp_path: Path
) -> None:
    from accord.scenario.proposals_file import dump_proposals

    file = tmp_path / "proposals.yaml"
    file.write_text(dump_proposals(_proposals()), encoding="utf-8")
    assert _run("ingest", "apply", str(file), "--db", stored).exit_code == 0
    exported = tmp_path / "exported.yaml"
    assert _run("export", COALITION, "-o", str(exported), "--db", stored).exit_code == 0
    assert f"sha256: {SHA}" in exported.read_text(encoding="utf-8")
    assert _run("validate", str(exported)).exit_code == 0
    again = str(tmp_path / "again.db")
    assert _run("init", "--db", again).exit_code == 0
    imported = _run("import", str(exported), "--db", again)
    assert imported.exit_code == 0, imported.output
    copy = open_database(again)
    try:
        with reading(copy) as uow:
            sources = uow.repository.load(COALITION, stances=False).negotiation.sources
    finally:
        copy.dispose()
    assert [(s.id, s.sha256) for s in sources] == [("wire-2031-11-21", SHA)]


def test_a_person_recorded_already_is_skipped_and_what_they_said_is_theirs(database: Database) -> None:
    said = "We cannot accept a coal phase-out in 2040"
    proposals = replace(
        _proposals(),
        proposals=(
            _proposal("p1", ProposalKind.PERSON, "Lotte Vermeer", name="Anouk Verhaegen", party="greens"),
            _proposal(
                "p2",
                ProposalKind.STATEMENT,
                said,
                date=dt.date(2031, 11, 20),
                speaker="Anouk Verhaegen",
                quote=said,
            ),
        ),
    )
    applied = apply_proposals(database, COALITION, proposals, actor=ACTOR)
    assert applied.skipped == (("p1", "Anouk Verhaegen is recorded already, as anouk-verhaegen"),)
    assert [w.proposal for w in applied.written] == ["p2"]
    assert _record(database).statement(applied.written[0].key).person == "anouk-verhaegen"


def test_apply_writes_into_the_negotiation_the_report_was_read_against(stored: str, tmp_path: Path) -> None:
    """The file names it (report.negotiation): an edit to another name, or a -n that differs, is
    refused; without -n, a database holding several negotiations needs none."""
    from accord.scenario.proposals_file import dump_proposals

    file = tmp_path / "proposals.yaml"
    file.write_text(dump_proposals(_proposals()))  # read against COALITION
    other = _run("import", str(EXAMPLES / "camp-david-1978.yaml"), "--db", stored)
    assert other.exit_code == 0, other.output  # two negotiations now
    wrong = _run("ingest", "apply", str(file), "--dry-run", "--db", stored, "-n", "camp-david-1978")
    assert wrong.exit_code == 1
    assert "were read against 'veldland-coalition', not 'camp-david-1978'" in wrong.stderr
    assert "Traceback" not in wrong.output
    tried = _run("ingest", "apply", str(file), "--dry-run", "--db", stored)
    assert tried.exit_code == 0, tried.output
    assert "would be written to veldland-coalition" in tried.output
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(file.read_text().replace(f"negotiation: {COALITION}", "negotiation: nowhere"))
    missing = _run("ingest", "apply", str(elsewhere), "--dry-run", "--db", stored)
    assert missing.exit_code == 1 and "no negotiation 'nowhere'" in missing.stderr
