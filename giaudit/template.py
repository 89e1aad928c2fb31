"""The official report formats, loaded from ``templates/*.toml``.

The TOML files are the only place a Chinese label of the format is spelled;
this module turns them into frozen dataclasses and answers the one question
every parser asks: which template row (or column, or section) does this cell's
text name?
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

# A variant this long or longer matches the start of a cell; shorter ones must
# match the whole cell ("其他", "总计", "规章" are too common to match a prefix).
PREFIX_MIN = 4

# one character at a time: ``[…]+`` is slower in ``re``, which tries to extend every run
_DELETE = re.compile(r"[\s“”\"'‘’「」『』《》〈〉|｜*#]")
_OPEN = re.compile(r"[【\[〔﹙]")
_CLOSE = re.compile(r"[】\]〕﹚]")
_BRACKET = re.compile(r"[【\[〔﹙】\]〕﹚]")
_SPECIAL = re.compile(r"[\s“”\"'‘’「」『』《》〈〉|｜*#【\[〔﹙】\]〕﹚]")  # anything _DELETE or _BRACKET finds
# Enumerators in front of a label: "(三)", "三、", "1.", "1、", "(1)", "①".
_ENUM = re.compile(r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.](?!\d))+")
_TRAILING = ":;,。、."  # stripped from the end (``rstrip``: a regex would try every run of them)


# Full-width ASCII (U+FF01-FF5E) and the ideographic space: the characters that keep most Chinese text from being
# NFKC already. Each is its own NFKC decomposition's one ASCII character, so mapping them first changes nothing
# NFKC gives, and str.translate does it in half the time NFKC's general decomposition takes.
_HALF_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})


def is_nfkc(text: str) -> bool:
    return text.isascii() or unicodedata.is_normalized("NFKC", text)


def to_nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster on Chinese text with full-width punctuation."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    text = text.translate(_HALF_WIDTH)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def any_word(words, then: str = "") -> re.Pattern:
    """A pattern that finds where any of ``words`` occurs (followed by the pattern ``then``, when given), built as
    a trie: Python's ``re`` tries an alternation's branches one by one at every position, so branches that share
    their first characters, or (with nothing after them) that a shorter word already covers, cost it time for
    nothing."""
    trie: dict = {}
    for word in sorted(set(words), key=len):
        node = trie
        for ch in word:
            if "" in node and not then:  # a shorter word ends here: any match of this one is one of it
                break
            node = node.setdefault(ch, {})
        else:
            if not then:
                node.clear()
            node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # a word ends here, a longer one goes on

    return re.compile(f"(?:{emit(trie)}){then}" if trie else "(?!)")


@lru_cache(maxsize=32768)
def normalize(text: str) -> str:
    """Compare-form of a label: NFKC, no whitespace, quotes or decoration."""
    if not text.isascii():
        text = to_nfkc(text)
    if _SPECIAL.search(text) is None:  # most labels and many paragraphs: one scan
        return text.rstrip(_TRAILING)
    text = _DELETE.sub("", text)
    if _BRACKET.search(text):
        text = _CLOSE.sub(")", _OPEN.sub("(", text))
    return text.rstrip(_TRAILING)


@lru_cache(maxsize=32768)
def nfkc(text: str) -> str:
    """``text`` in Unicode NFKC (full-width letters, digits and punctuation made plain; remembered: slow on CJK)."""
    return to_nfkc(text)


@lru_cache(maxsize=32768)
def core(text: str) -> str:
    """``normalize`` and drop leading enumerators: "(三)不予公开" -> "不予公开"."""
    return _ENUM.sub("", normalize(text))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    label_en: str
    kind: str = "count"  # "count" (Int64) or "amount" (Float64)
    unit: str | None = None
    variants: tuple[str, ...] = ()
    signed: bool = False  # may be negative (a change from last year)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    label_en: str
    columns: tuple[str, ...]
    variants: tuple[str, ...] = ()
    group: str | None = None
    optional: bool = False
    alternative: str | None = None  # key of a row that may stand for this one
    replaces: tuple[str, ...] = ()  # rows this optional row stands for
    short: str | None = None  # the label as charts and narrow tables show it

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.variants)

    @property
    def display(self) -> str:
        """The label shortened for charts and narrow tables."""
        return self.short or self.label


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    label_en: str
    parent: str | None = None


@dataclass(frozen=True)
class EquationSpec:
    """One printed rule of a table's arithmetic: sum(lhs) = sum(rhs), per column or per row."""

    check: str
    per: str  # "column": lhs/rhs name rows (or "@group"); "row": lhs/rhs name columns
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    text: str  # Chinese, with {row} / {column} for the official labels
    shift_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    id: str
    number: int
    numeral: str
    section: int
    label: str
    label_en: str
    layout: str  # "rows" or "single_row"
    columns: dict[str, Column]
    rows: tuple[Row, ...]
    groups: tuple[Group, ...] = ()
    headers: tuple[str, ...] = ()
    row_columns: tuple[str, ...] = ()
    equations: tuple[EquationSpec, ...] = ()
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str:
        """「表三」: how reports and findings name the table."""
        return f"表{self.numeral}"

    def derived(self, name: str, build):
        """What a reader derives from this table once (compiled patterns, label sets), kept with it."""
        if name not in self._index:
            self._index[name] = build(self)
        return self._index[name]

    def row(self, key: str) -> Row:
        rows = self._index.get("rows")  # asked for in every report's matching: one lookup, not two calls
        if rows is None:
            rows = self._index["rows"] = {r.key: r for r in self.rows}
        return rows[key]

    def group(self, key: str) -> Group:
        for g in self.groups:
            if g.key == key:
                return g
        raise KeyError(key)

    def in_group(self, row: Row, group: str) -> bool:
        """Whether ``row`` belongs to ``group`` or to one of its sub-groups."""
        parents = {g.key: g.parent for g in self.groups}
        g = row.group
        while g is not None:
            if g == group:
                return True
            g = parents.get(g)
        return False

    def select(self, names, present=None) -> list[Row]:
        """Rows named by keys or "@group" selectors, in template order; ``present`` limits them to those rows."""
        out = []
        for name in names:
            if name.startswith("@"):
                out += [r for r in self.rows if self.in_group(r, name[1:])]
            else:
                out.append(self.row(name))
        if present is not None:
            keys = {r.key for r in present}
            out = [r for r in out if r.key in keys]
        return list(dict.fromkeys(out))

    def display_rows(self, rows) -> list[tuple[str, Row | Group]]:
        """``rows`` with the group headings a printed table shows above them ("三、本年度办理结果", "(三)不予公开"),
        as ("group", Group) and ("row", Row) items. A group printed as a row of its own (the one (六)其他处理 row) gets
        no heading."""
        out: list[tuple[str, Row | Group]] = []
        shown: set[str] = set()
        parents = {g.key: g.parent for g in self.groups}
        by_key = {g.key: g for g in self.groups}
        for row in rows:
            chain, g = [], row.group
            while g is not None:
                chain.append(g)
                g = parents.get(g)
            for g in reversed(chain):
                if g in shown:
                    continue
                shown.add(g)
                if core(by_key[g].label) != core(row.label):
                    out.append(("group", by_key[g]))
            out.append(("row", row))
        return out

    def keys(self, rows: tuple[Row, ...] | None = None) -> list[str]:
        """Canonical keys of the given rows (default: every non-optional row)."""
        if rows is None:  # asked for in every report: spelled out once
            return list(self.derived("keys", lambda t: tuple(t.keys(tuple(r for r in t.rows if not r.optional)))))
        return [f"{self.id}.{r.key}.{c}" for r in rows for c in r.columns]


