"""The proposals file of `accord ingest REPORT` and `accord ingest apply FILE`: what was read from a
report, written as YAML for a person to review, then read back.

    report:
      sha256: 3f1c...            # the SHA-256 of the report's text: applying twice is detected
      file: reuters-2025-12-02.html
      date: 2025-12-02
      ...
    proposals:
    - id: p1
      kind: meeting              # person, meeting, paper, statement, stance, event
      accept: true               # false (or delete the entry): it is not written
      confidence: 0.85
      rule: meeting-sentence
      date: 2025-12-02
      place: Moscow
      participants: [russia, usa]
      evidence:
      - quote: "Putin met Witkoff in the Kremlin on Tuesday"
        start: 120
        end: 164

Every problem of the file is reported (with its line) before anything is applied; only the file's
own shape and types are checked here: whether a party, a point or a person exists is the apply
step's question (accord.services.ingest), asked of the record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from accord.domain import EventKind, StanceKind
from accord.domain.proposals import FIELDS, Proposal, ProposalKind, Proposals, Report
from accord.errors import ScenarioError
from accord.scenario import proposal_fields as check
from accord.scenario.paths import FieldPath
from accord.scenario.yaml_source import Source, parse_text, read_file

WHAT = "a proposals file (report: and proposals:)"

HEADER = """\
# Proposed record entries, read from a report by `accord ingest`. Nothing is written yet.
#
# Review each proposal below against its evidence (the report's own words):
#   - to drop an entry, set `accept: false` (or delete it);
#   - edit any field (dates are YYYY-MM-DD; parties, points and people by key or name);
#   - an entry added by hand needs an id, a kind, a confidence and `evidence: []`.
# Then write it to the record:
#   accord ingest apply FILE
"""

_ID = re.compile(r"[A-Za-z0-9_-]+")
_PROPOSAL_ID = re.compile(r"p\d+")  # the ids accord gives; anything else is a stored record's key
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_REPORT_FIELDS = (
    "sha256",
    "file",
    "date",
    "date_rule",
    "outlet",
    "url",
    "title",
    "negotiation",
    "characters",
    "notes",
)
_COMMON = ("id", "kind", "accept", "confidence", "rule", "notes")
_KIND_NAMES = tuple(k.value for k in ProposalKind)
# fields whose None is a value of its own: a paper's count unknown ("several papers")
_NULLABLE = frozenset({"count"})
# a field proposing a reference to another proposal of the same file: the kind it must name
_REFERENCES = {
    (ProposalKind.PAPER, "meeting"): ProposalKind.MEETING,
    (ProposalKind.STANCE, "statement"): ProposalKind.STATEMENT,
}


# writing ------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A field's value as JSON and YAML write it: dates as YYYY-MM-DD, a start as "YYYY-MM-DD HH:MM"
    (or "HH:MM"), enums as their values, sequences as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | Mapping) and not value)


def _report_json(report: Report) -> dict[str, Any]:
    return {
        "sha256": report.sha256,
        "file": report.file,
        "date": _plain(report.date),
        "date_rule": report.date_rule,
        "outlet": report.outlet,
        "url": report.url,
        "title": report.title,
        "negotiation": report.negotiation,
        "characters": report.characters,
        "notes": list(report.notes),
    }


def _evidence_json(proposal: Proposal) -> list[dict[str, Any]]:
    return [{"quote": e.quote, "start": e.start, "end": e.end} for e in proposal.evidence]


def _fields(proposal: Proposal) -> dict[str, Any]:
    """The kind's fields in their order (FIELDS), plain; None and empty left out but a count of None."""
    known = FIELDS[proposal.kind]
    order = [*known, *sorted(k for k in proposal.fields if k not in known)]
    return {
        name: _plain(proposal.fields[name])
        for name in order
        if name in proposal.fields
        and (not _empty(proposal.fields[name]) or (name in _NULLABLE and proposal.fields[name] is None))
    }


