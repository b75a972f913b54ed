"""A large upload is parsed in a worker process: other visitors' pages render meanwhile, and leaving ends it."""

from __future__ import annotations

import os
import time

import pytest

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (zombies count as gone)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                state, parent = open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()[:2]
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if int(parent) == pid and state != "Z":
                found.append(int(name))
    return found


def command(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def parse_workers() -> list[int]:
    """The test server's parse workers: the children of its multiprocessing fork server."""
    servers = [pid for pid in children(os.getpid()) if "streamlit" in command(pid)]
    forkservers = [pid for server in servers for pid in children(server) if "forkserver" in command(pid)]
    return [pid for forkserver in forkservers for pid in children(forkserver)]


def wait_until(condition, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture(scope="module")
def large_upload(tmp_path_factory):
    """A suspects list of some 40 MB (under the upload limit), every id and address its own: seconds to parse."""
    path = tmp_path_factory.mktemp("upload") / "large-suspects.csv"
    places = [("湖南", "郴州"), ("广东", "深圳"), ("北京", "北京"), ("湖南", "长沙"), ("广西", "南宁")]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("嫌疑人编号,姓名,角色,状态,省份,城市,地址,抓获日期,涉案金额（元）\r\n")
        for i in range(420_000):
            province, city = places[i % 5]
            out.write(f"S{i:07d},周某{i},手机口,在逃,{province},{city},{province}{city}某区某路{i}号,"
                      f"2024-0{i % 8 + 1}-1{i % 10},{(i * 7919) % 100_000}\r\n")
    assert 30 * 2**20 < path.stat().st_size < 50 * 2**20
    return path


def test_other_visitors_are_served_while_an_upload_is_parsed_and_leaving_stops_it(server, open_page, large_upload):
    watcher = open_page()
    watcher.page.goto(f"{server}/?lang=en")
    watcher.wait_for_app()  # the shell and the overview's caches are warm before the upload starts
    assert parse_workers() == []

    uploader = open_page()
    uploader.page.goto(f"{server}/data?lang=en")
    uploader.wait_for_app()
    uploader.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(large_upload))
    assert wait_until(lambda: len(parse_workers()) == 1, 120), "no worker process parses the upload"
    (worker,) = parse_workers()
    uploader.page.get_by_text("Reading large-suspects.csv…").wait_for(timeout=30_000)
    uploader.screenshot("data-page-reading", whole=False)

    # Another visitor's Overview renders in full while the worker still parses.
    watcher.page.goto(f"{server}/?lang=en&province=430000")
    watcher.wait_for_app()
    assert watcher.page.locator('[data-testid="stMetricValue"]').count() >= 4
    assert watcher.page.locator(ERRORS).count() == 0
    assert worker in parse_workers(), "the parse ended before the other page was drawn: make the upload larger"

    # The uploader leaves: its run is stopped and the worker with it.
    uploader.close()
    assert wait_until(lambda: worker not in parse_workers(), 30), "the worker outlived its visitor"
    watcher.page.reload()
    watcher.wait_for_app()
    assert watcher.page.locator(ERRORS).count() == 0
