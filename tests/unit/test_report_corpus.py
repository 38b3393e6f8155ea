"""The labelled corpora of reports (tests/fixtures/reports/, and the held-out set
tests/fixtures/reports-heldout/) are each consistent with themselves and with the scenarios they are
read against: every report has a gold file, every gold entry names parties, points
and people the scenario knows (or proposes the person), and every evidence fragment stands verbatim
in the report's text. This checks the corpus, not the extractor (bench/ingest.py scores that)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.domain.negotiation import Negotiation
from accord.scenario.yaml_format import load

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
# Each corpus with the least it must hold: reports, and reports about no negotiation of ours.
CORPORA = {
    FIXTURES / "reports": (36, 2),
    FIXTURES / "reports-heldout": (12, 1),
}
REPORT_SUFFIXES = (".txt", ".md", ".html")

STANCES = {"accept", "conditional", "reject", "studying", "no-position"}
MEETING_STATUSES = {"held", "planned", "postponed", "cancelled"}
EVENTS = {"leak", "announcement", "postponement", "other"}
KINDS = {"person", "meeting", "paper", "statement", "stance", "event"}
REQUIRED = {
    "person": {"quote", "name", "party", "role"},
    "meeting": {"quote", "date", "status", "participants", "place"},
    "paper": {"quote", "date", "count", "recipients"},
    "statement": {"quote", "speaker", "party", "date", "points", "stance"},
    "stance": {"quote", "party", "point", "stance"},
    "event": {"quote", "event", "date"},
}


def _reports(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.suffix in REPORT_SUFFIXES and p.name != "README.md")


REPORTS = [report for corpus in CORPORA for report in _reports(corpus)]


def _report_id(report: Path) -> str:
    return f"{report.parent.name}/{report.name}"


class _VisibleText(HTMLParser):
    """The text a reader sees: character data outside script and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def text_of(report: Path) -> str:
    raw = report.read_text(encoding="utf-8")
    if report.suffix != ".html":
        return raw
    parser = _VisibleText()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts)


def gold_of(report: Path) -> dict[str, Any]:
    gold = report.with_name(report.stem + ".gold.yaml")
    loaded = yaml.safe_load(gold.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{gold.name}: expected a mapping"
    return loaded


@cache
def scenario(relative: str) -> Negotiation:
    return load(ROOT / relative)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_the_corpus_holds_its_least_number_of_reports_in_three_formats(corpus: Path) -> None:
    reports = _reports(corpus)
    assert len(reports) >= CORPORA[corpus][0]
    assert {p.suffix for p in reports} == set(REPORT_SUFFIXES)
    assert sum(p.suffix == ".html" for p in reports) >= 2


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_every_report_has_a_gold_file_and_every_gold_file_a_report(corpus: Path) -> None:
    golds = {p.name for p in corpus.glob("*.gold.yaml")}
    expected = {p.stem + ".gold.yaml" for p in _reports(corpus)}
    assert expected - golds == set(), "reports without a gold file"
    assert golds - expected == set(), "gold files without a report"


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_the_corpus_reads_against_each_scenario_and_has_reports_of_no_negotiation_of_ours(
    corpus: Path,
) -> None:
    reports = _reports(corpus)
    used = {gold_of(r)["negotiation"] for r in reports}
    assert {
        "examples/peace-framework-2025.yaml",
        "examples/coalition-agreement.yaml",
        "tests/fixtures/reports/scenarios/river-compact.yaml",
    } <= used
    assert sum(not gold_of(r)["proposals"] for r in reports) >= CORPORA[corpus][1]


@pytest.mark.parametrize("report", REPORTS, ids=_report_id)
def test_report_is_80_to_300_words(report: Path) -> None:
    assert 80 <= len(text_of(report).split()) <= 300


@pytest.mark.parametrize("report", REPORTS, ids=_report_id)
def test_gold_names_only_what_its_scenario_knows(report: Path) -> None:
    gold = gold_of(report)
    assert set(gold) == {"negotiation", "report_date", "given_date", "proposals"}
    assert gold["report_date"] is None or _is_date(gold["report_date"])
    assert gold["given_date"] is None or _is_date(gold["given_date"])
    assert (gold["report_date"] is None) == (gold["given_date"] is not None), (
        "a date is given to the bench exactly when the report has none"
    )
    negotiation = scenario(gold["negotiation"])
    parties = {p.id for p in negotiation.parties}
    points = {p.id for p in negotiation.points}
    proposed_people = {e["name"] for e in gold["proposals"] if e["kind"] == "person"}
    speakers = proposed_people | {
        name for person in negotiation.people for name in (person.name, *person.aliases)
    }
    known_names = {person.name for person in negotiation.people}
    for entry in gold["proposals"]:
        kind = entry["kind"]
        where = f"{report.name}: {kind} {entry.get('quote')!r}"
        assert kind in KINDS, where
        assert REQUIRED[kind] <= set(entry), f"{where}: missing {REQUIRED[kind] - set(entry)}"
        if kind == "person":
            assert entry["party"] in parties, where
            assert entry["name"] not in known_names, f"{where}: already in the scenario"
        elif kind == "meeting":
            assert entry["status"] in MEETING_STATUSES, where
            assert set(entry["participants"]) <= parties, where
            assert _is_date(entry["date"]) or entry.get("date_approx"), where
        elif kind == "paper":
            assert set(entry["recipients"]) <= parties, where
            assert entry["count"] is None or (isinstance(entry["count"], int) and entry["count"] >= 1)
            assert _is_date(entry["date"]) or entry.get("date_approx"), where
        elif kind == "statement":
            assert entry["speaker"] in speakers, f"{where}: unknown speaker {entry['speaker']!r}"
            assert entry["party"] in parties, where
            assert set(entry["points"]) <= points, where
            assert entry["stance"] is None or entry["stance"] in STANCES, where
            assert _is_date(entry["date"]), where
        elif kind == "stance":
            assert entry["party"] in parties and entry["point"] in points, where
            assert entry["stance"] in STANCES, where
        elif kind == "event":
            assert entry["event"] in EVENTS, where
            assert _is_date(entry["date"]) or entry.get("date_approx"), where


@pytest.mark.parametrize("report", REPORTS, ids=_report_id)
def test_every_quote_stands_verbatim_in_the_report(report: Path) -> None:
    text = text_of(report)
    for entry in gold_of(report)["proposals"]:
        assert entry["quote"] in text, f"{report.name}: {entry['kind']} quote {entry['quote']!r}"


@pytest.mark.parametrize("report", REPORTS, ids=_report_id)
def test_every_stance_rests_on_a_statement_with_its_point(report: Path) -> None:
    proposals = gold_of(report)["proposals"]
    statements = [e for e in proposals if e["kind"] == "statement"]
    for stance in (e for e in proposals if e["kind"] == "stance"):
        assert any(
            s["quote"] == stance["quote"]
            and s["party"] == stance["party"]
            and stance["point"] in s["points"]
            and s["stance"] == stance["stance"]
            for s in statements
        ), f"{report.name}: stance {stance['quote']!r} rests on no statement"
    for s in statements:
        if s["stance"] is not None:
            covered = {
                e["point"]
                for e in proposals
                if e["kind"] == "stance" and e["quote"] == s["quote"] and e["party"] == s["party"]
            }
            assert covered == set(s["points"]), f"{report.name}: statement {s['quote']!r}"
