"""Corpus audits: every report under a folder, parsed and audited in parallel, streamed into Parquet.

``run(root, out)`` (CLI: ``giaudit corpus DIR -o OUT``) writes

- ``OUT/values.parquet``   tidy: one row per report and canonical key;
- ``OUT/findings.parquet`` one row per finding, cross-year ones included;
- ``OUT/reports.parquet``  one row per report: agency, year, format, counts, indicators;
- ``OUT/errors.csv``       one row per file that could not be read, with the reason.

Files are processed on all cores (a process pool), or on a Dask cluster with
``scheduler="tcp://…"`` (extra ``giaudit[dask]``). Results stream to the Parquet
writers as they arrive, so memory holds one batch and one small summary per
report, not the corpus. Each file's result is cached under ``OUT/.cache`` by the
SHA-256 of its content: a re-run reads only what changed. Outputs are written
to temporary files and moved into place, so a crash leaves the previous run's
outputs whole.

Same agency across years: agency names are normalised (whitespace, 政府办 →
人民政府办公室, a city prefix one report prints and another drops), a CSV
``--agency-map`` (columns ``name,agency``) overrides them, and consecutive years
of one agency get the cross-year checks.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import re
import shutil
import sys
import tempfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .findings import FIELDS as FINDING_FIELDS
from .findings import ROW_FIELDS
from .meta import normalize_agency
from .report import VALUE_FIELDS as REPORT_VALUE_FIELDS
from .sheets import safe_cell

CACHE_VERSION = "5"  # 3: values as an Arrow record batch; 4: results compressed; 5: in one pack file
BATCH = 256
PER_TASK = 64  # files per Dask task

# The Parquet tables' columns and types, made from the two constants that define a value and a finding.
_IDENT = (("report_id", "string"), ("agency", "string"), ("agency_key", "string"), ("year", "int"))
VALUE_SCHEMA = (*_IDENT, ("format", "string"), *REPORT_VALUE_FIELDS)
FINDING_SCHEMA = (*_IDENT, *((n, t) for n, t in FINDING_FIELDS if n in ROW_FIELDS), ("previous_report_id", "string"))
VALUE_FIELDS = [n for n, _ in VALUE_SCHEMA]
FINDING_FIELDS = [n for n, _ in FINDING_SCHEMA]
INDICATOR_KEYS = ("disclosure_rate", "denial_rate", "unable_rate", "not_processed_rate", "review_correction_rate")


@dataclass
class FileResult:
    """What one worker sends back for one file: small, picklable, path-free (cached by content)."""

    sha256: str
    error: str | None = None
    meta: dict = field(default_factory=dict)
    values: bytes = b""  # the report's values as one Arrow record batch (IPC stream): see _pack
    crossing: list[tuple] = field(default_factory=list)  # the few values the cross-year checks read, as records
    findings: list[tuple] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def discover(root: Path) -> list[Path]:
    """Report files under ``root`` (hidden folders and the output's cache are skipped), sorted."""
    from .readers import suffixes as reader_suffixes

    suffixes = reader_suffixes() - {".csv", ".tsv"}  # tables beside reports are a corpus's own outputs, not reports
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in suffixes
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def process_file(path: str, name: str | None = None) -> FileResult:
    """Parse and audit one file (runs in a worker); ``name`` is how sources name it (default: the path)."""
    from . import audit
    from .errors import GiauditError
    from .extract import extract
    from .readers import load_bytes
    from .report import Report

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return FileResult("", error=f"{path}: cannot be read ({exc.strerror}); check its permissions")
    sha = hashlib.sha256(data).hexdigest()
    try:
        doc = load_bytes(data, name or path)
        report = Report(doc, extract(doc))
        findings = audit(report)
        records = report.records()
        return FileResult(
            sha,
            meta=report.meta.to_dict(),
            values=_pack(records),
            crossing=[row for row in records if _crosses(row[0])],
            findings=[f.row() for f in findings],
            summary=_summary(report, findings),
        )
    except GiauditError as exc:
        return FileResult(sha, error=exc.message)
    except Exception as exc:  # a corpus run records the file and goes on
        return FileResult(sha, error=f"{name or path}: unexpected {type(exc).__name__}: {exc}; please report this file")


def _pack(records: list[tuple]) -> bytes:
    """A report's value records as one Arrow record batch: built in the worker, so the parent only
    adds the report's columns and writes (no Python object per value crosses a process or the cache)."""
    import pyarrow as pa

    schema = _arrow(pa, REPORT_VALUE_FIELDS)
    columns = list(zip(*records, strict=True)) if records else [()] * len(schema)
    batch = pa.RecordBatch.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
    )
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:  # uncompressed: the cache compresses what it keeps
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def _unpack(pa, data: bytes):
    return pa.ipc.open_stream(data, options=pa.ipc.IpcReadOptions(use_threads=False)).read_next_batch()


