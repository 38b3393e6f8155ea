"""Every route the app registers x every role x read/write, with the expected answer, and no response
to a party that holds another party's private preferences, nor to anyone but the mediator one that
names a point added in a draft never circulated.

The routes come from the app itself: a new route without an entry in ROUTES fails this test.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from accord.security.policy import Seat, SeatRole, Viewer
from tests.conftest import EXAMPLES
from tests.web.charted import COMPARED
from tests.web.conftest import (
    NAME,
    UNCIRCULATED,
    A,
    B,
    Workbench,
    api_token,
    log_in,
    make_workbench,
    plant_uncirculated_point,
    secrets_of,
)
from tests.web.planted_job import JOB, plant_job
from tests.web.private_paper import (
    ANNEX,
    ANNEX_BYTES,
    MEMO,
    PAPER_SECRETS,
    paper_secrets,
    plant_private_papers,
)
from tests.web.private_statement import (
    ADOPT_API,
    ADOPT_PAGE,
    MEDIATOR_ONLY,
    PRIVATE_WORDS,
    SPEAKER,
    mediator_secrets,
    plant_statements,
    statement_secrets,
)
from tests.web.test_received_drafts import MATRIX_FORM as RECEIVED_FORM
from tests.web.test_received_drafts import MATRIX_JSON as RECEIVED_JSON

ROLES = ("anonymous", "mediator", "member_a", "member_b", "observer")
USERS = {"mediator": "mediator", "member_a": A, "member_b": B, "observer": "observer"}
EVERYONE = frozenset(ROLES)
SEATED = frozenset(ROLES) - {"anonymous"}
MEDIATOR = frozenset({"mediator"})
PARTY_A = frozenset({"mediator", "member_a"})
RECEIVED = frozenset({"mediator", "member_a", "member_b"})  # drafts 1 and 3 went to both parties
MEMBERS = frozenset({"member_a", "member_b"})
NOT_RECEIVED = frozenset({"observer"})  # a draft never circulated to a seat answers as if none existed
NOT_HANDED = frozenset({"member_b", "observer"})  # a paper handed to A: for anyone else, none exists
BRIEFED = frozenset({"mediator", "member_a", "member_b"})  # a briefing: no observer's

PUBLIC = "public"  # answers everyone the same way (the log-in pages)


@dataclass(frozen=True)
class Sample:
    """One request to a route, and who may make it."""

    allowed: frozenset[str] | str
    path: str
    json: dict[str, Any] | None = None
    form: dict[str, Any] = field(default_factory=dict)
    # refused roles to whom the sample's draft was never circulated: for them it does not exist (404)
    hidden: frozenset[str] = frozenset()
    # files uploaded with the form (multipart): field -> (file name, bytes)
    files: dict[str, tuple[str, bytes]] | None = None
    # it starts a job: the seat's earlier one is waited for first (one job at a time per seat)
    starts_job: bool = False


P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"
INGESTED = "GENEVA, Nov 24 (Example Wire) - The US and Ukrainian delegations met in Geneva on Sunday."
PROPOSALS_JSON: dict[str, Any] = {
    "report": {"sha256": "ab" * 32, "file": "matrix report", "date": "2025-11-24"},
    "proposals": [
        {
            "id": "p1",
            "kind": "event",
            "confidence": 0.9,
            "evidence": [],
            "event": "announcement",
            "date": "2025-11-24",
            "summary": "talks announced, for the access matrix",
        }
    ],
}
PROPOSALS_YAML = yaml.safe_dump(PROPOSALS_JSON, sort_keys=False)
IMPORTED = (EXAMPLES / "coalition-agreement.yaml").read_text()
GENIUS = Path(__file__).parents[1] / "fixtures" / "genius"
TRACED = "7. Ukraine and NATO membership:\nUkraine renounces NATO in its constitution.\n\n8. NATO troops:"
ROUTES: dict[tuple[str, str], Sample] = {
    ("GET", "/"): Sample(PUBLIC, "/"),
    ("GET", "/login"): Sample(PUBLIC, "/login"),
    ("POST", "/login"): Sample(PUBLIC, "/login", form={"username": "nobody", "password": "wrong-password"}),
    ("POST", "/logout"): Sample(PUBLIC, "/logout"),
    ("POST", "/api/login"): Sample(
        PUBLIC, "/api/login", json={"username": "nobody", "password": "wrong-password"}
    ),
    ("POST", "/api/logout"): Sample(PUBLIC, "/api/logout"),
    # the API's schema and its documentation: for signed-in users
    ("GET", "/openapi.json"): Sample(SEATED, "/openapi.json"),
    ("GET", "/docs"): Sample(SEATED, "/docs"),
    # pages
    ("GET", "/negotiations"): Sample(SEATED, "/negotiations"),
    ("GET", "/n/{name}"): Sample(SEATED, P),
    ("GET", "/n/{name}/matrix"): Sample(SEATED, f"{P}/matrix"),
    ("GET", "/n/{name}/stances/over-drafts"): Sample(SEATED, f"{P}/stances/over-drafts"),
    ("POST", "/n/{name}/stances"): Sample(
        MEMBERS, f"{P}/stances", form={"point": "7", "stance": "reject", "draft": "3"}
    ),
    # a correction, then a withdrawal, of party A's stance: its members' and the mediator's alone
    ("POST", "/n/{name}/stances/corrections"): Sample(
        PARTY_A,
        f"{P}/stances/corrections",
        form={"party": A, "point": "7", "draft": "3", "stance": "conditional", "reason": "misread"},
        hidden=NOT_RECEIVED,
    ),
    ("POST", "/n/{name}/stances/withdrawals"): Sample(
        PARTY_A,
        f"{P}/stances/withdrawals",
        form={"party": A, "point": "7", "draft": "3", "reason": "recorded in error"},
        hidden=NOT_RECEIVED,
    ),
    # a party's stance recorded by the mediator on its behalf, citing a source (issue 17)
    ("GET", "/n/{name}/stances/on-behalf"): Sample(MEDIATOR, f"{P}/stances/on-behalf?party={A}&point=7"),
    ("POST", "/n/{name}/stances/on-behalf"): Sample(
        MEDIATOR,
        f"{P}/stances/on-behalf",
        form={"party": A, "point": "7", "draft": "3", "stance": "accept", "source": "liga-28-points"},
    ),
    # a party's stance history: its own members' and the mediator's (an observer sees no stances)
    ("GET", "/n/{name}/stances/history"): Sample(PARTY_A, f"{P}/stances/history?party={A}"),
    ("GET", "/n/{name}/drafts"): Sample(SEATED, f"{P}/drafts"),
    ("GET", "/n/{name}/drafts/{version}"): Sample(RECEIVED, f"{P}/drafts/3", hidden=NOT_RECEIVED),
    ("GET", "/n/{name}/diff"): Sample(RECEIVED, f"{P}/diff?a=1&b=3", hidden=NOT_RECEIVED),
    # the mediator names the recipient; a member always gets its own party's copy
    ("POST", "/n/{name}/drafts/{version}/copy"): Sample(
        PARTY_A, f"{P}/drafts/3/copy", form={"format": "md", "for": A}, hidden=NOT_RECEIVED
    ),
    # leak tracing by upload (here pasted: the matrix sends forms) and the variant rules: the mediator's
    # (tests/web/test_leaks_web.py); the copy above is the one traced
    ("GET", "/n/{name}/trace"): Sample(MEDIATOR, f"{P}/trace"),
    ("POST", "/n/{name}/trace"): Sample(MEDIATOR, f"{P}/trace", form={"text": TRACED}),
    ("GET", "/n/{name}/leak-rules"): Sample(MEDIATOR, f"{P}/leak-rules"),
    ("POST", "/n/{name}/leak-rules"): Sample(
        MEDIATOR, f"{P}/leak-rules", form={"rule": "spelling", "action": "veto"}
    ),
    ("GET", "/n/{name}/amend"): Sample(MEDIATOR, f"{P}/amend"),
    ("POST", "/n/{name}/drafts"): Sample(
        MEDIATOR,
        f"{P}/drafts",
        form={"base": "3", "choose.nato-membership": "no-consensus", "reason": "test"},
    ),
    ("POST", "/n/{name}/drafts/{version}/circulate"): Sample(
        MEDIATOR, f"{P}/drafts/3/circulate", form={"to": "europe"}
    ),
    # a draft's status on its page (issue 17); the API's sample withdraws v1
    ("POST", "/n/{name}/drafts/{version}/status"): Sample(
        MEDIATOR, f"{P}/drafts/2/status", form={"status": "agreed"}
    ),
    ("GET", "/n/{name}/record-draft"): Sample(MEDIATOR, f"{P}/record-draft"),
    ("POST", "/n/{name}/record-draft"): Sample(MEDIATOR, f"{P}/record-draft", form=RECEIVED_FORM),
    ("GET", "/n/{name}/preferences/{party}"): Sample(PARTY_A, f"{P}/preferences/{A}"),
    ("POST", "/n/{name}/preferences/{party}"): Sample(
        PARTY_A, f"{P}/preferences/{A}", form={"reservation_value": "0.45"}
    ),
    ("GET", "/n/{name}/explorer"): Sample(MEDIATOR, f"{P}/explorer"),
    ("GET", "/n/{name}/explorer/result"): Sample(MEDIATOR, f"{P}/explorer/result?concept=egalitarian"),
    ("GET", "/n/{name}/frontier.png"): Sample(MEDIATOR, f"{P}/frontier.png"),
    # the explorer's solve as a job (offered above a size; tests/web/test_stored_jobs.py)
    ("POST", "/n/{name}/explorer/jobs"): Sample(
        MEDIATOR, f"{P}/explorer/jobs", form={"concept": "egalitarian"}, starts_job=True
    ),
    ("GET", "/n/{name}/explorer/frontier"): Sample(MEDIATOR, f"{P}/explorer/frontier"),
    ("GET", "/n/{name}/compare"): Sample(
        # the planted, uncirculated point is on the mediator's frontier too
        MEDIATOR,
        f"{P}/compare?{COMPARED}&{UNCIRCULATED['id']}=proposed",
    ),
    ("GET", "/static/vega.js"): Sample(PUBLIC, "/static/vega.js"),
    # the mediator's analyses as pages (issue 17; tests/web/test_analyses_web.py), from draft v4 (the
    # matrix's own, which adds a point: the older drafts hold no option on it, so they are not scored)
    ("GET", "/n/{name}/diagnose"): Sample(MEDIATOR, f"{P}/diagnose?draft=4"),
    ("GET", "/n/{name}/improve"): Sample(MEDIATOR, f"{P}/improve?draft=4&max_changes=2"),
    ("GET", "/n/{name}/logrolls"): Sample(MEDIATOR, f"{P}/logrolls?draft=4"),
    ("GET", "/n/{name}/contested"): Sample(MEDIATOR, f"{P}/contested"),
    # Adjusted Winner between two parties (issue 17): it reads both parties' preferences, the mediator's
    ("GET", "/n/{name}/adjusted-winner"): Sample(MEDIATOR, f"{P}/adjusted-winner?a={A}&b={B}"),
    ("POST", "/n/{name}/shares"): Sample(
        MEDIATOR, f"{P}/shares", form={"party": A, "concept": "egalitarian"}
    ),
    ("GET", "/n/{name}/shared/{party}"): Sample(PARTY_A, f"{P}/shared/{A}"),
    ("GET", "/n/{name}/meetings"): Sample(SEATED, f"{P}/meetings"),
    # people and sources: every seat reads names and roles (never a private note); the mediator writes
    ("GET", "/n/{name}/people"): Sample(SEATED, f"{P}/people"),
    ("POST", "/n/{name}/people"): Sample(MEDIATOR, f"{P}/people", form={"person_name": "Ann Other"}),
    ("POST", "/n/{name}/people/{key}"): Sample(
        MEDIATOR, f"{P}/people/us-envoys", form={"person_name": "US envoys", "role": "special envoys"}
    ),
    ("POST", "/n/{name}/sources"): Sample(MEDIATOR, f"{P}/sources", form={"outlet": "Example Wire"}),
    ("POST", "/n/{name}/meetings/{key}"): Sample(
        MEDIATOR, f"{P}/meetings/geneva-2025-11-23", form={"outcome": "changed on the page"}
    ),
    # the chronology as far as the seat sees it (tests/web/test_timeline_page.py: no other party's
    # private statement, no event, no stance but its own)
    ("GET", "/n/{name}/timeline"): Sample(SEATED, f"{P}/timeline"),
    ("POST", "/n/{name}/meetings"): Sample(
        MEDIATOR, f"{P}/meetings", form={"date": "2025-12-20", "place": "Geneva", "participants": A}
    ),
    ("GET", "/n/{name}/audit"): Sample(MEDIATOR, f"{P}/audit"),
    # papers with their content: the mediator's and the recipients' (tests/web/private_paper.py)
    ("GET", "/n/{name}/papers"): Sample(SEATED, f"{P}/papers"),
    ("GET", "/n/{name}/papers/{paper}"): Sample(PARTY_A, f"{P}/papers/{ANNEX}", hidden=NOT_HANDED),
    ("GET", "/n/{name}/papers/{paper}/content"): Sample(
        PARTY_A, f"{P}/papers/{MEMO}/content", hidden=NOT_HANDED
    ),
    ("POST", "/n/{name}/papers"): Sample(
        MEDIATOR, f"{P}/papers", form={"title": "A paper", "text": "its text", "to": A}
    ),
    # statements: public ones every seat's, private ones the speaker's party's
    # (tests/web/private_statement.py); events and every write the mediator's
    ("GET", "/n/{name}/statements"): Sample(SEATED, f"{P}/statements"),
    ("POST", "/n/{name}/statements"): Sample(
        MEDIATOR, f"{P}/statements", form={"by": SPEAKER, "date": "2025-12-20", "quote": "words"}
    ),
    ("POST", "/n/{name}/statements/{key}/adopt"): Sample(MEDIATOR, f"{P}/statements/{ADOPT_PAGE}/adopt"),
    ("GET", "/n/{name}/events"): Sample(MEDIATOR, f"{P}/events"),
    ("POST", "/n/{name}/events"): Sample(
        MEDIATOR, f"{P}/events", form={"kind": "leak", "date": "2025-12-20", "summary": "a leak"}
    ),
    # import as a new negotiation: a user who mediates one already (the importer its mediator); export:
    # the negotiation's mediator (tests/web/test_exchange_web.py)
    ("GET", "/import"): Sample(MEDIATOR, "/import"),
    ("POST", "/import"): Sample(MEDIATOR, "/import", form={"name": "imported-here", "text": IMPORTED}),
    ("POST", "/import/genius"): Sample(
        MEDIATOR,
        "/import/genius",
        form={"name": "genius-here"},
        files={
            "domain": ("holiday_domain.xml", (GENIUS / "holiday_domain.xml").read_bytes()),
            "profiles": ("holiday_parent.xml", (GENIUS / "holiday_parent.xml").read_bytes()),
        },
    ),
    ("GET", "/n/{name}/export"): Sample(MEDIATOR, f"{P}/export?format=scenario"),
    # the JSON API
    ("GET", "/api/negotiations"): Sample(SEATED, "/api/negotiations"),
    ("GET", "/api/negotiations/{name}"): Sample(SEATED, API),
    ("GET", "/api/negotiations/{name}/drafts/{version}"): Sample(
        RECEIVED, f"{API}/drafts/3", hidden=NOT_RECEIVED
    ),
    ("GET", "/api/negotiations/{name}/drafts/{older}/diff/{newer}"): Sample(
        RECEIVED, f"{API}/drafts/1/diff/3", hidden=NOT_RECEIVED
    ),
    ("POST", "/api/negotiations/{name}/drafts"): Sample(
        MEDIATOR,
        f"{API}/drafts",
        json={"amendments": [{"kind": "choose", "point": "7", "option": "no-consensus", "reason": "test"}]},
    ),
    ("POST", "/api/negotiations/{name}/received-drafts"): Sample(
        MEDIATOR, f"{API}/received-drafts", json=RECEIVED_JSON
    ),
    ("POST", "/api/negotiations/{name}/drafts/{version}/circulate"): Sample(
        MEDIATOR, f"{API}/drafts/3/circulate", json={"to": ["europe"]}
    ),
    ("POST", "/api/negotiations/{name}/drafts/{version}/status"): Sample(
        MEDIATOR, f"{API}/drafts/1/status", json={"status": "withdrawn"}
    ),
    ("GET", "/api/negotiations/{name}/matrix"): Sample(SEATED, f"{API}/matrix"),
    ("GET", "/api/negotiations/{name}/stances/history"): Sample(PARTY_A, f"{API}/stances/history?party={A}"),
    ("POST", "/api/negotiations/{name}/stances"): Sample(
        PARTY_A,
        f"{API}/stances",
        json={"party": A, "point": "7", "stance": "reject", "draft": 3},
        hidden=NOT_RECEIVED,
    ),
    ("POST", "/api/negotiations/{name}/stances/corrections"): Sample(
        PARTY_A,
        f"{API}/stances/corrections",
        json={"party": A, "point": "territory", "draft": 3, "stance": "accept", "reason": "misread"},
        hidden=NOT_RECEIVED,
    ),
    ("POST", "/api/negotiations/{name}/stances/withdrawals"): Sample(
        PARTY_A,
        f"{API}/stances/withdrawals",
        json={"party": A, "point": "territory", "draft": 3, "reason": "recorded in error"},
        hidden=NOT_RECEIVED,
    ),
    ("GET", "/api/negotiations/{name}/preferences/{party}"): Sample(PARTY_A, f"{API}/preferences/{A}"),
    ("PUT", "/api/negotiations/{name}/preferences/{party}"): Sample(
        PARTY_A, f"{API}/preferences/{A}", json={"reservation_value": 0.45}
    ),
    ("POST", "/api/negotiations/{name}/explore"): Sample(
        MEDIATOR, f"{API}/explore", json={"concept": "egalitarian"}
    ),
    ("POST", "/api/negotiations/{name}/shares"): Sample(
        MEDIATOR, f"{API}/shares", json={"party": A, "concept": "egalitarian"}
    ),
    ("GET", "/api/negotiations/{name}/shares/{party}"): Sample(PARTY_A, f"{API}/shares/{A}"),
    ("GET", "/api/negotiations/{name}/meetings"): Sample(SEATED, f"{API}/meetings"),
    ("PATCH", "/api/negotiations/{name}/meetings/{key}"): Sample(
        MEDIATOR, f"{API}/meetings/geneva-2025-11-23", json={"outcome": "changed by the API"}
    ),
    ("GET", "/api/negotiations/{name}/people"): Sample(SEATED, f"{API}/people"),
    ("POST", "/api/negotiations/{name}/people"): Sample(
        MEDIATOR, f"{API}/people", json={"name": "Bea Other"}
    ),
    ("PATCH", "/api/negotiations/{name}/people/{key}"): Sample(
        MEDIATOR, f"{API}/people/us-envoys", json={"role": "negotiators"}
    ),
    ("GET", "/api/negotiations/{name}/sources"): Sample(SEATED, f"{API}/sources"),
    ("POST", "/api/negotiations/{name}/sources"): Sample(
        MEDIATOR, f"{API}/sources", json={"outlet": "Example Wire"}
    ),
    ("GET", "/api/negotiations/{name}/timeline"): Sample(SEATED, f"{API}/timeline"),
    ("POST", "/api/negotiations/{name}/meetings"): Sample(
        MEDIATOR, f"{API}/meetings", json={"date": "2025-12-20", "place": "Geneva", "participants": [A]}
    ),
    ("GET", "/api/negotiations/{name}/audit"): Sample(MEDIATOR, f"{API}/audit"),
    ("GET", "/api/negotiations/{name}/papers"): Sample(SEATED, f"{API}/papers"),
    ("GET", "/api/negotiations/{name}/papers/{paper}"): Sample(
        PARTY_A, f"{API}/papers/{MEMO}", hidden=NOT_HANDED
    ),
    ("GET", "/api/negotiations/{name}/papers/{paper}/content"): Sample(
        PARTY_A, f"{API}/papers/{ANNEX}/content", hidden=NOT_HANDED
    ),
    ("POST", "/api/negotiations/{name}/papers"): Sample(
        MEDIATOR, f"{API}/papers", json={"title": "A paper", "text": "its text", "to": [A]}
    ),
    ("GET", "/api/negotiations/{name}/statements"): Sample(SEATED, f"{API}/statements"),
    ("POST", "/api/negotiations/{name}/statements"): Sample(
        MEDIATOR, f"{API}/statements", json={"by": SPEAKER, "date": "2025-12-20", "quote": "words"}
    ),
    ("POST", "/api/negotiations/{name}/statements/{key}/adopt"): Sample(
        MEDIATOR, f"{API}/statements/{ADOPT_API}/adopt", json={}
    ),
    ("GET", "/api/negotiations/{name}/events"): Sample(MEDIATOR, f"{API}/events"),
    ("POST", "/api/negotiations/{name}/events"): Sample(
        MEDIATOR, f"{API}/events", json={"kind": "leak", "date": "2025-12-20", "summary": "a leak"}
    ),
    # a party's preferences estimated from the evidence: the mediator's reading of the party, which no
    # party's seat sees, its own included (tests/web/test_estimates_web.py); adopting one, the mediator's
    # write (the few samples keep the matrix quick; they fail the diagnostics, hence force)
    ("GET", "/n/{name}/estimates/{party}"): Sample(MEDIATOR, f"{P}/estimates/{A}?samples=200"),
    ("POST", "/n/{name}/estimates/{party}/adopt"): Sample(
        MEDIATOR, f"{P}/estimates/{A}/adopt", form={"samples": "200", "force": "1"}
    ),
    ("GET", "/api/negotiations/{name}/estimates/{party}"): Sample(
        MEDIATOR, f"{API}/estimates/{A}?samples=200"
    ),
    ("POST", "/api/negotiations/{name}/estimates/{party}/adopt"): Sample(
        MEDIATOR, f"{API}/estimates/{A}/adopt", json={"samples": 200, "force": True}
    ),
    # the briefing (issue 15): the page for the mediator and each party's seat (an observer's has
    # none); party A's briefing the mediator's and A's (tests/web/test_briefing_web.py: in no format
    # does a party's briefing hold another's secrets); Markdown, so that the leak search reads it
    ("GET", "/n/{name}/briefing"): Sample(BRIEFED, f"{P}/briefing"),
    ("GET", "/n/{name}/briefing/download"): Sample(
        PARTY_A, f"{P}/briefing/download?for={A}&format=md&samples=300"
    ),
    ("GET", "/api/negotiations/{name}/briefing"): Sample(
        PARTY_A, f"{API}/briefing?for={A}&format=md&samples=300"
    ),
    # reading a report into the record (issue 16): the mediator's, pages and API alike
    # (tests/web/test_ingest_web.py); the apply samples only check (a dry run)
    ("GET", "/n/{name}/ingest"): Sample(MEDIATOR, f"{P}/ingest"),
    ("POST", "/n/{name}/ingest"): Sample(MEDIATOR, f"{P}/ingest", form={"text": INGESTED}),
    ("POST", "/n/{name}/ingest/apply"): Sample(
        MEDIATOR, f"{P}/ingest/apply", form={"proposals": PROPOSALS_YAML, "action": "check"}
    ),
    # robustness as a job (issue 17): the mediator starts it; a job, its progress, cancelling it and its
    # result are its starter's alone: for every other seat no such job exists (tests/web/test_jobs_web.py);
    # the planted job has finished, so cancelling it changes nothing
    ("GET", "/n/{name}/robustness"): Sample(MEDIATOR, f"{P}/robustness"),
    ("POST", "/n/{name}/robustness"): Sample(
        MEDIATOR, f"{P}/robustness", form={"samples": "1000", "draft": "4", "resolves": "0"}, starts_job=True
    ),
    # every seat lists its own jobs (none, but the mediator's planted one); an estimate with more samples
    # runs as the mediator's job (tests/web/test_stored_jobs.py)
    ("GET", "/n/{name}/jobs"): Sample(SEATED, f"{P}/jobs"),
    ("POST", "/n/{name}/estimates/{party}/jobs"): Sample(
        MEDIATOR, f"{P}/estimates/{A}/jobs", form={"samples": "200"}, starts_job=True
    ),
    ("GET", "/n/{name}/jobs/{job}"): Sample(MEDIATOR, f"{P}/jobs/{JOB}", hidden=SEATED - MEDIATOR),
    ("GET", "/n/{name}/jobs/{job}/progress"): Sample(
        MEDIATOR, f"{P}/jobs/{JOB}/progress", hidden=SEATED - MEDIATOR
    ),
    ("POST", "/n/{name}/jobs/{job}/cancel"): Sample(
        MEDIATOR, f"{P}/jobs/{JOB}/cancel", hidden=SEATED - MEDIATOR
    ),
    ("GET", "/n/{name}/jobs/{job}/result"): Sample(
        MEDIATOR, f"{P}/jobs/{JOB}/result", hidden=SEATED - MEDIATOR
    ),
    ("GET", "/n/{name}/jobs/{job}/acceptance.png"): Sample(
        MEDIATOR, f"{P}/jobs/{JOB}/acceptance.png", hidden=SEATED - MEDIATOR
    ),
    # the jobs API (issue 17): as the job pages; starting one is the kind's own use case and policy
    ("GET", "/api/negotiations/{name}/jobs"): Sample(SEATED, f"{API}/jobs"),
    ("POST", "/api/negotiations/{name}/jobs"): Sample(
        MEDIATOR,
        f"{API}/jobs",
        json={"kind": "estimate", "parameters": {"party": A, "samples": 200}},
        starts_job=True,
    ),
    ("GET", "/api/negotiations/{name}/jobs/{job}"): Sample(
        MEDIATOR, f"{API}/jobs/{JOB}", hidden=SEATED - MEDIATOR
    ),
    ("GET", "/api/negotiations/{name}/jobs/{job}/result"): Sample(
        MEDIATOR, f"{API}/jobs/{JOB}/result", hidden=SEATED - MEDIATOR
    ),
    ("POST", "/api/negotiations/{name}/jobs/{job}/cancel"): Sample(
        MEDIATOR, f"{API}/jobs/{JOB}/cancel", json={}, hidden=SEATED - MEDIATOR
    ),
    # `accord validate` as a page: any signed-in user (it reads nothing of the record, writes nothing)
    ("GET", "/validate"): Sample(SEATED, "/validate"),
    ("POST", "/validate"): Sample(SEATED, "/validate", form={"text": IMPORTED}),
    ("POST", "/api/negotiations/{name}/ingest"): Sample(MEDIATOR, f"{API}/ingest", json={"text": INGESTED}),
    ("POST", "/api/negotiations/{name}/ingest/apply"): Sample(
        MEDIATOR, f"{API}/ingest/apply", json={**PROPOSALS_JSON, "dry_run": True}
    ),
}


def _walk(routes: list[Any], found: set[tuple[str, str]]) -> None:
    for route in routes:
        if isinstance(route, Mount):
            continue  # /static: files, the same for everyone
        included = getattr(route, "original_router", None)
        if included is not None:  # a router included with include_router
            _walk(list(included.routes), found)
            continue
        assert isinstance(route, APIRoute | Route), f"an unknown kind of route: {route!r}"
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, route.path))


def registered_routes(bench: Workbench) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    _walk(list(bench.client.app.routes), found)  # type: ignore[attr-defined]
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matrix")


def test_every_registered_route_is_in_the_matrix(folder: Path) -> None:
    bench = make_workbench(folder / "routes")
    try:
        assert registered_routes(bench) == set(ROUTES)
    finally:
        bench.database.dispose()


def _send(
    bench: Workbench, role: str, sample: Sample, method: str, csrf: str | None, token: str | None
) -> Any:
    client = bench.client
    if sample.json is not None or sample.path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.request(method, sample.path, json=sample.json, headers=headers)
    form = dict(sample.form)
    if method == "POST" and csrf:
        form["csrf_token"] = csrf
    return client.request(method, sample.path, data=form or None, files=sample.files)


def _wait_for_jobs(bench: Workbench, user: str, seconds: float = 120) -> None:
    """Until the seat's job (one the matrix started) has finished."""
    jobs = bench.client.app.state.jobs  # type: ignore[attr-defined]
    deadline = time.monotonic() + seconds
    while jobs.unfinished(user, NAME) is not None:
        assert time.monotonic() < deadline, f"{user}'s job never finished"
        time.sleep(0.05)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role: str, folder: Path) -> None:
    bench = make_workbench(folder / role)
    plant_uncirculated_point(bench.database)
    plant_statements(bench.database)
    plant_private_papers(bench.database)
    plant_job(bench)
    csrf = token = None
    if role != "anonymous":
        csrf = log_in(bench.client, USERS[role])
        token = api_token(bench.client, USERS[role])
    others = {"member_a": secrets_of(B), "member_b": secrets_of(A), "observer": secrets_of(A) + secrets_of(B)}
    others["anonymous"] = secrets_of(A) + secrets_of(B)
    for seat in ("member_a", "member_b", "observer", "anonymous"):  # the mediator's alone
        others[seat] = others[seat] + list(UNCIRCULATED.values())
    for seat in ("member_b", "observer", "anonymous"):  # the mediator's and party A's
        others[seat] = others[seat] + paper_secrets()
    for seat in ("member_b", "observer", "anonymous"):  # a private statement of A's: the mediator's and A's
        others[seat] = others[seat] + statement_secrets()
    for seat in ("member_a", "member_b", "observer", "anonymous"):  # a statement's note, an event
        others[seat] = others[seat] + mediator_secrets()
    wrong = []
    try:
        for (method, _), sample in ROUTES.items():
            if sample.path in ("/logout", "/api/logout") and role != "anonymous":
                continue  # logging out would end the session the rest of the matrix needs
            if sample.starts_job and role in USERS:
                _wait_for_jobs(bench, USERS[role])
            response = _send(bench, role, sample, method, csrf, token)
            code = response.status_code
            if sample.allowed != PUBLIC:
                if role in sample.allowed:
                    ok = code < 400
                elif role == "anonymous":
                    ok = (
                        code == 401
                        if sample.path.startswith("/api/")
                        else (code == 303 and "/login" in response.headers["location"])
                    )
                else:
                    ok = code == (404 if role in sample.hidden else 403)
                if not ok:
                    wrong.append(f"{role} {method} {sample.path}: {code} {response.text[:200]}")
            body = response.text if "image" not in response.headers.get("content-type", "") else ""
            leaked = [s for s in others.get(role, []) if s in body]
            if leaked:
                wrong.append(f"LEAK to {role} by {method} {sample.path}: {leaked}")
    finally:
        bench.client.close()
        bench.database.dispose()
    assert not wrong, "\n".join(wrong)


