"""The hostile links and the hostile case (tests/browser/test_hostile.py) against the signed-in app.

Casemap runs with sign-in through the real OpenID Connect provider of
tests/browser/test_signin.py; an analyst sees the hostile case's text as
stored and a viewer sees it masked, and for both no page shows a link or an
image from it, draws it huge, opens a dialog or asks another host for
anything. Each role signs in once; its pages reuse that sign-in's cookie.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest

from casemap.access import pseudonym
from casemap.store import Store, users
from tests import hostile_case
from tests.browser.conftest import CHROMIUM, RecordedPage, Server, free_port
from tests.browser.test_hostile import ERRORS, HOSTILE_LINKS, NOTICE, foreign_links_and_images, oversized_text
from tests.browser.test_signin import provider, sign_in  # noqa: F401  (provider: a fixture)

ROLES = {"analyst": "hostile-analyst@unit.gov.cn", "viewer": "hostile-viewer@unit.gov.cn"}
PAGES = {"analyst": ["overview", "network", "suspects", "person"], "viewer": ["network", "suspects", "person"]}
SECRET = "the-pseudonym-secret-of-this-test"  # the server's CASEMAP_SECRET, so the test can name a pseudonym


def pseudonym_on_the_server(party: str) -> str:
    saved = os.environ.get("CASEMAP_SECRET")
    os.environ["CASEMAP_SECRET"] = SECRET
    try:
        return pseudonym(hostile_case.NAME, party)
    finally:
        if saved is None:
            del os.environ["CASEMAP_SECRET"]
        else:
            os.environ["CASEMAP_SECRET"] = saved


@pytest.fixture(scope="module")
def signed_hostile_app(tmp_path_factory, provider):  # noqa: F811
    """Casemap with sign-in, the hostile case stored, an analyst and a viewer of every province."""
    folder = tmp_path_factory.mktemp("hostile-signed-in")
    database = f"sqlite:///{folder / 'casemap.sqlite'}"
    with Store(database) as store:
        store.ensure()
        frames = hostile_case.case()
        store.save(hostile_case.NAME, suspects=frames.suspects, payments=frames.payments, milestones=frames.milestones)
        for role, identity in ROLES.items():
            users.add_user(store.engine, identity, role, [], by="test", address="cli")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-only-for-this-test-9876543210"\n'
        'client_id = "casemap"\nclient_secret = "casemap-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    server = Server(database, folder / "streamlit.log", port=port, options=("--secrets.files", str(secrets)),
                    env={"CASEMAP_SECRET": SECRET})
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def signed_in(browser, signed_hostile_app):
    """Role -> the browser storage (cookies) of that role's one sign-in."""
    states = {}
    for role, identity in ROLES.items():
        view = RecordedPage(browser)
        sign_in(view, signed_hostile_app, identity)
        states[role] = view.context.storage_state()
        view.close()
    return states


def open_as(browser, state) -> RecordedPage:
    view = RecordedPage.__new__(RecordedPage)
    view.context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US", storage_state=state)
    view.page = view.context.new_page()
    view.requests = []
    view.page.on("request", lambda request: view.requests.append(request.url))
    return view


def test_a_hostile_link_shows_as_text_when_signed_in(browser, signed_hostile_app, signed_in):
    query = HOSTILE_LINKS["sign-in link"]  # the tracking image takes the same path
    view = open_as(browser, signed_in["analyst"])
    try:
        view.page.goto(f"{signed_hostile_app}/?{query}")
        view.wait_for_app()
        notice = view.page.locator(NOTICE)
        assert notice.count() == 1 and notice.locator("a, img").count() == 0
        view.page.wait_for_timeout(1000)
        assert view.external_requests() == []
        assert foreign_links_and_images(view) == {"links": [], "images": []}
    finally:
        view.close()


@pytest.mark.parametrize("role", list(ROLES))
def test_the_hostile_case_is_harmless_when_signed_in(browser, signed_hostile_app, signed_in, role):
    person = "P1" if role == "analyst" else pseudonym_on_the_server("P1")
    view = open_as(browser, signed_in[role])
    dialogs = []
    view.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for name in PAGES[role]:
            extra = f"&person={quote(person)}" if name == "person" else ""  # a pseudonym's # is %23
            view.page.goto(f"{signed_hostile_app}/{name}?lang=en&case={hostile_case.NAME}{extra}")
            view.wait_for_app()
            assert view.page.get_by_role("button", name="Sign in").count() == 0  # still signed in
            view.page.wait_for_timeout(1000)  # plotly draws after the page settles
            if name == "person":  # P1's own view (a viewer's by pseudonym), not the chooser
                assert person in view.page.locator("h1").first.inner_text()
            if name == "network":
                view.page.locator(".scatterlayer .point").first.hover(force=True)
                view.page.wait_for_timeout(500)
            assert foreign_links_and_images(view) == {"links": [], "images": []}, name
            assert oversized_text(view) == [], name
            assert view.page.locator("svg a, .main-svg a").count() == 0, name
            assert view.page.locator(ERRORS).count() == 0, name
            if role == "viewer":  # ids and the payloads in names never reach a viewer's page
                shown = view.page.locator('[data-testid="stMain"]').inner_text()
                assert "P1" not in shown and "LOGIN" not in shown and "HUGE" not in shown, name
            view.screenshot(f"hostile-signed-in-{role}-{name}", whole=False)
        assert dialogs == []
        assert view.external_requests() == []
    finally:
        view.close()
