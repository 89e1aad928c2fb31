"""Derived indicators of a report, each with one documented formula.

Every indicator is a ratio of sums of canonical keys; it is ``<NA>`` when its
denominator is 0 or any key it reads is missing. The formulas live in
``INDICATORS`` (data), so the docs, the notebooks and the corpus tables show the
same definition.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

T3 = "t3.{}.total"
DENIED = (
    "denied_state_secret",
    "denied_prohibited_by_law",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_inquiry_matter",
)
UNABLE = ("unable_not_held", "unable_needs_creation", "unable_unclear")
NOT_PROCESSED = (
    "not_processed_petition",
    "not_processed_duplicate",
    "not_processed_publication",
    "not_processed_mass_repeated",
    "not_processed_confirmation",
)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    label_en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    minus: tuple[str, ...] = ()  # subtracted from the denominator
    formula: str = ""


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "disclosure_rate",
        "公开率",
        "disclosure rate",
        (T3.format("granted"), T3.format("partially_granted")),
        (T3.format("total_processed"),),
        formula="((一)予以公开 + (二)部分公开) ÷ (七)总计 [总计列]",
    ),
    Indicator(
        "full_disclosure_rate",
        "全部公开率",
        "full disclosure rate",
        (T3.format("granted"),),
        (T3.format("total_processed"),),
        formula="(一)予以公开 ÷ (七)总计",
    ),
    Indicator(
        "denial_rate",
        "不予公开率",
        "denial rate",
        tuple(T3.format(r) for r in DENIED),
        (T3.format("total_processed"),),
        formula="(三)不予公开 1–8 之和 ÷ (七)总计",
    ),
    Indicator(
        "unable_rate",
        "无法提供率",
        "unable-to-provide rate",
        tuple(T3.format(r) for r in UNABLE),
        (T3.format("total_processed"),),
        formula="(四)无法提供 1–3 之和 ÷ (七)总计",
    ),
    Indicator(
        "not_processed_rate",
        "不予处理率",
        "not-processed rate",
        tuple(T3.format(r) for r in NOT_PROCESSED),
        (T3.format("total_processed"),),
        formula="(五)不予处理 1–5 之和 ÷ (七)总计",
    ),
    Indicator(
        "carry_forward_rate",
        "结转率",
        "carry-forward rate",
        (T3.format("carried_forward"),),
        (T3.format("new_requests"), T3.format("carried_over")),
        formula="四、结转下年度继续办理 ÷ (一、本年新收 + 二、上年结转)",
    ),
    Indicator(
        "organisation_share",
        "法人或其他组织申请占比",
        "share of requests from organisations",
        (
            "t3.new_requests.commercial_enterprise",
            "t3.new_requests.research_institution",
            "t3.new_requests.social_organization",
            "t3.new_requests.legal_service",
            "t3.new_requests.other_org",
        ),
        (T3.format("new_requests"),),
        formula="一、本年新收中五类法人或其他组织之和 ÷ 本年新收总计",
    ),
    Indicator(
        "review_correction_rate",
        "复议纠错率",
        "review correction rate",
        ("t4.review.corrected",),
        ("t4.review.total",),
        ("t4.review.pending",),
        formula="行政复议 结果纠正 ÷ (总计 − 尚未审结)",
    ),
    Indicator(
        "litigation_correction_rate",
        "诉讼纠错率",
        "litigation correction rate",
        ("t4.litigation_direct.corrected", "t4.litigation_after_review.corrected"),
        ("t4.litigation_direct.total", "t4.litigation_after_review.total"),
        ("t4.litigation_direct.pending", "t4.litigation_after_review.pending"),
        formula="行政诉讼 结果纠正 ÷ (总计 − 尚未审结),两类诉讼合计",
    ),
)


def _ratio(ind: Indicator, values: dict) -> tuple:
    try:
        num = sum(values[k] for k in ind.numerator)
        den = sum(values[k] for k in ind.denominator) - sum(values[k] for k in ind.minus)
    except (KeyError, TypeError):  # a key missing from this format, or a cell missing (None)
        return None, None, None
    return num, den, (num / den if den else None)


def values(report_values: dict) -> dict[str, float | None]:
    """Indicator key -> value (None when undefined): the plain-Python form, for corpora."""
    return {ind.key: _ratio(ind, report_values)[2] for ind in INDICATORS}


def compute(values: dict) -> pd.DataFrame:
    """One row per indicator: label, formula, numerator, denominator, value (Float64, <NA> if undefined)."""
    rows = []
    for ind in INDICATORS:
        num, den, value = _ratio(ind, values)
        rows.append((ind.key, ind.label, ind.label_en, ind.formula, num, den, value))
    df = pd.DataFrame(rows, columns=["indicator", "label", "label_en", "formula", "numerator", "denominator", "value"])
    df["numerator"] = pd.array(df["numerator"].tolist(), dtype="Int64")
    df["denominator"] = pd.array(df["denominator"].tolist(), dtype="Int64")
    df["value"] = pd.array(df["value"].tolist(), dtype="Float64")
    return df
