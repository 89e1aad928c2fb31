"""The HTML audit write-ups: the notebooks run with nbclient, rendered with nbconvert.

``render`` (one report): one kernel runs the three report notebooks combined —
the write-up's summary of findings first, then 01, 02, 03, their ``parameters``
cells replaced by the injected one and their interactive cells left out — so a
write-up costs one kernel start. ``render_corpus`` runs notebook 04 on a corpus.
nbconvert exports without code cells, images embedded; the template's scripts
are removed, so the file is self-contained and runs nothing. Report text
reaches the page only through escaped outputs.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import html
import os
import re
import sys
import tempfile
from importlib import resources
from pathlib import Path

from .errors import MissingDependency, UnreadableInput
from .report import Report

NOTEBOOKS = ("01_disclosure_counts.ipynb", "02_request_outcomes.ipynb", "03_reconciliation_checks.ipynb")
CORPUS_NOTEBOOK = "04_corpus_overview.ipynb"
# The write-up's first cell: it reads and audits the report once for every section (their own "setup" cells,
# which do the same when a notebook runs alone, are left out), and shows the summary of findings. The garbage
# collector cost the kernel about 0.15 s CPU a write-up, most of it full collections walking the objects pandas
# and matplotlib build as they load: it is off while they load, and what they made is frozen (once a kernel, so
# that a batch's later reports freeze none of their garbage); it then costs about 0.015 s.
SUMMARY = """import gc

gc.disable()  # loading pandas and matplotlib leaves no garbage to collect
import giaudit
from giaudit import pages, plots, views

if not gc.get_freeze_count():  # once a kernel: from now on the collector skips what the imports made
    gc.freeze()
gc.enable()
views.notebook_setup()
report = giaudit.read(views.resolve(report_path))
previous = giaudit.read(views.resolve(previous_path)) if previous_path else None
decisions = views.resolve(decisions_path) if decisions_path else None
findings = giaudit.audit(report, previous, decisions=decisions)
views.summary(report, findings, lang)"""
# The write-up needs no script (no widgets, no math): every <script> element nbconvert's template adds
# (MathJax, Mermaid, require.js loaders) is removed. Report text is escaped, so it holds no element at all.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.I | re.S)


def notebooks_dir() -> Path:
    """The folder of the notebooks: the project's notebooks/ (also packaged as giaudit/notebooks)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "notebooks", here / "notebooks"):
        if (candidate / NOTEBOOKS[0]).exists():
            return candidate
    try:
        packaged = Path(str(resources.files("giaudit.notebooks")))
        if (packaged / NOTEBOOKS[0]).exists():
            return packaged
    except ModuleNotFoundError:
        pass
    raise FileNotFoundError("giaudit's notebooks are not installed; run from a checkout of the project")


def _require() -> None:
    """Say in one line when the notebooks extra is not installed. Found, not imported: nbconvert is imported
    while the kernel runs (see ``_run``)."""
    from importlib.util import find_spec

    if any(find_spec(name) is None for name in ("nbclient", "nbconvert", "nbformat")):
        raise MissingDependency("giaudit render", "notebook rendering", "notebooks")


