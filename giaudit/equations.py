"""The arithmetic a report's tables must satisfy, derived from the template.

An ``Equation`` says sum(lhs) = sum(rhs): the printed total (or the printed
勾稽关系) on the left, its parts on the right. ``Localiser`` finds, for a
failing equation, the one cell whose change would make every failing
equation it takes part in hold without breaking one that holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import template as tpl
from .report import Report

T3_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_organization",
    "legal_service",
    "other_org",
    "total",
)


@dataclass(frozen=True)
class Equation:
    check: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    label: str  # Chinese: what the equation says, with the cells' labels

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs

    def sides(self, values: dict) -> tuple[float, float] | None:
        """(printed side, sum of parts), or None when a cell is missing."""
        try:
            left = sum(values[k] for k in self.lhs)
            right = sum(values[k] for k in self.rhs)
        except (TypeError, KeyError):
            return None
        return left, right

    def coefficient(self, key: str) -> int:
        return 1 if key in self.lhs else -1


def _present(report: Report, table: tpl.Table) -> list[tpl.Row]:
    return [r for r in table.rows if f"{table.id}.{r.key}.{r.columns[0]}" in report.cells]


def equations(report: Report) -> list[Equation]:
    """Every equation of checks t3.balance, t3.row_total, t3.outcome_total and t4.block_total."""
    t3 = report.template.table("t3")
    t4 = report.template.table("t4")
    rows = _present(report, t3)
    keys = [r.key for r in rows]
    cols = {c: t3.columns[c].label for c in T3_COLUMNS}
    out: list[Equation] = []
    if {"new_requests", "carried_over", "total_processed", "carried_forward"} <= set(keys):
        for c in T3_COLUMNS:
            out.append(
                Equation(
                    "t3.balance",
                    (f"t3.new_requests.{c}", f"t3.carried_over.{c}"),
                    (f"t3.total_processed.{c}", f"t3.carried_forward.{c}"),
                    f"表三「{cols[c]}」列:第一项加第二项之和等于第三项(七)总计加第四项之和",
                )
            )
    for r in rows:
        out.append(
            Equation(
                "t3.row_total",
                (f"t3.{r.key}.total",),
                tuple(f"t3.{r.key}.{c}" for c in T3_COLUMNS[:-1]),
                f"表三「{r.label}」行:总计等于自然人与五类法人或其他组织之和",
            )
        )
    if "granted" in keys and "total_processed" in keys:
        outcomes = keys[keys.index("granted") : keys.index("total_processed")]
        for c in T3_COLUMNS:
            out.append(
                Equation(
                    "t3.outcome_total",
                    (f"t3.total_processed.{c}",),
                    tuple(f"t3.{k}.{c}" for k in outcomes),
                    f"表三「{cols[c]}」列:(七)总计等于(一)至(六)各项办理结果之和",
                )
            )
    for r in _present(report, t4):
        out.append(
            Equation(
                "t4.block_total",
                (f"t4.{r.key}.total",),
                tuple(f"t4.{r.key}.{c}" for c in r.columns if c != "total"),
                f"表四「{r.label}」:总计等于结果维持、结果纠正、其他结果、尚未审结之和",
            )
        )
    return out


class Localiser:
    """Which single cell explains the failing equations: built once per audit, asked once per failing equation."""

    def __init__(self, status: dict[Equation, tuple[str, float]], values: dict) -> None:
        self.values = values
        self.held = {k for e, (state, _) in status.items() if state == "pass" for k in e.keys}
        self.failing_with: dict[str, list[tuple[Equation, float]]] = {}
        for e, (state, res) in status.items():
            if state == "fail":
                for k in e.keys:
                    self.failing_with.setdefault(k, []).append((e, res))

    def suspect(self, eq: Equation):
        """(key, value) of the one cell of ``eq`` that, changed, makes every failing equation it is in hold
        without breaking one that holds; None when no cell, or more than one, does."""
        found = []
        for key in dict.fromkeys(eq.keys):
            if key in self.held:
                continue
            wanted = {self.values[key] - res / e.coefficient(key) for e, res in self.failing_with.get(key, ())}
            if len(wanted) == 1:
                value = wanted.pop()
                if value >= 0:
                    found.append((key, int(value) if float(value).is_integer() else value))
        return found[0] if len(found) == 1 else None


def slip(printed, suggested) -> str | None:
    """Name the likely slip between a printed number and the one that balances the table."""
    if not isinstance(printed, int) or not isinstance(suggested, int):
        return None
    a, b = str(abs(printed)), str(abs(suggested))
    if abs(printed - suggested) == 1:
        return "相差1 (off by one)"
    if len(a) == len(b) > 1 and sorted(a) == sorted(b):
        return "数字颠倒 (digits transposed; the difference is a multiple of 9)"
    if len(a) == len(b) + 1 and any(a[:i] + a[i + 1 :] == b for i in range(len(a))):
        return "多录一位数字 (an extra digit)"
    if len(b) == len(a) + 1 and any(b[:i] + b[i + 1 :] == a for i in range(len(b))):
        return "漏录一位数字 (a dropped digit)"
    if printed == -suggested:
        return "正负号错误 (sign)"
    return None
