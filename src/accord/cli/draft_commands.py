"""`accord draft ...`: the single negotiating text in versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from accord.cli import source_options as so
from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.domain import Choice, DraftStatus, Negotiation
from accord.domain.amendments import Amendment, AmendmentKind
from accord.domain.diff import Change, WordOp, choice_text
from accord.domain.drafts import chronological
from accord.errors import DomainError
from accord.wording import counted

app = typer.Typer(
    help="The single negotiating text: versions, amendments, diffs, circulation.", no_args_is_help=True
)


@app.command("list")
@reports_errors
def list_(negotiation: str | None = NEGOTIATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Every version of the text, oldest first: by date, the version number breaking a tie (a version
    without a date follows the one numbered just below it)."""
    from accord.services import drafts
    from accord.storage.database import open_database

    stored = drafts.load(open_database(db), negotiation)
    rows = [
        {
            "version": d.version,
            "parent": d.parent,
            "status": d.status.value,
            "label": d.label,
            "title": d.title,
            "author": d.author,
            "date": d.date.isoformat() if d.date else None,
            "note": d.note,
            "points": len(d.choices),
            "amendments": len(stored.amendments.get(d.version, [])),
            "circulated_to": list(d.circulated_to),
        }
        for d in chronological(stored.negotiation.drafts)
    ]
    if as_json:
        print_json({"negotiation": stored.negotiation.id, "revision": stored.revision, "drafts": rows})
        return
    named = {p.id: p.name for p in stored.negotiation.parties}
    table = Table(title=f"Drafts of {stored.negotiation.title} (revision {stored.revision})")
    for column in (
        "version",
        "date",
        "from",
        "status",
        "title",
        "author",
        "points",
        "amendments",
        "circulated to",
    ):
        table.add_column(column, no_wrap=column in ("version", "date"))
    for r in rows:
        table.add_row(
            f"v{r['version']}",
            str(r["date"] or ""),
            f"v{r['parent']}" if r["parent"] else "",
            str(r["status"]),
            _title(r["label"], r["title"]),
            named.get(str(r["author"]), str(r["author"])) if r["author"] else "",
            str(r["points"]),
            str(r["amendments"]),
            ", ".join(named.get(p, p) for p in r["circulated_to"]),  # type: ignore[union-attr]
        )
    print_table(table)
    for r in rows:
        if r["note"]:
            console.print(f"v{r['version']}: {r['note']}", markup=False)


def _title(label: object, title: object) -> str:
    """A version's label and title, as far as it has them: "D: 20-point framework"."""
    return ": ".join(str(x) for x in (label, title) if x)


