"""The values themselves: plausible numbers, and blank or missing cells."""

from __future__ import annotations

from ..findings import Severity
from .registry import Context, check


@check("t2.plausibility", severity=Severity.WARNING, reads=["t2.*", "t3.*", "t4.*"])
def check_plausibility(ctx: Context) -> None:
    template = ctx.template
    for key, cell in ctx.report.cells.items():
        if cell.value is None:
            continue
        _, row, column = template.spec(key)
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


@check("values.hygiene", severity=Severity.WARNING, reads=["*"])
def check_hygiene(ctx: Context) -> None:
    template = ctx.template
    blank: dict[tuple[str, str], list[str]] = {}
    absent: dict[tuple[str, str], list[str]] = {}
    tables_read: set[str] = set()
    for key, cell in ctx.report.cells.items():
        table_id, row_key, _ = key.split(".")
        if cell.raw is not None:
            tables_read.add(table_id)
        if cell.value is None:
            (blank if cell.raw is not None else absent).setdefault((table_id, row_key), []).append(key)
        else:
            ctx.rule([key], "pass")
    for (table_id, row_key), keys in blank.items():
        table = template.table(table_id)
        raws = "、".join(f"{template.spec(k)[2].label}「{ctx.report.cells[k].raw or '空白'}」" for k in keys)
        ctx.rule(
            keys,
            "fail",
            Severity.WARNING,
            f"{table.title}「{table.row(row_key).label}」行应填数字处为空白或符号:{raws};按缺失处理,不视为0",
            message_en=f"{len(keys)} blank or dash cell(s) where numbers belong",
        )
    for (table_id, row_key), keys in absent.items():
        table = template.table(table_id)
        ctx.rule(keys, "unverifiable")
        if table_id in tables_read:  # a whole table missing is one form finding, not one per row
            ctx.add(
                Severity.WARNING,
                keys,
                f"{table.title}未找到「{table.row(row_key).label}」行或其数值",
                message_en="template row not found",
            )
