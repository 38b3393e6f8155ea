"""Leak tracing by upload and the variant rules as pages (issue 17): a leaked copy uploaded (PDF, Word,
Markdown) or pasted is traced as `accord trace` traces a file, and the answer says whom it points to
and how confidently, or that there is no confident match; a bad upload is answered in words."""

from __future__ import annotations

import re

import pytest

from accord.config import REPORT_BYTES_VARIABLE
from accord.services import drafts as draft_service
from tests.web.conftest import NAME, A, B, Workbench, log_in

P = f"/n/{NAME}"
LEAK_EVENT = "leak-28-points"  # the flagship's leak of the 28 points


def words(page: str) -> str:
    body = page.split("<h1>", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#39;", "'")


def message(page: str) -> str:
    found = re.search(r'id="message"[^>]*>([^<]*)', page)
    return found.group(1).replace("&#39;", "'") if found else ""


def copies(bench: Workbench, csrf: str, fmt: str) -> dict[str, bytes]:
    """A fingerprinted copy of draft v3 for each party, taken by the mediator on the draft's page."""
    made = {}
    for party in (A, B):
        answer = bench.client.post(
            f"{P}/drafts/3/copy", data={"format": fmt, "for": party, "csrf_token": csrf}
        )
        assert answer.status_code == 200, answer.text
        made[party] = answer.content
    return made


@pytest.mark.parametrize("fmt", ["md", "pdf", "docx"])
def test_an_uploaded_copy_points_to_the_party_it_was_handed_to(bench: Workbench, fmt: str) -> None:
    csrf = log_in(bench.client, "mediator")
    made = copies(bench, csrf, fmt)
    for party, name in ((A, "Russian Federation"), (B, "Ukraine")):
        answer = bench.client.post(
            f"{P}/trace", data={"csrf_token": csrf}, files={"file": (f"leaked.{fmt}", made[party])}
        )
        assert answer.status_code == 200, message(answer.text)
        text = words(answer.text)
        assert f"It points to {name}" in text
        assert f"The leaked text came from the copy of draft v3 handed to {name} (copy" in text
        assert re.search(r"agrees with that copy on (\d+) of \1 sites", text)
        assert "below 1 in a billion: confidence above 0.999999" in text
        assert re.search(rf"leaked\.{fmt}: \d+ fingerprint sites read in draft v3", text)


def test_a_pasted_excerpt_is_traced_with_its_confidence(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    excerpt = copies(bench, csrf, "md")[B].decode()[:300]
    text = words(bench.client.post(f"{P}/trace", data={"csrf_token": csrf, "text": excerpt}).text)
    assert "It points to Ukraine" in text and "the pasted text:" in text
    assert re.search(r"confidence (0\.\d{6}|above 0\.999999)", text)
    assert "The copies most like the leaked text, likeliest first" in text


def test_a_text_too_thin_to_name_anyone_is_no_confident_match(bench: Workbench) -> None:
    """The shortest excerpt of a copy in which any fingerprint site can be read: a site or two, too
    few to name anyone (a text with none is refused: see below)."""
    csrf = log_in(bench.client, "mediator")
    copy = copies(bench, csrf, "md")[B].decode()
    middle = len(copy) // 2
    for length in range(40, 2000, 20):
        excerpt = copy[middle : middle + length]
        answer = bench.client.post(f"{P}/trace", data={"csrf_token": csrf, "text": excerpt})
        if answer.status_code == 200:
            break
        assert "found no fingerprinted draft text" in message(answer.text)
    else:
        raise AssertionError("no excerpt of the copy showed a fingerprint site")
    text = words(answer.text)
    assert "No confident match" in text and "The evidence is too thin to name anyone" in text
    assert "It points to" not in text


@pytest.mark.parametrize(
    ("file", "data", "said"),
    [
        ("empty.txt", b"", "empty.txt is empty: there is no text to trace"),
        ("blank.md", b"   \n\n", "blank.md is empty"),
        (
            "picture.png",
            bytes(range(256)) * 16,
            "cannot read picture.png: not a text, Markdown, HTML, PDF or Word",
        ),
        ("broken.pdf", b"%PDF-1.4 not really", "cannot read broken.pdf: not a readable PDF or Word file"),
        ("broken.docx", b"PK\x03\x04not really", "cannot read broken.docx: not a readable Word file"),
        (
            "unrelated.txt",
            "Ничего общего с проектом.".encode(),
            "found no fingerprinted draft text in unrelated.txt",
        ),
        ("note.txt", b"hello world, nothing here", "found no fingerprinted draft text in note.txt"),
    ],
)
def test_a_bad_upload_is_answered_in_words(bench: Workbench, file: str, data: bytes, said: str) -> None:
    csrf = log_in(bench.client, "mediator")
    copies(bench, csrf, "md")
    answer = bench.client.post(f"{P}/trace", data={"csrf_token": csrf}, files={"file": (file, data)})
    assert answer.status_code == 422
    assert said in message(answer.text)
    assert "Traceback" not in answer.text and 'id="trace-form"' in answer.text


def test_nothing_given_both_given_or_a_bad_version_is_said_at_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    made = copies(bench, csrf, "md")
    cases = [
        ({"csrf_token": csrf}, None, "nothing to trace: choose the leaked copy's file or paste its text"),
        ({"csrf_token": csrf, "text": "x"}, ("a.md", made[A]), "give the leaked text or its file, not both"),
        ({"csrf_token": csrf, "version": "three"}, ("a.md", made[A]), "version: expected a draft version"),
        ({"csrf_token": csrf, "version": "9"}, ("a.md", made[A]), "has no draft version 9"),
        ({"csrf_token": csrf, "attach_to": "nope"}, ("a.md", made[A]), "nope"),
    ]
    for form, upload, said in cases:
        answer = bench.client.post(f"{P}/trace", data=form, files={"file": upload} if upload else None)
        assert answer.status_code in (404, 422), said
        assert said in (message(answer.text) or answer.text), said


def test_before_any_copy_was_made_there_is_nothing_to_trace_against(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    answer = bench.client.post(f"{P}/trace", data={"csrf_token": csrf, "text": "Point 7. Ukraine and NATO"})
    assert answer.status_code == 422
    assert "no copy of any draft was exported: nothing to trace against" in message(answer.text)


def test_an_upload_over_the_limit_is_refused_in_words(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = log_in(bench.client, "mediator")
    made = copies(bench, csrf, "md")
    monkeypatch.setenv(REPORT_BYTES_VARIABLE, "1000")
    answer = bench.client.post(f"{P}/trace", data={"csrf_token": csrf}, files={"file": ("big.md", made[A])})
    assert answer.status_code == 422
    assert f"big.md is {len(made[A]):,} bytes, over the limit of 1,000 bytes" in message(answer.text)
    # past the request limit, refused before it is read (a plain sentence, 413)
    huge = bench.client.post(
        f"{P}/trace", data={"csrf_token": csrf}, files={"file": ("huge.txt", b"a" * 1_100_000)}
    )
    assert huge.status_code == 413 and "larger than 1,000,000 bytes" in huge.text


def test_a_trace_can_be_kept_on_the_leak_event(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    made = copies(bench, csrf, "md")
    form = bench.client.get(f"{P}/trace").text
    assert f'<option value="{LEAK_EVENT}">2025-11-20: The US 28-point draft' in form
    answer = bench.client.post(
        f"{P}/trace", data={"csrf_token": csrf, "attach_to": LEAK_EVENT}, files={"file": ("l.md", made[B])}
    )
    assert answer.status_code == 200
    assert f"Kept on the leak {LEAK_EVENT}" in words(answer.text)
    # the flagship records the 28 points (v1) as what leaked; a copy of v3 is kept, and said to differ
    assert f"the leak {LEAK_EVENT} is recorded as of another draft than the text traced, which is of v3" in (
        words(answer.text)
    )
    kept = draft_service.load(bench.database, NAME).negotiation.event(LEAK_EVENT).traces
    assert [t.result["named"] for t in kept] == [B]
    assert kept[0].result["warning"].startswith(f"the leak {LEAK_EVENT} is recorded as of draft v1")


def test_the_variant_rules_are_vetoed_and_allowed_again(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/leak-rules").text
    assert "UK or US spelling: neighbours/neighbors" in page
    assert re.search(r'id="rule-spelling">.*?in use.*?Veto', page, re.S)
    vetoed = bench.client.post(
        f"{P}/leak-rules", data={"csrf_token": csrf, "rule": "spelling", "action": "veto"}
    )
    assert vetoed.status_code == 303
    page = bench.client.get(f"{P}/leak-rules").text
    assert re.search(r'id="rule-spelling">.*?vetoed.*?Allow again', page, re.S)
    audit = bench.client.get(f"{P}/audit").text
    assert "variant rule spelling vetoed" in audit
    # the action in words, as `accord audit log` says it (reports.audit_words), never the stored key
    assert "<td>fingerprint rule changed</td>" in audit and "copy.rules" not in audit
    bench.client.post(f"{P}/leak-rules", data={"csrf_token": csrf, "rule": "spelling", "action": "allow"})
    assert re.search(r'id="rule-spelling">.*?in use', bench.client.get(f"{P}/leak-rules").text, re.S)
    unknown = bench.client.post(
        f"{P}/leak-rules", data={"csrf_token": csrf, "rule": "nope", "action": "veto"}
    )
    assert unknown.status_code == 422 and "rule: expected one of number-grouping" in unknown.text


@pytest.mark.parametrize("user", [A, B, "observer"])
def test_tracing_and_the_rules_are_the_mediators_alone(bench: Workbench, user: str) -> None:
    csrf = log_in(bench.client, user)
    assert bench.client.get(f"{P}/trace").status_code == 403
    assert bench.client.get(f"{P}/leak-rules").status_code == 403
    traced = bench.client.post(f"{P}/trace", data={"csrf_token": csrf, "text": "Point 7."})
    assert traced.status_code == 403 and "It points to" not in traced.text
    vetoed = bench.client.post(
        f"{P}/leak-rules", data={"csrf_token": csrf, "rule": "spelling", "action": "veto"}
    )
    assert vetoed.status_code == 403
    assert "/trace" not in bench.client.get(P).text


def _box(page: str) -> str | None:
    import html

    found = re.search(r'<textarea name="text" id="text"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def test_a_refused_trace_gives_the_pasted_text_back_with_the_problem(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    pasted = "Point 7. Ukraine & NATO <accession> ZP90\n\nPoint 8. Security guarantees"
    # nothing was exported yet: nothing to trace against, said at the form, the text kept
    answer = bench.client.post(f"{P}/trace", data={"csrf_token": csrf, "text": pasted, "version": "3"})
    assert answer.status_code == 422
    assert "no copy of draft v3 was exported: nothing to trace against" in message(answer.text)
    assert _box(answer.text) == pasted and '<option value="3" selected>' in answer.text
    # the text and a file both given: the text comes back, to clear one of them
    made = copies(bench, csrf, "md")
    both = bench.client.post(
        f"{P}/trace", data={"csrf_token": csrf, "text": pasted}, files={"file": ("a.md", made[A])}
    )
    assert both.status_code == 422 and "not both" in message(both.text)
    assert _box(both.text) == pasted and "Traceback" not in both.text


def test_a_pasted_text_over_the_limit_is_not_echoed_back(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = log_in(bench.client, "mediator")
    monkeypatch.setenv(REPORT_BYTES_VARIABLE, "1000")
    answer = bench.client.post(f"{P}/trace", data={"csrf_token": csrf, "text": "Point 7. QW38 " * 100})
    assert answer.status_code == 422 and "over the limit of 1,000 bytes" in message(answer.text)
    assert "QW38" not in answer.text and _box(answer.text) == ""
