"""Dates in a report: the dateline that fixes the report's own day, and the dates its sentences
mention ("on Thursday", "yesterday", "on Dec 3", "5 November", "last week", "in November"),
resolved against that day.

Finding a date expression is ours (a pattern per form, so every date found can be shown with its
words); reading an absolute date's words ("Dec. 3", "3 December 2031") is dateparser's. A date
without a year takes the report's year; a report's dateline without a year takes the year the
negotiation's record makes likely, and says so. Words that name a period rather than a day ("last
week", "in November", "earlier this month") are kept as words (``approx``), never turned into a
made-up day; a numeric date that reads two ways (03/04) is flagged and not guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBR = {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# an absolute day: "Dec 3", "December 3, 2031", "3 December", "3rd of December 2031"
_ABSOLUTE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?"
    rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?)\b(?!-)",
    re.IGNORECASE,
)
_ISO = re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_NUMERIC = re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d\d)\b")
_WEEKDAY_RE = re.compile(rf"\b(?:(?P<rel>last|next|this|coming)\s+)?(?P<w>{_WEEKDAY})\b", re.IGNORECASE)
_RELATIVE_DAY = re.compile(
    r"\b(?P<w>yesterday|today|tomorrow|the day before yesterday|the previous day|the day after tomorrow"
    r"|earlier (?:today|this week|this month)|this morning|this afternoon|this evening|tonight"
    r"|last night|the day before|that (?:morning|afternoon|evening|day)|the same day|earlier that day)\b",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    rf"\b(?P<w>(?:last|next|this|the coming|the previous|the following) (?:week|month|weekend)"
    rf"|(?:in|by|until|before|after|early|late|mid-?|later in|earlier in) {_MONTH}(?:\s+{_YEAR})?"
    rf"|in the coming (?:days|weeks)|in (?:a|one|two|three) weeks?'? time|within (?:days|weeks)"
    rf"|(?:later|earlier) this (?:week|month)|in recent (?:days|weeks))\b",
    re.IGNORECASE,
)
# words that put a sentence in the future: "will meet on Tuesday" is the coming Tuesday
_FUTURE = re.compile(
    r"\b(?:will|shall|is due|are due|is to|are to|is set to|are set to|is scheduled|are scheduled|"
    r"is expected to|are expected to|plans? to|(?:is|are) planned|upcoming|intends? to|going to|'ll"
    r"|would (?:meet|resume|reconvene|hold|gather|return|answer|respond|reply|decide)|opens|begins|starts"
    r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    """A date expression of a sentence: its words and offsets within the sentence; the day it names
    (None when it names a period or reads two ways: ``approx`` holds the words then); ``note`` what a
    reviewer should know ("no year: the report's")."""

    words: str
    start: int
    end: int
    date: dt.date | None
    approx: str | None = None
    note: str | None = None


def month_number(word: str) -> int | None:
    key = word.strip(". ").casefold()
    return MONTHS.get(key) or _MONTH_ABBR.get(key[:4] if key.startswith("sept") else key[:3])


def _absolute(words: str, default_year: int) -> dt.date | None:
    """dateparser reads the words of an absolute day ("Dec. 3", "3rd of December 2031")."""
    import dateparser  # type: ignore[import-untyped]  # imported on first use: ~60 ms

    found = dateparser.parse(
        words,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(default_year, 1, 1),
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": ["day", "month"],
            "STRICT_PARSING": False,
        },
    )
    if not isinstance(found, dt.datetime):
        return None
    return found.date()


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_year(month: int, day: int, base: dt.date, *, future: bool) -> tuple[dt.date | None, str | None]:
    """A day without a year, against the report's day: the report's year, or the one before for a
    past event far after the report's day in the calendar ("on Dec 30" in a report of Jan 2)."""
    found = _safe_date(base.year, month, day)
    if found is None:
        return None, None
    if not future and found > base + dt.timedelta(days=31):
        earlier = _safe_date(base.year - 1, month, day)
        return earlier, "no year given: the year before the report's, as the day had passed"
    if future and found < base - dt.timedelta(days=31):
        later = _safe_date(base.year + 1, month, day)
        return later, "no year given: the year after the report's, as the day is to come"
    if not future and found > base:
        return found, "a past event on a day after the report's date: check the day"
    return found, None


