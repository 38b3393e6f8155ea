"""Import and export on the workbench (issue 17): a scenario file or GENIUS files uploaded as a new
negotiation, its importer seated as the mediator, as `accord import` and `accord import-genius`; a
negotiation downloaded as a scenario file or GENIUS files, as `accord export` and `export-genius`.
Who may: a user who mediates a negotiation already (import), the negotiation's mediator (export)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from accord.config import FILE_BYTES_VARIABLE
from accord.scenario import loads
from accord.services import drafts as draft_service
from accord.services.exchange import Upload
from tests.conftest import EXAMPLES
from tests.web.conftest import NAME, A, B, Workbench, log_in

P = f"/n/{NAME}"
GENIUS = Path(__file__).parents[1] / "fixtures" / "genius"
COALITION = (EXAMPLES / "coalition-agreement.yaml").read_bytes()


def message(page: str) -> str:
    found = re.search(r'id="message"[^>]*>(.*?)</div>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).replace("&#39;", "'") if found else ""


def test_an_uploaded_scenario_becomes_a_negotiation_its_importer_mediates(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    assert 'href="/import"' in bench.client.get("/negotiations").text
    answer = bench.client.post(
        "/import",
        data={"csrf_token": csrf, "name": "coalition-web"},
        files={"file": ("coalition.yaml", COALITION)},
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/n/coalition-web"
    overview = bench.client.get("/n/coalition-web")
    assert overview.status_code == 200
    assert loads(COALITION.decode()).title in overview.text
    assert 'id="analyses"' in overview.text  # the mediator's own page
    audit = bench.client.get("/n/coalition-web/audit").text
    assert "imported coalition.yaml" in audit and "mediator seated as mediator (the importer)" in audit
    # the formateur mediates: named apart, not counted among the parties that negotiate
    assert "4 parties (Formateur Ilse Vandermaar mediating)" in " ".join(audit.split())
    # the same name again: refused, nothing changed
    again = bench.client.post(
        "/import",
        data={"csrf_token": csrf, "name": "coalition-web"},
        files={"file": ("coalition.yaml", COALITION)},
    )
    assert again.status_code == 422
    taken = "a negotiation 'coalition-web' is stored already; import it under another name"
    assert taken in message(again.text)
    # no name given: the file's own id is taken (the first import above was named), and said so
    upload = {"file": ("coalition.yaml", COALITION)}
    bench.client.post("/import", data={"csrf_token": csrf}, files=upload)
    own = bench.client.post("/import", data={"csrf_token": csrf}, files=upload)
    assert own.status_code == 422
    said = message(own.text)
    assert f"a negotiation {loads(COALITION.decode()).id!r} is stored already (the file's own id)" in said


def test_a_pasted_scenario_is_imported_under_its_own_id(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    answer = bench.client.post("/import", data={"csrf_token": csrf, "text": COALITION.decode()})
    assert answer.status_code == 303
    slug = answer.headers["location"].removeprefix("/n/")
    assert slug == loads(COALITION.decode()).id


def test_an_invalid_scenario_lists_every_problem_and_stores_nothing(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    broken = yaml.safe_load(COALITION)
    broken["negotiation"]["title"] = 7
    broken["points"][0]["options"] = "none"
    answer = bench.client.post(
        "/import", data={"csrf_token": csrf}, files={"file": ("broken.yaml", yaml.safe_dump(broken).encode())}
    )
    assert answer.status_code == 422
    said = message(answer.text)
    assert re.search(r"the scenario has \d+ problems; nothing was imported", said)
    assert "broken.yaml" in said and "negotiation.title" in said and "points[0].options" in said
    assert "Traceback" not in answer.text
    assert bench.client.get(f"/n/{broken['negotiation']['id']}").status_code in (403, 404)


@pytest.mark.parametrize(
    ("file", "data", "said"),
    [
        ("empty.yaml", b"", "empty.yaml is empty: expected a scenario file (YAML)"),
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture.png is not a text file"),
        ("latin.yaml", b"title: caf\xe9", "latin.yaml: byte 11 is not UTF-8 text"),
        ("list.yaml", b"- just\n- a list\n", "list.yaml"),
    ],
)
def test_a_bad_upload_is_answered_in_words(bench: Workbench, file: str, data: bytes, said: str) -> None:
    csrf = log_in(bench.client, "mediator")
    answer = bench.client.post("/import", data={"csrf_token": csrf}, files={"file": (file, data)})
    assert answer.status_code == 422
    assert said in message(answer.text)
    assert "Traceback" not in answer.text and 'id="import-scenario"' in answer.text


def test_nothing_both_or_a_bad_name_is_said_at_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    nothing = bench.client.post("/import", data={"csrf_token": csrf})
    assert "nothing to import: choose a scenario file (YAML) or paste its text" in message(nothing.text)
    both = bench.client.post(
        "/import", data={"csrf_token": csrf, "text": "x"}, files={"file": ("c.yaml", COALITION)}
    )
    assert "not both" in message(both.text)
    named = bench.client.post(
        "/import", data={"csrf_token": csrf, "name": "../etc"}, files={"file": ("c.yaml", COALITION)}
    )
    assert named.status_code == 422 and "name: '../etc' cannot name a negotiation" in message(named.text)


def test_a_file_over_the_limit_is_refused_in_words(bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    csrf = log_in(bench.client, "mediator")
    monkeypatch.setenv(FILE_BYTES_VARIABLE, "1000")
    answer = bench.client.post("/import", data={"csrf_token": csrf}, files={"file": ("big.yaml", COALITION)})
    assert answer.status_code == 422
    assert f"big.yaml is {len(COALITION):,} bytes, over the limit of 1,000 bytes" in message(answer.text)
    huge = bench.client.post(
        "/import", data={"csrf_token": csrf}, files={"file": ("huge.yaml", b"a" * 1_100_000)}
    )
    assert huge.status_code == 413 and "larger than 1,000,000 bytes" in huge.text


def test_a_utf16_scenario_is_refused_saying_what_to_save_it_as(bench: Workbench) -> None:
    """As `accord validate` says of it: not "not a text file (a program, an image?)"."""
    csrf = log_in(bench.client, "mediator")
    text = (EXAMPLES / "camp-david-1978.yaml").read_text(encoding="utf-8").encode("utf-16")
    for route in ("/validate", "/import"):
        answer = bench.client.post(
            route, data={"csrf_token": csrf}, files=[("file", ("scenario.yaml", text))]
        )
        assert answer.status_code == 422, (route, answer.status_code)
        assert "scenario.yaml is UTF-16 text: expected a scenario file (YAML) saved as UTF-8" in message(
            answer.text
        ), route


def test_genius_files_become_a_negotiation(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    files = [
        ("domain", ("holiday_domain.xml", (GENIUS / "holiday_domain.xml").read_bytes())),
        ("profiles", ("holiday_parent.xml", (GENIUS / "holiday_parent.xml").read_bytes())),
        ("profiles", ("holiday_teenager.xml", (GENIUS / "holiday_teenager.xml").read_bytes())),
    ]
    answer = bench.client.post("/import/genius", data={"csrf_token": csrf, "name": "holiday"}, files=files)
    assert answer.status_code == 200, message(answer.text)
    assert 'href="/n/holiday"' in answer.text and "You are its mediator" in answer.text
    stored = draft_service.load(bench.database, "holiday").negotiation
    assert len(stored.parties) == 2 and stored.preferences


def test_bad_genius_files_are_named_as_uploaded(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    domain = ("domain", ("holiday_domain.xml", (GENIUS / "holiday_domain.xml").read_bytes()))
    no_profile = bench.client.post("/import/genius", data={"csrf_token": csrf}, files=[domain])
    assert no_profile.status_code == 422 and "profiles: none given" in message(no_profile.text)
    broken = ("profiles", ("parent.xml", b"<utility_space><objective>"))
    answer = bench.client.post("/import/genius", data={"csrf_token": csrf}, files=[domain, broken])
    assert answer.status_code == 422
    said = message(answer.text)
    assert said.strip().startswith("parent.xml:1:") and "not well-formed XML" in said and "/tmp" not in said
    empty = bench.client.post(
        "/import/genius", data={"csrf_token": csrf}, files=[("domain", ("d.xml", b"")), broken]
    )
    assert "d.xml is empty: expected a GENIUS XML file" in message(empty.text)
    steps = bench.client.post(
        "/import/genius", data={"csrf_token": csrf, "real_steps": "1"}, files=[domain, broken]
    )
    assert "real steps: expected a whole number from 2 to 100,000, got '1'" in message(steps.text)


@pytest.mark.parametrize("name", ["..", ".", "...", "folder/..", "  "])
def test_an_upload_named_like_a_folder_is_written_as_a_file(bench: Workbench, name: str) -> None:
    """The browser's file name is only a label: "..", "." or a NUL never reach the file system."""
    csrf = log_in(bench.client, "mediator")
    files = [
        ("domain", ("holiday_domain.xml", (GENIUS / "holiday_domain.xml").read_bytes())),
        ("profiles", (name, (GENIUS / "holiday_parent.xml").read_bytes())),
    ]
    answer = bench.client.post("/import/genius", data={"csrf_token": csrf, "name": "dots"}, files=files)
    assert answer.status_code == 200, message(answer.text)
    stored = draft_service.load(bench.database, "dots").negotiation
    assert [p.name for p in stored.parties] == ["the file"]
    # what no browser sends, but a client may: unprintable characters are dropped from the label
    assert Upload("a\x00b\n.xml", b"").shown == "ab.xml" and Upload("\x00..", b"").shown == "the file"


