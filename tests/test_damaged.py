"""Partial and damaged reports still parse: what is missing is listed in warnings, never guessed."""

from __future__ import annotations

import giaudit

from .conftest import SAMPLE, golden

TEXT = SAMPLE.read_text("utf-8")
EXPECTED = golden("jiangle-2024")["expected"]


def test_table3_cut_off_midway():
    cut = TEXT[: TEXT.index("5.属于三类内部事务信息")]
    report = giaudit.read(cut)
    values = report.values
    for key in ("t3.new_requests.total", "t3.denied_third_party.natural_person", "t2.normative_documents.in_force"):
        assert values[key] == EXPECTED[key]
    for key in ("t3.denied_internal_affairs.total", "t3.total_processed.total", "t4.review.total"):
        assert values[key] is None
    assert any("t3.total_processed" in w for w in report.warnings)
    assert any("表四" in w for w in report.warnings)
    assert any("第五部分" in w for w in report.warnings)


def test_text_cut_inside_a_row_keeps_the_cells_before_the_cut():
    start = TEXT.index("(七)总计 |")
    cut = TEXT[: start + len("(七)总计 |\n2 |\n2 |\n0 |\n")]
    report = giaudit.read(cut)
    assert [
        report.values[f"t3.total_processed.{c}"]
        for c in ("natural_person", "commercial_enterprise", "research_institution", "social_organization")
    ] == [2, 2, 0, None]
    assert any("中断" in w and "t3.total_processed" in w for w in report.warnings)


def test_a_missing_row_is_missing_and_its_neighbours_are_not_shifted():
    start = TEXT.index("2.重复申请 |")
    end = TEXT.index("3.要求提供公开出版物 |")
    report = giaudit.read(TEXT[:start] + TEXT[end:])
    assert all(report.values[f"t3.not_processed_duplicate.{c}"] is None for c in ("natural_person", "total"))
    for key, value in EXPECTED.items():
        if not key.startswith("t3.not_processed_duplicate."):
            assert report.values[key] == value, key
    assert any("t3.not_processed_duplicate" in w for w in report.warnings)


def test_a_row_missing_one_cell_is_left_missing_not_guessed():
    # one value line of 2.没有现成信息需要另行制作 dropped: six numbers for seven columns
    start = TEXT.index("2.没有现成信息需要另行制作 |\n") + len("2.没有现成信息需要另行制作 |\n")
    damaged = TEXT[:start] + TEXT[start + len("1 |\n") :]
    report = giaudit.read(damaged)
    assert report.values["t3.unable_needs_creation.natural_person"] is None
    assert report.values["t3.unable_unclear.natural_person"] == 0
    assert any("t3.unable_needs_creation" in w for w in report.warnings)


def test_blank_dash_and_slash_cells_are_missing_with_raw_text_kept():
    text = TEXT.replace("规章 |\n0 |\n0 |\n0 |", "规章 |\n/ |\n— |\n |")
    report = giaudit.read(text)
    assert [report.values[f"t2.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [None, None, None]
    assert report.cells["t2.regulations.issued"].raw == "/"
    assert report.cells["t2.regulations.repealed"].raw == "—"
    assert report.table2.loc["规章"].isna().all()
    tidy = report.tidy.set_index("key")
    assert tidy.loc["t2.regulations.issued", "raw"] == "/"


def test_prose_after_the_tables_truncated():
    report = giaudit.read(TEXT[: TEXT.index("五、存在的主要问题")])
    assert sum(v is not None for v in report.values.values()) == 200
    assert 5 not in report.prose and 6 not in report.prose
    assert any("第六部分" in w for w in report.warnings)


def test_full_width_digits_and_thousands_separators():
    text = TEXT.replace("行政规范性文件 |\n17 |\n4 |\n138 |", "行政规范性文件 |\n１７ |\n减4 |\n1,138 |")
    values = giaudit.read(text).values
    assert (
        values["t2.normative_documents.issued"],
        values["t2.normative_documents.repealed"],
        values["t2.normative_documents.in_force"],
    ) == (17, -4, 1138)


def test_fee_with_its_own_unit_keeps_number_and_unit():
    text = TEXT.replace("行政事业性收费 |\n0 |", "行政事业性收费 |\n251000元 |")
    report = giaudit.read(text)
    assert report.values["t2.fees.amount"] == 251000.0
    assert report.cells["t2.fees.amount"].unit == "元"
