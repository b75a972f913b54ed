"""Sign-in through a real OpenID Connect provider, roles in the browser, the audit trail, and local mode's door.

The provider is ``oidc-provider-mock`` on 127.0.0.1 (its sign-in form takes
any subject); Casemap runs with an ``[auth]`` section in a secrets.toml of
its own. Nothing inside Casemap is replaced.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from casemap.store import Store, users
from tests.browser.conftest import RecordedPage, Server, free_port

VIEWER, ANALYST, STRANGER = "viewer@unit.gov.cn", "analyst@unit.gov.cn", "stranger@unit.gov.cn"
METRIC = '[data-testid="stMetric"]'
HEADLINE_CARDS = 7  # the Overview's six headline figures and the accounts rented
NAV_LINK = '[data-testid="stSidebarNav"] a'


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The OpenID Connect provider on a free 127.0.0.1 port."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("oidc") / "provider.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "-p", str(port)], stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.terminate()
                raise RuntimeError("the OIDC provider did not start") from None
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory, provider):
    """Casemap with sign-in, and its store: a viewer of every province and an analyst of Hunan."""
    folder = tmp_path_factory.mktemp("signin-app")
    database = f"sqlite:///{folder / 'casemap.sqlite'}"
    with Store(database) as store:
        store.ensure()
        users.add_user(store.engine, VIEWER, "viewer", [], by="test", address="cli")
        users.add_user(store.engine, ANALYST, "analyst", ["430000"], by="test", address="cli")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-only-for-this-test-0123456789"\n'
        'client_id = "casemap"\nclient_secret = "casemap-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    server = Server(database, folder / "streamlit.log", port=port, options=("--secrets.files", str(secrets)))
    yield server.url, Store(database)
    server.stop()


def sign_in(view, app: str, subject: str) -> None:
    """Open the app, press Sign in, and sign in as ``subject`` on the provider's form."""
    view.page.goto(f"{app}/?lang=en")
    view.page.get_by_role("button", name="Sign in").click()
    view.page.get_by_placeholder("sub").fill(subject)
    view.page.get_by_role("button", name="Authorize").click()
    view.page.wait_for_url(f"{app}/**", timeout=30_000)
    view.wait_for_app()


def nav_titles(view) -> list[str]:
    return [link.inner_text().strip() for link in view.page.locator(NAV_LINK).all()]


def actions_of(store: Store, identity: str | None) -> list[tuple[str, dict]]:
    return [(e.action, e.detail) for e in reversed(users.read_audit(store.engine)) if e.identity == identity]


def test_nobody_signed_in_gets_nothing_and_a_stranger_is_refused(signed_app, open_page):
    app, store = signed_app
    view = open_page()
    view.page.goto(f"{app}/suspects?lang=en")
    view.wait_for_app()
    assert view.page.get_by_role("button", name="Sign in").is_visible()
    assert view.page.locator(f'{METRIC}, {NAV_LINK}, [data-testid="stDataFrame"]').count() == 0
    view.screenshot("signin-prompt", whole=False)
    sign_in(view, app, STRANGER)
    assert "not authorised" in view.page.locator('[data-testid="stMain"]').inner_text()
    assert view.page.locator(f"{METRIC}, {NAV_LINK}").count() == 0
    assert [(a, d["outcome"]) for a, d in actions_of(store, STRANGER)] == [("denied", "not_authorised")]


def test_a_viewer_sees_figures_but_no_data_page_then_signs_out(signed_app, open_page):
    app, store = signed_app
    view = open_page()
    sign_in(view, app, VIEWER)
    assert view.page.locator(METRIC).count() == HEADLINE_CARDS
    assert nav_titles(view) == ["Overview", "Map", "Timeline", "Money flows", "Link analysis", "Suspects", "Person",
                                "Briefing"]
    view.screenshot("signin-viewer", whole=False)
    view.page.goto(f"{app}/data?lang=en")  # not offered: the overview instead, and the request is audited
    view.wait_for_app()
    assert view.page.locator('[data-testid="stFileUploader"]').count() == 0
    view.page.keyboard.press("Escape")  # Streamlit's "page not found" note
    view.page.get_by_role("button", name="Sign out").click()
    view.page.get_by_role("button", name="End session").click()  # the provider's own sign-out
    view.page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert view.page.locator(f"{METRIC}, {NAV_LINK}").count() == 0
    seen = actions_of(store, VIEWER)
    assert [(a, d["role"]) for a, d in seen if a == "sign_in"] == [("sign_in", "viewer")]
    assert ("page_view", {"page": "overview", "filters": {}}) in seen  # back from the provider: no query string
    assert ("denied", {"outcome": "page_not_offered", "page": "data", "role": "viewer"}) in seen
    assert seen[-1][0] == "sign_out"


