"""Score the audit against the truth set: the real faults each golden file lists, judged by reading the report.

A golden file's ``faults`` list what is really wrong in the published report (check, keys, severity,
what), ``excerpt`` says the text stops before the report does. An error or warning finding is *true*
when it names a listed fault (same check, and a key in common when the fault names keys), or when it
is the one notice that an excerpt stops early. A fault is *reported* when a true error or warning
finding names it. Precision = true findings / error and warning findings; recall = reported faults /
faults. Hold-out reports (``"holdout": true``) are scored apart: the audit was not tuned on them.

Used by tests/test_accuracy.py and by ``python benchmarks/accuracy.py`` (docs/accuracy.md).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "expected"
STOPS = "报告文本不完整"


@dataclass
class Score:
    documents: int = 0
    findings: int = 0  # error and warning findings
    true_findings: int = 0
    faults: int = 0
    reported: int = 0
    excerpt_form_findings: list[int] = field(default_factory=list)  # per excerpt: its form findings
    false: list[str] = field(default_factory=list)  # "file: check message" of each false finding
    missed: list[str] = field(default_factory=list)  # "file: check what" of each missed fault

    @property
    def precision(self) -> float:
        return self.true_findings / self.findings if self.findings else 1.0

    @property
    def recall(self) -> float:
        return self.reported / self.faults if self.faults else 1.0

    def add(self, other: Score) -> None:
        for name in ("documents", "findings", "true_findings", "faults", "reported"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.excerpt_form_findings += other.excerpt_form_findings
        self.false += other.false
        self.missed += other.missed


def golden(stem: str) -> dict:
    return json.loads((EXPECTED / f"{stem}.json").read_text("utf-8"))


def stems(holdout: bool | None = None) -> list[str]:
    out = sorted(p.stem for p in EXPECTED.glob("*.json"))
    return out if holdout is None else [s for s in out if bool(golden(s).get("holdout")) == holdout]


def documents(stem: str) -> list[Path]:
    """Every form of a report we hold that reads (a fused-cell .txt whose .html reads is left to the .html)."""
    g = golden(stem)
    found = [p for d in (ROOT / "tests" / "reports", ROOT / "data" / "samples") for p in sorted(d.glob(f"{stem}.*"))]
    found = [p for p in found if p.suffix not in (".py", ".json")]
    if g.get("readable_forms"):
        found = [p for p in found if p.suffix in g["readable_forms"]]
    return found


def names(finding, fault: dict) -> bool:
    """Whether a finding names a fault of the truth set: the same check and, if the fault names keys, one of them."""
    if finding.check != fault["check"]:
        return False
    return not fault.get("keys") or bool(set(finding.keys) & set(fault["keys"]))


def score_document(stem: str, path: Path) -> Score:
    import giaudit

    g = golden(stem)
    faults = g.get("faults", [])
    try:
        findings = [f for f in giaudit.audit(giaudit.read(path)) if f.severity.value in ("error", "warning")]
    except Exception as exc:  # an earlier commit may refuse or crash on a report: it then reports nothing
        findings = []
        print(f"{path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    s = Score(documents=1, findings=len(findings), faults=len(faults))
    for f in findings:
        notice = f.check == "form" and STOPS in f.message
        if (notice and g.get("excerpt")) or (not notice and any(names(f, fault) for fault in faults)):
            s.true_findings += 1
        else:
            s.false.append(f"{path.name}: [{f.severity.value}] {f.check} {f.message[:160]}")
    for fault in faults:
        if any(names(f, fault) for f in findings):
            s.reported += 1
        else:
            s.missed.append(f"{path.name}: {fault['check']} {fault['what'][:160]}")
    if g.get("excerpt"):
        s.excerpt_form_findings.append(sum(f.check == "form" for f in findings))
    return s


def score(stem_list: list[str]) -> Score:
    total = Score()
    for stem in stem_list:
        for path in documents(stem):
            total.add(score_document(stem, path))
    return total
