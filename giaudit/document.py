"""What a reader produces: the report as a stream of tokens with their source.

Readers differ in how they find table cells (pipes, whitespace, HTML ``td``,
PDF words); the extractor only sees this stream. A token is one paragraph of
prose, one table cell, or the end of a table row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The title line of a report: "XX2024年(度)政府信息公开工作年度报告".
TITLE = re.compile(r"20\d{2}\s*年.{0,12}(?:信息公开|政务公开).{0,8}报告")
# Page furniture of government sites that is not part of any section's text.
CHROME = re.compile(
    r"版权所有|ICP备|网站标识码|扫一扫|打印本页|关闭窗口|【打印】|【关闭】|分享到|字号[:：]|浏览次数|访问量"
)

OCR = "OCR识别"  # a Loc's ``how`` for what was read from a page image by OCR

PARA = "para"
CELL = "cell"
BREAK = "break"


_WORD = (".docx", ".doc", ".wps")  # files whose "line" is a paragraph number


# Not frozen (a frozen init costs a setattr call per field, and every token has a Loc), but never mutated.
@dataclass(slots=True, unsafe_hash=True)
class Loc:
    """Where a token came from: a line of text, a cell of an HTML table, a PDF page."""

    file: str | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    page: int | None = None
    how: str | None = None  # how the value was read when it was not a plain printed cell (按本行合计拆分:…)
    box: tuple[float, float, float, float] | None = None  # read by OCR: where on the page (points, from top left)
    score: float | None = None  # read by OCR: its confidence, 0-1

    def __str__(self) -> str:
        # the commonest sources, said at once (every value of a corpus says its source): a line of text, and a cell
        # of an HTML table
        if self.how is None and self.page is None and self.line is not None:
            name = self.file or "<text>"
            if name[-5:].lower().endswith(_WORD):
                return f"{name} ¶{self.line}"
            if self.table is None:
                return f"{name}:{self.line}"
            if self.row is not None and self.col is not None:
                return f"{name}:{self.line} (table{self.table}/r{self.row}/c{self.col})"
        return self._where() + (f" [{self.how}]" if self.how else "")

    def _where(self) -> str:
        name = self.file or "<text>"
        if self.page is None and self.table is None:  # a line of text, the commonest source: said at once
            if self.line is None:
                return name
            return f"{name} ¶{self.line}" if name.lower().endswith(_WORD) else f"{name}:{self.line}"
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
        if self.line is not None and self.file and self.file.lower().endswith(_WORD):
            return f"{name} ¶{self.line}"  # a Word paragraph, counted from the start
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

    def find_title(self, limit: int = 60) -> str | None:
        """The first short paragraph near the top that reads like a report title.

        A title wrapped over two lines ("…2024年度政府信息公开工作年" / "度报告", as PDF text
        gives it) is joined: the two paragraphs become one token.
        """
        paras = [i for i, t in enumerate(self.tokens[:limit]) if t.kind == PARA]
        for n, i in enumerate(paras):
            text = self.tokens[i].text
            if len(text) <= 80 and TITLE.search(text) and "依据" not in text:
                return text
            if n + 1 < len(paras) and len(text) <= 60 and paras[n + 1] == i + 1:
                nxt = self.tokens[i + 1].text
                joined = text + nxt
                if len(nxt) <= 12 and TITLE.search(joined) and not TITLE.search(text) and "依据" not in joined:
                    self.tokens[i : i + 2] = [Token(joined, PARA, self.tokens[i].loc)]
                    return joined
        return None

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
