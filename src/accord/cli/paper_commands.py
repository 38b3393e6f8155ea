"""`accord paper ...`: the papers handed over, with their content (a file of any type, or text)."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import source_options as so
from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name, output_file
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.domain import Paper
from accord.errors import DomainError

app = typer.Typer(help="Papers handed over, with their content (a file or a text).", no_args_is_help=True)


@app.command("add")
@reports_errors
def add(
    title: str | None = typer.Option(None, "--title", help="Its title (leave out for an untitled paper)."),
    count: int | None = typer.Option(
        None, "--count", help="How many documents the entry stands for (default 1)."
    ),
    several: bool = typer.Option(
        False, "--several", help="Several documents, how many is not known (instead of --count)."
    ),
    file: Path | None = typer.Option(
        None, "--file", help="Its content: a file of any type, stored with its SHA-256 and size."
    ),
    text: str | None = typer.Option(None, "--text", help="Its content as text (instead of --file)."),
    to: list[str] = typer.Option([], "--to", help="A party it was handed to (repeat)."),
    to_person: list[str] = typer.Option(
        [], "--to-person", help="A person it was handed to: id, name or alias; their party too (repeat)."
    ),
    meeting: str | None = typer.Option(None, "--meeting", help="The meeting where it was handed over (id)."),
    draft: int | None = typer.Option(None, "--draft", help="The draft version it carries."),
    related_draft: list[int] = typer.Option(
        [], "--related-draft", help="Another draft version it bears on (repeat)."
    ),
    copy: int | None = typer.Option(
        None, "--copy", help="The issue register's entry when it is a fingerprinted copy."
    ),
    date: str | None = typer.Option(
        None, "--date", help="When it was handed over, YYYY-MM-DD (default: the meeting's date)."
    ),
    note: str | None = typer.Option(None, "--note"),
    key: str | None = typer.Option(
        None, "--id", help="The paper's id (default: from its title, else paper and its date)."
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
    """Record a paper handed over: its title (or none), its content, to whom, at which meeting, the
    drafts it relates to, and its sources. Papers may be untitled: `--several` records that several
    papers were handed over, their number unknown."""
    from accord.services import papers
    from accord.storage.database import open_database

    if several and count is not None:
        raise DomainError("--several: give --count or --several, not both")
    citation = so.citation(source, source_outlet, source_title, source_url, source_date, source_quote)
    day = so.parse_day(date, "--date") if date is not None else None
    if file is not None and text is not None:
        raise DomainError("--text: give the content as --file or as --text, not both")
    content = papers.read_attachment(file) if file is not None else None
    paper = papers.add_paper(
        open_database(db),
        negotiation,
        actor=actor_name(actor),
        title=title,
        count=None if several else (count if count is not None else 1),
        text=text,
        file=content,
        handed=papers.Handed(
            parties=to,
            people=to_person,
            meeting=meeting,
            draft=draft,
            related_drafts=related_draft,
            copy=copy,
        ),
        date=day,
        note=note,
        key=key,
        citation=citation,
        expected_revision=expect_revision,
    )
    what = f"{paper.file.name}, {paper.file.size:,} bytes" if paper.file else "text" if paper.text else None
    console.print(
        f"paper {paper.id}: {paper.label}" + (f" ({what})" if what else ""),
        markup=False,
    )


@app.command("list")
@reports_errors
def list_(negotiation: str | None = NEGOTIATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Every paper handed over, by date (undated ones last): title, content, to whom, where."""
    from rich.table import Table

    from accord.services import papers
    from accord.storage.database import open_database

    found, seen = papers.list_papers(open_database(db), negotiation, user=actor_name(None))
    if as_json:
        print_json([papers.paper_data(p, seen, with_text=False) for p in found])
        return
    if not found:
        console.print("no papers recorded: add one with `accord paper add`", markup=False)
        return
    table = Table(title="Papers")
    for column in ("id", "date", "title", "content", "to", "meeting", "drafts"):
        table.add_column(column)
    names = {p.id: p.name for p in seen.people}
    for p in found:
        table.add_row(
            p.id,
            p.date.isoformat() if p.date else "",
            p.label,
            _content(p),
            ", ".join([*p.recipients, *(names.get(x, x) for x in p.recipient_people)]),
            p.meeting or "",
            ", ".join(f"v{v}" for v in ([p.draft] if p.draft else []) + list(p.related_drafts)),
        )
    print_table(table)


def _content(paper: Paper) -> str:
    if paper.file is not None:
        return f"{paper.file.name} ({paper.file.media_type}, {paper.file.size:,} bytes)"
    if paper.text is not None:
        return f"text ({len(paper.text):,} characters)"
    return "none recorded"


@app.command("show")
@reports_errors
def show(
    key: str = typer.Argument(..., help="The paper's id (see `accord paper list`)."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """One paper: title, content (kind, SHA-256, size), recipients, meeting, drafts, copy, sources."""
    from accord.services import papers
    from accord.storage.database import open_database

    paper, seen = papers.get_paper(open_database(db), negotiation, key, user=actor_name(None))
    if as_json:
        print_json(papers.paper_data(paper, seen, with_text=True))
        return
    names = {p.id: p.name for p in seen.people}
    sources = {s.id: s.label for s in seen.sources}
    lines = [f"paper {paper.id}: {paper.label}"]
    for label, value in (
        ("count", "several (number unknown)" if paper.count is None else str(paper.count)),
        ("date", paper.date.isoformat() if paper.date else None),
        ("content", _content(paper)),
        ("sha256", paper.file.sha256 if paper.file else None),
        ("to", ", ".join(paper.recipients)),
        ("to people", ", ".join(names.get(p, p) for p in paper.recipient_people)),
        ("meeting", paper.meeting),
        ("draft", f"v{paper.draft}" if paper.draft is not None else None),
        ("related drafts", ", ".join(f"v{v}" for v in paper.related_drafts)),
        ("copy", f"issue register entry {paper.copy}" if paper.copy is not None else None),
        ("note", paper.note),
        ("sources", "; ".join(f"{s} ({sources[s]})" if s in sources else s for s in paper.sources)),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    console.print("\n".join(lines), markup=False)


@app.command("get")
@reports_errors
def get(
    key: str = typer.Argument(..., help="The paper's id (see `accord paper list`)."),
    output: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="The file written (default: the stored file's name, or ID.txt for a text, in this folder).",
        callback=output_file,
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
) -> None:
    """Write a paper's stored content back out, byte for byte (a text as a .txt file)."""
    from accord.scenario.files import write_atomically
    from accord.services import papers
    from accord.storage.database import open_database

    content = papers.paper_content(open_database(db), negotiation, key, user=actor_name(None))
    # a stored name is used as a name only, never as a path (an imported record may hold anything)
    stored = Path(content.name.replace("\\", "/")).name
    target = output if output is not None else Path(stored if stored not in ("", ".", "..") else key)
    if target.exists() and not force:
        if output is None:
            raise DomainError(f"{target} exists already; give --out FILE, or --force to overwrite it")
        raise DomainError(f"--out: {target} exists already; give --force to overwrite it")
    write_atomically(target, lambda temporary: temporary.write_bytes(content.data))
    console.print(f"paper {key}: {len(content.data):,} bytes written to {target}", markup=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="paper")
