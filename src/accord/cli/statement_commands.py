"""`accord statement ...`: what people said, in public or in private; a statement adopted, on the
mediator's confirmation, as the speaker's party's stance."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from accord.cli import source_options as so
from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.domain import Negotiation, StanceKind, StatementChannel
from accord.errors import DomainError
from accord.wording import counted

app = typer.Typer(
    help="Statements: what people said, in public or in private (adopted as stances on confirmation).",
    no_args_is_help=True,
)


def _choice(value: str | None, kind: Any, option: str) -> Any:
    """A value of the enumeration ``kind``, or a one-line DomainError naming the option."""
    if value is None:
        return None
    try:
        return kind(value.strip().lower())
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise DomainError(f"{option}: {value!r} is not one of: {allowed}") from None


@app.command("add")
@reports_errors
def add(
    by: str = typer.Option(..., "--by", help="Who said it: a person's id, name, alias or unique surname."),
    date: str = typer.Option(..., "--date", help="When it was said, YYYY-MM-DD."),
    quote: str = typer.Option(..., "--quote", help="The words said (or as reported)."),
    summary: str | None = typer.Option(None, "--summary", help="What it means, in the mediator's words."),
    channel: str = typer.Option(
        "press",
        "--channel",
        help="press, interview, social, official or private (private: seen only "
        "by the mediator and the speaker's party).",
    ),
    about_point: list[str] = typer.Option(
        [], "--about-point", help="A point it is about, by number or id (repeat)."
    ),
    stance: str | None = typer.Option(
        None,
        "--stance",
        help="The position it expresses: accept, conditional, reject, studying, no-position.",
    ),
    about_draft: int | None = typer.Option(
        None,
        "--about-draft",
        help="The draft version it answers (default when adopted: the latest "
        "circulated to the speaker's party).",
    ),
    note: str | None = typer.Option(None, "--note", help="A note of the mediator's."),
    key: str | None = typer.Option(
        None, "--id", help="The statement's id (default: the speaker's and the date, e.g. lavrov-2025-11-24)."
    ),
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
    """Record what a person said: when, their words, the points it is about and the stance it
    expresses, publicly or in private; with its sources."""
    from accord.services import statements
    from accord.storage.database import open_database

    said = statements.add_statement(
        open_database(db),
        negotiation,
        by=by,
        date=so.parse_day(date, "--date"),
        quote=quote,
        summary=summary,
        channel=_choice(channel, StatementChannel, "--channel"),
        points=about_point,
        stance=_choice(stance, StanceKind, "--stance"),
        draft=about_draft,
        note=note,
        key=key,
        citation=so.citation(source, source_outlet, source_title, source_url, source_date, source_quote),
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    console.print(
        f"statement {said.id} by {said.person} on {said.date.isoformat()} ({said.channel.value})",
        markup=False,
    )


@app.command("list")
@reports_errors
def list_(
    party: str | None = typer.Option(None, "--party", help="Only what this party's people said."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
    actor: str | None = ACTOR,
) -> None:
    """Every statement, by date."""
    from accord.services import statements
    from accord.storage.database import open_database

    found, seen = statements.list_statements(open_database(db), negotiation, actor_name(actor), party=party)
    if as_json:
        print_json([statements.describe(s, seen) for s in found])
        return
    if not found:
        console.print(
            "no statements recorded"
            + (f" for {party}" if party else "")
            + ": add one with `accord statement add`"
        )
        return
    names = {p.id: p.name for p in seen.people}
    table = Table(title="Statements")
    for column in ("id", "date", "by", "channel", "points", "stance", "summary / quote"):
        table.add_column(column)
    for s in found:
        table.add_row(
            s.id,
            s.date.isoformat(),
            names.get(s.person, s.person),
            s.channel.value,
            ", ".join(_point(seen, p) for p in s.points),
            (s.stance.value if s.stance else "") + (f" (v{s.draft})" if s.draft else ""),
            s.summary or _short(s.quote),
        )
    print_table(table)


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("show")
@reports_errors
def show(
    key: str = typer.Argument(..., help="The statement's id (see `accord statement list`)."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
    actor: str | None = ACTOR,
) -> None:
    """One statement: who said what, when and how, the points and stance, its sources, and the
    stances adopted from it."""
    from accord.services import statements
    from accord.storage.database import open_database

    said, seen = statements.get_statement(open_database(db), negotiation, actor_name(actor), key)
    data = statements.describe(said, seen)
    if as_json:
        print_json(data)
        return
    party_name = next((p.name for p in seen.parties if p.id == data["party"]), data["party"])
    party = f" ({party_name})" if data["party"] else " (of no party)"
    lines = [
        f"statement {said.id}: {data['name']}{party}, {said.date.isoformat()}, {said.channel.value}"
        + ("" if said.public else " — private"),
        f"  quote: {said.quote}",
    ]
    sources = {s.id: s for s in seen.sources}
    for label, value in (
        ("summary", said.summary),
        ("points", ", ".join(_point(seen, p) for p in said.points)),
        ("stance", said.stance.value if said.stance else None),
        ("draft", f"v{said.draft}" if said.draft else None),
        ("note", said.note),
        (
            "sources",
            "; ".join(f"{k} ({sources[k].label})" if k in sources else k for k in said.sources),
        ),
        (
            "adopted",
            "; ".join(
                f"{a['party']} {a['stance']} on {a['point']} of v{a['draft']}" for a in data["adopted"]
            ),
        ),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    console.print("\n".join(lines), markup=False)


@app.command("adopt")
@reports_errors
def adopt(
    key: str = typer.Argument(..., help="The statement's id."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Record without asking."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Record a statement as its speaker's party's stance on each point it names (for the draft it
    names, or the latest circulated to that party), with the statement as its evidence: the
    mediator's confirmation, audited. Asks first unless --yes."""
    from accord.services import statements
    from accord.storage.database import open_database

    database = open_database(db)
    plan = statements.plan_adoption(database, negotiation, key)
    from accord.reports.stance_words import stance_words
    from accord.services.drafts import load

    seen = load(database, negotiation, stances=False).negotiation
    lines = [f"  {stance_words(seen, s)} As of {plan.statement.date}." for s in plan.stances]
    stances = counted(len(lines), "stance")
    console.print(f"statement {key} would record {stances}:\n" + "\n".join(lines), markup=False)
    if not yes and not typer.confirm("Record it?" if len(lines) == 1 else "Record them?", default=False):
        console.print("nothing recorded")
        raise typer.Exit(1)
    done = statements.adopt_statement(
        database, negotiation, key, actor=actor_name(actor), expected_revision=expect_revision
    )
    stances = counted(len(done.stances), "stance")
    console.print(
        f"recorded {stances} of {seen.party(done.party).name} on draft v{done.draft} from statement {key}",
        markup=False,
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="statement")


def _point(seen: Negotiation, point: str) -> str:
    """A point as a reader names it: "21 (Territory)"."""
    found = next((p for p in seen.points if p.id == point), None)
    return f"{found.number} ({found.title})" if found else point
