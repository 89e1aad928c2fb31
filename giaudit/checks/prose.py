"""The prose: numbers it states against the tables, and its own breakdowns."""

from __future__ import annotations

from .. import prose as prose_facts
from ..findings import Severity
from .registry import Context, check, fmt


def _at_least(ctx: Context, key: str):
    """What a cell must at least be: its printed value, or — for a blank total — the sum of its printed parts
    (blank parts count for nothing, never for 0: the total can only be larger)."""
    value = ctx.values.get(key)
    if value is not None:
        return value
    for eq in ctx.equations():
        if eq.lhs == (key,):
            return sum(ctx.values.get(k) or 0 for k in eq.rhs)
    return 0


def _who(ctx: Context, key: str, value) -> tuple[tuple[str, float] | None, str]:
    """Which side of a prose-against-table disagreement the arithmetic points to: (suspect, what to say)."""
    loc = ctx.localiser()
    if key in loc.held:
        return None, "表格该数字所在的表内等式均成立,更可能是正文有误"
    fixes = {ctx.values[key] - res / e.coefficient(key) for e, res in loc.failing_with.get(key, ())}
    if fixes == {value}:
        return (key, value), "表格该数字所在的等式不成立,按正文数字则成立,更可能是表格有误"
    return None, "表内等式无法判断哪一方有误,请核对正文与表格"


@check("prose.tables", severity=Severity.ERROR, reads=["keys named in templates/prose.toml"])
def check_prose_tables(ctx: Context) -> None:
    for fact in prose_facts.facts(ctx.report.prose, ctx.template):
        cmp = prose_facts.compare(fact, ctx.values)
        if cmp.status == "unverifiable":
            if not _against_readings(ctx, fact):
                _at_least_check(ctx, fact)
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
                message_en="the prose counts otherwise",
                expected=total,
                actual=fact.value,
            )
            continue
        sev = Severity(fact.severity)
        scope = ""
        if fact.scope:  # the sentence may count a narrower unit (「代表」「本级」…) than the tables
            sev = Severity.WARNING if sev is Severity.ERROR else sev
            scope = f"(句中有「{fact.scope}」,正文所指范围可能与表格不同,请核实)"
        suspect, why = _who(ctx, fact.keys[0], fact.value) if len(fact.keys) == 1 else (None, "")
        where = "、".join(ctx.quote(k) for k in fact.keys)
        ctx.rule(
            fact.keys,
            "fail",
            sev,
            f"正文{ctx.template.section_name(fact.section)}称{fact.label}为 {fmt(fact.value)},而{where}"
            f"{'(合计 ' + fmt(total) + ')' if len(fact.keys) > 1 else ''}{scope}"
            f"{';' + why if why else ''}。原文:「{fact.sentence}」",
            message_en=f"prose says {fact.id} = {fmt(fact.value)}, table says {fmt(total)}",
            expected=total,
            actual=fact.value,
            suspect=suspect,
        )
    for claim in prose_facts.claims(ctx.report.prose):
        _claim_check(ctx, claim)


def _at_least_check(ctx: Context, fact) -> None:
    """A blank cell leaves the table's number open, but not below its printed parts: a prose number below
    that is a contradiction all the same."""
    printed = [k for k in fact.keys if ctx.values.get(k) is not None]
    least = sum(_at_least(ctx, k) for k in fact.keys)
    if fact.value >= least or not (printed or any(_at_least(ctx, k) for k in fact.keys)):
        ctx.rule(fact.keys, "unverifiable")
        return
    ctx.rule(
        fact.keys,
        "fail",
        Severity(fact.severity),
        f"正文{ctx.template.section_name(fact.section)}称{fact.label}为 {fmt(fact.value)},而表格相应单元格已印出的"
        f"数字之和至少为 {fmt(least)}(空白单元格未计入,只会更大):正文数字不可能成立。原文:「{fact.sentence}」",
        message_en=f"prose says {fact.id} = {fmt(fact.value)}, the table's printed cells already add up to {fmt(least)}",
        expected=least,
        actual=fact.value,
    )


