"""`accord brief`: the briefing's sections, in every format, for the mediator and for one party; a
party's briefing holds none of another party's secrets; the PDF is typeset (pages rendered by
poppler, none blank); the same record gives the same document."""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.app import app
from accord.reports import brief_render
from accord.reports.briefing import Briefing, Table
from accord.services import briefing

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
COALITION = EXAMPLES / "coalition-agreement.yaml"
SECTIONS = (
    "The situation",
    "Where each party stands",
    "What blocks a deal",
    "Options",
    "Risks",
    "Next steps",
)
SAMPLES = 400  # the content checked here does not depend on more


def text_of(briefing: Briefing, format: str) -> str:
    """What a reader of that format reads: the PDF's and the Word file's text extracted."""
    data = brief_render.render(briefing, format)
    if format == "pdf":
        return brief_render.text_of_pdf(data)
    if format == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if format == "html":  # what a browser shows: the text, entities read
        return html.unescape(re.sub(r"<[^>]+>", " ", data.decode()))
    return data.decode()


def squeeze(text: str) -> str:
    """Whitespace and hyphenation at line ends do not count (a PDF wraps its lines)."""
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def mediator() -> Briefing:
    return briefing.of_file(FLAGSHIP, briefing.Request(samples=SAMPLES))


@pytest.mark.parametrize("format", brief_render.FORMATS)
def test_the_mediators_briefing_says_each_section_in_every_format(mediator: Briefing, format: str) -> None:
    text = squeeze(text_of(mediator, format))
    positions = [text.find(f"{n}. {title}") for n, title in enumerate(SECTIONS, 1)]
    assert all(p >= 0 for p in positions), (format, positions)
    assert positions == sorted(positions), "the sections in their order"
    # the front page: the warning that the preferences are illustrative, the date and revision
    assert "Warning:" in text and "Illustrative estimate" in text
    assert "The record as of 2025-12-23" in text and "revision file" in text
    # the situation: the latest draft, in words
    assert "The latest text is draft D, dated 2025-12-23" in text
    # where each party stands: the matrix names the parties and answers in words, not only colour
    assert "Russian Federation" in text and "✗ rejects" in text and "~ on conditions" in text
    assert "What draft D changed from draft B (E3)" in text
    # what blocks a deal: the demands draft D breaks, named, and the nearest package that breaks none
    assert "Draft D breaks 5 demands" in text
    assert "Russian Federation's red line on point 7 (Ukraine and NATO membership)" in text
    assert "The nearest package that breaks none changes 4 points" in text
    # options: option text (never keys), each party's band, the chance that all accept
    assert "The Nash bargaining solution" in text and "Kalai–Smorodinsky" in text
    assert "Ukraine renounces NATO in its constitution" in text
    assert "no-consensus" not in text and "cap-600k" not in text, "option keys are for machines"
    # risks: contradictions with the record, the leak
    assert "The estimates contradict" in text and "Leaks on record" in text
    assert "2025-11-20: Leak: The US 28-point draft" in text
    # next steps: the smallest amendment that wins Russia
    assert "The smallest amendment that wins Russian Federation changes 4 points" in text


def test_what_the_record_holds_counts_answers_as_answers_not_as_stances(mediator: Briefing) -> None:
    # a timeline entry of kind stance is one party's answers on a draft, many stances: "5 stances"
    # contradicted `accord validate`'s 95
    said = squeeze(text_of(mediator, "md"))
    holds = re.search(r"The record holds ([^.]*)\.", said)
    assert holds, said[:400]
    assert "sets of answers to a draft" in holds.group(1) and "stance" not in holds.group(1)
    assert "drafts handed over" in holds.group(1) and "circulation" not in holds.group(1)


