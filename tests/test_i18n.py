import datetime as dt
import string

import pytest

from casemap import i18n


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(i18n.STRINGS))
def test_every_string_exists_in_both_languages_with_the_same_placeholders(key):
    entry = i18n.STRINGS[key]
    assert set(entry) == set(i18n.LANGS)
    assert all(entry[lang].strip() for lang in i18n.LANGS)
    assert placeholders(entry["en"]) == placeholders(entry["zh"])


@pytest.mark.parametrize(
    "key, english",
    [
        ("kpi_arrested", "Arrested"),
        ("kpi_suspects", "Suspects"),
        ("kpi_provinces", "Provinces"),
        ("kpi_cities", "Cities"),
        ("kpi_amount", "Amount involved"),
        ("kpi_payments", "Payments traced"),
    ],
)
def test_kpi_labels_are_the_contracted_english_words(key, english):
    assert i18n.t(key, "en") == english
    assert i18n.t(key, "zh") != english


@pytest.mark.parametrize(
    "url, locale, expected",
    [
        ("zh", "en-US", "zh"),
        ("en", "zh-CN", "en"),
        ("ZH", None, "zh"),
        (None, "zh-CN", "zh"),
        (None, "zh-TW", "zh"),
        (None, "en-GB", "en"),
        (None, "fr-FR", "en"),
        ("klingon", "zh-CN", "zh"),
        ("", None, "en"),
        (None, None, "en"),
    ],
)
def test_choose_lang_prefers_url_then_locale(url, locale, expected):
    assert i18n.choose_lang(url, locale) == expected


@pytest.mark.parametrize(
    "amount, lang, expected",
    [
        (4_312_500.0, "en", "¥4.31M"),
        (4_312_500.0, "zh", "431.2万元"),
        (12_500.0, "en", "¥12.5K"),
        (12_500.0, "zh", "1.2万元"),
        (800.0, "zh", "800元"),
        (350_000_000.0, "zh", "3.50亿元"),
        (float("nan"), "en", "—"),
        (None, "zh", "—"),
    ],
)
def test_format_yuan(amount, lang, expected):
    assert i18n.format_yuan(amount, lang) == expected


def test_format_yuan_in_full():
    assert i18n.format_yuan(4_312_500, "en", compact=False) == "¥4,312,500"
    assert i18n.format_yuan(4_312_500, "zh", compact=False) == "4,312,500 元"


@pytest.mark.parametrize("lang, expected", [("en", "2024-08-03"), ("zh", "2024年8月3日")])
def test_format_date(lang, expected):
    assert i18n.format_date(dt.date(2024, 8, 3), lang) == expected


@pytest.mark.parametrize(
    "lang, expected", [("en", "郴州 Chenzhou"), ("zh", "郴州")]
)
def test_place_names_stay_chinese_with_pinyin_in_english(lang, expected):
    assert i18n.place_label("郴州", "Chenzhou", lang) == expected


def test_unknown_language_falls_back_to_english():
    assert i18n.t("kpi_arrested", "fr") == "Arrested"


NAMES = {"430000": "湖南 Hunan", "431000": "郴州 Chenzhou"}


@pytest.mark.parametrize(
    "state, lang, expected",
    [
        (dict(), "en", "Showing: all data"),
        (dict(), "zh", "当前显示：全部数据"),
        (dict(provinces=("430000",), cities=("431000",)), "en", "Showing: 湖南 Hunan, 郴州 Chenzhou"),
        (dict(date_from=dt.date(2024, 8, 1), date_to=dt.date(2024, 8, 31)), "en", "Showing: active 2024-08-01 to 2024-08-31"),
        (dict(date_from=dt.date(2024, 8, 1)), "zh", "当前显示：2024年8月1日 起有活动"),
        (dict(roles=("mobile_port", "pc_end")), "zh", "当前显示：手机口 / 电脑端"),
        (dict(statuses=("at_large",), min_amount=10000.0), "en", "Showing: At large · amount involved at least ¥10,000"),
        (dict(channels=("usdt",), max_amount=5000.0), "zh", "当前显示：USDT · 涉案金额不高于 5,000 元"),
        (dict(min_payment=1000.0, max_payment=50000.0), "en", "Showing: single payments ¥1,000 to ¥50,000"),
        (dict(min_payment=1000.0), "zh", "当前显示：单笔流水不低于 1,000 元"),
        (dict(purposes=("number_rental", "unrecorded")), "en", "Showing: Phone-number rental / Not recorded"),
        (dict(channels=("usdt",), purposes=("号码押金",)), "zh", "当前显示：USDT · 号码押金"),
    ],
)
def test_describe_filters_says_what_a_screenshot_shows(state, lang, expected):
    from casemap.filters import FilterState

    text = i18n.describe_filters(FilterState(**state), lang, lambda code: NAMES.get(code, code))
    assert text == expected


@pytest.mark.parametrize("lang, expected", [
    ("en", "Showing: 湖南 Hunan · network of S006"),
    ("zh", "当前显示：湖南 Hunan · S006 的关系网"),
])
def test_the_filter_line_names_the_network(lang, expected):
    from casemap.filters import FilterState

    text = i18n.describe_filters(FilterState(provinces=("430000",), network="S006"), lang, lambda code: NAMES.get(code, code))
    assert text == expected


@pytest.mark.parametrize("amount, lang, expected", [
    (0, "zh", "0"),
    (5_000, "zh", "5,000"),
    (500_000, "zh", "50万"),
    (1_500_000, "zh", "150万"),
    (150_000_000, "zh", "1.5亿"),
    (0, "en", "¥0"),
    (950, "en", "¥950"),
    (500_000, "en", "¥500K"),
    (1_500_000, "en", "¥1.5M"),
])
def test_axis_ticks_read_in_yuan_as_the_language_counts_them(amount, lang, expected):
    assert i18n.format_yuan_tick(amount, lang) == expected


def test_a_label_before_a_value_ends_in_the_languages_colon():
    assert i18n.labelled("金额", "1.2万元", "zh") == "金额：1.2万元"
    assert i18n.labelled("Amount", "¥12.0K", "en") == "Amount: ¥12.0K"


def test_amount_inputs_show_whole_yuan():
    assert i18n.AMOUNT_INPUT_FORMAT % 50000.0 == "50000"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_table_column_of_amounts_reads_like_the_detail_panel(lang):
    # Streamlit's "%,d" groups thousands with commas, as Python's "{:,d}" does.
    shown = i18n.AMOUNT_COLUMN_FORMATS[lang].replace("%,d", f"{148_000:,d}")
    assert shown == i18n.format_yuan(148_000, lang, compact=False)
