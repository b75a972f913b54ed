"""The analysis pages in a real browser: each renders without error, offline, in English/light and Chinese/dark."""

import pytest

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


# What each page must show once drawn: a selector and how many at least.
PAGES = {
    "map": ("path.choroplethlocation", 30),
    "timeline": (".main-svg .barlayer .point", 10),
    "flows": (".sankey-node", 10),
    "network": (".scatterlayer .point", 100),
    "suspects": ('[data-testid="stDataFrame"]', 1),
}
VIEWS = [
    pytest.param("en", "light", "en-US", id="en-light"),
    pytest.param("zh", "dark", "zh-CN", id="zh-dark"),
]
TITLES = {
    ("map", "en"): "Map", ("map", "zh"): "案情地图",
    ("timeline", "en"): "Timeline", ("timeline", "zh"): "时间线",
    ("flows", "en"): "Money flows", ("flows", "zh"): "资金流向",
    ("network", "en"): "Link analysis", ("network", "zh"): "关联分析",
    ("suspects", "en"): "Suspects", ("suspects", "zh"): "嫌疑人",
}


@pytest.mark.parametrize("lang, scheme, locale", VIEWS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_offline_without_errors(server, open_page, name, lang, scheme, locale):
    view = open_page(color_scheme=scheme, locale=locale)
    view.page.goto(f"{server}/{name}?lang={lang}")
    view.wait_for_app()
    selector, at_least = PAGES[name]
    view.page.wait_for_selector(selector, state="attached", timeout=30_000)  # a bar of 0 is not "visible"
    view.page.wait_for_timeout(1500)  # let plotly and the tables finish drawing before the picture
    assert view.page.locator(selector).count() >= at_least
    assert view.page.locator("h1").first.inner_text().strip() == TITLES[(name, lang)]
    assert view.page.locator(ERRORS).count() == 0
    assert view.external_requests() == []
    view.screenshot(f"{name}-{lang}-{scheme}")


def test_a_province_filter_drills_the_map_into_its_cities(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/map?lang=en&province=430000")
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    assert view.page.get_by_text("Cities of 湖南 Hunan").count() == 1
    # Hunan has 14 prefecture-level units: the base layer draws each once, the shaded layer again.
    assert view.page.locator("path.choroplethlocation").count() >= 14
    assert view.page.locator(ERRORS).count() == 0
    view.screenshot("map-en-hunan")


def test_choosing_a_suspect_shows_the_ego_network_and_details(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/network?lang=en")
    view.wait_for_app()
    view.page.wait_for_selector(".scatterlayer .point", timeout=30_000)
    whole = view.page.locator(".scatterlayer .point").count()
    view.page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    view.page.keyboard.type("夏某")
    view.page.keyboard.press("Enter")
    view.wait_for_app()
    view.page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    ego = view.page.locator(".scatterlayer .point").count()
    assert 1 < ego < whole
    assert view.page.locator(ERRORS).count() == 0
    view.screenshot("network-en-ego")


@pytest.fixture(scope="module")
def markup_case(server, database_url):
    """A case whose suspect is named ``<img src=x onerror=...>``, stored in the server's database."""
    from casemap.store import Store
    from tests import tiny_case

    with Store(database_url) as store:
        if "markup" not in store.cases():
            store.save("markup", suspects=tiny_case.suspects(), payments=tiny_case.payments())
    return "markup"


@pytest.mark.parametrize("name", ["suspects", "network", "flows"])
def test_markup_in_a_name_is_never_rendered(server, open_page, markup_case, name):
    view = open_page()
    dialogs = []
    view.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    view.page.goto(f"{server}/{name}?lang=en&case={markup_case}")
    view.wait_for_app()
    view.page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    if name == "network":
        view.page.locator(".scatterlayer .point").first.hover(force=True)  # plotly's drag layer is on top
    if name == "suspects":
        # Narrow the table to the one row, tick it, and the detail panel shows the name as text.
        view.page.locator('[data-testid="stMain"] input[type="text"]').first.fill("onerror")
        view.page.keyboard.press("Enter")
        view.wait_for_app()
        grid = view.page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.bounding_box()
        view.page.mouse.click(grid["x"] + 16, grid["y"] + 54)  # the first row's tick box, under the header
        view.wait_for_app()
        assert view.page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() == 2
    assert view.page.locator('img[src="x"]').count() == 0
    assert dialogs == []
    assert view.page.locator(ERRORS).count() == 0
    view.screenshot(f"{name}-en-markup")
