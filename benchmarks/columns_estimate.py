"""An estimate, not a reader: what the text reader would cost if it made columns instead of an object per token.

    python benchmarks/columns_estimate.py [--write docs/benchmarks.md]

The text reader makes a Token and a Loc for every line of the sample (about 750 objects a read). A token model
without an object per token would keep three lists instead (texts, kinds, line numbers) and make a Loc only for
the 200 cells that become values. ``columns`` below is the reader's loop cut down to the line forms the sample
prints ("17 |" cells, pipe padding, prose, a label with its values), appending to three lists; it is timed against
``giaudit.readers.text.read_text`` on the same distinct variants of the sample, with the floor (split and strip
the lines) beside them. It is not used anywhere: it tells the next person what rewriting every reader and the
extractor for columns could at most win on reading text.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _docs import publish
from bench_parse import TEXT, per_second, variants

from giaudit.document import CELL, PARA, Loc
from giaudit.readers import text as reader


def columns(text: str) -> tuple[list[str], list[str], list[int]]:
    texts: list[str] = []
    kinds: list[str] = []
    lines: list[int] = []
    add_text, add_kind, add_line = texts.append, kinds.append, lines.append
    stripped = [line.strip() for line in text.splitlines()]
    reader._pipe_lines_separate_cells(stripped)  # the layout tests the reader makes, made alike
    reader._blank_lines_are_cells(stripped)
    for number, s in enumerate(stripped, 1):
        if not s:
            continue
        last = s[-1]
        if last == "|" and len(s) > 1 and s.count("|") == 1:
            add_text(s[:-1].rstrip()), add_kind(CELL), add_line(number)
        elif "|" in s:
            for _ in range(s.count("|")):
                add_text(""), add_kind(CELL), add_line(number)
        elif len(s) > 16 and last not in reader._VALUE_ENDS:
            add_text(s), add_kind(PARA), add_line(number)
        elif (cells := reader.split_value_line(s)) is not None:
            for c in cells[0]:
                add_text(c), add_kind(CELL), add_line(number)
        else:
            add_text(s), add_kind(PARA), add_line(number)
    return texts, kinds, lines


def with_cell_locs(text: str) -> list[Loc]:
    """Columns, then a Loc for each of the 200 values (what a Cell's source needs), as an extractor would."""
    _, kinds, lines = columns(text)
    return [Loc("<text>", lines[i]) for i in range(len(kinds)) if kinds[i] == CELL][:200]


def floor(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    rounds = [variants(TEXT, 300, start=r * 300) for r in range(5)]
    cases = [
        ("the text reader as it is (a Token and a Loc a line)", reader.read_text),
        ("columns: texts, kinds, line numbers", columns),
        ("columns, then a Loc for each of the 200 values", with_cell_locs),
        ("floor: split and strip the lines", floor),
    ]
    times = {name: 1e6 / per_second(fn, rounds) for name, fn in cases}  # µs a read
    now = times[cases[0][0]]
    lines = [
        "## A token model of columns, estimated (`benchmarks/columns_estimate.py`)",
        "",
        "Reading the sample's text into tokens, µs a read (distinct variants, one core, best of 5 rounds of 300). "
        "The columns reader is an estimate made for this table, not giaudit's reader. Reproduce: "
        "`python benchmarks/columns_estimate.py`.",
        "",
        "| reader | µs a read | saved against the reader as it is |",
        "|---|---:|---:|",
        *(f"| {name} | {us:.0f} | {now - us:.0f} |" for name, us in times.items()),
        "",
    ]
    publish(lines, args.write)


if __name__ == "__main__":
    main()
