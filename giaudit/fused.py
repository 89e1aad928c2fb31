"""Tables whose cells run together: split each row's digits by the row's own printed arithmetic.

Text scraped with a plain ``get_text()`` prints a row of table 三 as
``一、本年新收政府信息公开申请数量801000081`` (80/1/0/0/0/0/81) and table 四 as
one run of 15 digits. ``unfuse`` turns such a paragraph back into label and
value cells, splitting each run of digits only where exactly one split
satisfies the row's own equation (总计 = the applicant columns; each block of
table 四: 总计 = its four results), with no leading zeros but a lone 0. A row
with no equation (table 二) is split only when the digits fix it (one digit
per cell). Stray spaces are boundaries only where that reading is consistent.
A label's own number glued to the digits before it ("…10000015.属于三类…") is
given back to the label.

Values read this way say so in their source (``Loc.how``: 按本行合计拆分); a
row that admits no consistent split, or more than one, is left unread, with
its candidate readings in the warnings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import template as tpl
from .document import BREAK, CELL, PARA, Loc, Token

SPLIT = "按本行合计拆分"
BY_DIGIT = "单元格连在一起,按唯一可能的读法拆分"  # a row with no equation whose digits allow one reading only
_RUN = re.compile(r"\d(?:[\d -]*\d)?(?:\.\d+)?")  # "35-15": 35 and -15 (a decrease in the 2019 form)
_ENUM = re.compile(r"^(\d{1,2})[.、．]")
_MAX_PART = 7  # digits in one cell at most (a count of requests, decisions…)
_MAX_CANDIDATES = 200  # a run that splits more ways than this is left unread at once


@dataclass
class Split:
    """What became of one row's run of digits."""

    table: str
    row: str
    raw: str
    values: tuple[str, ...] | None  # the cells, when exactly one split fits
    candidates: tuple[tuple[int, ...], ...]  # every split that fits (several: undecided; none: cannot add up)
    reason: str = ""
    how: str = SPLIT  # the provenance its cells carry
    used: str | None = None  # a column equation used to choose among the row's splits


def _groups(table: tpl.Table, rows: list[tpl.Row]) -> list[tuple[int, bool]]:
    """(cells, has a total that is the sum of the others and printed last) for each row the run covers."""
    eq = next((e for e in table.equations if e.per == "row"), None)
    out = []
    for row in rows:
        summed = bool(eq) and list(row.columns) == [*eq.rhs, *eq.lhs]
        out.append((len(row.columns), summed))
    return out


def splits(digits: str, groups: list[tuple[int, bool]], limit: int = _MAX_CANDIDATES) -> list[tuple[int, ...]]:
    """Every way ``digits`` splits into the groups' cells: no leading zero but a lone 0, at most 7 digits a
    cell, and a group's last cell the sum of its others where the group has such a total."""
    out: list[tuple[int, ...]] = []
    n = len(digits)

    def parts(i: int, k: int):
        """Ways to cut k cells off digits[i:], each as (cells, next index); a "-" starts a negative cell."""
        if k == 0:
            yield (), i
            return
        sign, start = (-1, i + 1) if i < n and digits[i] == "-" else (1, i)
        for j in range(start + 1, min(n, start + _MAX_PART) + 1):
            piece = digits[start:j]
            if "-" in piece or (len(piece) > 1 and piece[0] == "0"):
                break
            for rest, end in parts(j, k - 1):
                yield (sign * int(piece), *rest), end

    def rec(g: int, i: int, acc: tuple[int, ...]) -> None:
        if len(out) > limit:
            return
        if g == len(groups):
            if i == n:
                out.append(acc)
            return
        k, summed = groups[g]
        if summed:
            for head, j in parts(i, k - 1):
                total = str(sum(head))
                if digits.startswith(total, j):
                    rec(g + 1, j + len(total), (*acc, *head, int(total)))
        else:
            for cells, j in parts(i, k):
                rec(g + 1, j, (*acc, *cells))

    rec(0, 0, ())
    return out


