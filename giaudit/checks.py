"""Every reconciliation check a reviewer makes, each declared once.

A check is a small function registered with its id, default severity, the
keys it reads and a Chinese and an English description (like pandera's
registered checks): ``REGISTRY`` lists them without running any, and
``docs/checks.md`` is generated from it (``python -m giaudit.checks``).
A check that raises becomes an ``error`` finding, never a crash.
"""

from __future__ import annotations

import itertools
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from . import prose as prose_facts
from .equations import Equation, Localiser, equations, slip
from .findings import Finding, Findings, Result, Severity
from .report import Report


@dataclass(frozen=True)
class CheckSpec:
    id: str
    severity: Severity
    keys: str
    title: str
    title_en: str
    description: str
    description_en: str
    func: Callable = field(compare=False, repr=False)


REGISTRY: dict[str, CheckSpec] = {}


def check(id: str, severity: Severity, keys: str, title: str, title_en: str, description: str, description_en: str):
    """Register a check function under ``id``."""

    def register(fn: Callable) -> Callable:
        REGISTRY[id] = CheckSpec(id, severity, keys, title, title_en, description, description_en, fn)
        return fn

    return register


@dataclass
class Context:
    report: Report
    previous: Report | None
    findings: list[Finding] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    current: str = ""

    @property
    def values(self) -> dict:
        return self.report.values

    def add(
        self,
        severity: Severity,
        keys,
        message: str,
        *,
        message_en: str = "",
        expected=None,
        actual=None,
        source: str | None = None,
        suspect=None,
        slip_: str | None = None,
        check: str | None = None,
    ) -> None:
        keys = tuple(keys)
        order = tuple(self._position(k) for k in keys[:1])
        self.findings.append(
            Finding(
                check or self.current,
                severity,
                keys,
                message,
                expected,
                actual,
                source if source is not None else self.source(keys),
                message_en,
                suspect,
                slip_,
                order,
            )
        )

    def equations(self) -> list[Equation]:
        if "_equations" not in self.__dict__:
            self.__dict__["_equations"] = equations(self.report)
        return self.__dict__["_equations"]

    def status(self) -> dict[Equation, tuple[str, float]]:
        if "_status" not in self.__dict__:
            self.__dict__["_status"] = _evaluate_all(self)
        return self.__dict__["_status"]

    def localiser(self) -> Localiser:
        if "_localiser" not in self.__dict__:
            self.__dict__["_localiser"] = Localiser(self.status(), self.values)
        return self.__dict__["_localiser"]

    def result(self, keys, status: str, check: str | None = None) -> None:
        self.results.append(Result(check or self.current, tuple(keys), status))

    def source(self, keys) -> str | None:
        for k in keys:
            cell = self.report.cells.get(k)
            if cell is not None and cell.source is not None:
                return str(cell.source)
        return None

    def label(self, key: str) -> str:
        """「(一)予以公开 · 自然人」: a cell as a reader finds it in the printed table."""
        try:
            table, row, column = self.report.template.spec(key)
        except (KeyError, ValueError):
            return key
        return f"表{'一二三四'[table.number - 1]}「{row.label}·{column.label}」"

    def quote(self, key: str) -> str:
        cell = self.report.cells.get(key)
        if cell is None or cell.raw is None:
            return f"{self.label(key)}(未找到)"
        where = f",{cell.source}" if cell.source else ""
        return f"{self.label(key)}印为「{cell.raw}」{where}"

    def _position(self, key: str) -> int:
        return self.report.template.position(key)


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:g}" if isinstance(v, float) else str(v)


# ---------------------------------------------------------------- 1–4 arithmetic


