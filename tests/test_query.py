"""The query layer (casemap/query/): the reference figures, from the database, on SQLite and PostgreSQL.

The reference is plain pandas over whole frames (tests/reference.py), the way
Casemap computed every figure before the query layer. Each figure the pages
draw is compared with it on three cases (the hand-made tiny case, the demo
and a generated case of 20,000 payments) under a table of filter states and
a user's scope. The bucketing into weeks and months, which runs in pandas
on the small per-day results, has its own hand-worked tables at the end.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace

import pandas as pd
import pytest

from casemap import metrics, vocab
from casemap.filters import FilterState
from casemap.query import EVERYWHERE, CaseQuery, Scope
from casemap.query import periods as qperiods
from casemap.query import spread as qspread
from tests import reference as ref

CASES = ["tiny", "demo", "large"]
HUNAN_ONLY = Scope(frozenset({"430000"}))
AUGUST_2024 = {"date_from": dt.date(2024, 8, 1), "date_to": dt.date(2024, 8, 31)}

# id -> (filter fields, scope). Hunan (430000), Chenzhou (431000), Guangdong
# (440000) and Shenzhen (440300) have suspects in all three cases.
STATES = {
    "none": ({}, EVERYWHERE),
    "province": ({"provinces": ("430000",)}, EVERYWHERE),
    "provinces": ({"provinces": ("430000", "440000")}, EVERYWHERE),
    "city": ({"cities": ("431000",)}, EVERYWHERE),
    "city-of-another-province": ({"cities": ("440300",)}, EVERYWHERE),
    "province-and-city": ({"provinces": ("430000", "440000"), "cities": ("431000",)}, EVERYWHERE),
    "dates": (AUGUST_2024, EVERYWHERE),
    "date-from": ({"date_from": dt.date(2024, 8, 2)}, EVERYWHERE),
    "date-to": ({"date_to": dt.date(2023, 12, 31)}, EVERYWHERE),
    "one-day": ({"date_from": dt.date(2024, 8, 3), "date_to": dt.date(2024, 8, 3)}, EVERYWHERE),
    "role": ({"roles": ("number_vendor",)}, EVERYWHERE),
    "roles": ({"roles": ("payer", "mobile_port")}, EVERYWHERE),
    "status": ({"statuses": ("at_large",)}, EVERYWHERE),
    "statuses": ({"statuses": ("arrested", "under_investigation")}, EVERYWHERE),
    "channel": ({"channels": ("alipay",)}, EVERYWHERE),
    "channels": ({"channels": ("bank", "usdt")}, EVERYWHERE),
    "purpose": ({"purposes": ("number_rental",)}, EVERYWHERE),
    "purposes-and-unrecorded": ({"purposes": ("settlement", "unrecorded")}, EVERYWHERE),
    "purpose-and-province": ({"purposes": ("wechat_rental",), "provinces": ("430000",)}, EVERYWHERE),
    "min-amount": ({"min_amount": 1_000}, EVERYWHERE),
    "max-amount": ({"max_amount": 5_000}, EVERYWHERE),
    "amount-range": ({"min_amount": 500, "max_amount": 20_000}, EVERYWHERE),
    "role-and-status": ({"roles": ("number_vendor",), "statuses": ("at_large",)}, EVERYWHERE),
    "province-channel-amount": ({"provinces": ("430000",), "channels": ("alipay",), "min_amount": 1_000}, EVERYWHERE),
    "dates-and-status": ({**AUGUST_2024, "statuses": ("arrested",)}, EVERYWHERE),
    "everything": ({
        "provinces": ("430000", "440000"), "cities": ("431000",), "date_from": dt.date(2023, 1, 1),
        "date_to": dt.date(2024, 8, 31), "roles": ("number_vendor", "payer"), "statuses": ("arrested", "at_large"),
        "channels": ("alipay", "bank"), "min_amount": 100, "max_amount": 200_000,
    }, EVERYWHERE),
    "nothing": ({"date_from": dt.date(2000, 1, 1), "date_to": dt.date(2000, 1, 31)}, EVERYWHERE),
    "scope": ({}, HUNAN_ONLY),
    "scope-and-status": ({"statuses": ("arrested",)}, HUNAN_ONLY),
    "scope-and-channel": ({"channels": ("alipay",)}, HUNAN_ONLY),
    "scope-and-purpose": ({"purposes": ("number_rental",)}, HUNAN_ONLY),
    "scope-and-city": ({"cities": ("431000",)}, HUNAN_ONLY),
    "province-outside-the-scope": ({"provinces": ("440000",)}, HUNAN_ONLY),
    # Guangdong has vendors only: payments follow its suspects, paid from other provinces.
    "scope-of-payees": ({}, Scope(frozenset({"440000"}))),
    "two-province-scope": ({"channels": ("alipay", "wechat_pay")}, Scope(frozenset({"430000", "440000"}))),
}


# The generated case adds volume (sums of thousands of amounts, near ties), not new
# kinds of filter: one state of each kind is enough there.
LARGE_STATES = ["none", "province", "province-and-city", "dates", "role", "statuses", "channels", "purpose",
                "amount-range",
                "everything", "nothing", "scope", "scope-and-status", "province-outside-the-scope"]
CASE_STATES = [(case, state_id) for case in CASES for state_id in (LARGE_STATES if case == "large" else STATES)]


class Reference:
    """The frames of one case that pass one filter state and scope, computed by the reference."""

    def __init__(self, frames, state: FilterState, scope: Scope):
        provinces = scope.provinces  # None: every province
        self.frames = frames
        self.shown = ref.apply_in_scope(state, provinces, frames.suspects, frames.payments)
        # What counts over time see: arrests outside the date range are not arrests then.
        self.timed = ref.arrests_in_period(self.shown.suspects, state)
        # The whole case as far as the user may see it, filters aside: where counterparts are looked up.
        self.seen = ref.apply_in_scope(FilterState(case=state.case), provinces, frames.suspects, frames.payments)

    @functools.cached_property
    def case_span(self):
        return ref.case_span(self.timed, self.shown.payments, self.frames.milestones)


# figure -> (what the query layer gives, what the reference gives for the same filters)
FIGURES = {
    "headline": (lambda q: q.headline(), lambda r: ref.headline(r.shown.suspects, r.shown.payments)),
    "by_province": (lambda q: q.by_province(), lambda r: ref.by_province(r.shown.suspects, r.shown.payments)),
    "by_city": (lambda q: q.by_city(), lambda r: ref.by_city(r.shown.suspects, r.shown.payments)),
    "arrests_weekly": (lambda q: q.arrests_over_time("W"), lambda r: ref.arrests_over_time(r.timed, "W")),
    "arrests_monthly": (lambda q: q.arrests_over_time("MS"), lambda r: ref.arrests_over_time(r.timed, "MS")),
    "activity_weekly": (
        lambda q: q.activity("W"),
        lambda r: ref.activity_by_period(r.timed, r.shown.payments, "W", span=r.case_span),
    ),
    "activity_monthly": (
        lambda q: q.activity("MS"),
        lambda r: ref.activity_by_period(r.timed, r.shown.payments, "MS", span=r.case_span),
    ),
    "spread": (lambda q: q.spread(), lambda r: ref.spread_by_month(r.timed, r.shown.payments)),
    "by_channel": (lambda q: q.by_channel(), lambda r: ref.amount_by_channel(r.shown.payments)),
    "by_purpose": (lambda q: q.by_purpose(), lambda r: ref.totals_by_purpose(r.shown.payments)),
    "province_flows": (lambda q: q.province_flows(), lambda r: ref.province_flows(r.shown.payments, r.seen.suspects)),
    "role_flows": (lambda q: q.role_flows(), lambda r: ref.role_flows(r.shown.payments, r.seen.suspects)),
    "top_payers": (lambda q: q.top_parties("payer"), lambda r: ref.top_parties(r.shown.payments, r.seen.suspects, "payer")),
    "top_vendors": (
        lambda q: q.top_parties("payee", 10, "number_vendor"),
        lambda r: ref.top_parties(r.shown.payments, r.seen.suspects, "payee", role="number_vendor"),
    ),
    "case_span": (lambda q: q.case_span(), lambda r: r.case_span),
    "data_as_of": (lambda q: q.data_as_of(), lambda r: ref.data_as_of(r.seen.suspects, r.seen.payments)),
    "natural_freq": (lambda q: q.natural_freq(), lambda r: ref.natural_freq(r.timed["arrest_date"])),
}

# Computed once and shared by both backends: the frames of a case are the same for both.
_REFERENCES: dict[tuple[str, str], Reference] = {}
_EXPECTED: dict[tuple[str, str, str], object] = {}


def reference_of(seeded_store, case: str, state_id: str) -> Reference:
    """The reference frames of ``case`` under STATES[state_id]."""
    if (case, state_id) not in _REFERENCES:
        fields, scope = STATES[state_id]
        _REFERENCES[case, state_id] = Reference(seeded_store.case(case), FilterState(case=case, **fields), scope)
    return _REFERENCES[case, state_id]


def expected_figure(seeded_store, case: str, state_id: str, figure: str):
    """The reference value of one figure."""
    if (case, state_id, figure) not in _EXPECTED:
        _EXPECTED[case, state_id, figure] = FIGURES[figure][1](reference_of(seeded_store, case, state_id))
    return _EXPECTED[case, state_id, figure]


def query_of(seeded_store, case: str, state_id: str):
    fields, scope = STATES[state_id]
    return seeded_store.query(FilterState(case=case, **fields), scope)


def assert_same_frame(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, index and values (floats to a tolerance), string dtypes aside.

    The pages format counts and yuan differently, so the layer's numbers must
    also be of the right kind: yuan as floats, counts as integers.
    """
    pd.testing.assert_frame_equal(
        got, expected, check_dtype=False, check_index_type=False, check_column_type=False,
        check_exact=False, rtol=1e-9, atol=1e-6,
    )
    for column in expected.columns:
        if expected[column].dtype.kind in "if" and len(expected):
            kind = "f" if "yuan" in column else "i"
            assert got[column].dtype.kind == kind, f"{column} is {got[column].dtype}"
        elif expected[column].dtype.kind == "M":
            assert got[column].dtype.kind == "M", f"{column} is {got[column].dtype}"


