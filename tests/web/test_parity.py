"""The browser is not the lesser tool: every command of the CLI has a page or a form on the workbench,
or an exemption documented in docs/workbench.md ("What the workbench does not do, and why").

PAGES below is the one place that says which page routes do which command. The tests read the CLI's
whole command tree (every command loaded, as tools and tests see it), the app's registered routes and
that section of the docs, and fail on a command in neither PAGES nor the section, on a command in
both, on an entry naming no command or a route the app does not have, and on a page route that does
no command and is not listed as the workbench's own (WORKBENCH_ONLY): a new page must say which
command it does, and that command's exemption then goes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from accord.cli.app import loaded_command
from accord.storage.database import open_database
from accord.web.app import create_app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "workbench.md"
EXEMPTIONS_HEADING = "## What the workbench does not do, and why"

Routes = tuple[tuple[str, str], ...]

# command (its words after `accord`) -> the page routes (method, path) that do it
PAGES: dict[str, Routes] = {
    "negotiations": (("GET", "/negotiations"),),
    "diagnose": (("GET", "/n/{name}/diagnose"),),
    "improve": (("GET", "/n/{name}/improve"),),
    "logrolls": (("GET", "/n/{name}/logrolls"),),
    "contested": (("GET", "/n/{name}/contested"),),
    "trace": (("GET", "/n/{name}/trace"), ("POST", "/n/{name}/trace")),
    "leaks rules": (("GET", "/n/{name}/leak-rules"),),
    "leaks veto": (("POST", "/n/{name}/leak-rules"),),
    "leaks allow": (("POST", "/n/{name}/leak-rules"),),
    "import": (("GET", "/import"), ("POST", "/import")),
    "import-genius": (("POST", "/import/genius"),),
    "export": (("GET", "/n/{name}/export"),),
    "export-genius": (("GET", "/n/{name}/export"),),
    # the stances on the latest draft or a chosen one (?draft=N, as --draft); convergence per version
    "status": (("GET", "/n/{name}/matrix"), ("GET", "/n/{name}"), ("GET", "/n/{name}/stances/over-drafts")),
    # a large negotiation's solve as a job (its page, progress and kept result: see "estimate")
    "solve": (
        ("GET", "/n/{name}/explorer"),
        ("GET", "/n/{name}/explorer/result"),
        ("POST", "/n/{name}/explorer/jobs"),
    ),
    "frontier": (
        ("GET", "/n/{name}/explorer"),
        ("GET", "/n/{name}/explorer/frontier"),
        ("GET", "/n/{name}/compare"),
        ("GET", "/n/{name}/frontier.png"),
    ),
    "adjusted-winner": (("GET", "/n/{name}/adjusted-winner"),),
    # in the request up to 2,000 samples; more as a job (its page, progress, cancelling, its kept result)
    "estimate": (
        ("GET", "/n/{name}/estimates/{party}"),
        ("POST", "/n/{name}/estimates/{party}/adopt"),
        ("POST", "/n/{name}/estimates/{party}/jobs"),
        ("GET", "/n/{name}/jobs"),
        ("GET", "/n/{name}/jobs/{job}"),
        ("GET", "/n/{name}/jobs/{job}/progress"),
        ("POST", "/n/{name}/jobs/{job}/cancel"),
        ("GET", "/n/{name}/jobs/{job}/result"),
    ),
    "validate": (("GET", "/validate"), ("POST", "/validate")),
    "brief": (("GET", "/n/{name}/briefing"), ("GET", "/n/{name}/briefing/download")),
    # run as a job: the form, its page and progress (polled), cancelling it, the result and its picture
    "robustness": (
        ("GET", "/n/{name}/robustness"),
        ("POST", "/n/{name}/robustness"),
        ("GET", "/n/{name}/jobs"),
        ("GET", "/n/{name}/jobs/{job}"),
        ("GET", "/n/{name}/jobs/{job}/progress"),
        ("POST", "/n/{name}/jobs/{job}/cancel"),
        ("GET", "/n/{name}/jobs/{job}/result"),
        ("GET", "/n/{name}/jobs/{job}/acceptance.png"),
    ),
    "timeline": (("GET", "/n/{name}/timeline"),),
    "draft list": (("GET", "/n/{name}/drafts"),),
    "draft show": (("GET", "/n/{name}/drafts/{version}"),),
    "draft new": (("GET", "/n/{name}/amend"), ("POST", "/n/{name}/drafts")),
    "draft record": (("GET", "/n/{name}/record-draft"), ("POST", "/n/{name}/record-draft")),
    "draft diff": (("GET", "/n/{name}/diff"),),
    "draft circulate": (("POST", "/n/{name}/drafts/{version}/circulate"),),
    "draft export": (("POST", "/n/{name}/drafts/{version}/copy"),),
    "stance set": (
        ("POST", "/n/{name}/stances"),
        ("GET", "/n/{name}/stances/on-behalf"),
        ("POST", "/n/{name}/stances/on-behalf"),
    ),
    "draft status": (("POST", "/n/{name}/drafts/{version}/status"),),
    "stance correct": (("POST", "/n/{name}/stances/corrections"),),
    "stance withdraw": (("POST", "/n/{name}/stances/withdrawals"),),
    "stance history": (("GET", "/n/{name}/stances/history"),),
    "preferences show": (("GET", "/n/{name}/preferences/{party}"),),
    "preferences set": (("POST", "/n/{name}/preferences/{party}"),),
    "meeting add": (("POST", "/n/{name}/meetings"),),
    "meeting update": (("POST", "/n/{name}/meetings/{key}"),),
    "meeting show": (("GET", "/n/{name}/meetings"),),  # each meeting in full, with its changes
    "meeting list": (("GET", "/n/{name}/meetings"),),
    "paper add": (("POST", "/n/{name}/papers"),),
    "paper list": (("GET", "/n/{name}/papers"),),
    "paper show": (("GET", "/n/{name}/papers/{paper}"),),
    "paper get": (("GET", "/n/{name}/papers/{paper}/content"),),
    "person add": (("POST", "/n/{name}/people"),),
    "person list": (("GET", "/n/{name}/people"),),
    "person update": (("GET", "/n/{name}/people"), ("POST", "/n/{name}/people/{key}")),  # ?edit=KEY
    "source add": (("POST", "/n/{name}/sources"),),
    "source list": (("GET", "/n/{name}/people"),),  # the people page's Sources table
    "statement add": (("POST", "/n/{name}/statements"),),
    "statement list": (("GET", "/n/{name}/statements"),),
    "statement show": (("GET", "/n/{name}/statements"),),  # each statement in full, as a row
    "statement adopt": (("POST", "/n/{name}/statements/{key}/adopt"),),
    "event add": (("POST", "/n/{name}/events"),),
    "event list": (("GET", "/n/{name}/events"),),
    "event show": (("GET", "/n/{name}/events"),),  # each event in full, with its leak traces
    "ingest read": (("GET", "/n/{name}/ingest"), ("POST", "/n/{name}/ingest")),
    "ingest apply": (("POST", "/n/{name}/ingest/apply"),),
    "audit log": (("GET", "/n/{name}/audit"),),
    "audit verify": (("GET", "/n/{name}/audit"),),  # as far as it concerns the negotiation
}

# page routes that do no command: the workbench's own (signing in, the API's documentation, sharing
# an analysis with a party)
WORKBENCH_ONLY: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/"),
        ("GET", "/login"),
        ("POST", "/login"),
        ("POST", "/logout"),
        ("GET", "/static/vega.js"),  # the charts' script (Vega, Vega-Lite, vega-embed), from the package
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("POST", "/n/{name}/shares"),
        ("GET", "/n/{name}/shared/{party}"),
    }
)


def cli_commands() -> set[str]:
    """Every command of `accord`, as its words after `accord` ("draft new"), groups walked."""
    found: set[str] = set()

    def walk(command: Any, words: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)  # a group (Typer's own click has no Group)
        if subcommands is not None:
            for name, sub in subcommands.items():
                walk(sub, (*words, name))
        else:
            found.add(" ".join(words))

    walk(loaded_command(), ())
    return found


COMMANDS = cli_commands()
GROUPS = {" ".join(c.split()[:i]) for c in COMMANDS for i in range(1, len(c.split()))}


def documented_exemptions(text: str) -> dict[str, str]:
    """The section's list items, `accord COMMAND`: REASON; a group stands for all its commands."""
    lines = text.splitlines()
    assert EXEMPTIONS_HEADING in lines, f"{DOCS.name} has no section {EXEMPTIONS_HEADING!r}"
    start = lines.index(EXEMPTIONS_HEADING) + 1
    items: list[str] = []
    for line in lines[start:]:
        if line.startswith("#"):
            break
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()  # an item's next line
    found: dict[str, str] = {}
    for item in items:
        match = re.fullmatch(r"`accord ([^`]+)`:\s*(.*)", item)
        assert match, f"{DOCS.name}: an exemption is written `accord COMMAND`: REASON, not {item!r}"
        command, reason = " ".join(match.group(1).split()), match.group(2).strip()
        assert command not in found, f"{DOCS.name}: `accord {command}` is exempted twice"
        found[command] = reason
    return found