def test_the_options_show_bands_and_the_chance_that_every_party_accepts(mediator: Briefing) -> None:
    options = next(s for s in mediator.sections if s.key == "options")
    table = next(b for b in options.blocks if getattr(b, "header", ("",))[-1:] == ("Every party accepts",))
    draft_row = table.rows[0]  # type: ignore[attr-defined]
    assert draft_row[0] == "the latest draft" and draft_row[-1] == "0%", "draft D breaks Russia's red lines"
    for row in table.rows:  # type: ignore[attr-defined]
        for cell in row[1:-1]:
            value, band = cell.split(" (")
            low, high = (float(x) for x in band.rstrip(")").split("–"))
            assert low <= float(value) + 0.01 and float(value) <= high + 0.01, cell


def circulated_coalition(tmp_path: Path) -> Path:
    """The coalition example with its amended paper (draft 2) circulated to every party: no party
    has answered it yet."""
    data: dict[str, Any] = yaml.safe_load(COALITION.read_text())
    data["drafts"][-1].update(status="circulated", circulated_to=data["drafts"][0]["circulated_to"])
    path = tmp_path / "circulated.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_the_coalition_briefing_in_every_format(tmp_path: Path) -> None:
    """The formateur is still writing draft 2: the briefing is on draft 1, which the parties
    answered, and names draft 2 as a text being prepared."""
    found = briefing.of_file(COALITION, briefing.Request(samples=SAMPLES))
    for format in brief_render.FORMATS:
        text = squeeze(text_of(found, format))
        assert all(f"{n}. {title}" in text for n, title in enumerate(SECTIONS, 1)), format
        assert found.title in text
        assert "Warning:" in text and "Fictional preferences for demonstration" in text
        assert (
            "The latest text put to the parties is draft 1 (Formateur's first paper), dated 2031-11-03, "
            "circulated to Social Democratic Party of Veldland," in text
        )
        assert "and 0 still await an answer" in text
        assert (
            "A newer text, draft 2 (Formateur's amended paper), is being prepared and not yet circulated."
            in text
        )
        assert "on draft 1 (Formateur's first paper)" in text, "the stance table"
        # no uncertainty is declared: no bands, said in words
        assert "No uncertainty of the estimates is declared" in text
        # the smallest amendment wins the Liberals: the finance ministry, as draft 2 will give them
        assert "“A Liberal becomes Minister of Finance” — wins Liberal Party of Veldland" in text
    # once draft 2 is circulated, the briefing is on it, and waits for the answers
    later = briefing.of_file(circulated_coalition(tmp_path), briefing.Request(samples=0))
    text = squeeze(text_of(later, "md"))
    assert "The latest text is draft 2 (Formateur's amended paper), dated 2031-11-17, circulated to" in text
    assert "11 still await an answer" in text and "newer text" not in text
    assert "Every party can accept the latest draft as it stands" in text


def test_a_text_still_being_written_is_named_not_analysed(tmp_path: Path) -> None:
    """The mediator is writing a draft 4 it has not circulated: the state of play, the stance table
    and the analyses stay on draft D, which the parties answered, in every format; the briefing says
    that a newer text is being prepared. A party's briefing says nothing of it."""
    data: dict[str, Any] = yaml.safe_load(FLAGSHIP.read_text())
    writing = copy.deepcopy(data["drafts"][-1])
    writing.update(version=4, parent=3, label="E", status="draft", circulated_to=[], sources=[])
    writing["date"] = "2025-12-23"
    data["drafts"].append(writing)
    path = tmp_path / "writing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    found = briefing.of_file(path, briefing.Request(samples=0))
    for format in brief_render.FORMATS:
        text = squeeze(text_of(found, format))
        assert "The latest text put to the parties is draft D, dated 2025-12-23, circulated to" in text, (
            format
        )
        assert "7 are accepted by every party, 21 are rejected" in text and "0 still await an answer" in text
        assert "A newer text, draft E, is being prepared and not yet circulated." in text, format
        assert "Each party's answer, point by point, on draft D" in text, format
        assert "Draft D breaks 5 demands" in text, format
        assert "The draft put to the parties is grey." in text, format
    ukraine = squeeze(text_of(briefing.of_file(path, briefing.Request(party="ukraine", samples=0)), "md"))
    assert "newer text" not in ukraine and "draft E" not in ukraine and "draft D" in ukraine