def _equation_check(ctx: Context, check_id: str) -> None:
    eqs = [e for e in ctx.equations() if e.check == check_id]
    status = ctx.status()
    for eq in eqs:
        state, _res = status[eq]
        ctx.result(eq.keys, state)
        if state == "unverifiable":
            present = [k for k in eq.keys if ctx.values.get(k) is not None]
            if present:
                missing = [k for k in eq.keys if ctx.values.get(k) is None]
                ctx.add(
                    Severity.INFO,
                    eq.keys,
                    f"无法核验:{eq.label};缺少 {'、'.join(ctx.label(k) for k in missing)}(空白或未找到,不按0计)",
                    message_en=f"cannot verify ({len(missing)} cell(s) missing)",
                )
            continue
        if state != "fail":
            continue
        left, right = eq.sides(ctx.values)
        localiser = ctx.localiser()
        suspect = localiser.suspect(eq)
        printed = "+".join(_fmt(ctx.values[k]) for k in eq.lhs)
        printed_as = "印为" if len(eq.lhs) == 1 else "合计"
        msg = (
            f"{eq.label}不成立:{'、'.join(ctx.label(k) for k in eq.lhs)}{printed_as} {_fmt(left)},"
            f"而各项之和为 {_fmt(right)}(相差 {_fmt(left - right)})"
        )
        slip_ = None
        if suspect:
            key, value = suspect
            slip_ = slip(ctx.values[key], value)
            msg += f"。疑为{ctx.quote(key)},若为 {_fmt(value)} 则相关等式均成立"
            if slip_:
                msg += f"({slip_.split(' (')[0]})"
        ctx.add(
            Severity.ERROR,
            eq.keys,
            msg,
            message_en=f"{check_id}: {printed} != {_fmt(right)}",
            expected=right,
            actual=left,
            suspect=suspect,
            slip_=slip_,
            source=ctx.source(eq.lhs),
        )
    if check_id == "t3.outcome_total":
        _shifted_values(ctx, status)


def _evaluate_all(ctx: Context) -> dict[Equation, tuple[str, float]]:
    status = {}
    for eq in ctx.equations():
        sides = eq.sides(ctx.values)
        if sides is None:
            status[eq] = ("unverifiable", 0)
        else:
            status[eq] = ("pass" if abs(sides[0] - sides[1]) < 1e-9 else "fail", sides[0] - sides[1])
    return status


def _shifted_values(ctx: Context, status) -> None:
    """Two neighbouring columns off by +x and -x while every row adds up: a value in the wrong column."""
    cols = {}
    for eq, (state, res) in status.items():
        if eq.check == "t3.outcome_total" and state == "fail":
            cols[eq.lhs[0].split(".")[2]] = res
    order = [
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "social_organization",
        "legal_service",
        "other_org",
    ]
    for a, b in itertools.pairwise(order):
        if a in cols and b in cols and cols[a] == -cols[b] and cols[a] != 0:
            x, (src, dst) = abs(cols[a]), ((b, a) if cols[a] > 0 else (a, b))  # parts exceed the total in src
            rows = [
                e.rhs for e, (s, _) in status.items() if e.check == "t3.outcome_total" and e.lhs[0].endswith("." + src)
            ]
            hits = [
                k
                for k in (rows[0] if rows else ())
                if ctx.values.get(k) == x and ctx.values.get(k.rsplit(".", 1)[0] + "." + dst) == 0
            ]
            if len(hits) == 1:
                key = hits[0]
                ctx.add(
                    Severity.ERROR,
                    (key, key.rsplit(".", 1)[0] + "." + dst),
                    f"{ctx.quote(key)}:该数值疑似错填入相邻的「{ctx.report.template.table('t3').columns[src].label}」列,"
                    f"应在「{ctx.report.template.table('t3').columns[dst].label}」列(两列合计分别相差 +{_fmt(x)} 与 -{_fmt(x)})",
                    message_en=f"value {_fmt(x)} seems shifted from column {src} into {dst}",
                    expected=0,
                    actual=x,
                    suspect=(key, 0),
                    slip_="错列 (shifted into the neighbouring column)",
                )


@check(
    "t3.balance",
    Severity.ERROR,
    "t3.new_requests.*, t3.carried_over.*, t3.total_processed.*, t3.carried_forward.*",
    "表三勾稽关系",
    "Table 3 balance",
    "每一列:第一项(本年新收)加第二项(上年结转)之和等于第三项(七)总计加第四项(结转下年度)之和。",
    "Per applicant column: new + carried over = total processed + carried forward.",
)
def check_t3_balance(ctx: Context) -> None:
    _equation_check(ctx, "t3.balance")


@check(
    "t3.row_total",
    Severity.ERROR,
    "t3.<row>.*",
    "表三行合计",
    "Table 3 row totals",
    "每一行:总计等于自然人与商业企业、科研机构、社会公益组织、法律服务机构、其他之和。",
    "Per row: total = natural persons + the five kinds of organisation.",
)
def check_t3_row_total(ctx: Context) -> None:
    _equation_check(ctx, "t3.row_total")


