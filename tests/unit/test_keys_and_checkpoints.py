"""The key file (outside the database) and signed checkpoints of the audit chain, without a database."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from accord import checkpoints, keys
from accord.audit import AuditEntry
from accord.errors import CheckpointError, KeyFileError
from accord.leaks.codes import new_secret


def _entries(hashes: list[str]) -> list[AuditEntry]:
    return [AuditEntry(i + 1, "t", "a", "x", None, "s", {}, "0", "0", "0", h) for i, h in enumerate(hashes)]


def test_a_key_file_is_written_mode_0600_with_its_public_key_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "accord.key"
    key = keys.create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.load(path) == key
    assert keys.load_public(keys.public_path(path)) == key.public == keys.load_public(path)
    assert "signing-key" not in keys.public_path(path).read_text()
    assert repr(key) == "KeyFile()"  # never shown in a log line or an assertion message
    before = path.read_text()
    with pytest.raises(KeyFileError, match="exists already"):
        keys.create(path)
    assert path.read_text() == before


def test_the_key_file_is_found_by_flag_then_environment_then_next_to_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite = f"sqlite:///{tmp_path / 'talks.db'}"
    assert keys.key_path(sqlite) == tmp_path / "talks.key"
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    assert (
        keys.key_path("postgresql+psycopg://u:p@db.example/talks")
        == config / "accord" / "db.example-talks.key"
    )
    monkeypatch.setenv(keys.ENVIRONMENT_VARIABLE, str(tmp_path / "env.key"))
    assert keys.key_path(sqlite) == tmp_path / "env.key"
    assert keys.key_path(sqlite, str(tmp_path / "flag.key")) == tmp_path / "flag.key"


def test_missing_and_malformed_key_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"no key file at .*accord keys init"):
        keys.load(tmp_path / "missing.key")
    bad = tmp_path / "bad.key"
    bad.write_text("hello\n")
    with pytest.raises(KeyFileError, match="not an accord key file"):
        keys.load(bad)
    with pytest.raises(KeyFileError, match="not an accord public key file"):
        keys.load_public(bad)


def test_a_sealed_fingerprint_secret_opens_only_with_its_key(tmp_path: Path) -> None:
    key, other = keys.KeyFile.generate(), keys.KeyFile.generate()
    secret = new_secret()
    sealed = keys.seal(key, secret)
    assert secret not in sealed and keys.is_sealed(sealed) and len(sealed) <= 200
    assert keys.unseal(key, sealed, where="x", path=tmp_path) == secret
    assert keys.seal(key, secret) != sealed  # a fresh salt every time
    with pytest.raises(KeyFileError, match="sealed under key"):
        keys.unseal(other, sealed, where="x", path=tmp_path)


HEADS = ["a" * 64, "b" * 64, "c" * 64]


def test_a_checkpoint_round_trips_as_text_and_verifies_with_the_public_key_only() -> None:
    key = keys.KeyFile.generate()
    signed = checkpoints.sign(key, 2, HEADS[1], "2026-11-27T10:00:00+00:00")
    text = signed.text()
    assert text.startswith("accord audit checkpoint\nentries 2\nhead " + HEADS[1])
    read = checkpoints.read("\n" + text.replace("\n", "\r\n") + "\n", "cp.txt", key.public, "test")
    assert (read.entries, read.head, read.signature) == (2, HEADS[1], signed.signature)
    assert checkpoints.extension_problem(read, _entries(HEADS)) is None
    assert checkpoints.extension_problem(read, _entries(HEADS[:2])) is None


def test_a_log_cut_below_a_checkpoint_or_rewritten_under_it_is_named() -> None:
    key = keys.KeyFile.generate()
    cp = checkpoints.sign(key, 3, HEADS[2], "t")
    cut = checkpoints.extension_problem(cp, _entries(HEADS[:2]))
    assert cut is not None and "truncated" in cut.message and "holds 2 entries" in cut.message
    rewritten = checkpoints.extension_problem(cp, _entries([*HEADS[:2], "d" * 64, "e" * 64]))
    assert rewritten is not None and rewritten.seq == 3 and "rewritten" in rewritten.message


def test_a_forged_or_altered_checkpoint_is_refused() -> None:
    key, forger = keys.KeyFile.generate(), keys.KeyFile.generate()
    genuine = checkpoints.sign(key, 2, HEADS[1], "t").text()
    # another key: even a checkpoint that names the trusted key but is signed by another
    with pytest.raises(CheckpointError, match="not by the trusted key"):
        checkpoints.read(checkpoints.sign(forger, 2, HEADS[1], "t").text(), "f.txt", key.public, "test")
    impostor = checkpoints.sign(forger, 2, HEADS[1], "t").text().replace(forger.key_id, key.key_id)
    with pytest.raises(CheckpointError, match="signature does not verify"):
        checkpoints.read(impostor, "f.txt", key.public, "test")
    # an altered count or head
    with pytest.raises(CheckpointError, match="signature does not verify"):
        checkpoints.read(genuine.replace("entries 2", "entries 1"), "f.txt", key.public, "test")
    with pytest.raises(CheckpointError, match="signature does not verify"):
        checkpoints.read(genuine.replace(HEADS[1], HEADS[0]), "f.txt", key.public, "test")


@pytest.mark.parametrize(
    "text",
    ["", "hello", "accord audit checkpoint\nentries x\n", "accord audit checkpoint\n" + "entries 2\n" * 5],
)
def test_a_file_that_is_no_checkpoint_is_named(text: str) -> None:
    with pytest.raises(CheckpointError, match=r"^x\.txt: "):
        checkpoints.read(text, "x.txt", keys.KeyFile.generate().public, "test")