def test_the_answers_chart_leaves_out_a_text_no_party_was_sent(tmp_path: Path) -> None:
    from accord.reports.briefing import Figure

    data: dict[str, Any] = yaml.safe_load(FLAGSHIP.read_text())
    writing = copy.deepcopy(data["drafts"][-1])
    writing.update(version=4, parent=3, label="PREPZQ", status="draft", circulated_to=[], sources=[])
    data["drafts"].append(writing)
    path = tmp_path / "writing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    found = briefing.of_file(path, briefing.Request(samples=0))
    charts = [b for s in found.sections for b in s.blocks if isinstance(b, Figure) and b.name == "answers"]
    assert len(charts) == 1
    assert "PREPZQ" not in charts[0].svg and ">draft 3 (D)<" in charts[0].svg
    assert "draft PREPZQ, is being prepared" in squeeze(text_of(found, "md"))


def test_a_counter_text_received_from_a_party_is_named_as_received_not_as_in_preparation(
    tmp_path: Path,
) -> None:
    data: dict[str, Any] = yaml.safe_load(FLAGSHIP.read_text())
    received = copy.deepcopy(data["drafts"][-1])
    received.update(version=4, label="UA", status="draft", circulated_to=[], sources=[], author="ukraine")
    received.pop("parent", None)
    data["drafts"].append(received)
    path = tmp_path / "received.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    text = squeeze(text_of(briefing.of_file(path, briefing.Request(samples=0)), "md"))
    assert "Draft UA, a text received from Ukraine, has not been circulated." in text
    assert "being prepared" not in text


# -- a party's briefing: only what it may see ------------------------------------------------------------

SECRETS = {
    "russia-basis": "secret-basis-of-russia-QX81",
    "russia-red-line-note": "secret-red-line-note-of-russia-KD55",
    "russia-reservation": "0.4173",
    "europe-basis": "secret-basis-of-europe-MM12",
    "europe-reservation": "0.3917",
    "draft-label": "SECRET-LABEL-V4",
    "draft-title": "secret-title-of-the-draft-for-russia-only",
    "draft-note": "secret-note-of-the-draft-for-russia-only",
    "draft-text": "secret-free-text-in-the-draft-for-russia-only",
    "person-note": "secret-note-on-a-person-TT09",
    "private-quote": "secret-private-quote-of-russia-LL31",
    "event-note": "secret-note-of-the-mediator-on-an-event-PP44",
}


def planted(tmp_path: Path) -> Path:
    data: dict[str, Any] = yaml.safe_load(FLAGSHIP.read_text())
    russia, europe = data["parties"]["russia"], data["parties"]["europe"]
    russia["basis"] = SECRETS["russia-basis"]
    russia["reservation_value"] = float(SECRETS["russia-reservation"])
    russia["red_lines"][0]["note"] = SECRETS["russia-red-line-note"]
    europe["basis"] = SECRETS["europe-basis"]
    europe["reservation_value"] = float(SECRETS["europe-reservation"])
    latest = copy.deepcopy(data["drafts"][-1])
    latest.update(
        version=4,
        parent=3,
        label=SECRETS["draft-label"],
        title=SECRETS["draft-title"],
        note=SECRETS["draft-note"],
        circulated_to=["russia"],
        date="2025-12-23",
        sources=[],
    )
    latest["choices"]["territory"] = {"text": SECRETS["draft-text"]}
    data["drafts"].append(latest)
    data["people"][0]["note"] = SECRETS["person-note"]
    data["statements"].append(
        {
            "id": "private-word",
            "by": "russian-officials",
            "date": "2025-12-20",
            "quote": SECRETS["private-quote"],
            "channel": "private",
        }
    )
    data["events"][0]["note"] = SECRETS["event-note"]
    path = tmp_path / "planted.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_a_partys_briefing_holds_no_other_partys_secret_in_any_format(tmp_path: Path) -> None:
    path = planted(tmp_path)
    mediator = briefing.of_file(path, briefing.Request(samples=0))
    ukraine = briefing.of_file(path, briefing.Request(party="ukraine", samples=0))
    everything = squeeze(text_of(mediator, "md"))
    # the planted facts are in the record (the mediator's briefing shows those it reports on)
    assert SECRETS["draft-label"] in everything and SECRETS["private-quote"] in everything
    for format in brief_render.FORMATS:
        text = squeeze(text_of(ukraine, format))
        assert "Briefing for Ukraine" in text
        leaked = [name for name, secret in SECRETS.items() if secret in text]
        assert not leaked, (format, leaked)
        # nothing of another party's preferences: its reservation value, or its name as a holder
        assert "Russian Federation's red line" not in text and "reservation value of Russian" not in text


