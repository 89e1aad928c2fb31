"""HTML reports as saved from a government site.

The page is parsed with lxml and walked once in document order. Script,
style and form controls are dropped; nothing the page references is fetched
(lxml is given text, never a URL, and resolves no entities). A table that
contains another table is layout: its cells are read as flowing text. A table
without nested tables is data: every ``td``/``th`` becomes a CELL token (text
of ``<br>``/``<p>`` inside joined by a space), every ``tr`` ends with a BREAK.
Merged cells (rowspan/colspan) stay one token: the extractor reads rows by
label and value runs, so it needs no grid.
"""

from __future__ import annotations

import re

from lxml import etree

from ..document import BREAK, CELL, PARA, TITLE, Document, Loc, Token
from ..errors import UnreadableInput
from . import register

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "select",
    "option",
    "button",
    "input",
    "textarea",
    "head",
}
_BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "aside",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "center",
    "form",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "hr",
    "address",
    "figure",
    "figcaption",
    "body",
    "html",
}


def read_html(text: str, name: str = "<html>") -> Document:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        root = etree.fromstring(text, _PARSER)
        if root is None:
            raise ValueError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableInput(
            name, f"cannot be parsed as HTML ({exc})", "check that the file is a saved web page"
        ) from exc
    title_el = root.find(".//title")
    page_title = _clean("".join(title_el.itertext())) if title_el is not None else None
    # what is never read goes at once, its tail kept (text after a <script> is the page's)
    etree.strip_elements(root, *_DROP, with_tail=False)
    walker = _Walker(name)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    doc = Document(tokens=walker.tokens, source=name, kind="html")
    doc.title = doc.find_title(200) or (page_title if page_title and TITLE.search(page_title) else None)
    return doc


# lxml's plain elements, not lxml.html's: those look up a Python class for every element visited (half the time)
_PARSER = etree.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    default_doctype=False,
    collect_ids=False,  # ids unused
)


def _clean(text: str) -> str:
    """Runs of whitespace (no-break and ideographic spaces too) made one space, none at the ends."""
    return " ".join(text.split())  # str.split() knows the same whitespace as re's \\s, four times faster here


class _Walker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.tokens: list[Token] = []
        self.buffer: list[str] = []
        self.buffer_line: int | None = None
        self.table_count = 0

    def flush(self) -> None:
        if self.buffer:
            text = _clean("".join(self.buffer))
            if text:
                self.tokens.append(Token(text, PARA, Loc(self.name, self.buffer_line)))
            self.buffer = []
            self.buffer_line = None

    def _add(self, text: str, el) -> None:
        """Text met on the walk (an element's text, or the tail after it): its line is the element's."""
        if self.buffer_line is None and text.strip():
            self.buffer_line = el.sourceline
        self.buffer.append(text)

    def walk(self, el) -> None:
        tag = el.tag  # the HTML parser gives tag names in lower case
        if not isinstance(tag, str) or tag in _DROP:  # a comment or processing instruction; what is never read
            return
        if tag == "table" and next(el.iterdescendants("table"), None) is None:
            self.flush()
            self._data_table(el)
            return
        block = tag in _BLOCK
        if block or tag == "br":
            self.flush()
        if text := el.text:
            self._add(text, el)
        for child in el:
            self.walk(child)
            if tail := child.tail:
                self._add(tail, child)
        if block:
            self.flush()

    def _data_table(self, table) -> None:
        self.table_count += 1
        t = self.table_count
        add = self.tokens.append
        # a line broken inside a cell (<br>, <p>, <div>) reads as a space; a leading space is stripped with the
        # rest, so only a break between two texts counts
        for el in table.iter("br", "p", "div"):
            el.text = " " + (el.text or "")
        name, text = self.name, etree.tostring
        for r, tr in enumerate(table.iter("tr"), 1):
            for c, cell in enumerate(tr.iterchildren("td", "th"), 1):  # the HTML parser gives tags in lower case
                # the cell's text, whitespace runs made one space (as _clean does; inline, for every cell)
                words = text(cell, method="text", encoding=str, with_tail=False).split()
                add(Token(" ".join(words), CELL, Loc(name, cell.sourceline, t, r, c)))
            add(Token("", BREAK, Loc(name, tr.sourceline, t, r)))


register("html", suffixes={".html", ".htm", ".shtml", ".xhtml", ".mht"}, read=read_html, binary=False)
