"""Links reproduce the view; map clicks filter the page and the URL; filters survive page changes."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
from playwright.sync_api import expect
from shapely.geometry import Point, shape

from casemap import i18n
from tests.browser.plotly_geo import on_screen

ROOT = Path(__file__).resolve().parents[2]
ERRORS = '[data-testid="stException"]'


def summary(database_url: str, *args: str) -> dict:
    """The command line's headline figures: the same functions as the Overview."""
    out = subprocess.run(
        [sys.executable, "-m", "casemap", "summary", "--json", *args],
        cwd=ROOT, env={**os.environ, "CASEMAP_DATABASE_URL": database_url},
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def kpis(page) -> dict:
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values)}


def query(page) -> dict:
    return {key: values[0] for key, values in parse_qs(urlparse(page.url).query).items()}


def test_permalink_in_a_fresh_browser_shows_the_summary_figures(server, open_page, database_url):
    expected = summary(database_url, "--province", "430000")
    view = open_page()
    view.page.goto(f"{server}/?province=430000&lang=en")
    view.wait_for_app()
    shown = kpis(view.page)
    assert shown["Arrested"] == str(expected["arrested"])
    assert shown["Suspects"] == str(expected["suspects"])
    assert shown["Provinces"] == str(expected["provinces"]) == "1"
    assert shown["Cities"] == str(expected["cities"])
    assert shown["Payments traced"] == f"{expected['payments']:,}"
    assert query(view.page)["province"] == "430000"
    link = view.page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').inner_text()
    assert "province=430000" in link and "lang=en" in link
    assert "theme=light" in link and "embed_options=light_theme" in link  # the view as the sharer sees it
    view.screenshot("permalink-hunan")


def clear_point(province: str) -> tuple[float, float, float]:
    """A point well inside ``province``, as far as possible from every city bubble (lon, lat, clearance)."""
    features = json.loads((ROOT / "data" / "geo" / "provinces.geojson").read_text())["features"]
    area = shape(next(f for f in features if f["id"] == province)["geometry"]).buffer(-0.3)
    places = pd.read_csv(ROOT / "data" / "geo" / "places.csv", dtype=str)
    bubbles = [Point(float(r.label_lon), float(r.label_lat)) for r in places[places.level == "city"].itertuples()]
    west, south, east, north = area.bounds
    best = (0.0, 0.0, -1.0)
    for i in range(25):
        for j in range(25):
            point = Point(west + (east - west) * i / 24, south + (north - south) * j / 24)
            if area.contains(point):
                clearance = min(point.distance(b) for b in bubbles)
                if clearance > best[2]:
                    best = (point.x, point.y, clearance)
    return best