def _against_readings(ctx: Context, fact) -> bool:
    """A cell left missing because its row's digits run together and split several ways: the prose number
    is set against every reading. When none gives it, the prose cannot be right; when some do, say so."""
    if len(fact.keys) != 1 or fact.keys[0] not in ctx.report.cells:  # not a cell of this report's form
        return False
    table_id, row_key, _ = fact.keys[0].split(".")
    split = next(
        (s for s in ctx.report.extraction.splits if s.table == table_id and s.row == row_key and s.values is None),
        None,
    )
    if split is None or not split.candidates:
        return False
    columns = ctx.template.table(table_id).row(row_key).columns
    readings = "、".join("/".join(map(str, c)) for c in split.candidates[:6])

    def agrees(reading) -> bool:  # the prose, set against the table as this reading would print it
        values = {**ctx.values, **{f"{table_id}.{row_key}.{c}": v for c, v in zip(columns, reading, strict=True)}}
        return prose_facts.compare(fact, values).status in ("agrees", "broader")

    if any(agrees(c) for c in split.candidates):
        ctx.rule(fact.keys, "unverifiable")
        ctx.add(
            Severity.INFO,
            fact.keys,
            f"正文称{fact.label}为 {fmt(fact.value)};{ctx.label(fact.keys[0])}所在行的数字「{split.raw}」连在一起,"
            f"可有多种读法({readings}),其中有与正文相符者,无法核验。原文:「{fact.sentence}」",
            message_en="prose agrees with one of the readings of digits run together",
        )
        return True
    ctx.rule(
        fact.keys,
        "fail",
        Severity(fact.severity),
        f"正文{ctx.template.section_name(fact.section)}称{fact.label}为 {fmt(fact.value)},而{ctx.label(fact.keys[0])}"
        f"所在行印出的数字「{split.raw}」连在一起,无论怎样拆分({readings}),该格都不会是 {fmt(fact.value)}。"
        f"原文:「{fact.sentence}」",
        message_en=f"prose says {fact.id} = {fmt(fact.value)}, no reading of the row's digits gives it",
        actual=fact.value,
    )
    return True


def _claim_check(ctx: Context, claim) -> None:
    keys = [k for k, _ in claim.contrary]
    if any(ctx.values.get(k) is None for k in keys if k in ctx.report.cells) and not any(
        ctx.values.get(k) for k in keys
    ):
        ctx.rule(keys, "unverifiable")
        return
    against = [(k, sev) for k, sev in claim.contrary if ctx.values.get(k)]
    if not against:
        ctx.rule(keys, "pass")
        return
    sev = Severity.ERROR if any(s == "error" for _, s in against) else Severity.WARNING
    cells = "、".join(f"{ctx.label(k)} {fmt(ctx.values[k])}" for k, _ in against)
    ctx.rule(
        keys,
        "fail",
        sev,
        f"正文{ctx.template.section_name(claim.section)}称{claim.label},而表格{cells}。原文:「{claim.sentence}」",
        finding_keys=[k for k, _ in against],
        message_en=f"prose claims {claim.id}, the table shows otherwise",
    )


@check("prose.arithmetic", severity=Severity.WARNING, reads=["prose"])
def check_prose_arithmetic(ctx: Context) -> None:
    for b in prose_facts.breakdowns(ctx.report.prose):
        parts = sum(b.parts)
        if parts == b.total:
            ctx.rule([], "pass")
            continue
        if parts > b.total:
            sev, why = Severity.WARNING, "分项之和超过总数"
        elif b.complete:  # the list ends with 「其他…」: it names every part, so they must add up
            sev, why = Severity.WARNING, "分项列至「其他」,应为全部分项,其和却小于总数"
        else:
            sev, why = Severity.INFO, "分项之和小于总数(「其中」也可能只列举部分)"
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
