"""Scanned reports read by OCR (issue 15): the sample printed to page images and back into image-only PDFs
(tests/reports/scanned, made by make_image_pdf.py: a clean 200 dpi scan and a skewed, blurred, stamped one).

Each is read through the offline OCR and compared value by value with the same report's text PDF; a
misreading is planted in the OCR's output to show it is flagged 「识别存疑」 with the image of the cell,
and never corrected."""

from __future__ import annotations

import copy
import os
import subprocess
import sys

import pytest

import giaudit
from giaudit import pages
from giaudit.document import OCR
from giaudit.errors import UnreadableInput
from giaudit.readers import ocr
from giaudit.readers import pdf as pdf_reader

from .conftest import TESTS

SCANNED = TESTS / "reports" / "scanned"
TEXT_PDF = TESTS / "reports" / "jiangle-2024.pdf"


class _Forget(dict):
    """A cache of scans that keeps nothing: each read here goes through the (patched) OCR."""

    def __setitem__(self, key, value) -> None:
        pass


@pytest.fixture(autouse=True)
def _no_ocr_cache(monkeypatch):
    monkeypatch.setattr(pdf_reader, "_SCANNED", _Forget())


@pytest.fixture(scope="module")
def truth():
    return giaudit.read(TEXT_PDF)


@pytest.fixture(scope="module")
def pages_read(truth):
    """The OCR of each scan's pages, read once for the module (seconds a page)."""
    found = {}
    real = ocr.read_images

    def keep(images, name):
        found[name] = real(images, name)
        return copy.deepcopy(found[name])

    mp = pytest.MonkeyPatch()
    mp.setattr(ocr, "read_images", keep)
    mp.setattr(pdf_reader, "_SCANNED", _Forget())
    try:
        reports = {
            name: giaudit.read(SCANNED / name) for name in ("jiangle-2024-image.pdf", "jiangle-2024-scanlike.pdf")
        }
    finally:
        mp.undo()
    return reports, {k.rsplit("/", 1)[-1]: v for k, v in found.items()}


@pytest.mark.parametrize("name", ["jiangle-2024-image.pdf", "jiangle-2024-scanlike.pdf"])
def test_a_scanned_report_reads_as_its_text_pdf(pages_read, truth, name):
    report = pages_read[0][name]
    assert len(truth.values) == 200
    exact = [k for k, v in truth.values.items() if report.values.get(k) == v]
    assert len(exact) >= 0.99 * 200, sorted(set(truth.values) - set(exact))
    assert report.meta.agency == truth.meta.agency and report.meta.year == 2024 and report.meta.format == "2021"
    assert any("OCR" in w for w in report.warnings)
    for key in truth.values:
        loc = report.cells[key].source
        assert loc.how == OCR and loc.page >= 1 and loc.box is not None and 0 < loc.score <= 1, key
        x0, top, x1, bottom = loc.box
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842
    # the same findings as the text PDF (the prose/table disagreements), no doubtful reading, and one note:
    # table 二's readings, which no equation checks, to compare with the image by eye
    findings = giaudit.audit(report)
    found = {(f.check, f.keys) for f in findings if f.check != "ocr.doubt"}
    assert found == {(f.check, f.keys) for f in giaudit.audit(truth)}
    (note,) = findings.by_check("ocr.doubt")
    assert note.severity.value == "info" and {k.split(".")[0] for k in note.keys} == {"t2"} and len(note.keys) == 10


def _misread(content_pages, row_label: str, column: int, old: str, new: str):
    """The OCR's pages with one cell of table 三 read wrong (as an OCR engine might: 3 -> 8)."""
    content_pages = copy.deepcopy(content_pages)
    for content, _ in content_pages:
        for rows in content.tables:
            for n, (top, cells) in enumerate(rows):
                if cells and any(c and row_label in c for c in cells[:3]):
                    values = [i for i, c in enumerate(cells) if c is not None and c.strip().isdigit()]
                    assert cells[values[column]] == old
                    cells[values[column]] = new
                    rows[n] = (top, cells)
                    return content_pages
    raise AssertionError(f"no row {row_label}")


