"""Import and export on the workbench: a scenario file (YAML) or GENIUS files (a domain and its
profiles) stored as a new negotiation, as `accord import` and `accord import-genius` then `import` do;
a negotiation written as a scenario file or as GENIUS files, as `accord export` and `export-genius`.

Who may: importing starts a negotiation that has no seats yet, so the policy lets a user who mediates
some negotiation already (accord.security.policy.require_import), and seats the importer as the new
one's mediator in the same audited transaction; exporting writes out every party's preferences and
every paper: the negotiation's mediator (Action.EXPORT).

Every bad upload (empty, not text, too large, an invalid scenario, a malformed GENIUS file) is a
ScenarioError, GeniusFormatError or DomainError naming the file as it was uploaded.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accord.config import FILE_BYTES_VARIABLE, limits
from accord.domain import Negotiation
from accord.errors import DomainError, GeniusFormatError
from accord.reports.overview import parties_words
from accord.scenario import loads
from accord.security.policy import Action, SeatRole, Viewer, require, require_import
from accord.services import drafts as draft_service
from accord.services.negotiations import checked_name, export_scenario, initialise, stored_already
from accord.storage.database import Database
from accord.storage.unit_of_work import writing


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name (no folders) and its bytes."""

    name: str
    data: bytes

    @property
    def shown(self) -> str:
        """The name without folders or unprintable characters; "the file" for one left empty or of
        dots only ("." and ".." name folders, never a file to write)."""
        base = self.name.replace("\\", "/").rsplit("/", 1)[-1]
        base = "".join(c for c in base if c.isprintable())[:200].strip()
        return base if base.strip(".") else "the file"


@dataclass(frozen=True)
class Imported:
    slug: str
    negotiation: Negotiation
    warnings: list[str] = field(default_factory=list)


def _text(upload: Upload, what: str) -> str:
    """An uploaded text file's text, or a DomainError naming it (empty, too large, not text)."""
    limit = limits().file_bytes
    if len(upload.data) > limit:
        raise DomainError(
            f"{upload.shown} is {len(upload.data):,} bytes, over the limit of {limit:,} bytes "
            f"(${FILE_BYTES_VARIABLE} sets it)"
        )
    if not upload.data.strip():
        raise DomainError(f"{upload.shown} is empty: expected {what}")
    if upload.data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise DomainError(f"{upload.shown} is UTF-16 text: expected {what} saved as UTF-8")
    if b"\x00" in upload.data:
        raise DomainError(f"{upload.shown} is not a text file (a program, an image?): expected {what}")
    try:
        return upload.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(
            f"{upload.shown}: byte {error.start + 1} is not UTF-8 text; expected {what} saved as UTF-8"
        ) from None


def validate_scenario(upload: Upload) -> Negotiation:
    """`accord validate FILE` on an upload: the negotiation it describes, or ScenarioError with every
    problem at its path and line (the same loader). Reads nothing of the record, writes nothing."""
    return loads(_text(upload, "a scenario file (YAML)"), upload.shown)


def import_scenario(
    database: Database, viewer: Viewer, upload: Upload, *, name: str | None = None
) -> Imported:
    """`accord import FILE --name NAME` from an upload, the importer seated as its mediator."""
    require_import(viewer)
    negotiation = loads(_text(upload, "a scenario file (YAML)"), upload.shown)  # every problem, or nothing
    return _store(
        database,
        viewer,
        negotiation,
        checked_name(name, negotiation),
        upload.shown,
        bool((name or "").strip()),
    )


def import_genius(
    database: Database,
    viewer: Viewer,
    domain: Upload,
    profiles: Sequence[Upload],
    *,
    real_steps: int | None = None,
    name: str | None = None,
) -> Imported:
    """`accord import-genius DOMAIN PROFILE... --real-steps N` then `accord import`, from uploads."""
    from accord.scenario.genius import import_genius as read_genius

    require_import(viewer)
    if not profiles:
        raise DomainError("profiles: none given; expected one GENIUS utility profile per party")
    files = [domain, *profiles]
    for upload in files:
        _text(upload, "a GENIUS XML file")
    names = [u.shown for u in files]
    if len(set(names)) != len(names):
        raise DomainError("the files must have different names (each party is named after its profile)")
    warnings: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for upload in files:
            path = Path(folder) / upload.shown
            path.write_bytes(upload.data)
            paths.append(path)
        try:
            negotiation = read_genius(paths[0], paths[1:], real_steps=real_steps, warnings=warnings)
        except GeniusFormatError as error:  # named by the uploaded file, not the folder it was put in
            raise GeniusFormatError(str(error).replace(f"{folder}/", "")) from None
    warnings = [w.replace(f"{folder}/", "") for w in warnings]
    stored = _store(
        database,
        viewer,
        negotiation,
        checked_name(name, negotiation),
        domain.shown,
        bool((name or "").strip()),
    )
    return Imported(stored.slug, stored.negotiation, warnings)


def _store(
    database: Database, viewer: Viewer, negotiation: Negotiation, slug: str, file: str, asked: bool
) -> Imported:
    """The negotiation and the importer's mediator seat, in one audited transaction."""
    actor = viewer.username
    assert actor is not None
    if database.schema_revision() is None:
        initialise(database, actor=actor)
    with writing(database, actor) as uow:
        if uow.repository.exists(slug):
            raise stored_already(slug, asked, "name")
        before = uow.repository.state_digest(slug)
        uow.repository.add(negotiation, slug=slug, now=uow.now, actor=actor)
        uow.record(
            "negotiation.import",
            slug,
            f"imported {file}: {len(negotiation.points)} points, {parties_words(negotiation)}, "
            f"{len(negotiation.drafts)} drafts",
            before,
            {"file": file, "points": len(negotiation.points), "drafts": len(negotiation.drafts)},
        )
        before = uow.repository.state_digest(slug)
        user = uow.accounts.require_user(actor)
        uow.accounts.grant(user, uow.repository.id_of(slug), SeatRole.MEDIATOR.value, None)
        uow.record(
            "user.grant",
            slug,
            f"{actor} seated as mediator (the importer)",
            before,
            {"user": actor, "role": SeatRole.MEDIATOR.value, "party": None},
        )
    return Imported(slug, negotiation)


def export_yaml(database: Database, viewer: Viewer, slug: str) -> bytes:
    """`accord export NAME -o FILE`: the scenario file's bytes."""
    require(viewer, Action.EXPORT, slug)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{slug}.yaml"
        export_scenario(database, slug, path)
        return path.read_bytes()


def export_genius_zip(database: Database, viewer: Viewer, slug: str) -> tuple[bytes, list[str]]:
    """`accord export-genius`: the domain file and a profile per party, in one zip archive (with a
    WARNINGS.txt saying what GENIUS's format cannot hold, when anything); and those warnings."""
    from accord.scenario.genius import export_genius

    require(viewer, Action.EXPORT, slug)
    negotiation = draft_service.load(database, slug, stances=False).negotiation
    with tempfile.TemporaryDirectory() as folder:
        report = export_genius(negotiation, Path(folder), source=slug)
        warnings = [w.replace(f"{folder}/", "") for w in report.warnings]
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in report.files:
                archive.write(path, Path(path).name)
            if warnings:
                archive.writestr("WARNINGS.txt", "\n".join(warnings) + "\n")
    return packed.getvalue(), warnings