def assert_same_headline(got: dict, expected: dict) -> None:
    assert list(got) == list(expected) == list(metrics.HEADLINE_KEYS)
    for key, value in expected.items():
        assert type(got[key]) is type(value), key
        # Both round their sums to 2 dp; a sum summed in another order may round to the next cent.
        assert got[key] == (value if isinstance(value, int) else pytest.approx(value, abs=0.0100001)), key


def assert_same_figure(figure: str, got, expected) -> None:
    if figure == "headline":
        assert_same_headline(got, expected)
    elif figure == "by_purpose":
        assert got["amount_yuan"].is_monotonic_decreasing  # largest first
        # Equal amounts may come in either order: compare purpose by purpose.
        assert_same_frame(got.sort_index(), expected.sort_index())
    elif isinstance(expected, pd.DataFrame):
        assert_same_frame(got, expected)
    else:
        assert got == expected


@pytest.mark.parametrize("figure", FIGURES)
@pytest.mark.parametrize(("case", "state_id"), CASE_STATES)
def test_figure_equals_the_reference(seeded_store, case, state_id, figure):
    got = FIGURES[figure][0](query_of(seeded_store, case, state_id))
    assert_same_figure(figure, got, expected_figure(seeded_store, case, state_id, figure))


@pytest.mark.parametrize("case", CASES)
def test_the_filter_table_is_not_vacuous(seeded_store, case):
    """Most states show some but not all of each case, so the comparisons above compare something."""
    whole = reference_of(seeded_store, case, "none").shown
    states = LARGE_STATES if case == "large" else STATES
    partial = 0
    for state_id in states:
        shown = reference_of(seeded_store, case, state_id).shown
        partial += 0 < len(shown.suspects) < len(whole.suspects) and 0 < len(shown.payments) < len(whole.payments)
    assert partial >= len(states) // 3
    assert reference_of(seeded_store, case, "nothing").shown.suspects.empty


