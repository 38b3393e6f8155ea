"""Bring the workbench's catalogue of words up to date (`make messages`, docs/translating.md).

Collects every marked string of src/accord/web (templates and Python, as babel.cfg says) into
src/accord/web/locale/messages.pot, then updates each language's messages.po from it: new words come
in untranslated, words no longer used go. English is the source language: its catalogue holds every
word as it is written, so it is complete by construction and a translator can start from it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "babel.cfg"
LOCALE = ROOT / "src" / "accord" / "web" / "locale"
TEMPLATE = LOCALE / "messages.pot"
SOURCE_LANGUAGE = "en"
WIDTH = 100


def extracted() -> Catalog:
    """Every marked string of the code and templates, as babel.cfg says, with the files it is in."""
    with CONFIG.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, filename=str(CONFIG))
    catalog = Catalog(project="accord", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        # file names without line numbers: a template's edit elsewhere does not change the catalogues
        write_po(target, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True)


def _ids(catalog: Catalog) -> set[object]:
    return {m.id for m in catalog if m.id}


def update() -> list[str]:
    """Write messages.pot and update every language's catalogue; returns what changed, in words."""
    said = []
    template = extracted()
    if TEMPLATE.is_file():
        before = read(TEMPLATE)
        if _ids(before) == _ids(template):
            template.creation_date = before.creation_date  # no new words: the same file
    write(TEMPLATE, template)
    said.append(f"{TEMPLATE.relative_to(ROOT)}: {len(_ids(template))} strings")
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/messages.po")):
        catalog = read(po)
        catalog.update(template, no_fuzzy_matching=True)
        if po.parent.parent.name == SOURCE_LANGUAGE:
            for message in catalog:
                if message.id:
                    message.string = message.id  # English: every word as written
        write(po, catalog)
        missing = sum(1 for m in catalog if m.id and not m.string)
        said.append(f"{po.relative_to(ROOT)}: {missing} to translate")
    return said


def main() -> int:
    english = LOCALE / SOURCE_LANGUAGE / "LC_MESSAGES" / "messages.po"
    if not english.is_file():  # the first run
        write(english, Catalog(locale=SOURCE_LANGUAGE, project="accord", charset="utf-8", fuzzy=False))
    for line in update():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
