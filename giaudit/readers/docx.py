"""Word reports: .docx with python-docx; .doc and .wps converted through LibreOffice first.

The body is walked in document order: paragraphs become text lines, table rows
become CELL tokens and a BREAK. Cells are read from the XML: a cell merged across
columns (gridSpan) is one token; the continuation of a cell merged down
(vMerge) is skipped, as the HTML reader skips a rowspan. A table split by a
page break is two tables in a row, and the stream simply goes on.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import BREAK, CELL, PARA, Document, Loc, Token
from ..errors import MissingDependency, UnreadableInput
from . import register

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(el) -> str:
    """Text of a paragraph or cell: runs joined, line breaks and tabs as spaces."""
    parts = []
    for node in el.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}p"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}p" and parts:
            parts.append(" ")
        elif node.tag != f"{_W}p":
            parts.append(" ")
    return " ".join("".join(parts).split())


MAX_EXPANDED = 200 * 2**20  # a report's .docx unpacks to a few MB
MAX_RATIO = 200  # deflate packs XML about 5–20 times; far more is a bomb


def _refuse_bombs(data: bytes, name: str) -> None:
    """Look at the zip's directory before inflating anything: refuse what would expand absurdly."""
    import zipfile

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UnreadableInput(
            name, f"is not a readable .docx file ({type(exc).__name__})", "check that the file is complete"
        ) from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_EXPANDED or total / packed > MAX_RATIO:
        raise UnreadableInput(
            name,
            f"expands to {total / 2**30:.1f} GB ({total / packed:.0f} times its size); not a report",
            "give the report's own .docx",
        )


def read_docx(data: bytes, name: str = "<docx>") -> Document:
    try:
        import docx
    except ImportError as exc:
        raise MissingDependency(name, "Word (.docx)", "docx") from exc
    _refuse_bombs(data, name)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:  # a broken zip or XML raises many kinds
        raise UnreadableInput(
            name, f"is not a readable .docx file ({type(exc).__name__})", "check that the file is complete"
        ) from exc
    tokens: list[Token] = []
    para_no = table_no = 0
    for el in body.iterchildren():
        if el.tag == f"{_W}p":
            para_no += 1
            text = _text(el)
            if text:
                tokens.append(Token(text, PARA, Loc(name, line=para_no)))
        elif el.tag == f"{_W}tbl":
            table_no += 1
            _table(el, table_no, name, tokens)
    doc = Document(tokens=tokens, source=name, kind="docx")
    doc.title = doc.find_title()
    return doc


def _table(tbl, table_no: int, name: str, tokens: list[Token]) -> None:
    for r, tr in enumerate(tbl.iterchildren(f"{_W}tr"), 1):
        c = 0
        for tc in tr.iterchildren(f"{_W}tc"):
            c += 1
            props = tc.find(f"{_W}tcPr")
            merge = props.find(f"{_W}vMerge") if props is not None else None
            if merge is not None and merge.get(f"{_W}val") in (None, "continue"):
                continue  # the lower part of a cell merged down
            nested = tc.find(f"{_W}tbl")
            if nested is not None:  # a layout table holding the real one
                _table(nested, table_no, name, tokens)
                continue
            tokens.append(Token(_text(tc), CELL, Loc(name, table=table_no, row=r, col=c)))
        tokens.append(Token("", BREAK, Loc(name, table=table_no, row=r)))


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy_word(data: bytes, name: str = "<doc>") -> Document:
    """.doc / .wps: convert to .docx with LibreOffice (headless), then read that."""
    office = libreoffice()
    if office is None:
        raise UnreadableInput(
            name,
            "is an old Word/WPS (.doc/.wps) file and LibreOffice is not installed to convert it",
            "install it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or save the file as .docx",
        )
    with tempfile.TemporaryDirectory(prefix="giaudit-doc-") as tmp:
        src = Path(tmp) / ("report" + (Path(name).suffix.lower() or ".doc"))
        src.write_bytes(data)
        try:
            subprocess.run(
                [office, "--headless", "--norestore", "--convert-to", "docx", "--outdir", tmp, str(src)],
                check=True,
                capture_output=True,
                timeout=120,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise UnreadableInput(
                name,
                f"could not be converted by LibreOffice ({type(exc).__name__})",
                "open it in Word or WPS and save it as .docx",
            ) from exc
        out = src.with_suffix(".docx")
        if not out.exists():
            raise UnreadableInput(
                name, "could not be converted by LibreOffice (no output)", "open it in Word or WPS and save it as .docx"
            )
        doc = read_docx(out.read_bytes(), name)
    doc.kind = "doc"
    return doc


def _is_docx(data: bytes, name: str) -> bool:
    return data.startswith(b"PK\x03\x04") and (b"word/" in data[:65536] or name.lower().endswith(".docx"))


def _is_ole(data: bytes, name: str) -> bool:
    return data.startswith(b"\xd0\xcf\x11\xe0")  # old Word / WPS: converted through LibreOffice


register("docx", suffixes={".docx"}, read=read_docx, binary=True, magic=_is_docx)
register("doc", suffixes={".doc", ".wps"}, read=read_legacy_word, binary=True, magic=_is_ole)
