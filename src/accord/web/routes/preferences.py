"""A party's preferences on the workbench: weights, scores, red lines, reservation value, links, and
how uncertain each estimate is (the scenario format's ``uncertainty`` block, which `accord robustness`
samples: docs/scenario-format.md).

Every problem the validation finds is shown at the input it concerns (an uncertainty range next to
its estimate); one the form has no input for is listed with its field's name, never dropped. A save
that fails writes nothing and shows the form as it was typed.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from accord.errors import ScenarioError
from accord.security.policy import Viewer
from accord.services import workbench
from accord.services.preference_edits import distribution_from_text, distribution_text
from accord.web.context import check_csrf, database, logged_in
from accord.web.routes.pages import page

pages = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]

SPREAD_EXPECTED = (
    "expected range:LOW:HIGH, uniform:LOW:HIGH, triangular:LOW:MODE:HIGH or normal:MEAN:SD:LOW:HIGH "
    "(e.g. triangular:0.4:0.5:0.55)"
)
# the last parts of a problem's path inside a distribution: the problem is the distribution's input's
_INSIDE_SPREAD = {"range", "uniform", "triangular", "normal", "mean", "sd"}


def _plain(number: Any) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return "" if number is None else str(number)


def _stored(values: dict[str, Any], points: list[Any]) -> dict[str, str]:
    """Every input of the form, as the stored preferences fill it."""
    shown = {
        "reservation_value": _plain(values.get("reservation_value", 0)),
        "score_scale": _plain(values.get("score_scale", 1)),
    }
    weights, scores = values.get("weights") or {}, values.get("scores") or {}
    spread = values.get("uncertainty") if isinstance(values.get("uncertainty"), dict) else {}
    assert isinstance(spread, dict)
    spread_weights = spread.get("weights") if isinstance(spread.get("weights"), dict) else {}
    assert isinstance(spread_weights, dict)
    spread_scores = spread.get("scores") if isinstance(spread.get("scores"), dict) else {}
    assert isinstance(spread_scores, dict)
    if "dirichlet" in spread_weights:
        shown["spread.weights.dirichlet"] = _plain(spread_weights["dirichlet"])
    if "reservation_value" in spread:
        shown["spread.reservation_value"] = distribution_text(spread["reservation_value"])
    for point in points:
        shown[f"weight.{point.id}"] = _plain(weights.get(point.id))
        if point.id in spread_weights:
            shown[f"spread.weight.{point.id}"] = distribution_text(spread_weights[point.id])
        for option in point.options:
            shown[f"score.{point.id}.{option.key}"] = _plain((scores.get(point.id) or {}).get(option.key))
            by_option = spread_scores.get(point.id) or {}
            if isinstance(by_option, dict) and option.key in by_option:
                shown[f"spread.score.{point.id}.{option.key}"] = distribution_text(by_option[option.key])
    return shown


def _field_of(path: str) -> str:
    """The form's name for a problem's path under the party (``uncertainty.scores.territory.loc`` for
    ``uncertainty.scores.territory.loc.range[1]``)."""
    parts = re.sub(r"\[\d+\]", "", path).split(".")
    if parts[0] == "uncertainty":
        while len(parts) > 2 and parts[-1] in _INSIDE_SPREAD:
            parts.pop()
    elif parts[0] in ("links", "red_lines"):
        parts = parts[:1]
    return ".".join(parts)


def _known_fields(points: list[Any]) -> set[str]:
    """The fields the form shows a problem at."""
    known = {
        "reservation_value",
        "score_scale",
        "links",
        "red_lines",
        "uncertainty",
        "uncertainty.weights",
        "uncertainty.weights.dirichlet",
        "uncertainty.reservation_value",
    }
    for point in points:
        known |= {f"weights.{point.id}", f"uncertainty.weights.{point.id}", f"uncertainty.scores.{point.id}"}
        for option in point.options:
            known |= {f"scores.{point.id}.{option.key}", f"uncertainty.scores.{point.id}.{option.key}"}
    return known


def _preferences_page(
    request: Request,
    viewer: Viewer,
    name: str,
    party: str,
    values: dict[str, Any],
    *,
    typed: dict[str, str] | None = None,
    saved: bool = False,
    problems: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> Response:
    seen = workbench.view(database(request), viewer, name).negotiation
    points = sorted(seen.points, key=lambda p: p.number)
    known = _known_fields(points)
    field_errors: dict[str, str] = {}
    other: list[str] = []
    prefix = f"parties.{party}."
    for path, message in problems or []:
        field = _field_of(path.removeprefix(prefix)) if path.startswith(prefix) else ""
        if field in known:
            field_errors[field] = f"{field_errors[field]}; {message}" if field in field_errors else message
        else:  # no input of its own: said with its field's name, above the button
            other.append(f"{path.removeprefix(prefix)}: {message}" if path else message)
    links_text = "\n".join(
        f"{k['point']}:{k['option']} requires {k['requires']['point']}:{','.join(k['requires']['options'])}"
        for k in values.get("links", [])
        if isinstance(k, dict)
    )
    shown = {**_stored(values, points), **(typed or {})}
    return page(
        request,
        "preferences.html",
        name,
        status,
        party=party,
        party_name=seen.party(party).name,
        points=points,
        shown=shown,
        red={(r["point"], r["option"]) for r in values.get("red_lines", []) if isinstance(r, dict)},
        links_text=(typed or {}).get("links", links_text),
        saved=saved,
        problems=problems or [],
        field_errors=field_errors,
        other_errors=other,
    )


@pages.get("/n/{name}/preferences/{party}", response_class=HTMLResponse)
def preferences(request: Request, viewer: Who, name: str, party: str) -> Response:
    values = workbench.preferences(database(request), viewer, name, party)
    return _preferences_page(request, viewer, name, party, values)


def _number(text: str, path: str, problems: list[tuple[str, str]]) -> float | None:
    try:
        value = float(text)
    except ValueError:
        problems.append((path, f"expected a number, got {text[:40]!r}"))
        return None
    if not math.isfinite(value):
        problems.append((path, f"expected a finite number, got {text[:40]!r}"))
        return None
    return value


def _spread(text: str, path: str, problems: list[tuple[str, str]]) -> Any:
    """A distribution typed as ``triangular:0.4:0.5:0.55``, or a problem at its field."""
    found = distribution_from_text(text)
    if isinstance(found, str) or any(isinstance(n, str) for n in _numbers_of(found)):
        problems.append((path, f"{text[:40]!r}: {SPREAD_EXPECTED}"))
        return None
    return found


def _numbers_of(spread: dict[str, Any]) -> list[Any]:
    (value,) = spread.values()
    if isinstance(value, dict):
        return [value.get("mean"), value.get("sd"), *value.get("range", [])]
    return list(value)


def _uncertainty(form: FormData, prefix: str, problems: list[tuple[str, str]]) -> dict[str, Any]:
    """The uncertainty block the form describes (an empty input: no distribution there)."""
    block: dict[str, Any] = {}
    at = f"{prefix}.uncertainty"
    texts = {key: str(raw).strip() for key, raw in form.multi_items() if key.startswith("spread.")}
    concentration = texts.get("spread.weights.dirichlet", "")
    per_point = {
        key.removeprefix("spread.weight."): text
        for key, text in texts.items()
        if key.startswith("spread.weight.") and text
    }
    if concentration and per_point:
        problems.append(
            (
                f"{at}.weights",
                "a concentration (the weights vary together) or a range per point, not both; "
                "empty one of them",
            )
        )
    elif concentration:
        block["weights"] = {"dirichlet": _number(concentration, f"{at}.weights.dirichlet", problems)}
    elif per_point:
        block["weights"] = {p: _spread(t, f"{at}.weights.{p}", problems) for p, t in per_point.items()}
    scores: dict[str, dict[str, Any]] = {}
    for key, text in texts.items():
        if key.startswith("spread.score.") and text:
            point, _, option = key.removeprefix("spread.score.").partition(".")
            scores.setdefault(point, {})[option] = _spread(text, f"{at}.scores.{point}.{option}", problems)
    if scores:
        block["scores"] = scores
    if texts.get("spread.reservation_value"):
        block["reservation_value"] = _spread(
            texts["spread.reservation_value"], f"{at}.reservation_value", problems
        )
    return block


@pages.post("/n/{name}/preferences/{party}", response_class=HTMLResponse)
async def save_preferences(request: Request, viewer: Who, name: str, party: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    old = workbench.preferences(database(request), viewer, name, party)  # the policy is asked here first
    problems: list[tuple[str, str]] = []
    prefix = f"parties.{party}"
    weights: dict[str, Any] = {}
    scores: dict[str, dict[str, Any]] = {}
    red_lines = []
    notes = {(r["point"], r["option"]): r.get("note") for r in old.get("red_lines", [])}
    # what was typed, to fill the form again if the save fails (never a flood: a value is an input's)
    typed = {key: str(raw)[:10_000] for key, raw in form.multi_items() if key != "csrf_token"}
    for key, raw in form.multi_items():
        text = str(raw).strip()
        if key.startswith("weight.") and text:
            point = key.removeprefix("weight.")
            weights[point] = _number(text, f"{prefix}.weights.{point}", problems)
        elif key.startswith("score.") and text:
            point, _, option = key.removeprefix("score.").partition(".")
            scores.setdefault(point, {})[option] = _number(
                text, f"{prefix}.scores.{point}.{option}", problems
            )
        elif key.startswith("red."):
            point, _, option = key.removeprefix("red.").partition(".")
            red = {"point": point, "option": option}
            if notes.get((point, option)):
                red["note"] = str(notes[(point, option)])
            red_lines.append(red)
    # a form may carry only some fields (a partial update): those left out keep their values
    keys = list(form.keys())
    fragment: dict[str, Any] = {}
    if any(k.startswith("weight.") for k in keys):
        fragment["weights"] = weights
    if any(k.startswith("score.") for k in keys):
        fragment["scores"] = scores
    if "red_lines_shown" in form:
        fragment["red_lines"] = red_lines
    for field in ("score_scale", "reservation_value"):
        text = str(form.get(field) or "").strip()
        if text:
            fragment[field] = _number(text, f"{prefix}.{field}", problems)
    if "uncertainty_shown" in form:
        block = _uncertainty(form, prefix, problems)
        if block or "uncertainty" in old:
            fragment["uncertainty"] = block
    if "links" in form:
        fragment["links"] = _links(str(form.get("links") or ""), prefix, problems)
    shown = {**old, **fragment}
    if problems:
        return _preferences_page(
            request, viewer, name, party, shown, typed=typed, problems=problems, status=422
        )
    try:
        saved = workbench.update_preferences(database(request), viewer, name, party, fragment)
    except ScenarioError as error:
        found = [(p.path, p.message) for p in error.problems]
        return _preferences_page(request, viewer, name, party, shown, typed=typed, problems=found, status=422)
    return _preferences_page(request, viewer, name, party, saved, saved=True)


def _links(text: str, prefix: str, problems: list[tuple[str, str]]) -> list[dict[str, Any]]:
    links = []
    for number, line in enumerate(line for line in text.splitlines() if line.strip()):
        head, sep, tail = line.partition(" requires ")
        point, _, option = head.strip().partition(":")
        needed, _, options = tail.strip().partition(":")
        if not sep or not point or not option or not needed or not options:
            problems.append(
                (f"{prefix}.links", f"line {number + 1}: expected `point:option requires point:a,b`")
            )
            continue
        links.append(
            {"point": point, "option": option, "requires": {"point": needed, "options": options.split(",")}}
        )
    return links
