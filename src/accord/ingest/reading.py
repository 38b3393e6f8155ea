"""A report's file as text: what `accord ingest REPORT` reads before anything is proposed.

Text, Markdown, HTML, PDF and Word (.docx) files are read; the format is known by the file's first
bytes (%PDF-, a zip holding word/document.xml), its media type when given, its suffix, or an HTML
page's opening. The text is normalised (line ends \\n, Unicode NFC, no NUL or soft hyphen) so that
offsets into it (a proposal's evidence) and its SHA-256 (the key that makes applying a report twice
detectable) do not depend on how the file was saved.

Every bad input is a DomainError naming the file: missing, empty, too large, not a report's format,
a corrupt PDF or Word file, a scanned PDF with no text to extract.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from accord.config import REPORT_BYTES_VARIABLE, REPORT_CHARS_VARIABLE, limits
from accord.errors import DomainError
from accord.ingest.markup import html_text, markdown_text

ReportFormat = Literal["text", "markdown", "html", "pdf", "docx"]

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SUFFIXES: dict[str, ReportFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
_MEDIA_TYPES: dict[str, ReportFormat] = {
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    DOCX_MEDIA_TYPE: "docx",
}
_NOT_READ = "is not a text, Markdown, HTML, PDF or Word file"
_HTML_START = re.compile(r"\A(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
# control characters but tab, line feed, vertical tab, form feed and carriage return
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Word 97-2003 .doc (and other old Office files)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ASCII_LETTERS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))
# a zip expanding to more than this many times the report limit is refused unopened (a zip bomb)
_EXPANSION = 20


@dataclass(frozen=True)
class ReportText:
    """A report's text (normalised), the name it was read under, its format, the SHA-256 of the
    text's UTF-8 bytes, and its title when the file says (an HTML <h1> or <title>, a Markdown
    heading, a Word file's title)."""

    text: str
    name: str
    format: ReportFormat
    sha256: str
    title: str | None = None


def read_report(path: str | Path) -> ReportText:
    """The report in the file at ``path``; DomainError naming it when it cannot be read as one."""
    name = str(path)
    file = Path(path)
    limit = limits().report_bytes
    try:
        if file.is_dir():
            raise DomainError(f"{name} is a directory; expected a report file")
        size = file.stat().st_size
        if file.is_file() and size > limit:
            raise _too_large(name, size)
        with open(file, "rb") as handle:
            data = handle.read(limit + 1)  # a file that grew, or never ends (a pipe), stops here
    except FileNotFoundError:
        raise DomainError(f"{name}: no such file") from None
    except OSError as error:
        raise DomainError(f"{name}: {error.strerror or error}") from None
    if len(data) > limit:
        raise _too_large(name, None)
    return report_from_bytes(data, name)


def report_from_bytes(data: bytes, name: str, media_type: str | None = None) -> ReportText:
    """The report in ``data`` (a file's bytes, the standard input's when ``name`` is "-"); its
    format by its first bytes, ``media_type``, the suffix of ``name``, then its content."""
    shown = "the standard input" if name == "-" else name
    if len(data) > limits().report_bytes:
        raise _too_large(shown, len(data))
    if not data.strip():
        raise DomainError(f"{shown} is empty: nothing to read")
    form = _format(data, name, media_type, shown)
    title: str | None = None
    if form == "pdf":
        text = _pdf_text(data, shown)
    elif form == "docx":
        text, title = _docx_text(data, shown)
    else:
        decoded = _decoded(data, shown)
        if form == "text" and _HTML_START.match(decoded[:4096]):
            form = "html"
        if form == "html":
            try:
                text, title = html_text(decoded)
            except ValueError as error:
                raise DomainError(f"{shown} is not readable HTML: {error}") from None
        elif form == "markdown":
            text, title = markdown_text(decoded)
        else:
            text = decoded
    text = normalised(text)
    if not text:
        raise DomainError(_nothing(shown, form))
    characters = limits().report_characters
    if len(text) > characters:
        raise DomainError(
            f"{shown} holds {len(text):,} characters of text, over the limit of {characters:,} "
            f"(${REPORT_CHARS_VARIABLE} sets it)"
        )
    title = (" ".join(unicodedata.normalize("NFC", title).split()) or None) if title else None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ReportText(text=text, name=name, format=form, sha256=digest, title=title)