EXEMPTIONS = documented_exemptions(DOCS.read_text(encoding="utf-8"))


def exempted(command: str) -> str | None:
    """The entry (the command itself, or a group it belongs to) that exempts ``command``."""
    words = command.split()
    for i in range(len(words), 0, -1):
        if " ".join(words[:i]) in EXEMPTIONS:
            return " ".join(words[:i])
    return None


def registered_routes() -> set[tuple[str, str]]:
    app = create_app(open_database("sqlite://"))  # routes only: nothing connects before a request
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, Mount):
                continue  # /static
            included = getattr(route, "original_router", None)
            if included is not None:
                walk(list(included.routes))
                continue
            assert isinstance(route, APIRoute | Route), f"an unknown kind of route: {route!r}"
            found.update((m, route.path) for m in route.methods or () if m != "HEAD")

    walk(list(app.routes))
    return found


@pytest.fixture(scope="module")
def routes() -> set[tuple[str, str]]:
    return registered_routes()


def test_every_command_has_a_page_or_a_documented_exemption() -> None:
    missing = sorted(c for c in COMMANDS if c not in PAGES and exempted(c) is None)
    assert not missing, (
        "commands with neither a page (PAGES in tests/web/test_parity.py) nor an exemption in "
        f"{DOCS.name} ({EXEMPTIONS_HEADING[3:]!r}): " + ", ".join(f"`accord {c}`" for c in missing)
    )


