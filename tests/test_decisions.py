"""A reviewer's decisions (issue 15): fingerprints that survive re-runs and forms, decisions that persist,
stale decisions said, and the pre-publication check (--fail-on)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

import giaudit
from giaudit import corpus, decisions
from giaudit.errors import UnreadableInput

from .conftest import SAMPLE, TESTS

REPEALED = ("prose.tables", ("t2.normative_documents.repealed",))  # the sample's real error
CARRIED = ("prose.tables", ("t3.carried_forward.total",))  # and its real warning


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "giaudit", *map(str, args)], capture_output=True, text=True, encoding="utf-8", cwd=cwd
    )


def _by_check(findings) -> dict:
    return {(f.check, f.keys): f for f in findings}


def _corrected(tmp_path):
    """The sample as its agency would correct it: the prose's repealed count made the table's (13 -> 4)."""
    text = SAMPLE.read_text("utf-8")
    assert "废止或宣布失效规范性文件13件" in text
    path = tmp_path / "jiangle-2024-corrected.txt"
    path.write_text(text.replace("废止或宣布失效规范性文件13件", "废止或宣布失效规范性文件4件"), "utf-8")
    return path


def test_fingerprints_do_not_depend_on_the_file_its_form_or_a_rerun(tmp_path):
    moved = tmp_path / "elsewhere" / "renamed.txt"
    moved.parent.mkdir()
    shutil.copy(SAMPLE, moved)
    forms = [SAMPLE, moved, *(TESTS / "reports" / f"jiangle-2024.{ext}" for ext in ("html", "pdf", "docx"))]
    prints = []
    for path in forms:
        found = _by_check(giaudit.audit(giaudit.read(path)))
        prints.append((found[REPEALED].fingerprint, found[CARRIED].fingerprint))
    assert len(set(prints)) == 1, prints
    error, warning = prints[0]
    assert error != warning and len(error) == 16 and int(error, 16) >= 0
    # another agency's same finding is another finding
    other = tmp_path / "other.txt"
    other.write_text(SAMPLE.read_text("utf-8").replace("将乐", "泰宁"), "utf-8")
    assert giaudit.read(other).meta.agency == "泰宁县人民政府办公室"
    assert _by_check(giaudit.audit(giaudit.read(other)))[REPEALED].fingerprint != error


def test_a_dismissed_finding_stays_visible_and_stops_counting(tmp_path):
    sheet = tmp_path / "decisions.csv"
    found = _by_check(giaudit.audit(giaudit.read(SAMPLE)))
    note = "=正文含已宣布失效的文件,口径不同"  # a would-be formula: stored inert, read back as written
    decisions.decide(sheet, found[REPEALED].fingerprint, "dismissed", note=note, reviewer="张三")
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["note"] == "'" + note and row["decision"] == "dismissed" and row["reviewer"] == "张三"

    again = giaudit.audit(giaudit.read(SAMPLE), decisions=sheet)
    repealed = _by_check(again)[REPEALED]
    assert (repealed.decision, repealed.decision_note, repealed.open) == ("dismissed", note, False)
    assert again.counts() == {"error": 1, "warning": 1, "info": 1}  # still listed
    assert again.counts(open_only=True) == {"error": 0, "warning": 1, "info": 1}  # no longer counted
    assert not again.fails("error") and again.fails("warning")
    df = again.df.set_index("fingerprint")
    assert df.loc[repealed.fingerprint, "decision"] == "dismissed"
    assert again.to_dict()["findings"][0]["decision"] in ("dismissed", None)


def test_decisions_that_still_apply_survive_a_correction_and_the_gone_one_is_stale(tmp_path):
    sheet = tmp_path / "decisions.csv"
    found = _by_check(giaudit.audit(giaudit.read(SAMPLE)))
    label = decisions.report_label(giaudit.read(SAMPLE).meta.to_dict())
    decisions.decide(sheet, found[REPEALED].fingerprint, "confirmed", report=label, finding=found[REPEALED])
    decisions.decide(sheet, found[CARRIED].fingerprint, "dismissed", note="结转的1件为次年1月收到", report=label)
    fixed = giaudit.audit(giaudit.read(_corrected(tmp_path)), decisions=sheet)
    assert REPEALED not in _by_check(fixed)  # the agency corrected it
    assert _by_check(fixed)[CARRIED].decision == "dismissed"  # the other decision still applies
    assert [d.fingerprint for d in fixed.stale] == [found[REPEALED].fingerprint]
    assert fixed.to_dict()["stale_decisions"][0]["check"] == "prose.tables"


def test_fail_on_is_the_pre_publication_check(tmp_path):
    draft = _corrected(tmp_path)  # the error corrected, the warning left
    assert _cli("audit", draft, "--fail-on", "error").returncode == 0
    proc = _cli("audit", draft, "--fail-on", "warning")
    assert proc.returncode == 1 and "仍有未排除的警示或错误" in proc.stdout
    assert _cli("audit", SAMPLE, "--fail-on", "error").returncode == 1
    warning = _by_check(giaudit.audit(giaudit.read(draft)))[CARRIED].fingerprint
    sheet = tmp_path / "d.csv"
    decided = _cli("decide", warning, "dismissed", "--decisions", sheet, "--note", "已核实", "--report", draft)
    assert decided.returncode == 0, decided.stderr
    proc = _cli("audit", draft, "--fail-on", "warning", "--decisions", sheet)
    assert proc.returncode == 0 and "[已排除]" in proc.stdout and "审核说明: 已核实" in proc.stdout
    assert _cli("audit", draft, "--fail-on", "warning", "--decisions", sheet, "--json").returncode == 0
    # 2 stays for what cannot be read
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    assert _cli("audit", bad, "--fail-on", "error").returncode == 2


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("fingerprint,decision\nabc,maybe\n", "line 2"),
        ("a,b\n1,2\n", "not a decisions file"),
        (None, "no such decisions file"),
    ],
)
def test_a_bad_decisions_file_is_one_line_and_exit_2(tmp_path, content, why):
    sheet = tmp_path / "d.csv"
    if content is not None:
        sheet.write_text(content, "utf-8")
    with pytest.raises(UnreadableInput, match=why):
        decisions.read(sheet)
    proc = _cli("audit", SAMPLE, "--decisions", sheet)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and str(sheet) in proc.stderr and why in proc.stderr


def test_a_decisions_file_saved_by_a_chinese_spreadsheet_reads(tmp_path):
    sheet = tmp_path / "d.csv"
    sheet.write_bytes("fingerprint,decision,note\nabc,dismissed,口径不同\n".encode("gb18030"))
    assert decisions.read(sheet)["abc"].note == "口径不同"


def test_corpus_applies_decisions_counts_open_findings_and_names_stale_ones(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "jiangle-2024.txt")
    found = _by_check(giaudit.audit(giaudit.read(SAMPLE)))
    sheet = tmp_path / "d.csv"
    decisions.decide(sheet, found[REPEALED].fingerprint, "dismissed", note="口径不同")
    decisions.decide(sheet, "0123456789abcdef", "confirmed")  # no such finding anywhere
    stats = corpus.run(folder, tmp_path / "out", progress=False, workers=1, decisions=sheet)
    assert [d.fingerprint for d in stats.stale] == ["0123456789abcdef"]
    rows = pq.read_table(tmp_path / "out" / "findings.parquet").to_pylist()
    decided = {r["fingerprint"]: r["decision"] for r in rows}
    assert decided[found[REPEALED].fingerprint] == "dismissed" and decided[found[CARRIED].fingerprint] is None
    report = pq.read_table(tmp_path / "out" / "reports.parquet").to_pylist()[0]
    assert (report["errors"], report["warnings"], report["dismissed"]) == (0, 1, 1)
    proc = _cli("corpus", folder, "-o", tmp_path / "out2", "--quiet", "--decisions", sheet)
    assert proc.returncode == 0 and "0123456789abcdef" in proc.stderr and "过期决定" in proc.stderr


def test_the_write_up_shows_decisions_and_counts_open_findings(tmp_path):
    sheet = tmp_path / "d.csv"
    found = _by_check(giaudit.audit(giaudit.read(SAMPLE)))
    decisions.decide(sheet, found[REPEALED].fingerprint, "dismissed", note="<b>口径</b>不同")
    from giaudit.render import render

    page = render(SAMPLE, out_dir=tmp_path, progress=False, decisions=sheet).read_text("utf-8")
    assert "已排除" in page and "&lt;b&gt;口径&lt;/b&gt;不同" in page and "<b>口径" not in page
    assert "错误 0 · 警示 1" in page and "另有 1 条已由审核人排除" in page
    assert found[REPEALED].fingerprint in page


def test_the_explorer_buttons_write_decisions_that_the_next_run_applies(tmp_path):
    from giaudit import explore

    sheet = tmp_path / "decisions.csv"
    e = explore.explorer(SAMPLE, decisions=sheet)
    e.reviewer.value = "李四"
    assert e.view.value == "findings" and len(e.rows) == 3 and not sheet.exists()
    row = next(r for r in e.rows if (r.finding.check, r.finding.keys) == REPEALED)
    row.note.value = "口径不同"
    row.buttons[1].click()  # 排除
    decided = decisions.read(sheet)
    (d,) = decided.values()
    assert (d.decision, d.note, d.reviewer, d.check) == ("dismissed", "口径不同", "李四", "prose.tables")
    assert "已排除" in next(r for r in e.rows if r.finding.fingerprint == d.fingerprint).label.value
    assert giaudit.audit(giaudit.read(SAMPLE), decisions=sheet).counts(open_only=True)["error"] == 0
    next(r for r in e.rows if r.finding.fingerprint == d.fingerprint).buttons[2].click()  # 撤回
    assert decisions.read(sheet) == {}
