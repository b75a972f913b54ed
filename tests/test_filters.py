"""FilterState: query-param round trips, forgiving parsing, clicks, and what each filter keeps.

What each filter keeps is worked out by hand on a few rows, and checked both
on the reference computation (tests/reference.py, the oracle of
tests/test_query.py) and on the query layer over a store.
"""

import datetime as dt
import math
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casemap import vocab
from casemap.filters import NO_PURPOSE, REASONS, FilterState, Notice, apply_click, select_place, select_term
from casemap.schema import (
    CaseData,
    empty_milestones,
    validate_payments,
    validate_suspects,
)
from tests.reference import apply

PROVINCES = {"430000", "440000", "450000"}
CITIES = {"431000", "430100", "440300", "450100"}

# ---------------------------------------------------------------- to_query


@pytest.mark.parametrize(
    ("state", "query"),
    [
        (FilterState(), {}),
        (FilterState(case="demo"), {}),
        (FilterState(case="湘-2024"), {"case": "湘-2024"}),
        (FilterState(date_from=dt.date(2024, 8, 1)), {"from": "2024-08-01"}),
        (FilterState(date_to=dt.date(2024, 8, 7)), {"to": "2024-08-07"}),
        (FilterState(provinces=("440000", "430000", "440000")), {"province": "430000,440000"}),
        (FilterState(cities=["440300"]), {"city": "440300"}),
        (FilterState(roles=("payer", "mobile_port")), {"role": "mobile_port,payer"}),
        (
            FilterState(statuses=("arrested",), channels=("usdt", "alipay")),
            {"status": "arrested", "channel": "alipay,usdt"},
        ),
        (FilterState(min_amount=100.0), {"min_amount": "100"}),
        (FilterState(min_amount=0), {"min_amount": "0"}),
        (FilterState(max_amount=12.5), {"max_amount": "12.5"}),
        (FilterState(min_amount=1e6, max_amount=2.5e6), {"min_amount": "1000000", "max_amount": "2500000"}),
        (FilterState(min_payment=50, max_payment=99.5), {"min_payment": "50", "max_payment": "99.5"}),
        (FilterState(lang="zh", theme="screen"), {"lang": "zh", "theme": "screen"}),
        (FilterState(lang="en", theme="light"), {"lang": "en", "theme": "light"}),
    ],
)
def test_to_query(state, query):
    assert state.to_query() == query


def test_state_is_canonical_and_hashable():
    a = FilterState(provinces=("440000", "430000"), roles=["payer", "payer"])
    b = FilterState(provinces=("430000", "440000"), roles=("payer",))
    assert a == b and hash(a) == hash(b)
    assert FilterState(date_from=dt.datetime(2024, 8, 1, 12)).date_from == dt.date(2024, 8, 1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"case": ""},
        {"case": " demo"},
        {"case": None},
        {"date_from": dt.date(2024, 8, 7), "date_to": dt.date(2024, 8, 1)},
        {"date_from": "2024-08-01"},
        {"provinces": ("43",)},
        {"cities": (431000,)},
        {"roles": ("boss",)},
        {"statuses": ("已抓获",)},  # spellings are for from_query; the state holds values
        {"channels": ("paypal",)},
        {"min_amount": -1},
        {"max_amount": float("inf")},
        {"min_amount": float("nan")},
        {"min_amount": 10, "max_amount": 5},
        {"min_payment": 10, "max_payment": 5},
        {"max_payment": -0.5},
        {"lang": "fr"},
        {"theme": "dark"},
    ],
)
def test_impossible_states_cannot_be_built(kwargs):
    with pytest.raises(ValueError):
        FilterState(**kwargs)


# ---------------------------------------------------------------- round trip

adcodes = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
case_names = st.text(min_size=1, max_size=100).filter(lambda s: s == s.strip() and s)


def subsets(terms):
    return st.lists(st.sampled_from(vocab.values(terms)), unique=True).map(tuple)


def ordered(low, high):
    """Swap a reversed pair: reversed ranges are not valid states."""
    return (high, low) if low is not None and high is not None and low > high else (low, high)


