"""Numbers that a report's prose states, found with the patterns of templates/prose.toml.

A ``Fact`` is one statement: which keys it speaks of, the number it gives (0 for
a statement of none such as 未发生行政复议), the sentence quoted, and where.
``breakdowns`` finds "共X条,其中a条,b条" statements for the prose arithmetic check.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .template import to_nfkc

_SENTENCE = re.compile(r"[^。!?！？;；\n]+[。!?！？;；]?")


@dataclass(frozen=True)
class Fact:
    id: str
    label: str
    keys: tuple[str, ...]
    value: float | int
    sentence: str
    section: int
    severity: str
    also_consistent: tuple[tuple[str, ...], ...] = ()
    scope: str | None = None  # a word saying the sentence may count a narrower unit than the tables


@dataclass(frozen=True)
class Claim:
    """A statement that every case ended one way (「均获维持」), and the cells that must then be 0."""

    id: str
    label: str
    sentence: str
    section: int
    contrary: tuple[tuple[str, str], ...]  # (key, severity of a contradiction)


@dataclass(frozen=True)
class Breakdown:
    total: int
    parts: tuple[int, ...]
    unit: str
    sentence: str
    section: int
    complete: bool = False  # the list ends with an 「其他…」 item: it names every part


@dataclass(frozen=True)
class _Spec:
    id: str
    label: str
    keys: tuple[str, ...]
    sections: tuple[int, ...]
    severity: str
    patterns: tuple[re.Pattern, ...]
    context: str | None
    exclude: str | None
    also_consistent: tuple[tuple[str, ...], ...]


@cache
def _raw() -> dict:
    return tomllib.loads(resources.files("giaudit.templates").joinpath("prose.toml").read_text("utf-8"))


@cache
def _specs() -> tuple[tuple[_Spec, ...], tuple[_Spec, ...]]:
    raw = _raw()

    def spec(f: dict) -> _Spec:
        return _Spec(
            f["id"],
            f["label"],
            tuple(f.get("keys", ())),
            tuple(f["sections"]),
            f.get("severity", "info"),
            tuple(re.compile(p) for p in f["patterns"]),
            f.get("context"),
            f.get("exclude"),
            tuple(tuple(a) for a in f.get("also_consistent", ())),
        )

    return tuple(spec(f) for f in raw["facts"]), tuple(spec(f) for f in raw.get("statements", ()))


@cache
def _claim_specs() -> tuple[dict, ...]:
    return tuple(
        {
            **c,
            "compiled": tuple(re.compile(p) for p in c["patterns"]),
            "excluded": tuple(re.compile(p) for p in c.get("exclude", ())),
        }
        for c in _raw().get("claims", ())
    )


def claims(prose: dict[int, str]) -> list[Claim]:
    """Every 「均获维持」「均已办结」 statement, with the cells its scope says must be 0."""
    out = []
    for spec in _claim_specs():
        for section in spec["sections"]:
            text = prose.get(section, "")
            if not any(_may_match(p, text) for p in spec["compiled"]):
                continue  # no pattern of the claim matches anywhere in the section
            for sentence, norm in _sentences(text):
                if spec.get("context") and spec["context"] not in norm:
                    continue
                if any(p.search(norm) for p in spec["excluded"]) or not any(p.search(norm) for p in spec["compiled"]):
                    continue
                scopes = [sc for sc in spec["scope"] if not sc["words"] or any(w in norm for w in sc["words"])]
                scopes = scopes or spec["scope"]  # 「均获维持」 alone: every part the claim can be about
                contrary = tuple((k, sev) for sc in scopes for k, sev in sc["contrary"])
                out.append(Claim(spec["id"], spec["label"], sentence, section, contrary))
    return out


_END = tuple("。!?！？;；:：")


def sentences(text: str) -> list[str]:
    """Sentences of a section; a long line that ends mid-sentence (hard-wrapped PDF text) joins the next."""
    joined: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if joined and len(joined[-1]) >= 20 and not joined[-1].endswith(_END):
            joined[-1] += line
        else:
            joined.append(line)
    return [s.strip() for line in joined for s in _SENTENCE.findall(line) if s.strip()]


_BLANKS = re.compile(r"[ \t\u3000]+")


def _norm(text: str) -> str:
    return _BLANKS.sub("", to_nfkc(text))


@lru_cache(maxsize=256)
def _sentences(text: str) -> tuple[tuple[str, str], ...]:
    """(sentence, normalised sentence) pairs of one section's text (cached: checks ask several times)."""
    return tuple((s, _norm(s)) for s in sentences(text))


@lru_cache(maxsize=256)
def _joined(text: str) -> str:
    """A section's normalised sentences, one a line: searched once per pattern to skip the sentence-by-sentence
    search for the many patterns a section never matches."""
    return "\n".join(norm for _, norm in _sentences(text))


# What makes a match inside one sentence depend on the sentence's edges: patterns with these are always searched
# sentence by sentence. Others match a sentence alone exactly where they match it among the joined lines.
_EDGE = re.compile(r"(?<!\[)\^|\$|\\[AZbB]|\(\?<?[=!][^)]*(?:\\[sSDW]|\.|\[\^)")


@cache
def _needs_sentences(pattern: re.Pattern) -> bool:
    return bool(_EDGE.search(pattern.pattern))


