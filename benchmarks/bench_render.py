"""Seconds to render one HTML write-up (giaudit render), end to end, as a user runs it.

    python benchmarks/bench_render.py [--runs 3] [--single] [--write docs/benchmarks.md]

Each run is a fresh `python -m giaudit render` process on the bundled sample:
interpreter start, reading and auditing the report, one kernel running the
three notebooks (charts included), and the nbconvert export. Median and
worst of the runs are reported, in wall seconds and in CPU seconds (user +
system of the command and its kernel: the command waits for its kernel, so
the kernel's CPU is counted in the command's children). Target: under 10 s on
this machine; goal (issue 14): a single write-up in at most 2.5 s CPU.
Then two batches (`render --each`, one kernel): 5 and 40 reports, their time per
report and peak memory. ``--single``: the single write-up only, not the batches.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _docs import publish

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "jiangle-2024.txt"
BATCH = 40  # reports in the larger batch


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--single", action="store_true", help="the single write-up only, not the batches")
    ap.add_argument("--write", type=Path, help="rewrite the render section of this Markdown file")
    args = ap.parse_args()
    times, cpus = [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.runs):
            before, t0 = _children_cpu(), time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "giaudit", "render", str(SAMPLE), "-o", out, "--quiet"],
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
            times.append(time.perf_counter() - t0)
            cpus.append(_children_cpu() - before)
        size = next(Path(out).glob("*.html")).stat().st_size
        small, large = (None, None) if args.single else (_batch(Path(out), 5), _batch(Path(out), BATCH))
    median, worst = statistics.median(times), max(times)
    cpu, cpu_worst = statistics.median(cpus), max(cpus)
    lines = [
        "## Rendering a write-up (`benchmarks/bench_render.py`)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; {args.runs} runs of "
        "`python -m giaudit render data/samples/jiangle-2024.txt`, each a fresh process; CPU is user + system "
        "time of the command and its kernel. Reproduce: `python benchmarks/bench_render.py`.",
        "",
        "| what | median s | worst s |",
        "|---|---:|---:|",
        f"| one write-up, end to end ({size // 1024} KB of self-contained HTML) | {median:.1f} | {worst:.1f} |",
        f"| one write-up, CPU (command + kernel) | {cpu:.2f} | {cpu_worst:.2f} |",
    ]
    if large is not None:
        per_report = large[0]
        lines.append(f"| a batch of {BATCH} (`render --each`, one kernel), per report | {per_report:.2f} | |")
    lines.append("")
    lines.append(f"- Single write-up goal ≤ 2.5 s CPU: **{'met' if cpu <= 2.5 else 'NOT met'}** ({cpu:.2f} s, median).")
    if large is not None:
        lines.append(
            f"- Batch goal ≤ 1 s per report: **{'met' if per_report <= 1 else 'NOT met'}** ({per_report:.2f} s)."
        )
        flat = large[1] <= 1.2 * small[1]
        lines.append(
            f"- A batch's memory flat in its size: **{'met' if flat else 'NOT met'}** (peak of any process "
            f"{small[1]:.0f} MiB for 5 reports, {large[1]:.0f} MiB for {BATCH}). The kernel keeps no output history "
            "(IPython's `Out` had kept every report's figures: 653 MiB at 20 reports before)."
        )
    lines += [f"- Target under 10 s: **{'met' if worst < 10 else 'NOT met'}** (worst run {worst:.1f} s).", ""]
    publish(lines, args.write)


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's waited-for children, and of theirs (the kernel)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def _batch(out: Path, n: int) -> tuple[float, float]:
    """A batch of ``n`` distinct reports in one command (one kernel), what a supervising office runs: wall seconds
    per report, and the peak resident MiB of any one process (the command or its kernel), measured by a process of
    its own."""
    batch = out / f"batch{n}"
    batch.mkdir()
    text = SAMPLE.read_text("utf-8")
    for i in range(n):
        (batch / f"r{i:02d}.txt").write_text(text.replace("214条", f"{214 + i}条"), "utf-8")
    cmd = [sys.executable, "-m", "giaudit", "render", "--each", str(batch), "-o", str(out / f"b{n}"), "--quiet"]
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], check=True, capture_output=True, text=True, cwd=ROOT)
    return (time.perf_counter() - t0) / n, float(done.stdout)


if __name__ == "__main__":
    main()