@st.composite
def filter_states(draw):
    date_from, date_to = ordered(draw(st.none() | dates), draw(st.none() | dates))
    amount_low, amount_high = ordered(draw(st.none() | amounts), draw(st.none() | amounts))
    payment_low, payment_high = ordered(draw(st.none() | amounts), draw(st.none() | amounts))
    return FilterState(
        case=draw(case_names),
        date_from=date_from,
        date_to=date_to,
        provinces=tuple(draw(st.lists(adcodes, max_size=4))),
        cities=tuple(draw(st.lists(adcodes, max_size=4))),
        roles=draw(subsets(vocab.ROLES)),
        statuses=draw(subsets(vocab.STATUSES)),
        channels=draw(subsets(vocab.CHANNELS)),
        min_amount=amount_low,
        max_amount=amount_high,
        min_payment=payment_low,
        max_payment=payment_high,
        lang=draw(st.sampled_from([None, "en", "zh"])),
        theme=draw(st.sampled_from([None, "light", "screen"])),
    )


@settings(max_examples=300, deadline=None)
@given(filter_states())
def test_any_state_round_trips_through_the_query(state):
    query = state.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in query.items())
    back, notices = FilterState.from_query(query, set(state.provinces), set(state.cities))
    assert notices == []
    assert back == state


# ---------------------------------------------------------------- from_query


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, FilterState()),
        ({"case": " other "}, FilterState(case="other")),
        ({"case": ""}, FilterState()),
        (
            {"from": "2024-08-01", "to": "2024-08-07"},
            FilterState(date_from=dt.date(2024, 8, 1), date_to=dt.date(2024, 8, 7)),
        ),
        ({"province": "440000,430000"}, FilterState(provinces=("430000", "440000"))),
        ({"province": ["430000", "440000,450000"]}, FilterState(provinces=("430000", "440000", "450000"))),
        ({"province": " 430000 , ,430000"}, FilterState(provinces=("430000",))),
        ({"role": "号商,Mobile Port"}, FilterState(roles=("mobile_port", "number_vendor"))),
        ({"status": "在逃"}, FilterState(statuses=("at_large",))),
        ({"channel": "ＵＳＤＴ,支付宝"}, FilterState(channels=("alipay", "usdt"))),
        ({"min_amount": " 1e3 ", "max_amount": "2500.50"}, FilterState(min_amount=1000.0, max_amount=2500.5)),
        ({"min_payment": "500", "max_payment": "1e4"}, FilterState(min_payment=500.0, max_payment=10_000.0)),
        ({"lang": "ZH", "theme": "Screen"}, FilterState(lang="zh", theme="screen")),
        ({"lang": ["en", "zh"]}, FilterState(lang="zh")),  # last value wins for single-valued params
        ({"embed": "true", "page": "map"}, FilterState()),  # unknown keys are ignored silently
    ],
)
def test_from_query_accepts(params, expected):
    state, notices = FilterState.from_query(params, PROVINCES, CITIES)
    assert notices == []
    assert state == expected


@pytest.mark.parametrize(
    ("params", "notices", "kept"),
    [
        ({"province": "999999"}, [Notice("province", "999999", "unknown_code")], FilterState()),
        ({"province": "430000,湖南"}, [Notice("province", "湖南", "unknown_code")], FilterState(provinces=("430000",))),
        ({"city": "431000,440000"}, [Notice("city", "440000", "unknown_code")], FilterState(cities=("431000",))),
        ({"from": "2024-13-01"}, [Notice("from", "2024-13-01", "bad_date")], FilterState()),
        (
            {"to": "yesterday", "from": "2024-08-01"},
            [Notice("to", "yesterday", "bad_date")],
            FilterState(date_from=dt.date(2024, 8, 1)),
        ),
        ({"from": "2024-08-07", "to": "2024-08-01"}, [Notice("to", "2024-08-01", "reversed_dates")], FilterState()),
        ({"min_amount": "abc"}, [Notice("min_amount", "abc", "bad_number")], FilterState()),
        ({"min_amount": "-5"}, [Notice("min_amount", "-5", "bad_number")], FilterState()),
        ({"max_amount": "inf"}, [Notice("max_amount", "inf", "bad_number")], FilterState()),
        ({"max_amount": "nan"}, [Notice("max_amount", "nan", "bad_number")], FilterState()),
        ({"min_amount": "10", "max_amount": "5"}, [Notice("max_amount", "5", "reversed_amounts")], FilterState()),
        ({"min_payment": "10", "max_payment": "5"}, [Notice("max_payment", "5", "reversed_payments")], FilterState()),
        ({"min_payment": "much"}, [Notice("min_payment", "much", "bad_number")], FilterState()),
        ({"role": "boss,payer"}, [Notice("role", "boss", "unknown_value")], FilterState(roles=("payer",))),
        ({"status": "caught"}, [Notice("status", "caught", "unknown_value")], FilterState()),
        ({"channel": "paypal"}, [Notice("channel", "paypal", "unknown_value")], FilterState()),
        ({"lang": "fr"}, [Notice("lang", "fr", "unknown_value")], FilterState()),
        ({"theme": "dark"}, [Notice("theme", "dark", "unknown_value")], FilterState()),
        ({"case": "x" * 101}, [Notice("case", "x" * 101, "unknown_value")], FilterState()),
    ],
)
def test_bad_parts_are_dropped_with_notices(params, notices, kept):
    state, got = FilterState.from_query(params, PROVINCES, CITIES)
    assert got == notices
    assert state == kept
    assert all(n.reason in REASONS for n in got)