def test_the_planted_secrets_are_really_there_for_their_owners(bench: Workbench) -> None:
    """The leak search looks for values that the owner does see: it could fail."""
    plant_uncirculated_point(bench.database)
    token = api_token(bench.client, A)
    body = bench.client.get(f"{API}/preferences/{A}", headers={"Authorization": f"Bearer {token}"}).text
    assert all(secret in body for secret in secrets_of(A))
    log_in(bench.client, A)
    page = bench.client.get(f"{P}/preferences/{A}").text
    assert str(secrets_of(A)[0]) in page
    mediator = api_token(bench.client, "mediator")
    body = bench.client.get(API, headers={"Authorization": f"Bearer {mediator}"}).text
    assert all(secret in body for secret in UNCIRCULATED.values())


def test_a_private_statement_is_read_by_the_mediator_and_the_speaker_party(bench: Workbench) -> None:
    """The leak search looks for the private statement's markers where they are shown (the mediator
    and party A, by page and API), and for the mediator's own (a statement's note, an event) there."""
    plant_statements(bench.database)
    for user in ("mediator", A):
        token = {"Authorization": f"Bearer {api_token(bench.client, user)}"}
        listed = bench.client.get(f"{API}/statements", headers=token).text
        assert all(words in listed for words in statement_secrets())
        log_in(bench.client, user)
        page = bench.client.get(f"{P}/statements").text
        assert all(words in page for words in statement_secrets())
        mine = user == "mediator"
        assert (MEDIATOR_ONLY["note"] in page) is mine and (MEDIATOR_ONLY["note"] in listed) is mine
        bench.client.cookies.clear()
    token = {"Authorization": f"Bearer {api_token(bench.client, 'mediator')}"}
    assert MEDIATOR_ONLY["event"] in bench.client.get(f"{API}/events", headers=token).text
    log_in(bench.client, "mediator")
    assert MEDIATOR_ONLY["surfaced"] in bench.client.get(f"{P}/events").text
    assert PRIVATE_WORDS["quote"] not in bench.client.get(f"{P}/events").text