def test_the_large_case_has_20000_payments(seeded_store, large_case):
    assert len(large_case.payments) == 20_000
    assert seeded_store.query(FilterState(case="large")).headline()["payments"] == 20_000


# -- the scope: a user who may see only some provinces ---------------------------------------------


def test_the_scope_hides_the_suspects_outside_it(seeded_store):
    figures = seeded_store.query(FilterState(case="demo"), HUNAN_ONLY).by_province()
    assert list(figures.index) == ["430000"]
    outside = seeded_store.query(FilterState(case="demo", provinces=("440000",)), HUNAN_ONLY).headline()
    assert outside["suspects"] == outside["payments"] == 0


def test_the_flows_of_a_scope_name_no_province_outside_it(seeded_store):
    q = seeded_store.query(FilterState(case="tiny"), HUNAN_ONLY)
    flows = q.province_flows()
    assert set(flows["source"]) | set(flows["target"]) <= {"430000", "overseas"}
    # Only payments with no end outside Hunan: T1 and T6 within Hunan, T5 overseas; not the
    # payments to the vendors in Shenzhen and Beijing (T2, T3, T4), whose amounts would leak.
    assert flows["amount_yuan"].sum() == 51_100.0 and flows["payments"].sum() == 3
    assert flows.set_index(["source", "target"]).loc[("430000", "430000")].tolist() == [1_100.0, 2]
    assert flows.set_index(["source", "target"]).loc[("430000", "overseas")].tolist() == [50_000.0, 1]


