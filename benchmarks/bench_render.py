"""Seconds to render one HTML write-up (giaudit render), end to end, as a user runs it.

    python benchmarks/bench_render.py [--runs 3] [--write docs/benchmarks.md]

Each run is a fresh `python -m giaudit render` process on the bundled sample:
interpreter start, reading and auditing the report, one kernel running the
three notebooks (charts included), and the nbconvert export. Median and
worst of the runs are reported. Target: under 10 s on this machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _docs import write_section

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "jiangle-2024.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", type=Path, help="rewrite the render section of this Markdown file")
    args = ap.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "giaudit", "render", str(SAMPLE), "-o", out, "--quiet"],
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
            times.append(time.perf_counter() - t0)
        size = next(Path(out).glob("*.html")).stat().st_size
        # a batch of 20 distinct reports in one command (one kernel): what a supervising office runs
        batch = Path(out) / "batch"
        batch.mkdir()
        text = SAMPLE.read_text("utf-8")
        for n in range(20):
            (batch / f"r{n:02d}.txt").write_text(text.replace("214条", f"{214 + n}条"), "utf-8")
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "giaudit", "render", "--each", str(batch), "-o", str(Path(out) / "b"), "--quiet"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        per_report = (time.perf_counter() - t0) / 20
    median, worst = statistics.median(times), max(times)
    text = "\n".join(
        [
            "## Rendering a write-up (`benchmarks/bench_render.py`)",
            "",
            f"Machine: {platform.machine()}, Python {platform.python_version()}; {args.runs} runs of "
            "`python -m giaudit render data/samples/jiangle-2024.txt`, each a fresh process. "
            "Reproduce: `python benchmarks/bench_render.py`.",
            "",
            "| what | median s | worst s |",
            "|---|---:|---:|",
            f"| one write-up, end to end ({size // 1024} KB of self-contained HTML) | {median:.1f} | {worst:.1f} |",
            f"| a batch of 20 (`render --each`, one kernel), per report | {per_report:.2f} | |",
            "",
            f"- Batch goal ≤ 1 s per report: **{'met' if per_report <= 1 else 'NOT met'}** ({per_report:.2f} s).",
            f"- Target under 10 s: **{'met' if worst < 10 else 'NOT met'}** (worst run {worst:.1f} s).",
            "",
        ]
    )
    print(text)
    if args.write:
        write_section(args.write, text)


if __name__ == "__main__":
    main()
