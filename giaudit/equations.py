"""The arithmetic a report's tables must satisfy, derived from the template.

An ``Equation`` says sum(lhs) = sum(rhs): the printed total (or the printed
勾稽关系) on the left, its parts on the right. ``Localiser`` finds, for a
failing equation, the one cell whose change would make every failing
equation it takes part in hold without breaking one that holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from . import template as tpl
from .report import Report


@dataclass(frozen=True)
class Equation:
    check: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    label: str  # Chinese: what the equation says, with the cells' labels

    def __post_init__(self) -> None:
        # an equation is a dict key in every audit: hashed once (the template's equations are built once)
        object.__setattr__(self, "_hash", hash((self.check, self.lhs, self.rhs, self.label)))
        object.__setattr__(self, "_keys", self.lhs + self.rhs)

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):  # rebuilt, not copied: a string's hash differs from one process to the next
        return Equation, (self.check, self.lhs, self.rhs, self.label)

    @property
    def keys(self) -> tuple[str, ...]:
        return self._keys

    def sides(self, values: dict) -> tuple[float, float] | None:
        """(printed side, sum of parts), or None when a cell is missing."""
        try:
            left = sum(map(values.__getitem__, self.lhs))
            right = sum(map(values.__getitem__, self.rhs))
        except (TypeError, KeyError):
            return None
        return left, right

    def coefficient(self, key: str) -> int:
        return 1 if key in self.lhs else -1


def _present(report: Report, table: tpl.Table) -> list[tpl.Row]:
    return [r for r in table.rows if f"{table.id}.{r.key}.{r.columns[0]}" in report.cells]


def equations(report: Report) -> list[Equation]:
    """Every equation the template declares for the report's tables, over the rows the report has."""
    out: list[Equation] = []
    for table in report.template.tables:
        if not table.equations:
            continue
        rows = _present(report, table)
        # the same rows give the same equations: expanded once per table and set of rows, not per report
        known = table.derived("equations", lambda _: {})
        present = tuple(r.key for r in rows)
        if present not in known:
            known[present] = [e for spec in table.equations for e in _expand(table, spec, rows)]
        out += known[present]
    return out


def _expand(table: tpl.Table, spec: tpl.EquationSpec, rows: list[tpl.Row]) -> list[Equation]:
    """One declared rule -> its equations: one per column (sides name rows) or one per row (sides name columns)."""
    if spec.per == "row":
        return [
            Equation(
                spec.check,
                tuple(f"{table.id}.{r.key}.{c}" for c in spec.lhs),
                tuple(f"{table.id}.{r.key}.{c}" for c in spec.rhs),
                spec.text.format(row=r.label, table=table.title),
            )
            for r in rows
        ]
    named = [n for n in (*spec.lhs, *spec.rhs) if not n.startswith("@")]
    if not {n for n in named} <= {r.key for r in rows}:
        return []  # a row the rule names is not in this report's form
    lhs, rhs = table.select(spec.lhs, rows), table.select(spec.rhs, rows)
    return [
        Equation(
            spec.check,
            tuple(f"{table.id}.{r.key}.{c}" for r in lhs),
            tuple(f"{table.id}.{r.key}.{c}" for r in rhs),
            spec.text.format(column=table.columns[c].label, table=table.title),
        )
        for c in table.row_columns
    ]


class Localiser:
    """Which single cell explains the failing equations: built once per audit, asked once per failing equation."""

    def __init__(self, status: dict[Equation, tuple[str, float]], values: dict) -> None:
        self.values = values
        held_in: defaultdict[str, list[Equation]] = defaultdict(list)
        failing_with: defaultdict[str, list[tuple[Equation, float]]] = defaultdict(list)
        for e, (state, res) in status.items():
            if state == "fail":
                for k in e.keys:
                    failing_with[k].append((e, res))
            elif state == "pass":
                for k in e.keys:
                    held_in[k].append(e)
        self.held_in: dict[str, list[Equation]] = dict(held_in)
        self.failing_with: dict[str, list[tuple[Equation, float]]] = dict(failing_with)
        self.held = set(self.held_in)
        # every failing equation and its difference, in the order they were met (asked for once per pair test)
        self.failing = {e: r for k in self.failing_with for e, r in self.failing_with[k]}

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

    def pair(self, eq: Equation):
        """Two cells of one row that explain two failing equations with opposite differences — a value filed
        under the neighbouring applicant type (自然人 one too many, 其他 one too few) while the row's own total
        holds: ((key, value), (key, value)), or None when no such pair, or more than one, does."""
        found = set()
        res = self.failing[eq]
        for a in dict.fromkeys(eq.keys):
            if len(self.failing_with.get(a, ())) != 1:
                continue
            row = a.rsplit(".", 1)[0]
            for other, res_b in self.failing.items():
                if other == eq or res_b != -res:
                    continue
                for b in (k for k in other.keys if k.rsplit(".", 1)[0] == row and k != a):
                    if len(self.failing_with.get(b, ())) != 1:
                        continue
                    held = self.held_in.get(a, [])
                    if set(held) != set(self.held_in.get(b, [])) or any(
                        h.coefficient(a) != h.coefficient(b) for h in held
                    ):
                        continue  # a swap must keep every equation that holds (the row's total)
                    x = res / eq.coefficient(a)
                    new_a, new_b = self.values[a] - x, self.values[b] + x * other.coefficient(b) / eq.coefficient(a)
                    if new_a >= 0 and new_b >= 0 and other.coefficient(b) == eq.coefficient(a):
                        found.add(tuple(sorted(((a, _number(new_a)), (b, _number(new_b))))))
        return found.pop() if len(found) == 1 else None


def _number(v):
    return int(v) if float(v).is_integer() else v


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
