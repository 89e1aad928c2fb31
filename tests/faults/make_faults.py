"""Generate tests/faults/: real reports with one planted fault each.

The file name says what the audit must find:
    <check>__<expectation>[__slip-<slip>][__previous-year-of-<stem>].<ext>
where <expectation> is ``suspect=<key>=<value>`` (the finding names that cell
and the value that makes its equations hold), ``nosuspect`` (no single cell
explains it), or ``keys=<key>`` (the finding names that key). A
``previous-year-of-<stem>`` file is last year's report of <stem>: the test
audits <stem> with it as ``previous``.

Sources: data/samples/jiangle-2024.txt (and its HTML form) and
tests/reports/shuyang-2025.txt, both real reports whose tables add up. Run
from the project root: python tests/faults/make_faults.py
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "faults"
JIANGLE = (ROOT / "data/samples/jiangle-2024.txt").read_text("utf-8")
JIANGLE_HTML = (ROOT / "tests/reports/jiangle-2024.html").read_text("utf-8")
SHUYANG = (ROOT / "tests/reports/shuyang-2025.txt").read_text("utf-8")


def cell(text: str, label: str, column: int, new: str) -> str:
    """Replace the value in `column` (0-based) after the row label `label |` in the one-cell-per-line text."""
    lines = text.split("\n")
    start = lines.index(f"{label} |")
    values = [i for i in range(start + 1, len(lines)) if re.fullmatch(r"[\d/—-]* \|", lines[i])]
    lines[values[column]] = f"{new} |"
    return "\n".join(lines)


def md_row(text: str, label: str, column: int, new: str) -> str:
    """Replace one value of a Markdown row `| label | v | v |`."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].replace(" ", "").endswith(label):
            cells[1 + column] = new
            lines[n] = "| " + " | ".join(cells) + " |"
            return "\n".join(lines)
    raise ValueError(label)


def sub_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


FAULTS = {
    # jiangle-2024: one request of 一、本年新收 filed under 自然人 instead of 商业企业 (3/2 printed as 4/1; total 5 kept)
    "t3.balance__keys=t3.new_requests.commercial_enterprise__slip-two-columns.txt": cell(
        cell(JIANGLE, "一、本年新收政府信息公开申请数量", 0, "4"), "一、本年新收政府信息公开申请数量", 1, "1"
    ),
    # jiangle-2024: one cell changed
    "t3.row_total__suspect=t3.granted.natural_person=1__slip-off-by-one.txt": cell(JIANGLE, "(一)予以公开", 0, "2"),
    "t3.balance__suspect=t3.new_requests.total=5__slip-off-by-one.txt": cell(
        JIANGLE, "一、本年新收政府信息公开申请数量", 6, "6"
    ),
    "t3.outcome_total__suspect=t3.total_processed.total=4__slip-extra-digit.txt": cell(JIANGLE, "(七)总计", 6, "40"),
    "t3.outcome_total__suspect=t3.unable_needs_creation.commercial_enterprise=0__slip-shifted.txt": cell(
        cell(JIANGLE, "2.没有现成信息需要另行制作", 0, "0"), "2.没有现成信息需要另行制作", 1, "1"
    ),
    "t4.block_total__nosuspect.txt": cell(JIANGLE, "行政复议", 4, "1").replace("行政复议 |", "行政复议 |", 1),
    "t2.plausibility__keys=t2.regulations.issued.txt": cell(JIANGLE, "规章", 0, "-1"),
    "t2.plausibility__keys=t2.normative_documents.in_force.txt": cell(JIANGLE, "行政规范性文件", 2, "12"),
    "values.hygiene__keys=t3.granted.natural_person.txt": cell(JIANGLE, "(一)予以公开", 0, ""),
    "values.hygiene__keys=t2.licensing.decisions.txt": cell(JIANGLE, "行政许可", 0, "/"),
    "prose.tables__keys=t3.new_requests.total.txt": sub_once(
        JIANGLE, "收到政府信息公开申请5件", "收到政府信息公开申请6件"
    ),
    "prose.tables__keys=t2.normative_documents.issued.txt": sub_once(
        JIANGLE, "新制定规范性文件17件", "新制定规范性文件18件"
    ),
    "prose.tables__keys=t4.review.total.txt": sub_once(
        JIANGLE, "未出现复议、诉讼和申诉情况", "发生行政复议2件,未出现诉讼和申诉情况"
    ),
    "prose.arithmetic__nosuspect.txt": sub_once(JIANGLE, "其他类信息40条", "其他类信息41条"),
    "form__nosuspect.txt": sub_once(
        JIANGLE, "统计起止时间为2024年1月1日至2024年12月31日", "统计起止时间为2023年1月1日至2023年12月31日"
    ),
    # last year's report of jiangle-2024, with its carry-forward not matching this year's carry-over
    "cross_year__suspect=t3.carried_over.natural_person=1__previous-year-of-jiangle-2024.txt": cell(
        cell(JIANGLE.replace("2024", "2023"), "四、结转下年度继续办理", 0, "1"), "四、结转下年度继续办理", 6, "1"
    ),
    # the HTML form of jiangle-2024
    "t3.balance__suspect=t3.carried_forward.total=1.html": re.sub(
        r"(四、结转下年度继续办理.*?)(>1</span>)(?!.*>1</span>)", r"\g<1>>2</span>", JIANGLE_HTML, count=1
    ),
    # shuyang-2025 (Markdown), larger numbers
    "t3.row_total__suspect=t3.granted.natural_person=290__slip-transposed.txt": md_row(SHUYANG, "予以公开", 0, "209"),
    "t3.balance__suspect=t3.new_requests.natural_person=705__slip-transposed.txt": md_row(
        SHUYANG, "本年新收政府信息公开申请数量", 0, "750"
    ),
    "t3.outcome_total__suspect=t3.unable_not_held.total=111__slip-dropped-digit.txt": md_row(
        SHUYANG, "本机关不掌握相关政府信息", 6, "11"
    ),
}


def main() -> None:
    for old in OUT.glob("*__*"):
        old.unlink()
    for name, text in FAULTS.items():
        (OUT / name).write_text(text, "utf-8")


if __name__ == "__main__":
    main()
