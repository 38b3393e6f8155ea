"""`accord brief`: one document a mediator hands to a principal, for the mediator or for one party."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from accord.cli.options import DB, NEGOTIATION, actor_name, output_file
from accord.cli.output import reports_errors
from accord.cli.scenario_source import SCENARIO

FORMAT_HELP = (
    "html, pdf, md (Markdown, its figures beside it) or docx (Word); default: from -o's suffix (none: html)."
)


def _day(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; expected YYYY-MM-DD", param_hint=flag) from None


@reports_errors
def brief(
    file: Path | None = SCENARIO,
    out: Path = typer.Option(
        ..., "-o", "--out", help="The file to write (.html, .pdf, .md or .docx).", callback=output_file
    ),
    audience: str = typer.Option(
        "mediator", "--for", help="mediator (everything), or a party (id or name): only what it may see."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="The record as it stood on this day, YYYY-MM-DD (default: its latest date)."
    ),
    since: str | None = typer.Option(
        None, "--since", help="What happened since this day, YYYY-MM-DD (default: the latest entries)."
    ),
    format: str | None = typer.Option(None, "--format", help=FORMAT_HELP),
    samples: int = typer.Option(
        2000, "--samples", help="Samples of the preferences for the uncertainty bands."
    ),
    seed: int = typer.Option(0, "--seed", help="The same seed gives the same numbers."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
) -> None:
    """A briefing for the mediator or one party, in words and pictures (HTML, PDF, Markdown, Word).

    Its sections: the situation, where each party stands, what blocks a deal, options with their
    uncertainty, risks, next steps (docs/briefing.md).

    For the mediator, or for one party (--for PARTY): a party's briefing holds only what the policy
    lets that party see (its own preferences, the drafts it received, the analyses shared with it).
    Read from a scenario FILE or the stored negotiation; the same record gives the same document.
    """
    from accord.reports.brief_render import FORMATS, format_of, write
    from accord.services import briefing

    chosen = format_of(out, format) or ("html" if not out.suffix else None)
    if chosen not in FORMATS:
        if format is not None:
            raise typer.BadParameter(
                f"{format!r} is not a format accord writes; expected one of {', '.join(FORMATS)}",
                param_hint="--format",
            )
        suffixes = ", ".join(f".{f}" for f in FORMATS)
        raise typer.BadParameter(
            f"{out.name}: a file ending {out.suffix!r} is no format accord writes; expected a name ending "
            f"{suffixes} (or give --format)",
            param_hint="-o / --out",
        )
    if samples < 0:
        raise typer.BadParameter(f"must be 0 or more, got {samples}", param_hint="--samples")
    request = briefing.Request(
        party=audience, as_of=_day(as_of, "--as-of"), since=_day(since, "--since"), samples=samples, seed=seed
    )
    if file is not None:
        if negotiation is not None:
            raise typer.BadParameter(
                "names a stored negotiation; give it or a scenario FILE, not both", param_hint="--negotiation"
            )
        document = briefing.of_file(file, request)
    else:
        from accord.security.policy import command_line
        from accord.storage.database import open_database

        database = open_database(db)
        slug = negotiation or _default(database)
        document = briefing.of_record(database, command_line(actor_name(None), slug), slug, request)
    written = write(document, chosen, out)
    for path in written:
        typer.echo(f"wrote {path}")


def _default(database: object) -> str:
    from accord.storage.database import Database
    from accord.storage.unit_of_work import reading

    assert isinstance(database, Database)
    with reading(database) as uow:
        return uow.repository.default_slug()


def register(app: typer.Typer) -> None:
    app.command("brief")(brief)
