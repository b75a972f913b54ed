"""What each role is offered on the pages (AppTest): import, undo and downloads for analysts, users and audit for admins.

The sign-in itself runs in tests/browser/test_signin.py; here the shell is
handed an Access directly, the way app.py hands it the signed-in user's.
"""

import pytest
import streamlit as st

from casemap.store import Store, users
from casemap.ui.layout import THEME_RERUN_KEY
from tests.apptest import page_test


def page_buttons(at):
    """The page's own buttons: the frame's hidden theme button is on every page."""
    return [button for button in at.main.button if button.key != THEME_RERUN_KEY]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('roles') / 'casemap.sqlite'}"
    with Store(url) as store:
        store.ensure()
    return url


@pytest.fixture
def page_as(database, monkeypatch):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", database)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(page, role, user="someone@unit", provinces=None):
        at = page_test(page, access=f"Access({user!r}, {role!r}, Scope.of({provinces!r}))")
        at.query_params["lang"] = "en"
        return at.run()

    return run


def test_a_viewer_gets_no_import_undo_or_download(page_as):
    at = page_as("data", "viewer")
    assert not at.exception
    assert not at.get("file_uploader") and not page_buttons(at) and not at.get("download_button")
    assert "may look at the case but not import" in " ".join(i.value for i in at.info)
    at = page_as("suspects", "viewer")
    assert not at.exception and at.dataframe and not at.get("download_button")


def test_an_analyst_may_import_and_download_within_their_provinces(page_as):
    at = page_as("data", "analyst", provinces=["430000"])
    assert not at.exception and at.get("file_uploader")
    at = page_as("suspects", "analyst", provinces=["430000"])
    assert not at.exception and len(at.get("download_button")) == 2


@pytest.mark.parametrize("page", ["users", "audit"])
def test_admin_pages_show_nothing_to_others(page_as, page):
    at = page_as(page, "analyst")
    assert not at.exception and not at.dataframe and not page_buttons(at)


def test_an_admin_adds_a_user_and_the_change_is_audited(page_as, database):
    at = page_as("users", "admin", user="chief@unit")
    at.text_input(key="users_identity").input("Wang@Unit")
    at.selectbox(key="users_role").select("analyst")
    at.multiselect(key="users_provinces").select("430000")
    at = page_buttons(at)[0].click().run()
    assert not at.exception and not at.error
    engine = Store(database).engine
    added = users.get_user(engine, "wang@unit")
    assert (added.role, added.provinces) == ("analyst", ("430000",))
    change = users.read_audit(engine, action="user_add")[0]
    assert (change.identity, change.detail["user"]) == ("chief@unit", "wang@unit")
    at = page_as("users", "admin", user="chief@unit")
    assert "wang@unit" in at.dataframe[0].value.iloc[:, 0].tolist()
    at = page_as("audit", "admin", user="chief@unit")
    assert "user_add" in at.dataframe[0].value.iloc[:, 3].tolist()


def test_an_admin_cannot_remove_themself(page_as, database):
    users.add_user(Store(database).engine, "boss@unit", "admin", [], by="cli", address="cli")
    at = page_as("users", "admin", user="boss@unit")
    at.selectbox(key="users_remove_choice").select("boss@unit")
    at = next(b for b in at.button if b.key == "users_remove").click().run()
    assert at.error and users.get_user(Store(database).engine, "boss@unit") is not None
