"""Who published a report, for which year: the agency, the year and the title, read from the document.

``detect`` reads them from the title line ("XX县人民政府办公室2024年政府信息公开工作年度
报告"), the line above it, the sign-off at the end, or the contact sentence; the
year, failing the title, from the statistical period. ``normalize_agency`` is
the one place names are put in a comparable form (政府办 → 人民政府办公室).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from . import template as tpl
from .document import PARA, Document

_TITLE = re.compile(
    r"^(?P<agency>.*?)[\s_:：-]*(?P<year>20\d{2})\s*年度?(?:本?(?:单位|部门|机关))?(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告"
)
# "2024年1月1日至2024年12月31日": the statistical period a report states.
PERIOD = re.compile(
    r"(20\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|-|～|~)\s*(?:(20\d{2})\s*年\s*)?12\s*月\s*31\s*日"
)
_PERIOD_START = re.compile(r"(?:统计|数据).{0,16}?(20\d{2})\s*年\s*0?1\s*月\s*0?1\s*日")
_DATE_LINE = re.compile(r"^\s*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_ORG = re.compile(r"(?:人民政府|办公室|办公厅|局|委员会|厅|办|中心|办事处|管委会|管理委员会|院|署|部|所|站|队|政府)$")
_JUNK_PREFIX = re.compile(r"^(?:标题[:：]|page\d+[-_]|关于|转发|印发)+", re.I)
_CONTACT = re.compile(r"请与([^,，。;；(（:：]{2,40}?)联系")
_AGENCY_UNIT = re.compile(
    r"^(.*?(?:人民政府办公室|人民政府办公厅|政府办公室|政府办|人民政府|委员会|管委会|办事处|局|厅|委|中心|院))"
    r"(?:[^局委厅]{1,10}?(?:科|股|室|处|组))?$"
)
_NOISE = re.compile(r"^(?:标题[:：]|page\d+[-_])+", re.I)


@dataclass(frozen=True)
class Meta:
    agency: str | None
    year: int | None
    format: str
    source: str
    kind: str
    encoding: str | None = None
    title: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def expand_office(name: str) -> str:
    """The usual short form 「XX县政府办」 written out: 「XX县人民政府办公室」."""
    if name.endswith("政府办"):
        return name[: -len("政府办")].removesuffix("人民") + "人民政府办公室"
    return name


def normalize_agency(name: str | None) -> str | None:
    """An agency name in the form corpora compare: NFKC, no spaces or site noise, 政府 → 人民政府."""
    if not name:
        return None
    n = unicodedata.normalize("NFKC", name)
    n = expand_office(_NOISE.sub("", re.sub(r"\s+", "", n)))
    n = re.sub(r"(?<=[县区市旗])政府(?=$|办公室)", "人民政府", n)
    return n or None


def year_of(doc: Document) -> int | None:
    """The report's year from its title, else from the statistical period near the start."""
    if doc.title and (m := _TITLE.search(tpl.normalize(doc.title))):
        return int(m["year"])
    head = "\n".join(t.text for t in doc.tokens[:60] if t.kind == PARA)
    m = PERIOD.search(head) or _PERIOD_START.search(head)
    return int(m.group(1)) if m else None


def detect(doc: Document, format: str) -> tuple[Meta, list[str]]:
    """The report's Meta, and warnings for what could not be found."""
    warnings = []
    agency = None
    if doc.title and (m := _TITLE.search(tpl.normalize(doc.title))):
        agency = _JUNK_PREFIX.sub("", m["agency"]).strip(" _-:：") or None
    if agency is None and doc.title:  # "淮安市洪泽区人民政府" on the line above "2024年…年度报告"
        agency = _line_above_title(doc)
    if agency is None:
        agency = _signoff(doc)
    if agency is None and (agency := _contact(doc)):
        warnings.append(f"报告单位名称「{agency}」系根据联系方式推断 (no title line names the agency)")
    year = year_of(doc)
    if doc.title is None:
        warnings.append("未找到报告标题行 (如「XX2024年政府信息公开工作年度报告」)")
    if agency is None:
        warnings.append("未能识别报告单位名称")
    if year is None:
        warnings.append("未能识别报告年度")
    return Meta(agency, year, format, doc.source, doc.kind, doc.encoding, doc.title), warnings


def _contact(doc: Document) -> str | None:
    """The agency as named in "如对本报告有疑问,请与XX县政府办电子政务科联系" (unit dropped)."""
    head = "\n".join(t.text for t in doc.tokens[:40] if t.kind == PARA)
    m = _CONTACT.search(head)
    if not m or not (unit := _AGENCY_UNIT.match(m.group(1).strip())):
        return None
    name = expand_office(unit.group(1))
    return name if len(name) >= 4 else None


def _line_above_title(doc: Document) -> str | None:
    paras = [t.text for t in doc.tokens[:80] if t.kind == PARA]
    if doc.title in paras:
        n = paras.index(doc.title)
        if n and len(paras[n - 1]) <= 30 and _ORG.search(paras[n - 1].strip()):
            return paras[n - 1].strip()
    return None


def _signoff(doc: Document) -> str | None:
    """The issuing agency as signed at the end: a short name line just before a date line."""
    paras = [t.text for t in doc.tokens[-12:] if t.kind == PARA]
    for n in range(len(paras) - 1, 0, -1):
        if _DATE_LINE.match(paras[n]):
            name = paras[n - 1].strip()
            if len(name) <= 30 and _ORG.search(name):
                return name
    return None
