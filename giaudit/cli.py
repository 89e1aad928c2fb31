"""The ``giaudit`` command line (also ``python -m giaudit``).

Exit status: 0 when the command did its job, 2 for unreadable input or a
document that is not a recognisable report (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import pandas as pd

from . import __version__
from .errors import GiauditError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="report file: text, HTML, PDF or DOCX")
    p.add_argument("--encoding", help="text encoding of FILE (default: detect UTF-8 / GB18030)")


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
        help="read a report and print its tables (or JSON / CSV)",
        description="Read a report and print its three tables, or every value as JSON or CSV.",
    )
    _add_input(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help='print {"meta", "values", "warnings"} as JSON')
    out.add_argument("--csv", action="store_true", help="print the tidy table (one row per key) as CSV")
    out.add_argument("--explain", action="store_true", help="show which printed label and cell each value came from")
    p.add_argument("--labels", choices=("zh", "en", "key"), default="zh", help="table labels (default: zh)")
    p.set_defaults(func=cmd_parse)

    a = sub.add_parser(
        "audit",
        help="run every reconciliation check and list the findings",
        description="Run every reconciliation check on a report; with --previous, the cross-year ones.",
    )
    _add_input(a)
    a.add_argument("--previous", metavar="FILE", help="last year's report of the same agency (cross-year checks)")
    a.add_argument("--json", action="store_true", help='print {"meta", "findings": [...]} as JSON')
    a.add_argument(
        "--severity",
        choices=("error", "warning", "info"),
        default="info",
        help="least severity to list in the text output (default: info, i.e. all)",
    )
    a.set_defaults(func=cmd_audit)

    r = sub.add_parser(
        "render",
        help="write the HTML audit write-up (runs the notebooks)",
        description="Run the audit notebooks on a report and write a self-contained HTML write-up.",
    )
    r.add_argument("file", metavar="FILE", nargs="?", help="report file: text, HTML, PDF or DOCX")
    r.add_argument("--encoding", help="text encoding of FILE (default: detect UTF-8 / GB18030)")
    r.add_argument("--corpus", metavar="DIR", help="instead: the corpus write-up of DIR (reports, or a corpus output)")
    r.add_argument("--previous", metavar="FILE", help="last year's report of the same agency (cross-year checks)")
    r.add_argument(
        "-o", "--output", metavar="DIR", default="reports", help="folder for the write-up (default: reports)"
    )
    r.add_argument("--lang", choices=("zh", "en"), default="zh", help="label language (default: zh)")
    r.add_argument("--show-code", action="store_true", help="keep the code cells in the write-up")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=cmd_render)

    k = sub.add_parser(
        "corpus",
        help="parse and audit every report under a folder into Parquet",
        description="Parse and audit every report under DIR (in parallel) into OUT/values.parquet, "
        "OUT/findings.parquet, OUT/reports.parquet and OUT/errors.csv; a re-run skips unchanged files.",
    )
    k.add_argument("dir", metavar="DIR", help="folder of reports (searched recursively)")
    k.add_argument("-o", "--output", metavar="OUT", required=True, help="folder for the results")
    k.add_argument("--workers", type=int, help="processes to use (default: all cores)")
    k.add_argument(
        "--scheduler", metavar="ADDRESS", help="a Dask scheduler (tcp://host:8786) instead of local processes"
    )
    k.add_argument(
        "--agency-map", metavar="CSV", help="CSV with columns name,agency: how agency names map to one agency"
    )
    k.add_argument("--quiet", action="store_true", help="no progress bar")
    k.set_defaults(func=cmd_corpus)

    c = sub.add_parser(
        "checks",
        help="list every check (id, severity, what it checks)",
        description="List the registered checks; --markdown prints docs/checks.md.",
    )
    c.add_argument("--markdown", action="store_true", help="print the Markdown table of docs/checks.md")
    c.set_defaults(func=cmd_checks)
    return parser


def cmd_audit(args: argparse.Namespace) -> int:
    from . import audit, read

    report = read(args.file, encoding=args.encoding)
    previous = read(args.previous, encoding=args.encoding) if args.previous else None
    findings = audit(report, previous)
    if args.json:
        _print(findings.to_json(indent=1))
        return EXIT_OK
    least = {"error": 0, "warning": 1, "info": 2}[args.severity]
    m = report.meta
    counts = findings.counts()
    lines = [
        f"{m.agency or '(未识别单位)'}  {m.year or '(未识别年度)'}年  格式 {m.format}  来源 {m.source}",
        f"错误 {counts['error']} 条  警示 {counts['warning']} 条  提示 {counts['info']} 条",
        "",
    ]
    for f in findings:
        if f.severity.rank > least:
            continue
        lines.append(f"[{f.severity.label}] {f.check}  {f.message}")
        if f.source:
            lines.append(f"        来源: {f.source}")
    _print("\n".join(lines))
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from . import read
    from .render import render, render_corpus

    if args.corpus:
        path = render_corpus(
            args.corpus, args.output, lang=args.lang, show_code=args.show_code, progress=not args.quiet
        )
        _print(str(path))
        return EXIT_OK
    if not args.file:
        print("giaudit: render needs FILE (a report) or --corpus DIR", file=sys.stderr)
        return EXIT_BAD_INPUT

    report = read(args.file, encoding=args.encoding)
    if args.previous:
        read(args.previous, encoding=args.encoding)
    path = render(
        args.file,
        args.previous,
        args.output,
        lang=args.lang,
        show_code=args.show_code,
        progress=not args.quiet,
        parsed=report,
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
    )
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
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250):
        for name, table in zip(names, tables, strict=True):
            lines += [name, report.table(table.id, labels).to_string(na_rep="—"), ""]
    if report.warnings:
        lines.append("提示 (warnings):")
        lines += [f"  - {w}" for w in report.warnings]
    return "\n".join(lines)


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
