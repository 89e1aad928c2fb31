"""The two PDF paths: pdfium (fast, the default) and pdfplumber give the same tokens, token for token."""

from __future__ import annotations

import dataclasses
import io

import pytest

import giaudit
import giaudit.readers._pdfium as fast
from giaudit.errors import UnreadableInput
from giaudit.readers.pdf import read_pdf

from .conftest import ROOT, TESTS

REPO_PDFS = [TESTS / "reports" / f"{stem}.pdf" for stem in ("jiangle-2024", "pingtan-2023", "pingtan-2024")]
SHARED_PDFS = sorted((ROOT.parent / "shared" / "reports" / "pdf").glob("*.pdf"))  # devset tests only


def _tokens(path, engine: str) -> list[tuple]:
    doc = read_pdf(path.read_bytes(), path.name, engine=engine)
    return [(t.text, t.kind, dataclasses.astuple(t.loc)) for t in doc.tokens]


def _same_tokens(path) -> None:
    plumber = _tokens(path, "pdfplumber")
    assert len(plumber) > 300  # a whole report, tables and all
    assert _tokens(path, "fast") == plumber


def _every_page_fast(path) -> None:
    """No page of this file falls back to pdfplumber: the comparison above tests the fast path itself."""
    reader = fast.FastReader(path.read_bytes())
    try:
        pages = [reader.page(i) for i in range(len(reader))]
    finally:
        reader.close()
    rows = sum(len(rows) for p in pages for rows in p.tables)
    assert sum(len(p.tables) for p in pages) >= 5 and rows + sum(len(p.lines) for p in pages) > 80


@pytest.mark.parametrize("path", REPO_PDFS, ids=[p.name for p in REPO_PDFS])
def test_fast_path_gives_pdfplumbers_tokens(path):
    _same_tokens(path)
    _every_page_fast(path)


@pytest.mark.devset
@pytest.mark.parametrize("path", SHARED_PDFS, ids=[p.name for p in SHARED_PDFS])
def test_fast_path_gives_pdfplumbers_tokens_on_published_pdfs(path):
    _same_tokens(path)
    _every_page_fast(path)


def _count_fast_pages(monkeypatch) -> list[int]:
    calls: list[int] = []
    page = fast.FastReader.page

    def counting(self, index):
        calls.append(index)
        return page(self, index)

    monkeypatch.setattr(fast.FastReader, "page", counting)
    return calls


def test_giaudit_read_takes_the_fast_path_by_default(monkeypatch):
    monkeypatch.delenv("GIAUDIT_PDF", raising=False)
    calls = _count_fast_pages(monkeypatch)
    report = giaudit.read(REPO_PDFS[0])
    assert calls == [0, 1, 2, 3, 4] and report.meta.kind == "pdf"


def test_environment_forces_pdfplumber(monkeypatch):
    monkeypatch.setenv("GIAUDIT_PDF", "pdfplumber")
    calls = _count_fast_pages(monkeypatch)
    giaudit.read(REPO_PDFS[0])
    assert calls == []


def test_a_page_the_fast_path_refuses_is_read_by_pdfplumber(monkeypatch):
    page = fast.FastReader.page

    def refuse_page_two(self, index):
        if index == 1:
            raise fast.Unsupported("test")
        return page(self, index)

    monkeypatch.setattr(fast.FastReader, "page", refuse_page_two)
    path = REPO_PDFS[0]
    assert _tokens(path, "fast") == _tokens(path, "pdfplumber")


def _error(data: bytes, engine: str) -> str:
    with pytest.raises(UnreadableInput) as exc:
        read_pdf(data, "x.pdf", engine=engine)
    return exc.value.message


def _scan() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, "PDF")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: (TESTS / "bad" / "encrypted.pdf").read_bytes(), id="encrypted"),
        pytest.param(_scan, id="scan"),
        pytest.param(lambda: REPO_PDFS[0].read_bytes()[: REPO_PDFS[0].stat().st_size // 3], id="truncated"),
        pytest.param(lambda: b"%PDF-1.7\n" + bytes(range(256)) * 4, id="garbage"),
    ],
)
def test_unreadable_pdfs_fail_the_same_way_on_both_paths(data):
    data = data()
    assert _error(data, "fast") == _error(data, "pdfplumber")
