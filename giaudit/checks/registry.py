"""The registry of checks and the ``Context`` a check records its rules and findings in."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..equations import Equation, Localiser, equations
from ..findings import Finding, Result, Severity, result
from ..fused import SPLIT
from ..report import Report


@dataclass(frozen=True)
class CheckSpec:
    id: str
    severity: Severity
    keys: tuple[str, ...]  # the template keys or selectors it reads
    title: str
    title_en: str
    description: str
    description_en: str
    func: Callable = field(compare=False, repr=False)


REGISTRY: dict[str, CheckSpec] = {}


@cache
def _texts() -> dict:
    return tomllib.loads(resources.files("giaudit.templates").joinpath("checks.toml").read_text("utf-8"))


def check(id: str, *, severity: Severity, reads: list[str]):
    """Register a check function under ``id``; its title and description come from templates/checks.toml."""
    text = _texts()[id.replace(".", "_")]

    def register(fn: Callable) -> Callable:
        REGISTRY[id] = CheckSpec(
            id,
            severity,
            tuple(reads),
            text["title"],
            text["title_en"],
            text["description"],
            text["description_en"],
            fn,
        )
        return fn

    return register


@dataclass
class Context:
    """What a check sees (the report, last year's report) and where it records what it found.

    A check records each rule it evaluates with ``rule`` (pass, fail or unverifiable; a failing
    rule carries its finding), and findings that belong to no single rule with ``add``.
    """

    report: Report
    previous: Report | None
    findings: list[Finding] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    current: str = ""

    @property
    def values(self) -> dict:
        return self.report.values

    @property
    def template(self):
        return self.report.template

    def rule(self, keys, status: str, severity: Severity | None = None, message: str | None = None, **finding) -> None:
        """Record one evaluated rule; with ``message``, also its finding (at ``severity``, default the check's)."""
        self.results.append(result((self.current, tuple(keys), status)))
        if message is not None:
            severity = severity or REGISTRY[self.current].severity
            self.add(severity, finding.pop("finding_keys", keys), message, **finding)

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
        order = tuple(self.template.position(k) for k in keys[:1])
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
        """Every equation evaluated once: ("pass" | "fail" | "unverifiable", printed side − parts)."""
        if "_status" not in self.__dict__:
            status = {}
            for eq in self.equations():
                sides = eq.sides(self.values)
                if self._used_for_reading(eq):
                    status[eq] = ("reading", 0)
                elif sides is None:
                    status[eq] = ("unverifiable", 0)
                else:
                    status[eq] = ("pass" if abs(sides[0] - sides[1]) < 1e-9 else "fail", sides[0] - sides[1])
            self.__dict__["_status"] = status
        return self.__dict__["_status"]

    def _used_for_reading(self, eq: Equation) -> bool:
        """An equation that split cells run together (the row's total, or a column equation that chose among a
        row's splits) holds by construction: it was used for reading and verifies nothing."""
        if "_noted" not in self.__dict__:  # computed once per report, not per equation
            self.__dict__["_noted"] = {k for k, c in self.report.cells.items() if c.note}
            self.__dict__["_per_row"] = {e.check for t in self.template.tables for e in t.equations if e.per == "row"}
        if self.__dict__["_noted"].isdisjoint(eq.keys):
            return False  # no cell of it was read by a rule (the usual case)
        notes = [getattr(self.report.cells.get(k), "note", None) or "" for k in eq.keys]
        if any(f"「{eq.check}」" in n for n in notes):
            return True
        per_row = self.__dict__["_per_row"]
        return eq.check in per_row and all(n.startswith(SPLIT) for n in notes)

    def localiser(self) -> Localiser:
        if "_localiser" not in self.__dict__:
            self.__dict__["_localiser"] = Localiser(self.status(), self.values)
        return self.__dict__["_localiser"]

    def source(self, keys) -> str | None:
        for k in keys:
            cell = self.report.cells.get(k)
            if cell is not None and cell.source is not None:
                return str(cell.source)
        return None

    def label(self, key: str) -> str:
        """「表三「(一)予以公开·自然人」」: a cell as a reader finds it in the printed table."""
        return self.template.cell_label(key)

    def quote(self, key: str) -> str:
        cell = self.report.cells.get(key)
        if cell is None or cell.raw is None:
            return f"{self.label(key)}(未找到)"
        return f"{self.label(key)}印为「{cell.raw}」"  # where it stands is the finding's source, said once


def fmt(v) -> str:
    """A number as a finding prints it: 3, 2.5, — for none."""
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:g}" if isinstance(v, float) else str(v)
