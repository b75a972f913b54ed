"""Two replicas, one PostgreSQL: an import through one app process shows in the other on its next rerun.

Each replica is its own `streamlit run` with its own caches and snapshot
folder, as in deploy/compose.yaml; only the database is shared. The second
replica has the case's figures cached when the first imports, so the test
fails if any result outlives a data-version change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.conftest import Server

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CASE = "shared"

pytestmark = pytest.mark.postgresql


def cli_import(url: str, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "casemap", "import", str(path), "--case", CASE, "--json"],
        cwd=ROOT, env={**os.environ, "CASEMAP_DATABASE_URL": url}, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def replicas(fresh_store_url, tmp_path):
    url = fresh_store_url("postgresql")
    first = cli_import(url, FIXTURES / "suspects_messy.csv")  # the case exists before either replica starts
    def start(name):
        return Server(url, tmp_path / f"{name}.log", env={"CASEMAP_SNAPSHOT_DIR": str(tmp_path / f"snapshots-{name}")})

    with ThreadPoolExecutor(2) as pool:  # the two start (and stop) side by side
        servers = list(pool.map(start, ("one", "two")))
        try:
            yield first, servers[0].url, servers[1].url
        finally:
            list(pool.map(Server.stop, servers))


def headline(view) -> dict[str, str]:
    labels = view.page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = view.page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return dict(zip((label.strip() for label in labels), values))


def test_an_import_through_one_replica_shows_in_the_other(replicas, open_page):
    first, one, two = replicas
    watcher, importer = open_page(), open_page()
    page = importer.page
    # Both replicas draw their first page at once (the shell first: see test_data_page.py).
    watcher.page.goto(f"{two}/?lang=en&case={CASE}")
    page.goto(f"{one}/?lang=en")
    watcher.wait_for_app()
    before = headline(watcher)
    assert before["Suspects"] == str(first["accepted"]) and before["Payments traced"] == "0"

    importer.wait_for_app()
    page.goto(f"{one}/data?lang=en")
    importer.wait_for_app()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [str(FIXTURES / "payments_messy_gb18030.csv")])
    page.get_by_text("headers on row").first.wait_for(timeout=60_000)
    importer.wait_for_app()
    assert page.get_by_role("combobox", name="Into case").input_value() == CASE
    accepted = int(page.locator('[data-testid="stMetricValue"]').all_inner_texts()[1])
    page.get_by_role("button", name=f"Import {accepted} rows").click()
    page.get_by_text("Stored").first.wait_for(timeout=60_000)
    importer.wait_for_app()

    # The other replica, on its next rerun (any widget), shows the new payments.
    watcher.page.get_by_role("button", name="Reset filters").click()
    watcher.page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].some(e => e.innerText === n)",
        arg=str(accepted), timeout=60_000)
    watcher.wait_for_app()
    after = headline(watcher)
    assert after["Payments traced"] == str(accepted) and accepted > 0
    assert after["Suspects"] == before["Suspects"]
    watcher.screenshot("replicas-second-sees-the-import")
