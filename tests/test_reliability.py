"""Bad input never crashes and never costs work: each case is refused in one line, or read safely (issue 12)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import giaudit
from giaudit import corpus
from giaudit.errors import GiauditError, UnreadableInput
from giaudit.values import parse_value

from .conftest import SAMPLE, TESTS

TEXT = SAMPLE.read_text("utf-8")


def run(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "giaudit", *map(str, args)], capture_output=True, text=True, **kw)


def one_line_exit_2(proc, *words) -> None:
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    for w in words:
        assert w in proc.stderr, proc.stderr


# ---------------------------------------------------------------- crashes that were


def _with_cell(row_label: str, column: int, new: str) -> str:
    lines = TEXT.split("\n")
    start = lines.index(f"{row_label} |")
    values = [i for i in range(start + 1, len(lines)) if lines[i].endswith(" |") and lines[i][:-2].isdigit()]
    lines[values[column]] = f"{new} |"
    return "\n".join(lines)


def test_a_number_beyond_int64_is_unreadable_not_a_crash(tmp_path):
    text = _with_cell("(一)予以公开", 0, "1" + "0" * 40)
    report = giaudit.read(text)
    cell = report.cells["t3.granted.natural_person"]
    assert cell.value is None and cell.raw == "1" + "0" * 40 and any("过大" in w for w in report.warnings)
    assert report.table3.loc["(一)予以公开"].isna().iloc[0] and len(report.tidy) == 200
    giaudit.audit(report).df  # noqa: B018
    path = tmp_path / "huge.txt"
    path.write_text(text, "utf-8")
    assert run("parse", path, "--json").returncode == 0 and run("parse", path, "--csv").returncode == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge.txt").write_text(text, "utf-8")
    (folder / "sample.txt").write_text(TEXT, "utf-8")
    stats = corpus.run(folder, tmp_path / "out", workers=1, progress=False)
    assert stats.reports == 2 and stats.errors == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("odd", b"\xff\xfe" + "报告".encode("utf-16-le") + b"\x41"),  # UTF-16 with a BOM, odd length
        ("surrogate", b"\xff\xfe" + "报告".encode("utf-16-le") + b"\x00\xd8\x41\x00" * 8),  # a lone surrogate
    ],
)
def test_damaged_utf16_without_a_suffix_exits_2(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    one_line_exit_2(run("parse", path), name, "decode")


def test_utf16_without_a_bom_is_text_not_binary(tmp_path):
    path = tmp_path / "report"
    path.write_bytes(TEXT.encode("utf-16-le"))
    assert giaudit.read(path).values["t3.new_requests.total"] == 5


def test_a_long_string_is_report_text_and_a_long_path_is_said_to_be_missing():
    with pytest.raises(GiauditError) as exc:  # not OSError: "File name too long"
        giaudit.read("第" * 400)
    assert "does not look like" in exc.value.message
    one_line_exit_2(run("parse", "/".join(["a"] * 300) + ".txt"), "no such file")


def test_a_decimal_in_a_count_cell_is_reported_and_rendered_not_a_crash():
    text = TEXT.replace("行政复议 |", "行政复议 |", 1)
    lines = text.split("\n")
    at = max(i for i, line in enumerate(lines) if line == "0 |")  # the last cell of table 四
    lines[at] = "3.5 |"
    report = giaudit.read("\n".join(lines))
    findings = giaudit.audit(report)
    assert any("不是整数" in f.message for f in findings.by_check("t2.plausibility"))
    assert report.indicators["numerator"].dtype.name in ("Int64", "Float64")


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("5²", None),  # a footnote mark: refused, not 52
        ("①", None),  # an enumerator: refused, not 1
        ("०", None),  # Devanagari zero: refused
        ("٣", None),  # Arabic-Indic three: refused
        ("𝟎", 0),  # a mathematical bold zero is a zero
        ("１２", 12),  # full-width digits are digits
        ("5\u200b", 5),  # a zero-width space after a digit is nothing
        ("\u200b", "missing"),
        ("--253", -253),  # a doubled sign reads as one (and is a warning)
    ],
)
def test_unicode_digits_and_marks(printed, value):
    parsed = parse_value(printed)
    if value is None:
        assert parsed is None
    elif value == "missing":
        assert parsed.missing
    else:
        assert parsed.number == value


def test_a_doctype_before_text_leaks_into_nothing():
    for head in ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" ">', "<?xml version='1.0'?>"):
        report = giaudit.read(f"{head}\n{TEXT}")
        assert (
            report.meta.agency == "将乐县人民政府办公室" and sum(v is not None for v in report.values.values()) == 200
        )


# ---------------------------------------------------------------- bounded time and memory


def test_repeated_rows_read_once(tmp_path):
    start, end = TEXT.index("(一)予以公开 |"), TEXT.index("(二)部分公开")
    text = TEXT[:end] + TEXT[start:end] * 5000 + TEXT[end:]
    report = giaudit.read(text)
    assert report.values["t3.granted.total"] == 3 and any("重复出现" in w for w in report.warnings)


def test_a_docx_zip_bomb_is_refused_before_inflating(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (60 * 2**20))
    path = tmp_path / "bomb.docx"
    path.write_bytes(data.getvalue())
    one_line_exit_2(run("parse", path), "bomb.docx", "expands to", "not a report")


def test_an_encrypted_pdf_says_so():
    one_line_exit_2(run("parse", TESTS / "bad" / "encrypted.pdf"), "encrypted", "password")


def test_an_absurdly_large_file_is_refused_at_once(tmp_path):
    path = tmp_path / "dump.txt"
    with open(path, "wb") as fh:
        fh.truncate(201 * 2**20)  # sparse: nothing is written
    one_line_exit_2(run("parse", path), "dump.txt", "larger than any report")


# ---------------------------------------------------------------- spreadsheets


def test_csv_cells_are_never_formulas(tmp_path):
    (tmp_path / "=evil.txt").write_text(TEXT, "utf-8")
    proc = run("parse", "=evil.txt", "--csv", cwd=tmp_path)  # its sources begin 「=evil.txt:23」
    assert proc.returncode == 0
    table = pd.read_csv(io.StringIO(proc.stdout), dtype=str)
    assert not table.apply(lambda col: col.str.startswith(("=", "+", "@"), na=False)).any().any()
    assert table["source"].str.startswith("'=evil.txt:").all()
    assert (table["count"].dropna().astype(int) >= 0).all()  # numbers stay numbers
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "=bad.txt").write_text("", "utf-8")
    (folder / "sample.txt").write_text(TEXT, "utf-8")
    corpus.run(folder, tmp_path / "out", workers=1, progress=False)
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", dtype=str)
    assert errors["path"].tolist() == ["'=bad.txt"]


# ---------------------------------------------------------------- corpus runs that are killed or collide


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """Three hundred distinct copies of the sample (a run over them takes a few seconds on one worker)."""
    root = tmp_path_factory.mktemp("many")
    for n in range(300):
        (root / f"r{n:03d}.txt").write_text(TEXT.replace("214条", f"{n + 214}条"), "utf-8")
    return root


def _start(folder: Path, out: Path, workers: int = 1) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "giaudit", "corpus", str(folder), "-o", str(out), "--quiet", "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _journal_lines(out: Path) -> int:
    """How many files the cache's index holds (committed: what a killed run leaves)."""
    found = list((out / ".cache").glob("*/index.sqlite"))
    if not found:
        return 0
    try:
        with contextlib.closing(sqlite3.connect(found[0])) as db:
            return db.execute("SELECT count(*) FROM files").fetchone()[0]
    except sqlite3.Error:  # not made yet
        return 0


