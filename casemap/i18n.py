"""Every user-facing string, in English and Simplified Chinese.

``t(key, lang, **values)`` looks a string up and fills its ``{placeholders}``.
Vocabulary labels (roles, statuses, channels) live in :mod:`casemap.vocab`;
place names come from the shipped gazetteer tables and are shown in Chinese,
with pinyin added in English mode.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from casemap.account_strings import ACCOUNT_STRINGS
from casemap.access_strings import ACCESS_STRINGS
from casemap.analysis_strings import ANALYSIS_STRINGS
from casemap.brief_strings import BRIEF_STRINGS
from casemap.case_strings import CASE_STRINGS
from casemap import vocab
from casemap.filters import NO_PURPOSE
from casemap.frozen_strings import FROZEN_STRINGS
from casemap.import_strings import IMPORT_STRINGS
from casemap.link_strings import LINK_STRINGS
from casemap.mask_strings import MASK_STRINGS
from casemap.person_strings import PERSON_STRINGS
from casemap.signin_strings import SIGNIN_STRINGS

LANGS = vocab.LANGS
DEFAULT_LANG = "en"

_SHELL_STRINGS: dict[str, dict[str, str]] = {
    # Shell
    "app_title": {"en": "Casemap", "zh": "案情地图"},
    "app_tagline": {
        "en": "Cross-province telecom-fraud case: arrests, suspects at large and money flows",
        "zh": "跨省电信网络诈骗案：抓获、在逃与资金流向",
    },
    "nav_overview": {"en": "Overview", "zh": "总览"},
    "sidebar_case": {"en": "Case", "zh": "案件"},
    "case_demo": {"en": "Demo case (illustrative)", "zh": "示例案件（演示）"},
    "sidebar_language": {"en": "Language", "zh": "语言"},
    "sidebar_as_of": {"en": "Data as of {date}", "zh": "数据截至 {date}"},
    "sidebar_version": {"en": "Data version {version}", "zh": "数据版本 {version}"},
    "sidebar_theme": {"en": "Theme: {links}", "zh": "主题：{links}"},
    "theme_light": {"en": "Light", "zh": "浅色"},
    "theme_screen": {"en": "Screen (dark)", "zh": "大屏（深色）"},
    "filters": {"en": "Filters", "zh": "筛选"},
    "filter_from": {"en": "From", "zh": "开始日期"},
    "filter_to": {"en": "To", "zh": "结束日期"},
    "filter_dates_help": {
        "en": "The period of activity: a suspect is shown when arrested, paying or being paid in it; "
              "arrests count by their date, payments by their time.",
        "zh": "活动期间：嫌疑人在此期间被抓获、付款或收款即显示；抓获按抓获日期统计，资金流水按交易时间统计。",
    },
    "filter_provinces": {"en": "Provinces", "zh": "省份"},
    "filter_cities": {"en": "Cities", "zh": "城市"},
    "filter_roles": {"en": "Roles", "zh": "角色"},
    "filter_statuses": {"en": "Statuses", "zh": "状态"},
    "filter_channels": {"en": "Payment channels", "zh": "支付渠道"},
    "filter_purposes": {"en": "Payment purposes", "zh": "资金用途"},
    "filter_min_amount": {"en": "Amount involved from (yuan)", "zh": "涉案金额下限（元）"},
    "filter_max_amount": {"en": "Amount involved to (yuan)", "zh": "涉案金额上限（元）"},
    "filter_amount_help": {
        "en": "A suspect's amount involved; the payments shown are those of the suspects shown.",
        "zh": "嫌疑人的涉案金额；资金流水只显示所显示嫌疑人的流水。",
    },
    "filter_min_payment": {"en": "Single payment from (yuan)", "zh": "单笔流水下限（元）"},
    "filter_max_payment": {"en": "Single payment to (yuan)", "zh": "单笔流水上限（元）"},
    "filter_payment_help": {"en": "The amount of each payment.", "zh": "每一笔资金流水的金额。"},
    "filter_any": {"en": "Any", "zh": "全部"},
    "filter_reset": {"en": "Reset filters", "zh": "重置筛选"},
    "filter_rejected": {"en": "Filter not applied: {problem}", "zh": "筛选未生效：{problem}"},
    "filter_reversed_dates": {"en": "the start date is after the end date", "zh": "开始日期晚于结束日期"},
    "filter_reversed_amounts": {"en": "the minimum amount is above the maximum", "zh": "最小金额大于最大金额"},
    "filter_reversed_payments": {
        "en": "the minimum payment is above the maximum", "zh": "单笔流水下限大于上限",
    },
    "copy_link": {"en": "Link to this view", "zh": "本视图链接"},
    "copy_link_help": {
        "en": "Copy this link: it opens exactly this view, filters and language included.",
        "zh": "复制此链接，打开即是当前视图（含筛选条件和语言）。",
    },
    "summary_line": {"en": "Showing: {body}", "zh": "当前显示：{body}"},
    "empty_view": {
        "en": "No suspect and no payment matches these filters: {filters}. Widen them, or reset them.",
        "zh": "没有任何嫌疑人或资金流水符合这些筛选条件：{filters}。请放宽筛选条件，或重置。",
    },
    "summary_all": {"en": "all data", "zh": "全部数据"},
    "summary_dates": {"en": "active {low} to {high}", "zh": "{low} 至 {high} 有活动"},
    "summary_since": {"en": "active from {low}", "zh": "{low} 起有活动"},
    "summary_until": {"en": "active until {high}", "zh": "截至 {high} 有活动"},
    "summary_amounts": {"en": "amount involved {low} to {high}", "zh": "涉案金额 {low} 至 {high}"},
    "summary_min_amount": {"en": "amount involved at least {low}", "zh": "涉案金额不低于 {low}"},
    "summary_max_amount": {"en": "amount involved at most {high}", "zh": "涉案金额不高于 {high}"},
    "summary_payments": {"en": "single payments {low} to {high}", "zh": "单笔流水 {low} 至 {high}"},
    "summary_min_payment": {"en": "single payments of at least {low}", "zh": "单笔流水不低于 {low}"},
    "summary_max_payment": {"en": "single payments of at most {high}", "zh": "单笔流水不高于 {high}"},
    "summary_counts": {
        "en": "{suspects} suspects, {payments} payments",
        "zh": "{suspects} 名嫌疑人，{payments} 笔资金流水",
    },
    "chip_remove": {"en": "Remove filter {name}", "zh": "移除筛选 {name}"},
    "illustrative_badge": {"en": "Illustrative demo data", "zh": "示例数据（演示）"},
    "illustrative": {
        "en": "Illustrative demo case: generated data that reproduces the publicly reported figures. No real person's data.",
        "zh": "示例案件：按公开通报数字生成的演示数据，不含任何真实个人信息。",
    },
    "snapshot_unavailable": {
        "en": "Figures are read straight from the store, slower on a large case: the snapshot {path} cannot be "
              "written ({reason}). Set CASEMAP\\_SNAPSHOT\\_DIR to a folder the app may write.",
        "zh": "数据直接从存储库读取，大型案件会较慢：无法写入快照 {path}（{reason}）。"
              "请将 CASEMAP\\_SNAPSHOT\\_DIR 设为本应用可写入的文件夹。",
    },
    "param_ignored": {  # no code span: a back-tick in the value would end it, and escapes don't work inside
        "en": "Ignored URL parameter “{param}={value}”: {reason}.",
        "zh": "已忽略网址参数“{param}={value}”：{reason}。",
    },
    "reason_unknown_code": {"en": "no such place code", "zh": "没有这个地区代码"},
    "reason_bad_date": {"en": "not a date (expected YYYY-MM-DD)", "zh": "不是有效日期（应为 YYYY-MM-DD）"},
    "reason_reversed_dates": {"en": "the start date is after the end date", "zh": "开始日期晚于结束日期"},
    "reason_bad_number": {"en": "not a number", "zh": "不是数字"},
    "reason_reversed_amounts": {"en": "the minimum is above the maximum", "zh": "最小值大于最大值"},
    "reason_reversed_payments": {"en": "the minimum is above the maximum", "zh": "最小值大于最大值"},
    "reason_unknown_value": {"en": "not a known value", "zh": "不是可识别的取值"},
    "reason_unknown_case": {"en": "no such case", "zh": "没有这个案件"},
    "reason_too_long": {"en": "too long", "zh": "过长"},
    "reason_unknown_param": {"en": "not a Casemap parameter", "zh": "不是本系统的参数"},
    # KPIs (English labels are fixed by the Overview contract)
    "kpi_arrested": {"en": "Arrested", "zh": "已抓获"},
    "kpi_suspects": {"en": "Suspects", "zh": "嫌疑人"},
    "kpi_provinces": {"en": "Provinces", "zh": "涉及省份"},
    "kpi_cities": {"en": "Cities", "zh": "涉及城市"},
    "kpi_amount": {"en": "Amount involved", "zh": "涉案金额"},
    "kpi_payments": {"en": "Payments traced", "zh": "已查资金流水"},
    "kpi_payments_help": {"en": "{amount} in total", "zh": "合计 {amount}"},
    "kpi_suspects_help": {"en": "{others} not yet arrested", "zh": "其中 {others} 人未到案"},
    # Metrics
    "metric": {"en": "Map shows", "zh": "地图指标"},
    "metric_arrested": {"en": "Arrested", "zh": "抓获人数"},
    "metric_suspects": {"en": "Suspects", "zh": "嫌疑人数"},
    "metric_amount": {"en": "Amount involved", "zh": "涉案金额"},
    # Charts
    "chart_province_map": {"en": "{metric} by province", "zh": "各省{metric}"},
    "chart_top_provinces": {"en": "Top {n} provinces: {metric}", "zh": "前 {n} 个省份：{metric}"},
    "chart_top_cities": {"en": "Top {n} cities: {metric}", "zh": "前 {n} 个城市：{metric}"},
    "chart_arrests_time": {"en": "Arrests over time", "zh": "抓获时间分布"},
    "axis_week": {"en": "Week", "zh": "周"},
    "axis_month": {"en": "Month", "zh": "月份"},
    "axis_arrested": {"en": "Arrested", "zh": "抓获人数"},
    "axis_cumulative": {"en": "Cumulative arrested", "zh": "累计抓获"},
    "legend_origin": {"en": "Case origin: Linwu County", "zh": "案发地：临武县"},
    "hover_amount": {"en": "Amount", "zh": "金额"},
    "no_data": {"en": "No data under the current filters.", "zh": "当前筛选条件下没有数据。"},
    # Overview
    "overview_title": {"en": "Case overview", "zh": "案件总览"},
    "summary_heading": {"en": "Case summary", "zh": "案情摘要"},
    "summary_background": {
        "en": (
            "Since July 2023, local people rented phone numbers (\"mobile port\") and WeChat accounts "
            "(\"PC end\") to overseas scam groups, settling in USDT. Linwu County police formed a task force "
            "in August 2023. Alipay payments from suspect Xia and others led to number vendors across "
            "the country."
        ),
        "zh": (
            "自 2023 年 7 月起，当地人员将手机号码（“手机口”）和微信账号（“电脑端”）租给境外诈骗团伙，"
            "以虚拟货币（USDT）结算。2023 年 8 月临武县公安局成立专案组，顺着夏某等人的支付宝付款追查到"
            "各地号商。"
        ),
    },
    "summary_figures": {
        "en": (
            "**{arrested}** of **{suspects}** suspects have been arrested, in **{cities}** cities across "
            "**{provinces}** provincial-level regions; the amount involved is **{amount}**. **{others}** linked "
            "suspects are still at large or under investigation."
        ),
        "zh": (
            "**{suspects}** 名嫌疑人中已抓获 **{arrested}** 人，分布在 **{provinces}** 个省级地区的 "
            "**{cities}** 个城市，涉案金额 **{amount}**；另有 **{others}** 名关联嫌疑人在逃或在查。"
        ),
    },
    "summary_hotspot": {
        "en": "The heaviest city is {city} with {count} suspects.",
        "zh": "涉案人数最多的城市是{city}，共 {count} 人。",
    },
    # Network: graphs kept within a node budget
    "network_grouped_vendors": {
        "en": "The graph would have more than {limit} nodes: number vendors are grouped by city to keep it legible.",
        "zh": "关系图节点将超过 {limit} 个：号商按城市合并显示，以便阅读。",
    },
    "network_grouped_city": {
        "en": "The graph would have more than {limit} nodes: the {top} parties that moved the most money are drawn "
              "one by one, everyone else is grouped by role and city.",
        "zh": "关系图节点将超过 {limit} 个：资金往来最多的 {top} 个对象单独显示，其余按角色和城市合并。",
    },
    "network_grouped_province": {
        "en": "The graph would have more than {limit} nodes: the {top} parties that moved the most money are drawn "
              "one by one, everyone else is grouped by role and province.",
        "zh": "关系图节点将超过 {limit} 个：资金往来最多的 {top} 个对象单独显示，其余按角色和省份合并。",
    },
    "network_links_dropped": {
        "en": "Only the {shown} largest of {total} links are drawn.",
        "zh": "仅显示金额最大的 {shown} 条连线（共 {total} 条）。",
    },
    "network_role_group": {"en": "{role} in {place} ({count})", "zh": "{place}{role}（{count}人）"},
    "network_external_group": {"en": "Overseas accounts ({count})", "zh": "境外账户（{count}个）"},
    "network_groups_legend": {"en": "Grouped by role and place", "zh": "按角色和地区合并"},
    "network_group_size": {"en": "{count} people or accounts in this group.", "zh": "该组共 {count} 个人员或账户。"},
    "network_sampled": {
        "en": "Betweenness is estimated from {sources} of the {nodes} nodes, sampled.",
        "zh": "中介中心度按 {nodes} 个节点中抽样的 {sources} 个估算。",
    },
    # Suspects: a page of rows at a time, sorting, exports built on demand
    "suspects_sort": {"en": "Sort by", "zh": "排序方式"},
    "suspects_descending": {"en": "Descending", "zh": "降序"},
    "suspects_page": {"en": "Page (of {pages})", "zh": "页码（共 {pages} 页）"},
    "suspects_rows": {"en": "Rows {first}–{last} of {count}", "zh": "第 {first}–{last} 行，共 {count} 行"},
    "suspects_xlsx_limit": {
        "en": "Excel downloads hold at most {limit} rows: download CSV, or narrow the search or the filters.",
        "zh": "Excel 文件最多 {limit} 行：请下载 CSV，或缩小搜索或筛选范围。",
    },
    # Hardening: hostile links and files
    "param_ignored_more": {"en": "… and {count} more.", "zh": "……另有 {count} 项。"},
    "import_error_too_many_columns": {
        "en": "The list has {count} columns; at most {limit} are read. Remove the columns that are not needed.",
        "zh": "该名单有 {count} 列，最多读取 {limit} 列，请删去不需要的列。",
    },
    "rejects_shown": {
        "en": "The first {shown} of {total} rejected rows; the download has them all.",
        "zh": "仅显示 {total} 个被拒绝行中的前 {shown} 行，下载文件包含全部。",
    },
    "commit_nothing": {
        "en": "Nothing was stored: no row was accepted.",
        "zh": "未保存任何数据：没有被接受的行。",
    },
    "case_name_empty": {"en": "A case needs a name.", "zh": "案件名称不能为空。"},
    "case_name_too_long": {
        "en": "A case name has at most {limit} characters.",
        "zh": "案件名称最多 {limit} 个字符。",
    },
    "case_name_spaces": {
        "en": "A case name cannot start or end with a space.",
        "zh": "案件名称的开头和结尾不能是空格。",
    },
    "case_name_hidden": {
        "en": "A case name cannot hold line breaks, tabs, invisible or right-to-left characters, or spaces other "
              "than the plain one.",
        "zh": "案件名称不能包含换行、制表符、不可见字符、从右到左控制符或普通空格以外的空白。",
    },
    "case_name_demo": {
        "en": "That name looks like the demo case's; choose another.",
        "zh": "该名称与示例案件的名称相似，请另取一个。",
    },
    "case_name_looks_like": {
        "en": "That name looks like the stored case “{other}”; choose another, or pick that case.",
        "zh": "该名称与已有案件“{other}”相似，请另取一个，或直接选择该案件。",
    },
    "import_error_header_too_long": {
        "en": "The header of column {column} is longer than {limit} characters.",
        "zh": "第 {column} 列的表头超过 {limit} 个字符。",
    },
}

STRINGS: dict[str, dict[str, str]] = {
    **_SHELL_STRINGS, **IMPORT_STRINGS, **ANALYSIS_STRINGS, **PERSON_STRINGS, **SIGNIN_STRINGS, **ACCESS_STRINGS,
    **BRIEF_STRINGS, **FROZEN_STRINGS, **ACCOUNT_STRINGS, **LINK_STRINGS, **CASE_STRINGS,
    **MASK_STRINGS,
}


_RANGE_KEYS = {
    "dates": ("summary_dates", "summary_since", "summary_until"),
    "amounts": ("summary_amounts", "summary_min_amount", "summary_max_amount"),
    "payments": ("summary_payments", "summary_min_payment", "summary_max_payment"),
}


def _range_phrase(lang: str, kind: str, low: str | None, high: str | None) -> str | None:
    """"low to high", "from low" or "until high" for a date or amount range; None when open."""
    both, low_only, high_only = _RANGE_KEYS[kind]
    if low and high:
        return t(both, lang, low=low, high=high)
    if low:
        return t(low_only, lang, low=low)
    if high:
        return t(high_only, lang, high=high)
    return None


def describe_filters(state, lang: str, place_name: Callable[[str], str], quote: Callable[[str], str] = str) -> str:
    """One line saying what the view shows, so that a screenshot explains itself."""
    return t("summary_line", lang, body=filter_phrases(state, lang, place_name, quote))


def filter_phrases(state, lang: str, place_name: Callable[[str], str], quote: Callable[[str], str] = str) -> str:
    """The filters set, in words ("all data" when none is); ``quote`` renders text taken from the link (an id)."""
    dates = _range_phrase(lang, "dates", format_date(state.date_from, lang) if state.date_from else None,
                          format_date(state.date_to, lang) if state.date_to else None)
    parts: list[str] = [dates] if dates else []
    places = [place_name(code) for code in (*state.provinces, *state.cities)]
    if places:
        parts.append(", ".join(places) if lang == "en" else "、".join(places))
    for terms, chosen in ((vocab.ROLES, state.roles), (vocab.STATUSES, state.statuses), (vocab.CHANNELS, state.channels)):
        if chosen:
            labels = [vocab.label(terms, value, lang) for value in chosen]
            parts.append(" / ".join(labels))
    if state.purposes:
        parts.append(" / ".join(purpose_label(value, lang) for value in state.purposes))
    for kind, low, high in (("amounts", state.min_amount, state.max_amount),
                            ("payments", state.min_payment, state.max_payment)):
        phrase = _range_phrase(
            lang, kind,
            format_yuan(low, lang, compact=False) if low is not None else None,
            format_yuan(high, lang, compact=False) if high is not None else None,
        )
        if phrase:
            parts.append(phrase)
    if state.network is not None:
        parts.append(t("summary_network", lang, person=quote(state.network)))
    return " · ".join(parts) if parts else t("summary_all", lang)


def purpose_label(purpose: str, lang: str) -> str:
    """A payment purpose as a person reads it: the vocabulary label, free text as given, or "not recorded"."""
    if purpose == NO_PURPOSE:
        return t("flows_purpose_unrecorded", lang)
    if purpose in vocab.values(vocab.PURPOSES):
        return vocab.label(vocab.PURPOSES, purpose, lang)
    return purpose


def normalize_lang(value: str | None) -> str | None:
    """Return "en" or "zh" for a language code or locale, None if neither."""
    if not value:
        return None
    code = str(value).strip().lower().replace("_", "-")
    if code in ("zh", "zh-cn", "zh-hans", "zh-sg") or code.startswith("zh-hans"):
        return "zh"
    if code.startswith("zh"):
        return "zh"
    if code == "en" or code.startswith("en-"):
        return "en"
    return None


def choose_lang(url_value: str | None, locale: str | None) -> str:
    """Pick the display language: the URL first, then the browser locale, then English."""
    return normalize_lang(url_value) or normalize_lang(locale) or DEFAULT_LANG


def t(key: str, lang: str, **values) -> str:
    """Return the string ``key`` in ``lang``, with ``values`` filled in."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


