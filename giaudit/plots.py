"""Charts made for this data, titled and labelled in Chinese (``lang="en"`` for English).

Every function returns a ``matplotlib.figure.Figure`` (made without pyplot, so
a notebook shows it once and a script can save it). ``setup_fonts`` finds a
font with Chinese glyphs: one the system has (Microsoft YaHei / SimHei on
Windows, PingFang / Heiti on macOS, Noto Sans CJK on Linux), else the Noto
Sans CJK SC that the ``notebooks`` extra installs (package ``mplfonts``).
Labels come from the template; nothing here spells a label of the format.
"""

from __future__ import annotations

import io
import warnings
from importlib import resources

import numpy as np
from matplotlib import font_manager, rcParams
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import template as tpl
from .lang import label as _label
from .lang import pick as _t
from .report import Report

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "STHeiti",
    "Hiragino Sans GB",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "Noto Sans CJK JP",
)
_BUNDLED = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")
PALETTE = ["#2f6f9f", "#7fb0d8", "#d9822b", "#c23b22", "#8e6bb1", "#9a9a9a", "#4c9a5b", "#e0b84c"]
_FONT: list[str | None] = []


def setup_fonts() -> str | None:
    """Make matplotlib draw Chinese: returns the font family used, or None (with a warning) when there is none."""
    if _FONT:
        return _FONT[0]
    names = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in CJK_FAMILIES if f in names), None)
    if family is None:
        try:
            path = resources.files(_BUNDLED[0]).joinpath(_BUNDLED[1])
            if path.is_file():
                font_manager.fontManager.addfont(str(path))
                family = font_manager.FontProperties(fname=str(path)).get_name()
        except ModuleNotFoundError:
            pass
    if family is None:
        warnings.warn(
            "giaudit: no font with Chinese glyphs found, charts will show boxes; "
            "install one with: pip install 'giaudit[notebooks]'",
            stacklevel=2,
        )
    else:
        rcParams["font.sans-serif"] = [family, *[f for f in rcParams["font.sans-serif"] if f != family]]
        rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False  # CJK fonts may lack U+2212
    _FONT.append(family)
    return family


def _figure(w: float, h: float, layout: str | None = "constrained") -> Figure:
    setup_fonts()
    return Figure(figsize=(w, h), dpi=110, layout=layout)


def figure_png(fig: Figure) -> bytes:
    """A figure as PNG, drawn as laid out: the layout engine already fits it, so IPython's default
    ``bbox_inches="tight"`` would only draw every figure twice (about 0.2 s a write-up)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _title(report: Report, what: str) -> str:
    m = report.meta
    head = " ".join(str(x) for x in (m.agency, f"{m.year}年" if m.year else None) if x)
    return f"{head} {what}".strip()


def _bars(ax, labels, values, color, lang):
    xs = np.arange(len(labels))
    heights = [0 if v is None else v for v in values]
    bars = ax.bar(xs, heights, color=color, width=0.6)
    for x, v, b in zip(xs, values, bars, strict=True):
        ax.annotate(
            _t("缺失", "missing", lang) if v is None else f"{v:g}",
            (x, b.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
            xytext=(0, 2),
            textcoords="offset points",
        )
    ax.set_xticks(xs, labels)
    ax.set_ylim(0, max(heights + [1]) * 1.2)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    return bars


def _label_hbars(ax, ys, vals, fmt, missing: str, fontsize: int = 9) -> None:
    """Write each horizontal bar's value (or why it has none) just past its end."""
    for y, v in zip(ys, vals, strict=True):
        ax.annotate(
            missing if v is None else fmt(v),
            (v or 0, y),
            va="center",
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=fontsize,
        )


