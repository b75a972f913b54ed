"""Clicking a chart's bar or a table's row filters, like a click on the map: one click path for all.

The expected filters are worked out from the demo case itself, never read
back from the page under test.
"""

from urllib.parse import parse_qs, urlparse

import pandas as pd

from casemap.demo import generate_demo

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def query_of(view) -> dict[str, list[str]]:
    return parse_qs(urlparse(view.page.url).query)


def click_centre(view, locator) -> None:
    # Plotly's drag layer lies over the bars: click where the bar is drawn, as a person does.
    box = locator.bounding_box()
    view.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    view.wait_for_app()


def test_a_channel_bar_filters_every_page_and_a_second_click_clears_it(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/flows?lang=en")
    view.wait_for_app()
    chart = view.page.locator(".st-key-flows_channel_bars")
    bars = chart.locator(".barlayer .point path")
    bars.first.wait_for(timeout=30_000)
    # Bars run bottom-up in reverse display order: the top bar is the first channel, Alipay.
    tops = [bars.nth(i).bounding_box()["y"] for i in range(bars.count())]
    click_centre(view, bars.nth(tops.index(min(tops))))
    view.page.wait_for_function("() => location.search.includes('channel=')", timeout=30_000)
    assert query_of(view)["channel"] == ["alipay"]
    assert "Alipay" in view.page.locator(".st-key-filter-summary").inner_text()
    view.page.get_by_role("link", name="Overview").click()  # the filter holds on every page
    view.wait_for_app()
    assert query_of(view)["channel"] == ["alipay"]
    view.page.get_by_role("link", name="Money flows").click()
    view.wait_for_app()
    bars = view.page.locator(".st-key-flows_channel_bars .barlayer .point path")
    bars.first.wait_for(state="attached", timeout=30_000)
    widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
    assert sorted(widths)[-2] == 0  # Alipay's is the only bar left
    click_centre(view, bars.nth(widths.index(max(widths))))
    view.page.wait_for_function("() => !location.search.includes('channel=')", timeout=30_000)
    assert view.page.locator(ERRORS).count() == 0


def test_a_timeline_bar_filters_to_its_month(server, open_page):
    arrests = pd.to_datetime(generate_demo().suspects["arrest_date"]).dropna()
    busiest = arrests.dt.to_period("M").value_counts().idxmax()  # the month with the most arrests
    view = open_page()
    view.page.goto(f"{server}/timeline?lang=en")
    view.wait_for_app()
    bars = view.page.locator(".st-key-timeline_chart .subplot.xy .barlayer .point path")
    bars.first.wait_for(state="attached", timeout=30_000)
    heights = [bars.nth(i).bounding_box()["height"] for i in range(bars.count())]
    click_centre(view, bars.nth(heights.index(max(heights))))
    view.page.wait_for_function("() => location.search.includes('from=')", timeout=30_000)
    query = query_of(view)
    assert query["from"] == [busiest.start_time.date().isoformat()]
    assert query["to"] == [busiest.end_time.date().isoformat()]
    assert view.page.locator(ERRORS).count() == 0


def test_a_ranking_row_filters_to_its_place(server, open_page):
    suspects = generate_demo().suspects
    top = suspects[suspects["status"] == "arrested"]["province_adcode"].value_counts()
    assert top.iloc[0] > top.iloc[1]  # one clear leader, so the first row is known
    view = open_page()
    view.page.goto(f"{server}/map?lang=en")
    view.wait_for_app()
    grid = view.page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30_000)
    box = grid.bounding_box()
    view.page.mouse.click(box["x"] + 16, box["y"] + 54)  # the first row's tick box, under the header
    view.page.wait_for_function("() => location.search.includes('province=')", timeout=30_000)
    assert query_of(view)["province"] == [top.index[0]]
    assert view.page.locator(ERRORS).count() == 0
