"""Tables for people: translated headers and labels, the detail panel, rankings (search: test_query_rows)."""

import re

import pandas as pd
import pytest

from casemap import network, tables, vocab
from casemap.filters import FilterState
from casemap.demo import generate_demo
from geo import layers
from tests import reference, tiny_case

CANONICAL = set(vocab.values(vocab.ROLES)) | set(vocab.values(vocab.STATUSES)) | set(vocab.values(vocab.CHANNELS))
ADCODE = re.compile(r"^\d{6}$")


@pytest.mark.parametrize("lang, headers", [
    ("en", ["ID", "Name", "Role", "Status", "Place", "Amount involved", "Arrest date"]),
    ("zh", ["编号", "姓名", "角色", "状态", "地区", "涉案金额", "抓获日期"]),
])
def test_suspects_table_has_translated_headers(lang, headers):
    assert list(tables.suspects_table(tiny_case.suspects(), tiny_case.PLACES, lang).columns) == headers


def test_suspects_table_shows_labels_in_the_input_order():
    table = tables.suspects_table(tiny_case.suspects(), tiny_case.PLACES, "en")
    assert table["ID"].tolist() == ["P1", "P2", "V1", "V2", "V3"]
    assert table["Role"].tolist() == ["Payer", "Mobile port", "Number vendor", "Number vendor", "Number vendor"]
    assert table["Status"].tolist()[2:4] == ["At large", "Under investigation"]
    assert table["Place"].iloc[0] == "湖南 Hunan · 郴州 Chenzhou"
    assert table["Name"].iloc[3] == "<img src=x onerror=alert(1)>"  # text, shown as text by st.dataframe
    assert pd.isna(table["Amount involved"].iloc[3])  # unknown, not zero


@pytest.fixture(scope="module")
def demo_suspects():
    return generate_demo().suspects


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_canonical_values_or_raw_codes_reach_the_demo_table(demo_suspects, lang):
    table = tables.suspects_table(demo_suspects, layers.load_places(), lang)
    for column in table.columns[2:5]:
        values = set(table[column])
        assert not values & CANONICAL
        assert not any(ADCODE.match(str(v)) for v in values)


def test_detail_shows_cards_accounts_and_extra():
    detail = tables.suspect_detail(tiny_case.suspects().iloc[0], tiny_case.PLACES, "en")
    fields = dict(zip(detail["Field"], detail["Value"]))
    assert fields["Phone cards"] == "2"
    assert fields["WeChat accounts"] == "1"
    assert fields["QQ accounts"] == "123456789, 987654321"
    assert fields["Role"] == "Payer" and fields["Status"] == "Arrested"
    assert fields["Amount involved"] == "¥100,000"
    assert fields["Arrest date"] == "2024-08-02"
    assert fields["source"] == "list A" and fields["seized_phones"] == "3"


def test_detail_in_chinese_with_unknowns_shown_as_dashes():
    detail = tables.suspect_detail(tiny_case.suspects().iloc[3], tiny_case.PLACES, "zh")
    fields = dict(zip(detail["项目"], detail["内容"]))
    assert fields["姓名"] == "<img src=x onerror=alert(1)>"
    assert fields["涉案金额"] == "—" and fields["抓获日期"] == "—" and fields["微信账号数"] == "—"
    assert fields["状态"] == "在查"


@pytest.mark.parametrize("extra, expected", [
    ("{}", []),
    ('{"a": 1, "b": "x", "c": [1, 2]}', [("a", "1"), ("b", "x"), ("c", "[1, 2]")]),
    ("not json", [("extra", "not json")]),
    ("[1]", [("extra", "[1]")]),
])
def test_extra_fields(extra, expected):
    assert tables.extra_fields(extra) == expected


def test_ranking_orders_places_by_the_metric_and_formats_every_metric():
    values = reference.by_province(tiny_case.suspects(), tiny_case.payments())
    table = tables.ranking_table(values, "payments_in_yuan", tiny_case.PLACES, "en")
    assert table["Place"].tolist() == ["广东 Guangdong", "湖南 Hunan", "北京 Beijing"]
    assert table["Rank"].tolist() == [1, 2, 3]
    assert table["Payments in"].tolist() == ["¥2.3K", "¥1.1K", "¥500"]
    assert table["Suspects"].tolist() == ["1", "3", "1"]
    assert list(table.columns[:3]) == ["Rank", "Place", "Payments in"]  # what is ranked comes first
    assert table.index.tolist() == ["440000", "430000", "110000"]  # a chosen row names its place


def test_parties_table_names_people_and_the_overseas_account():
    top = reference.top_parties(tiny_case.payments(), tiny_case.suspects(), "payee")
    table = tables.parties_table(top, tiny_case.suspects(), tiny_case.PLACES, "zh", side="payee")
    rows = table.set_index("姓名")
    assert rows.loc["境外账户 OVERSEAS-1", "地区"] == "境外"
    assert rows.loc["境外账户 OVERSEAS-1", "角色"] == "—"
    assert rows.loc["李某", "角色"] == "号商"
    assert "收到金额" in table.columns


def test_key_persons_table_lists_the_most_central_first(seeded_store):
    graph = seeded_store.query(FilterState(case="tiny")).graph().graph
    table = tables.key_persons_table(graph, network.place_names(graph, tiny_case.PLACES, "en"), "en", n=3)
    assert table["Name"].iloc[0] == "夏某"
    assert table["Role"].iloc[0] == "Payer"
    assert table["Counterparts"].iloc[0] == 4
    assert len(table) == 3


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_counterparts_table_reads_the_tiny_case(lang):
    data = tiny_case.payments(), tiny_case.suspects()
    found = reference.counterparts("P1", *data)
    table = tables.counterparts_table(found, tiny_case.PLACES, lang)
    name, place, direction = (tables.header(k, lang) for k in ("tbl_name", "tbl_place", "tbl_direction"))
    rows = dict(zip(table[tables.header("tbl_id", lang)] + "/" + table[direction], zip(table[name], table[place])))
    overseas = "Overseas account OVERSEAS-1" if lang == "en" else "境外账户 OVERSEAS-1"
    paid, received = ("Paid to", "Received from") if lang == "en" else ("付给", "收自")
    assert rows[f"OVERSEAS-1/{paid}"] == (overseas, "Overseas" if lang == "en" else "境外")
    assert rows[f"V1/{received}"][0] == "李某" and "长沙" in rows[f"V1/{received}"][1]
    assert rows[f"V2/{paid}"][0] == "<img src=x onerror=alert(1)>"  # text, never markup: st.dataframe shows it as typed
    assert table[tables.header("tbl_amount_moved_yuan", lang)].tolist() == found["amount_yuan"].tolist()


def test_person_name_falls_back_to_the_id():
    assert tables.person_name(pd.Series({"suspect_id": "S1", "name": "夏某"})) == "夏某"
    assert tables.person_name(pd.Series({"suspect_id": "S1", "name": None})) == "S1"
    assert tables.person_name(pd.Series({"suspect_id": "S1", "name": "  "})) == "S1"
