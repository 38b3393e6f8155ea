"""What the pages say, as a person reads them: names instead of the record's keys, a title of its own
for every page, one rule for public statements at every seat, links and empty tables that say the right
thing, a timeline chart that runs over the talks (not to the day the record was imported), and option
texts cut at a word's end."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest

from accord.domain import StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import workbench
from tests.web.conftest import NAME, Workbench, log_in

N = f"/n/{NAME}"
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})


def shown(page: str) -> str:
    """The words a person reads: the page without its scripts, tags and attributes."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<title>.*?</title>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def text_at(bench: Workbench, user: str, path: str) -> str:
    bench.client.cookies.clear()
    log_in(bench.client, user)
    response = bench.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.text


# -- 1. names, not keys ----------------------------------------------------------------------------


def test_drafts_papers_statements_and_events_name_parties_points_and_papers(bench: Workbench) -> None:
    drafts = shown(text_at(bench, "mediator", f"{N}/drafts"))
    assert "united-states" not in drafts and "United States" in drafts
    draft = shown(text_at(bench, "mediator", f"{N}/drafts/3"))
    assert "by United States" in draft and "united-states" not in draft
    handed = draft.split("Handed to:", 1)[1][:120]
    assert "Ukraine" in handed and "Russian Federation" in handed and "ukraine," not in handed

    papers = shown(text_at(bench, "mediator", f"{N}/papers"))
    assert not re.search(r"\b(ukraine|russia|europe)\b", papers), papers

    statements = text_at(bench, "mediator", f"{N}/statements")
    said = shown(statements)
    assert "(russia)" not in said and "(ukraine)" not in said
    assert "Russian officials (Russian Federation)" in said
    assert "territory, army-size" not in said and "21. Territory" in said and "6. Size of" in said
    assert "Adopt as European states (E3/EU)'s stance" in said and "Adopt as europe's" not in said
    assert "adopted: Ukraine on 21. Territory of v1" in said and "adopted: ukraine" not in said

    events = shown(text_at(bench, "mediator", f"{N}/events"))
    assert "paper framework-20-points" not in events and "paper “20-point framework”" in events


def test_the_explorer_and_a_shared_package_name_the_concepts_in_words(bench: Workbench) -> None:
    explorer = text_at(bench, "mediator", f"{N}/explorer")
    concepts = re.search(r'<select name="concept".*?</select>', explorer, re.S)
    assert concepts is not None
    listed = shown(concepts.group(0))
    assert "Nash bargaining solution" in listed and "Kalai–Smorodinsky solution" in listed
    assert "kalai-smorodinsky" not in listed and not re.search(r"\bnash\b", listed)
    assert 'value="nash"' in concepts.group(0)  # the key stays the form's value
    result = shown(text_at(bench, "mediator", f"{N}/explorer/result?concept=nash"))
    assert "Nash bargaining solution: optimal" in result and "nash: optimal" not in result

    workbench.share(bench.database, MEDIATOR, NAME, "russia", "kalai-smorodinsky")
    shared = shown(text_at(bench, "russia", f"{N}/shared/russia"))
    assert "The package of the Kalai–Smorodinsky solution" in shared
    assert "kalai-smorodinsky package" not in shared


# -- 2. a title of its own for every page ----------------------------------------------------------

PAGES = [
    "/negotiations",
    "/validate",
    "/import",
    N,
    f"{N}/drafts",
    f"{N}/drafts/1",
    f"{N}/drafts/2",
    f"{N}/drafts/3",
    f"{N}/diff?a=1&b=3",
    f"{N}/meetings",
    f"{N}/people",
    f"{N}/papers",
    f"{N}/statements",
    f"{N}/timeline",
    f"{N}/events",
    f"{N}/explorer",
    f"{N}/amend",
    f"{N}/record-draft",
    f"{N}/audit",
    f"{N}/preferences/russia",
    f"{N}/preferences/ukraine",
    f"{N}/shared/russia",
    f"{N}/diagnose",
    f"{N}/improve",
    f"{N}/logrolls",
    f"{N}/contested",
    f"{N}/jobs",
    f"{N}/stances/history",
    f"{N}/adjusted-winner",
    f"{N}/ingest",
]


@pytest.mark.parametrize("user", ["mediator", "russia", "observer"])
def test_every_page_has_a_title_of_its_own(bench: Workbench, user: str) -> None:
    bench.client.cookies.clear()
    log_in(bench.client, user)
    titles: dict[str, str] = {}
    for path in PAGES:
        response = bench.client.get(path)
        if response.status_code != 200:  # a page this seat may not open
            continue
        found = re.search(r"<title>(.*?)</title>", response.text, re.S)
        assert found is not None, path
        title = html.unescape(found.group(1)).strip()
        assert title != "accord", path
        if path.startswith(N):
            assert "Framework plan for ending the war in Ukraine" in title, (path, title)
        assert title not in titles.values(), (path, title, titles)
        titles[path] = title
    assert len(titles) >= 8, titles