# --- Numbers: the one place that writes money and counts -------------------------------------
#
# Every figure a person reads (KPIs, tables, axes, colour bars, hover labels,
# the detail panel, the filter line) is written by the functions below:
#
# ========  ===================  ===========================  ==============  ===============
# lang      counts               money, compact               money in full   axis/scale tick
# ========  ===================  ===========================  ==============  ===============
# en        1,234                ¥4.32M · ¥247.4K · ¥950      ¥4,312,500      ¥500K · ¥1.5M
# zh        1,234                4.32亿元 · 24.7万元 · 950元    4,312,500 元    50万 · 1.5亿
# ========  ===================  ===========================  ==============  ===============
#
# Chinese ticks leave out 元 because the axis title says it; a label before a
# value ends in the language's colon, "Amount: " or "金额：" (:func:`labelled`).
# The sidebar's amount inputs show whole yuan (:data:`AMOUNT_INPUT_FORMAT`); a
# table column of amounts, kept numeric so that it sorts, reads in full
# (:data:`AMOUNT_COLUMN_FORMATS`).

COLONS = {"en": ": ", "zh": "："}
# A printf format, the only kind a number input takes (digits only): whole yuan, no "50000.00".
AMOUNT_INPUT_FORMAT = "%.0f"
# printf formats of a table's amount column (Streamlit's "%,d" groups thousands), as format_yuan in full.
AMOUNT_COLUMN_FORMATS = {"en": "¥%,d", "zh": "%,d 元"}