def proposals_json(proposals: Proposals) -> dict[str, Any]:
    """The proposals as JSON values (`accord ingest --json`): the report, and each proposal with its
    fields beside id, kind, confidence, evidence, rule, notes and accept."""
    return {
        "report": _report_json(proposals.report),
        "proposals": [
            {
                "id": p.id,
                "kind": p.kind.value,
                "confidence": p.confidence,
                "evidence": _evidence_json(p),
                "rule": p.rule,
                "notes": list(p.notes),
                "accept": p.accept,
                **_fields(p),
            }
            for p in proposals.proposals
        ],
    }


# line breaks YAML folds or rewrites in every style but double quotes (which escape them)
_ODD_BREAKS = re.compile("[\r\x85\u2028\u2029]")
# list items written on one line: keys and names, nothing YAML would quote
_WORDS = re.compile(r"\w[\w .-]*")


class _Dumper(yaml.SafeDumper):
    """Writes dates as the plain text a person types (2025-12-02, not '2025-12-02'): the file is read
    back by accord's loader, which keeps dates as text."""

    def represent_str(self, data: str) -> yaml.ScalarNode:
        # a quote running over lines reads best as a block (PyYAML falls back to quotes when it must)
        style = '"' if _ODD_BREAKS.search(data) else "|" if "\n" in data else None
        if style is None and "'" in data and '"' not in data:
            style = '"'  # "the report's date", not 'the report''s date' when quotes are needed
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_Dumper.add_representer(str, _Dumper.represent_str)


def _represent_list(dumper: _Dumper, data: list[Any]) -> yaml.SequenceNode:
    # a short list of words on one line: participants: [russia, usa]
    short = (
        all(isinstance(v, str) and _WORDS.fullmatch(v) for v in data) and sum(len(v) + 2 for v in data) < 72
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=bool(data) and short)


_Dumper.add_representer(list, _represent_list)


def dump_proposals(proposals: Proposals) -> str:
    """The proposals file's YAML text: a comment telling the reviewer what to do, the report, and
    each proposal (id, kind, accept, confidence, rule, notes, its fields, its evidence)."""
    report = _report_json(proposals.report)
    if not report["notes"]:
        del report["notes"]
    entries = []
    for p in proposals.proposals:
        entry: dict[str, Any] = {
            "id": p.id,
            "kind": p.kind.value,
            "accept": p.accept,
            "confidence": round(p.confidence, 2),
            "rule": p.rule,
        }
        if p.notes:
            entry["notes"] = list(p.notes)
        entry.update(_fields(p))
        entry["evidence"] = _evidence_json(p)
        entries.append(entry)
    body = yaml.dump(
        {"report": report, "proposals": entries},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    # a blank line between proposals (a proposal's item starts at column 0, nothing else does)
    body = body.replace("\n- id: ", "\n\n- id: ").replace("\nproposals:\n\n", "\n\nproposals:\n", 1)
    return HEADER + "\n" + body


# reading ------------------------------------------------------------------------------------------


def load_proposals(path: str | Path) -> Proposals:
    """The proposals file at ``path``; ScenarioError listing every problem (with its line)."""
    return _proposals(read_file(path, WHAT))


def parse_proposals(text: str, file: str) -> Proposals:
    """The proposals file's text (``file`` names it in problems); ScenarioError listing every problem."""
    return _proposals(parse_text(text.removeprefix("\ufeff"), file, WHAT))


def _proposals(source: Source) -> Proposals:
    if source.fatal:
        raise ScenarioError(source.problems)
    document = source.document
    if not isinstance(document, dict):
        raise ScenarioError([source.problem((), f"expected {WHAT}: a mapping with report: and proposals:")])
    for key in sorted(set(document) - {"report", "proposals"}):
        source.problems.append(source.problem((key,), "unknown field; expected report and proposals"))
    report = _report(source, document.get("report"))
    items = document.get("proposals")
    found: list[Proposal] = []
    if items is None:
        source.problems.append(source.problem(("proposals",), "missing; expected a list of proposals"))
    elif not isinstance(items, list):
        source.problems.append(
            source.problem(("proposals",), "expected a list of proposals (`- id: ...` each)")
        )
    else:
        found = _listed(source, items)
    if source.problems or report is None:
        raise ScenarioError(source.problems)
    return Proposals(report, tuple(found))


def _listed(source: Source, items: list[Any]) -> list[Proposal]:
    """Each proposal of the list checked; their ids once each, their references to each other."""
    found = []
    first: dict[str, int] = {}  # id -> index of the proposal giving it first
    kinds: dict[str, Any] = {}  # id -> kind, as written
    for index, item in enumerate(items):
        proposal = _proposal(source, ("proposals", index), item)
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str | int) and not isinstance(ident, bool):
            ident = str(ident)
            if ident in first:
                line = source.line_of(("proposals", first[ident], "id"))
                source.problems.append(
                    source.problem(
                        ("proposals", index, "id"),
                        f"duplicate id {ident!r} (first given on line {line}); "
                        "expected each proposal's id once",
                    )
                )
                continue
            first[ident] = index
            kind = item.get("kind")
            kinds[ident] = kind.strip().lower() if isinstance(kind, str) else kind
        if proposal is not None:
            found.append(proposal)
    for proposal in found:
        _check_references(source, proposal, ("proposals", first[proposal.id]), kinds)
    return found