def test_an_ocr_misreading_is_flagged_with_its_image_and_not_corrected(pages_read, monkeypatch):
    original = pages_read[1]["jiangle-2024-image.pdf"]
    monkeypatch.setattr(ocr, "read_images", lambda images, name: _misread(original, "本年新收", 0, "3", "8"))
    report = giaudit.read(SCANNED / "jiangle-2024-image.pdf")
    key = "t3.new_requests.natural_person"
    assert report.values[key] == 8  # read as the OCR read it
    findings = giaudit.audit(report)
    doubt = [f for f in findings.by_check("ocr.doubt") if f.severity.value == "warning"]
    assert [(f.keys, f.suspect) for f in doubt] == [((key,), (key, 3))]
    assert "识别存疑" in doubt[0].message and "「8」" in doubt[0].message and "3" in doubt[0].message
    assert report.values[key] == 8  # never corrected
    html = pages.findings(findings, "warning", report=report).markup
    assert html.count('class="crop"') == 1 and "data:image/png;base64," in html
    png = ocr.crop_png(SCANNED / "jiangle-2024-image.pdf", report.cells[key].source.page, report.cells[key].source.box)
    assert png.startswith(b"\x89PNG") and len(png) > 200


def test_an_unsure_reading_is_doubtful_even_where_the_sums_hold(pages_read, monkeypatch):
    original = pages_read[1]["jiangle-2024-image.pdf"]

    def unsure(images, name):
        out = copy.deepcopy(original)
        for content, details in out:
            if any(c == "规章" for rows in content.tables for _, cells in rows for c in cells):
                for where, (box, _) in details.items():
                    details[where] = (box, 0.5)  # the page of table 二: unsure of every reading
                break
        return out

    monkeypatch.setattr(ocr, "read_images", unsure)
    report = giaudit.read(SCANNED / "jiangle-2024-image.pdf")
    doubt = [f for f in giaudit.audit(report).by_check("ocr.doubt") if f.severity.value == "warning"]
    assert doubt and all("置信度 50%" in f.message for f in doubt)
    assert {f.keys[0].split(".")[0] for f in doubt} >= {"t2"}


def test_without_ocr_a_scan_is_one_line_and_exit_2():
    env = {**os.environ, "GIAUDIT_OCR": "off"}
    proc = subprocess.run(
        [sys.executable, "-m", "giaudit", "parse", str(SCANNED / "jiangle-2024-image.pdf")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "jiangle-2024-image.pdf" in proc.stderr and "pip install 'giaudit[ocr]'" in proc.stderr


def test_ocr_switched_off_in_process_says_why(monkeypatch):
    monkeypatch.setenv("GIAUDIT_OCR", "off")
    with pytest.raises(UnreadableInput, match="without a text layer"):
        giaudit.read(SCANNED / "jiangle-2024-scanlike.pdf")


def _plant(content_pages, loc, new: str):
    """The OCR's pages with the cell read at ``loc`` (page; table numbered through the document; row; column)
    read as ``new``."""
    content_pages = copy.deepcopy(content_pages)
    table_no = 0
    for pno, (content, _) in enumerate(content_pages, 1):
        for rows in content.tables:
            table_no += 1
            if (pno, table_no) == (loc.page, loc.table):
                rows[loc.row - 1][1][loc.col - 1] = new
                return content_pages
    raise AssertionError(f"no cell at {loc}")


def test_a_misreading_no_single_cell_explains_flags_every_cell_of_its_equation(pages_read, monkeypatch):
    """Table 四: each cell is in one equation only, so the arithmetic cannot say which reading is wrong."""
    original = pages_read[1]["jiangle-2024-image.pdf"]
    clean = pages_read[0]["jiangle-2024-image.pdf"]
    key = "t4.review.upheld"
    assert clean.values[key] == 0
    monkeypatch.setattr(ocr, "read_images", lambda images, name: _plant(original, clean.cells[key].source, "5"))
    report = giaudit.read(SCANNED / "jiangle-2024-image.pdf")
    assert report.values[key] == 5
    findings = giaudit.audit(report)
    (doubt,) = [f for f in findings.by_check("ocr.doubt") if f.severity.value == "warning"]
    assert key in doubt.keys and "t4.review.total" in doubt.keys and doubt.suspect is None
    assert "识别存疑" in doubt.message and "相差" in doubt.message
    html = pages.findings(findings, "warning", report=report).markup
    assert html.count('class="crop"') == len(doubt.keys)


def test_a_scan_is_read_by_ocr_once_in_a_process(monkeypatch):
    monkeypatch.setattr(pdf_reader, "_SCANNED", {})
    calls = []
    real = ocr.read_images
    monkeypatch.setattr(ocr, "read_images", lambda images, name: calls.append(name) or real(images, name))
    first = giaudit.read(SCANNED / "jiangle-2024-image.pdf")
    again = giaudit.read(SCANNED / "jiangle-2024-image.pdf")  # as each section of a write-up does
    assert len(calls) == 1 and again.values == first.values
