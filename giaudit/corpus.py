"""Corpus audits: every report under a folder, parsed and audited in parallel, streamed into Parquet.

``run(root, out)`` (CLI: ``giaudit corpus DIR -o OUT``) writes

- ``OUT/values.parquet``   tidy: one row per report and canonical key;
- ``OUT/findings.parquet`` one row per finding, cross-year ones included;
- ``OUT/reports.parquet``  one row per report: agency, year, format, counts, indicators;
- ``OUT/errors.csv``       one row per file that could not be read, with the reason.

Files are processed on all cores (a process pool), or on a Dask cluster with
``scheduler="tcp://…"`` (extra ``giaudit[dask]``). Results stream to the Parquet
writers as they arrive; what a run must know of every report (the file list, a
small summary a report for the cross-year pairing and ``reports.parquet``) is
kept in a scratch SQLite file beside the outputs, not in memory, so memory stays
the same for a thousand reports or a million. Each file's result is cached under
``OUT/.cache`` by the SHA-256 of its content: a re-run reads only what changed.
Outputs are written to temporary files and moved into place, so a crash leaves
the previous run's outputs whole.

Same agency across years: agency names are normalised (whitespace, 政府办 →
人民政府办公室, a city prefix one report prints and another drops), a CSV
``--agency-map`` (columns ``name,agency``) overrides them, and consecutive years
of one agency get the cross-year checks.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import os
import pickle
import re
import shutil
import sqlite3
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice, tee
from pathlib import Path

from .findings import FIELDS as FINDING_FIELDS
from .findings import ROW_FIELDS
from .meta import normalize_agency
from .report import VALUE_FIELDS as REPORT_VALUE_FIELDS
from .sheets import safe_cell

# 3: values as an Arrow record batch; 4: results compressed; 5: in one pack file; 6: an SQLite index, LZ4, each
# result made ready to store by its worker
CACHE_VERSION = "7"
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
    values: tuple = ()  # the report's values, column by column (REPORT_VALUE_FIELDS): see _pack
    crossing: list[tuple] = field(default_factory=list)  # the few values the cross-year checks read, as records
    findings: list[tuple] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def discover(root: Path) -> list[Path]:
    """Report files under ``root`` (hidden folders and the output's cache are skipped), sorted."""
    return [root / rel for rel, _ in _walk(root)]


def _walk(root: Path) -> Iterator[tuple[str, os.DirEntry]]:
    """(path relative to ``root``, its directory entry) of each report file, in the order of ``sorted()`` paths
    (a folder's entries sorted by name, a subfolder's files in its place): one folder's listing in memory at a
    time, not the corpus's. As ``rglob``: symlinked files are followed, symlinked folders are not."""
    from .readers import suffixes as reader_suffixes

    suffixes = reader_suffixes() - {".csv", ".tsv"}  # tables beside reports are a corpus's own outputs, not reports

    def walk(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry]]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: os.path.normcase(e.name))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):  # hidden, and the output's own .cache
                continue
            try:
                if entry.is_dir() and not entry.is_symlink():
                    yield from walk(entry.path, prefix + name + os.sep)
                elif _suffix(name) in suffixes and entry.is_file():
                    yield prefix + name, entry
            except OSError:
                continue

    return walk(str(root), "")


def _suffix(name: str) -> str:
    """``Path(name).suffix.lower()`` without making a Path."""
    i = name.rfind(".")
    return name[i:].lower() if 0 < i < len(name) - 1 else ""


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


def _pack(records: list[tuple]) -> tuple:
    """A report's value records as columns (one tuple each, as REPORT_VALUE_FIELDS): plain Python, so the worker
    never loads pandas (which pyarrow loads on its first conversion of a list: 0.4 s CPU a worker) and the parent
    builds each column's Arrow array once for a whole batch of reports."""
    return tuple(zip(*records, strict=True)) if records else ((),) * len(REPORT_VALUE_FIELDS)


@lru_cache(maxsize=1)
def _lz4():
    import pyarrow as pa

    return pa.Codec("lz4")


_NO_SHA = bytes(32)


def _encode(result: FileResult) -> bytes:
    """A result as the cache keeps it, made in the worker: its content hash (32 bytes), the size of its pickle
    (8 bytes), the pickle compressed with LZ4 (zlib took the parent 0.1 ms a report, LZ4 a tenth of it; reading
    it back is faster still). The parent stores these bytes as they are and unpickles them once."""
    raw = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    sha = bytes.fromhex(result.sha256) if result.sha256 else _NO_SHA
    return sha + len(raw).to_bytes(8, "little") + _lz4().compress(raw, asbytes=True)


