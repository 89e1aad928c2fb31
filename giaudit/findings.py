"""Findings: what the audit found, as one DataFrame with a fixed column order.

Every finding names the check that made it, its severity, the canonical keys
it reads, what the numbers should be (``expected``) and what the report
prints (``actual``), a Chinese message that quotes the cells' labels and
sources, and — when exactly one cell explains every failing equation it takes
part in — that cell (``suspect``) with the value that makes them all hold and
the likely slip behind it. The report's numbers are never changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pandas as pd


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警示", "info": "提示"}[self.value]


# The findings table, once: its columns in order and their types ("string", "float", "list" of strings).
# Findings.df, the corpus's findings.parquet and its schema are all made from this.
FIELDS: tuple[tuple[str, str], ...] = (
    ("check", "string"),
    ("severity", "string"),
    ("keys", "list"),
    ("expected", "float"),
    ("actual", "float"),
    ("difference", "float"),
    ("message", "string"),
    ("source", "string"),
    ("suspect_key", "string"),
    ("suspect_value", "float"),
    ("slip", "string"),
    ("fingerprint", "string"),
    ("decision", "string"),
    ("decision_note", "string"),
    ("message_en", "string"),
)
COLUMNS = [name for name, _ in FIELDS]
ROW_FIELDS = COLUMNS[:-1]  # Finding.row(): every column but the English message


@dataclass
class Finding:
    check: str
    severity: Severity
    keys: tuple[str, ...]
    message: str
    expected: float | int | None = None
    actual: float | int | None = None
    source: str | None = None
    message_en: str = ""
    suspect: tuple[str, int | float] | None = None
    slip: str | None = None
    order: tuple = field(default=(), compare=False)
    fingerprint: str = ""  # see fingerprint(): set when the audit is done
    decision: str | None = None  # a reviewer's: "confirmed", "dismissed" or None (open)
    decision_note: str | None = None

    @property
    def open(self) -> bool:
        """Not dismissed by a reviewer: it still counts."""
        return self.decision != "dismissed"

    def row(self) -> tuple:
        """The finding as a row of ``ROW_FIELDS`` (the DataFrame's columns but the English message)."""
        return (
            self.check,
            self.severity.value,
            list(self.keys),
            self.expected,
            self.actual,
            self.difference,
            self.message,
            self.source,
            self.suspect[0] if self.suspect else None,
            self.suspect[1] if self.suspect else None,
            self.slip,
            self.fingerprint,
            self.decision,
            self.decision_note,
        )

    @property
    def difference(self):
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    def to_dict(self) -> dict:
        return {
            "check": self.check,
            "severity": self.severity.value,
            "keys": list(self.keys),
            "expected": _json_number(self.expected),
            "actual": _json_number(self.actual),
            "difference": _json_number(self.difference),
            "message": self.message,
            "message_en": self.message_en,
            "source": self.source,
            "suspect": {"key": self.suspect[0], "value": _json_number(self.suspect[1])} if self.suspect else None,
            "slip": self.slip,
            "fingerprint": self.fingerprint,
            "decision": self.decision,
            "decision_note": self.decision_note,
        }


def _json_number(v):
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def identity(meta: dict) -> str:
    """The report as fingerprints know it: agency (as corpora compare it), year and format — not its file,
    its form (text, HTML, PDF, Word) or where in it anything stands. A report whose agency was not found
    is known by its title, and then by its file's name."""
    from .meta import normalize_agency

    who = normalize_agency(meta.get("agency")) or meta.get("title") or Path(meta.get("source") or "").stem
    return f"{who}|{meta.get('year') or ''}|{meta.get('format') or ''}"


def fingerprint(items: list[Finding], meta: dict) -> None:
    """Give each finding its fingerprint: a hash of its check, its keys and the report's ``identity``. The same
    finding on a re-run, a moved file or the report as PDF instead of HTML has the same one; findings that
    share check and keys (notes on the whole document) are told apart by their order among themselves."""
    who = identity(meta)
    seen: dict[tuple, int] = {}
    for f in items:
        base = (f.check, f.keys)
        n = seen[base] = seen.get(base, 0) + 1
        text = "\x1f".join((who, f.check, ",".join(f.keys), str(n) if n > 1 else ""))
        f.fingerprint = hashlib.sha256(text.encode()).hexdigest()[:16]


class Result(NamedTuple):
    """One evaluated rule: passed, failed, or could not be verified (a part is missing)."""

    check: str
    keys: tuple[str, ...]
    status: str  # "pass", "fail", "unverifiable"


# Result((check, keys, status)) without NamedTuple's Python-level __new__: half the cost, and an audit records a
# result for every cell it checks (hundreds a report)
result = functools.partial(tuple.__new__, Result)


class Findings:
    """The audit's result: ``df`` (one row per finding) and ``results`` (every rule evaluated)."""

    def __init__(self, findings: list[Finding], results: list[Result], meta: dict, checks: list) -> None:
        """``checks``: the registered checks (``CheckSpec``), in the order they ran."""
        self.checks = {c.id: c for c in checks}
        check_order = list(self.checks)
        rank = {c: n for n, c in enumerate(check_order)}
        self.items = sorted(
            findings, key=lambda f: (f.severity.rank, rank.get(f.check, 999), f.order, f.keys, f.message)
        )
        self._results = results
        self.meta = meta
        self.check_order = check_order
        fingerprint(self.items, meta)
        self.stale: list = []  # decisions on this report whose finding no longer occurs (see apply)

    def apply(self, decisions: dict) -> list:
        """Mark each finding with the reviewer's decision on it (``decisions``: fingerprint -> ``Decision``, as
        ``giaudit.decisions.read`` gives). Returns, and keeps as ``stale``, the decisions made on this report
        whose finding no longer occurs."""
        from .decisions import report_label

        here = {f.fingerprint for f in self.items}
        for f in self.items:
            d = decisions.get(f.fingerprint)
            f.decision, f.decision_note = (d.decision, d.note or None) if d else (None, None)
        label = report_label(self.meta)
        self.stale = [d for fp, d in decisions.items() if fp not in here and d.report and d.report == label]
        return self.stale

    @cached_property
    def results(self) -> pd.DataFrame:
        """Every rule evaluated: check, keys, status ("pass", "fail" or "unverifiable")."""
        import pandas as pd

        return pd.DataFrame(
            [(r.check, list(r.keys), r.status) for r in self._results], columns=["check", "keys", "status"]
        )

    @property
    def df(self) -> pd.DataFrame:
        import pandas as pd

        rows = [(*f.row(), f.message_en) for f in self.items]
        df = pd.DataFrame(rows, columns=COLUMNS)
        for name, kind in FIELDS:
            if kind == "float":
                df[name] = pd.array(df[name].tolist(), dtype="Float64")
            elif kind == "string":
                df[name] = df[name].astype("string")
        return df

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __repr__(self) -> str:
        counts = self.counts()
        return f"<Findings error={counts['error']} warning={counts['warning']} info={counts['info']}>"

    def counts(self, open_only: bool = False) -> dict[str, int]:
        """Findings by severity; ``open_only``: leaving out those a reviewer dismissed."""
        out = {s.value: 0 for s in Severity}
        for f in self.items:
            if f.open or not open_only:
                out[f.severity.value] += 1
        return out

    def fails(self, level: str) -> bool:
        """Whether an open finding at ``level`` ("error" or "warning") or above remains: ``--fail-on``."""
        least = Severity(level).rank
        return any(f.open and f.severity.rank <= least for f in self.items)

    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity is Severity.ERROR]

    def by_check(self, check: str) -> list[Finding]:
        return [f for f in self.items if f.check == check]

    def summary(self) -> pd.DataFrame:
        """Per check: rules passed, failed and unverifiable, and findings by severity."""
        import pandas as pd

        rows = []
        for cid in self.check_order:
            spec = self.checks[cid]
            res = self.results[self.results["check"] == cid]["status"].value_counts()
            sev = pd.Series([f.severity.value for f in self.items if f.check == cid]).value_counts()
            rows.append(
                {
                    "check": cid,
                    "title": spec.title,
                    "severity": spec.severity.value,
                    "passed": int(res.get("pass", 0)),
                    "failed": int(res.get("fail", 0)),
                    "unverifiable": int(res.get("unverifiable", 0)),
                    "errors": int(sev.get("error", 0)),
                    "warnings": int(sev.get("warning", 0)),
                    "infos": int(sev.get("info", 0)),
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        out = {"meta": self.meta, "findings": [f.to_dict() for f in self.items]}
        if self.stale:
            out["stale_decisions"] = [
                {"fingerprint": d.fingerprint, "decision": d.decision, "check": d.check, "message": d.message}
                for d in self.stale
            ]
        return out

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)
