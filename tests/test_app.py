"""App-level tests: every page runs under AppTest with no exception and shows the right figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from casemap import i18n
from casemap.store import Store
from tests import reference
from tests.apptest import page_test

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'casemap.sqlite'}"
    store = Store(url)
    store.ensure()
    return url, store


@pytest.fixture
def app(database, monkeypatch):
    url, _ = database
    monkeypatch.setenv("CASEMAP_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(page=None, **params):
        if page:
            at = page_test(page)
        else:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return run


def metric_map(at):
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_runs_without_exception(app, page, lang):
    at = app(page, lang=lang)
    assert not at.exception, at.exception
    assert not at.error


def test_overview_kpis_equal_the_headline_figures(app, database):
    _, store = database
    data = store.load("demo")
    expected = reference.headline(data.suspects, data.payments)
    shown = metric_map(app(lang="en"))
    assert list(shown) == ["Arrested", "Suspects", "Provinces", "Cities", "Amount involved", "Payments traced"]
    # CASE.md's public figures, and the same functions as the command line.
    assert shown["Arrested"] == "62" == str(expected["arrested"])
    assert shown["Cities"] == "86"
    assert shown["Provinces"] == "18"
    assert shown["Suspects"] == f"{expected['suspects']:,}"
    assert shown["Payments traced"] == f"{expected['payments']:,}"


def test_overview_in_chinese(app):
    at = app(lang="zh")
    shown = metric_map(at)
    assert shown["已抓获"] == "62"
    assert shown["涉及城市"] == "86"
    assert shown["涉案金额"].endswith("万元")
    assert any("示例数据（演示）" in c.value and "示例案件" in c.help for c in at.caption)


def test_demo_case_is_marked_illustrative(app):
    at = app(lang="en")
    line = next(c for c in at.caption if "Showing:" in c.value)
    assert "Illustrative demo data" in line.value  # a badge on the one line above the page
    assert "No real person's data" in line.help  # the full note on hover
    assert not at.info  # no banner box of its own


def test_the_data_page_has_no_filter_line(app):
    at = app("data", lang="en", province="430000")
    assert not at.exception, at.exception
    assert not any("Showing:" in c.value for c in at.caption)
    assert any("Illustrative demo data" in c.value for c in at.caption)


def test_province_filter_from_the_url_narrows_the_figures(app, database):
    _, store = database
    data = store.load("demo")
    hunan = data.suspects[data.suspects["province_adcode"] == "430000"]
    shown = metric_map(app(lang="en", province="430000"))
    assert shown["Provinces"] == "1"
    assert shown["Suspects"] == str(len(hunan))


@pytest.mark.parametrize(
    "param, value",
    [("province", "999999"), ("from", "2024-13-45"), ("case", "no-such-case"), ("min_amount", "lots")],
)
def test_bad_url_parameters_are_named_and_ignored(app, param, value):
    at = app(lang="en", **{param: value})
    assert not at.exception
    # The box is Markdown with the link's values escaped: compare what a person reads.
    warnings = re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))
    assert f"{param}={value}" in warnings
    assert metric_map(at)["Arrested"] == "62"


def test_theme_from_the_url_colours_the_charts(app):
    from casemap import style

    at = app(lang="en", theme="screen")
    specs = " ".join(chart.proto.spec for chart in at.get("plotly_chart"))
    assert style.PALETTES["screen"].primary in specs
    assert style.PALETTES["light"].primary not in specs


# -- filters that leave nothing -------------------------------------------------------------------


@pytest.mark.parametrize("page", [p for p in PAGES if p != "data"])
def test_filters_that_leave_nothing_say_so_and_offer_a_reset(app, page):
    at = app(page, lang="en", **{"from": "2000-01-01", "to": "2000-01-31"})
    assert not at.exception, at.exception
    assert not at.metric  # no row of zero cards
    assert not at.get("plotly_chart")  # and no bare axes
    message = " ".join(i.value for i in at.info).replace("\\", "")  # shown as typed: escaped Markdown
    assert "No suspect and no payment matches these filters" in message and "2000-01-01" in message
    reset = next(b for b in at.button if b.key == "empty_reset")
    at = reset.click().run()
    assert not at.exception, at.exception
    assert "No suspect and no payment" not in " ".join(i.value for i in at.info)
    assert dict(at.query_params).get("from") in (None, [])


def test_the_data_page_is_drawn_whatever_the_filters(app):
    at = app("data", lang="zh", **{"from": "2000-01-01", "to": "2000-01-31"})
    assert not at.exception, at.exception
    assert not any("没有任何嫌疑人或资金流水" in i.value for i in at.info)
    assert at.get("file_uploader")


def test_an_empty_view_in_chinese(app):
    at = app("overview", lang="zh", role="organizer", status="at_large", channel="usdt", min_payment="999999999")
    assert not at.exception, at.exception
    message = " ".join(i.value for i in at.info).replace("\\", "")
    assert "没有任何嫌疑人或资金流水符合这些筛选条件" in message and "单笔流水不低于" in message


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_amount_inputs_show_whole_yuan(app, lang):
    at = app(lang=lang, min_amount="50000")
    inputs = at.sidebar.number_input
    assert len(inputs) == 4
    assert all(box.proto.format == "%.0f" for box in inputs)  # "50000", never "50000.00"
    assert inputs[0].value == 50000


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_suspects_amounts_read_as_in_the_detail_panel(app, lang):
    at = app("suspects", lang=lang)
    columns = json.loads(at.dataframe[0].proto.columns)
    amount = columns[i18n.t("tbl_amount", lang)]
    assert amount["type_config"]["format"] == i18n.AMOUNT_COLUMN_FORMATS[lang]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kpi_help_counts_read_like_the_kpis(lang):
    from pages import overview

    figures = {"arrested": 1_234, "suspects": 12_345, "provinces": 31, "cities": 300, "amount_yuan": 4.5e7,
               "payments": 23_456, "payments_yuan": 1.2e7}
    helps = {key: help_text for key, _, help_text in overview.kpi_cards(figures, lang)}
    assert "11,111" in helps["kpi_suspects"]
