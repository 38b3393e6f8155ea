"""The longest free text a seat may type into the workbench (accord.config.TEXT_CHARS), checked by the
workbench's use cases so that the pages and the JSON API refuse alike.

A refusal names the field and the limit, never the text itself: a 20 MB `basis` is not echoed back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from accord.characters import unfit_character
from accord.config import TEXT_CHARS
from accord.domain.amendments import Amendment
from accord.errors import DomainError, Problem, ScenarioError
from accord.scenario.paths import FieldPath, render
from accord.services.sources import Citation

# fields of a party's preferences that hold prose; every other text there is an id or a key
_PROSE = frozenset({"basis", "note"})
_PROBLEMS_LISTED = 20


def _too_long(limit: int) -> str:
    return f"longer than {limit:,} characters; write at most {limit:,}"


def check_text(field: str, value: str | None, kind: str) -> None:
    """DomainError when ``value`` is longer than the limit of its ``kind`` (a key of TEXT_CHARS), or
    holds a character that cannot be stored as text (:func:`unfit_character`)."""
    limit = TEXT_CHARS[kind]
    if value is not None and len(value) > limit:
        raise DomainError(f"{field}: {_too_long(limit)}")
    unfit = unfit_character(value) if value is not None else None
    if unfit:
        raise DomainError(f"{field}: {unfit}")


def check_texts(fields: Iterable[tuple[str, str | None, str]]) -> None:
    """Each (field, value, kind) as :func:`check_text`."""
    for field, value, kind in fields:
        check_text(field, value, kind)


def check_citation_texts(citation: Citation) -> None:
    """A citation's new source, each text within its limit (named as the form's fields are)."""
    at = citation.prefix
    check_texts(
        [
            *((f"{at.rstrip('-. ')}", key, "name") for key in citation.keys),
            (f"{at}outlet", citation.outlet, "title"),
            (f"{at}title", citation.title, "title"),
            (f"{at}url", citation.url, "title"),
            (f"{at}quote", citation.quote, "outcome"),
        ]
    )


def check_amendments(amendments: Iterable[Amendment]) -> None:
    for index, amendment in enumerate(amendments):
        at = f"amendments[{index}]"
        check_texts(
            [
                (f"{at}.point", amendment.point, "name"),
                (f"{at}.option", amendment.option, "name"),
                (f"{at}.reason", amendment.reason, "note"),
                (f"{at}.title", amendment.title, "title"),
                (f"{at}.text", amendment.text, "text"),
            ]
        )


def check_preferences(party: str, fragment: Mapping[str, Any], *, file: str) -> None:
    """ScenarioError listing every text of a preferences fragment over its limit (the basis and notes:
    prose; everything else: ids and keys), each by its field path under the party."""
    problems: list[Problem] = []
    _walk(fragment, ("parties", party), problems, file)
    if problems:
        raise ScenarioError(problems[:_PROBLEMS_LISTED])


def _walk(value: Any, path: FieldPath, problems: list[Problem], file: str) -> None:
    if len(problems) >= _PROBLEMS_LISTED:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and len(key) > TEXT_CHARS["name"]:
                problems.append(Problem(file, render(path), f"a key is {_too_long(TEXT_CHARS['name'])}"))
                continue
            _walk(item, (*path, key), problems, file)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, (*path, index), problems, file)
    elif isinstance(value, str):
        limit = TEXT_CHARS["note" if path[-1] in _PROSE else "name"]
        if len(value) > limit:
            problems.append(Problem(file, render(path), _too_long(limit)))
        elif unfit := unfit_character(value):
            problems.append(Problem(file, render(path), unfit))