@cache
def _literal(pattern: re.Pattern) -> str:
    """The longest run of plain characters every match contains ("不予公开" in "(?<![及和与])不予公开(?:的)?…"):
    a section without it cannot match, and ``in`` finds that faster than the pattern. "" when there is none,
    or when Python's pattern parser (a private module) is not as expected."""
    if pattern.flags & re.IGNORECASE:
        return ""
    try:
        from re import _constants as sre
        from re import _parser

        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # another Python's internals: no shortcut, same results
        return ""
    best = ""

    def walk(items) -> None:
        nonlocal best
        run = ""
        for op, arg in items:
            if op is sre.LITERAL:
                run += chr(arg)
                continue
            best = max(best, run, key=len)
            run = ""
            if op is sre.SUBPATTERN:  # a group: its sequence is required as a whole
                walk(arg[3])
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:  # repeated at least once
                walk(arg[2])
        best = max(best, run, key=len)

    walk(tree)
    return best


def _may_match(pattern: re.Pattern, text: str) -> bool:
    """False only when ``pattern`` matches no sentence of this section's text."""
    joined = _joined(text)
    literal = _literal(pattern)
    if literal and literal not in joined:
        return False
    return _needs_sentences(pattern) or pattern.search(joined) is not None


def _find(spec: _Spec, prose: dict[int, str]) -> list[tuple[float | int, str, int, str]]:
    found = []
    for section in spec.sections:
        text = prose.get(section, "")
        patterns = [p for p in spec.patterns if _may_match(p, text)]
        if not patterns:
            continue  # no pattern of this statement matches anywhere in the section
        for sentence, norm in _sentences(text):
            if spec.context and spec.context not in norm:
                continue
            if spec.exclude and spec.exclude in norm:
                continue
            for pattern in patterns:
                for m in pattern.finditer(norm):
                    if pattern.groups:
                        text = m.group(1)
                        found.append((float(text) if "." in text else int(text), sentence, section, norm))
                    else:
                        found.append((0, sentence, section, norm))
    return found


def facts(prose: dict[int, str], template=None) -> list[Fact]:
    """Every number the prose states for a table cell (or a sum of cells); with the report's ``template``,
    keys naming a group of rows ("t3.@denied.total") are expanded to its rows."""
    out = []
    for spec in _specs()[0]:
        keys = tuple(template.expand(spec.keys)) if template is not None else spec.keys
        seen = set()
        for value, sentence, section, norm in _find(spec, prose):
            if (value, sentence) in seen:
                continue
            seen.add((value, sentence))
            scope = next((w for w in _raw().get("scope_markers", ()) if w in norm), None)
            out.append(
                Fact(spec.id, spec.label, keys, value, sentence, section, spec.severity, spec.also_consistent, scope)
            )
    return out


@dataclass(frozen=True)
class Comparison:
    """A stated number against the table: the table's number (None when a cell is missing) and the verdict."""

    table: float | int | None
    status: str  # "agrees", "differs", "unverifiable", or "broader" (the prose counts otherwise: ``broader_keys``)
    broader_keys: tuple[str, ...] = ()


def compare(fact: Fact, values: dict) -> Comparison:
    """The one comparison of a prose fact with the tables that the audit and the write-up both show."""
    cells = [values.get(k) for k in fact.keys]
    if any(v is None for v in cells):
        return Comparison(None, "unverifiable")
    total = sum(cells)
    if abs(total - fact.value) < 1e-9:
        return Comparison(total, "agrees")
    for keys in fact.also_consistent:  # "-key": subtracted (the stock before this year's additions)
        parts = [(-1 if k.startswith("-") else 1, values.get(k.lstrip("-"))) for k in keys]
        if any(v is None for _, v in parts):
            continue
        if sum(sign * v for sign, v in parts) == fact.value:
            return Comparison(total, "broader", keys)
    return Comparison(total, "differs")


def statement_label(id: str) -> str:
    """What a statement of templates/prose.toml speaks of (「信息处理费」)."""
    return next(spec.label for spec in _specs()[1] if spec.id == id)


def statements(prose: dict[int, str]) -> dict[str, list[tuple[float | int, str, int]]]:
    """Statements with no table cell of their own (the 信息处理费 of section 六)."""
    return {spec.id: [found[:3] for found in _find(spec, prose)] for spec in _specs()[1]}


_BREAKDOWN = re.compile(r"(\d+)([条件篇次个项])[^\d。]{0,3}?其中")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([%％条件篇次个项场期人])")
_NESTED = re.compile(r"[(（][^()（）]*[)）]")  # 「(其中…)」 inside a part: not a part of the list
_OTHER_PART = re.compile(r"(?:^|[,，、;；])其他[^,，、;；。\d]{0,12}\d+(?:\.\d+)?\s*[条件篇次个项]")


def breakdowns(prose: dict[int, str]) -> list[Breakdown]:
    """ "…信息214条,其中A17条,B8条…" statements: a total and its parts, in one sentence."""
    out = []
    for section, text in prose.items():
        for sentence, norm in _sentences(text):  # shared with the other prose checks
            m = _BREAKDOWN.search(norm)
            if not m:
                continue
            total, unit = int(m.group(1)), m.group(2)
            tail = _NESTED.sub("", norm[m.end() :])
            parts = tuple(int(float(p)) for p, u in _PART.findall(tail) if u == unit and "." not in p)
            if len(parts) >= 2:
                out.append(Breakdown(total, parts, unit, sentence, section, bool(_OTHER_PART.search(tail))))
    return out