def labelled(label: str, value: str, lang: str) -> str:
    """``label`` then ``value`` with the language's colon: "Amount: ¥1.2K" / "金额：1.2万元"."""
    return f"{label}{COLONS.get(lang, COLONS[DEFAULT_LANG])}{value}"


def format_count(value: int | float, lang: str) -> str:
    """Format a count with thousands separators."""
    return f"{int(value):,}"


def _missing(amount) -> bool:
    return amount is None or (isinstance(amount, float) and math.isnan(amount))


def format_yuan(amount: float | None, lang: str, *, compact: bool = True) -> str:
    """Format an amount in yuan: "¥4.32M" / "432.1万元" when compact, else in full."""
    if _missing(amount):
        return "—"
    if not compact:
        return f"¥{amount:,.0f}" if lang == "en" else f"{amount:,.0f} 元"
    if lang == "zh":
        if abs(amount) >= 1e8:
            return f"{amount / 1e8:.2f}亿元"
        if abs(amount) >= 1e4:
            return f"{amount / 1e4:,.1f}万元"
        return f"{amount:,.0f}元"
    if abs(amount) >= 1e6:
        return f"¥{amount / 1e6:.2f}M"
    if abs(amount) >= 1e3:
        return f"¥{amount / 1e3:.1f}K"
    return f"¥{amount:,.0f}"


def format_yuan_tick(amount: float, lang: str) -> str:
    """An amount as a tick of an axis or colour bar: "¥500K" / "50万", no trailing zeros."""
    units = ((1e8, "亿"), (1e4, "万")) if lang == "zh" else ((1e6, "M"), (1e3, "K"))
    prefix = "" if lang == "zh" else "¥"
    for size, unit in units:
        if abs(amount) >= size:
            return f"{prefix}{amount / size:,.4g}{unit}"
    return f"{prefix}{amount:,.0f}"


def format_date(value, lang: str) -> str:
    """Format a date as 2024-08-03 (en) or 2024年8月3日 (zh)."""
    if value is None:
        return "—"
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value:%Y-%m-%d}"


def place_label(name: str, pinyin: str | None, lang: str) -> str:
    """Show a place in Chinese, with its pinyin in English mode: "郴州 Chenzhou"."""
    if lang == "en" and pinyin:
        return f"{name} {pinyin}"
    return name
