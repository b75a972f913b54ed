"""Pages on a laptop with the sidebar open (1366x768) and on a phone (390x844), in English and Chinese.

On a laptop no headline figure is cut short, every table shows its key columns
without a sideways scroll, and no segmented control is cut; on a phone every
chart, map and network spans the page.
"""

import pytest

from casemap import charts, i18n

LAPTOP, PHONE = (1366, 768), (390, 844)
# The key columns of each table a page shows, top to bottom, as i18n keys.
TABLE_KEYS = {
    "map": [("tbl_place", "metric:arrested", "metric:amount_yuan")],
    "timeline": [("tbl_date", "tbl_milestone")],
    "flows": [("tbl_name", "tbl_role", "tbl_place", "tbl_amount_paid"),
              ("tbl_name", "tbl_role", "tbl_place", "tbl_amount_received")],
    "network": [("tbl_name", "tbl_role", "tbl_status", "tbl_amount_moved")],
    "suspects": [("tbl_name", "tbl_role", "tbl_status", "tbl_place", "tbl_amount")],
}
CHART_PAGES = ("overview", "map", "timeline", "flows", "network")

# Everything in a headline card whose text is wider than its box (st.metric cuts it with "…").
CUT_CARDS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')]
  .filter(card => card.innerText.includes('…')
          || [card, ...card.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))
  .map(card => card.innerText)"""
# Segmented-control buttons that stick out of their group or the page.
CUT_BUTTONS = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stButtonGroup"]')].flatMap(group => {
    const box = group.getBoundingClientRect();
    return [...group.querySelectorAll('button')].filter(b => {
      const r = b.getBoundingClientRect();
      return r.left < box.left - 1 || r.right > box.right + 1 || r.right > main.right + 1;
    }).map(b => b.innerText);
  });
}"""
# Each table's column headers as the grid renders them for screen readers: only the
# columns at least partly in view are there, by position (aria-colindex).
TABLE_HEADERS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')].map(t => {
  const scroller = t.querySelector('.dvn-scroller');
  return {
    columns: +t.querySelector('table[role="grid"]').getAttribute('aria-colcount'),
    shown: Object.fromEntries([...t.querySelectorAll('th[role="columnheader"]')]
      .map(th => [th.innerText.trim(), +th.getAttribute('aria-colindex')])),
    scrolls: scroller.scrollWidth > scroller.clientWidth + 1,
  };
})"""
# The grids load after the page's text settles: wait until the page's tables are drawn.
GRIDS_DRAWN = """count => document.querySelectorAll(
  '[data-testid="stMain"] [data-testid="stDataFrame"] table[role="grid"]').length === count"""
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPlotlyChart"]')]
  .every(c => c.getBoundingClientRect().height === 0 || c.querySelector('.main-svg'))"""
# Width of the page's content box and of every chart drawn on it (element and plotly's own svg).
CHART_WIDTHS = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const style = getComputedStyle(main);
  const inner = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const charts = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPlotlyChart"]')]
    .filter(c => c.getBoundingClientRect().height > 0)  // a chart in a tab not opened is not drawn
    .map(c => [c.getBoundingClientRect().width, c.querySelector('.main-svg').getBoundingClientRect().width]);
  return {inner, charts};
}"""


def header(key: str, lang: str) -> str:
    if key.startswith("metric:"):
        return charts.metric_label(key.split(":")[1], lang)
    return i18n.t(key, lang)


def fully_shown(table: dict, title: str) -> bool:
    """Whether a column is in view from edge to edge: the next column starts in view, or it is the last one and nothing scrolls."""
    index = table["shown"].get(title)
    if index is None:
        return False
    if index == table["columns"]:
        return not table["scrolls"]
    return index + 1 in table["shown"].values()


def open_pages(open_page, server, size, lang):
    """Each page in turn, at ``size`` in ``lang``, light in English and the dark screen theme in Chinese."""
    width, height = size
    dark = lang == "zh"
    view = open_page(width=width, height=height, locale="zh-CN" if dark else "en-US",
                     color_scheme="dark" if dark else "light")

    def visit(page: str):
        query = f"?lang={lang}" + ("&theme=screen&embed_options=dark_theme" if dark else "")
        view.page.goto(f"{server}/{'' if page == 'overview' else page}{query}")
        view.wait_for_app()
        view.page.wait_for_timeout(500)  # plotly and the grids finish their layout
        return view

    return visit


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_laptop_nothing_is_cut_and_tables_show_their_key_columns(server, open_page, lang):
    visit = open_pages(open_page, server, LAPTOP, lang)
    problems = []
    for page in ("overview", "map", "timeline", "flows", "network", "suspects"):
        view, keys = visit(page), TABLE_KEYS.get(page, [])
        view.page.wait_for_function(GRIDS_DRAWN, arg=len(keys), timeout=30_000)
        problems += [(page, "card cut", text) for text in view.page.evaluate(CUT_CARDS)]
        problems += [(page, "button cut", text) for text in view.page.evaluate(CUT_BUTTONS)]
        for number, (table, columns) in enumerate(zip(view.page.evaluate(TABLE_HEADERS), keys)):
            titles = [header(key, lang) for key in columns]
            problems += [(page, f"table {number}: column not in view", title)
                         for title in titles if not fully_shown(table, title)]
        view.screenshot(f"layout-laptop-{page}-{lang}")
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_phone_charts_span_the_page_and_controls_fit(server, open_page, lang):
    visit = open_pages(open_page, server, PHONE, lang)
    problems = []
    for page in CHART_PAGES:
        view = visit(page)
        view.page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
        widths = view.page.evaluate(CHART_WIDTHS)
        assert widths["charts"], page
        problems += [(page, "chart narrower than the page", element, figure, widths["inner"])
                     for element, figure in widths["charts"] if min(element, figure) < 0.95 * widths["inner"]]
        problems += [(page, "card cut", text) for text in view.page.evaluate(CUT_CARDS)]
        problems += [(page, "button cut", text) for text in view.page.evaluate(CUT_BUTTONS)]
        view.screenshot(f"layout-phone-{page}-{lang}")
    assert problems == [], "\n".join(map(str, problems))