def _wait(predicate, seconds: float = 60) -> None:
    end = time.time() + seconds
    while not predicate():
        assert time.time() < end, "timed out"
        time.sleep(0.05)


def test_a_killed_run_leaves_its_work_and_the_rerun_ends_as_an_uninterrupted_one(many, tmp_path):
    out = tmp_path / "killed"
    proc = _start(many, out, workers=2)
    _wait(lambda: _journal_lines(out) >= 40)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _wait(lambda: not any(Path(f"/proc/{c}").exists() for c in children), 30)  # the workers die with it
    done = _journal_lines(out)
    again = corpus.run(many, out, workers=2, progress=False)
    assert again.cached >= done >= 40 and again.reports == 300
    clean = corpus.run(many, tmp_path / "clean", workers=2, progress=False)
    assert clean.cached == 0
    a, b = corpus.Corpus(out), corpus.Corpus(tmp_path / "clean")
    pd.testing.assert_frame_equal(a.values, b.values)
    pd.testing.assert_frame_equal(a.findings, b.findings)
    assert not list(out.glob(".tmp-*"))


def test_two_runs_into_one_folder_the_second_is_refused(many, tmp_path):
    out = tmp_path / "shared"
    first = _start(many, out)
    _wait(lambda: (out / ".lock").exists() and (out / ".lock").read_text().strip() == str(first.pid))
    second = run("corpus", many, "-o", out, "--quiet")
    one_line_exit_2(second, "in use", str(first.pid))
    assert first.wait(timeout=120) == 0
    result = corpus.Corpus(out)
    assert len(result.reports) == 300 and len(result.values) == 300 * 200


