"""Derived indicators of a report, each with one documented formula.

Every indicator is a ratio of sums of canonical keys; it is ``<NA>`` when its
denominator is 0 or any key it reads is missing. The formulas are declared in
the template (``[[indicators]]`` in ``templates/gov2021.toml``), so the docs,
the notebooks and the corpus tables show the same definition.
"""

from __future__ import annotations

from . import template as tpl


def _ratio(template: tpl.Template, ind: tpl.IndicatorSpec, values: dict) -> tuple:
    try:
        num = sum(values[k] for k in template.expand(ind.numerator))
        den = sum(values[k] for k in template.expand(ind.denominator)) - sum(
            values[k] for k in template.expand(ind.minus)
        )
    except (KeyError, TypeError):  # a key missing from this format, or a cell missing (None)
        return None, None, None
    return num, den, (num / den if den else None)


def values(report_values: dict, template: tpl.Template | None = None) -> dict[str, float | None]:
    """Indicator key -> value (None when undefined): the plain-Python form, for corpora."""
    template = template or tpl.get()
    return {ind.key: _ratio(template, ind, report_values)[2] for ind in template.indicators}


def compute(values: dict, template: tpl.Template | None = None):
    """One row per indicator: label, formula, numerator, denominator, value (Float64, <NA> if undefined)."""
    import pandas as pd

    template = template or tpl.get()
    rows = []
    for ind in template.indicators:
        num, den, value = _ratio(template, ind, values)
        rows.append((ind.key, ind.label, ind.label_en, ind.formula, num, den, value))
    df = pd.DataFrame(rows, columns=["indicator", "label", "label_en", "formula", "numerator", "denominator", "value"])
    for col in ("numerator", "denominator"):  # counts; a decimal printed in a count cell keeps them Float64
        vals = df[col].tolist()
        whole = all(v is None or (float(v).is_integer() and abs(v) < 2**63) for v in vals)
        df[col] = pd.array(
            [None if v is None else (int(v) if whole else float(v)) for v in vals],
            dtype="Int64" if whole else "Float64",
        )
    df["value"] = pd.array(df["value"].tolist(), dtype="Float64")
    return df
