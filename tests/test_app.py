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
from casemap.ui.shell import UNFILTERED_PAGES
from tests import reference
from tests.apptest import page_test

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.stem for p in (ROOT / "app_pages").glob("*.py"))


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
    assert list(shown) == ["Arrested", "Suspects", "Provinces", "Cities", "Amount involved", "Payments traced",
                           "Accounts rented"]
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


@pytest.mark.parametrize("page", [p for p in PAGES if p not in UNFILTERED_PAGES])
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


def test_a_purpose_from_the_url_sets_its_sidebar_choice_and_narrows_the_payments(app, database):
    _, store = database
    payments = store.load("demo").payments
    rental = payments[payments["purpose"] == "wechat_rental"]
    at = app(lang="en", purpose="微信账号租用费")  # a spelling an analyst writes
    assert not at.exception
    assert at.session_state["f_purposes"] == ["wechat_rental"]
    assert dict(at.query_params)["purpose"] in ("wechat_rental", ["wechat_rental"])
    summary = " ".join(c.value for c in at.caption)
    assert "WeChat-account rental" in summary and f"{len(rental):,} payments" in summary


# -- each page's own settings in the URL ------------------------------------------------------------


def widget(at, kind: str, key: str):
    return getattr(at, kind)(key=key)


@pytest.mark.parametrize("page, param, text, kind, key, expected", [
    ("overview", "metric", "amount_yuan", "segmented_control", "overview_metric", "amount_yuan"),
    ("map", "metric", "suspects", "segmented_control", "map_metric", "suspects"),
    ("map", "all_cities", "on", "toggle", "map_all_cities", True),
    ("map", "bubbles", "off", "toggle", "map_bubbles", False),
    ("timeline", "period", "W", "segmented_control", "timeline_freq", "W"),
    ("timeline", "month", "2024-03", "selectbox", "timeline_month", "2024-03"),
    ("flows", "view", "map", "segmented_control", "flows_view", "map"),
    ("network", "person", "S006", "selectbox", "network_person", "S006"),
    ("suspects", "search", "湖南", "text_input", "suspects_query", "湖南"),
])
def test_a_page_setting_in_the_url_sets_its_widget_and_stays_in_the_url(app, page, param, text, kind, key,
                                                                       expected):
    at = app(page, lang="en", **{param: text})
    assert not at.exception, at.exception
    assert not at.warning  # no notice, and no Streamlit warning about a widget set twice
    assert widget(at, kind, key).value == expected
    assert at.query_params[param] == text


def test_the_playback_opens_at_the_month_of_the_link(app):
    at = app("timeline", lang="en", month="2024-03")
    (playback,) = [c for c in at.get("plotly_chart") if c.key == "timeline_playback"]
    slider = json.loads(playback.proto.spec)["layout"]["sliders"][0]
    assert slider["steps"][slider["active"]]["label"] == "2024-03"


def test_the_flows_view_from_the_url_draws_that_chart(app):
    at = app("flows", lang="en", view="map")
    keys = {chart.key for chart in at.get("plotly_chart")}
    assert "flows_map" in keys and "flows_sankey" not in keys


def test_changing_a_page_setting_writes_the_url_and_keeps_the_filters(app):
    at = app("map", lang="en", province="430000", metric="suspects")
    at = widget(at, "segmented_control", "map_metric").set_value("amount_yuan").run()
    assert not at.exception, at.exception
    assert at.query_params["metric"] == "amount_yuan"
    assert at.query_params["province"] == "430000"
    assert metric_map(at) == {} and "湖南" in " ".join(h.value for h in at.subheader)  # still drilled into Hunan
    at = widget(at, "segmented_control", "map_metric").set_value("arrested").run()
    assert "metric" not in at.query_params  # the default stays out of the link


def test_a_filter_click_keeps_the_page_settings(app):
    at = app("map", lang="en", metric="suspects")
    at = next(b for b in at.sidebar.button if "Reset" in b.label).click().run()
    assert at.query_params["metric"] == "suspects"
    assert widget(at, "segmented_control", "map_metric").value == "suspects"


