"""Hostile links and files (issue 14): markup from a URL, a file or the database shows as typed,
a link with thousands of bad values gets a short notice, repeated URL keys merge, the deployment
settings keep server details from visitors, and an upload's memory is bounded and freed.

The browser half (the hostile links and the hostile case on every page, the Host allow-list
against a running server) is tests/browser/test_hostile.py.
"""

from __future__ import annotations

import gc
import re
import string
import tomllib
import weakref
from pathlib import Path

import pytest
import streamlit as st

from casemap import charts, exporter, flows, maps, network, timeline
from casemap.filters import FilterState
from casemap.store import Store
from casemap.ui import shell
from tests import hostile_case
from tests.apptest import page_test

ROOT = Path(__file__).resolve().parent.parent
GEOJSON = "/app/static/geo/provinces.json"  # builders only name the layer's URL
UNESCAPED_PUNCTUATION = re.compile(r"(?<!\\)(?:\\\\)*[" + re.escape(string.punctuation.replace("\\", "")) + "]")
# The links: a back-tick ends the old code span, then Markdown draws a link or fetches an image.
HOSTILE_LANGS = [
    "zz` [Session expired: sign in again](https://evil.invalid/login) `",
    "zz` ![a](http://127.0.0.1:9/track.png) `",
]


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'casemap.sqlite'}"
    monkeypatch.setenv("CASEMAP_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    store = Store(url)
    store.ensure()
    return store


def run_page(name="overview", **params):
    at = page_test(name)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def unescaped(markdown: str) -> str:
    """What a person reads of escaped Markdown text."""
    return re.sub(r"\\(.)", r"\1", markdown)


# -- Markdown: values from a link, a file or the database ------------------------------------------


@pytest.mark.parametrize("text", [
    *HOSTILE_LANGS,
    "<img src=x onerror=alert(1)> **bold** _it_ ~~s~~ $x^2$ :red[RED] :material/home: # head",
    "mailto:someone@evil.invalid www.evil.invalid/login https://evil.invalid/?a=1;b=2",
    "line one\nline two\r- a list\u2028# heading\tcell",
    "| a | b |\n|---|---|\n| c | d |",
])
def test_escaped_markdown_has_no_active_character_left(text):
    escaped = exporter.markdown_escape(text)
    assert not UNESCAPED_PUNCTUATION.search(escaped), escaped  # every mark is a literal
    assert not any(ch in escaped for ch in "\n\r\t\u2028")  # one line: no new block can start
    assert unescaped(escaped) == re.sub(r"[\n\r\t\u2028]", " ", text)  # and it still reads as typed


def test_bidirectional_controls_cannot_reorder_an_escaped_value():
    escaped = exporter.markdown_escape("invoice\u202efdp.exe and \u2066x\u2069")
    assert not any(ch in escaped for ch in "\u202e\u2066\u2069")


def test_escaped_markdown_is_cut_to_its_limit():
    escaped = exporter.markdown_escape("a" * 10_000, limit=40)
    assert len(unescaped(escaped)) == 40 and escaped.endswith("…")


@pytest.mark.parametrize("lang_value", HOSTILE_LANGS)
def test_a_hostile_link_is_quoted_back_as_plain_text(database, lang_value):
    at = run_page(lang=lang_value)
    notices = [w.value for w in at.warning]
    assert len(notices) == 1
    quoted = notices[0].split("“", 1)[1].rsplit("”", 1)[0]
    assert quoted.startswith("lang=")
    value = quoted.removeprefix("lang=")
    assert not UNESCAPED_PUNCTUATION.search(value)  # every mark of the value is a literal
    assert lang_value.startswith(unescaped(value).removesuffix("…"))  # and reads as the link had it


def test_a_link_with_thousands_of_bad_values_gets_a_short_notice(database):
    bad = ",".join(f"{n:06d}" for n in range(100_000, 105_000))
    at = run_page(province=bad, city="x" * 20_000)
    notice = at.warning[0].value
    lines = notice.splitlines()
    assert len(lines) == shell.NOTICES_SHOWN + 1
    assert "4,996" in lines[-1]  # 5,000 places and a city are bad, and the first few are shown
    assert len(notice) < 2_000
    assert at.metric[0].value == "62"  # the figures are the whole demo case's


def test_a_bad_value_repeated_is_told_once(database):
    at = run_page(province="999999,999999", city=["999999", "999999"])
    lines = at.warning[0].value.splitlines()
    assert len(lines) == 2 and "province" in lines[0] and "city" in lines[1]


# -- repeated URL keys -----------------------------------------------------------------------------


def test_repeated_url_keys_merge(database):
    at = run_page(province=["430000", "440000"], role=["payer", "number_vendor,payer"])
    state = at.session_state[shell.STATE_KEY]
    assert state.provinces == ("430000", "440000")
    assert state.roles == ("number_vendor", "payer")
    assert at.metric[2].value == "2"  # Provinces
    assert not at.warning


def test_repeated_url_keys_are_written_back_as_one_key(database):
    at = run_page(province=["430000", "440000"])
    assert at.query_params["province"] in ("430000,440000", ["430000,440000"])


# -- Plotly rich text ------------------------------------------------------------------------------


# Keys plotly.js never draws: they name points for selection and animation (a click hands them back).
NOT_DRAWN = {"ids", "locations"}


def figure_strings(fig) -> list[str]:
    """Every string a figure's JSON could draw: data, layout, frames."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_DRAWN:
                    walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif hasattr(value, "tolist"):
            walk(value.tolist())

    walk(fig.to_plotly_json())
    return found


def every_figure(query, places, lang):
    """Every chart builder of the pages, fed the hostile case through the query layer."""
    provinces, cities = query.by_province(), query.by_city()
    units = sorted(places.loc[places["level"] == "province", "adcode"].unique())
    freq = query.natural_freq()
    found = query.graph()
    names = network.place_names(found.graph, places, lang)
    suspect = next(n for n, d in found.graph.nodes(data=True) if d["kind"] == "suspect")
    return {
        "top provinces": charts.build_top_places_bar(provinces, "suspects", places, lang=lang),
        "top cities": charts.build_top_places_bar(cities, "suspects", places, lang=lang, level="city"),
        "arrests sparkline": charts.build_arrests_sparkline(query.arrests_over_time(freq), freq=freq, lang=lang),
        "place map": maps.build_place_map(provinces, "suspects", places, units=units, geojson_url=GEOJSON, lang=lang,
                                          bubbles=cities, national=True),
        "sankey": flows.build_sankey(query.province_flows(), places, lang=lang),
        "flow map": flows.build_flow_map(query.province_flows(), places, units=units, geojson_url=GEOJSON, lang=lang),
        "channels": flows.build_totals_bar(query.by_channel(), "channel", lang=lang),
        "purposes": flows.build_totals_bar(query.by_purpose(), "purpose", lang=lang),
        "timeline": timeline.build_timeline(query.activity("MS"), query.milestones(), freq="MS", lang=lang),
        "playback": timeline.build_playback_map(query.spread(), places, units=units, geojson_url=GEOJSON, lang=lang),
        "network": network.build_network(found.graph, names, lang=lang, labelled=100, ranks=found.ranks,
                                         highlight=suspect),
    }


# Builders that draw only numbers, dates and vocabulary labels: no free text reaches them.
NO_FREE_TEXT = {"arrests sparkline", "channels"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_builder_lets_markup_from_the_data_through(seeded_store, lang):
    seeded_store.put(hostile_case.NAME, hostile_case.case())
    query = seeded_store.query(FilterState(case=hostile_case.NAME))
    figures = every_figure(query, hostile_case.places(), lang)
    for name, fig in figures.items():
        strings = figure_strings(fig)
        tags = [(tag, s) for s in strings for tag in hostile_case.TAGS if tag in s]
        assert not tags, f"{name}: {tags[:3]}"
        if name not in NO_FREE_TEXT:  # the hostile text did reach the figure, as text
            assert any("&lt;" in s for s in strings), name


def test_a_long_name_is_cut_in_a_figure():
    import pandas as pd

    totals = pd.DataFrame({"amount_yuan": [10.0], "payments": [1]}, index=pd.Index(["x" * 5_000], name="purpose"))
    fig = flows.build_totals_bar(totals, "purpose", lang="en")
    assert max(len(label) for label in fig.data[0].y) <= charts.PLAIN_TEXT_LIMIT


def test_line_breaks_in_free_text_do_not_break_a_figure_label():
    assert "\n" not in charts.plain_text("a\nb\r\nc") and "<br>" not in charts.plain_text("a\nb")


# -- deployment settings ---------------------------------------------------------------------------


def app_config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_visitors_get_no_error_details():
    from streamlit.config import ShowErrorDetailsConfigOptions

    assert app_config()["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE.value


def test_only_local_host_names_are_allowed_out_of_the_box():
    hosts = app_config()["server"]["allowedHosts"]
    assert hosts and "*" not in hosts
    assert all(host in ("localhost", "127.0.0.1", "::1") for host in hosts)


def test_the_deploy_docs_say_how_to_set_hosts_framing_and_errors():
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for needle in ("server.allowedHosts", "STREAMLIT_SERVER_ALLOWED_HOSTS", "frame-ancestors", "showErrorDetails"):
        assert needle in text, needle