def test_good_parts_survive_next_to_bad_ones():
    params = {"province": "430000,000000", "from": "garbage", "to": "2024-08-07", "role": "payer", "lang": "xx"}
    state, notices = FilterState.from_query(params, PROVINCES, CITIES)
    assert state == FilterState(provinces=("430000",), date_to=dt.date(2024, 8, 7), roles=("payer",))
    assert sorted(n.reason for n in notices) == ["bad_date", "unknown_code", "unknown_value"]


query_values = st.one_of(st.text(max_size=30), st.lists(st.text(max_size=30), max_size=3))
query_keys = st.one_of(
    st.sampled_from(["case", "from", "to", "province", "city", "role", "status", "channel",
                     "min_amount", "max_amount", "min_payment", "max_payment", "lang", "theme"]),
    st.text(max_size=10),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(query_keys, query_values, max_size=8))
def test_garbage_never_raises(params):
    state, notices = FilterState.from_query(params, PROVINCES, CITIES)
    assert isinstance(state, FilterState)
    assert all(isinstance(n, Notice) and n.reason in REASONS for n in notices)
    assert set(state.provinces) <= PROVINCES and set(state.cities) <= CITIES


# ---------------------------------------------------------------- what each filter keeps

# id, province, city, role, status, arrest date, amount
SUSPECT_ROWS = [
    ("A", "430000", "431000", "mobile_port", "arrested", "2024-08-01 15:00", 100.0),
    ("B", "430000", "431000", "payer", "at_large", None, 50.0),
    ("C", "430000", "430100", "number_vendor", "under_investigation", None, float("nan")),
    ("D", "440000", "440300", "number_vendor", "arrested", "2024-08-03", 25.5),
    ("E", "440000", None, "number_vendor", "at_large", None, 10.0),
]
# id, time, payer, payee, channel, amount
PAYMENT_ROWS = [
    ("T1", "2024-07-31 23:59:59", "B", "D", "alipay", 10.0),
    ("T2", "2024-08-01 00:00:00", "B", "OVERSEAS-01", "usdt", 100.0),
    ("T3", "2024-08-02 12:00:00", "D", "C", "bank", 5.25),
    ("T4", "2024-08-03 08:00:00", "X", "Y", "alipay", 60.0),
]


def make_frames():
    s = list(zip(*SUSPECT_ROWS))
    suspects = validate_suspects(pd.DataFrame({
        "suspect_id": s[0], "province_adcode": s[1], "city_adcode": s[2], "role": s[3], "status": s[4],
        "arrest_date": [pd.Timestamp(d) if d else pd.NaT for d in s[5]], "amount_yuan": s[6],
    }))
    p = list(zip(*PAYMENT_ROWS))
    payments = validate_payments(pd.DataFrame({
        "txn_id": p[0], "time": pd.to_datetime(list(p[1])), "payer_id": p[2], "payee_id": p[3],
        "channel": p[4], "amount_yuan": p[5],
    }))
    return suspects, payments


@pytest.fixture
def frames():
    return make_frames()


