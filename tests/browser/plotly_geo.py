"""Where a longitude and latitude of a drawn plotly map land on the screen, for clicks and hovers."""


def on_screen(page, lon: float, lat: float) -> tuple[float, float]:
    """The viewport position of a point of the page's first map, through plotly's own projection."""
    return page.evaluate(
        """([lon, lat]) => {
            const gd = document.querySelector('.js-plotly-plot');
            const [px, py] = gd._fullLayout.geo._subplot.projection([lon, lat]);
            const box = gd.getBoundingClientRect();
            return [box.left + px, box.top + py];
        }""",
        [lon, lat],
    )
