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
import re
from dataclasses import asdict, dataclass
from functools import cached_property

import pandas as pd

from . import template as tpl
from .document import Document
from .extract import Cell, Extraction

_TITLE = re.compile(
    r"^(?P<agency>.*?)[\s_:：-]*(?P<year>20\d{2})\s*年度?(?:本?(?:单位|部门|机关))?(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告"
)
_PERIOD = re.compile(r"(?:统计|数据).{0,16}?(20\d{2})\s*年\s*0?1\s*月\s*0?1\s*日")
_PERIOD_ANY = re.compile(
    r"(20\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|-|～|~)\s*(?:(20\d{2})\s*年\s*)?12\s*月\s*31\s*日"
)
_DATE_LINE = re.compile(r"^\s*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_ORG = re.compile(r"(?:人民政府|办公室|办公厅|局|委员会|厅|办|中心|办事处|管委会|管理委员会|院|署|部|所|站|队|政府)$")
_JUNK_PREFIX = re.compile(r"^(?:标题[:：]|page\d+[-_]|关于|转发|印发)+", re.I)

LABELS = ("zh", "en", "key")


@dataclass(frozen=True)
class Meta:
    agency: str | None
    year: int | None
    format: str
    source: str
    kind: str
    encoding: str | None = None
    title: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def detect_meta(doc: Document, extraction: Extraction) -> tuple[Meta, list[str]]:
    warnings = []
    agency, year = None, None
    if doc.title and (m := _TITLE.search(tpl.normalize(doc.title))):
        agency = _JUNK_PREFIX.sub("", m["agency"]).strip(" _-:：") or None
        year = int(m["year"])
    if agency is None and doc.title:  # "淮安市洪泽区人民政府" on the line above "2024年…年度报告"
        agency = _line_above_title(doc)
    if agency is None:
        agency = _signoff(doc)
    if agency is None and (agency := _contact(doc)):
        warnings.append(f"报告单位名称「{agency}」系根据联系方式推断 (no title line names the agency)")
    if year is None:
        head = "\n".join(t.text for t in doc.tokens[:60] if t.kind == "para")
        m = _PERIOD_ANY.search(head) or _PERIOD.search(head)
        year = int(m.group(1)) if m else None
    if doc.title is None:
        warnings.append("未找到报告标题行 (如「XX2024年政府信息公开工作年度报告」)")
    if agency is None:
        warnings.append("未能识别报告单位名称")
    if year is None:
        warnings.append("未能识别报告年度")
    meta = Meta(agency, year, extraction.format, doc.source, doc.kind, doc.encoding, doc.title)
    return meta, warnings


_CONTACT = re.compile(r"请与([^,，。;；(（:：]{2,40}?)联系")
_AGENCY_UNIT = re.compile(
    r"^(.*?(?:人民政府办公室|人民政府办公厅|政府办公室|政府办|人民政府|委员会|管委会|办事处|局|厅|委|中心|院))"
    r"(?:[^局委厅]{1,10}?(?:科|股|室|处|组))?$"
)


def _contact(doc: Document) -> str | None:
    """The agency as named in "如对本报告有疑问,请与XX县政府办电子政务科联系" (unit dropped)."""
    head = "\n".join(t.text for t in doc.tokens[:40] if t.kind == "para")
    m = _CONTACT.search(head)
    if not m or not (unit := _AGENCY_UNIT.match(m.group(1).strip())):
        return None
    name = unit.group(1)
    if name.endswith("政府办"):  # the usual short form of 人民政府办公室
        name = name[: -len("政府办")].removesuffix("人民") + "人民政府办公室"
    return name if len(name) >= 4 else None


def _line_above_title(doc: Document) -> str | None:
    paras = [t.text for t in doc.tokens[:80] if t.kind == "para"]
    if doc.title in paras:
        n = paras.index(doc.title)
        if n and len(paras[n - 1]) <= 30 and _ORG.search(paras[n - 1].strip()):
            return paras[n - 1].strip()
    return None


def _signoff(doc: Document) -> str | None:
    """The issuing agency as signed at the end: a short name line just before a date line."""
    paras = [t.text for t in doc.tokens[-12:] if t.kind == "para"]
    for n in range(len(paras) - 1, 0, -1):
        if _DATE_LINE.match(paras[n]):
            name = paras[n - 1].strip()
            if len(name) <= 30 and _ORG.search(name):
                return name
    return None


class Report:
    """An annual report as read by ``giaudit.read``."""

    def __init__(self, document: Document, extraction: Extraction) -> None:
        self.document = document
        self.extraction = extraction
        self.template = tpl.get(extraction.format)
        self.meta, meta_warnings = detect_meta(document, extraction)
        self.cells: dict[str, Cell] = extraction.cells
        self.prose: dict[int, str] = extraction.prose
        self.warnings: list[str] = [*extraction.warnings, *meta_warnings]

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

    @cached_property
    def tidy(self) -> pd.DataFrame:
        """One row per canonical key: labels, value (``count`` Int64 or ``amount`` Float64), raw text, source."""
        recs = []
        for key, cell in self.cells.items():
            table, row, column = self.template.spec(key)
            is_amount = column.kind == "amount"
            recs.append(
                (
                    key,
                    table.id,
                    row.key,
                    column.key,
                    row.label,
                    column.label,
                    None if is_amount or isinstance(cell.value, float) else cell.value,
                    cell.value if is_amount else None,
                    cell.raw,
                    cell.unit or (column.unit if cell.value is not None else None),
                    str(cell.source) if cell.source else None,
                )
            )
        df = pd.DataFrame.from_records(
            recs,
            columns=[
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
            ],
        )
        df["count"] = df["count"].astype("Int64")
        df["amount"] = df["amount"].astype("Float64")
        for c in ("raw", "unit", "source"):
            df[c] = df[c].astype("string")
        return df

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """Derived rates (公开率, 不予公开率, 复议纠错率, …), formulas in ``giaudit.indicators``."""
        from .indicators import compute

        return compute(self.values)

    def explain(self) -> pd.DataFrame:
        """Which template row each value matched, with the label text and both sources."""
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