KEPT = pytest.mark.parametrize(
    ("state", "suspect_ids", "txn_ids"),
    [
        (FilterState(), "ABCDE", ["T1", "T2", "T3", "T4"]),
        (FilterState(case="other", lang="zh", theme="screen"), "ABCDE", ["T1", "T2", "T3", "T4"]),
        (FilterState(provinces=("430000",)), "ABC", ["T1", "T2", "T3"]),
        (FilterState(provinces=("440000",)), "DE", ["T1", "T3"]),
        (FilterState(cities=("440300",)), "D", ["T1", "T3"]),  # a city alone implies its province
        (FilterState(provinces=("430000",), cities=("431000",)), "AB", ["T1", "T2"]),  # city narrows its province
        (FilterState(provinces=("430000",), cities=("440300",)), "ABCD", ["T1", "T2", "T3"]),  # other province whole
        (FilterState(statuses=("arrested",)), "AD", ["T1", "T3"]),
        (FilterState(roles=("number_vendor",), statuses=("at_large",)), "E", []),
        (FilterState(roles=("payer",)), "B", ["T1", "T2"]),
        # Dates are the period of activity: arrested, paying or paid in it; the end date is inclusive.
        (FilterState(date_to=dt.date(2024, 8, 1)), "ABD", ["T1", "T2"]),  # A arrested; B paid D (T1, T2)
        (FilterState(date_from=dt.date(2024, 8, 2)), "CD", ["T3", "T4"]),  # D arrested and paid C (T3)
        (FilterState(date_from=dt.date(2024, 8, 1), date_to=dt.date(2024, 8, 1)), "AB", ["T2"]),
        # The amount range is the amount involved (unknown drops out only when a bound is set);
        # the payments shown are those of the suspects shown.
        (FilterState(min_amount=50), "AB", ["T1", "T2"]),
        (FilterState(max_amount=25.5), "DE", ["T1", "T3"]),
        # The payment-amount range filters single payments and no suspect.
        (FilterState(min_payment=50), "ABCDE", ["T2", "T4"]),
        (FilterState(max_payment=10), "ABCDE", ["T1", "T3"]),
        (FilterState(channels=("alipay",)), "ABCDE", ["T1", "T4"]),
        (FilterState(channels=("alipay",), provinces=("440000",)), "DE", ["T1"]),
    ],
)


@KEPT
def test_apply(frames, state, suspect_ids, txn_ids):
    suspects, payments = frames
    result = apply(state, suspects, payments)
    assert "".join(result.suspects["suspect_id"]) == suspect_ids
    assert result.payments["txn_id"].tolist() == txn_ids


def test_apply_keeps_dtypes_and_does_not_mutate(frames):
    suspects, payments = frames
    before = suspects.copy(), payments.copy()
    result = apply(FilterState(provinces=("430000",), min_amount=1), suspects, payments)
    pd.testing.assert_frame_equal(suspects, before[0])
    pd.testing.assert_frame_equal(payments, before[1])
    assert result.suspects.dtypes.equals(suspects.dtypes)
    assert list(result.suspects.index) == list(range(len(result.suspects)))


def test_apply_hunan_on_the_demo(demo_case):
    result = apply(FilterState(provinces=("430000",)), demo_case.suspects, demo_case.payments)
    assert (result.suspects["province_adcode"] == "430000").all()
    assert 0 < len(result.suspects) < len(demo_case.suspects)
    hunan = set(result.suspects["suspect_id"])
    assert (result.payments["payer_id"].isin(hunan) | result.payments["payee_id"].isin(hunan)).all()


SUSPECT_AMOUNT = {row[0]: row[-1] for row in SUSPECT_ROWS}
PAYMENT_AMOUNT = {row[0]: row[-1] for row in PAYMENT_ROWS}


@KEPT
def test_the_query_layer_keeps_the_same_rows(seeded_store, state, suspect_ids, txn_ids):
    suspects, payments = make_frames()
    seeded_store.put("filters-hand", CaseData(suspects=suspects, payments=payments, milestones=empty_milestones()))
    figures = seeded_store.query(replace(state, case="filters-hand")).headline()
    # No two sets of these rows have the same count and total, so the figures tell which rows were kept.
    assert figures["suspects"] == len(suspect_ids)
    assert figures["amount_yuan"] == sum(SUSPECT_AMOUNT[s] for s in suspect_ids if not math.isnan(SUSPECT_AMOUNT[s]))
    assert figures["payments"] == len(txn_ids)
    assert figures["payments_yuan"] == sum(PAYMENT_AMOUNT[t] for t in txn_ids)


@pytest.mark.parametrize(
    "before, clicked, provinces, cities",
    [
        (FilterState(), "430000", ("430000",), ()),
        (FilterState(provinces=("430000",)), "430000", (), ()),
        (FilterState(provinces=("440000",)), "430000", ("430000",), ()),
        (FilterState(provinces=("430000",)), "431000", ("430000",), ("431000",)),
        (FilterState(provinces=("430000",), cities=("431000",)), "431000", ("430000",), ()),
        (FilterState(provinces=("430000",), cities=("431000",)), "430100", ("430000",), ("430100",)),
        (FilterState(provinces=("430000",), cities=("431000",)), "440000", ("440000",), ()),
    ],
)
def test_select_place_drills_down_and_toggles(before, clicked, provinces, cities):

    after = select_place(before, clicked)
    assert after.provinces == provinces
    assert after.cities == cities


def test_select_place_keeps_the_other_filters():

    before = FilterState(case="x", roles=("pc_end",), lang="zh", min_amount=10.0)
    after = select_place(before, "430000")
    assert (after.case, after.roles, after.lang, after.min_amount) == ("x", ("pc_end",), "zh", 10.0)


