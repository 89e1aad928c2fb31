"""The report's form: sections, tables, title, the format for its year, the statistical period."""

from __future__ import annotations

import re
from collections import Counter

from .. import prose as prose_facts
from .. import template as tpl
from ..extract import form_position
from ..findings import Severity
from ..meta import PERIOD
from .registry import Context, check


@check("form", severity=Severity.WARNING, reads=["meta", "prose", "template rows"])
def check_form(ctx: Context) -> None:
    report, meta = ctx.report, ctx.report.meta
    template = ctx.template
    extraction = report.extraction
    cut = extraction.cut
    if cut is not None:  # said once; nothing after the cut is missing
        ctx.rule(
            [],
            "fail",
            Severity.WARNING,
            f"报告文本不完整,{cut.describe()};文本之外的部分无法核对,不作缺失处理",
            message_en="the text stops before the report does",
            source=meta.source,
        )
    sections = extraction.sections
    for s in template.sections:
        if s.number in sections:
            ctx.rule([], "pass")
        elif extraction.beyond_cut(form_position(template, section=s.number)):
            ctx.rule([], "unverifiable")
        else:
            ctx.rule(
                [],
                "fail",
                Severity.WARNING,
                f"未找到第{s.numeral}部分「{s.label}」的标题",
                message_en=f"section {s.number} missing",
                source=meta.source,
            )
    if extraction.misnumbered:
        wrong = "、".join(
            f"{template.section_name(n)}「{template.section(n).label}」印为“{numeral}”"
            for n, numeral in sorted(extraction.misnumbered.items())
        )
        ctx.rule(
            [],
            "fail",
            Severity.WARNING,
            f"部分标题的序号与格式不符:{wrong}",
            message_en="section headings numbered otherwise than the form",
            source=meta.source,
        )
    for n in sorted(extraction.unheaded):
        ctx.add(
            Severity.INFO,
            [],
            f"{template.section_name(n)}「{template.section(n).label}」未见标题行,其内容据「"
            f"{report.document.tokens[extraction.unheaded[n]].text}」等识别",
            message_en=f"section {n} has no heading line",
            source=str(report.document.tokens[extraction.unheaded[n]].loc),
        )
    for t in template.tables:
        keys = t.keys()
        if any(report.cells[k].raw is not None for k in keys if k in report.cells):
            ctx.rule(keys, "pass")
        elif (
            extraction.beyond_cut(form_position(template, t.id))
            or extraction.unread.get(t.id)
            or (cut is not None and cut.position is not None and cut.position[:2] == (t.section, t.number))
        ):
            ctx.rule(t.keys(), "unverifiable")  # after the cut, or printed but unreadable (values.hygiene says)
        else:
            ctx.rule(
                t.keys(),
                "fail",
                Severity.WARNING,
                f"未找到{t.title}({t.label})或其数值",
                message_en=f"table {t.id} not found",
                source=meta.source,
            )
    if meta.title is None:  # a scrape often drops the page's title: the reader's limit, not the report's fault
        ctx.add(
            Severity.INFO,
            [],
            "未找到报告标题行(如「XX2024年政府信息公开工作年度报告」),报告单位与年度据正文推断",
            message_en="no title line",
            source=meta.source,
        )
    _format_fits_year(ctx)
    _period(ctx)
    _processing_fee(ctx)


def _format_fits_year(ctx: Context) -> None:
    meta, template = ctx.report.meta, ctx.template
    if meta.year is None:
        ctx.rule([], "unverifiable")
        return
    due = [tpl.get(f) for f in tpl.formats() if tpl.get(f).first_year <= meta.year <= tpl.get(f).last_year]
    if meta.year > template.last_year and due:
        # what the tables show, not what the report cites: say which citation it makes, if any
        text = tpl.normalize("\n".join(ctx.report.prose.values()))
        cites = [
            c
            for f in (template, due[-1])
            for c in f.citations[:1]
            if any(tpl.normalize(x) in text for x in f.citations)
        ]
        said = f"(正文引用{'、'.join(cites)})" if cites else ""
        ctx.rule(
            [],
            "fail",
            Severity.WARNING,
            f"{meta.year}年度报告的表格仍为{template.name}的旧格式(表二栏目与之相同){said},"
            f"{meta.year}年度应使用{due[-1].citations[0]}格式",
            message_en=f"{meta.year} report in the {template.format} format",
            source=meta.source,
        )
    elif meta.year < template.first_year:
        ctx.rule(
            [],
            "fail",
            Severity.INFO,
            f"{meta.year}年度报告使用了{template.citations[0]}格式(该格式自{template.first_year}年度报告起施行)",
            message_en=f"pre-{template.first_year} report in the {template.format} format",
            source=meta.source,
        )
    else:
        ctx.rule([], "pass")


_YEAR = re.compile(r"(20\d{2})\s*年(?!\s*0?1\s*月\s*0?1\s*日)(?!\s*12\s*月\s*31\s*日)")


def _year_of_prose(text: str) -> int | None:
    """The year 总体情况 speaks of ("2024年，我办…"): the clear majority of the years it names, if any."""
    years = Counter(int(y) for y in _YEAR.findall(text))
    if not years:
        return None
    (top, n), *rest = years.most_common(2) + [(None, 0)]
    return top if n >= 3 and n >= 2 * rest[0][1] else None


def _period(ctx: Context) -> None:
    report, meta = ctx.report, ctx.report.meta
    head = "\n".join(report.prose.get(n, "") for n in (0, 1))
    m = PERIOD.search(head)
    if not m or meta.year is None:
        return
    start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    year, said = meta.year, "报告年度"
    if meta.title is None:  # the year was read from this very period: weigh it against what the prose speaks of
        year, said = _year_of_prose(PERIOD.sub("", head)) or meta.year, "正文所述年度"
    if start != year or end != year:
        ctx.rule(
            [],
            "fail",
            Severity.ERROR,
            f"统计期限「{m.group(0)}」与{said} {year} 不符",
            message_en="statistical period != report year",
            expected=year,
            actual=start,
            source=meta.source,
        )
    else:
        ctx.rule([], "pass")


def _processing_fee(ctx: Context) -> None:
    report = ctx.report
    sections = report.extraction.sections
    if 6 not in sections:
        return
    label = prose_facts.statement_label("processing_fee")
    fee = prose_facts.statements(report.prose).get("processing_fee", [])
    if fee or label in report.prose.get(6, ""):
        ctx.rule([], "pass")
        return
    ctx.rule(
        [],
        "fail",
        Severity.INFO,
        f"{ctx.template.section_name(6)}未说明{label}的收取情况(格式要求报告收取{label}的情况)",
        message_en="section 6 does not state the processing fee",
        source=report.meta.source,
    )
