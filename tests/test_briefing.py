"""The briefing's slide model: headline sentences from small hand-made frames, and the six slides of a case."""

from __future__ import annotations

import pandas as pd
import pytest

from casemap import briefing, style
from casemap.filters import FilterState
from casemap.page_settings import read, to_query
from tests import tiny_case

NAMES = {"430000": "Hunan", "440000": "Guangdong", "110000": "Beijing"}


def months(rows) -> pd.DataFrame:
    """Arrests per month as :meth:`CaseQuery.arrests_over_time` gives them, from (month, arrests) pairs."""
    frame = pd.DataFrame(rows, columns=["period", "arrested"])
    frame["period"] = pd.to_datetime(frame["period"])
    frame["cumulative"] = frame["arrested"].cumsum()
    return frame


def test_headline_sentence_counts_and_plural():
    figures = {"suspects": 9, "arrested": 7, "cities": 3, "provinces": 1, "amount_yuan": 1_234_567.0}
    assert briefing.headline_sentence(figures, "en") == (
        "7 suspects arrested across 3 cities in 1 province; ¥1.23M involved.")
    assert briefing.headline_sentence(figures, "zh") == "共抓获7名嫌疑人，涉及1个省份3个城市，涉案金额123.5万元。"
    assert briefing.headline_sentence({**figures, "suspects": 0}, "en") == "No suspect under the current filters."


def test_origins_sentence_tells_leads_task_force_and_the_first_month():
    milestones = pd.DataFrame({"date": pd.to_datetime(["2023-08-08", "2023-08-15"]), "key": ["leads", "task_force"]})
    arrests = months([("2023-09-01", 0), ("2023-10-01", 5), ("2023-11-01", 0), ("2024-08-01", 57)])
    assert briefing.origins_sentence(milestones, arrests, "en") == (
        "Acting on two-card leads received on 2023-08-08, the Linwu task force formed on 2023-08-15 "
        "and made the first 5 arrests in October 2023.")
    assert briefing.origins_sentence(milestones, arrests, "zh") == (
        "2023年8月8日收到“两卡”线索，临武县公安局于2023年8月15日成立专案组，2023年10月抓获首批5人。")
    # A case without those milestones tells the arrests alone: 5 first, 62 in all.
    assert briefing.origins_sentence(milestones.iloc[:0], arrests, "en") == (
        "The first 5 arrests came in October 2023; 62 suspects have been arrested since.")
    assert briefing.origins_sentence(milestones, months([("2023-09-01", 0)]), "en") == (
        "No arrest under the current filters yet.")


def test_spread_sentence_names_where_arrests_began_how_far_they_reached_and_the_peak():
    # Arrests so far per month and province: Hunan first (Oct), Guangdong and Beijing by Aug 2024.
    spread = pd.DataFrame({
        "month": pd.to_datetime(["2023-10-01", "2023-10-01", "2024-08-01", "2024-08-01", "2024-08-01"]),
        "province_adcode": ["430000", "440000", "430000", "440000", "110000"],
        "arrested": [2, 0, 4, 3, 1],
    })
    arrests = months([("2023-10-01", 2), ("2024-08-01", 6)])
    assert briefing.spread_sentence(spread, arrests, NAMES.get, "en") == (
        "Arrests began in Hunan in October 2023 and reached 3 provinces by August 2024; 6 of 8 came in August 2024.")
    two_first = spread.assign(arrested=[2, 1, 4, 3, 1])
    assert "began in Hunan and Guangdong in" in briefing.spread_sentence(two_first, arrests, NAMES.get, "en")
    assert "湖南、广东" in briefing.spread_sentence(two_first, arrests, {"430000": "湖南", "440000": "广东"}.get, "zh")
    assert briefing.spread_sentence(spread.assign(arrested=0), months([("2023-10-01", 0)]), NAMES.get, "en") == (
        "No arrest to replay under the current filters.")


def test_money_and_network_sentences():
    assert briefing.money_sentence(1_603_710.0, 18, 1_206_100.0, "en") == (
        "¥1.60M in rental fees went over Alipay to vendors in 18 provinces; overseas groups settled ¥1.21M in USDT.")
    assert briefing.money_sentence(0.0, 0, 0.0, "zh") == "当前筛选条件下没有资金流水。"
    assert briefing.network_sentence("夏某", 1, 500.0, "en") == (
        "夏某 is at the centre of the network: 1 counterpart and ¥500 moved.")
    assert briefing.network_sentence(None, 0, 0.0, "en") == "No payment network under the current filters."


def test_at_large_sentence_picks_the_province_with_most_and_the_lower_code_on_a_tie():
    provinces = pd.DataFrame({"at_large": [2, 2, 0], "under_investigation": [1, 0, 4]},
                             index=pd.Index(["440000", "110000", "430000"]))
    assert briefing.at_large_sentence(provinces, NAMES.get, "en") == (
        "4 suspects still at large in 2 provinces, the most in Beijing (2); 5 more are under investigation.")
    assert briefing.at_large_sentence(provinces.assign(at_large=0), NAMES.get, "zh") == "当前筛选条件下没有在逃人员；5人在查。"


