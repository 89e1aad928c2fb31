"""The official formats live wholly in templates/*.toml: no label in Python, and a new revision needs no code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import giaudit
from giaudit import template as tpl

from .conftest import ROOT, SAMPLE

PACKAGE = ROOT / "giaudit"
SHORT = (
    4  # a label shorter than this ("规章", "总计", "其他") is an ordinary word too: flagged only when a string is it
)


def official_labels(variants: bool = True) -> set[str]:
    """Every label the templates spell: formats, sections, tables, headers, rows, columns, groups (and variants)."""
    out: set[str] = set()
    for f in tpl.formats():
        t = tpl.get(f)
        out |= {t.name, *t.markers, *t.citations}
        for s in t.sections:
            out.add(s.label)
        for table in t.tables:
            out |= {table.label, *table.headers}
            for c in table.columns.values():
                out |= {c.label, *(c.variants if variants else ())}
            for r in table.rows:
                out |= {*(r.names if variants else [r.label]), *([r.short] if r.short else [])}
            out |= {g.label for g in table.groups}
    return {tpl.normalize(x) for x in out} | {tpl.core(x) for x in out}


def _strings(path: Path):
    """(line, text) of every string constant in a module, docstrings left out (they document, they do not print)."""
    tree = ast.parse(path.read_text("utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.lineno, node.value


def test_no_official_label_is_spelled_in_python():
    labels = official_labels()
    long_ = {x for x in labels if len(x) >= SHORT}
    short = {x for x in official_labels(variants=False) if len(x) < SHORT}  # 「合计」 as a variant is just a word
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, text in _strings(path):
            norm = tpl.normalize(text)
            hits = [x for x in long_ if x in norm] + [x for x in short if norm == x]
            if hits:
                found.append(f"{path.relative_to(ROOT)}:{line}: {sorted(hits)}")
    assert not found, "official labels spelled in Python (take them from the template):\n" + "\n".join(found)


def test_the_label_test_would_catch_a_label(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(
        'def f():\n    """(三)不予公开 in a docstring is fine."""\n    return "表三「(三)不予公开」"\n', "utf-8"
    )
    labels = official_labels()
    hits = [(line, x) for line, text in _strings(path) for x in labels if len(x) >= SHORT and x in tpl.normalize(text)]
    assert hits and all(line == 3 for line, _ in hits)


# ---------------------------------------------------------------- a revision of the format, as one TOML file

REVISION = """
format = "2099"
name = "国办公开办函〔2099〕1号(假设的修订)"
first_year = 2099
last_year = 9999
markers = ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "要求提供咨询服务"]
citations = ["〔2099〕1号"]

[inherit]
format = "2021"
sections = true
tables = ["t2", "t3", "t4"]
cross_year = ["carry", "stock"]
indicators = true
bounds = true

