"""Instructions per read, counted by valgrind: a measure of reading's cost that a busy machine does not disturb.

    python benchmarks/instructions.py                      # text and HTML: instructions per giaudit.read
    python benchmarks/instructions.py --stages             # and per step of the extraction
    python benchmarks/instructions.py --kind text --stages build_cells match_table

Wall and CPU time on a shared machine vary by 10 % from run to run; valgrind's instruction count (callgrind)
varies by about 1 %, so a change of a few percent can be judged. Each count is the difference between a run
that reads 40 distinct documents and one that reads none (the same start-up and warm-up otherwise); a step's
count is found by running that step five times instead of once. Needs valgrind (Debian: `apt-get install
valgrind`); about half a minute a count.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N = 40
STAGES = (
    "detect_format",
    "split_run_on",
    "unfuse",
    "classify",
    "find_sections",
    "match_table",
    "match_single_row",
    "build_cells",
    "collect_prose",
    "detect_meta",
)

# Run under valgrind: read `count` distinct variants of a document (after ten to warm caches up); with `stage`,
# run that step of the extraction five times each time it is called.
PROBE = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/benchmarks"]
from bench_parse import HTML, TEXT, variants
import giaudit
from giaudit import extract
kind, count, stage = sys.argv[2], int(sys.argv[3]), sys.argv[4]
docs = variants(TEXT if kind == "text" else HTML, 10 + 40)  # as many whatever the count (N): made alike
for d in docs[:10]:
    giaudit.read(d)
if stage != "-":
    step = getattr(extract, stage)
    def five_times(*args, **kwargs):
        for _ in range(4):
            step(*args, **kwargs)
        return step(*args, **kwargs)
    setattr(extract, stage, five_times)
for d in docs[10 : 10 + count]:
    giaudit.read(d)
"""


def instructions(kind: str, count: int, stage: str = "-") -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", PROBE]
        + [str(ROOT), kind, str(count), stage],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=True,
    )
    m = re.search(r"Collected : (\d+)", out.stderr)
    if m is None:
        raise SystemExit(f"valgrind gave no count: {out.stderr[-500:]}")
    return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", choices=("text", "html"), action="append")
    ap.add_argument("--stages", nargs="*", help="also count these steps of the extraction (default: all)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind (Debian)")
    for kind in args.kind or ("text", "html"):
        base = instructions(kind, 0)
        full = instructions(kind, N)
        per_read = (full - base) / N
        print(f"{kind}: {per_read / 1e6:.2f} M instructions per giaudit.read")
        if args.stages is not None:
            for stage in args.stages or STAGES:
                extra = (instructions(kind, N, stage) - full) / N / 4
                print(f"  {stage:18s} {extra / 1e6:6.2f} M  ({extra / per_read:5.1%})")


if __name__ == "__main__":
    main()
