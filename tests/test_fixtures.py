"""Real published reports (tests/reports/, source URL in tests/expected/*.json).

Each golden file was typed by hand from its report. For a readable report every
value must come out exactly, and every key the golden file does not hold must be
missing. Some reports reach us damaged beyond certain reading (cells fused with
no separator, rows whose labels a PDF converter pushed elsewhere): for those,
marked ``"readable": false`` with the reason, the parser may leave values
missing, but it must never return a value that differs from the printed one,
and it must say in warnings what it could not read. A golden file may name
forms of the same report that do read (``"readable_forms": [".html"]``), and
the cells a text whose cells run together cannot fix (``"ambiguous"``: a row of
table 二, which has no equation, whose digits split more than one way).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import giaudit

from .conftest import TESTS, golden, report_files

STEMS = sorted(p.stem for p in (TESTS / "expected").glob("*.json"))
CASES = [pytest.param(stem, path, id=path.name) for stem in STEMS for path in report_files(stem)]


def test_every_golden_file_has_a_report_and_a_source():
    for stem in STEMS:
        g = golden(stem)
        assert report_files(stem), stem
        assert g["source"] and g["notes"], stem
        assert g["format"] in ("2019", "2021")


def test_at_least_ten_real_reports_besides_the_sample():
    assert len([s for s in STEMS if s != "jiangle-2024"]) >= 10


@pytest.mark.parametrize(("stem", "path"), CASES)
def test_golden_values(stem: str, path: Path):
    g = golden(stem)
    expected = g["expected"]
    report = giaudit.read(path)
    for key in expected:
        assert key in report.values or key.startswith("t3.other_"), f"{key} is not a key of the parsed report"
    if g.get("readable", True) or path.suffix in g.get("readable_forms", ()):
        # cells run together whose digits split more than one way stay missing: the text cannot fix them
        undecided = set(g.get("ambiguous", ())) if path.suffix == ".txt" else set()
        assert all(report.values.get(k) is None for k in undecided)
        expected = {k: v for k, v in expected.items() if k not in undecided}
        got = {k: v for k, v in report.values.items() if k in expected or v is not None}
        assert got == {k: expected.get(k) for k in got}
        assert {k for k, v in expected.items() if v is not None} <= {
            k for k, v in report.values.items() if v is not None
        }
    else:
        assert g.get("unreadable_because"), f"{stem}: say why it cannot be read"
        wrong = {k: (v, expected.get(k)) for k, v in report.values.items() if v is not None and v != expected.get(k)}
        assert wrong == {}
        missed = [k for k, v in expected.items() if v is not None and report.values.get(k) is None]
        assert missed, "an unreadable fixture that now reads fully should be marked readable"
        assert report.warnings


@pytest.mark.parametrize("stem", [s for s in STEMS if golden(s).get("year")])
def test_report_year(stem: str):
    g = golden(stem)
    for path in report_files(stem):
        year = giaudit.read(path).meta.year
        assert year in (None, g["year"]), f"{path.name}: year {year}, golden {g['year']}"
