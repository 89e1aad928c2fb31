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
