"""The dev set: real reports in ``../shared/reports/`` that the project may not commit.

These run with ``make test-devset`` (marker ``devset``; ``make test`` deselects
them), which fails at once when the folder is absent: CI has it beside the clone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import giaudit
from giaudit import corpus

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.devset

DEVSET = ROOT.parent / "shared" / "reports"
SHARED_PDFS = sorted((DEVSET / "pdf").glob("*.pdf"))


def test_shared_real_pdfs_are_there():
    assert len(SHARED_PDFS) >= 3, f"../shared/reports/pdf not found at {DEVSET}"


@pytest.mark.parametrize("pdf", SHARED_PDFS, ids=[p.name for p in SHARED_PDFS])
def test_real_published_pdfs_read_exactly(pdf: Path):
    spec = json.loads(pdf.with_suffix(".json").read_text("utf-8"))
    report = giaudit.read(pdf)
    assert report.meta.kind == "pdf" and report.meta.format == spec["format"] and report.meta.year == spec["year"]
    assert {k: report.values.get(k) for k in spec["expected"]} == spec["expected"]
    assert {k for k, v in report.values.items() if v is not None} == set(spec["expected"])
    cell = report.cells["t3.new_requests.total"]
    assert cell.source.page is not None and cell.source.table is not None


def test_hongze_consecutive_years_cross_year_checks():
    this = giaudit.read(DEVSET / "pdf" / "hongze-2024.pdf")
    last = giaudit.read(DEVSET / "pdf" / "hongze-2023.pdf")
    findings = giaudit.audit(this, last)
    assert not [f for f in findings.by_check("cross_year") if f.severity.value == "error"]
    res = findings.results[findings.results["check"] == "cross_year"]
    assert (res["status"] == "pass").sum() >= 7  # carry-over per column holds (0 → 0)
    # hongze-2023 prints table 四 totals that do not add up: reported, with the total as the suspect
    errors = giaudit.audit(last).by_check("t4.block_total")
    assert {f.keys[0] for f in errors} == {"t4.review.total", "t4.litigation_after_review.total"}
    assert ("t4.review.total", 11) in {f.suspect for f in errors}


def test_devset_sample_is_the_bundled_sample():
    assert (DEVSET / "jiangle-2024.txt").read_bytes() == SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def hongze_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("devcorpus") / "reports"
    root.mkdir()
    for p in SHARED_PDFS:
        shutil.copy(p, root / p.name)
    shutil.copy(SAMPLE, root / SAMPLE.name)
    out = tmp_path_factory.mktemp("devout")
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "corpus", str(root), "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    return corpus.Corpus(out)


def test_corpus_reads_money_from_pdfs(hongze_corpus):
    c = hongze_corpus
    hongze = c.values[c.values["report_id"] == "hongze-2024.pdf"].set_index("key")
    assert hongze.loc["t2.fees.amount", "amount"] == 7545.0 and pd.isna(hongze.loc["t2.fees.amount", "count"])


def test_corpus_pairs_agency_names_printed_with_and_without_the_city(hongze_corpus):
    c = hongze_corpus
    cross = c.findings[c.findings["check"] == "cross_year"]
    # 洪泽区: 「洪泽区人民政府」(2023) and 「淮安市洪泽区人民政府」(2024) are one agency; its carry-over holds
    keys = c.reports.set_index("report_id")["agency_key"]
    assert keys["hongze-2023.pdf"] == keys["hongze-2024.pdf"] == "淮安市洪泽区人民政府"
    hongze = cross[cross["report_id"] == "hongze-2024.pdf"]
    assert set(hongze["previous_report_id"]) == {"hongze-2023.pdf"} and not (hongze["severity"] == "error").any()
