"""The services name what a refusal is about in the command line's words ("--summary: an event needs a
summary", "give the content as --file or as --text"); the API and the pages say it in their own: the
API by its fields' names ("summary", "date_approx"), a page in plain words ("approximate date").

A form that maps a service's head to one of its inputs (accord.web.form_problems) does so before these
words are changed; what is left, and every message shown above a form or on the error page, goes
through :func:`for_page`.
"""

from __future__ import annotations

import re

OPTION = re.compile(r"(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?![\w-])")
"""An option of the command line inside a message: two dashes, then a word or words joined by dashes."""

WORDS = {
    "as-of": "as-of date",
    "attach-to": "leak",
    "date-approx": "approximate date",
    "no-party": "no party",
    "lift-red-line": "red line to lift",
    "about-point": "point",
    "for": "audience",
    "copy": "copy",
    "to": "parties",
    # a meeting's: the meetings form's words for them
    "with": "participants",
    "with-person": "people present",
    "person-note": "how some took part",
}
"""A page's words for an option, where its name alone would read oddly; any other: its words, dashes
as spaces ("--reservation-value": "reservation value")."""


API_FIELDS = {
    "statements": {"about-point": "points", "about-draft": "draft", "source": "sources"},
    "meetings": {"lead": "leads", "draft": "drafts", "paper": "papers"},
    "ingest": {"source-url": "url", "source-outlet": "outlet"},
}
"""Per kind of record the API writes (its address's last word), an option whose field the API names
otherwise; any other option: its name, dashes as underscores ("--as-of": "as_of")."""


def _field(option: str, kind: str = "") -> str:
    return API_FIELDS.get(kind, {}).get(option, option.replace("-", "_"))


def _words(option: str) -> str:
    return WORDS.get(option, option.replace("-", " "))


def for_api(message: str, kind: str = "") -> tuple[str, str | None]:
    """The message in the API's words, and the field its head names (None where it names none):
    "--date-approx: …" is ("date_approx: …", "date_approx"); an option named inside is quoted by
    its field's name ("give the content as 'file' or as 'text', not both"). ``kind``: the kind of
    record written (a key of API_FIELDS), for a field the API names otherwise than the option."""
    field: str | None = None
    head, sep, rest = message.partition(": ")
    whole = OPTION.fullmatch(head.strip()) if sep else None
    if whole:
        field = _field(whole.group(1), kind)
        message = f"{field}: {rest}"
        start = len(field) + 2
    else:
        start = 0
    body = "".join(
        part if CODE.fullmatch(part) else OPTION.sub(lambda m: f"'{_field(m.group(1), kind)}'", part)
        for part in CODE.split(message[start:])
    )
    return message[:start] + body, field


def for_page(message: str) -> str:
    """The message in a page's words: "--as-of: 2031-01-01 is after today" is "as-of date: 2031-01-01
    is after today"; an option named inside is quoted in words ("needs the 'start' it ends")."""
    head, sep, rest = message.partition(": ")
    whole = OPTION.fullmatch(head.strip()) if sep else None
    if whole:
        return f"{_words(whole.group(1))}: {_inside(rest)}"
    return _inside(message)


CODE = re.compile(r"(`[^`]*`)")
"""A command quoted whole ("`accord person update x --no-lead`"): left as the command line's."""


def _inside(text: str) -> str:
    return "".join(
        part if CODE.fullmatch(part) else OPTION.sub(lambda m: f"'{_words(m.group(1))}'", part)
        for part in CODE.split(text)
    )