# -- the demo's public figures (CASE.md), through the query layer ----------------------------------


def test_demo_public_figures(seeded_store):
    figures = seeded_store.query(FilterState(case="demo")).headline()
    assert figures["arrested"] == 62
    assert figures["cities"] == 86
    assert figures["provinces"] == 18
    assert 4_000_000 < figures["amount_yuan"] < 5_000_000


def test_demo_aggregates_add_up_to_the_headline(seeded_store):
    q = seeded_store.query(FilterState(case="demo"))
    head, provinces, cities = q.headline(), q.by_province(), q.by_city()
    assert len(provinces) == head["provinces"] and len(cities) == head["cities"]
    assert provinces["suspects"].sum() == cities["suspects"].sum() == head["suspects"]
    assert provinces["arrested"].sum() == head["arrested"]
    assert round(provinces["amount_yuan"].sum(), 2) == pytest.approx(head["amount_yuan"])
    assert (provinces[["arrested", "at_large", "under_investigation"]].sum(axis=1) == provinces["suspects"]).all()
    assert q.arrests_over_time("W")["cumulative"].iloc[-1] == head["arrested"]
    assert q.by_channel()["payments"].sum() == head["payments"]
    assert q.by_purpose()["amount_yuan"].sum() == pytest.approx(head["payments_yuan"])


def test_the_cache_key_holds_the_version_and_scope_not_the_language(seeded_store):
    """Results are cached by key: a new data version or another scope is a new key, another language is not."""
    state = FilterState(case="tiny", lang="zh", statuses=("arrested",))
    q = seeded_store.query(state)
    assert q.key.version == seeded_store.store.data_version("tiny")
    assert q.key == seeded_store.query(replace(state, lang="en", theme="screen")).key
    assert q.key != seeded_store.query(state, HUNAN_ONLY).key
    assert q.key != CaseQuery.of(q.run, state, q.key.version + 1).key
    assert q.unfiltered().key == CaseQuery.of(q.run, FilterState(case="tiny"), q.key.version).key


# -- bucketing per-day counts into weeks and months (pure pandas) -----------------------------------


