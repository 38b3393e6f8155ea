"""The `accord` command: one Typer application, one module per command group."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import typer
import typer.core

from accord import __version__

if TYPE_CHECKING:
    from typer._click import Command, Context  # the click Typer runs on

# Every command and where it lives, with the line `accord --help` shows for it. The command
# modules (and what they import: the engine, SQLAlchemy, SciPy, …) are loaded only when their
# command runs, so `accord --help` and `accord solve` start at once (docs: start-up is a feature).
# tests/unit/test_startup_imports.py checks this table against the modules' own registrations.
COMMANDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("validate", ("scenario_commands",), "Check a scenario file and list every problem found."),
    (
        "show",
        ("scenario_commands",),
        "Show a scenario: points and options, parties, and the stances on the latest draft.",
    ),
    ("schema", ("scenario_commands",), "Print the JSON Schema (draft 2020-12) of the scenario format."),
    (
        "import-genius",
        ("genius_commands",),
        "Turn a GENIUS domain and its profiles into an accord scenario.",
    ),
    (
        "export-genius",
        ("genius_commands",),
        "Write a scenario as a GENIUS domain file plus one profile per party.",
    ),
    (
        "solve",
        ("engine_commands",),
        "Find the compromise packages: Nash, Kalai–Smorodinsky, egalitarian, leximin, utilitarian.",
    ),
    (
        "diagnose",
        ("engine_commands",),
        "Explain a deadlock: every minimal set of demands that cannot all hold, and the cheapest ways out.",
    ),
    (
        "improve",
        ("engine_commands",),
        "Improve a tentative deal: packages every party likes at least as much as the draft (Raiffa).",
    ),
    (
        "frontier",
        ("analysis_commands",),
        "The Pareto frontier: acceptable packages no other acceptable package beats for everyone.",
    ),
    (
        "logrolls",
        ("analysis_commands",),
        "Logrolls: two points on which two parties trade concessions so that both gain.",
    ),
    (
        "contested",
        ("analysis_commands",),
        "The lingering differences: points ranked by how far apart the parties are.",
    ),
    (
        "adjusted-winner",
        ("analysis_commands",),
        "Adjusted Winner (Brams & Taylor) for two parties, in exact fractions.",
    ),
    (
        "init",
        ("record_commands",),
        "Create the database (or migrate it to this accord's schema), and the key file if there is none.",
    ),
    (
        "import",
        ("record_commands",),
        "Store a scenario as a negotiation: all or nothing (a bad file leaves the database as it was).",
    ),
    (
        "export",
        ("record_commands",),
        "Write a stored negotiation as a scenario file (the current stance of each party per point).",
    ),
    ("negotiations", ("record_commands",), "The negotiations stored in the database."),
    (
        "status",
        ("status_commands",),
        "Per point, each party's stance on the newest draft sent out (or --draft); per version, convergence.",
    ),
    (
        "serve",
        ("web_commands",),
        "Run the web workbench (pages for the mediator and each party, and the JSON API at /docs).",
    ),
    (
        "trace",
        ("leak_commands",),
        "Name the recipient whose copy a leaked text (or an excerpt of it) came from.",
    ),
    (
        "robustness",
        ("robustness_commands",),
        "For each candidate package: the probability that every party accepts it, each party's expected\n"
        "utility and 5th percentile, how often it is a concept's package; and which uncertain parameters\n"
        "move acceptance most. Uncertainty comes from each party's `uncertainty` block (docs/robustness.md).",
    ),
    (
        "estimate",
        ("estimate_commands",),
        "Each party's preferences learnt from the evidence (stances, statements, drafts it wrote): prior\n"
        "and posterior weights, preferred options, red lines, reservation value; and where the declared\n"
        "estimates contradict the recorded stances (docs/estimate.md).",
    ),
    # `draft export` (a fingerprinted copy) is added to the draft group by leak_commands
    (
        "draft",
        ("draft_commands", "leak_commands"),
        "The single negotiating text: versions, amendments, diffs, circulation.",
    ),
    ("stance", ("stance_commands",), "The parties' stances on the points of a draft (history kept)."),
    (
        "preferences",
        ("preference_commands",),
        "The mediator's estimates of a party's preferences: show them, change them (audited).",
    ),
    ("meeting", ("meeting_commands",), "Meetings and the papers handed over at them."),
    ("paper", ("paper_commands",), "Papers handed over, with their content (a file or a text)."),
    ("person", ("person_commands",), "People at the talks: delegations, and people of no party."),
    ("source", ("source_commands",), "Sources: where each fact of the record comes from."),
    (
        "statement",
        ("statement_commands",),
        "Statements: what people said, in public or in private (adopted as stances on confirmation).",
    ),
    (
        "event",
        ("event_commands",),
        "Events: leaks, announcements, postponements (the mediator's), with leak traces attached.",
    ),
    (
        "ingest",
        ("ingest_commands",),
        "Read a report and propose record entries for review; apply the reviewed proposals.",
    ),
    (
        "timeline",
        ("timeline_commands",),
        "The talks in date order: meetings, papers, statements, events, drafts, stances, with sources.",
    ),
    (
        "brief",
        ("brief_commands",),
        "A briefing for the mediator or one party, in words and pictures (HTML, PDF, Markdown, Word).",
    ),
    ("audit", ("audit_commands",), "The append-only, hash-chained audit log."),
    (
        "keys",
        ("key_commands",),
        "The key file, kept outside the database: it signs audit checkpoints and seals the fingerprint "
        "secrets of leak-traceable copies.",
    ),
    ("user", ("web_commands",), "Accounts of the web workbench and their seats at negotiations."),
    ("leaks", ("leak_commands",), "The variant rules that fingerprint copies: review, veto, allow."),
)


def reflowed(text: str | None) -> str | None:
    """A help text with each paragraph on one line, for the terminal to wrap: the docstrings are wrapped
    at the source's width, and Typer keeps their line breaks inside paragraphs, so a help page in a
    narrower terminal broke lines half-way."""
    if not text:
        return text
    return "\n\n".join(" ".join(line.strip() for line in part.splitlines()) for part in text.split("\n\n"))


def _reflow_all(command: Command) -> None:
    command.help = reflowed(command.help)
    command.short_help = reflowed(command.short_help)
    for sub in getattr(command, "commands", {}).values():
        _reflow_all(sub)


def load_command(name: str, modules: tuple[str, ...]) -> Command:
    """The real command `name`: its modules registered on a scratch application."""
    from accord.cli.coercion import quicken  # values without Pydantic where that is the same

    scratch = typer.Typer(add_completion=False)  # a lone command would otherwise offer shell completion
    for module in modules:
        importlib.import_module(f"accord.cli.{module}").register(scratch)
    command = typer.main.get_command(scratch)
    if isinstance(command, typer.core.TyperGroup):
        command = command.commands[name]
    _reflow_all(command)
    return quicken(command)  # (a module with a single command: Typer returns it alone)


class _LazyCommand(typer.core.TyperCommand):
    """Stands for a command in the listing; becomes the real one when it runs (or shows its help)."""

    def __init__(self, name: str, modules: tuple[str, ...], help: str) -> None:
        super().__init__(name, help=reflowed(help))
        self.modules = modules

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        assert self.name is not None
        real = load_command(self.name, self.modules)
        return real.make_context(info_name, args, parent=parent, **extra)


def loaded_command() -> typer.core.TyperGroup:
    """The whole command tree with every command loaded (for tools and tests that inspect it)."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for name, command in list(group.commands.items()):
        if isinstance(command, _LazyCommand):
            group.commands[name] = load_command(name, command.modules)
    return group