def test_a_cached_rerun_loads_one_result_at_a_time(many, tmp_path, monkeypatch):
    out = tmp_path / "cached"
    corpus.run(many, out, workers=2, progress=False)
    loads = []
    real = corpus._Cache.load

    def counting(self, sha):
        loads.append(sha)
        return real(self, sha)

    monkeypatch.setattr(corpus._Cache, "load", counting)
    monkeypatch.setattr(corpus, "process_file", lambda *a: pytest.fail("a cached file was read again"))
    (out / "errors.csv").unlink()  # an output gone: every output is made again, from the cache
    stats = corpus.run(many, out, workers=1, progress=False)
    assert stats.cached == 300 and len(loads) == 300  # each loaded once, when its turn comes
    assert (out / "errors.csv").exists() and len(corpus.Corpus(out).values) == 300 * 200


def test_an_unchanged_rerun_keeps_the_outputs_and_a_changed_file_alone_is_read_again(many, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    shutil.copytree(many, folder)
    out = tmp_path / "out"
    first = corpus.run(folder, out, workers=2, progress=False)
    written = {p.name: p.stat().st_mtime_ns for p in out.glob("[!.]*")}
    loads, read = [], []
    real_load, real_process = corpus._Cache.load, corpus.process_file
    monkeypatch.setattr(corpus._Cache, "load", lambda self, sha: loads.append(sha) or real_load(self, sha))
    monkeypatch.setattr(corpus, "process_file", lambda *a: read.append(a) or real_process(*a))
    again = corpus.run(folder, out, workers=1, progress=False)
    assert (again.reports, again.errors, again.cached) == (first.reports, first.errors, 300)
    assert loads == [] and read == []  # the outputs stand as the last run wrote them
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("[!.]*")} == written
    changed = folder / "r007.txt"
    changed.write_text(changed.read_text("utf-8").replace("214条", "999条"), "utf-8")
    third = corpus.run(folder, out, workers=1, progress=False)
    assert third.cached == 299 and len(loads) == 299 and [Path(a[0]).name for a in read] == ["r007.txt"]
    values = corpus.Corpus(out).values
    assert len(values) == 300 * 200 and (values["report_id"] == "r007.txt").sum() == 200


def test_a_bad_input_in_a_batch_is_recorded_and_the_rest_go_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "sample.txt").write_text(TEXT, "utf-8")
    (folder / "bomb.docx").write_bytes(_bomb())
    (folder / "encrypted.pdf").write_bytes((TESTS / "bad" / "encrypted.pdf").read_bytes())
    stats = corpus.run(folder, tmp_path / "out", workers=1, progress=False)
    errors = corpus.Corpus(tmp_path / "out").errors.set_index("path")["reason"]
    assert stats.reports == 1 and "expands to" in errors["bomb.docx"] and "encrypted" in errors["encrypted.pdf"]


def _bomb() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (60 * 2**20))
    return data.getvalue()


def test_refusals_are_unreadable_input():
    with pytest.raises(UnreadableInput):
        giaudit.read(_bomb())