@pytest.mark.parametrize("lang, reason", [("en", "not a known value"), ("zh", "不是可识别的取值")])
def test_a_bad_page_setting_is_named_and_the_page_uses_its_default(app, lang, reason):
    at = app("map", lang=lang, metric="bogus", all_cities="on")
    assert not at.exception, at.exception
    warnings = re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))
    assert "metric=bogus" in warnings and reason in warnings
    assert widget(at, "segmented_control", "map_metric").value == "arrested"
    assert widget(at, "toggle", "map_all_cities").value is True  # the good setting beside it holds
    assert "metric" not in at.query_params and at.query_params["all_cities"] == "on"


def test_the_link_to_this_view_carries_the_page_settings(app):
    at = app("timeline", lang="en", period="W", province="430000")
    link = next(c.value for c in at.sidebar.code)
    assert "period=W" in link and "province=430000" in link


def test_the_suspect_in_the_url_shows_its_record(app, database):
    _, store = database
    suspects = store.load("demo").suspects
    chosen = suspects.iloc[-1]  # the last, not on the first page of the table
    at = app("suspects", lang="en", suspect=chosen["suspect_id"])
    assert not at.exception, at.exception
    assert "Details" in [h.value for h in at.subheader]
    record = at.dataframe[-1].value.astype(str).to_string()
    assert chosen["suspect_id"] in record and chosen["name"] in record
    assert at.query_params["suspect"] == chosen["suspect_id"]


def _map_figure(at) -> dict:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


def _bubbles(figure: dict) -> list[dict]:
    return [t for t in figure["data"] if t["type"] == "scattergeo" and t.get("ids") and t["marker"].get("symbol") != "star"]


def test_the_map_bubbles_switch_takes_the_bubbles_and_their_key_off(app):
    at = app("map", lang="en")
    assert _bubbles(_map_figure(at)) and _map_figure(at)["layout"].get("shapes")  # on by default, with the size key
    at.toggle(key="map_bubbles").set_value(False).run()
    assert not at.exception, at.exception
    figure = _map_figure(at)
    assert not _bubbles(figure)
    assert not figure["layout"].get("shapes")
    assert [t for t in figure["data"] if t["type"] == "choropleth"]  # the provinces are still drawn


# -- the person view ------------------------------------------------------------------------------


def _params(at) -> dict:
    return {key: at.query_params[key][-1] if isinstance(at.query_params[key], list) else at.query_params[key]
            for key in at.query_params}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_person_view_lists_whom_xia_paid(app, database, lang):
    _, store = database
    data = store.load("demo")
    expected = reference.counterparts("S006", data.payments, data.suspects)
    at = app("person", lang=lang, person="S006")
    assert not at.exception, at.exception
    assert "夏某" in at.title[0].value and "S006" in at.title[0].value
    id_column, amount_column = ("ID", "Amount (yuan)") if lang == "en" else ("编号", "金额（元）")
    table = next(d.value for d in at.dataframe if amount_column in d.value.columns)
    assert list(table[id_column]) == list(expected["counterpart_id"])
    assert list(table[amount_column]) == pytest.approx(list(expected["amount_yuan"]))
    assert len(at.get("plotly_chart")) == 2  # the map and the timeline


@pytest.mark.parametrize(("lang", "words"), [("en", "No suspect “S999”"), ("zh", "没有嫌疑人“S999”")])
def test_an_unknown_person_is_named_and_a_choice_offered(app, lang, words):
    at = app("person", lang=lang, person="S999")
    assert not at.exception, at.exception
    assert words in " ".join(w.value for w in at.warning).replace("\\", "")
    assert any(s.key == "person_choice" for s in at.selectbox)


def test_choosing_a_person_puts_them_in_the_url(app):
    at = app("person", lang="en", province="430000")
    choice = next(s for s in at.selectbox if s.key == "person_choice")
    at = choice.set_value("S006").run()
    assert not at.exception, at.exception
    assert _params(at)["person"] == "S006" and _params(at)["province"] == "430000"
    assert "夏某" in at.title[0].value


