"""Dask against the local process pool, and streamed results against the former batch barrier.

    python benchmarks/bench_dask.py [--n 2000] [--workers 2] [--write docs/benchmarks.md]

Makes N distinct reports as `bench_corpus.py` does, then runs `giaudit.corpus.run` on them (no cache: a
fresh output folder each time) in this process:

- the local process pool (`workers=N`), the baseline;
- a local Dask cluster (`distributed.LocalCluster`, one single-threaded worker process per core) with the
  scheduling of this tree: corpus.PER_TASK files a task, chunks submitted while earlier ones run, results in order;
- the same cluster with the former scheduling (each 4×256-future chunk gathered before the next is
  submitted), re-created here from the former code as the same-run baseline.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from _docs import write_section
from bench_corpus import make

from giaudit import corpus


def _barrier_map(paths, names, scheduler):
    """The former `_dask_map`: a barrier every 4 × BATCH futures (its results encoded as the cache keeps them,
    which the parent then did too)."""
    client = scheduler
    paths, names = list(paths), list(names)
    for start in range(0, len(paths), 4 * corpus.BATCH):
        futures = client.map(
            corpus.process_file,
            paths[start : start + 4 * corpus.BATCH],
            names[start : start + 4 * corpus.BATCH],
            pure=False,
        )
        yield from map(corpus._encode, client.gather(futures))


def timed(folder: Path, out: Path, **kwargs) -> float:
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    stats = corpus.run(folder, out, progress=False, **kwargs)
    took = time.perf_counter() - t0
    assert stats.errors == 0, stats
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="giaudit-dask-") as tmp:
        folder, out = Path(tmp) / "reports", Path(tmp) / "out"
        make(folder, args.n)
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        try:
            client.run(lambda: __import__("giaudit.corpus"))  # imports paid before timing, as in the pool's warm-up
            timed(folder, out, workers=args.workers)  # warm the page cache
            pool, streamed, barrier = [], [], []
            for _ in range(args.runs):
                pool.append(timed(folder, out, workers=args.workers))
                streamed.append(timed(folder, out, scheduler=client))
                former = corpus._dask_map
                corpus._dask_map = _barrier_map
                try:
                    barrier.append(timed(folder, out, scheduler=client))
                finally:
                    corpus._dask_map = former
        finally:
            client.close()
            cluster.close()
    best = {k: min(v) for k, v in (("pool", pool), ("streamed", streamed), ("barrier", barrier))}
    ratio = best["streamed"] / best["pool"]
    rows = [
        ("local process pool (baseline)", best["pool"]),
        (f"Dask, streamed, {corpus.PER_TASK} files a task (this tree)", best["streamed"]),
        ("Dask, batch barrier (former code)", best["barrier"]),
    ]
    text = "\n".join(
        [
            "## Dask against the local pool (`benchmarks/bench_dask.py`)",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"{args.n} reports (no cache), {args.workers} worker processes either way, best of {args.runs}. "
            "Reproduce: `python benchmarks/bench_dask.py`.",
            "",
            "| how | wall s | reports/s |",
            "|---|---:|---:|",
            *[f"| {name} | {t:.1f} | {args.n / t:.0f} |" for name, t in rows],
            "",
            f"- Dask within 10 % of the local pool: **{'met' if ratio <= 1.10 else 'NOT met'}** "
            f"(streamed/pool = {ratio:.2f}; the former barrier: {best['barrier'] / best['pool']:.2f}).",
            "- On one machine the pool is the right choice; a Dask cluster pays off only when its workers are on",
            "  more machines than one, and the reports are on storage they all reach.",
            "",
        ]
    )
    print(text)
    if args.write:
        write_section(args.write, text)


if __name__ == "__main__":
    main()