def test_narrowed_keeps_only_values_a_filter_allows():
    from casemap.query import CaseQuery

    data = CaseQuery.of(lambda *a: None, FilterState(case="demo", channels=("alipay", "bank")), 1)
    assert briefing.narrowed(data, channels=("alipay",)).key.state.channels == ("alipay",)
    assert briefing.narrowed(data, channels=("usdt",)) is None
    everything = CaseQuery.of(lambda *a: None, FilterState(case="demo"), 1)
    assert briefing.narrowed(everything, statuses=("at_large",)).key.state.statuses == ("at_large",)


@pytest.mark.parametrize("seeded_store", ["sqlite"], indirect=True)
def test_the_six_slides_of_the_tiny_case(seeded_store):
    data = seeded_store.query(FilterState(case="tiny"))
    slides = briefing.build_slides(data, tiny_case.PLACES, "en", "light", height=500)
    assert [s.key for s in slides] == list(briefing.SLIDE_KEYS)
    by_key = {s.key: s for s in slides}
    # Worked out from tests/tiny_case.py by hand: P1, P2 and V3 arrested; cities Chenzhou and Beijing.
    assert by_key["headline"].headline == "3 suspects arrested across 4 cities in 3 provinces; ¥150.0K involved."
    # Alipay: P1 pays V1 (Hunan) and V2 (Guangdong), V1 pays P1 (Hunan): ¥3,100 to payees in 2 provinces.
    assert by_key["money"].headline.startswith("¥3.1K in rental fees went over Alipay to vendors in 2 provinces")
    assert by_key["money"].headline.endswith("overseas groups settled ¥50.0K in USDT.")
    assert by_key["at_large"].headline.startswith("1 suspect still at large in 1 province, the most in 湖南 Hunan (1)")
    for slide in slides:
        assert slide.title and slide.headline and len(slide.kpis) <= 3
        assert all(fig.layout.height == 500 for fig in slide.figures)


def test_slide_and_auto_are_page_settings_of_the_briefing():
    values, notices = read("brief", {"slide": "4", "auto": "20"})
    assert values == {"brief_slide": "4", "brief_auto": "20", "brief_snapshot": None} and not notices
    assert to_query("brief", values) == {"slide": "4", "auto": "20"}
    values, notices = read("brief", {"slide": "9", "auto": "fast"})
    assert values == {"brief_slide": "1", "brief_auto": None, "brief_snapshot": None}
    assert {n.param for n in notices} == {"slide", "auto"}


@pytest.mark.parametrize("link, page, expected", [
    (None, "dark", "screen"), (None, "light", "light"), ("screen", "light", "light"), ("light", "dark", "screen"),
    ("screen", None, "screen"), (None, None, "light"),
])
def test_figures_take_the_pages_own_theme_and_the_link_only_while_it_is_unknown(link, page, expected):
    assert style.active_theme(link, page) == expected


def test_the_briefing_css_survives_the_html_sanitizer():
    from casemap.ui import layout

    assert "<" not in layout.BRIEF_CSS.read_text(encoding="utf-8")  # see tests/test_layout.py


def test_the_briefing_page_shows_the_linked_slide_and_the_arrow_moves_the_link(tmp_path, monkeypatch):
    import streamlit as st

    from tests.apptest import page_test

    monkeypatch.setenv("CASEMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'casemap.sqlite'}")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = page_test("brief")
    at.query_params.update({"lang": "en", "slide": "4"})
    at.run()
    assert not at.exception, at.exception
    page = " ".join(m.value for m in at.markdown)
    assert "4 / 6 · The money trail" in page and "went over Alipay to vendors in 18 provinces" in page
    assert not at.sidebar.children or not any(w for w in at.sidebar.selectbox)  # no filter widgets
    at.button(key="brief_next").click().run()
    assert dict(at.query_params)["slide"] in ("5", ["5"])
    assert "5 / 6 · Key persons" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("seeded_store", ["sqlite"], indirect=True)
def test_the_network_slide_draws_only_the_people_a_payment_links(seeded_store):
    data = seeded_store.query(FilterState(case="demo"))
    graph = data.graph().graph
    linked = sum(1 for node in graph if graph.degree(node) > 0)
    assert linked < graph.number_of_nodes()  # the demo has renters no payment links
    slide = briefing.build_slide("network", data, tiny_case.PLACES, "en", "light")
    drawn = sum(len(trace.x) for trace in slide.figures[0].data if trace.mode == "markers+text")
    assert drawn == linked
    assert slide.kpis[0].value == str(data.graph().suspects)  # the count still names everyone
