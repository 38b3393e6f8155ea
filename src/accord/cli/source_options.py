"""The options every command that records a fact shares to say where it comes from.

A command declares them as its own parameters and turns them into one Citation::

    from accord.cli import source_options as so

    def add(..., source: list[str] = so.SOURCE, source_outlet: str | None = so.OUTLET,
            source_title: str | None = so.TITLE, source_url: str | None = so.URL,
            source_date: str | None = so.DATE, source_quote: str | None = so.QUOTE) -> None:
        citation = so.citation(source, source_outlet, source_title, source_url, source_date, source_quote)

and hands the citation to its service, which checks it (an unknown source, a URL that is not a URL)
and stores a new source inside the same audited write (accord.services.sources.cite).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

from accord.errors import DomainError

if TYPE_CHECKING:
    from accord.services.sources import Citation

SOURCE = typer.Option(
    [], "--source", help="A stored source this rests on, by its id (repeat; see `accord source list`)."
)
OUTLET = typer.Option(None, "--source-outlet", help="A new source: who published it (an outlet, an office).")
TITLE = typer.Option(None, "--source-title", help="A new source: its title or headline.")
URL = typer.Option(None, "--source-url", help="A new source: its web address (http or https).")
DATE = typer.Option(None, "--source-date", help="A new source: when it was published, YYYY-MM-DD.")
QUOTE = typer.Option(None, "--source-quote", help="A new source: the passage relied on.")


def citation(
    source: list[str] | None,
    outlet: str | None,
    title: str | None,
    url: str | None,
    date: str | None,
    quote: str | None,
) -> Citation:
    """The sources the options name and describe (a date that is not a date: DomainError naming
    --source-date; the service checks the rest)."""
    from accord.services.sources import Citation

    return Citation(
        keys=tuple(dict.fromkeys(source or ())),
        outlet=outlet,
        title=title,
        url=url,
        date=parse_day(date, "--source-date") if date is not None else None,
        quote=quote,
    )


def parse_day(value: str, flag: str) -> dt.date:
    """A YYYY-MM-DD value, or a one-line DomainError naming the option."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(f"{flag}: expected a date written YYYY-MM-DD, got {value!r}") from None


def parse_moment(value: str, flag: str) -> dt.datetime:
    """A date and time ("2025-12-09 17:00", "2025-12-09T17:00", an offset such as +03:00 may
    follow), or a one-line DomainError naming the option."""
    try:
        found = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        found = None
    if found is None or len(value.strip()) <= 10:
        raise DomainError(f"{flag}: expected a date and time written YYYY-MM-DD HH:MM, got {value!r}")
    return found.replace(second=0, microsecond=0)
