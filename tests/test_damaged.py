"""Partial and damaged reports still parse: what is missing is listed in warnings, never guessed."""

from __future__ import annotations

import re

import giaudit
import giaudit.template

from .conftest import SAMPLE, TESTS, golden

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
    # issue 10: the cut is said once, with where it stops; nothing after it is called missing
    stops = [w for w in report.warnings if "报告文本不完整" in w]
    assert len(stops) == 1 and "4.保护第三方合法权益" in stops[0]
    assert not any("t3.total_processed" in w or "表四" in w or "第五部分" in w for w in report.warnings)
    # nor in the audit: an equation reaching past the cut is not "missing" its cells
    findings = giaudit.audit(report)
    said = [f.message for f in findings if "不完整" in f.message]
    assert len(said) == 1 and "4.保护第三方合法权益" in said[0]
    assert not [f.message for f in findings if "缺少" in f.message or "缺失" in f.message.replace("不作缺失处理", "")]


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
    # the text stops after table 四: said once, and sections 五 and 六 are not "missing"
    assert [w for w in report.warnings if "报告文本不完整" in w or "第六部分" in w] == [
        next(w for w in report.warnings if "报告文本不完整" in w)
    ]
    assert "行政诉讼(复议后起诉)" in report.extraction.cut.where


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


# ---------------------------------------------------------------- damaged tables (recovery by structure)

HTML = (TESTS / "reports" / "jiangle-2024.html").read_text("utf-8")
DENIED_LABEL = re.compile(r"<td[^>]*>(?:(?!</td>).)*?[1-8]．(?:属于|其他法律|危及|保护第三方)(?:(?!</td>).)*?</td>")
DENIED = [k for k in EXPECTED if k.startswith("t3.denied_")]


def test_dropped_sub_labels_are_recovered_by_template_order():
    damaged = DENIED_LABEL.sub("", HTML)
    assert damaged.count("属于国家秘密") == 0 and damaged.count("（三）不予公开") == 1
    report = giaudit.read(damaged)
    assert report.values == EXPECTED
    assert any("按模板顺序确定了这 8 行" in w for w in report.warnings)
    assert report.explain().set_index("key").loc["t3.denied_third_party.total", "matched_label"] == "(按位置)"


def test_group_label_followed_by_56_bare_numbers():
    lines = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    t3 = giaudit.template.get("2021").table("t3")
    for row in t3.rows:
        if row.optional or row.group == "denied":
            continue
        if row.key == "unable_not_held":
            numbers = " ".join(str(EXPECTED[k]) for k in DENIED)
            lines.append(f"(三)不予公开 {numbers}")
        lines.append(row.label + " " + " ".join(str(EXPECTED[f"t3.{row.key}.{c}"]) for c in row.columns))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    report = giaudit.read("\n".join(lines))
    assert {k: report.values[k] for k in DENIED} == {k: EXPECTED[k] for k in DENIED}
    assert any("按模板顺序" in w for w in report.warnings)


def test_numbers_that_could_mean_two_things_stay_missing():
    # labels of two rows dropped and one of those rows lost: one row of numbers for two rows
    damaged = re.sub(r"<tr>(?:(?!</tr>).)*?7．属于行政执法案卷.*?</tr>", "", HTML, flags=re.S)
    damaged = re.sub(r"<td[^>]*>(?:(?!</td>).)*?8．属于行政查询事项(?:(?!</td>).)*?</td>", "", damaged)
    report = giaudit.read(damaged)
    for row in ("denied_enforcement_file", "denied_inquiry_matter"):
        assert report.values[f"t3.{row}.total"] is None
    assert any("不能一一对应" in w for w in report.warnings)
    assert report.values["t3.denied_process_info.total"] == 0 and report.values["t3.unable_not_held.total"] == 0


def test_header_rows_missing():
    start, end = TEXT.index("(本列数据的勾稽关系"), TEXT.index("一、本年新收政府信息公开申请数量 |")
    report = giaudit.read(TEXT[:start] + TEXT[end:])
    assert report.values == EXPECTED


def test_an_extra_empty_column_is_skipped_and_said():
    damaged = re.sub(r"(<td[^>]*>(?:(?!</td>).)*?(?:[1-8]．|（[一二七]）)(?:(?!</td>).)*?</td>)", r"\1<td></td>", HTML)
    report = giaudit.read(damaged)
    assert report.values == EXPECTED
    assert any("空白单元格" in w for w in report.warnings)


def test_a_row_printed_twice_with_the_same_numbers():
    block = TEXT[TEXT.index("2.重复申请 |") : TEXT.index("3.要求提供公开出版物 |")]
    report = giaudit.read(TEXT.replace(block, block + block, 1))
    assert report.values == EXPECTED
    assert any("重复出现" in w for w in report.warnings)


def test_a_row_printed_twice_with_different_numbers_is_missing():
    block = TEXT[TEXT.index("2.重复申请 |") : TEXT.index("3.要求提供公开出版物 |")]
    other = block.replace("2.重复申请 |\n0 |", "2.重复申请 |\n5 |", 1)
    report = giaudit.read(TEXT.replace(block, block + other, 1))
    assert report.values["t3.not_processed_duplicate.natural_person"] is None
    assert any("数值不同" in w for w in report.warnings)
    assert report.values["t3.not_processed_publication.total"] == 0
