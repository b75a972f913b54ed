"""The Data page under AppTest: upload, what each file became, commit into a new case, undo, history."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from casemap.readers import MAX_BYTES
from casemap.store import Store
from tests.apptest import page_test

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
NEW_CASE = "\x00new"


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'casemap.sqlite'}"
    monkeypatch.setenv("CASEMAP_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    store = Store(url)
    store.ensure()
    return store


def open_data_page(lang="en"):
    at = page_test("data")
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at, *paths_or_files):
    files = [
        (p.name, p.read_bytes(), "text/csv") if isinstance(p, Path) else p
        for p in paths_or_files
    ]
    at.file_uploader[0].set_value(files).run()
    assert not at.exception, at.exception
    return at


def metrics(at):
    return [(m.label, m.value) for m in at.metric]


@pytest.mark.parametrize("lang, title", [("en", "Import case files"), ("zh", "导入案件数据")])
def test_the_page_opens_in_both_languages(database, lang, title):
    at = open_data_page(lang)
    assert at.title[0].value == title
    assert "demo" not in at.selectbox(key="data_case").options
    assert at.button(key="data_commit").disabled  # nothing uploaded yet


def test_uploads_show_kind_counts_mapping_and_rejected_rows(database):
    at = upload(open_data_page(), FIXTURES / "suspects_messy.csv", FIXTURES / "payments_messy_gb18030.csv")
    assert [s.value for s in at.subheader[:2]] == ["suspects\\_messy\\.csv", "payments\\_messy\\_gb18030\\.csv"]
    # From the fixtures: 20 rows, 9 accepted, 11 rejected; 11 rows, 5 accepted, 6 rejected.
    assert metrics(at)[:6] == [
        ("Rows", "20"), ("Accepted", "9"), ("Rejected", "11"), ("Rows", "11"), ("Accepted", "5"), ("Rejected", "6"),
    ]
    kinds = [m.value for m in at.markdown if m.value.startswith("Read as")]
    assert kinds == ["Read as **Suspects**; headers on row 2.", "Read as **Payments**; headers on row 1."]
    mapping = at.dataframe[0].value
    assert dict(zip(mapping.iloc[:, 0], mapping.iloc[:, 1]))["涉案金额（元）"] == "Amount (yuan) (amount_yuan)"
    rejected = at.dataframe[1].value
    assert rejected["Row"].tolist() == list(range(13, 24))
    assert "Row 13" in rejected["Reason"].iloc[0] and "角色" in rejected["Reason"].iloc[0]
    assert any("QQ号" in c.value for c in at.caption)
    assert at.button(key="data_commit").label == "Import 14 rows"


def test_rejected_rows_are_explained_in_chinese(database):
    at = upload(open_data_page("zh"), FIXTURES / "suspects_messy.csv")
    rejected = at.dataframe[1].value
    assert list(rejected.columns[:3]) == ["行号", "列", "原因"]
    assert rejected["原因"].iloc[0].startswith("第 13 行，“角色”列")


def test_commit_into_a_new_case_then_undo(database):
    at = upload(open_data_page(), FIXTURES / "suspects_messy.csv", FIXTURES / "payments_messy_gb18030.csv")
    at.selectbox(key="data_case").set_value(NEW_CASE).run()
    at.text_input(key="data_new_case").input("linwu").run()
    at.button(key="data_commit").click().run()
    assert not at.exception, at.exception
    data = database.load("linwu")
    assert (len(data.suspects), len(data.payments)) == (9, 5)
    assert any("linwu" in s.value for s in at.success)
    assert at.selectbox(key="data_case").value == "linwu"
    history = at.dataframe[-1].value
    assert sorted(history["File"]) == ["payments_messy_gb18030.csv", "suspects_messy.csv"]
    assert at.file_uploader[0].value in (None, [])  # the uploads are cleared after a commit

    at.button(key="data_undo").click().run()
    assert not at.exception, at.exception
    data = database.load("linwu")
    assert (len(data.suspects), len(data.payments)) == (0, 0)
    assert set(at.dataframe[-1].value["Undone"]) == {"yes"}


def test_appending_stored_ids_shows_an_error_and_stores_nothing(database):
    at = upload(open_data_page(), FIXTURES / "suspects_messy.csv")
    at.selectbox(key="data_case").set_value(NEW_CASE).run()
    at.text_input(key="data_new_case").input("linwu").run()
    at.button(key="data_commit").click().run()
    version = database.data_version("linwu")
    upload(at, FIXTURES / "suspects_messy.csv")
    at.button(key="data_commit").click().run()
    assert any("Nothing was stored" in e.value for e in at.error)
    assert database.data_version("linwu") == version


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("garbage.csv", b"\x00\x01\x02\xff" * 100, "neither a CSV"),
        ("notes.csv", "姓名,备注\n周某,x\n".encode(), "match neither kind"),
        ("huge.csv", b"a" * (MAX_BYTES + 1), "the limit is 50 MB"),
    ],
)
def test_a_bad_file_is_named_with_a_clear_message(database, name, content, words):
    at = upload(open_data_page(), (name, content, "text/csv"))
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and words in errors[0] and name.split(".")[0] in errors[0]
    assert at.button(key="data_commit").disabled


def test_templates_are_offered_for_both_kinds(database):
    at = open_data_page("zh")
    labels = [b.label for b in at.get("download_button")]
    assert "嫌疑人名单模板（CSV）" in labels and "资金流水模板（CSV）" in labels
