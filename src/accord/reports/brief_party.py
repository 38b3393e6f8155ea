"""A party's briefing, written from what that party may see: the negotiation already cut to its view
by the policy module (its own preferences, the drafts it received) and the analyses the mediator
shared with it. Nothing here decides who sees what, and nothing of another party's preferences can
reach it, since its input holds none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.analysis.timeline import Entry
from accord.domain import Draft, Negotiation, Preferences
from accord.reports import brief_words as words
from accord.reports.briefing import Block, Bullets, Paragraph, Section
from accord.wording import verb

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
    name = words.party_name(negotiation, party_id)
    draft = words.latest(negotiation)
    prefs = negotiation.preferences.get(party_id)
    situation: list[Block] = []
    if draft is None:
        situation.append(Paragraph("No draft has been handed to you yet."))
    else:
        t = words.tally(negotiation, draft, (party_id,))
        dated = f", dated {draft.date.isoformat()}" if draft.date else ""
        situation.append(
            Paragraph(
                f"The latest text handed to {name} is {words.draft_name(draft)}{dated}. "
                f"Of its {t['points']} points, "
                f"{name} {verb(name, 'has accepted')} {t['agreed']}, rejected or made conditional "
                f"{t['contested']}, and not yet answered {t['waiting']}."
            )
        )
    situation += words.happened(entries, since, as_of)
    where: list[Block] = []
    if draft is not None:
        where.append(words.stance_table(negotiation, draft, (party_id,)))
        where += words.changes(negotiation, draft, (party_id,))
        where.append(words.answers_chart(negotiation, (party_id,)))
    where += words.statements(negotiation, since)
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
            Paragraph(f"{words.cap(words.draft_name(draft))} crosses your red lines on:"),
            Bullets(tuple(broken)),
        ]
    else:
        blocks.append(Paragraph(f"{words.cap(words.draft_name(draft))} crosses none of your red lines."))
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
        title = words.CONCEPT_WORDS.get(s.concept, (s.concept,))[0]
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