def disclosure(report: Report, lang: str = "zh") -> Figure:
    """Table 二: documents issued / repealed / in force, and licensing, penalty, coercion decisions."""
    t2 = report.template.table("t2")
    fig = _figure(10, 3.8)
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    docs = [r for r in t2.rows if r.key in ("regulations", "normative_documents")]
    cols = list(docs[0].columns)
    width = 0.8 / len(cols)
    xs = np.arange(len(docs))
    for n, c in enumerate(cols):
        vals = [report.values.get(f"t2.{r.key}.{c}") for r in docs]
        bars = left.bar(
            xs + (n - (len(cols) - 1) / 2) * width,
            [v or 0 for v in vals],
            width,
            label=_label(t2.columns[c], lang),
            color=PALETTE[n],
        )
        for b, v in zip(bars, vals, strict=True):
            left.annotate(
                _t("缺失", "n/a", lang) if v is None else f"{v:g}",
                (b.get_x() + b.get_width() / 2, b.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 2),
                textcoords="offset points",
            )
    left.set_xticks(xs, [_label(r, lang) for r in docs])
    left.legend(frameon=False, fontsize=9)
    left.set_title(_t("和".join(r.label for r in docs) + "(件)", "Regulations and normative documents", lang))
    left.spines[["top", "right"]].set_visible(False)
    acts = [r for r in t2.rows if "decisions" in r.columns]
    _bars(
        right,
        [_label(r, lang) for r in acts],
        [report.values.get(f"t2.{r.key}.decisions") for r in acts],
        PALETTE[2],
        lang,
    )
    decisions = t2.columns["decisions"].label if "decisions" in t2.columns else ""
    right.set_title(_t(f"{decisions}(件)", "Licensing, penalty and coercion decisions", lang))
    fig.suptitle(_title(report, _t(f"{t2.label}({t2.title})", f"{t2.label_en} (table 2)", lang)))
    return fig


def _t3(report: Report, row: str, col: str = "total"):
    return report.values.get(f"t3.{row}.{col}")


def _outcome_groups(report: Report) -> list[tuple[str, str, list[str]]]:
    """(key, label, rows) of the outcome groups of table 三 ((一)予以公开 … (六)其他处理), in the rows the report has.

    The rows directly under 三、本年度办理结果 stand alone; each sub-group is one entry with its rows.
    """
    t3 = report.template.table("t3")
    present = [r for r in t3.rows if f"t3.{r.key}.total" in report.cells]
    top = next(g.key for g in t3.groups if g.parent is None)
    out: list[tuple[str, str, list[str]]] = []
    for kind, item in t3.display_rows(t3.select([f"@{top}"], present)):
        if kind == "group":
            if item.key != top:
                out.append((item.key, item.label, []))
        elif item.group == top:
            out.append((item.key, item.display, [item.key]))
        elif out and out[-1][0] == item.group:
            out[-1][2].append(item.key)
        else:  # a group printed as one row of its own (the 2019 (六)其他处理)
            out.append((item.group, t3.group(item.group).label, [item.key]))
    return out


def applicant_mix(report: Report, lang: str = "zh") -> Figure:
    """Who applied: new requests by applicant type."""
    t3 = report.template.table("t3")
    cols = [c for c in t3.columns.values() if c.key != "total"]
    vals = [_t3(report, "new_requests", c.key) for c in cols]
    fig = _figure(7, 3.2)
    ax = fig.subplots()
    ys = np.arange(len(cols))[::-1]
    ax.barh(ys, [v or 0 for v in vals], color=PALETTE[0])
    _label_hbars(ax, ys, vals, lambda v: f"{v:g}", _t("缺失", "missing", lang), 9)
    ax.set_yticks(ys, [_label(c, lang) for c in cols])
    ax.set_xlim(0, max([v or 0 for v in vals] + [1]) * 1.15)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    new = tpl.core(t3.row("new_requests").display)
    ax.set_title(_title(report, _t(f"{new}申请的申请人构成(件)", "new requests by applicant (table 3)", lang)))
    return fig


