"""Values typed into the workbench's forms and requests, read as the domain wants them: each refusal a
DomainError naming the field (the same words as the command line's options)."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from starlette.datastructures import FormData

from accord.domain import MeetingStatus
from accord.domain.record import MeetingChannel, parse_duration
from accord.errors import DomainError
from accord.services.sources import Citation

E = TypeVar("E", MeetingStatus, MeetingChannel)


def date(field: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(f"{field}: expected a date YYYY-MM-DD, got {value.strip()[:40]!r}") from None


def start(field: str, value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        raise DomainError(f"{field}: expected a time YYYY-MM-DD HH:MM, got {value.strip()[:40]!r}") from None


def duration(field: str, value: str | None) -> dt.timedelta | None:
    if not value:
        return None
    try:
        return parse_duration(value)
    except ValueError as error:
        raise DomainError(f"{field}: {error}") from None


def choice(field: str, kind: type[E], value: str | None) -> E | None:
    if not value:
        return None
    try:
        return kind(value.strip())
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise DomainError(f"{field}: expected one of {known}, got {value.strip()[:40]!r}") from None


def kept(typed: FormData | None) -> dict[str, str]:
    """What a refused form said, each field as typed (its first value; a file and the CSRF token left
    out), to fill the form again: the page that refuses it shows it with the problem."""
    if typed is None:
        return {}
    return {str(k): v for k, v in typed.items() if isinstance(v, str) and k != "csrf_token"}


def chosen(typed: FormData | None, field: str) -> list[str]:
    """Every value a refused form gave for ``field`` (the boxes ticked, the options chosen)."""
    return [] if typed is None else [str(v) for v in typed.getlist(field) if isinstance(v, str)]


def form_citation(form: FormData) -> Citation:
    """The source fields of a form: a stored source by key, or a new one."""
    keys = [str(k) for k in form.getlist("source") if str(k).strip()]
    fields = {f: (str(form.get(f"source_{f}") or "").strip() or None) for f in ("outlet", "title", "url")}
    return Citation(
        keys=tuple(keys),
        outlet=fields["outlet"],
        title=fields["title"],
        url=fields["url"],
        date=date("source date", str(form.get("source_date") or "")),
        prefix="source ",
    )