@pytest.mark.parametrize(
    "before, value, expected",
    [((), "pc_end", ("pc_end",)), (("pc_end",), "pc_end", ()), (("payer", "pc_end"), "pc_end", ("pc_end",))],
)
def test_select_term_toggles_one_value(before, value, expected):

    assert select_term(FilterState(roles=before), "roles", value).roles == expected


@pytest.mark.parametrize("before, target, field_name, expected", [
    (FilterState(), "430000", "provinces", ("430000",)),
    (FilterState(), "431000", "cities", ("431000",)),
    (FilterState(), "channel:usdt", "channels", ("usdt",)),
    (FilterState(channels=("usdt",)), "channel:usdt", "channels", ()),
    (FilterState(channels=("alipay", "usdt")), "channel:usdt", "channels", ("usdt",)),
    (FilterState(), "purpose:settlement", "purposes", ("settlement",)),
    (FilterState(purposes=("号码押金",)), "purpose:号码押金", "purposes", ()),
    (FilterState(), "role:payer", "roles", ("payer",)),
    (FilterState(), "status:at_large", "statuses", ("at_large",)),
])
def test_a_click_target_sets_or_clears_its_filter(before, target, field_name, expected):
    after = apply_click(replace(before, lang="zh", min_amount=5.0), target)
    assert getattr(after, field_name) == expected
    assert (after.lang, after.min_amount) == ("zh", 5.0)  # the other filters stay


def test_a_period_click_sets_the_dates_and_a_second_click_clears_them():
    feb = apply_click(FilterState(roles=("payer",)), "period:2024-02-01/2024-02-29")
    assert (feb.date_from, feb.date_to, feb.roles) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29), ("payer",))
    again = apply_click(feb, "period:2024-02-01/2024-02-29")
    assert (again.date_from, again.date_to) == (None, None)
    march = apply_click(feb, "period:2024-03-01/2024-03-31")
    assert (march.date_from, march.date_to) == (dt.date(2024, 3, 1), dt.date(2024, 3, 31))


@pytest.mark.parametrize("target", ["", "channel:", "colour:red", "channel:paypal", "period:2024-13-01/2024-13-31",
                                    "12345"])
def test_anything_else_is_not_a_click_target(target):
    with pytest.raises(ValueError):
        apply_click(FilterState(), target)


def test_purposes_go_through_the_url_as_vocabulary_values_or_free_text():
    state, notices = FilterState.from_query(
        {"purpose": "号码租用费, 号码押金,unrecorded", "channel": "usdt"}, set(), set())
    assert notices == []
    assert state.purposes == tuple(sorted(("number_rental", "号码押金", NO_PURPOSE)))
    assert state.to_query()["purpose"] == ",".join(sorted(("number_rental", "号码押金", NO_PURPOSE)))
    again, _ = FilterState.from_query(state.to_query(), set(), set())
    assert again == state
    assert not state.filters_suspects  # a payment filter, like the channel


def test_a_purpose_too_long_is_dropped_with_a_notice():
    long = "x" * 101
    state, notices = FilterState.from_query({"purpose": f"settlement,{long}"}, set(), set())
    assert state.purposes == ("settlement",)
    assert notices == [Notice("purpose", long, "unknown_value")]
    with pytest.raises(ValueError):
        FilterState(purposes=("a,b",))


# ---------------------------------------------------------------- the network filter


@pytest.mark.parametrize("person", ["S006", "P1", "OVERSEAS-1", "嫌疑人 12", "x" * 100])
def test_the_network_filter_round_trips_through_the_query(person):
    state = FilterState(network=person, provinces=("430000",), lang="zh")
    assert state.to_query()["network"] == person
    back, notices = FilterState.from_query(state.to_query(), PROVINCES, CITIES)
    assert notices == []
    assert back == state and back.filters_suspects


@pytest.mark.parametrize("value", ["x" * 101, "S0\n06", "S\x0006", "S\u200e006"])
def test_a_bad_network_value_is_dropped_with_a_notice(value):
    state, notices = FilterState.from_query({"network": value, "role": "payer"}, PROVINCES, CITIES)
    assert state == FilterState(roles=("payer",))
    assert notices == [Notice("network", value.strip(), "bad_id")]
    assert all(n.reason in REASONS for n in notices)


@pytest.mark.parametrize("value", ["", " S006", "S006 ", "x" * 101, "a\tb"])
def test_a_network_state_needs_a_suspect_id(value):
    with pytest.raises(ValueError):
        FilterState(network=value)
