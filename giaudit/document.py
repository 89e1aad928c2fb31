"""What a reader produces: the report as a stream of tokens with their source.

Readers differ in how they find table cells (pipes, whitespace, HTML ``td``,
PDF words); the extractor only sees this stream. A token is one paragraph of
prose, one table cell, or the end of a table row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PARA = "para"
CELL = "cell"
BREAK = "break"


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a token came from: a line of text, a cell of an HTML table, a PDF page."""

    file: str | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    page: int | None = None

    def __str__(self) -> str:
        name = self.file or "<text>"
        parts = []
        if self.page is not None:
            parts.append(f"p{self.page}")
        if self.table is not None:
            parts.append(f"table{self.table}")
            if self.row is not None:
                parts.append(f"r{self.row}")
            if self.col is not None:
                parts.append(f"c{self.col}")
        where = "/".join(parts)
        if self.line is not None:
            return f"{name}:{self.line}" + (f" ({where})" if where else "")
        return f"{name} {where}".rstrip()


@dataclass(slots=True)
class Token:
    text: str
    kind: str
    loc: Loc


@dataclass
class Document:
    """A report as read: tokens in reading order, plus what the reader learnt on the way."""

    tokens: list[Token]
    source: str
    kind: str  # "text", "html", "pdf", "docx"
    encoding: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        """Plain text of the document, one token a line (cells joined by " | ")."""
        out: list[str] = []
        line: list[str] = []
        for tok in self.tokens:
            if tok.kind == CELL:
                line.append(tok.text)
                continue
            if line:
                out.append(" | ".join(line))
                line = []
            if tok.kind == PARA:
                out.append(tok.text)
        if line:
            out.append(" | ".join(line))
        return "\n".join(out)