def _boundaries(cells: tuple[int, ...]) -> set[int]:
    pos, out = 0, set()
    for c in cells[:-1]:
        pos += len(str(c))
        out.add(pos)
    return out


def read_run(raw: str, table: tpl.Table, rows: list[tpl.Row]) -> Split:
    """Split one run of digits (spaces kept as hints) across ``rows`` of ``table``."""
    digits = raw.replace(" ", "")
    key = rows[0].key if len(rows) == 1 else "+".join(r.key for r in rows)
    if sum(len(r.columns) for r in rows) == 1:  # one cell: the run is its value (an amount may have decimals)
        return Split(table.id, key, raw, (digits,), ())
    if not digits.replace("-", "").isdigit():
        return Split(table.id, key, raw, None, (), "含小数点的数字无法拆分")
    spaces, pos = set(), 0
    for ch in raw.strip():
        if ch == " ":
            spaces.add(pos)
        else:
            pos += 1
    groups = _groups(table, rows)
    signed = [table.columns[c].signed for r in rows for c in r.columns]
    found = [c for c in splits(digits, groups) if all(v >= 0 or ok for v, ok in zip(c, signed, strict=True))]
    if spaces:  # spaces are boundaries where some reading has them all
        spaced = [c for c in found if spaces <= _boundaries(c)]
        found = spaced or found
    if len(found) == 1:
        how = SPLIT if any(summed for _, summed in groups) else BY_DIGIT
        return Split(table.id, key, raw, tuple(str(v) for v in found[0]), tuple(found), how=how)
    if not found:
        why = "数字无法拆分为满足本行合计的各单元格" if any(s for _, s in groups) else "数字无法拆分"
    else:
        why = f"可拆分为 {len(found) if len(found) <= _MAX_CANDIDATES else '多'} 种读法,无法确定"
    return Split(table.id, key, raw, None, tuple(found[:_MAX_CANDIDATES]), why)


def _named(text: str, index: tpl.LabelIndex, table: tpl.Table) -> tuple[tpl.Row, int] | None:
    """The row whose label (or a variant) ``text`` ends with, and where that label starts: the longest."""
    norm = tpl.normalize(text)
    best = None
    for row in table.rows:
        for name in row.names:
            c = tpl.core(name)
            if len(c) >= 2 and norm.endswith(c) and (best is None or len(c) > len(best[1])):
                best = (row, c)
    if best is None:
        return None
    row, c = best
    # where the label starts in the text: the enumerator before it belongs to it ("(一)予以公开", "5.属于…")
    at = len(text)
    while at > 0 and not tpl.normalize(text[at:]).endswith(c):
        at -= 1
    while at > 0 and tpl.normalize(text[at:]) != tpl.normalize(text[at:]).lstrip():
        at -= 1
    m = re.search(
        r"(?:[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{0,2}[.、．])$", text[:at]
    )
    return row, (m.start() if m else at)


def unfuse(
    tokens: list[Token], template: tpl.Template, paras: list[int] | None = None
) -> tuple[list[Token], list[Split]]:
    """Paragraphs that hold a table with its cells run together, turned back into cells; and what each run of
    digits was read as."""
    if paras is None:
        paras = [i for i, tok in enumerate(tokens) if tok.kind == PARA]
    fused = [(i, table) for i in paras if (table := _fused_table(tokens[i], template))]
    if not fused:
        return tokens, []  # the usual case: the tokens as they are
    out: list[Token] = []
    reads: list[Split] = []
    done = 0
    for i, table in fused:
        out += tokens[done:i]
        cells, found = _unfuse_paragraph(tokens[i], table, template)
        out += cells
        reads += found
        done = i + 1
    out += tokens[done:]
    return out, reads


