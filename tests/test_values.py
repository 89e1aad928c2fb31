"""The cell value parser: what a printed cell means, and what it never means."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giaudit.values import MISSING, NUMBER, parse_value

FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@pytest.mark.parametrize(
    ("raw", "number", "unit"),
    [
        ("0", 0, None),
        ("1,234", 1234, None),
        ("１２", 12, None),
        ("减4", -4, None),
        ("减少4", -4, None),
        ("增3", 3, None),
        ("-2", -2, None),
        ("251000元", 251000, "元"),
        ("18.8710", 18.871, None),
        ("0.5万元", 0.5, "万元"),
        (" 20 ", 20, None),
        ("1 234", 1234, None),
        ("３件", 3, "件"),
    ],
)
def test_numbers(raw, number, unit):
    p = parse_value(raw)
    assert (p.status, p.number, p.unit) == (NUMBER, number, unit)
    assert type(p.number) is type(number)


@pytest.mark.parametrize("raw", ["", " ", "/", "／", "—", "——", "-", "－", "–", "无", "暂无", "\u3000"])
def test_blank_and_dashes_are_missing_not_zero(raw):
    p = parse_value(raw)
    assert p.status == MISSING and p.number is None


@pytest.mark.parametrize("raw", ["规章", "本年制发件数", "1 2", "2024年", "10%", "(一)予以公开", "1.属于国家秘密"])
def test_labels_and_prose_are_not_values(raw):
    assert parse_value(raw) is None


@given(st.integers(min_value=0, max_value=10**9), st.booleans(), st.booleans(), st.sampled_from(["", " ", "\u3000"]))
def test_integer_round_trip(n, thousands, fullwidth, pad):
    text = f"{n:,}" if thousands else str(n)
    if fullwidth:
        text = text.translate(FULLWIDTH)
    p = parse_value(pad + text + pad)
    assert p.status == NUMBER and p.number == n


@given(st.integers(min_value=1, max_value=10**6))
def test_decrease_is_negative(n):
    assert parse_value(f"减{n}").number == -n


@given(st.text(alphabet="/—-－–― \u3000", min_size=1, max_size=4))
def test_dash_runs_never_become_numbers(text):
    p = parse_value(text)
    assert p is not None and p.status == MISSING


@given(st.text(max_size=12))
def test_parser_never_raises_and_numbers_are_numbers(text):
    p = parse_value(text)
    if p is not None and p.status == NUMBER:
        assert isinstance(p.number, int | float)