def test_the_planted_papers_are_really_there_for_their_recipients(bench: Workbench) -> None:
    """The leak search looks for the private papers' markers where they are shown: to the mediator
    and to party A, by page, API and download, byte for byte."""
    plant_private_papers(bench.database)
    for user in ("mediator", A):
        token = {"Authorization": f"Bearer {api_token(bench.client, user)}"}
        listed = bench.client.get(f"{API}/papers", headers=token).text
        assert PAPER_SECRETS["title"] in listed and PAPER_SECRETS["note"] in listed
        assert PAPER_SECRETS["text"] in bench.client.get(f"{API}/papers/{MEMO}", headers=token).text
        download = bench.client.get(f"{API}/papers/{ANNEX}/content", headers=token)
        assert download.content == ANNEX_BYTES
        assert download.headers["content-disposition"].startswith("attachment;")
        log_in(bench.client, user)
        assert PAPER_SECRETS["title"] in bench.client.get(f"{P}/papers/{ANNEX}").text
        assert bench.client.get(f"{P}/papers/{MEMO}/content").content == PAPER_SECRETS["text"].encode()
        bench.client.cookies.clear()


def test_a_party_never_learns_of_a_paper_handed_to_another_at_a_meeting_both_attended(
    bench: Workbench,
) -> None:
    """The meeting is B's to see; the papers handed to A at it are not: not their ids either."""
    from accord.services import papers

    plant_private_papers(bench.database)
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    papers.add_paper(
        bench.database,
        NAME,
        actor="mediator",
        viewer=mediator,
        title="For both",
        handed=papers.Handed(parties=[A, B], meeting="joint-talks"),
        key="shared-paper",
    )
    token = {"Authorization": f"Bearer {api_token(bench.client, B)}"}
    body = "".join(bench.client.get(f"{API}/{what}", headers=token).text for what in ("meetings", "papers"))
    log_in(bench.client, B)
    body += "".join(bench.client.get(f"{P}/{what}").text for what in ("meetings", "papers", "drafts"))
    assert "joint-talks" in body and "shared-paper" in body
    assert ANNEX not in body and MEMO not in body
