"""The workbench's words come from one catalogue (accord.web.translations, docs/translating.md).

- the committed catalogue (messages.pot) holds exactly the strings the templates and code mark;
- English is complete: every string in the English catalogue, as written;
- no template shows words outside the catalogue (outside ``{% trans %}`` and ``_()``);
- a throwaway catalogue that marks every string (⟦…⟧) reaches every heading, label, button, table
  header and accessible name of the main pages: what is left unmarked is the record's own data;
- English stays the default, and a language without a catalogue is refused at start.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from jinja2 import Environment
from scripts.messages import TEMPLATE, extracted, read

from accord.analysis.timeline import EntryKind
from accord.cli.app import app
from accord.domain.diff import Change
from accord.errors import SettingsError
from accord.web.app import create_app
from accord.web.app_paths import TEMPLATES
from accord.web.translations import LOCALE, VOCABULARY, catalogue
from tests.cli_walk import ENV, refuse_servers, runner
from tests.web.charted import COMPARED
from tests.web.conftest import NAME, Workbench, api_token, log_in

ENGLISH = LOCALE / "en" / "LC_MESSAGES" / "messages.po"
WORD = re.compile(r"[A-Za-z]{2,}")
PSEUDO = "qps"  # a made-up language: the pseudo-translation
P = f"/n/{NAME}"
PAGES = (
    "/negotiations",
    P,
    f"{P}/matrix",
    f"{P}/drafts",
    f"{P}/drafts/3",
    f"{P}/diff?a=1&b=3",
    f"{P}/meetings",
    f"{P}/people",
    f"{P}/papers",
    f"{P}/statements",
    f"{P}/timeline",
    f"{P}/events",
    f"{P}/amend",
    f"{P}/record-draft",
    f"{P}/preferences/russia",
    f"{P}/explorer",
    f"{P}/robustness",
    f"{P}/briefing",
    f"{P}/ingest",
    "/import",
    f"{P}/trace",
    f"{P}/leak-rules",
    f"{P}/diagnose?draft=3",
    f"{P}/improve?draft=3",
    f"{P}/logrolls?draft=3",
    f"{P}/contested",
    f"{P}/adjusted-winner?a=russia&b=ukraine",
    f"{P}/audit",
    f"{P}/stances/history?party=russia",
    f"{P}/stances/on-behalf",
    f"{P}/stances/over-drafts",
    f"{P}/explorer/frontier",
    f"{P}/compare?{COMPARED}",
    f"{P}/jobs",
    "/validate",
)
# where a page names things rather than tells them: what the catalogue must reach
CHROME = {"h1", "h2", "h3", "h4", "th", "label", "button", "legend", "summary", "dt", "caption", "nav"}
NAMED_BY = ("aria-label", "title", "placeholder", "alt")
# the literature's names of the solution concepts (accord.services.robustness.CONCEPT_NAMES), as the
# command line writes them: the services' words, English by design (docs/translating.md)
SERVICES_WORDS = {"Nash", "Kalai–Smorodinsky", "egalitarian", "leximin", "utilitarian"}
# the names the charts give the marked packages (accord.reports.charts concept_label, draft_label), the
# same in the frontier's table and the comparison as in the chart's legend: English, as the charts are
CHART_NAMES = re.compile(r"Kalai-Smorodinsky|draft \d+(?: \(.*\)|: .*)?")


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    """Each string's id: a text, or (singular, plural) for a count."""
    return {m.id for m in catalog if m.id}


def test_the_committed_catalogue_holds_every_marked_string_and_no_other() -> None:
    committed, now = _ids(read(TEMPLATE)), _ids(extracted())
    assert now - committed == set(), "strings not in messages.pot: run `make messages`"
    assert committed - now == set(), "strings no longer used in messages.pot: run `make messages`"


def test_english_is_complete_every_string_as_written() -> None:
    english = {m.id: m for m in read(ENGLISH) if m.id}
    assert set(english) == _ids(read(TEMPLATE))
    for message_id, message in english.items():
        assert message.string == message_id and not message.fuzzy, message_id
    assert any(isinstance(message_id, tuple) for message_id in english)  # counts: singular and plural


def _outside_the_catalogue(environment: Environment, source: str) -> str:
    """The template's own text outside ``{% trans %}`` blocks, Jinja's expressions and statements."""
    kept, in_trans, statement = [], False, []
    for _line, kind, value in environment.lex(source):
        if kind == "block_begin":
            statement = []
        elif kind == "name" and not statement:
            statement = [value]
            if value == "trans":
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        elif kind == "data" and not in_trans:
            kept.append(value)
        elif kind in ("variable_begin", "block_begin"):
            kept.append(" ")
    return "".join(kept)