class _LazyGroup(typer.core.TyperGroup):
    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, modules, help in COMMANDS:
            self.commands.setdefault(name, _LazyCommand(name, modules, help))
        from accord.cli.coercion import quicken  # values without Pydantic where that is the same

        quicken(self)


app = typer.Typer(
    name="accord",
    help=(
        "accord: a workbench for mediated, multi-party, multi-issue negotiations. "
        "Scenario files (YAML) describe the points, options, parties, their private "
        "preferences, drafts and stances; start with `accord validate FILE` and `accord show FILE`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_LazyGroup,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """accord: a workbench for mediated, multi-party, multi-issue negotiations."""


def _unfit_argument(arguments: list[str]) -> str | None:
    """Which argument holds a character no text of the record may hold (accord.characters), and why."""
    from accord.characters import unfit_character

    for index, argument in enumerate(arguments):
        unfit = unfit_character(argument)
        if unfit is None:
            continue
        option = argument.split("=", 1)[0] if argument.startswith("--") and "=" in argument else None
        if option is None and index and arguments[index - 1].startswith("--"):
            option = arguments[index - 1]
        return f"{'the value of ' + option if option else f'argument {index + 1}'} {unfit}"
    return None


def main() -> None:
    import sys

    from accord.cli import quick_help

    unfit = _unfit_argument(sys.argv[1:])
    if unfit is not None:  # nothing is read or written with it (PostgreSQL refuses U+0000, for one)
        sys.stderr.write(f"Error: {unfit}\n")
        raise SystemExit(2)
    quick_help.install()  # help pages and usage errors without loading rich's unused parts
    app()
