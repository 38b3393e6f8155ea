"""The tamper-evident audit log: an append-only chain of entries, each holding the previous one's hash.

Every write to the record appends one entry: who, when, what (action and summary, details), and the
digest of the negotiation's stored state before and after. ``hash`` is SHA-256 over the entry's own
fields and ``previous_hash``, so editing, deleting, inserting or reordering entries breaks the chain
at that entry; comparing the last ``after_digest`` of each negotiation with a digest of what is
stored now catches edits to the record itself. Entries about the accounts carry the accounts' digest
the same way (see :func:`accounts_digest`). A consistent rewrite of the whole chain, or a cut of its
tail, is caught only against a signed checkpoint of its head (accord.checkpoints).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import sqlalchemy as sa

from accord.storage.tables import audit_entries

_CHAIN_END = (
    sa.select(audit_entries.c.seq, audit_entries.c.hash).order_by(audit_entries.c.seq.desc()).limit(1)
)

GENESIS = "0" * 64
ABSENT = hashlib.sha256(b"null").hexdigest()
"""The digest of a negotiation that is not stored (before its import, after its deletion)."""


def canonical(value: Any) -> bytes:
    """JSON with sorted keys, no spaces, UTF-8: the bytes every digest is taken over.

    A :class:`Encoded` value stands for bytes encoded already, and a :class:`Parts` mapping is encoded
    key by key, so a large unchanged part (a framework, a table) is encoded once and reused; the bytes
    are the same as for the plain values."""
    if isinstance(value, Encoded):
        return value.data
    if isinstance(value, Parts):
        return b"{" + b",".join(_json(key) + b":" + canonical(value[key]) for key in sorted(value)) + b"}"
    return _json(value)


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Encoded:
    """A value's canonical bytes, computed once (see :func:`canonical`)."""

    data: bytes

    @classmethod
    def of(cls, value: Any) -> Encoded:
        return cls(canonical(value))


class Parts(dict[str, Any]):
    """A mapping whose values may be :class:`Encoded` or :class:`Parts` (see :func:`canonical`)."""


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def accounts_digest(users: list[Mapping[str, Any]]) -> str:
    """The digest of the accounts (each user's id, name, full name, creation time and the SHA-256 of
    its password hash, by id); ABSENT when there are none. Entries about the accounts (see
    :func:`about_accounts`) carry it before and after, as a negotiation's entries carry its state."""
    return digest({"users": list(users)}) if users else ABSENT


def about_accounts(entry: AuditEntry) -> bool:
    """An entry that changed the accounts (``user.add``, ``user.password``, ``accounts.adopt``); a
    seat (``user.grant``) belongs to its negotiation's state instead."""
    return entry.negotiation is None and entry.action.partition(".")[0] in ("user", "accounts")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    recorded_at: str
    actor: str
    action: str
    negotiation: str | None
    summary: str
    details: Mapping[str, Any]
    before_digest: str
    after_digest: str
    previous_hash: str
    hash: str

    def expected_hash(self) -> str:
        content = asdict(self)
        del content["hash"]
        return digest(content)


@dataclass(frozen=True)
class AuditProblem:
    seq: int | None
    message: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.message}" if self.seq is not None else self.message


@dataclass(frozen=True)
class Verification:
    entries: int
    problems: tuple[AuditProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad(self) -> AuditProblem | None:
        return self.problems[0] if self.problems else None


UNREADABLE = "details that are not JSON"
"""The key under which an entry's details that do not parse are kept as their text: the entry's hash
then fails, and `accord audit verify` names it (the log was written to outside accord)."""

_ENTRIES = sa.select(
    *(c for c in audit_entries.c if c.name != "details"),
    sa.cast(audit_entries.c.details, sa.Text).label("details_text"),
).order_by(audit_entries.c.seq)


def _details(text: str | None) -> Any:
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return {UNREADABLE: text}


def _entry(row: Any) -> AuditEntry:  # a row of audit_entries, or of _ENTRIES (details as text)
    return AuditEntry(
        seq=row.seq,
        recorded_at=row.recorded_at,
        actor=row.actor,
        action=row.action,
        negotiation=row.negotiation,
        summary=row.summary,
        details=row.details if "details" in row._fields else _details(row.details_text),
        before_digest=row.before_digest,
        after_digest=row.after_digest,
        previous_hash=row.previous_hash,
        hash=row.hash,
    )


class AuditLog:
    """The chain, read and appended through one connection (inside the caller's transaction)."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def last(self) -> AuditEntry | None:
        row = self.connection.execute(
            sa.select(audit_entries).order_by(audit_entries.c.seq.desc()).limit(1)
        ).first()
        return _entry(row) if row else None

    def append(
        self,
        *,
        recorded_at: str,
        actor: str,
        action: str,
        negotiation: str | None,
        summary: str,
        details: Mapping[str, Any],
        before: str,
        after: str,
    ) -> AuditEntry:
        # only the chain's end: the newest entry's number and hash (not its details, parsed)
        last = self.connection.execute(_CHAIN_END).first()
        unsigned = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            recorded_at=recorded_at,
            actor=actor,
            action=action,
            negotiation=negotiation,
            summary=summary,
            details=json.loads(canonical(dict(details))),
            before_digest=before,
            after_digest=after,
            previous_hash=last.hash if last else GENESIS,
            hash="",
        )
        entry = replace(unsigned, hash=unsigned.expected_hash())
        self.connection.execute(
            sa.insert(audit_entries).values({f.name: getattr(entry, f.name) for f in fields(entry)})
        )
        return entry

    def entries(self, negotiation: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        query = _ENTRIES  # the details as stored text, parsed here: an entry's that does not parse is named
        if negotiation is not None:
            query = query.where(audit_entries.c.negotiation == negotiation)
        rows = [_entry(r) for r in self.connection.execute(query)]
        return rows[-limit:] if limit else rows


def verify(
    entries: list[AuditEntry], current: Mapping[str, str], accounts: str | None = None
) -> Verification:
    """Check the chain, then each negotiation's stored state against its last entry.

    ``entries`` are in stored order (by ``seq``); ``current`` maps every stored negotiation to the
    digest of its state now; ``accounts``, the digest of the stored accounts now (see
    :func:`accounts_digest`; None leaves them unchecked). Problems are listed in chain order, the
    first bad entry first.
    """
    problems: list[AuditProblem] = []
    previous_hash = GENESIS
    previous_seq = 0
    state: dict[str, str] = {}
    last_entry: dict[str, int] = {}
    accounts_state = ABSENT
    accounts_entry: int | None = None
    for entry in entries:
        if entry.seq != previous_seq + 1:
            problems.append(
                AuditProblem(
                    entry.seq,
                    f"follows entry {previous_seq}: the chain has a gap or a reordering "
                    "(an entry was deleted, inserted or moved)",
                )
            )
        if entry.previous_hash != previous_hash:
            problems.append(
                AuditProblem(
                    entry.seq,
                    "does not chain to the entry before it (an entry before it was deleted, "
                    "inserted, reordered or altered)",
                )
            )
        if entry.hash != entry.expected_hash():
            problems.append(
                AuditProblem(entry.seq, "its contents do not match its hash (the entry was edited)")
            )
        if entry.negotiation is not None:
            known = state.get(entry.negotiation, ABSENT)
            if entry.before_digest != known:
                problems.append(
                    AuditProblem(
                        entry.seq,
                        f"starts from a state of {entry.negotiation!r} that no earlier entry left "
                        "(a change to it went unrecorded, or an entry is missing)",
                    )
                )
            state[entry.negotiation] = entry.after_digest
            last_entry[entry.negotiation] = entry.seq
        elif about_accounts(entry):
            if entry.before_digest != accounts_state:
                problems.append(
                    AuditProblem(
                        entry.seq,
                        "starts from accounts that no earlier entry left "
                        "(a change to them went unrecorded, or an entry is missing)",
                    )
                )
            accounts_state = entry.after_digest
            accounts_entry = entry.seq
        previous_hash = entry.hash
        previous_seq = entry.seq
    for name in sorted(set(state) | set(current)):
        now = current.get(name, ABSENT)
        if now != state.get(name, ABSENT):
            seq = last_entry.get(name)
            where = f"its last audit entry ({seq})" if seq else "the audit log (no entry records it)"
            problems.append(
                AuditProblem(
                    seq,
                    f"the stored record of negotiation {name!r} differs from {where}: "
                    "it was changed outside accord",
                )
            )
    if accounts is not None and accounts != accounts_state:
        where = f"their last audit entry ({accounts_entry})" if accounts_entry else "the audit log"
        problems.append(
            AuditProblem(
                accounts_entry,
                f"the stored accounts differ from {where}: a user, a name or a password was changed "
                "outside accord",
            )
        )
    return Verification(len(entries), tuple(problems))


def verify_negotiation(entries: list[AuditEntry], negotiation: str, current: str) -> Verification:
    """The chain checked for one negotiation's reader (its mediator on the workbench), who may learn
    nothing of any other negotiation sharing the chain: not its name, its activity or its tamper state.

    ``entries`` is the whole chain in stored order; ``current`` the digest of ``negotiation``'s
    stored state now. Reported: a break of the chain at one of its entries or right after one (where
    one of its own may have been cut out), an edited entry of its own, a gap in its chain of state
    digests, and its stored record against its last entry. ``Verification.entries`` counts its own
    entries. The whole chain, with every negotiation and the accounts, is ``accord audit verify``'s.
    """
    problems: list[AuditProblem] = []
    previous: AuditEntry | None = None
    state = ABSENT
    last: int | None = None
    count = 0
    for entry in entries:
        own = entry.negotiation == negotiation
        if own or (previous is not None and previous.negotiation == negotiation):
            expected_seq = previous.seq + 1 if previous else 1
            if entry.seq != expected_seq:
                problems.append(
                    AuditProblem(
                        entry.seq,
                        "the chain has a gap or a reordering here (an entry was deleted, inserted or moved)",
                    )
                )
            if entry.previous_hash != (previous.hash if previous else GENESIS):
                problems.append(
                    AuditProblem(
                        entry.seq,
                        "does not chain to the entry before it (an entry before it was deleted, "
                        "inserted, reordered or altered)",
                    )
                )
        if own:
            count += 1
            if entry.hash != entry.expected_hash():
                problems.append(
                    AuditProblem(entry.seq, "its contents do not match its hash (the entry was edited)")
                )
            if entry.before_digest != state:
                problems.append(
                    AuditProblem(
                        entry.seq,
                        f"starts from a state of {negotiation!r} that no earlier entry left "
                        "(a change to it went unrecorded, or an entry is missing)",
                    )
                )
            state = entry.after_digest
            last = entry.seq
        previous = entry
    if current != state:
        where = f"its last audit entry ({last})" if last else "the audit log (no entry records it)"
        problems.append(
            AuditProblem(
                last,
                f"the stored record of negotiation {negotiation!r} differs from {where}: "
                "it was changed outside accord",
            )
        )
    return Verification(count, tuple(problems))
