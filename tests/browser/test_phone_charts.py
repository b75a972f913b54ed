"""Charts on a phone (390x844): legends clear of axes, colour bars and each other; milestone numbers apart;
the South China Sea inset against the mainland's lower right corner.

Boxes are read from the drawn SVG, so the test sees what a person sees.
"""

import pytest

PHONE = {"width": 390, "height": 844}

# Per plotly figure on the page: its legends, the things a legend must not cover, annotations, map parts.
BOXES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const boxes = selector => [...plot.querySelectorAll(selector)].map(box)
      .filter(([left, top, right, bottom]) => right - left > 0 && bottom - top > 0);
  return {
    legends: boxes('g.legend'),
    obstacles: boxes('.xaxislayer-above, .yaxislayer-above, [class^="g-x"][class$="title"], '
                     + '[class^="g-y"][class$="title"], .colorbar, .slider-container, .updatemenu-container, .geo'),
    annotations: boxes('.annotation'),
    mainland: boxes('.geolayer > g.geo:not(.geo2)'), inset: boxes('.geolayer > g.geo2'),
  };
})"""

VIEWS = [
    pytest.param("timeline", "zh", "light", id="timeline-zh"),
    pytest.param("timeline", "en", "dark", id="timeline-en-dark"),
    pytest.param("", "en", "light", id="overview-en"),
    pytest.param("map", "zh", "dark", id="map-zh-dark"),
]


def overlap(a, b, slack=1.0) -> bool:
    """Whether two boxes (left, top, right, bottom) share more than ``slack`` pixels each way."""
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


@pytest.mark.parametrize("page, lang, scheme", VIEWS)
def test_on_a_phone_legends_and_labels_stay_clear(server, open_page, page, lang, scheme):
    view = open_page(color_scheme=scheme, locale="zh-CN" if lang == "zh" else "en-US", **PHONE)
    view.page.goto(f"{server}/{page}?lang={lang}")
    view.wait_for_app()
    view.page.wait_for_selector(".js-plotly-plot .legend", state="attached", timeout=30_000)
    view.page.wait_for_timeout(1500)  # let plotly finish its margins
    view.screenshot(f"phone-{page or 'overview'}-{lang}-{scheme}")
    figures = view.page.evaluate(BOXES_JS)
    assert any(figure["legends"] for figure in figures)
    for figure in figures:
        for legend in figure["legends"]:
            covered = [box for box in figure["obstacles"] if overlap(legend, box)]
            assert not covered, (legend, covered)
        for i, first in enumerate(figure["annotations"]):
            assert not any(overlap(first, second) for second in figure["annotations"][i + 1:]), figure["annotations"]
        for mainland, inset in zip(figure["mainland"], figure["inset"]):
            assert abs(inset[0] - mainland[2]) <= 3  # the inset touches the mainland's right side
            assert abs(inset[3] - mainland[3]) <= 3  # and their bottoms are level
    if page == "timeline":
        assert len(figures[0]["annotations"]) >= 6  # every milestone is numbered on the chart
