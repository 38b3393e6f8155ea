"""Papers with their content through the `accord` command (issue 13, item 3), on SQLite and PostgreSQL:
a file of any type stored with its SHA-256, size and media type and written back byte for byte;
untitled papers and papers of unknown number; recipients as parties and people (a person brings in
their party); bad input refused with one line naming the option, exit 1, nothing written; and the
policy's rule on who reads a paper (the mediator and its recipients), as every read goes through it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.errors import NotFoundError
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import audit, papers
from accord.storage.database import open_database
from tests.storage.conftest import FLAGSHIP
from tests.storage.helpers import snapshot

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "1000"}
NAME = "peace-framework-2025"
# every byte value, a NUL-led header and bytes that are no UTF-8: a file no text round trip survives
BINARY = b"%PDF-1.7\n\x00\xff\xfe" + bytes(range(256)) * 40 + b"\r\n\x1a end"
TASS = [
    "--source-outlet",
    "TASS",
    "--source-title",
    "Ushakov: documents related to the plan handed over",
    "--source-url",
    "https://tass.com/politics/2025-12-03",
    "--source-date",
    "2025-12-03",
]


def accord(url: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", url], env={**ENV, **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def ok(url: str, *args: str, env: dict[str, str] | None = None) -> str:
    code, out, err = accord(url, *args, env=env)
    assert code == 0, err
    return out


@pytest.fixture
def record(database_url: str) -> str:
    """The flagship imported, with a Russian aide known by two spellings."""
    ok(database_url, "import", str(FLAGSHIP))
    ok(database_url, "person", "add", "Yuri Ushakov", "--party", "russia", "--alias", "Yury Ushakov")
    ok(database_url, "person", "add", "Rustem Umerov", "--party", "ukraine")
    return database_url


def test_a_binary_file_is_stored_with_its_digest_and_written_back_byte_for_byte(
    record: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    original = tmp_path / "plan documents.pdf"
    original.write_bytes(BINARY)
    out = ok(
        record,
        "paper",
        "add",
        "--title",
        "Documents related to the plan",
        "--file",
        str(original),
        "--to-person",
        "Yury Ushakov",
        "--meeting",
        "moscow-2025-12-02",
        "--draft",
        "3",
        "--related-draft",
        "1",
        "--id",
        "plan-documents",
        *TASS,
    )
    assert (
        out.strip()
        == f"paper plan-documents: Documents related to the plan (plan documents.pdf, {len(BINARY):,} bytes)"
    )
    shown = json.loads(ok(record, "paper", "show", "plan-documents", "--json"))
    assert shown["sha256"] == hashlib.sha256(BINARY).hexdigest() and shown["size"] == len(BINARY)
    assert shown["media_type"] == "application/pdf" and shown["content"] == "file"
    assert shown["recipients"] == ["russia"]  # the person's party, implied
    assert shown["recipient_people"] == [{"id": "yuri-ushakov", "name": "Yuri Ushakov"}]
    assert shown["meeting"] == "moscow-2025-12-02" and shown["date"] == "2025-12-02"  # the meeting's day
    assert shown["draft"] == 3 and shown["related_drafts"] == [1]
    assert shown["sources"] == ["tass-2025-12-03"]
    listed = json.loads(ok(record, "paper", "list", "--json"))
    assert [p["id"] for p in listed if p["id"] == "plan-documents"] == ["plan-documents"]
    text = ok(record, "paper", "show", "plan-documents")
    assert f"sha256: {hashlib.sha256(BINARY).hexdigest()}" in text and "to people: Yuri Ushakov" in text

    code, _out, err = accord(record, "paper", "get", "plan-documents")  # its own name: taken here
    assert (
        code == 1
        and err
        == "DomainError: plan documents.pdf exists already; give --out FILE, or --force to overwrite it\n"
    )
    original.rename(tmp_path / "given.pdf")
    ok(record, "paper", "get", "plan-documents")  # under its own name, in the working folder
    assert (tmp_path / "plan documents.pdf").read_bytes() == BINARY
    copy = tmp_path / "copy.bin"
    assert "bytes written to" in ok(record, "paper", "get", "plan-documents", "--out", str(copy))
    assert copy.read_bytes() == BINARY
    copy.write_bytes(b"mine")
    code, _out, err = accord(record, "paper", "get", "plan-documents", "--out", str(copy))
    assert code == 1 and err.startswith(f"DomainError: --out: {copy} exists already; give --force")
    assert copy.read_bytes() == b"mine"
    ok(record, "paper", "get", "plan-documents", "--out", str(copy), "--force")
    assert copy.read_bytes() == BINARY

    database = open_database(record)
    entry = audit.entries(database)[-1]
    assert entry.action == "paper.add" and entry.details["sha256"] == hashlib.sha256(BINARY).hexdigest()
    assert audit.check(database).ok


def test_untitled_papers_are_recorded_by_count_or_as_several(record: str) -> None:
    ok(record, "paper", "add", "--count", "3", "--to", "ukraine", "--meeting", "berlin-2025-12-14")
    out = ok(record, "paper", "add", "--several", "--to", "russia", "--note", "several papers handed over")
    assert out.strip().endswith("several untitled papers")
    listed = {p["id"]: p for p in json.loads(ok(record, "paper", "list", "--json"))}
    counted = next(p for p in listed.values() if p["count"] == 3)
    several = next(p for p in listed.values() if p["count"] == "several")
    assert counted["title"] is None and counted["label"] == "3 untitled papers"
    assert several["label"] == "several untitled papers" and several["content"] == "none"
    assert "count: several (number unknown)" in ok(record, "paper", "show", several["id"])


def test_a_text_content_is_written_out_as_a_text_file(
    record: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ok(record, "paper", "add", "--title", "Talking points", "--text", "Point 1: ceasefire.\n", "--id", "tp")
    assert json.loads(ok(record, "paper", "show", "tp", "--json"))["text"] == "Point 1: ceasefire.\n"
    ok(record, "paper", "get", "tp")
    assert (tmp_path / "tp.txt").read_text(encoding="utf-8") == "Point 1: ceasefire.\n"


def test_a_fingerprinted_copy_is_recorded_as_a_paper_to_its_party(
    record: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"ACCORD_KEY_FILE": str(tmp_path / "copies.key")}
    ok(record, "keys", "init", env=env)
    ok(record, "draft", "export", "3", "--for", "russia", "-o", str(tmp_path / "v3.md"), env=env)
    ok(
        record,
        "paper",
        "add",
        "--title",
        "Draft v3 for Russia",
        "--file",
        str(tmp_path / "v3.md"),
        "--copy",
        "1",
        "--id",
        "c1",
    )
    shown = json.loads(ok(record, "paper", "show", "c1", "--json"))
    assert shown["copy"] == 1 and shown["recipients"] == ["russia"] and shown["media_type"] == "text/markdown"


BIG = "big.bin"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["paper", "add", "--to", "atlantis"],
            "NotFoundError: --to: negotiation 'peace-framework-2025' has no party 'atlantis'",
        ),
        (["paper", "add", "--to-person", "Nobody"], "NotFoundError: --to-person: "),
        (["paper", "add", "--meeting", "nowhere"], "NotFoundError: --meeting: "),
        (["paper", "add", "--draft", "99"], "NotFoundError: --draft: "),
        (["paper", "add", "--related-draft", "99"], "NotFoundError: --related-draft: "),
        (
            ["paper", "add", "--copy", "7"],
            "NotFoundError: --copy: the issue register of 'peace-framework-2025' has no entry 7",
        ),
        (
            ["paper", "add", "--file", "{tmp}/no-such.pdf"],
            "DomainError: --file: {tmp}/no-such.pdf: no such file",
        ),
        (["paper", "add", "--file", "{tmp}"], "DomainError: --file: {tmp} is not a file"),
        (
            ["paper", "add", "--file", "{tmp}/" + BIG],
            "DomainError: --file: {tmp}/big.bin is 25,000,001 bytes, over the limit of 25,000,000 bytes "
            "(25 MB;",
        ),
        (["paper", "add", "--count", "0"], "DomainError: --count: expected how many papers, 1 or more"),
        (["paper", "add", "--count", "2", "--several"], "DomainError: --several: give --count or --several"),
        (
            ["paper", "add", "--text", "x", "--file", "{tmp}/small.txt"],
            "DomainError: --text: give the content",
        ),
        (["paper", "add", "--date", "yesterday"], "DomainError: --date: expected a date"),
        (
            ["paper", "add", "--source-url", "www.example.org"],
            "DomainError: --source-url: 'www.example.org' is not a URL",
        ),
        (["paper", "add", "--source", "nowhere"], "NotFoundError: --source: "),
        (
            ["paper", "add", "--id", "us-28-points"],
            "DomainError: --id: a paper 'us-28-points' is recorded already",
        ),
        (["paper", "add", "--title", "x" * 501], "DomainError: --title: longer than 500 characters"),
        (
            ["paper", "show", "nowhere"],
            "NotFoundError: paper: negotiation 'peace-framework-2025' has no paper",
        ),
        (["paper", "get", "nowhere"], "NotFoundError: paper: "),
        (["paper", "get", "us-28-points"], "DomainError: paper us-28-points has no content recorded"),
    ],
)
def test_bad_input_is_refused_with_one_line_naming_the_option_and_nothing_written(
    record: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], words: str
) -> None:
    tmp_path = tmp_path / "work"  # (the SQLite database lies in the test's own folder)
    tmp_path.mkdir()
    monkeypatch.chdir(tmp_path)
    with (tmp_path / BIG).open("wb") as big:
        big.truncate(25_000_001)  # sparse: refused by its size before a byte is read
    (tmp_path / "small.txt").write_text("small\n")
    database = open_database(record)
    before = snapshot(database)
    code, out, err = accord(record, *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 1, out + err
    assert err.startswith(words.replace("{tmp}", str(tmp_path))), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert snapshot(database) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [BIG, "small.txt"]  # nothing written out


def test_the_size_limit_is_a_setting(record: str, tmp_path: Path) -> None:
    small = tmp_path / "note.txt"
    small.write_bytes(b"x" * 11)
    code, _out, err = accord(
        record, "paper", "add", "--file", str(small), env={"ACCORD_MAX_PAPER_BYTES": "10"}
    )
    assert code == 1 and "over the limit of 10 bytes" in err and "$ACCORD_MAX_PAPER_BYTES" in err
    ok(record, "paper", "add", "--file", str(small), env={"ACCORD_MAX_PAPER_BYTES": "11"})


def test_a_party_seat_reads_only_the_papers_handed_to_its_party(record: str, tmp_path: Path) -> None:
    """Every read goes through the policy: the command line reads as the database's operator (the
    mediator's seat; it has no party seats), and a party's seat, asking the same service, never
    learns of a paper handed to another party: not in the list, not by its id, not its content."""
    secret = tmp_path / "secret.bin"
    secret.write_bytes(b"\x00private-content-QZ17\xff")
    ok(
        record,
        "paper",
        "add",
        "--title",
        "For Russia only",
        "--file",
        str(secret),
        "--to-person",
        "Ushakov",
        "--id",
        "ru-only",
    )
    ok(record, "paper", "add", "--title", "For Ukraine", "--text", "hello", "--to", "ukraine", "--id", "ua")
    database = open_database(record)
    ukraine = Viewer("kyiv", "Kyiv desk", {NAME: Seat(SeatRole.MEMBER, "ukraine")})
    russia = Viewer("moscow", "Moscow desk", {NAME: Seat(SeatRole.MEMBER, "russia")})
    observer = Viewer("watcher", "Observer", {NAME: Seat(SeatRole.OBSERVER, "russia")})
    found, _seen = papers.list_papers(database, NAME, viewer=ukraine)
    assert "ru-only" not in {p.id for p in found} and "ua" in {p.id for p in found}
    for who in (ukraine, observer):
        with pytest.raises(NotFoundError):
            papers.get_paper(database, NAME, "ru-only", viewer=who)
        with pytest.raises(NotFoundError):
            papers.paper_content(database, NAME, "ru-only", viewer=who)
    assert papers.paper_content(database, NAME, "ru-only", viewer=russia).data == secret.read_bytes()
    mine, _ = papers.get_paper(database, NAME, "ru-only", viewer=russia)
    assert mine.recipients == ("russia",)
    # the command line: the operator's (mediator's) reading
    assert papers.paper_content(database, NAME, "ru-only", user="desk").data == secret.read_bytes()
