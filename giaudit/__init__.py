"""giaudit: read and audit Chinese government information disclosure annual reports.

>>> import giaudit
>>> report = giaudit.read("data/samples/jiangle-2024.txt")
>>> report.values["t3.new_requests.total"]
5
"""

from __future__ import annotations

import os

from .errors import GiauditError, UnreadableInput, UnrecognisedDocument
from .findings import Findings, Severity
from .report import Meta, Report

__version__ = "0.1.0"
__all__ = [
    "Findings",
    "GiauditError",
    "Meta",
    "Report",
    "Severity",
    "UnreadableInput",
    "UnrecognisedDocument",
    "__version__",
    "audit",
    "read",
    "read_corpus",
]


def read(source: str | os.PathLike | bytes, *, encoding: str | None = None) -> Report:
    """Read a report from a path, or a string of report text or HTML.

    The kind (text, HTML, PDF, DOCX) and the format version are detected;
    ``encoding`` overrides detection for text and HTML files.
    Raises ``UnreadableInput`` or ``UnrecognisedDocument`` with a one-line reason.
    """
    from .extract import extract
    from .readers import load

    document = load(source, encoding=encoding)
    return Report(document, extract(document))


def audit(report: Report, previous: Report | None = None, *, decisions=None) -> Findings:
    """Run every reconciliation check on a report (and, given last year's report, the cross-year ones).

    Returns ``Findings``: ``.df`` has one row per finding (check, severity, keys,
    expected, actual, difference, message, source, suspect, slip, fingerprint,
    decision); ``.results`` every rule evaluated with pass / fail / unverifiable.
    ``decisions``: a reviewer's decisions file (or what ``giaudit.decisions.read``
    gave), applied to the findings; ``.stale`` lists those whose finding is gone.
    """
    from .checks import audit as run

    findings = run(report, previous)
    if decisions is not None:
        from .decisions import read as read_decisions

        findings.apply(decisions if isinstance(decisions, dict) else read_decisions(decisions))
    return findings


def read_corpus(root, out=None, **kwargs):
    """Parse and audit every report under ``root`` (see ``giaudit.corpus``); returns a ``Corpus``
    with ``values``, ``findings``, ``reports`` and ``errors`` DataFrames."""
    from .corpus import read_corpus as run

    return run(root, out, **kwargs)
