"""The tables' printed arithmetic: every equation the template declares, and the one cell that explains a failure."""

from __future__ import annotations

import itertools

from ..equations import slip
from ..extract import form_position
from ..findings import Severity
from .registry import Context, check, fmt


def _beyond_cut(ctx: Context):
    """Whether a cell lies past where an incomplete text stops: not missing, unseen (the form check says so once)."""
    extraction, template = ctx.report.extraction, ctx.template

    def beyond(key: str) -> bool:
        table_id, row = key.split(".")[:2]
        return extraction.beyond_cut(form_position(template, table_id, row))

    return beyond


def _equation_check(ctx: Context, check_id: str) -> None:
    status = ctx.status()
    paired: set = set()
    reading = [e for e in ctx.equations() if e.check == check_id and status[e][0] == "reading"]
    if reading:
        ctx.add(
            Severity.INFO,
            [k for e in reading for k in e.lhs],
            f"{len(reading)} 条等式(如{reading[0].label})用于拆分连在一起的单元格,只用于读取,不作核验",
            message_en=f"{len(reading)} equation(s) used to split cells run together: not verified",
        )
    for eq in (e for e in ctx.equations() if e.check == check_id):
        state, _res = status[eq]
        if state == "reading":
            ctx.rule(eq.keys, "unverifiable")
            continue
        if state == "unverifiable":
            ctx.rule(eq.keys, state)
            missing = [k for k in eq.keys if ctx.values.get(k) is None]
            if len(missing) < len(eq.keys) and not all(map(_beyond_cut(ctx), missing)):
                ctx.add(
                    Severity.INFO,
                    eq.keys,
                    f"无法核验:{eq.label};缺少 {'、'.join(ctx.label(k) for k in missing)}(空白或未找到,不按0计)",
                    message_en=f"cannot verify ({len(missing)} cell(s) missing)",
                )
            continue
        if state == "pass":
            ctx.rule(eq.keys, state)
            continue
        left, right = eq.sides(ctx.values)
        suspect = ctx.localiser().suspect(eq)
        pair = None if suspect else ctx.localiser().pair(eq)
        if pair in paired:
            ctx.rule(eq.keys, "fail")  # the pair's finding, made for the other equation, says it
            continue
        printed = "+".join(fmt(ctx.values[k]) for k in eq.lhs)
        printed_as = "印为" if len(eq.lhs) == 1 else "合计"
        msg = (
            f"{eq.label}不成立:{'、'.join(ctx.label(k) for k in eq.lhs)}{printed_as} {fmt(left)},"
            f"而各项之和为 {fmt(right)}(相差 {fmt(left - right)})"
        )
        slip_ = None
        keys = eq.keys
        if suspect:
            key, value = suspect
            slip_ = slip(ctx.values[key], value)
            msg += f"。疑为{ctx.quote(key)},若为 {fmt(value)} 则相关等式均成立"
            if slip_:
                msg += f"({slip_.split(' (')[0]})"
        elif pair:
            paired.add(pair)
            (a, va), (b, vb) = sorted(pair, key=lambda kv: kv[0] not in eq.keys)  # this equation's cell first
            other = next(e for e, _ in ctx.localiser().failing_with[b])
            keys = tuple(dict.fromkeys((a, b, *eq.keys, *other.keys)))
            slip_ = "两列错填 (one value filed under the neighbouring column)"
            msg += (
                f";{other.label}也不成立,差数相反。疑为同一行两列错填:{ctx.quote(a)},若为 {fmt(va)};"
                f"{ctx.quote(b)},若为 {fmt(vb)}:则两列等式均成立,本行总计不变(一件申请可能计入了另一类申请人)"
            )
        ctx.rule(
            eq.keys,
            "fail",
            Severity.ERROR,
            msg,
            finding_keys=keys,
            message_en=f"{check_id}: {printed} != {fmt(right)}",
            expected=right,
            actual=left,
            suspect=suspect,
            slip_=slip_,
            source=ctx.source(eq.lhs),
        )