@check(
    "t3.outcome_total",
    Severity.ERROR,
    "t3.<outcome rows>.<column>, t3.total_processed.*",
    "表三办理结果合计",
    "Table 3 outcome totals",
    "每一列:(七)总计等于(一)予以公开至(六)其他处理各项之和;并识别错填入相邻列的数值。",
    "Per column: total processed = the sum of the outcome rows; also spots a value shifted into the next column.",
)
def check_t3_outcome_total(ctx: Context) -> None:
    _equation_check(ctx, "t3.outcome_total")


@check(
    "t4.block_total",
    Severity.ERROR,
    "t4.*",
    "表四合计",
    "Table 4 totals",
    "行政复议、未经复议直接起诉、复议后起诉三部分:总计等于结果维持、结果纠正、其他结果、尚未审结之和。",
    "Per block: total = upheld + corrected + other + pending.",
)
def check_t4_block_total(ctx: Context) -> None:
    _equation_check(ctx, "t4.block_total")


# ---------------------------------------------------------------- 5 plausibility


@check(
    "t2.plausibility",
    Severity.WARNING,
    "t2.*, t3.*, t4.*",
    "数值合理性",
    "Plausible values",
    "计数不得为负数或小数;现行有效件数不应小于本年制发件数;收费金额的单位应为万元。",
    "Counts are whole and not negative; in force ≥ issued this year; fees are in 10,000 yuan.",
)
def check_plausibility(ctx: Context) -> None:
    template = ctx.report.template
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
        elif cell.value < 0 and column.key != "change":
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
        ctx.result([key], "pass")
    for row in ("regulations", "normative_documents"):
        issued, in_force = f"t2.{row}.issued", f"t2.{row}.in_force"
        if issued not in ctx.values:
            continue
        a, b = ctx.values.get(issued), ctx.values.get(in_force)
        if a is None or b is None:
            ctx.result([issued, in_force], "unverifiable")
        elif b < a:
            ctx.result([issued, in_force], "fail")
            ctx.add(
                Severity.WARNING,
                [in_force, issued],
                f"{ctx.quote(in_force)},小于{ctx.quote(issued)}:本年制发的文件应计入现行有效",
                message_en="in force < issued this year",
                expected=a,
                actual=b,
            )
        else:
            ctx.result([issued, in_force], "pass")


# ---------------------------------------------------------------- 6 hygiene


@check(
    "values.hygiene",
    Severity.WARNING,
    "all keys",
    "数值缺失与空白",
    "Blank and missing cells",
    "空白、「/」「—」或文字出现在应填数字处(按缺失处理,不按0计),以及模板行未找到。",
    "A blank, '/', '—' or text where a number belongs (missing, never 0), and template rows not found.",
)
def check_hygiene(ctx: Context) -> None:
    template = ctx.report.template
    by_row: dict[tuple[str, str], list[str]] = {}
    absent: dict[tuple[str, str], list[str]] = {}
    for key, cell in ctx.report.cells.items():
        if cell.value is None:
            table_id, row_key, _ = key.split(".")
            (by_row if cell.raw is not None else absent).setdefault((table_id, row_key), []).append(key)
        else:
            ctx.result([key], "pass")
    for (table_id, row_key), keys in by_row.items():
        row = template.table(table_id).row(row_key)
        raws = "、".join(f"{template.spec(k)[2].label}「{ctx.report.cells[k].raw or '空白'}」" for k in keys)
        ctx.result(keys, "fail")
        ctx.add(
            Severity.WARNING,
            keys,
            f"表{'一二三四'[template.table(table_id).number - 1]}「{row.label}」行应填数字处为空白或符号:{raws};按缺失处理,不视为0",
            message_en=f"{len(keys)} blank or dash cell(s) where numbers belong",
        )
    for (table_id, row_key), keys in absent.items():
        table = template.table(table_id)
        present = any(ctx.report.cells[k].raw is not None for k in ctx.report.cells if k.startswith(table_id + "."))
        ctx.result(keys, "unverifiable")
        if present:  # a whole table missing is one form finding, not one per row
            ctx.add(
                Severity.WARNING,
                keys,
                f"表{'一二三四'[table.number - 1]}未找到「{table.row(row_key).label}」行或其数值",
                message_en="template row not found",
            )


