"""Readers: any form a report comes in -> ``Document`` (a token stream with sources).

Each reader module registers itself (``register``: its kind, file suffixes, the
magic bytes that identify its files, and its function). ``load`` finds out
what the input is (a path or a string; text, HTML, PDF, DOCX), decodes text
(UTF-8 with or without BOM, UTF-16, GB18030/GBK, or the encoding the caller
names) and hands it to the reader for its kind. ``suffixes()`` tells corpora
which files are reports.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..document import Document
from ..errors import UnreadableInput


@dataclass(frozen=True)
class Reader:
    kind: str
    suffixes: frozenset[str]
    read: Callable  # (bytes, name) -> Document for binary kinds; (text, name) -> Document for text kinds
    binary: bool  # reads the file's bytes (PDF, Word) rather than decoded text
    magic: Callable[[bytes, str], bool] | None = None  # recognises the kind from the first bytes and the name


READERS: dict[str, Reader] = {}


def register(kind: str, *, suffixes, read: Callable, binary: bool, magic=None) -> None:
    """Add a reader; binary readers are tried by their ``magic`` in the order they were registered."""
    READERS[kind] = Reader(kind, frozenset(suffixes), read, binary, magic)


def suffixes() -> frozenset[str]:
    """Every file suffix some reader reads (lower case, with the dot)."""
    return frozenset(s for r in READERS.values() for s in r.suffixes)


_TRADITIONAL = re.compile("[開資訊請處總計報與機關規範條數務會為執網單號項結轉複議訴訟維糾審實]")
_HTML_SNIFF = re.compile(rb"<(?:html|head|body|table|div|p|meta|tr|td|br|span)[\s>/]", re.I)
MAX_BYTES = 200 * 2**20  # no annual report comes near this; a file this large is something else
_DECLARATIONS = re.compile(rb"^\s*(?:<!doctype[^>]*>|<\?xml[^>]*\?>)\s*", re.I)
_TABLE_MARKUP = re.compile(rb"<table[\s>].*?<t[dh][\s>]", re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def load(source: str | os.PathLike | bytes, *, encoding: str | None = None) -> Document:
    """Read a report from a path, a string of text/HTML, or raw bytes."""
    name, data, text = _resolve(source)
    return load_bytes(data, name, encoding=encoding) if text is None else _load_text(text, name)


def _load_text(text: str, name: str) -> Document:
    head = text[:4096].encode("utf-8", "ignore")[:4096]  # the first 4,096 bytes, without encoding a whole page
    if len(head) < 4096 and len(text) > 4096:  # characters that encode to nothing (lone surrogates) were dropped
        head = text.encode("utf-8", "ignore")[:4096]
    kind = "html" if _looks_like_html(head) or _TABLE_MARKUP.search(text.encode("utf-8", "ignore")) else "text"
    return _dispatch_text(text, name, kind, encoding=None)


def load_bytes(data: bytes, name: str, *, encoding: str | None = None) -> Document:
    """Read a report from the bytes of a file called ``name`` (its suffix helps tell the kind)."""
    kind = _sniff(data, name)
    if READERS[kind].binary:
        return READERS[kind].read(data, name)
    text, used = decode(data, name, encoding, html=kind == "html")
    return _dispatch_text(text, name, kind, encoding=used)


def _dispatch_text(text: str, name: str, kind: str, encoding: str | None) -> Document:
    warnings = []
    if len(_TRADITIONAL.findall(text, 0, 20000)) >= 3:
        text = to_simplified(text)
        warnings.append("报告为繁体字,已转换为简体后识别 (converted from traditional characters)")
    doc = READERS[kind].read(text, name)
    doc.encoding = encoding
    doc.warnings[:0] = warnings
    return doc


def _resolve(source) -> tuple[str, bytes | None, str | None]:
    """(display name, bytes or None, text or None)."""
    if isinstance(source, bytes | bytearray):
        return "<bytes>", bytes(source), None
    if isinstance(source, os.PathLike):
        return _read_path(Path(source))
    if not isinstance(source, str):
        raise TypeError(f"read() takes a path, a string or bytes, not {type(source).__name__}")
    if "\n" in source or "<" in source or len(source) > 1024:
        return "<text>", None, source
    path = Path(source)
    try:
        exists = path.exists()
    except (OSError, ValueError):  # a name too long for a path, or a NUL in it: report text, not a path
        return "<text>", None, source
    if exists or path.suffix.lower() in suffixes():
        return _read_path(path)
    return "<text>", None, source


def _read_path(path: Path) -> tuple[str, bytes, None]:
    name = str(path)
    shown = name if len(name) <= 120 else name[:60] + "…" + name[-40:]
    try:
        if not path.exists():
            raise UnreadableInput(shown, "no such file", "check the path")
        size = path.stat().st_size
    except OSError as exc:  # ENAMETOOLONG and kin
        raise UnreadableInput(shown, f"cannot be opened ({exc.strerror})", "check the path") from exc
    if size > MAX_BYTES:
        raise UnreadableInput(
            shown,
            f"is {size / 2**20:.0f} MB, larger than any report (limit {MAX_BYTES // 2**20} MB)",
            "give the report itself, not an archive or a dump",
        )
    if path.is_dir():
        raise UnreadableInput(name, "is a folder, not a report", "use 'giaudit corpus' for folders")
    try:
        return name, path.read_bytes(), None
    except OSError as exc:
        raise UnreadableInput(name, f"cannot be read ({exc.strerror})", "check its permissions") from exc


def _looks_like_html(head: bytes) -> bool:
    """Markup of a page: a DOCTYPE or XML declaration alone, before plain text, does not make it one."""
    while (m := _DECLARATIONS.match(head)) is not None and m.end():
        head = head[m.end() :]
    return bool(_HTML_SNIFF.search(head))


def _sniff(data: bytes, name: str) -> str:
    if not data.strip():
        raise UnreadableInput(name, "is empty", "give the report's text, HTML, PDF or DOCX file")
    head = data[:8192]
    for reader in READERS.values():
        if reader.magic is not None and reader.magic(data, name):
            return reader.kind
    if head.startswith(b"PK\x03\x04"):
        raise UnreadableInput(name, "is a ZIP archive, not a report", "unpack it and read the files inside")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise UnreadableInput(name, "is an image, not text", "a scanned report needs OCR before giaudit can read it")
    suffix = Path(name).suffix.lower()
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head) is not None
    if not utf16 and b"\x00" in head:
        raise UnreadableInput(
            name, "is binary data, not a text, HTML, PDF or DOCX report", "check that this is the report file"
        )
    if suffix in READERS["html"].suffixes or (not utf16 and _TABLE_MARKUP.search(data)):
        # HTML saved under another name, or a page's script holding the report as markup
        return "html"
    if suffix in READERS["text"].suffixes:
        return "text"
    sample = head.decode(_utf16_without_bom(head) or "utf-16", "replace").encode() if utf16 else head
    return "html" if _looks_like_html(sample) else "text"


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for text saved as UTF-16 with no BOM (every other byte 0 in ASCII text, or a
    pattern of CJK text whose odd or even bytes are never 0 while the others often are); None otherwise."""
    sample = head[:4096]
    if len(sample) < 16 or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    for codec, zeros, other in (("utf-16-le", zeros_odd, zeros_even), ("utf-16-be", zeros_even, zeros_odd)):
        if zeros > 0.15 and zeros > 4 * other:
            try:
                sample[: len(sample) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return None


def decode(data: bytes, name: str, encoding: str | None = None, *, html: bool = False) -> tuple[str, str]:
    """Decode bytes: the named encoding, else a BOM, else UTF-8, else GB18030 (covers GBK/GB2312)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError as exc:
            raise UnreadableInput(
                name, f"unknown encoding {encoding!r}", "pass a valid --encoding, e.g. gb18030"
            ) from exc
        except UnicodeDecodeError as exc:
            raise UnreadableInput(
                name, f"cannot decode as {encoding}", "try another --encoding, or none to detect it"
            ) from exc
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                if codec == "utf-16":
                    raise UnreadableInput(
                        name,
                        f"cannot be decoded: it starts as UTF-16 but is damaged at byte {exc.start}",
                        "check that the file is complete, or save it again as UTF-8",
                    ) from exc
                break
    if (bare := _utf16_without_bom(data[:4096])) is not None:
        try:
            return data[: len(data) // 2 * 2].decode(bare), bare
        except UnicodeDecodeError as exc:
            raise UnreadableInput(
                name,
                f"cannot be decoded: UTF-16 text with no BOM, damaged at byte {exc.start}",
                "save it again as UTF-8",
            ) from exc
    candidates = ["utf-8", "gb18030"]
    if html and (m := _META_CHARSET.search(data[:4096])):
        declared = m.group(1).decode("ascii", "ignore").lower()
        if declared not in ("utf-8", "utf8"):
            candidates.insert(1, declared)
    for codec in candidates:
        name_used = "gb18030" if codec in ("gbk", "gb2312") else codec
        try:
            return data.decode(codec), name_used
        except LookupError:
            continue
        except UnicodeDecodeError as exc:
            # A download cut inside the last character: keep everything before it.
            if exc.start >= len(data) - 3:
                try:
                    return data[: exc.start].decode(codec), name_used
                except UnicodeDecodeError:
                    pass
            continue
    raise UnreadableInput(name, "cannot decode as UTF-8 or GB18030", "pass --encoding (e.g. --encoding big5)")


def to_simplified(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


# The readers register themselves on import (text and HTML first: the fallbacks; then the binary kinds).
import importlib  # noqa: E402

for _module in ("text", "html", "pdf", "docx"):
    importlib.import_module(f"{__name__}.{_module}")
