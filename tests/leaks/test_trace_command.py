"""`accord draft export` and `accord trace` through the command line, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from tests.conftest import EXAMPLES
from tests.leaks.simulate import retype

runner = CliRunner()
ENV = {"ACCORD_USER": "mediator-desk", "COLUMNS": "160"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "accord.db")
    assert (
        runner.invoke(
            app, ["import", str(EXAMPLES / "peace-framework-2025.yaml"), "--db", path], env=ENV
        ).exit_code
        == 0
    )
    return path


def _export(db: str, recipient: str, fmt: str, out: Path) -> None:
    result = runner.invoke(
        app,
        ["draft", "export", "3", "--for", recipient, "--format", fmt, "-o", str(out), "--db", db],
        env=ENV,
    )
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf", "txt"])
def test_every_format_traces_back_to_its_recipient(db: str, tmp_path: Path, fmt: str) -> None:
    for party in ("russia", "ukraine", "europe"):
        _export(db, party, fmt, tmp_path / f"{party}.{fmt}")
    result = runner.invoke(app, ["trace", str(tmp_path / f"ukraine.{fmt}"), "--db", db, "--json"], env=ENV)
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["named"] == "ukraine" and found["confident"] and found["version"] == 3
    assert found["sites_observed"] >= 100


def test_a_pasted_excerpt_of_a_retyped_copy(db: str, tmp_path: Path) -> None:
    for party in ("russia", "ukraine", "europe"):
        _export(db, party, "md", tmp_path / f"{party}.md")
    words = retype(
        (tmp_path / "europe.md").read_text(encoding="utf-8").replace("#", "").replace("*", "")
    ).split()
    result = runner.invoke(app, ["trace", "-", "--db", db], input=" ".join(words[100:250]), env=ENV)
    assert result.exit_code == 0, result.stderr
    assert "source: European states (E3/EU)" in result.stdout


def test_the_suspects_and_the_copies_are_named_by_names_not_ids(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli import output

    monkeypatch.setattr(output.console, "_width", None)  # this runner's COLUMNS: a row a line
    made = runner.invoke(
        app,
        [
            "draft",
            "export",
            "3",
            "--for",
            "russia/russian-officials",
            "-o",
            str(tmp_path / "r.md"),
            "--db",
            db,
        ],
        env=ENV,
    )
    assert made.exit_code == 0, made.stderr
    assert made.stdout.startswith(
        f"wrote {tmp_path / 'r.md'}: copy 1 of draft D for Russian Federation (Russian officials) ("
    ), "the person and the party by name, the draft as the briefing names it"
    _export(db, "ukraine", "md", tmp_path / "u.md")
    result = runner.invoke(app, ["trace", str(tmp_path / "r.md"), "--db", db], env=ENV)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("draft D: ") and "source: Russian Federation (Russian officials) (copy 1)" in out
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 3}
    assert set(rows) == {"Russian Federation (Russian officials)", "Ukraine"}
    assert "┃ draft ┃" in out and "│ D " in rows["Ukraine"]
    for key in ("russia", "ukraine", "russian-officials", "v3"):
        assert key not in out, key
    data = json.loads(
        runner.invoke(app, ["trace", str(tmp_path / "r.md"), "--db", db, "--json"], env=ENV).stdout
    )
    assert data["named"] == "russia/russian-officials", "--json keeps the keys"
    assert [s["recipient"] for s in data["suspects"]] == ["russia/russian-officials", "ukraine"]


def test_a_text_that_was_never_exported_names_nobody(db: str, tmp_path: Path) -> None:
    _export(db, "russia", "md", tmp_path / "russia.md")
    result = runner.invoke(
        app, ["trace", "-", "--db", db], input="A ceasefire is agreed along the line of contact.", env=ENV
    )
    assert result.exit_code == 1 and "source:" not in result.stdout
    assert result.stderr.startswith("DomainError: found no fingerprinted draft text in the text on stdin")


def test_a_person_of_a_delegation_can_receive_a_copy_and_strangers_cannot(db: str, tmp_path: Path) -> None:
    stranger = runner.invoke(
        app,
        ["draft", "export", "3", "--for", "ukraine/Nobody", "-o", str(tmp_path / "x.md"), "--db", db],
        env=ENV,
    )
    assert stranger.exit_code == 1 and "not in ukraine's delegation" in stranger.stderr
    assert not (tmp_path / "x.md").exists()
    unknown = runner.invoke(
        app, ["draft", "export", "3", "--for", "atlantis", "-o", str(tmp_path / "y.md"), "--db", db], env=ENV
    )
    assert unknown.exit_code == 1 and "no party 'atlantis'" in unknown.stderr
    bad = runner.invoke(
        app,
        ["draft", "export", "3", "--for", "russia", "--format", "rtf", "-o", str(tmp_path / "z"), "--db", db],
        env=ENV,
    )
    assert bad.exit_code == 1 and "unknown format 'rtf'" in bad.stderr


def test_vetoed_rules_do_not_vary_and_the_register_is_in_the_audit_log(db: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["leaks", "veto", "heading-case", "--db", db], env=ENV).exit_code == 0
    rules = runner.invoke(app, ["leaks", "rules", "--db", db], env=ENV).stdout
    assert "vetoed" in rules
    _export(db, "russia", "md", tmp_path / "a.md")
    _export(db, "ukraine", "md", tmp_path / "b.md")

    def titles(path: Path) -> list[str]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [line.split(" ", 2)[2].rstrip(":") for line in lines if line.startswith("## ")]

    assert titles(tmp_path / "a.md") == titles(tmp_path / "b.md"), (
        "vetoed: both copies keep the draft's own titles"
    )
    log = json.loads(runner.invoke(app, ["audit", "log", "--db", db, "--json"], env=ENV).stdout)
    assert [e["action"] for e in log][-3:] == ["copy.rules", "copy.export", "copy.export"]
    assert runner.invoke(app, ["audit", "verify", "--db", db], env=ENV).exit_code == 0


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("", "is empty: there is no text to trace"),
        ("hello\n", "found no fingerprinted draft text"),
        ("<html><body><p>hello</p></body></html>", "found no fingerprinted draft text"),
    ],
)
def test_a_text_with_nothing_of_a_copy_in_it_names_no_suspect(
    db: str, tmp_path: Path, content: str, said: str
) -> None:
    """docs/leaks.md: a text with no site in it is refused in one line. A site at the draft's very
    start, one of whose wordings is empty, was once "read" in any text at all."""
    for recipient in ("ukraine", "europe"):
        _export(db, recipient, "md", tmp_path / f"{recipient}.md")
    leaked = tmp_path / "leaked.html"
    leaked.write_text(content)
    result = runner.invoke(app, ["trace", str(leaked), "--db", db], env=ENV)
    assert result.exit_code == 1, result.output
    assert said in result.stderr and "Suspects" not in result.output and "Traceback" not in result.output


def test_a_copy_saved_as_utf16_traces_back_to_its_recipient(db: str, tmp_path: Path) -> None:
    """Windows' "Unicode" text (UTF-16 with its byte order mark) is read, not refused as binary."""
    for party in ("russia", "ukraine", "europe"):
        _export(db, party, "txt", tmp_path / f"{party}.txt")
    saved = tmp_path / "forwarded.txt"
    saved.write_bytes((tmp_path / "europe.txt").read_text(encoding="utf-8").encode("utf-16"))
    result = runner.invoke(app, ["trace", str(saved), "--db", db, "--json"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["named"] == "europe"
