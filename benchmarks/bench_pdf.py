"""PDF reading speed: seconds per report and per page (pdfplumber), on real PDFs.

    python benchmarks/bench_pdf.py [--write docs/benchmarks.md]

Inputs: the real published PDFs in ../shared/reports/pdf/ (淮安市, 洪泽区 ×2; not
copied into this repository) and the sample as a LibreOffice PDF
(tests/reports/jiangle-2024.pdf). Each time is the best of 3 runs of
giaudit.read on the file, in one process. Target: a median under 0.5 s for a
typical 5-page report.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _docs import write_section  # noqa: E402

import giaudit  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    import pdfplumber

    files = sorted((ROOT.parent / "shared" / "reports" / "pdf").glob("*.pdf")) + [
        ROOT / "tests/reports/jiangle-2024.pdf"
    ]
    giaudit.read(files[-1])  # warm imports
    rows = []
    for path in files:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        best = min(_time(path) for _ in range(3))
        rows.append((path.name, pages, best))
    per_report = statistics.median(r[2] for r in rows)
    per_page = statistics.median(r[2] / r[1] for r in rows)
    lines = [
        "## PDF reports (`benchmarks/bench_pdf.py`)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, pdfplumber {pdfplumber.__version__}; "
        "best of 3 `giaudit.read` runs per file, one core. Reproduce: `python benchmarks/bench_pdf.py`.",
        "",
        "| file | pages | s/report | s/page |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {pages} | {t:.2f} | {t / pages:.3f} |" for name, pages, t in rows),
        "",
        f"- Median **{per_report:.2f} s per report**, {per_page:.3f} s per page (target: median under 0.5 s for a "
        f"typical 5-page report: **{'met' if per_report < 0.5 else 'NOT met'}**).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(args.write, text)


def _time(path: Path) -> float:
    t0 = time.perf_counter()
    giaudit.read(path)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
