"""What the per-token objects of a read cost: text reads a second with the collector and the locations varied.

    python benchmarks/objects.py [--n 300] [--write docs/benchmarks.md]

A text read makes a Token and a Loc (its source: file and line) for every line, about 750 objects for the
sample, and a Cell for each of its 200 values. Each case reads distinct variants of the sample as
`bench_parse.py` does, in a process of its own:

- as is: what `bench_parse.py` measures;
- collector off (`gc.disable()`): what collecting costs;
- as a corpus worker is set (its loaded code frozen for the collector, the threshold raised to 10,000);
- with pre-made locations: the text reader takes each line's Loc from a list made before the timing, so a read
  makes no Loc at all. Not a way to read (in a corpus every file has its own name): the measure of what
  allocating and freeing the locations costs, that is of what a token model without an object per token (columns
  of texts, kinds and lines) could at most save on them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from _docs import publish

ROOT = Path(__file__).resolve().parents[1]

CASES = {
    "as is": "",
    "collector off": "import gc; gc.disable()",
    "as a corpus worker is set": "from giaudit import corpus; corpus._settle_worker()",
    "pre-made locations (no Loc made in a read)": (
        "import giaudit.readers.text as T; from giaudit.document import Loc\n"
        "made = [Loc('<text>', i) for i in range(5000)]\n"
        "T.Loc = lambda name, line: made[line]"
    ),
}

PROBE = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/benchmarks"]
from bench_parse import TEXT, per_second, variants
import giaudit
n = int(sys.argv[2])
texts = [variants(TEXT, n, start=r * n) for r in range(5)]
giaudit.read(TEXT)
exec(sys.argv[3])
print(per_second(giaudit.read, texts))
"""


def rate(setup: str, n: int) -> float:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT), str(n), setup], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="reads per repeat")
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    rounds = [{name: rate(setup, args.n) for name, setup in CASES.items()} for _ in range(3)]  # interleaved
    lines = [
        "## What a read's objects cost (`benchmarks/objects.py`)",
        "",
        "Text reads a second (`giaudit.read` of distinct variants of the sample, one core, as `bench_parse.py`), "
        "each case in a process of its own, three rounds interleaved (the range shows this machine's noise). "
        "Reproduce: `python benchmarks/objects.py`.",
        "",
        "| case | text reports/s (3 rounds) | against as is |",
        "|---|---:|---:|",
    ]
    base = sorted(r["as is"] for r in rounds)[1]
    for name in CASES:
        got = sorted(r[name] for r in rounds)
        lines.append(f"| {name} | {got[0]:,.0f}–{got[-1]:,.0f} | {got[1] / base:.2f}× |")
    lines.append("")
    publish(lines, args.write)


if __name__ == "__main__":
    main()
