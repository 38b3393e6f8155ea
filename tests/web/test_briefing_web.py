"""The briefing from the workbench (issue 15 item 1): the page that chooses it and shows it, the
download in every format, the JSON API; errors in plain words; a party's seat takes its own party's
briefing alone; and a party's briefing, in every format, holds nothing of another party's secrets
(issue 15 item 2, through the web)."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.reports.brief_render import text_of_pdf
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import workbench
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
from tests.web.private_paper import paper_secrets, plant_private_papers
from tests.web.private_statement import (
    MEDIATOR_ONLY,
    PRIVATE_WORDS,
    mediator_secrets,
    plant_statements,
    statement_secrets,
)

P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"
FEW = 300  # robustness samples: the content checked here does not depend on them
FORMATS = ("html", "md", "docx", "pdf")
AS_OF = "2025-12-23"  # the latest dated fact of the demo record
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
SECTIONS = (
    "The situation",
    "Where each party stands",
    "What blocks a deal",
    "Options",
    "Risks",
    "Next steps",
)
PARTY_SECTIONS = ("The situation", "Where you stand", "What blocks a deal", "Options", "Risks", "Next steps")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    """The demo record with every kind of secret planted: each party's private preferences, a draft
    never circulated, papers handed to A alone, A's private statement, the mediator's note and event."""
    made = make_workbench(tmp_path_factory.mktemp("briefing"))
    plant_uncirculated_point(made.database)
    plant_statements(made.database)
    plant_private_papers(made.database)
    yield made
    made.client.close()
    made.database.dispose()


def _bearer(bench: Workbench, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(bench.client, user)}"}


def text_of(data: bytes, format: str) -> str:
    """What a reader of the document reads: the PDF's text (pypdf), the Word file's (python-docx:
    paragraphs, tables, headers and footers), the HTML's and Markdown's source."""
    if format == "pdf":
        return text_of_pdf(data)
    if format == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        for section in document.sections:
            parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        return "\n".join(parts)
    return html.unescape(data.decode())


def _squeezed(text: str) -> str:
    """Without whitespace: a marker broken across lines by the typesetting is still found."""
    return re.sub(r"\s+", "", text)


def _found(secrets: list[str], text: str) -> list[str]:
    squeezed = _squeezed(text)
    return [s for s in secrets if _squeezed(s) in squeezed]


# -- the page -----------------------------------------------------------------------------------------


def _options(page: str) -> list[tuple[str, str]]:
    select = page.split('<select name="for" id="for">', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_page_offers_each_seat_the_briefings_it_may_take(planted: Workbench) -> None:
    client = planted.client
    log_in(client, "mediator")
    page = client.get(f"{P}/briefing")
    assert page.status_code == 200, page.text
    assert _options(page.text) == [
        ("mediator", "for the mediator"),
        ("russia", "for Russian Federation"),
        ("ukraine", "for Ukraine"),
        ("europe", "for European states (E3/EU)"),
    ]
    assert [v for v, _ in re.findall(r'<option value="(\w+)"[^>]*>([^<]*)', page.text)][-4:] == [
        "html",
        "pdf",
        "docx",
        "md",
    ]
    assert 'id="as_of"' in page.text and 'id="since"' in page.text and 'id="make"' in page.text
    assert f'<a href="{P}/briefing">Briefing</a>' in client.get(P).text  # in the negotiation's tabs
    client.cookies.clear()
    log_in(client, A)
    page = client.get(f"{P}/briefing")
    assert page.status_code == 200 and _options(page.text) == [("russia", "for Russian Federation")]
    assert f'<a href="{P}/briefing">Briefing</a>' in page.text
    client.cookies.clear()
    log_in(client, "observer")
    page = client.get(f"{P}/briefing")
    assert page.status_code == 403
    assert "An observer's seat has no briefing" in page.text and "<select" not in page.text
    assert f'<a href="{P}/briefing">' not in client.get(P).text
    client.cookies.clear()


def test_the_page_frames_the_html_briefing_and_links_every_format(planted: Workbench) -> None:
    client = planted.client
    log_in(client, "mediator")
    page = client.get(f"{P}/briefing?for=Russian+Federation&format=html&samples={FEW}")
    assert page.status_code == 200, page.text
    frame = html.unescape(re.search(r'<iframe id="briefing"[^>]*src="([^"]*)"', page.text).group(1))
    assert frame == f"{P}/briefing/download?for=russia&format=html&samples={FEW}&inline=1"
    assert re.search(r"<iframe[^>]*\ssandbox[\s>]", page.text)  # no script, no origin of its own
    assert "The briefing for Russian Federation" in page.text
    links = dict(re.findall(r'<a href="([^"]*)" class="download">([^<]*)</a>', page.text))
    assert sorted(links.values()) == ["HTML", "Markdown", "PDF", "Word"]
    shown = client.get(frame)
    assert shown.status_code == 200 and shown.content.startswith(b"<!DOCTYPE html>")
    assert shown.headers["content-type"] == "text/html; charset=utf-8"
    assert shown.headers["content-disposition"] == (f'inline; filename="briefing-{NAME}-russia-{AS_OF}.html"')
    starts = {"html": b"<!DOCTYPE html>", "md": b"# Briefing for", "docx": b"PK\x03\x04", "pdf": b"%PDF"}
    media = {
        "html": "text/html",
        "md": "text/markdown",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }
    for href in links:
        got = client.get(html.unescape(href))
        format = re.search(r"format=(\w+)", href).group(1)  # type: ignore[union-attr]
        assert got.status_code == 200, got.text
        assert got.content.startswith(starts[format]), format
        assert got.headers["content-type"].startswith(media[format])
        assert got.headers["content-disposition"] == (
            f'attachment; filename="briefing-{NAME}-russia-{AS_OF}.{format}"'
        )
        assert "Where you stand" in text_of(got.content, format), format
    # a format other than HTML is downloaded at once
    asked = client.get(f"{P}/briefing?for=russia&format=docx&as_of=2025-12-01")
    assert asked.status_code == 303
    assert asked.headers["location"] == f"{P}/briefing/download?for=russia&format=docx&as_of=2025-12-01"
    dated = client.get(asked.headers["location"])
    assert dated.headers["content-disposition"].endswith('-russia-2025-12-01.docx"')
    client.cookies.clear()


def test_the_html_briefing_alone_carries_its_styles_sandboxed_without_any_script(
    planted: Workbench,
) -> None:
    """The workbench's pages allow no inline style; the briefing's charts are styled inline, so the
    briefing's HTML is answered with its own policy: no script at all, sandboxed, framed by this site
    alone; and the briefing page, which frames it, may frame this site only."""
    client = planted.client
    log_in(client, A)
    shown = client.get(f"{P}/briefing/download?format=html&inline=1")
    policy = shown.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "sandbox" in policy.split("; ") and "frame-ancestors 'self'" in policy
    assert shown.headers["x-frame-options"] == "SAMEORIGIN"
    assert (
        shown.headers["x-content-type-options"] == "nosniff" and "no-store" in shown.headers["cache-control"]
    )
    page = client.get(f"{P}/briefing?format=html")
    policy = page.headers["content-security-policy"]
    assert "frame-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and page.headers["x-frame-options"] == "DENY"
    # any other format keeps the workbench's own policy
    download = client.get(f"{P}/briefing/download?format=md")
    assert "frame-ancestors 'none'" in download.headers["content-security-policy"]
    client.cookies.clear()


# -- errors -------------------------------------------------------------------------------------------

BAD = [
    ("as_of=2025-13-01", "as of: expected a date YYYY-MM-DD, got '2025-13-01'"),
    ("since=yesterday", "since: expected a date YYYY-MM-DD, got 'yesterday'"),
    ("as_of=2025-11-01&since=2025-12-01", "since: 2025-12-01 is after the as-of date 2025-11-01"),
    ("for=atlantis", "for: no party 'atlantis' in 'peace-framework-2025' (expected mediator or one of"),
    ("format=exe", "format: expected one of html, pdf, md, docx, got 'exe'"),
    ("samples=lots", "samples: expected a whole number, got 'lots'"),
    ("samples=5", "samples: expected 100 to 20000, got 5"),
]


@pytest.mark.parametrize(("query", "message"), BAD)
def test_a_bad_request_is_refused_in_plain_words(planted: Workbench, query: str, message: str) -> None:
    client = planted.client
    log_in(client, "mediator")
    page = client.get(f"{P}/briefing?{query}")
    assert page.status_code == 422
    assert message in html.unescape(page.text) and 'id="problem"' in page.text
    assert 'id="briefing-form"' in page.text  # the form again, to put it right
    download = client.get(f"{P}/briefing/download?{query}")
    assert download.status_code == 422 and message in html.unescape(download.text)
    answer = client.get(f"{API}/briefing?{query}", headers=_bearer(planted, "mediator"))
    assert answer.status_code == 422
    assert answer.json()["error"] == "DomainError" and answer.json()["message"].startswith(message)
    for body in (page.text, download.text, answer.text):
        assert "Traceback" not in body
    client.cookies.clear()


def test_a_party_is_refused_another_partys_briefing_and_the_mediators(planted: Workbench) -> None:
    client = planted.client
    log_in(client, A)
    for other in (B, "Ukraine", "mediator"):
        page = client.get(f"{P}/briefing?for={other}")
        assert page.status_code == 403 and "its own party&#39;s briefing only" in page.text
        assert client.get(f"{P}/briefing/download?for={other}&format=md").status_code == 403
        answer = client.get(f"{API}/briefing?for={other}", headers=_bearer(planted, A))
        assert answer.status_code == 403 and answer.json()["error"] == "AccessDenied"
    client.cookies.clear()
    log_in(client, "observer")
    assert client.get(f"{P}/briefing/download?for={A}").status_code == 403
    answer = client.get(f"{API}/briefing", headers=_bearer(planted, "observer"))
    assert answer.status_code == 403 and "observer" in answer.json()["message"]
    client.cookies.clear()


# -- what a party's briefing holds ---------------------------------------------------------------------


def _others(party: str) -> list[str]:
    """Every secret the party's seat may not learn: the other party's private preferences, the draft
    never circulated, the mediator's notes and events; for B also what was handed to A alone and A's
    private statement."""
    other = B if party == A else A
    found = secrets_of(other) + list(UNCIRCULATED.values()) + mediator_secrets()
    if party == B:
        found += paper_secrets() + statement_secrets()
    return found


@pytest.mark.parametrize("party", [A, B])
def test_a_partys_briefing_in_every_format_holds_none_of_anothers_secrets(
    planted: Workbench, party: str
) -> None:
    client = planted.client
    log_in(client, party)
    for format in FORMATS:
        got = client.get(f"{P}/briefing/download?format={format}")
        assert got.status_code == 200, got.text
        text = text_of(got.content, format)
        for title in PARTY_SECTIONS:
            assert title in text, (format, title)
        assert not _found(_others(party), text), (party, format, _found(_others(party), text))
        if party == A:  # the search finds a marker where it is the party's own to read
            assert _found([PRIVATE_WORDS["quote"]], text), format
    client.cookies.clear()
    answer = client.get(f"{API}/briefing?format=md", headers=_bearer(planted, party))
    assert answer.status_code == 200 and not _found(_others(party), answer.text)


def test_the_search_finds_the_planted_secrets_in_the_mediators_briefing(planted: Workbench) -> None:
    """The markers of the draft never circulated and of the mediator's event do reach a briefing:
    the mediator's. So their absence from a party's is the policy's doing, not the search's."""
    answer = planted.client.get(
        f"{API}/briefing?format=md&samples={FEW}", headers=_bearer(planted, "mediator")
    )
    assert answer.status_code == 200
    assert all(title in answer.text for title in SECTIONS)
    markers = [UNCIRCULATED["title"], MEDIATOR_ONLY["event"], PRIVATE_WORDS["summary"]]
    assert _found(markers, answer.text) == markers
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="briefing-{NAME}-mediator-{AS_OF}.md"'
    )


def test_a_partys_briefing_does_not_change_with_anothers_private_preferences(tmp_path: Path) -> None:
    """Rounded numbers would slip past a search for the planted values: instead, the other party's
    weights, reservation value, red lines and basis change, and the party's briefing stays the same,
    word for word, in every format (while the other party's own briefing changes)."""
    bench = make_workbench(tmp_path)
    try:
        token = _bearer(bench, A)

        def texts() -> dict[str, str]:
            found = {}
            for format in FORMATS:
                got = bench.client.get(f"{API}/briefing?format={format}", headers=token)
                assert got.status_code == 200, got.text
                found[format] = text_of(got.content, format)
            return found

        before = texts()
        theirs = _bearer(bench, B)
        their_before = bench.client.get(f"{API}/briefing?format=md", headers=theirs).text
        prefs = workbench.preferences(bench.database, MEDIATOR, NAME, B)
        prefs["reservation_value"] = 0.45  # within its declared uncertainty
        prefs["basis"] = "changed-basis-of-ukraine-JJ12"
        prefs["red_lines"] = []
        points = list(prefs["weights"])
        prefs["weights"] = {p: (1.0 if i % 2 else 3.0) for i, p in enumerate(points)}
        workbench.update_preferences(bench.database, MEDIATOR, NAME, B, prefs)
        after = texts()
        assert after == before
        their_after = bench.client.get(f"{API}/briefing?format=md", headers=theirs).text
        assert "your reservation value of 0.45" in their_after and their_after != their_before
    finally:
        bench.client.close()
        bench.database.dispose()


def test_a_partys_briefing_shows_the_analysis_the_mediator_shared_today(tmp_path: Path) -> None:
    """A share is recorded on the day it is made, after the record's latest date: the party's
    briefing, asked with no as-of day, is as of that day and shows the package (as the command line's)."""
    bench = make_workbench(tmp_path)
    try:
        token = _bearer(bench, B)
        before = bench.client.get(f"{API}/briefing?format=md&samples={FEW}", headers=token)
        assert (
            before.status_code == 200 and "The mediator has shared no analysis with you yet." in before.text
        )
        made = workbench.share(bench.database, MEDIATOR, NAME, B, "nash")
        day = made.shared_at[:10]
        after = bench.client.get(f"{API}/briefing?format=md&samples={FEW}", headers=token)
        assert after.status_code == 200, after.text
        assert "shared no analysis" not in after.text
        assert f"The Nash bargaining solution (shared {day})" in after.text
        assert f"The record as of {day}" in after.text
        assert after.headers["content-disposition"] == f'attachment; filename="briefing-{NAME}-{B}-{day}.md"'
        # the page's frame: the same briefing
        framed = bench.client.get(
            f"{P}/briefing/download?for={B}&format=html&inline=1&samples={FEW}", headers=token
        )
        assert framed.status_code == 200 and "The Nash bargaining solution" in html.unescape(framed.text)
    finally:
        bench.client.close()
        bench.database.dispose()
