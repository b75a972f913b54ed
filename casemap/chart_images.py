"""Charts as PNG images, drawn by Kaleido in the system's Chromium, offline.

Kaleido (1.x) drives a headless Chromium over its DevTools pipe and draws
each figure with the plotly.js that ships inside the plotly package; MathJax
(which it would fetch from a CDN) is switched off, so nothing leaves the
machine. The browser is ``BROWSER_PATH`` when set, else Debian's
``/usr/bin/chromium``; nothing is downloaded.

Starting the browser takes a second or two, so one process keeps one
painter: its browser runs on a background event loop and stays open for the
next image. Calls from several threads (Streamlit sessions) take turns; a
browser that crashed or hung is closed and started again on the next call.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from casemap.style import palette
from geo import layers

__all__ = [
    "ChartImageError", "browser_path", "chart_png", "prepare_for_image", "still", "print_pdf_page", "warm_painter",
    "close_painter",
]

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
START_SECONDS = 60  # a cold start on a busy two-core machine
IMAGE_SECONDS = 60
PRINT_SECONDS = 90


class ChartImageError(RuntimeError):
    """A chart could not be drawn as an image; the message says why (no browser, a crash, a timeout)."""


def browser_path() -> str:
    """The Chromium to draw with: ``BROWSER_PATH`` if set, else the system's; raises when there is none."""
    chosen = os.environ.get("BROWSER_PATH") or str(SYSTEM_CHROMIUM)
    if not Path(chosen).is_file():
        raise ChartImageError(f"no Chromium at {chosen}: install Debian's chromium or set BROWSER_PATH")
    return chosen


def still(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` that reads on paper: an animation shows its last frame (where the story ends),
    its month slider marks that frame, and its play buttons go."""
    copy = go.Figure(fig)
    if not copy.frames:
        return copy
    last = copy.frames[-1]
    for position, trace in enumerate(last.data):
        index = last.traces[position] if last.traces else position
        if index < len(copy.data):
            copy.data[index].update(trace.to_plotly_json())
    sliders = [dict(slider.to_plotly_json(), active=len(slider.steps) - 1) for slider in copy.layout.sliders]
    copy.layout.updatemenus = ()
    copy.layout.sliders = sliders
    copy.frames = ()
    return copy


# The page's maps name their layers by the app's static URL; the drawing browser reads the same files from disk.
LAYER_FOLDER_URI = layers.DATA_DIR.as_uri() + "/"


def prepare_for_image(fig: go.Figure, theme: str) -> go.Figure:
    """A copy of ``fig`` on the theme's opaque background (a page's charts are transparent over it),
    its map layers read from the shipped files instead of the app's static URLs."""
    copy = still(fig)
    # Inside Streamlit every new figure carries Streamlit's template, which the browser page re-themes
    # anyway; drawn on its own it keeps plotly.js from making room for axis labels and legends.
    copy.layout.template = pio.templates["plotly"]
    copy.update_layout(paper_bgcolor=palette(theme).background)
    for trace in copy.data:
        geojson = getattr(trace, "geojson", None)
        if isinstance(geojson, str) and geojson.startswith(layers.STATIC_URL):
            trace.geojson = LAYER_FOLDER_URI + geojson[len(layers.STATIC_URL):]
    return copy


class _Painter:
    """One Kaleido browser on a background event loop, shared by the process's callers in turn."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None

    def _start(self) -> None:
        from kaleido import Kaleido  # late: importing it costs time the pages need not pay

        path = browser_path()
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="chart-images", daemon=True).start()
        kaleido = Kaleido(n=1, mathjax=False, timeout=IMAGE_SECONDS, path=path)
        try:
            asyncio.run_coroutine_threadsafe(kaleido.open(), loop).result(START_SECONDS)
        except BaseException as error:
            loop.call_soon_threadsafe(loop.stop)
            raise ChartImageError(f"cannot start Chromium ({path}) to draw charts: {error!r}") from error
        self._loop, self._kaleido = loop, kaleido

    def _stop(self) -> None:
        loop, kaleido = self._loop, self._kaleido
        self._loop = self._kaleido = None
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(kaleido.close(), loop).result(10)
        except BaseException:  # noqa: BLE001 - a dead browser is closed already
            pass
        loop.call_soon_threadsafe(loop.stop)

    def png(self, fig: go.Figure, width: int, height: int, scale: float) -> bytes:
        options = {"format": "png", "width": width, "height": height, "scale": scale}
        # topojson: the empty base maps shipped with the layers (geo.basemap), never plotly's CDN
        return self._run(lambda browser: browser.calc_fig(fig, opts=options, topojson=LAYER_FOLDER_URI),
                         IMAGE_SECONDS + 5, "the chart could not be drawn")


    def _run(self, coroutine, seconds: float, what: str):
        """Run ``coroutine`` (built from the open browser) on the painter's loop; restart the browser on failure."""
        with self._lock:
            if self._kaleido is None:
                self._start()
            future = asyncio.run_coroutine_threadsafe(coroutine(self._kaleido), self._loop)
            try:
                return future.result(seconds)
            except (FutureTimeout, Exception) as error:
                future.cancel()
                self._stop()  # start afresh next time
                raise ChartImageError(f"{what}: {error!r}") from error

    def pdf(self, uri: str) -> bytes:
        return self._run(lambda browser: _print_page(browser, uri), PRINT_SECONDS, "the pages could not be printed")

    def warm(self) -> None:
        with self._lock:
            if self._kaleido is None:
                self._start()

    def close(self) -> None:
        with self._lock:
            self._stop()


async def _print_page(browser, uri: str) -> bytes:
    """Print the local page ``uri`` to PDF in a tab of its own, its @page size and backgrounds as written."""
    tab = await browser.create_tab("")
    try:
        session = tab.get_session()
        await session.send_command("Page.enable")
        loaded = session.subscribe_once("Page.loadEventFired")
        await session.send_command("Page.navigate", params={"url": uri})
        await loaded
        await session.send_command("Runtime.evaluate", params={"expression": "document.fonts.ready.then(() => 1)",
                                                                "awaitPromise": True})
        printed = await session.send_command("Page.printToPDF", params={
            "printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False})
        if "error" in printed:
            raise RuntimeError(printed["error"])
        return base64.b64decode(printed["result"]["data"])
    finally:
        await browser.close_tab(tab.target_id)


_PAINTER = _Painter()
atexit.register(_PAINTER.close)


def chart_png(fig: go.Figure, theme: str = "light", *, width: int = 1600, height: int = 900, scale: float = 1.0) -> bytes:
    """``fig`` as PNG bytes at ``width`` x ``height`` CSS pixels times ``scale``, on the ``theme``'s background."""
    return _PAINTER.png(prepare_for_image(fig, theme), width, height, scale)


def print_pdf_page(uri: str) -> bytes:
    """The local HTML page at ``uri`` printed to PDF by the same browser (no second Chromium to start)."""
    return _PAINTER.pdf(uri)


def warm_painter() -> None:
    """Start the drawing browser now, so the first image or pack does not wait for it."""
    _PAINTER.warm()


def close_painter() -> None:
    """Close the process's drawing browser (it starts again on the next image)."""
    _PAINTER.close()
