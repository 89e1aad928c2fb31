"""The command line, as DESIGN.md documents it: JSON shape, CSV, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from giaudit.cli import main

from .conftest import SAMPLE, TESTS, golden


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "giaudit", *args], capture_output=True, text=True, encoding="utf-8")


def test_parse_json_contract():
    proc = run("parse", str(SAMPLE), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"meta", "values", "warnings"}
    assert out["meta"]["format"] == "2021" and out["meta"]["year"] == 2024
    assert {"agency", "year", "format"} <= set(out["meta"])
    assert out["values"] == golden("jiangle-2024")["expected"]
    assert out["values"]["t3.new_requests.total"] == 5
    assert isinstance(out["warnings"], list)


def test_parse_json_has_null_for_missing(tmp_path):
    text = SAMPLE.read_text("utf-8").replace("行政许可 |\n0 |", "行政许可 |\n/ |")
    path = tmp_path / "slash.txt"
    path.write_text(text, "utf-8")
    out = json.loads(run("parse", str(path), "--json").stdout)
    assert out["values"]["t2.licensing.decisions"] is None
    assert '"t2.licensing.decisions": null' in run("parse", str(path), "--json").stdout


def test_parse_default_prints_the_three_tables(capsys):
    assert main(["parse", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    for title in ("表二", "表三", "表四", "行政规范性文件", "(七)总计", "复议后起诉"):
        assert title in out


def test_parse_csv_is_the_tidy_table(capsys):
    assert main(["parse", str(TESTS / "reports" / "jiangle-2024.html"), "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "key,table,row,column,row_label,column_label,count,amount,raw,unit,source"
    assert len(lines) == 201
    assert any(
        line.startswith("t2.normative_documents.repealed,t2,normative_documents,repealed,") and ",4," in line
        for line in lines
    )


def test_parse_explain(capsys):
    assert main(["parse", str(SAMPLE), "--explain"]) == 0
    assert "2.没有现成信息需要另行制作" in capsys.readouterr().out


def test_python_dash_m_and_version():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("giaudit ")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"\n \n", "is empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"x" * 100, "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "OCR"),
        ("今天天气很好,我们去公园散步。\n晚上看了一场电影。\n".encode(), "does not look like"),
        ("<html><body><p>某某新闻:市政府召开常务会议</p></body></html>".encode(), "does not look like"),
        ("政府信息公开工作年度报告\n本年新收".encode("gbk")[:-1], "does not look like"),
    ],
    ids=["empty", "blank-lines", "binary", "pdf-not-yet", "image", "news-text", "news-html", "truncated-gbk"],
)
def test_bad_input_exits_2_with_one_line(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    proc = run("parse", str(path), "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in proc.stderr


def test_missing_file_exits_2(tmp_path):
    proc = run("parse", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_wrong_encoding_named_exits_2(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE.read_text("utf-8").encode("gbk"))
    proc = run("parse", str(path), "--encoding", "utf-8")
    assert proc.returncode == 2 and "--encoding" in proc.stderr
    ok = run("parse", str(path), "--encoding", "gbk", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["values"]["t2.normative_documents.in_force"] == 138


def test_undecodable_bytes_exit_2(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"\xff\xfe\xfd report \x81\x30\x81" * 10 + b"\xff")
    proc = run("parse", str(path))
    assert proc.returncode == 2 and ("decode" in proc.stderr or "binary" in proc.stderr)


def test_usage_error_exits_2():
    assert run("parse").returncode == 2


def test_a_json_answer_needs_no_pandas():
    """`giaudit parse/audit FILE --json` answer without importing pandas (issue 14: a CLI that answers at once)."""
    code = (
        "import sys, json, giaudit\n"
        f"r = giaudit.read({str(SAMPLE)!r})\n"
        "json.dumps(r.to_dict()); json.dumps(giaudit.audit(r).to_dict())\n"
        "print('pandas' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr
