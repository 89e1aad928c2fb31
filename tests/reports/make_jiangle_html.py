"""Generate tests/reports/jiangle-2024.html: the bundled sample laid out as a
government site serves it — the official 2021 tables with rowspan/colspan as
in 国办公开办函〔2021〕30号, Word-export markup (<p class=MsoNormal><span>),
&nbsp;, <br> inside header cells, a nested layout table, navigation, a
footer and scripts around the article.

Values come from tests/expected/jiangle-2024.json (typed by hand from the
text), prose from data/samples/jiangle-2024.txt. Run from the project root:
    python tests/reports/make_jiangle_html.py
The output is committed; do not edit it by hand.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
T3_COLS = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_organization",
    "legal_service",
    "other_org",
    "total",
]


def td(text, rowspan=1, colspan=1, word=True) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    body = html.escape(str(text)).replace("\n", "<br/>")
    if word:
        body = f'<p class="MsoNormal" align="center" style="text-align:center"><span style="font-family:仿宋_GB2312;font-size:10.5pt">{body}</span></p>'
    return f'<td valign="middle"{attrs} style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">{body}</td>'


def table2(v) -> str:
    rows = [
        [td("第二十条第（一）项", colspan=4)],
        [td("信息内容"), td("本年制发件数"), td("本年废止件数"), td("现行有效件数")],
        [td("规章")] + [td(v[f"t2.regulations.{c}"]) for c in ("issued", "repealed", "in_force")],
        [td("行政规范性文件")] + [td(v[f"t2.normative_documents.{c}"]) for c in ("issued", "repealed", "in_force")],
        [td("第二十条第（五）项", colspan=4)],
        [td("信息内容"), td("本年处理决定数量", colspan=3)],
        [td("行政许可"), td(v["t2.licensing.decisions"], colspan=3)],
        [td("第二十条第（六）项", colspan=4)],
        [td("信息内容"), td("本年处理决定数量", colspan=3)],
        [td("行政处罚"), td(v["t2.penalty.decisions"], colspan=3)],
        [td("行政强制"), td(v["t2.coercion.decisions"], colspan=3)],
        [td("第二十条第（八）项", colspan=4)],
        [td("信息内容"), td("本年收费金额（单位：万元）", colspan=3)],
        [td("行政事业性收费"), td(v["t2.fees.amount"], colspan=3)],
    ]
    return _table(rows)


def table3(v) -> str:
    def vals(row):
        return [td(v[f"t3.{row}.{c}"]) for c in T3_COLS]

    rows = [
        [
            td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
            td("申请人情况", colspan=7),
        ],
        [td("自然人", rowspan=2), td("法人或其他组织", colspan=5), td("总计", rowspan=2)],
        [td("商业\n企业"), td("科研\n机构"), td("社会公益组织"), td("法律服务机构"), td("其他")],
        [td("一、本年新收政府信息公开申请数量", colspan=3)] + vals("new_requests"),
        [td("二、上年结转政府信息公开申请数量", colspan=3)] + vals("carried_over"),
        [td("三、本年度办理结果", rowspan=22), td("（一）予以公开", colspan=2)] + vals("granted"),
        [td("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2)] + vals("partially_granted"),
    ]
    groups = [
        (
            "（三）不予公开",
            [
                ("1．属于国家秘密", "denied_state_secret"),
                ("2．其他法律行政法规禁止公开", "denied_prohibited_by_law"),
                ("3．危及“三安全一稳定”", "denied_security_stability"),
                ("4．保护第三方合法权益", "denied_third_party"),
                ("5．属于三类内部事务信息", "denied_internal_affairs"),
                ("6．属于四类过程性信息", "denied_process_info"),
                ("7．属于行政执法案卷", "denied_enforcement_file"),
                ("8．属于行政查询事项", "denied_inquiry_matter"),
            ],
        ),
        (
            "（四）无法提供",
            [
                ("1．本机关不掌握相关政府信息", "unable_not_held"),
                ("2．没有现成信息需要另行制作", "unable_needs_creation"),
                ("3．补正后申请内容仍不明确", "unable_unclear"),
            ],
        ),
        (
            "（五）不予处理",
            [
                ("1．信访举报投诉类申请", "not_processed_petition"),
                ("2．重复申请", "not_processed_duplicate"),
                ("3．要求提供公开出版物", "not_processed_publication"),
                ("4．无正当理由大量反复申请", "not_processed_mass_repeated"),
                ("5．要求行政机关确认或重新出具已获取信息", "not_processed_confirmation"),
            ],
        ),
        (
            "（六）其他处理",
            [
                ("1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
                ("2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_no_fee"),
                ("3．其他", "other_other"),
            ],
        ),
    ]
    for group, members in groups:
        for n, (label, key) in enumerate(members):
            head = [td(group, rowspan=len(members))] if n == 0 else []
            rows.append(head + [td(label)] + vals(key))
    rows.append([td("（七）总计", colspan=2)] + vals("total_processed"))
    rows.append([td("四、结转下年度继续办理", colspan=3)] + vals("carried_forward"))
    return _table(rows)


def table4(v) -> str:
    outcomes = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    cols = ("upheld", "corrected", "other", "pending", "total")
    rows = [
        [td("行政复议", colspan=5), td("行政诉讼", colspan=10)],
        [td(o, rowspan=2) for o in outcomes] + [td("未经复议直接起诉", colspan=5), td("复议后起诉", colspan=5)],
        [td(o) for o in outcomes * 2],
        [td(v[f"t4.{b}.{c}"]) for b in ("review", "litigation_direct", "litigation_after_review") for c in cols],
    ]
    return _table(rows)


def _table(rows) -> str:
    body = "\n".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    return f'<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">\n<tbody>\n{body}\n</tbody></table>'


def main() -> None:
    values = json.loads((ROOT / "tests/expected/jiangle-2024.json").read_text("utf-8"))["expected"]
    lines = (ROOT / "data/samples/jiangle-2024.txt").read_text("utf-8").splitlines()
    prose = [ln.strip() for ln in lines if ln.strip() and not ln.rstrip().endswith("|")]
    sections: dict[str, list[str]] = {}
    current = "preamble"
    for ln in prose:
        if ln[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") and len(ln) < 30:
            current = ln
        sections.setdefault(current, []).append(ln)
    tables = {"二、": table2(values), "三、": table3(values), "四、": table4(values)}
    parts = []
    for head, paras in sections.items():
        for n, p in enumerate(paras):
            if p.startswith("扫一扫"):
                continue
            tag = "h3" if n == 0 and head != "preamble" else "p"
            style = ' style="text-indent:2em;line-height:2"' if tag == "p" else ""
            parts.append(f"<{tag}{style}>{html.escape(p).replace('（', '（&nbsp;', 0)}</{tag}>")
        if head[:2] in tables:
            parts.append(tables[head[:2]])
    article = "\n".join(parts)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>将乐县人民政府办公室2024年政府信息公开工作年度报告_将乐县人民政府</title>
<link rel="stylesheet" href="https://www.jiangle.gov.cn/static/css/main.css">
<script src="https://www.jiangle.gov.cn/static/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; document.write("<p>统计代码</p>");</script>
<style>.nav li {{ float: left; }}</style>
</head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a> | <span>无障碍浏览</span></div>
<div class="nav"><ul><li>政府信息公开</li><li>政府信息公开指南</li><li>政府信息公开年报</li></ul></div>
<table width="1000" align="center" class="layout"><tr><td class="sidebar" width="200">
<ul><li><a href="/zwgk/ndbg/">年度报告</a></li><li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li></ul>
</td><td class="content">
<div class="crumb">当前位置:首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<div class="xxgk_table">索引号:&nbsp;003711029/2025-00003&nbsp;&nbsp;发布机构:&nbsp;将乐县人民政府办公室&nbsp;&nbsp;发文日期:&nbsp;2025-01-20</div>
<h1 class="title">将乐县人民政府办公室2024年政府信息公开工作年度报告</h1>
<div class="TRS_Editor">
{article}
<p style="text-align:right">将乐县人民政府办公室</p>
<p style="text-align:right">2025年1月20日</p>
</div>
<img src="https://www.jiangle.gov.cn/images/qrcode.png" onerror="this.style.display='none'">
</td></tr></table>
<div class="footer"><p>主办:将乐县人民政府办公室&nbsp;&nbsp;版权所有 © 2025</p><p>闽ICP备05012345号&nbsp;网站标识码:3504280001</p>
<script>document.getElementById("visit").innerHTML = 12345;</script></div>
</body>
</html>
"""
    (ROOT / "tests/reports/jiangle-2024.html").write_text(page, "utf-8")


if __name__ == "__main__":
    main()
