"""The briefing's sections, in plain words first and numbers second.

``mediator`` writes the mediator's briefing from the whole record and the engine's analyses;
``party`` writes one party's from what that party may see (the negotiation already cut to its view
by the policy module, and the analyses the mediator shared with it): nothing here decides who sees
what, and nothing of another party's preferences can reach a party's briefing, since its input holds
none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from accord.analysis.timeline import Entry
from accord.domain import Draft, Negotiation, Preferences, Stance, StanceKind
from accord.domain.diff import Change, diff_drafts
from accord.domain.drafts import chronological
from accord.engine.conflicts import broken_requirements, describe
from accord.engine.diagnose import Diagnosis, DraftCheck
from accord.engine.improve import Improvement
from accord.engine.problem import IntArray, Problem
from accord.reports import brief_charts
from accord.reports.briefing import STANCE_WORDS, Block, Bullets, Figure, Paragraph, Section, Table, tone_of

CONCEPT_WORDS = {
    "nash": ("Nash bargaining solution", "the package that maximises the product of the parties' gains"),
    "kalai-smorodinsky": (
        "Kalai–Smorodinsky solution",
        "each party gets the same share of the most it could hope for",
    ),
    "egalitarian": ("egalitarian solution", "the worst-off party's gain is as large as it can be"),
    "utilitarian": ("utilitarian solution", "the parties' utilities add up to the most"),
}
LISTED = 8  # entries of the chronology listed at most


@dataclass(frozen=True)
class Band:
    """A party's utility of a package under the uncertainty of the estimates (5%-95%)."""

    low: float
    high: float


@dataclass(frozen=True)
class Candidate:
    """A package the briefing discusses: the latest draft, a concept's package, an improvement."""

    name: str
    columns: tuple[int, ...]
    acceptance: float | None = None  # P(every party accepts), from the robustness sampling
    acceptance_error: float | None = None
    bands: Mapping[str, Band] = field(default_factory=dict)


@dataclass(frozen=True)
class Analyses:
    """What the mediator's briefing draws on, worked out by the service (accord.services.briefing)."""

    problem: Problem | None  # None: the preferences do not allow an analysis (``why``)
    why: str | None
    draft: Draft | None  # the latest draft
    columns: IntArray | None  # its package on the problem (None: it leaves points open)
    diagnosis: Diagnosis | None
    check: DraftCheck | None
    candidates: tuple[Candidate, ...]  # the draft first (when it has a package), then the concepts
    improvements: tuple[Improvement, ...]
    improvement_doubts: Mapping[int, str]  # improvement rank -> why its gain may not be real
    samples: int  # robustness samples (0: no uncertainty declared)
    contradictions: tuple[str, ...]  # in words, most surprising first
    entries: tuple[Entry, ...]  # the chronology (the timeline's entries), in date order


# -- shared pieces ------------------------------------------------------------------------------------