def _decode(blob: bytes) -> FileResult:
    size = int.from_bytes(blob[32:40], "little")
    return pickle.loads(_lz4().decompress(memoryview(blob)[40:], decompressed_size=size, asbytes=True))


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


def _executor_map(todo: Iterable[tuple[str, str]], total: int, workers: int | None, scheduler) -> Iterator[bytes]:
    """Each (path, name) of ``todo`` processed, in order, as ``_encode``d results; ``total``: how many there are."""
    if scheduler in ("synchronous", "sync") or workers == 1:
        return (_encode(process_file(p, n)) for p, n in todo)
    if scheduler:
        paths, names = tee(todo)  # read in step by the zip in _dask_map: tee holds at most one pair
        return _dask_map((p for p, _ in paths), (n for _, n in names), scheduler)
    return _pool_map(todo, total, workers or os.cpu_count() or 1)


def _pool_map(todo: Iterable[tuple[str, str]], total: int, count: int) -> Iterator[bytes]:
    # A window of chunks in flight, not every file submitted at once (as pool.map does): results a slower
    # parent has not taken yet would pile up, and memory (and the collector's work) grow with the corpus.
    chunk = max(1, min(64, total // (count * 8)))
    pairs = iter(todo)
    window: deque = deque()
    _load_worker_code()  # forked, the workers start with it loaded instead of each loading it again
    with ProcessPoolExecutor(max_workers=count, initializer=_start_worker) as pool:
        while part := list(islice(pairs, chunk)):
            window.append(pool.submit(_process_files, [p for p, _ in part], [n for _, n in part]))
            if len(window) > 2 * count:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _start_worker() -> None:
    """A pool worker: it ends with its parent, loads what it runs, and sets its garbage collector for the work.

    Reading a report makes a thousand small objects that reference counting frees, none of them garbage for the
    collector; with its default threshold (700) the collector still ran every report or so, through the
    modules' objects too. Those are frozen once loaded, and the threshold raised: 15 % less CPU a report.
    """
    _die_with_parent()
    _settle_worker()


def _settle_worker(parent: int | None = None) -> None:
    """Load what a worker runs, freeze it for the collector and raise its threshold (not in ``parent``, the
    process that runs the corpus: a Dask cluster of threads runs there)."""
    if parent == os.getpid():
        return
    _load_worker_code()
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def _load_worker_code() -> None:
    """Import what reading and auditing a report runs, and what ``_encode`` compresses with."""
    import pyarrow  # noqa: F401

    from . import checks, extract, indicators, readers, report  # noqa: F401
    from .readers import html, text  # noqa: F401


def _die_with_parent() -> None:
    """A worker ends when its parent does (killed, say), instead of reading on for minutes (Linux)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _process_files(paths: list[str], names: list[str]) -> list[bytes]:
    return [_encode(process_file(p, n)) for p, n in zip(paths, names, strict=True)]


def _dask_map(paths: Iterable[str], names: Iterable[str], scheduler) -> Iterator[bytes]:
    try:
        from distributed import Client
    except ImportError as exc:
        from .errors import MissingDependency

        raise MissingDependency("giaudit corpus --scheduler", "Dask", "dask") from exc
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    client.run(_settle_worker, os.getpid())  # its workers set as the pool's are (15 % less CPU a report)
    # Each task reads PER_TASK files: a task costs the scheduler about a millisecond, as much as reading a
    # report, so one task per file kept a core of a small machine busy with scheduling.
    # No barrier: while the oldest chunk is gathered, the next ones are already queued, so the workers never
    # wait on the parent; results come in file order. At most 4 chunks (4 × BATCH files) in flight.
    chunks: deque = deque()
    pairs = zip(paths, names, strict=True)
    try:
        while part := list(islice(pairs, BATCH)):
            cut = range(0, len(part), PER_TASK)
            chunks.append(
                client.map(
                    _process_files,
                    [[p for p, _ in part[i : i + PER_TASK]] for i in cut],
                    [[n for _, n in part[i : i + PER_TASK]] for i in cut],
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
    """OUT/.cache: each report's result, as its worker encoded it (``_encode``), in one pack file
    (``results.pack``), and an SQLite index (``index.sqlite``): each path's size, mtime and content hash, and
    where each content's result is in the pack, so an unchanged file is neither read nor hashed again.

    One pack file, not a file a result: creating a hundred thousand small files costs more than reading the
    reports. The index is on disk, not in memory: a lookup a file, memory the same at any corpus size. It is a
    journal: results are committed every ``COMMIT_EVERY`` after their bytes are in the pack, so a run that is
    killed (kill -9, a power cut: SQLite's write-ahead log keeps the index whole) leaves its finished files
    reusable, all but the last few; each result in the pack begins with its content hash, so bytes the index
    does not describe (a torn write, a pack rewritten under an index that was not) are never taken for a
    result. A finished run rewrites the pack when less than half of it is still in use.
    """

    COMMIT_EVERY = 64

    def __init__(self, out: Path) -> None:
        # results depend on giaudit's code and templates too: a new version starts a new cache
        self.dir = out / ".cache" / f"{CACHE_VERSION}-{code_fingerprint()}"
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.parent.iterdir():
            if old != self.dir and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        self.pack_path = self.dir / "results.pack"
        self.index_path = self.dir / "index.sqlite"
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:  # an index that does not read: start the cache afresh
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir.mkdir(parents=True)
            self.db = self._open()
        self._pack = open(self.pack_path, "ab")  # closed in save()
        self._pack_size = self._pack.seek(0, os.SEEK_END)
        self._reader = open(self.pack_path, "rb")  # closed in save()
        self._pending = 0  # results stored since the last commit

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.index_path, isolation_level=None)  # transactions are begun and committed here
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # with WAL: whole after a power cut, no fsync a commit
        db.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha TEXT)"
            " WITHOUT ROWID"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS results (sha TEXT PRIMARY KEY, offset INTEGER, length INTEGER) WITHOUT ROWID"
        )
        db.execute("BEGIN")
        return db

    def known(self, path: str, size: int, mtime_ns: int) -> tuple[str, int, int] | None:
        """(content hash, offset, length) of a file whose result is cached and still current (the result is
        loaded later)."""
        row = self.db.execute(
            "SELECT f.size, f.mtime_ns, f.sha, r.offset, r.length FROM files f JOIN results r ON r.sha = f.sha"
            " WHERE f.path = ?",
            (path,),
        ).fetchone()
        if row is None or row[0] != size or row[1] != mtime_ns or row[3] + row[4] > self._pack_size:
            return None
        return row[2], row[3], row[4]

    def load(self, entry: tuple[str, int, int]) -> FileResult | None:
        """The result ``known`` found; None if its bytes are not that result's (then the report is read again)."""
        sha, offset, length = entry
        try:
            blob = os.pread(self._reader.fileno(), length, offset)
            if blob[:32] != bytes.fromhex(sha):
                return None
            return _decode(blob)
        except Exception:  # any damage to a cache: the report is read again
            return None

    def store(self, path: str, size: int | None, mtime_ns: int | None, result: FileResult, blob: bytes) -> None:
        if not result.sha256 or size is None:
            return
        added = self.db.execute(
            "INSERT OR IGNORE INTO results VALUES (?, ?, ?)", (result.sha256, self._pack_size, len(blob))
        ).rowcount
        if added:  # a content not stored yet (a copy of a report under another name is stored once)
            self._pack.write(blob)
            self._pack_size += len(blob)
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (path, size, mtime_ns, result.sha256))
        self._pending += 1
        if self._pending >= self.COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        self._pack.flush()  # the results' bytes before the index that points at them
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        self._pending = 0

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
        self.commit()
        self._pack.close()
        (live,) = self.db.execute(
            "SELECT coalesce(sum(length), 0) FROM results WHERE sha IN (SELECT sha FROM files)"
        ).fetchone()
        if live < self._pack_size / 2:  # mostly results of files since changed
            self._compact()
        self.db.execute("COMMIT")
        self.db.close()
        self._reader.close()

    def _compact(self) -> None:
        """Rewrite the pack with the results still in use, one at a time (memory stays bounded)."""
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-pack-")
        self.db.execute("CREATE TEMP TABLE moved (sha TEXT PRIMARY KEY, offset INTEGER, length INTEGER) WITHOUT ROWID")
        with os.fdopen(fd, "wb") as out:
            live = self.db.execute(
                "SELECT sha, offset, length FROM results WHERE sha IN (SELECT sha FROM files) ORDER BY offset"
            )
            for sha, offset, length in live:
                self.db.execute("INSERT INTO moved VALUES (?, ?, ?)", (sha, out.tell(), length))
                out.write(os.pread(self._reader.fileno(), length, offset))
        self.db.execute("DELETE FROM results")
        self.db.execute("INSERT INTO results SELECT * FROM moved")
        self.db.execute("DROP TABLE moved")
        os.replace(tmp, self.pack_path)  # a kill before the commit: the index's offsets miss, results are read again


_OUTPUTS = ("values.parquet", "findings.parquet", "reports.parquet", "errors.csv")


def _output_files(out: Path) -> list | None:
    """Size and modification time of each output file (None when one is missing): whether they were touched."""
    try:
        return [[(st := (out / name).stat()).st_size, st.st_mtime_ns] for name in _OUTPUTS]
    except OSError:
        return None


def _inputs(listed, agency_map, decided: dict | None) -> str:
    """One hash of everything a run's outputs are made from: each report (``listed``: a hash fed, in file order,
    each file's name and content hash), the agency map and the decisions (giaudit's own code is in the cache
    folder's name)."""
    h = listed.copy()
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
    if next(_walk(root), None) is None:
        from .errors import UnreadableInput

        raise UnreadableInput(str(root), "holds no report files (.txt, .html, .pdf, .docx, .doc)", "check the folder")
    out.mkdir(parents=True, exist_ok=True)
    lock = _lock(out)
    try:
        return _run_locked(root, out, pa, pq, workers, scheduler, agency_map, progress, decided)
    finally:
        lock.close()


def _run_locked(root: Path, out: Path, pa, pq, workers, scheduler, agency_map, progress, decided=None) -> RunStats:
    cache = _Cache(out)
    stats = RunStats()
    tmp = {  # names of this run's own: another run into OUT is refused by the lock, but never shares them
        name: out / f".tmp-{os.getpid()}-{name}" for name in _OUTPUTS
    }
    spill = _Spill(out / f".tmp-{os.getpid()}-run.sqlite")
    values_w = findings_w = errors_fh = None
    inputs = done = None
    try:
        # every file, and which of them the cache holds, listed once (into the spill, not memory)
        base, listed = str(root), hashlib.sha256()
        for rel, entry in _walk(root):
            path = rel if base == "." else os.path.join(base, rel)  # str(root / rel), as the reports name it
            try:
                st = entry.stat()
                size, mtime = st.st_size, st.st_mtime_ns
            except OSError:  # gone or unreadable: its worker says so
                size = mtime = None
            hit = cache.known(path, size, mtime) if size is not None else None
            spill.add_file(rel, path, size, mtime, hit)
            stats.files += 1
            if hit:
                stats.cached += 1
                listed.update(f"{rel}\0{hit[0]}\n".encode())
        if stats.cached == stats.files:
            inputs = _inputs(listed, agency_map, decided)
            if (done := cache.outputs_current(inputs, out)) is not None:
                stats.reports, stats.errors, stats.pairs = done["reports"], done["errors"], done["pairs"]
                stats.stale = [d for fp, d in (decided or {}).items() if fp in set(done["stale"])]
                return stats  # nothing changed since the last run, which wrote these outputs: they stand

        fresh = _executor_map(spill.todo(), stats.files - stats.cached, workers, scheduler)
        bar = _progress(stats.files, progress)
        written = [0, 0]  # value and finding rows
        used: set[str] = set()  # fingerprints of decisions that met their finding
        vbatch: list[tuple] = []  # (the report's columns, its values column by column)
        fbatch: list[tuple] = []
        vrows = 0
        values_schema, findings_schema = _schema(VALUE_SCHEMA), _schema(FINDING_SCHEMA)
        values_w = pq.ParquetWriter(tmp["values.parquet"], values_schema)
        findings_w = pq.ParquetWriter(tmp["findings.parquet"], findings_schema)
        errors_fh = open(tmp["errors.csv"], "w", encoding="utf-8", newline="")
        errors_csv = csv.writer(errors_fh)
        errors_csv.writerow(["path", "reason"])
        read = hashlib.sha256()  # what `listed` is once every file's content hash is known
        for rel, path, size, mtime, sha, offset, length in spill.files():
            result = cache.load((sha, offset, length)) if sha is not None else None
            if sha is not None and result is None:  # a cache file gone bad: read the report again
                result = process_file(path, rel)
            if result is None:
                blob = next(fresh)
                result = _decode(blob)
                cache.store(path, size, mtime, result, blob)
            read.update(f"{rel}\0{result.sha256}\n".encode())
            bar.update(1)
            if result.error:
                errors_csv.writerow([safe_cell(rel), safe_cell(result.error)])
                stats.errors += 1
                continue
            meta = result.meta
            agency, year = meta["agency"], meta["year"]
            norm, rest = _agency_norm(agency)
            vbatch.append(((rel, agency, norm, year, meta["format"]), result.values))
            vrows += len(result.values[0])
            rows = [(rel, agency, norm, year, *row, None) for row in result.findings]
            if decided:
                rows = _decide(rows, decided, result.summary, used)
            fbatch.extend(rows)
            spill.add_report(rel, path, result.sha256, meta, norm, rest, result.summary, result.crossing)
            stats.reports += 1
            if vrows > BATCH * 200:
                written[0] += _flush_values(pa, values_w, vbatch, values_schema)
                written[1] += _flush(pa, findings_w, FINDING_FIELDS, fbatch, findings_schema)
                vrows = 0
        bar.close()
        cache.commit()
        written[0] += _flush_values(pa, values_w, vbatch, values_schema)
        values_w.close()
        values_w = None
        # consecutive years of one agency: the cross-year checks
        spill.agency_keys(read_agency_map(agency_map))
        for this, last in spill.pairs():
            stats.pairs += 1
            rows = _cross_year_rows(this, last, _crossing)
            fbatch.extend(_decide(rows, decided, this, used, counted=False) if decided else rows)
            if len(fbatch) >= BATCH * 20:
                written[1] += _flush(pa, findings_w, FINDING_FIELDS, fbatch, findings_schema)
        written[1] += _flush(pa, findings_w, FINDING_FIELDS, fbatch, findings_schema)
        findings_w.close()
        findings_w = None
        errors_fh.close()
        _write_reports(pa, pq, spill, tmp["reports.parquet"])
        _check_written(
            pq, tmp, {"values.parquet": written[0], "findings.parquet": written[1], "reports.parquet": stats.reports}
        )
        for name, path in tmp.items():
            os.replace(path, out / name)
        stale = [fp for fp in (decided or {}) if fp not in used]
        done = {"reports": stats.reports, "errors": stats.errors, "pairs": stats.pairs, "stale": stale}
        inputs = _inputs(read, agency_map, decided)
        stats.stale = [d for fp, d in (decided or {}).items() if fp not in used]
    finally:
        for writer in (values_w, findings_w, errors_fh):  # still open: the run failed before it closed them
            if writer is not None:
                writer.close()
        for path in tmp.values():  # a failed run leaves the previous outputs whole and no debris
            if path.exists():
                path.unlink()
        spill.close()
        cache.save()
    # the outputs of this run and what they were made from: an unchanged re-run finds them current
    cache.outputs_written(inputs, out, done)
    return stats


class _Spill:
    """A run's scratch SQLite file (``OUT/.tmp-<pid>-run.sqlite``, deleted when the run ends): every file, and a
    row a report (its ``reports.parquet`` columns, its normalised agency, the cells its cross-year checks read),
    written as results arrive and read back in file order, or grouped by agency for the cross-year pairs. What a
    run must know of every report lives here, so its memory does not grow with the corpus; SQLite's page cache
    (a few MB) is all of it that is in memory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")  # scratch: a crashed run's spill is simply deleted
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("BEGIN")
        self.db.execute("CREATE TABLE files (seq INTEGER PRIMARY KEY, rel, path, size, mtime_ns, sha, offset, length)")
        self.db.execute("CREATE TABLE names (norm TEXT PRIMARY KEY, rest, key) WITHOUT ROWID")
        self._files: list[tuple] = []  # files listed, not yet inserted
        self.keys: list[str] | None = None  # the summary's keys, as the first report gave them
        self._dismissed_first = self._dismissed = False  # where reports.parquet's `dismissed` column goes

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)

    def add_file(self, rel: str, path: str, size, mtime_ns, hit: tuple | None) -> None:
        self._files.append((rel, path, size, mtime_ns, *(hit or (None,) * 3)))
        if len(self._files) >= 1024:  # a statement a thousand files, not a file
            self._add_files()

    def _add_files(self) -> None:
        self.db.executemany("INSERT INTO files VALUES (NULL, ?, ?, ?, ?, ?, ?, ?)", self._files)
        self._files.clear()

    def files(self) -> Iterator[tuple]:
        """(name, path, size, mtime_ns, cached hash, offset, length) of each file, in order."""
        self._add_files()
        return self.db.execute("SELECT rel, path, size, mtime_ns, sha, offset, length FROM files ORDER BY seq")

    def todo(self) -> Iterator[tuple[str, str]]:
        """(path, name) of each file the cache does not hold, in order."""
        self._add_files()
        return self.db.execute("SELECT path, rel FROM files WHERE sha IS NULL ORDER BY seq")

    def add_report(self, rel, path, sha, meta: dict, norm, rest, summary: dict, crossing: list) -> None:
        if self.keys is None:
            self.keys = [k for k in summary if k != "dismissed"]
            self._dismissed_first = "dismissed" in summary
            columns = ", ".join(f"c{i}" for i in range(len(self.keys)))
            self.db.execute(
                "CREATE TABLE reports (seq INTEGER PRIMARY KEY, report_id, path, sha256, agency, norm, year, format,"
                f" dismissed, crossing, {columns})"
            )
            self._insert = f"INSERT INTO reports VALUES (NULL, {', '.join('?' * (9 + len(self.keys)))})"
        dismissed = summary.get("dismissed")
        self._dismissed = self._dismissed or dismissed is not None
        self.db.execute(
            self._insert,
            (
                rel,
                path,
                sha,
                meta["agency"],
                norm,
                meta["year"],
                meta["format"],
                dismissed,
                pickle.dumps(crossing, protocol=pickle.HIGHEST_PROTOCOL),
                *[summary.get(k) for k in self.keys],
            ),
        )
        if norm:
            self.db.execute("INSERT OR IGNORE INTO names (norm, rest) VALUES (?, ?)", (norm, rest))

    def agency_keys(self, mapping: dict[str, str]) -> None:
        """Each normalised name's key, as ``agency_keys`` gives it, worked out in the spill."""
        self.db.execute("CREATE INDEX names_rest ON names (rest)")
        self.db.execute("CREATE TEMP TABLE mapping (norm TEXT PRIMARY KEY, key) WITHOUT ROWID")
        normalised = {normalize_agency(k): v for k, v in mapping.items()}
        self.db.executemany("INSERT INTO mapping VALUES (?, ?)", [(k, v) for k, v in normalised.items() if k])
        # a name that exactly one other name extends by a province/city prefix is that agency
        self.db.execute(
            "UPDATE names SET key = coalesce("
            " (SELECT m.key FROM mapping m WHERE m.norm = names.norm),"
            " (SELECT CASE WHEN count(*) = 1 THEN max(o.norm) END FROM names o"
            "  WHERE o.rest = names.norm AND o.norm != names.norm),"
            " names.norm)"
        )

    def _column(self, table: str, name: str) -> str:
        return f"{table}.c{self.keys.index(name)}" if self.keys and name in self.keys else "NULL"

    def pairs(self) -> Iterator[tuple[dict, dict]]:
        """(this year, the year before) of each agency: the first report of an agency and year (in file order)
        stands for it; agencies in the order their first report comes, years in order."""
        if self.keys is None:
            return
        self.db.execute(
            "CREATE TEMP TABLE firsts AS SELECT n.key AS key, r.year AS year, min(r.seq) AS seq"
            " FROM reports r JOIN names n ON n.norm = r.norm"
            " WHERE n.key != '' AND r.year IS NOT NULL AND r.year != 0 GROUP BY n.key, r.year"
        )
        self.db.execute("CREATE INDEX firsts_key ON firsts (key, year)")
        rows = self.db.execute(
            f"SELECT t.key, x.report_id, x.agency, x.year, x.format, {self._column('x', 'kind')},"
            f" {self._column('x', 'title')}, x.crossing,"
            f" y.report_id, y.agency, y.year, y.format, {self._column('y', 'kind')}, y.crossing"
            " FROM firsts t JOIN firsts l ON l.key = t.key AND l.year = t.year - 1"
            " JOIN (SELECT key, min(seq) AS first FROM firsts GROUP BY key) a ON a.key = t.key"
            " JOIN reports x ON x.seq = t.seq JOIN reports y ON y.seq = l.seq"
            " ORDER BY a.first, t.year"
        )
        for key, rid, agency, year, fmt, kind_, title_, crossing, *last in rows:
            this = {"report_id": rid, "agency": agency, "agency_key": key, "year": year, "format": fmt}
            this.update(kind=kind_, title=title_, crossing=crossing)
            rid, agency, year, fmt, kind_, crossing = last
            yield (
                this,
                {"report_id": rid, "agency": agency, "year": year, "format": fmt, "kind": kind_, "crossing": crossing},
            )

    def report_columns(self) -> list[str]:
        """reports.parquet's columns: as many a report's summary had, in the order they first came."""
        if self.keys is None:
            return ["report_id", "path", "sha256", "agency", "agency_key", "year", "format"]
        tail = (
            ["dismissed", "agency_key"] if self._dismissed_first else ["agency_key"] + ["dismissed"] * self._dismissed
        )
        return ["report_id", "path", "sha256", "agency", "year", "format", *self.keys, *tail]

    def report_rows(self, size: int) -> Iterator[list[tuple]]:
        """reports.parquet's rows, ``size`` at a time, in file order."""
        if self.keys is None:
            return
        select = {"agency_key": "n.key", **{k: f"r.c{i}" for i, k in enumerate(self.keys)}}
        columns = ", ".join(select.get(name, f"r.{name}") for name in self.report_columns())
        rows = self.db.execute(f"SELECT {columns} FROM reports r LEFT JOIN names n ON n.norm = r.norm ORDER BY r.seq")
        while batch := rows.fetchmany(size):
            yield batch


@lru_cache(maxsize=4096)
def _agency_norm(agency: str | None) -> tuple[str | None, str | None]:
    """An agency name normalised, and what follows its province/city prefix if it has one (``agency_keys``)."""
    norm = normalize_agency(agency)
    match = _PREFIX.match(norm) if norm else None
    return norm, match.group(2) if match else None


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


@lru_cache(maxsize=8192)  # asked for every value of every report: the same few hundred keys
def _crosses(key: str) -> bool:
    return key.rsplit(".", 1)[0] in _rows_across_years()


def _crossing(summary: dict) -> list[tuple]:
    """The cells a report's cross-year checks read, as its spill row keeps them (no file or cache is read)."""
    return pickle.loads(summary["crossing"])


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


@lru_cache(maxsize=16)
def _schema(fields: tuple) -> object:
    """The Arrow schema of (name, kind) fields (made once a run)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "list": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in fields])


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
    """Write the values of a batch of reports: each report's values with its report's columns in front."""
    if not batch:
        return 0
    import pyarrow.compute as pc

    # each report's columns repeated over its rows, built by Arrow (run lengths), not a Python value per row
    counts = pa.array([len(columns[0]) for _, columns in batch], type=pa.int64())
    runs = _run_indices(pa, counts)
    n = len(batch[0][0])
    ident = [pc.take(pa.array([row[i] for row, _ in batch], type=schema.field(i).type), runs) for i in range(n)]
    # each value column once for the whole batch: one conversion of many reports' values
    values = [
        pa.array(list(chain.from_iterable(columns[c] for _, columns in batch)), type=schema.field(n + c).type)
        for c in range(len(schema) - n)
    ]
    table = pa.Table.from_arrays([*ident, *values], schema=schema)
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


def _write_reports(pa, pq, spill: _Spill, path: Path) -> None:
    """One row per report, from the spill, written a batch of rows at a time: built column by column in Arrow (a
    DataFrame of Python objects for every report cost more memory than everything else of a run)."""
    names = spill.report_columns()
    kinds = [
        pa.int64() if name in _REPORT_INTS else pa.float64() if name in INDICATOR_KEYS else pa.string()
        for name in names
    ]
    schema = pa.schema(list(zip(names, kinds, strict=True)))
    with pq.ParquetWriter(path, schema) as writer:
        for rows in spill.report_rows(BATCH * 8):  # 2,048 rows of Python values: 16,384 held 60 MB
            columns = []
            for kind, values in zip(kinds, zip(*rows, strict=True), strict=True):
                if kind == pa.int64():
                    values = [None if v is None or v != v else int(v) for v in values]
                elif kind == pa.float64():
                    values = [None if v is None or v != v else float(v) for v in values]
                else:
                    values = [None if v is None else str(v) for v in values]
                columns.append(pa.array(values, type=kind))
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))


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
