"""The prose patterns' shortcuts: what they skip could never have matched."""

from __future__ import annotations

import giaudit

from .conftest import SAMPLE


def test_prose_patterns_required_text_is_in_every_match():
    """A section is searched for a prose pattern only when it holds the pattern's required plain text: that text
    must be part of every match (checked on every sentence of the sample)."""
    from giaudit import prose

    sentences = [n for r in (giaudit.read(SAMPLE),) for s in r.prose.values() for _, n in prose._sentences(s)]
    patterns = [p for spec in prose._specs()[0] + prose._specs()[1] for p in spec.patterns]
    patterns += [p for c in prose._claim_specs() for p in c["compiled"]]
    assert sum(1 for p in patterns if prose._literal(p)) >= 20  # most patterns have one
    matched = 0
    for p in patterns:
        literal = prose._literal(p)
        for sentence in sentences:
            for m in p.finditer(sentence):
                matched += 1
                assert literal in m.group(0), (p.pattern, m.group(0))
    assert matched >= 5


def test_blank_line_layout_test_counts_as_the_plain_loop():
    """The text reader's test for "one cell a paragraph, a blank line between", counted by C, agrees with the
    plain loop it replaced on random layouts."""
    import random

    from giaudit.readers.text import _blank_lines_are_cells

    def plain(lines):
        gaps, gap, short = {}, 0, 0
        for s in lines:
            if s:
                if gap:
                    gaps[gap] = gaps.get(gap, 0) + 1
                    gap = 0
                short += len(s) <= 16
            else:
                gap += 1
        return bool(gaps) and max(gaps, key=gaps.get) == 1 and short > 60 and gaps.get(1, 0) > 0.8 * sum(gaps.values())

    rng = random.Random(14)
    seen = set()
    for _ in range(5000):
        blank = rng.random()
        lines = [
            "" if rng.random() < blank else "x" * rng.choice([1, 5, 16, 17, 40]) for _ in range(rng.randint(0, 200))
        ]
        assert _blank_lines_are_cells(lines) == plain(lines)
        seen.add(plain(lines))
    assert seen == {True, False}