def _fused_table(tok: Token, template: tpl.Template) -> tpl.Table | None:
    """The table a paragraph prints with its cells run together: two of its labels run into digits, or (table
    四) its headers run into one long run of digits."""
    norm = tpl.normalize(tok.text)
    words, run_into_digit = template.derived("fused_hint", _fused_hint)
    if not words.search(norm) or not run_into_digit.search(norm):
        return None  # no header word of any table: the commonest paragraph, prose
    text = tpl.to_nfkc(tok.text)
    if not _DIGIT_AFTER.search(text):
        return None
    best, score = None, 0
    for table in template.tables:
        if table.layout == "single_row":
            width = sum(len(r.columns) for r in table.rows)
            tail = _RUN.findall(text)
            if tail and len(tail[-1].replace(" ", "")) >= width and tpl.core(table.headers[-1]) in norm:
                n = 2
            else:
                n = 0
        else:
            words, names = table.derived("fused", _fused_words)
            if not any(w in norm for w in words):
                continue
            n = sum(1 for name, pattern in names if name in norm and pattern.search(norm))
        if n >= 2 and n > score:
            best, score = table, n
    return best


_DIGIT_AFTER = re.compile(r"\D\d")


def _fused_hint(template: tpl.Template) -> tuple[re.Pattern, re.Pattern]:
    """What ``_fused_table`` needs to find a table at all: a row label run into a digit (two must be), or the
    last header of a table printed as one row. Two patterns: any of those words (fast, and most prose has
    none), then a label followed by a digit."""
    names, headers = set(), set()
    for table in template.tables:
        if table.layout == "single_row":
            headers.add(tpl.core(table.headers[-1]))
        else:
            names |= {name for name, _ in table.derived("fused", _fused_words)[1]}
    run_into_digit = tpl.any_word(names, then=r"\d").pattern
    return tpl.any_word(names | headers), re.compile(f"{run_into_digit}|{tpl.any_word(headers).pattern}")


def _fused_words(table: tpl.Table) -> tuple[frozenset[str], tuple[tuple[str, re.Pattern], ...]]:
    """A table's header words, and each (row, label) pair's label with the pattern of that label run into
    its digits (a label that two rows share counts for each)."""
    words = frozenset({tpl.core(c.label) for c in table.columns.values()} | {tpl.core(h) for h in table.headers})
    names = tuple(
        (name, re.compile(re.escape(name) + r"\d[\d.]*(?![\d.]*[件条个份次人项篇%％])"))
        for row in table.rows
        for name in {tpl.core(x) for x in row.names if len(tpl.core(x)) >= 4}
    )
    return words, names


