"""Tables for people: what the notebooks and the write-up show, built from a Report and its Findings.

Each function returns a DataFrame with Chinese headers (English with
``lang="en"``); report text in it is data, and pandas escapes it when the
table is rendered as HTML. ``summary_html`` is the one place that writes HTML
itself, and it escapes every piece of report text it quotes.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from . import prose as prose_facts
from . import template as tpl
from .findings import Findings, Severity
from .lang import pick as _h
from .report import Report


def _new_requests() -> str:
    """「本年新收」: the short name of table 三's first row, for column headers."""
    return tpl.core(tpl.get().table("t3").row("new_requests").display)


def resolve(path: str, base: str | Path | None = None) -> str:
    """A report path as given, else relative to ``base`` (a notebook's folder), else as given (read() says why)."""
    if not path or Path(path).exists() or base is None:
        return path
    candidate = Path(base) / path
    return str(candidate) if candidate.exists() else path


def overview(report: Report, lang: str = "zh") -> pd.DataFrame:
    """The report at a glance: agency, year, format, sections found, values read, warnings."""
    m = report.meta
    sections = report.extraction.sections
    found = sum(v is not None for v in report.values.values())
    rows = [
        (_h("单位", "agency", lang), m.agency or _h("未识别", "unknown", lang)),
        (_h("报告年度", "year", lang), m.year if m.year else _h("未识别", "unknown", lang)),
        (_h("格式", "format", lang), f"{m.format}({report.template.name})"),
        (_h("来源", "source", lang), f"{Path(m.source).name}({m.kind}, {m.encoding or '—'})"),
        (
            _h("六个部分", "sections", lang),
            " ".join(f"{s.label[0]}{'✓' if s.number in sections else '✗'}" for s in report.template.sections),
        ),
        (_h("读出数值", "values read", lang), f"{found}/{len(report.values)}"),
        (_h("读取提示", "reader warnings", lang), len(report.warnings)),
    ]
    return pd.DataFrame(rows, columns=[_h("项目", "item", lang), _h("内容", "value", lang)]).set_index(
        _h("项目", "item", lang)
    )


def prose_vs_tables(report: Report, lang: str = "zh") -> pd.DataFrame:
    """Every number the prose states next to the table's number, agreeing or not, with the sentence."""
    rows = []
    words = {"unverifiable": ("—", "n/a"), "agrees": ("一致", "agrees"), "differs": ("不一致", "DIFFERS")}
    words["broader"] = ("口径不同", "counts more")
    for f in prose_facts.facts(report.prose, report.template):
        cmp = prose_facts.compare(f, report.values)
        agree = _h(*words[cmp.status], lang)
        rows.append((f.label, report.template.section_name(f.section), f.value, cmp.table, agree, f.sentence))
    cols = [
        _h("项目", "item", lang),
        _h("位置", "where", lang),
        _h("正文", "prose", lang),
        _h("表格", "table", lang),
        _h("是否一致", "agree", lang),
        _h("原文", "sentence", lang),
    ]
    df = pd.DataFrame(rows, columns=cols)
    for c in cols[2:4]:
        numbers = [v for v in df[c] if v is not None]
        whole = all(float(v).is_integer() for v in numbers)
        df[c] = pd.array(
            [None if v is None else (int(v) if whole else v) for v in df[c]], dtype="Int64" if whole else "Float64"
        )
    return df


def notebook_setup() -> None:
    """Show whole messages and tables in notebooks, and draw Chinese in charts."""
    from .plots import figure_png, setup_fonts

    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 200)
    setup_fonts()
    try:
        from IPython import get_ipython
        from matplotlib.figure import Figure
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:  # giaudit.plots builds figures without pyplot: show them as PNG, drawn once
        shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


def checks_status(findings: Findings, lang: str = "zh") -> pd.DataFrame:
    """Every check: rules passed / failed / unverifiable, and findings by severity."""
    df = findings.summary()
    names = {
        "check": _h("检查", "check", lang),
        "title": _h("名称", "title", lang),
        "severity": _h("级别", "severity", lang),
        "passed": _h("通过", "passed", lang),
        "failed": _h("不通过", "failed", lang),
        "unverifiable": _h("无法核验", "unverifiable", lang),
        "errors": _h("错误", "errors", lang),
        "warnings": _h("警示", "warnings", lang),
        "infos": _h("提示", "infos", lang),
    }
    if lang == "en":
        from .checks import REGISTRY

        df["title"] = [REGISTRY[c].title_en for c in df["check"]]
    return df.rename(columns=names).set_index(names["check"])


