"""How a source location is written: the shortcuts for the commonest sources say what the general form says."""

from __future__ import annotations

import itertools

from giaudit.document import Loc

SHAPES = list(
    itertools.product(
        ["r1.txt", "r1.html", "a.docx", "B.DOC", "x.wps", "p.pdf", None],  # file (Word files count paragraphs)
        [None, 3],  # line
        [None, 1],  # table
        [None, 2],  # row
        [None, 4],  # col
        [None, 5],  # page
        [None, "按本行合计拆分"],  # how
    )
)


def test_str_agrees_with_the_general_form():
    def general(loc: Loc) -> str:
        return loc._where() + (f" [{loc.how}]" if loc.how else "")

    differ = [(shape, str(Loc(*shape))) for shape in SHAPES if str(Loc(*shape)) != general(Loc(*shape))]
    assert differ == []
    assert len(SHAPES) == 448


def test_commonest_sources_as_users_read_them():
    assert str(Loc("r1.txt", 17)) == "r1.txt:17"
    assert str(Loc("r1.html", 1234, 2, 5, 3)) == "r1.html:1234 (table2/r5/c3)"
    assert str(Loc("r1.docx", 8)) == "r1.docx ¶8"
    assert str(Loc("r1.pdf", None, 1, 2, 3, page=4)) == "r1.pdf p4/table1/r2/c3"
