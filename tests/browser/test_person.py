"""The person view in a browser: reached from the suspects table with the filters kept; Xia's counterparts in en and zh."""

from urllib.parse import parse_qs, urlparse

import pytest

from casemap.demo import generate_demo
from casemap.filters import FilterState
from tests import reference

ERRORS = '[data-testid="stException"]'
CELLS = '[data-testid="stMain"] [data-testid="stDataFrame"] [role="gridcell"]'


def query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def cell_texts(view) -> list[str]:
    """The text of the cells the tables show (the grid keeps an accessible copy of the rows on screen)."""
    view.page.locator(CELLS).first.wait_for(state="attached", timeout=30_000)
    return view.page.locator(CELLS).all_text_contents()


def test_from_the_suspects_table_to_the_person_view_with_the_filters(server, open_page):
    demo = generate_demo()
    state = FilterState(provinces=("430000",), roles=("payer",))
    first = reference.apply(state, demo.suspects, demo.payments).suspects.sort_values("suspect_id").iloc[0]
    view = open_page()
    view.page.goto(f"{server}/suspects?province=430000&role=payer&lang=en")
    view.wait_for_app()
    # Every row links to its person view with the filters of the page.
    links = [text for text in cell_texts(view) if text.startswith("person?")]
    assert links and query(links[0]) == {"province": "430000", "role": "payer", "lang": "en",
                                         "person": first["suspect_id"]}
    # Tick the first row; its detail panel links to the person view in this tab.
    grid = view.page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.bounding_box()
    view.page.mouse.click(grid["x"] + 16, grid["y"] + 54)
    view.wait_for_app()
    view.page.locator('[data-testid="stMain"] a', has_text="Open the person view of").click()
    view.page.wait_for_url("**/person?**")
    view.wait_for_app()
    params = query(view.page.url)
    assert params["person"] == first["suspect_id"]
    assert (params["province"], params["role"]) == ("430000", "payer")
    assert first["suspect_id"] in view.page.locator("h1").inner_text()
    assert "湖南 Hunan" in view.page.locator(".st-key-filter-summary").inner_text()
    assert view.page.locator(ERRORS).count() == 0


@pytest.mark.parametrize(("lang", "paid_to"), [("en", "Paid to"), ("zh", "付给")])
def test_the_person_view_of_xia_shows_his_counterparts(server, open_page, lang, paid_to):
    demo = generate_demo()
    expected = reference.counterparts("S006", demo.payments, demo.suspects)
    top = expected.iloc[0]
    view = open_page()
    view.page.goto(f"{server}/person?person=S006&lang={lang}")
    view.wait_for_app()
    assert "夏某" in view.page.locator("h1").inner_text()
    cells = cell_texts(view)
    row = cells[cells.index(top["counterpart_id"]) - 2:]  # the link and the name come first
    assert row[1] == top["name"] and row[3] == paid_to
    assert float(row[4]) == pytest.approx(top["amount_yuan"]) and int(row[5]) == top["payments"]
    assert view.page.locator('[data-testid="stPlotlyChart"]').count() == 2  # the map and the timeline
    assert view.page.locator(ERRORS).count() == 0
    view.screenshot(f"person-{lang}")


def test_a_hostile_person_or_network_in_a_link_shows_as_typed(server, open_page):
    from urllib.parse import quote

    from tests.browser.test_hostile import foreign_links_and_images

    payload = "[LOGIN](https://evil.invalid) ![a](http://127.0.0.1:9/t)"  # under the 60 characters quoted
    for param, expected in (("person", f"No suspect “{payload}”"), ("network", f"network of {payload}")):
        view = open_page()
        view.page.goto(f"{server}/person?lang=en&{param}={quote(payload)}")
        view.wait_for_app()
        assert foreign_links_and_images(view) == {"links": [], "images": []}
        # Shown as typed (an invisible joiner keeps an address from becoming a link).
        main = view.page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")
        assert expected in main  # the person view names the id it did not find; the filter line the network
        assert view.page.locator(ERRORS).count() == 0