def test_the_negotiation_is_downloaded_as_a_scenario_file_that_imports_back(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    download = bench.client.get(f"{P}/export?format=scenario")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == f'attachment; filename="{NAME}.yaml"'
    again = loads(download.content.decode(), "export")
    stored = draft_service.load(bench.database, NAME).negotiation
    assert [p.id for p in again.points] == [p.id for p in stored.points]
    assert len(again.drafts) == len(stored.drafts)
    back = bench.client.post(
        "/import",
        data={"csrf_token": csrf, "name": "round-trip"},
        files={"file": ("x.yaml", download.content)},
    )
    assert back.status_code == 303


def test_the_negotiation_is_downloaded_as_genius_files(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    download = bench.client.get(f"{P}/export?format=genius")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert any(n.endswith("-domain.xml") for n in names)
    assert {f"{A}.xml", f"{B}.xml"} <= set(names)
    assert "WARNINGS.txt" in names  # red lines and links have no place in GENIUS's files
    bad = bench.client.get(f"{P}/export?format=pdf")
    assert bad.status_code == 422


@pytest.mark.parametrize("user", [A, B, "observer"])
def test_a_party_or_an_observer_neither_imports_nor_exports(bench: Workbench, user: str) -> None:
    csrf = log_in(bench.client, user)
    assert 'href="/import"' not in bench.client.get("/negotiations").text
    assert bench.client.get("/import").status_code == 403
    refused = bench.client.post("/import", data={"csrf_token": csrf}, files={"file": ("c.yaml", COALITION)})
    assert refused.status_code == 403
    assert bench.client.get(f"{P}/export").status_code == 403
    assert bench.client.get(f"{P}/export?format=genius").status_code == 403


def test_the_policy_lets_a_mediator_of_any_negotiation_import_and_only_the_mediator_export() -> None:
    from accord.errors import AccessDenied, NotAuthenticated
    from accord.security.policy import (
        ANONYMOUS,
        Action,
        Seat,
        SeatRole,
        Viewer,
        allows,
        may_import,
        require_import,
    )

    elsewhere = Viewer("m", seats={"other": Seat(SeatRole.MEDIATOR), NAME: Seat(SeatRole.MEMBER, A)})
    member = Viewer("r", seats={NAME: Seat(SeatRole.MEMBER, A)})
    observer = Viewer("o", seats={NAME: Seat(SeatRole.OBSERVER)})
    assert may_import(elsewhere) and not may_import(member) and not may_import(observer)
    assert not may_import(Viewer("nobody-seated"))
    with pytest.raises(NotAuthenticated):
        require_import(ANONYMOUS)
    with pytest.raises(AccessDenied, match="only a negotiation's mediator may start another"):
        require_import(member)
    # exporting is per negotiation: a mediator elsewhere, a member here, may not export this one
    assert allows(elsewhere, Action.EXPORT, "other") and not allows(elsewhere, Action.EXPORT, NAME)
    for action in (Action.EXPORT, Action.TRACE_LEAK, Action.SET_LEAK_RULES):
        assert not allows(member, action, NAME) and not allows(observer, action, NAME)


def test_a_refused_pasted_scenario_comes_back_in_its_box_with_its_problems_by_line_and_field(
    bench: Workbench,
) -> None:
    import html

    csrf = log_in(bench.client, "mediator")
    pasted = COALITION.decode().replace("options:", "optionz:", 1) + "\n# typed by hand ZW61\n"
    answer = bench.client.post("/import", data={"csrf_token": csrf, "text": pasted, "name": "coalition-b"})
    assert answer.status_code == 422
    said = message(answer.text)
    assert re.search(r"the scenario has \d+ problems; nothing was imported", said)
    assert re.search(r"the pasted scenario:\d+: points\[0\]\.optionz: unknown field 'optionz'", said)
    box = re.search(r'<textarea name="text" id="scenario-text"[^>]*>\n?(.*?)</textarea>', answer.text, re.S)
    assert box and html.unescape(box.group(1)) == pasted, "the pasted text, as pasted"
    assert 'name="name" value="coalition-b"' in answer.text
    assert bench.client.get("/n/coalition-b").status_code in (403, 404)
    # refused before it is read (a file chosen as well): the text comes back all the same
    both = bench.client.post(
        "/import", data={"csrf_token": csrf, "text": pasted}, files={"file": ("c.yaml", COALITION)}
    )
    assert both.status_code == 422 and "not both" in message(both.text) and "ZW61" in both.text


def test_a_pasted_scenario_over_the_limit_is_not_echoed_back(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = log_in(bench.client, "mediator")
    monkeypatch.setenv(FILE_BYTES_VARIABLE, "1000")
    pasted = COALITION.decode() + "\n# typed by hand ZW61\n"
    answer = bench.client.post("/import", data={"csrf_token": csrf, "text": pasted})
    assert answer.status_code == 422 and "over the limit of 1,000 bytes" in message(answer.text)
    assert "ZW61" not in answer.text
