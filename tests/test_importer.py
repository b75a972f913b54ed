"""The import contract of CASE.md: headers, value spellings, places, rejections, counts, bad files.

Expected values are written out from CASE.md (and the GB/T 2260 codes of the
places), never taken from the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casemap import importer
from casemap.importer import ImportFileError, import_file
from casemap.readers import MAX_BYTES

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SUSPECTS_FIXTURE = FIXTURES / "suspects_messy.csv"
PAYMENTS_FIXTURE = FIXTURES / "payments_messy_gb18030.csv"

GOOD_SUSPECT = {"suspect_id": "S1", "role": "手机口", "status": "已抓获", "province": "湖南", "city": "郴州"}
GOOD_PAYMENT = {
    "txn_id": "P1", "time": "2024-08-03", "payer_id": "S1", "payee_id": "S2", "channel": "支付宝", "amount_yuan": "100",
}


def csv_file(header, *rows, encoding="utf-8-sig", delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def one_row(base: dict, **changes):
    """Import a one-row list built from ``base`` with ``changes`` (None drops a column)."""
    cells = {**base, **changes}
    cells = {k: v for k, v in cells.items() if v is not None}
    result = import_file(csv_file(list(cells), list(cells.values())), "one.csv")
    (parsed,) = result.lists
    return parsed


def one_suspect(**changes):
    return one_row(GOOD_SUSPECT, **changes)


def one_payment(**changes):
    return one_row(GOOD_PAYMENT, **changes)


def rename(base: dict, field: str, header: str) -> tuple[list[str], list[str]]:
    header_row = [header if k == field else k for k in base]
    return header_row, list(base.values())


def workbook(*sheets) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- headers ----------------------------------------------------------------------

SUSPECT_HEADERS = [
    ("suspect_id", "suspect_id"), ("suspect_id", "编号"), ("suspect_id", "嫌疑人编号"), ("suspect_id", "id"),
    ("name", "name"), ("name", "姓名"),
    ("role", "role"), ("role", "角色"), ("role", "类型"),
    ("status", "status"), ("status", "状态"),
    ("province", "province"), ("province", "省份"), ("province", "省"),
    ("city", "city"), ("city", "城市"), ("city", "市"), ("city", "地市"),
    ("address", "address"), ("address", "地址"), ("address", "所在地"),
    ("arrest_date", "arrest_date"), ("arrest_date", "抓获日期"), ("arrest_date", "抓获时间"),
    ("amount_yuan", "amount_yuan"), ("amount_yuan", "涉案金额"), ("amount_yuan", "金额"), ("amount_yuan", "amount"),
]
PAYMENT_HEADERS = [
    ("txn_id", "txn_id"), ("txn_id", "交易编号"), ("txn_id", "流水号"),
    ("time", "time"), ("time", "时间"), ("time", "交易时间"),
    ("payer_id", "payer_id"), ("payer_id", "付款方"), ("payer_id", "付款人"),
    ("payee_id", "payee_id"), ("payee_id", "收款方"), ("payee_id", "收款人"),
    ("channel", "channel"), ("channel", "渠道"), ("channel", "支付方式"),
    ("amount_yuan", "amount_yuan"), ("amount_yuan", "金额"), ("amount_yuan", "amount"),
    ("purpose", "purpose"), ("purpose", "用途"),
]
FULL_SUSPECT = {**GOOD_SUSPECT, "name": "周某", "address": "城关镇", "arrest_date": "2024-08-03", "amount_yuan": "100"}
FULL_PAYMENT = {**GOOD_PAYMENT, "purpose": "备用"}


@pytest.mark.parametrize("field, header", SUSPECT_HEADERS)
def test_every_suspect_header_spelling_maps_to_its_field(field, header):
    header_row, values = rename(FULL_SUSPECT, field, header)
    (parsed,) = import_file(csv_file(header_row, values), "s.csv").lists
    assert parsed.kind == "suspects"
    assert parsed.mapping[header] == field
    assert parsed.unused == ()
    assert parsed.accepted == 1


@pytest.mark.parametrize("field, header", PAYMENT_HEADERS)
def test_every_payment_header_spelling_maps_to_its_field(field, header):
    header_row, values = rename(FULL_PAYMENT, field, header)
    (parsed,) = import_file(csv_file(header_row, values), "p.csv").lists
    assert parsed.kind == "payments"
    assert parsed.mapping[header] == field
    assert parsed.accepted == 1


@pytest.mark.parametrize(
    "header",
    ["涉案金额(元)", "涉案金额（元）", "涉案金额 (元)", "涉案金额【元】", " 涉案 金额 ", "AMOUNT", "Amount (CNY)", "ａｍｏｕｎｔ", "Amount_Yuan"],
)
def test_headers_ignore_case_spaces_width_and_a_bracketed_unit(header):
    header_row, values = rename(FULL_SUSPECT, "amount_yuan", header)
    (parsed,) = import_file(csv_file(header_row, values), "s.csv").lists
    assert parsed.mapping[header.strip()] == "amount_yuan"  # columns are shown trimmed
    assert parsed.frame.loc[0, "amount_yuan"] == 100.0


def test_an_amount_header_in_ten_thousands_scales_bare_numbers_only():
    (parsed,) = import_file(csv_file(["编号", "角色", "状态", "省份", "城市", "涉案金额（万元）"],
                                     ["S1", "手机口", "在逃", "湖南", "郴州", "1.5"],
                                     ["S2", "手机口", "在逃", "湖南", "郴州", "800元"]), "s.csv").lists
    assert parsed.frame["amount_yuan"].tolist() == [15000.0, 800.0]


def test_a_second_column_for_the_same_field_is_kept_as_extra():
    (parsed,) = import_file(csv_file(["编号", "角色", "状态", "省份", "城市", "涉案金额", "金额"],
                                     ["S1", "手机口", "在逃", "湖南", "郴州", "100", "200"]), "s.csv").lists
    assert parsed.mapping["涉案金额"] == "amount_yuan"
    assert parsed.unused == ("金额",)
    assert parsed.frame.loc[0, "amount_yuan"] == 100.0
    assert json.loads(parsed.frame.loc[0, "extra"]) == {"金额": "200"}


def test_headers_below_title_lines_are_found():
    (parsed,) = import_file(SUSPECTS_FIXTURE.read_bytes(), SUSPECTS_FIXTURE.name).lists
    assert parsed.header_row == 2


@pytest.mark.parametrize(
    "header, named",
    [
        (["姓名", "地址", "备注"], ["嫌疑人编号", "角色", "状态", "交易编号"]),
        (["编号", "角色"], ["状态"]),  # a suspects list needs all three of id, role and status
        (["流水号", "时间", "付款方", "收款方", "金额"], ["支付方式"]),
    ],
)
def test_headers_matching_neither_kind_refuse_the_file_naming_what_is_missing(header, named):
    with pytest.raises(ImportFileError) as raised:
        import_file(csv_file(header, ["x"] * len(header)), "x.csv")
    assert raised.value.code == "headers_unmatched"
    message = raised.value.message("zh")
    for label in named:
        assert label in message


def test_a_forced_kind_names_its_missing_columns():
    with pytest.raises(ImportFileError) as raised:
        import_file(csv_file(list(GOOD_SUSPECT), list(GOOD_SUSPECT.values())), "s.csv", kind="payments")
    assert raised.value.code == "headers_missing"
    message = raised.value.message("en")
    for label in ("Transaction ID", "Time", "Payer", "Payee", "Channel", "Amount (yuan)"):
        assert label in message


# -- values ---------------------------------------------------------------------------

ROLE_SPELLINGS = [
    ("手机口", "mobile_port"), ("mobile port", "mobile_port"), ("MOBILE  PORT", "mobile_port"),
    ("电脑端", "pc_end"), ("PC端", "pc_end"), ("ｐｃ端", "pc_end"), ("PC end", "pc_end"),
    ("号商", "number_vendor"), ("卡商", "number_vendor"), ("number vendor", "number_vendor"), ("card vendor", "number_vendor"),
    ("支付结算", "payer"), ("结算", "payer"), ("payer", "payer"), ("payment", "payer"),
    ("组织者", "organizer"), ("organizer", "organizer"), ("其他", "other"), ("other", "other"), ("  其他  ", "other"),
]
STATUS_SPELLINGS = [
    ("已抓获", "arrested"), ("抓获", "arrested"), ("arrested", "arrested"), ("ARRESTED", "arrested"),
    ("在逃", "at_large"), ("at large", "at_large"), ("At Large", "at_large"),
    ("在查", "under_investigation"), ("待核查", "under_investigation"), ("under investigation", "under_investigation"),
]
CHANNEL_SPELLINGS = [
    ("支付宝", "alipay"), ("Alipay", "alipay"), ("alipay", "alipay"),
    ("微信支付", "wechat_pay"), ("WeChat Pay", "wechat_pay"),
    ("银行卡", "bank"), ("银行", "bank"), ("bank", "bank"),
    ("USDT", "usdt"), ("ＵＳＤＴ", "usdt"), ("U", "usdt"), ("u", "usdt"), ("虚拟货币", "usdt"), ("virtual currency", "usdt"),
]


@pytest.mark.parametrize("spelling, value", ROLE_SPELLINGS)
def test_role_spellings(spelling, value):
    assert one_suspect(role=spelling).frame.loc[0, "role"] == value


@pytest.mark.parametrize("spelling, value", STATUS_SPELLINGS)
def test_status_spellings(spelling, value):
    assert one_suspect(status=spelling).frame.loc[0, "status"] == value


@pytest.mark.parametrize("spelling, value", CHANNEL_SPELLINGS)
def test_channel_spellings(spelling, value):
    assert one_payment(channel=spelling).frame.loc[0, "channel"] == value


DATE_SPELLINGS = [
    ("2024-08-03", dt.datetime(2024, 8, 3)),
    ("2024-8-3", dt.datetime(2024, 8, 3)),
    ("2024/8/3", dt.datetime(2024, 8, 3)),
    ("2024.08.05", dt.datetime(2024, 8, 5)),
    ("20240803", dt.datetime(2024, 8, 3)),
    ("2024年8月3日", dt.datetime(2024, 8, 3)),
    ("２０２４年８月３日", dt.datetime(2024, 8, 3)),
    ("  2024-08-03  ", dt.datetime(2024, 8, 3)),
    ("2024-08-03 14:05", dt.datetime(2024, 8, 3, 14, 5)),
    ("2024/8/3 9:05:07", dt.datetime(2024, 8, 3, 9, 5, 7)),
    ("2024-08-03T14:05:06", dt.datetime(2024, 8, 3, 14, 5, 6)),
    ("2024年8月3日 14时05分", dt.datetime(2024, 8, 3, 14, 5)),
    ("2024-08-03 14:05:06.250000", dt.datetime(2024, 8, 3, 14, 5, 6, 250000)),
]


@pytest.mark.parametrize("spelling, expected", DATE_SPELLINGS)
def test_date_spellings(spelling, expected):
    assert one_suspect(arrest_date=spelling).frame.loc[0, "arrest_date"] == pd.Timestamp(expected)
    assert one_payment(time=spelling).frame.loc[0, "time"] == pd.Timestamp(expected)


AMOUNT_SPELLINGS = [
    ("12500", 12500.0), ("12,500", 12500.0), ("¥12500", 12500.0), ("￥12,500", 12500.0), ("12500元", 12500.0),
    ("1.25万", 12500.0), ("1.2万元", 12000.0), ("12,500.50", 12500.5), ("0", 0.0), (" 800 ", 800.0),
    ("３万", 30000.0), ("0.01", 0.01),
]


@pytest.mark.parametrize("spelling, expected", AMOUNT_SPELLINGS)
def test_amount_spellings(spelling, expected):
    assert one_suspect(amount_yuan=spelling).frame.loc[0, "amount_yuan"] == expected
    assert one_payment(amount_yuan=spelling).frame.loc[0, "amount_yuan"] == expected


def test_a_blank_amount_is_unknown_not_zero():
    assert math.isnan(one_suspect(amount_yuan="").frame.loc[0, "amount_yuan"])
    assert math.isnan(one_suspect(amount_yuan=None).frame.loc[0, "amount_yuan"])


PLACES = [
    ({"province": "湖南", "city": "郴州"}, "430000", "431000"),
    ({"province": "湖南省", "city": "郴州市"}, "430000", "431000"),
    ({"province": "Hunan", "city": "Chenzhou"}, "430000", "431000"),
    ({"province": " 湖南 ", "city": "郴州 "}, "430000", "431000"),
    ({"province": None, "city": "临武县"}, "430000", "431000"),
    ({"province": None, "city": None, "address": "湖南省郴州市临武县城关镇"}, "430000", "431000"),
    ({"province": "广西", "city": "南宁"}, "450000", "450100"),
    ({"province": "Guangxi", "city": "Nanning"}, "450000", "450100"),
    ({"province": "福建", "city": "Fuzhou"}, "350000", "350100"),
    ({"province": "江西", "city": "Fuzhou"}, "360000", "361000"),
    ({"province": "北京", "city": "北京"}, "110000", "110100"),
    ({"province": "湖北", "city": "仙桃"}, "420000", "429004"),
    ({"province": "海南", "city": "五指山"}, "460000", "469001"),
]


@pytest.mark.parametrize("place, province, city", PLACES)
def test_place_spellings_resolve_to_adcodes(place, province, city):
    parsed = one_suspect(**{"province": None, "city": None, **place})
    assert parsed.rejects == (), [r.reason("en") for r in parsed.rejects]
    assert (parsed.frame.loc[0, "province_adcode"], parsed.frame.loc[0, "city_adcode"]) == (province, city)


def test_text_is_stored_as_given():
    formula = '=HYPERLINK("http://example.invalid","x")'
    markup = "<img src=x onerror=alert(1)>"
    frame = one_suspect(name=formula).frame
    assert frame.loc[0, "name"] == formula
    assert one_suspect(name=markup).frame.loc[0, "name"] == markup


@pytest.mark.parametrize(
    "cell, stored", [("'=1+1", "=1+1"), ("''=1+1", "'=1+1"), ("'-5", "-5"), ("'abc", "'abc"), ("'", "'")]
)
def test_the_export_apostrophe_before_a_formula_character_is_taken_off(cell, stored):
    assert one_suspect(name=cell).frame.loc[0, "name"] == stored


def test_extra_columns_are_kept_with_the_row():
    (parsed,) = import_file(SUSPECTS_FIXTURE.read_bytes(), SUSPECTS_FIXTURE.name).lists
    assert parsed.unused == ("QQ号", "备注")
    first = parsed.frame.set_index("suspect_id").loc["S001"]
    assert json.loads(first["extra"]) == {"QQ号": "12345678", "备注": "首批抓获"}
    assert json.loads(parsed.frame.set_index("suspect_id").loc["S002", "extra"]) == {}


# -- rejections ---------------------------------------------------------------------

REJECTIONS = [
    ("suspects", {"suspect_id": ""}, "missing", "suspect_id"),
    ("suspects", {"role": "  "}, "missing", "role"),
    ("suspects", {"status": ""}, "missing", "status"),
    ("suspects", {"role": "老板"}, "unknown_role", "role"),
    ("suspects", {"status": "死亡"}, "unknown_status", "status"),
    ("suspects", {"province": "火星", "city": None}, "place_unknown", "province"),
    ("suspects", {"province": None, "city": "Fuzhou"}, "place_ambiguous", "city"),
    ("suspects", {"province": "湖南", "city": "深圳"}, "place_not_in_province", "city"),
    ("suspects", {"province": "", "city": ""}, "place_missing", "province/city"),
    ("suspects", {"arrest_date": "2024-13-45"}, "bad_date", "arrest_date"),
    ("suspects", {"arrest_date": "2024-02-30"}, "bad_date", "arrest_date"),
    ("suspects", {"arrest_date": "03/08/2024"}, "bad_date", "arrest_date"),
    ("suspects", {"arrest_date": "昨天"}, "bad_date", "arrest_date"),
    ("suspects", {"amount_yuan": "五千"}, "bad_amount", "amount_yuan"),
    ("suspects", {"amount_yuan": "1,2,3"}, "bad_amount", "amount_yuan"),
    ("suspects", {"amount_yuan": "nan"}, "bad_amount", "amount_yuan"),
    ("suspects", {"amount_yuan": "inf"}, "bad_amount", "amount_yuan"),
    ("suspects", {"amount_yuan": "-500"}, "negative_amount", "amount_yuan"),
    ("suspects", {"amount_yuan": "-1.2万"}, "negative_amount", "amount_yuan"),
    ("payments", {"txn_id": ""}, "missing", "txn_id"),
    ("payments", {"time": ""}, "missing", "time"),
    ("payments", {"payer_id": ""}, "missing", "payer_id"),
    ("payments", {"payee_id": ""}, "missing", "payee_id"),
    ("payments", {"channel": ""}, "missing", "channel"),
    ("payments", {"amount_yuan": ""}, "missing", "amount_yuan"),
    ("payments", {"channel": "支票"}, "unknown_channel", "channel"),
    ("payments", {"time": "2024-08-32"}, "bad_date", "time"),
    ("payments", {"amount_yuan": "一百"}, "bad_amount", "amount_yuan"),
    ("payments", {"amount_yuan": "-1"}, "negative_amount", "amount_yuan"),
]


@pytest.mark.parametrize("kind, changes, code, column", REJECTIONS)
def test_each_rejection_rule_names_the_row_and_column(kind, changes, code, column):
    base = GOOD_SUSPECT if kind == "suspects" else GOOD_PAYMENT
    base = {**base, "arrest_date": "2024-08-03", "amount_yuan": "1"} if kind == "suspects" else base
    parsed = one_row(base, **changes)
    assert parsed.accepted == 0
    (reject,) = parsed.rejects
    assert [p.code for p in reject.problems] == [code]
    assert reject.row == 2 and reject.column == column
    for lang in ("en", "zh"):
        reason = reject.reason(lang)
        assert "2" in reason and column in reason


def test_a_repeated_id_rejects_the_later_row_and_keeps_the_earlier():
    header = list(GOOD_SUSPECT)
    rows = [list(GOOD_SUSPECT.values()), ["S2", "号商", "在逃", "广东", "深圳"], ["S1", "号商", "在逃", "广东", "深圳"]]
    (parsed,) = import_file(csv_file(header, *rows), "s.csv").lists
    assert parsed.frame["suspect_id"].tolist() == ["S1", "S2"]
    assert parsed.frame.loc[0, "role"] == "mobile_port"  # the earlier S1
    (reject,) = parsed.rejects
    assert reject.row == 4 and reject.problems[0].code == "duplicate_id"
    assert "2" in reject.reason("en") and "S1" in reject.reason("zh")


FIXTURE_SUSPECT_REJECTS = {
    13: ("角色", "unknown_role"), 14: ("状态", "missing"), 15: ("嫌疑人编号", "duplicate_id"),
    16: ("抓获日期", "bad_date"), 17: ("涉案金额（元）", "negative_amount"), 18: ("省份", "place_unknown"),
    19: ("城市", "place_not_in_province"), 20: ("城市", "place_ambiguous"), 21: ("省份/城市/地址", "place_missing"),
    22: ("涉案金额（元）", "bad_amount"), 23: ("嫌疑人编号", "missing"),
}


def test_the_messy_suspects_fixture():
    (parsed,) = import_file(SUSPECTS_FIXTURE.read_bytes(), SUSPECTS_FIXTURE.name).lists
    assert (parsed.rows, parsed.accepted, parsed.rejected) == (20, 9, 11)
    assert {r.row: (r.column, r.problems[0].code) for r in parsed.rejects} == FIXTURE_SUSPECT_REJECTS
    frame = parsed.frame.set_index("suspect_id")
    assert frame.loc["S001", "amount_yuan"] == 12000.0
    assert frame.loc["S002", "amount_yuan"] == 12500.0
    assert frame.loc["S004", "amount_yuan"] == 12500.0
    assert frame.loc["S004", "city_adcode"] == "431000"  # from the address's county, 临武县
    assert frame.loc["S005", "city_adcode"] == "361000"  # Fuzhou in Jiangxi is 抚州
    assert frame.loc["S006", "province_adcode"] == "440000" and frame.loc["S006", "status"] == "under_investigation"
    assert frame.loc["S007", "city_adcode"] == "429004" and frame.loc["S007", "arrest_date"] == pd.Timestamp("2024-08-05")
    assert frame.loc["S004", "arrest_date"] == pd.Timestamp("2024-08-03")
    assert frame.loc["S009", "name"] == "<img src=x onerror=alert(1)>"


def test_rejected_rows_carry_their_original_cells():
    (parsed,) = import_file(SUSPECTS_FIXTURE.read_bytes(), SUSPECTS_FIXTURE.name).lists
    by_row = {r.row: r for r in parsed.rejects}
    assert by_row[13].cells["姓名"] == "吴某" and by_row[13].cells["角色"] == "老板"
    assert by_row[18].cells["省份"] == "火星"
    assert by_row[21].cells["备注"] == "备注但没有地点"
    table = parsed.rejects_frame("zh")
    assert list(table.columns[:3]) == ["行号", "列", "原因"]
    assert list(table.columns[3:]) == list(parsed.headers)
    assert table["行号"].tolist() == sorted(FIXTURE_SUSPECT_REJECTS)
    assert "第 13 行" in table.iloc[0]["原因"] and "角色" in table.iloc[0]["原因"]


def test_the_gb18030_payments_fixture():
    data = PAYMENTS_FIXTURE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is GB18030
    (parsed,) = import_file(data, PAYMENTS_FIXTURE.name).lists
    assert parsed.kind == "payments"
    assert (parsed.rows, parsed.accepted, parsed.rejected) == (11, 5, 6)
    assert {r.row: r.problems[0].code for r in parsed.rejects} == {
        7: "unknown_channel", 8: "missing", 9: "duplicate_id", 10: "missing", 11: "missing", 12: "bad_date",
    }
    frame = parsed.frame.set_index("txn_id")
    assert frame["amount_yuan"].to_dict() == {"P001": 12000.0, "P002": 3000.0, "P003": 800.0, "P004": 50000.0, "P005": 0.0}
    assert frame["channel"].to_dict() == {"P001": "alipay", "P002": "alipay", "P003": "wechat_pay", "P004": "usdt", "P005": "bank"}
    assert frame.loc["P002", "time"] == pd.Timestamp("2023-09-02 09:05")
    assert frame.loc["P001", "purpose"] == "number_rental"
    assert json.loads(frame.loc["P003", "extra"]) == {"备注": "夜间转账"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_encodings_and_delimiters(encoding, delimiter):
    data = csv_file(["编号", "姓名", "角色", "状态", "省份", "城市"], ["S1", "周某", "手机口", "已抓获", "湖南", "郴州"],
                    encoding=encoding, delimiter=delimiter)
    (parsed,) = import_file(data, "s.csv").lists
    assert parsed.frame.loc[0, "name"] == "周某" and parsed.frame.loc[0, "city_adcode"] == "431000"


# -- workbooks --------------------------------------------------------------------------

def test_each_sheet_of_a_workbook_is_its_own_list_with_excel_cells():
    data = workbook(
        ("嫌疑人", [
            ["涉案人员名单"],
            ["编号", "姓名", "角色", "状态", "省份", "城市", "抓获日期", "涉案金额（元）", "QQ号"],
            [1001, "周某", "手机口", "已抓获", "湖南", "郴州", dt.datetime(2024, 8, 3), 12500, 123456789],
            [None, None, None, None, None, None, None, None, None],
            [1002.0, "夏某", "支付结算", "在逃", "湖南", "郴州", dt.date(2024, 8, 4), 1.5, None],
            [1003, "李某", "号商", "在逃", "湖南", "郴州", 45507, "1.2万", None],
            [1004, "王某", "号商", "老板", "湖南", "郴州", None, None, None],
        ]),
        ("空表", []),
        ("资金", [
            ["流水号", "交易时间", "付款方", "收款方", "支付方式", "金额"],
            ["P1", dt.datetime(2024, 1, 2, 3, 4, 5), "1002", "1003", "支付宝", 99.5],
        ]),
        ("说明", [["本工作簿由专案组整理"], ["请勿外传"]]),
    )
    result = import_file(data, "case.xlsx")
    suspects, payments = result.lists
    assert [p.sheet for p in result.lists] == ["嫌疑人", "资金"]
    assert [sheet for sheet, _ in result.skipped] == ["说明"]
    assert suspects.label == "case.xlsx › 嫌疑人"
    assert (suspects.rows, suspects.accepted, suspects.rejected) == (4, 3, 1)
    assert suspects.rejects[0].row == 7  # the sheet's own row number
    frame = suspects.frame.set_index("suspect_id")
    assert list(frame.index) == ["1001", "1002", "1003"]
    assert frame.loc["1001", "arrest_date"] == pd.Timestamp("2024-08-03")
    assert frame.loc["1002", "arrest_date"] == pd.Timestamp("2024-08-04")
    assert frame.loc["1003", "arrest_date"] == pd.Timestamp("2024-08-03")  # Excel serial 45507
    assert frame["amount_yuan"].tolist() == [12500.0, 1.5, 12000.0]
    assert json.loads(frame.loc["1001", "extra"]) == {"QQ号": "123456789"}
    assert payments.frame.loc[0, "time"] == pd.Timestamp("2024-01-02 03:04:05")


def test_a_workbook_whose_sheets_all_fail_is_refused():
    with pytest.raises(ImportFileError) as raised:
        import_file(workbook(("说明", [["备注", "内容"], ["a", "b"]])), "notes.xlsx")
    assert raised.value.code == "headers_unmatched"


# -- bad files ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "empty"),
        (b"  \r\n \r\n", "empty"),
        (b",,,\r\n,,\r\n", "empty"),
        (bytes(range(256)) * 4, "not_text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old_excel"),
        (b"PK\x03\x04" + b"\x00" * 100, "bad_workbook"),
        ("编号,角色\n".encode("utf-16"), "not_text"),
    ],
)
def test_unreadable_files_raise_the_documented_error(data, code):
    with pytest.raises(ImportFileError) as raised:
        import_file(data, "x.csv")
    assert raised.value.code == code
    assert raised.value.message("en") and raised.value.message("zh")


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named():
    with pytest.raises(ImportFileError) as raised:
        import_file(b"a" * (MAX_BYTES + 1), "big.csv")
    assert raised.value.code == "too_large"
    assert "50 MB" in raised.value.message("en") and "50 MB" in raised.value.message("zh")


# -- properties -------------------------------------------------------------------------------

_FIXTURE_WORKBOOK = workbook(("s", [["编号", "角色", "状态", "省份", "城市"], ["S1", "手机口", "在逃", "湖南", "郴州"]] * 3))


CELL_VALUES = st.one_of(
    st.sampled_from(["", " ", "S1", "S2", "S3", "手机口", "老板", "已抓获", "在逃", "湖南", "郴州", "火星", "Fuzhou",
                     "2024-08-03", "2024-13-45", "1.2万", "-5", "=1+1", "'=x", "¥12,500", "0"]),
    st.text(max_size=12),
)
HEADER = ["编号", "角色", "状态", "省份", "城市", "抓获日期", "涉案金额", "备注"]


def nonblank(rows):
    return sum(1 for row in rows if any(cell.strip() for cell in row))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL_VALUES, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=12))
def test_accepted_plus_rejected_is_the_non_blank_rows(rows):
    clean_rows = [[cell.replace("\x00", "") for cell in row] for row in rows]
    try:
        result = import_file(csv_file(HEADER, *clean_rows), "fuzz.csv")
    except ImportFileError as error:
        # Only a file with no data row at all may fail: its header row is always valid.
        assert error.code in ("empty", "not_text", "bad_csv") or nonblank(clean_rows) == 0
        return
    (parsed,) = result.lists
    assert parsed.accepted + parsed.rejected == parsed.rows
    ids = parsed.frame["suspect_id"].tolist()
    assert len(ids) == len(set(ids))
    for reject in parsed.rejects:
        assert reject.problems and all(p.column for p in reject.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_binary_garbage_only_raises_the_documented_error(data):
    try:
        import_file(data, "garbage.csv")
    except ImportFileError:
        pass


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_truncated_files_only_raise_the_documented_error(data):
    sources = [SUSPECTS_FIXTURE.read_bytes(), PAYMENTS_FIXTURE.read_bytes(), _FIXTURE_WORKBOOK]
    source = data.draw(st.sampled_from(sources))
    cut = data.draw(st.integers(min_value=0, max_value=len(source)))
    try:
        import_file(source[:cut], "cut")
    except ImportFileError:
        pass


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(max_size=20), min_size=0, max_size=10), max_size=8), st.sampled_from([",", "\t", ";"]))
def test_random_text_tables_only_raise_the_documented_error(rows, delimiter):
    text = "\n".join(delimiter.join(row) for row in rows)
    for encoding in ("utf-8", "gb18030"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        try:
            result = import_file(data, "random.csv")
        except ImportFileError:
            continue
        for parsed in result.lists:
            assert parsed.accepted + parsed.rejected == parsed.rows


def test_unknown_kind_argument_is_a_programming_error():
    with pytest.raises(ValueError):
        import_file(SUSPECTS_FIXTURE.read_bytes(), "s.csv", kind="milestones")


def test_import_file_reports_the_sha256_of_the_bytes():
    import hashlib

    data = SUSPECTS_FIXTURE.read_bytes()
    assert import_file(data, "s.csv").sha256 == hashlib.sha256(data).hexdigest()
    assert importer.KINDS == ("suspects", "payments", "accounts", "links")


# -- lists parsed in chunks -------------------------------------------------------------------

CHUNKED_HEADER = ["编号", "角色", "状态", "省份", "城市", "涉案金额", "备注"]
CHUNKED_ROWS = [
    ["S1", "手机口", "在逃", "湖南", "郴州", "100", ""],
    ["S2", "老板", "在逃", "湖南", "郴州", "", ""],  # unknown role
    [],
    ["S3", "号商", "在查", "广东", "深圳", "1.2万", "备注一"],
    ["S1", "号商", "在逃", "广东", "深圳", "5", ""],  # repeats row 2's id, across a boundary
    ["S4", "号商", "在逃", "火星", "", "5", ""],  # unknown place
    ["S2", "号商", "在逃", "广东", "深圳", "5", ""],  # repeats a rejected row's id
    ["S5", "号商", "已抓获", "广东", "深圳", "-5", "", "多出的一列"],  # negative amount, a wider row
    ["S6", "号商", "已抓获", "广东", "深圳", "2024-99-99", ""],  # bad amount
    ["S7", "支付结算", "已抓获", "湖南", "郴州", "800", "", "", "又一列"],  # wider still
]


@pytest.mark.parametrize("size", [1, 2, 3, 4, 100])
def test_a_list_parsed_in_chunks_equals_the_list_parsed_whole(size):
    from casemap.fields import find_header
    from casemap.list_parser import ListParser
    from casemap.readers import read_tables

    data = csv_file(CHUNKED_HEADER, *CHUNKED_ROWS)
    (whole,) = import_file(data, "s.csv").lists
    (table,) = read_tables(data, "s.csv")
    header_at, match = find_header(table.rows, None)
    parser = ListParser(match, table.rows[header_at][1])
    rows = table.rows[header_at + 1 :]
    chunks = [parser.parse(rows[i : i + size]) for i in range(0, len(rows), size)]
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(frame, whole.frame)
    shown = lambda rejects: [(r.row, r.problems, [r.cells.get(h) or "" for h in whole.headers]) for r in rejects]
    assert shown(r for c in chunks for r in c.rejects) == shown(whole.rejects)
    assert (parser.rows, parser.accepted, parser.rejected) == (whole.rows, whole.accepted, whole.rejected)
    assert (parser.headers, parser.unused) == (whole.headers, whole.unused)


def test_the_chunked_list_rejects_what_the_contract_says():
    (parsed,) = import_file(csv_file(CHUNKED_HEADER, *CHUNKED_ROWS), "s.csv").lists
    assert {r.row: [p.code for p in r.problems] for r in parsed.rejects} == {
        3: ["unknown_role"], 6: ["duplicate_id"], 7: ["place_unknown"], 8: ["duplicate_id"],
        9: ["negative_amount"], 10: ["bad_amount"],
    }
    assert parsed.frame["suspect_id"].tolist() == ["S1", "S3", "S7"]
    assert parsed.rows == 9 and parsed.accepted + parsed.rejected == parsed.rows
    assert json.loads(parsed.frame.loc[2, "extra"]) == {"column I": "又一列"}
    assert parsed.unused == ("备注", "column H", "column I")


@pytest.mark.parametrize(
    "cell",
    ["2024-08-03", "2024-08-03 14:05:06", "1899-12-31", "2101-01-01 00:00:00", "2024-02-30", "2024-08-03 24:00:00",
     "2024-8-3 9:05:07", "20240803", "2024年8月3日 14时05分", "０２０２４-08-03", "2024-08-03T14:05:06"],
)
def test_dates_parsed_in_bulk_equal_dates_parsed_cell_by_cell(cell):
    from casemap import cells

    try:
        expected = cells.parse_datetime(cell)
    except cells.CellError as error:
        expected = error.code
    parsed = one_payment(time=cell)
    got = parsed.frame.loc[0, "time"] if parsed.accepted else parsed.rejects[0].problems[0].code
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.integers(min_value=0, max_value=10**15).map(str),
    st.integers(0, 6).flatmap(lambda places: st.decimals(0, 10**12, places=places)).map(str),
    st.from_regex(r"[0-9]{1,16}(\.[0-9]{1,16})?", fullmatch=True),
))
def test_amounts_parsed_in_bulk_equal_amounts_parsed_cell_by_cell(text):
    from casemap import cells

    expected = cells.parse_amount(text)
    assert one_payment(amount_yuan=text).frame.loc[0, "amount_yuan"] == expected
