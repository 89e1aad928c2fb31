"""Fuzz giaudit.read and giaudit.audit with mutated real reports: crashes, hangs and blanks that became 0.

    python benchmarks/fuzz.py                       # 100,000 inputs (about an hour on 2 cores)
    python benchmarks/fuzz.py -n 2000 --seed 7      # a quick run
    python benchmarks/fuzz.py --write docs/reliability.md

Inputs are real reports (the bundled sample as text, HTML and DOCX, and other fixtures) mutated by a seeded
mutator: byte flips, lines dropped and duplicated, splices between reports, random Unicode, numbers made huge,
negative, decimal or written with other digits, zero-width spaces, a DOCTYPE before a page. For each input,
everything a user touches is exercised: ``giaudit.read``, the three tables, ``tidy``, ``records``,
``indicators``, ``giaudit.audit`` and its DataFrame, and the JSON of both.

- a *crash* is any exception but giaudit's own one-line ``GiauditError``;
- a *hang* is an input that takes more than 2 s;
- a *blank became 0* is a cell printed blank, "/", "—" or "无" whose value is not missing.

The mutator lives in ``giaudit_fuzz`` below so that tests/test_fuzz.py runs the same thing on a small count.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import random
import signal
import sys
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import giaudit  # noqa: E402
from giaudit.errors import GiauditError  # noqa: E402
from giaudit.values import parse_value  # noqa: E402

HANG = 2.0
ODD = ["①", "²", "𝟎", "०", "٣", "\u200b", "\u200d", "\ufeff", "⁵", "Ⅳ", "〇", "五", "−", "–", "％", "\x00", "\ud800"]
NUMBERS = ["10" * 20, "-3", "3.5", "1e40", "99999999999999999999", "0.000001", "１２", "12,345", "－5", "5²", "①"]


def seeds() -> dict[str, list[bytes]]:
    """Real reports by kind: text, HTML, DOCX."""
    reports = ROOT / "tests" / "reports"
    texts = [(ROOT / "data/samples/jiangle-2024.txt").read_bytes()]
    texts += [p.read_bytes() for p in sorted(reports.glob("*.txt"))[:12]]
    html = [(reports / "jiangle-2024.html").read_bytes(), (reports / "pingtan-2024.html").read_bytes()]
    docx = [(reports / "jiangle-2024.docx").read_bytes()]
    return {"text": texts, "html": html, "docx": docx}


class Mutator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pool = seeds()

    def text(self, data: bytes) -> bytes:
        rng = self.rng
        s = data.decode("utf-8", "replace")
        for _ in range(rng.randint(1, 4)):
            op = rng.randrange(9)
            lines = s.split("\n")
            if op == 0 and lines:  # drop lines
                i = rng.randrange(len(lines))
                del lines[i : i + rng.randint(1, 30)]
            elif op == 1 and lines:  # duplicate lines
                i = rng.randrange(len(lines))
                lines[i:i] = lines[i : i + rng.randint(1, 40)] * rng.randint(1, 50)
            elif op == 2:  # splice with another report
                other = rng.choice(self.pool["text"]).decode("utf-8", "replace").split("\n")
                i, j = rng.randrange(len(lines) + 1), rng.randrange(len(other) + 1)
                lines = lines[:i] + other[j:]
            elif op == 3 and lines:  # odd characters
                i = rng.randrange(len(lines))
                line = lines[i]
                k = rng.randrange(len(line) + 1)
                lines[i] = line[:k] + rng.choice(ODD) + line[k:]
            elif op == 4 and lines:  # numbers made strange
                i = rng.randrange(len(lines))
                lines[i] = "".join(
                    rng.choice(NUMBERS) if ch.isdigit() and rng.random() < 0.5 else ch for ch in lines[i]
                )
            elif op == 5:  # a DOCTYPE or XML declaration before the page
                lines.insert(
                    0, rng.choice(['<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" ">', '<?xml version="1.0"?>'])
                )
            elif op == 6 and lines:  # blanks, slashes and dashes in place of numbers
                i = rng.randrange(len(lines))
                lines[i] = "".join(rng.choice(["", "/", "—", "无", " "]) if ch.isdigit() else ch for ch in lines[i])
            elif op == 7:  # random unicode
                i = rng.randrange(len(lines) + 1)
                lines.insert(i, "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(rng.randint(1, 60))))
            else:  # truncate
                lines = lines[: rng.randrange(len(lines) + 1)]
            s = "\n".join(lines)
        out = s.encode("utf-8", "surrogatepass")
        if rng.random() < 0.2:  # byte flips
            b = bytearray(out)
            for _ in range(rng.randint(1, 20)):
                if b:
                    b[rng.randrange(len(b))] = rng.randrange(256)
            out = bytes(b)
        if rng.random() < 0.05:
            out = rng.choice([b"\xff\xfe", b"\xfe\xff", b""]) + out
        if rng.random() < 0.05:
            out = out.decode("utf-8", "replace").encode("utf-16-le" if rng.random() < 0.5 else "utf-16")
        return out

    def docx(self, data: bytes) -> bytes:
        rng = self.rng
        if rng.random() < 0.3:  # the zip itself damaged
            b = bytearray(data)
            for _ in range(rng.randint(1, 30)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            return bytes(b[: rng.randrange(len(b) + 1)] if rng.random() < 0.3 else b)
        zin = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                body = zin.read(item.filename)
                if item.filename == "word/document.xml":
                    xml = body.decode("utf-8")
                    xml = "".join(
                        rng.choice(NUMBERS + ["", "/"]) if ch.isdigit() and rng.random() < 0.05 else ch for ch in xml
                    )
                    body = xml.encode("utf-8", "surrogatepass")
                zout.writestr(item, body)
        return out.getvalue()

    def input(self) -> tuple[str, bytes]:
        kind = self.rng.choices(["text", "html", "docx"], weights=[6, 3, 1])[0]
        base = self.rng.choice(self.pool[kind])
        data = self.docx(base) if kind == "docx" else self.text(base)
        suffix = self.rng.choice({"text": [".txt", ""], "html": [".html", ""], "docx": [".docx"]}[kind])
        return f"fuzz{suffix}", data


def exercise(name: str, data: bytes) -> list[str]:
    """Everything a user touches; the blank-became-0 violations found (an exception propagates)."""
    if name.endswith((".txt", ".html", ".docx")):
        path = _TMP / f"input{Path(name).suffix}"
        path.write_bytes(data)
        report = giaudit.read(path)
    else:
        report = giaudit.read(data)
    touched = [report.table(t) for t in ("t2", "t3", "t4")]
    touched += [report.tidy, report.records(), report.indicators]
    json.dumps(report.to_dict(), ensure_ascii=False, default=str)
    findings = giaudit.audit(report)
    touched += [findings.df, findings.summary()]
    json.dumps(findings.to_dict(), ensure_ascii=False)
    bad = []
    for key, cell in report.cells.items():
        if cell.raw is not None and cell.value is not None:
            parsed = parse_value(cell.raw)
            if parsed is not None and parsed.missing:
                bad.append(f"{key}: {cell.raw!r} -> {cell.value!r}")
    return bad


_TMP = Path(__import__("tempfile").mkdtemp(prefix="giaudit-fuzz-"))


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def run(n: int, seed: int, progress: bool = False) -> dict:
    mutator = Mutator(seed)
    counts: Counter = Counter()
    examples: dict[str, list[str]] = {"crash": [], "hang": [], "blank": []}
    slowest = 0.0
    signal.signal(signal.SIGALRM, _alarm)
    for i in range(n):
        name, data = mutator.input()
        start = time.perf_counter()
        signal.alarm(30)
        try:
            bad = exercise(name, data)
            counts["ok"] += 1
            if bad:
                counts["blank"] += 1
                examples["blank"].append(f"#{i} {name}: {bad[0]}")
        except GiauditError:
            counts["refused"] += 1
        except _Timeout:
            counts["hang"] += 1
            examples["hang"].append(f"#{i} {name}: over 30 s")
        except Exception as exc:  # the thing being counted
            counts["crash"] += 1
            where = traceback.extract_tb(exc.__traceback__)[-1]
            examples["crash"].append(f"#{i} {name}: {type(exc).__name__}: {exc} at {where.filename}:{where.lineno}")
        finally:
            signal.alarm(0)
        took = time.perf_counter() - start
        slowest = max(slowest, took)
        if took > HANG:
            counts["hang"] += 1
            examples["hang"].append(f"#{i} {name}: {took:.1f} s")
        if progress and i % 1000 == 0:
            print(i, dict(counts), file=sys.stderr)
    return {"n": n, "seed": seed, "counts": dict(counts), "examples": examples, "slowest": slowest}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--write", type=Path)
    ap.add_argument("--jobs", type=int, default=1, help="processes, each with its own seed (seed, seed+1, …)")
    args = ap.parse_args()
    start = time.time()
    if args.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        share = [args.n // args.jobs + (j < args.n % args.jobs) for j in range(args.jobs)]
        with ProcessPoolExecutor(args.jobs) as pool:
            parts = list(pool.map(run, share, [args.seed + j for j in range(args.jobs)]))
        result = {"counts": Counter(), "examples": {"crash": [], "hang": [], "blank": []}, "slowest": 0.0}
        for part in parts:
            result["counts"].update(part["counts"])
            for k in result["examples"]:
                result["examples"][k] += part["examples"][k]
            result["slowest"] = max(result["slowest"], part["slowest"])
    else:
        result = run(args.n, args.seed, progress=True)
    wall = time.time() - start
    c = result["counts"]
    lines = [
        "## Fuzzing (`benchmarks/fuzz.py`)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; seed {args.seed}; {args.jobs} process(es). "
        f"Reproduce: `python benchmarks/fuzz.py -n {args.n} --seed {args.seed} --jobs {args.jobs}`.",
        "",
        "| inputs | read and audited | refused with a one-line reason | crashes | hangs (> 2 s) | blank became 0 |"
        " slowest | wall time |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {args.n:,} | {c.get('ok', 0):,} | {c.get('refused', 0):,} | {c.get('crash', 0)} | {c.get('hang', 0)} | "
        f"{c.get('blank', 0)} | {result['slowest']:.2f} s | {wall / 60:.0f} min |",
        "",
    ]
    for kind in ("crash", "hang", "blank"):
        for ex in result["examples"][kind][:10]:
            lines.append(f"- {kind}: {ex}")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from _docs import write_section

        write_section(args.write, text)


if __name__ == "__main__":
    main()
