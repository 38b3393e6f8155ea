"""The mediator's briefing: its six sections from the whole record and the engine's analyses
(worked out by accord.services.briefing), in plain words first and numbers second."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

import numpy as np

from accord.analysis.timeline import Entry
from accord.domain import Draft, Negotiation, StanceKind
from accord.domain.negotiation import Role
from accord.engine.conflicts import broken_requirements, describe
from accord.engine.diagnose import Diagnosis, DraftCheck
from accord.engine.improve import Improvement
from accord.engine.problem import IntArray, Problem
from accord.reports import brief_charts
from accord.reports import brief_words as words
from accord.reports.briefing import Block, Bullets, Figure, Paragraph, Section, Table


@dataclass(frozen=True)
class Band:
    """A party's utility of a package under the uncertainty of the estimates (5%-95%)."""

    low: float
    high: float


@dataclass(frozen=True)
class Candidate:
    """A package the briefing discusses: the draft, a concept's package, an improvement."""

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
    draft: Draft | None  # the latest draft put to the parties (Negotiation.latest_put_to_parties)
    columns: IntArray | None  # its package on the problem (None: it leaves points open)
    diagnosis: Diagnosis | None
    check: DraftCheck | None
    candidates: tuple[Candidate, ...]  # the draft first (when it has a package), then the concepts
    improvements: tuple[Improvement, ...]
    improvement_doubts: Mapping[int, str]  # improvement rank -> why its gain may not be real
    samples: int  # robustness samples (0: no uncertainty declared)
    contradictions: tuple[str, ...]  # in words, most surprising first
    entries: tuple[Entry, ...]  # the chronology (the timeline's entries), in date order
    preparing: tuple[Draft, ...] = ()  # newer texts the mediator is writing, not yet circulated

    @property
    def called(self) -> str:
        """What the briefing calls ``draft``: "the latest draft", or, while a newer text is being
        prepared, "the draft put to the parties"."""
        return "the draft put to the parties" if self.preparing else "the latest draft"


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
            "stances",
            "Where each party stands",
            tuple(_where(negotiation, analyses.draft, parties, since, analyses.preparing)),
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
            *words.happened(a.entries, since, as_of),
        ]
    t = words.tally(negotiation, draft, parties)
    dated = f", dated {draft.date.isoformat()}" if draft.date else " (undated)"
    latest = "The latest text put to the parties" if a.preparing else "The latest text"
    sentences = [f"{latest} is {words.draft_name(draft)}{dated}, {words.status_words(negotiation, draft)}."]
    sentences.append(
        f"Of its {t['points']} points, {t['agreed']} are accepted by every party, {t['contested']} are "
        f"rejected or accepted only on conditions by at least one party, and {t['waiting']} still await "
        "an answer from at least one party."
    )
    # a newer text is the mediator's, being prepared, or a party's counter-text, received
    mediators = {p.id for p in negotiation.parties if p.role is Role.MEDIATOR}
    own = [d for d in a.preparing if d.author is None or d.author in mediators]
    if own:
        newer = words.listing([words.draft_name(d) for d in own])
        sentences.append(
            f"A newer text, {newer}, is being prepared and not yet circulated."
            if len(own) == 1
            else f"Newer texts, {newer}, are being prepared and not yet circulated."
        )
    for d in a.preparing:
        if d not in own:
            sentences.append(
                f"{words.draft_name(d)[:1].upper()}{words.draft_name(d)[1:]}, a text received from "
                f"{words.party_name(negotiation, d.author or '')}, has not been circulated."
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
    return [Paragraph(" ".join(sentences)), *words.happened(a.entries, since, as_of)]


def _where(
    negotiation: Negotiation,
    draft: Draft | None,
    parties: Sequence[str],
    since: dt.date | None,
    preparing: Sequence[Draft] = (),
) -> list[Block]:
    blocks: list[Block] = []
    if draft is not None:
        blocks.append(words.stance_table(negotiation, draft, parties))
        blocks += words.changes(negotiation, draft, parties)
        # a text no party has been sent has no answers: a row of blanks in the chart says nothing
        put = replace(negotiation, drafts=tuple(d for d in negotiation.drafts if d not in preparing))
        blocks.append(words.answers_chart(put, parties))
    blocks += words.statements(negotiation, since)
    if not blocks:
        blocks.append(Paragraph("Nothing is on record yet."))
    return blocks


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
                    f"{words.cap(words.draft_name(a.draft))} breaks {len(c.broken)} "
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
                Paragraph(
                    f"{words.cap(words.draft_name(a.draft))} breaks no red line, link or reservation value."
                )
            )
    if a.draft is not None:
        parties = tuple(p.id for p in negotiation.negotiating_parties)
        stances = words.answers_on(negotiation, a.draft.version)
        refused = [
            f"point {point.number} ({point.title}): rejected by "
            + words.listing(
                [
                    words.party_name(negotiation, q)
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


def _label(c: Candidate, called: str) -> str:
    return called if c.name == "draft" else words.CONCEPT_WORDS.get(c.name, (c.name,))[0]


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
        title, meaning = words.CONCEPT_WORDS.get(c.name, (c.name, ""))
        chance = ""
        if c.acceptance is not None:
            chance = f"; every party accepts it in {words.percent(c.acceptance)} of the samples"
        same = a.columns is not None and not _differences(problem, c.columns, a.columns)
        items.append(f"The {title}: {meaning}{chance}" + (f" — it is {a.called} itself." if same else "."))
    blocks.append(Bullets(tuple(items)))
    blocks.append(_package_table(problem, a))
    header = ("Package", *problem.party_names, "Every party accepts")
    rows = []
    for c in a.candidates:
        utilities = problem.utilities(np.asarray(c.columns, dtype=np.int64))
        rows.append(
            (
                _label(c, a.called),
                *(
                    _utility_cell(float(u), c.bands.get(p))
                    for p, u in zip(problem.parties, utilities, strict=True)
                ),
                words.percent(c.acceptance) if c.acceptance is not None else "—",
            )
        )
    blocks.append(
        Table(
            "Each package's utility for each party, and how likely every party accepts it",
            header,
            tuple(rows),
        )
    )
    blocks.append(_utility_figure(problem, a.candidates, a.called))
    if a.improvements and a.columns is not None:
        listed = []
        for imp in a.improvements:
            gains = words.listing(
                [f"{n} {g:+.3f}" for n, g in zip(problem.party_names, imp.gains, strict=True)]
            )
            changes = words.listing(
                [
                    f"point {problem.point_numbers[problem.points.index(ch.point)]} to "
                    f"“{_option_text(problem, ch.point, ch.after)}”"
                    for ch in imp.changes
                ]
            )
            doubt = a.improvement_doubts.get(imp.rank)
            listed.append(f"change {changes}: {gains}" + (f" — {doubt}" if doubt else ""))
        blocks += [
            Paragraph(f"Changes of {a.called} that leave no party worse off and some better off:"),
            Bullets(tuple(listed)),
        ]
    return blocks


def _package_table(problem: Problem, a: Analyses) -> Table:
    """The points on which some package differs from the draft: what each package says there."""
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
        return Table("What each package says", ("Point", *(_label(c, a.called) for c in shown)), tuple(rows))
    return Table(
        f"What each package says where it differs from {a.called} (points on which every package "
        "keeps the draft's text are left out)",
        ("Point", words.cap(a.called), *(_label(c, a.called) for c in shown)),
        tuple(rows),
    )


def _option_text(problem: Problem, point: str, option: str) -> str:
    p = problem.points.index(point)
    return problem.option_texts[p][problem.options[p].index(option)]


def _utility_figure(problem: Problem, candidates: Sequence[Candidate], called: str) -> Figure:
    labels = [_label(c, called) for c in candidates]
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
        f"it would rather have no deal). {words.cap(called)} is grey.",
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
            Paragraph("No amendment can be weighed: " + (a.why or f"{a.called} leaves points open") + ".")
        ]
    problem, columns = a.problem, a.columns
    if _all_accept(problem, columns):
        return [
            Paragraph(
                f"Every party can accept {a.called} as it stands, by the estimates: the next step is "
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
        won = words.listing([problem.party_names[i] for i in amendment.won])
        lost = words.listing([problem.party_names[i] for i in amendment.lost])
        items.append(f"{changes} — wins {won}" + (f", but loses {lost}" if lost else ""))
    if not items and a.check is not None and a.check.nearest is not None and a.check.changes:
        won_all = words.listing(
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