def test_a_partys_briefing_is_dated_by_what_it_saw(tmp_path: Path) -> None:
    """A text handed to Russia alone, dated after everything Ukraine saw, moves neither the date nor
    the fingerprint of Ukraine's briefing."""
    before = briefing.of_file(FLAGSHIP, briefing.Request(party="ukraine", samples=0))
    data: dict[str, Any] = yaml.safe_load(planted(tmp_path).read_text())
    data["drafts"][-1]["date"] = "2026-01-15"
    later = tmp_path / "later.yaml"
    later.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    ukraine = briefing.of_file(later, briefing.Request(party="ukraine", samples=0))
    mediator = briefing.of_file(later, briefing.Request(samples=0))
    assert mediator.as_of == dt.date(2026, 1, 15)
    assert ukraine.as_of == before.as_of == dt.date(2025, 12, 23)
    assert ukraine.revision == before.revision, "nothing Ukraine may see has changed"
    assert "2026-01-15" not in text_of(ukraine, "md")


def test_a_party_seat_cannot_ask_for_another_partys_briefing(tmp_path: Path) -> None:
    from accord.errors import AccessDenied
    from accord.security.policy import Seat, SeatRole, Viewer
    from accord.services.negotiations import import_scenario
    from accord.storage.database import open_database

    database = open_database(str(tmp_path / "accord.db"))
    slug = import_scenario(database, FLAGSHIP, actor="test").id
    member = Viewer("kyiv", "kyiv", {slug: Seat(SeatRole.MEMBER, "ukraine")})
    own = briefing.of_record(database, member, slug, briefing.Request(samples=0))
    assert own.party == "ukraine" and own.audience == "Ukraine"
    with pytest.raises(AccessDenied):
        briefing.of_record(database, member, slug, briefing.Request(party="russia", samples=0))
    with pytest.raises(AccessDenied):  # the mediator's briefing either
        briefing.of_record(database, member, slug, briefing.Request(party="mediator", samples=0))


# -- the PDF: typeset, every page drawn, reproducible -------------------------------------------------


