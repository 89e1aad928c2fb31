"""The fast PDF path: pdfium reads the page, pdfplumber's own rules make the tables and lines.

pdfplumber spends nearly all its time interpreting the content stream in
Python (pdfminer). Here pdfium (C++, through pypdfium2) gives the characters
and the painted paths, and this module rebuilds from them exactly what
pdfplumber would have seen:

- characters with pdfminer's box: x0 is the glyph origin, x1 the origin plus
  the advance width, and top/bottom come from the font size and the font
  descriptor's /Descent read the way pdfminer reads it (pdfium substitutes the
  font file's metrics when a descriptor says 0, pdfminer does not);
- lines, rectangles and curves classified the way pdfminer classifies a path,
  from the path's own points and matrix, each float32 coordinate turned back
  into the short decimal written in the file, so that the arithmetic is
  pdfminer's arithmetic;
- tables found by pdfplumber's own functions (``pdfplumber.table``) with the
  settings ``page.find_tables()`` uses, cell text and text lines grouped with
  the rules of ``pdfplumber.utils.text`` (lines clustered by top within 3 pt,
  words split at white space or a gap over 3 pt, lines of words clustered
  again).

pdfium's text layer is made for selecting text, not for layout, so where it
departs from the content stream this module does not guess. ``Unsupported``
sends a page (or the whole file) to pdfplumber. It is raised for

- the whole file: pdfium cannot open it or had to rebuild its cross-reference
  table (broken, truncated or encrypted files keep pdfplumber's errors), the
  page counts of pdfium and pdfminer differ, or the file has no text at all
  (pdfplumber then decides: a scan needs OCR);
- a page: a rotated page or a media box not at the origin; form XObjects
  (nested drawing whose matrices this module does not compose); a character
  that is not upright, has no Unicode mapping, or was turned into a
  line-end hyphen by pdfium; text in marked content with /ActualText (pdfium
  reads that instead of the glyphs); a text object pdfium left out of its
  text layer although it has width (pdfium drops text drawn twice for "fake
  bold", pdfminer does not); a font pdfminer measures differently (Type3, the
  standard 14 fonts whose metrics pdfminer takes from its own tables,
  vertical writing with /W2 metrics or more than one character in a text
  object) or two fonts of one name that pdfminer measures differently; a
  path that does not start with a move; a table that reaches outside the
  page (pdfplumber refuses to crop there).

A text object pdfium leaves out because it has no width at all holds only
blank glyphs (runs of spaces); it stands in as one space, which is all
pdfplumber makes of it (a space ends a word and is never text).

Known limits, not detected: pdfium also drops a single character repeated
within 0.07 em of itself (overprinted "bold"), treats the obsolete fill
operator F as a fill (pdfminer ignores it) and may apply text rise or
horizontal scaling differently; none occurs in the reports this was checked
on (the Word, WPS-like and LibreOffice exports in tests/reports and the dev
set), and tests/test_pdf_paths.py compares both paths token for token.
"""

from __future__ import annotations

import bisect
import ctypes
import io
import itertools
import struct
import threading
from operator import itemgetter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pdf import PageContent

X_TOLERANCE = 3  # pdfplumber's defaults for words and lines
Y_TOLERANCE = 3
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_BLANK_OBJECT = 0.01  # pdfium skips text objects narrower than this (kSizeEpsilon)
LOCK = threading.Lock()  # pdfium must not be called from two threads at once: hold this around a FastReader


class Unsupported(Exception):
    """The fast path cannot reproduce pdfplumber here: read this page (or file) with pdfplumber."""


# A character as pdfplumber has it: (text, x0, x1, top, bottom); plain tuples, there are thousands a page.
Char = tuple[str, float, float, float, float]
TEXT, X0, X1, TOP, BOTTOM = range(5)


