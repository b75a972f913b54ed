"""A large case through the app as people use it: import, first load of each page, a filter click, 10 sessions.

1. Generates a deterministic case (bench/large_case.py) as CSV files and
   imports them with ``python -m casemap import`` (timed, peak memory of the
   import process).
2. Starts ``streamlit run app.py`` on 127.0.0.1 against that store and opens
   every page in Debian's Chromium twice: right after the import (nothing
   cached) and again in a fresh browser (the server warm). For each it prints
   the server's own time (printed by app.py when CASEMAP_TIMING is set, summed
   over the reruns of the load) and the wall time from opening the link to
   the page's last change (a browser context of its own; the Data page, which
   reads almost nothing, shows what Streamlit and Chromium alone cost). A
   third round opens them in a browser that has loaded the app before, its
   scripts cached, as for someone coming back to it.
3. Clicks a role filter on the Overview several times: server time and
   websocket bytes per click (medians).
4. Opens 10 sessions at once and prints the server's peak resident memory.

Prints figures, never pass/fail.

    python bench/server_scale.py [--suspects 100000] [--payments 1000000] [--database URL]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = "bench"
PAGES = ("overview", "map", "timeline", "flows", "network", "suspects", "data")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
SETTLED = """() => (document.querySelector('[data-testid="stStatusWidget"]') ? 'running' : '')
    + (document.querySelector('[data-testid="stSkeleton"]') ? 'skeleton' : '')
    + (document.querySelector('[data-testid="stMain"]') || {innerText: ''}).innerText"""


def run_import(database: str, files: list[Path]) -> None:
    """Import the files with the command line, printing time and peak memory of each import."""
    for path in files:
        began = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "casemap", "import", str(path), "--case", CASE, "--json"],
                                cwd=ROOT, env={**os.environ, "CASEMAP_DATABASE_URL": database},
                                stdout=subprocess.DEVNULL)
        peak = 0.0
        while proc.poll() is None:  # VmHWM can only be read while the process lives
            try:
                peak = max(peak, peak_memory_mb(proc.pid))
            except OSError:
                pass
            time.sleep(0.2)
        if proc.returncode:
            raise SystemExit(f"import of {path.name} failed")
        size = path.stat().st_size / 2**20
        print(f"import {path.name} ({size:.0f} MB): {time.perf_counter() - began:.1f} s "
              f"(snapshot for the pages included), peak memory {peak:.0f} MB", flush=True)


def start_server(database: str, log: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1"],
        cwd=ROOT, env={**os.environ, "CASEMAP_DATABASE_URL": database, "CASEMAP_TIMING": "1"},
        stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("streamlit did not start")


def server_ms(log: Path, since: int) -> tuple[float, int]:
    """Server time summed over the reruns logged after the first ``since``, and how many there were."""
    reruns = [float(line.split()[-1]) for line in log.read_text().splitlines()
              if line.startswith("casemap-rerun-ms")][since:]
    return sum(reruns), len(reruns)


def reruns_logged(log: Path) -> int:
    return log.read_text().count("casemap-rerun-ms")


def settle(page, timeout: float = 300) -> float:
    """Wait until the page's text has not changed for about a second and nothing is running.

    Returns the moment (``time.perf_counter()``) the page last changed: when
    it was ready, without the second spent making sure.
    """
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout * 1000)
    deadline, last, steady, changed = time.time() + timeout, None, 0, time.perf_counter()
    while time.time() < deadline and steady < 4:
        page.wait_for_timeout(250)
        text = page.evaluate(SETTLED)
        busy = text.startswith(("running", "skeleton"))
        if text != last or busy:
            changed = time.perf_counter()
        steady = steady + 1 if text == last and not busy else 0
        last = text
    return changed


def peak_memory_mb(pid: int) -> float:
    """The peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def page_loads(browser, url: str, log: Path, label: str, *, cached_browser: bool = False) -> None:
    """Open every page once; each in a fresh browser context, or all in one that has loaded the app before."""
    shared = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US") if cached_browser else None
    if shared is not None:  # Streamlit's scripts and styles in the browser's cache, as for anyone back at their desk
        settle_page = shared.new_page()
        settle_page.goto(f"{url}/data?lang=en")
        settle(settle_page)
        settle_page.close()
    for name in PAGES:
        context = shared or browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US")
        page = context.new_page()
        since, began = reruns_logged(log), time.perf_counter()
        page.goto(f"{url}/{name}?case={CASE}&lang=en")
        wall = settle(page) - began
        server, count = server_ms(log, since)
        print(f"{label:18s} {name:9s} server {server / 1000:6.2f} s over {count} rerun(s), ready after {wall:6.2f} s",
              flush=True)
        page.close()
        if shared is None:
            context.close()
    if shared is not None:
        shared.close()


def filter_clicks(browser, url: str, log: Path, runs: int) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US")
    page = context.new_page()
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    page.goto(f"{url}/?case={CASE}&lang=en")
    settle(page)
    pill = page.locator('[data-testid="stSidebar"] button', has_text="Mobile port").first
    servers, sizes = [], []
    for _ in range(runs):
        received.clear()
        since = reruns_logged(log)
        pill.click()
        settle(page)
        servers.append(server_ms(log, since)[0])
        sizes.append(sum(received))
    print(f"filter click, {runs} runs: server median {statistics.median(servers):.0f} ms "
          f"(min {min(servers):.0f}, max {max(servers):.0f}); websocket median {statistics.median(sizes) / 1024:.0f} KB "
          f"(max {max(sizes) / 1024:.0f} KB)", flush=True)
    context.close()


def sessions(browser, url: str, pid: int, count: int) -> None:
    contexts = [browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US") for _ in range(count)]
    pages = [context.new_page() for context in contexts]
    for number, page in enumerate(pages):
        page.goto(f"{url}/{PAGES[number % 4]}?case={CASE}&lang=en")
    for page in pages:
        settle(page)
    print(f"{count} sessions open: server peak memory {peak_memory_mb(pid):.0f} MB", flush=True)
    for context in contexts:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suspects", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--database", help="SQLAlchemy URL of an empty database (default: a temporary SQLite file)")
    parser.add_argument("--clicks", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = args.database or f"sqlite:///{folder / 'bench.sqlite'}"
        os.environ["CASEMAP_SNAPSHOT_DIR"] = str(folder / "snapshots")  # for the imports and the server
        subprocess.run([sys.executable, str(ROOT / "bench" / "large_case.py"), "--suspects", str(args.suspects),
                        "--payments", str(args.payments), "--out", str(folder)], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        print(f"store: {database.split('@')[-1]}; case: {args.suspects:,} suspects, {args.payments:,} payments")
        run_import(database, [folder / "suspects.csv", folder / "payments.csv"])
        log = folder / "server.log"
        proc, url = start_server(database, log)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page_loads(browser, url, log, "after the import")
                page_loads(browser, url, log, "server warm")
                page_loads(browser, url, log, "browser cache warm", cached_browser=True)
                filter_clicks(browser, url, log, args.clicks)
                sessions(browser, url, proc.pid, 10)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
