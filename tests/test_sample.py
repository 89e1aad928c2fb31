"""The bundled sample (将乐县人民政府办公室 2024) in every form we hold: all 200 values exact."""

from __future__ import annotations

import pandas as pd
import pytest

import giaudit
from giaudit import template as tpl

from .conftest import SAMPLE, TESTS, golden

EXPECTED = golden("jiangle-2024")["expected"]


def assert_values(report, expected=EXPECTED):
    assert report.values == expected
    assert sum(v is not None for v in report.values.values()) == 200


def test_sample_text_all_200_values():
    assert_values(giaudit.read(SAMPLE))


def test_sample_as_official_merged_cell_html():
    report = giaudit.read(TESTS / "reports" / "jiangle-2024.html")
    assert_values(report)
    assert report.meta.kind == "html"
    assert report.meta.agency == "将乐县人民政府办公室"
    assert report.meta.title == "将乐县人民政府办公室2024年政府信息公开工作年度报告"
    # navigation, scripts and the footer are not report text
    assert "统计代码" not in report.document.text()
    assert "版权所有" not in "".join(report.prose.values())
    # the value sits in a cell of the third data table
    assert report.cells["t3.new_requests.total"].source.table == 2


def test_sample_reencoded_as_gbk(tmp_path):
    path = tmp_path / "jiangle-gbk.txt"
    path.write_bytes(SAMPLE.read_text("utf-8").encode("gbk"))
    report = giaudit.read(path)
    assert report.meta.encoding == "gb18030"
    assert_values(report)


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "gb18030"])
def test_sample_in_other_encodings(tmp_path, codec):
    path = tmp_path / f"jiangle-{codec}.txt"
    path.write_bytes(SAMPLE.read_text("utf-8").encode(codec))
    assert_values(giaudit.read(path))


def test_sample_given_as_a_string_of_text():
    assert_values(giaudit.read(SAMPLE.read_text("utf-8")))


def test_sample_in_traditional_characters(tmp_path):
    import opencc

    path = tmp_path / "jiangle-trad.txt"
    path.write_text(opencc.OpenCC("s2t").convert(SAMPLE.read_text("utf-8")), "utf-8")
    report = giaudit.read(path)
    assert_values(report)
    assert any("繁体" in w for w in report.warnings)


def test_sample_meta_and_prose(sample_report):
    meta = sample_report.meta
    assert (meta.year, meta.format, meta.kind, meta.encoding) == (2024, "2021", "text", "utf-8")
    assert meta.agency == "将乐县人民政府办公室"  # inferred from 请与将乐县政府办…联系; there is no title line
    assert sorted(k for k in sample_report.prose if k) == [1, 2, 3, 4, 5, 6]
    assert "废止或宣布失效规范性文件13件" in sample_report.prose[1]
    assert "信息处理费" in sample_report.prose[6]
    assert "扫一扫" not in sample_report.prose[6]
    # nothing from the tables leaks into the prose
    assert "本年制发件数" not in sample_report.prose[2]
    assert any("标题" in w for w in sample_report.warnings)


def test_sample_values_keep_raw_text_and_line(sample_report):
    cell = sample_report.cells["t2.normative_documents.repealed"]
    assert (cell.value, cell.raw, cell.source.line) == (4, "4", 23)
    assert SAMPLE.read_text("utf-8").splitlines()[22] == "4 |"
    assert str(cell.source).endswith("jiangle-2024.txt:23")


def test_sample_wide_tables(sample_report):
    t3 = sample_report.table3
    assert t3.shape == (25, 7)
    assert list(t3.columns) == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert (t3.dtypes == "Int64").all()
    assert t3.loc["(七)总计", "总计"] == 4
    # the arithmetic the checks enforce holds on what the parser read
    outcomes = [r.label for r in tpl.get("2021").table("t3").rows[2:23] if not r.optional]
    assert (t3.loc[outcomes].sum() == t3.loc["(七)总计"]).all()
    assert (t3.iloc[:, :6].sum(axis=1) == t3["总计"]).all()
    assert (
        t3.loc["一、本年新收政府信息公开申请数量"] + t3.loc["二、上年结转政府信息公开申请数量"]
        == t3.loc["(七)总计"] + t3.loc["四、结转下年度继续办理"]
    ).all()
    t2 = sample_report.table2
    assert t2.loc["行政规范性文件", "本年废止件数"] == 4
    assert t2["本年收费金额(单位:万元)"].dtype == "Float64"
    t4 = sample_report.table4
    assert t4.shape == (3, 5) and (t4 == 0).all().all()
    assert list(sample_report.table("t3", labels="key").index[:2]) == ["new_requests", "carried_over"]
    assert "Total processed" in sample_report.table("t3", labels="en").index[23]


def test_sample_tidy(sample_report):
    tidy = sample_report.tidy
    assert len(tidy) == 200
    assert list(tidy.columns) == [
        "key",
        "table",
        "row",
        "column",
        "row_label",
        "column_label",
        "count",
        "amount",
        "raw",
        "unit",
        "source",
    ]
    assert tidy["count"].dtype == "Int64" and tidy["amount"].dtype == "Float64"
    fee = tidy.set_index("key").loc["t2.fees.amount"]
    assert fee["amount"] == 0.0 and pd.isna(fee["count"]) and fee["unit"] == "万元"
    assert tidy["source"].notna().all()
    assert tidy["key"].tolist() == tpl.get("2021").keys()


def test_explain_names_the_label_each_value_matched(sample_report):
    ex = sample_report.explain().set_index("key")
    assert ex.loc["t3.unable_needs_creation.natural_person", "matched_label"] == "2.没有现成信息需要另行制作"
    assert len(ex) == 200


def test_gbk_file_cut_inside_its_last_character(tmp_path):
    data = SAMPLE.read_text("utf-8").encode("gbk")
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-1] if data[-1] >= 0x80 else data + "报".encode("gbk")[:1])
    report = giaudit.read(path)
    assert report.meta.encoding == "gb18030"
    assert_values(report)
