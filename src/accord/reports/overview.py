"""An overview of a negotiation: the framework, the parties and where the latest draft stands."""

from __future__ import annotations

from typing import Any

from accord.domain import Draft, Negotiation, Role, StanceKind
from accord.wording import parties_counted


def parties_words(negotiation: Negotiation) -> str:
    """The parties that negotiate, counted, and who mediates or observes by name: "3 parties (United
    States mediating)"; the mediator is no party to the deal (`accord validate`, `accord import`)."""
    return parties_counted(
        len(negotiation.negotiating_parties),
        [p.name for p in negotiation.parties if p.role is Role.MEDIATOR],
        [p.name for p in negotiation.parties if p.role is Role.OBSERVER],
    )


def choice_text(negotiation: Negotiation, draft: Draft, point_id: str) -> str | None:
    """What the draft says on a point, in words (None when the draft is silent)."""
    choice = draft.choices.get(point_id)
    if choice is None:
        return None
    if choice.option is not None:
        return negotiation.point(point_id).option(choice.option).text
    return choice.text


def stance_matrix(negotiation: Negotiation, version: int) -> dict[str, dict[str, StanceKind]]:
    """point id -> party id -> stance, for the stances recorded on one draft version."""
    matrix: dict[str, dict[str, StanceKind]] = {}
    for stance in negotiation.stances_on(version):
        matrix.setdefault(stance.point, {})[stance.party] = stance.stance
    return matrix


def overview(negotiation: Negotiation) -> dict[str, Any]:
    """Everything `accord show` prints, as plain data (its --json output)."""
    latest = negotiation.latest_draft
    data: dict[str, Any] = {
        "negotiation": {
            "id": negotiation.id,
            "title": negotiation.title,
            "description": negotiation.description,
        },
        "outcome_count": negotiation.outcome_count(),
        "points": [
            {
                "number": p.number,
                "id": p.id,
                "title": p.title,
                "theme": p.theme,
                "options": [
                    {"key": o.key, "text": o.text, "value": o.value, "source": o.source} for o in p.options
                ],
            }
            for p in sorted(negotiation.points, key=lambda p: p.number)
        ],
        "parties": [
            {
                "id": party.id,
                "name": party.name,
                "role": party.role.value,
                "has_preferences": party.id in negotiation.preferences,
                "red_lines": len(negotiation.preferences[party.id].red_lines)
                if party.id in negotiation.preferences
                else 0,
                # bargaining power in the asymmetric Nash solution (1 unless the scenario says otherwise);
                # None for the mediator and observers, who do not bargain
                "power": negotiation.power_of(party.id) if party.role.value == "party" else None,
            }
            for party in negotiation.parties
        ],
        "drafts": [
            {"version": d.version, "label": d.label, "status": d.status.value, "date": d.date}
            for d in sorted(negotiation.drafts, key=lambda d: d.version)
        ],
        "latest_draft": None,
        "stances": {},
    }
    if latest is not None:
        data["latest_draft"] = {
            "version": latest.version,
            "label": latest.label,
            "title": latest.title,
            "status": latest.status.value,
            "choices": {
                point_id: {"option": c.option, "text": choice_text(negotiation, latest, point_id)}
                for point_id, c in latest.choices.items()
            },
        }
        data["stances"] = {
            point: {party: kind.value for party, kind in by_party.items()}
            for point, by_party in stance_matrix(negotiation, latest.version).items()
        }
    return data
