"""Server time and websocket bytes of one filter change on the Overview.

Starts `streamlit run app.py` on 127.0.0.1 with a scratch database, opens the
Overview in Debian's Chromium, then toggles a role filter several times. For
each change it records the server's own time for the rerun (printed by
app.py when CASEMAP_TIMING is set), the time from the click to the server's
"script finished" message as the browser sees it, and the websocket bytes the
server sent.
Prints medians; never pass/fail. Budget at demo scale: <= 150 ms, <= 150 KB.

    python bench/filter_interaction.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server_scale import start_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        proc, url = start_server(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", log)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                frames: list[tuple[float, str, int, bytes | str]] = []

                def on_socket(ws):
                    ws.on("framesent", lambda payload: frames.append((time.perf_counter(), "sent", len(payload), payload)))
                    ws.on("framereceived", lambda payload: frames.append((time.perf_counter(), "recv", len(payload), payload)))

                page.on("websocket", on_socket)
                page.goto(f"{url}/?lang=en")
                page.wait_for_selector("path.choroplethlocation", timeout=90_000)
                page.wait_for_timeout(2000)
                first_load = sum(size for _, kind, size, _ in frames if kind == "recv")
                pill = page.locator('[data-testid="stSidebar"] button', has_text="Mobile port").first
                times, sizes, server, counts, geometry = [], [], [], [], 0
                for _ in range(runs):
                    frames.clear()
                    logged = log.read_text().count("casemap-rerun-ms")
                    pill.click()
                    page.wait_for_timeout(2500)
                    reruns = [float(line.split()[-1]) for line in log.read_text().splitlines()
                              if line.startswith("casemap-rerun-ms")][logged:]
                    server.append(sum(reruns))
                    counts.append(len(reruns))
                    sent = [t for t, kind, _, _ in frames if kind == "sent"]
                    received = [(t, size, payload) for t, kind, size, payload in frames if kind == "recv"]
                    if not sent or not received:
                        continue
                    # The last message of a rerun is the "script finished" one.
                    times.append((received[-1][0] - sent[0]) * 1000)
                    sizes.append(sum(size for _, size, _ in received))
                    geometry += sum(1 for _, _, p in received if b'"coordinates"' in (p if isinstance(p, bytes) else p.encode()))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print(f"first load: {first_load / 1024:.1f} KB over the websocket (geometry comes from static files)")
    print(f"filter change, {len(server)} runs: server time median {statistics.median(server):.0f} ms "
          f"(min {min(server):.0f}, max {max(server):.0f}; reruns per change: {sorted(set(counts))})")
    print(f"filter change, {len(times)} runs: median {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f}) as the browser sees it, from click to script finished")
    print(f"filter change: median {statistics.median(sizes) / 1024:.1f} KB sent by the server "
          f"(min {min(sizes) / 1024:.1f}, max {max(sizes) / 1024:.1f})")
    print(f"messages carrying GeoJSON coordinates: {geometry}")


if __name__ == "__main__":
    main()
