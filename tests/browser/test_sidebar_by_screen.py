"""The sidebar starts open on a laptop or a wall screen and closed on a phone, where it would cover the page."""

import pytest


@pytest.mark.parametrize("width, height, is_open", [(390, 844, False), (1366, 768, True), (1920, 1080, True)])
def test_the_sidebar_starts_open_on_screens_and_closed_on_phones(server, open_page, width, height, is_open):
    view = open_page(width=width, height=height, locale="zh-CN")
    view.page.goto(f"{server}/?lang=zh")
    view.wait_for_app()
    view.page.wait_for_timeout(500)  # the sidebar's slide settles
    sidebar = view.page.locator('[data-testid="stSidebar"]').bounding_box()
    title = view.page.locator('[data-testid="stMain"] h1').first.bounding_box()
    shown = sidebar is not None and sidebar["x"] + sidebar["width"] > 10 and sidebar["width"] > 100
    assert shown == is_open, sidebar
    assert title is not None and title["x"] + title["width"] <= width
    if is_open:  # the page sits beside the sidebar
        assert title["x"] >= sidebar["x"] + sidebar["width"]
    else:  # the page's title is the first thing in view
        assert title["x"] < 60 and view.page.get_by_text("案件总览").first.is_visible()
