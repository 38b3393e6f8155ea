"""`accord draft export` (fingerprinted copies), `accord trace` (whose copy leaked), `accord leaks ...`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.draft_commands import app as draft_app
from accord.cli.key_commands import KEY_FILE
from accord.cli.options import ACTOR, DB, JSON, NEGOTIATION, actor_name, output_file
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.errors import DomainError
from accord.leaks.rules import Rule

rules_app = typer.Typer(
    help="The variant rules that fingerprint copies: review, veto, allow.", no_args_is_help=True
)


@draft_app.command("export")
@reports_errors
def export(
    version: int = typer.Argument(..., help="The version to hand over."),
    recipient: str = typer.Option(
        ..., "--for", help="The recipient: a party (its id) or a person of its delegation (party/person)."
    ),
    fmt: str = typer.Option("md", "--format", help="md, html, docx, pdf or txt."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write.", callback=output_file),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    key_file: str | None = KEY_FILE,
) -> None:
    """Write a copy of a draft fingerprinted for one recipient, and register it (audit log).

    Every copy differs from every other in wordings that do not change meaning (number and date
    formats, UK/US spelling, hyphenation, serial commas, heading styles, ...), plus a zero-width
    layer in digital formats; `accord trace` names the source of a leaked text.
    """
    from accord.reports.brief_words import draft_name
    from accord.services import leaks
    from accord.services.drafts import load
    from accord.services.leak_tracing import recipient_words
    from accord.storage.database import open_database

    database = open_database(db)
    done = leaks.export_copy(
        database,
        negotiation,
        version,
        recipient,
        fmt,
        output,
        actor=actor_name(actor),
        key_file=Path(key_file) if key_file else None,
    )
    seen = load(database, negotiation, stances=False).negotiation  # the recipient by name, the draft too
    console.print(
        f"wrote {output}: copy {done.copy_id} of {draft_name(seen.draft(done.version))} for "
        f"{recipient_words(seen, done.recipient)} ({done.sites} fingerprint sites)",
        markup=False,
    )


@reports_errors
def trace(
    file: str = typer.Argument(
        ..., help="The leaked text: a file (text, Markdown, HTML, PDF, DOCX), or - for stdin."
    ),
    version: int | None = typer.Option(
        None, "--version", help="The draft version (default: found from the text)."
    ),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
    top: int = typer.Option(5, "--top", min=1, help="How many suspects to list."),
    key_file: str | None = KEY_FILE,
    attach_to: str | None = typer.Option(
        None,
        "--attach-to",
        help="A leak event (see `accord event list`) to store this result on (audited; "
        "`accord event show` lists it).",
    ),
    actor: str | None = ACTOR,
) -> None:
    """Name the recipient whose copy a leaked text (or an excerpt of it) came from.

    With --attach-to EVENT, the result is kept on that leak's event (audited; `accord event show`)."""
    from accord.services import leaks
    from accord.storage.database import open_database

    database = open_database(db)
    if attach_to is not None:
        from accord.services import events

        events.check_leak(database, negotiation, attach_to)  # before the work, not after it
    if file == "-":
        from accord.services.leak_tracing import leaked_text

        text = leaked_text(sys.stdin.buffer.read(), "the text on stdin")
    else:
        text = _leaked_text(Path(file))
    result = leaks.trace_text(
        database, negotiation, text, version=version, key_file=Path(key_file) if key_file else None
    )
    if result.sites_observed == 0 and result.zero_width_bits == 0:
        source = "the text on stdin" if file == "-" else file
        raise DomainError(
            f"found no fingerprinted draft text in {source}: none of the wordings a copy varies "
            "(nor its invisible marks) is in it"
        )
    named = result.named
    data = leaks.trace_data(result, top)
    warning = None
    if attach_to is not None:
        from accord.services import events

        kept = events.attach_trace(database, negotiation, attach_to, data, actor=actor_name(actor))
        warning = kept.result.get("warning")
    if as_json:
        print_json(
            {**data, "attached_to": attach_to, **({"warning": warning} if warning else {})}
            if attach_to
            else data
        )
        return
    # the recipients by name (as the workbench's trace page names them), the drafts as the briefing does
    from accord.reports.brief_words import draft_name, listing
    from accord.services.drafts import load
    from accord.services.leak_tracing import recipient_words

    seen = load(database, negotiation, stances=False).negotiation

    def named_draft(version: int | None) -> str:
        found = next((d for d in seen.drafts if d.version == version), None)
        return draft_name(found) if found else "no draft"

    console.print(
        f"{named_draft(result.version)}: {result.sites_observed} fingerprint sites read"
        + (f", {result.zero_width_bits} zero-width bits" if result.zero_width_bits else "")
        + (
            f" (fits {listing([named_draft(v) for v in result.versions_considered])})"
            if len(result.versions_considered) > 1
            else ""
        ),
        markup=False,
    )
    if named:
        console.print(
            f"[bold]source: {escape(recipient_words(seen, named.copy.recipient))}[/] (copy {named.copy.id}), "
            f"confidence {named.confidence:.6f}"
        )
    else:
        console.print("[yellow]no confident match[/]: the evidence is too thin to name anyone")
    table = Table(title="Suspects, most likely first")
    for column in ("recipient", "copy", "draft", "agreeing sites", "p-value"):
        table.add_column(column)
    for s in result.suspects[:top]:
        table.add_row(
            escape(recipient_words(seen, s.copy.recipient)),
            str(s.copy.id),
            escape(named_draft(s.copy.version).removeprefix("draft ")),
            f"{s.agree}/{s.observed}",
            f"{s.p_value:.2e}",
        )
    print_table(table)
    if attach_to is not None:
        console.print(f"attached to event {attach_to} (see `accord event show {attach_to}`)", markup=False)
    if warning:
        console.print(f"note: {warning}", style="yellow", markup=False)


