"""Numbers read by OCR from a scanned report, checked by the tables' arithmetic (「识别存疑」)."""

from __future__ import annotations

from ..document import OCR
from ..findings import Severity
from .registry import Context, check

UNSURE = 0.9  # an OCR confidence below this is doubtful whatever the arithmetic says


@check("ocr.doubt", severity=Severity.WARNING, reads=["*"])
def check_ocr_readings(ctx: Context) -> None:
    """A cell read by OCR whose value alone breaks equations its neighbouring cells satisfy — changed to one
    value, every failing equation it is in would hold — is a doubtful reading; so is one the OCR was unsure
    of. Both are flagged with the cell's image in the write-up; the reading itself is never changed."""
    read = {k: c for k, c in ctx.report.cells.items() if c.source is not None and c.source.how == OCR}
    if not read:
        return  # not a scan
    flagged: set[str] = set()
    localiser = ctx.localiser()
    for eq, (state, _) in ctx.status().items():
        if state != "fail":
            continue
        suspect = localiser.suspect(eq)
        if suspect is None or suspect[0] not in read or suspect[0] in flagged:
            continue
        key, value = suspect[0], suspect[1]
        flagged.add(key)
        cell = read[key]
        ctx.rule(
            [key],
            "fail",
            Severity.WARNING,
            f"{ctx.quote(key)}:扫描件识别为「{cell.raw}」,所在等式不成立;若为 {value:g} 则各等式均成立。"
            "识别存疑,请对照原件图像核对(数值未作改动)",
            message_en=f"OCR read {cell.raw!r}; {value:g} would make every equation hold: check the image",
            expected=value,
            actual=cell.value,
            suspect=(key, value),
        )
    # a failing equation no single cell explains (each of its cells is in no other equation, as in table 四):
    # one of its readings is wrong, which one the arithmetic cannot say; every cell of it is doubtful
    for eq, (state, residual) in ctx.status().items():
        if state != "fail" or not set(eq.keys) <= set(read) or flagged.intersection(eq.keys):
            continue
        keys = list(dict.fromkeys(eq.keys))
        flagged.update(keys)
        ctx.rule(
            keys,
            "fail",
            Severity.WARNING,
            f"{eq.label}不成立(相差 {residual:g}),所涉数值均为扫描件识别:"
            + "、".join(ctx.quote(k) for k in keys)
            + ";其中或有识别错误,识别存疑,请对照原件图像逐一核对(数值未作改动)",
            message_en=f"{eq.check} fails on OCR-read cells; which reading is wrong the arithmetic cannot say",
        )
    # readings no equation of the form can check (table 二): said once, with their images, for the eye
    in_equation = {k for eq in ctx.status() for k in eq.keys}
    unchecked = [k for k, c in read.items() if k not in in_equation and c.value is not None]
    if unchecked:
        ctx.add(
            Severity.INFO,
            unchecked,
            "以下数值经扫描件识别,表内没有可核对它们的等式,请对照原件图像核对:"
            + "、".join(ctx.quote(k) for k in unchecked),
            message_en="OCR-read values no equation checks: compare them with the image",
        )
    for key, cell in read.items():
        if key in flagged or cell.value is None:
            continue
        score = cell.source.score
        if score is not None and score < UNSURE:
            ctx.rule(
                [key],
                "fail",
                Severity.WARNING,
                f"{ctx.quote(key)}:扫描件识别为「{cell.raw}」,识别置信度 {score:.0%},识别存疑,请对照原件图像核对",
                message_en=f"OCR read {cell.raw!r} with confidence {score:.0%}: check the image",
                actual=cell.value,
            )
        else:
            ctx.rule([key], "pass")
