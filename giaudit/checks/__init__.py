"""Every reconciliation check a reviewer makes, each declared once.

A check is a small function registered with keyword data — its id, default
severity and the template keys it reads — while its Chinese and English
description lives beside the templates (``templates/checks.toml``), because it
names the official labels. ``REGISTRY`` lists every check without running any,
and ``docs/checks.md`` is generated from it (``python -m giaudit.checks``).
A check that raises becomes an ``error`` finding, never a crash.

The checks live in one module per family: ``arithmetic`` (the tables' printed
equations), ``values`` (plausibility, blank cells), ``prose`` (prose against
tables, prose arithmetic), ``form`` and ``cross_year``.
"""

from __future__ import annotations

import importlib
import traceback

from ..findings import Finding, Findings, Severity
from ..report import Report
from .registry import REGISTRY, CheckSpec, Context, check

# The families register their checks on import; this order is the order checks run and findings are listed.
FAMILIES = ("arithmetic", "ocr", "values", "prose", "form", "cross_year")
for _family in FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")

__all__ = ["REGISTRY", "CheckSpec", "Context", "audit", "check", "checks_markdown", "cross_year"]


def audit(report: Report, previous: Report | None = None) -> Findings:
    """Run every registered check; a check that raises becomes an error finding."""
    ctx = Context(report, previous)
    for spec in REGISTRY.values():
        _run(ctx, spec)
    meta = report.meta.to_dict()
    if previous is not None:
        meta["previous"] = previous.meta.to_dict()
    return Findings(ctx.findings, ctx.results, meta, list(REGISTRY.values()))


def cross_year(report: Report, previous: Report) -> list[Finding]:
    """Only the cross-year check (for corpora, which audit each report alone first)."""
    ctx = Context(report, previous)
    _run(ctx, REGISTRY["cross_year"])
    return ctx.findings


def _run(ctx: Context, spec: CheckSpec) -> None:
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
            source=ctx.report.meta.source,
        )


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
        keys = ", ".join(s.keys)
        lines.append(
            f"| `{s.id}` | {s.severity.value} | **{s.title}**:{s.description} | {s.description_en} | `{keys}` |"
        )
    lines += [
        "",
        "Severity is the check's usual one; a finding may be milder (an `info` for an equation that cannot be",
        "verified because a cell is missing — neither passed nor failed — or for a breakdown that may be partial).",
        "When exactly one cell explains every failing equation it takes part in, the finding names it in",
        "`suspect` with the value that makes them hold, and `slip` names the likely slip (off by one, digits",
        "transposed, a digit added or dropped, a value shifted into the neighbouring column).",
        "",
        "The equations themselves are declared in `giaudit/templates/gov2021.toml` (`[[tables.equations]]`,",
        "`[[bounds]]`, `[[cross_year]]`), each once, with its Chinese wording.",
        "",
    ]
    return "\n".join(lines)