def arrests_per_day(*rows):
    """(day, arrested, amount) rows as the database returns them."""
    days, counts, amounts = zip(*rows) if rows else ((), (), ())
    return pd.DataFrame({"day": pd.to_datetime(list(days)).astype("datetime64[ns]"),
                         "arrested": pd.Series(counts, dtype="int64"),
                         "amount_yuan": pd.Series(amounts, dtype="float64")})


def payments_per_day(*rows):
    """(day, channel, payments, amount) rows as the database returns them."""
    days, channels, counts, amounts = zip(*rows) if rows else ((), (), (), ())
    return pd.DataFrame({"day": pd.to_datetime(list(days)).astype("datetime64[ns]"), "channel": list(channels),
                         "payments": pd.Series(counts, dtype="int64"), "amount_yuan": pd.Series(amounts, dtype="float64")})


@pytest.mark.parametrize(
    "rows, freq, expected",
    [
        # 2024-08-01 (Thu) and 08-03 (Sat) are in the week of Monday 07-29; 08-20 (Tue) in the week of 08-19.
        ([("2024-08-01", 1), ("2024-08-03", 1), ("2024-08-20", 1)], "W",
         [("2024-07-29", 2, 2), ("2024-08-05", 0, 2), ("2024-08-12", 0, 2), ("2024-08-19", 1, 3)]),
        ([("2024-08-01", 1), ("2024-08-03", 1), ("2024-08-20", 1)], "MS", [("2024-08-01", 3, 3)]),
        # A Sunday ends its week; the Monday after starts the next one.
        ([("2024-08-04", 2), ("2024-08-05", 3)], "W", [("2024-07-29", 2, 2), ("2024-08-05", 3, 5)]),
        ([("2023-10-11", 1), ("2024-01-31", 4)], "MS",
         [("2023-10-01", 1, 1), ("2023-11-01", 0, 1), ("2023-12-01", 0, 1), ("2024-01-01", 4, 5)]),
        # A day with no arrest does not stretch the periods.
        ([("2024-06-01", 0), ("2024-08-20", 1)], "MS", [("2024-08-01", 1, 1)]),
        ([], "W", []),
    ],
)
def test_arrests_over_time_buckets_days(rows, freq, expected):
    frame = qperiods.arrests_over_time(arrests_per_day(*[(day, n, 0.0) for day, n in rows]), freq)
    assert list(frame.columns) == ["period", "arrested", "cumulative"]
    assert [(p.strftime("%Y-%m-%d"), a, c) for p, a, c in frame.itertuples(index=False)] == expected
    assert str(frame["arrested"].dtype) == "int64" and str(frame["period"].dtype) == "datetime64[ns]"


@pytest.mark.parametrize("freq", ["D", "M", "week"])
def test_other_frequencies_are_refused(freq):
    with pytest.raises(ValueError):
        qperiods.arrests_over_time(arrests_per_day(("2024-08-01", 1, 0.0)), freq)
    with pytest.raises(ValueError):
        qperiods.activity_by_period(arrests_per_day(), payments_per_day(), freq)


@pytest.mark.parametrize(
    "first, last, expected",
    [
        ("2024-08-01", "2024-08-07", "W"),
        ("2024-04-01", "2024-07-30", "W"),  # 120 days
        ("2024-04-01", "2024-07-31", "MS"),  # 121 days
        ("2023-10-11", "2024-08-07", "MS"),
        ("2024-08-01", "2024-08-01", "W"),
        (None, "2024-08-01", "W"),
        (None, None, "W"),
        (pd.NaT, pd.NaT, "W"),
    ],
)
def test_natural_freq_is_weeks_for_short_spans_and_months_for_long(first, last, expected):
    first, last = (pd.Timestamp(value) if isinstance(value, str) else value for value in (first, last))
    assert qperiods.natural_freq(first, last) == expected