# ---------------------------------------------------------------- 7 prose vs tables


@check(
    "prose.tables",
    Severity.ERROR,
    "keys named in templates/prose.toml",
    "正文与表格一致",
    "Prose agrees with tables",
    "正文所述数字(收到、办结、结转申请数,行政复议、诉讼数及「未发生」等表述,规范性文件制定/废止/现行有效数,"
    "许可、处罚、强制决定数)与表格一致。",
    "Numbers stated in the prose (requests, reviews and suits including statements of none, normative documents, "
    "decisions) agree with the tables.",
)
def check_prose_tables(ctx: Context) -> None:
    for fact in prose_facts.facts(ctx.report.prose):
        table = [ctx.values.get(k) for k in fact.keys]
        if any(v is None for v in table):
            ctx.result(fact.keys, "unverifiable")
            continue
        total = sum(table)
        if abs(total - fact.value) < 1e-9:
            ctx.result(fact.keys, "pass")
            continue
        alt = [sum(ctx.values.get(k) or 0 for k in keys) for keys in fact.also_consistent]
        where = "、".join(ctx.quote(k) for k in fact.keys)
        if fact.value in alt:
            ctx.result(fact.keys, "pass")
            ctx.add(
                Severity.INFO,
                fact.keys,
                f"正文{fact.label}为 {_fmt(fact.value)}(含上年结转),表格本年新收为 {_fmt(total)}:口径不同,并非矛盾。原文:「{fact.sentence}」",
                message_en="prose counts the carry-over too",
                expected=total,
                actual=fact.value,
            )
            continue
        ctx.result(fact.keys, "fail")
        sev = Severity(fact.severity)
        scope = ""
        if fact.scope:  # the sentence may count a narrower unit (「代表」「本级」…) than the tables
            sev = Severity.WARNING if sev is Severity.ERROR else sev
            scope = f"(句中有「{fact.scope}」,正文所指范围可能与表格不同,请核实)"
        suspect = (fact.keys[0], fact.value) if len(fact.keys) == 1 else None
        ctx.add(
            sev,
            fact.keys,
            f"正文第{'〇一二三四五六'[fact.section]}部分称{fact.label}为 {_fmt(fact.value)},而{where}"
            f"{'(合计 ' + _fmt(total) + ')' if len(fact.keys) > 1 else ''}{scope}。原文:「{fact.sentence}」",
            message_en=f"prose says {fact.id} = {_fmt(fact.value)}, table says {_fmt(total)}",
            expected=total,
            actual=fact.value,
            suspect=suspect,
        )


# ---------------------------------------------------------------- 8 prose arithmetic


@check(
    "prose.arithmetic",
    Severity.WARNING,
    "prose",
    "正文数字自洽",
    "Prose arithmetic",
    "正文中「共X条,其中a条、b条……」的分项之和与总数相符。",
    "A stated total with a breakdown ('X in all, of which a, b, …') adds up.",
)
def check_prose_arithmetic(ctx: Context) -> None:
    for b in prose_facts.breakdowns(ctx.report.prose):
        parts = sum(b.parts)
        if parts == b.total:
            ctx.result([], "pass")
            continue
        ctx.result([], "fail")
        sev = Severity.WARNING if parts > b.total else Severity.INFO
        why = "分项之和超过总数" if parts > b.total else "分项之和小于总数(「其中」也可能只列举部分)"
        ctx.add(
            sev,
            [],
            f"正文第{'〇一二三四五六'[b.section]}部分:总数 {b.total}{b.unit},分项 "
            f"{'+'.join(map(str, b.parts))} = {parts}{b.unit},{why}。原文:「{b.sentence}」",
            message_en=f"breakdown sums to {parts}, total says {b.total}",
            expected=b.total,
            actual=parts,
            source=f"{ctx.report.meta.source} 第{'〇一二三四五六'[b.section]}部分",
        )


# ---------------------------------------------------------------- 9 form

_PERIOD = re.compile(
    r"(20\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|-|～|~)\s*(?:(20\d{2})\s*年\s*)?12\s*月\s*31\s*日"
)


