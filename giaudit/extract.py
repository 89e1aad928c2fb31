"""Document -> Report, driven by the official template.

The steps, each a pure function over the token stream (like pdfplumber's
edges -> intersections -> cells -> tables), keep their intermediates so that
``Report.explain()`` can show which template row each cell matched:

1. ``classify``        every token: a value (number or missing) or not;
2. ``find_sections``   the six section headings, in order;
3. ``detect_format``   which template the column headers belong to;
4. ``match_table``     for each table, label tokens -> candidate rows with their
                       run of values; the longest chain of candidates in both
                       template order and reading order wins;
5. ``build_cells``     matched values -> one Cell per canonical key;
6. ``collect_prose`` and ``meta.detect`` (agency, year, title).

Nothing is guessed: a row whose label is missing, or whose values cannot be
attributed with certainty, stays missing and is named in ``warnings``.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from . import template as tpl
from .document import BREAK, CELL, CHROME, PARA, Document, Loc, Token
from .errors import UnrecognisedDocument
from .fused import SPLIT, Split, unfuse
from .meta import Meta, year_of
from .meta import detect as detect_meta
from .values import Parsed, parse_value

# ------------------------------------------------------------------ results


# Not frozen (a frozen init costs a setattr call per field; 200 cells a report), but never mutated.
@dataclass(slots=True, unsafe_hash=True)
class Cell:
    """One value of the report: what was printed, what it means, where it was."""

    key: str
    value: int | float | None
    raw: str | None  # None: the cell was not found at all
    unit: str | None
    source: Loc | None
    label_source: Loc | None = None
    note: str | None = None

    @property
    def found(self) -> bool:
        return self.raw is not None


# Not frozen (see Cell), never mutated.
@dataclass(slots=True)
class RowMatch:
    table: str
    row: str
    label: int  # token index of the row label (-1 for a positional match)
    values: tuple[int, ...]  # token indexes of the values, in column order
    note: str | None = None

    @property
    def end(self) -> int:
        return self.values[-1] if self.values else self.label


@dataclass
class Extraction:
    format: str
    sections: dict[int, int]  # section number -> token index of its heading
    matches: list[RowMatch]
    cells: dict[str, Cell]
    prose: dict[int, str]
    warnings: list[str] = field(default_factory=list)
    meta: Meta | None = None
    misnumbered: dict[int, str] = field(default_factory=dict)  # section -> the numeral printed instead
    unheaded: dict[int, int] = field(default_factory=dict)  # section whose heading is lost -> its first line
    unread: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> row printed but unread -> why
    cut: Cut | None = None  # where a text that stops before the report does ends
    splits: list[Split] = field(default_factory=list)  # how runs of digits (cells run together) were read

    def beyond_cut(self, position: tuple) -> bool:
        """Whether a part of the form (``position`` from ``form_position``) lies outside an incomplete text:
        at or after where it stops, or before where it starts."""
        cut = self.cut
        if cut is None:
            return False
        return (cut.position is not None and position >= cut.position) or (
            cut.start is not None and position < cut.start
        )


@dataclass(frozen=True)
class Cut:
    """Where an incomplete text stops (the last part of the form it reached, and its last words), and, for a
    text that begins inside the report (one page of a flip-book), where it starts."""

    where: str | None  # 表三「(三)不予公开」
    position: tuple | None  # form_position of that part
    tail: str
    start: tuple | None = None
    start_where: str | None = None

    def describe(self) -> str:
        """「始于第四部分…,止于表三「…」(文本最后为「…」)」."""
        parts = []
        if self.start_where:
            parts.append(f"始于{self.start_where}")
        if self.where:
            parts.append(f"止于{self.where}(文本最后为「{self.tail}」)")
        return ",".join(parts)


def form_position(template: tpl.Template, table_id: str | None = None, row: str | None = None, section: int = 0):
    """Where a part of the form stands in the printed order: (section, table number, row index)."""
    if table_id is None:
        return (section, 0, 0)
    table = template.table(table_id)
    index = next((n for n, r in enumerate(table.rows) if r.key == row), 0) + 1 if row else 0
    return (table.section, table.number, index)


# ------------------------------------------------------------------ step 1


def classify(tokens: list[Token]) -> list[Parsed | None]:
    """For each token, its value if it is a table cell holding a number or a missing marker."""
    return [parse_value(t.text) if t.kind == CELL else None for t in tokens]


class _Cores:
    """``template.core`` of each token's text, computed once, on demand."""

    __slots__ = ("_cache", "_tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._cache: list[str | None] = [None] * len(tokens)

    def __getitem__(self, i: int) -> str:
        c = self._cache[i]
        if c is None:
            c = self._cache[i] = tpl.core(self._tokens[i].text)
        return c


# ------------------------------------------------------------------ step 2


def _heading_pattern(template: tpl.Template) -> tuple[re.Pattern, dict[str, int]]:
    """「第二部分」「二、」「(二)」 before a section title, with the template's numerals."""
    numerals = {s.numeral: s.number for s in template.sections}
    n = "".join(numerals)
    return re.compile(rf"^(?:第([{n}])部分|([{n}])[、.．,，:：]|[(（]([{n}])[)）])"), numerals


_MARKS = re.compile(r"^[\s#*>·•]+")  # Markdown and list marks before a heading
_MARK_CHARS = frozenset("#*>·•")  # and whitespace: what a line that starts with such marks starts with


def _run_on_heading(template: tpl.Template) -> re.Pattern:
    """「四、政府信息公开行政复议与行政诉讼情况」 mid-paragraph: a keyword within a few characters of the numeral."""
    n = "".join(s.numeral for s in template.sections)
    names = sorted(
        {re.escape(tpl.core(s.label)) for s in template.sections}
        | {re.escape(k) for s in template.sections for k in s.keywords if len(k) >= 4},
        key=len,
        reverse=True,
    )
    return re.compile(rf"(?<![(（{n}])(?=(?:第[{n}]部分|[{n}][、.．])\s*[^。;；,，\d]{{0,8}}?(?:{'|'.join(names)}))")


def _numbered(template: tpl.Template) -> re.Pattern:
    """A section's numeral as a heading prints it: what ``_run_on_heading`` needs first (and finds fast)."""
    n = "".join(s.numeral for s in template.sections)
    return re.compile(rf"第[{n}]部分|[{n}][、.．]")


def para_indexes(tokens: list[Token]) -> list[int]:
    """Indexes of the paragraphs among the tokens: the steps that look at prose only walk these."""
    return [i for i, tok in enumerate(tokens) if tok.kind == PARA]


def split_run_on(tokens: list[Token], template: tpl.Template, paras: list[int] | None = None) -> list[Token]:
    """Long paragraphs that hold section headings mid-text (a body scraped as one line) split before each.

    Only a numbered heading that names its section ("。二、主动公开政府信息情况") splits a paragraph;
    the parts keep the paragraph's source.
    """
    at = template.derived("run_on_heading", _run_on_heading)
    numbered = template.derived("numbered", _numbered)
    runs = [
        i
        for i in (para_indexes(tokens) if paras is None else paras)
        if len(text := tokens[i].text) > 150 and numbered.search(text) and at.search(text)
    ]
    if not runs:
        return tokens  # the usual case
    out: list[Token] = []
    done = 0
    for i in runs:
        out += tokens[done:i]
        tok = tokens[i]
        out += [Token(part.strip(), PARA, tok.loc) for part in at.split(tok.text) if part.strip()]
        done = i + 1
    out += tokens[done:]
    return out


def find_sections(
    tokens: list[Token], template: tpl.Template, paras: list[int] | None = None
) -> tuple[dict[int, int], dict[int, str]]:
    """Token index of each section heading ("二、主动公开政府信息情况"), in order; and the numerals of
    headings printed with the wrong number ({2: "一"} for "一、主动公开政府信息情况").

    A heading is known by its numbered title: the section's own title, wherever it stands and
    whatever number it is printed with, or the numeral and one of the section's keywords.
    Markdown marks before it ("## 二、…") are ignored. Top-level headings ("二、", "第二部分") are
    found first; a "(四)…" line stands for a section only where no top-level heading was found and
    it fits in order between the sections that were ("(四)…行政复议…" inside 总体情况 is not 四).
    """
    heading, numerals = template.derived("heading", _heading_pattern)
    found: dict[int, int] = {}
    printed: dict[int, str] = {}
    for kind in _headings(
        tokens, para_indexes(tokens) if paras is None else paras, template, heading, numerals
    ):  # top-level headings first, then "(四)…"
        for i, number, numeral in kind:
            if number in found:
                continue
            before = [j for n, j in found.items() if n < number]
            after = [j for n, j in found.items() if n > number]
            if (before and i <= max(before)) or (after and i >= min(after)):
                continue
            found[number] = i
            if numerals[numeral] != number:
                printed[number] = numeral
    return dict(sorted(found.items())), printed


def _headings(tokens, paras: list[int], template: tpl.Template, heading, numerals) -> tuple[list, list]:
    """(token index, section, printed numeral) of each heading line, in reading order: the top-level ones
    ("二、", "第二部分") and the parenthesized ones ("(二)")."""
    keywords = {s.number: s.keywords for s in template.sections}
    titles = {s.number: tpl.core(s.label) for s in template.sections}
    top: list[tuple[int, int, str]] = []
    inner: list[tuple[int, int, str]] = []
    for i in paras:
        tok = tokens[i]
        text = tok.text
        if text and (text[0] in _MARK_CHARS or text[0].isspace()):
            text = _MARKS.sub("", text)
        m = heading.match(text)
        if m is None:
            continue
        parenthesized = m.group(3) is not None
        numeral = m.group(1) or m.group(2) or m.group(3)
        number = numerals[numeral]
        # the section's own title names it even when it runs on into the text or carries the wrong number
        if not parenthesized:
            head = tpl.core(text[:60])[:40]
            by_title = [n for n, t in titles.items() if head.startswith(t)]
            if by_title:
                top.append((i, by_title[0], numeral))
                continue
        if any(k in tpl.normalize(text)[: 30 if len(tok.text) <= 120 else 12] for k in keywords[number]):
            (inner if parenthesized else top).append((i, number, numeral))
    return top, inner


def unheaded_sections(tokens: list[Token], template: tpl.Template, found: dict[int, int]) -> dict[int, int]:
    """Sections whose heading is lost but whose parts are there: between the sections before and after
    it, a short line names it by a keyword ("(一)主要问题" where "五、存在的主要问题及改进情况" was
    dropped by a converter). Token index of that line."""
    out = {}
    for s in template.sections:
        if s.number in found:
            continue
        before = [i for n, i in found.items() if n < s.number]
        after = [i for n, i in found.items() if n > s.number]
        if not before or not after:
            continue
        for i in range(max(before) + 1, min(after)):
            tok = tokens[i]
            if tok.kind == PARA and len(tok.text) <= 30 and any(k in tpl.normalize(tok.text) for k in s.keywords):
                out[s.number] = i
                break
    return out


# ------------------------------------------------------------------ step 3


def detect_format(tokens: list[Token], year: int | None = None) -> tuple[str, str | None]:
    """The template the document is printed on, and a note when the evidence did not settle it at once.

    Evidence, strongest first: the column headers only one format prints (its
    ``markers``), then the document it cites (``citations``), then the report's
    year within the years a format covers. A tie that none of these breaks is
    read with the newest format, and said.
    """
    texts = [t.text for t in tokens if t.kind != BREAK and len(t.text) < 60]
    joined = "".join(texts)
    if not tpl.is_nfkc(joined):
        # each short text NFKC-normalised on its own (the labels recur from report to report: remembered), so
        # that normalising the joined text finds it normalised already
        joined = "".join([tpl.nfkc(t) for t in texts])
    text = tpl.normalize(joined)
    candidates = list(tpl.formats())
    scores = {f: sum(text.count(tpl.core(m)) for m in tpl.get(f).markers) for f in candidates}
    best = max(scores.values())
    candidates = [f for f in candidates if scores[f] == best]
    if len(candidates) == 1:
        return candidates[0], None
    prose = tpl.normalize("".join(t.text for t in tokens[:4000] if t.kind == PARA))
    cited = [f for f in candidates if any(tpl.normalize(c) in prose for c in tpl.get(f).citations)]
    if len(cited) == 1:
        return cited[0], None if best == 0 else f"表头不足以判断格式,据所引文号按{tpl.get(cited[0]).name}格式读取"
    if year is not None:
        fits = [f for f in candidates if tpl.get(f).first_year <= year <= tpl.get(f).last_year]
        if len(fits) == 1:
            return fits[0], None
    newest = max(candidates, key=lambda f: tpl.get(f).first_year)
    if best == 0:
        return newest, None  # no table header at all: nothing read depends on the format's own table 二
    names = "、".join(tpl.get(f).name for f in candidates)
    return newest, f"表头同时符合{names},无法据文号或年度区分,按{tpl.get(newest).name}读取"


# ------------------------------------------------------------------ step 4


@dataclass(slots=True)  # not frozen (see Cell), never mutated
class _Candidate:
    order: int
    row: str
    label: int
    values: tuple[int, ...]
    note: str | None

    @property
    def end(self) -> int:
        return self.values[-1] if self.values else self.label


def _value_run(tokens, parsed, start: int, stop: int, *, cross_breaks: bool = False) -> list[int]:
    run = []
    j = start
    while j < stop:
        kind = tokens[j].kind
        if kind == BREAK:
            if cross_breaks:
                j += 1
                continue
            break
        if parsed[j] is None:
            break
        run.append(j)
        j += 1
    return run


def _labels_before(tokens, parsed, i: int) -> int:
    """Label cells of the row that ends at token i: it and the group labels just before it."""
    n = 1
    while i - n >= 0 and tokens[i - n].kind == CELL and parsed[i - n] is None:
        n += 1
    return n


def _padded_width(tokens, parsed, found) -> int | None:
    """The cells a row has in all, where a page pads short rows with empty cells.

    Pages scraped cell by cell pad every row to the table's width ("三、本年度办理
    结果 | (一)予以公开 | 7 values | |" and "(二)部分公开 | 7 values | | |" both
    have 10 cells). Knowing the width tells trailing padding from trailing blank
    cells, and shows a row that lost a cell instead of reading it shifted.
    """
    widths = [_labels_before(tokens, parsed, i) + len(run) for i, _, run in found if run and parsed[run[-1]].missing]
    if len(widths) < 3:
        return None
    best = max(set(widths), key=widths.count)
    return best if widths.count(best) >= 0.6 * len(widths) else None


def _run_after_header(tokens, parsed, cores, start: int, hi: int, index, headers: set[str]) -> list[int]:
    """Values printed under a repeated column header ("### 行政复议" / header row / values).

    Only the table's own column headers and row breaks may stand between the label
    and the values, and the run must hold a number: a run of blanks after a
    header is padding, not a row.
    """
    j, seen = start, 0
    while j < hi and seen < 12:
        if tokens[j].kind == BREAK:
            j += 1
            continue
        if parsed[j] is None and cores[j] in headers and not index.rows_named(cores[j]):
            j += 1
            seen += 1
            continue
        break
    if not seen:
        return []
    run = _value_run(tokens, parsed, j, hi)
    return run if any(not parsed[i].missing for i in run) else []


LEADING_BLANKS = "跳过了标签后的空白单元格"
RECOVERED = "标签未能识别,按模板顺序确定"


def _last_content(tokens: list[Token]) -> int:
    """Index of the last token that is not a row break: where a truncated text ends."""
    j = len(tokens) - 1
    while j >= 0 and tokens[j].kind == BREAK:
        j -= 1
    return j


def _fit(
    run: list[int], k: int, parsed, at_end: bool, *, header_padding: bool = False
) -> tuple[tuple[int, ...] | None, str | None]:
    """Which of a run of values belong to a row of k columns."""
    n = len(run)
    if n == k:
        return tuple(run), None
    if n > k:
        extra = n - k
        if all(parsed[i].missing for i in run[k:]):
            return tuple(run[:k]), None
        if all(parsed[i].missing for i in run[:extra]):
            return tuple(run[extra:]), None if header_padding else LEADING_BLANKS
        return tuple(run[:k]), f"其后还有 {extra} 个数字未归属任何行"
    if n and at_end and any(not parsed[i].missing for i in run):
        return tuple(run), f"文本在此行中断,仅有 {n}/{k} 个数值"
    return None, None


def _header_cores(table: tpl.Table) -> frozenset[str]:
    """The table's column headers and header words, normalised: text that names a column, not a row."""
    return table.derived("header_cores", _build_header_cores)


def _build_header_cores(table: tpl.Table) -> frozenset[str]:
    return frozenset(
        {tpl.core(c.label) for c in table.columns.values()}
        | {tpl.core(v) for c in table.columns.values() for v in c.variants}
        | {tpl.core(h) for h in table.headers}
    )


def _row_order(table: tpl.Table) -> dict[str, int]:
    """Each row key's place in the table's printed order."""
    return table.derived("row_order", lambda t: {row.key: n for n, row in enumerate(t.rows)})


def match_table(
    tokens: list[Token], parsed, cores: _Cores, table: tpl.Table, fmt: str, lo: int, hi: int
) -> tuple[list[RowMatch], list[str], dict[str, str]]:
    """Match the template rows of one table inside tokens[lo:hi].

    Returns the matches, warnings, and the rows whose label was found but whose values could not be
    placed (row key -> why).
    """
    index = tpl.label_index(fmt, table.id)
    order = _row_order(table)
    candidates: list[_Candidate] = []
    unfit: dict[str, str] = {}
    last = _last_content(tokens)
    headers = _header_cores(table)
    found: list[tuple[int, list[str], list[int]]] = []
    for i in range(lo, hi):
        tok = tokens[i]
        if tok.kind == BREAK or parsed[i] is not None or len(tok.text) > 120:
            continue
        keys = index.rows_named(cores[i])
        if not keys:
            continue
        start = i + 1
        # A label wrapped onto the next line(s) ("(二)部分公开(区分处理的,只计这" / "一情形...) 0 0").
        # Only the tail of the label on the values' own line may be skipped: a
        # free-standing line between a label and a value row may be another
        # row's label (PDF text stacks labels), and then the values are not this row's.
        skipped = 0
        while (
            start + 1 < hi
            and skipped < 2
            and tokens[start].kind == CELL
            and parsed[start] is None
            and parsed[start + 1] is not None
            and tokens[start + 1].loc.line == tokens[start].loc.line
            and tokens[start].loc.table is None
            and len(tokens[start].text) < 40
            and not index.rows_named(cores[start])
            and cores[start] not in headers
        ):
            start += 1
            skipped += 1
        run = _value_run(tokens, parsed, start, hi)
        if skipped and not run:
            run = _value_run(tokens, parsed, i + 1, hi)
        if not run:
            run = _run_after_header(tokens, parsed, cores, start, hi, index, headers)
        if cores[i] in headers and all(parsed[j].missing for j in run):
            continue  # a column header (「总计」) over padding cells, not that row with blanks
        found.append((i, keys, run))
    width = _padded_width(tokens, parsed, found)
    for i, keys, run in found:
        tok = tokens[i]
        at_end = bool(run) and run[-1] == last
        for key in keys:
            row = table.row(key)
            k = len(row.columns)
            if width and not at_end and run and parsed[run[-1]].missing:
                expected = width - _labels_before(tokens, parsed, i) - k  # padding cells due
                if expected >= 0 and len(run) < k + expected:
                    unfit[key] = f"{tok.loc}: 「{tok.text}」行少了 {k + expected - len(run)} 个单元格"
                    continue
                if expected >= 0 and len(run) == k + expected:
                    candidates.append(_Candidate(order[key], key, i, tuple(run[:k]), None))
                    continue
            values, note = _fit(run, k, parsed, at_end)
            if values is None:
                if any(not parsed[j].missing for j in run):
                    unfit[key] = f"{tok.loc}: 「{tok.text}」后有 {len(run)} 个数值,应为 {len(row.columns)} 个"
                continue
            candidates.append(_Candidate(order[key], key, i, values, note))
    chain = _best_chain(candidates)
    warnings: list[str] = []
    chain = _drop_conflicting_duplicates(chain, candidates, parsed, tokens, table, warnings)
    matches = [RowMatch(table.id, c.row, c.label, c.values, c.note) for c in chain]
    matches = _fill_gaps(tokens, parsed, table, matches, warnings)
    matched = {m.row for m in matches}
    unplaced = {}
    for key, why in unfit.items():
        if key not in matched:
            warnings.append(f"{table.id}.{key}: 数值个数不符,未识别 ({why})")
            unplaced[key] = why
    padded = [table.row(m.row).label for m in matches if m.note == LEADING_BLANKS]
    if padded:
        warnings.append(
            f"{table.id}: {len(padded)} 行的标签与数值之间有空白单元格(合并单元格或多余的空列),已跳过:"
            + "、".join(padded)
        )
    return matches, warnings, unplaced


def _numbers(parsed, values) -> tuple:
    return tuple(parsed[i].number for i in values)


def _drop_conflicting_duplicates(chain, candidates, parsed, tokens, table, warnings):
    """A row printed twice: the same numbers are kept once; different numbers cannot both be right."""
    if len({c.row for c in candidates}) == len(candidates):
        return chain  # every row printed once (the usual case)
    out = []
    for c in chain:
        others = [
            d
            for d in candidates
            if d.row == c.row and d.label != c.label and any(not parsed[i].missing for i in d.values)
        ]
        if not others:
            out.append(c)
            continue
        label = table.row(c.row).label
        if all(_numbers(parsed, d.values) == _numbers(parsed, c.values) for d in others):
            warnings.append(f"{table.id}.{c.row}: 「{label}」行重复出现({tokens[others[0].label].loc}),数值相同,取其一")
            out.append(c)
        else:
            where = "、".join(str(tokens[d.label].loc) for d in [c, *others])
            warnings.append(f"{table.id}.{c.row}: 「{label}」行出现多次且数值不同({where}),无法确定,按缺失处理")
    return out


def _fill_gaps(tokens, parsed, table: tpl.Table, matches: list[RowMatch], warnings: list[str]) -> list[RowMatch]:
    """Rows between two recognised rows whose labels were lost or garbled, placed by the template's order.

    Between rows A and B the template expects the rows in between; when the tokens
    there hold exactly that many rows of numbers (a run of k values each, or one run
    of n*k values after a group label whose sub-labels were dropped), the numbers can
    only mean one thing and are assigned in order, with a warning. Any other count is
    left missing and explained.
    """
    order = _row_order(table)
    out = list(matches)
    for a, b in itertools.pairwise(matches):
        between = [r for r in table.rows[order[a.row] + 1 : order[b.row]] if not r.optional]
        if not between or a.label < 0 or b.label < 0:
            continue
        k = len(between[0].columns)
        chunks, labels, i = [], [], a.end + 1
        while i < b.label:
            if tokens[i].kind == BREAK or parsed[i] is None:
                i += 1
                continue
            run = _value_run(tokens, parsed, i, b.label)
            values, note = _fit(run, k, parsed, False)
            if values is not None and note in (None, LEADING_BLANKS):
                chunks.append(values)
            elif len(run) % k == 0:
                chunks.extend(tuple(run[j : j + k]) for j in range(0, len(run), k))
            else:
                chunks.append(None)
            seen = [tokens[j].text for j in range(a.end + 1, run[0]) if tokens[j].kind != BREAK and parsed[j] is None]
            labels.append(seen[-1] if seen else "")
            i = run[-1] + 1
        if not chunks:
            continue
        names = "、".join(f"「{r.label}」" for r in between)
        if len(chunks) == len(between) and all(c is not None for c in chunks):
            for row, values in zip(between, chunks, strict=True):
                out.append(RowMatch(table.id, row.key, -1, values, RECOVERED))
            printed = "、".join(f"「{x}」" for x in dict.fromkeys(labels) if x) or "无"
            warnings.append(
                f"{table.id}: {names} 的标签未能识别(原文标签:{printed}),按模板顺序确定了这 {len(between)} 行数值"
            )
        else:
            warnings.append(
                f"{table.id}: {names} 处有 {len([c for c in chunks if c])} 组数值,与模板的 {len(between)} 行"
                f"不能一一对应,按缺失处理"
            )
    return sorted(out, key=lambda m: order[m.row])


def _best_chain(cands: list[_Candidate]) -> list[_Candidate]:
    """Longest chain increasing in template order and in reading order, without overlap.

    Candidates are taken in reading order; a candidate joins the best chain among those that end before
    its label and stand earlier in the template. Those chains are kept per template row as they finish,
    so each candidate looks at no more than the template's rows: linear in the document, not quadratic.
    """
    if not cands:
        return []
    cands = sorted(cands, key=lambda c: (c.label, c.order))
    if all(a.end < b.label and a.order < b.order for a, b in itertools.pairwise(cands)):
        return cands  # all of them are one chain (the usual case): any other is a part of it, and scores less
    n = len(cands)
    by_end = sorted(range(n), key=lambda i: cands[i].end)
    score = [0.0] * n
    back = [-1] * n
    finished: dict[int, tuple[float, int]] = {}  # template order -> (score, -index) of the best chain ending there
    ptr = 0
    for b, cb in enumerate(cands):
        while ptr < n and cands[by_end[ptr]].end < cb.label:
            a = by_end[ptr]
            ptr += 1
            key = (score[a], -a)
            if cands[a].order not in finished or key > finished[cands[a].order]:
                finished[cands[a].order] = key
        own = 1.0 if cb.note is None else 0.9
        before = max((v for o, v in finished.items() if o < cb.order), default=None)
        score[b] = own + (before[0] if before else 0.0)
        back[b] = -before[1] if before else -1
    best = max(range(n), key=lambda b: (score[b], -b))
    chain = []
    while best != -1:
        chain.append(cands[best])
        best = back[best]
    return chain[::-1]


def match_single_row(
    tokens: list[Token], parsed, cores: _Cores, table: tpl.Table, fmt: str, lo: int, hi: int
) -> tuple[list[RowMatch], list[str], dict[str, str]]:
    """Table 四: one printed row of 15 numbers after its header, or one row per block."""
    matches, warnings, unplaced = match_table(tokens, parsed, cores, table, fmt, lo, hi)
    if len(matches) == len(table.rows):
        return matches, warnings, unplaced
    k = sum(len(r.columns) for r in table.rows)
    i = lo
    while i < hi:
        if parsed[i] is None or tokens[i].kind == BREAK:
            i += 1
            continue
        run = _value_run(tokens, parsed, i, hi, cross_breaks=True)
        at_end = run[-1] == _last_content(tokens)
        if len(run) >= k or (at_end and not matches):
            # Blank cells before the numbers are the header's padding in scraped pages.
            values, note = _fit(run, k, parsed, at_end, header_padding=True)
            if values is None:
                break
            out, pos = [], 0
            for row in table.rows:
                width = len(row.columns)
                part = values[pos : pos + width]
                pos += width
                if part:
                    out.append(RowMatch(table.id, row.key, -1, part, note))
            return out, [], {}
        i = run[-1] + 1
    return matches, warnings, unplaced


# ------------------------------------------------------------------ step 5


def _cell_plan(template: tpl.Template) -> list:
    """Per table: its id, its optional rows' (key, rows replaced), and each row with its cells' (key, kind)."""
    return [
        (
            table.id,
            [(row.key, row.replaces) for row in table.rows if row.optional],
            [(row, [(f"{table.id}.{row.key}.{c}", table.columns[c].kind) for c in row.columns]) for row in table.rows],
        )
        for table in template.tables
    ]


def build_cells(
    tokens: list[Token], parsed, matches: list[RowMatch], template: tpl.Template
) -> tuple[dict[str, Cell], list[str]]:
    cells: dict[str, Cell] = {}
    warnings: list[str] = []
    by_row = {(m.table, m.row): m for m in matches}
    for table_id, optional, rows in template.derived("cell_plan", _cell_plan):
        used_alternative = {
            replaced for key, replaces in optional if (table_id, key) in by_row for replaced in replaces
        }
        for row, columns in rows:
            m = by_row.get((table_id, row.key))
            if row.key in used_alternative or (row.optional and m is None):
                continue
            if m is None:
                for key, _ in columns:
                    cells[key] = Cell(key, None, None, None, None, None)
                continue
            label_loc = tokens[m.label].loc if m.label >= 0 else None
            values = m.values
            for n, (key, kind) in enumerate(columns):
                if n >= len(values):
                    cells[key] = Cell(key, None, None, None, None, label_loc)
                    continue
                idx = values[n]
                p = parsed[idx]
                tok = tokens[idx]
                value = p.number
                if value is None or (type(value) is int and kind == "count" and abs(value) <= _LARGEST):
                    cells[key] = Cell(key, value, tok.text, p.unit, tok.loc, label_loc, m.note or tok.loc.how)
                    continue  # a blank or a count as printed: the commonest cell
                if kind == "count" and isinstance(value, float) and value.is_integer():
                    value = int(value)  # "3.0" is 3 (and "1e40" is checked below as the integer it is)
                if isinstance(value, int) and abs(value) > _LARGEST:  # beyond any count: kept as printed, unread
                    warnings.append(f"{key}: 「{tok.text}」过大,不是可能的件数,按无法读取处理 ({tok.loc})")
                    cells[key] = Cell(key, None, tok.text, p.unit, tok.loc, label_loc, "数值过大")
                    continue
                if kind == "count" and isinstance(value, float):
                    warnings.append(f"{key}: 「{tok.text}」不是整数 ({tok.loc})")
                elif kind == "amount" and isinstance(value, int):
                    value = float(value)
                cells[key] = Cell(key, value, tok.text, p.unit, tok.loc, label_loc, m.note or tok.loc.how)
    return cells, warnings


# ------------------------------------------------------------------ step 6


def collect_prose(
    tokens: list[Token],
    sections: dict[int, int],
    consumed: set[int],
    template: tpl.Template,
    title: int | None = None,
    paras: list[int] | None = None,
) -> dict[int, str]:
    """Text of each section found (key 0: what precedes section 一), table text left out."""
    headers = template.header_cores()
    if paras is None:
        paras = para_indexes(tokens)
    starts = sorted((idx, num) for num, idx in sections.items())
    bounds = [(0, 0, starts[0][0] if starts else len(tokens))]
    for n, (idx, num) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(tokens)
        # a heading that runs on into its text ("六、其他需要报告的事项2023年,无收取…") is that text too
        runs_on = len(tokens[idx].text) > len(template.section(num).label) + 4
        bounds.append((num, idx if runs_on else idx + 1, end))
    prose = {}
    for num, a, b in bounds:
        if num == 0 and title is not None and a <= title < b:
            a = title + 1  # navigation before the title line is not the report's text
        lines = [
            tokens[i].text
            for i in paras[bisect_left(paras, a) : bisect_left(paras, b)]
            if i not in consumed and not CHROME.search(tokens[i].text) and tpl.core(tokens[i].text) not in headers
        ]
        if num == 0 and not lines:
            continue
        prose[num] = "\n".join(lines)
    return prose


# ------------------------------------------------------------------ driver


def extract(doc: Document) -> Extraction:
    fmt, format_note = detect_format(doc.tokens, year_of(doc))
    template = tpl.get(fmt)
    paras = para_indexes(doc.tokens)
    tokens = split_run_on(doc.tokens, template, paras)
    if tokens is not doc.tokens:
        paras = para_indexes(tokens)
    unfused, splits = unfuse(tokens, template, paras)
    if unfused is not tokens:
        tokens, paras = unfused, para_indexes(unfused)
    doc.tokens = tokens
    parsed = classify(tokens)
    cores = _Cores(tokens)
    sections, misnumbered = find_sections(tokens, template, paras)
    unheaded = unheaded_sections(tokens, template, sections)
    sections = {**sections, **unheaded}
    section_starts = sorted(sections.items(), key=lambda kv: kv[1])

    def section_range(number: int, fallback_lo: int) -> tuple[int, int]:
        if number in sections:
            lo = sections[number]
            later = [idx for num, idx in section_starts if idx > lo]
            return lo, later[0] if later else len(tokens)
        later = [idx for num, idx in section_starts if num > number and idx >= fallback_lo]
        return fallback_lo, later[0] if later else len(tokens)

    matches: list[RowMatch] = []
    warnings: list[str] = list(doc.warnings)
    if format_note:
        warnings.append(format_note)
    warnings += _split_warnings(template, splits)
    pos = 0
    unread: dict[str, dict[str, str]] = {}
    for table in template.tables:
        lo, hi = section_range(table.section, pos)
        matcher = match_single_row if table.layout == "single_row" else match_table
        found, why, unplaced = matcher(tokens, parsed, cores, table, fmt, lo, hi)
        matches.extend(found)
        warnings.extend(why)
        unread[table.id] = {**unplaced, **_labels_without_values(tokens, cores, table, fmt, found, unplaced, lo, hi)}
        if found:
            pos = max(m.end for m in found) + 1

    if not matches and len(sections) < 3 and not _mentions_template(tokens, template):
        raise UnrecognisedDocument(
            doc.source,
            "does not look like a 政府信息公开工作年度报告 (no section headings or table rows of the official format)",
            "give the annual report itself (text, HTML, PDF or DOCX)",
        )

    cells, why = build_cells(tokens, parsed, matches, template)
    warnings.extend(why)
    consumed = {i for m in matches for i in m.values}
    consumed.update(m.label for m in matches)
    consumed.discard(-1)  # the label of a row placed by its position
    title = None if doc.title is None else next((i for i in paras if tokens[i].text == doc.title), None)
    prose = collect_prose(tokens, sections, consumed, template, title, paras)
    unread = {t: rows for t, rows in unread.items() if rows}
    cut = find_cut(tokens, template, sections, matches, unread, title, paras)
    if cut is not None and cut.position is not None:  # labels where the text stops are cut, not unreadable
        unread = {
            t: {r: w for r, w in rows.items() if form_position(template, t, r) < cut.position}
            for t, rows in unread.items()
        }
        unread = {t: rows for t, rows in unread.items() if rows}
    warnings.extend(_missing_warnings(template, sections, matches, unread, cut))
    meta, why = detect_meta(doc, fmt)
    warnings.extend(why)
    return Extraction(fmt, sections, matches, cells, prose, warnings, meta, misnumbered, unheaded, unread, cut, splits)


def _split_warnings(template: tpl.Template, splits: list[Split]) -> list[str]:
    out = []
    done = [s for s in splits if s.values is not None and len(s.values) > 1]
    if done:
        used = sorted({s.used for s in done if s.used})
        out.append(
            f"{len(done)} 行的单元格连在一起,已按各行的数字拆分({SPLIT}或每格一位)"
            + (f",其中部分行并按 {'、'.join(used)} 的各列等式确定(这些等式用于读取,不作核验)" if used else "")
        )
    for s in splits:
        if s.values is None:
            table = template.table(s.table)
            label = "、".join(f"「{table.row(r).label}」" for r in s.row.split("+"))
            shown = "、".join("/".join(map(str, c)) for c in s.candidates[:6])
            out.append(
                f"{table.title}{label}行的数字「{s.raw}」连在一起,{s.reason}"
                + (f";候选读法:{shown}" if shown else "")
                + ";按缺失处理"
            )
    return out


_LARGEST = 2**63 - 1  # a count beyond int64 is no count (and would not fit the tables' Int64 columns)

_FUSED = "标签已印出,但其数值未能与之对应(单元格连在一起,或数值个数不符)"


def _labels_without_values(
    tokens, cores: _Cores, table: tpl.Table, fmt: str, found, unplaced, lo: int, hi: int
) -> dict[str, str]:
    """Rows of the table whose own label is printed in its part of the text but got no values: present,
    not missing (a table whose cells run together prints every label and no separable number)."""
    matched = {m.row for m in found} | set(unplaced)
    replaced = {k for m in found for k in table.row(m.row).replaces}
    left = [row for row in table.rows if not (row.optional or row.key in matched or row.key in replaced)]
    if not left:
        return {}  # every row was read (the usual case): nothing to look for
    text = tpl.normalize("".join(t.text for t in tokens[lo:hi] if t.kind != BREAK))
    index = tpl.label_index(fmt, table.id)
    headers = set() if table.layout == "single_row" else _header_cores(table)  # table 四's headers are its rows
    named = {
        key
        for i in range(lo, hi)
        if tokens[i].kind != BREAK and len(tokens[i].text) < 80 and cores[i] not in headers
        for key in index.rows_named(cores[i])
    }
    # a table printed as one run ("…尚未审结总计000000000000000"): every row is there, none can be placed
    run_on = table.layout == "single_row" and any(_run_into_digits(tpl.core(h)).search(text) for h in table.headers)
    out = {}
    for row in left:
        names = {tpl.core(n) for n in row.names} - headers  # 「总计」「其他」 as column headers name no row
        # 「…申请数量801000081」: a label run into its digits; not prose's 「…政府信息2件」
        if run_on or row.key in named or any(len(n) >= 4 and _run_into_digits(n).search(text) for n in names):
            out[row.key] = _FUSED
    return out


@lru_cache(maxsize=1024)
def _run_into_digits(name: str) -> re.Pattern:
    return re.compile(re.escape(name) + r"\d[\d.]*(?![\d.]*[件条个份次人项%％万元])")


_SIGNED = re.compile(r"^\s*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def find_cut(
    tokens, template: tpl.Template, sections, matches, unread, title: int | None, paras: list[int] | None = None
) -> Cut | None:
    """Where the text stops, when it stops before the report does (an excerpt, a page cut off), and where it
    starts, when it starts inside the report.

    A report ends with its last section, or at least with a date under its sign-off; a text with neither
    stops early, at the furthest part of the form it reached (a row, read or not, or a section heading).
    A text with no title and no first section whose first part of the form is further on starts late.
    """
    first, last = template.sections[0].number, template.sections[-1].number
    last_paras = [tokens[i].text for i in (para_indexes(tokens) if paras is None else paras)[-8:]]
    stops = last not in sections and not any(_SIGNED.match(p) for p in last_paras)
    if first in sections and not stops:
        return None  # the usual case: whole
    # parts of the form reached: (position, section number or None, table, row); named only when chosen
    reached = [(form_position(template, section=n), n, None, None) for n in sections]
    rows = [(m.table, m.row) for m in matches] + [(t, r) for t, rows in unread.items() for r in rows]
    reached += [(form_position(template, t, r), None, t, r) for t, r in rows]

    def name(part) -> str:
        _, number, table_id, row = part
        if number is not None:
            s = template.section(number)
            return f"第{s.numeral}部分「{s.label}」"
        table = template.table(table_id)
        return f"{table.title}「{table.row(row).label}」"

    start = start_where = None
    earliest = min(reached, key=lambda part: part[0], default=None)
    if earliest and first not in sections and earliest[0][0] >= 3:  # nothing of 一 or 二: a later page
        start, start_where = earliest[0], name(earliest)
    end = where = None
    if stops:
        furthest = max(reached, key=lambda part: part[0], default=None)
        end, where = (furthest[0], name(furthest)) if furthest else ((0, 0, 0), "报告开头")
    if start is None and end is None:
        return None
    content = [t.text for t in tokens if t.kind != BREAK and t.text]
    return Cut(where, end, content[-1][-24:] if content and end else "", start, start_where)


def _mentions_template(tokens: list[Token], template: tpl.Template) -> bool:
    """A report whose tables could not be read still names many of the template's rows."""
    text = tpl.normalize("".join(t.text for t in tokens[:4000]))
    labels = {tpl.core(r.label) for t in template.tables for r in t.rows if len(tpl.core(r.label)) >= 6}
    return sum(label in text for label in labels) >= 6


def _missing_warnings(template, sections, matches, unread, cut: Cut | None) -> list[str]:
    out = []

    def outside(position) -> bool:
        return cut is not None and (
            (cut.position is not None and position >= cut.position) or (cut.start is not None and position < cut.start)
        )

    if cut is not None:
        out.append(f"报告文本不完整,{cut.describe()};文本之外的部分不作缺失处理")
    for s in template.sections:
        if s.number not in sections and not outside(form_position(template, section=s.number)):
            out.append(f"未找到第{s.numeral}部分标题「{s.label}」")
    matched = {(m.table, m.row) for m in matches}
    for table in template.tables:
        rows = [r for r in table.rows if not r.optional]
        missing = [
            r
            for r in rows
            if (table.id, r.key) not in matched
            and r.key not in unread.get(table.id, {})
            and not any((table.id, o.key) in matched and r.key in o.replaces for o in table.rows)
            and not outside(form_position(template, table.id, r.key))
        ]
        if not missing:
            continue
        if len(missing) == len(rows):
            out.append(f"未找到{table.title}({table.label}): 其 {len(table.keys())} 个数值均缺失")
        else:
            for r in missing:
                out.append(f"{table.id}.{r.key}: 未找到「{r.label}」行")
    for table_id, rows in unread.items():
        table = template.table(table_id)
        fused = [table.row(r).label for r, why in rows.items() if why == _FUSED]
        if fused:
            out.append(f"{table.title}: {len(fused)} 行{_FUSED}:" + "、".join(fused))
    for m in matches:
        if m.note and m.note not in (LEADING_BLANKS, RECOVERED):  # those are summed up per table
            out.append(f"{m.table}.{m.row}: {m.note}")
    return out