def test_activity_has_every_period_of_the_span_and_splits_payments_by_channel():
    arrests = arrests_per_day(("2024-08-02", 2, 102_000.0), ("2023-10-11", 1, 40_000.0))
    payments = payments_per_day(("2023-07-05", "alipay", 1, 1_000.0), ("2023-07-20", "alipay", 1, 2_000.0),
                                ("2023-09-02", "bank", 1, 500.0), ("2023-09-15", "wechat_pay", 2, 300.0))
    span = (pd.Timestamp("2023-06-15"), pd.Timestamp("2024-08-31"))
    activity = qperiods.activity_by_period(arrests, payments, "MS", span=span).set_index("period")
    assert list(activity.index) == list(pd.date_range("2023-06-01", "2024-08-01", freq="MS"))
    channels = [f"yuan_{c}" for c in vocab.values(vocab.CHANNELS)]
    assert list(activity.columns) == ["arrested", "cumulative", "arrested_amount_yuan", "payments", "payments_yuan",
                                      *channels]
    assert activity.loc["2023-06-01"].sum() == 0
    assert activity.loc["2023-07-01", ["payments", "payments_yuan", "yuan_alipay"]].tolist() == [2, 3_000.0, 3_000.0]
    assert activity.loc["2023-09-01", ["payments", "yuan_bank", "yuan_wechat_pay"]].tolist() == [3, 500.0, 300.0]
    assert activity.loc["2023-10-01", ["arrested", "cumulative", "arrested_amount_yuan"]].tolist() == [1, 1, 40_000.0]
    assert activity.loc["2024-08-01", ["arrested", "cumulative", "arrested_amount_yuan"]].tolist() == [2, 3, 102_000.0]
    assert activity["yuan_usdt"].sum() == 0.0
    assert activity[channels].sum(axis=1).tolist() == activity["payments_yuan"].tolist()


def test_activity_weeks_start_on_monday_and_default_to_the_days_given():
    arrests = arrests_per_day(("2024-08-04", 1, 10.0))
    payments = payments_per_day(("2024-07-22", "usdt", 1, 5.0))
    activity = qperiods.activity_by_period(arrests, payments, "W")
    assert activity["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-07-22", "2024-07-29"]
    assert activity["arrested"].tolist() == [0, 1]
    assert activity["yuan_usdt"].tolist() == [5.0, 0.0]


def test_activity_with_nothing_dated_is_empty_with_its_columns():
    activity = qperiods.activity_by_period(arrests_per_day(), payments_per_day(), "MS", span=(None, None))
    assert activity.empty
    assert list(activity.columns)[:3] == ["period", "arrested", "cumulative"]


# -- the spread, from the database's groups of suspects ---------------------------------------------


def groups(*rows):
    """(province, city, month first seen, month of arrest, arrested, count) rows as the database returns them."""
    return pd.DataFrame(list(rows), columns=qspread.GROUP_COLUMNS)


def spread_table(frame):
    return {(m.strftime("%Y-%m"), p): (a, r, o) for m, p, a, r, o in frame.itertuples(index=False)}


