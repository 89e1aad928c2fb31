"""Text-based PDF reports (Word, WPS and LibreOffice "save as PDF"), read with pdfplumber.

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
import re

from ..document import BREAK, CELL, PARA, Document, Loc, Token
from ..errors import MissingDependency, UnreadableInput
from . import register

_NEWLINES = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"[ \t\u3000]+")


def _cell_text(text: str | None) -> str | None:
    if text is None:
        return None
    # wrapped labels and stacked headers join without a space; so do digits a narrow cell wrapped
    return _SPACES.sub(" ", _NEWLINES.sub("", text)).strip()


def read_pdf(data: bytes, name: str = "<pdf>") -> Document:
    try:
        import pdfplumber
    except ImportError as exc:
        raise MissingDependency(name, "PDF", "pdf") from exc
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
    tokens: list[Token] = []
    with pdf:
        pages = pdf.pages
        if not any(page.chars for page in pages):
            raise UnreadableInput(
                name,
                "is a PDF without a text layer (a scanned image)",
                "it needs OCR first, e.g. ocrmypdf FILE out.pdf, then give giaudit out.pdf",
            )
        table_no = 0
        for pno, page in enumerate(pages, 1):
            items: list[tuple[float, int, list[Token]]] = []
            tables = page.find_tables() if (page.lines or page.rects) else []
            outside = page
            for t in tables:
                table_no += 1
                rows = t.extract()
                for r, (row, cells) in enumerate(zip(t.rows, rows, strict=False), 1):
                    texts = [_cell_text(c) for c in cells]
                    filled = [(c, x) for c, x in enumerate(texts, 1) if x]
                    top = row.bbox[1]
                    if len(filled) == 1:
                        items.append((top, 0, [Token(filled[0][1], PARA, Loc(name, page=pno, table=table_no, row=r))]))
                        continue
                    if not filled:
                        continue
                    row_tokens = [
                        Token(x, CELL, Loc(name, page=pno, table=table_no, row=r, col=c))
                        for c, x in enumerate(texts, 1)
                        if x is not None
                    ]
                    row_tokens.append(Token("", BREAK, Loc(name, page=pno, table=table_no, row=r)))
                    items.append((top, 0, row_tokens))
                outside = outside.outside_bbox(t.bbox)
            for line in outside.extract_text_lines(return_chars=False):
                text = _SPACES.sub(" ", line["text"]).strip()
                if text:
                    items.append((line["top"], 1, [Token(text, PARA, Loc(name, page=pno))]))
            items.sort(key=lambda it: (round(it[0], 1), it[1]))
            for _, _, toks in items:
                tokens.extend(toks)
    tokens = _split_text_rows(tokens)
    doc = Document(tokens=tokens, source=name, kind="pdf")
    doc.title = doc.find_title()
    return doc


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
