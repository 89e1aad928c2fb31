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

_DELETE = re.compile(r"[\s“”\"'‘’「」『』《》〈〉|｜*#]+")
_OPEN = re.compile(r"[【\[〔﹙]")
_CLOSE = re.compile(r"[】\]〕﹚]")
# Enumerators in front of a label: "(三)", "三、", "1.", "1、", "(1)", "①".
_ENUM = re.compile(r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.](?!\d))+")
_TRAILING = re.compile(r"[:;,。、.]+$")


@lru_cache(maxsize=32768)
def normalize(text: str) -> str:
    """Compare-form of a label: NFKC, no whitespace, quotes or decoration."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = _DELETE.sub("", text)
    if _OPEN.search(text) or _CLOSE.search(text):
        text = _CLOSE.sub(")", _OPEN.sub("(", text))
    return _TRAILING.sub("", text)


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

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    label_en: str


@dataclass(frozen=True)
class Table:
    id: str
    number: int
    section: int
    label: str
    label_en: str
    layout: str  # "rows" or "single_row"
    columns: dict[str, Column]
    rows: tuple[Row, ...]
    groups: tuple[Group, ...] = ()
    headers: tuple[str, ...] = ()

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def keys(self, rows: tuple[Row, ...] | None = None) -> list[str]:
        """Canonical keys of the given rows (default: every non-optional row)."""
        rows = rows if rows is not None else tuple(r for r in self.rows if not r.optional)
        return [f"{self.id}.{r.key}.{c}" for r in rows for c in r.columns]


@dataclass(frozen=True)
class Section:
    number: int
    label: str
    label_en: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Template:
    format: str
    name: str
    first_year: int
    last_year: int
    markers: tuple[str, ...]
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def table(self, table_id: str) -> Table:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def keys(self) -> list[str]:
        """Every canonical key of the format, in official order (optional rows left out)."""
        return [k for t in self.tables for k in t.keys()]

    def position(self, key: str) -> int:
        """Where a key stands in official order (optional rows after their table's rows; unknown last)."""
        if "position" not in self._index:
            keys = [k for t in self.tables for k in t.keys(t.rows)]
            self._index["position"] = {k: n for n, k in enumerate(keys)}
        return self._index["position"].get(key, 10**6)

    def spec(self, key: str) -> tuple[Table, Row, Column]:
        """The table, row and column a canonical key names."""
        table_id, row_key, col_key = key.split(".")
        table = self.table(table_id)
        return table, table.row(row_key), table.columns[col_key]

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
        for row in table.rows:
            for name in row.names:
                c = core(name)
                if c not in self.exact or row.key not in self.exact[c]:
                    self.exact.setdefault(c, []).append(row.key)
                if len(c) >= PREFIX_MIN:
                    self.prefix.setdefault(c[:PREFIX_MIN], []).append((c, row.key))
        self.groups = sorted((core(g.label) for g in table.groups), key=len, reverse=True)

    def rows_named(self, text_core: str) -> list[str]:
        """Row keys whose label or variant this (``core``-normalised) cell text names."""
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


def _read(name: str) -> dict:
    return tomllib.loads(resources.files("giaudit.templates").joinpath(name).read_text("utf-8"))


def _inherit(raw: dict) -> dict:
    """Take sections and tables from the format named in ``[inherit]``, with its edits."""
    spec = raw.get("inherit")
    if not spec:
        return raw
    base = _read(_FILES[spec["format"]])
    if spec.get("sections"):
        raw.setdefault("sections", base["sections"])
    own = {t["id"] for t in raw.get("tables", ())}
    tables = list(raw.get("tables", ()))
    for t in base["tables"]:
        if t["id"] in spec.get("tables", ()) and t["id"] not in own:
            edit = spec.get(t["id"], {})
            rows = [dict(r) for r in t["rows"] if r["key"] not in edit.get("remove_rows", ())]
            for r in rows:
                if r["key"] in edit.get("require_rows", ()):
                    r.pop("optional", None)
                    r.pop("replaces", None)
            tables.append({**t, "rows": rows})
    raw["tables"] = sorted(tables, key=lambda t: t["number"])
    return raw


def _load(name: str) -> Template:
    raw = _inherit(_read(name))
    tables = []
    for t in raw["tables"]:
        columns = {c["key"]: Column(**{**c, "variants": tuple(c.get("variants", ()))}) for c in t["columns"]}
        default_cols = tuple(t.get("row_columns", ()))
        rows = tuple(
            Row(
                key=r["key"],
                label=r["label"],
                label_en=r["label_en"],
                columns=tuple(r.get("columns", default_cols)),
                variants=tuple(r.get("variants", ())),
                group=r.get("group"),
                optional=r.get("optional", False),
                alternative=r.get("alternative"),
                replaces=tuple(r.get("replaces", ())),
            )
            for r in t["rows"]
        )
        groups = tuple(Group(**g) for g in t.get("groups", ()))
        tables.append(
            Table(
                id=t["id"],
                number=t["number"],
                section=t["section"],
                label=t["label"],
                label_en=t["label_en"],
                layout=t["layout"],
                columns=columns,
                rows=rows,
                groups=groups,
                headers=tuple(t.get("headers", ())),
            )
        )
    sections = tuple(Section(**{**s, "keywords": tuple(s["keywords"])}) for s in raw["sections"])
    return Template(
        format=raw["format"],
        name=raw["name"],
        first_year=raw["first_year"],
        last_year=raw["last_year"],
        markers=tuple(raw.get("markers", ())),
        sections=sections,
        tables=tuple(tables),
    )


_FILES = {"2021": "gov2021.toml", "2019": "gov2019.toml"}
FORMATS = tuple(_FILES)


@cache
def get(format: str = "2021") -> Template:
    """The template of a format version: "2021" (国办公开办函〔2021〕30号) or "2019" (〔2019〕60号)."""
    if format not in _FILES:
        raise KeyError(f"unknown report format {format!r}; known: {', '.join(_FILES)}")
    return _load(_FILES[format])


@cache
def label_index(format: str, table_id: str) -> LabelIndex:
    return LabelIndex(get(format).table(table_id))