def _words_of(markup: str) -> list[str]:
    """Words a reader sees or hears: text between tags and accessible names, not code or scripts."""
    markup = re.sub(r"(?s)<(script|style|pre|code|textarea)\b.*?</\1>", " ", markup)
    named = re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', markup)
    text = re.sub(r"<[^>]*>", " ", markup) + " " + " ".join(named)
    text = re.sub(r"&#?\w+;", " ", text).replace("accord", " ")  # the product's name
    return WORD.findall(text)


def test_no_template_shows_words_outside_the_catalogue() -> None:
    environment = Environment(extensions=["jinja2.ext.i18n"])
    found = {}
    for template in sorted(TEMPLATES.glob("*.html")):
        words = _words_of(_outside_the_catalogue(environment, template.read_text(encoding="utf-8")))
        if words:
            found[template.name] = words
    assert found == {}, 'wrap these in {% trans %}…{% endtrans %} or _("…"), then run `make messages`'


def test_the_check_of_the_templates_finds_a_word_left_out() -> None:
    environment = Environment(extensions=["jinja2.ext.i18n"])
    source = '<h2>{% trans %}Drafts{% endtrans %}</h2><p>{{ _("Saved.") }} Left out</p><a title="here">'
    assert _words_of(_outside_the_catalogue(environment, source)) == ["Left", "out", "here"]


def _pseudo_catalogue(folder: Path) -> Path:
    """Every string of the catalogue, marked: ⟦…⟧ around it (its placeholders and tags kept)."""
    marked = Catalog(charset="utf-8", fuzzy=False)
    for message_id in _ids(read(TEMPLATE)):
        if isinstance(message_id, tuple):  # a count: its singular and its plural
            marked.add(message_id, tuple(f"⟦{form}⟧" for form in message_id))
        else:
            marked.add(message_id, f"⟦{message_id}⟧")
    po = folder / PSEUDO / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as target:
        write_po(target, marked)
    return folder


class _Names(HTMLParser):
    """The text of the page's headings, labels, buttons, table headers..., and its accessible names."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"})
    QUIET = frozenset({"script", "style", "code", "pre", "textarea", "select", "option"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in NAMED_BY and value]
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not self.QUIET & set(self.open) and CHROME & set(self.open):
            self.found.append(data)


def unmarked(page: str, record: set[str]) -> list[str]:
    """The names on ``page`` that neither came through the catalogue nor are the record's data."""
    names = _Names()
    names.feed(page)
    text = "\n".join(names.found)
    while True:  # innermost first: a translated string may carry another
        outer = re.sub(r"⟦[^⟦⟧]*⟧", "\n", text)
        if outer == text:
            break
        text = outer
    left = []
    for piece in text.split("\n"):
        piece = " ".join(html.unescape(piece).split())
        if piece in record or piece in SERVICES_WORDS or CHART_NAMES.fullmatch(piece):
            continue
        if piece.endswith("…") and len(piece) > 10 and any(r.startswith(piece[:-1].rstrip()) for r in record):
            continue  # a text of the record cut short (wording.shortened): still the record's words
        rest = piece
        for data in sorted((r for r in record if len(r) >= 3 and r in piece), key=len, reverse=True):
            rest = rest.replace(data, " ")  # a point's number and title, then a translated word
        if re.search(r"[A-Za-z]{3,}", rest):
            left.append(piece)
    return left


def _record(bench: Workbench) -> set[str]:
    """Every text of the record the mediator may read through the API: the record's own words."""
    token = api_token(bench.client, "mediator")
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for each in value.values():
                walk(each)
        elif isinstance(value, list):
            for each in value:
                walk(each)

    for path in (
        f"/api/negotiations/{NAME}",
        f"/api/negotiations/{NAME}/people",
        f"/api/negotiations/{NAME}/sources",
        f"/api/negotiations/{NAME}/papers",
        f"/api/negotiations/{NAME}/meetings",
        f"/api/negotiations/{NAME}/matrix",  # the stances' notes
    ):
        response = bench.client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, path
        walk(response.json())
    return found


def test_a_marked_catalogue_reaches_every_name_on_the_main_pages(bench: Workbench, tmp_path: Path) -> None:
    record = _record(bench)
    bench.client.app.state.translations = catalogue(PSEUDO, _pseudo_catalogue(tmp_path))  # type: ignore[attr-defined]
    log_in(bench.client, "mediator")
    left = {}
    for path in PAGES:
        response = bench.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert "⟦" in response.text, path
        if found := unmarked(response.text, record):
            left[path] = found
    assert left == {}


