"""The ingest benchmark: precision and recall of `accord ingest` per kind of entry, on the labelled
corpus of tests/fixtures/reports/ (reports written for accord's tests, each with its gold entries).

A proposal matches a gold entry of its kind when the gold's quote (a fragment of the sentence that
reports it) lies in the proposal's evidence and the entry's identity agrees: a meeting's status, a
statement's speaker, a stance's party, point and stance, a paper's count, an event's kind, a person's
name. Matching is one to one. Dates are scored on the matched entries that carry one: exact or not
(a period kept as words must be kept as words). Targets: precision >= 0.9 and recall >= 0.8 for
meetings, statements and stances; dates exact.

    python bench/ingest.py [--corpus DIR] [--json] [--details] [--libraries]

`--libraries` measures the choices behind the rules on the same corpus: sentences by spaCy's blank
pipeline and sentencizer against a plain split after . ! ? (how many sentences each cuts after an
abbreviation such as "Mr." or "Dec.", and the time); names compared by rapidfuzz against the standard
library's difflib (the same decisions at the threshold?, the time); dates by dateparser (the time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from accord.domain import Negotiation  # noqa: E402
from accord.domain.people import fold_name  # noqa: E402
from accord.domain.proposals import Proposal, Proposals  # noqa: E402

_IDENTITY = ("status", "speaker", "party", "point", "stance", "count", "event", "name")
KINDS = ("meeting", "statement", "stance", "paper", "event", "person")
TARGETS = {"meeting": (0.9, 0.8), "statement": (0.9, 0.8), "stance": (0.9, 0.8)}


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def _same_name(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and fold_name(a) == fold_name(b)


def _identity(kind: str, gold: dict[str, Any], found: Proposal, negotiation: Negotiation) -> bool:
    f = found.fields
    if kind == "meeting":
        return bool(f.get("status") == gold.get("status", "held"))
    if kind == "statement":
        return _same_name(f.get("speaker"), gold.get("speaker"))
    if kind == "stance":
        return all(str(f.get(k)) == str(gold.get(k)) for k in ("party", "point", "stance"))
    if kind == "paper":
        return "count" not in gold or f.get("count") == gold.get("count")
    if kind == "event":
        return bool(f.get("event") == gold.get("event"))
    if kind == "person":
        return _same_name(f.get("name"), gold.get("name"))
    return False


@dataclass
class Score:
    found: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    dates: Counter[str] = field(default_factory=Counter)  # "exact", "wrong"
    fields: Counter[str] = field(default_factory=Counter)  # "<kind>.<field> right/total"
    report_dates: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def _date_of(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def score_report(
    proposals: Proposals, gold: dict[str, Any], negotiation: Negotiation, score: Score, name: str
) -> None:
    expected_date = gold.get("report_date")
    if expected_date is not None:
        ok = _date_of(proposals.report.date) == _date_of(expected_date)
        score.report_dates["exact" if ok else "wrong"] += 1
        if not ok:
            score.misses.append(f"{name}: report date {proposals.report.date} (gold {expected_date})")
    entries = gold.get("proposals") or []
    by_kind: dict[str, list[Proposal]] = defaultdict(list)
    for p in proposals.proposals:
        by_kind[p.kind.value].append(p)
        score.found[p.kind.value] += 1
    for kind in KINDS:
        golds = [g for g in entries if g.get("kind") == kind]
        score.gold[kind] += len(golds)
        free = list(by_kind.get(kind, []))
        for g in golds:
            fragment = _norm(str(g.get("quote", "")))
            match = next(
                (
                    p
                    for p in free
                    if any(fragment in _norm(e.quote) for e in p.evidence)
                    and _identity(kind, g, p, negotiation)
                ),
                None,
            )
            if match is None:
                near = [p for p in free if any(fragment in _norm(e.quote) for e in p.evidence)]
                what = (
                    f" (found { ({k: v for k, v in near[0].fields.items() if k in _IDENTITY}) })"
                    if near
                    else ""
                )
                score.misses.append(f"{name}: missed {kind} {g.get('quote')!r}{what}")
                continue
            free.remove(match)
            score.matched[kind] += 1
            if "date" in g or "date_approx" in g:
                want = _date_of(g.get("date"))
                got = _date_of(match.fields.get("date"))
                ok = want == got if want is not None else got is None
                score.dates["exact" if ok else "wrong"] += 1
                if not ok:
                    score.misses.append(f"{name}: {kind} {g.get('quote')!r} dated {got} (gold {want})")
            for key in ("participants", "points", "stance", "recipients", "place", "party"):
                if key in g and kind in ("meeting", "statement", "paper", "person"):
                    want_v, got_v = g[key], match.fields.get(key)
                    if isinstance(want_v, list):
                        ok = sorted(want_v) == sorted(got_v or [])
                    elif key == "place":
                        ok = want_v is None or (
                            got_v is not None
                            and _norm(str(want_v)).casefold() in _norm(str(got_v)).casefold()
                        )
                    else:
                        ok = want_v == got_v
                    score.fields[f"{kind}.{key} total"] += 1
                    score.fields[f"{kind}.{key} right"] += int(ok)
        for p in free:
            score.misses.append(f"{name}: extra {kind} {p.evidence[0].quote[:70]!r} {dict(p.fields)}")


def run(corpus: Path) -> Score:
    from accord.ingest.extract import read_report
    from accord.ingest.reading import read_report as read_text
    from accord.scenario.yaml_format import load

    scenarios: dict[str, Negotiation] = {}
    score = Score()
    for gold_file in sorted(corpus.glob("*.gold.yaml")):
        stem = gold_file.name.removesuffix(".gold.yaml")
        report_file = next(p for p in corpus.iterdir() if p.name.startswith(stem + ".") and p != gold_file)
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        scenario = gold["negotiation"]
        if scenario not in scenarios:
            scenarios[scenario] = load(ROOT / scenario)
        negotiation = scenarios[scenario]
        given = gold.get("given_date")
        started = time.perf_counter()
        report = read_text(report_file)
        proposals = read_report(
            report.text,
            negotiation,
            sha256=report.sha256,
            file=report.name,
            date=dt.date.fromisoformat(str(given)) if given else None,
        )
        score.seconds.append(time.perf_counter() - started)
        score_report(proposals, gold, negotiation, score, report_file.name)
    return score


def table(score: Score) -> dict[str, Any]:
    rows = {}
    for kind in KINDS:
        found, gold, matched = score.found[kind], score.gold[kind], score.matched[kind]
        rows[kind] = {
            "gold": gold,
            "proposed": found,
            "matched": matched,
            "precision": matched / found if found else (1.0 if not gold else 0.0),
            "recall": matched / gold if gold else 1.0,
        }
    dates = score.dates["exact"] + score.dates["wrong"]
    reports = score.report_dates["exact"] + score.report_dates["wrong"]
    return {
        "kinds": rows,
        "dates_exact": score.dates["exact"] / dates if dates else 1.0,
        "dates_scored": dates,
        "report_dates_exact": score.report_dates["exact"] / reports if reports else 1.0,
        "reports": len(score.seconds),
        "fields": {
            key.removesuffix(" total"): score.fields[key.replace(" total", " right")] / score.fields[key]
            for key in score.fields
            if key.endswith(" total")
        },
        "median_seconds": sorted(score.seconds)[len(score.seconds) // 2] if score.seconds else 0.0,
        "first_seconds": score.seconds[0] if score.seconds else 0.0,
    }


_ABBREVIATION_CUT = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Sen|Rep|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|No)\.$"
)


def libraries(corpus: Path) -> list[tuple[str, str, str]]:
    """(what, choice, measured) rows: the libraries the rules rest on, against a plain alternative."""
    import difflib

    from rapidfuzz import fuzz

    from accord.domain.people import fold_name
    from accord.ingest.dates import dates_in
    from accord.ingest.reading import read_report as read_text
    from accord.ingest.sentences import sentences
    from accord.scenario.yaml_format import load

    texts = [
        read_text(p).text
        for p in sorted(corpus.iterdir())
        if p.suffix in {".txt", ".md", ".html"} and not p.name.endswith(".gold.yaml")
    ]
    rows = []
    started = time.perf_counter()
    spacy_sentences = [s.text for t in texts for s in sentences(t)]
    spacy_time = time.perf_counter() - started
    started = time.perf_counter()
    plain = [part for t in texts for part in re.split(r"(?<=[.!?])\s+", t) if part.strip()]
    plain_time = time.perf_counter() - started
    bad_spacy = sum(1 for s in spacy_sentences if _ABBREVIATION_CUT.search(s.strip()))
    bad_plain = sum(1 for s in plain if _ABBREVIATION_CUT.search(s.strip()))
    rows.append(
        (
            "sentences",
            "spaCy blank + sentencizer",
            f"{len(spacy_sentences)} sentences, {bad_spacy} cut after an abbreviation, "
            f"{spacy_time * 1000:.0f} ms "
            f"(pipeline loaded) — a plain split after . ! ?: {len(plain)}, {bad_plain} cut after an "
            f"abbreviation, {plain_time * 1000:.1f} ms",
        )
    )
    names = []
    for scenario in (
        "examples/coalition-agreement.yaml",
        "tests/fixtures/reports/scenarios/river-compact.yaml",
    ):
        negotiation = load(ROOT / scenario)
        names += [fold_name(a) for p in negotiation.people for a in (p.name, *p.aliases)]
    candidates = [fold_name(w) for t in texts for w in re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+", t)]
    pairs = [(c, n) for c in candidates for n in names]
    started = time.perf_counter()
    fast = [fuzz.ratio(c, n) >= 85 for c, n in pairs]
    fast_time = time.perf_counter() - started
    started = time.perf_counter()
    slow = [difflib.SequenceMatcher(None, c, n).ratio() >= 0.85 for c, n in pairs]
    slow_time = time.perf_counter() - started
    same = sum(a == b for a, b in zip(fast, slow, strict=True))
    rows.append(
        (
            "names",
            "rapidfuzz ratio >= 85",
            f"{len(pairs)} comparisons in {fast_time * 1000:.0f} ms; difflib: {slow_time * 1000:.0f} ms, "
            f"the same decision on {same / len(pairs):.1%}",
        )
    )
    base = dt.date(2031, 11, 7)
    started = time.perf_counter()
    found = sum(len(dates_in(s, base)) for s in spacy_sentences)
    rows.append(
        (
            "dates",
            "own patterns + dateparser",
            f"{found} date expressions in {len(spacy_sentences)} sentences, "
            f"{(time.perf_counter() - started) * 1000:.0f} ms",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "fixtures" / "reports")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--details", action="store_true", help="list every miss and extra proposal")
    parser.add_argument("--libraries", action="store_true", help="measure the libraries against plain code")
    args = parser.parse_args()
    score = run(args.corpus)
    result = table(score)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    out = Table(title=f"accord ingest on {result['reports']} labelled reports")
    for column in ("kind", "gold", "proposed", "matched", "precision", "recall", "target"):
        out.add_column(column, justify="right" if column != "kind" else "left")
    for kind, row in result["kinds"].items():
        target = TARGETS.get(kind)
        out.add_row(
            kind,
            str(row["gold"]),
            str(row["proposed"]),
            str(row["matched"]),
            f"{row['precision']:.2f}",
            f"{row['recall']:.2f}",
            f"P>={target[0]} R>={target[1]}" if target else "",
        )
    console = Console()
    console.print(out)
    console.print(
        f"dates exact on matched entries: {result['dates_exact']:.2f} ({result['dates_scored']} dated); "
        f"report dates exact: {result['report_dates_exact']:.2f}"
    )
    console.print(
        "field accuracy on matched entries: "
        + ", ".join(f"{k} {v:.2f}" for k, v in sorted(result["fields"].items()))
    )
    console.print(
        f"time per report: first {result['first_seconds']:.2f} s (loads spaCy), "
        f"median {result['median_seconds']:.3f} s"
    )
    if args.details:
        for line in score.misses:
            console.print(line, markup=False, highlight=False)
    if args.libraries:
        choices = Table(title="the libraries behind the rules, measured on the corpus")
        for column in ("what", "chosen", "measured"):
            choices.add_column(column)
        for row in libraries(args.corpus):
            choices.add_row(*row)
        console.print(choices)


if __name__ == "__main__":
    main()
