"""The briefing on a wall screen, charts in the page's theme, and the Overview in one 1920x1080 screen."""

import re

import pytest

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# The scrolling box of a Streamlit page, and the document: both as tall as the window when nothing scrolls.
HEIGHTS = """() => { const main = document.querySelector('[data-testid="stMain"]');
  return {main: main.scrollHeight, document: document.documentElement.scrollHeight, window: window.innerHeight}; }"""
SIZES = """() => ({
  headline: parseFloat(getComputedStyle(document.querySelector('h1.brief-headline')).fontSize),
  body: Math.min(...[...document.querySelectorAll('.brief-kpi-label, .brief-eyebrow, table.brief-table td')]
                   .map(e => parseFloat(getComputedStyle(e).fontSize))),
  kpi: Math.min(...[...document.querySelectorAll('.brief-kpi-value')].map(e => parseFloat(getComputedStyle(e).fontSize))),
  sidebar: !!document.querySelector('[data-testid="stSidebar"]') && getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).display !== 'none',
})"""
# The page's background and the fill of a chart's title or axis text, as rgb triples.
COLOURS = """() => {
  const rgb = s => (s.match(/[0-9.]+/g) || []).slice(0, 3).map(Number);
  const app = rgb(getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor);
  const texts = [...document.querySelectorAll('.js-plotly-plot .main-svg .gtitle, .js-plotly-plot .main-svg .cbaxis text, .js-plotly-plot .main-svg .ytick text')];
  return {app, texts: texts.map(t => rgb(getComputedStyle(t).fill))};
}"""


def contrast(a, b) -> float:
    """WCAG contrast ratio of two sRGB colours."""
    def luminance(rgb):
        parts = [c / 255 for c in rgb]
        parts = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def slide_number(page) -> int:
    return int(page.locator(".brief-eyebrow").inner_text().split("/")[0].strip())


def wait_for_slide(page, number: int) -> None:
    page.wait_for_function(
        "n => { const e = document.querySelector('.brief-eyebrow'); return e && e.innerText.trim().startsWith(n + ' /'); }",
        arg=number, timeout=30_000)
    page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .main-svg', timeout=30_000)
    page.wait_for_timeout(700)  # the figure settles to its height


@pytest.mark.parametrize("query, scheme, locale, shot", [
    ("lang=en&theme=light&embed_options=light_theme", "light", "en-US", "brief-en-light"),
    ("lang=zh&theme=screen&embed_options=dark_theme", "dark", "zh-CN", "brief-zh-dark"),
])
def test_every_slide_fills_one_screen_and_the_arrow_key_goes_through_them(server, open_page, query, scheme,
                                                                         locale, shot):
    view = open_page(color_scheme=scheme, locale=locale)
    view.page.goto(f"{server}/brief?{query}")
    view.wait_for_app()
    for number in range(1, 7):
        wait_for_slide(view.page, number)
        assert f"slide={number}" in view.page.url or (number == 1 and "slide=" not in view.page.url)
        heights = view.page.evaluate(HEIGHTS)
        assert heights["main"] == heights["document"] == heights["window"] == 1080, (number, heights)
        sizes = view.page.evaluate(SIZES)
        assert sizes["headline"] >= 28 and sizes["body"] >= 28 and sizes["kpi"] >= 96, (number, sizes)
        assert not sizes["sidebar"]
        assert view.page.locator(ERRORS).count() == 0
        view.screenshot(f"{shot}-{number}", whole=False)
        view.page.keyboard.press("ArrowRight")
    wait_for_slide(view.page, 1)  # past the last slide the story starts again
    # Back with the left arrow, on with space, and the arrows and dots on the screen.
    view.page.keyboard.press("ArrowLeft")
    wait_for_slide(view.page, 6)
    view.page.keyboard.press(" ")
    wait_for_slide(view.page, 1)
    view.page.locator(".st-key-brief_next button").first.click()
    wait_for_slide(view.page, 2)
    view.page.locator(".st-key-brief_dot_5 button").first.click()
    wait_for_slide(view.page, 5)
    assert re.search(r"[?&]slide=5(&|$)", view.page.url)
    assert view.external_requests() == []


def test_the_briefing_advances_by_itself_at_the_links_interval(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/brief?lang=en&slide=6&auto=3")
    view.wait_for_app()
    wait_for_slide(view.page, 6)
    wait_for_slide(view.page, 1)  # within wait_for_slide's 30 s, after about 3 s, round to the first
    assert "auto=3" in view.page.url


@pytest.mark.parametrize("query, scheme, background", [
    ("lang=zh&theme=screen", "light", (11, 19, 32)),  # no embed_options in the link: the page takes the theme all the same
    ("lang=en&theme=light&province=430000", "dark", (255, 255, 255)),  # a place filter adds a row of chips
])
def test_a_theme_link_themes_page_and_charts_and_the_overview_fits_one_1080p_screen(server, open_page, query, scheme,
                                                                                     background):
    view = open_page(color_scheme=scheme)
    view.page.goto(f"{server}/?{query}")
    view.page.wait_for_url("**embed_options=**", timeout=30_000)
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    view.page.wait_for_timeout(700)
    colours = view.page.evaluate(COLOURS)
    assert tuple(colours["app"]) == background
    assert colours["texts"]
    assert min(contrast(colours["app"], text) for text in colours["texts"]) >= 4.5, colours
    heights = view.page.evaluate(HEIGHTS)
    assert heights["main"] <= heights["window"] == 1080, heights
    cut = view.page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetricValue"] > div')]
        .filter(value => value.scrollWidth > value.clientWidth + 1).map(value => value.innerText)""")
    assert cut == []  # no headline figure ends in "…"
    view.screenshot(f"overview-1080-{scheme}", whole=False)


def test_a_theme_chosen_in_the_menu_restyles_the_charts(server, open_page):
    view = open_page(color_scheme="light")
    view.page.goto(f"{server}/?lang=en")
    view.wait_for_app()
    view.page.wait_for_selector(".js-plotly-plot .main-svg .gtitle", timeout=30_000)
    view.page.locator('[data-testid="stMainMenu"]').click()
    view.page.locator('[data-testid="stMainMenuItem-theme-Dark"]').click()
    view.page.keyboard.press("Escape")
    view.page.wait_for_function(
        "() => document.querySelector('.casemap-theme')?.getAttribute('data-drawn') === 'screen'", timeout=30_000)
    for _ in range(60):  # the rerun redraws the charts one after the other
        colours = view.page.evaluate(COLOURS)
        if colours["texts"] and min(contrast(colours["app"], text) for text in colours["texts"]) >= 4.5:
            break
        view.page.wait_for_timeout(500)
    assert tuple(colours["app"]) == (11, 19, 32)
    assert min(contrast(colours["app"], text) for text in colours["texts"]) >= 4.5, colours
