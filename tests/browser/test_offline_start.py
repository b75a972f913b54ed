"""Offline, proven the way people start it: the README's `streamlit run app.py`, every proxy pointed at a trap.

The app is started with the README's command (no address or headless flags;
only the port comes from the environment, as Streamlit reads it), with
every proxy variable aimed at a local listener that records whatever reaches
it. Nothing may reach it: not at startup (Streamlit looks up an "External
URL" unless told the server's address), not while every page is served in
English and Chinese. The pages themselves may fetch nothing but the app's
own address (Chromium's own background services are the browser's, not the
app's, and are left out).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, RecordedPage, free_port

PAGES = ("", "map", "timeline", "flows", "network", "suspects", "person?person=S006", "data")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "ftp_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                   "FTP_PROXY")


class Trap:
    """A TCP listener that records the first line of every connection made to it and answers nothing useful."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.caught: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    first = "(connection without a request line)"
                self.caught.append(first or "(empty connection)")
                try:
                    conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    def close(self):
        self.sock.close()


def readme_run_command() -> list[str]:
    """The README's start command's last step, with this test run's virtual environment."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/streamlit run app.py\n" in readme, "the README's start command changed; update this test"
    return [str(Path(sys.executable).parent / "streamlit"), "run", "app.py"]


@pytest.fixture
def trap():
    listening = Trap()
    yield listening
    listening.close()


def test_the_app_started_as_the_readme_says_makes_no_request_beyond_this_machine(tmp_path, trap, browser):
    port = free_port()
    proxy = f"http://127.0.0.1:{trap.port}"
    env = {key: value for key, value in os.environ.items() if key.lower() != "no_proxy"}
    env.update({name: proxy for name in PROXY_VARIABLES})
    env.update({"STREAMLIT_SERVER_PORT": str(port),
                "CASEMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'casemap.sqlite'}"})
    log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(readme_run_command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # this test's own requests go direct
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if direct.open(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    pytest.fail(f"the app did not start: {(tmp_path / 'streamlit.log').read_text()}")
                time.sleep(0.5)
        for lang in ("en", "zh"):
            for page in PAGES:
                view = RecordedPage(browser, locale="zh-CN" if lang == "zh" else "en-US")
                view.page.goto(f"{url}/{page}{'&' if '?' in page else '?'}lang={lang}")
                view.wait_for_app()
                assert view.page.locator('[data-testid="stException"]').count() == 0, page
                assert view.external_requests() == [], page
                view.close()
        time.sleep(1)  # a lookup started at startup would have reached the trap by now
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    output = (tmp_path / "streamlit.log").read_text()
    assert "External URL" not in output
    assert trap.caught == [], f"requests the app tried to send out: {trap.caught}"
