"""What a reviewer reads in a write-up: the three tables in their printed layout, the findings, sources in words.

Each function returns ``Html`` (shown by notebooks, exported by ``giaudit render``). Every piece of report
text is escaped here; no pandas leftovers reach the page (no ``<NA>``, no index column). Tables keep the
official structure — table 三's group rows 三、本年度办理结果, (三)不予公开 … — and mark the cells a
finding is about: red for an error, amber for a warning, the suspect cell outlined. The page fits a
1280 px screen and A4 paper.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from .findings import Findings, Severity
from .lang import pick
from .report import Report
from .views import Html

e = html.escape

CSS = """
.gi { font-size: 14px; line-height: 1.5; max-width: 100%; }
.gi table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; }
.gi table.fixed { table-layout: fixed; }
.gi th, .gi td { border: 1px solid #d0d0d0; padding: 3px 6px; text-align: left !important; vertical-align: top;
  overflow-wrap: break-word; }
.gi th { background: #f3f4f6; font-weight: 600; }
.gi td.n { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
.gi tr.group td { background: #fafafa; font-weight: 600; }
.gi td.blank { color: #8a8a8a; }
.gi td.none { background: #f7f7f7; }
.gi .error { background: #fde2df; }
.gi .warning { background: #fff1d6; }
.gi .suspect { outline: 2px solid #c23b22; outline-offset: -2px; font-weight: 700; }
.gi .sev { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; white-space: nowrap; }
.gi .sev.error { background: #c23b22; } .gi .sev.warning { background: #c9821f; } .gi .sev.info { background: #7a8793; }
.gi .check { display: block; color: #8a8a8a; font-size: 11px; }
.gi .src { color: #555; font-size: 12px; }
.gi .none-said { color: #555; }
.gi img.crop { display: inline-block; max-height: 60px; margin: 4px 4px 0 0; border: 1px solid #d9822b; }
.gi .dismissed, .gi .dismissed .sev { opacity: .55; }
.gi .decision { display: inline-block; padding: 0 5px; border: 1px solid #7a8793; border-radius: 3px; font-size: 12px; }
.gi .decision.confirmed { border-color: #c23b22; color: #c23b22; }
.gi col.c-sev { width: 7em; } .gi col.c-where { width: 16%; } .gi col.c-cell { width: 20%; }
@media print {
  @page { size: A4; margin: 15mm 12mm; }
  .gi { font-size: 11px; }
  .gi tr, .gi li { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .jp-MarkdownCell { break-after: avoid-page; page-break-after: avoid; }
  .jp-OutputArea-output img { max-width: 100% !important; break-inside: avoid; }
}
"""

_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+)(?: \((?P<where>[^)]*)\))?(?: \[(?P<how>.*)\])?$")
_PLACE = re.compile(
    r"^(?P<file>.*?)(?: (?P<where>(?:p\d+)?(?:/?table\d+(?:/r\d+)?(?:/c\d+)?)?))?(?: \[(?P<how>.*)\])?$"
)
_PARA = re.compile(r"^(?P<file>.*?) ¶(?P<para>\d+)(?: \[(?P<how>.*)\])?$")


def where(source: str | None) -> str:
    """A source as people read it: 「jiangle-2024.txt 第23行」, 「hongze.pdf 第4页 表6 第4行第5列」 (the file's name,
    not its path)."""
    if not source:
        return ""
    out = None
    if m := _PARA.match(source):
        out = f"{Path(m['file']).name} 第{m['para']}段"
    elif m := _LINE.match(source):
        out = f"{Path(m['file']).name} 第{m['line']}行" + (f"({_cell(m['where'])})" if m["where"] else "")
    elif m := _PLACE.match(source):
        out = " ".join(x for x in (Path(m["file"]).name, _cell(m["where"] or "")) if x)
    if out is None:
        return source
    return out + (f"({m['how'].split(':')[0]})" if m["how"] else "")


def _cell(where: str) -> str:
    parts = []
    for tag, n in re.findall(r"(p|table|r|c)(\d+)", where):
        parts.append({"p": f"第{n}页", "table": f"表{n}", "r": f"第{n}行", "c": f"第{n}列"}[tag])
    return " ".join(parts)


def _number(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v)}"
    return str(v)


def _marks(findings: Findings | None) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """key -> (worst severity, first message) of the findings about it; and the suspect cells."""
    marks: dict[str, tuple[str, str]] = {}
    suspects: set[str] = set()
    for f in findings or ():
        if f.severity is Severity.INFO or not f.open:  # a dismissed finding no longer marks its cells
            continue
        for k in f.keys:
            if k not in marks or Severity(marks[k][0]).rank > f.severity.rank:
                marks[k] = (f.severity.value, f.message)
        if f.suspect:
            suspects.add(f.suspect[0])
    return marks, suspects


def table(report: Report, table_id: str, findings: Findings | None = None, lang: str = "zh") -> Html:
    """One table as printed: official rows and columns (table 三 with its group rows); a missing value shows
    what was printed (空白, 「/」); a cell the form does not have stays empty; cells in findings are marked."""
    tbl = report.template.table(table_id)
    marks, suspects = _marks(findings)
    rows = [r for r in tbl.rows if any(f"{tbl.id}.{r.key}.{c}" in report.cells for c in r.columns)]
    cols = [c for c in tbl.columns if any(c in r.columns for r in rows)]
    label = (lambda x: x.label_en) if lang == "en" else (lambda x: x.label)
    head = "".join(f"<th>{e(label(tbl.columns[c]))}</th>" for c in cols)
    body = []
    for kind, item in tbl.display_rows(rows):
        if kind == "group":
            body.append(f'<tr class="group"><td colspan="{len(cols) + 1}">{e(label(item))}</td></tr>')
            continue
        cells = []
        for c in cols:
            key = f"{tbl.id}.{item.key}.{c}"
            cell = report.cells.get(key)
            if c not in item.columns or cell is None:
                cells.append('<td class="none"></td>')
                continue
            cls, title = ["n"], ""
            if cell.value is not None:
                text = _number(cell.value)
            else:
                text = (
                    pick("未找到", "not found", lang) if cell.raw is None else (cell.raw or pick("空白", "blank", lang))
                )
                cls = ["blank"]
            if key in marks:
                cls.append(marks[key][0])
                title = f' title="{e(marks[key][1])}"'
            if key in suspects:
                cls.append("suspect")
            cells.append(f'<td class="{" ".join(cls)}"{title}>{e(text)}</td>')
        body.append(f"<tr><td>{e(label(item))}</td>{''.join(cells)}</tr>")
    first = "32%" if table_id == "t3" else "24%"
    return Html(
        f'<style>{CSS}</style><div class="gi"><table class="fixed"><colgroup><col style="width:{first}">'
        f"{'<col>' * len(cols)}</colgroup><thead><tr><th>{e(pick(tbl.title, f'Table {tbl.number}', lang))}</th>"
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def findings(found: Findings, severity: str | None = None, lang: str = "zh", report: Report | None = None) -> Html:
    """The findings, worst first, each with its severity in colour, its source in words, and the suspect cell by
    its labels; 「无」 when there is none."""
    least = Severity(severity).rank if severity else 2
    items = [f for f in found if f.severity.rank <= least]
    if not items:
        return Html(f'<style>{CSS}</style><div class="gi"><p class="none-said">{e(pick("无", "None", lang))}</p></div>')
    rows = []
    for f in items:
        sev = f.severity.label if lang != "en" else f.severity.value
        message = f.message_en if lang == "en" and f.message_en else f.message
        decided = ""
        if f.decision:
            from .decisions import LABELS

            label = LABELS[f.decision] if lang != "en" else f.decision
            decided = f'<span class="decision {e(f.decision)}">{e(label)}</span> '
            if f.decision_note:
                message += f"({pick('审核说明', 'note', lang)}:{f.decision_note})"
        rows.append(
            f'<tr{" class=dismissed" if not f.open else ""}><td><span class="sev {f.severity.value}">{e(sev)}</span>'
            f'<span class="check">{e(f.check)}</span><span class="check">{e(f.fingerprint)}</span></td>'
            f'<td>{decided}{e(message)}{_crop(f, report)}</td><td class="src">{e(where(f.source))}</td>'
            f"<td>{_suspect_cell(f, report)}</td></tr>"
        )
    heads = [
        pick(*p, lang)
        for p in (
            ("级别", "severity"),
            ("发现", "finding"),
            ("出处", "source"),
            ("疑似单元格 → 建议值", "suspect → value"),
        )
    ]
    return Html(
        f'<style>{CSS}</style><div class="gi"><table class="fixed"><colgroup><col class="c-sev"><col><col class="c-where">'
        f'<col class="c-cell"></colgroup><thead><tr>{"".join(f"<th>{e(h)}</th>" for h in heads)}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _crop(f, report: Report | None) -> str:
    """The image of a doubtful OCR reading, cut from the scanned page, for the reviewer to compare."""
    if report is None or not f.keys or not f.check.startswith("ocr."):
        return ""
    images = []
    for key in f.keys[:12]:
        cell = report.cells.get(key)
        loc = cell.source if cell is not None else None
        if loc is None or loc.box is None or loc.page is None:
            continue
        try:
            from .readers.ocr import crop_png

            png = crop_png(report.meta.source, loc.page, loc.box)
        except Exception:  # the scan is not where it was read from: the finding stands without its image
            return ""
        data = base64.b64encode(png).decode("ascii")
        images.append(
            f'<img class="crop" alt="{e(report.template.cell_label(key))}" src="data:image/png;base64,{data}">'
        )
    return "<br>" + "".join(images) if images else ""


def _suspect_cell(f, report: Report | None) -> str:
    parts = []
    if f.suspect:
        name = report.template.cell_label(f.suspect[0]) if report is not None else f.suspect[0]
        parts.append(e(f"{name} → {_number(f.suspect[1])}"))
    if f.slip:
        parts.append(f'<span class="check">{e(f.slip.split(" (")[0])}</span>')
    return "".join(parts)


def frame(df, lang: str = "zh", percent: tuple[str, ...] = ()) -> Html:
    """A DataFrame as a plain table: no index column, missing values blank, ``percent`` columns as percentages;
    「无」 when it has no row."""
    if df is None or len(df) == 0:
        return Html(f'<style>{CSS}</style><div class="gi"><p class="none-said">{e(pick("无", "None", lang))}</p></div>')
    df = df.reset_index() if df.index.name is not None else df
    head = "".join(f"<th>{e(str(c))}</th>" for c in df.columns)
    numeric = {
        c
        for c in df.columns
        if all(_isna(v) or (isinstance(v, int | float) and not isinstance(v, bool)) for v in df[c])
    }
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for col, v in zip(df.columns, row, strict=True):
            if v is None or (not isinstance(v, str) and _isna(v)):
                cells.append("<td></td>")
            elif col in percent:
                cells.append(f'<td class="n">{float(v):.1%}</td>')
            elif col in numeric:
                cells.append(f'<td class="n">{e(_number(v))}</td>')
            else:
                cells.append(f"<td>{e(str(v))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return Html(
        f'<style>{CSS}</style><div class="gi"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _isna(v) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def indicators(report: Report, lang: str = "zh") -> Html:
    """The derived rates, as percentages, with their formulas; an undefined one says why."""
    df = report.indicators
    rows = []
    for r in df.itertuples(index=False):
        value = pick("无法计算(分母为0或有缺失)", "undefined", lang) if _isna(r.value) else f"{float(r.value):.1%}"
        rows.append((r.label_en if lang == "en" else r.label, r.formula, value))
    import pandas as pd

    cols = [pick(*p, lang) for p in (("指标", "indicator"), ("公式", "formula"), ("数值", "value"))]
    return frame(pd.DataFrame(rows, columns=cols), lang)
