"""Schema validation: canonical dtypes out, clear SchemaError for malformed frames."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from casemap import schema
from casemap.schema import (
    MILESTONE_DTYPES,
    PAYMENT_DTYPES,
    SUSPECT_DTYPES,
    SchemaError,
    validate_milestones,
    validate_payments,
    validate_suspects,
)

# The dtypes the contract promises (brief / CASE.md), written out independently.
CONTRACT_SUSPECT_DTYPES = {
    "suspect_id": "str", "name": "str", "role": "str", "status": "str",
    "province_adcode": "str", "city_adcode": "str", "address": "str",
    "arrest_date": "datetime64[ns]", "amount_yuan": "float64", "phone_cards": "Int64",
    "wechat_accounts": "Int64", "qq_accounts": "str", "extra": "str",
}
CONTRACT_PAYMENT_DTYPES = {
    "txn_id": "str", "time": "datetime64[ns]", "payer_id": "str", "payee_id": "str",
    "channel": "str", "amount_yuan": "float64", "purpose": "str", "payer_account": "str", "payee_account": "str",
    "extra": "str",
}
CONTRACT_MILESTONE_DTYPES = {"date": "datetime64[ns]", "key": "str", "en": "str", "zh": "str"}


def suspects_input(**overrides):
    data = {
        "suspect_id": ["S1", "S2", "S3"],
        "name": ["周某", None, "李某"],
        "role": ["mobile_port", "number_vendor", "payer"],
        "status": ["arrested", "at_large", "under_investigation"],
        "province_adcode": ["430000", "440000", "430000"],
        "city_adcode": ["431000", None, "430100"],
        "address": ["湖南省郴州市临武县", None, None],
        "arrest_date": [dt.date(2023, 10, 11), None, None],
        "amount_yuan": [1000, None, 12.5],
        "phone_cards": [30, 2, None],
        "wechat_accounts": [0, None, 4],
        "qq_accounts": ["12345,67890", None, "111"],
        "extra": ['{"note": "x"}', "{}", None],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def payments_input(**overrides):
    data = {
        "txn_id": ["T1", "T2"],
        "time": pd.to_datetime(["2023-07-01 10:00:00", "2024-01-02 23:59:59"]),
        "payer_id": ["S1", "S1"],
        "payee_id": ["S2", "OVERSEAS-01"],
        "channel": ["alipay", "usdt"],
        "amount_yuan": [500.0, 20000],
        "purpose": ["number_rental", None],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def milestones_input(**overrides):
    data = {
        "date": [dt.datetime(2023, 7, 1), dt.datetime(2024, 8, 1)],
        "key": ["activity_start", "operation"],
        "en": ["Activity begins", "Operation"],
        "zh": ["活动开始", "收网"],
    }
    data.update(overrides)
    return pd.DataFrame(data)


@pytest.mark.parametrize(
    ("validate", "frame", "contract", "declared"),
    [
        (validate_suspects, suspects_input, CONTRACT_SUSPECT_DTYPES, SUSPECT_DTYPES),
        (validate_payments, payments_input, CONTRACT_PAYMENT_DTYPES, PAYMENT_DTYPES),
        (validate_milestones, milestones_input, CONTRACT_MILESTONE_DTYPES, MILESTONE_DTYPES),
    ],
)
def test_valid_frames_come_back_with_contract_dtypes(validate, frame, contract, declared):
    out = validate(frame())
    assert list(out.columns) == list(contract)
    assert {c: str(t) for c, t in out.dtypes.items()} == contract
    assert declared == contract
    assert isinstance(out.index, pd.RangeIndex) and out.index.start == 0


def test_suspect_values_survive_coercion():
    out = validate_suspects(suspects_input())
    assert out.loc[0, "arrest_date"] == pd.Timestamp("2023-10-11")
    assert pd.isna(out.loc[1, "arrest_date"])
    assert out["amount_yuan"].tolist()[0] == 1000.0 and np.isnan(out["amount_yuan"].tolist()[1])
    assert out["phone_cards"].tolist()[:2] == [30, 2] and out["phone_cards"].isna().tolist() == [False, False, True]
    assert pd.isna(out.loc[1, "name"]) and pd.isna(out.loc[1, "city_adcode"])  # NA stays NA, not "None"
    assert out["extra"].tolist() == ['{"note": "x"}', "{}", "{}"]


@pytest.mark.parametrize("missing", ["name", "city_adcode", "address", "arrest_date", "amount_yuan",
                                     "phone_cards", "wechat_accounts", "qq_accounts", "extra"])
def test_optional_suspect_columns_are_filled_when_absent(missing):
    out = validate_suspects(suspects_input().drop(columns=[missing]))
    if missing == "extra":
        assert out["extra"].tolist() == ["{}"] * 3
    else:
        assert out[missing].isna().all()
    assert str(out[missing].dtype) == CONTRACT_SUSPECT_DTYPES[missing]


@pytest.mark.parametrize(
    ("validate", "frame", "column"),
    [
        (validate_suspects, suspects_input, "suspect_id"),
        (validate_suspects, suspects_input, "role"),
        (validate_suspects, suspects_input, "status"),
        (validate_suspects, suspects_input, "province_adcode"),
        (validate_payments, payments_input, "txn_id"),
        (validate_payments, payments_input, "time"),
        (validate_payments, payments_input, "payer_id"),
        (validate_payments, payments_input, "payee_id"),
        (validate_payments, payments_input, "channel"),
        (validate_payments, payments_input, "amount_yuan"),
        (validate_milestones, milestones_input, "date"),
        (validate_milestones, milestones_input, "key"),
        (validate_milestones, milestones_input, "en"),
        (validate_milestones, milestones_input, "zh"),
    ],
)
def test_missing_required_column_is_named(validate, frame, column):
    with pytest.raises(SchemaError) as info:
        validate(frame().drop(columns=[column]))
    assert f"'{column}'" in str(info.value) and "missing column" in str(info.value)


SUSPECT_BREAKAGES = [
    ("role", ["boss", "number_vendor", "payer"], "unknown value 'boss'"),
    ("role", ["号商", "number_vendor", "payer"], "unknown value"),  # spellings are the importer's job
    ("status", ["arrested", "caught", "at_large"], "unknown value 'caught'"),
    ("suspect_id", ["S1", "S1", "S3"], "duplicate"),
    ("suspect_id", ["S1", None, "S3"], "missing"),
    ("suspect_id", ["S1", "  ", "S3"], "blank"),
    ("suspect_id", [1, 2, 3], "expected text"),
    ("name", ["周某", 7, None], "expected text"),
    ("province_adcode", ["43000", "440000", "430000"], "6-digit"),
    ("province_adcode", ["430000", None, "430000"], "missing"),
    ("province_adcode", ["431000", "440000", "430000"], "not a provincial-level adcode"),
    ("city_adcode", ["441000", None, "430100"], "outside its province"),
    ("city_adcode", ["4310OO", None, "430100"], "6-digit"),
    ("arrest_date", ["2023-10-11", None, None], "expected dates"),
    ("arrest_date", pd.to_datetime(["2023-10-11", None, None]).tz_localize("Asia/Shanghai"), "timezone"),
    ("amount_yuan", ["lots", None, 1.0], "expected a number"),
    ("amount_yuan", [-1.0, None, 1.0], "non-negative"),
    ("amount_yuan", [np.inf, None, 1.0], "finite"),
    ("amount_yuan", [True, False, True], "booleans"),
    ("phone_cards", [1.5, 2, None], "whole numbers"),
    ("phone_cards", [-1, 2, None], "non-negative"),
    ("extra", ["not json", "{}", "{}"], "JSON object"),
    ("extra", ["[1, 2]", "{}", "{}"], "JSON object"),
]


@pytest.mark.parametrize(("column", "values", "fragment"), SUSPECT_BREAKAGES)
def test_malformed_suspects_name_column_and_problem(column, values, fragment):
    with pytest.raises(SchemaError) as info:
        validate_suspects(suspects_input(**{column: values}))
    message = str(info.value)
    assert message.startswith("suspects:")
    assert f"'{column}'" in message and fragment in message
    assert any(col == column for col, _ in info.value.problems)


PAYMENT_BREAKAGES = [
    ("channel", ["alipay", "paypal"], "unknown value 'paypal'"),
    ("amount_yuan", [500.0, -3.0], "non-negative"),
    ("amount_yuan", [500.0, None], "missing"),
    ("amount_yuan", ["500", 1.0], "expected a number"),
    ("time", [pd.Timestamp("2024-01-01"), pd.NaT], "missing"),
    ("time", ["2024-01-01", "2024-01-02"], "expected dates"),
    ("txn_id", ["T1", "T1"], "duplicate"),
    ("payee_id", ["S2", None], "missing"),
]


@pytest.mark.parametrize(("column", "values", "fragment"), PAYMENT_BREAKAGES)
def test_malformed_payments_name_column_and_problem(column, values, fragment):
    with pytest.raises(SchemaError) as info:
        validate_payments(payments_input(**{column: values}))
    assert str(info.value).startswith("payments:")
    assert f"'{column}'" in str(info.value) and fragment in str(info.value)


@pytest.mark.parametrize(
    ("column", "values", "fragment"),
    [
        ("key", ["operation", "operation"], "duplicate"),
        ("date", [None, dt.datetime(2024, 8, 1)], "missing"),
        ("zh", ["活动开始", ""], "blank"),
    ],
)
def test_malformed_milestones(column, values, fragment):
    with pytest.raises(SchemaError, match=fragment):
        validate_milestones(milestones_input(**{column: values}))


@pytest.mark.parametrize(
    ("validate", "frame"),
    [(validate_suspects, suspects_input), (validate_payments, payments_input), (validate_milestones, milestones_input)],
)
def test_unexpected_column_is_rejected(validate, frame):
    with pytest.raises(SchemaError, match="'surprise': unexpected column"):
        validate(frame().assign(surprise=1))


def test_duplicate_column_names_are_rejected():
    frame = suspects_input()
    frame = pd.concat([frame, frame[["role"]]], axis=1)
    with pytest.raises(SchemaError, match="'role': column appears more than once"):
        validate_suspects(frame)


def test_all_problems_are_reported_together():
    frame = suspects_input(role=["boss", "payer", "payer"], amount_yuan=["x", 1, 2]).drop(columns=["status"])
    with pytest.raises(SchemaError) as info:
        validate_suspects(frame)
    assert {col for col, _ in info.value.problems} == {"role", "amount_yuan", "status"}


@pytest.mark.parametrize("not_a_frame", [None, [], {"suspect_id": ["S1"]}])
def test_non_frames_are_rejected(not_a_frame):
    with pytest.raises(SchemaError, match="expected a DataFrame"):
        validate_suspects(not_a_frame)


def test_validation_is_idempotent_and_does_not_mutate_input():
    frame = suspects_input()
    before = frame.copy()
    once = validate_suspects(frame)
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_frame_equal(validate_suspects(once), once)


def test_object_and_str_inputs_give_the_same_frame():
    as_object = suspects_input().astype({"suspect_id": object, "role": object})
    pd.testing.assert_frame_equal(validate_suspects(as_object), validate_suspects(suspects_input()))


def test_hostile_text_is_stored_as_given():
    names = ["=HYPERLINK(\"http://x\")", "<img src=x>", "李某"]
    assert validate_suspects(suspects_input(name=names))["name"].tolist() == names


@pytest.mark.parametrize("empty", [schema.empty_suspects, schema.empty_payments, schema.empty_milestones])
def test_empty_frames_have_canonical_dtypes(empty):
    frame = empty()
    assert len(frame) == 0
    contract = {
        schema.empty_suspects: CONTRACT_SUSPECT_DTYPES,
        schema.empty_payments: CONTRACT_PAYMENT_DTYPES,
        schema.empty_milestones: CONTRACT_MILESTONE_DTYPES,
    }[empty]
    assert {c: str(t) for c, t in frame.dtypes.items()} == contract


@pytest.mark.parametrize(
    ("city", "province"),
    [("431000", "430000"), ("430100", "430000"), ("440300", "440000"), ("110100", "110000"), ("429004", "420000")],
)
def test_province_of_city(city, province):
    assert schema.province_of_city(city) == province


def test_province_codes_are_the_34_provincial_units():
    codes = schema.PROVINCE_ADCODES
    assert len(codes) == 34
    assert all(len(c) == 6 and c.endswith("0000") for c in codes)
    assert {"430000", "440000", "110000", "500000", "810000"} <= codes