def _function(name: str, restype, *argtypes):
    """pdfium's ``name`` with plain ctypes types (handles as ints), so that calls are cheap and handles hashable."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_P, _I, _D, _F = ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_float
_PD, _PF = ctypes.POINTER(_D), ctypes.POINTER(_F)
_count_objects = _function("FPDFPage_CountObjects", _I, _P)
_get_object = _function("FPDFPage_GetObject", _P, _P, _I)
_object_type = _function("FPDFPageObj_GetType", _I, _P)
_object_matrix = _function("FPDFPageObj_GetMatrix", _I, _P, ctypes.POINTER(pdfium_c.FS_MATRIX))
_object_bounds = _function("FPDFPageObj_GetBounds", _I, _P, _PF, _PF, _PF, _PF)
_count_segments = _function("FPDFPath_CountSegments", _I, _P)
_get_segment = _function("FPDFPath_GetPathSegment", _P, _P, _I)
_segment_point = _function("FPDFPathSegment_GetPoint", _I, _P, _PF, _PF)
_segment_type = _function("FPDFPathSegment_GetType", _I, _P)
_segment_close = _function("FPDFPathSegment_GetClose", _I, _P)
_text_font = _function("FPDFTextObj_GetFont", _P, _P)
_text_font_size = _function("FPDFTextObj_GetFontSize", _I, _P, _PF)
_font_name = _function("FPDFFont_GetBaseFontName", ctypes.c_size_t, _P, ctypes.c_char_p, ctypes.c_size_t)
_glyph_width = _function("FPDFFont_GetGlyphWidth", _I, _P, ctypes.c_uint32, _F, _PF)
_load_text_page = _function("FPDFText_LoadPage", _P, _P)
_close_text_page = _function("FPDFText_ClosePage", None, _P)
_count_chars = _function("FPDFText_CountChars", _I, _P)
_char_unicode = _function("FPDFText_GetUnicode", ctypes.c_uint, _P, _I)
_get_text = _function("FPDFText_GetText", _I, _P, _I, _I, ctypes.c_char_p)
_char_generated = _function("FPDFText_IsGenerated", _I, _P, _I)
_char_unmapped = _function("FPDFText_HasUnicodeMapError", _I, _P, _I)
_char_origin = _function("FPDFText_GetCharOrigin", _I, _P, _I, _PD, _PD)
_char_object = _function("FPDFText_GetTextObject", _P, _P, _I)
_valid_xref = _function("FPDF_DocumentHasValidCrossReferenceTable", _I, _P)
_count_marks = _function("FPDFPageObj_CountMarks", _I, _P)
_get_mark = _function("FPDFPageObj_GetMark", _P, _P, ctypes.c_ulong)
_mark_param_type = _function("FPDFPageObjMark_GetParamValueType", _I, _P, ctypes.c_char_p)

_TEXT, _PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
_MOVE, _LINE, _BEZIER = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
_FLOAT32 = struct.Struct("f")


class _Decimals(dict):
    """float32 value -> the shortest decimal that is that float32: the number as the file wrote it."""

    def __missing__(self, value: float) -> float:
        packed = _FLOAT32.pack(value)
        for digits in (6, 7, 8, 9):
            short = float(f"{value:.{digits}g}")
            if _FLOAT32.pack(short) == packed:
                break
        self[value] = short
        return short


class FastReader:
    """One PDF opened for the fast path; ``page(i)`` reads page i or raises ``Unsupported``."""

    def __init__(self, data: bytes) -> None:
        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise Unsupported("pdfium cannot open the file") from exc
        if not _valid_xref(self._handle(self._pdf)):
            self.close()
            raise Unsupported("the cross-reference table is broken")
        try:
            self._pages = _pdfminer_pages(data)
        except Exception as exc:  # pdfminer raises many kinds for a file it cannot parse
            self.close()
            raise Unsupported("pdfminer cannot parse the page tree") from exc
        if len(self._pages) != len(self._pdf):
            self.close()
            raise Unsupported("pdfium and pdfminer count the pages differently")
        self._decimals = _Decimals()
        self._widths: dict[int, dict[str, float]] = {}  # font -> character -> advance
        self._matrix, self._size = pdfium_c.FS_MATRIX(), _F()  # buffers for pdfium's answers
        self._font_names: dict[int, bytes] = {}
        self.text_seen = False  # any text object on the pages read so far

    @staticmethod
    def _handle(obj) -> int:
        return ctypes.cast(obj.raw, ctypes.c_void_p).value

    def __len__(self) -> int:
        return len(self._pages)

    def close(self) -> None:
        self._pdf.close()

    def page(self, index: int) -> PageContent:
        size, fonts = self._pages[index]
        if size is None:
            raise Unsupported("a rotated page, or a media box not at the origin")
        width, height = size
        page = self._pdf[index]
        try:
            handle = self._handle(page)
            texts, lines, rects, curves = self._objects(handle)
            if texts:
                self.text_seen = True
            chars = self._chars(handle, height, texts, fonts)
        finally:
            page.close()
        return _layout(chars, _edges(lines, rects, curves, height), bool(lines or rects), (0, 0, width, height))

    # -- drawing ---------------------------------------------------------------------------------

    def _objects(self, page: int) -> tuple[set[int], list, list, list]:
        """The page's text objects, and its lines, rectangles and curves as pdfminer makes them."""
        texts: set[int] = set()
        lines: list[tuple] = []
        rects: list[tuple] = []
        curves: list[list] = []
        matrix = pdfium_c.FS_MATRIX()
        for i in range(_count_objects(page)):
            obj = _get_object(page, i)
            kind = _object_type(obj)
            if kind == _TEXT:
                texts.add(obj)
            elif kind == _PATH:
                if not _object_matrix(obj, matrix):
                    raise Unsupported("a path without a matrix")
                self._path(obj, matrix, lines, rects, curves)
            elif kind == _FORM:
                raise Unsupported("form XObject")
        return texts, lines, rects, curves

    def _path(self, obj: int, m, lines: list, rects: list, curves: list) -> None:
        """Classify a painted path as pdfminer's ``paint_path`` does: one line, rectangle or curve per subpath."""
        dec = self._decimals
        a, b, c, d, e, f = (dec[m.a], dec[m.b], dec[m.c], dec[m.d], dec[m.e], dec[m.f])
        x, y = _F(), _F()
        subpaths: list[tuple[str, list]] = []
        shape, pts = "", []
        bezier = 0
        for i in range(_count_segments(obj)):
            seg = _get_segment(obj, i)
            kind = _segment_type(seg)
            _segment_point(seg, x, y)
            px, py = dec[x.value], dec[y.value]
            pt = (a * px + c * py + e, b * px + d * py + f)  # pdfminer's apply_matrix_pt
            if kind == _MOVE:
                if shape:
                    subpaths.append((shape, pts))
                shape, pts = "m", [pt]
                continue
            if not shape:
                raise Unsupported("a path that does not start with a move")
            if kind == _BEZIER:
                bezier += 1
                if bezier % 3:
                    continue  # control points: pdfminer keeps only a curve's end point
                shape += "c"
            elif kind == _LINE:
                shape += "l"
            else:
                raise Unsupported("a path segment of unknown type")
            pts.append(pt)
            if _segment_close(seg):
                # pdfium turns "h" into a line back to the start (or marks the segment that got there)
                if shape[-1] == "l" and pt == pts[0]:
                    shape, pts = shape[:-1], pts[:-1]
                shape += "h"
                pts.append(pts[0])
        if shape:
            subpaths.append((shape, pts))
        for shape, pts in subpaths:
            if len(shape) == 1:
                continue  # a lone move: pdfminer drops it (or makes a curve without edges)
            if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
                shape, pts = shape[:-2] + "h", pts[:-1]
            if shape in ("mlh", "ml"):
                lines.append(_bound(pts[:2]))
            elif shape in ("mlllh", "mllll"):
                (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
                square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                    y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
                )
                if pts[0] == pts[4] and square:
                    rects.append(_bound([pts[0], pts[2]]))
                else:
                    curves.append(pts)
            else:
                curves.append(pts)

    # -- text ------------------------------------------------------------------------------------

    def _chars(self, page: int, height: float, texts: set[int], fonts: dict) -> list[Char]:
        """The page's characters as pdfminer makes them, in pdfium's order."""
        tp = _load_text_page(page)
        if not tp:
            raise Unsupported("pdfium has no text layer for the page")
        try:
            return self._read_chars(tp, height, texts, fonts)
        finally:
            _close_text_page(tp)

    def _read_chars(self, tp: int, height: float, texts: set[int], fonts: dict) -> list[Char]:
        dec = self._decimals
        objects: dict[int, tuple] = {}  # text object -> what its characters share (see _text_object)
        vertical: dict[int, int] = {}  # text object in vertical writing -> its characters
        chars: list[Char] = []
        x, y = _D(), _D()
        count = _count_chars(tp)
        text = _page_text(tp, count)
        generated, unmapped, text_object, origin = _char_generated, _char_unmapped, _char_object, _char_origin
        append = chars.append
        last = None
        for i in range(count):
            ch = text[i]
            if ch in " \r\n" and generated(tp, i):
                continue
            if unmapped(tp, i) or ch in "\x00\x02\ufffe":
                raise Unsupported("a character without Unicode, or a hyphen pdfium rewrote")
            obj = text_object(tp, i)
            if obj != last:
                info = objects.get(obj)
                if info is None:
                    _no_actual_text(obj)
                    info = objects[obj] = self._text_object(obj, fonts)
                font, widths, a, size, y0_off, y1_off = info
                last = obj
            width = widths.get(ch)
            if width is None:
                width = widths[ch] = _glyph_width_of(font, ch)
            if width < 0:  # pdfium gives the vertical advance of a font in vertical writing
                vertical[obj] = vertical.get(obj, 0) + 1
                append(_vertical_char(ch, self._vertical_metrics(obj, fonts), height))
                continue
            if y0_off is None:
                raise Unsupported("a font pdfminer measures differently, or one not found in the resources")
            origin(tp, i, x, y)
            ox, oy = dec[x.value], dec[y.value]
            # pdfminer's LTChar: x1 = origin + a * textwidth * fontsize; y = d * (descent [+ fontsize]) + origin
            append((ch, ox, a * (width * 0.001 * size) + ox, height - (y1_off + oy), height - (y0_off + oy)))
        if any(n > 1 for n in vertical.values()):
            raise Unsupported("vertical writing with more than one character in a text object")
        for obj in texts.difference(objects):
            left, bottom, right, top = _F(), _F(), _F(), _F()
            _object_bounds(obj, left, bottom, right, top)
            if right.value - left.value >= _BLANK_OBJECT:
                raise Unsupported("pdfium left a text object out of its text layer")
            # only blank glyphs: to pdfplumber one or more spaces, which end a word and are not text
            *_, y0_off, y1_off = self._text_object(obj, fonts)
            if y0_off is None:
                raise Unsupported("a font pdfminer measures differently, or one not found in the resources")
            e, f = self._position(obj)
            chars.append((" ", e, e, height - (y1_off + f), height - (y0_off + f)))
        return chars

    def _text_object(self, obj: int, fonts: dict) -> tuple:
        """(font, its glyph widths, a, size, d * descent, d * (descent + size)) of an upright text object;
        the last two are None when pdfminer's descent for its font is not known."""
        dec = self._decimals
        font = _text_font(obj)
        m, size = self._matrix, self._size
        if not font or not _text_font_size(obj, size) or not _object_matrix(obj, m):
            raise Unsupported("a text object without font, size or matrix")
        a, b, c, d = dec[m.a], dec[m.b], dec[m.c], dec[m.d]
        if b or c or not a * d > 0:
            raise Unsupported("text that is not upright")
        size = dec[size.value]
        widths = self._widths.setdefault(font, {})
        descent = fonts.get((self._font_name(font), False))
        if descent is None:
            return font, widths, a, size, None, None
        low = descent * 0.001 * size  # pdfminer: font.get_descent() * fontsize
        return font, widths, a, size, d * low, d * (low + size)

    def _font_name(self, font: int) -> bytes:
        name = self._font_names.get(font)
        if name is None:
            name = self._font_names[font] = _base_font_name(font)
        return name

    def _position(self, obj: int) -> tuple[float, float]:
        m = pdfium_c.FS_MATRIX()
        _object_matrix(obj, m)
        return self._decimals[m.e], self._decimals[m.f]

    def _vertical_metrics(self, obj: int, fonts: dict) -> tuple:
        """What ``_vertical_char`` needs of a text object in vertical writing."""
        dec = self._decimals
        m = pdfium_c.FS_MATRIX()
        size = _F()
        _object_matrix(obj, m)
        _text_font_size(obj, size)
        metrics = fonts.get((self._font_name(_text_font(obj)), True))
        return metrics, dec[size.value], dec[m.a], dec[m.d], dec[m.e], dec[m.f]


