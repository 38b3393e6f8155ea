"""Use cases on papers: the documents handed over, with their content (a file of any type, or text).

A paper is recorded once (`add`), with its content stored in the database (a file's bytes with their
SHA-256, size and media type); it is read back (`list`, `show`, `get`) by the command line and the
workbench alike, and every read goes through the policy (accord.security.policy): a paper and its
content are seen by the mediator and the parties it was handed to (or to whose people), by nobody
else. A paper one may not see answers like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from accord.config import PAPER_BYTES_VARIABLE, limits
from accord.domain import Negotiation, Paper, PaperFile
from accord.errors import AuditError, DomainError, NotFoundError
from accord.security.policy import Action, Viewer, command_line, require, visible
from accord.services.record_keys import checked_key, new_key
from accord.services.sources import NO_CITATION, Citation, check_citation, cite
from accord.services.text_limits import check_texts
from accord.storage.database import Database
from accord.storage.tables import copies
from accord.storage.unit_of_work import Writing, reading, writing


def _over_limit(option: str, what: str, size: int) -> DomainError:
    limit = limits().paper_bytes
    return DomainError(
        f"{option}: {what} is {size:,} bytes, over the limit of {limit:,} bytes "
        f"({limit / 1_000_000:g} MB; ${PAPER_BYTES_VARIABLE} sets it)"
    )


def attachment(name: str, data: bytes, media_type: str | None = None, *, option: str = "--file") -> PaperFile:
    """A file's bytes as a paper's content: its SHA-256 and size worked out, its media type guessed
    from its name unless given; DomainError naming ``option`` when it is over the size limit."""
    if len(data) > limits().paper_bytes:
        raise _over_limit(option, name, len(data))
    base = Path(name.replace("\\", "/")).name.strip()
    if not base or base in (".", ".."):
        raise DomainError(f"{option}: {name!r} is not a file name")
    guessed = media_type or mimetypes.guess_type(base)[0] or "application/octet-stream"
    return PaperFile(
        name=base, media_type=guessed, sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data
    )


def read_attachment(path: Path, *, option: str = "--file") -> PaperFile:
    """The file at ``path`` as a paper's content; a one-line DomainError naming ``option`` when it is
    missing, not a file, or over the size limit (checked before it is read)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DomainError(f"{option}: {path}: no such file") from None
    except OSError as error:
        raise DomainError(f"{option}: {path}: {error.strerror or error}") from None
    if not path.is_file():
        raise DomainError(f"{option}: {path} is not a file")
    if size > limits().paper_bytes:
        raise _over_limit(option, str(path), size)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DomainError(f"{option}: {path}: {error.strerror or error}") from None
    return attachment(path.name, data, option=option)


@dataclass(frozen=True)
class Handed:
    """Where a paper went, as given: parties and people (by id, name or alias), the meeting, the
    draft it carries and others it bears on, and the issue register's entry of a fingerprinted copy."""

    parties: Sequence[str] = ()
    people: Sequence[str] = ()
    meeting: str | None = None
    draft: int | None = None
    related_drafts: Sequence[int] = ()
    copy: int | None = None


def _found(option: str, error: NotFoundError) -> NotFoundError:
    return NotFoundError(f"{option}: {error}")


def _copy_recipient(uow: Writing, slug: str, entry: int) -> str:
    """The recipient of the issue register's ``entry`` in this negotiation (NotFoundError naming --copy)."""
    nid = uow.repository.id_of(slug)
    rows = list(
        uow.repository.connection.execute(
            sa.select(copies.c.id, copies.c.recipient)
            .where(copies.c.negotiation_id == nid)
            .order_by(copies.c.id)
        )
    )
    for row in rows:
        if row.id == entry:
            return str(row.recipient)
    known = ", ".join(str(r.id) for r in rows) or "none: no fingerprinted copy was exported"
    raise NotFoundError(f"--copy: the issue register of {slug!r} has no entry {entry} (entries: {known})")