def findings_table(findings: Findings, severity: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """Findings with their message, source and suspect cell; ``severity`` keeps that level and worse."""
    least = Severity(severity).rank if severity else 2
    rows = [
        (
            f.severity.label if lang != "en" else f.severity.value,
            f.check,
            f.message_en if lang == "en" and f.message_en else f.message,
            f.source or "",
            f"{f.suspect[0]} → {f.suspect[1]:g}" if f.suspect else "",
            (f.slip or "").split(" (")[0],
        )
        for f in findings
        if f.severity.rank <= least
    ]
    cols = [
        _h("级别", "severity", lang),
        _h("检查", "check", lang),
        _h("发现", "finding", lang),
        _h("来源", "source", lang),
        _h("疑似单元格 → 建议值", "suspect → value", lang),
        _h("可能原因", "slip", lang),
    ]
    return pd.DataFrame(rows, columns=cols)


def summary_html(report: Report, findings: Findings, lang: str = "zh") -> str:
    """The write-up's head: title with agency and year, and the findings summary. All report text escaped."""
    from .pages import CSS, where

    m = report.meta
    e = html.escape
    counts = findings.counts(open_only=True)  # what a reviewer dismissed no longer counts
    dismissed = sum(not f.open for f in findings)
    title = f"{m.agency or _h('未识别单位', 'unknown agency', lang)} {m.year or ''}" + _h(
        "年政府信息公开工作年度报告审核", " annual report audit", lang
    )
    items = (
        "".join(
            f'<li{" class=dismissed" if not f.open else ""}><span class="sev {f.severity.value}">'
            f"{e(f.severity.label if lang != 'en' else f.severity.value)}</span> {_decision_mark(f, lang)}"
            f"{e(f.message if lang != 'en' else f.message_en or f.message)}"
            f"{'<br><span class=src>' + e(_h('出处', 'source', lang)) + ':' + e(where(f.source)) + '</span>' if f.source else ''}"
            f"{'<br><span class=src>' + e(_h('审核说明', 'note', lang)) + ':' + e(f.decision_note) + '</span>' if f.decision_note else ''}</li>"
            for f in findings
            if f.severity is not Severity.INFO
        )
        or f"<li>{e(_h('未发现错误或警示。', 'No errors or warnings.', lang))}</li>"
    )
    stale = "".join(f"<li>{e(d.fingerprint)} ({e(d.label)}):{e(d.message or d.check)}</li>" for d in findings.stale)
    open_note = (
        e(_h(f"(另有 {dismissed} 条已由审核人排除)", f" ({dismissed} dismissed by a reviewer)", lang))
        if dismissed
        else ""
    )
    return (
        f"<style>{_CSS}{CSS}</style>"
        f'<div class="giaudit-summary gi"><h1>{e(title)}</h1>'
        f"<p>{e(_h('来源', 'source', lang))}: {e(Path(m.source).name)} · {e(_h('格式', 'format', lang))} {e(m.format)} · "
        f"{e(_h('错误', 'errors', lang))} {counts['error']} · {e(_h('警示', 'warnings', lang))} {counts['warning']} · "
        f"{e(_h('提示', 'notes', lang))} {counts['info']}{open_note}</p>"
        f"<h2>{e(_h('审核发现摘要', 'Summary of findings', lang))}</h2><ol>{items}</ol>"
        + (
            f"<h3>{e(_h('过期的审核决定(对应发现已不再出现)', 'Stale decisions (their finding no longer occurs)', lang))}</h3>"
            f"<ul>{stale}</ul>"
            if stale
            else ""
        )
        + "</div>"
    )


def _decision_mark(f, lang: str) -> str:
    """「已排除」/「已确认」 before a finding a reviewer decided on."""
    if not f.decision:
        return ""
    from .decisions import LABELS

    label = LABELS[f.decision] if lang != "en" else f.decision
    return f'<span class="decision {html.escape(f.decision)}">{html.escape(label)}</span> '


# Tables of text read better left-aligned; nbconvert's lab template right-aligns every cell.
_CSS = ".jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { text-align: left !important; vertical-align: top; }"


class Html:
    """Display wrapper for HTML that giaudit built (and escaped) itself."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        import re

        return html.unescape(re.sub(r"<[^>]+>", " ", self.markup)).strip()


def summary(report: Report, findings: Findings, lang: str = "zh") -> Html:
    return Html(summary_html(report, findings, lang))


# ---------------------------------------------------------------- corpora (notebook 04)


def distinct(reports: pd.DataFrame) -> pd.DataFrame:
    """One row per report: the same report held as HTML, PDF and DOCX (one agency, one year) counted once."""
    named = reports["agency_key"].notna() & reports["year"].notna()
    return pd.concat([reports[named].drop_duplicates(["agency_key", "year"]), reports[~named]]).sort_index()


def corpus_overview(c, lang: str = "zh") -> pd.DataFrame:
    """How many reports, agencies, years; how many unreadable; findings by severity."""
    r, f = distinct(c.reports), c.findings
    sev = f["severity"].value_counts()
    rows = [
        (_h("报告", "reports", lang), len(r)),
        (_h("单位(已识别)", "agencies (named)", lang), r["agency_key"].nunique()),
        (_h("年度", "years", lang), "、".join(str(y) for y in sorted(r["year"].dropna().unique()))),
        (_h("无法读取的文件", "unreadable files", lang), len(c.errors)),
        (_h("错误", "errors", lang), int(sev.get("error", 0))),
        (_h("警示", "warnings", lang), int(sev.get("warning", 0))),
        (_h("提示", "infos", lang), int(sev.get("info", 0))),
    ]
    return pd.DataFrame(rows, columns=[_h("项目", "item", lang), _h("数量", "count", lang)]).set_index(
        _h("项目", "item", lang)
    )


def _named(r: pd.DataFrame) -> pd.Series:
    return r["agency_key"].fillna(r["report_id"])


def league(c, top: int = 15, lang: str = "zh") -> pd.DataFrame:
    """Agencies by requests received, with their 公开率 and errors (one row per report)."""
    r = distinct(c.reports)
    r = r.assign(name=_named(r))
    df = r.sort_values(["new_requests", "name"], ascending=[False, True], na_position="last").head(top)
    out = pd.DataFrame(
        {
            _h("单位", "agency", lang): df["name"],
            _h("年度", "year", lang): df["year"],
            _h(_new_requests(), "new requests", lang): df["new_requests"],
            league_rate(lang): df["disclosure_rate"],
            _h("错误", "errors", lang): df["errors"],
            _h("报告", "report", lang): df["report_id"],
        }
    )
    return out.reset_index(drop=True)


def frequent_findings(c, lang: str = "zh") -> pd.DataFrame:
    """Checks by how many reports they flag (errors and warnings), with example agencies."""
    from .checks import REGISTRY

    f = c.findings[c.findings["severity"].isin(["error", "warning"])]
    r = c.reports.set_index("report_id")
    rows = []
    for check, group in f.groupby("check", sort=False):
        ids = list(dict.fromkeys(group["report_id"]))
        names = [
            str(r.loc[i, "agency_key"]) if i in r.index and not pd.isna(r.loc[i, "agency_key"]) else i for i in ids
        ]
        title = REGISTRY[check].title_en if lang == "en" else REGISTRY[check].title if check in REGISTRY else check
        rows.append((check, title, len(ids), len(group), "、".join(names[:4]) + ("…" if len(names) > 4 else "")))
    cols = [
        _h("检查", "check", lang),
        _h("名称", "title", lang),
        _h("涉及报告", "reports", lang),
        _h("发现条数", "findings", lang),
        _h("例如", "for example", lang),
    ]
    return (
        pd.DataFrame(rows, columns=cols).sort_values([cols[2], cols[0]], ascending=[False, True]).reset_index(drop=True)
    )


def balance_failures(c, lang: str = "zh") -> pd.DataFrame:
    """Reports whose table 三 fails the printed 勾稽关系 (第一项+第二项=第三项+第四项)."""
    f = c.findings[(c.findings["check"] == "t3.balance") & (c.findings["severity"] == "error")]
    r = c.reports.set_index("report_id")
    rows = [
        (
            i,
            r.loc[i, "agency_key"] if i in r.index else None,
            r.loc[i, "year"] if i in r.index else None,
            len(g),
            g["message"].iloc[0],
        )
        for i, g in f.groupby("report_id")
    ]
    return pd.DataFrame(
        rows,
        columns=[
            _h("报告", "report", lang),
            _h("单位", "agency", lang),
            _h("年度", "year", lang),
            _h("不成立的列", "failing columns", lang),
            _h("示例", "example", lang),
        ],
    )


def year_over_year(c, lang: str = "zh") -> pd.DataFrame:
    """Agencies with consecutive years: change in requests and 公开率, and cross-year errors."""
    r = c.reports.dropna(subset=["agency_key", "year"]).sort_values(["agency_key", "year", "report_id"])
    r = r.drop_duplicates(["agency_key", "year"])
    cross = c.findings[(c.findings["check"] == "cross_year") & (c.findings["severity"] == "error")]
    rows = []
    for agency, g in r.groupby("agency_key"):
        years = g.set_index("year")
        for year in years.index:
            if year - 1 in years.index:
                now, last = years.loc[year], years.loc[year - 1]
                errs = cross[cross["report_id"] == now["report_id"]]
                rows.append(
                    (
                        agency,
                        f"{year - 1}→{year}",
                        last["new_requests"],
                        now["new_requests"],
                        last["disclosure_rate"],
                        now["disclosure_rate"],
                        len(errs),
                    )
                )
    cols = [
        _h("单位", "agency", lang),
        _h("年度", "years", lang),
        _h("上年新收", "new, last year", lang),
        _h(_new_requests(), "new, this year", lang),
        _h("上年公开率", "rate, last year", lang),
        _h("本年公开率", "rate, this year", lang),
        _h("跨年度错误", "cross-year errors", lang),
    ]
    return pd.DataFrame(rows, columns=cols)


def league_rate(lang: str = "zh") -> str:
    """The header of the 公开率 column of ``league`` (shown as a percentage)."""
    return _h("公开率", "disclosure rate", lang)


def rate_columns(lang: str = "zh") -> tuple[str, str]:
    """The headers of the two 公开率 columns of ``year_over_year``."""
    return _h("上年公开率", "rate, last year", lang), _h("本年公开率", "rate, this year", lang)


def unreadable(c, lang: str = "zh") -> pd.DataFrame:
    """The files a corpus run could not read, and why."""
    return c.errors.rename(columns={"path": _h("文件", "file", lang), "reason": _h("原因", "reason", lang)})
