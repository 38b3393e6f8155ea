"""`accord preferences show/set`: the mediator's estimates of a party's preferences, in the record.

The same use case as the web form (accord.services.workbench.update_preferences): the same validation,
every problem named by its field, one audit entry per change, nothing written when anything is wrong.
Points by number, id or title; options by key or text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.errors import DomainError

if TYPE_CHECKING:
    from accord.services.preference_edits import Estimates

app = typer.Typer(
    help="The mediator's estimates of a party's preferences: show them, change them (audited).",
    no_args_is_help=True,
)

PARTY = typer.Argument(..., help="The party, by id or name.", show_default=False)


@app.command("show")
@reports_errors
def show(
    party: str = PARTY,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """A party's weights, scores, red lines, reservation value, links and uncertainty."""
    from accord.services import preference_edits
    from accord.storage.database import open_database

    found = preference_edits.show(open_database(db), negotiation, party, user=actor_name(None))
    _print(found, as_json)


@app.command("set")
@reports_errors
def set_(
    party: str = PARTY,
    weight: list[str] = typer.Option([], "--weight", help="POINT=WEIGHT (repeat)."),
    score: list[str] = typer.Option([], "--score", help="POINT:OPTION=SCORE (repeat)."),
    red_line: list[str] = typer.Option(
        [], "--red-line", help="POINT:OPTION: an option the party can never accept (repeat)."
    ),
    lift_red_line: list[str] = typer.Option(
        [], "--lift-red-line", help="POINT:OPTION: no longer a red line (repeat)."
    ),
    reservation_value: str | None = typer.Option(
        None, "--reservation-value", help="What no deal is worth to the party (0 to 1)."
    ),
    weight_concentration: str | None = typer.Option(
        None,
        "--weight-concentration",
        help="Uncertainty: the weights vary together around the estimates (Dirichlet concentration).",
    ),
    uncertain_weight: list[str] = typer.Option(
        [], "--uncertain-weight", help="Uncertainty: POINT=DIST, DIST as for --uncertain-score (repeat)."
    ),
    uncertain_score: list[str] = typer.Option(
        [],
        "--uncertain-score",
        help="Uncertainty: POINT:OPTION=DIST, DIST one of range:LOW:HIGH, uniform:LOW:HIGH, "
        "triangular:LOW:MODE:HIGH, normal:MEAN:SD:LOW:HIGH (repeat).",
    ),
    uncertain_reservation_value: str | None = typer.Option(
        None, "--uncertain-reservation-value", help="Uncertainty: DIST of the reservation value."
    ),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
    as_json: bool = JSON,
) -> None:
    """Change a party's estimated preferences: each value given replaces the old one, the rest stay.

    The whole negotiation is checked as a scenario file would be; a problem names its field and
    nothing is written. The change is one entry in the audit log (which says that the preferences
    changed, never what they are).
    """
    from accord.services import preference_edits
    from accord.storage.database import open_database

    given = preference_edits.Change(
        weights=[_pair(text, "--weight", "POINT=WEIGHT") for text in weight],
        scores=[_triple(text, "--score", "POINT:OPTION=SCORE") for text in score],
        red_lines=[_pair(text, "--red-line", "POINT:OPTION", ":") for text in red_line],
        lifted_red_lines=[_pair(text, "--lift-red-line", "POINT:OPTION", ":") for text in lift_red_line],
        reservation_value=reservation_value,
        weight_concentration=weight_concentration,
        uncertain_weights=[_pair(text, "--uncertain-weight", "POINT=DIST") for text in uncertain_weight],
        uncertain_scores=[
            _triple(text, "--uncertain-score", "POINT:OPTION=DIST") for text in uncertain_score
        ],
        uncertain_reservation_value=uncertain_reservation_value,
    )
    found = preference_edits.change(
        open_database(db),
        negotiation,
        party,
        given,
        user=actor_name(actor),
        expected_revision=expect_revision,
    )
    if as_json:
        _print(found, True)
        return
    name = found.negotiation.party(found.party).name
    console.print(f"preferences of {name} updated (revision {found.revision})", markup=False)


def _pair(text: str, flag: str, shape: str, separator: str = "=") -> tuple[str, str]:
    # the value after the last '=' (option texts may hold one); a point before the first ':'
    head, sep, tail = text.rpartition(separator) if separator == "=" else text.partition(separator)
    if not sep or not head.strip() or not tail.strip():
        raise DomainError(f"{flag}: expected {shape}, got {text!r}")
    return head.strip(), tail.strip()


def _triple(text: str, flag: str, shape: str) -> tuple[str, str, str]:
    head, value = _pair(text, flag, shape)
    point, option = _pair(head, flag, shape, ":")
    return point, option, value


def _print(found: Estimates, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "negotiation": found.slug,
                "party": found.party,
                "revision": found.revision,
                "preferences": found.preferences,
            }
        )
        return
    from rich.table import Table

    prefs: dict[str, Any] = found.preferences
    negotiation = found.negotiation
    name = negotiation.party(found.party).name
    console.print(f"{name} ({found.party}): the mediator's estimates", markup=False)
    if prefs.get("basis"):
        console.print(f"basis: {prefs['basis']}", markup=False)
    weights: dict[str, Any] = prefs.get("weights") or {}
    scores: dict[str, Any] = prefs.get("scores") or {}
    red = {(r["point"], r["option"]) for r in prefs.get("red_lines") or []}
    scale = prefs.get("score_scale", 1)
    table = Table(title=f"weights (out of {sum(weights.values()):g}) and scores (out of {scale:g})")
    for column in ("#", "point", "weight", "option", "score", "red line"):
        table.add_column(column, justify="right" if column in ("#", "weight", "score") else "left")
    for point in sorted(negotiation.points, key=lambda p: p.number):
        for n, option in enumerate(point.options):
            first = n == 0
            table.add_row(
                str(point.number) if first else "",
                point.title if first else "",
                f"{weights.get(point.id, 0):g}" if first else "",
                f"{option.key}: {option.text}",
                f"{scores[point.id][option.key]:g}" if option.key in scores.get(point.id, {}) else "—",
                "red line" if (point.id, option.key) in red else "",
            )
    print_table(table)
    console.print(f"reservation value: {prefs.get('reservation_value', 0):g}", markup=False)
    from accord.reports.preference_words import link_words, uncertainty_lines

    for link in prefs.get("links") or []:
        console.print(f"link: {link_words(negotiation, link)}", markup=False)
    spread = uncertainty_lines(negotiation, prefs)
    if spread:
        console.print("uncertainty (how far the estimates may be off; accord robustness draws from it):")
        for line in spread:
            console.print(f"  • {line}", markup=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="preferences")
