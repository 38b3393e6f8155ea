"""A report's file as text (accord.ingest.reading): text, Markdown, HTML, PDF and Word files read
into normalised text with its SHA-256 and title; every bad input refused with a one-line DomainError
naming the file, never a traceback."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import docx
import matplotlib
import pytest
from fpdf import FPDF

from accord.config import REPORT_BYTES_VARIABLE, REPORT_CHARS_VARIABLE
from accord.errors import DomainError
from accord.ingest.reading import ReportText, read_report, report_from_bytes

RUSSIAN = "Юрий Ушаков сказал журналистам, что разговор был «полезным», но до соглашения ещё далеко."
FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # Cyrillic glyphs


def refused(data: bytes, name: str, media_type: str | None = None) -> str:
    with pytest.raises(DomainError) as caught:
        report_from_bytes(data, name, media_type)
    message = str(caught.value)
    assert "\n" not in message
    return message


# text -------------------------------------------------------------------------------------------


def test_a_text_file_is_read_normalised_with_the_digest_of_its_text(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Café in Genève")
    raw = codecs.BOM_UTF8 + f"  {decomposed}\r\nline two   \r\n\r\n\r\n\r\n{RUSSIAN}\r\n".encode()
    path = tmp_path / "report.txt"
    path.write_bytes(raw)
    report = read_report(path)
    assert report.text == f"Café in Genève\nline two\n\n{RUSSIAN}"
    assert report.text == unicodedata.normalize("NFC", report.text)
    assert report == ReportText(
        text=report.text,
        name=str(path),
        format="text",
        sha256=hashlib.sha256(report.text.encode("utf-8")).hexdigest(),
        title=None,
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café, naïve résumé — the talks".encode("cp1252"), "Café, naïve résumé — the talks"),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
        (codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"), RUSSIAN),
        (codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"), RUSSIAN),
        ("Mixed\x00 NUL removed".encode("utf-16"), "Mixed NUL removed"),
        (b"caf\xe9 \x81", "café \x81"),  # not windows-1252 (0x81 is undefined there): Latin-1
    ],
)
def test_text_not_in_utf8_is_decoded_by_its_bom_or_a_code_page(data: bytes, expected: str) -> None:
    assert report_from_bytes(data, "report.txt").text == expected


@pytest.mark.parametrize("name", ["report", "-", "report.text", "notes.eml"])
def test_a_file_without_a_known_suffix_or_the_standard_input_is_text(name: str) -> None:
    report = report_from_bytes(RUSSIAN.encode(), name)
    assert (report.format, report.text, report.name) == ("text", RUSSIAN, name)


# Markdown ---------------------------------------------------------------------------------------

MARKDOWN = """\
---
layout: post
---
# Talks in *Geneva*: a **breakthrough**?

