"""Plain-text reports in the layouts seen on the web.

- one table cell per line ending with `` |`` and lines of bare ``|||`` padding
  (pages scraped cell by cell, like the bundled sample);
- one table row per line with `` | `` separators (and Markdown tables);
- tab-separated rows (copied from spreadsheets and Word);
- text copied from a PDF viewer: a row is its label then numbers separated by
  spaces; column headers may be broken into one character per line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import groupby, pairwise

from ..document import BREAK, CELL, PARA, Document, Loc, Token
from ..values import parse_value
from . import register

_PIPES = "|｜"
_PIPE_ONLY = re.compile(r"^[|｜\s]+$")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_SPLIT_PIPE = re.compile(r"\s*[|｜]\s*")
_VAL = r"(?:[+\-−]?(?:减|增)?\d[\d,，]*(?:\.\d+)?(?:万元|元)?|[/／]|[—–―─\-－]{1,2}|无)"
_TRAILING_VALUES = re.compile(rf"^(?P<label>.*?\S)?(?P<values>(?:(?:^|\s+){_VAL})+)\s*$")
_VALUE_ENDS = frozenset("0123456789０１２３４５６７８９/／—–―─-－元无")
_SPACE = re.compile(r"\s+")


_DECLARATION = re.compile(r"^(?:<!doctype[^>]*>|<\?xml[^>]*\?>)$", re.I)


def read_text(text: str, name: str = "<text>") -> Document:
    tokens: list[Token] = []
    add = tokens.append
    lines = text.splitlines()
    stripped = [line.strip() for line in lines]
    separators = _pipe_lines_separate_cells(stripped)
    blank_cells = _blank_lines_are_cells(stripped)
    previous_pipe = False
    gap = 0
    lineno = 0
    for s in stripped:
        lineno += 1
        if not s or (not tokens and _DECLARATION.match(s)):  # a DOCTYPE or XML declaration before the text
            gap += 1
            continue
        loc = Loc(name, lineno)
        if gap:
            if blank_cells and gap > 1 and tokens and len(s) <= 16 and parse_value(s) is not None:
                # one cell a paragraph, one blank line between: each blank line more is an empty cell before it
                for _ in range(gap - 1):
                    add(Token("", CELL, loc))
            gap = 0
        last = s[-1]
        if last == "|" and len(s) > 1 and s.count("|") == 1 and "｜" not in s:
            add(Token(s[:-1].rstrip(), CELL, loc))  # "17 |": one cell per line, the commonest form
            previous_pipe = False
            continue
        if "|" in s or "｜" in s:
            if _PIPE_ONLY.match(s):
                if not separators:
                    # "|": an empty cell; "||" after a short row: its padding, read
                    # as empty cells too (a row's run of values ignores trailing blanks).
                    for _ in range(s.count("|") + s.count("｜")):
                        add(Token("", CELL, loc))
                elif previous_pipe:
                    add(Token("", CELL, loc))  # "|" right after "|": an empty cell
                previous_pipe = True
                continue
            previous_pipe = False
            if _MD_RULE.match(s):
                continue
            parts = _SPLIT_PIPE.split(s)
            if parts and parts[0] == "" and s[0] in _PIPES:
                parts = parts[1:]
            if parts and parts[-1] == "" and last in _PIPES:
                parts = parts[:-1]
            for part in parts:
                add(Token(part, CELL, loc))
            if len(parts) > 1 or last not in _PIPES:
                add(Token("", BREAK, loc))
            continue
        previous_pipe = False
        if "\t" in lines[lineno - 1]:
            row = lines[lineno - 1].lstrip().rstrip(" \r\n\u3000")
            if "\t" in row:  # a leading tab is an indent; inner and trailing tabs separate cells
                for part in row.split("\t"):
                    add(Token(part.strip(), CELL, loc))
                add(Token("", BREAK, loc))
                continue
        if len(s) > 16 and last not in _VALUE_ENDS:  # prose or a long label: no value line ends so
            add(Token(s, PARA, loc))
            continue
        if len(s) <= 16 and (v := parse_value(s)) is not None and not v.missing:  # "减少8", "251000元": one cell
            add(Token(s, CELL, loc))
            continue
        cells = split_value_line(s)
        if cells is not None:
            for c in cells[0]:
                add(Token(c, CELL, loc))
            if cells[1]:
                add(Token("", BREAK, loc))
            continue
        add(Token(s, PARA, loc))
    doc = Document(tokens=tokens, source=name, kind="text")
    doc.title = doc.find_title()
    return doc


def split_value_line(s: str) -> tuple[list[str], bool] | None:
    """A line that ends in numbers ("(七)总计 2 2 0 0 0 0 4", "0 0 0"): its cells, and whether it is a labelled row.

    A labelled row ends with a BREAK; a line of bare values may go on below (one value per line,
    or a row of 15 wrapped onto two lines). Returns None for prose and labels.
    """
    if not s or s[-1] not in _VALUE_ENDS:
        return None
    m = _TRAILING_VALUES.match(s)
    if m is None:
        return None
    label = m["label"]
    if label is not None and len(label) > 80:
        return None
    values = _SPACE.split(m["values"].strip())
    return ([label, *values] if label else values), bool(label)


def _blank_lines_are_cells(lines: list[str]) -> bool:  # lines stripped
    """True for pages that print one cell a paragraph with exactly one blank line between: there, a longer run of
    blank lines before a value holds empty cells (a blank 自然人 cell, say)."""
    lengths = list(map(len, lines))  # counted by C, not a Python step a line: every text report passes here
    ordered = sorted(lengths)
    short = bisect_right(ordered, 16) - bisect_right(ordered, 0)  # lines of 1 to 16 characters
    if short <= 60 or not ordered or ordered[0] != 0:
        return False  # few short lines, or no blank line at all
    gaps: dict[int, int] = {}  # blank runs before a line of text: their length -> how many
    runs = [(text, sum(1 for _ in run)) for text, run in groupby(lengths, key=bool)]
    for (text, size), _ in pairwise(runs):  # a run with another after it: a blank run is before text
        if not text:
            gaps[size] = gaps.get(size, 0) + 1
    return bool(gaps) and max(gaps, key=gaps.get) == 1 and gaps.get(1, 0) > 0.8 * sum(gaps.values())


def _pipe_lines_separate_cells(lines: list[str]) -> bool:
    """True for pages that print each cell on its own line followed by a line "|".

    The bundled sample instead ends each cell line with " |" and uses bare "||"
    lines as padding at the end of a row; which one a page does decides what a
    bare pipe line means.
    """
    bare = lines.count("|") + lines.count("｜")  # lines stripped
    if bare <= 10:
        return False
    trailing = sum(1 for s in lines if len(s) > 1 and s[-1] in _PIPES)
    return bare > 2 * trailing


register("text", suffixes={".txt", ".text", ".md", ".csv", ".tsv"}, read=read_text, binary=False)