def normalised(text: str) -> str:
    """Line ends as \\n, Unicode NFC, no NUL or soft hyphen, no spaces ending a line, at most one
    blank line in a row, nothing blank at either end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\u00ad", "")
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _too_large(shown: str, size: int | None) -> DomainError:
    limit = limits().report_bytes
    what = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
    return DomainError(
        f"{shown} is {what}, over the limit of {limit:,} bytes "
        f"({limit / 1_000_000:g} MB; ${REPORT_BYTES_VARIABLE} sets it)"
    )


def _nothing(shown: str, form: ReportFormat) -> str:
    if form == "pdf":
        return (
            f"{shown} holds no text that can be extracted: a scanned PDF? "
            "Run text recognition (OCR) on it, or give the report's text"
        )
    if form == "html":
        return f"{shown} shows no text: nothing to read"
    return f"{shown} is empty: nothing to read"


def _format(data: bytes, name: str, media_type: str | None, shown: str) -> ReportFormat:
    suffix = Path(name).suffix.lower() if name != "-" else ""
    media = (media_type or "").split(";")[0].strip().lower()
    claimed = _MEDIA_TYPES.get(media) or _SUFFIXES.get(suffix)
    if data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            if claimed == "docx":
                raise DomainError(f"{shown} is not a readable Word file (.docx): a broken zip") from None
        raise DomainError(f"{shown} {_NOT_READ} (a zip archive holding no Word document)")
    if data[:8] == _OLE:
        raise DomainError(f"{shown} is a Word 97-2003 document (.doc); save it as .docx, PDF or text")
    if data[:5] == b"{\\rtf":
        raise DomainError(f"{shown} is a Rich Text (.rtf) file; save it as .docx, PDF or text")
    if claimed in ("pdf", "docx"):
        kind = "PDF" if claimed == "pdf" else "Word file (.docx)"
        raise DomainError(f"{shown} is not a readable {kind}: it does not begin as one")
    return claimed or "text"


def _decoded(data: bytes, shown: str) -> str:
    """Text from bytes: a byte order mark's encoding, else UTF-8, else a Windows code page (Cyrillic
    when the bytes look Cyrillic), else Latin-1; DomainError when they are not text at all."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _text_or_refuse(data.decode(codec, errors="replace"), shown)
    if b"\x00" in data:
        raise DomainError(f"{shown} {_NOT_READ}")
    try:
        return _text_or_refuse(data.decode("utf-8"), shown)
    except UnicodeDecodeError:
        pass
    # not UTF-8: a Russian text in windows-1251 has more bytes of letters above 0xC0 than ASCII
    # letters; a Western one in windows-1252 a few accented letters among many ASCII ones
    high = len(data) - len(data.translate(None, bytes(range(0xC0, 0x100))))
    ascii_letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    for codec in ("cp1251", "cp1252") if high > ascii_letters else ("cp1252",):
        with contextlib.suppress(UnicodeDecodeError):
            return _text_or_refuse(data.decode(codec), shown)
    return _text_or_refuse(data.decode("latin-1"), shown)


def _text_or_refuse(text: str, shown: str) -> str:
    """``text`` unless it is mostly control characters (a binary file, an image)."""
    if len(_CONTROL.findall(text)) > 0.3 * len(text):
        raise DomainError(f"{shown} {_NOT_READ}")
    return text


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """A library's warnings about a malformed file kept off the terminal: the error says enough."""
    log = logging.getLogger(logger)
    before = log.level
    log.setLevel(logging.ERROR + 10)
    try:
        yield
    finally:
        log.setLevel(before)


def _pdf_text(data: bytes, shown: str) -> str:
    """The pages' text (a blank line between pages), lines rejoined into paragraphs."""
    from pypdf import PdfReader

    try:
        with _quiet("pypdf"):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not _opened(reader):
                raise DomainError(f"{shown} is an encrypted PDF; give one that opens without a password")
            pages = [page.extract_text() or "" for page in reader.pages]
    except DomainError:
        raise
    except Exception as error:  # pypdf fails on a broken file in many ways; each is the file's fault
        raise DomainError(f"{shown} is not a readable PDF: {_reason(error)}") from None
    return "\n\n".join("\n\n".join(_paragraphs(page)) for page in pages)


def _opened(reader: Any) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported encryption: not opened
        return False


def _reason(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# a hyphen, the Unicode hyphen a typesetter breaks words with (WeasyPrint's), a soft hyphen
_HYPHENS = "-\u2010\u00ad"
_ENDS = tuple(".!?:;\"'»”’)")


def _paragraphs(page: str) -> list[str]:
    """A PDF page's lines as paragraphs: a blank line ends one, and so does a line well short of the
    page's width that ends a sentence (or a heading: short, followed by a capital)."""
    lines = [" ".join(line.split()) for line in page.split("\n")]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if line:
            current.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        short = len(line) < 0.8 * width
        heading = short and not line.endswith((",", *_HYPHENS)) and following[:1].isupper()
        if current and (not line or (short and line.endswith(_ENDS)) or heading):
            paragraphs.append(_joined(current))
            current = []
    if current:
        paragraphs.append(_joined(current))
    return paragraphs


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph as one line; a word hyphenated across a line end ("nego-" "tiations")
    whole again."""
    text = lines[0]
    for line in lines[1:]:
        if len(text) > 1 and text[-1] in _HYPHENS and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + line
        else:
            text += " " + line
    return text


def _docx_text(data: bytes, shown: str) -> tuple[str, str | None]:
    """A Word file's paragraphs and tables (a row's cells on one line) in order, and its title."""
    limit = limits().report_bytes * _EXPANSION
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(entry.file_size for entry in archive.infolist())
        if expanded > limit:
            raise DomainError(
                f"{shown} expands to {expanded:,} bytes, over {limit:,} ({_EXPANSION} times "
                f"${REPORT_BYTES_VARIABLE}): not read"
            )
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        first_title: str | None = None
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                blocks.extend(_rows(block))
                continue
            blocks.append(block.text)
            if (
                first_title is None
                and block.text.strip()
                and (block.style is not None)
                and block.style.name == "Title"
            ):
                first_title = block.text
        title = (document.core_properties.title or "").strip() or first_title
    except DomainError:
        raise
    except Exception as error:  # python-docx and its XML parser fail on a broken file in many ways
        raise DomainError(f"{shown} is not a readable Word file (.docx): {_reason(error)}") from None
    return "\n\n".join(b.strip() for b in blocks if b.strip()), title


def _rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            words = " ".join(cell.text.split())
            if words and (not cells or cells[-1] != words):  # a merged cell repeats
                cells.append(words)
        rows.append(" | ".join(cells))
    return rows