@dataclass(frozen=True)
class Section:
    number: int
    numeral: str
    label: str
    label_en: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Bound:
    """Within each of ``rows``: cell ``cell`` is not smaller than cell ``at_least``."""

    check: str
    table: str
    rows: tuple[str, ...]
    at_least: str
    cell: str
    text: str


@dataclass(frozen=True)
class Authority:
    """Rows an agency at or below a level cannot fill: its name carries a mark of ``below``."""

    check: str
    table: str
    rows: tuple[str, ...]
    below: tuple[str, ...]
    not_below: tuple[str, ...]
    text: str
    self_reference: tuple[str, ...] = ()

    def lacks(self, agency: str | None, prose: str = "") -> str | None:
        """What puts the agency below the level: a mark in its name, or — with no name — how its prose speaks
        of itself (「我镇」). None when nothing does."""
        if agency:
            name = normalize(agency)
            for word in self.not_below:
                name = name.replace(word, "")
            return next((w for w in self.below if w in name), None)
        return next((w for w in self.self_reference if w in prose), None)


@dataclass(frozen=True)
class CrossYear:
    """A rule between this year's report and last year's (see the templates' [[cross_year]])."""

    kind: str  # "carry" or "stock"
    table: str
    severity: str
    this: str | None = None
    last: str | None = None
    rows: tuple[str, ...] = ()
    stock: str | None = None
    inflow: str | None = None
    outflow: str | None = None
    text: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    label: str
    label_en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    minus: tuple[str, ...] = ()
    formula: str = ""


