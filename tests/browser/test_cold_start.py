"""A shared link opened first on a fresh server: the page it names, and its filters carried to the next page."""

import pytest

from tests.browser.conftest import Server


@pytest.fixture
def fresh_server(tmp_path):
    """A server of its own that no one has visited yet."""
    fresh = Server(f"sqlite:///{tmp_path / 'casemap.sqlite'}", tmp_path / "streamlit.log")
    yield fresh.url
    fresh.stop()


@pytest.mark.parametrize("page, title", [("map", "Map"), ("data", "Import case files")])
def test_first_visit_of_a_fresh_server_to_a_page_link(fresh_server, open_page, page, title):
    view = open_page()
    view.page.goto(f"{fresh_server}/{page}?lang=en&province=430000")
    view.wait_for_app()
    assert view.page.url.startswith(f"{fresh_server}/{page}")
    assert "province=430000" in view.page.url
    assert view.page.locator('[data-testid="stException"]').count() == 0
    assert view.page.get_by_text("Page not found").count() == 0
    assert title in view.page.locator("h1").first.inner_text()
    # the link's filter holds: in the line above the page, or on the Data page (which has no such line)
    # in the sidebar's province filter
    shown = view.page.locator(".st-key-filter-summary" if page != "data" else '[data-testid="stSidebar"]')
    assert "湖南 Hunan" in shown.inner_text()


def test_first_visitor_of_a_fresh_server_keeps_the_filter_on_the_next_page(fresh_server, open_page):
    """The sidebar's page links are clicked as soon as they show, while the first run may still be going."""
    view = open_page()
    view.page.goto(f"{fresh_server}/?province=430000&lang=en")
    link = view.page.locator('[data-testid="stSidebarNav"] a', has_text="Map")  # any case: "map" is a file's name
    link.click()
    view.page.wait_for_url("**/map**")
    view.wait_for_app()
    assert "province=430000" in view.page.url
    assert "湖南 Hunan" in view.page.locator(".st-key-filter-summary").inner_text()
    assert view.page.locator('[data-testid="stException"]').count() == 0
