"""PDF reading speed: the pdfplumber path against the fast (pdfium) path, per report, on real PDFs.

    python benchmarks/bench_pdf.py [--write docs/benchmarks.md]

Inputs: the real published PDFs in ../shared/reports/pdf/ (淮安市, 洪泽区 ×2; not
copied into this repository) and the PDFs LibreOffice made in tests/reports/
(the sample jiangle-2024, pingtan-2023 and -2024). Each time is the best of 3
runs of ``read_pdf`` on the file's bytes, in one process, measured as CPU time
(``time.process_time``), for each path (``engine="pdfplumber"`` and
``engine="fast"``, the default of ``giaudit.read``). The two paths must give the
same tokens (tests/test_pdf_paths.py); the table says so per file. Target: the
fast path at least 5× faster than pdfplumber on every report.
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _docs import publish  # noqa: E402

from giaudit.readers.pdf import read_pdf  # noqa: E402

ENGINES = ("pdfplumber", "fast")
TARGET = 5.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    import pdfplumber
    import pypdfium2

    files = sorted((ROOT.parent / "shared" / "reports" / "pdf").glob("*.pdf")) + [
        ROOT / "tests" / "reports" / f"{stem}.pdf" for stem in ("jiangle-2024", "pingtan-2023", "pingtan-2024")
    ]
    for engine in ENGINES:  # warm imports
        read_pdf(files[-1].read_bytes(), files[-1].name, engine=engine)
    rows = []
    for path in files:
        data = path.read_bytes()
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        best = {engine: min(_time(data, path.name, engine) for _ in range(3)) for engine in ENGINES}
        same = _tokens(data, path.name, "fast") == _tokens(data, path.name, "pdfplumber")
        rows.append((path.name, pages, best["pdfplumber"], best["fast"], same))
    ratios = [slow / quick for _, _, slow, quick, _ in rows]
    lines = [
        "## PDF reports (`benchmarks/bench_pdf.py`)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, pdfplumber {pdfplumber.__version__}, "
        f"pypdfium2 {pypdfium2.version.PYPDFIUM_INFO}; best of 3 `read_pdf` runs per file and path, CPU time, "
        "one core. Reproduce: `python benchmarks/bench_pdf.py`.",
        "",
        "| file | pages | pdfplumber s | fast s | fast ms/page | speed-up | same tokens |",
        "|---|---:|---:|---:|---:|---:|:---:|",
        *(
            f"| {name} | {pages} | {slow:.3f} | {quick:.3f} | {1000 * quick / pages:.1f} | {slow / quick:.1f}× "
            f"| {'yes' if same else '**NO**'} |"
            for name, pages, slow, quick, same in rows
        ),
        "",
        f"- Median **{statistics.median(r[3] for r in rows):.3f} s per report** on the fast path "
        f"(pdfplumber: {statistics.median(r[2] for r in rows):.3f} s); speed-up {min(ratios):.1f}× to "
        f"{max(ratios):.1f}× (target: at least {TARGET:.0f}× on every report: "
        f"**{'met' if min(ratios) >= TARGET else 'NOT met'}**).",
        f"- Identical tokens on both paths: **{'all files' if all(r[4] for r in rows) else 'NOT all files'}**.",
        "",
    ]
    publish(lines, args.write)


def _time(data: bytes, name: str, engine: str) -> float:
    t0 = time.process_time()
    read_pdf(data, name, engine=engine)
    return time.process_time() - t0


def _tokens(data: bytes, name: str, engine: str) -> list[tuple]:
    return [(t.text, t.kind, dataclasses.astuple(t.loc)) for t in read_pdf(data, name, engine=engine).tokens]


if __name__ == "__main__":
    main()