def outcomes(report: Report, lang: str = "zh") -> Figure:
    """What happened: outcome shares per applicant column, stacked, with the totals printed."""
    t3 = report.template.table("t3")
    groups = _outcome_groups(report)
    cols = [c for c in t3.columns.values() if (_t3(report, "total_processed", c.key) or 0) > 0] or [t3.columns["total"]]
    fig = _figure(9, 1.2 + 0.55 * len(cols))
    ax = fig.subplots()
    ys = np.arange(len(cols))[::-1]
    left = np.zeros(len(cols))
    for n, (gkey, label, rows) in enumerate(groups):
        vals = np.array([sum(_t3(report, r, c.key) or 0 for r in rows) for c in cols], dtype=float)
        totals = np.array([_t3(report, "total_processed", c.key) or 0 for c in cols], dtype=float)
        share = np.divide(vals, totals, out=np.zeros_like(vals), where=totals > 0)
        ax.barh(ys, share, left=left, color=PALETTE[n], label=label if lang != "en" else gkey.replace("_", " "))
        for y, s, v, x0 in zip(ys, share, vals, left, strict=True):
            if s >= 0.06:
                ax.text(x0 + s / 2, y, f"{v:g}", ha="center", va="center", fontsize=8, color="white")
        left += share
    ax.set_yticks(ys, [f"{_label(c, lang)}({_t3(report, 'total_processed', c.key) or 0:g})" for c in cols])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.legend(ncols=3, fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.spines[["top", "right"]].set_visible(False)
    top = next(g for g in t3.groups if g.parent is None)
    zh = f"{tpl.core(top.label)}构成(按申请人,括号内为{t3.row('total_processed').label})"
    ax.set_title(_title(report, _t(zh, "outcomes by applicant", lang)))
    return fig


# The groups of table 三 whose rows are reasons for not disclosing (group keys of the template).
_REASON_GROUPS = ("denied", "unable", "not_processed")


def reasons(report: Report, lang: str = "zh") -> Figure:
    """Why not: every reason under 不予公开, 无法提供 and 不予处理 (总计 column), coloured by group."""
    t3 = report.template.table("t3")
    panels = [g for g in _outcome_groups(report) if g[0] in _REASON_GROUPS]
    labels, vals, colors, handles = [], [], [], []
    for (gkey, glabel, rows), color in zip(panels, (PALETTE[2], PALETTE[3], PALETTE[4]), strict=True):
        handles.append(Patch(color=color, label=glabel if lang != "en" else gkey.replace("_", " ")))
        for r in rows:
            labels.append(_label(t3.row(r), lang).split(".", 1)[-1])
            vals.append(_t3(report, r))
            colors.append(color)
    fig = _figure(8, 0.28 * len(labels) + 1.4)
    ax = fig.subplots()
    ys = np.arange(len(labels))[::-1]
    ax.barh(ys, [v or 0 for v in vals], color=colors)
    _label_hbars(ax, ys, vals, lambda v: f"{v:g}", _t("缺失", "missing", lang), 8)
    ax.set_yticks(ys, labels, fontsize=8)
    ax.set_xlim(0, max([v or 0 for v in vals] + [1]) * 1.15)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="lower right")
    names = "、".join(tpl.core(t3.group(g).label) for g in _REASON_GROUPS)
    zh = f"{names}的理由({t3.columns['total'].label}列,件)"
    ax.set_title(_title(report, _t(zh, "reasons (total column)", lang)))
    return fig


def review_litigation(report: Report, lang: str = "zh") -> Figure:
    """Table 四: outcomes of administrative review and of the two kinds of litigation."""
    t4 = report.template.table("t4")
    outcomes_ = [c for c in t4.columns.values() if c.key != "total"]
    fig = _figure(8, 3.2)
    ax = fig.subplots()
    ys = np.arange(len(t4.rows))[::-1]
    left = np.zeros(len(t4.rows))
    for n, c in enumerate(outcomes_):
        vals = np.array([report.values.get(f"t4.{r.key}.{c.key}") or 0 for r in t4.rows], dtype=float)
        ax.barh(ys, vals, left=left, color=PALETTE[n], label=_label(c, lang))
        left += vals
    for y, r in zip(ys, t4.rows, strict=True):
        total = report.values.get(f"t4.{r.key}.total")
        ax.annotate(
            f"{_label(t4.columns['total'], lang)} {'—' if total is None else f'{total:g}'}",
            (left[list(ys).index(y)], y),
            va="center",
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=9,
        )
    ax.set_yticks(ys, [_label(r, lang) for r in t4.rows])
    ax.set_xlim(0, max(left.max() * 1.25, 1))
    ax.legend(ncols=4, fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_title(report, _t(f"{t4.label}({t4.title},件)", "review and litigation (table 4)", lang)))
    return fig


