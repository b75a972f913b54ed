"""The flow map's arrows as the browser draws them: each points from payer to payee.

The figure holds each arrow's angle; whether plotly.js turns the marker by it
(and which way) shows only in the drawn SVG, where a turned marker is a
triangle path around its point.
"""

import math
import re

from casemap import style

# The arrows: three-cornered marker paths (the payee dots are circles, drawn with arcs).
ARROWS = """() => [...document.querySelectorAll('.scattergeo path.point')]
    .filter(p => !/A/.test(p.getAttribute('d') || '') && (p.getAttribute('d').match(/[ML]/g) || []).length === 3)
    .map(p => [p.getAttribute('transform'), p.getAttribute('d'), getComputedStyle(p).fill])"""
NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"


def drawn_arrows(page) -> list[tuple[tuple[float, float], tuple[float, float], str]]:
    """Every arrow drawn: (its point on screen, the unit direction its tip points to, its fill)."""
    arrows = []
    for transform, path, fill in page.evaluate(ARROWS):
        x, y = (float(v) for v in re.findall(NUMBER, transform)[:2])
        corners = [tuple(map(float, pair)) for pair in re.findall(f"({NUMBER}),({NUMBER})", path)]
        # plotly's triangle: the tip is the corner nearest its centre, the two base corners farther out
        tip = min(corners, key=lambda c: math.hypot(*c))
        length = math.hypot(*tip)
        arrows.append(((x, y), (tip[0] / length, tip[1] / length), fill))
    return arrows


def test_the_arrows_point_from_payer_to_payee(server, open_page):
    view = open_page()
    view.page.goto(f"{server}/flows?lang=en&view=map")  # the map of flows between provinces
    view.wait_for_app()
    view.page.wait_for_selector(".scattergeo path.point", state="attached", timeout=30_000)
    view.page.wait_for_timeout(1000)
    arrows = drawn_arrows(view.page)
    red, green, blue = (int(style.palette("light").categorical[1][i:i + 2], 16) for i in (1, 3, 5))
    abroad = [a for a in arrows if a[2] == f"rgb({red}, {green}, {blue})"]
    at_home = [a for a in arrows if a not in abroad]
    assert len(abroad) == 1 and len(at_home) >= 10
    # The USDT comes in from the overseas node, south-east of Hunan: its arrow points up and to the left.
    (_, (dx, dy), _), = abroad
    assert dx < 0 and dy < 0
    # The demo's payers are all in Hunan: the lines run out from it, so an arrow left of Hunan points left.
    west = [x for (x, _), (dx, _), _ in at_home if dx < -0.5]
    east = [x for (x, _), (dx, _), _ in at_home if dx > 0.5]
    assert west and east and max(west) < min(east)
    quadrants = {(dx > 0, dy > 0) for _, (dx, dy), _ in at_home}
    assert len(quadrants) >= 3  # turned each its own way, not all alike
    view.screenshot("flows-map-en-light")