@app.command("show")
@reports_errors
def show(
    version: int | None = typer.Argument(None, help="The version (default: the newest)."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """One version of the text, point by point, with its amendments and where it was handed."""
    from accord.reports.amendment_words import amendment_words
    from accord.services import drafts
    from accord.storage.database import open_database

    view = drafts.show(open_database(db), negotiation, version)
    n, d = view.negotiation, view.draft
    points = [
        {
            "number": n.point(pid).number,
            "point": pid,
            "title": n.point(pid).title,
            "option": c.option,
            "text": choice_text(n, pid, c),
        }
        for pid, c in sorted(d.choices.items(), key=lambda item: n.point(item[0]).number)
    ]
    if as_json:
        print_json(
            {
                "version": d.version,
                "parent": d.parent,
                "status": d.status.value,
                "title": d.title,
                "label": d.label,
                "author": d.author,
                "date": d.date.isoformat() if d.date else None,
                "note": d.note,
                "sources": _sources(n, d.sources),
                "points": points,
                "amendments": view.amendments,
                "circulations": [c.__dict__ for c in view.circulations],
            }
        )
        return
    head = f"Draft v{d.version}" + (f" ({_title(d.label, d.title)})" if d.label or d.title else "")
    facts = [d.status.value, *([f"amends v{d.parent}"] if d.parent else [])]
    facts += [f"dated {d.date.isoformat()}"] if d.date else ["undated"]
    facts += [f"by {next((p.name for p in n.parties if p.id == d.author), d.author)}"] if d.author else []
    console.print(f"[bold]{escape(head)}[/] — {escape(', '.join(facts))}")
    if d.note:
        console.print(f"note: {d.note}", markup=False)
    for source in _sources(n, d.sources):
        rest = ", ".join(v for k, v in source.items() if k != "id")
        console.print(f"source {source['id']}" + (f": {rest}" if rest else ""), markup=False)
    table = Table(show_header=True)
    table.add_column("#", justify="right")
    table.add_column("point")
    table.add_column("text")
    for p in points:
        table.add_row(
            str(p["number"]),
            str(p["title"]),
            Text(f"[{p['option']}] " if p["option"] else "") + str(p["text"]),
        )
    print_table(table)
    for a in view.amendments:
        console.print(f"amendment: {amendment_words(n, a)} — reason: {a['reason']}", markup=False)
    for c in view.circulations:
        to = next((p.name for p in n.parties if p.id == c.party), c.party)
        console.print(
            f"handed to {to}" + (f" on {c.date}" if c.date else "") + f" (recorded by {c.recorded_by})",
            markup=False,
        )


def _sources(negotiation: Negotiation, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The sources a version cites, each with what is known of it (id, outlet, title, url, date)."""
    known = {s.id: s for s in negotiation.sources}
    found = []
    for key in keys:
        s = known.get(key)
        fields = {"id": key}
        if s is not None:
            fields |= {
                k: v
                for k, v in (
                    ("outlet", s.outlet),
                    ("title", s.title),
                    ("url", s.url),
                    ("date", s.date.isoformat() if s.date else None),
                )
                if v is not None
            }
        found.append(fields)
    return found


def _pairs(values: list[str], flag: str, what: str = "VALUE") -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        point, sep, rest = value.partition("=")
        if not sep or not point.strip() or not rest.strip():
            raise DomainError(f"{flag}: expected POINT={what}, got {value!r}")
        pairs.append((point.strip(), rest.strip()))
    return pairs


@app.command("new")
@reports_errors
def new(
    choose: list[str] = typer.Option(
        [], "--choose", help="POINT=OPTION: the point takes that option (repeat)."
    ),
    text: list[str] = typer.Option([], "--text", help="POINT=TEXT: free text for the point (repeat)."),
    drop: list[str] = typer.Option([], "--drop", help="POINT: the point leaves the text (repeat)."),
    reason: str | None = typer.Option(None, "--reason", help="Why: required with --choose/--text/--drop."),
    amendments_file: Path | None = typer.Option(
        None, "--amendments", help="A YAML list of amendments, each with its own reason (see docs/record.md)."
    ),
    base: int | None = typer.Option(None, "--from", help="The version to amend (default: the newest)."),
    author: str | None = typer.Option(
        None, "--author", help="The party that tables the text (default: the mediator, if there is one)."
    ),
    title: str | None = typer.Option(None, "--title", help="A title for the new version."),
    label: str | None = typer.Option(None, "--label", help="A short label (e.g. 'D')."),
    date: str | None = typer.Option(None, "--date", help="The version's date, YYYY-MM-DD."),
    note: str | None = typer.Option(None, "--note"),
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
    """Create version n+1 from a version, by amendments (each with its reason)."""
    from accord.scenario.amendments_file import load_amendments
    from accord.services import drafts
    from accord.storage.database import open_database

    amendments: list[Amendment] = load_amendments(amendments_file) if amendments_file else []
    flagged = [
        *(
            Amendment(AmendmentKind.CHOOSE, p, reason or "", option=o)
            for p, o in _pairs(choose, "--choose", "OPTION")
        ),
        *(Amendment(AmendmentKind.TEXT, p, reason or "", text=t) for p, t in _pairs(text, "--text", "TEXT")),
        *(Amendment(AmendmentKind.DROP, p, reason or "") for p in drop),
    ]
    if flagged and not (reason and reason.strip()):
        raise DomainError(
            "--choose, --text and --drop need --reason: every amendment is given with its reason"
        )
    amendments += flagged
    draft = drafts.new_draft(
        open_database(db),
        negotiation,
        amendments,
        actor=actor_name(actor),
        base=base,
        author=author,
        title=title,
        label=label,
        date=_date(date),
        note=note,
        citation=so.citation(source, source_outlet, source_title, source_url, source_date, source_quote),
        expected_revision=expect_revision,
    )
    console.print(
        f"draft v{draft.version} created from v{draft.parent}: {counted(len(amendments), 'amendment')}"
    )


def _date(value: str | None, flag: str = "--date") -> dt.date | None:
    """The date given, or DomainError naming the option (one line, exit 1, nothing written)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"{flag}: expected a date YYYY-MM-DD, got {value!r}") from None


@app.command("record")
@reports_errors
def record(
    choices_file: Path | None = typer.Option(
        None,
        "--choices",
        help="A YAML mapping of each point (id, or number in quotes) to its option or `text: ...`.",
    ),
    choose: list[str] = typer.Option(
        [], "--choose", help="POINT=OPTION: the text's option on a point (repeat)."
    ),
    text: list[str] = typer.Option(
        [], "--text", help="POINT=TEXT: the text's own wording of a point (repeat)."
    ),
    author: str = typer.Option(..., "--author", help="The party whose text it is."),
    date: str | None = typer.Option(None, "--date", help="The text's date, YYYY-MM-DD."),
    title: str | None = typer.Option(None, "--title", help="A title for the version."),
    label: str | None = typer.Option(None, "--label", help="A short label (e.g. 'R')."),
    note: str | None = typer.Option(None, "--note", help="Where it came from, how it was handed over."),
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
    """Record a text received from a party (its counter-text) as version n+1: its option (or wording)
    on every point, no amendments. Compare it with `accord draft diff`."""
    from accord.scenario.choices_file import load_choices
    from accord.services import drafts
    from accord.storage.database import open_database

    given = load_choices(choices_file) if choices_file else []
    given += [(p, Choice(option=o)) for p, o in _pairs(choose, "--choose", "OPTION")]
    given += [(p, Choice(text=t)) for p, t in _pairs(text, "--text", "TEXT")]
    when = _date(date)
    draft = drafts.record_received(
        open_database(db),
        negotiation,
        given,
        actor=actor_name(actor),
        author=author,
        title=title,
        label=label,
        date=when,
        note=note,
        citation=so.citation(source, source_outlet, source_title, source_url, source_date, source_quote),
        expected_revision=expect_revision,
    )
    console.print(
        f"draft v{draft.version} recorded: {draft.author}'s text, {len(draft.choices)} points, no amendments",
        markup=False,
    )


@app.command("diff")
@reports_errors
def diff(
    a: int = typer.Argument(..., help="The older version."),
    b: int = typer.Argument(..., help="The newer version."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
    all_points: bool = typer.Option(False, "--all", help="List unchanged points too."),
) -> None:
    """Point-level changes between two versions, and a word-level diff of each changed text."""
    from accord.services import drafts
    from accord.storage.database import open_database

    result = drafts.diff(open_database(db), negotiation, a, b)
    shown = result.points if all_points else result.changed
    if as_json:
        print_json(
            {
                "from": a,
                "to": b,
                "points": [
                    {
                        "number": p.number,
                        "point": p.point,
                        "title": p.title,
                        "change": p.change.value,
                        "before": p.before,
                        "after": p.after,
                        "before_option": p.before_option,
                        "after_option": p.after_option,
                        "words": [{"op": w.op.value, "text": w.text} for w in p.words],
                    }
                    for p in shown
                ],
            }
        )
        return
    console.print(f"[bold]v{a} → v{b}[/]: {len(result.changed)} of {len(result.points)} points changed")
    styles = {WordOp.SAME: "", WordOp.DELETED: "red strike", WordOp.INSERTED: "green underline"}
    for p in shown:
        console.print(f"\n[bold]{p.number}. {escape(p.title)}[/] — {p.change.value}")
        if p.change is Change.CHANGED:
            line = Text("  ")
            for i, w in enumerate(p.words):
                marker = {"deleted": "[-", "inserted": "{+"}.get(w.op.value, "")
                end = {"deleted": "-]", "inserted": "+}"}.get(w.op.value, "")
                line.append(" " if i else "")
                line.append(f"{marker}{w.text}{end}", style=styles[w.op])
            console.print(line)
        elif p.change is Change.ADDED:
            console.print(Text(f"  {{+{p.after}+}}", style="green"))
        elif p.change is Change.DROPPED:
            console.print(Text(f"  [-{p.before}-]", style="red"))
        else:
            console.print(Text(f"  {p.after}"))


@app.command("circulate")
@reports_errors
def circulate(
    version: int = typer.Argument(..., help="The version handed over."),
    to: list[str] = typer.Option(..., "--to", help="A party that receives it (repeat)."),
    date: str | None = typer.Option(None, "--date", help="When it was handed over, YYYY-MM-DD."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Record that parties received a version (a paper handed over); a draft becomes circulated."""
    from accord.services import drafts
    from accord.storage.database import open_database

    database = open_database(db)
    drafts.circulate(
        database,
        negotiation,
        version,
        to,
        actor=actor_name(actor),
        date=_date(date),
        expected_revision=expect_revision,
    )
    names = {p.id: p.name for p in drafts.load(database, negotiation, stances=False).negotiation.parties}
    console.print(
        f"draft v{version} handed to {', '.join(names.get(p, p) for p in dict.fromkeys(to))}", markup=False
    )


@app.command("status")
@reports_errors
def set_status(
    version: int = typer.Argument(..., help="The version."),
    status: DraftStatus = typer.Argument(..., help="circulated, withdrawn or agreed."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Change a version's status (draft → circulated → agreed or withdrawn; those two are final)."""
    from accord.services import drafts
    from accord.storage.database import open_database

    before = drafts.set_status(
        open_database(db),
        negotiation,
        version,
        status,
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    console.print(f"draft v{version}: {before.status.value} → {status.value}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="draft")