def reconciliation_grid(report: Report, findings=None, lang: str = "zh") -> Figure:
    """Table 三 as printed, each cell coloured: adds up, in a failing equation, the suspect cell, or missing."""
    t3 = report.template.table("t3")
    rows = [r for r in t3.rows if f"t3.{r.key}.total" in report.cells]
    cols = list(t3.columns.values())
    failing, suspects = set(), set()
    for f in findings or ():
        if f.check.startswith("t3.") and f.severity.value == "error":
            failing.update(f.keys)
            if f.suspect:
                suspects.add(f.suspect[0])
    colors = {"ok": "#e8f1e4", "fail": "#f6d5cf", "suspect": "#d9822b", "missing": "#e6e6e6"}
    # Fixed margins, not the layout engine: every label here has a known bound (row labels are cut at 22
    # characters), and a layout engine would lay out all 175 numbers in an extra drawing pass of its own.
    width, height = 9.0, 0.32 * len(rows) + 1.6
    fig = _figure(width, height, layout=None)
    left, right, top, bottom = 2.5, 0.15, 0.72, 0.42  # inches: row labels; edge; title + column labels; legend
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    ax = fig.subplots()
    rgb = np.zeros((len(rows), len(cols), 3))
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            key = f"t3.{r.key}.{c.key}"
            v = report.values.get(key)
            state = "suspect" if key in suspects else "fail" if key in failing else "missing" if v is None else "ok"
            rgb[i, j] = to_rgb(colors[state])
            ax.text(
                j + 0.5,
                i + 0.5,
                "—" if v is None else f"{v:g}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if state == "suspect" else "#222222",
            )
    # one image and two line collections, not a patch per cell: the grid is drawn in every write-up
    ax.imshow(rgb, extent=(0, len(cols), len(rows), 0), aspect="auto", interpolation="nearest")
    ax.hlines(np.arange(1, len(rows)), 0, len(cols), colors="white", linewidth=1.5)
    ax.vlines(np.arange(1, len(cols)), 0, len(rows), colors="white", linewidth=1.5)
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(len(cols)) + 0.5, [_label(c, lang) for c in cols], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(
        np.arange(len(rows)) + 0.5, [_short(r.display if lang != "en" else r.label_en) for r in rows], fontsize=8
    )
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    legend = [
        Patch(color=colors["ok"], label=_t("等式成立", "adds up", lang)),
        Patch(color=colors["fail"], label=_t("所在等式不成立", "in a failing equation", lang)),
        Patch(color=colors["suspect"], label=_t("疑似出错单元格", "suspect cell", lang)),
        Patch(color=colors["missing"], label=_t("缺失(不按0计)", "missing (not 0)", lang)),
    ]
    ax.legend(handles=legend, ncols=4, fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0.0))
    ax.set_title(_title(report, _t("表三核对:各单元格所在等式是否成立", "table 3 reconciliation", lang)), pad=24)
    return fig


def _short(label: str, n: int = 22) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def indicator_bars(report: Report, lang: str = "zh") -> Figure:
    """The derived rates (公开率 …) as horizontal bars; undefined ones say so."""
    df = report.indicators
    fig = _figure(7, 0.35 * len(df) + 1)
    ax = fig.subplots()
    ys = np.arange(len(df))[::-1]
    vals = [
        None if v is None or v != v else float(v) for v in df["value"].astype(object).where(df["value"].notna(), None)
    ]
    ax.barh(ys, [v or 0 for v in vals], color=PALETTE[0])
    _label_hbars(ax, ys, vals, lambda v: f"{v:.1%}", _t("无法计算(分母为0或缺失)", "undefined", lang), 8)
    ax.set_yticks(ys, df["label_en" if lang == "en" else "label"].tolist(), fontsize=9)
    ax.set_xlim(0, 1.3)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_title(report, _t("派生指标", "derived indicators", lang)))
    return fig


__all__ = [
    "applicant_mix",
    "disclosure",
    "indicator_bars",
    "outcomes",
    "reasons",
    "reconciliation_grid",
    "review_litigation",
    "setup_fonts",
]


