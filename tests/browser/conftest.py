"""Browser tests: Playwright driving Debian's Chromium against `streamlit run app.py`.

The server runs on 127.0.0.1 with its own SQLite store; every test records the
requests its page makes, and screenshots land in artifacts/screenshots/ for a
person to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
# Flags that keep Chromium from calling home (it would otherwise try Google's hosts).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The browser tests' own store; the server seeds the demo case into it."""
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'casemap.sqlite'}"


class Server:
    """`streamlit run app.py` on a free 127.0.0.1 port, with its own store and log."""

    def __init__(self, database_url: str, log_path: Path, *, address: str = "127.0.0.1", port: int | None = None,
                 options: tuple[str, ...] = (), env: dict[str, str] | None = None):
        port = port or free_port()
        env = {**os.environ, "CASEMAP_DATABASE_URL": database_url, **(env or {})}
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(port), "--server.address", address, "--server.headless", "true", *options],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.url = f"http://{address}:{port}"
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {log_path}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, database_url):
    """A running Casemap on 127.0.0.1, seeded with the demo case in a fresh database."""
    running = Server(database_url, tmp_path_factory.mktemp("log") / "streamlit.log")
    yield running.url
    running.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class RecordedPage:
    """A page in a fresh context that remembers every request it made."""

    def __init__(self, browser, *, color_scheme="light", locale="en-US", width=1920, height=1080):
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=color_scheme, locale=locale
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def external_requests(self) -> list[str]:
        """Requests that left 127.0.0.1 (data: and blob: URLs never leave the page)."""
        local = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
        return [url for url in self.requests if not url.startswith(local)]

    def wait_for_app(self, timeout=60_000):
        """Wait until a page has rendered its title and stopped changing.

        Streamlit shows its running indicator only after a delay, so the
        page counts as settled when its text has not changed for a second.
        """
        self.page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
        deadline = time.time() + timeout / 1000
        last, steady = None, 0
        while time.time() < deadline and steady < 4:
            self.page.wait_for_timeout(300)
            text = self.page.evaluate(
                "() => (document.querySelector('[data-testid=\"stStatusWidget\"]') ? 'running' : '')"
                " + document.querySelector('[data-testid=\"stMain\"]').innerText"
            )
            steady = steady + 1 if text == last and not text.startswith("running") else 0
            last = text

    def screenshot(self, name: str, *, whole: bool = True) -> Path:
        """Save a screenshot; ``whole`` grows the viewport to the page's height first.

        Streamlit scrolls inside its main container, so a full-page capture
        of the document alone would stop at the first screen.
        """
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        size = self.page.viewport_size
        if whole:
            height = self.page.evaluate(
                "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
                "[data-testid=\"stSidebarContent\"]')].map(e => e.scrollHeight), window.innerHeight)"
            )
            self.page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 6000)})
            self.page.wait_for_timeout(800)
        self.page.screenshot(path=str(path))
        if whole:
            self.page.set_viewport_size(size)
        return path

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser):
    pages: list[RecordedPage] = []

    def opener(**kwargs) -> RecordedPage:
        page = RecordedPage(browser, **kwargs)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.close()