[inherit.t3]
add_rows = [{ key = "not_processed_consultation", group = "not_processed", label = "6.要求提供咨询服务", label_en = "Asks for advice", after = "not_processed_confirmation" }]
rename_rows = { other_other = { label = "3.其他情形", variants = ["其他情形"] } }
"""

EXTRA = "6.要求提供咨询服务 |\n2 |\n0 |\n0 |\n0 |\n0 |\n0 |\n2 |\n||\n"


@pytest.fixture
def revision(tmp_path):
    path = tmp_path / "gov2099.toml"
    path.write_text(REVISION, "utf-8")
    template = tpl.register(path)
    yield template
    tpl.unregister(template.format)


def _revised_sample() -> str:
    """The sample, as if printed on the revision: the extra row after 5. of (五)不予处理, totals raised to match."""
    text = SAMPLE.read_text("utf-8").replace("2024年", "2099年")
    text = text.replace(
        "5.要求行政机关确认或重新出具已获取信息 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n||\n",
        "5.要求行政机关确认或重新出具已获取信息 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n||\n" + EXTRA,
        1,
    )
    text = text.replace("3.其他 |", "3.其他情形 |", 1)
    assert EXTRA in text
    return text


def test_a_revision_is_read_checked_and_drawn_without_code(revision):
    text = _revised_sample()
    report = giaudit.read(text)
    assert report.meta.format == "2099" and report.template is revision
    row = "t3.not_processed_consultation"
    assert report.values[f"{row}.natural_person"] == 2 and report.values[f"{row}.total"] == 2
    assert report.cells[f"{row}.total"].raw == "2"
    assert "t3.other_other.total" in report.values  # renamed row, read by its new label
    table3 = report.table3
    assert len(table3) == 26 and "6.要求提供咨询服务" in table3.index
    # its arithmetic: the new row is a part of (七)总计, so the unchanged totals no longer add up
    findings = giaudit.audit(report)
    outcome = [f for f in findings.by_check("t3.outcome_total") if f.severity.value == "error"]
    assert {f.keys[0] for f in outcome} == {"t3.total_processed.natural_person", "t3.total_processed.total"}
    assert all(f"{row}.natural_person" in f.keys or f"{row}.total" in f.keys for f in outcome)
    rows = findings.results[findings.results["check"] == "t3.row_total"]
    assert any(f"{row}.total" in k for k in rows["keys"])


def test_a_revision_draws_its_extra_row(revision):
    from giaudit import plots

    report = giaudit.read(_revised_sample())
    fig = plots.reasons(report)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "要求提供咨询服务" in labels
    grid = plots.reconciliation_grid(report, giaudit.audit(report))
    assert len(grid.axes[0].get_yticklabels()) == 26


def test_format_ties_are_decided_by_evidence_and_said(revision):
    text = SAMPLE.read_text("utf-8")
    report = giaudit.read(text)  # no extra row: the 2021 headers fit both formats; the report cites 〔2021〕30号
    assert report.meta.format == "2021" and any("据所引文号" in w for w in report.warnings)
    cited = giaudit.read(text.replace("2024年", "2099年").replace("〔2021〕30号", "〔2099〕1号"))
    assert cited.meta.format == "2099"
    uncited = giaudit.read(text.replace("〔2021〕30号", ""))  # nor citation: its year 2024 fits only 2021
    assert uncited.meta.format == "2021"


def test_templates_declare_their_arithmetic_once():
    t21 = tpl.get("2021")
    checks = [e.check for t in t21.tables for e in t.equations]
    assert sorted(checks) == sorted(set(checks)) == ["t3.balance", "t3.outcome_total", "t3.row_total", "t4.block_total"]
    t19 = tpl.get("2019")
    assert [e.check for e in t19.table("t3").equations] == [e.check for e in t21.table("t3").equations]
    assert {c.kind for c in t19.cross_year} == {"carry"} and {c.kind for c in t21.cross_year} == {"carry", "stock"}
    t3 = t21.table("t3")
    shown = [x.label for kind, x in t3.display_rows(t3.rows) if kind == "group"]
    assert shown == [g.label for g in t3.groups]
    assert t3.title == "表三" and t21.table("t4").title == "表四"


def test_any_word_finds_exactly_what_the_alternation_finds():
    """The trie patterns the fused-table test is built on match where a plain alternation of the words does."""
    import random
    import re

    rng = random.Random(14)
    for _ in range(2000):
        words = ["".join(rng.choice("规章其他") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 8))]
        for then in ("", r"\d"):
            trie = tpl.any_word(words, then)
            plain = re.compile("(?:" + "|".join(map(re.escape, sorted(set(words), key=len, reverse=True))) + ")" + then)
            for _ in range(10):
                text = "".join(rng.choice("规章其他行5") for _ in range(rng.randint(0, 12)))
                assert bool(trie.search(text)) == bool(plain.search(text)), (words, then, text)
    assert tpl.any_word([]).search("规章") is None


def test_nfkc_shortcut_gives_unicode_nfkc():
    """Full-width ASCII mapped first, then NFKC for the rest: the same text as unicodedata gives."""
    import random
    import unicodedata

    rng = random.Random(14)
    pool = [chr(c) for c in [*range(0x20, 0x7F), *range(0xFF01, 0xFF5F), 0x3000, 0x301, 0x2460, 0xB2, 0x4E00, 0x3002]]
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert tpl.to_nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
    assert tpl.normalize("（一）本年收费金额（单位：万元）") == tpl.normalize("(一)本年收费金额(单位:万元)")
