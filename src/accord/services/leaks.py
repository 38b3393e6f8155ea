"""Use cases on leak-traceable copies: export a fingerprinted copy, trace a leaked text, and the
mediator's review of the variant rules."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from accord import keys
from accord.domain import Negotiation
from accord.errors import DomainError, NotFoundError
from accord.leaks.codes import bit, new_codeword, new_secret, position
from accord.leaks.document import FORMATS, DraftDocument, build, render, write
from accord.leaks.rules import DESCRIPTIONS, Rule
from accord.leaks.trace import Copy, Trace, trace
from accord.scenario.files import errors_name
from accord.storage.database import Database
from accord.storage.tables import copies, leak_settings, negotiations
from accord.storage.unit_of_work import Reading, Writing, reading, writing

DIGITAL = ("md", "html", "docx", "txt")  # formats that carry the zero-width layer


@dataclass(frozen=True)
class Settings:
    # the negotiation's fingerprint secret as the database keeps it: sealed under the key file (see
    # accord.keys.seal), or in the clear in a record from before accord sealed them
    stored: str
    vetoed: frozenset[Rule]


def _settings(uow: Reading | Writing, nid: int, *, create: keys.KeyFile | None = None) -> Settings | None:
    """The negotiation's settings; ``create``: the key to seal a new secret under when it has none."""
    row = uow.repository.connection.execute(
        sa.select(leak_settings).where(leak_settings.c.negotiation_id == nid)
    ).first()
    if row is None:
        if create is None:
            return None
        stored = keys.seal(create, new_secret())
        uow.repository.connection.execute(
            sa.insert(leak_settings).values(negotiation_id=nid, secret=stored, vetoed=[])
        )
        uow.repository.touch(nid)
        return Settings(stored, frozenset())
    return Settings(row.secret, frozenset(Rule(r) for r in row.vetoed))


def _secret(settings: Settings, name: str, key_path: Path, key: keys.KeyFile | None = None) -> str:
    """The fingerprint secret itself: unsealed with the key file (a secret still in the clear needs none)."""
    if not keys.is_sealed(settings.stored):
        return settings.stored
    return keys.unseal(
        key or keys.load(key_path), settings.stored, where=f"negotiation {name!r}", path=key_path
    )


def _seal_in_place(uow: Writing, nid: int, settings: Settings, key: keys.KeyFile) -> Settings:
    """Move a secret kept in the clear out of the database (inside the caller's audited write)."""
    if keys.is_sealed(settings.stored):
        return settings
    sealed = Settings(keys.seal(key, settings.stored), settings.vetoed)
    uow.repository.connection.execute(
        sa.update(leak_settings).where(leak_settings.c.negotiation_id == nid).values(secret=sealed.stored)
    )
    uow.repository.touch(nid)
    return sealed


def recipient_of(negotiation: Negotiation, recipient: str) -> str:
    """A party's id, or ``party/person`` for a named member of its delegation (a person of the party,
    by key, name or alias)."""
    party_id, _, person = recipient.partition("/")
    party = negotiation.party(party_id)
    delegation = negotiation.people_of(party.id)
    if person and not any(p.answers_to(person) for p in delegation):
        known = ", ".join(p.name for p in delegation) or "none named"
        raise NotFoundError(f"{person!r} is not in {party.id}'s delegation (delegation: {known})")
    return f"{party.id}/{person}" if person else party.id


@dataclass(frozen=True)
class Exported:
    copy_id: int
    recipient: str
    version: int
    path: Path
    sites: int


def export_copy(
    database: Database,
    slug: str | None,
    version: int,
    recipient: str,
    fmt: str,
    path: Path,
    *,
    actor: str,
    key_file: Path | None = None,
) -> Exported:
    """A fingerprinted copy for one recipient, registered (and logged) before the file appears.
    ``key_file``: the key file that seals the fingerprint secret (default: see accord.keys.key_path)."""
    if fmt not in FORMATS:
        raise DomainError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    key_path = keys.key_path(database.url, key_file)
    key = keys.load(key_path)
    temporary = path.with_name(f".{path.name}.part")
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        draft = negotiation.draft(version)
        who = recipient_of(negotiation, recipient)
        nid = uow.repository.id_of(name)
        before = uow.repository.state_digest(name)
        settings = _settings(uow, nid, create=key)
        assert settings is not None
        settings = _seal_in_place(uow, nid, settings, key)
        secret = _secret(settings, name, key_path, key)
        document = build(negotiation, draft, settings.vetoed)
        codeword = new_codeword()
        rendered = render(
            document,
            lambda site: bit(codeword, position(secret, site.key)),
            codeword if fmt in DIGITAL else None,
        )
        with errors_name(path):  # a message names the file asked for, not the part being written
            write(rendered, temporary, fmt)
        copy_id = uow.repository.connection.execute(
            sa.insert(copies)
            .values(
                negotiation_id=nid,
                draft_version=version,
                recipient=who,
                codeword=codeword.hex(),
                format=fmt,
                vetoed=sorted(r.value for r in settings.vetoed),
                exported_at=uow.now,
                exported_by=actor,
            )
            .returning(copies.c.id)
        ).scalar_one()
        uow.repository.touch(nid)
        uow.repository.claim(name, None)
        uow.record(
            "copy.export",
            name,
            f"copy {copy_id} of draft v{version} for {who} ({fmt})",
            before,
            {"copy": copy_id, "version": version, "recipient": who, "format": fmt},
        )
    with errors_name(path):
        temporary.replace(path)
    return Exported(copy_id, who, version, path, len(document.sites))


