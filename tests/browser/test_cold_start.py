"""A shared link to a page, opened first on a freshly started server, shows that page."""

import pytest

from tests.browser.conftest import Server


@pytest.mark.parametrize("page, title", [("map", "Map"), ("data", "Import case files")])
def test_first_visit_of_a_fresh_server_to_a_page_link(tmp_path, open_page, page, title):
    fresh = Server(f"sqlite:///{tmp_path / 'casemap.sqlite'}", tmp_path / "streamlit.log")
    try:
        view = open_page()
        view.page.goto(f"{fresh.url}/{page}?lang=en&province=430000")
        view.wait_for_app()
        assert view.page.url.startswith(f"{fresh.url}/{page}")
        assert "province=430000" in view.page.url
        assert view.page.locator('[data-testid="stException"]').count() == 0
        assert view.page.get_by_text("Page not found").count() == 0
        assert title in view.page.locator("h1").first.inner_text()
        # the link's filter holds: in the line above the page, or on the Data page (which has no such line)
        # in the sidebar's province filter
        shown = view.page.locator(".st-key-filter-summary" if page != "data" else '[data-testid="stSidebar"]')
        assert "湖南 Hunan" in shown.inner_text()
    finally:
        fresh.stop()
