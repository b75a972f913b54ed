"""Hostile links and files in a real browser (issue 14), and the Host allow-list of the running server.

The two links of the issue put Markdown into the "ignored parameter" notice;
the hostile case (tests/hostile_case.py) puts links, images, styles and line
breaks into every free-text field. No page may show a link or image from
them, draw their text huge, or make a request that leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import os
import socket
from urllib.parse import quote, urlparse

import pytest

from tests import hostile_case

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
NOTICE = '[data-testid="stAlert"]:has-text("Ignored URL parameter")'
# The links: a back-tick ends the old code span, then Markdown draws a link or fetches an image.
HOSTILE_LINKS = {
    "sign-in link": "lang=zz%60%20%5BSession%20expired%3A%20sign%20in%20again%5D"
                    "(https%3A%2F%2Fevil.invalid%2Flogin)%20%60",
    "tracking image": "lang=zz%60%20!%5Ba%5D(http%3A%2F%2F127.0.0.1%3A9%2Ftrack.png)%20%60",
}
PAGES = ["overview", "map", "timeline", "flows", "network", "suspects", "person", "data"]
# Text drawn from the data never gets bigger than the page's own headings.
MAX_FONT_PX = 48


def foreign_links_and_images(view) -> dict:
    """Links that lead away from the app, and images not served by it, anywhere on the page (SVG included)."""
    return view.page.evaluate("""() => {
        const local = (url) => !url || url.startsWith(location.origin) || url.startsWith('data:')
            || url.startsWith('blob:') || url.startsWith('#') || url.startsWith('?') || url.startsWith('/');
        const links = [...document.querySelectorAll('a')]
            .map(a => a.getAttribute('href') || a.getAttribute('xlink:href')).filter(href => href && !local(href));
        const images = [...document.querySelectorAll('img, image')]
            .map(i => i.getAttribute('src') || i.getAttribute('href')).filter(src => src && !local(src));
        return {links, images};
    }""")


def oversized_text(view) -> list:
    """Elements showing a payload's marker word in a font larger than :data:`MAX_FONT_PX`."""
    return view.page.evaluate("""(limit) => [...document.querySelectorAll('body *')]
        .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && /HUGE|LOGIN|BOLD/.test(n.textContent)))
        .map(e => [e.tagName, parseFloat(getComputedStyle(e).fontSize)])
        .filter(([, size]) => size > limit)""", MAX_FONT_PX)


@pytest.mark.parametrize("query", list(HOSTILE_LINKS.values()), ids=list(HOSTILE_LINKS))
def test_a_hostile_link_shows_its_value_as_plain_text(server, open_page, query):
    view = open_page()
    view.page.goto(f"{server}/?{query}")
    view.wait_for_app()
    notice = view.page.locator(NOTICE)
    assert notice.count() == 1
    assert notice.locator("a, img").count() == 0
    assert "zz`" in notice.inner_text()  # the value, as typed
    view.page.wait_for_timeout(1000)  # an image would have been asked for by now
    fetched = [urlparse(url) for url in view.requests]
    assert not [url for url in fetched if url.hostname == "evil.invalid" or url.path.endswith("track.png")]
    assert view.external_requests() == []
    view.screenshot(f"hostile-link-{'image' if 'track' in query else 'sign-in'}", whole=False)


def test_a_link_with_thousands_of_bad_values_gets_a_short_notice(server, open_page):
    view = open_page()
    bad = quote(",".join(f"{n:06d}" for n in range(100_000, 103_000)))
    view.page.goto(f"{server}/?lang=en&province={bad}")
    view.wait_for_app()
    notice = view.page.locator(NOTICE)
    assert notice.locator("li").count() <= 10
    assert "more" in notice.inner_text()
    assert notice.bounding_box()["height"] < 400


@pytest.fixture(scope="module")
def hostile(server, database_url):
    """The hostile case, stored in the running server's database."""
    from casemap.store import Store

    with Store(database_url) as store:
        if hostile_case.NAME not in store.cases():
            frames = hostile_case.case()
            store.save(hostile_case.NAME, suspects=frames.suspects, payments=frames.payments,
                       milestones=frames.milestones)
    return hostile_case.NAME


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_a_hostile_case_shows_no_link_image_or_huge_text(server, open_page, hostile, name, lang):
    view = open_page()
    dialogs = []
    view.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    person = "&person=P1" if name == "person" else ""  # P1 paid the vendor whose id and name are hostile
    view.page.goto(f"{server}/{name}?lang={lang}&case={hostile}{person}")
    view.wait_for_app()
    view.page.wait_for_timeout(2000)  # plotly draws after the page settles
    if name == "network":
        view.page.locator(".scatterlayer .point").first.hover(force=True)  # a hover label with a name in it
        view.page.wait_for_timeout(500)
    found = foreign_links_and_images(view)
    assert found == {"links": [], "images": []}
    assert oversized_text(view) == []
    assert view.page.locator("svg a, .main-svg a").count() == 0  # plotly draws <a> for a link in its text
    assert dialogs == []
    assert view.page.locator(ERRORS).count() == 0
    assert view.external_requests() == []
    view.screenshot(f"hostile-case-{name}-{lang}")


def websocket_handshake(server: str, host: str) -> str:
    """The status line the server answers a WebSocket upgrade with, sent with ``Host: host``."""
    address = urlparse(server)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((
            f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
        ).encode())
        return sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8501", "rebound.127.0.0.1.nip.io"])
def test_a_foreign_host_cannot_open_the_apps_websocket(server, host):
    assert " 403 " in websocket_handshake(server, host)


def test_the_apps_own_host_opens_its_websocket(server):
    assert " 101 " in websocket_handshake(server, urlparse(server).netloc)