@dataclass(frozen=True)
class Template:
    format: str
    name: str
    first_year: int
    last_year: int
    markers: tuple[str, ...]
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    citations: tuple[str, ...] = ()
    bounds: tuple[Bound, ...] = ()
    authority: tuple[Authority, ...] = ()
    cross_year: tuple[CrossYear, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def table(self, table_id: str) -> Table:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def section(self, number: int) -> Section:
        for s in self.sections:
            if s.number == number:
                return s
        raise KeyError(number)

    def section_name(self, number: int) -> str:
        """「第二部分」 for a section, 「开头部分」 for the text before section 一."""
        return f"第{self.section(number).numeral}部分" if number else "开头部分"

    def keys(self) -> list[str]:
        """Every canonical key of the format, in official order (optional rows left out)."""
        return [k for t in self.tables for k in t.keys()]

    def derived(self, name: str, build):
        """What a reader derives from this format once (compiled patterns, label sets), kept with it."""
        if name not in self._index:
            self._index[name] = build(self)
        return self._index[name]

    def position(self, key: str) -> int:
        """Where a key stands in official order (optional rows after their table's rows; unknown last)."""
        if "position" not in self._index:
            keys = [k for t in self.tables for k in t.keys(t.rows)]
            self._index["position"] = {k: n for n, k in enumerate(keys)}
        return self._index["position"].get(key, 10**6)

    def spec(self, key: str) -> tuple[Table, Row, Column]:
        """The table, row and column a canonical key names (indexed once per template)."""
        specs = self._index.get("spec")
        if specs is None:
            specs = self._index["spec"] = {
                f"{t.id}.{r.key}.{c}": (t, r, t.columns[c]) for t in self.tables for r in t.rows for c in r.columns
            }
        try:
            return specs[key]
        except KeyError:
            table_id, row_key, col_key = key.split(".")  # a ValueError for a malformed key, as before
            table = self.table(table_id)
            return table, table.row(row_key), table.columns[col_key]

    def cell_label(self, key: str) -> str:
        """「表三「(一)予以公开·自然人」」: a cell as a reader finds it in the printed table."""
        try:
            table, row, column = self.spec(key)
        except (KeyError, ValueError):
            return key
        return f"{table.title}「{row.label}·{column.label}」"

    def expand(self, keys) -> list[str]:
        """Canonical keys with "@group" rows expanded ("t3.@denied.total" -> the eight denied rows' totals)."""
        keys = tuple(keys)
        done = self._index.setdefault("expand", {})
        if keys not in done:  # the same few key lists are asked for in every report: expanded once
            done[keys] = tuple(self._expand(keys))
        return list(done[keys])

    def _expand(self, keys: tuple[str, ...]) -> list[str]:
        out = []
        for key in keys:
            table_id, row, col = key.split(".")
            if row.startswith("@"):
                table = self.table(table_id)
                out += [f"{table_id}.{r.key}.{col}" for r in table.select([row]) if not r.optional]
            else:
                out.append(key)
        return out

    def header_cores(self) -> frozenset[str]:
        """Normalised header and group labels: text that belongs to a table, not to prose."""
        if "headers" not in self._index:
            names = {core(h) for t in self.tables for h in t.headers}
            names |= {core(g.label) for t in self.tables for g in t.groups}
            names |= {core(c.label) for t in self.tables for c in t.columns.values()}
            names |= {core(v) for t in self.tables for c in t.columns.values() for v in c.variants}
            self._index["headers"] = frozenset(names)
        return self._index["headers"]


class LabelIndex:
    """Answers "which rows of this table does this cell name?" in O(1) per cell."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.exact: dict[str, list[str]] = {}
        self.prefix: dict[str, list[tuple[str, str]]] = {}
        self._memo: dict[str, tuple[str, ...]] = {}
        for row in table.rows:
            for name in row.names:
                c = core(name)
                if c not in self.exact or row.key not in self.exact[c]:
                    self.exact.setdefault(c, []).append(row.key)
                if len(c) >= PREFIX_MIN:
                    self.prefix.setdefault(c[:PREFIX_MIN], []).append((c, row.key))
        self.groups = sorted((core(g.label) for g in table.groups), key=len, reverse=True)

    def rows_named(self, text_core: str) -> tuple[str, ...]:
        """Row keys whose label or variant this (``core``-normalised) cell text names (remembered per text)."""
        found = self._memo.get(text_core)
        if found is None:
            if len(self._memo) > 65536:  # a corpus's worth of distinct cell texts: start again
                self._memo.clear()
            found = self._memo[text_core] = tuple(self._rows_named(text_core))
        return found

    def _rows_named(self, text_core: str) -> list[str]:
        found = self._lookup(text_core)
        if found:
            return found
        # "(三)不予公开 1.属于国家秘密" in one cell: drop the group label and retry.
        for g in self.groups:
            if text_core.startswith(g) and len(text_core) > len(g):
                return self._lookup(_ENUM.sub("", text_core[len(g) :]))
        return []

    def _lookup(self, c: str) -> list[str]:
        keys = list(self.exact.get(c, ()))
        for variant, key in self.prefix.get(c[:PREFIX_MIN], ()):
            if c.startswith(variant) and key not in keys:
                keys.append(key)
        return keys


_BUILTIN = {"2021": "gov2021.toml", "2019": "gov2019.toml"}
_REGISTERED: dict[str, dict] = {}  # formats added with register(): format -> raw TOML


def _read_builtin(name: str) -> dict:
    return tomllib.loads(resources.files("giaudit.templates").joinpath(name).read_text("utf-8"))


def _raw(format: str) -> dict:
    if format in _REGISTERED:
        return _REGISTERED[format]
    if format in _BUILTIN:
        return _read_builtin(_BUILTIN[format])
    raise KeyError(f"unknown report format {format!r}; known: {', '.join(formats())}")


def _edit_rows(rows: list[dict], edit: dict) -> list[dict]:
    """A table's rows with the edits of ``[inherit.<table>]``: remove, require, rename and add rows."""
    rows = [dict(r) for r in rows if r["key"] not in edit.get("remove_rows", ())]
    renames = edit.get("rename_rows", {})
    for r in rows:
        if r["key"] in edit.get("require_rows", ()):
            r.pop("optional", None)
            r.pop("replaces", None)
        if r["key"] in renames:
            r.update(renames[r["key"]])
    for new in edit.get("add_rows", ()):
        new = dict(new)
        after = new.pop("after", None)
        at = next((n + 1 for n, r in enumerate(rows) if r["key"] == after), len(rows))
        rows.insert(at, new)
    return rows


def _inherit(raw: dict) -> dict:
    """Take sections, tables, cross-year rules and indicators from the format named in ``[inherit]``, with edits."""
    spec = raw.get("inherit")
    if not spec:
        return raw
    base = _inherit(dict(_raw(spec["format"])))
    raw = dict(raw)
    if spec.get("sections"):
        raw.setdefault("sections", base["sections"])
    for name in ("markers", "citations"):
        raw.setdefault(name, [])
    own = {t["id"] for t in raw.get("tables", ())}
    tables = list(raw.get("tables", ()))
    for t in base["tables"]:
        if t["id"] in spec.get("tables", ()) and t["id"] not in own:
            tables.append({**t, "rows": _edit_rows(t["rows"], spec.get(t["id"], {}))})
    raw["tables"] = sorted(tables, key=lambda t: t["number"])
    kinds = spec.get("cross_year", ())
    raw["cross_year"] = [*raw.get("cross_year", ()), *(c for c in base.get("cross_year", ()) if c["kind"] in kinds)]
    if spec.get("indicators"):
        raw.setdefault("indicators", base.get("indicators", []))
    if spec.get("bounds"):
        raw.setdefault("bounds", base.get("bounds", []))
    if spec.get("authority"):
        raw.setdefault("authority", base.get("authority", []))
    return raw


def _tuple(d: dict, *names: str) -> dict:
    return {**d, **{n: tuple(d[n]) for n in names if n in d}}


def _build(raw: dict) -> Template:
    raw = _inherit(raw)
    tables = []
    for t in raw["tables"]:
        columns = {c["key"]: Column(**_tuple(c, "variants")) for c in t["columns"]}
        default_cols = tuple(t.get("row_columns", ()))
        rows = tuple(
            Row(**{"columns": default_cols, **_tuple(r, "columns", "variants", "replaces")}) for r in t["rows"]
        )
        tables.append(
            Table(
                id=t["id"],
                number=t["number"],
                numeral=t["numeral"],
                section=t["section"],
                label=t["label"],
                label_en=t["label_en"],
                layout=t["layout"],
                columns=columns,
                rows=rows,
                groups=tuple(Group(**g) for g in t.get("groups", ())),
                headers=tuple(t.get("headers", ())),
                row_columns=default_cols,
                equations=tuple(
                    EquationSpec(**_tuple(e, "lhs", "rhs", "shift_columns")) for e in t.get("equations", ())
                ),
            )
        )
    return Template(
        format=raw["format"],
        name=raw["name"],
        first_year=raw["first_year"],
        last_year=raw["last_year"],
        markers=tuple(raw.get("markers", ())),
        sections=tuple(Section(**_tuple(s, "keywords")) for s in raw["sections"]),
        tables=tuple(tables),
        citations=tuple(raw.get("citations", ())),
        bounds=tuple(Bound(**_tuple(b, "rows")) for b in raw.get("bounds", ())),
        authority=tuple(
            Authority(**_tuple(a, "rows", "below", "not_below", "self_reference")) for a in raw.get("authority", ())
        ),
        cross_year=tuple(CrossYear(**_tuple(c, "rows")) for c in raw.get("cross_year", ())),
        indicators=tuple(
            IndicatorSpec(**_tuple(i, "numerator", "denominator", "minus")) for i in raw.get("indicators", ())
        ),
    )


def formats() -> tuple[str, ...]:
    """Every known format: the built-in ones and those added with ``register``, oldest first."""
    return tuple(sorted({*_BUILTIN, *_REGISTERED}, key=lambda f: get(f).first_year))


@cache
def get(format: str = "2021") -> Template:
    """The template of a format version: "2021" (国办公开办函〔2021〕30号) or "2019" (〔2019〕60号)."""
    return _build(_raw(format))


def register(path) -> Template:
    """Add a format from a TOML file (a revision of the official format, say), with no change to the code.

    The file is read like the built-in ones (``[inherit]`` may add, drop and rename rows of a format it
    builds on); from then on ``giaudit.read`` considers it when it detects a report's format.
    """
    from pathlib import Path

    raw = tomllib.loads(Path(path).read_text("utf-8"))
    _REGISTERED[raw["format"]] = raw
    get.cache_clear()
    label_index.cache_clear()
    return get(raw["format"])


def unregister(format: str) -> None:
    """Forget a format added with ``register``."""
    _REGISTERED.pop(format, None)
    get.cache_clear()
    label_index.cache_clear()


@cache
def label_index(format: str, table_id: str) -> LabelIndex:
    return LabelIndex(get(format).table(table_id))
