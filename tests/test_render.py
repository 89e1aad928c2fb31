"""Charts, the notebook views, the widget explorer, and the HTML write-up (rendered for real)."""

from __future__ import annotations

import subprocess
import sys
import warnings

import lxml.html
import pytest
from matplotlib.colors import to_rgb

import giaudit
from giaudit import explore, plots, views

from .conftest import SAMPLE, TESTS

CHARTS = ["disclosure", "applicant_mix", "outcomes", "reasons", "review_litigation", "indicator_bars"]
REPORTS = [
    SAMPLE,
    TESTS / "reports" / "shuyang-2025.txt",
    TESTS / "reports" / "shanghai-bangongting-2019.txt",
    TESTS / "reports" / "haizhu-guanzhou-jiedao-2023.txt",
]


@pytest.mark.parametrize("path", REPORTS, ids=[p.name for p in REPORTS])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_draw_chinese_without_missing_glyphs(path, lang):
    report = giaudit.read(path)
    assert plots.setup_fonts() is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
        for name in CHARTS:
            fig = getattr(plots, name)(report, lang)
            fig.canvas.draw()
            texts = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()]
            assert fig.axes and any(texts), name
        fig = plots.reconciliation_grid(report, giaudit.audit(report), lang)
        fig.canvas.draw()


def test_chart_labels_come_from_the_template(sample_report):
    fig = plots.applicant_mix(sample_report)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"][::-1] or sorted(
        labels
    ) == sorted(["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
    assert "将乐县人民政府办公室" in fig.axes[0].get_title()


def test_grid_marks_the_suspect_cell():
    bad = next((TESTS / "faults").glob("t3.row_total__suspect=t3.granted.natural_person=1*"))
    report = giaudit.read(bad)
    fig = plots.reconciliation_grid(report, giaudit.audit(report))
    cells = fig.axes[0].images[0].get_array()  # rows x columns x RGB, in the table's order
    colors = {tuple(c) for row in cells for c in row}
    assert len(colors) >= 3  # adds up, failing, suspect
    t3 = report.template.table("t3")
    rows = [r.key for r in t3.rows if f"t3.{r.key}.total" in report.cells]
    cols = list(t3.columns)
    suspect = tuple(cells[rows.index("granted"), cols.index("natural_person")])
    assert suspect == to_rgb("#d9822b")  # the suspect cell itself is the one marked


def test_views(sample_report):
    findings = giaudit.audit(sample_report)
    assert views.overview(sample_report).loc["读出数值"].item() == "200/200"
    pv = views.prose_vs_tables(sample_report)
    assert pv.set_index("项目").loc["规范性文件废止数", "是否一致"] == "不一致"
    status = views.checks_status(findings)
    assert status.loc["t3.balance", "通过"] == 7
    assert views.findings_table(findings, "error").shape[0] == 1
    assert "Table 3 balance" in views.checks_status(findings, "en").to_string()


def test_explorer_widget_switches_report_view_and_severity():
    e = explore.explorer(SAMPLE.parent, TESTS / "reports")
    names = [label for label, _ in e.report_choice.options]
    assert "jiangle-2024.txt" in names and "shuyang-2025.txt" in names
    e.report_choice.value = str(SAMPLE)
    assert len(e.current()) == 3  # one error, one warning (均在期限内答复 vs 1 carried forward), one note (no title)
    e.severity.value = "error"
    assert len(e.current()) == 1
    e.view.value = "t3"
    assert e.current().shape == (25, 7)
    assert "JupyterLab" in repr(e)


@pytest.fixture(scope="module")
def writeup(tmp_path_factory):
    out = tmp_path_factory.mktemp("writeup")
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "render", str(SAMPLE), "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    path = out / "jiangle-2024-audit.html"
    assert proc.stdout.strip() == str(path)
    return path.read_text("utf-8")


def test_writeup_content(writeup):
    doc = lxml.html.fromstring(writeup)
    assert doc.findtext(".//title") == "将乐县人民政府办公室 2024年政府信息公开工作年度报告审核"
    text = doc.text_content()
    assert "将乐县人民政府办公室 2024年政府信息公开工作年度报告审核" in text
    # the summary of findings comes first, with the real inconsistency
    summary = text.index("审核发现摘要")
    assert summary < text.index("报告概况") < text.index("表三 收到和处理") < text.index("各项检查结果")
    assert "废止或宣布失效规范性文件13件" in text[summary : summary + 2000]
    assert "本年废止件数" in text[summary : summary + 2000]
    images = [img.get("src") for img in doc.iter("img")]
    assert len(images) >= 7 and all(src.startswith("data:image/png;base64,") for src in images)
    assert not doc.xpath("//script") and "import giaudit" not in text  # no code, nothing to run
    assert "交互浏览" not in text  # the interactive cell is left out


def test_writeup_of_hostile_report_shows_the_text_and_runs_nothing(tmp_path):
    text = SAMPLE.read_text("utf-8")
    text = "<b onmouseover=alert(9)>测试县</b>2024年政府信息公开工作年度报告\n" + text.replace(
        "2024年全年收到政府信息公开申请5件",
        "2024年全年收到<script>alert(1)</script>政府信息公开申请6件<img src=x onerror=alert(2)>",
    )
    path = tmp_path / "hostile.txt"
    path.write_text(text, "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "render", str(path), "-o", str(tmp_path), "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "hostile-audit.html").read_text("utf-8")
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//script")
    assert not [el for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")]
    assert not doc.xpath("//img[@src='x']")
    shown = doc.text_content()
    assert "<script>alert(1)</script>" in shown and "onerror=alert(2)" in shown  # shown as text
    assert "onmouseover=alert(9)>测试县</b>" in shown  # the agency, as text (whitespace normalised)


def test_render_bad_input_exits_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "render", str(empty), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "empty.txt" in proc.stderr
