"""The values themselves: plausible numbers, and blank or missing cells."""

from __future__ import annotations

import re

from ..extract import form_position
from ..findings import Severity, result
from .registry import Context, check


@check("t2.plausibility", severity=Severity.WARNING, reads=["t2.*", "t3.*", "t4.*"])
def check_plausibility(ctx: Context) -> None:
    template = ctx.template
    passed = ctx.results.append
    for key, cell in ctx.report.cells.items():
        value = cell.value
        if value is None:
            continue
        column = template.spec(key)[2]
        if (
            type(value) is int
            and value >= 0
            and not (cell.unit and column.unit)
            and not (cell.raw and ("+" in cell.raw or "＋" in cell.raw))
        ):
            passed(result((ctx.current, (key,), "pass")))  # a plain count (nearly every cell): nothing to doubt
            continue
        sign = (cell.raw or "").lstrip()[:1]
        if sign in "+＋" and sign and not column.signed:
            ctx.add(
                Severity.WARNING,
                [key],
                f"{ctx.quote(key)}:该栏为件数,不应带正负号(增减数另有一栏)",
                message_en="a signed number in a count column",
                actual=cell.value,
            )
        if column.kind == "count" and not isinstance(cell.value, int):
            ctx.add(
                Severity.ERROR,
                [key],
                f"{ctx.quote(key)}:件数不是整数",
                message_en="count is not a whole number",
                actual=cell.value,
            )
        elif cell.value < 0 and not column.signed:
            ctx.add(
                Severity.ERROR, [key], f"{ctx.quote(key)}:件数为负数", message_en="negative count", actual=cell.value
            )
        if column.unit and cell.unit and cell.unit != column.unit:
            ctx.add(
                Severity.WARNING,
                [key],
                f"{ctx.quote(key)}:单位「{cell.unit}」与表头要求的「{column.unit}」不符,数值可能相差一万倍",
                message_en=f"unit {cell.unit} does not fit {column.unit}",
                actual=cell.value,
            )
        ctx.rule([key], "pass")
    for bound in template.bounds:
        for row in bound.rows:
            low, cell = f"{bound.table}.{row}.{bound.at_least}", f"{bound.table}.{row}.{bound.cell}"
            if low not in ctx.values:
                continue
            a, b = ctx.values.get(low), ctx.values.get(cell)
            if a is None or b is None:
                ctx.rule([low, cell], "unverifiable")
            elif b < a:
                ctx.rule(
                    [low, cell],
                    "fail",
                    Severity.WARNING,
                    f"{ctx.quote(cell)},小于{ctx.quote(low)}:{bound.text}",
                    finding_keys=[cell, low],
                    message_en=f"{bound.cell} < {bound.at_least}",
                    expected=a,
                    actual=b,
                )
            else:
                ctx.rule([low, cell], "pass")
    for rule in template.authority:
        _authority(ctx, rule)


def _authority(ctx: Context, rule) -> None:
    """规章 counts in the report of an agency that cannot make 规章 (a township, a county department…)."""
    agency = ctx.report.meta.agency
    mark = rule.lacks(agency, "\n".join(ctx.report.prose.get(n, "") for n in (0, 1)))
    if mark is None:
        return
    table = ctx.template.table(rule.table)
    keys = [f"{table.id}.{r}.{c}" for r in rule.rows for c in table.row(r).columns]
    filled = [k for k in keys if ctx.values.get(k)]
    if not filled:
        ctx.rule(keys, "pass" if all(ctx.values.get(k) is not None for k in keys) else "unverifiable")
        return
    ctx.rule(
        keys,
        "fail",
        Severity.WARNING,
        (f"报告单位「{agency}」(名称含「{mark}」)" if agency else f"报告单位(正文自称「{mark}」)")
        + f":{rule.text},而"
        + "、".join(ctx.quote(k) for k in filled),
        finding_keys=filled,
        message_en="a count of regulations from an agency that cannot make them",
        actual=sum(ctx.values[k] for k in filled),
    )


_DOUBLE_SIGN = re.compile(r"\s*[-−+]{2}")
_LIST = 12  # cells or rows named in one finding before 「等」


def _listing(items: list[str]) -> str:
    shown = "、".join(items[:_LIST])
    return shown + (f"等 {len(items)} 处" if len(items) > _LIST else "")


@check("values.hygiene", severity=Severity.WARNING, reads=["*"])
def check_hygiene(ctx: Context) -> None:
    """Blank cells, unreadable rows and missing rows: one finding per table each, never one per row.

    Rows after the point where an incomplete text stops are neither (the form check says where it
    stops); rows whose label is printed but whose values could not be read are unreadable, not missing.
    """
    template, extraction = ctx.template, ctx.report.extraction
    blank: dict[str, list[str]] = {}
    absent: dict[str, dict[str, list[str]]] = {}
    passed = ctx.results.append
    for key, cell in ctx.report.cells.items():
        if cell.value is not None:
            passed(result((ctx.current, (key,), "pass")))
            continue
        table_id, row_key, _ = key.split(".")
        if cell.raw is not None:
            blank.setdefault(table_id, []).append(key)
        else:
            absent.setdefault(table_id, {}).setdefault(row_key, []).append(key)
    odd = [
        k
        for k, c in ctx.report.cells.items()
        if c.value is not None
        and c.raw
        and ("-" in c.raw or "−" in c.raw or "+" in c.raw)
        and _DOUBLE_SIGN.match(c.raw)
    ]
    if odd:  # "--253": read with one sign, but printed wrong
        ctx.add(
            Severity.WARNING,
            odd,
            "、".join(ctx.quote(k) for k in odd) + ":正负号重复,按一个符号读取,请核实",
            message_en="a doubled sign",
        )
    for table_id, keys in blank.items():
        table = template.table(table_id)
        cells = [
            f"「{template.spec(k)[1].display}·{template.spec(k)[2].label}」{ctx.report.cells[k].raw or '空白'}"
            for k in keys
        ]
        ctx.rule(
            keys,
            "fail",
            Severity.WARNING,
            f"{table.title}有 {len(keys)} 处应填数字处为空白或符号:{_listing(cells)};按缺失处理,不视为0",
            message_en=f"{len(keys)} blank or dash cell(s) where numbers belong",
        )
    for table_id, rows in absent.items():
        table = template.table(table_id)
        unread = extraction.unread.get(table_id, {})
        gone = [r for r in rows if r not in unread and not extraction.beyond_cut(form_position(template, table_id, r))]
        seen = [r for r in rows if r in unread]
        for r in rows:
            ctx.rule(rows[r], "unverifiable")
        if seen:  # a limit of the reading, not a fault of the report: said, as a note
            reasons = sorted({unread[r].split(": ", 1)[-1] if ": " in unread[r] else unread[r] for r in seen})
            ctx.add(
                Severity.INFO,
                [k for r in seen for k in rows[r]],
                f"{table.title}有 {len(seen)} 行印有标签但数值无法读取:"
                f"{_listing([table.row(r).display for r in seen])}(原因:{_listing(reasons)});"
                "这些单元格未核对,不视为缺失",
                message_en=f"{len(seen)} row(s) printed but unreadable",
            )
        present = any(c.raw is not None for k, c in ctx.report.cells.items() if k.startswith(table_id + "."))
        if gone and present:  # a whole table missing is one form finding
            ctx.add(
                Severity.WARNING,
                [k for r in gone for k in rows[r]],
                f"{table.title}未找到 {len(gone)} 行:{_listing([f'「{table.row(r).label}」' for r in gone])}",
                message_en=f"{len(gone)} template row(s) not found",
            )
