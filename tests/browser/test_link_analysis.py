"""The link-analysis page in a browser: the path from a mobile-port renter to Xia drawn and told in en and zh,
and one-hop expansion kept in the link."""

import re
from functools import cache
from urllib.parse import parse_qs, urlparse

import pytest

from casemap.demo import generate_demo

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
POINTS = '[data-testid="stMain"] .scatterlayer .point'


@cache
def demo_ids() -> tuple[str, str]:
    suspects = generate_demo().suspects
    renter = suspects.loc[suspects["role"] == "mobile_port", "suspect_id"].sort_values().iat[0]
    xia = suspects.loc[suspects["name"] == "夏某", "suspect_id"].iat[0]
    return renter, xia


@pytest.mark.parametrize(("lang", "scheme", "hops", "controls"), [
    ("en", "light", "reaches", "controls"), ("zh", "dark", "关联到", "控制着"),
])
def test_the_path_from_a_mobile_port_renter_to_xia_is_drawn_and_explained(server, open_page, lang, scheme, hops,
                                                                          controls):
    renter, xia = demo_ids()
    view = open_page(color_scheme=scheme)
    theme = "&theme=screen&embed_options=dark_theme" if scheme == "dark" else ""  # as the theme switch writes it
    view.page.goto(f"{server}/network?lang={lang}{theme}&view=path&path_from={renter}&path_to={xia}")
    view.wait_for_app()
    view.page.wait_for_selector(POINTS, state="attached", timeout=30_000)
    main = view.page.locator('[data-testid="stMain"]').inner_text()
    heading = next(line for line in main.splitlines() if hops in line)
    assert renter in heading and "夏某" in heading
    steps = [line for line in main.splitlines() if line[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert len(steps) >= 2 and controls in main
    assert "****" in "".join(steps) and not re.search(r"1\d{10}", main)  # phone numbers masked
    assert view.page.locator(ERRORS).count() == 0
    assert view.external_requests() == []
    view.screenshot(f"link-path-{lang}-{scheme}")


def test_expanding_a_node_adds_its_neighbours_and_stays_in_the_link(server, open_page):
    renter, _ = demo_ids()
    view = open_page(width=1366, height=768)
    view.page.goto(f"{server}/network?lang=en&person={renter}")
    view.wait_for_app()
    view.page.wait_for_selector(POINTS, state="attached", timeout=30_000)
    before = view.page.locator(POINTS).count()
    # The second chooser adds a node's neighbours: take the first node it offers (the most central one).
    view.page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').nth(1).click()
    view.page.keyboard.press("Enter")
    view.wait_for_app()
    view.page.wait_for_function(f"n => document.querySelectorAll('{POINTS}').length > n", arg=before,
                                timeout=30_000)
    params = parse_qs(urlparse(view.page.url).query)
    assert params["person"] == [renter] and params["expand"][0]
    assert view.page.locator(ERRORS).count() == 0
    view.screenshot("link-expanded-en-laptop")