def _no_actual_text(obj: int) -> None:
    for n in range(_count_marks(obj)):
        if _mark_param_type(_get_mark(obj, n), b"ActualText"):
            raise Unsupported("text with /ActualText, which pdfium reads instead of the glyphs")


def _glyph_width_of(font: int, ch: str) -> float:
    """The advance of ``ch`` in ``font``, in thousandths of the font size (negative: vertical writing)."""
    width = _F()
    if not _glyph_width(font, ord(ch), 1000.0, width):
        raise Unsupported("no glyph width")
    return width.value


def _page_text(tp: int, count: int) -> str:
    """The text page's characters, one per index (pdfium's own text leaves out control characters)."""
    buf = ctypes.create_string_buffer(2 * (count + 1))
    n = _get_text(tp, 0, count, buf)
    text = buf.raw[: 2 * max(n - 1, 0)].decode("utf-16-le", errors="replace")
    if len(text) != count:
        text = "".join(chr(_char_unicode(tp, i)) for i in range(count))
    return text


def _vertical_char(text: str, metrics: tuple, height: float) -> Char:
    """pdfminer's box of a character in vertical writing, drawn alone at (e, f) (``LTChar`` for a vertical font)."""
    dw2, size, a, d, e, f = metrics
    if dw2 is None:
        raise Unsupported("a vertical font whose metrics pdfminer takes per character")
    vy_units, w_units = dw2
    vx = size * 0.5
    vy = (1000 - vy_units) * size * 0.001
    adv = w_units * 0.001 * size
    x0, y0 = a * -vx + e, d * (vy + adv) + f
    x1, y1 = a * (-vx + size) + e, d * vy + f
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    return (text, x0, x1, height - y1, height - y0)