def _check_references(source: Source, proposal: Proposal, path: FieldPath, kinds: Mapping[str, Any]) -> None:
    """A paper's meeting, a stance's statement: when it names a proposal (p + digits), a proposal of
    that kind in this file; any other value is a stored record's key, for the apply step."""
    for (kind, name), expected in _REFERENCES.items():
        value = proposal.get(name)
        if proposal.kind is not kind or not isinstance(value, str) or not _PROPOSAL_ID.fullmatch(value):
            continue
        named = kinds.get(value)
        if named == expected.value or (value in kinds and named not in _KIND_NAMES):
            continue  # the right kind, or none (that proposal's kind is reported already)
        found = f"proposal {value} is a {named}" if value in kinds else f"no proposal {value}"
        source.problems.append(
            source.problem(
                (*path, name),
                f"{found} in this file; expected the id of a {expected.value} proposal "
                f"(or a stored {expected.value}'s key)",
            )
        )


def _report(source: Source, value: Any) -> Report | None:
    path: FieldPath = ("report",)
    if value is None:
        source.problems.append(
            source.problem(path, "missing; expected the report: its sha256, file, date...")
        )
        return None
    if not isinstance(value, dict):
        source.problems.append(source.problem(path, "expected a mapping: sha256, file, date..."))
        return None
    check.unknown(source, path, value, _REPORT_FIELDS)
    before = len(source.problems)
    sha = value.get("sha256")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        got = "missing" if sha is None else f"got {sha!r}"
        source.problems.append(
            source.problem(
                (*path, "sha256"), f"{got}; expected the SHA-256 of the report's text (64 hex digits)"
            )
        )
    texts = {
        name: check.text(source, (*path, name), value.get(name)) if value.get(name) is not None else None
        for name in ("file", "date_rule", "outlet", "url", "title", "negotiation")
    }
    date = check.date(source, (*path, "date"), value["date"]) if value.get("date") is not None else None
    characters = value.get("characters", 0)
    if not check.whole(characters, 0):
        source.problems.append(
            source.problem((*path, "characters"), f"got {characters!r}; expected a whole number of 0 or more")
        )
    notes = check.texts(source, (*path, "notes"), value["notes"]) if value.get("notes") is not None else ()
    if len(source.problems) > before:
        return None
    assert isinstance(sha, str)
    return Report(
        sha256=sha.lower(),
        file=texts["file"],
        date=date,
        date_rule=texts["date_rule"],
        outlet=texts["outlet"],
        url=texts["url"],
        title=texts["title"],
        negotiation=texts["negotiation"],
        characters=characters,
        notes=tuple(notes or ()),
    )