def dates_in(sentence: str, base: dt.date | None) -> list[FoundDate]:
    """Every date expression of a sentence, in order, resolved against the report's day ``base``
    (None: absolute dates with a year only; the rest are kept as words)."""
    sentence_future = bool(_FUTURE.search(sentence))

    def is_future(at: int) -> bool:
        """Future words in the clause before a date ("met on Monday and will meet again on Friday")."""
        window = sentence[max(0, at - 80) : at]
        cut = max(
            window.rfind(","),
            window.rfind(";"),
            window.rfind(" but "),
            window.rfind(" and "),
            window.rfind('"'),
        )
        clause = window[cut + 1 :] if cut >= 0 else window
        if re.search(
            r"\b(?:was|were|had been) (?:due|scheduled|set|planned|supposed|expected)\b", clause, re.I
        ):
            return False  # "were due to meet on Friday": the Friday that was
        return bool(_FUTURE.search(clause))

    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(item: FoundDate) -> None:
        if free(item.start, item.end):
            taken.append((item.start, item.end))
            found.append(item)

    for m in _ISO.finditer(sentence):
        add(FoundDate(m[0], m.start(), m.end(), _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))))
    for m in _NUMERIC.finditer(sentence):
        a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
        one, other = _safe_date(year, b, a), _safe_date(year, a, b)  # day-first, month-first
        if one is not None and other is not None and one != other:
            add(FoundDate(m[0], m.start(), m.end(), None, m[0], "the date reads two ways (day/month)"))
        else:
            add(FoundDate(m[0], m.start(), m.end(), one or other))
    for m in _ABSOLUTE.finditer(sentence):
        year_text = m["y1"] or m["y2"]
        month = month_number(m["m1"] or m["m2"])
        day = int(re.sub(r"\D", "", m["d1"] or m["d2"]))
        if month is None or not 1 <= day <= 31:
            continue
        note = None
        if year_text:
            date = _absolute(m[0], int(year_text)) or _safe_date(int(year_text), month, day)
        elif base is not None:
            date, note = resolve_year(month, day, base, future=sentence_future)
        else:
            add(FoundDate(m[0], m.start(), m.end(), None, m[0], "no year given and no report date"))
            continue
        if date is not None:
            add(FoundDate(m[0], m.start(), m.end(), date, note=note))
    for m in _PERIOD.finditer(sentence):
        add(FoundDate(m[0], m.start(), m.end(), None, m["w"]))
    for m in _RELATIVE_DAY.finditer(sentence):
        if base is None:
            continue
        word = m["w"].casefold()
        shift = {
            "yesterday": -1,
            "last night": -1,
            "the day before yesterday": -2,
            "tomorrow": 1,
            "the day after tomorrow": 2,
            "the day before": -1,
            "the previous day": -1,
        }.get(word, 0)
        if word in {"earlier this week", "earlier this month"}:
            add(FoundDate(m[0], m.start(), m.end(), None, m[0]))
            continue
        add(FoundDate(m[0], m.start(), m.end(), base + dt.timedelta(days=shift)))
    for m in _WEEKDAY_RE.finditer(sentence):
        if base is None:
            continue
        weekday = WEEKDAYS.index(m["w"].casefold())
        rel = (m["rel"] or "").casefold()
        if rel in {"next", "coming"} or (is_future(m.start()) and rel != "last"):
            ahead = (weekday - base.weekday()) % 7 or 7
            date = base + dt.timedelta(days=ahead)
        else:
            back = (base.weekday() - weekday) % 7
            if rel == "last" and back == 0:
                back = 7
            date = base - dt.timedelta(days=back)
        add(FoundDate(m[0], m.start(), m.end(), date))
    found.sort(key=lambda f: f.start)
    return found


# -- the report's own date ------------------------------------------------------------------------