By the [Continental Wire](https://example.org/wire) desk

The delegations met for **five hours**; the US envoy called the talks _productive_.
The draft's point 7 (see ![map](map.png)) was left open, and `snake_case` words and 2*3*4 stay.

## What was agreed

- a ceasefire on the *line of contact*
* an exchange of prisoners
1. elections within 100 days

> "We are not there yet," Ushakov said \\*again\\*.

Setext heading
--------------

[1]: https://example.org/footnote
"""


def test_markdown_keeps_its_words_and_drops_its_markup() -> None:
    report = report_from_bytes(MARKDOWN.encode(), "talks.md")
    assert report.format == "markdown"
    assert report.title == "Talks in Geneva: a breakthrough?"
    assert report.text == (
        "Talks in Geneva: a breakthrough?\n\n"
        "By the Continental Wire desk\n\n"
        "The delegations met for five hours; the US envoy called the talks productive.\n"
        "The draft's point 7 (see map) was left open, and snake_case words and 2*3*4 stay.\n\n"
        "What was agreed\n\n"
        "a ceasefire on the line of contact\n"
        "an exchange of prisoners\n"
        "1. elections within 100 days\n\n"
        '"We are not there yet," Ushakov said *again*.\n\n'
        "Setext heading"
    )


def test_markdown_takes_its_title_from_front_matter_or_a_setext_heading() -> None:
    front = "---\ntitle: 'Переговоры в Женеве'\n---\n\n# Другой заголовок\n\n" + RUSSIAN
    assert report_from_bytes(front.encode(), "r.markdown").title == "Переговоры в Женеве"
    setext = "Talks resume\n============\n\nThe talks resumed."
    report = report_from_bytes(setext.encode(), "r.md")
    assert (report.title, report.text) == ("Talks resume", "Talks resume\n\nThe talks resumed.")


# HTML -------------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Talks in Geneva – Example Wire</title>
<style>p { color: red }</style>
<script>var tracking = "Secret text that is no report";</script></head>
<body>
<header><a href="/">Example Wire</a> Home · World</header>
<nav><ul><li>Politics</li><li>Economy</li></ul></nav>
<main><article>
<header><h1>Talks   in <em>Geneva</em></h1>
<p class="byline">By staff &ndash; 2&nbsp;December&nbsp;2025</p></header>
<p>The US &amp; Ukrainian delegations met for
   five hours.<br>Rubio called it &quot;productive&quot;.</p>
<div>&#1055;&#1091;&#1090;&#1080;&#1085; said nothing.</div>
<p hidden>A hidden paragraph.</p><span aria-hidden="true">icon</span>
<table><tr><th>Point</th><th>Stance</th></tr><tr><td>7</td><td>open</td></tr></table>
<noscript>Enable JavaScript</noscript>
<ul><li>first item</li><li>second item</li></ul>
</article>
<aside><p>Read more: unrelated story</p></aside></main>
<footer>© Example Wire</footer>
</body></html>"""


def test_html_gives_the_visible_text_in_paragraphs() -> None:
    report = report_from_bytes(HTML.encode(), "talks.html")
    assert report.format == "html"
    assert report.title == "Talks in Geneva"
    assert report.text == (
        "Talks in Geneva\n\n"
        "By staff – 2 December 2025\n\n"
        "The US & Ukrainian delegations met for five hours.\n\n"
        'Rubio called it "productive".\n\n'
        "Путин said nothing.\n\n"
        "Point | Stance\n\n"
        "7 | open\n\n"
        "first item\n\n"
        "second item"
    )


def test_an_html_page_without_h1_is_named_by_its_title() -> None:
    page = "<html><head><title>Readout &amp; notes</title></head><body><p>They met.</p></body></html>"
    report = report_from_bytes(page.encode(), "readout.htm")
    assert (report.title, report.text) == ("Readout & notes", "They met.")


@pytest.mark.parametrize("name", ["page.txt", "page", "-"])
def test_an_html_page_is_known_by_its_opening_whatever_its_name(name: str) -> None:
    report = report_from_bytes(b"\n<!-- saved -->\n<!doctype html><p>They met.</p>", name)
    assert (report.format, report.text) == ("html", "They met.")


def test_the_media_type_names_the_format_before_the_suffix() -> None:
    report = report_from_bytes(b"<p>They <b>met</b>.</p>", "upload.bin", "text/html; charset=utf-8")
    assert (report.format, report.text) == ("html", "They met.")


def test_a_page_with_nothing_visible_is_refused() -> None:
    message = refused(b"<html><script>x()</script><nav>Home</nav></html>", "empty.html")
    assert message == "empty.html shows no text: nothing to read"


# PDF --------------------------------------------------------------------------------------------


def pdf_of(*pages: list[str], encrypt: bool = False) -> bytes:
    """A PDF with a page per list of lines (each line placed as is, no wrapping)."""
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_a_pdf_is_read_page_by_page_its_paragraphs_rejoined(tmp_path: Path) -> None:
    first = [
        "Переговоры в Женеве",
        "",
        "The delegations of the United States and Ukraine met in Geneva on Sunday",
        "to discuss the twenty-eight point plan; the nego-",
        "tiations lasted into the evening.",
        "A second paragraph.",
    ]
    second = ["Юрий Ушаков сказал журналистам, что разговор был «полезным»,", "но до соглашения ещё далеко."]
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_of(first, second))
    report = read_report(path)
    assert (report.format, report.title) == ("pdf", None)
    assert report.text == (
        "Переговоры в Женеве\n\n"
        "The delegations of the United States and Ukraine met in Geneva on Sunday to discuss the "
        "twenty-eight point plan; the negotiations lasted into the evening.\n\n"
        "A second paragraph.\n\n" + RUSSIAN
    )


