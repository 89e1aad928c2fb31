"""Parsing one table cell's text into a number, keeping what was printed.

A blank cell, ``/``, a dash or ``无`` is *missing*, never 0. ``减4`` is -4.
``251000元`` is 251000 with its unit noted (the template's unit may differ;
the audit says so, nothing here converts). Full-width digits and thousands
separators are normal input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .template import to_nfkc

NUMBER = "number"
MISSING = "missing"

_MISSING = re.compile(r"^(?:[/\\\-—–―─‐‑‒−~_·.…\s]+|无|暂无|空|空白|n/?a|null|none)$", re.IGNORECASE)
_NUMBER = re.compile(
    r"(?a)^(?P<sign>[+\-−]{1,2}|减少?|增加?)?\s*"  # "--253": a doubled sign is still the sign
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<unit>万元|亿元|元|件|个|项|条|次|宗|人次)?$"
)
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width marks around a number
_MARKS = ("<super>", "<sub>", "<circle>")  # 5², ①: a footnote mark or an enumerator, never a count


def _marked(text: str) -> bool:
    return any(unicodedata.decomposition(ch).startswith(_MARKS) for ch in text if not ch.isascii())


@dataclass(frozen=True, slots=True)
class Parsed:
    """A cell read as a value: ``status`` is "number" or "missing"."""

    status: str
    number: int | float | None = None
    unit: str | None = None
    # asked for every value a row-matching step looks at: an attribute set once, not a property called each time
    missing: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "missing", self.status == MISSING)


MISSING_VALUE = Parsed(MISSING)


@lru_cache(maxsize=8192)
def parse_value(raw: str) -> Parsed | None:
    """Read a cell's text as a value, or return None when it is not one (a label, prose).

    >>> parse_value("１,２34").number, parse_value("减4").number, parse_value("—").status
    (1234, -4, 'missing')
    """
    text = raw.strip()
    if not text:
        return MISSING_VALUE
    if text.isdigit() and text.isascii():
        return Parsed(NUMBER, int(text))
    if not text.isascii():
        text = _INVISIBLE.sub("", text).strip()
        if _marked(text):  # refused: "5²" is not 52, "①" is not 1
            return None
        # full-width and mathematical digits are digits; other scripts' digits (०, ٣) are refused below
        text = to_nfkc(text).strip()
        if not text:
            return MISSING_VALUE
    if _MISSING.match(text):
        return MISSING_VALUE
    m = _NUMBER.match(text)
    if m is None:
        # "1 234" (a thousands space) is still one number; "1 2" is two cells run together.
        squeezed = _SPACES.sub("", text)
        if squeezed != text and re.fullmatch(r"\d{1,3}(?: \d{3})+", text):
            return parse_value(squeezed)
        return None
    digits = m["num"].replace(",", "")
    number: int | float = float(digits) if "." in digits else int(digits)
    sign = m["sign"]
    if sign and sign[0] in "-−减":
        number = -number
    return Parsed(NUMBER, number, m["unit"])