@pytest.mark.parametrize(
    "rows, first_payment, expected",
    [
        # Two suspects active from July, one arrested in September.
        ([("430000", "431000", "2023-07", None, 0, 1), ("430000", "431000", "2023-07", "2023-09", 1, 1)], "2023-07-05",
         {("2023-07", "430000"): (2, 0, 2), ("2023-08", "430000"): (2, 0, 2), ("2023-09", "430000"): (2, 1, 1)}),
        # No payment of their own: active from their city's first payment (August).
        ([("430000", "431000", "2023-08", None, 0, 1), ("430000", "431000", None, "2023-09", 1, 2)], "2023-07-01",
         {("2023-08", "430000"): (3, 0, 3), ("2023-09", "430000"): (3, 2, 1)}),
        # No payment in their city either: active from the first payment shown.
        ([("430000", "431000", "2023-08", None, 0, 1), ("440000", "440300", None, None, 0, 1)], "2023-07-20",
         {("2023-07", "430000"): (0, 0, 0), ("2023-07", "440000"): (1, 0, 1),
          ("2023-08", "430000"): (1, 0, 1), ("2023-08", "440000"): (1, 0, 1)}),
        # An arrest before the first payment caps the start.
        ([("110000", "110100", "2023-09", "2023-06", 1, 1), ("430000", "431000", "2023-07", None, 0, 1)],
         "2023-07-01",
         {("2023-06", "110000"): (1, 1, 0), ("2023-06", "430000"): (0, 0, 0),
          ("2023-07", "110000"): (1, 1, 0), ("2023-07", "430000"): (1, 0, 1)}),
        # A dated arrest counts only when the status is arrested; the months run to the last arrest.
        ([("430000", "431000", "2023-07", "2023-08", 0, 1), ("430000", "431000", "2023-07", "2023-09", 1, 1)],
         "2023-07-01",
         {("2023-07", "430000"): (2, 0, 2), ("2023-08", "430000"): (2, 0, 2), ("2023-09", "430000"): (2, 1, 1)}),
    ],
)
def test_spread_by_month(rows, first_payment, expected):
    frame = qspread.spread_by_month(groups(*rows), pd.Timestamp(first_payment))
    assert list(frame.columns) == ["month", "province_adcode", "active", "arrested", "open"]
    assert spread_table(frame) == expected


def test_spread_of_nobody_is_empty():
    assert qspread.spread_by_month(groups(), None).empty
    # Nobody active and no payment at all: nothing to play back.
    assert qspread.spread_by_month(groups(("430000", "431000", None, None, 0, 1)), None).empty


# -- what the date and amount filters mean (CASE.md, "Filters"), worked by hand on the tiny case ----------------


def _tiny(seeded_store, **fields):
    return seeded_store.query(FilterState(case="tiny", **fields))


def test_the_date_range_keeps_everyone_active_in_it_not_only_those_arrested(seeded_store):
    # September 2023: P1 pays V3 (T3), P2 pays V2 (T4); nobody is arrested that month.
    september = _tiny(seeded_store, date_from=dt.date(2023, 9, 1), date_to=dt.date(2023, 9, 30))
    figures = september.headline()
    assert set(september.suspect_page()["suspect_id"]) == {"P1", "P2", "V2", "V3"}
    assert (figures["suspects"], figures["arrested"], figures["payments"]) == (4, 3, 2)  # status today: P1, P2, V3
    assert september.arrests_over_time("MS")["arrested"].sum() == 0  # arrests count by their own date
    assert september.date_span()["first_arrest"] is None


def test_an_arrest_in_the_range_counts_without_a_payment_in_it(seeded_store):
    # October 2023: P2 arrested on the 11th; no payment that month.
    october = _tiny(seeded_store, date_from=dt.date(2023, 10, 1), date_to=dt.date(2023, 10, 31))
    figures = october.headline()
    assert (figures["suspects"], figures["arrested"], figures["payments"]) == (1, 1, 0)
    assert october.arrests_over_time("MS")["arrested"].sum() == 1
    assert october.date_span()["first_arrest"] == pd.Timestamp("2023-10-11")


def test_the_amount_range_is_the_amount_involved_and_payments_follow_those_suspects(seeded_store):
    # Only P1 is involved in 50,000 yuan or more; P1 made or received T1, T2, T3, T5 and T6.
    big = _tiny(seeded_store, min_amount=50_000)
    figures = big.headline()
    assert (figures["suspects"], figures["payments"]) == (1, 5)
    assert figures["payments_yuan"] == 1_000 + 2_000 + 500 + 50_000 + 100


def test_the_payment_amount_range_filters_single_payments_only(seeded_store):
    # Payments of at least 1,000 yuan: T1, T2 and T5; every suspect stays.
    large_payments = _tiny(seeded_store, min_payment=1_000)
    figures = large_payments.headline()
    assert (figures["suspects"], figures["payments"], figures["payments_yuan"]) == (5, 3, 53_000)
    capped = _tiny(seeded_store, min_payment=300, max_payment=1_000)  # T1, T3 and T4
    assert capped.headline()["payments"] == 3
