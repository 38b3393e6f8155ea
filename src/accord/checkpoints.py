"""Signed checkpoints of the audit chain: what a database owner cannot forge.

The hash chain (accord.audit) shows an edit in the middle of the log, but not a consistent rewrite:
whoever can write the database can cut the last entries, or change one and recompute every hash
after it. A checkpoint is the chain's head (its entry count and the last entry's hash, at a time)
signed with an Ed25519 key kept outside the database, in the way Certificate Transparency and
Sigstore anchor their logs with signed tree heads. Published or mailed, it proves later that the log
then held exactly these entries: today's log must *extend* it (hold at least as many entries, and
the entry at the checkpoint's count must have the checkpoint's hash), or it was cut or rewritten.

A checkpoint is six lines of text; the signature covers the five before it, byte for byte::

    accord audit checkpoint
    entries 42
    head 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    time 2026-11-27T10:00:00.000000+00:00
    key ed25519:<public key, base64>
    signature <Ed25519 signature, base64>

Only the verifier's own copy of the public key is trusted: the key named in the file only says
which key signed it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass

from accord.audit import AuditEntry, AuditProblem
from accord.errors import CheckpointError
from accord.keys import KeyFile, PublicKey

HEADER = "accord audit checkpoint"
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Checkpoint:
    entries: int
    head: str  # the hash of entry number ``entries``
    time: str  # UTC, ISO 8601
    key_id: str
    signature: bytes
    name: str = "checkpoint"  # where it was read from, for messages

    def signed_text(self) -> str:
        return f"{HEADER}\nentries {self.entries}\nhead {self.head}\ntime {self.time}\nkey {self.key_id}\n"

    def text(self) -> str:
        return self.signed_text() + f"signature {base64.b64encode(self.signature).decode()}\n"


def sign(key: KeyFile, entries: int, head: str, time: str) -> Checkpoint:
    unsigned = Checkpoint(entries, head, time, key.key_id, b"")
    return Checkpoint(entries, head, time, key.key_id, key.sign(unsigned.signed_text().encode()))


def parse(text: str, name: str) -> Checkpoint:
    """The checkpoint in ``text`` (CheckpointError naming ``name`` when it is not one). Blank lines
    around it and Windows line ends (a mailed file) are tolerated; nothing else."""
    lines = [line.rstrip("\r").strip() for line in text.strip().splitlines()]
    fields: dict[str, str] = {}
    expected = ("entries", "head", "time", "key", "signature")
    if len(lines) != len(expected) + 1 or lines[0] != HEADER:
        raise CheckpointError(
            f"{name}: not an accord checkpoint (expected {len(expected) + 1} lines: {HEADER!r}, "
            f"then {', '.join(expected)})"
        )
    for line, field in zip(lines[1:], expected, strict=True):
        label, _, value = line.partition(" ")
        if label != field or not value:
            raise CheckpointError(f"{name}: expected a {field!r} line, found {line[:40]!r}")
        fields[field] = value
    if not fields["entries"].isdigit() or int(fields["entries"]) < 1:
        raise CheckpointError(f"{name}: entries must be a positive whole number, not {fields['entries']!r}")
    if not _HEX64.fullmatch(fields["head"]):
        raise CheckpointError(f"{name}: head must be a SHA-256 hash (64 hex digits)")
    try:
        signature = base64.b64decode(fields["signature"], validate=True)
    except (binascii.Error, ValueError):
        raise CheckpointError(f"{name}: the signature is not base64") from None
    return Checkpoint(int(fields["entries"]), fields["head"], fields["time"], fields["key"], signature, name)


def authenticate(checkpoint: Checkpoint, trusted: PublicKey, trusted_from: str) -> Checkpoint:
    """The checkpoint, if ``trusted`` signed it; CheckpointError naming the reason otherwise."""
    if checkpoint.key_id != trusted.key_id:
        raise CheckpointError(
            f"{checkpoint.name} is signed by key {checkpoint.key_id}, not by the trusted key "
            f"{trusted.key_id} ({trusted_from}): refused"
        )
    if not trusted.verifies(checkpoint.signed_text().encode(), checkpoint.signature):
        raise CheckpointError(
            f"{checkpoint.name}: the signature does not verify against the trusted key ({trusted_from}): "
            "the checkpoint was altered or forged"
        )
    return checkpoint


def read(text: str, name: str, trusted: PublicKey, trusted_from: str) -> Checkpoint:
    return authenticate(parse(text, name), trusted, trusted_from)


def extension_problem(checkpoint: Checkpoint, entries: Sequence[AuditEntry]) -> AuditProblem | None:
    """Whether the log (``entries``, in stored order) extends an authenticated checkpoint: it holds at
    least the checkpoint's entries, and the one at its count has its hash. None when it does."""
    signed = f"{checkpoint.name} (signed {checkpoint.time})"
    if len(entries) < checkpoint.entries:
        return AuditProblem(
            None,
            f"the log holds {len(entries)} entries, but checkpoint {signed} holds {checkpoint.entries}: "
            "entries were cut from its end (truncated)",
        )
    at = entries[checkpoint.entries - 1]
    if at.hash != checkpoint.head:
        return AuditProblem(
            at.seq,
            f"its hash differs from the head of checkpoint {signed}: the log was rewritten at or "
            "before this entry",
        )
    return None
