"""Parsing speed: reports per second on one core, text and HTML, and HTML against pandas.read_html.

    python benchmarks/bench_parse.py                 # print the table
    python benchmarks/bench_parse.py --write docs/benchmarks.md

Inputs are the bundled sample as scraped text (data/samples/jiangle-2024.txt)
and as a saved web page in the official merged-cell layout
(tests/reports/jiangle-2024.html), each made into distinct variants (every
number and prose line changed, labels as printed) so that no parse sees a
document twice. Each measurement is the best of 5 repeats of N parses from
strings in memory, in this one process (one core).
``giaudit.read`` here includes everything a user gets: decoding, the reader,
the extractor and the Report (DataFrames are built lazily, on first use, and
are timed separately). pandas.read_html is given the same HTML string.
"""

from __future__ import annotations

import argparse
import io
import platform
import re
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _docs import publish  # noqa: E402

import giaudit  # noqa: E402

TEXT = (ROOT / "data/samples/jiangle-2024.txt").read_text("utf-8")
HTML = (ROOT / "tests/reports/jiangle-2024.html").read_text("utf-8")


def variants(text: str, count: int, start: int = 0) -> list[str]:
    """Distinct reports: every prose line and number changed, the labels as printed.

    Parsing one document over and over would let the label caches also answer
    for its prose; in a real corpus only the official labels repeat.
    """
    out = []
    for v in range(start, start + count):

        def prose(m, v=v):
            return f"{m.group(0)}(第{v}号)"

        def number(m, v=v):
            return str((int(m.group(0)) * 7 + v) % 997)

        changed = re.sub(r"(?m)^[^|<\n]{30,}?[。)]$", prose, text)
        changed = re.sub(r"(?<=[>\n])\d+(?= \||</span>)", number, changed)
        out.append(changed)
    return out


def per_second(fn, docs_per_repeat: list[list[str]]) -> float:
    best = float("inf")
    for docs in docs_per_repeat:
        t0 = time.perf_counter()
        for doc in docs:
            fn(doc)
        best = min(best, time.perf_counter() - t0)
    return len(docs_per_repeat[0]) / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="parses per repeat")
    ap.add_argument("--write", type=Path, help="rewrite the parse section of this Markdown file")
    args = ap.parse_args()

    n, repeats = args.n, 5
    texts = [variants(TEXT, n, start=r * n) for r in range(repeats)]
    htmls = [variants(HTML, n, start=r * n) for r in range(repeats)]
    assert giaudit.read(texts[0][1]).values != giaudit.read(TEXT).values  # the variants really differ
    giaudit.read(TEXT), giaudit.read(HTML)  # warm caches (templates, regexes)
    text_rate = per_second(giaudit.read, texts)
    html_rate = per_second(giaudit.read, htmls)
    pandas_rate = per_second(lambda d: pd.read_html(io.StringIO(d), flavor="lxml"), [h[: n // 3] for h in htmls])
    frames_rate = per_second(
        lambda d: (lambda r: (r.table2, r.table3, r.table4, r.tidy))(giaudit.read(d)), [t[: n // 3] for t in texts]
    )

    rows = [
        (f"giaudit.read, scraped text (sample, {len(TEXT.encode()) // 1024} KB)", text_rate),
        (f"giaudit.read, saved web page (sample as HTML, {len(HTML.encode()) // 1024} KB)", html_rate),
        ("pandas.read_html, same web page (tables only)", pandas_rate),
        ("giaudit.read + table2/3/4 + tidy DataFrames, text", frames_rate),
    ]
    lines = [
        "## Parsing (`benchmarks/bench_parse.py`)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, pandas {pd.__version__}; one core, "
        f"best of 5 repeats. Reproduce: `make bench` or `python benchmarks/bench_parse.py`.",
        "",
        "| what | reports/s | ms/report |",
        "|---|---:|---:|",
        *(f"| {name} | {rate:,.0f} | {1000 / rate:.2f} |" for name, rate in rows),
        "",
        f"- Text: **{text_rate:,.0f} reports/s** on one core. Goal of issue 14, ≥ 1,500/s: "
        f"**{'met' if text_rate >= 1500 else 'NOT met'}**.",
        f"- HTML: giaudit.read is **{html_rate / pandas_rate:.1f}×** as fast as pandas.read_html on the same page, "
        f"and read_html only splits tables: it finds no values, labels or sources. Goal of issue 14, ≥ 4×: "
        f"**{'met' if html_rate >= 4 * pandas_rate else 'NOT met'}**.",
        "",
    ]
    publish(lines, args.write)


if __name__ == "__main__":
    main()
