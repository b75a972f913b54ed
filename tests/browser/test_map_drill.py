"""The map drills into the province clicked anywhere on its area, city bubbles or not, and zooms to it; back is above the map."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from casemap import i18n
from geo import layers
from tests.browser.plotly_geo import on_screen

ROOT = Path(__file__).resolve().parents[2]
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
HUNAN, CHANGDE = "430000", "430700"
HUNAN_CITIES = 14  # prefecture-level units


def label_point(adcode: str) -> tuple[float, float]:
    """Where the map puts a city's bubble: its label point in the shipped place table."""
    places = pd.read_csv(ROOT / "data" / "geo" / "places.csv", dtype=str)
    row = places[(places.adcode == adcode) & (places.level == "city")].iloc[0]
    return float(row.label_lon), float(row.label_lat)


def hunan_share_of_the_map(page) -> float:
    """How much of the main map's frame Hunan's bounding box spans: the larger of its width and height shares."""
    west, south, east, north = layers.read_layer("provinces").set_index("adcode").loc[[HUNAN]].total_bounds
    return page.evaluate(
        """([west, south, east, north]) => {
            const geo = document.querySelector('.js-plotly-plot')._fullLayout.geo._subplot;
            const [x0, y0] = geo.projection([west, north]), [x1, y1] = geo.projection([east, south]);
            return Math.max((x1 - x0) / geo.xaxis._length, (y1 - y0) / geo.yaxis._length);
        }""",
        [float(west), float(south), float(east), float(north)],
    )


def query(page) -> dict:
    return {key: values[0] for key, values in parse_qs(urlparse(page.url).query).items()}


def test_a_click_on_hunan_under_a_city_bubble_drills_into_hunan(server, open_page):
    view = open_page(width=1366, height=768)
    view.page.goto(f"{server}/map?lang=en")
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    before = hunan_share_of_the_map(view.page)
    view.page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    view.page.wait_for_timeout(500)
    x, y = on_screen(view.page, *label_point(CHANGDE))
    view.page.mouse.move(x, y)
    view.page.wait_for_timeout(300)
    # Changde's bubble lies on top of Hunan there: the click lands on the bubble, not on the area.
    assert "常德 Changde" in view.page.evaluate("() => document.querySelector('.hoverlayer').textContent")
    view.page.mouse.click(x, y)
    view.page.wait_for_url(f"**province={HUNAN}**", timeout=30_000)
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    view.page.wait_for_timeout(1000)
    assert "city" not in query(view.page)  # the whole province, not the city whose bubble was clicked
    assert "Cities of 湖南 Hunan" in view.page.locator("h3").all_inner_texts()
    assert view.page.locator(".geo path.choroplethlocation").count() >= HUNAN_CITIES
    # Zoomed to Hunan: it spans the map's frame, where it was a small part of China before.
    assert before < 0.25
    assert hunan_share_of_the_map(view.page) > 0.85
    assert view.page.locator(ERRORS).count() == 0
    view.screenshot("map-click-hunan-under-a-bubble", whole=False)


@pytest.mark.parametrize(
    "width, height, lang, scheme",
    [pytest.param(1366, 768, "en", "light", id="laptop-en-light"),
     pytest.param(390, 844, "zh", "dark", id="phone-zh-dark")],
)
def test_back_is_above_the_drilled_map_without_scrolling(server, open_page, width, height, lang, scheme):
    view = open_page(width=width, height=height, color_scheme=scheme, locale="zh-CN" if lang == "zh" else "en-US")
    view.page.goto(f"{server}/map?lang={lang}&province={HUNAN}")
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    view.page.wait_for_timeout(1000)
    back = view.page.get_by_role("button", name=i18n.t("map_back", lang))
    button, chart = back.bounding_box(), view.page.locator(".js-plotly-plot").first.bounding_box()
    assert 0 <= button["y"] and button["y"] + button["height"] <= height  # on the first screen
    assert button["y"] + button["height"] <= chart["y"]  # above the map
    view.screenshot(f"map-back-{width}-{lang}-{scheme}", whole=False)
    back.click()
    view.page.wait_for_function("() => !location.search.includes('province=')", timeout=30_000)
    view.wait_for_app()
    assert i18n.t("map_provinces_title", lang) in view.page.locator("h3").all_inner_texts()
    assert view.page.locator(ERRORS).count() == 0
