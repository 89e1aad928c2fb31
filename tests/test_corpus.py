"""Corpus audits on real reports across agencies and years, on processes and on a local Dask cluster."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import giaudit
from giaudit import corpus

from .conftest import SAMPLE, TESTS

PREVIOUS = next((TESTS / "faults").glob("cross_year__*previous-year-of-jiangle-2024.txt"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Real reports of many agencies; 平潭 2023 and 2024 (HTML); 将乐 2023 (planted carry-over) and 2024; two bad files."""
    root = tmp_path_factory.mktemp("corpus") / "reports"
    (root / "2024").mkdir(parents=True)
    (root / "2023").mkdir()
    for p in (TESTS / "reports").glob("*.txt"):
        shutil.copy(p, root / p.name)
    shutil.copy(SAMPLE, root / "2024" / "jiangle-2024.txt")
    shutil.copy(PREVIOUS, root / "2023" / "jiangle-2023.txt")
    for p in (TESTS / "reports").glob("pingtan-*.html"):  # the .txt of these fuse their cells
        shutil.copy(p, root / p.name)
    (root / "empty.txt").write_text("")
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    return root


@pytest.fixture(scope="module")
def result(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "corpus", str(folder), "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def test_outputs_and_bad_files_recorded(folder, result):
    out, stdout = result
    c = corpus.Corpus(out)
    n_files = len(corpus.discover(folder))
    assert len(c.reports) + len(c.errors) == n_files
    errors = dict(zip(c.errors["path"], c.errors["reason"], strict=True))
    assert set(errors) == {"empty.txt", "broken.pdf"}
    assert "empty.txt" in errors["empty.txt"] and "is empty" in errors["empty.txt"]
    assert "broken.pdf" in errors["broken.pdf"]
    assert f"{len(c.reports)} 份报告已审核" in stdout


def test_values_are_tidy_and_typed(result):
    c = corpus.Corpus(result[0])
    assert list(c.values.columns) == corpus.VALUE_FIELDS
    assert str(c.values["count"].dtype) == "Int64" and str(c.values["amount"].dtype) == "Float64"
    sample = c.values[c.values["report_id"] == "2024/jiangle-2024.txt"].set_index("key")
    assert len(sample) == 200 and sample.loc["t2.normative_documents.repealed", "count"] == 4
    assert sample.loc["t2.normative_documents.repealed", "source"] == "2024/jiangle-2024.txt:23"


def test_findings_and_summaries(result):
    c = corpus.Corpus(result[0])
    mine = c.findings[c.findings["report_id"] == "2024/jiangle-2024.txt"]
    errors = mine[mine["severity"] == "error"]
    assert set(errors["check"]) == {"prose.tables", "cross_year"}
    summary = c.reports.set_index("report_id").loc["2024/jiangle-2024.txt"]
    assert summary["values_found"] == 200 and summary["disclosure_rate"] == pytest.approx(0.75)
    assert c.reports["year"].dtype == "Int64"


def test_consecutive_years_of_one_agency_are_checked(result):
    c = corpus.Corpus(result[0])
    cross = c.findings[c.findings["check"] == "cross_year"]
    planted = cross[(cross["report_id"] == "2024/jiangle-2024.txt") & (cross["severity"] == "error")]
    assert set(planted["previous_report_id"]) == {"2023/jiangle-2023.txt"}
    assert {"t3.carried_over.natural_person", "t3.carried_over.total"} == set(planted["suspect_key"])
    # 平潭: the real pair, as published pages; its carry-over holds, its documents in force do not carry over (a warning)
    keys = c.reports.set_index("report_id")["agency_key"]
    assert keys["pingtan-2023.html"] == keys["pingtan-2024.html"]
    pingtan = cross[cross["report_id"] == "pingtan-2024.html"]
    assert set(pingtan["previous_report_id"]) == {"pingtan-2023.html"}
    assert pingtan["severity"].tolist() == ["warning"] and pingtan["suspect_key"].isna().all()


def test_rerun_skips_unchanged_files_and_sees_changed_ones(folder, tmp_path):
    out = tmp_path / "out"
    first = corpus.run(folder, out, workers=2, progress=False)
    before = corpus.Corpus(out)
    again = corpus.run(folder, out, workers=2, progress=False)
    assert again.cached == first.files and again.reports == first.reports
    pd.testing.assert_frame_equal(corpus.Corpus(out).values, before.values)
    changed = folder / "changed.txt"
    changed.write_text(SAMPLE.read_text("utf-8").replace("行政规范性文件 |\n17 |", "行政规范性文件 |\n18 |"), "utf-8")
    try:
        third = corpus.run(folder, out, workers=2, progress=False)
        assert third.cached == first.files and third.reports == first.reports + 1
        values = corpus.Corpus(out).values
        row = values[(values["report_id"] == "changed.txt") & (values["key"] == "t2.normative_documents.issued")]
        assert row["count"].tolist() == [18]
    finally:
        changed.unlink()


def test_a_crash_leaves_the_previous_outputs_whole(folder, tmp_path, monkeypatch):
    out = tmp_path / "out"
    corpus.run(folder, out, workers=1, progress=False)
    before = (out / "values.parquet").read_bytes()
    shutil.rmtree(out / ".cache")
    calls = {"n": 0}
    real = corpus.process_file

    def dies(path, name=None):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return real(path, name)

    monkeypatch.setattr(corpus, "process_file", dies)
    with pytest.raises(KeyboardInterrupt):
        corpus.run(folder, out, workers=1, progress=False)
    assert (out / "values.parquet").read_bytes() == before


def test_agency_names_and_mapping(tmp_path):
    assert corpus.normalize_agency("标题:将乐县政府办") == "将乐县人民政府办公室"
    assert corpus.normalize_agency(" 沭阳县 政府 ") == "沭阳县人民政府"
    keys = corpus.agency_keys(
        ["洪泽区人民政府", "淮安市洪泽区人民政府", "鼓楼区人民政府", "南京市鼓楼区人民政府", "福州市鼓楼区人民政府"]
    )
    assert keys["洪泽区人民政府"] == "淮安市洪泽区人民政府"
    assert keys["鼓楼区人民政府"] == "鼓楼区人民政府"  # two cities have a 鼓楼区: not merged
    mapping = tmp_path / "map.csv"
    mapping.write_text("name,agency\n沐阳县人民政府,沭阳县人民政府\n", "utf-8")
    assert corpus.agency_keys(["沐阳县人民政府"], corpus.read_agency_map(mapping)) == {
        "沐阳县人民政府": "沭阳县人民政府"
    }


def test_read_corpus_in_python(folder, tmp_path):
    c = giaudit.read_corpus(folder, tmp_path / "o", workers=2, progress=False)
    assert len(c.reports) == len(corpus.discover(folder)) - 2 and "Corpus" in repr(c)  # all but the two bad files
    assert len(giaudit.read_corpus(tmp_path / "o").reports) == len(c.reports)  # an output folder loads as it is


def test_on_a_local_dask_cluster(folder, tmp_path):
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "giaudit",
                "corpus",
                str(folder),
                "-o",
                str(tmp_path / "d"),
                "--scheduler",
                cluster.scheduler_address,
                "--quiet",
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
    assert proc.returncode == 0, proc.stderr
    local = corpus.run(folder, tmp_path / "p", workers=2, progress=False)
    a, b = corpus.Corpus(tmp_path / "d"), corpus.Corpus(tmp_path / "p")
    assert len(a.reports) == local.reports
    pd.testing.assert_frame_equal(a.values, b.values)
    pd.testing.assert_frame_equal(a.findings, b.findings)


def test_dask_results_come_in_file_order_across_many_chunks(folder, monkeypatch):
    import distributed

    monkeypatch.setattr(corpus, "BATCH", 4)  # many chunks, several tasks a chunk, a short last task
    monkeypatch.setattr(corpus, "PER_TASK", 3)
    paths = [str(p) for p in corpus.discover(folder)] * 3
    names = [f"{n}-{p}" for n, p in enumerate(paths)]
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as client:
        got = [corpus._decode(blob) for blob in corpus._dask_map(paths, names, client)]
    assert len(paths) > 4 * corpus.BATCH and len(got) == len(paths)
    assert [r.sha256 for r in got] == [corpus.process_file(p, n).sha256 for p, n in zip(paths, names, strict=True)]
    assert sum(r.error is not None for r in got) == 6  # the two bad files, three times each, recorded in place


def test_corpus_bad_folder_exits_2(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "corpus", str(tmp_path / "none"), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "is not a folder" in proc.stderr
    (tmp_path / "empty").mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "corpus", str(tmp_path / "empty"), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "no report files" in proc.stderr


def test_corpus_writeup(result, tmp_path):
    import lxml.html

    out, _ = result
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "render", "--corpus", str(out), "-o", str(tmp_path), "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    doc = lxml.html.fromstring((tmp_path / "corpus-audit.html").read_text("utf-8"))
    text = doc.text_content()
    assert "政府信息公开工作年度报告汇总审核" in doc.findtext(".//title")
    for heading in ("申请量排行与公开率", "最常见的审核发现", "同一单位相邻年度", "无法读取的文件"):
        assert heading in text
    assert "平潭" in text and "2023→2024" in text and "empty.txt" in text
    assert len(doc.xpath("//img")) >= 3 and not doc.xpath("//script")


def test_render_needs_a_file_or_a_corpus():
    proc = subprocess.run([sys.executable, "-m", "giaudit", "render"], capture_output=True, text=True)
    assert proc.returncode == 2 and "--corpus" in proc.stderr