def test_the_pdf_has_numbered_pages_none_blank(mediator: Briefing, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "poppler-utils (pdftoppm) is installed by .ci/run"
    data = brief_render.render(mediator, "pdf")
    (tmp_path / "b.pdf").write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", "30", "-png", str(tmp_path / "b.pdf"), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert len(pages) == len(reader.pages) >= 4
    import matplotlib.image

    for page in pages:
        pixels = matplotlib.image.imread(page)
        assert pixels[..., :3].min() < 0.5, f"{page.name} is blank"
    text = brief_render.text_of_pdf(data)
    assert f"Page 1 of {len(pages)}" in text and f"Page {len(pages)} of {len(pages)}" in text
    fonts = {str(f.get("/BaseFont")) for page in reader.pages for f in _fonts(page)}
    assert any("DejaVu" in f for f in fonts), fonts
    assert reader.outline, "the PDF carries the table of contents as bookmarks"


def _fonts(page: Any) -> list[Any]:
    resources = page.get("/Resources") or {}
    found = resources.get("/Font") or {}
    return [found[k].get_object() for k in found]


def test_cyrillic_names_are_typeset(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(FLAGSHIP.read_text())
    data["parties"]["russia"]["name"] = "Российская Федерация"
    path = tmp_path / "cyrillic.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    found = briefing.of_file(path, briefing.Request(samples=0))
    assert "Российская Федерация" in squeeze(brief_render.text_of_pdf(brief_render.render(found, "pdf")))


def test_the_same_record_gives_the_same_document(mediator: Briefing) -> None:
    again = briefing.of_file(FLAGSHIP, briefing.Request(samples=SAMPLES))
    for format in brief_render.FORMATS:
        assert brief_render.render(again, format) == brief_render.render(mediator, format), format


def test_as_of_a_day_leaves_out_what_came_later() -> None:
    early = briefing.of_file(FLAGSHIP, briefing.Request(as_of=dt.date(2025, 11, 21), samples=0))
    text = squeeze(text_of(early, "md"))
    assert "The record as of 2025-11-21" in text
    assert "The latest text is draft A" in text and "draft D" not in text


# -- the command ---------------------------------------------------------------------------------------


def test_the_command_writes_each_format_and_markdown_figures_beside_it(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("b.html", "b.md", "b.docx"):
        result = runner.invoke(app, ["brief", str(FLAGSHIP), "-o", str(tmp_path / name), "--samples", "0"])
        assert result.exit_code == 0, result.output
        assert f"wrote {tmp_path / name}" in result.output
    figures = sorted((tmp_path / "b-figures").glob("*.svg"))
    assert figures and all(f"b-figures/{f.name}" in (tmp_path / "b.md").read_text() for f in figures)
    assert not list(tmp_path.glob(".*partial")), "nothing half-written is left"


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (
            ["--for", "nobody"],
            "no party 'nobody'; expected mediator or one of: "
            "Russian Federation (russia), ukraine, European states (E3/EU) (europe)",
        ),
        (["--as-of", "2025-13-01"], "--as-of"),
        (["--since", "yesterday"], "--since"),
        (["--format", "rtf"], "'rtf' is not a format"),
        (["--as-of", "2025-11-01", "--since", "2025-12-01"], "--since: 2025-12-01 is after the as-of day"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path: Path, options: list[str], words: str) -> None:
    result = CliRunner().invoke(app, ["brief", str(FLAGSHIP), "-o", str(tmp_path / "b.html"), *options])
    assert result.exit_code != 0 and words in result.output and "Traceback" not in result.output
    assert not (tmp_path / "b.html").exists()


def test_a_file_name_of_no_format_blames_the_file_name_not_a_format_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["brief", str(FLAGSHIP), "-o", str(tmp_path / "b.txt")], env={"COLUMNS": "300"}
    )
    assert (
        result.exit_code == 2 and "Invalid value for -o / --out: b.txt: a file ending '.txt'" in result.output
    )
    assert "--format" in result.output and not (tmp_path / "b.txt").exists()


def test_an_improvement_smaller_than_the_uncertainty_says_so() -> None:
    """As of 2025-11-23 the latest text is draft B; its improvements gain each party 0.02-0.03, within
    the uncertainty the preferences declare: the briefing offers them only with that warning."""
    found = briefing.of_file(FLAGSHIP, briefing.Request(as_of=dt.date(2025, 11, 23), samples=SAMPLES))
    text = squeeze(text_of(found, "md"))
    assert "The latest text is draft B" in text
    listed = text.split("Changes of the latest draft that leave no party worse off")[1].split("## 5.")[0]
    assert listed.count("Within the uncertainty of the estimates: may not be a real gain") >= 1


def test_a_deadlock_is_explained_and_no_package_is_offered(tmp_path: Path) -> None:
    """Red lines of different parties on every option of one point: no deal exists. The briefing
    names the clash and the ways out, offers no package, and proposes no amendment of draft 2."""
    data: dict[str, Any] = yaml.safe_load(circulated_coalition(tmp_path).read_text())
    point = data["points"][0]
    holders = ["social-democrats", "greens", "liberals", "christian-democrats"]
    for k, option in enumerate(point["options"]):
        key = option["key"] if isinstance(option, dict) else option
        data["parties"][holders[k % len(holders)]].setdefault("red_lines", []).append(
            {"point": point["id"], "option": key}
        )
    path = tmp_path / "deadlock.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    found = briefing.of_file(path, briefing.Request(samples=0))
    text = squeeze(text_of(found, "md"))
    assert "No package meets every demand at once" in text
    assert "The cheapest ways out, one demand at a time" in text and "a deal then exists" in text
    assert "No package meets every demand, so the engine proposes none" in text
    assert "No amendment of the draft wins another party" in text


# -- words: the parties' own, the draft's status, one symbol set -------------------------------------------


@pytest.mark.parametrize("format", brief_render.FORMATS)
def test_a_statement_is_quoted_in_its_recorded_words_and_its_summary_is_not(format: str) -> None:
    """Ukraine's statement of 2025-11-23 says “Ukraine rejects territorial concessions.”; its summary
    (the mediator's words) follows outside the quotation marks, named as the record's summary."""
    ukraine = briefing.of_file(FLAGSHIP, briefing.Request(party="ukraine", samples=0))
    text = squeeze(text_of(ukraine, format))
    assert "Ukrainian officials (Ukraine): “Ukraine rejects territorial concessions.”" in text
    assert "“Ukraine's public position" not in text, "a summary is not the party's words"
    assert (
        "The record's summary, not their words: Ukraine's public position on territory (point 21), as the "
        "press summaries give it." in text
    )
    quoted = re.findall(r"“([^”]*)”", text)
    data: dict[str, Any] = yaml.safe_load(FLAGSHIP.read_text())
    summaries = {s["summary"].strip() for s in data["statements"] if s.get("summary")}
    assert not summaries & {squeeze(q) for q in quoted}, "no summary stands in quotation marks"


def _legends(text: str) -> list[dict[str, str]]:
    """Each stance legend of the briefing (the table's caption, the figure's), as symbol -> meaning."""
    words = r"[a-z]+(?: [a-z]+)*"
    found = re.findall(rf"(✓ {words}(?:, \S {words})+)", text)
    return [dict(item.split(" ", 1) for item in legend.split(", ")) for legend in found]


def test_one_symbol_set_each_symbol_with_one_meaning(mediator: Briefing) -> None:
    from accord.reports.record_charts import STANCES

    text = squeeze(text_of(mediator, "md"))
    legends = _legends(text)
    assert len(legends) >= 2, "the stance table's and the figure's"
    meanings: dict[str, set[str]] = {}
    for legend in legends:
        for symbol, meaning in legend.items():
            meanings.setdefault(symbol, set()).add(meaning.strip())
    assert all(len(m) == 1 for m in meanings.values()), meanings
    assert len({next(iter(m)) for m in meanings.values()}) == len(meanings), "one symbol per meaning"
    said = {next(iter(m)): s for s, m in meanings.items()}
    assert said["no answer"] != said["no position"], "no answer is not taking no position"
    # the chart draws the workbench's symbols: the legends name those
    assert {s for _name, _colour, s in STANCES} == set(meanings)


def test_a_table_cell_without_an_answer_says_so_with_its_symbol(tmp_path: Path) -> None:
    found = briefing.of_file(circulated_coalition(tmp_path), briefing.Request(samples=0))
    stances = next(s for s in found.sections if s.key == "stances")
    table = next(b for b in stances.blocks if isinstance(b, Table))
    assert all(cell == "– no answer" for row in table.rows for cell in row[3:]), "11 still await an answer"


def test_the_latest_drafts_status_is_said_in_words(tmp_path: Path) -> None:
    found = briefing.of_file(COALITION, briefing.Request(samples=0))
    text = squeeze(text_of(found, "md"))
    assert "draft 1 (Formateur's first paper), dated 2031-11-03, circulated to Social Democratic" in text
    data: dict[str, Any] = yaml.safe_load(circulated_coalition(tmp_path).read_text())
    del data["drafts"][-1]["date"]
    data["drafts"][-1]["label"] = "E"
    data["drafts"][-1]["status"] = "agreed"
    path = tmp_path / "undated.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    text = squeeze(text_of(briefing.of_file(path, briefing.Request(samples=0)), "md"))
    assert "The latest text is draft E (undated), now agreed." in text
    assert ", draft." not in text
    # no text was put to the parties yet: the briefing is on the newest, which waits for its answers
    data = yaml.safe_load(COALITION.read_text())
    data["drafts"][0].update(status="draft", circulated_to=[])
    data["stances"] = []
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    text = squeeze(text_of(briefing.of_file(path, briefing.Request(samples=0)), "md"))
    assert (
        "The latest text is draft 2 (Formateur's amended paper), dated 2031-11-17, not yet circulated."
        in text
    )
    assert "11 still await an answer" in text and "newer text" not in text


# -- as of: by default, everything the reader was given -----------------------------------------------------


def test_a_partys_briefing_shows_what_the_mediator_shared_today(tmp_path: Path) -> None:
    """Shares are recorded on the day they are made, after the record's latest date: by default the
    party's briefing is as of that day, and shows them, from the service and from the command line."""
    from accord.security.policy import Seat, SeatRole, Viewer
    from accord.services import workbench
    from accord.services.negotiations import import_scenario
    from accord.storage.database import open_database

    db = tmp_path / "accord.db"
    database = open_database(str(db))
    slug = import_scenario(database, FLAGSHIP, actor="test").id
    mediator = Viewer("mediator", "Mediator", {slug: Seat(SeatRole.MEDIATOR)})
    member = Viewer("kyiv", "kyiv", {slug: Seat(SeatRole.MEMBER, "ukraine")})
    before = briefing.of_record(database, member, slug, briefing.Request(samples=0))
    assert before.as_of == dt.date(2025, 12, 23)
    assert "The mediator has shared no analysis with you yet." in text_of(before, "md")
    made = workbench.share(database, mediator, slug, "ukraine", "nash")
    day = dt.date.fromisoformat(made.shared_at[:10])
    for viewer in (member, mediator):  # the party's own seat, and the mediator reading it for the party
        after = briefing.of_record(database, viewer, slug, briefing.Request(party="ukraine", samples=0))
        text = squeeze(text_of(after, "md"))
        assert after.as_of == day and f"The record as of {day.isoformat()}" in text
        assert "shared no analysis" not in text
        assert f"The Nash bargaining solution (shared {day.isoformat()})" in text
    # asked as of the record's last day, the share made later is not in it
    then = briefing.of_record(
        database, member, slug, briefing.Request(as_of=dt.date(2025, 12, 23), samples=0)
    )
    assert "The mediator has shared no analysis with you yet." in text_of(then, "md")
    # the mediator's own briefing lists no shares: they do not move its day
    assert briefing.of_record(database, mediator, slug, briefing.Request(samples=0)).as_of == dt.date(
        2025, 12, 23
    )
    database.dispose()
    out = tmp_path / "ukraine.md"
    result = CliRunner().invoke(
        app, ["brief", "--db", str(db), "--for", "ukraine", "-o", str(out), "--samples", "0"]
    )
    assert result.exit_code == 0, result.output
    text = squeeze(out.read_text())
    assert f"The record as of {day.isoformat()}" in text and "shared no analysis" not in text


def test_a_party_named_in_the_plural_takes_a_plural_verb() -> None:
    europe = squeeze(text_of(briefing.of_file(FLAGSHIP, briefing.Request(party="europe", samples=0)), "md"))
    assert "Of its 28 points, European states (E3/EU) have accepted" in europe
    assert "European states (E3/EU) reject Territory and Size of Ukraine's armed forces" in europe
    assert "(E3/EU) rejects" not in europe and "(E3/EU) has" not in europe
    ukraine = squeeze(text_of(briefing.of_file(FLAGSHIP, briefing.Request(party="ukraine", samples=0)), "md"))
    assert "Ukraine rejects Territory (draft v1)" in ukraine and "Ukraine has accepted 26" in ukraine
    mediator = squeeze(text_of(briefing.of_file(FLAGSHIP, briefing.Request(samples=0)), "md"))
    assert "(E3/EU) rejects" not in mediator and "(E3/EU) has" not in mediator
