"""Interactive exploration in JupyterLab (ipywidgets): pick a report, a table, a severity; decide on findings.

``explorer()`` returns a widget; in a static rendering (HTML on the web) it
shows a one-line note instead of widget internals. In the findings view each
finding has 确认 / 排除 / 撤回 buttons and a note field beside it; a click writes
the reviewer's decision to the decisions file (``giaudit.decisions``), which
``giaudit audit|render|corpus --decisions`` apply on every later run.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
from IPython.display import display

from . import audit, decisions, read
from .errors import GiauditError
from .views import findings_table


def report_files(*folders: str | Path) -> list[Path]:
    """Report files under the folders (default: the project's data/), as a corpus run finds them."""
    from .corpus import discover

    roots = [Path(f) for f in folders] or [Path(__file__).resolve().parents[1] / "data"]
    return sorted(p for r in roots if r.is_dir() for p in discover(r))


class Explorer(w.VBox):
    """Report dropdown, view toggle (table 二/三/四, findings), severity filter, output."""

    def __init__(self, files: list[Path], lang: str = "zh", decisions_path: str | Path | None = None) -> None:
        self.lang = lang
        self.files = files
        default = decisions_path or (files[0].parent / "decisions.csv" if files else "decisions.csv")
        self.decisions_file = w.Text(value=str(default), description="决定文件", layout=w.Layout(width="60%"))
        self.reviewer = w.Text(value="", description="审核人", layout=w.Layout(width="30%"))
        self.rows: list[FindingRow] = []
        self.report_choice = w.Dropdown(options=[(p.name, str(p)) for p in files], description="报告")
        self.view = w.ToggleButtons(
            options=[("表二", "t2"), ("表三", "t3"), ("表四", "t4"), ("审核发现", "findings")],
            value="findings",
            description="查看",
        )
        self.severity = w.Dropdown(
            options=[("全部", "info"), ("警示及以上", "warning"), ("仅错误", "error")], value="info", description="级别"
        )
        self.out = w.Output()
        self._cache: dict[str, tuple] = {}
        for control in (self.report_choice, self.view, self.severity, self.decisions_file):
            control.observe(lambda _: self.refresh(), names="value")
        super().__init__(
            [
                w.HBox([self.report_choice, self.severity]),
                w.HBox([self.decisions_file, self.reviewer]),
                self.view,
                self.out,
            ]
        )
        self.refresh()

    def load(self, path: str):
        """The report and its findings, with the decisions of the decisions file as they stand now."""
        if path not in self._cache:
            report = read(path)
            self._cache[path] = (report, audit(report))
        report, findings = self._cache[path]
        findings.apply(self.decided())
        return report, findings

    def decided(self) -> dict:
        path = Path(self.decisions_file.value)
        return decisions.read(path) if self.decisions_file.value and path.is_file() else {}

    def decide(self, finding, decision: str | None, note: str = "") -> None:
        """Write (or, with None, withdraw) a decision on a finding of the report shown, then show it."""
        _, findings = self.load(self.report_choice.value)
        decisions.decide(
            self.decisions_file.value,
            finding.fingerprint,
            decision,
            note=note,
            reviewer=self.reviewer.value,
            finding=finding,
            report=decisions.report_label(findings.meta),
        )
        self.refresh()

    def current(self):
        """The DataFrame shown now (also what the tests look at)."""
        if not self.report_choice.value:
            return None
        report, findings = self.load(self.report_choice.value)
        if self.view.value == "findings":
            return findings_table(findings, self.severity.value, self.lang)
        return report.table(self.view.value, labels=self.lang)

    def shown(self):
        """What the reviewer sees: the table as printed with its findings marked, or the findings."""
        from . import pages

        report, findings = self.load(self.report_choice.value)
        if self.view.value == "findings":
            return pages.findings(findings, self.severity.value, self.lang, report)
        return pages.table(report, self.view.value, findings, self.lang)

    def refresh(self) -> None:
        self.out.clear_output()
        self.rows = []
        with self.out:
            try:
                display(self.shown() if self.report_choice.value else "无报告 · no report")
                if self.report_choice.value and self.view.value == "findings":
                    _, findings = self.load(self.report_choice.value)
                    least = {"error": 0, "warning": 1, "info": 2}[self.severity.value]
                    self.rows = [FindingRow(self, f) for f in findings if f.severity.rank <= least]
                    if self.rows:
                        display(w.VBox([w.HTML("<b>审核决定</b>(写入决定文件,重新运行时沿用)"), *self.rows]))
            except GiauditError as exc:
                print(exc.message)

    def __repr__(self) -> str:
        return "交互浏览器(在 JupyterLab 中运行本单元格以使用)· interactive explorer: run this cell in JupyterLab"


class FindingRow(w.HBox):
    """One finding's decision: what it is, a note, and 确认 / 排除 / 撤回."""

    def __init__(self, explorer: Explorer, finding) -> None:
        self.finding = finding
        state = decisions.LABELS.get(finding.decision or "", "未决定")
        text = finding.message if len(finding.message) <= 60 else finding.message[:59] + "…"
        self.label = w.Label(f"[{finding.severity.label}·{state}] {text}", layout=w.Layout(width="55%"))
        self.note = w.Text(value=finding.decision_note or "", placeholder="说明", layout=w.Layout(width="20%"))
        self.buttons = [
            w.Button(description=name, layout=w.Layout(width="auto"), tooltip=tip)
            for name, tip in (("确认", "confirmed"), ("排除", "dismissed"), ("撤回", "withdraw"))
        ]
        for button, decision in zip(self.buttons, ("confirmed", "dismissed", None), strict=True):
            button.on_click(lambda _, d=decision: explorer.decide(finding, d, self.note.value))
        super().__init__([self.label, self.note, *self.buttons])


def explorer(*places: str | Path, lang: str = "zh", decisions: str | Path | None = None) -> Explorer:
    """The explorer over the reports of the given folders; a report file given stands first, with the other
    reports of its folder (so a notebook's ``report_path`` is what it opens on). ``decisions``: the decisions
    file its buttons write (default: decisions.csv beside the first report)."""
    first = [Path(p) for p in places if Path(p).is_file()]
    folders = [Path(p) for p in places if Path(p).is_dir()] or [p.parent for p in first]
    files = list(dict.fromkeys([*first, *report_files(*folders)])) if places else report_files()
    return Explorer(files, lang, decisions)