def test_a_pdf_is_known_by_its_first_bytes_whatever_its_name() -> None:
    report = report_from_bytes(pdf_of(["They met."]), "-")
    assert (report.format, report.text) == ("pdf", "They met.")


def test_a_scanned_pdf_without_text_is_refused_saying_so() -> None:
    message = refused(pdf_of([]), "scan.pdf")
    assert message.startswith("scan.pdf holds no text that can be extracted: a scanned PDF?")


def test_an_encrypted_pdf_is_refused() -> None:
    assert refused(pdf_of(["Secret"], encrypt=True), "locked.pdf") == (
        "locked.pdf is an encrypted PDF; give one that opens without a password"
    )


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n1 0 obj garbage", b"%PDF-1.4\n" + bytes(range(256)) * 4, pdf_of(["They met."])[:400]]
)
def test_a_corrupt_pdf_is_refused_without_a_traceback(data: bytes) -> None:
    message = refused(data, "broken.pdf")
    assert message.startswith("broken.pdf is not a readable PDF: ") or "holds no text" in message


def test_a_file_named_pdf_that_is_not_one_is_refused() -> None:
    assert (
        refused(b"Just some words.", "report.pdf")
        == "report.pdf is not a readable PDF: it does not begin as one"
    )


# Word -------------------------------------------------------------------------------------------


def docx_of(title: str | None = None, styled_title: str | None = None) -> bytes:
    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    if styled_title is not None:
        document.add_paragraph(styled_title, style="Title")
    document.add_paragraph("The delegations met in Geneva.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Point", "Stance"
    table.cell(1, 0).text, table.cell(1, 1).text = "7", "open"
    document.add_paragraph(RUSSIAN)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_gives_its_paragraphs_and_tables_in_order_and_its_title(tmp_path: Path) -> None:
    path = tmp_path / "readout.docx"
    path.write_bytes(docx_of(title="Readout: Geneva"))
    report = read_report(path)
    assert (report.format, report.title) == ("docx", "Readout: Geneva")
    assert report.text == f"The delegations met in Geneva.\n\nPoint | Stance\n\n7 | open\n\n{RUSSIAN}"


def test_a_word_file_without_a_title_property_is_named_by_its_title_paragraph() -> None:
    report = report_from_bytes(docx_of(styled_title="Переговоры"), "-")
    assert (report.format, report.title) == ("docx", "Переговоры")
    assert report.text.startswith("Переговоры\n\nThe delegations met")
    assert report_from_bytes(docx_of(), "r.docx").title is None


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_corrupt_word_file_is_refused_without_a_traceback() -> None:
    broken = _zip({"word/document.xml": b"<w:document>not xml", "[Content_Types].xml": b"<Types/>"})
    assert refused(broken, "broken.docx").startswith("broken.docx is not a readable Word file (.docx): ")
    truncated = docx_of()[:300]
    assert refused(truncated, "cut.docx") == "cut.docx is not a readable Word file (.docx): a broken zip"
    assert refused(b"plain words", "fake.docx") == (
        "fake.docx is not a readable Word file (.docx): it does not begin as one"
    )


def test_a_word_file_expanding_past_twenty_times_the_limit_is_not_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(REPORT_BYTES_VARIABLE, "100000")
    bomb = _zip({"word/document.xml": b"<" + b" " * 3_000_000 + b">"})
    assert len(bomb) < 100_000
    message = refused(bomb, "bomb.docx")
    assert message.startswith(
        "bomb.docx expands to 3,000,002 bytes, over 2,000,000 (20 times $ACCORD_MAX_REPORT_BYTES)"
    )


# bad input ----------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def test_a_missing_file_or_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as caught:
        read_report(tmp_path / "nope.txt")
    assert str(caught.value) == f"{tmp_path / 'nope.txt'}: no such file"
    with pytest.raises(DomainError) as caught:
        read_report(tmp_path)
    assert str(caught.value) == f"{tmp_path} is a directory; expected a report file"


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n  ", codecs.BOM_UTF8 + b"\n\n", "\u00a0\u2003\n".encode()])
def test_an_empty_report_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(DomainError) as caught:
        read_report(path)
    assert str(caught.value) == f"{path} is empty: nothing to read"
    assert refused(data, "-") == "the standard input is empty: nothing to read"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (PNG, "photo.png"),
        (PNG, "report.txt"),
        (bytes(range(32)) * 10, "-"),
        (b"\x01\x02\x03\x04 abc \x05\x06\x07\x08\x0e\x0f\x10", "control.txt"),
        (_zip({"xl/workbook.xml": b"<workbook/>"}), "sheet.xlsx"),
        (_zip({"notes.txt": b"hello"}), "notes.txt"),
    ],
)
def test_a_binary_file_is_refused(data: bytes, name: str) -> None:
    shown = "the standard input" if name == "-" else name
    message = refused(data, name)
    assert message.startswith(f"{shown} is not a text, Markdown, HTML, PDF or Word file")


