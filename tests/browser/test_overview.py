"""The Overview in a real browser: figures visible, no errors, nothing leaves the machine."""

import pytest

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def metric_values(page):
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


@pytest.mark.parametrize(
    "query, scheme, locale, label, shot",
    [
        ("?lang=en", "light", "en-US", "Arrested", "overview-en-light"),
        ("?lang=zh", "dark", "zh-CN", "已抓获", "overview-zh-dark"),
        ("", "dark", "zh-CN", "已抓获", "overview-locale-zh"),
    ],
)
def test_overview_shows_the_public_figures(server, open_page, query, scheme, locale, label, shot):
    view = open_page(color_scheme=scheme, locale=locale)
    view.page.goto(f"{server}/{query}")
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    values = metric_values(view.page)
    # CASE.md: 62 arrested, across 86 cities in 18 provinces.
    for figure in ("62", "86", "18"):
        assert figure in values
    assert view.page.locator('[data-testid="stMetricLabel"]').first.inner_text().strip() == label
    assert view.page.locator(ERRORS).count() == 0
    assert view.external_requests() == []
    view.screenshot(shot)


def test_dark_scheme_gives_the_dark_screen_theme(server, open_page):
    view = open_page(color_scheme="dark")
    view.page.goto(f"{server}/?lang=en")
    view.wait_for_app()
    background = view.page.evaluate(
        "() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
    )
    assert background == "rgb(11, 19, 32)"  # backgroundColor of [theme.dark] in config.toml


def background(page) -> str:
    return page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor")


def test_theme_in_the_link_overrides_the_browser_and_the_switch_reloads(server, open_page):
    view = open_page(color_scheme="light")
    view.page.goto(f"{server}/?lang=en&theme=screen&embed_options=dark_theme")
    view.wait_for_app()
    assert background(view.page) == "rgb(11, 19, 32)"
    view.page.locator('[data-testid="stSidebar"] a', has_text="Light").click()
    view.page.wait_for_url("**theme=light**")
    view.wait_for_app()
    assert background(view.page) == "rgb(255, 255, 255)"
    assert "lang=en" in view.page.url


def test_every_chart_downloads_its_picture_as_a_png(server, open_page):
    view = open_page(color_scheme="light")
    view.page.goto(f"{server}/?lang=en")
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    charts = view.page.locator(".js-plotly-plot")
    assert charts.count() >= 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.hover()
        buttons = chart.locator(".modebar-btn")
        assert buttons.count() == 1  # one tool, the picture
        with view.page.expect_download() as download:
            buttons.first.click()
        assert download.value.suggested_filename.endswith(".png")
