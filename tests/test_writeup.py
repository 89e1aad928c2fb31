"""Write-ups a reviewer can hand on (issue 13): no pandas or notebook leftovers, tables that fit, one kernel for
many reports, Excel workbooks with marked cells, and a terminal table aligned for Chinese."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

import giaudit
from giaudit import pages

from .conftest import SAMPLE, TESTS

LEFTOVERS = ("<NA>", "NBVAL", "papermill", "修改下一个单元格", "giaudit.indicators", "dataframe")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Three real reports and an empty file rendered in one command, from a folder that holds a giaudit/ folder."""
    here = tmp_path_factory.mktemp("here")
    (here / "giaudit").mkdir()  # a clone's parent: must not shadow the installed package in the kernel
    src = here / "reports"
    src.mkdir()
    for p in (SAMPLE, TESTS / "reports" / "shuyang-2025.txt", TESTS / "reports" / "pingtan-2023.html"):
        shutil.copy(p, src / p.name)
    (src / "empty.txt").write_text("", "utf-8")
    command = Path(sys.executable).parent / "giaudit"  # the installed command, as a user runs it
    proc = subprocess.run(
        [str(command), "render", "--each", "reports", "-o", "out", "--quiet"], capture_output=True, text=True, cwd=here
    )
    return here / "out", proc


def test_batch_render_writes_each_and_an_index(batch):
    out, proc = batch
    assert proc.returncode == 0, proc.stderr
    assert "Kernel is running over TCP" not in proc.stderr and "Traceback" not in proc.stderr
    names = sorted(p.name for p in out.glob("*-audit.html"))
    assert names == ["jiangle-2024-audit.html", "pingtan-2023-audit.html", "shuyang-2025-audit.html"]
    index = lxml.html.fromstring((out / "index.html").read_text("utf-8"))
    text = index.text_content()
    assert "将乐县人民政府办公室" in text and "平潭综合实验区" in text and "empty.txt" in text and "is empty" in text
    assert sorted(a.get("href") for a in index.iter("a")) == names


def test_a_writeup_has_no_leftovers_and_says_where_in_words(batch):
    out, _ = batch
    page = (out / "jiangle-2024-audit.html").read_text("utf-8")
    for word in LEFTOVERS:
        assert word not in page, word
    doc = lxml.html.fromstring(page)
    text = doc.text_content()
    assert "jiangle-2024.txt 第23行" in text and "data/samples" not in text  # the file's name, not its path
    assert "三、本年度办理结果" in text and "(三)不予公开" in text  # table 三 keeps its group rows
    assert doc.xpath('//span[contains(@class, "sev") and contains(@class, "error")]')  # severity in colour
    marked = doc.xpath('//td[contains(@class, "error")]')
    assert any(td.text_content() == "4" for td in marked)  # 本年废止件数 4 marked in table 二 itself
    assert not doc.xpath("//script") and "75.0%" in text  # rates as percentages


def _overflowing(html_path: Path) -> str:
    """Ask a real browser (Debian's chromium) which tables are wider than their column at 1280 px."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is needed for this test: make test installs it (apt-get install chromium)"
    probe = html_path.with_name("probe-" + html_path.name)
    script = (
        "<script>window.onload=function(){var bad=[];document.querySelectorAll('table').forEach(function(t){"
        "var p=t.parentElement;if(t.getBoundingClientRect().width>p.getBoundingClientRect().width+1)"
        "bad.push(t.innerText.slice(0,30));});document.title='WIDE:'+bad.length+':'+bad.join('|');};</script>"
    )
    probe.write_text(html_path.read_text("utf-8").replace("</body>", script + "</body>"), "utf-8")
    proc = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={html_path.parent / '.chromium'}",
            "--window-size=1280,2000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    m = re.search(r"<title>WIDE:(\d+):(.*?)</title>", proc.stdout, re.S)
    assert m, proc.stderr[-500:]
    return m.group(0)


def test_no_table_is_wider_than_its_column_at_1280px(batch):
    out, _ = batch
    for name in ("jiangle-2024-audit.html", "pingtan-2023-audit.html"):
        assert "WIDE:0:" in _overflowing(out / name), name


def test_the_width_probe_can_fail(tmp_path):
    wide = tmp_path / "wide.html"
    wide.write_text(
        "<html><body><div style='width:300px'><table><tr><td style='white-space:nowrap'>"
        + "宽" * 200
        + "</td></tr></table></div></body></html>",
        "utf-8",
    )
    assert "WIDE:1:" in _overflowing(wide)


def test_sources_in_words():
    assert pages.where("data/samples/jiangle-2024.txt:23") == "jiangle-2024.txt 第23行"
    assert pages.where("/x/hongze-2024.pdf p4/table6/r4/c5") == "hongze-2024.pdf 第4页 表6 第4行 第5列"
    assert pages.where("r.docx ¶12") == "r.docx 第12段"
    assert pages.where("r.txt:10 [按本行合计拆分:原文「801000081」]") == "r.txt 第10行(按本行合计拆分)"


def test_an_empty_section_says_none():
    report = giaudit.read(TESTS / "reports" / "pingtan-2024.html")
    assert "无" in pages.findings(giaudit.audit(report), severity="error").markup
    assert "无" in pages.frame(None).markup


def test_excel_workbook_marks_cells_and_writes_no_formula(tmp_path):
    import openpyxl

    path = tmp_path / "=evil.txt"
    path.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    out = tmp_path / "audit.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "audit", path.name, "--xlsx", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["表二", "表三", "表四", "审核发现"]
    t2 = wb["表二"]
    marked = [c for row in t2.iter_rows() for c in row if c.comment]
    assert [c.value for c in marked] == [4] and "废止" in marked[0].comment.text
    assert [c.value for c in wb["表三"]["A"]][4] == "三、本年度办理结果"
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    findings = [r for r in wb["审核发现"].iter_rows(min_row=2, values_only=True)]
    assert findings[0][0] == "错误" and findings[0][3] == "=evil.txt 第23行"


def test_terminal_tables_align_chinese_columns():
    proc = subprocess.run([sys.executable, "-m", "giaudit", "parse", str(SAMPLE)], capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("表三"))
    rows = [line for line in lines[start + 2 : start + 30] if line and line[-1].isdigit()]

    def width(s: str) -> int:
        import unicodedata

        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    assert len({width(r) for r in rows}) == 1  # every row's last number ends in one column
    assert any(line.strip() == "三、本年度办理结果" for line in lines)