def _where(
    uow: Writing, slug: str, negotiation: Negotiation, handed: Handed
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The parties and people a paper went to: each checked, a person's party implied, the party of a
    fingerprinted copy's recipient too."""
    parties: list[str] = []
    for party in handed.parties:
        try:
            parties.append(negotiation.party(party).id)
        except NotFoundError as error:
            raise _found("--to", error) from None
    people: list[str] = []
    for name in handed.people:
        try:
            person = negotiation.person(name)
        except NotFoundError as error:
            raise _found("--to-person", error) from None
        people.append(person.id)
        if person.party is not None:
            parties.append(person.party)
    if handed.meeting is not None:
        try:
            negotiation.meeting(handed.meeting)
        except NotFoundError as error:
            raise _found("--meeting", error) from None
    for option, versions in (
        ("--draft", [handed.draft] if handed.draft is not None else []),
        ("--related-draft", list(handed.related_drafts)),
    ):
        for version in versions:
            try:
                negotiation.draft(version)
            except NotFoundError as error:
                raise _found(option, error) from None
    if handed.copy is not None:
        holder = _copy_recipient(uow, slug, handed.copy).split("/")[0]
        if not handed.parties and not handed.people and holder in {p.id for p in negotiation.parties}:
            parties.append(holder)  # a copy goes to the party it is registered to
    return tuple(dict.fromkeys(parties)), tuple(dict.fromkeys(people))


def add_paper(
    database: Database,
    slug: str | None,
    *,
    actor: str,
    viewer: Viewer | None = None,
    title: str | None = None,
    count: int | None = 1,
    text: str | None = None,
    file: PaperFile | None = None,
    handed: Handed = Handed(),
    date: dt.date | None = None,
    note: str | None = None,
    key: str | None = None,
    citation: Citation = NO_CITATION,
    expected_revision: int | None = None,
) -> Paper:
    """Record a paper handed over (titled or not; ``count`` None: several, a number unknown), with its
    content as ``text`` or a ``file`` (its bytes in ``file.data``), where it went, and its sources.
    ``viewer`` None: the command line's local operator. One audited write; nothing is written when
    anything given is unknown or wrong."""
    title = title.strip() or None if title is not None else None
    note = note.strip() or None if note is not None else None
    check_texts([("--title", title, "title"), ("--note", note, "note")])
    if count is not None and count < 1:
        raise DomainError(f"--count: expected how many papers, 1 or more, got {count}")
    if text is not None and file is not None:
        raise DomainError("--text: give the content as --file or as --text, not both")
    if text is not None:
        if not text.strip():
            raise DomainError("--text: the content is empty")
        size = len(text.encode("utf-8"))
        if size > limits().paper_bytes:
            raise _over_limit("--text", "the text", size)
    if file is not None and file.data is None:
        raise DomainError("--file: the file's content is missing")
    if key is not None:
        checked_key(key, "paper")
    with writing(database, actor) as uow:
        return add_paper_in(
            uow,
            slug or uow.repository.default_slug(),
            viewer=viewer,
            title=title,
            count=count,
            text=text,
            file=file,
            handed=handed,
            date=date,
            note=note,
            key=key,
            citation=citation,
            expected_revision=expected_revision,
        )


def add_paper_in(
    uow: Writing,
    name: str,
    *,
    viewer: Viewer | None = None,
    title: str | None = None,
    count: int | None = 1,
    text: str | None = None,
    file: PaperFile | None = None,
    handed: Handed = Handed(),
    date: dt.date | None = None,
    note: str | None = None,
    key: str | None = None,
    citation: Citation = NO_CITATION,
    expected_revision: int | None = None,
) -> Paper:
    """:func:`add_paper` inside an open unit of work (a batch of writes in one transaction, such as
    `accord ingest apply`): the policy asked, checked, written and audited the same way (``title``
    and ``note`` as given, stripped; the content as checked by :func:`add_paper`)."""
    title = title.strip() or None if title is not None else None
    note = note.strip() or None if note is not None else None
    require(viewer or command_line(uow.actor, name), Action.ADD_PAPER, name)
    negotiation = uow.repository.load(name, stances=False).negotiation
    parties, people = _where(uow, name, negotiation, handed)
    check_citation(negotiation, citation)
    taken = {p.id for p in negotiation.papers}
    if key is not None and key in taken:
        raise DomainError(f"--id: a paper {key!r} is recorded already; choose another id")
    if date is None and handed.meeting is not None:
        date = negotiation.meeting(handed.meeting).date  # handed over at the meeting
    before = uow.repository.state_digest(name)
    uow.repository.claim(name, expected_revision)
    paper = Paper(
        id=key or new_key("paper", taken, title, date=None if title else date),
        title=title,
        recipients=parties,
        draft=handed.draft,
        date=date,
        note=note,
        count=count,
        text=text,
        file=file,
        recipient_people=people,
        meeting=handed.meeting,
        related_drafts=tuple(dict.fromkeys(handed.related_drafts)),
        copy=handed.copy,
        sources=cite(uow, name, negotiation, citation),
    )
    uow.repository.add_paper(name, paper)
    uow.record(
        "paper.add",
        name,
        f"paper {paper.id}: {paper.label}" + (f" (to {', '.join(parties)})" if parties else ""),
        before,
        {
            "paper": paper.id,
            "content": content_kind(paper),
            "sha256": file.sha256 if file else None,
            "size": file.size if file else None,
            "recipients": list(parties),
            "recipient_people": list(people),
            "meeting": handed.meeting,
            "sources": list(paper.sources),
        },
    )
    return paper


def content_kind(paper: Paper) -> str:
    """ "file", "text" or "none"."""
    return "file" if paper.file is not None else "text" if paper.text is not None else "none"


def _seen(database: Database, viewer: Viewer | None, slug: str | None, user: str) -> tuple[str, Negotiation]:
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        who = viewer or command_line(user, name)
        require(who, Action.SEE_NEGOTIATION, name)  # before reading: a stranger learns nothing
        negotiation = uow.repository.load(name, stances=False).negotiation
    return name, visible(who, name, negotiation)


def list_papers(
    database: Database, slug: str | None, *, viewer: Viewer | None = None, user: str = "accord"
) -> tuple[tuple[Paper, ...], Negotiation]:
    """The papers ``viewer`` may see (None: the command line's operator), by date (undated ones
    last), with the negotiation as far as it may see it (for people's, meetings' and sources' names)."""
    _name, seen = _seen(database, viewer, slug, user)
    ordered = sorted(seen.papers, key=lambda p: (p.date or dt.date.max, p.id))
    return tuple(ordered), seen


def get_paper(
    database: Database, slug: str | None, key: str, *, viewer: Viewer | None = None, user: str = "accord"
) -> tuple[Paper, Negotiation]:
    """One paper ``viewer`` may see; one it may not see is, for it, one that does not exist."""
    _name, paper, seen = _get(database, slug, key, viewer, user)
    return paper, seen


def _get(
    database: Database, slug: str | None, key: str, viewer: Viewer | None, user: str
) -> tuple[str, Paper, Negotiation]:
    name, seen = _seen(database, viewer, slug, user)
    try:
        paper = seen.paper(key)
    except NotFoundError as error:
        raise NotFoundError(f"paper: {error}") from None
    require(viewer or command_line(user, name), Action.SEE_PAPER, name, paper=paper)
    return name, paper, seen


@dataclass(frozen=True)
class Content:
    """A paper's content as it goes out: the file's name, media type and bytes (text: UTF-8, named
    after the paper, .txt)."""

    name: str
    media_type: str
    data: bytes


def paper_content(
    database: Database, slug: str | None, key: str, *, viewer: Viewer | None = None, user: str = "accord"
) -> Content:
    """The stored content of a paper ``viewer`` may see, byte for byte; DomainError when the paper
    has none recorded."""
    name, paper, _ = _get(database, slug, key, viewer, user)
    if paper.file is not None:
        with reading(database) as uow:
            data = uow.repository.paper_file(name, paper.id)
        if data is None:
            raise DomainError(f"paper {paper.id}: its file {paper.file.name} is not stored")
        if hashlib.sha256(data).hexdigest() != paper.file.sha256:
            # the bytes changed after they were recorded: say so rather than hand them out
            raise AuditError(f"paper {paper.id}: the stored file does not match its recorded SHA-256")
        return Content(paper.file.name, paper.file.media_type, bytes(data))
    if paper.text is not None:
        return Content(f"{paper.id}.txt", "text/plain; charset=utf-8", paper.text.encode("utf-8"))
    raise DomainError(f"paper {paper.id} has no content recorded (neither a file nor a text)")


def paper_data(paper: Paper, negotiation: Negotiation, *, with_text: bool) -> dict[str, Any]:
    """A paper as the CLI's --json and the JSON API give it (``with_text``: a text content too)."""
    names = {p.id: p.name for p in negotiation.people}
    data: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "label": paper.label,
        "count": paper.count if paper.count is not None else "several",
        "date": paper.date.isoformat() if paper.date else None,
        "content": content_kind(paper),
        "file_name": paper.file.name if paper.file else None,
        "media_type": paper.file.media_type if paper.file else None,
        "sha256": paper.file.sha256 if paper.file else None,
        "size": paper.file.size if paper.file else len(paper.text.encode()) if paper.text else None,
        "recipients": list(paper.recipients),
        "recipient_people": [{"id": p, "name": names.get(p, p)} for p in paper.recipient_people],
        "meeting": paper.meeting,
        "draft": paper.draft,
        "related_drafts": list(paper.related_drafts),
        "copy": paper.copy,
        "note": paper.note,
        "sources": list(paper.sources),
    }
    if with_text:
        data["text"] = paper.text
    return data
