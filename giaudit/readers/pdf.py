"""Text-based PDF reports (Word, WPS and LibreOffice "save as PDF"), read as pdfplumber reads them.

Two paths give the same tokens: by default pdfium reads the pages (``_pdfium``,
about 5-7 times faster) and pdfplumber's own rules make the tables and lines,
with pdfplumber itself reading any page or file the fast path cannot
reproduce; ``GIAUDIT_PDF=pdfplumber`` (or ``engine="pdfplumber"``) reads
everything with pdfplumber.

Per page: the ruled tables pdfplumber finds, and the text lines outside them,
interleaved by their position on the page. A table row with two or more
non-empty cells becomes CELL tokens and a BREAK (a cell's wrapped lines and
one-character-per-line headers are joined); a row with one non-empty cell is
a line of text (page frames drawn as tables put prose inside "tables"). A
table continued on the next page simply goes on in the stream. Every token
keeps its page, table, row and column. A PDF with no text layer is a scan:
it needs OCR, and giaudit says so instead of reading nothing.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field

from ..document import BREAK, CELL, OCR, PARA, Document, Loc, Token
from ..errors import MissingDependency, UnreadableInput
from . import register

_NEWLINES = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"[ \t\u3000]+")


@dataclass
class PageContent:
    """What the token stream needs of a page, whichever path read it."""

    tables: list[list[tuple[float, list[str | None]]]]  # per table, its rows: (top, cell texts; None: no cell)
    lines: list[tuple[float, str]]  # the text lines outside the tables: (top, text)
    # read by OCR: {("cell", table, row, col) | ("line", n): (box, confidence)}, indexes from 0 on the page
    ocr: dict = field(default_factory=dict)


def _cell_text(text: str | None) -> str | None:
    if text is None:
        return None
    # wrapped labels and stacked headers join without a space; so do digits a narrow cell wrapped
    return _SPACES.sub(" ", _NEWLINES.sub("", text)).strip()


def read_pdf(data: bytes, name: str = "<pdf>", engine: str | None = None) -> Document:
    """Read a PDF report into tokens.

    ``engine`` (default: the environment variable ``GIAUDIT_PDF``, else ``"fast"``) picks the path:
    ``"fast"`` reads pages with pdfium and falls back to pdfplumber for a page or file it cannot
    reproduce (see ``_pdfium``); ``"pdfplumber"`` reads every page with pdfplumber. Both give the
    same tokens.
    """
    try:
        import pdfplumber  # noqa: F401  (both paths need it: the fast one for its table rules and as fallback)
    except ImportError as exc:
        raise MissingDependency(name, "PDF", "pdf") from exc
    engine = engine or os.environ.get("GIAUDIT_PDF") or "fast"
    if engine not in ("fast", "pdfplumber"):
        raise ValueError(f"unknown PDF engine {engine!r} (GIAUDIT_PDF): use 'fast' or 'pdfplumber'")
    pages = _read_fast(data) if engine == "fast" else None
    if pages is None:
        pages = _read_plumber(data, name)
    tokens: list[Token] = []
    table_no = 0
    for pno, page in enumerate(pages, 1):
        items: list[tuple[float, int, list[Token]]] = []
        for t, rows in enumerate(page.tables):
            table_no += 1
            for r, (top, cells) in enumerate(rows, 1):
                texts = [_cell_text(c) for c in cells]
                filled = [(c, x) for c, x in enumerate(texts, 1) if x]
                if len(filled) == 1:
                    c, x = filled[0]
                    loc = _loc(page, ("cell", t, r - 1, c - 1), name, page=pno, table=table_no, row=r)
                    items.append((top, 0, [Token(x, PARA, loc)]))
                    continue
                if not filled:
                    continue
                row_tokens = [
                    Token(x, CELL, _loc(page, ("cell", t, r - 1, c - 1), name, page=pno, table=table_no, row=r, col=c))
                    for c, x in enumerate(texts, 1)
                    if x is not None
                ]
                row_tokens.append(Token("", BREAK, Loc(name, page=pno, table=table_no, row=r)))
                items.append((top, 0, row_tokens))
        for n, (top, line) in enumerate(page.lines):
            text = _SPACES.sub(" ", line).strip()
            if text:
                items.append((top, 1, [Token(text, PARA, _loc(page, ("line", n), name, page=pno))]))
        items.sort(key=lambda it: (round(it[0], 1), it[1]))
        for _, _, toks in items:
            tokens.extend(toks)
    tokens = _split_text_rows(tokens)
    doc = Document(tokens=tokens, source=name, kind="pdf")
    doc.title = doc.find_title()
    if any(page.ocr for page in pages):
        doc.warnings.append(
            "报告为扫描件(无文字层),已用OCR识别;识别的数值均经表内等式核对,存疑之处另行标出 (read by OCR)"
        )
    return doc


def _loc(content: PageContent, where: tuple, name: str, **at) -> Loc:
    """A token's source; read by OCR, also its box and the OCR's confidence."""
    read = content.ocr.get(where) if content.ocr else None
    if read is None:
        return Loc(name, **at)
    return Loc(name, **at, how=OCR, box=read[0], score=read[1])


def _read_fast(data: bytes) -> list[PageContent] | None:
    """Every page through pdfium, a page it cannot reproduce through pdfplumber; None: use pdfplumber for the file."""
    from ._pdfium import LOCK, FastReader, Unsupported

    with LOCK:  # pdfium is not thread-safe
        try:
            reader = FastReader(data)
        except Unsupported:
            return None
        plumber = None
        pages: list[PageContent] = []
        try:
            for i in range(len(reader)):
                try:
                    pages.append(reader.page(i))
                except Unsupported:
                    if plumber is None:
                        import pdfplumber

                        plumber = pdfplumber.open(io.BytesIO(data))
                    pages.append(_plumber_page(plumber.pages[i]))
        finally:
            reader.close()
            if plumber is not None:
                plumber.close()
    if not reader.text_seen:
        return None  # no text where pdfium looked: pdfplumber reads the file and decides (a scan needs OCR)
    return pages


def _read_plumber(data: bytes, name: str) -> list[PageContent]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018  (an encrypted file fails here, not at open)
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        why = f"{type(exc).__name__} {exc!r}".lower()
        if "password" in why or "encrypt" in why:
            raise UnreadableInput(
                name,
                "is an encrypted (password-protected) PDF",
                "open it with its password and save or print an unprotected copy, then give giaudit that copy",
            ) from exc
        raise UnreadableInput(
            name, f"is not a readable PDF ({type(exc).__name__})", "check that the file is complete"
        ) from exc
    with pdf:
        pages = pdf.pages
        if not any(page.chars for page in pages):
            return _read_scanned(data, name, len(pages))
        return [_plumber_page(page) for page in pages]


MAX_SCANNED_PAGES = 60  # an annual report is 5-20 pages; OCR takes seconds a page


def _read_scanned(data: bytes, name: str, count: int) -> list[PageContent]:
    """A PDF without a text layer (a scan): every page through OCR, or a clear reason why not."""
    from . import ocr

    if not ocr.available():
        raise UnreadableInput(
            name,
            "is a PDF without a text layer (a scanned image), and OCR is not available",
            "pip install 'giaudit[ocr]' and run again (offline: its models come with it; GIAUDIT_OCR=off turns it off)",
        )
    if count > MAX_SCANNED_PAGES:
        raise UnreadableInput(
            name,
            f"is a scanned PDF of {count} pages (more than {MAX_SCANNED_PAGES}): not one annual report",
            "give the report's own pages",
        )
    import copy
    import hashlib

    import pypdfium2 as pdfium

    from ._pdfium import LOCK

    digest = hashlib.sha256(data).hexdigest()
    if digest in _SCANNED:  # a write-up reads its report once per section: OCR it once
        return copy.deepcopy(_SCANNED[digest])
    with LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            images = ocr.render_pages(doc)
        finally:
            doc.close()
    pages = []
    for content, details in ocr.read_images(images, name):
        content.ocr = details
        pages.append(content)
    if not any(page.ocr for page in pages):
        raise UnreadableInput(
            name,
            "is a scanned PDF (no text layer) in which OCR found no text",
            "check that the scan shows the report and is legible",
        )
    _SCANNED[digest] = copy.deepcopy(pages)
    while len(_SCANNED) > 4:
        _SCANNED.pop(next(iter(_SCANNED)))
    return pages


_SCANNED: dict[str, list[PageContent]] = {}  # the OCR of the last few scans read in this process, by content


def _plumber_page(page) -> PageContent:
    """A page as pdfplumber reads it: its ruled tables (rows: top, cell texts) and the text lines outside them."""
    tables = page.find_tables() if (page.lines or page.rects) else []
    outside = page
    rows = []
    for t in tables:
        rows.append([(row.bbox[1], cells) for row, cells in zip(t.rows, t.extract(), strict=False)])
        outside = outside.outside_bbox(t.bbox)
    lines = [(line["top"], line["text"]) for line in outside.extract_text_lines(return_chars=False)]
    return PageContent(rows, lines)


def _split_text_rows(tokens: list[Token]) -> list[Token]:
    """Lines outside ruled tables may still be table rows ("行政许可 9487"): read them as the text reader does."""
    from .text import split_value_line

    out: list[Token] = []
    for tok in tokens:
        if tok.kind == PARA and tok.loc.table is None:
            cells = split_value_line(tok.text)
            if cells is not None:
                out.extend(Token(c, CELL, tok.loc) for c in cells[0])
                if cells[1]:
                    out.append(Token("", BREAK, tok.loc))
                continue
        out.append(tok)
    return out


def _is_pdf(data: bytes, name: str) -> bool:
    return data.startswith(b"%PDF") or b"%PDF-" in data[:1024]


register("pdf", suffixes={".pdf"}, read=read_pdf, binary=True, magic=_is_pdf)
