"""Chinese or English: the one helper every table and chart uses to pick its words."""

from __future__ import annotations


def pick(zh: str, en: str, lang: str) -> str:
    """``en`` when ``lang == "en"``, else ``zh`` (Chinese is the default everywhere)."""
    return en if lang == "en" else zh


def label(item, lang: str) -> str:
    """A template item's (row, column, group, table) label in ``lang``."""
    return item.label_en if lang == "en" else item.label