def test_clicking_a_province_filters_the_page_and_the_url(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/?lang=en")
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation")
    before = kpis(view.page)
    lon, lat, _ = clear_point("510000")  # Sichuan: large, shaded, with room between its bubbles
    chart = view.page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    x, y = on_screen(view.page, lon, lat)
    view.page.mouse.move(x, y)
    view.page.wait_for_timeout(300)
    assert "四川 Sichuan" in view.page.evaluate("() => document.querySelector('.hoverlayer').textContent")
    view.page.mouse.click(x, y)
    view.page.wait_for_url("**province=510000**", timeout=30_000)
    view.wait_for_app()
    assert "city" not in query(view.page)
    after = kpis(view.page)
    assert after["Provinces"] == "1"
    assert int(after["Suspects"]) < int(before["Suspects"].replace(",", ""))
    assert "四川 Sichuan" in view.page.locator("h3").all_inner_texts()  # the map drilled down to its cities
    assert view.page.locator(ERRORS).count() == 0
    view.screenshot("click-sichuan-drilldown")


def test_moving_to_another_page_keeps_the_filter(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/?province=430000&role=number_vendor&lang=en")
    view.wait_for_app()
    view.page.locator('[data-testid="stSidebarNav"] a', has_text="Suspects").click()
    view.page.wait_for_url("**/suspects**")
    view.wait_for_app()
    params = query(view.page)
    assert params.get("province") == "430000"
    assert params.get("role") == "number_vendor"
    assert "湖南 Hunan" in view.page.locator(".st-key-filter-summary").inner_text()
    view.page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").click()
    view.wait_for_app()
    assert kpis(view.page)["Provinces"] == "1"


def test_garbage_parameters_show_a_notice_and_no_exception(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/?province=999999&from=2024-99-01&min_amount=%3Cscript%3E&lang=en")
    view.wait_for_app()
    warnings = " ".join(view.page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts())
    assert "province=999999" in warnings
    assert "from=2024-99-01" in warnings
    assert "min_amount=<script>" in warnings
    assert view.page.locator(ERRORS).count() == 0
    assert kpis(view.page)["Arrested"] == "62"
    view.screenshot("garbage-params")
    # The notices are about the link; once the person changes a filter they go.
    view.page.locator('[data-testid="stSidebar"] button', has_text="Mobile port").first.click()
    view.page.wait_for_url("**role=mobile_port**")
    view.wait_for_app()
    assert view.page.locator('[data-testid="stAlertContentWarning"]').count() == 0


def chosen(page, key: str) -> str:
    """The label of the chosen option of the segmented control with widget key ``key``."""
    return page.locator(f'.st-key-{key} button[aria-checked="true"]').inner_text().strip()


def test_a_link_with_page_settings_opens_the_page_as_shared(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/map?metric=suspects&all_cities=on&province=430000&lang=en")
    view.wait_for_app()
    assert chosen(view.page, "map_metric") == "Suspects"
    assert view.page.locator('.st-key-map_all_cities input[type="checkbox"]').is_checked()
    assert any("Suspects" in heading for heading in view.page.locator("h3").all_inner_texts())  # the ranking's
    params = query(view.page)
    assert (params["metric"], params["all_cities"], params["province"]) == ("suspects", "on", "430000")
    assert view.page.locator(ERRORS).count() == 0
    view.screenshot("permalink-map-settings")

    view.page.goto(f"{server}/flows?view=map&lang=zh")
    view.wait_for_app()
    assert chosen(view.page, "flows_view") == i18n.t("flows_tab_map", "zh")
    assert view.page.locator(".st-key-flows_map").count() == 1
    view.screenshot("permalink-flows-map-zh")

    view.page.goto(f"{server}/suspects?search=S006&suspect=S006&lang=en")
    view.wait_for_app()
    expect(view.page.locator(".st-key-suspects_query input")).to_have_value("S006")
    assert "Details" in view.page.locator("h3").all_inner_texts()  # the chosen suspect's record
    view.screenshot("permalink-suspect")


def test_changing_a_page_setting_updates_the_url_and_the_link(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/timeline?province=430000&lang=en")
    view.wait_for_app()
    assert "period" not in query(view.page)  # the default stays out of the link
    view.page.locator(".st-key-timeline_freq button", has_text="Week").click()
    view.page.wait_for_url("**period=W**")
    view.wait_for_app()
    assert query(view.page)["province"] == "430000"
    link = view.page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').inner_text()
    assert "period=W" in link and "province=430000" in link
    # another page keeps the filters and starts from its own settings
    view.page.locator('[data-testid="stSidebarNav"] a', has_text="Map").click()
    view.page.wait_for_url("**/map**")
    view.wait_for_app()
    params = query(view.page)
    assert params["province"] == "430000" and "period" not in params
    assert chosen(view.page, "map_metric") == "Arrested"


def test_a_bad_page_setting_in_a_link_is_named(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/map?metric=bogus&lang=zh")
    view.wait_for_app()
    warnings = " ".join(view.page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts())
    assert "metric=bogus" in warnings and "不是可识别的取值" in warnings
    assert chosen(view.page, "map_metric") == "抓获人数"
    assert "metric" not in query(view.page)
