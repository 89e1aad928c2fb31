"""PDF, Word and the 2019 format: the same Report from every form a report comes in."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

import giaudit
from giaudit.errors import UnreadableInput

from .conftest import TESTS, golden

EXPECTED = golden("jiangle-2024")["expected"]


@pytest.mark.parametrize("ext", ["html", "pdf"])
def test_pingtan_consecutive_years_cross_year_checks(ext):
    """A real pair: 平潭综合实验区 2023 and 2024 (the published pages; PDFs made from them by LibreOffice)."""
    this = giaudit.read(TESTS / "reports" / f"pingtan-2024.{ext}")
    last = giaudit.read(TESTS / "reports" / f"pingtan-2023.{ext}")
    findings = giaudit.audit(this, last)
    res = findings.results[findings.results["check"] == "cross_year"]
    carried = res[res["keys"].map(lambda k: k[0].startswith("t3.carried_over."))]
    assert len(carried) == 7 and (carried["status"] == "pass").all()  # 2023 carried forward 0 in every column
    # 行政规范性文件: 470 in force at the end of 2023, 62 issued and 33 repealed in 2024, yet 440 in force
    stock = findings.by_check("cross_year")
    assert [(f.severity.value, f.keys[0], f.expected, f.actual) for f in stock] == [
        ("warning", "t2.normative_documents.in_force", 499, 440)
    ]
    assert this.cells["t2.normative_documents.in_force"].source.table is not None


@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_sample_as_word_and_pdf_made_by_libreoffice(ext):
    report = giaudit.read(TESTS / "reports" / f"jiangle-2024.{ext}")
    assert report.values == EXPECTED
    assert report.meta.kind == ext and report.meta.agency == "将乐县人民政府办公室"
    findings = giaudit.audit(report)
    assert {(f.check, f.keys) for f in findings.errors()} == {("prose.tables", ("t2.normative_documents.repealed",))}
    loc = report.cells["t3.total_processed.total"].source
    assert loc.table is not None and loc.row is not None and loc.col is not None
    if ext == "pdf":
        assert loc.page == 4  # table 三 continues onto the next page


def _image_pdf(path: Path) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(img).rectangle((50, 50, 550, 750), outline="black")
    img.save(path, "PDF")


def test_scanned_pdf_says_it_needs_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    _image_pdf(path)
    proc = subprocess.run([sys.executable, "-m", "giaudit", "parse", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2 and "OCR" in proc.stderr and "scan.pdf" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_truncated_pdf_exits_2(tmp_path):
    data = (TESTS / "reports" / "jiangle-2024.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    proc = subprocess.run([sys.executable, "-m", "giaudit", "parse", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2 and "cut.pdf" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("module", "ext", "extra"), [("pdfplumber", "pdf", "pdf"), ("docx", "docx", "docx")])
def test_missing_extra_names_the_install(monkeypatch, module, ext, extra):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    with pytest.raises(UnreadableInput) as exc:
        giaudit.read(TESTS / "reports" / f"jiangle-2024.{ext}")
    assert f"pip install 'giaudit[{extra}]'" in exc.value.message


def _ole(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return path


def test_doc_without_libreoffice_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr("giaudit.readers.docx.libreoffice", lambda: None)
    with pytest.raises(UnreadableInput) as exc:
        giaudit.read(_ole(tmp_path / "old.doc"))
    assert "libreoffice-writer-nogui" in exc.value.message and "old.doc" in exc.value.message


def test_doc_is_converted_through_libreoffice(tmp_path, monkeypatch):
    # a stand-in for soffice: "converts" by copying the sample's .docx to <outdir>/<stem>.docx
    fake = tmp_path / "soffice"
    fake.write_text(
        "#!/bin/sh\n"
        f'for a; do last="$a"; done\nout=""; prev=""\n'
        'for a; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done\n'
        f'cp "{TESTS / "reports" / "jiangle-2024.docx"}" "$out/$(basename "${{last%.*}}").docx"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr("giaudit.readers.docx.libreoffice", lambda: str(fake))
    report = giaudit.read(_ole(tmp_path / "old.wps"))
    assert report.values == EXPECTED and report.meta.kind == "doc"


def test_2019_format_is_detected_from_the_tables_not_the_year():
    path = TESTS / "reports" / "shanghai-bangongting-2019.txt"
    report = giaudit.read(path)
    assert report.meta.format == "2019" and "t3.other_total.total" in report.values
    assert "t2.procurement.amount" in report.values and report.cells["t2.procurement.amount"].unit == "元"
    # an agency that kept the 2019 tables for a 2022 report: still read as 2019, and the audit says so
    text = path.read_text("utf-8").replace("2019年", "2022年").replace("2019 年", "2022 年")
    kept = giaudit.read(text)
    assert kept.meta.format == "2019" and kept.meta.year == 2022
    assert any("旧格式" in f.message for f in giaudit.audit(kept).by_check("form"))


def test_2019_format_audit_uses_its_own_rows():
    report = giaudit.read(TESTS / "reports" / "shanghai-bangongting-2019.txt")
    findings = giaudit.audit(report)
    outcome = [e for e in findings.results.itertuples() if e.check == "t3.outcome_total"]
    assert outcome and all("t3.other_total." in " ".join(e.keys) for e in outcome)
    assert not any("t3.other_no_fee" in k for e in outcome for k in e.keys)