def test_old_word_and_rich_text_files_are_refused_with_what_to_do() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert (
        refused(ole, "old.doc") == "old.doc is a Word 97-2003 document (.doc); save it as .docx, PDF or text"
    )
    assert "Rich Text (.rtf)" in refused(b"{\\rtf1\\ansi Hello}", "r.rtf")


def test_a_report_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"word " * 300_000)
    monkeypatch.setenv(REPORT_CHARS_VARIABLE, "2000000")
    assert read_report(path).text.startswith("word word")  # 1.5 MB: under the default 5 MB
    monkeypatch.setenv(REPORT_BYTES_VARIABLE, "1000000")
    with pytest.raises(DomainError) as caught:
        read_report(path)
    assert str(caught.value) == (
        f"{path} is 1,500,000 bytes, over the limit of 1,000,000 bytes "
        "(1 MB; $ACCORD_MAX_REPORT_BYTES sets it)"
    )
    assert refused(b"word " * 300_000, "-").startswith(
        "the standard input is 1,500,000 bytes, over the limit"
    )


def test_a_report_of_five_megabytes_is_read_and_one_byte_more_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REPORT_CHARS_VARIABLE, "10000000")
    assert len(report_from_bytes(b"a" * 5_000_000, "-").text) == 5_000_000
    assert "over the limit of 5,000,000 bytes (5 MB;" in refused(b"a" * 5_000_001, "-")


def test_a_text_over_the_character_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REPORT_CHARS_VARIABLE, "10")
    assert refused("Переговоры в Женеве".encode(), "r.txt") == (
        "r.txt holds 19 characters of text, over the limit of 10 ($ACCORD_MAX_REPORT_CHARS sets it)"
    )


def test_reading_a_report_loads_neither_pypdf_nor_python_docx_until_needed() -> None:
    code = (
        "import json, sys\n"
        "from accord.ingest.reading import report_from_bytes\n"
        "report_from_bytes(b'They met.', 'r.txt')\n"
        "print(json.dumps([m for m in ('pypdf', 'docx', 'yaml') if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout.splitlines()[-1]) == []
