"""A reviewer's decisions on findings: confirmed or dismissed, kept in a CSV file, applied on every re-run.

Each finding has a ``fingerprint`` (``findings.fingerprint``): a hash of its check, the cells it names and
the report's agency, year and format — not of the file's path, its form (HTML, PDF, Word), its line
numbers or the numbers in the message. A decision names a fingerprint, so it still applies after the report
is re-read, moved, converted or corrected elsewhere; a decision whose finding no longer occurs is *stale*
and said so (the report was corrected, or the finding was one the checks no longer make).

The file is a plain CSV a reviewer can also edit in a spreadsheet::

    fingerprint,decision,note,reviewer,date,report,check,message
    3f9c…,dismissed,正文口径为全年办结数,张三,2026-11-29,将乐县人民政府办公室 2024年,prose.tables,…

``fingerprint`` and ``decision`` (``confirmed`` or ``dismissed``) are required; ``note``, ``reviewer`` and
``date`` are the decision's; ``report``, ``check`` and ``message`` are written for the reader's sake
(``report`` also lets a single report's audit tell its own stale decisions from other reports'). Cells are
written so that no spreadsheet runs them as formulas.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import UnreadableInput
from .sheets import _TRIGGERS, safe_cell

DECISIONS = ("confirmed", "dismissed")
LABELS = {"confirmed": "已确认", "dismissed": "已排除"}
REQUIRED = ("fingerprint", "decision")


@dataclass
class Decision:
    fingerprint: str
    decision: str  # "confirmed" or "dismissed"
    note: str = ""
    reviewer: str = ""
    date: str = ""
    report: str = ""  # the report it was made on (agency and year), for people and for stale decisions
    check: str = ""
    message: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.decision]


COLUMNS = tuple(f.name for f in fields(Decision))


def read(path: str | os.PathLike) -> dict[str, Decision]:
    """The decisions in a CSV file, by fingerprint (a later row for the same fingerprint wins).

    Raises ``UnreadableInput`` (one line: the file, the row, what to do) for a missing file, a file without
    the required columns, or a decision other than ``confirmed``/``dismissed``.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(
            str(path), "no such decisions file", "check the path, or make one with `giaudit decide` or the explorer"
        ) from None
    except OSError as exc:
        raise UnreadableInput(str(path), f"cannot be read ({exc.strerror})", "check its permissions") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", "replace")  # saved by a spreadsheet on Chinese Windows
    rows = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (rows.fieldnames or ())]
    if missing:
        raise UnreadableInput(
            str(path),
            f"is not a decisions file (no column {', '.join(missing)})",
            f"its first line must name the columns {','.join(COLUMNS[:5])}",
        )
    out: dict[str, Decision] = {}
    for n, row in enumerate(rows, 2):
        fp = (row.get("fingerprint") or "").strip()
        decision = (row.get("decision") or "").strip().lower()
        if not fp and not decision:
            continue  # a blank line
        if decision not in DECISIONS or not fp:
            raise UnreadableInput(
                str(path),
                f"line {n}: decision 「{decision}」 for 「{fp}」",
                "each line needs a fingerprint and the decision confirmed or dismissed",
            )
        out[fp] = Decision(
            **{c: _unsafe(row.get(c) or "").strip() for c in COLUMNS if c != "decision"}, decision=decision
        )
    return out


def _unsafe(text: str) -> str:
    """A cell as the reviewer wrote it: the quote ``safe_cell`` put before a would-be formula taken off."""
    return text[1:] if text[:1] == "'" and text[1:].startswith(_TRIGGERS) else text


def write(path: str | os.PathLike, decisions: dict[str, Decision]) -> Path:
    """Write every decision (atomically: a reader never sees half a file), UTF-8 with a BOM for spreadsheets."""
    path = Path(path)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for d in decisions.values():
        w.writerow([safe_cell(getattr(d, c)) for c in COLUMNS])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-decisions-")
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(buf.getvalue())
    os.replace(tmp, path)
    return path


def decide(
    path: str | os.PathLike,
    fingerprint: str,
    decision: str | None,
    *,
    note: str = "",
    reviewer: str = "",
    finding=None,
    report: str = "",
) -> dict[str, Decision]:
    """Record (or, with ``decision=None``, withdraw) one decision in the file, creating it if need be.

    ``finding`` (a ``Finding``) and ``report`` (its report's label) fill the columns people read."""
    if decision is not None and decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    path = Path(path)
    known = read(path) if path.exists() else {}
    if decision is None:
        known.pop(fingerprint, None)
    else:
        known[fingerprint] = Decision(
            fingerprint,
            decision,
            note,
            reviewer,
            datetime.date.today().isoformat(),
            report,
            finding.check if finding is not None else "",
            finding.message if finding is not None else "",
        )
    write(path, known)
    return known


def report_label(meta: dict) -> str:
    """How a decision names its report: 「将乐县人民政府办公室 2024年」."""
    agency, year = meta.get("agency"), meta.get("year")
    return " ".join(x for x in (agency or meta.get("title") or "", f"{year}年" if year else "") if x)
