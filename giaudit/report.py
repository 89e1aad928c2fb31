"""``Report``: one annual report read into values, prose and DataFrames.

Everything a user touches hangs off a Report: ``meta``, ``prose`` (section
number -> text), ``values`` (canonical key -> number or None), ``cells``
(canonical key -> Cell with raw text and source), ``warnings``, the wide
tables ``table2``/``table3``/``table4`` (official Chinese labels; counts Int64,
money Float64) and the long ``tidy`` table. DataFrames are built on first use,
so reading thousands of reports costs no pandas work until it is wanted.
"""

from __future__ import annotations

import html
from functools import cached_property
from typing import TYPE_CHECKING

from . import template as tpl
from .document import Document
from .extract import Cell, Extraction
from .meta import Meta

if TYPE_CHECKING:
    import pandas as pd

LABELS = ("zh", "en", "key")

# One value of a report as a plain record (Report.records), and its types: the tidy table and the
# corpus's values.parquet are made from this.
VALUE_FIELDS: tuple[tuple[str, str], ...] = (
    ("key", "string"),
    ("count", "int"),
    ("amount", "float"),
    ("raw", "string"),
    ("unit", "string"),
    ("source", "string"),
)
TIDY_COLUMNS = [
    "key",
    "table",
    "row",
    "column",
    "row_label",
    "column_label",
    "count",
    "amount",
    "raw",
    "unit",
    "source",
]


