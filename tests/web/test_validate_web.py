"""`accord validate` as a page: a scenario file uploaded or pasted, every problem listed at its file,
line and field, exactly as the CLI's loader finds them; nothing stored."""

from __future__ import annotations

import html
from pathlib import Path

from accord.scenario import validate
from accord.services import negotiations
from tests.conftest import EXAMPLES
from tests.web.conftest import Workbench, log_in

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"


def test_a_valid_file_says_what_it_holds_and_stores_nothing(bench: Workbench) -> None:
    csrf = log_in(bench.client, "russia")  # any signed-in user: it reads nothing of the record
    form = bench.client.get("/validate")
    assert form.status_code == 200 and 'action="/validate"' in form.text
    before = [s.slug for s in negotiations.list_negotiations(bench.database)]
    answer = bench.client.post(
        "/validate",
        data={"csrf_token": csrf},
        files={"file": ("peace.yaml", FLAGSHIP.read_bytes(), "application/yaml")},
    )
    assert answer.status_code == 200
    assert "Valid: peace.yaml" in answer.text and "points," in answer.text
    said = " ".join(answer.text.split())
    assert "3 parties," in said and "4 parties" not in said, "the mediator is no party to the deal"
    assert [s.slug for s in negotiations.list_negotiations(bench.database)] == before


def test_every_problem_is_listed_at_its_line_and_field_as_the_cli_finds_it(
    bench: Workbench, tmp_path: Path
) -> None:
    csrf = log_in(bench.client, "mediator")
    broken = (
        FLAGSHIP.read_text(encoding="utf-8")
        .replace("reservation_value: 0.", "reservation_value: 7.", 1)
        .replace("weight:", "wieght:", 1)
    )
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    expected = validate(path)
    assert len(expected) >= 2
    answer = bench.client.post("/validate", data={"text": broken, "csrf_token": csrf})
    assert answer.status_code == 422
    shown = html.unescape(answer.text)
    assert f"the pasted scenario: {len(expected)} problems" in shown
    for p in expected:
        assert f"<td>{p.line}</td><td><code>{p.path}</code></td><td>{p.message}</td>" in shown, p
    assert broken.splitlines()[0] in shown  # the text stays in the form, to mend


def test_nothing_given_or_both_given_is_said_in_words(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    empty = bench.client.post("/validate", data={"text": "  ", "csrf_token": csrf})
    assert empty.status_code == 422 and "nothing to check" in empty.text
    both = bench.client.post(
        "/validate",
        data={"text": "accord: 1", "csrf_token": csrf},
        files={"file": ("a.yaml", b"accord: 1", "application/yaml")},
    )
    assert both.status_code == 422 and "not both" in both.text
    assert bench.client.post("/validate", data={"text": "x"}).status_code == 403  # no CSRF token
