"""The prose: numbers it states against the tables, and its own breakdowns."""

from __future__ import annotations

from .. import prose as prose_facts
from ..findings import Severity
from .registry import Context, check, fmt


@check("prose.tables", severity=Severity.ERROR, reads=["keys named in templates/prose.toml"])
def check_prose_tables(ctx: Context) -> None:
    for fact in prose_facts.facts(ctx.report.prose):
        cmp = prose_facts.compare(fact, ctx.values)
        if cmp.status == "unverifiable":
            ctx.rule(fact.keys, "unverifiable")
            continue
        if cmp.status == "agrees":
            ctx.rule(fact.keys, "pass")
            continue
        total = cmp.table
        if cmp.status == "broader":
            ctx.rule(fact.keys, "pass")
            expr = "".join(
                f"{' − ' if k.startswith('-') else (' + ' if n else '')}{ctx.label(k.lstrip('-'))}"
                for n, k in enumerate(cmp.broader_keys)
            )
            ctx.add(
                Severity.INFO,
                fact.keys,
                f"正文{fact.label}为 {fmt(fact.value)},表格为 {fmt(total)};按{expr}计则相符:口径不同,并非矛盾。"
                f"原文:「{fact.sentence}」",
                message_en="prose counts the carry-over too",
                expected=total,
                actual=fact.value,
            )
            continue
        sev = Severity(fact.severity)
        scope = ""
        if fact.scope:  # the sentence may count a narrower unit (「代表」「本级」…) than the tables
            sev = Severity.WARNING if sev is Severity.ERROR else sev
            scope = f"(句中有「{fact.scope}」,正文所指范围可能与表格不同,请核实)"
        where = "、".join(ctx.quote(k) for k in fact.keys)
        ctx.rule(
            fact.keys,
            "fail",
            sev,
            f"正文{ctx.template.section_name(fact.section)}称{fact.label}为 {fmt(fact.value)},而{where}"
            f"{'(合计 ' + fmt(total) + ')' if len(fact.keys) > 1 else ''}{scope}。原文:「{fact.sentence}」",
            message_en=f"prose says {fact.id} = {fmt(fact.value)}, table says {fmt(total)}",
            expected=total,
            actual=fact.value,
            suspect=(fact.keys[0], fact.value) if len(fact.keys) == 1 else None,
        )


@check("prose.arithmetic", severity=Severity.WARNING, reads=["prose"])
def check_prose_arithmetic(ctx: Context) -> None:
    for b in prose_facts.breakdowns(ctx.report.prose):
        parts = sum(b.parts)
        if parts == b.total:
            ctx.rule([], "pass")
            continue
        sev = Severity.WARNING if parts > b.total else Severity.INFO
        why = "分项之和超过总数" if parts > b.total else "分项之和小于总数(「其中」也可能只列举部分)"
        where = ctx.template.section_name(b.section)
        ctx.rule(
            [],
            "fail",
            sev,
            f"正文{where}:总数 {b.total}{b.unit},分项 "
            f"{'+'.join(map(str, b.parts))} = {parts}{b.unit},{why}。原文:「{b.sentence}」",
            message_en=f"breakdown sums to {parts}, total says {b.total}",
            expected=b.total,
            actual=parts,
            source=f"{ctx.report.meta.source} {where}",
        )