def _summary(report, findings) -> dict:
    from .indicators import values as indicator_values

    counts = findings.counts()
    ind = indicator_values(report.values, report.template)
    v = report.values
    return {
        "kind": report.meta.kind,
        "title": report.meta.title,
        "values_found": sum(x is not None for x in v.values()),
        "values_total": len(v),
        "reader_warnings": len(report.warnings),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
        "balance_failed": sum(1 for f in findings if f.check == "t3.balance" and f.severity.value == "error"),
        "new_requests": v.get("t3.new_requests.total"),
        "total_processed": v.get("t3.total_processed.total"),
        "review_total": v.get("t4.review.total"),
        **{k: ind.get(k) for k in INDICATOR_KEYS},
    }


# ---------------------------------------------------------------- agencies

_PREFIX = re.compile(r"^(.{2,8}?(?:省|自治区|市|自治州|州|地区|盟))(.{2,}(?:区|县|市|旗).*)$")


def agency_keys(names: Iterable[str | None], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised name -> the key one agency is known by across the corpus.

    A name that another name extends only by a province/city prefix (洪泽区人民政府,
    淮安市洪泽区人民政府) is the same agency when exactly one such longer name exists.
    """
    mapping = {normalize_agency(k): v for k, v in (mapping or {}).items()}
    norms = {n for n in (normalize_agency(x) for x in names) if n}
    by_rest: dict[str, list[str]] = {}  # 洪泽区人民政府 -> [淮安市洪泽区人民政府]: indexed once, not a scan per name
    for m in norms:
        if (match := _PREFIX.match(m)) is not None:
            by_rest.setdefault(match.group(2), []).append(m)
    keys = {}
    for n in norms:
        if n in mapping:
            keys[n] = mapping[n]
            continue
        longer = [m for m in by_rest.get(n, ()) if m != n]
        keys[n] = longer[0] if len(longer) == 1 else n
    return keys


def read_agency_map(path: str | Path | None) -> dict[str, str]:
    if not path:
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {row["name"].strip(): row["agency"].strip() for row in csv.DictReader(fh) if row.get("name")}


# ---------------------------------------------------------------- running


def _executor_map(paths: list[str], names: list[str], workers: int | None, scheduler) -> Iterator[FileResult]:
    if not paths:
        return iter(())
    if scheduler in ("synchronous", "sync") or workers == 1:
        return map(process_file, paths, names)
    if scheduler:
        return _dask_map(paths, names, scheduler)
    count = workers or os.cpu_count() or 1
    pool = ProcessPoolExecutor(max_workers=count, initializer=_die_with_parent)
    chunk = max(1, min(64, len(paths) // (count * 8)))

    def results():
        # A window of chunks in flight, not every file submitted at once (as pool.map does): results a slower
        # parent has not taken yet would pile up, and memory (and the collector's work) grow with the corpus.
        window: deque = deque()
        with pool:
            for start in range(0, len(paths), chunk):
                window.append(pool.submit(_process_files, paths[start : start + chunk], names[start : start + chunk]))
                if len(window) > 2 * count:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()

    return results()


def _die_with_parent() -> None:
    """A worker ends when its parent does (killed, say), instead of reading on for minutes (Linux)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _process_files(paths: list[str], names: list[str]) -> list[FileResult]:
    return [process_file(p, n) for p, n in zip(paths, names, strict=True)]


def _dask_map(paths: list[str], names: list[str], scheduler) -> Iterator[FileResult]:
    try:
        from distributed import Client
    except ImportError as exc:
        from .errors import MissingDependency

        raise MissingDependency("giaudit corpus --scheduler", "Dask", "dask") from exc
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    # Each task reads PER_TASK files: a task costs the scheduler about a millisecond, as much as reading a
    # report, so one task per file kept a core of a small machine busy with scheduling.
    # No barrier: while the oldest chunk is gathered, the next ones are already queued, so the workers never
    # wait on the parent; results come in file order. At most 4 chunks (4 × BATCH files) in flight.
    chunks: deque = deque()
    try:
        for start in range(0, len(paths), BATCH):
            ps, ns = paths[start : start + BATCH], names[start : start + BATCH]
            cut = range(0, len(ps), PER_TASK)
            chunks.append(
                client.map(
                    _process_files,
                    [ps[i : i + PER_TASK] for i in cut],
                    [ns[i : i + PER_TASK] for i in cut],
                    pure=False,
                )
            )
            if len(chunks) == 4:
                for results in client.gather(chunks.popleft()):
                    yield from results
        while chunks:
            for results in client.gather(chunks.popleft()):
                yield from results
    finally:
        if not isinstance(scheduler, Client):
            client.close()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of giaudit's own source and templates."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(p for p in here.rglob("*") if p.suffix in (".py", ".toml")):
        h.update(path.relative_to(here).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class _Cache:
    """OUT/.cache: each report's result, compressed, in one pack file (``results.pack``), and each path's
    (size, mtime, hash, where its result is in the pack) to skip reading and hashing it again.

    One pack file, not a file a result: creating a hundred thousand small files costs more than reading the
    reports. The manifest is a journal: one JSON line a result, written after its bytes are in the pack, so a run
    that is killed (kill -9, a power cut) leaves every finished file reusable; bytes without their line, and a
    torn last line, are ignored. A finished run rewrites the manifest compactly, and the pack when less than
    half of it is still in use.
    """

    def __init__(self, out: Path) -> None:
        # results depend on giaudit's code and templates too: a new version starts a new cache
        self.dir = out / ".cache" / f"{CACHE_VERSION}-{code_fingerprint()}"
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.parent.iterdir():
            if old != self.dir and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        self.manifest_path = self.dir / "manifest.jsonl"
        self.pack_path = self.dir / "results.pack"
        self.manifest: dict[str, list] = {}  # path -> [size, mtime_ns, sha256, offset, length]
        try:
            for line in self.manifest_path.read_text("utf-8").splitlines():
                try:
                    path, entry = json.loads(line)
                except (ValueError, TypeError):
                    continue  # a line torn by a kill
                if isinstance(entry, list) and len(entry) == 5:
                    self.manifest[path] = entry
        except OSError:
            pass
        self._pack = open(self.pack_path, "ab")  # closed in save()
        self._pack_size = self._pack.seek(0, os.SEEK_END)
        self.where = {e[2]: (e[3], e[4]) for e in self.manifest.values() if e[3] + e[4] <= self._pack_size}
        self._reader = open(self.pack_path, "rb")  # closed in save()
        self._journal = open(self.manifest_path, "a", encoding="utf-8")  # closed in save()

    def known(self, path: Path) -> str | None:
        """The content hash of a file whose result is cached and still current (the result is loaded later)."""
        st = path.stat()
        entry = self.manifest.get(str(path))
        if not entry or entry[:2] != [st.st_size, st.st_mtime_ns] or entry[2] not in self.where:
            return None
        return entry[2]

    def load(self, sha: str) -> FileResult | None:
        try:
            offset, length = self.where[sha]
            return pickle.loads(zlib.decompress(os.pread(self._reader.fileno(), length, offset)))
        except (KeyError, OSError, pickle.PickleError, EOFError, AttributeError, ValueError, zlib.error):
            return None

    def store(self, path: Path, result: FileResult) -> None:
        if not result.sha256:
            return
        if result.sha256 not in self.where:
            data = zlib.compress(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), 1)
            self._pack.write(data)
            self._pack.flush()  # its bytes before its journal line
            self.where[result.sha256] = (self._pack_size, len(data))
            self._pack_size += len(data)
        st = path.stat()
        entry = [st.st_size, st.st_mtime_ns, result.sha256, *self.where[result.sha256]]
        self.manifest[str(path)] = entry
        self._journal.write(json.dumps([str(path), entry]) + "\n")
        self._journal.flush()

    def outputs_current(self, inputs: str, out: Path) -> dict | None:
        """What the last run said of its outputs, if it was made from exactly ``inputs`` and its output files
        are still the ones it wrote; else None."""
        try:
            stamp = json.loads((self.dir / "outputs.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if stamp.get("inputs") != inputs or stamp.get("files") != _output_files(out):
            return None
        return stamp["done"]

    def outputs_written(self, inputs: str, out: Path, done: dict) -> None:
        stamp = {"inputs": inputs, "files": _output_files(out), "done": done}
        _atomic_bytes(self.dir / "outputs.json", json.dumps(stamp).encode())

    def save(self) -> None:
        self._journal.close()
        self._pack.close()
        live = {e[2]: (e[3], e[4]) for e in self.manifest.values()}
        if sum(n for _, n in live.values()) < self._pack_size / 2:  # mostly results of files since changed
            self._compact(live)
        self._reader.close()
        lines = "".join(json.dumps([p, e]) + "\n" for p, e in self.manifest.items())
        _atomic_bytes(self.manifest_path, lines.encode())

    def _compact(self, live: dict[str, tuple[int, int]]) -> None:
        """Rewrite the pack with the results still in use, one at a time (memory stays bounded)."""
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-pack-")
        moved: dict[str, tuple[int, int]] = {}
        with os.fdopen(fd, "wb") as out:
            for sha, (offset, length) in live.items():
                moved[sha] = (out.tell(), length)
                out.write(os.pread(self._reader.fileno(), length, offset))
        os.replace(tmp, self.pack_path)
        for entry in self.manifest.values():
            entry[3], entry[4] = moved[entry[2]]


_OUTPUTS = ("values.parquet", "findings.parquet", "reports.parquet", "errors.csv")


def _output_files(out: Path) -> list | None:
    """Size and modification time of each output file (None when one is missing): whether they were touched."""
    try:
        return [[(st := (out / name).stat()).st_size, st.st_mtime_ns] for name in _OUTPUTS]
    except OSError:
        return None


def _inputs(root: Path, shas: dict[Path, str], agency_map, decided: dict | None) -> str:
    """One hash of everything a run's outputs are made from: each report (its name and content hash), the
    agency map and the decisions (giaudit's own code is in the cache folder's name)."""
    h = hashlib.sha256()
    for path in sorted(shas):
        h.update(f"{path.relative_to(root)}\0{shas[path]}\n".encode())
    if agency_map:
        h.update(Path(agency_map).read_bytes())
    for fp, d in sorted((decided or {}).items()):
        h.update(f"{fp}\0{d.decision}\0{d.note}\n".encode())
    return h.hexdigest()


def _atomic_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


@dataclass
class RunStats:
    files: int = 0
    reports: int = 0
    errors: int = 0
    cached: int = 0
    pairs: int = 0
    stale: list = field(default_factory=list)  # decisions whose finding no longer occurs


def run(
    root: str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler=None,
    agency_map: str | Path | None = None,
    progress: bool = True,
    decisions: str | Path | None = None,
) -> RunStats:
    """Parse and audit every report under ``root`` into ``out``; returns counts. ``decisions``: a reviewer's
    decisions file (``giaudit.decisions``), applied to the findings; the reports' error and warning counts
    are then of open findings, and ``stats.stale`` lists decisions no finding of the corpus matches."""
    root, out = Path(root), Path(out)
    decided = None
    if decisions is not None:
        from .decisions import read as read_decisions

        decided = read_decisions(decisions)  # a bad decisions file stops the run before any work
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        from .errors import MissingDependency

        raise MissingDependency(str(root), "corpus (Parquet output)", "corpus") from exc
    if not root.is_dir():
        from .errors import UnreadableInput

        raise UnreadableInput(str(root), "is not a folder", "give the folder that holds the reports")
    files = discover(root)
    if not files:
        from .errors import UnreadableInput

        raise UnreadableInput(str(root), "holds no report files (.txt, .html, .pdf, .docx, .doc)", "check the folder")
    out.mkdir(parents=True, exist_ok=True)
    lock = _lock(out)
    try:
        return _run_locked(root, out, files, pa, pq, workers, scheduler, agency_map, progress, decided)
    finally:
        lock.close()


def _run_locked(
    root: Path, out: Path, files: list[Path], pa, pq, workers, scheduler, agency_map, progress, decided=None
) -> RunStats:
    cache = _Cache(out)
    stats = RunStats(files=len(files))
    cached = {p: cache.known(p) for p in files}  # content hashes only: results are loaded one at a time
    todo = [p for p in files if cached[p] is None]
    stats.cached = len(files) - len(todo)
    inputs = None if todo else _inputs(root, cached, agency_map, decided)
    if inputs is not None and (done := cache.outputs_current(inputs, out)) is not None:
        cache.save()
        stats.reports, stats.errors, stats.pairs = done["reports"], done["errors"], done["pairs"]
        stats.stale = [d for fp, d in (decided or {}).items() if fp in set(done["stale"])]
        return stats  # nothing changed since the last run, which wrote these outputs: they stand
    fresh = _executor_map([str(p) for p in todo], [str(p.relative_to(root)) for p in todo], workers, scheduler)
    bar = _progress(len(files), progress)

    tmp = {  # names of this run's own: another run into OUT is refused by the lock, but never shares them
        name: out / f".tmp-{os.getpid()}-{name}" for name in _OUTPUTS
    }
    written = [0, 0]  # value and finding rows
    summaries, errors = [], []
    used: set[str] = set()  # fingerprints of decisions that met their finding
    shas: dict[Path, str] = {}  # every file's content hash, as this run read it
    vbatch: list[tuple] = []  # (the report's columns, its values as a record batch)
    fbatch: list[tuple] = []
    vrows = 0
    values_w = findings_w = None
    try:
        values_w = pq.ParquetWriter(tmp["values.parquet"], _values_schema(pa))
        findings_w = pq.ParquetWriter(tmp["findings.parquet"], _findings_schema(pa))
        for path in files:
            result = cache.load(cached[path]) if cached[path] else None
            if cached[path] and result is None:  # a cache file gone bad: read the report again
                result = process_file(str(path), str(path.relative_to(root)))
            if result is None:
                result = next(fresh)
                cache.store(path, result)
            shas[path] = result.sha256
            rid = str(path.relative_to(root))
            bar.update(1)
            if result.error:
                errors.append((rid, result.error))
                continue
            meta = result.meta
            summaries.append(
                {
                    "report_id": rid,
                    "path": str(path),
                    "sha256": result.sha256,
                    "agency": meta["agency"],
                    "year": meta["year"],
                    "format": meta["format"],
                    **result.summary,
                }
            )
            ident = (rid, meta["agency"], normalize_agency(meta["agency"]), meta["year"], meta["format"])
            vbatch.append((ident, _unpack(pa, result.values)))
            vrows += vbatch[-1][1].num_rows
            rows = [
                (rid, meta["agency"], normalize_agency(meta["agency"]), meta["year"], *row, None)
                for row in result.findings
            ]
            if decided:
                rows = _decide(rows, decided, summaries[-1], used)
            fbatch.extend(rows)
            if vrows > BATCH * 200:
                written[0] += _flush_values(pa, values_w, vbatch, _values_schema(pa))
                written[1] += _flush(pa, findings_w, FINDING_FIELDS, fbatch, _findings_schema(pa))
                vrows = 0
        bar.close()
        # consecutive years of one agency: the cross-year checks
        keys = agency_keys([s["agency"] for s in summaries], read_agency_map(agency_map))
        for s in summaries:
            s["agency_key"] = keys.get(normalize_agency(s["agency"]))
        for this, last in _consecutive(summaries):
            stats.pairs += 1
            rows = _cross_year_rows(this, last, lambda s: _crossing(cache, root, s))
            fbatch.extend(_decide(rows, decided, this, used, counted=False) if decided else rows)
        written[0] += _flush_values(pa, values_w, vbatch, _values_schema(pa))
        written[1] += _flush(pa, findings_w, FINDING_FIELDS, fbatch, _findings_schema(pa))
        values_w.close()
        findings_w.close()
        values_w = findings_w = None
        _write_reports(pa, pq, summaries, tmp["reports.parquet"])
        with open(tmp["errors.csv"], "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["path", "reason"])
            w.writerows([safe_cell(p), safe_cell(r)] for p, r in errors)
        _check_written(
            pq, tmp, {"values.parquet": written[0], "findings.parquet": written[1], "reports.parquet": len(summaries)}
        )
        for name, path in tmp.items():
            os.replace(path, out / name)
        stale = [fp for fp in (decided or {}) if fp not in used]
        done = {"reports": len(summaries), "errors": len(errors), "pairs": stats.pairs, "stale": stale}
    finally:
        for writer in (values_w, findings_w):  # still open: the run failed before it closed them
            if writer is not None:
                writer.close()
        for path in tmp.values():  # a failed run leaves the previous outputs whole and no debris
            if path.exists():
                path.unlink()
        cache.save()
    # the outputs of this run and what they were made from: an unchanged re-run finds them current
    cache.outputs_written(_inputs(root, shas, agency_map, decided), out, done)
    stats.reports, stats.errors = len(summaries), len(errors)
    stats.stale = [d for fp, d in (decided or {}).items() if fp not in used]
    return stats


_FP, _DECISION, _NOTE, _SEVERITY = (
    FINDING_FIELDS.index(n) for n in ("fingerprint", "decision", "decision_note", "severity")
)


def _decide(rows: list[tuple], decided: dict, summary: dict, used: set[str], counted: bool = True) -> list[tuple]:
    """Finding rows with the reviewer's decisions filled in; the report's counts made counts of open findings
    (``counted``: the rows are among the report's counts; the cross-year ones are not)."""
    out = []
    for row in rows:
        d = decided.get(row[_FP])
        if d is None:
            out.append(row)
            continue
        used.add(d.fingerprint)
        row = list(row)
        row[_DECISION], row[_NOTE] = d.decision, d.note or None
        if d.decision == "dismissed" and counted:
            summary["dismissed"] = summary.get("dismissed", 0) + 1
            plural = {"error": "errors", "warning": "warnings", "info": "infos"}[row[_SEVERITY]]
            if plural in summary:
                summary[plural] -= 1
        out.append(tuple(row))
    return out


def _check_written(pq, tmp: dict[str, Path], rows: dict[str, int]) -> None:
    """Read back what this run wrote before it replaces anything: a file that does not read, or holds another
    number of rows than were written, fails the run (and the previous outputs stay)."""
    from .errors import UnreadableInput

    for name, expected in rows.items():
        try:
            found = pq.read_metadata(tmp[name]).num_rows
        except Exception as exc:
            raise UnreadableInput(str(tmp[name]), f"was written but does not read back ({exc})", "run again") from exc
        if found != expected:
            raise UnreadableInput(str(tmp[name]), f"holds {found} rows, {expected} were written", "run again")


def _lock(out: Path):
    """Hold OUT/.lock for the run: a second run into the same folder is refused, naming the process that holds it."""
    fh = open(out / ".lock", "a+", encoding="utf-8")  # held for the run
    try:
        import fcntl
    except ImportError:  # no advisory locks on this system: go on unlocked
        return fh
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        fh.seek(0)
        holder = fh.read().strip() or "?"
        fh.close()
        from .errors import UnreadableInput

        raise UnreadableInput(
            str(out),
            f"is in use by another giaudit corpus run (process {holder})",
            "wait for it to finish, or write to another folder with -o",
        ) from exc
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    for old in out.glob(".tmp-*"):  # debris of a run that was killed: the lock says none is running
        old.unlink(missing_ok=True)
    return fh


def _consecutive(summaries: list[dict]) -> Iterator[tuple[dict, dict]]:
    by_agency: dict[str, dict[int, dict]] = {}
    for s in summaries:
        if s.get("agency_key") and s.get("year"):
            by_agency.setdefault(s["agency_key"], {}).setdefault(s["year"], s)
    for years in by_agency.values():
        for year, s in sorted(years.items()):
            if year - 1 in years:
                yield s, years[year - 1]


@lru_cache(maxsize=1)
def _rows_across_years() -> frozenset[str]:
    """ "t3.carried_over" and the other rows the templates' cross-year rules read."""
    from . import template as tpl

    rows = set()
    for f in tpl.formats():
        for rule in tpl.get(f).cross_year:
            names = (rule.this, rule.last) if rule.kind == "carry" else rule.rows
            rows |= {f"{rule.table}.{r}" for r in names if r}
    return frozenset(rows)


def _crosses(key: str) -> bool:
    return key.rsplit(".", 1)[0] in _rows_across_years()


def _crossing(cache: _Cache, root: Path, summary: dict) -> list[tuple]:
    """The cells a report's cross-year checks read, from the cache (not kept in memory for every report, which
    grew with the corpus: 5 KB a report); read again only if the cache lost it."""
    result = cache.load(summary["sha256"])
    if result is None:
        result = process_file(summary["path"], summary["report_id"])
    return result.crossing


def _kept(summary: dict, crossing):
    """The Report of the cells kept for the cross-year checks (no file is read again)."""
    from .meta import Meta
    from .report import Report

    meta = Meta(summary["agency"], summary["year"], summary["format"], summary["report_id"], summary.get("kind", ""))
    return Report.from_records(meta, crossing(summary))


def _cross_year_rows(this: dict, last: dict, crossing) -> list[tuple]:
    from .checks import cross_year
    from .findings import fingerprint

    findings = cross_year(_kept(this, crossing), _kept(last, crossing))
    fingerprint(
        findings, {"agency": this["agency"], "year": this["year"], "format": this["format"], "title": this.get("title")}
    )
    ids = (this["report_id"], this["agency"], this["agency_key"], this["year"])
    return [(*ids, *f.row(), last["report_id"]) for f in findings]


def _arrow(pa, fields) -> object:
    types = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "list": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in fields])


def _values_schema(pa):
    return _arrow(pa, VALUE_SCHEMA)


def _findings_schema(pa):
    return _arrow(pa, FINDING_SCHEMA)


def _flush(pa, writer, fields: list[str], rows: list[tuple], schema) -> int:
    """Write a batch of rows; how many were written."""
    n = len(rows)
    if not rows:
        return 0
    columns = list(zip(*rows, strict=True))
    arrays = []
    for name, col in zip(fields, columns, strict=True):
        typ = schema.field(name).type
        if pa.types.is_int64(typ):
            col = [None if v is None or isinstance(v, float) else int(v) for v in col]
        elif pa.types.is_float64(typ):
            col = [None if v is None else float(v) for v in col]
        arrays.append(pa.array(col, type=typ))
    writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
    rows.clear()
    return n


def _flush_values(pa, writer, batch: list[tuple], schema) -> int:
    """Write the values of a batch of reports: each report's record batch with its report's columns in front."""
    if not batch:
        return 0
    import pyarrow.compute as pc

    # each report's columns repeated over its rows, built by Arrow (run lengths), not a Python value per row
    counts = pa.array([b.num_rows for _, b in batch], type=pa.int64())
    runs = _run_indices(pa, counts)
    ident = [
        pc.take(pa.array([row[i] for row, _ in batch], type=schema.field(i).type), runs)
        for i in range(len(batch[0][0]))
    ]
    values = pa.Table.from_batches([b for _, b in batch])
    table = pa.Table.from_arrays([*ident, *values.columns], schema=schema)
    writer.write_table(table)
    batch.clear()
    return table.num_rows


def _run_indices(pa, counts):
    """0, 0, …, 1, 1, …: for each report, its index once for each of its rows."""
    import numpy as np

    return pa.array(np.repeat(np.arange(len(counts)), counts.to_numpy()))


_REPORT_INTS = (
    "year",
    "values_found",
    "values_total",
    "errors",
    "warnings",
    "infos",
    "new_requests",
    "total_processed",
    "review_total",
    "balance_failed",
    "reader_warnings",
    "dismissed",
)


def _write_reports(pa, pq, summaries: list[dict], path: Path) -> None:
    """One row per report, built column by column in Arrow (a DataFrame of Python objects for every report cost
    more memory than everything else of a run)."""
    names = list(dict.fromkeys(k for s in summaries for k in s)) or [
        "report_id",
        "path",
        "sha256",
        "agency",
        "agency_key",
        "year",
        "format",
    ]
    columns = []
    for name in names:
        values = [s.get(name) for s in summaries]
        if name in _REPORT_INTS:
            kind = pa.int64()
            values = [None if v is None or v != v else int(v) for v in values]
        elif name in INDICATOR_KEYS:
            kind = pa.float64()
            values = [None if v is None or v != v else float(v) for v in values]
        else:
            kind = pa.string()
            values = [None if v is None else str(v) for v in values]
        columns.append(pa.array(values, type=kind))
    pq.write_table(pa.Table.from_arrays(columns, names=names), path)


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, unit="report", file=sys.stderr, desc="giaudit corpus")


# ---------------------------------------------------------------- reading results


class Corpus:
    """A corpus run's outputs as DataFrames (nullable dtypes)."""

    def __init__(self, out: str | Path) -> None:
        import pandas as pd

        self.out = Path(out)
        self.values = pd.read_parquet(self.out / "values.parquet", dtype_backend="numpy_nullable")
        self.findings = pd.read_parquet(self.out / "findings.parquet", dtype_backend="numpy_nullable")
        self.reports = pd.read_parquet(self.out / "reports.parquet", dtype_backend="numpy_nullable")
        self.errors = pd.read_csv(self.out / "errors.csv", dtype="string")

    def __repr__(self) -> str:
        return (
            f"<Corpus {self.out}: {len(self.reports)} reports, {len(self.findings)} findings, "
            f"{len(self.errors)} unreadable>"
        )


def read_corpus(root: str | Path, out: str | Path | None = None, **kwargs) -> Corpus:
    """Run (or re-run: unchanged files come from the cache) the corpus audit and load its outputs.

    ``root`` may also be a finished run's output folder, which is loaded as it is.
    """
    root = Path(root)
    if (root / "values.parquet").exists() and out is None:
        return Corpus(root)
    if out is None:
        out = (
            Path(tempfile.gettempdir())
            / f"giaudit-corpus-{hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]}"
        )
    run(root, out, **kwargs)
    return Corpus(out)
