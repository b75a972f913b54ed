"""Little above every page: the demo badge and the filter line share one line, and the title follows it."""

import pytest

# The title's top edge, in CSS pixels from the top of the window: Streamlit's header and the one line above it.
TITLE_TOP_LIMIT = 170


@pytest.mark.parametrize("page, lang", [("", "en"), ("flows", "zh"), ("data", "zh")])
def test_the_title_comes_right_after_one_compact_line(server, open_page, page, lang):
    view = open_page(width=1366, height=768, locale="zh-CN" if lang == "zh" else "en-US")
    view.page.goto(f"{server}/{page}?lang={lang}")
    view.wait_for_app()
    title = view.page.locator('[data-testid="stMain"] h1').first.bounding_box()
    assert title is not None and title["y"] <= TITLE_TOP_LIMIT, title
    assert view.page.locator('[data-testid="stMain"] [data-testid="stAlert"]').count() == 0  # no banner box
    summary = view.page.locator(".st-key-filter-summary")
    if page == "data":  # the Data page is about files, not the filtered view
        assert summary.count() == 0
    else:
        assert ("示例数据" if lang == "zh" else "Illustrative demo data") in summary.inner_text()
