"""A refusal shown at the form field it concerns: the services name a field at the head of their
messages ("--as-of: 2031-01-01 is after today", "source url: not a web address"), in the command
line's words; a form maps those words to its own inputs, and a message that names none is shown
above the form. Whatever is shown says any option it still names in the page's words
(accord.web.option_words).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from accord.web.option_words import for_page


@dataclass
class FormProblems:
    """The problems of one form, by field ("" for the form as a whole)."""

    at: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, field_name: str | None, message: str) -> None:
        message = for_page(message)
        if field_name:
            self.at.setdefault(field_name, message)
        else:
            self.general.append(message)

    def __bool__(self) -> bool:
        return bool(self.at or self.general)


def place(
    problems: FormProblems,
    message: str,
    names: Mapping[str, str],
    patterns: Sequence[tuple[str, str]] = (),
) -> None:
    """Add ``message`` at the field its head names (a key of ``names``: the service's word for it,
    mapped to the form's input), else at the first field whose pattern (a regular expression) it
    matches, else above the form."""
    head, sep, rest = message.partition(": ")
    if sep and head.strip() in names:
        problems.add(names[head.strip()], rest)
        return
    for pattern, field_name in patterns:
        if re.search(pattern, message):
            problems.add(field_name, message)
            return
    problems.add(None, message)
