"""Excel workbooks a reviewer can forward: the three tables as printed, failing cells marked, and the findings.

``write_report`` makes one report's workbook (``giaudit audit FILE --xlsx OUT.xlsx``): sheets 表二, 表三 and
表四 in the official layout (table 三 with its group rows), each cell of a finding filled red (error) or
amber (warning) with the finding as a comment, and a sheet of the findings. ``write_corpus`` makes a
corpus's (``giaudit corpus DIR -o OUT --xlsx``): the per-report summary, the findings and the values.
Text from a report is always written as text: a cell is never a live formula.
"""

from __future__ import annotations

from pathlib import Path

from .errors import MissingDependency
from .findings import Findings, Severity
from .pages import _isna, where
from .report import Report

FILL = {"error": "FDE2DF", "warning": "FFF1D6"}
HEAD = "F3F4F6"


def _openpyxl(target: str):
    try:
        import openpyxl
    except ImportError as exc:
        raise MissingDependency(str(target), "Excel output", "xlsx") from exc
    return openpyxl


def _put(ws, row: int, col: int, value):
    """Write one cell; text stays text (a leading "=" is no formula, and Excel shows it as typed)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text begins with
    else:
        cell.value = value
    return cell


def write_report(report: Report, findings: Findings, target: str | Path) -> Path:
    openpyxl = _openpyxl(str(target))
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    marks: dict[str, tuple[str, list[str]]] = {}
    for f in findings:
        if f.severity is Severity.INFO:
            continue
        for k in f.keys:
            sev, msgs = marks.get(k, (f.severity.value, []))
            if Severity(sev).rank > f.severity.rank:
                sev = f.severity.value
            marks[k] = (sev, [*msgs, f"[{f.severity.label}] {f.message}"])
    bold = Font(bold=True)
    for tbl in report.template.tables:
        ws = wb.create_sheet(tbl.title)
        rows = [r for r in tbl.rows if any(f"{tbl.id}.{r.key}.{c}" in report.cells for c in r.columns)]
        cols = [c for c in tbl.columns if any(c in r.columns for r in rows)]
        _put(ws, 1, 1, f"{tbl.title} {tbl.label}").font = bold
        for j, c in enumerate(cols, 2):
            head = _put(ws, 2, j, tbl.columns[c].label)
            head.font, head.fill = bold, PatternFill("solid", fgColor=HEAD)
            head.alignment = Alignment(wrap_text=True)
        r = 3
        for kind, item in tbl.display_rows(rows):
            _put(ws, r, 1, item.label).font = bold if kind == "group" else Font()
            if kind == "row":
                for j, c in enumerate(cols, 2):
                    cell = report.cells.get(f"{tbl.id}.{item.key}.{c}")
                    if c not in item.columns or cell is None:
                        continue
                    out = _put(
                        ws,
                        r,
                        j,
                        cell.value
                        if cell.value is not None
                        else (cell.raw or ("空白" if cell.raw == "" else "未找到")),
                    )
                    key = f"{tbl.id}.{item.key}.{c}"
                    if key in marks:
                        sev, msgs = marks[key]
                        out.fill = PatternFill("solid", fgColor=FILL[sev])
                        out.comment = Comment("\n".join(msgs)[:2000], "giaudit")
            r += 1
        ws.column_dimensions["A"].width = 46
        for j in range(2, len(cols) + 2):
            ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = 12
    ws = wb.create_sheet("审核发现")
    heads = ["级别", "检查", "发现", "出处", "疑似单元格", "建议值", "可能原因"]
    for j, h in enumerate(heads, 1):
        cell = _put(ws, 1, j, h)
        cell.font, cell.fill = bold, PatternFill("solid", fgColor=HEAD)
    for i, f in enumerate(findings, 2):
        values = [
            f.severity.label,
            f.check,
            f.message,
            where(f.source),
            report.template.cell_label(f.suspect[0]) if f.suspect else "",
            f.suspect[1] if f.suspect else None,
            (f.slip or "").split(" (")[0],
        ]
        for j, v in enumerate(values, 1):
            if v is not None:
                cell = _put(ws, i, j, v)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if f.severity is not Severity.INFO:
            ws.cell(row=i, column=1).fill = PatternFill("solid", fgColor=FILL[f.severity.value])
    for letter, width in zip("ABCDEFG", (7, 16, 90, 28, 40, 8, 14), strict=True):
        ws.column_dimensions[letter].width = width
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def write_corpus(out: str | Path, target: str | Path | None = None) -> Path:
    """The corpus outputs in OUT as one workbook (OUT/corpus.xlsx by default): reports, findings, values."""
    openpyxl = _openpyxl(str(out))
    from openpyxl.styles import Font, PatternFill

    from .corpus import Corpus

    c = Corpus(out)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in (("报告", c.reports), ("审核发现", c.findings), ("数值", c.values), ("无法读取", c.errors)):
        ws = wb.create_sheet(name)
        for j, col in enumerate(df.columns, 1):
            cell = _put(ws, 1, j, str(col))
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=HEAD)
        for i, row in enumerate(df.itertuples(index=False), 2):
            for j, v in enumerate(row, 1):
                if v is None or (not isinstance(v, str | list) and _isna(v)):
                    continue
                _put(ws, i, j, "、".join(map(str, v)) if isinstance(v, list | tuple) or hasattr(v, "tolist") else v)
    target = Path(target) if target else Path(out) / "corpus.xlsx"
    wb.save(target)
    return target