def _base_font_name(font: int) -> bytes:
    size = _font_name(font, None, 0)
    buf = ctypes.create_string_buffer(size)
    _font_name(font, buf, size)
    return _without_subset_tag(buf.raw[: max(size - 1, 0)])


def _without_subset_tag(name: bytes) -> bytes:
    """ "ABCDEF+SimSun" -> "SimSun" (pdfium gives base font names without the tag)."""
    return name[7:] if len(name) > 7 and name[6:7] == b"+" else name


def _bound(pts) -> tuple[float, float, float, float]:
    """pdfminer's ``get_bound``: (x0, y0, x1, y1) of the points."""
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


# -- pdfminer's view of the pages: size and font metrics ------------------------------------------------


def _pdfminer_pages(data: bytes) -> list[tuple[tuple[float, float] | None, dict]]:
    """Per page: its (width, height) as pdfplumber has them, and how pdfminer measures each font.

    The fonts are keyed by (base font name without subset tag, vertical writing): for horizontal
    writing the descriptor's /Descent, for vertical writing the /DW2 pair (vy, w). A page that
    pdfplumber measures otherwise (rotated, media box not at the origin) has no size.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    doc = PDFDocument(PDFParser(io.BytesIO(data)))
    return [_pdfminer_page(page) for page in PDFPage.create_pages(doc)]


def _pdfminer_page(page) -> tuple[tuple[float, float] | None, dict]:
    from pdfminer.pdftypes import resolve1

    rotation = resolve1(page.attrs.get("Rotate", 0)) or 0
    box = [resolve1(v) for v in resolve1(page.attrs.get("MediaBox")) or ()]
    if rotation % 360 or len(box) != 4 or not all(isinstance(v, (int, float)) for v in box):
        return None, {}
    x0, x1 = sorted((box[0], box[2]))
    y0, y1 = sorted((box[1], box[3]))
    if x0 != 0 or y0 != 0:
        return None, {}
    metrics: dict = {}
    fonts = resolve1((resolve1(page.resources) or {}).get("Font")) or {}
    for spec in fonts.values():
        spec = resolve1(spec)
        if isinstance(spec, dict):
            key, value = _font_metrics(spec)
            if key in metrics and metrics[key] != value:
                value = None  # two fonts of one name measured differently: pdfium cannot tell them apart
            metrics[key] = value
    return (x1 - x0, y1 - y0), metrics


def _font_metrics(spec: dict) -> tuple[tuple[bytes, bool], object]:
    """((base name, vertical), pdfminer's measure of the font); the measure is None where this
    module does not reproduce pdfminer (Type3, standard 14 fonts, vertical widths per character)."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    def name_of(value) -> str | bytes | None:
        value = resolve1(value)
        return value.name if isinstance(value, PSLiteral) else None

    base = name_of(spec.get("BaseFont"))
    name = _without_subset_tag(base.encode("utf-8") if isinstance(base, str) else (base or b""))
    subtype = name_of(spec.get("Subtype")) or "Type1"
    vertical = False
    if subtype == "Type0":
        encoding = resolve1(spec.get("Encoding"))
        if isinstance(encoding, PSLiteral):
            vertical = str(encoding.name).endswith("-V")
        elif hasattr(encoding, "attrs"):
            vertical = resolve1(encoding.attrs.get("WMode")) == 1
        descendants = resolve1(spec.get("DescendantFonts")) or []
        spec = resolve1(descendants[0]) if descendants else None
        if not isinstance(spec, dict):
            return (name, vertical), None
        subtype = name_of(spec.get("Subtype")) or ""
    if vertical:
        if resolve1(spec.get("W2")):
            return (name, True), None
        dw2 = [resolve1(v) for v in resolve1(spec.get("DW2", [880, -1000])) or ()]
        ok = len(dw2) == 2 and all(isinstance(v, (int, float)) for v in dw2)
        return (name, True), tuple(dw2) if ok else None
    if subtype == "Type3":
        return (name, False), None
    if subtype not in ("CIDFontType0", "CIDFontType2"):
        own = name_of(spec.get("BaseFont"))
        if isinstance(own, str) and own in FONT_METRICS:
            return (name, False), None  # pdfminer measures the standard 14 fonts with its own AFM tables
    descriptor = resolve1(spec.get("FontDescriptor")) or {}
    descent = resolve1(descriptor.get("Descent", 0)) if isinstance(descriptor, dict) else 0
    if not isinstance(descent, (int, float)):
        descent = 0
    return (name, False), -descent if descent > 0 else descent


# -- pdfplumber's rules on these characters and edges --------------------------------------------------


def _edges(lines: list, rects: list, curves: list, height: float) -> list[dict]:
    """pdfplumber's ``page.edges``: line edges, then rectangle edges, then curve edges, with its arithmetic."""
    edges = []
    for x0, y0, x1, y1 in lines:
        top, bottom = height - y1, height - y0
        orientation = "h" if top == bottom else "v"
        edges.append(_edge(x0, x1, top, bottom, x1 - x0, y1 - y0, orientation))
    for x0, y0, x1, y1 in rects:
        top, bottom, width, tall = height - y1, height - y0, x1 - x0, y1 - y0
        edges.append(_edge(x0, x1, top, top, width, 0, "h"))
        edges.append(_edge(x0, x1, top + tall, bottom, width, 0, "h"))
        edges.append(_edge(x0, x0, top, bottom, 0, tall, "v"))
        edges.append(_edge(x1, x1, top, bottom, 0, tall, "v"))
    for pts in curves:
        pts = [(x, height - y) for x, y in pts]
        for (ax, ay), (bx, by) in itertools.pairwise(pts):
            orientation = "v" if ax == bx else ("h" if ay == by else None)
            if orientation:
                edges.append(
                    _edge(min(ax, bx), max(ax, bx), min(ay, by), max(ay, by), abs(ax - bx), abs(ay - by), orientation)
                )
    return edges


def _edge(x0, x1, top, bottom, width, height, orientation) -> dict:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": width,
        "height": height,
        "orientation": orientation,
        "object_type": "edge",
    }