def _clean(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def combined_notebook(folder: Path | None = None):
    """The write-up as one notebook: summary cell, then 01-03 without their own parameters, setup and interactive
    cells."""
    import nbformat

    folder = folder or notebooks_dir()
    books = [nbformat.read(folder / name, as_version=4) for name in NOTEBOOKS]
    nb = copy.deepcopy(books[0])
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", ()))
    cells = [params, nbformat.v4.new_code_cell(SUMMARY)]
    for book in books:
        for cell in book.cells:
            tags = cell.metadata.get("tags", ())
            if "parameters" in tags or "interactive" in tags or "setup" in tags:
                continue
            cells.append(copy.deepcopy(cell))
    nb.cells = cells
    return _clean(nb)


@contextlib.contextmanager
def _kernel_quiet():
    """The kernel inherits this process's stderr, and writes noise to it ("Kernel is running over TCP without
    encryption"): while it runs, stderr goes nowhere. A failing cell still raises, with its error."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _kernel_path() -> None:
    """The kernel is this interpreter's, not the first "python" on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    if not os.environ.get("PATH", "").startswith(bin_dir + os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def _inject(nb, parameters: dict):
    """Set the notebook's parameters as papermill does: a cell tagged "injected-parameters" right after the
    "parameters" cell, assigning each value."""
    import nbformat

    lines = ["# Parameters", *(f"{name} = {value!r}" for name, value in parameters.items())]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", ()))
    nb.cells.insert(at + 1, cell)
    return nb


def _execute(nb, parameters: dict, show_code: bool, source: str = "giaudit render"):
    """Run a notebook with its parameters set, in one kernel, and return it with its outputs."""
    _run(_inject(nb, parameters), show_code, source=source)
    return nb


def _run(nb, show_code: bool, last: dict[int, int] | None = None, finish=None, source: str = "giaudit render") -> list:
    """Run a notebook cell by cell in one kernel (nbclient, in-memory: no notebook file is written); the cells
    get their outputs. A second thread meanwhile loads nbconvert and builds the exporter (0.2 s the command
    would otherwise spend after the kernel), then, when cell i is the last of report ``last[i]``, calls
    ``finish(report)`` while the kernel goes on with the next report (export and kernel overlap on two cores).
    Returns what ``finish`` returned, in report order. The kernel runs in an empty folder (a ``giaudit/`` folder
    where the user stands must not shadow the installed package), so paths are made absolute first; it is killed
    once the last cell has run (a graceful shutdown costs it about 0.3 s CPU and has nothing to save)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    last = last or {}
    _kernel_path()
    with tempfile.TemporaryDirectory(prefix="giaudit-") as tmp:
        client = NotebookClient(
            nb,
            timeout=600,
            shutdown_kernel="immediate",
            resources={"metadata": {"path": tmp}},
            # no output history: IPython keeps every cell's result (its figures too) in Out, so a batch's kernel
            # grew by 25 MB a report (653 MB at 20 reports); the outputs still reach the write-up
            extra_arguments=["--InteractiveShell.cache_size=0"],
        )

        async def run() -> list:
            loop = asyncio.get_running_loop()
            with ThreadPoolExecutor(1) as pool:
                pool.submit(_exporter, show_code)  # an error here is raised again by _export
                pending = []
                async with client.async_setup_kernel():
                    for i, cell in enumerate(nb.cells):
                        await client.async_execute_cell(cell, i)
                        if i in last:
                            pending.append(loop.run_in_executor(pool, finish, last[i]))
                return list(await asyncio.gather(*pending))

        try:
            with _kernel_quiet():
                try:
                    asyncio.get_running_loop()
                except RuntimeError:
                    return asyncio.run(run())
                with ThreadPoolExecutor(1) as outer:  # called from a running loop (a notebook): a loop of its own
                    return outer.submit(asyncio.run, run()).result()
        except CellExecutionError as exc:
            raise UnreadableInput(
                source, f"the write-up could not be made ({exc.ename}: {exc.evalue})", "please report this file"
            ) from exc


def _absolute(path: str | Path | None) -> str:
    return str(Path(path).resolve()) if path else ""


@functools.lru_cache(maxsize=2)
def _exporter(show_code: bool):
    """One exporter per batch: building one loads and compiles the Jinja templates each time."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def _export(executed, title: str, target: Path, show_code: bool) -> Path:
    body, _ = _exporter(show_code).from_notebook_node(executed, resources={"metadata": {"name": title}})
    body = _SCRIPT.sub("", body)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_suffix(".html.part")
    part.write_text(body, "utf-8")
    part.replace(target)  # a reader never sees half a page
    return target


def render(
    report: str | Path,
    previous: str | Path | None = None,
    out_dir: str | Path = "reports",
    *,
    lang: str = "zh",
    show_code: bool = False,
    progress: bool = True,
    parsed: Report | None = None,
    decisions: str | Path | None = None,
) -> Path:
    """Run the notebooks on a report and write ``<out_dir>/<stem>-audit.html``; returns its path.
    ``decisions``: a reviewer's decisions file, shown beside the findings (dismissed ones not counted)."""
    _require()
    from . import read

    parsed = parsed or read(report)  # bad input fails here, with its one-line reason
    if previous:
        read(previous)
    _check_decisions(decisions)
    if progress:
        print(f"giaudit: 运行审核笔记本 (running the notebooks) on {report}", file=sys.stderr)
    params = {
        "report_path": _absolute(report),
        "previous_path": _absolute(previous),
        "lang": lang,
        "decisions_path": _absolute(decisions),
    }
    executed = _execute(combined_notebook(), params, show_code, str(report))
    return _export(executed, _title(parsed), Path(out_dir) / f"{Path(report).stem}-audit.html", show_code)


def _check_decisions(decisions) -> None:
    """A bad decisions file is said in one line before any kernel starts."""
    if decisions:
        from .decisions import read

        read(decisions)


def _title(report: Report) -> str:
    m = report.meta
    return f"{m.agency or '未识别单位'} {m.year or ''}年政府信息公开工作年度报告审核"


def render_many(
    reports: list[str | Path],
    out_dir: str | Path = "reports",
    *,
    lang: str = "zh",
    show_code: bool = False,
    progress: bool = True,
    decisions: str | Path | None = None,
) -> Path:
    """One write-up per report, all made in one kernel, and ``<out_dir>/index.html`` listing them (agency, year,
    errors, warnings, a link); a file that cannot be read is listed with its reason and the rest go on.
    Returns the index's path."""
    _require()
    import nbformat

    from . import audit, read
    from .errors import GiauditError

    _check_decisions(decisions)
    rows, good = [], []
    for path in reports:
        try:
            report = read(path)
        except GiauditError as exc:
            rows.append((Path(path).name, None, None, None, exc.message))
            continue
        good.append((Path(path), report))
    template = combined_notebook()
    params = next(c for c in template.cells if "parameters" in c.metadata.get("tags", ()))
    cells = [params, nbformat.v4.new_code_cell(f"lang = {lang!r}\ndecisions_path = {_absolute(decisions)!r}")]
    last: dict[int, int] = {}  # index of a report's last cell -> the report
    for n, (path, _) in enumerate(good):
        setup = nbformat.v4.new_code_cell(f"report_path = {_absolute(path)!r}\nprevious_path = ''")
        for i, cell in enumerate((setup, *(copy.deepcopy(c) for c in template.cells if c is not params))):
            cell.metadata["giaudit_report"] = n
            cell["id"] = f"r{n}-{i}"  # each report's copy of a cell is a cell of its own
            cells.append(cell)
        last[len(cells) - 1] = n
    nb = copy.deepcopy(template)
    nb.cells = cells
    if progress:
        print(f"giaudit: 运行审核笔记本 (running the notebooks) on {len(good)} reports", file=sys.stderr)
    out_dir = Path(out_dir)

    def finish(n: int):
        """Export report n's write-up; runs beside the kernel, which goes on with the next report."""
        path, report = good[n]
        one = nbformat.v4.new_notebook(metadata=nb.metadata)  # the report's own cells, not a copy of all
        one.cells = [c for c in nb.cells if c.metadata.get("giaudit_report") == n and not _is_setup(c)]
        target = _export(one, _title(report), out_dir / f"{path.stem}-audit.html", show_code)
        for cell in one.cells:  # written: its figures need not stay in memory for the rest of the batch
            if cell.cell_type == "code":
                cell.outputs = []
        good[n] = (path, None)
        counts = audit(report, decisions=decisions).counts(open_only=True)
        return target.name, report.meta.agency, report.meta.year, counts, None

    if good:
        rows.extend(_run(nb, show_code, last, finish))
    return _write_index(rows, out_dir / "index.html", lang)


def _is_setup(cell) -> bool:
    return cell.cell_type == "code" and cell.source.startswith("report_path = ")


def _write_index(rows, target: Path, lang: str) -> Path:
    from .pages import CSS

    e = html.escape
    body = []
    for name, agency, year, counts, error in sorted(rows, key=lambda r: (r[1] or "", r[2] or 0, r[0])):
        if error:
            body.append(f"<tr><td colspan=4>{e(name)}</td><td>{e(error)}</td></tr>")
            continue
        body.append(
            f"<tr><td>{e(agency or '未识别单位')}</td><td class=n>{e(str(year or ''))}</td>"
            f"<td class=n>{counts['error']}</td><td class=n>{counts['warning']}</td>"
            f'<td><a href="{e(name)}">{e(name)}</a></td></tr>'
        )
    heads = (
        ("单位", "年度", "错误", "警示", "审核报告")
        if lang != "en"
        else ("agency", "year", "errors", "warnings", "write-up")
    )
    page = (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>政府信息公开工作年度报告审核 · 汇总</title>'
        f"<style>body{{font-family:sans-serif;margin:2em;}}{CSS}</style></head><body class=gi>"
        f"<h1>政府信息公开工作年度报告审核</h1><p>{len(rows)} 份报告</p>"
        f"<table><thead><tr>{''.join(f'<th>{h}</th>' for h in heads)}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "</body></html>"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, "utf-8")
    return target


def render_corpus(
    corpus: str | Path,
    out_dir: str | Path = "reports",
    *,
    lang: str = "zh",
    show_code: bool = False,
    progress: bool = True,
    decisions: str | Path | None = None,
) -> Path:
    """Run notebook 04 on a corpus (a folder of reports, or a corpus output) and write ``corpus-audit.html``;
    ``decisions`` are applied when the corpus is a folder of reports (an output folder holds its own)."""
    _require()
    import nbformat

    corpus = Path(corpus)
    if not corpus.is_dir():
        raise UnreadableInput(str(corpus), "is not a folder", "give a folder of reports or a giaudit corpus output")
    nb = _clean(nbformat.read(notebooks_dir() / CORPUS_NOTEBOOK, as_version=4))
    if progress:
        print(f"giaudit: 运行汇总笔记本 (running the corpus notebook) on {corpus}", file=sys.stderr)
    _check_decisions(decisions)
    params = {"corpus": _absolute(corpus), "lang": lang, "decisions_path": _absolute(decisions)}
    executed = _execute(nb, params, show_code, str(corpus))
    title = f"{corpus.resolve().name} 政府信息公开工作年度报告汇总审核"
    return _export(executed, title, Path(out_dir) / "corpus-audit.html", show_code)
