"""Across years: what last year's report carried forward, this year's must carry over (the template's [[cross_year]])."""

from __future__ import annotations

from ..findings import Severity
from .registry import Context, check, fmt


@check(
    "cross_year",
    severity=Severity.ERROR,
    reads=["t3.carried_over.*", "previous: t3.carried_forward.*", "t2.*.in_force", "t2.*.issued", "t2.*.repealed"],
)
def check_cross_year(ctx: Context) -> None:
    prev = ctx.previous
    if prev is None:
        return
    this, last = ctx.report.meta, prev.meta
    if this.year and last.year and last.year != this.year - 1:
        ctx.add(
            Severity.WARNING,
            [],
            f"上年报告为 {last.year} 年度,不是本报告({this.year})的上一年度",
            message_en="previous report is not of the year before",
            source=last.source,
        )
    if this.agency and last.agency and this.agency != last.agency:
        ctx.add(
            Severity.INFO,
            [],
            f"两份报告的单位名称不同:「{last.agency}」与「{this.agency}」",
            message_en="agency names differ",
            source=last.source,
        )
    for rule in ctx.template.cross_year:
        if rule.kind == "carry":
            _carry(ctx, rule)
        elif rule.kind == "stock":
            _stock(ctx, rule)


def _carry(ctx: Context, rule) -> None:
    prev = ctx.previous
    table = ctx.template.table(rule.table)
    last_label = table.row(rule.last).label
    for c in table.row_columns:
        key, before_key = f"{table.id}.{rule.this}.{c}", f"{table.id}.{rule.last}.{c}"
        now, before = ctx.values.get(key), prev.values.get(before_key)
        if now is None or before is None:
            ctx.rule([key], "unverifiable")
        elif now == before:
            ctx.rule([key], "pass")
        else:
            ctx.rule(
                [key],
                "fail",
                Severity(rule.severity),
                f"「{table.columns[c].label}」列:本年{ctx.quote(key)},而上年报告的「{last_label}」为 {fmt(before)}"
                f"(上年报告 {prev.cells[before_key].source})",
                message_en=f"carried over {fmt(now)} != last year's carried forward {fmt(before)}",
                expected=before,
                actual=now,
                suspect=(key, before),
            )


def _stock(ctx: Context, rule) -> None:
    prev = ctx.previous
    table = ctx.template.table(rule.table)
    for row in rule.rows:
        k = {part: f"{table.id}.{row}.{getattr(rule, part)}" for part in ("stock", "inflow", "outflow")}
        if k["stock"] not in prev.cells or k["stock"] not in ctx.report.cells:
            continue  # one of the two forms has no such cell
        keys = [k["stock"], k["inflow"], k["outflow"]]
        vals = [prev.values.get(k["stock"]), *(ctx.values.get(x) for x in keys[1:]), ctx.values.get(k["stock"])]
        if any(v is None for v in vals):
            ctx.rule(keys, "unverifiable")
            continue
        expected = vals[0] + vals[1] - vals[2]
        if expected == vals[3]:
            ctx.rule(keys, "pass")
            continue
        col = {part: table.columns[getattr(rule, part)].label for part in ("stock", "inflow", "outflow")}
        ctx.rule(
            keys,
            "fail",
            Severity(rule.severity),
            f"{table.row(row).label}:上年{col['stock']} {fmt(vals[0])} + {col['inflow']} {fmt(vals[1])} − "
            f"{col['outflow']} {fmt(vals[2])} = {fmt(expected)},而本年{ctx.quote(k['stock'])}({rule.text})",
            message_en="in-force count does not carry over",
            expected=expected,
            actual=vals[3],
        )