def _leaked_text(path: Path) -> str:
    """The text of a leaked file, read as the workbench's trace form reads an upload (the same limit,
    the same refusals: empty, no text, not a readable PDF or Word file), or an error naming it."""
    from accord.config import limits
    from accord.services.leak_tracing import leaked_text

    limit = limits().report_bytes
    with path.open("rb") as handle:  # OSError names the file (reports_errors)
        data = handle.read(limit + 1)  # one byte more than the limit: leaked_text refuses it, in words
    return leaked_text(data, str(path))


@rules_app.command("rules")
@reports_errors
def rules(negotiation: str | None = NEGOTIATION, db: str | None = DB) -> None:
    """Every variant rule, how many sites it has in the newest draft, and whether it is vetoed."""
    from accord.services import leaks
    from accord.storage.database import open_database

    table = Table(title="Variant rules")
    for column in ("rule", "what varies", "sites", "status"):
        table.add_column(column)
    for r in leaks.review_rules(open_database(db), negotiation):
        table.add_row(r.rule.value, r.description, str(r.sites), "vetoed" if r.vetoed else "in use")
    print_table(table)


@rules_app.command("veto")
@reports_errors
def veto(
    rule: Rule = typer.Argument(..., help="The rule whose wordings must not vary."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    key_file: str | None = KEY_FILE,
) -> None:
    """Veto a rule: later copies keep the draft's own wording there."""
    from accord.services import leaks
    from accord.storage.database import open_database

    key = Path(key_file) if key_file else None
    leaks.set_veto(open_database(db), negotiation, rule, True, actor=actor_name(actor), key_file=key)
    console.print(f"{rule.value}: vetoed")


@rules_app.command("allow")
@reports_errors
def allow(
    rule: Rule = typer.Argument(...),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
) -> None:
    """Allow a vetoed rule again."""
    from accord.services import leaks
    from accord.storage.database import open_database

    leaks.set_veto(open_database(db), negotiation, rule, False, actor=actor_name(actor))
    console.print(f"{rule.value}: in use")


def register(app: typer.Typer) -> None:
    app.command("trace")(trace)
    app.add_typer(rules_app, name="leaks")