@check(
    "form",
    Severity.WARNING,
    "meta, prose, template rows",
    "报告格式",
    "Report form",
    "六个部分齐全且有可识别的标题;格式版本与报告年度相符(2021年度起用国办公开办函〔2021〕30号格式);"
    "统计期限与报告年度一致;第六部分说明信息处理费收取情况;有标题行。",
    "Six sections with recognisable titles, in order; the format fits the year; the statistical period "
    "matches the year; section 6 states the processing fee; a title line.",
)
def check_form(ctx: Context) -> None:
    report, meta = ctx.report, ctx.report.meta
    sections = report.extraction.sections
    for s in report.template.sections:
        if s.number not in sections:
            ctx.add(
                Severity.WARNING,
                [],
                f"未找到第{s.label[0]}部分「{s.label}」的标题",
                message_en=f"section {s.number} missing",
                source=meta.source,
            )
    for t in report.template.tables:
        if all(report.cells[k].raw is None for k in t.keys() if k in report.cells):
            ctx.add(
                Severity.WARNING,
                t.keys(),
                f"未找到表{'一二三四'[t.number - 1]}({t.label})或其数值",
                message_en=f"table {t.id} not found",
                source=meta.source,
            )
    if meta.title is None:
        ctx.add(
            Severity.WARNING,
            [],
            "未找到报告标题行(如「XX2024年政府信息公开工作年度报告」),报告单位与年度据正文推断",
            message_en="no title line",
            source=meta.source,
        )
    if meta.year is not None:
        if meta.year >= 2021 and meta.format == "2019":
            ctx.add(
                Severity.WARNING,
                [],
                f"{meta.year}年度报告仍使用国办公开办函〔2019〕60号的旧格式,应使用〔2021〕30号格式",
                message_en="2021+ report in the 2019 format",
                source=meta.source,
            )
        elif meta.year <= 2020 and meta.format == "2021":
            ctx.add(
                Severity.INFO,
                [],
                f"{meta.year}年度报告使用了〔2021〕30号格式(该格式自2021年度报告起施行)",
                message_en="pre-2021 report in the 2021 format",
                source=meta.source,
            )
    head = "\n".join(report.prose.get(n, "") for n in (0, 1))
    m = _PERIOD.search(head)
    if m and meta.year is not None:
        start, end = int(m.group(1)), int(m.group(2) or m.group(1))
        if start != meta.year or end != meta.year:
            ctx.add(
                Severity.ERROR,
                [],
                f"统计期限「{m.group(0)}」与报告年度 {meta.year} 不符",
                message_en="statistical period != report year",
                expected=meta.year,
                actual=start,
                source=meta.source,
            )
    fee = prose_facts.statements(report.prose).get("processing_fee", [])
    if 6 in sections and not fee and "信息处理费" not in report.prose.get(6, ""):
        ctx.add(
            Severity.INFO,
            [],
            "第六部分未说明信息处理费的收取情况(格式要求报告收取信息处理费的情况)",
            message_en="section 6 does not state the processing fee",
            source=meta.source,
        )


# ---------------------------------------------------------------- 10 across years


