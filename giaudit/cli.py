"""The ``giaudit`` command line (also ``python -m giaudit``).

Exit status: 0 when the command did its job, 2 for unreadable input or a
document that is not a recognisable report (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence

from . import __version__
from .errors import GiauditError

EXIT_OK = 0
EXIT_FINDINGS = 1  # --fail-on: an open finding at that level remains
EXIT_BAD_INPUT = 2


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="报告文件 · report file: text, HTML, PDF or DOCX")
    p.add_argument("--encoding", help="文件编码 · text encoding of FILE (default: detect UTF-8 / GB18030)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="giaudit",
        description="政府信息公开工作年度报告审核工具 — read and audit government information disclosure "
        "annual reports.",
    )
    parser.add_argument("--version", action="version", version=f"giaudit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "parse",
        help="读取报告,打印三张表 · read a report and print its tables (or JSON / CSV)",
        description="Read a report and print its three tables, or every value as JSON or CSV.",
    )
    _add_input(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help='输出 JSON · print {"meta", "values", "warnings"} as JSON')
    out.add_argument("--csv", action="store_true", help="输出 CSV 长表 · print the tidy table (one row per key) as CSV")
    out.add_argument(
        "--explain", action="store_true", help="每个数值的出处 · show which printed label and cell each value came from"
    )
    p.add_argument(
        "--labels", choices=("zh", "en", "key"), default="zh", help="表格标签语言 · table labels (default: zh)"
    )
    p.set_defaults(func=cmd_parse)

    a = sub.add_parser(
        "audit",
        help="运行全部核对检查,列出审核发现 · run every check and list the findings",
        description="Run every reconciliation check on a report; with --previous, the cross-year ones.",
    )
    _add_input(a)
    a.add_argument(
        "--previous", metavar="FILE", help="同一单位上一年度的报告(跨年度衔接) · last year's report of the same agency"
    )
    a.add_argument("--json", action="store_true", help='输出 JSON · print {"meta", "findings": [...]} as JSON')
    a.add_argument(
        "--xlsx",
        metavar="OUT.xlsx",
        help="另存 Excel 工作簿(三张表标出问题单元格、审核发现) · also write an Excel workbook",
    )
    a.add_argument(
        "--severity",
        choices=("error", "warning", "info"),
        default="info",
        help="列出的最低级别 · least severity to list (default: info, i.e. all)",
    )
    _add_decisions(a)
    a.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="发布前自查:仍有该级别(或更高)未排除的问题时退出码为 1 · exit 1 when an open finding at this level "
        "or above remains (a pre-publication check)",
    )
    a.set_defaults(func=cmd_audit)

    r = sub.add_parser(
        "render",
        help="生成 HTML 审核报告 · write the HTML audit write-up",
        description="Run the audit notebooks on a report and write a self-contained HTML write-up.",
    )
    r.add_argument(
        "file",
        metavar="FILE",
        nargs="*",
        help="报告文件,可多个(另生成 index.html) · report file(s); several make an index.html",
    )
    r.add_argument(
        "--each",
        metavar="DIR",
        help="为文件夹中每份报告生成审核报告及索引 · a write-up for every report under DIR, with an index",
    )
    r.add_argument("--encoding", help="文件编码 · text encoding of FILE (default: detect UTF-8 / GB18030)")
    r.add_argument(
        "--corpus",
        metavar="DIR",
        help="多份报告汇总审核报告 · the corpus write-up of DIR (reports, or a corpus output)",
    )
    r.add_argument(
        "--previous", metavar="FILE", help="同一单位上一年度的报告(跨年度衔接) · last year's report of the same agency"
    )
    r.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="reports",
        help="输出文件夹 · folder for the write-up (default: reports)",
    )
    r.add_argument("--lang", choices=("zh", "en"), default="zh", help="标签语言 · label language (default: zh)")
    r.add_argument("--show-code", action="store_true", help="保留代码单元格 · keep the code cells in the write-up")
    r.add_argument("--quiet", action="store_true", help="不显示进度 · no progress bar")
    _add_decisions(r)
    r.set_defaults(func=cmd_render)

    k = sub.add_parser(
        "corpus",
        help="批量读取并审核文件夹中的报告 · parse and audit every report under a folder into Parquet",
        description="Parse and audit every report under DIR (in parallel) into OUT/values.parquet, "
        "OUT/findings.parquet, OUT/reports.parquet and OUT/errors.csv; a re-run skips unchanged files.",
    )
    k.add_argument("dir", metavar="DIR", help="报告所在文件夹(含子文件夹) · folder of reports (searched recursively)")
    k.add_argument("-o", "--output", metavar="OUT", required=True, help="结果文件夹 · folder for the results")
    k.add_argument("--workers", type=int, help="进程数 · processes to use (default: all cores)")
    k.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask 调度器地址 · a Dask scheduler (tcp://host:8786) instead of local processes",
    )
    k.add_argument(
        "--agency-map", metavar="CSV", help="单位名称对照表 CSV(name,agency) · how agency names map to one agency"
    )
    k.add_argument("--quiet", action="store_true", help="不显示进度 · no progress bar")
    k.add_argument(
        "--xlsx",
        action="store_true",
        help="另存 OUT/corpus.xlsx · also write OUT/corpus.xlsx: reports, findings, values",
    )
    _add_decisions(k)
    k.set_defaults(func=cmd_corpus)

    d = sub.add_parser(
        "decide",
        help="记录审核人对某条发现的决定 · record a reviewer's decision on a finding",
        description="Record (or withdraw) a reviewer's decision on one finding, by its fingerprint (from "
        "`giaudit audit FILE --json` or the write-up), in a decisions CSV that audit, render and corpus apply.",
    )
    d.add_argument("fingerprint", metavar="FINGERPRINT", help="发现的指纹 · the finding's fingerprint")
    d.add_argument(
        "decision",
        choices=("confirmed", "dismissed", "withdraw"),
        help="confirmed 确认 / dismissed 排除 / withdraw 撤回已记录的决定",
    )
    d.add_argument("--decisions", metavar="FILE.csv", required=True, help="决定文件(不存在则新建) · decisions file")
    d.add_argument("--note", default="", help="说明 · why")
    d.add_argument("--reviewer", default="", help="审核人 · who decided")
    d.add_argument(
        "--report", metavar="FILE", help="该发现所属报告(填写报告与发现说明列) · the report, to label the row"
    )
    d.set_defaults(func=cmd_decide)

    c = sub.add_parser(
        "checks",
        help="列出全部检查 · list every check (id, severity, what it checks)",
        description="List the registered checks; --markdown prints docs/checks.md.",
    )
    c.add_argument(
        "--markdown", action="store_true", help="输出 Markdown 表 · print the Markdown table of docs/checks.md"
    )
    c.set_defaults(func=cmd_checks)
    return parser


def _add_decisions(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--decisions",
        metavar="FILE.csv",
        help="审核人的决定(确认/排除)文件,重新运行时沿用 · a reviewer's decisions (confirmed/dismissed) to apply",
    )


def cmd_audit(args: argparse.Namespace) -> int:
    from . import audit, read

    report = read(args.file, encoding=args.encoding)
    previous = read(args.previous, encoding=args.encoding) if args.previous else None
    findings = audit(report, previous, decisions=args.decisions)
    if args.xlsx:
        from .excel import write_report

        write_report(report, findings, args.xlsx)
    failed = EXIT_FINDINGS if args.fail_on and findings.fails(args.fail_on) else EXIT_OK
    if args.json:
        _print(findings.to_json(indent=1))
        return failed
    least = {"error": 0, "warning": 1, "info": 2}[args.severity]
    m = report.meta
    counts = findings.counts(open_only=True)
    dismissed = sum(not f.open for f in findings)
    lines = [
        f"{m.agency or '(未识别单位)'}  {m.year or '(未识别年度)'}年  格式 {m.format}  来源 {m.source}",
        f"错误 {counts['error']} 条  警示 {counts['warning']} 条  提示 {counts['info']} 条"
        + (f"  (另有 {dismissed} 条已由审核人排除)" if dismissed else ""),
        "",
    ]
    from .decisions import LABELS
    from .pages import where

    # in the order of the report: notes on the whole document first, then by the place in the form
    for f in sorted(findings, key=lambda f: (f.order[0] if f.order else -1, f.severity.rank)):
        if f.severity.rank > least:
            continue
        mark = f"[{LABELS[f.decision]}] " if f.decision else ""
        lines.append(f"[{f.severity.label}] {mark}{f.message}  ({f.check} {f.fingerprint})")
        if f.decision_note:
            lines.append(f"        审核说明: {f.decision_note}")
        if f.source:
            lines.append(f"        出处: {where(f.source)}")
    for d in findings.stale:
        lines.append(f"[过期决定] {d.fingerprint} ({d.label}) 对应的发现已不再出现:{d.message or d.check}")
    if args.fail_on:
        level = {"error": "错误", "warning": "警示或错误"}[args.fail_on]
        lines.append(
            f"\n发布前自查:仍有未排除的{level},退出码 1" if failed else f"\n发布前自查:没有未排除的{level},可以发布"
        )
    _print("\n".join(lines))
    return failed


def cmd_decide(args: argparse.Namespace) -> int:
    from .decisions import decide, report_label

    finding, label = None, ""
    if args.report:
        from . import audit
        from . import read as read_report

        findings = audit(read_report(args.report))
        finding = next((f for f in findings if f.fingerprint == args.fingerprint), None)
        if finding is None:
            print(
                f"giaudit: {args.report}: no finding has the fingerprint {args.fingerprint}; "
                "see `giaudit audit FILE` for the fingerprints",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        label = report_label(findings.meta)
    decision = None if args.decision == "withdraw" else args.decision
    decide(
        args.decisions,
        args.fingerprint,
        decision,
        note=args.note,
        reviewer=args.reviewer,
        finding=finding,
        report=label,
    )
    _print(f"{args.fingerprint}: {args.decision} -> {args.decisions}")
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from . import read
    from .render import render, render_corpus, render_many

    if args.corpus:
        path = render_corpus(
            args.corpus,
            args.output,
            lang=args.lang,
            show_code=args.show_code,
            progress=not args.quiet,
            decisions=args.decisions,
        )
        _print(str(path))
        return EXIT_OK
    files = list(args.file)
    if args.each:
        from pathlib import Path

        from .corpus import discover

        if not Path(args.each).is_dir():
            print(f"giaudit: {args.each}: is not a folder; give the folder of reports to --each", file=sys.stderr)
            return EXIT_BAD_INPUT
        files += [str(p) for p in discover(Path(args.each))]
    if not files:
        print("giaudit: render needs FILE (a report), several FILEs, --each DIR or --corpus DIR", file=sys.stderr)
        return EXIT_BAD_INPUT
    if len(files) > 1:
        _print(
            str(
                render_many(
                    files,
                    args.output,
                    lang=args.lang,
                    show_code=args.show_code,
                    progress=not args.quiet,
                    decisions=args.decisions,
                )
            )
        )
        return EXIT_OK
    report = read(files[0], encoding=args.encoding)
    if args.previous:
        read(args.previous, encoding=args.encoding)
    path = render(
        files[0],
        args.previous,
        args.output,
        lang=args.lang,
        show_code=args.show_code,
        progress=not args.quiet,
        parsed=report,
        decisions=args.decisions,
    )
    _print(str(path))
    return EXIT_OK


def cmd_corpus(args: argparse.Namespace) -> int:
    from .corpus import run

    stats = run(
        args.dir,
        args.output,
        workers=args.workers,
        scheduler=args.scheduler,
        agency_map=args.agency_map,
        progress=not args.quiet,
        decisions=args.decisions,
    )
    for d in stats.stale:
        print(
            f"giaudit: 过期决定 (stale decision) {d.fingerprint} ({d.label}): {d.report} {d.message or d.check}",
            file=sys.stderr,
        )
    if args.xlsx:
        from .excel import write_corpus

        write_corpus(args.output)
    _print(
        f"{stats.reports} 份报告已审核 (reports audited), {stats.errors} 份无法读取 (unreadable, see "
        f"{args.output}/errors.csv), {stats.cached} 份未变化沿用缓存 (unchanged, from cache), "
        f"{stats.pairs} 组相邻年度 (consecutive-year pairs) -> {args.output}"
    )
    return EXIT_OK


def cmd_checks(args: argparse.Namespace) -> int:
    from .checks import REGISTRY, checks_markdown

    if args.markdown:
        _print(checks_markdown().rstrip("\n"))
    else:
        for spec in REGISTRY.values():
            _print(f"{spec.id:18s} {spec.severity.value:8s} {spec.title}:{spec.description}")
    return EXIT_OK


def cmd_parse(args: argparse.Namespace) -> int:
    from . import read

    report = read(args.file, encoding=args.encoding)
    if args.json:
        _print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    elif args.csv:
        from .sheets import safe_frame

        _print(safe_frame(report.tidy).to_csv(index=False).rstrip("\n"))
    elif args.explain:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_colwidth", 40, "display.width", 200):
            _print(report.explain().to_string(index=False))
    else:
        _print(_text_summary(report, args.labels))
    return EXIT_OK


def _text_summary(report, labels: str) -> str:
    m = report.meta
    tables = report.template.tables
    names = {
        "zh": [f"{t.title} {t.label}" for t in tables],
        "en": [f"Table {t.number} {t.label_en}" for t in tables],
        "key": [t.id for t in tables],
    }[labels]
    found = sum(v is not None for v in report.values.values())
    lines = [
        f"{m.agency or '(未识别单位)'}  {m.year or '(未识别年度)'}年  格式 {m.format}  来源 {m.source}",
        f"数值 {found}/{len(report.values)}  提示 {len(report.warnings)} 条",
        "",
    ]
    for name, table in zip(names, tables, strict=True):
        lines += [name, *_terminal_table(report, table, labels), ""]
    if report.warnings:
        lines.append("提示 (warnings):")
        lines += [f"  - {w}" for w in report.warnings]
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _terminal_table(report, table, labels: str) -> list[str]:
    """A table as printed, aligned by display width; table 三 keeps its group rows; a blank is shown blank."""
    rows = [r for r in table.rows if any(f"{table.id}.{r.key}.{c}" in report.cells for c in r.columns)]
    cols = [c for c in table.columns if any(c in r.columns for r in rows)]
    name = {"zh": lambda x: x.label, "en": lambda x: x.label_en, "key": lambda x: x.key}[labels]
    grid = [["", *(name(table.columns[c]) for c in cols)]]
    for kind, item in table.display_rows(rows):
        if kind == "group":
            grid.append([name(item)] + [""] * len(cols))
            continue
        line = [
            name(item) if labels == "key" else (item.display if labels == "zh" and len(item.label) > 24 else name(item))
        ]
        for c in cols:
            cell = report.cells.get(f"{table.id}.{item.key}.{c}")
            if c not in item.columns or cell is None:
                line.append("")
            elif cell.value is not None:
                line.append(f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value))
            else:
                line.append(cell.raw or "")  # printed "/" or "—" as printed; a blank stays blank
        grid.append(line)
    widths = [max(_width(r[j]) for r in grid) for j in range(len(grid[0]))]
    return [
        "  ".join(_pad(v, widths[j], right=j > 0 and n > 0) for j, v in enumerate(r)).rstrip()
        for n, r in enumerate(grid)
    ]


def _print(text: str) -> None:
    try:
        print(text)
    except UnicodeEncodeError:  # a console that cannot show Chinese
        sys.stdout.buffer.write((text + "\n").encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except GiauditError as exc:
        print(f"giaudit: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `giaudit parse x | head`
        return EXIT_OK
