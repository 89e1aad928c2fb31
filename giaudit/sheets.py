"""Text bound for a spreadsheet (CSV, Excel): never a live formula.

A cell of report text or a file name that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) is what spreadsheet programs evaluate as a formula; such a cell is written with a
leading apostrophe, which they show as text. Numbers stay numbers.
"""

from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    """``value`` as a spreadsheet should show it: a string that would be a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_frame(df):
    """A copy of a DataFrame whose text columns are safe for a spreadsheet (number columns untouched)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) == "string":
            out[col] = out[col].map(safe_cell, na_action="ignore")
    return out