def test_the_check_of_the_pages_finds_a_name_left_out() -> None:
    page = '<h2>⟦Drafts⟧ Russia</h2><label>Left out <input aria-label="⟦party⟧"></label><p>prose</p>'
    assert unmarked(page, {"Russia"}) == ["Left out"]


def test_the_vocabulary_a_page_shows_as_stored_is_in_the_catalogue() -> None:
    shown = {k.value for k in EntryKind} | {c.value for c in Change}
    assert shown - set(VOCABULARY) == set()


def test_english_is_the_default_and_the_page_says_so(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/drafts").text
    assert '<html lang="en">' in page
    assert "⟦" not in page and "Drafts" in page


def test_the_language_comes_from_accord_language(
    monkeypatch: pytest.MonkeyPatch, bench: Workbench, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACCORD_LANGUAGE", PSEUDO)
    app = create_app(bench.database, locale=_pseudo_catalogue(tmp_path))
    assert app.state.language == PSEUDO
    assert app.state.translations.gettext("Drafts") == "⟦Drafts⟧"


def test_a_language_without_a_catalogue_is_refused_at_start(bench: Workbench) -> None:
    with pytest.raises(SettingsError, match=r"ACCORD_LANGUAGE='fr': no catalogue .*languages with one: en"):
        create_app(bench.database, language="fr")
    with pytest.raises(SettingsError, match="expected a language code"):
        create_app(bench.database, language="../../etc")


def test_accord_locale_names_a_folder_of_catalogues_of_ones_own(
    monkeypatch: pytest.MonkeyPatch, bench: Workbench, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACCORD_LOCALE", str(_pseudo_catalogue(tmp_path)))
    app = create_app(bench.database, language=PSEUDO)
    assert app.state.translations.gettext("Drafts") == "⟦Drafts⟧"
    monkeypatch.setenv("ACCORD_LOCALE", str(tmp_path / "missing"))
    with pytest.raises(SettingsError, match=r"ACCORD_LOCALE='.*missing': no such folder"):
        create_app(bench.database)


def test_serve_refuses_a_language_without_a_catalogue_before_it_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    refuse_servers(monkeypatch)
    monkeypatch.setenv("ACCORD_LANGUAGE", "en")  # serve sets it for its processes: undone after the test
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "accord.db"), "--language", "fr"], env=ENV)
    assert result.exit_code == 1, result.output
    assert "SettingsError: --language='fr': no catalogue" in result.output
    assert not (tmp_path / "accord.db").exists()  # refused before anything was made


def test_a_forms_own_problems_are_said_in_the_pages_language(bench: Workbench, tmp_path: Path) -> None:
    bench.client.app.state.translations = catalogue(PSEUDO, _pseudo_catalogue(tmp_path))  # type: ignore[attr-defined]
    csrf = log_in(bench.client, "mediator")
    response = bench.client.post(f"{P}/drafts", data={"csrf_token": csrf, "base": "3"})
    assert response.status_code == 422
    assert "⟦a new draft needs at least one amendment: change, drop or add a point⟧" in response.text
    response = bench.client.post(f"{P}/stances/on-behalf", data={"csrf_token": csrf})
    assert response.status_code == 422
    assert "⟦choose the party⟧" in response.text and "⟦choose the draft the party answered⟧" in response.text


def test_a_mistyped_translation_shows_the_english_instead_of_failing_the_page(
    bench: Workbench, tmp_path: Path
) -> None:
    french = Catalog(locale="fr", charset="utf-8", fuzzy=False)
    french.add("Drafts", "Projets")
    french.add("Draft v%(version)s", "Projet v%(versoin)s", flags=["python-format"])  # a typo
    french.add("Saved.", "Enregistré à 100 %")  # a lone %: no placeholder
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as target:
        write_po(target, french)
    translations = catalogue("fr", tmp_path)
    assert translations.gettext("Drafts") == "Projets"
    assert translations.gettext("Draft v%(version)s") == "Draft v%(version)s"
    assert translations.gettext("Saved.") == "Saved."
    bench.client.app.state.translations = translations  # type: ignore[attr-defined]
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/drafts/3")
    assert page.status_code == 200
    assert "Projets" in page.text and "Draft v3" in page.text


def test_every_shipped_catalogue_takes_its_strings_placeholders() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/messages.po")):
        assert [(m.id, errors) for m, errors in read(po).check()] == [], po
