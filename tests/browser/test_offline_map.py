"""The national map draws from the shipped layers with no request leaving 127.0.0.1."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_map_renders_offline_from_static_layers(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/?lang=en")
    view.wait_for_app()
    view.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    view.page.wait_for_timeout(1000)

    assert view.external_requests() == []
    fetched = [url for url in view.requests if "/app/static/" in url]
    assert any(url.endswith("/provinces.geojson") for url in fetched)
    assert any(url.endswith("_110m.json") or url.endswith("_50m.json") for url in fetched)

    paths = view.page.locator("path.choroplethlocation")
    provinces = json.loads((ROOT / "data" / "geo" / "provinces.geojson").read_text())["features"]
    # One base shape per province plus the shaded ones on top.
    assert paths.count() >= len(provinces)
    fills = set(paths.evaluate_all("els => els.map(e => getComputedStyle(e).fill)"))
    assert len(fills) > 2  # the no-data grey and several shades of the scale

    # Not inside-out: no province path covers the whole plot area.
    plot = view.page.locator(".geolayer").first.bounding_box()
    biggest = max(
        box["width"] * box["height"]
        for box in paths.evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())")
    )
    assert biggest < 0.5 * plot["width"] * plot["height"]
    view.page.locator(".js-plotly-plot").first.screenshot(
        path=str(view.screenshot("offline-map").with_name("offline-map-chart.png"))
    )