def test_the_person_param_is_no_filter_and_stays_in_the_url(app):
    at = app("person", lang="en", person="S006", province="430000", city="bad")
    assert _params(at)["person"] == "S006"
    notice = " ".join(w.value for w in at.warning)
    assert "city" in notice
    at = next(s for s in at.selectbox if s.key == "f_case").set_value("demo").run()  # any rerun
    assert _params(at)["person"] == "S006" and _params(at)["province"] == "430000"
    assert "city" in " ".join(w.value for w in at.warning)  # the link's notice is still told: no re-read


def test_filter_the_whole_app_to_the_network_and_back(app, database):
    _, store = database
    data = store.load("demo")
    from casemap.filters import FilterState

    shown = reference.apply(FilterState(network="S006"), data.suspects, data.payments)
    at = app("person", lang="en", person="S006")
    at = next(b for b in at.button if b.key == "person_network").click().run()
    assert not at.exception, at.exception
    assert _params(at)["network"] == "S006" and _params(at)["person"] == "S006"
    line = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "network of S006" in line
    assert f"{len(shown.suspects)} suspects, {len(shown.payments)} payments" in line
    at = next(b for b in at.button if b.key == "chip_network").click().run()
    assert "network" not in _params(at)
    assert "network of" not in " ".join(c.value for c in at.caption).replace("\\", "")


def test_a_network_id_from_the_link_shows_as_typed(app):
    at = app(lang="en", network="[x](http://example.com)")
    assert not at.exception, at.exception
    line = next(c.value for c in at.caption if "Showing:" in c.value)
    assert "network of \\[x\\]\\(http" in line  # escaped Markdown: never a link
    assert "Showing: all" not in line


def _links(at, header: str = "Person view") -> list[str]:
    return [link for d in at.dataframe if header in d.value.columns for link in d.value[header] if link]


@pytest.mark.parametrize("page", ["suspects", "flows"])
def test_tables_link_each_suspect_to_their_person_view_with_the_filters(app, page):
    from urllib.parse import parse_qs, urlparse

    at = app(page, lang="en", province="430000", role="payer")
    assert not at.exception, at.exception
    links = _links(at)
    assert links
    for link in links:
        url = urlparse(link)
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        assert url.path == "person" and params["person"]
        assert (params["province"], params["role"], params["lang"]) == ("430000", "payer", "en")


def test_the_network_links_the_chosen_person_to_their_view(app):
    at = app("network", lang="en", province="430000")
    at = next(s for s in at.selectbox if s.key == "network_person").set_value("S006").run()
    assert not at.exception, at.exception
    links = [m.value for m in at.markdown if "person?" in m.value]
    assert links and "person=S006" in links[0] and "province=430000" in links[0]
    assert "Open the person view of 夏某" in links[0]


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
    from app_pages import overview

    figures = {"arrested": 1_234, "suspects": 12_345, "provinces": 31, "cities": 300, "amount_yuan": 4.5e7,
               "payments": 23_456, "payments_yuan": 1.2e7}
    helps = {key: help_text for key, _, help_text in overview.kpi_cards(figures, lang)}
    assert "11,111" in helps["kpi_suspects"]


@pytest.mark.parametrize("page, param, kind, key", [("network", "person", "selectbox", "network_person"),
                                                   ("suspects", "suspect", None, "suspects_selected"),
                                                   ("timeline", "month", "selectbox", "timeline_month")])
def test_a_person_or_month_the_case_does_not_have_is_named_and_dropped(app, page, param, kind, key):
    at = app(page, lang="en", **{param: "NOPE"})
    assert not at.exception, at.exception
    warnings = re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))
    assert f"{param}=NOPE" in warnings
    assert (widget(at, kind, key).value if kind else at.session_state[key]) is None
    assert param not in at.query_params
