"""Interactive exploration in JupyterLab (ipywidgets): pick a report, a table, a severity.

``explorer()`` returns a widget; in a static rendering (HTML on the web) it
shows a one-line note instead of widget internals.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
from IPython.display import display

from . import audit, read
from .errors import GiauditError
from .views import findings_table


def report_files(*folders: str | Path) -> list[Path]:
    """Report files under the folders (default: the project's data/), as a corpus run finds them."""
    from .corpus import discover

    roots = [Path(f) for f in folders] or [Path(__file__).resolve().parents[1] / "data"]
    return sorted(p for r in roots if r.is_dir() for p in discover(r))


class Explorer(w.VBox):
    """Report dropdown, view toggle (table 二/三/四, findings), severity filter, output."""

    def __init__(self, files: list[Path], lang: str = "zh") -> None:
        self.lang = lang
        self.files = files
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
        for control in (self.report_choice, self.view, self.severity):
            control.observe(lambda _: self.refresh(), names="value")
        super().__init__([w.HBox([self.report_choice, self.severity]), self.view, self.out])
        self.refresh()

    def load(self, path: str):
        if path not in self._cache:
            report = read(path)
            self._cache[path] = (report, audit(report))
        return self._cache[path]

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
        with self.out:
            try:
                display(self.shown() if self.report_choice.value else "无报告 · no report")
            except GiauditError as exc:
                print(exc.message)

    def __repr__(self) -> str:
        return "交互浏览器(在 JupyterLab 中运行本单元格以使用)· interactive explorer: run this cell in JupyterLab"


def explorer(*places: str | Path, lang: str = "zh") -> Explorer:
    """The explorer over the reports of the given folders; a report file given stands first, with the other
    reports of its folder (so a notebook's ``report_path`` is what it opens on)."""
    first = [Path(p) for p in places if Path(p).is_file()]
    folders = [Path(p) for p in places if Path(p).is_dir()] or [p.parent for p in first]
    files = list(dict.fromkeys([*first, *report_files(*folders)])) if places else report_files()
    return Explorer(files, lang)