def _proposal(source: Source, path: FieldPath, item: Any) -> Proposal | None:
    if not isinstance(item, dict):
        source.problems.append(
            source.problem(path, "expected a mapping: id, kind, confidence, evidence and fields")
        )
        return None
    before = len(source.problems)
    ident = item.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str) or not _ID.fullmatch(ident):
        got = "missing" if ident is None else f"got {ident!r}"
        source.problems.append(
            source.problem((*path, "id"), f"{got}; expected an id of letters, digits, - and _ (p1, p2...)")
        )
    raw_kind = item.get("kind")
    named = raw_kind.strip().lower() if isinstance(raw_kind, str) else None
    if named not in _KIND_NAMES:
        check.fail(source, (*path, "kind"), raw_kind, f"one of: {', '.join(_KIND_NAMES)}")
        return None
    kind = ProposalKind(named)
    check.unknown(source, path, item, (*_COMMON, *FIELDS[kind], "evidence"))
    accept = item.get("accept", True)
    if not isinstance(accept, bool):
        source.problems.append(
            source.problem((*path, "accept"), f"got {accept!r}; expected true (write it) or false (drop it)")
        )
    confidence = item.get("confidence")
    if not isinstance(confidence, int | float) or isinstance(confidence, bool) or not 0 <= confidence <= 1:
        got = "missing" if confidence is None else f"got {confidence!r}"
        source.problems.append(source.problem((*path, "confidence"), f"{got}; expected a number from 0 to 1"))
    rule = item.get("rule")
    rule = (check.text(source, (*path, "rule"), rule) or "") if rule is not None else ""
    notes = check.texts(source, (*path, "notes"), item["notes"]) if item.get("notes") is not None else ()
    evidence = check.evidence(source, (*path, "evidence"), item.get("evidence"))
    fields: dict[str, Any] = {}
    invalid: set[str] = set()
    for name in FIELDS[kind]:
        value = item.get(name)
        if value is None:
            if name in _NULLABLE and name in item:
                fields[name] = None
            continue
        if isinstance(value, str) and not value.strip():
            continue  # blanked by the reviewer: not proposed
        count = len(source.problems)
        checked = check.CHECKS[name](source, (*path, name), value, kind)
        if len(source.problems) > count:
            invalid.add(name)
        else:
            fields[name] = checked
    _required(source, path, kind, fields, invalid)
    if len(source.problems) > before:
        return None
    assert isinstance(ident, str) and isinstance(confidence, int | float) and evidence is not None
    return Proposal(
        id=ident,
        kind=kind,
        confidence=float(confidence),
        evidence=evidence,
        fields=fields,
        rule=rule,
        notes=tuple(notes or ()),
        accept=bool(accept),
    )


def _required(
    source: Source, path: FieldPath, kind: ProposalKind, fields: Mapping[str, Any], invalid: set[str]
) -> None:
    """The fields a kind cannot do without (one given but wrong has been reported already)."""

    def need(name: str, what: str) -> None:
        if name not in fields and name not in invalid:
            source.problems.append(source.problem((*path, name), f"missing; a {kind.value} needs {what}"))

    if kind is ProposalKind.PERSON:
        need("name", "a name")
    elif kind is ProposalKind.STATEMENT:
        need("speaker", "a speaker (a person's key, name or alias)")
        need("date", "its date (YYYY-MM-DD)")
        need("quote", "the words said")
    elif kind is ProposalKind.STANCE:
        need("party", "the party taking it")
        need("point", "the point (by number or id)")
        need("stance", f"the stance: one of {', '.join(s.value for s in StanceKind)}")
    elif kind is ProposalKind.EVENT:
        need("event", f"what happened: one of {', '.join(e.value for e in EventKind)}")
        need("summary", "a summary")
    if kind in (ProposalKind.MEETING, ProposalKind.EVENT):
        # a meeting's start with its day dates it too
        dates = ("date", "date_approx", "start")
        dated = any(n in fields for n in dates[:2]) or isinstance(fields.get("start"), dt.datetime)
        if not dated and not invalid & set(dates):
            source.problems.append(
                source.problem(
                    (*path, "date"),
                    f"missing; a {kind.value} needs a date (YYYY-MM-DD) "
                    "or date_approx ('in the coming days')",
                )
            )
