"""Mutated real reports never crash giaudit, never hang, and never turn a blank into 0 (benchmarks/fuzz.py).

This is the quick run CI can afford; ``python benchmarks/fuzz.py`` runs 100,000 inputs (docs/reliability.md).
"""

from __future__ import annotations

import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import fuzz


@pytest.mark.parametrize("seed", [11, 12])
def test_mutated_reports_are_read_or_refused_never_crash(seed):
    result = fuzz.run(250, seed)
    counts = result["counts"]
    assert counts.get("crash", 0) == 0, result["examples"]["crash"][:5]
    assert counts.get("hang", 0) == 0, result["examples"]["hang"][:5]
    assert counts.get("blank", 0) == 0, result["examples"]["blank"][:5]
    assert counts.get("ok", 0) > 100  # most mutations still read as reports: the run exercised the audit


def test_the_mutator_makes_what_it_says():
    m = fuzz.Mutator(3)
    kinds = {m.input()[0].rsplit(".", 1)[-1] for _ in range(60)}
    assert {"txt", "html", "docx"} <= kinds
