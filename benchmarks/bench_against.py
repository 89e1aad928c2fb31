"""The same benchmarks on this tree and on an earlier commit, in one run: is a change any slower?

    python benchmarks/bench_against.py cbd8ba8                 # print the table
    python benchmarks/bench_against.py cbd8ba8 --write docs/benchmarks.md

The earlier commit is checked out into a temporary git worktree; each
measurement runs in a fresh process of this environment's Python, alternating
baseline and this tree, best of ``--rounds``: reading the sample text, reading
the sample as HTML, and auditing the sample (ms per report, one core).
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _docs import publish  # noqa: E402

PROBE = """
import sys, time
sys.path.insert(0, sys.argv[1])
import giaudit
text = open(sys.argv[1] + "/data/samples/jiangle-2024.txt", encoding="utf-8").read()
html = open(sys.argv[1] + "/tests/reports/jiangle-2024.html", encoding="utf-8").read()
def best(fn, n):
    out = 1e9
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        out = min(out, (time.perf_counter() - t) / n)
    return out * 1000
report = giaudit.read(text)
print(best(lambda: giaudit.read(text), 200), best(lambda: giaudit.read(html), 80), best(lambda: giaudit.audit(report), 300))
"""
WHAT = ("giaudit.read, sample text", "giaudit.read, sample HTML", "giaudit.audit, sample")


def measure(tree: Path) -> list[float]:
    out = subprocess.run([sys.executable, "-c", PROBE, str(tree)], capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rev", help="the baseline commit")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(base), args.rev], check=True)
        try:
            runs = {"base": [], "this": []}
            for _ in range(args.rounds):
                runs["base"].append(measure(base))
                runs["this"].append(measure(ROOT))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True)
    b = [min(r[i] for r in runs["base"]) for i in range(3)]
    t = [min(r[i] for r in runs["this"]) for i in range(3)]
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.rev], capture_output=True, text=True)
    lines = [
        "## Against a baseline (`benchmarks/bench_against.py`)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; baseline `{rev.stdout.strip()}` in a git "
        f"worktree, alternating with this tree, each in a fresh process, best of {args.rounds} rounds × 5 repeats. "
        f"Reproduce: `python benchmarks/bench_against.py {args.rev}`.",
        "",
        "| what | baseline ms | this tree ms | ratio |",
        "|---|---:|---:|---:|",
        *(f"| {w} | {x:.2f} | {y:.2f} | {y / x:.2f} |" for w, x, y in zip(WHAT, b, t, strict=True)),
    ]
    publish(lines, args.write)


if __name__ == "__main__":
    main()