def _draft_name(draft: Draft) -> str:
    """ "draft D" for a short label, "draft 2 (Formateur's amended paper)" for a long one."""
    if draft.label and len(draft.label) <= 12:
        return f"draft {draft.label}"
    return f"draft {draft.version}" + (f" ({draft.label})" if draft.label else "")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listing(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _party_name(negotiation: Negotiation, party: str) -> str:
    return next((p.name for p in negotiation.parties if p.id == party), party)


def _previous(negotiation: Negotiation, draft: Draft) -> Draft | None:
    ordered = chronological(negotiation.drafts)
    at = next(i for i, d in enumerate(ordered) if d.version == draft.version)
    return ordered[at - 1] if at > 0 else None


def _latest(negotiation: Negotiation) -> Draft | None:
    ordered = chronological(negotiation.drafts)
    return ordered[-1] if ordered else None


def _said(negotiation: Negotiation, draft: Draft, point: str) -> str:
    choice = draft.choices.get(point)
    if choice is None:
        return "(not in this draft)"
    if choice.option is not None:
        return negotiation.point(point).option(choice.option).text
    return choice.text or "(left open)"


def _stances(negotiation: Negotiation, version: int) -> dict[tuple[str, str], StanceKind]:
    return {(s.party, s.point): s.stance for s in negotiation.stances_on(version)}


def _in_window(entries: Sequence[Entry], since: dt.date | None, as_of: dt.date) -> list[Entry]:
    return [e for e in entries if e.day is not None and e.day <= as_of and (since is None or e.day >= since)]


def _happened(entries: Sequence[Entry], since: dt.date | None, as_of: dt.date) -> list[Block]:
    """What happened since ``since`` (or lately), from the chronology."""
    window = _in_window(entries, since, as_of)
    if not window:
        if since is not None:
            return [
                Paragraph(
                    f"The record holds nothing dated between {since.isoformat()} and {as_of.isoformat()}."
                )
            ]
        return []
    kinds: dict[str, int] = {}
    for e in window:
        kinds[e.kind.value] = kinds.get(e.kind.value, 0) + 1
    counted = _listing([f"{n} {k}{'' if n == 1 else 's'}" for k, n in sorted(kinds.items())])
    shown = window[-LISTED:]
    latest = f" The {len(shown)} most recent:" if len(shown) < len(window) else ""
    lead = (
        f"Since {since.isoformat()} the record holds {counted}.{latest}"
        if since is not None
        else f"The record holds {counted}.{latest or ' In date order:'}"
    )
    more = ""
    return [Paragraph(lead + more), Bullets(tuple(f"{e.when}: {e.summary}" for e in shown))]


def _statements(negotiation: Negotiation, since: dt.date | None, limit: int = 6) -> list[Block]:
    chosen = sorted(
        (s for s in negotiation.statements if since is None or s.date >= since), key=lambda s: s.date
    )[-limit:]
    if not chosen:
        return []
    people = {p.id: p for p in negotiation.people}
    sources = {s.id: s for s in negotiation.sources}
    items = []
    for s in chosen:
        person = people.get(s.person)
        who = person.name if person else s.person
        if person and person.party:
            who += f" ({_party_name(negotiation, person.party)})"
        cited = [sources[k] for k in s.sources if k in sources]
        where = "; ".join(" — ".join(x for x in (c.outlet, c.title, c.url) if x) or c.id for c in cited)
        items.append(
            f"{s.date.isoformat()}, {who}: “{s.summary or s.quote}”"
            + (f" (source: {where})" if where else " (no source recorded)")
        )
    return [Paragraph("What was said, with its sources:"), Bullets(tuple(items))]


def _stance_table(negotiation: Negotiation, draft: Draft, parties: Sequence[str]) -> Table:
    stances = _stances(negotiation, draft.version)
    rows, tones = [], []
    for point in sorted(negotiation.points, key=lambda p: p.number):
        if point.id not in draft.choices:
            continue
        cells = [stances.get((party, point.id)) for party in parties]
        rows.append(
            (
                str(point.number),
                point.title,
                _said(negotiation, draft, point.id),
                *(STANCE_WORDS[c] for c in cells),
            )
        )
        tones.append(("", "", "", *(tone_of(c) for c in cells)))
    return Table(
        f"Each party's answer, point by point, on {_draft_name(draft)} "
        "(✓ accepts, ◐ accepts on conditions, ✗ rejects, … still studying, – takes no position)",
        ("#", "Point", "The draft says", *(_party_name(negotiation, p) for p in parties)),
        tuple(rows),
        tuple(tones),
    )


def _tally(negotiation: Negotiation, draft: Draft, parties: Sequence[str]) -> dict[str, int]:
    stances = _stances(negotiation, draft.version)
    points = [p for p in draft.choices]
    agreed = sum(all(stances.get((q, p)) is StanceKind.ACCEPT for q in parties) for p in points)
    contested = sum(
        any(stances.get((q, p)) in (StanceKind.REJECT, StanceKind.CONDITIONAL) for q in parties)
        for p in points
    )
    waiting = sum(any((q, p) not in stances for q in parties) for p in points)
    return {"points": len(points), "agreed": agreed, "contested": contested, "waiting": waiting}


def _changes(negotiation: Negotiation, draft: Draft, parties: Sequence[str]) -> list[Block]:
    before = _previous(negotiation, draft)
    if before is None:
        return [Paragraph(f"{_cap(_draft_name(draft))} is the first text on record.")]
    changed = [d for d in diff_drafts(negotiation, before, draft) if d.change is not Change.UNCHANGED]
    blocks: list[Block] = []
    if changed:
        blocks.append(Paragraph(f"What {_draft_name(draft)} changed from {_draft_name(before)}:"))
        blocks.append(
            Bullets(
                tuple(
                    f"point {d.number} ({d.title}): "
                    + (
                        f"added: “{d.after}”"
                        if d.change is Change.ADDED
                        else f"dropped (was “{d.before}”)"
                        if d.change is Change.DROPPED
                        else f"“{d.before}” became “{d.after}”"
                    )
                    for d in changed
                )
            )
        )
    else:
        blocks.append(
            Paragraph(f"{_cap(_draft_name(draft))} says on every point what {_draft_name(before)} said.")
        )
    old, new = _stances(negotiation, before.version), _stances(negotiation, draft.version)
    moved = []
    for party in parties:
        for point in sorted(negotiation.points, key=lambda p: p.number):
            a, b = old.get((party, point.id)), new.get((party, point.id))
            if a is not None and b is not None and a is not b:
                moved.append(
                    f"{_party_name(negotiation, party)} on point {point.number} ({point.title}): "
                    f"{STANCE_WORDS[a].split(' ', 1)[1]} → {STANCE_WORDS[b].split(' ', 1)[1]}"
                )
    if moved:
        blocks += [Paragraph("Answers that changed from the previous draft:"), Bullets(tuple(moved))]
    return blocks


def _percent(value: float) -> str:
    return "less than 1%" if 0 < value < 0.005 else f"{value:.0%}"


# -- the mediator's briefing --------------------------------------------------------------------------


def mediator(
    negotiation: Negotiation, analyses: Analyses, *, as_of: dt.date, since: dt.date | None
) -> tuple[Section, ...]:
    parties = tuple(p.id for p in negotiation.negotiating_parties)
    return (
        Section(
            "situation", "The situation", tuple(_situation(negotiation, analyses, parties, as_of, since))
        ),
        Section(
            "stances", "Where each party stands", tuple(_where(negotiation, analyses.draft, parties, since))
        ),
        Section("blocks", "What blocks a deal", tuple(_blocks(negotiation, analyses))),
        Section("options", "Options", tuple(_options(negotiation, analyses))),
        Section("risks", "Risks", tuple(_risks(negotiation, analyses))),
        Section("next", "Next steps", tuple(_next_steps(negotiation, analyses))),
    )


def _situation(
    negotiation: Negotiation, a: Analyses, parties: Sequence[str], as_of: dt.date, since: dt.date | None
) -> list[Block]:
    draft = a.draft
    if draft is None:
        return [
            Paragraph("No draft is on record yet: there is no text to brief on."),
            *_happened(a.entries, since, as_of),
        ]
    t = _tally(negotiation, draft, parties)
    dated = f", dated {draft.date.isoformat()}" if draft.date else " (undated)"
    sentences = [
        f"The latest text is {_draft_name(draft)}{dated}, {draft.status.value}"
        + (
            f" to {_listing([_party_name(negotiation, p) for p in draft.circulated_to])}"
            if draft.circulated_to
            else ""
        )
        + "."
    ]
    sentences.append(
        f"Of its {t['points']} points, {t['agreed']} are accepted by every party, {t['contested']} are "
        f"rejected or accepted only on conditions by at least one party, and {t['waiting']} still await "
        "an answer from at least one party."
    )
    if a.problem is None:
        sentences.append(f"The compromise analysis cannot be run: {a.why}.")
    elif a.diagnosis is not None:
        if a.diagnosis.deal_possible:
            sentences.append("A package that meets every party's red lines and reservation value exists.")
        else:
            sentences.append("No package meets every party's demands at once: see What blocks a deal.")
    if a.check is not None:
        n = len(a.check.broken)
        sentences.append(
            f"The draft itself breaks {n} demand{'' if n == 1 else 's'}."
            if n
            else "The draft itself meets every red line and reservation value the estimates hold."
        )
    return [Paragraph(" ".join(sentences)), *_happened(a.entries, since, as_of)]


def _where(
    negotiation: Negotiation, draft: Draft | None, parties: Sequence[str], since: dt.date | None
) -> list[Block]:
    blocks: list[Block] = []
    if draft is not None:
        blocks.append(_stance_table(negotiation, draft, parties))
        blocks += _changes(negotiation, draft, parties)
        blocks.append(_answers_chart(negotiation, parties))
    blocks += _statements(negotiation, since)
    if not blocks:
        blocks.append(Paragraph("Nothing is on record yet."))
    return blocks


def _answers_chart(negotiation: Negotiation, parties: Sequence[str]) -> Figure:
    ordered = chronological(negotiation.drafts)
    kinds = (
        ("accept", "accepted by every party", "#009E73"),
        ("contested", "rejected or conditional (someone)", "#D55E00"),
        ("waiting", "awaiting an answer (someone)", "#999999"),
    )
    counts = []
    for d in ordered:
        t = _tally(negotiation, d, parties)
        counts.append({"accept": t["agreed"], "contested": t["contested"], "waiting": t["waiting"]})
    labels = [_draft_name(d) + (f"\n{d.date.isoformat()}" if d.date else "\n(undated)") for d in ordered]
    return brief_charts.stances_by_round(
        labels, counts, kinds, "The answers, draft by draft in date order: one kind of answer per panel."
    )


def _blocks(negotiation: Negotiation, a: Analyses) -> list[Block]:
    if a.problem is None:
        return [Paragraph(f"No analysis: {a.why}.")]
    problem = a.problem
    blocks: list[Block] = []
    d = a.diagnosis
    if d is not None and not d.deal_possible:
        blocks.append(
            Paragraph(
                "No package meets every demand at once. Each group below cannot be met together; "
                "giving up any one demand of a group removes that clash."
            )
        )
        blocks.append(Bullets(tuple("; ".join(c.descriptions) for c in d.conflicts)))
        ways = [
            f"give up {describe(problem, r)}"
            + (" — a deal then exists" if w is not None else " — not enough alone")
            for r, w in d.alone
        ]
        if ways:
            blocks += [Paragraph("The cheapest ways out, one demand at a time:"), Bullets(tuple(ways))]
    if a.check is not None and a.draft is not None:
        c = a.check
        if c.broken:
            blocks.append(
                Paragraph(
                    f"{_cap(_draft_name(a.draft))} breaks {len(c.broken)} "
                    f"demand{'' if len(c.broken) == 1 else 's'}:"
                )
            )
            blocks.append(Bullets(c.descriptions))
            if c.nearest is not None and c.changes:
                blocks.append(
                    Paragraph(
                        f"The nearest package that breaks none changes {len(c.changes)} "
                        f"point{'' if len(c.changes) == 1 else 's'}:"
                    )
                )
                blocks.append(Bullets(tuple(_change_words(problem, p, b, n) for p, b, n in c.changes)))
        elif d is not None and d.deal_possible:
            blocks.append(
                Paragraph(f"{_cap(_draft_name(a.draft))} breaks no red line, link or reservation value.")
            )
    if a.draft is not None:
        parties = tuple(p.id for p in negotiation.negotiating_parties)
        stances = _stances(negotiation, a.draft.version)
        refused = [
            f"point {point.number} ({point.title}): rejected by "
            + _listing(
                [
                    _party_name(negotiation, q)
                    for q in parties
                    if stances.get((q, point.id)) is StanceKind.REJECT
                ]
            )
            for point in sorted(negotiation.points, key=lambda p: p.number)
            if any(stances.get((q, point.id)) is StanceKind.REJECT for q in parties)
        ]
        if refused:
            blocks += [Paragraph("Points rejected on the record:"), Bullets(tuple(refused))]
    if not blocks:
        blocks.append(Paragraph("Nothing on record blocks a deal."))
    return blocks


def _change_words(problem: Problem, point: int, before: int, after: int) -> str:
    offset = int(problem.offsets[point])
    return (
        f"point {problem.point_numbers[point]} ({problem.point_titles[point]}): "
        f"“{problem.option_texts[point][before - offset]}” → “{problem.option_texts[point][after - offset]}”"
    )


def _differences(problem: Problem, columns: Sequence[int], draft: IntArray | None) -> list[str]:
    if draft is None:
        return [
            f"point {problem.point_numbers[p]} ({problem.point_titles[p]}): "
            f"“{problem.option_texts[p][int(columns[p]) - int(problem.offsets[p])]}”"
            for p in range(problem.n_points)
        ]
    return [
        _change_words(problem, p, int(draft[p]), int(columns[p]))
        for p in range(problem.n_points)
        if int(columns[p]) != int(draft[p])
    ]


def _utility_cell(value: float, band: Band | None) -> str:
    return f"{value:.2f}" if band is None else f"{value:.2f} ({band.low:.2f}–{band.high:.2f})"


def _label(c: Candidate) -> str:
    return "the latest draft" if c.name == "draft" else CONCEPT_WORDS.get(c.name, (c.name,))[0]


def _options(negotiation: Negotiation, a: Analyses) -> list[Block]:
    if a.problem is None:
        return [Paragraph(f"No options can be computed: {a.why}.")]
    problem = a.problem
    if not any(c.name != "draft" for c in a.candidates):
        return [
            Paragraph("No package meets every demand, so the engine proposes none; see What blocks a deal.")
        ]
    blocks: list[Block] = [
        Paragraph(
            "The best packages by four standards of fairness. Each party's utility runs from 0 (its worst "
            "package) to 1 (its best)"
            + (
                f"; the band in brackets is where 90% of it falls under the uncertainty of the estimates "
                f"({a.samples} samples of the preferences), and the chance that every party accepts is the "
                "share of those samples in which the package breaks no party's red lines and gives each at "
                "least its reservation value."
                if a.samples
                else ". No uncertainty of the estimates is declared, so there are no bands and no chances of "
                "acceptance: read the utilities as the estimates' own."
            )
        )
    ]
    items = []
    for c in a.candidates:
        if c.name == "draft":
            continue
        title, meaning = CONCEPT_WORDS.get(c.name, (c.name, ""))
        chance = ""
        if c.acceptance is not None:
            chance = f"; every party accepts it in {_percent(c.acceptance)} of the samples"
        same = a.columns is not None and not _differences(problem, c.columns, a.columns)
        items.append(
            f"The {title}: {meaning}{chance}" + (" — it is the latest draft itself." if same else ".")
        )
    blocks.append(Bullets(tuple(items)))
    blocks.append(_package_table(problem, a))
    header = ("Package", *problem.party_names, "Every party accepts")
    rows = []
    for c in a.candidates:
        utilities = problem.utilities(np.asarray(c.columns, dtype=np.int64))
        rows.append(
            (
                _label(c),
                *(
                    _utility_cell(float(u), c.bands.get(p))
                    for p, u in zip(problem.parties, utilities, strict=True)
                ),
                _percent(c.acceptance) if c.acceptance is not None else "—",
            )
        )
    blocks.append(
        Table(
            "Each package's utility for each party, and how likely every party accepts it",
            header,
            tuple(rows),
        )
    )
    blocks.append(_utility_figure(problem, a.candidates))
    if a.improvements and a.columns is not None:
        listed = []
        for imp in a.improvements:
            gains = _listing([f"{n} {g:+.3f}" for n, g in zip(problem.party_names, imp.gains, strict=True)])
            changes = _listing(
                [
                    f"point {problem.point_numbers[problem.points.index(ch.point)]} to "
                    f"“{_option_text(problem, ch.point, ch.after)}”"
                    for ch in imp.changes
                ]
            )
            doubt = a.improvement_doubts.get(imp.rank)
            listed.append(f"change {changes}: {gains}" + (f" — {doubt}" if doubt else ""))
        blocks += [
            Paragraph("Changes of the latest draft that leave no party worse off and some better off:"),
            Bullets(tuple(listed)),
        ]
    return blocks


def _package_table(problem: Problem, a: Analyses) -> Table:
    """The points on which some package differs from the latest draft: what each package says there."""
    shown = [c for c in a.candidates if c.name != "draft"]
    base = a.columns
    rows = []
    for p in range(problem.n_points):
        offset = int(problem.offsets[p])
        if base is not None and all(int(c.columns[p]) == int(base[p]) for c in shown):
            continue
        cells = [
            "as the draft"
            if base is not None and int(c.columns[p]) == int(base[p])
            else problem.option_texts[p][int(c.columns[p]) - offset]
            for c in shown
        ]
        point = f"{problem.point_numbers[p]}. {problem.point_titles[p]}"
        if base is None:
            rows.append((point, *cells))
        else:
            rows.append((point, problem.option_texts[p][int(base[p]) - offset], *cells))
    if base is None:
        return Table("What each package says", ("Point", *(_label(c) for c in shown)), tuple(rows))
    return Table(
        "What each package says where it differs from the latest draft (points on which every package "
        "keeps the draft's text are left out)",
        ("Point", "The latest draft", *(_label(c) for c in shown)),
        tuple(rows),
    )


def _option_text(problem: Problem, point: str, option: str) -> str:
    p = problem.points.index(point)
    return problem.option_texts[p][problem.options[p].index(option)]


def _utility_figure(problem: Problem, candidates: Sequence[Candidate]) -> Figure:
    labels = [
        "the latest draft" if c.name == "draft" else CONCEPT_WORDS.get(c.name, (c.name,))[0]
        for c in candidates
    ]
    values = [problem.utilities(np.asarray(c.columns, dtype=np.int64)) for c in candidates]
    bars = [
        [
            brief_charts.Bar(
                label,
                float(values[k][i]),
                c.bands[party].low if party in c.bands else None,
                c.bands[party].high if party in c.bands else None,
                draft=c.name == "draft",
            )
            for k, (label, c) in enumerate(zip(labels, candidates, strict=True))
        ]
        for i, party in enumerate(problem.parties)
    ]
    reservations = [float(r) for r in problem.reservation]
    return brief_charts.utilities_by_party(
        problem.party_names,
        bars,
        reservations,
        "Each package's utility, one panel per party: the bar is the estimate, the whiskers the 90% band "
        "under the uncertainty of the estimates, the dashed line the party's reservation value (below it, "
        "it would rather have no deal). The latest draft is grey.",
    )


def _risks(negotiation: Negotiation, a: Analyses) -> list[Block]:
    blocks: list[Block] = []
    if a.contradictions:
        blocks.append(
            Paragraph(
                f"The estimates contradict {len(a.contradictions)} recorded answer"
                f"{'' if len(a.contradictions) == 1 else 's'}; the most surprising:"
            )
        )
        blocks.append(Bullets(tuple(a.contradictions[:6])))
    leaks = {e.id for e in negotiation.events if e.kind.value == "leak"}
    told = [e for e in a.entries if e.kind.value == "event" and e.ref in leaks]
    if told:  # the chronology's words: what leaked, where it surfaced, whose copy a trace named
        blocks += [Paragraph("Leaks on record:"), Bullets(tuple(f"{e.when}: {e.summary}" for e in told))]
    elif leaks:
        blocks.append(Paragraph(f"{len(leaks)} leak{'' if len(leaks) == 1 else 's'} on record."))
    thin = _thin_evidence(negotiation)
    if thin:
        blocks += [Paragraph("Estimates resting on little evidence:"), Bullets(tuple(thin))]
    if not blocks:
        blocks.append(Paragraph("No contradiction, leak or thinly evidenced estimate is on record."))
    return blocks


def _thin_evidence(negotiation: Negotiation, at_least: int = 5) -> list[str]:
    items = []
    for party in negotiation.negotiating_parties:
        if party.id not in negotiation.preferences:
            continue
        answers = sum(1 for s in negotiation.stances if s.party == party.id and s.stance in _JUDGED)
        said = sum(
            1
            for s in negotiation.statements
            if s.stance is not None
            and any(p.id == s.person and p.party == party.id for p in negotiation.people)
        )
        if answers + said < at_least:
            items.append(
                f"{party.name}: {answers} recorded answer{'' if answers == 1 else 's'} and {said} statement"
                f"{'' if said == 1 else 's'} with a stance — its preferences are mostly the declared estimate"
            )
    return items


_JUDGED = (StanceKind.ACCEPT, StanceKind.CONDITIONAL, StanceKind.REJECT)


def _next_steps(negotiation: Negotiation, a: Analyses) -> list[Block]:
    if a.problem is None or a.columns is None:
        return [
            Paragraph(
                "No amendment can be weighed: " + (a.why or "the latest draft leaves points open") + "."
            )
        ]
    problem, columns = a.problem, a.columns
    if _all_accept(problem, columns):
        return [
            Paragraph(
                "Every party can accept the latest draft as it stands, by the estimates: the next step is "
                "to confirm it point by point."
            )
        ]
    lead = (
        "The smallest amendments that would win the most acceptances (a party accepts a package that "
        "breaks none of its red lines or links and gives it at least its reservation value):"
    )
    found = smallest_amendments(problem, columns)
    items = []
    for amendment in found[:5]:
        changes = "; ".join(_change_words(problem, p, int(columns[p]), c) for p, c in amendment.changes)
        won = _listing([problem.party_names[i] for i in amendment.won])
        lost = _listing([problem.party_names[i] for i in amendment.lost])
        items.append(f"{changes} — wins {won}" + (f", but loses {lost}" if lost else ""))
    if not items and a.check is not None and a.check.nearest is not None and a.check.changes:
        won_all = _listing(
            [
                problem.party_names[i]
                for i in sorted(set(range(problem.n_parties)) - _accepting(problem, columns))
            ]
        )
        lead = (
            f"No change of one or two points wins another party. The smallest amendment that wins "
            f"{won_all} changes {len(a.check.changes)} points together (the nearest package that breaks "
            "no party's demands):"
        )
        items = [_change_words(problem, p, b, n) for p, b, n in a.check.changes]
    if not items:
        return [
            Paragraph(
                "No amendment of the draft wins another party: no package meets every party's demands "
                "(see What blocks a deal)."
            )
        ]
    return [Paragraph(lead), Bullets(tuple(items))]


@dataclass(frozen=True)
class Amendment:
    changes: tuple[tuple[int, int], ...]  # (point, new column)
    won: tuple[int, ...]  # parties that accept the package after it and not before
    lost: tuple[int, ...]


def _accepting(problem: Problem, columns: IntArray) -> set[int]:
    refusing = {h for r in broken_requirements(problem, columns) for h in r.holders}
    return set(range(problem.n_parties)) - refusing


def _all_accept(problem: Problem, columns: IntArray) -> bool:
    return len(_accepting(problem, columns)) == problem.n_parties


def smallest_amendments(problem: Problem, draft: IntArray, most: int = 2) -> list[Amendment]:
    """Changes of one point (or, when none helps, two) ranked by the acceptances they win net of those
    they lose, then by the total utility they add. Only amendments that win something are listed."""
    before = _accepting(problem, draft)
    base_total = float(problem.utilities(draft).sum())
    singles = [(p, c) for p in range(problem.n_points) for c in problem.columns_of(p) if c != int(draft[p])]
    found: list[tuple[int, float, Amendment]] = []
    for size in range(1, most + 1):
        for combo in combinations(singles, size):
            if len({p for p, _ in combo}) < size:
                continue
            columns = draft.copy()
            for p, c in combo:
                columns[p] = c
            after = _accepting(problem, columns)
            won, lost = tuple(sorted(after - before)), tuple(sorted(before - after))
            if len(won) > len(lost):
                gain = float(problem.utilities(columns).sum()) - base_total
                found.append((len(won) - len(lost), gain, Amendment(tuple(combo), won, lost)))
        if found:
            break
    found.sort(key=lambda f: (-f[0], -f[1]))
    return [f[2] for f in found]


# -- a party's briefing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedPackage:
    """An analysis the mediator shared with the party: a concept's package."""

    concept: str
    package: Mapping[str, str]
    shared_on: str | None


def party(
    negotiation: Negotiation,
    party_id: str,
    *,
    entries: Sequence[Entry],
    shared: Sequence[SharedPackage],
    as_of: dt.date,
    since: dt.date | None,
) -> tuple[Section, ...]:
    """``negotiation``: as the party's seat sees it (its own preferences only, drafts it received)."""
    name = _party_name(negotiation, party_id)
    draft = _latest(negotiation)
    prefs = negotiation.preferences.get(party_id)
    situation: list[Block] = []
    if draft is None:
        situation.append(Paragraph("No draft has been handed to you yet."))
    else:
        t = _tally(negotiation, draft, (party_id,))
        dated = f", dated {draft.date.isoformat()}" if draft.date else ""
        situation.append(
            Paragraph(
                f"The latest text handed to {name} is {_draft_name(draft)}{dated}. "
                f"Of its {t['points']} points, "
                f"{name} has accepted {t['agreed']}, rejected or made conditional {t['contested']}, and not "
                f"yet answered {t['waiting']}."
            )
        )
    situation += _happened(entries, since, as_of)
    where: list[Block] = []
    if draft is not None:
        where.append(_stance_table(negotiation, draft, (party_id,)))
        where += _changes(negotiation, draft, (party_id,))
        where.append(_answers_chart(negotiation, (party_id,)))
    where += _statements(negotiation, since)
    blocks = _own_demands(negotiation, draft, prefs, name)
    options = _shared(negotiation, shared, prefs)
    nxt = _own_next(negotiation, draft, prefs)
    return (
        Section("situation", "The situation", tuple(situation)),
        Section("stances", "Where you stand", tuple(where or [Paragraph("Nothing is on record yet.")])),
        Section("blocks", "What blocks a deal", tuple(blocks)),
        Section("options", "Options", tuple(options)),
        Section(
            "risks",
            "Risks",
            (Paragraph("The mediator's readings of the other parties are not part of this briefing."),),
        ),
        Section("next", "Next steps", tuple(nxt)),
    )


def _own_demands(
    negotiation: Negotiation, draft: Draft | None, prefs: Preferences | None, name: str
) -> list[Block]:
    if prefs is None:
        return [
            Paragraph(f"No preferences of {name} are on record, so the draft cannot be checked against them.")
        ]
    if draft is None:
        return [Paragraph("There is no draft to check against your red lines.")]
    package = draft.package()
    broken = []
    for red in prefs.red_lines:
        if package.get(red.point) == red.option:
            point = negotiation.point(red.point)
            broken.append(
                f"point {point.number} ({point.title}): the draft says “{point.option(red.option).text}”"
            )
    blocks: list[Block] = []
    if broken:
        blocks += [
            Paragraph(f"{_cap(_draft_name(draft))} crosses your red lines on:"),
            Bullets(tuple(broken)),
        ]
    else:
        blocks.append(Paragraph(f"{_cap(_draft_name(draft))} crosses none of your red lines."))
    if prefs.reservation_value is not None and set(prefs.weights) <= set(package) | {
        p for p, w in prefs.weights.items() if not w
    }:
        utility = prefs.utility(package)
        verdict = "at or above" if utility >= prefs.reservation_value - 1e-9 else "below"
        blocks.append(
            Paragraph(
                f"By your own estimate the draft is worth {utility:.2f} to you (0 worst, 1 best): "
                f"{verdict} your "
                f"reservation value of {prefs.reservation_value:.2f}."
            )
        )
    return blocks


def _shared(
    negotiation: Negotiation, shared: Sequence[SharedPackage], prefs: Preferences | None
) -> list[Block]:
    if not shared:
        return [Paragraph("The mediator has shared no analysis with you yet.")]
    blocks: list[Block] = [Paragraph("Packages the mediator shared with you:")]
    for s in shared:
        title = CONCEPT_WORDS.get(s.concept, (s.concept,))[0]
        lines = []
        for point_id, option in s.package.items():
            try:
                point = negotiation.point(point_id)
            except Exception:  # a point this seat does not see is not named to it
                continue
            lines.append(f"point {point.number} ({point.title}): “{point.option(option).text}”")
        worth = ""
        if prefs is not None:
            worth = f" — worth {prefs.utility(dict(s.package)):.2f} to you by your own estimate"
        blocks += [
            Paragraph(f"The {title}{' (shared ' + s.shared_on + ')' if s.shared_on else ''}{worth}:"),
            Bullets(tuple(lines)),
        ]
    return blocks


def _own_next(negotiation: Negotiation, draft: Draft | None, prefs: Preferences | None) -> list[Block]:
    if draft is None or prefs is None:
        return [Paragraph("Answer the points of the next draft as it reaches you.")]
    gaps = []
    for point_id, option in draft.package().items():
        scores = prefs.scores.get(point_id)
        weight = prefs.weights.get(point_id, 0.0)
        if not scores or not weight:
            continue
        best = max(scores, key=lambda k: scores[k])
        lost = (
            weight
            * (scores[best] - scores.get(option, 0.0))
            / max(max(scores.values()) - min(scores.values()), 1e-12)
        )
        if best != option and lost > 0:
            point = negotiation.point(point_id)
            gaps.append(
                (
                    lost,
                    f"point {point.number} ({point.title}): “{point.option(best).text}” "
                    f"instead of “{point.option(option).text}”",
                )
            )
    unanswered = [
        p for p in draft.choices if not any(s.point == p for s in negotiation.stances_on(draft.version))
    ]
    blocks: list[Block] = []
    if gaps:
        gaps.sort(key=lambda g: -g[0])
        blocks += [
            Paragraph("Where the draft is furthest from what you prefer, by your own weights (most first):"),
            Bullets(tuple(g[1] for g in gaps[:5])),
        ]
    if unanswered:
        blocks.append(
            Paragraph(
                f"{len(unanswered)} point{'' if len(unanswered) == 1 else 's'} of the draft "
                "still await your answer."
            )
        )
    return blocks or [Paragraph("The draft gives you your preferred option on every point you weigh.")]


def own_stances(negotiation: Negotiation, party_id: str) -> tuple[Stance, ...]:
    return tuple(s for s in negotiation.stances if s.party == party_id)