def test_an_analyst_of_hunan_sees_hunan_and_may_import(signed_app, open_page):
    app, store = signed_app
    view = open_page()
    sign_in(view, app, ANALYST)
    figures = dict(zip(view.page.locator('[data-testid="stMetricLabel"]').all_inner_texts(),
                       view.page.locator('[data-testid="stMetricValue"]').all_inner_texts()))
    assert figures["Provinces"] == "1"
    assert "Data" in nav_titles(view) and "Users" not in nav_titles(view) and "Audit log" not in nav_titles(view)
    assert "湖南 Hunan" in view.page.locator('[data-testid="stSidebar"]').inner_text()
    view.page.goto(f"{app}/data?lang=en")  # a new session of the same sign-in
    view.wait_for_app()
    assert view.page.locator('[data-testid="stFileUploader"]').count() == 1
    view.screenshot("signin-analyst-data", whole=False)
    seen = actions_of(store, ANALYST)
    assert [a for a, _ in seen].count("sign_in") == 1  # one sign-in, two sessions
    assert {d["page"] for a, d in seen if a == "page_view"} == {"overview", "data"}


def outward_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if ipaddress.ip_address(address).is_loopback else address


def test_local_mode_serves_no_data_to_another_address(signed_app, tmp_path, open_page):
    address = outward_address()
    if address is None:
        message = "this machine has no address besides loopback"
        if os.environ.get("CI"):  # in CI a skipped refusal test would prove nothing
            pytest.fail(message)
        pytest.skip(message)
    database = signed_app[1].url  # the same store, without sign-in: already seeded
    server = Server(database, tmp_path / "streamlit.log", address=address, options=("--server.allowedHosts", address))
    try:
        view = open_page()
        view.page.goto(f"{server.url}/suspects?lang=en")
        view.wait_for_app()
        assert "Sign-in is not configured" in view.page.locator('[data-testid="stMain"]').inner_text()
        assert view.page.locator(f'{METRIC}, {NAV_LINK}, [data-testid="stDataFrame"]').count() == 0
        view.screenshot("signin-local-refused", whole=False)
    finally:
        server.stop()
    denied = [e for e in users.read_audit(signed_app[1].engine, action="denied") if e.address == address]
    assert [(e.identity, e.detail["outcome"]) for e in denied] == [(None, "not_configured")]


def test_trusted_header_mode_serves_the_proxys_user_and_refuses_the_rest(signed_app, tmp_path, browser, monkeypatch):
    database = signed_app[1].url  # the same store and users, behind a "proxy" instead of OIDC
    monkeypatch.setenv("CASEMAP_TRUSTED_HEADER", "X-Remote-User")
    monkeypatch.setenv("CASEMAP_TRUSTED_PROXIES", "127.0.0.1")  # the "proxy" is this test, on loopback
    server = Server(database, tmp_path / "streamlit.log")
    views = [RecordedPage(browser), RecordedPage(browser)]
    try:
        views[1].context.set_extra_http_headers({"X-Remote-User": ANALYST})
        for view in views:
            view.page.goto(f"{server.url}/?lang=en")
            view.wait_for_app()
        refused, served = (view.page.locator('[data-testid="stMain"]').inner_text() for view in views)
        assert "did not come through the unit's sign-in proxy" in refused
        assert views[0].page.locator(f"{METRIC}, {NAV_LINK}").count() == 0
        assert "湖南 Hunan" in views[1].page.locator('[data-testid="stSidebar"]').inner_text()
        assert views[1].page.locator(METRIC).count() == HEADLINE_CARDS
    finally:
        for view in views:
            view.close()
        server.stop()
    log = users.read_audit(signed_app[1].engine)
    assert any(e.action == "denied" and e.detail["outcome"] == "untrusted" for e in log)
    assert any(e.identity == ANALYST and e.action == "sign_in" and e.detail["mode"] == "header" for e in log)