# -- 3. public statements: every seat's -------------------------------------------------------------


def test_every_seat_sees_every_public_statement_in_the_page_and_the_api(bench: Workbench) -> None:
    public = {"ukraine-no-territorial-concessions", "eu-no-borders-by-force", "russia-some-acceptable"}
    for user in ("mediator", "russia", "ukraine", "europe", "observer"):
        page = text_at(bench, user, f"{N}/statements")
        assert {k for k in public if f'id="statement-{k}"' in page} == public, user
        listed = bench.client.get(f"/api/negotiations/{NAME}/statements").json()
        assert {s["id"] for s in listed} >= public, user
    # the observer sees no draft: the statements are its, the draft they answer is not named to it
    observed = {s["id"]: s for s in bench.client.get(f"/api/negotiations/{NAME}/statements").json()}
    assert observed["ukraine-no-territorial-concessions"].get("draft") is None
    assert all(s.get("note") is None for s in observed.values())


# -- 4. links and empty tables ----------------------------------------------------------------------


def test_the_import_link_is_only_for_those_who_may_import(bench: Workbench) -> None:
    assert 'href="/import"' in text_at(bench, "mediator", "/validate")
    for user in ("russia", "observer"):
        assert 'href="/import"' not in text_at(bench, user, "/validate"), user
        assert bench.client.get("/import").status_code == 403


def test_an_empty_drafts_table_says_so(bench: Workbench) -> None:
    observed = text_at(bench, "observer", f"{N}/drafts")
    assert 'id="no-drafts"' in observed and 'id="drafts"' not in observed
    assert "No drafts shared with you yet." in shown(observed)
    assert 'id="no-drafts"' not in text_at(bench, "russia", f"{N}/drafts")


# -- 5. the timeline chart runs over the talks --------------------------------------------------------


def chart_days(page: str) -> list[str]:
    found = re.search(r"data-vl-spec='(.*?)'", page, re.S)
    assert found is not None
    spec = json.dumps(json.loads(html.unescape(found.group(1))))
    return sorted(set(re.findall(r'"day": "(\d{4}-\d\d-\d\d)"', spec)))


@pytest.mark.parametrize("user", ["mediator", "russia", "observer"])
def test_the_timeline_chart_is_not_stretched_to_the_day_the_record_was_imported(
    bench: Workbench, user: str
) -> None:
    page = text_at(bench, user, f"{N}/timeline")
    days = chart_days(page)
    assert days and days[-1] < "2026-01-01", days  # the talks' dates, not today's import
    assert dt.date.today().isoformat() not in days
    assert "recorded " + dt.date.today().isoformat() not in shown(page)


def test_a_stance_on_an_undated_draft_is_left_off_the_chart_and_the_chart_says_so(bench: Workbench) -> None:
    undated = workbench.amend(
        bench.database,
        MEDIATOR,
        NAME,
        [
            Amendment(
                AmendmentKind.CHOOSE, "nato-membership", "left to a later consensus", option="no-consensus"
            )
        ],
        base=3,
    )
    assert undated.date is None
    workbench.circulate(bench.database, MEDIATOR, NAME, undated.version, ["russia"])
    workbench.set_stance(
        bench.database,
        MEDIATOR,
        NAME,
        party="russia",
        point="nato-membership",
        stance=StanceKind.ACCEPT,
        version=undated.version,
    )
    page = text_at(bench, "mediator", f"{N}/timeline")
    today = dt.date.today().isoformat()
    assert today not in chart_days(page)
    assert f"recorded {today}" in shown(page)  # in the table, in words
    assert 'id="timeline-undrawn"' in page and "Not on the chart" in shown(page)


# -- 6. option texts cut at a word's end ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/amend", "/record-draft"])
def test_option_texts_are_cut_at_a_words_end_with_the_whole_text_in_a_title(
    bench: Workbench, path: str
) -> None:
    page = text_at(bench, "mediator", N + path)
    options = re.findall(r'<option value="[^"]+" title="([^"]*)"[^>]*>([^<]*)</option>', page)
    assert len(options) > 20
    cut = 0
    for whole, said in ((html.unescape(w), html.unescape(s)) for w, s in options):
        if said == whole:
            continue
        cut += 1
        assert said.endswith("…"), said
        kept = said[:-1]
        assert whole.startswith(kept) and not whole[len(kept)].isalnum(), (said, whole)
    assert cut, "no option long enough to be cut"
    assert "NATO statutes ex" not in shown(page).replace("NATO statutes exclude", "")