def _unfuse_paragraph(tok: Token, table: tpl.Table, template: tpl.Template) -> tuple[list[Token], list[Split]]:
    text = unicodedata.normalize("NFKC", tok.text)
    loc = tok.loc
    # the heading and any prose before the table's first header word stay a paragraph
    words = [unicodedata.normalize("NFKC", w) for w in (*table.headers, *(c.label for c in table.columns.values()))]
    # where the header row starts: two header words in a row (the heading may name one: 「四、…行政复议与…」)
    starts = [
        m.start()
        for w in words
        for m in re.finditer(re.escape(w), text)
        if m.start() > 0 and any(text[m.end() :].lstrip().startswith(v) for v in words)
    ]
    lead: list[Token] = []
    if starts:
        lead, text = [Token(text[: min(starts)].strip(), PARA, loc)], text[min(starts) :]
    runs = list(_RUN.finditer(text))
    if table.layout == "single_row":
        last = runs[-1]
        split = read_run(last.group(), table, list(table.rows))
        head = [*lead, Token(text[: last.start()], CELL, loc)]
        if split.values is None:
            return [*head, Token(last.group(), PARA, loc)], [split]
        how = Loc(loc.file, loc.line, loc.table, loc.row, loc.col, loc.page, f"{split.how}:原文「{last.group()}」")
        return [*head, *(Token(v, CELL, how) for v in split.values), Token("", BREAK, loc)], [split]
    index = tpl.label_index(template.format, table.id)
    # pieces: text, run, text, run, … (a text piece before each run, and one after the last)
    texts, gaps, pos = [], [], 0
    for m in runs:
        texts.append(text[pos : m.start()])
        gaps.append(m.group())
        pos = m.end()
    texts.append(text[pos:])
    # which row each text piece ends with; a label's own number glued to the run before it goes back to it
    labels: list[tuple[tpl.Row, str, str] | None] = []
    for n, piece in enumerate(texts):
        named = _named(piece, index, table) if piece.strip() else None
        if named is None:
            labels.append(None)
            continue
        row, start = named
        label, before = piece[start:].strip(), piece[:start].strip()
        enum = _ENUM.match(tpl.normalize(row.label))
        if label[:1] in (".", "、", "．") and enum and n >= 1 and gaps[n - 1].rstrip().endswith(enum.group(1)):
            gaps[n - 1] = gaps[n - 1].rstrip()[: -len(enum.group(1))]  # "…10000015.属于三类…"
            label = enum.group(1) + label
        labels.append((row, label, before))
    reads = {
        labels[n][0].key: read_run(gaps[n].strip(), table, [labels[n][0]])
        for n in range(len(texts))
        if labels[n] is not None and n < len(gaps) and gaps[n].strip()
    }
    _by_columns(table, reads)
    out: list[Token] = list(lead)
    for n, piece in enumerate(texts):
        run = gaps[n].strip() if n < len(gaps) else ""
        if labels[n] is None:
            if piece.strip():
                out.append(Token(piece.strip(), PARA if not out else CELL, loc))
            if run:
                out.append(Token(run, CELL, loc))
            continue
        row, label, before = labels[n]
        if before:
            out.append(Token(before, PARA if not out else CELL, loc))
        out.append(Token(label, CELL, loc))
        split = reads.get(row.key)
        if run and split is not None and split.values is not None:
            how = Loc(loc.file, loc.line, loc.table, loc.row, loc.col, loc.page, f"{split.how}:原文「{run}」")
            out.extend(Token(v, CELL, how) for v in split.values)
        out.append(Token("", BREAK, loc))
    return out, list(reads.values())


def _by_columns(table: tpl.Table, reads: dict[str, Split], limit: int = 4096) -> None:
    """Rows that split several ways under their own total: the one combination, if only one, under which
    the table's column equations (one at a time, e.g. (七)总计 = the outcome rows) hold too. The equation
    used is then said in the rows' provenance: it was used for reading, it verifies nothing there."""
    open_rows = [k for k, r in reads.items() if r.values is None and len(r.candidates) > 1]
    if not open_rows:
        return
    for spec in (e for e in table.equations if e.per == "column"):
        lhs = [r for r in table.select(spec.lhs) if r.key in reads or not r.optional]
        rhs = [r for r in table.select(spec.rhs) if r.key in reads or not r.optional]
        rows = {r.key for r in (*lhs, *rhs)}
        known = all(r.key in reads and (reads[r.key].values is not None or r.key in open_rows) for r in (*lhs, *rhs))
        if not set(open_rows) & rows or not known:
            continue
        mine = [k for k in open_rows if k in rows]
        combos = [()]
        for k in mine:
            combos = [(*c, cand) for c in combos for cand in reads[k].candidates]
            if len(combos) > limit:
                break
        else:

            def value(key: str, col: int, combo, mine=mine) -> int:
                if key in mine:
                    return combo[mine.index(key)][col]
                return int(reads[key].values[col])

            width = len(table.row_columns)
            fits = [
                c
                for c in combos
                if all(
                    sum(value(r.key, j, c) for r in lhs) == sum(value(r.key, j, c) for r in rhs) for j in range(width)
                )
            ]
            if len(fits) == 1:
                for k, cells in zip(mine, fits[0], strict=True):
                    reads[k].values = tuple(str(v) for v in cells)
                    reads[k].how = f"{SPLIT}(并按「{spec.check}」各列等式确定)"
                    reads[k].used = spec.check
                open_rows = [k for k in open_rows if k not in mine]
