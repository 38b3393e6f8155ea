"""Where a fact comes from: a report, an article, a read-out, an official statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Source:
    """One source, by a key unique in the negotiation; any entry of the record cites sources by key
    (its ``sources``: a meeting, paper, statement, event, stance, draft or person).

    ``outlet`` is who published it (Reuters, the Kremlin's website); ``quote`` the passage relied on;
    ``sha256`` the SHA-256 of an ingested report's text (accord ingest), by which a report applied
    twice is recognised.
    """

    id: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    quote: str | None = None
    note: str | None = None
    sha256: str | None = None

    @property
    def label(self) -> str:
        """The source in one line: outlet, title, date."""
        parts = [p for p in (self.outlet, self.title and f"“{self.title}”") if p]
        if self.date is not None:
            parts.append(self.date.isoformat())
        return ", ".join(parts) or self.url or self.id


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a web address (None when it is one: http or https, with a host)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return f"{url!r} is not a URL; expected an address such as https://example.org/page"
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url.strip():
        return f"{url!r} is not a URL; expected an address such as https://example.org/page"
    return None