def read_leak(path: Path) -> str:
    """The text of a leaked file: PDF and DOCX are read for their text, anything else as UTF-8."""
    return read_bytes(path.read_bytes())


def read_bytes(data: bytes) -> str:
    """The text of a leaked file's bytes (an upload's, say), as :func:`read_leak` reads a file."""
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if data[:2] == b"PK":
        import docx

        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte order mark (Windows' "Unicode")
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def trace_text(
    database: Database,
    slug: str | None,
    leaked: str,
    *,
    version: int | None = None,
    key_file: Path | None = None,
) -> Trace:
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        nid = uow.repository.id_of(name)
        settings = _settings(uow, nid)
        query = sa.select(copies).where(copies.c.negotiation_id == nid).order_by(copies.c.id)
        if version is not None:
            negotiation.draft(version)
            query = query.where(copies.c.draft_version == version)
        rows = list(uow.repository.connection.execute(query))
    if settings is None or not rows:
        which = f"draft v{version}" if version else "any draft"
        raise DomainError(f"no copy of {which} was exported: nothing to trace against")
    documents: dict[int, DraftDocument] = {}
    for r in rows:
        if r.draft_version not in documents:
            documents[r.draft_version] = build(
                negotiation, negotiation.draft(r.draft_version), frozenset(Rule(v) for v in r.vetoed)
            )
    registered = [Copy(r.id, r.draft_version, r.recipient, bytes.fromhex(r.codeword)) for r in rows]
    secret = _secret(settings, name, keys.key_path(database.url, key_file))
    return trace(leaked, documents, registered, secret)


def trace_data(result: Trace, top: int = 5) -> dict[str, Any]:
    """A trace's result as JSON (what `accord trace --json` prints, and what a leak event keeps)."""
    named = result.named
    return {
        "version": result.version,
        "versions_considered": list(result.versions_considered),
        "sites_observed": result.sites_observed,
        "zero_width_bits": result.zero_width_bits,
        "named": named.copy.recipient if named else None,
        "confident": named is not None,
        "suspects": [
            {
                "recipient": s.copy.recipient,
                "copy": s.copy.id,
                "version": s.copy.version,
                "agree": s.agree,
                "observed": s.observed,
                "p_value": s.p_value,
                "confidence": s.confidence,
            }
            for s in result.suspects[:top]
        ],
    }


@dataclass(frozen=True)
class RuleReview:
    rule: Rule
    description: str
    sites: int  # in the newest draft
    vetoed: bool


def review_rules(database: Database, slug: str | None) -> list[RuleReview]:
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        settings = _settings(uow, uow.repository.id_of(name))
    vetoed = settings.vetoed if settings else frozenset()
    latest = negotiation.latest_draft
    counts: dict[Rule, int] = {}
    if latest is not None:
        for site in build(negotiation, latest).sites:
            counts[site.rule] = counts.get(site.rule, 0) + 1
    return [RuleReview(r, DESCRIPTIONS[r], counts.get(r, 0), r in vetoed) for r in Rule]


def set_veto(
    database: Database,
    slug: str | None,
    rule: Rule,
    vetoed: bool,
    *,
    actor: str,
    key_file: Path | None = None,
) -> None:
    """Veto a rule (its wordings never vary in later copies) or allow it again."""
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        nid = uow.repository.id_of(name)
        before = uow.repository.state_digest(name)
        # the first setting of a negotiation creates its fingerprint secret, sealed under the key file
        settings = _settings(uow, nid) or _settings(
            uow, nid, create=keys.load(keys.key_path(database.url, key_file))
        )
        assert settings is not None
        rules = set(settings.vetoed)
        rules = rules | {rule} if vetoed else rules - {rule}
        uow.repository.connection.execute(
            sa.update(leak_settings)
            .where(leak_settings.c.negotiation_id == nid)
            .values(vetoed=sorted(r.value for r in rules))
        )
        uow.repository.touch(nid)
        uow.repository.claim(name, None)
        uow.record(
            "copy.rules",
            name,
            f"variant rule {rule.value} {'vetoed' if vetoed else 'allowed'}",
            before,
            {"rule": rule.value, "vetoed": vetoed},
        )


def move_secrets(database: Database, key_file: Path | None = None, *, actor: str) -> list[str]:
    """Seal every fingerprint secret the database still keeps in the clear (a record from before accord
    sealed them) under the key file: one audited write per negotiation; the secret itself is unchanged,
    so copies exported before are traced as before. Returns the negotiations whose secret moved."""
    key = keys.load(keys.key_path(database.url, key_file))
    with reading(database) as uow:
        rows = uow.repository.connection.execute(
            sa.select(negotiations.c.slug, leak_settings.c.secret)
            .join(negotiations, negotiations.c.id == leak_settings.c.negotiation_id)
            .order_by(negotiations.c.slug)
        )
        in_clear = [r.slug for r in rows if not keys.is_sealed(r.secret)]
    moved = []
    for name in in_clear:
        with writing(database, actor) as uow:
            nid = uow.repository.id_of(name)
            settings = _settings(uow, nid)
            if settings is None or keys.is_sealed(settings.stored):
                continue  # moved meanwhile
            before = uow.repository.state_digest(name)
            _seal_in_place(uow, nid, settings, key)
            uow.repository.claim(name, None)
            uow.record(
                "copy.secret-sealed",
                name,
                "fingerprint secret moved out of the database (sealed under the key file)",
                before,
                {"key": key.key_id},
            )
        moved.append(name)
    return moved
