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
def server(tmp_path_factory):
    """A running Casemap on 127.0.0.1, seeded with the demo case in a fresh database."""
    port = free_port()
    db = tmp_path_factory.mktemp("db") / "casemap.sqlite"
    env = {**os.environ, "CASEMAP_DATABASE_URL": f"sqlite:///{db}"}
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        raise RuntimeError(f"streamlit did not start; see {log.name}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


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
        """Wait until the script has finished running and the page is idle."""
        self.page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
        )
        self.page.wait_for_timeout(500)

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
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
