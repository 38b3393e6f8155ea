"""The briefing written out: Markdown, HTML (charts inline as SVG), PDF (typeset from the HTML by
WeasyPrint: A4, embedded DejaVu fonts, page numbers, a table of contents, vector charts) and Word.

Every format is written from the same accord.reports.briefing.Briefing, and the same briefing gives
the same bytes (no clock, no random ids: the PDF's identifier and dates come from the record's
revision and as-of date).
"""

from __future__ import annotations

import base64
import datetime as dt
import html as html_escape
import io
import re
from collections.abc import Iterator
from pathlib import Path

from accord.reports.briefing import TONES, Block, Briefing, Bullets, Figure, Paragraph, Section, Table

FORMATS = ("html", "pdf", "md", "docx")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _figures(briefing: Briefing) -> Iterator[tuple[int, Figure]]:
    n = 0
    for section in briefing.sections:
        for block in section.blocks:
            if isinstance(block, Figure):
                n += 1
                yield n, block


def _numbers(briefing: Briefing) -> dict[int, int]:
    """id(figure) -> its number in the document."""
    return {id(f): n for n, f in _figures(briefing)}


# -- Markdown ------------------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(briefing: Briefing, figure_dir: str | None = None) -> str:
    """``figure_dir``: where the figures are written beside the file (relative links); None: the
    figures are embedded as data (a single self-contained file)."""
    numbers = _numbers(briefing)
    out = [f"# {briefing.heading}: {briefing.title}", "", f"*{briefing.reflects}.*", ""]
    for warning in briefing.warnings:
        out += [f"> **Warning:** {warning}", ""]
    out += ["## Contents", ""]
    out += [f"{i}. [{s.title}](#{_anchor(s)})" for i, s in enumerate(briefing.sections, 1)] + [""]
    for i, section in enumerate(briefing.sections, 1):
        out += [f'<a id="{_anchor(section)}"></a>', "", f"## {i}. {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out += [block.text, ""]
            elif isinstance(block, Bullets):
                out += [f"- {item}" for item in block.items] + [""]
            elif isinstance(block, Table):
                out += [f"*{block.caption}*", ""]
                out.append("| " + " | ".join(_md_cell(h) for h in block.header) + " |")
                out.append("|" + "|".join("---" for _ in block.header) + "|")
                out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
                out.append("")
            elif isinstance(block, Figure):
                n = numbers[id(block)]
                if figure_dir is None:
                    target = "data:image/png;base64," + base64.b64encode(block.png).decode()
                else:
                    target = f"{figure_dir}/figure-{n}-{block.name}.svg"
                out += [f"![Figure {n}]({target})", "", f"*Figure {n}. {block.caption}*", ""]
    return "\n".join(out)


def _anchor(section: Section) -> str:
    return f"section-{section.key}"


# -- HTML ----------------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-family: "DejaVu Sans";
    font-size: 8pt; color: #555; }
  @top-right { content: string(doctitle); font-family: "DejaVu Sans"; font-size: 8pt; color: #777; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.4; color: #222;
  max-width: 60em; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 .3em; string-set: doctitle content(); }
h2 { font-size: 13pt; margin-top: 1.4em; border-bottom: 1px solid #ccc; page-break-after: avoid; }
.reflects { color: #555; }
.warning { border: 2px solid #D55E00; background: #fbeee6; padding: .5em .8em; margin: .8em 0; }
nav.toc ol { padding-left: 1.4em; }
nav.toc a { color: #0b4f8a; text-decoration: none; }
@media print { nav.toc a::after { content: leader('.') target-counter(attr(href), page); } }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: 8pt; }
th, td { border: 1px solid #bbb; padding: 2px 4px; vertical-align: top; text-align: left; }
th { background: #eee; }
caption { caption-side: top; text-align: left; font-style: italic; margin-bottom: .3em; }
figure { margin: 1em 0; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { font-style: italic; font-size: 8.5pt; color: #333; }
"""


def _tone_style(tone: str) -> str:
    tint, colour = TONES.get(tone, ("", ""))
    return f' style="background:{tint};border-left:3px solid {colour}"' if tint else ""


def _svg_body(svg: str) -> str:
    """The SVG element alone (no XML prolog or doctype), for inline use."""
    at = svg.find("<svg")
    return svg[at:] if at >= 0 else svg


def html(briefing: Briefing) -> str:
    e = html_escape.escape
    numbers = _numbers(briefing)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(briefing.heading)}: {e(briefing.title)}</title>",
        f'<meta name="dcterms.created" content="{briefing.as_of.isoformat()}">',
        f'<meta name="dcterms.modified" content="{briefing.as_of.isoformat()}">',
        '<meta name="generator" content="accord">',
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(briefing.heading)}: {e(briefing.title)}</h1>",
        f'<p class="reflects">{e(briefing.reflects)}.</p>',
    ]
    parts += [f'<p class="warning"><strong>Warning:</strong> {e(w)}</p>' for w in briefing.warnings]
    parts.append('<nav class="toc"><h2>Contents</h2><ol>')
    parts += [f'<li><a href="#{_anchor(s)}">{e(s.title)}</a></li>' for s in briefing.sections]
    parts.append("</ol></nav>")
    for i, section in enumerate(briefing.sections, 1):
        parts.append(f'<section id="{_anchor(section)}"><h2>{i}. {e(section.title)}</h2>')
        parts += [_html_block(b, numbers) for b in section.blocks]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_block(block: Block, numbers: dict[int, int]) -> str:
    e = html_escape.escape
    if isinstance(block, Paragraph):
        return f"<p>{e(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Table):
        rows = []
        for r, row in enumerate(block.rows):
            tones = block.tones[r] if r < len(block.tones) else ()
            cells = "".join(
                f"<td{_tone_style(tones[c] if c < len(tones) else '')}>{e(cell)}</td>"
                for c, cell in enumerate(row)
            )
            rows.append(f"<tr>{cells}</tr>")
        head = "".join(f"<th>{e(h)}</th>" for h in block.header)
        return (
            f"<table><caption>{e(block.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    n = numbers[id(block)]
    return (
        f'<figure id="figure-{n}">{_svg_body(block.svg)}'
        f"<figcaption>Figure {n}. {e(block.caption)}</figcaption></figure>"
    )


# -- PDF -----------------------------------------------------------------------------------------------


def pdf(briefing: Briefing) -> bytes:
    """Typeset from the HTML by WeasyPrint. The identifier is derived from the record's revision and
    as-of date, and the dates are the as-of date, so the same record gives the same bytes."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    identifier = f"accord-{briefing.revision}-{briefing.as_of.isoformat()}-{briefing.party or 'mediator'}"
    document = HTML(string=html(briefing)).render()
    return bytes(document.write_pdf(pdf_identifier=identifier.encode()[:32].ljust(32, b"-")))


# -- Word ----------------------------------------------------------------------------------------------


def docx(briefing: Briefing) -> bytes:
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = python_docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(18)
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9.5)
    props = document.core_properties
    props.title = f"{briefing.heading}: {briefing.title}"
    props.author = "accord"
    stamp = dt.datetime.combine(briefing.as_of, dt.time())
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.last_modified_by = "accord"
    document.add_heading(f"{briefing.heading}: {briefing.title}", level=0)
    document.add_paragraph(briefing.reflects + ".").runs[0].italic = True
    for warning in briefing.warnings:
        p = document.add_paragraph()
        run = p.add_run("Warning: ")
        run.bold = True
        p.add_run(warning)
    document.add_heading("Contents", level=1)
    for i, s in enumerate(briefing.sections, 1):
        document.add_paragraph(f"{i}. {s.title}")
    numbers = _numbers(briefing)
    for i, s in enumerate(briefing.sections, 1):
        document.add_heading(f"{i}. {s.title}", level=1)
        for block in s.blocks:
            if isinstance(block, Paragraph):
                document.add_paragraph(block.text)
            elif isinstance(block, Bullets):
                for item in block.items:
                    document.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Table):
                document.add_paragraph(block.caption).runs[0].italic = True
                table = document.add_table(rows=1, cols=len(block.header))
                table.style = "Table Grid"
                for c, h in enumerate(block.header):
                    table.rows[0].cells[c].text = h
                for r, row in enumerate(block.rows):
                    cells = table.add_row().cells
                    tones = block.tones[r] if r < len(block.tones) else ()
                    for c, cell in enumerate(row):
                        cells[c].text = cell
                        tone = tones[c] if c < len(tones) else ""
                        if tone in TONES:
                            shading = OxmlElement("w:shd")
                            shading.set(qn("w:val"), "clear")
                            shading.set(qn("w:fill"), TONES[tone][0].lstrip("#"))
                            cells[c]._tc.get_or_add_tcPr().append(shading)
            elif isinstance(block, Figure):
                document.add_picture(io.BytesIO(block.png), width=Mm(170))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption = document.add_paragraph(f"Figure {numbers[id(block)]}. {block.caption}")
                caption.runs[0].italic = True
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _page_field(paragraph: object) -> None:
    """A PAGE field in the footer: Word shows the page number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run("Page ")  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _fixed_zip(data: bytes) -> bytes:
    """The .docx (a zip) with every member's time fixed, so the same briefing gives the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# -- writing -------------------------------------------------------------------------------------------


def render(briefing: Briefing, format: str) -> bytes:
    """The briefing in one format, as bytes (Markdown with its figures embedded)."""
    if format == "html":
        return html(briefing).encode()
    if format == "md":
        return markdown(briefing).encode()
    if format == "pdf":
        return pdf(briefing)
    if format == "docx":
        return docx(briefing)
    raise ValueError(format)


def format_of(path: Path, given: str | None) -> str | None:
    """The format named, or the one the file's suffix names (None: neither)."""
    if given is not None:
        return given
    suffix = path.suffix.lower().lstrip(".")
    return (
        {"htm": "html", "markdown": "md"}.get(suffix, suffix)
        if suffix in (*FORMATS, "htm", "markdown")
        else None
    )


def write(briefing: Briefing, format: str, path: Path) -> list[Path]:
    """Write the briefing to ``path`` (Markdown: its figures as SVG files in ``<stem>-figures/``
    beside it), all or nothing: each file is written to a temporary name and renamed. Returns the
    files written."""
    written: list[Path] = []
    if format == "md":
        folder = path.with_name(f"{path.stem}-figures")
        files = {folder / f"figure-{n}-{f.name}.svg": f.svg.encode() for n, f in _figures(briefing)}
        files[path] = markdown(briefing, figure_dir=folder.name).encode()
    else:
        files = {path: render(briefing, format)}
    for target, data in files.items():
        temporary = target.with_name(f".{target.name}.partial")
        try:
            target.parent.mkdir(exist_ok=True)
            temporary.write_bytes(data)
        except OSError as error:  # named by the file asked for, never by the temporary one
            for partial in written:
                partial.unlink(missing_ok=True)
            raise OSError(error.errno, error.strerror, str(target)) from None
        written.append(temporary)
    for target in files:
        target.with_name(f".{target.name}.partial").replace(target)
    return list(files)


def text_of_pdf(data: bytes) -> str:
    """The PDF's text (for checks): pypdf's extraction, whitespace normalised."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"[ \t]+", " ", "\n".join(page.extract_text() or "" for page in reader.pages))