def _shifted_values(ctx: Context, check_id: str) -> None:
    """Two neighbouring columns off by +x and -x while every row adds up: a value in the wrong column."""
    for table in ctx.template.tables:
        for spec in table.equations:
            if spec.check == check_id and spec.shift_columns:
                _shifted_in(ctx, table, check_id, spec.shift_columns)


def _shifted_in(ctx: Context, table, check_id: str, order) -> None:
    status = ctx.status()
    cols, parts = {}, {}
    for eq, (state, res) in status.items():
        if eq.check == check_id:
            col = eq.lhs[0].split(".")[2]
            parts[col] = eq.rhs
            if state == "fail":
                cols[col] = res
    for a, b in itertools.pairwise(order):
        if a in cols and b in cols and cols[a] == -cols[b] and cols[a] != 0:
            x, (src, dst) = abs(cols[a]), ((b, a) if cols[a] > 0 else (a, b))  # parts exceed the total in src
            hits = [
                k
                for k in parts.get(src, ())
                if ctx.values.get(k) == x and ctx.values.get(k.rsplit(".", 1)[0] + "." + dst) == 0
            ]
            if len(hits) == 1:
                key = hits[0]
                ctx.add(
                    Severity.ERROR,
                    (key, key.rsplit(".", 1)[0] + "." + dst),
                    f"{ctx.quote(key)}:该数值疑似错填入相邻的「{table.columns[src].label}」列,"
                    f"应在「{table.columns[dst].label}」列(两列合计分别相差 +{fmt(x)} 与 -{fmt(x)})",
                    message_en=f"value {fmt(x)} seems shifted from column {src} into {dst}",
                    expected=0,
                    actual=x,
                    suspect=(key, 0),
                    slip_="错列 (shifted into the neighbouring column)",
                )


@check(
    "t3.balance",
    severity=Severity.ERROR,
    reads=["t3.new_requests.*", "t3.carried_over.*", "t3.total_processed.*", "t3.carried_forward.*"],
)
def check_t3_balance(ctx: Context) -> None:
    _equation_check(ctx, "t3.balance")


@check("t3.row_total", severity=Severity.ERROR, reads=["t3.<row>.*"])
def check_t3_row_total(ctx: Context) -> None:
    _equation_check(ctx, "t3.row_total")
    _unsplittable(ctx, "t3.row_total")


def _unsplittable(ctx: Context, check_id: str) -> None:
    """A row whose digits run together and admit no split that adds up: the printed numbers cannot add up."""
    for split in ctx.report.extraction.splits:
        table = ctx.template.table(split.table)
        if (
            split.values is not None
            or split.candidates
            or not any(e.check == check_id and e.per == "row" for e in table.equations)
        ):
            continue
        rows = [table.row(r) for r in split.row.split("+")]
        keys = [f"{table.id}.{r.key}.{c}" for r in rows for c in r.columns]
        names = "、".join(f"「{r.label}」" for r in rows)
        ctx.rule(
            keys,
            "fail",
            Severity.ERROR,
            f"{table.title}{names}行印出的数字「{split.raw}」连在一起,无论怎样拆分都不能使总计等于各项之和:"
            "印出的数字本身不能自洽",
            message_en="digits run together that no split makes add up",
            source=ctx.source(keys) or ctx.report.meta.source,
        )


@check("t3.outcome_total", severity=Severity.ERROR, reads=["t3.@outcomes.<column>", "t3.total_processed.*"])
def check_t3_outcome_total(ctx: Context) -> None:
    _equation_check(ctx, "t3.outcome_total")
    _shifted_values(ctx, "t3.outcome_total")


@check("t4.block_total", severity=Severity.ERROR, reads=["t4.*"])
def check_t4_block_total(ctx: Context) -> None:
    _equation_check(ctx, "t4.block_total")
    _unsplittable(ctx, "t4.block_total")