class Report:
    """An annual report as read by ``giaudit.read``."""

    @classmethod
    def from_records(cls, meta: Meta, records) -> Report:
        """A Report rebuilt from stored ``records()`` (a corpus's cache): values and sources, no document."""
        cells = {
            key: Cell(key, count if count is not None else amount, raw, unit, source)
            for key, count, amount, raw, unit, source in records
        }
        extraction = Extraction(meta.format, {}, [], cells, {}, [], meta)
        return cls(Document([], meta.source, meta.kind), extraction)

    def __init__(self, document: Document, extraction: Extraction) -> None:
        self.document = document
        self.extraction = extraction
        self.template = tpl.get(extraction.format)
        self.meta: Meta = extraction.meta
        self.cells: dict[str, Cell] = extraction.cells
        self.prose: dict[int, str] = extraction.prose
        self.warnings: list[str] = extraction.warnings

    # ---------------------------------------------------------------- values
    @cached_property
    def values(self) -> dict[str, int | float | None]:
        """Canonical key -> number (``None`` where the cell is blank, a dash, or absent)."""
        return {k: c.value for k, c in self.cells.items()}

    def __getitem__(self, key: str) -> int | float | None:
        return self.cells[key].value

    def __repr__(self) -> str:
        m = self.meta
        found = sum(c.value is not None for c in self.cells.values())
        return (
            f"<Report {m.agency or '?'} {m.year or '?'} format={m.format} "
            f"values={found}/{len(self.cells)} warnings={len(self.warnings)}>"
        )

    # ------------------------------------------------------------ dataframes
    def table(self, table_id: str, labels: str = "zh") -> pd.DataFrame:
        """A wide table ("t2", "t3", "t4") labelled in Chinese ("zh"), English ("en") or by key."""
        import pandas as pd

        if labels not in LABELS:
            raise ValueError(f"labels must be one of {LABELS}")
        table = self.template.table(table_id)
        rows = [r for r in table.rows if any(f"{table.id}.{r.key}.{c}" in self.cells for c in r.columns)]
        col_keys = [c for c in table.columns if any(c in r.columns for r in rows)]
        data = {}
        for ck in col_keys:
            column = table.columns[ck]
            dtype = "Float64" if column.kind == "amount" else "Int64"
            vals = []
            for r in rows:
                cell = self.cells.get(f"{table.id}.{r.key}.{ck}")
                v = cell.value if cell else None
                if dtype == "Int64" and isinstance(v, float):
                    v = None  # a non-integer count is named in warnings; raw text is in tidy
                vals.append(v)
            data[_label(column, labels)] = pd.array(vals, dtype=dtype)
        index = pd.Index([_label(r, labels) for r in rows], name={"zh": "项目", "en": "item", "key": "row"}[labels])
        return pd.DataFrame(data, index=index)

    @property
    def table2(self) -> pd.DataFrame:
        """Table 二 (主动公开政府信息情况), official labels."""
        return self._cached_table("t2")

    @property
    def table3(self) -> pd.DataFrame:
        """Table 三 (收到和处理政府信息公开申请情况): 25 rows x 7 applicant columns."""
        return self._cached_table("t3")

    @property
    def table4(self) -> pd.DataFrame:
        """Table 四 (行政复议、行政诉讼): three blocks x five outcomes."""
        return self._cached_table("t4")

    def _cached_table(self, table_id: str) -> pd.DataFrame:
        cache = self.__dict__.setdefault("_tables", {})
        if table_id not in cache:
            cache[table_id] = self.table(table_id)
        return cache[table_id].copy()

    def records(self) -> list[tuple]:
        """One plain tuple per canonical key, fields as ``VALUE_FIELDS``: counts int, money float, raw, unit, source.

        The tidy table and the corpus's values.parquet are both made from these.
        """
        columns = self.template.derived("record_columns", _record_columns)
        out = []
        for key, cell in self.cells.items():
            amount, column_unit = columns[key]
            value = cell.value
            count = None if amount or isinstance(value, float) else value
            unit = cell.unit or (column_unit if value is not None else None)
            source = str(cell.source) if cell.source else None
            out.append((key, count, value if amount else None, cell.raw, unit, source))
        return out

    @cached_property
    def tidy(self) -> pd.DataFrame:
        """One row per canonical key: labels, value (``count`` Int64 or ``amount`` Float64), raw text, source."""
        import pandas as pd

        recs = []
        for key, count, amount, raw, unit, source in self.records():
            table, row, column = self.template.spec(key)
            recs.append((key, table.id, row.key, column.key, row.label, column.label, count, amount, raw, unit, source))
        df = pd.DataFrame.from_records(recs, columns=TIDY_COLUMNS)
        df["count"] = df["count"].astype("Int64")
        df["amount"] = df["amount"].astype("Float64")
        for c in ("raw", "unit", "source"):
            df[c] = df[c].astype("string")
        return df

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """Derived rates (公开率, 不予公开率, 复议纠错率, …), formulas in ``giaudit.indicators``."""
        from .indicators import compute

        return compute(self.values, self.template)

    def explain(self) -> pd.DataFrame:
        """Which template row each value matched, with the label text and both sources."""
        import pandas as pd

        tokens = self.document.tokens
        rows = []
        for m in self.extraction.matches:
            label = tokens[m.label].text if m.label >= 0 else "(按位置)"
            table = self.template.table(m.table)
            for col_key, idx in zip(table.row(m.row).columns, m.values, strict=False):
                rows.append(
                    {
                        "key": f"{m.table}.{m.row}.{col_key}",
                        "matched_label": label,
                        "label_source": str(tokens[m.label].loc) if m.label >= 0 else None,
                        "raw": tokens[idx].text,
                        "source": str(tokens[idx].loc),
                        "note": m.note,
                    }
                )
        return pd.DataFrame(rows, columns=["key", "matched_label", "label_source", "raw", "source", "note"])

    # ---------------------------------------------------------------- export
    def to_dict(self) -> dict:
        return {"meta": self.meta.to_dict(), "values": dict(self.values), "warnings": list(self.warnings)}

    def _repr_html_(self) -> str:
        m = self.meta
        head = html.escape(
            f"{m.agency or '未识别单位'} {m.year or ''} 政府信息公开工作年度报告 · 格式 {m.format} · {m.source}"
        )
        warn = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings[:10])
        more = f"<li>… 另有 {len(self.warnings) - 10} 条</li>" if len(self.warnings) > 10 else ""
        return (
            f"<div><strong>{head}</strong>"
            + (f"<ul>{warn}{more}</ul>" if warn else "")
            + self.table3.to_html(escape=True, na_rep="—")
            + "</div>"
        )


def _label(item, labels: str) -> str:
    return {"zh": item.label, "en": item.label_en, "key": item.key}[labels]


def _record_columns(template) -> dict[str, tuple[bool, str | None]]:
    """For each canonical key: whether it is money, and its column's unit (looked up once per format)."""
    return {
        f"{t.id}.{r.key}.{c}": (t.columns[c].kind == "amount", t.columns[c].unit)
        for t in template.tables
        for r in t.rows
        for c in r.columns
    }
