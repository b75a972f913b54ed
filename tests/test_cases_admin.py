"""Case management for admins: the stored cases counted in SQL, deleting one (never the demo) audited,
``python -m casemap case list|delete``, and the Cases page (AppTest) for an admin and for others."""

import json

import pytest
import streamlit as st

from casemap import cli
from casemap.demo import generate_demo
from casemap.store import DEMO_CASE, ReadOnlyCaseError, Store, UnknownCaseError, users
from casemap.ui.layout import THEME_RERUN_KEY
from tests.apptest import page_test


@pytest.fixture(scope="module")
def demo_data():
    return generate_demo()


@pytest.fixture
def store(tmp_path, demo_data):
    url = f"sqlite:///{tmp_path / 'casemap.sqlite'}"
    with Store(url) as store:
        store.ensure()
        store.save("copy", suspects=demo_data.suspects, payments=demo_data.payments)
        store.save("copy", suspects=demo_data.suspects.head(5), mode="replace")  # older rows: not live
        store.freeze("copy", "for the chief", {"case": "copy"})
        store.save("empty")
        yield store


def test_summaries_count_live_rows_without_loading(store):
    found = {c.name: c for c in store.case_summaries()}
    assert list(found) == store.cases()
    for name in ("copy", "empty", DEMO_CASE):
        data = store.load(name)
        assert (found[name].suspects, found[name].payments) == (len(data.suspects), len(data.payments))
        assert found[name].version == store.data_version(name)
        assert found[name].read_only == (name == DEMO_CASE)
    assert found["copy"].suspects == 5 and found["copy"].payments > 0


def test_deleting_a_case_is_audited_with_what_was_deleted(store):
    before = {c.name: c for c in store.case_summaries()}["copy"]
    deleted = store.delete_case("copy", by="chief@unit", address="10.0.0.9")
    assert deleted == before
    assert "copy" not in store.cases() and store.frozen_snapshots("copy") == []
    entry = users.read_audit(store.engine, action="case_delete")[0]
    assert (entry.identity, entry.address) == ("chief@unit", "10.0.0.9")
    assert entry.detail == {"case": "copy", "data_version": before.version, "suspects": before.suspects,
                            "payments": before.payments, "snapshots": 1}


def test_the_demo_and_unknown_cases_are_refused_and_not_audited(store):
    with pytest.raises(ReadOnlyCaseError):
        store.delete_case(DEMO_CASE, by="chief@unit", address="cli")
    with pytest.raises(UnknownCaseError):
        store.delete_case("ghost", by="chief@unit", address="cli")
    assert DEMO_CASE in store.cases() and users.read_audit(store.engine, action="case_delete") == []


# -- the command line ---------------------------------------------------------------------------

@pytest.fixture
def run(store, monkeypatch, capsys):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", store.url)

    def run(*argv):
        try:
            code = cli.main(list(argv))
        except SystemExit as exit:  # argparse's own refusals
            code = exit.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_lists_and_deletes_a_case_audited(run, store):
    code, out, _ = run("case", "list", "--json")
    listed = {c["name"]: c for c in json.loads(out)}
    assert code == 0 and set(listed) == {"copy", "empty", DEMO_CASE}
    assert listed["copy"]["suspects"] == 5 and listed[DEMO_CASE]["read_only"] and not listed["copy"]["read_only"]
    code, out, _ = run("case", "list")
    assert code == 0 and len(out.splitlines()) == 3 and "read-only" in out.splitlines()[1]
    code, out, _ = run("case", "delete", "copy")
    assert code == 0 and "Deleted case copy" in out
    assert "copy" not in store.cases()
    code, out, _ = run("audit", "--action", "case_delete", "--json")
    [entry] = json.loads(out)
    assert entry["address"] == "cli" and entry["detail"]["case"] == "copy"


@pytest.mark.parametrize("argv, message", [
    (("case", "delete", DEMO_CASE), "read-only"),
    (("case", "delete", "ghost"), "no case named 'ghost'"),
    (("case", "delete"), "the following arguments are required"),
])
def test_cli_refusals_exit_2_with_one_line_and_change_nothing(run, store, argv, message):
    before = store.cases()
    code, _, err = run(*argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) <= 3
    assert store.cases() == before and users.read_audit(store.engine, action="case_delete") == []


# -- the page -------------------------------------------------------------------------------------

def page_buttons(at):
    return [button for button in at.main.button if button.key != THEME_RERUN_KEY]


@pytest.fixture
def page_as(store, monkeypatch):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", store.url)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(role, user="chief@unit"):
        at = page_test("cases", access=f"Access({user!r}, {role!r}, Scope.of(None))")
        at.query_params["lang"] = "en"
        return at.run()

    return run


def test_an_admin_deletes_a_case_after_typing_its_name(page_as, store):
    at = page_as("admin")
    assert not at.exception
    assert "copy" in at.dataframe[0].value.iloc[:, 0].tolist()
    at.selectbox(key="cases_choice").select("copy")
    at.text_input(key="cases_confirm").input("cop")
    at = at.button(key="cases_delete").click().run()
    assert "does not match" in at.error[0].value and "copy" in store.cases()
    at.text_input(key="cases_confirm").input("copy")
    at = at.button(key="cases_delete").click().run()
    assert not at.exception and not at.error
    assert "Deleted case “copy”" in at.success[0].value
    assert "copy" not in store.cases() and "copy" not in at.dataframe[0].value.iloc[:, 0].tolist()
    entry = users.read_audit(store.engine, action="case_delete")[0]
    assert (entry.identity, entry.detail["case"]) == ("chief@unit", "copy")


def test_the_demo_case_cannot_be_deleted_on_the_page(page_as, store):
    at = page_as("admin")
    at = at.selectbox(key="cases_choice").select(DEMO_CASE).run()
    assert at.button(key="cases_delete").disabled and at.text_input(key="cases_confirm").disabled
    assert "read-only" in at.info[0].value
    assert DEMO_CASE in store.cases()


def test_an_analyst_gets_nothing_on_the_page(page_as, store):
    at = page_as("analyst")
    assert not at.exception and not at.dataframe and not page_buttons(at) and not at.text_input
    assert "copy" in store.cases()


def test_deleting_the_case_being_viewed_leaves_the_app_running(page_as, store):
    at = page_test("cases", access="Access('chief@unit', 'admin', Scope.of(None))")
    at.query_params.update({"lang": "en", "case": "copy"})
    at = at.run()
    at.selectbox(key="cases_choice").select("copy")
    at.text_input(key="cases_confirm").input("copy")
    at = at.button(key="cases_delete").click().run()
    assert not at.exception and "copy" not in store.cases()
    at = at.run()
    assert not at.exception and "copy" not in at.dataframe[0].value.iloc[:, 0].tolist()