def _find_tables(edges: list[dict]) -> list:
    """``page.find_tables()`` on these edges, with pdfplumber's default settings.

    The steps and their arithmetic are pdfplumber's (``pdfplumber.table``: ``merge_edges``,
    ``edges_to_intersections``, ``intersections_to_cells``, ``cells_to_tables``); merging, the
    intersections and the cell search are written out here because pdfplumber's versions copy a
    dict per edge moved and rebuild sets of edges for every pair of points they test.
    """
    from pdfplumber import table as tables

    settings = tables.TableSettings()
    prefilter = settings.edge_min_length_prefilter
    v = [e for e in edges if e["orientation"] == "v" and e["height"] >= prefilter]
    h = [e for e in edges if e["orientation"] == "h" and e["width"] >= prefilter]
    v = _snap(v, "x0", "x1", settings.snap_x_tolerance)
    h = _snap(h, "top", "bottom", settings.snap_y_tolerance)
    # merge_edges sorts by (orientation, position): the horizontal groups come first
    merged = []
    for group, key, low, high, size, tolerance in (
        (h, "top", "x0", "x1", "width", settings.join_x_tolerance),
        (v, "x0", "top", "bottom", "height", settings.join_y_tolerance),
    ):
        for _, line in itertools.groupby(sorted(group, key=itemgetter(key)), key=itemgetter(key)):
            merged.extend(_join(list(line), low, high, size, tolerance))
    edges = [e for e in merged if e["height" if e["orientation"] == "v" else "width"] >= settings.edge_min_length]
    points = _intersections(edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return [tables.Table(None, group) for group in tables.cells_to_tables(_cells(points))]


def _snap(edges: list[dict], key: str, other: str, tolerance: float) -> list[dict]:
    """pdfplumber's ``snap_objects``: edges within tolerance move to their cluster's mean position."""
    ids = _cluster_ids([e[key] for e in edges], tolerance)
    out = []
    for _, cluster in itertools.groupby(sorted(edges, key=lambda e: ids[e[key]]), key=lambda e: ids[e[key]]):
        cluster = list(cluster)
        mean = sum(e[key] for e in cluster) / len(cluster)
        for e in cluster:
            shift = mean - e[key]
            out.append({**e, key: e[key] + shift, other: e[other] + shift})
    return out


def _join(edges: list[dict], low: str, high: str, size: str, tolerance: float) -> list[dict]:
    """pdfplumber's ``join_edge_group``: edges on one line that overlap or nearly touch become one."""
    edges = sorted(edges, key=itemgetter(low))
    joined = [edges[0]]
    for e in edges[1:]:
        last = joined[-1]
        if e[low] <= last[high] + tolerance:
            if e[high] > last[high]:
                if size == "width":
                    joined[-1] = {**last, high: e[high], size: e[high] - last[low]}
                else:
                    joined[-1] = {**last, high: e[high], size: last[size] + (e[high] - last[high])}
        else:
            joined.append(e)
    return joined


def _intersections(edges: list[dict], x_tolerance: float, y_tolerance: float) -> dict:
    """pdfplumber's ``edges_to_intersections``, keeping per point the boxes of its vertical and horizontal edges."""
    points: dict = {}
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    for v in v_edges:
        x, vtop, vbottom = v["x0"], v["top"], v["bottom"]
        vbox = (x, vtop, v["x1"], vbottom)
        for h in h_edges:
            top = h["top"]
            if (
                vtop <= top + y_tolerance
                and vbottom >= top - y_tolerance
                and h["x0"] - x_tolerance <= x <= h["x1"] + x_tolerance
            ):
                point = points.get((x, top))
                if point is None:
                    point = points[x, top] = (set(), set())
                point[0].add(vbox)
                point[1].add((h["x0"], top, h["x1"], h["bottom"]))
    return points


def _cells(points: dict) -> list[tuple]:
    """pdfplumber's ``intersections_to_cells``: for each point, the smallest cell it is the top-left corner of."""

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not points[p1][0].isdisjoint(points[p2][0]):
            return True
        return p1[1] == p2[1] and not points[p1][1].isdisjoint(points[p2][1])

    ordered = sorted(points)
    below: dict = {}  # x -> the points at that x, top to bottom
    right: dict = {}  # top -> the points at that top, left to right
    for pt in ordered:
        below.setdefault(pt[0], []).append(pt)
        right.setdefault(pt[1], []).append(pt)
    cells = []
    for pt in ordered[:-1]:
        column = below[pt[0]]
        row = right[pt[1]]
        cell = None
        for below_pt in column[column.index(pt) + 1 :]:
            if not connects(pt, below_pt):
                continue
            for right_pt in row[row.index(pt) + 1 :]:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in points and connects(corner, right_pt) and connects(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _layout(chars: list[Char], edges: list[dict], ruled: bool, page_bbox: tuple) -> PageContent:
    """pdfplumber's ``find_tables()``, ``Table.extract()`` and ``outside_bbox(...).extract_text_lines()``."""
    found = _find_tables(edges) if ruled else []
    # Table.extract takes a cell's characters by their middle, in page order
    by_middle = sorted(((ch[TOP] + ch[BOTTOM]) / 2, (ch[X0] + ch[X1]) / 2, n, ch) for n, ch in enumerate(chars))
    middles = [item[0] for item in by_middle]
    tables = []
    for table in found:
        rows = []
        for row in table.rows:
            x0, top, x1, bottom = row.bbox
            band = by_middle[bisect.bisect_left(middles, top) : bisect.bisect_left(middles, bottom)]
            row_chars = sorted((item for item in band if x0 <= item[1] < x1), key=itemgetter(2))
            cells = []
            for cell in row.cells:
                if cell is None:
                    cells.append(None)
                    continue
                cx0, ctop, cx1, cbottom = cell
                inside = [item[3] for item in row_chars if cx0 <= item[1] < cx1 and ctop <= item[0] < cbottom]
                cells.append(_cell_text(inside) if inside else "")
            rows.append((top, cells))
        tables.append(rows)
        bx0, btop, bx1, bbottom = bbox = table.bbox
        if not _inside_page(bbox, page_bbox):
            raise Unsupported("a table reaching outside the page")  # pdfplumber's outside_bbox refuses it
        # outside_bbox keeps what does not touch the table (get_bbox_overlap(...) is None)
        chars = [
            ch
            for ch in chars
            if not (
                (h := min(ch[BOTTOM], bbottom) - max(ch[TOP], btop)) >= 0
                and (w := min(ch[X1], bx1) - max(ch[X0], bx0)) >= 0
                and h + w > 0
            )
        ]
    return PageContent(tables, _text_lines(chars))


def _inside_page(bbox, page_bbox) -> bool:
    """pdfplumber's ``test_proposed_bbox``: a crop box must have an area and lie within the page."""
    x0, top, x1, bottom = bbox
    area = (x1 - x0) * (bottom - top)
    width = min(x1, page_bbox[2]) - max(x0, page_bbox[0])
    height = min(bottom, page_bbox[3]) - max(top, page_bbox[1])
    if area == 0 or height < 0 or width < 0 or height + width <= 0:
        return False
    return width * height >= area


def _cluster_ids(values, tolerance: float) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict``: sorted distinct values, a new cluster after each gap over tolerance."""
    ids: dict[float, int] = {}
    last = None
    n = -1
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            n += 1
        ids[value] = n
        last = value
    return ids


def _lines(items: list, top) -> list[list]:
    """pdfplumber's ``cluster_objects(items, top, 3)``: items grouped by line (cluster of tops), lines top
    to bottom, items of a line in their given order."""
    ids = _cluster_ids([top(item) for item in items], Y_TOLERANCE)
    lines: dict[int, list] = {}
    for item in items:
        lines.setdefault(ids[top(item)], []).append(item)
    return [lines[n] for n in sorted(lines)]


def _words(chars: list[Char]) -> list[tuple[str, float]]:
    """pdfplumber's ``WordExtractor`` with its defaults, on upright text: (text, top) per word."""
    words = []
    for line in _lines(chars, itemgetter(TOP)):
        word: list[Char] = []
        for ch in sorted(line, key=itemgetter(X0)):
            if ch[TEXT].isspace():
                if word:
                    words.append(word)
                word = []
            elif word and (
                ch[X0] < word[-1][X0]
                or ch[X0] > word[-1][X1] + X_TOLERANCE
                or abs(ch[TOP] - word[-1][TOP]) > Y_TOLERANCE
            ):
                words.append(word)
                word = [ch]
            else:
                word.append(ch)
        if word:
            words.append(word)
    return [("".join(LIGATURES.get(ch[TEXT], ch[TEXT]) for ch in w), min(ch[TOP] for ch in w)) for w in words]


def _cell_text(chars: list[Char]) -> str:
    """pdfplumber's ``extract_text`` (no layout): words, lines of words clustered by top, joined."""
    return "\n".join(" ".join(text for text, _ in line) for line in _lines(_words(chars), itemgetter(1)))


def _text_lines(chars: list[Char]) -> list[tuple[float, str]]:
    """pdfplumber's ``extract_text_lines``: words in order, consecutive words of one line cluster joined."""
    words = _words(chars)
    ids = _cluster_ids([top for _, top in words], Y_TOLERANCE)
    out = []
    for _, line in itertools.groupby(words, key=lambda w: ids[w[1]]):
        line = list(line)
        text = " ".join(text for text, _ in line)
        if text.strip():
            out.append((min(top for _, top in line), text))
    return out
