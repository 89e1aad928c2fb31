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
