"""A draft as a document of blocks (title, heading, point texts), rendered with chosen alternatives.

The same draft and the same choices always give the same text; the choices come from a copy's
codeword (accord.leaks.codes). Formats: plain text, Markdown, HTML, DOCX and PDF.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from accord.domain import Draft, Negotiation
from accord.domain.diff import choice_text
from accord.leaks.rules import Rule, Site, find_sites
from accord.scenario.files import write_atomically, write_text_atomically

ZERO = "\u200b"  # zero-width space: bit 0
ONE = "\u200c"  # zero-width non-joiner: bit 1
MARK = "\u2060"  # word joiner: starts a group of 16 (a position byte, then a data byte)
ZERO_WIDTH = (ZERO, ONE, MARK)
FORMATS = ("md", "html", "docx", "pdf", "txt")


@dataclass(frozen=True)
class Block:
    key: str  # "title", "meta", "n:<point>" (a point's number), "h:<point>" (its title), "t:<point>"
    text: str
    sites: tuple[Site, ...]
    kind: str  # title, meta, number, heading, text


@dataclass(frozen=True)
class DraftDocument:
    """The base text of one draft version and every site in it."""

    version: int
    blocks: tuple[Block, ...]

    @property
    def sites(self) -> tuple[Site, ...]:
        return tuple(s for b in self.blocks for s in b.sites)


def _number_sites(key: str, number: int, vetoed: frozenset[Rule]) -> tuple[Site, ...]:
    if Rule.HEADING_NUMBER in vetoed:
        return ()
    written = f"{number}."
    return (
        Site(
            f"{key}:{Rule.HEADING_NUMBER.value}:0",
            Rule.HEADING_NUMBER,
            0,
            len(written),
            (written, f"{number})"),
            0,
        ),
    )


def build(negotiation: Negotiation, draft: Draft, vetoed: frozenset[Rule] = frozenset()) -> DraftDocument:
    blocks: list[Block] = []

    def block(key: str, text: str, kind: str) -> None:
        if kind == "number":
            number = int(text.rstrip("."))
            blocks.append(Block(key, text, _number_sites(key, number, vetoed), kind))
            return
        blocks.append(
            Block(key, text, tuple(find_sites(key, text, heading=kind == "heading", vetoed=vetoed)), kind)
        )

    # the draft's own title: the negotiation's may name other versions (a copy shows only its own)
    block("title", draft.title or negotiation.title, "title")
    meta = f"Draft version {draft.version}" + (f" ({draft.label})" if draft.label else "")
    if draft.date:
        meta += f", {draft.date.day} {draft.date.strftime('%B')} {draft.date.year}"
    block("meta", meta, "meta")
    for point in sorted(negotiation.points, key=lambda p: p.number):
        choice = draft.choices.get(point.id)
        if choice is None:
            continue
        block(f"n:{point.id}", f"{point.number}.", "number")
        block(f"h:{point.id}", point.title, "heading")
        block(f"t:{point.id}", choice_text(negotiation, point.id, choice), "text")
    return DraftDocument(draft.version, tuple(blocks))


def render_block(block: Block, choose: Callable[[Site], int]) -> str:
    out = []
    at = 0
    for site in block.sites:
        out.append(block.text[at : site.start])
        out.append(site.alternatives[choose(site)])
        at = site.end
    out.append(block.text[at:])
    return "".join(out)


def zero_width_groups(codeword: bytes) -> list[str]:
    """One group per byte: a mark, the byte's position, the byte (16 zero-width characters)."""
    groups = []
    for position, value in enumerate(codeword):
        bits = f"{position:08b}{value:08b}"
        groups.append(MARK + "".join(ONE if b == "1" else ZERO for b in bits))
    return groups


@dataclass(frozen=True)
class Rendered:
    """A copy as a sequence of (kind, text) paragraphs, ready for any format."""

    paragraphs: tuple[tuple[str, str], ...]


def render(document: DraftDocument, choose: Callable[[Site], int], codeword: bytes | None) -> Rendered:
    """``codeword`` adds the zero-width layer (digital formats); None leaves it out."""
    groups = zero_width_groups(codeword) if codeword else []
    paragraphs: list[tuple[str, str]] = []
    pending_number = ""
    text_blocks = 0
    for b in document.blocks:
        text = render_block(b, choose)
        if b.kind == "number":
            pending_number = text
            continue
        if b.kind == "heading":
            paragraphs.append(("heading", f"{pending_number} {text}"))
            continue
        if b.kind == "text" and groups:
            # after the first word, so an excerpt of a few sentences still carries some groups
            first, _, rest = text.partition(" ")
            text = first + groups[text_blocks % len(groups)] + (" " + rest if rest else "")
            text_blocks += 1
        paragraphs.append((b.kind, text))
    return Rendered(tuple(paragraphs))


def as_text(rendered: Rendered) -> str:
    return "\n\n".join(text for _, text in rendered.paragraphs) + "\n"


def as_markdown(rendered: Rendered) -> str:
    lines = []
    for kind, text in rendered.paragraphs:
        prefix = {"title": "# ", "heading": "## ", "meta": "*"}.get(kind, "")
        suffix = "*" if kind == "meta" else ""
        lines.append(f"{prefix}{text}{suffix}")
    return "\n\n".join(lines) + "\n"


def as_html(rendered: Rendered) -> str:
    tags = {"title": "h1", "heading": "h2", "meta": 'p class="meta"', "text": "p"}
    body = "\n".join(
        f"<{tags[kind]}>{html.escape(text)}</{tags[kind].split()[0]}>" for kind, text in rendered.paragraphs
    )
    head = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>draft</title></head>'
    return f"{head}\n<body>\n{body}\n</body></html>\n"


def write_docx(rendered: Rendered, path: Path) -> None:
    import docx

    document = docx.Document()
    for kind, text in rendered.paragraphs:
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "heading":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    document.save(str(path))


def write_pdf(rendered: Rendered, path: Path) -> None:
    """PDF keeps the wording variants; zero-width characters and curly apostrophes are left out
    (the PDF core fonts cannot show them, and text extraction from a PDF would not keep them)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    for kind, text in rendered.paragraphs:
        plain = "".join(c for c in text if c not in ZERO_WIDTH).replace("’", "'")
        plain = plain.encode("latin-1", "replace").decode("latin-1")
        size = {"title": 16, "heading": 12}.get(kind, 11)
        pdf.set_font("Helvetica", "B" if kind in ("title", "heading") else "", size)
        pdf.multi_cell(0, size * 0.55, plain)
        pdf.ln(2)
    pdf.output(str(path))


def write(rendered: Rendered, path: Path, fmt: str) -> None:
    """Write the copy (all at once, never half-written)."""
    texts = {"md": as_markdown, "html": as_html, "txt": as_text}
    if fmt in texts:
        write_text_atomically(path, texts[fmt](rendered))
    elif fmt == "docx":
        write_atomically(path, lambda temporary: write_docx(rendered, temporary))
    elif fmt == "pdf":
        write_atomically(path, lambda temporary: write_pdf(rendered, temporary))
    else:
        raise ValueError(fmt)
