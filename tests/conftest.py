from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
SAMPLE = ROOT / "data" / "samples" / "jiangle-2024.txt"


def golden(stem: str) -> dict:
    return json.loads((TESTS / "expected" / f"{stem}.json").read_text("utf-8"))


def report_files(stem: str) -> list[Path]:
    """Every form of a report we hold: tests/reports/<stem>.* and data/samples/<stem>.*."""
    found = [p for d in (TESTS / "reports", ROOT / "data" / "samples") for p in sorted(d.glob(f"{stem}.*"))]
    return [p for p in found if p.suffix not in (".py", ".json")]


@pytest.fixture(scope="session")
def sample_report():
    import giaudit

    return giaudit.read(SAMPLE)
