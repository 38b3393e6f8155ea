"""`accord stance ...`: the parties' answers, point by point, round by round."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Table

from accord.cli import source_options as so
from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.domain import Stance, StanceKind

if TYPE_CHECKING:
    from accord.storage.database import Database

app = typer.Typer(help="The parties' stances on the points of a draft (history kept).", no_args_is_help=True)


AS_OF = typer.Option(
    None,
    "--as-of",
    help="When the party took the position, YYYY-MM-DD (default: not known; the record keeps when it "
    "was recorded).",
)
DRAFT = typer.Option(None, "--draft", help="The draft version (default: the newest).")
REASON = typer.Option(None, "--reason", help="Why (required: the reason is kept with the entry).")


@app.command("set")
@reports_errors
def set_(
    party: str = typer.Argument(..., help="The party answering."),
    point: str = typer.Argument(..., help="The point, by number or id."),
    stance: StanceKind = typer.Argument(
        ..., help="accept, conditional, reject, studying (under review) or no-position."
    ),
    version: int | None = DRAFT,
    note: str | None = typer.Option(None, "--note", help="The condition, or why."),
    as_of: str | None = AS_OF,
    source: list[str] = so.SOURCE,
    source_outlet: str | None = so.OUTLET,
    source_title: str | None = so.TITLE,
    source_url: str | None = so.URL,
    source_date: str | None = so.DATE,
    source_quote: str | None = so.QUOTE,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Record a party's stance on a point of a draft; earlier stances stay in the history."""
    from accord.services import stances
    from accord.storage.database import open_database

    database = open_database(db)
    recorded = stances.set_stance(
        database,
        negotiation,
        party=party,
        point=point,
        stance=stance,
        version=version,
        note=note,
        as_of=so.parse_day(as_of, "--as-of") if as_of is not None else None,
        citation=so.citation(source, source_outlet, source_title, source_url, source_date, source_quote),
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    console.print(_said(database, negotiation, recorded), markup=False)


def _said(database: Database, slug: str | None, stance: Stance, before: str = "") -> str:
    """The stance recorded, in the stance history's words (names, not keys), with its date and sources."""
    from accord.reports.stance_words import sources_words, stance_words
    from accord.services.drafts import load

    seen = load(database, slug, stances=False).negotiation
    said = before + stance_words(seen, stance)
    if stance.as_of:
        said += f" As of {stance.as_of.isoformat()}."
    if stance.sources:
        said += f" Sources: {sources_words(seen, stance.sources)}."
    return said


@app.command("correct")
@reports_errors
def correct(
    party: str = typer.Argument(..., help="The party whose stance is corrected."),
    point: str = typer.Argument(..., help="The point, by number or id."),
    stance: StanceKind | None = typer.Option(
        None, "--stance", help="The stance it should be (default: the kind held, e.g. to fix --as-of)."
    ),
    version: int | None = DRAFT,
    reason: str | None = REASON,
    note: str | None = typer.Option(None, "--note", help="The condition, or why (default: kept)."),
    as_of: str | None = AS_OF,
    source: list[str] = so.SOURCE,
    source_outlet: str | None = so.OUTLET,
    source_title: str | None = so.TITLE,
    source_url: str | None = so.URL,
    source_date: str | None = so.DATE,
    source_quote: str | None = so.QUOTE,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Correct a party's current stance on a point: a new entry that supersedes it, with the reason
    (the corrected one stays in the history)."""
    from accord.services import stances
    from accord.storage.database import open_database

    database = open_database(db)
    corrected = stances.correct_stance(
        database,
        negotiation,
        party=party,
        point=point,
        stance=stance,
        version=version,
        reason=reason,
        note=note,
        as_of=so.parse_day(as_of, "--as-of") if as_of is not None else None,
        citation=so.citation(source, source_outlet, source_title, source_url, source_date, source_quote),
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    console.print(_said(database, negotiation, corrected, "Corrected: "), markup=False)


@app.command("withdraw")
@reports_errors
def withdraw(
    party: str = typer.Argument(..., help="The party whose stance is withdrawn."),
    point: str = typer.Argument(..., help="The point, by number or id."),
    version: int | None = DRAFT,
    reason: str | None = REASON,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Withdraw a party's current stance on a point: from now on it holds none there (the withdrawn
    stance stays in the history, with the reason)."""
    from accord.services import stances
    from accord.storage.database import open_database

    database = open_database(db)
    withdrawn = stances.withdraw_stance(
        database,
        negotiation,
        party=party,
        point=point,
        version=version,
        reason=reason,
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    from accord.reports.stance_words import withdrawal_words
    from accord.services.drafts import load

    seen = load(database, negotiation, stances=False).negotiation
    console.print(withdrawal_words(seen, withdrawn, "its stance"), markup=False)


@app.command("history")
@reports_errors
def history(
    version: int | None = typer.Option(None, "--draft", help="Only this draft version."),
    party: str | None = typer.Option(None, "--party", help="Only this party."),
    point: str | None = typer.Option(None, "--point", help="Only this point (number or id)."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """Every stance entry ever recorded, oldest first: new stances, corrections and withdrawals, each
    with when the party took it (as of), when and by whom it was recorded, the reason, what
    superseded it, its evidence and sources."""
    from accord.services import stances
    from accord.storage.database import open_database

    found = stances.entries(open_database(db), negotiation, party=party, point=point, version=version)
    if as_json:
        print_json([stances.entry_data(e) for e in found])
        return
    if not found:
        console.print("no stances recorded" + (" for these filters" if party or point or version else ""))
        return
    from accord.reports.stance_words import in_words, source_words, what_became
    from accord.services.drafts import load

    seen = load(open_database(db), negotiation, stances=False).negotiation
    kinds = {e.record.id: e.kind for e in found}
    table = Table(title="Stance history")
    for column in ("#", "entry", "as of", "recorded", "reason", "now", "sources"):
        table.add_column(column)
    for e in found:
        r = e.record
        words = in_words(r, seen, kinds)
        if r.stance.evidence:
            words += f" (adopted from statement {r.stance.evidence})"
        table.add_row(
            str(r.id),
            words,
            r.stance.as_of.isoformat() if r.stance.as_of else "not known",
            f"{r.recorded_at[:16].replace('T', ' ')} by {r.recorded_by}",
            r.reason or "",
            what_became(r, e.superseded_by, kinds),
            "; ".join(source_words(s) for s in e.sources),
        )
    print_table(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="stance")