# "GENEVA, Nov. 24 (Wire) —", "ZÜRICH, Dec. 15 (Agence) —", "KYIV, Ukraine, Dec. 3 —", "MOSCOW,
# December 2. /TASS/.", "Dec 3 (Reuters) -": a place (and its country) or none, the day, the agency
_DATELINE = re.compile(
    rf"^\s*(?:(?P<place>[^\W\d_](?:[^\W\d_]|[.'’\- ]){{0,39}}?)\s*(?:\([^)]{{0,40}}\))?"
    rf"(?:,\s*[^\W\d_](?:[^\W\d_]|[.'’\- ]){{0,29}}?)?,\s*)?"
    rf"(?:{_WEEKDAY},?\s+)?(?P<date>(?:{_MONTH})\s+{_DAY}(?:,?\s+{_YEAR})?|{_DAY}\s+(?:{_MONTH})(?:,?\s+{_YEAR})?)"
    rf"\s*(?:\([^)]{{0,60}}\)\s*)?(?:[-\u2013\u2014:]|\.\s*/[^/\n]{{1,30}}/)",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_DATE = re.compile(
    rf"(?P<date>(?:{_WEEKDAY},?\s+)?(?:(?:{_MONTH})\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+(?:of\s+)?(?:{_MONTH}),?\s+{_YEAR})"
    rf"|{_YEAR}-[01]\d-[0-3]\d"
    # "Published: 03.12.2025": a labelled numeric day (dots: day first, as Europe writes it)
    rf"|(?<=published: )[0-3]?\d[./][01]?\d[./]{_YEAR}|(?<=updated: )[0-3]?\d[./][01]?\d[./]{_YEAR})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReportDate:
    """The report's day and how it was found: ``rule`` ("dateline", "header date"), the words, and a
    note when the year was not in the report."""

    date: dt.date
    rule: str
    words: str
    start: int
    end: int
    place: str | None = None
    note: str | None = None


def _likely_year(month: int, day: int, record_latest: dt.date | None, today: dt.date) -> tuple[int, str]:
    """The year of a day written without one: the one that puts it nearest the record's latest dated
    entry (a report is usually about the talks' latest days), else today's."""
    anchor, whose = (record_latest, "the record's latest entry") if record_latest else (today, "today")
    candidates = [y for y in (anchor.year - 1, anchor.year, anchor.year + 1) if _safe_date(y, month, day)]
    best = min(candidates, key=lambda y: abs((dt.date(y, month, day) - anchor).days))
    return best, f"the report gives no year: {best}, nearest {whose} ({anchor.isoformat()})"


def report_date(
    text: str, *, record_latest: dt.date | None = None, today: dt.date | None = None
) -> ReportDate | None:
    """The report's own day, from its dateline ("GENEVA, Nov 24 (Reuters) -") or, failing that, a
    full date in its first lines (a byline, a read-out's heading)."""
    head = text[:600]
    match = _DATELINE.search(head)
    if match is not None and match.start() < 300:
        words = match["date"]
        found = _read_day(words, record_latest, today or dt.date.today())
        if found is not None:
            date, note = found
            start = match.start("date")
            return ReportDate(
                date,
                "dateline",
                words,
                start,
                start + len(words),
                (match["place"] or "").strip() or None,
                note,
            )
    first_lines = "\n".join(text[:800].splitlines()[:6])
    match = _HEADER_DATE.search(first_lines)
    if match is not None:
        words = match["date"]
        found = _read_day(words, record_latest, today or dt.date.today())
        if found is not None:
            start = text.find(words)
            return ReportDate(found[0], "date in the report's first lines", words, start, start + len(words))
    return None


def _read_day(words: str, record_latest: dt.date | None, today: dt.date) -> tuple[dt.date, str | None] | None:
    iso = _ISO.search(words)
    if iso:
        date = _safe_date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
        return (date, None) if date else None
    numeric = _NUMERIC.fullmatch(words.strip())
    if numeric:
        a, b, year = int(numeric["a"]), int(numeric["b"]), int(numeric["y"])
        day_first, month_first = _safe_date(year, b, a), _safe_date(year, a, b)
        if "." in words or month_first is None:
            return (day_first, None) if day_first else None
        if day_first is None or day_first == month_first:
            return month_first, None
        return None  # 03/04/2031 reads two ways: no report date rather than a guess
    cleaned = re.sub(rf"^{_WEEKDAY},?\s+", "", words.strip(), flags=re.IGNORECASE)
    m = _ABSOLUTE.search(cleaned)
    if m is None:
        return None
    month = month_number(m["m1"] or m["m2"])
    day = int(re.sub(r"\D", "", m["d1"] or m["d2"]))
    year_text = m["y1"] or m["y2"]
    if month is None:
        return None
    if year_text:
        date = _safe_date(int(year_text), month, day)
        return (date, None) if date else None
    year, note = _likely_year(month, day, record_latest, today)
    date = _safe_date(year, month, day)
    return (date, note) if date else None
