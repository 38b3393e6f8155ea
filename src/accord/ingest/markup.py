"""The words of a marked-up report: an HTML page's visible text, a Markdown file without its markup.

Standard library only. What is kept is what a reader reads, in paragraphs (a blank line between
them) with the sentences intact; navigation, scripts, link targets and emphasis markers go.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# elements whose content no reader of the article reads (a page's header is kept inside an article:
# it holds the headline, the byline and the date)
_SKIPPED = frozenset(
    {
        "script",
        "style",
        "nav",
        "footer",
        "aside",
        "noscript",
        "template",
        "iframe",
        "svg",
        "form",
        "button",
        "select",
    }
)
# elements that end a paragraph (where they start and where they end)
_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "article", "section", "main", "header"}
    | {"blockquote", "ul", "ol", "dl", "dt", "dd", "table", "figure", "figcaption", "pre", "hr", "address"}
    | {"title", "body", "caption"}
)
_CELLS = frozenset({"td", "th"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.heading: str | None = None  # the first <h1>'s text
        self.page_title: str | None = None  # the <title>'s text
        self._parts: list[str] = []
        self._skipping: str | None = None  # the element being skipped, and how deep in it
        self._depth = 0
        self._articles = 0
        self._in: str | None = None  # "title" or "h1" while reading one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping is not None:
            self._depth += tag == self._skipping
            return
        hidden = any(k == "hidden" or (k == "aria-hidden" and v == "true") for k, v in attrs)
        page_header = tag == "header" and not self._articles
        if tag in _SKIPPED or page_header or (hidden and tag not in _VOID):
            self._end_paragraph()
            self._skipping, self._depth = tag, 1
            return
        if tag in ("article", "main"):
            self._articles += 1
        if tag in _BLOCKS:
            self._end_paragraph()
        elif tag in _CELLS and "".join(self._parts).strip():
            self._parts.append(" | ")
        if tag == "title" or (tag == "h1" and self.heading is None):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if self._skipping is not None:
            if tag == self._skipping:
                self._depth -= 1
                if not self._depth:
                    self._skipping = None
            return
        if tag in ("article", "main") and self._articles:
            self._articles -= 1
        if tag in _BLOCKS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if self._skipping is None:
            self._parts.append(data)

    def _end_paragraph(self) -> None:
        paragraph = " ".join("".join(self._parts).split())
        self._parts = []
        reading, self._in = self._in, None
        if reading == "title":  # the page's name, not its text
            self.page_title = paragraph or None
            return
        if reading == "h1":
            self.heading = paragraph or None
        if paragraph:
            self.paragraphs.append(paragraph)

    def close(self) -> None:
        super().close()
        self._end_paragraph()


def html_text(html: str) -> tuple[str, str | None]:
    """The visible text of an HTML page (paragraphs apart by blank lines) and its title: the first
    <h1>, else the <title>. ValueError when the parser gives up."""
    parser = _Visible()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError as error:  # html.parser's few refusals (a broken marked section)
        raise ValueError(str(error)) from None
    return "\n\n".join(parser.paragraphs), parser.heading or parser.page_title


# Markdown ---------------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_SETEXT = re.compile(r"^ {0,3}(\S[^\n]*)\n {0,3}(?:=+|-+)[ \t]*$", re.M)
# each rule: a pattern of markup and what the words are once it is dropped
_MARKDOWN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"^ {0,3}(?:```|~~~).*$", re.M), ""),  # a code fence (its lines stay)
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]+\S+.*$", re.M), ""),  # [1]: https://...
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # a rule (---, ***)
    (re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.M), ""),  # a heading's underline
    (_ATX, r"\1"),  # # Heading
    (re.compile(r"^(?: {0,3}>[ \t]?)+", re.M), ""),  # > a quotation
    (re.compile(r"^[ \t]*[-*+][ \t]+", re.M), ""),  # - a bullet
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # ![alt](image)
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # <https://...>
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # `code`
    (re.compile(r"(?<![\\\w])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),  # **strong**
    (re.compile(r"(?<![\\\w*])\*(?=[^\s*])(.+?)(?<=[^\s\\*])\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\\\w])_(?=[^\s_])(.+?)(?<=[^\s\\_])_(?!\w)"), r"\1"),  # _emphasis_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # ~~struck~~
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),  # \* an escaped character
)


def markdown_text(markdown: str) -> tuple[str, str | None]:
    """A Markdown file's words without its markup (headings' #, emphasis, link targets, bullets),
    its lines as they were; and its title: the front matter's, else the first heading's."""
    title = None
    front = _FRONT_MATTER.match(markdown)
    if front:
        markdown = markdown[front.end() :]
        found = re.search(r"^title:[ \t]*(.+?)[ \t]*$", front[1], re.M)
        title = found[1].strip("'\"") if found else None
    text = markdown
    for pattern, words in _MARKDOWN:
        text = pattern.sub(words, text)
    if title is None:
        headings = [m for m in (_ATX.search(markdown), _SETEXT.search(markdown)) if m is not None]
        if headings:
            first = min(headings, key=lambda m: m.start())
            title = markdown_text(first[1])[0].strip() or None
    return text, title