# ---------------------------------------------------------------- corpora (notebook 04)


def _na(v) -> bool:
    import pandas as pd

    return v is None or bool(pd.isna(v))


def corpus_league(c, top: int = 15, lang: str = "zh") -> Figure:
    """Reports with the most requests received, each bar labelled with its 公开率."""
    r = c.reports.assign(name=c.reports["agency_key"].fillna(c.reports["report_id"]))
    r = r.dropna(subset=["new_requests"]).sort_values(["new_requests", "name"], ascending=[False, True]).head(top)
    fig = _figure(8, 0.3 * max(len(r), 3) + 1.2)
    ax = fig.subplots()
    ys = np.arange(len(r))[::-1]
    ax.barh(ys, r["new_requests"].astype(float), color=PALETTE[0])
    for y, n, rate in zip(ys, r["new_requests"], r["disclosure_rate"], strict=True):
        rate_label = _label(next(i for i in tpl.get().indicators if i.key == "disclosure_rate"), lang)
        label = f"{int(n)}" + ("" if _na(rate) else f"  {rate_label} {float(rate):.0%}")
        ax.annotate(label, (float(n), y), va="center", xytext=(3, 0), textcoords="offset points", fontsize=8)
    ax.set_yticks(
        ys,
        [f"{_short(str(a), 18)} {'' if _na(y) else int(y)}" for a, y in zip(r["name"], r["year"], strict=True)],
        fontsize=8,
    )
    ax.set_xlim(0, max(float(r["new_requests"].max() or 1), 1) * 1.35)
    ax.spines[["top", "right"]].set_visible(False)
    new = tpl.core(tpl.get().table("t3").row("new_requests").display)
    ax.set_title(_t(f"{new}申请最多的报告(件)", "most requests received", lang))
    return fig


def corpus_rates(c, lang: str = "zh") -> Figure:
    """How outcomes are distributed across reports: 公开率, 不予公开率, 无法提供率, 不予处理率."""
    specs = {i.key: i for i in tpl.get().indicators}
    cols = [
        (k, specs[k].label, specs[k].label_en)
        for k in ("disclosure_rate", "denial_rate", "unable_rate", "not_processed_rate")
    ]
    data = [c.reports[k].dropna().astype(float).to_numpy() for k, _, _ in cols]
    fig = _figure(8, 3.4)
    ax = fig.subplots()
    ax.boxplot([d if len(d) else [np.nan] for d in data], vert=False, widths=0.5)
    for n, d in enumerate(data, 1):
        ax.scatter(
            d,
            np.full(len(d), n) + np.linspace(-0.15, 0.15, len(d)) if len(d) else [],
            s=10,
            color=PALETTE[n - 1],
            alpha=0.7,
            zorder=3,
        )
    ax.set_yticks(range(1, len(cols) + 1), [en if lang == "en" else zh for _, zh, en in cols])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_t(f"各报告办理结果比例的分布({len(c.reports)} 份报告)", "outcome rates across reports", lang))
    return fig


def corpus_findings(c, lang: str = "zh") -> Figure:
    """How many reports each check flags, errors and warnings apart."""
    from .checks import REGISTRY

    f = c.findings[c.findings["severity"].isin(["error", "warning"])]
    counts = f.groupby(["check", "severity"])["report_id"].nunique().unstack(fill_value=0)
    counts = counts.reindex([k for k in REGISTRY if k in counts.index])
    fig = _figure(8, 0.35 * max(len(counts), 3) + 1.2)
    ax = fig.subplots()
    ys = np.arange(len(counts))[::-1]
    left = np.zeros(len(counts))
    for sev, color, zh in (("error", PALETTE[3], "错误"), ("warning", PALETTE[2], "警示")):
        vals = counts[sev].to_numpy(dtype=float) if sev in counts else np.zeros(len(counts))
        ax.barh(ys, vals, left=left, color=color, label=_t(zh, sev, lang))
        left += vals
    ax.set_yticks(ys, [REGISTRY[k].title_en if lang == "en" else REGISTRY[k].title for k in counts.index], fontsize=9)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_t("各项检查发现问题的报告数", "reports flagged by each check", lang))
    return fig
