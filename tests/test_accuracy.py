"""How trustworthy the audit is, measured on the truth set (tests/truth.py): real reports, real faults."""

from __future__ import annotations

import statistics

import pytest

from . import truth

DEV = truth.stems(holdout=False)


@pytest.fixture(scope="module")
def dev():
    return truth.score(DEV)


def test_the_truth_set_covers_every_real_report():
    assert len(DEV) >= 30 and len(truth.stems(holdout=True)) >= 4
    for stem in truth.stems():
        g = truth.golden(stem)
        assert "faults" in g and "excerpt" in g, f"{stem}: judge its faults and say whether it is an excerpt"
        assert all({"check", "keys", "severity", "what"} <= set(f) for f in g["faults"]), stem
        assert not g["excerpt"] or g.get("stops_at"), f"{stem}: say where the excerpt stops"


def test_precision_every_error_and_warning_is_true(dev):
    assert dev.precision >= 0.95, "\n".join(dev.false)


def test_recall_real_inconsistencies_are_reported(dev):
    assert dev.recall >= 0.8, "\n".join(dev.missed)


def test_an_excerpt_gets_at_most_one_form_finding_besides_real_ones(dev):
    # the incompleteness notice, and the old-format warning where the excerpt shows it (a real fault)
    assert max(dev.excerpt_form_findings) <= 2
    assert statistics.median(dev.excerpt_form_findings) <= 1


def test_the_score_can_fail():
    """A finding that names no fault is false; a fault no finding names is missed."""
    from giaudit.findings import Finding, Severity

    fault = {"check": "prose.tables", "keys": ["t3.new_requests.total"], "severity": "error", "what": ""}
    hit = Finding("prose.tables", Severity.ERROR, ("t3.new_requests.total",), "")
    other = Finding("prose.tables", Severity.ERROR, ("t4.review.total",), "")
    assert truth.names(hit, fault) and not truth.names(other, fault)
