"""Importing accounts and links: kind from the headers, rejects with row, column and reason, round trip, CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casemap import cli, exporter, importer
from casemap.importer import TEMPLATE_HEADERS, ImportFileError, import_file
from casemap.schema import validate_suspects
from casemap.store import ImportLog, Store, UnknownLinkEndError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ACCOUNTS = FIXTURES / "accounts_messy.csv"
LINKS = FIXTURES / "links_messy.csv"


def parse(path: Path):
    (parsed,) = import_file(path.read_bytes(), path.name).lists
    return parsed


def reasons(parsed) -> dict[int, tuple[str, tuple[str, ...]]]:
    return {r.row: (r.column, tuple(p.code for p in r.problems)) for r in parsed.rejects}


def test_an_accounts_file_is_told_by_its_headers_and_its_numbers_normalised():
    parsed = parse(ACCOUNTS)
    assert parsed.kind == "accounts"
    frame = parsed.frame.set_index("account_id")
    assert list(frame.index) == ["K001", "K002", "K003", "K004", "K005", "K006"]
    assert frame.loc["K001", ["kind", "number", "status", "lead"]].tolist() == ["phone", "13800138000", "rented",
                                                                                 "two_card_lead"]
    assert frame.loc["K001", ["province_adcode", "city_adcode"]].tolist() == ["430000", "431000"]
    assert frame.loc["K001", "first_seen"] == pd.Timestamp("2023-08-08")
    assert frame.loc["K002", "kind"] == "wechat"  # full-width "ＷｅＣｈａｔ"
    assert frame.loc["K003", "number"] == "6222021234567895"  # fails Luhn: accepted
    assert frame.loc["K005", ["number", "city_adcode"]].tolist() == ["xia.mou@example.com", "431000"]
    assert frame.loc["K006", "number"] == "3999999999"
    assert pd.isna(frame.loc["K004", "holder_id"]) and pd.isna(frame.loc["K004", "province_adcode"])
    assert json.loads(frame.loc["K003", "extra"]) == {"备注": "luhn fails but kept"}


def test_bad_account_rows_are_rejected_with_row_column_and_reason():
    parsed = parse(ACCOUNTS)
    assert parsed.accepted + parsed.rejected == parsed.rows == 12  # the blank rows are not counted
    assert reasons(parsed) == {
        8: ("号码", ("number_phone_digits",)),
        9: ("账号类型（中文）", ("unknown_kind",)),
        10: ("账号编号", ("duplicate_id",)),
        11: ("号码", ("number_usdt_address",)),
        12: ("状态", ("unknown_account_status",)),
        13: ("所在地", ("place_unknown",)),
    }
    by_row = {r.row: r for r in parsed.rejects}
    assert by_row[8].cells["号码"] == "1380013800"  # the original cell comes back
    assert "1380013800" in by_row[8].reason("en") and "11 digits" in by_row[8].reason("en")
    assert "第 9 行" in by_row[9].reason("zh") and "传真" in by_row[9].reason("zh")


def test_a_links_file_is_told_by_its_headers_and_bad_rows_rejected():
    parsed = parse(LINKS)
    assert parsed.kind == "links"
    assert parsed.frame["link_id"].tolist() == [
        "S1>controls>K001", "K001>rented_to>K004", "K002>rented_to>K004", "K001>paid_via>K005", "S2>controls>K005",
        "S1>contact>S404",
    ]
    assert parsed.frame.loc[1, ["source", "date"]].tolist() == ["two_card_lead", pd.Timestamp("2023-08-09")]
    assert reasons(parsed) == {
        7: ("关系", ("duplicate_link",)),
        9: ("关系", ("unknown_relation",)),
        10: ("起点", ("missing",)),
        11: ("日期", ("bad_date",)),
    }
    assert parsed.accepted + parsed.rejected == parsed.rows == 10


def suspects(*ids):
    return validate_suspects(pd.DataFrame({
        "suspect_id": list(ids), "role": ["mobile_port"] * len(ids), "status": ["arrested"] * len(ids),
        "province_adcode": ["430000"] * len(ids), "city_adcode": ["431000"] * len(ids),
    }))


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'c.sqlite'}") as s:
        s.ensure()
        yield s


def test_links_to_an_end_unknown_in_the_case_are_refused_naming_it(store):
    store.commit_import("c", [ImportLog("s.csv", "ab" * 32, "suspects", 2, 2, 0)], suspects=suspects("S1", "S2"))
    accounts, links = (import_file(p.read_bytes(), p.name) for p in (ACCOUNTS, LINKS))
    with pytest.raises(UnknownLinkEndError) as refused:
        importer.commit(store, "c", [accounts, links])
    assert refused.value.missing == ["S404"] and refused.value.rows == 1
    assert store.load("c").accounts.empty  # nothing stored
    with pytest.raises(UnknownLinkEndError):
        importer.commit(store, "c", [links])  # the accounts are neither stored nor in this upload
    store.commit_import("c", [ImportLog("s.csv", "ab" * 32, "suspects", 1, 1, 0)], suspects=suspects("S404"))
    version = importer.commit(store, "c", [accounts, links])  # one upload: the links' accounts come with them
    case = store.load("c", version)
    assert len(case.accounts) == 6 and len(case.links) == 6


def test_accounts_and_links_round_trip_through_an_export(store):
    store.commit_import("c", [ImportLog("s.csv", "ab" * 32, "suspects", 3, 3, 0)],
                        suspects=suspects("S1", "S2", "S404"))
    importer.commit(store, "c", [import_file(p.read_bytes(), p.name) for p in (ACCOUNTS, LINKS)])
    stored = store.load("c")
    for kind in ("accounts", "links"):
        frame = getattr(stored, kind)
        for fmt in ("csv", "xlsx"):
            data = exporter.export_bytes(frame, kind, fmt)
            (again,) = import_file(data, f"export.{fmt}").lists
            assert again.kind == kind and again.rejected == 0
            pd.testing.assert_frame_equal(again.frame, frame)


def test_an_accounts_export_carries_the_full_number_and_the_luhn_flag():
    frame = parse(ACCOUNTS).frame
    table = exporter.export_frame(frame, "accounts")
    assert list(table.columns[:4]) == ["account_id", "kind", "number", "luhn_ok"]
    flags = dict(zip(table["account_id"], table["luhn_ok"]))
    assert flags["K003"] is False and flags["K001"] is None
    assert "13800138000" in set(table["number"])


def test_templates_of_the_new_kinds_are_read_back_as_their_kind():
    for kind in ("accounts", "links"):
        for lang in ("en", "zh"):
            (parsed,) = import_file(exporter.template_csv(kind, lang), "t.csv").lists
            assert parsed.kind == kind and parsed.rows == 0
            assert set(parsed.mapping.values()) == set(TEMPLATE_HEADERS[kind]["en"])


# -- the command line --------------------------------------------------------------------------

@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "snap"))
    return tmp_path


def run_json(capsys, *args) -> dict:
    assert cli.main([*map(str, args)]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_command_line_imports_and_exports_accounts_and_links(database, capsys):
    suspects_csv = database / "s.csv"
    suspects_csv.write_text("编号,角色,状态,省份,城市\nS1,手机口,在逃,湖南,郴州\nS2,支付结算,在逃,湖南,郴州\n",
                            encoding="utf-8")
    run_json(capsys, "import", suspects_csv, "--case", "x", "--json")
    accounts = run_json(capsys, "import", ACCOUNTS, "--case", "x", "--kind", "accounts", "--json",
                        "--rejects", database / "a.rejects.csv")
    assert (accounts["kind"], accounts["accepted"], accounts["rejected"]) == ("accounts", 6, 6)
    links = run_json(capsys, "import", LINKS, "--case", "x", "--json", "--rejects", database / "l.rejects.csv")
    # The case is known on the command line: the link to S404 is rejected on its own row, naming it.
    assert (links["kind"], links["accepted"], links["rejected"]) == ("links", 5, 5)
    rejects = pd.read_csv(links["rejects_file"], dtype=str, encoding="utf-8-sig")
    unknown = rejects[rejects["Row"] == "8"]
    assert unknown["Column"].tolist() == ["终点"] and "S404" in unknown["Reason"].iat[0]
    out = database / "accounts.csv"
    assert cli.main(["export", "--case", "x", "--kind", "accounts", "-o", str(out)]) == 0
    exported = pd.read_csv(out, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert exported.set_index("account_id").loc["K003", ["number", "luhn_ok"]].tolist() == ["6222021234567895",
                                                                                          "False"]
    assert cli.main(["export", "--case", "x", "--kind", "links", "-o", str(database / "links.csv")]) == 0
    assert len(pd.read_csv(database / "links.csv", encoding="utf-8-sig")) == 5


# -- properties ----------------------------------------------------------------------------------

ACCOUNT_HEADER = ["账号编号", "类型", "号码", "持有人", "状态", "所在地", "首次发现", "线索来源"]
ACCOUNT_CELLS = st.one_of(
    st.sampled_from(["", " ", "K1", "K2", "手机号", "微信", "USDT地址", "银行卡", "传真", "+86 138 0013 8000",
                     "6222021234567894", "wxid_abcdefg", "123", "出租", "被盗", "郴州", "火星", "2024年8月3日",
                     "2024-13-45", "部推线索", "=1+1"]),
    st.text(max_size=12),
)
LINK_HEADER = ["起点", "终点", "关系", "来源", "日期", "备注"]
LINK_CELLS = st.one_of(
    st.sampled_from(["", " ", "S1", "K1", "控制", "出租给", "同住", "部推线索", "2024/8/3", "x"]),
    st.text(max_size=12),
)


def csv_bytes(header, rows) -> bytes:
    out = io.BytesIO()
    exporter.write_csv(header, rows, out)
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_accepted_plus_rejected_is_the_non_blank_rows_for_accounts_and_links(data):
    header, cells, key = data.draw(st.sampled_from([(ACCOUNT_HEADER, ACCOUNT_CELLS, "account_id"),
                                                    (LINK_HEADER, LINK_CELLS, "link_id")]))
    rows = data.draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), min_size=1, max_size=10))
    rows = [[cell.replace("\x00", "") for cell in row] for row in rows]
    try:
        result = import_file(csv_bytes(header, rows), "fuzz.csv")
    except ImportFileError as error:
        assert error.code in ("empty", "not_text", "bad_csv")
        return
    (parsed,) = result.lists
    assert parsed.accepted + parsed.rejected == parsed.rows
    assert parsed.frame[key].is_unique
    for reject in parsed.rejects:
        assert reject.problems and all(p.column for p in reject.problems)


# -- the Data page -----------------------------------------------------------------------------------

def test_the_data_page_reads_accounts_and_links_and_names_unknown_link_ends(tmp_path, monkeypatch):
    import streamlit as st

    from tests.apptest import page_test

    url = f"sqlite:///{tmp_path / 'page.sqlite'}"
    monkeypatch.setenv("CASEMAP_DATABASE_URL", url)
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "snap"))
    st.cache_data.clear()
    st.cache_resource.clear()
    suspects_csv = "编号,角色,状态,省份,城市\nS1,手机口,在逃,湖南,郴州\nS2,支付结算,在逃,湖南,郴州\n".encode()
    at = page_test("data")
    at.query_params["lang"] = "en"
    at.run()
    files = [(p.name, p.read_bytes(), "text/csv") for p in (ACCOUNTS, LINKS)] + [("s.csv", suspects_csv, "text/csv")]
    at.file_uploader[0].set_value(files).run()
    assert not at.exception, at.exception
    kinds = [m.value for m in at.markdown if m.value.startswith("Read as")]
    assert kinds[:2] == ["Read as **Accounts**; headers on row 1.", "Read as **Links**; headers on row 1."]
    at.selectbox(key="data_case").set_value("\x00new").run()
    at.text_input(key="data_new_case").input("two-card").run()
    at.button(key="data_commit").click().run()
    assert not at.exception, at.exception
    # S404 is in no list of this upload and the case is new: nothing is stored, and the id is named.
    assert any("S404" in e.value for e in at.error)
    with Store(url) as store:
        assert "two-card" not in store.cases()
