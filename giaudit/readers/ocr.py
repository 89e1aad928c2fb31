"""Scanned reports: image-only PDF pages (and page images) read by OCR into the same page content as text PDFs.

Many agencies publish a stamped, scanned PDF. Each page is rendered (pypdfium2) and read by RapidOCR, an
offline engine whose models ship inside its wheel (``pip install 'giaudit[ocr]'``); nothing is downloaded
and no network is touched. A page's ruled tables are found from the image itself — long runs of dark pixels
are the ruling lines, which become edges for pdfplumber's own table rules (as for text PDFs) — and each word
the OCR reads goes to the cell its middle falls in; the words outside the tables make the page's lines.

Every token keeps its page, table, row and column, the box it was read from (PDF points from the page's top
left) and the OCR's confidence; its ``how`` says it was read by OCR. Numbers read this way are checked by
the tables' arithmetic (``checks`` 「识别存疑」): a reading that breaks an equation the neighbouring cells
satisfy, or one the OCR was unsure of, is flagged with the image of the cell, never "corrected".
"""

from __future__ import annotations

import functools
import itertools

from ..errors import MissingDependency

SCALE = 2.0  # render at 144 dpi: RapidOCR shrinks larger pages to 2,000 px anyway
DARK = 160  # a pixel darker than this (0-255 grey) is ink
MIN_RULE = 40  # pixels: a dark run this long is a ruling line, not a stroke of a character


@functools.lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr import RapidOCR
    except ImportError:
        return None
    # the default (bundled) models only: asking for another model would download it. Its log is silenced: a
    # page without text is said by giaudit, once, not logged by the engine on stderr
    import logging

    engine = RapidOCR(params={"Global.log_level": "critical", "EngineConfig.onnxruntime.intra_op_num_threads": 1})
    logging.getLogger("RapidOCR").setLevel(logging.CRITICAL)
    return engine


def available() -> bool:
    """OCR installed (the ``ocr`` extra) and not switched off (``GIAUDIT_OCR=off``: a batch that must not spend
    seconds a page)."""
    import os

    return os.environ.get("GIAUDIT_OCR", "").lower() != "off" and _engine() is not None


def require(name: str) -> None:
    if not available():
        raise MissingDependency(name, "scanned (image-only) PDF, which needs OCR", "ocr")


def read_images(images, name: str):
    """``PageContent`` of each page image (H x W x 3 uint8 arrays, rendered at ``SCALE`` points per pixel ratio),
    and the OCR details of its cells and lines: {("cell", table, row, col) | ("line", n): (box, score)}."""
    require(name)
    return [_page(img) for img in images]


def render_pages(pdf) -> list:
    """The pages of a pypdfium2 document as RGB arrays at ``SCALE``."""
    return [pdf[i].render(scale=SCALE).to_numpy()[:, :, :3] for i in range(len(pdf))]


def _page(img):
    import numpy as np

    from ._pdfium import _find_tables
    from .pdf import PageContent

    grey = img.mean(axis=2) if img.ndim == 3 else img
    ink = grey < DARK
    edges = _rulings(ink, "h") + _rulings(ink.T, "v")
    tables = _find_tables(edges) if edges else []
    words = _words(img)
    used = np.zeros(len(words), dtype=bool)
    out_tables, details = [], {}
    for t, table in enumerate(tables):
        rows = []
        for r, row in enumerate(table.rows):
            cells = []
            for c, cell in enumerate(row.cells):
                if cell is None:
                    cells.append(None)
                    continue
                x0, top, x1, bottom = cell
                inside = [
                    n
                    for n, w in enumerate(words)
                    if not used[n] and x0 <= w[4] < x1 and top <= w[5] < bottom  # the word's middle
                ]
                used[inside] = True
                cells.append(_text([words[n] for n in inside]))
                if inside:
                    box = _union([words[n] for n in inside])
                    details["cell", t, r, c] = (box, min(words[n][6] for n in inside))
            rows.append((row.bbox[1], cells))
        out_tables.append(rows)
    lines = []
    for line in _group_lines([w for n, w in enumerate(words) if not used[n]]):
        details["line", len(lines)] = (_union(line), min(w[6] for w in line))
        lines.append((min(w[1] for w in line), _text(line)))
    return PageContent(out_tables, lines), details


def _rulings(ink, orientation: str) -> list[dict]:
    """Edges (pdfplumber's dicts, PDF points) for the long horizontal runs of ink of ``ink`` (its vertical runs,
    given the transpose, for ``orientation`` "v")."""
    import numpy as np

    from ._pdfium import _edge

    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    change = np.diff(padded, axis=1)
    rows, starts = np.nonzero(change == 1)
    _, ends = np.nonzero(change == -1)
    long = (ends - starts) >= MIN_RULE
    edges = []
    for y, a, b in zip(rows[long], starts[long], ends[long], strict=True):
        pos, lo, hi = (y + 0.5) / SCALE, a / SCALE, b / SCALE
        if orientation == "h":
            edges.append(_edge(lo, hi, pos, pos, hi - lo, 0, "h"))
        else:
            edges.append(_edge(pos, pos, lo, hi, 0, hi - lo, "v"))
    return edges


def _words(img) -> list[tuple]:
    """(text, top, x0, x1, x-middle, y-middle, confidence, bottom) of each word the OCR reads, in PDF points."""
    result = _engine()(img, return_word_box=True)
    if result.txts is None:
        return []
    words = []
    for line, line_score in zip(result.word_results, result.scores, strict=True):
        for text, score, quad in line:
            if not text.strip():
                continue
            xs, ys = [p[0] / SCALE for p in quad], [p[1] / SCALE for p in quad]
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
            words.append((text, top, x0, x1, (x0 + x1) / 2, (top + bottom) / 2, float(min(score, line_score)), bottom))
    return words


def _group_lines(words: list[tuple]) -> list[list[tuple]]:
    """Words in lines: a word joins the line whose middle it shares (within half its height), lines top down,
    words left to right."""
    lines: list[list[tuple]] = []
    for w in sorted(words, key=lambda w: w[5]):
        height = w[7] - w[1]
        if lines and abs(lines[-1][-1][5] - w[5]) <= height / 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w[2]) for line in lines]


def _text(words: list[tuple]) -> str:
    """A cell's or line's text: lines joined with a newline; within a line, a space only where the gap between
    two words is a real one (wider than half a character)."""
    out = []
    for line in _group_lines(words):
        parts = [line[0][0]]
        for prev, w in itertools.pairwise(line):
            gap = w[2] - prev[3]
            parts.append((" " if gap > (w[7] - w[1]) / 2 else "") + w[0])
        out.append("".join(parts))
    return "\n".join(out)


def _union(words: list[tuple]) -> tuple[float, float, float, float]:
    return (
        round(min(w[2] for w in words), 1),
        round(min(w[1] for w in words), 1),
        round(max(w[3] for w in words), 1),
        round(max(w[7] for w in words), 1),
    )


def crop_png(path, page: int, box: tuple[float, float, float, float], margin: float = 6.0) -> bytes:
    """The image of a box of a page (PDF points, 1-based page), a little around it, as PNG: what the reviewer
    compares a doubtful reading with."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        p = pdf[page - 1]
        width, height = p.get_size()
        x0, top, x1, bottom = box
        crop = (
            max(0, x0 - margin),
            max(0, height - bottom - margin),
            max(0, width - x1 - margin),
            max(0, top - margin),
        )
        image = p.render(scale=3, crop=crop).to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        return buf.getvalue()
    finally:
        pdf.close()
