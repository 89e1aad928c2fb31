"""The report's form: sections, tables, title, the format for its year, the statistical period."""

from __future__ import annotations

from .. import prose as prose_facts
from .. import template as tpl
from ..findings import Severity
from ..meta import PERIOD
from .registry import Context, check


@check("form", severity=Severity.WARNING, reads=["meta", "prose", "template rows"])
def check_form(ctx: Context) -> None:
    report, meta = ctx.report, ctx.report.meta
    template = ctx.template
    sections = report.extraction.sections
    for s in template.sections:
        if s.number in sections:
            ctx.rule([], "pass")
        else:
            ctx.rule(
                [],
                "fail",
                Severity.WARNING,
                f"未找到第{s.numeral}部分「{s.label}」的标题",
                message_en=f"section {s.number} missing",
                source=meta.source,
            )
    for t in template.tables:
        if all(report.cells[k].raw is None for k in t.keys() if k in report.cells):
            ctx.rule(
                t.keys(),
                "fail",
                Severity.WARNING,
                f"未找到{t.title}({t.label})或其数值",
                message_en=f"table {t.id} not found",
                source=meta.source,
            )
        else:
            ctx.rule(t.keys(), "pass")
    if meta.title is None:
        ctx.rule(
            [],
            "fail",
            Severity.WARNING,
            "未找到报告标题行(如「XX2024年政府信息公开工作年度报告」),报告单位与年度据正文推断",
            message_en="no title line",
            source=meta.source,
        )
    else:
        ctx.rule([], "pass")
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
        ctx.rule(
            [],
            "fail",
            Severity.WARNING,
            f"{meta.year}年度报告仍使用{template.name}的旧格式,应使用{due[-1].citations[0]}格式",
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


def _period(ctx: Context) -> None:
    report, meta = ctx.report, ctx.report.meta
    head = "\n".join(report.prose.get(n, "") for n in (0, 1))
    m = PERIOD.search(head)
    if not m or meta.year is None:
        return
    start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    if start != meta.year or end != meta.year:
        ctx.rule(
            [],
            "fail",
            Severity.ERROR,
            f"统计期限「{m.group(0)}」与报告年度 {meta.year} 不符",
            message_en="statistical period != report year",
            expected=meta.year,
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