@check(
    "cross_year",
    Severity.ERROR,
    "t3.carried_over.* vs last year's t3.carried_forward.*; t2.*.in_force",
    "跨年度衔接",
    "Across years",
    "给出上一年度报告时:本年「上年结转」等于上年「结转下年度继续办理」(各列);"
    "上年现行有效件数加本年制发件数减本年废止件数等于本年现行有效件数(规章、行政规范性文件)。",
    "With last year's report: this year's carried over = last year's carried forward, per column; last "
    "year's in force + issued − repealed = this year's in force.",
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
    from .equations import T3_COLUMNS

    for c in T3_COLUMNS:
        now, before = ctx.values.get(f"t3.carried_over.{c}"), prev.values.get(f"t3.carried_forward.{c}")
        keys = [f"t3.carried_over.{c}"]
        if now is None or before is None:
            ctx.result(keys, "unverifiable")
            continue
        if now == before:
            ctx.result(keys, "pass")
            continue
        ctx.result(keys, "fail")
        col = ctx.report.template.table("t3").columns[c].label
        ctx.add(
            Severity.ERROR,
            keys,
            f"「{col}」列:本年{ctx.quote(keys[0])},而上年报告的「四、结转下年度继续办理」为 {_fmt(before)}"
            f"(上年报告 {prev.cells[f't3.carried_forward.{c}'].source})",
            message_en=f"carried over {_fmt(now)} != last year's carried forward {_fmt(before)}",
            expected=before,
            actual=now,
            suspect=(keys[0], before),
        )
    if ctx.report.template.format == "2021" and prev.template.format == "2021":
        for row in ("regulations", "normative_documents"):
            k = {c: f"t2.{row}.{c}" for c in ("issued", "repealed", "in_force")}
            vals = [
                prev.values.get(k["in_force"]),
                ctx.values.get(k["issued"]),
                ctx.values.get(k["repealed"]),
                ctx.values.get(k["in_force"]),
            ]
            if any(v is None for v in vals):
                ctx.result(list(k.values()), "unverifiable")
                continue
            expected = vals[0] + vals[1] - vals[2]
            if expected == vals[3]:
                ctx.result(list(k.values()), "pass")
                continue
            ctx.result(list(k.values()), "fail")
            label = ctx.report.template.table("t2").row(row).label
            ctx.add(
                Severity.WARNING,
                [k["in_force"], k["issued"], k["repealed"]],
                f"{label}:上年现行有效 {_fmt(vals[0])} + 本年制发 {_fmt(vals[1])} − 本年废止 {_fmt(vals[2])} = {_fmt(expected)},"
                f"而本年{ctx.quote(k['in_force'])}(如有文件修改或自然失效,应在正文说明)",
                message_en="in-force count does not carry over",
                expected=expected,
                actual=vals[3],
            )


# ---------------------------------------------------------------- driver


def audit(report: Report, previous: Report | None = None) -> Findings:
    """Run every registered check; a check that raises becomes an error finding."""
    ctx = Context(report, previous)
    for spec in REGISTRY.values():
        ctx.current = spec.id
        try:
            spec.func(ctx)
        except Exception as exc:  # a check must never crash the audit
            where = traceback.extract_tb(exc.__traceback__)[-1]
            ctx.add(
                Severity.ERROR,
                [],
                f"检查 {spec.id} 出错:{type(exc).__name__}: {exc}(请报告此问题)",
                message_en=f"check raised {type(exc).__name__}: {exc} at {where.filename}:{where.lineno}",
                source=report.meta.source,
            )
    meta = report.meta.to_dict()
    if previous is not None:
        meta["previous"] = previous.meta.to_dict()
    return Findings(ctx.findings, ctx.results, meta, list(REGISTRY))


def cross_year(report: Report, previous: Report) -> list[Finding]:
    """Only the cross-year check (for corpora, which audit each report alone first)."""
    ctx = Context(report, previous, current="cross_year")
    try:
        check_cross_year(ctx)
    except Exception as exc:  # as in audit(): a raising check is a finding, never a crash
        ctx.add(
            Severity.ERROR,
            [],
            f"检查 cross_year 出错:{type(exc).__name__}: {exc}(请报告此问题)",
            message_en=f"check raised {type(exc).__name__}: {exc}",
            source=report.meta.source,
        )
    return ctx.findings


def checks_markdown() -> str:
    """The table of checks for docs/checks.md, generated from the registry."""
    lines = [
        "# Checks",
        "",
        "Generated from `giaudit.checks.REGISTRY` by `python -m giaudit.checks > docs/checks.md`; do not edit.",
        "",
        "| id | severity | 检查 | what it checks | keys read |",
        "|---|---|---|---|---|",
    ]
    for s in REGISTRY.values():
        lines.append(
            f"| `{s.id}` | {s.severity.value} | **{s.title}**:{s.description} | {s.description_en} | `{s.keys}` |"
        )
    lines += [
        "",
        "Severity is the check's usual one; a finding may be milder (an `info` for an equation that cannot be",
        "verified because a cell is missing — neither passed nor failed — or for a breakdown that may be partial).",
        "When exactly one cell explains every failing equation it takes part in, the finding names it in",
        "`suspect` with the value that makes them hold, and `slip` names the likely slip (off by one, digits",
        "transposed, a digit added or dropped, a value shifted into the neighbouring column).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(checks_markdown(), end="")