def test_an_exempted_command_has_no_page() -> None:
    both = sorted(f"`accord {c}` (exempted as `accord {exempted(c)}`)" for c in PAGES if exempted(c))
    assert not both, f"these commands have a page now: take their exemption out of {DOCS.name}: " + ", ".join(
        both
    )


def test_every_exemption_names_a_command_and_says_why() -> None:
    unknown = sorted(e for e in EXEMPTIONS if e not in COMMANDS and e not in GROUPS)
    assert not unknown, f"{DOCS.name} exempts commands accord does not have: {unknown}"
    silent = sorted(e for e, reason in EXEMPTIONS.items() if len(reason.split()) < 3)
    assert not silent, f"{DOCS.name}: say why the workbench does not do these: {silent}"


def test_every_page_named_for_a_command_exists_and_is_a_page(routes: set[tuple[str, str]]) -> None:
    unknown = sorted(c for c in PAGES if c not in COMMANDS)
    assert not unknown, f"PAGES names commands accord does not have: {unknown}"
    for command, pages in PAGES.items():
        assert pages, f"`accord {command}`: no route named"
        for route in pages:
            assert route in routes, f"`accord {command}`: the app has no route {route}"
            assert not route[1].startswith("/api/"), (
                f"`accord {command}`: {route} is the JSON API; name the page or form that does it"
            )


def test_every_page_does_a_command_or_is_the_workbenchs_own(routes: set[tuple[str, str]]) -> None:
    mapped = {route for pages in PAGES.values() for route in pages}
    unexplained = sorted(
        r for r in routes if not r[1].startswith("/api/") and r not in mapped | WORKBENCH_ONLY
    )
    assert not unexplained, (
        "pages that do no command in PAGES (tests/web/test_parity.py): name the command each does "
        "(and take its exemption out of docs/workbench.md), or add it to WORKBENCH_ONLY: "
        f"{unexplained}"
    )
    gone = sorted(WORKBENCH_ONLY - routes)
    assert not gone, f"WORKBENCH_ONLY names routes the app does not have: {gone}"


def test_the_documented_exemptions_are_read_as_written() -> None:
    text = "\n".join(
        [
            EXEMPTIONS_HEADING,
            "",
            "Some prose.",
            "",
            "- `accord serve`: it runs the",
            "  workbench.",
            "- `accord keys`: the key file stays on the server.",
            "",
            "## Next",
            "- `accord solve`: not part of the section.",
        ]
    )
    assert documented_exemptions(text) == {
        "serve": "it runs the workbench.",
        "keys": "the key file stays on the server.",
    }
    with pytest.raises(AssertionError, match="written `accord COMMAND`: REASON"):
        documented_exemptions(f"{EXEMPTIONS_HEADING}\n- serve: no backticks")
