"""The person view's queries and the network filter: the reference figures, and hand-worked ones on the tiny case."""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pytest

from casemap.filters import FilterState
from casemap.query import EVERYWHERE
from tests import reference as ref
from tests.test_query import FIGURES, HUNAN_ONLY, STATES, Reference, assert_same_figure, assert_same_frame

# The tiny case's Xia (P1) and a vendor paid by two (V2), the demo's Xia (S006).
PEOPLE = {"tiny": ("P1", "V2"), "demo": ("S006",)}
PERSON_STATES = ["none", "dates", "role", "scope-of-payees", "everything"]


@functools.cache
def _reference(frames, state: FilterState, scope) -> Reference:
    return Reference(frames, state, scope)


def reference(seeded_store, state: FilterState, scope) -> Reference:
    """The reference frames of ``state``, computed once for every backend."""
    return _reference(seeded_store.case(state.case), state, scope)


def _person_cases():
    return [(case, person, state) for case, people in PEOPLE.items() for person in people for state in PERSON_STATES]


PERSON_FIGURES = {
    "counterparts": (lambda q, p: q.counterparts(p),
                     lambda r, p: ref.counterparts(p, r.shown.payments, r.seen.suspects)),
    "provinces": (lambda q, p: q.counterpart_places(p, "province"),
                  lambda r, p: ref.counterpart_places(ref.counterparts(p, r.shown.payments, r.seen.suspects), "province")),
    "cities": (lambda q, p: q.counterpart_places(p, "city"),
               lambda r, p: ref.counterpart_places(ref.counterparts(p, r.shown.payments, r.seen.suspects), "city")),
    **{f"payments_{freq}": (lambda q, p, freq=freq: q.person_payments(p, freq),
                            lambda r, p, freq=freq: ref.person_payments(p, r.shown.payments, freq))
       for freq in ("D", "MS")},
}


@pytest.mark.parametrize("figure", PERSON_FIGURES)
@pytest.mark.parametrize(("case", "person", "state_id"), _person_cases())
def test_person_figure_equals_the_reference(seeded_store, case, person, state_id, figure):
    fields, scope = STATES[state_id]
    state = FilterState(case=case, **fields)
    got = PERSON_FIGURES[figure][0](seeded_store.query(state, scope), person)
    expected = PERSON_FIGURES[figure][1](reference(seeded_store, state, scope), person)
    if len(expected) == 0:
        assert len(got) == 0
    else:
        assert_same_frame(got, expected)


# The network filter under other filters: every figure the pages draw, against the reference.
NETWORK_STATES = {
    "network": ({}, EVERYWHERE),
    "network-and-dates": ({"date_from": dt.date(2024, 1, 1)}, EVERYWHERE),
    "network-and-channel": ({"channels": ("alipay",)}, EVERYWHERE),
    "network-and-role": ({"roles": ("number_vendor",)}, EVERYWHERE),
    "network-in-scope": ({}, HUNAN_ONLY),
}
NETWORK_FIGURES = ["headline", "by_city", "activity_monthly", "by_channel", "province_flows", "top_payers"]


@pytest.mark.parametrize("figure", NETWORK_FIGURES)
@pytest.mark.parametrize("state_id", NETWORK_STATES)
@pytest.mark.parametrize(("case", "person"), [("tiny", "P1"), ("tiny", "V2"), ("demo", "S006")])
def test_network_filter_equals_the_reference(seeded_store, case, person, state_id, figure):
    fields, scope = NETWORK_STATES[state_id]
    state = FilterState(case=case, network=person, **fields)
    got = FIGURES[figure][0](seeded_store.query(state, scope))
    assert_same_figure(figure, got, FIGURES[figure][1](reference(seeded_store, state, scope)))


# -- worked by hand on tests/tiny_case.py ---------------------------------------------------------
# P1 (夏某, Chenzhou) pays V1 1,000 (T1), V2 2,000 (T2), V3 500 (T3) and OVERSEAS-1 50,000 (T5); V1 pays P1 100 (T6).
# P2 pays V2 300 (T4).


def tiny_query(seeded_store, **fields):
    return seeded_store.query(FilterState(case="tiny", **fields))


def test_counterparts_of_xia_by_hand(seeded_store):
    found = tiny_query(seeded_store).counterparts("P1")
    rows = {(r.counterpart_id, r.direction): (r.amount_yuan, r.payments, r.name) for r in found.itertuples()}
    assert rows == {
        ("OVERSEAS-1", "paid"): (50_000.0, 1, None),
        ("V2", "paid"): (2_000.0, 1, "<img src=x onerror=alert(1)>"),
        ("V1", "paid"): (1_000.0, 1, "李某"),
        ("V3", "paid"): (500.0, 1, "王某"),
        ("V1", "received"): (100.0, 1, "李某"),
    }
    assert list(found["counterpart_id"]) == ["OVERSEAS-1", "V2", "V1", "V3", "V1"]  # largest first
    v1 = found[found["counterpart_id"] == "V1"].set_index("direction")
    assert v1.loc["paid", "first_time"] == pd.Timestamp("2023-07-05")
    assert v1.loc["received", "last_time"] == pd.Timestamp("2024-01-10")
    assert v1.loc["paid", "city_adcode"] == "430100" and v1.loc["paid", "status"] == "at_large"


def test_counterparts_follow_the_filters_by_hand(seeded_store):
    found = tiny_query(seeded_store, channels=("alipay",), date_to=dt.date(2023, 12, 31)).counterparts("P1")
    assert sorted(zip(found["counterpart_id"], found["amount_yuan"])) == [("V1", 1_000.0), ("V2", 2_000.0)]


def test_counterpart_provinces_by_hand(seeded_store):
    places = tiny_query(seeded_store).counterpart_places("P1", "province")
    assert places.to_dict("index") == {
        "110000": {"suspects": 1, "arrested": 1, "amount_yuan": 2_000.0, "payments_out_yuan": 500.0,
                   "payments_in_yuan": 0.0},
        "430000": {"suspects": 1, "arrested": 0, "amount_yuan": 8_000.0, "payments_out_yuan": 1_000.0,
                   "payments_in_yuan": 100.0},
        "440000": {"suspects": 1, "arrested": 0, "amount_yuan": 0.0, "payments_out_yuan": 2_000.0,
                   "payments_in_yuan": 0.0},
    }


def test_payments_of_xia_per_month_by_hand(seeded_store):
    monthly = tiny_query(seeded_store).person_payments("P1", "MS")
    assert list(monthly["period"].dt.strftime("%Y-%m")) == ["2023-07", "2023-08", "2023-09", "2023-10", "2023-11",
                                                            "2023-12", "2024-01"]
    assert list(monthly["paid"]) == [2, 0, 1, 0, 1, 0, 0]
    assert list(monthly["paid_yuan"]) == [3_000.0, 0.0, 500.0, 0.0, 50_000.0, 0.0, 0.0]
    assert list(monthly["received_yuan"]) == [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0]


def test_an_unknown_person_has_no_counterparts(seeded_store):
    query = tiny_query(seeded_store)
    assert query.counterparts("NOBODY").empty
    assert query.person_payments("NOBODY", "W").empty
    assert query.counterpart_places("NOBODY").empty


@pytest.mark.parametrize(("fields", "suspects", "payments", "total"), [
    ({"network": "P1"}, 4, 5, 53_600.0),  # P1, V1, V2, V3; T1, T2, T3, T5, T6
    ({"network": "V2"}, 3, 2, 2_300.0),  # V2, P1, P2; T2, T4
    ({"network": "P1", "channels": ("alipay",)}, 3, 3, 3_100.0),  # P1, V1, V2; T1, T2, T6
    ({"network": "P1", "statuses": ("at_large",)}, 1, 2, 1_100.0),  # V1; T1, T6
    ({"network": "NOBODY"}, 0, 0, 0.0),
])
def test_the_network_filter_by_hand(seeded_store, fields, suspects, payments, total):
    figures = tiny_query(seeded_store, **fields).headline()
    assert (figures["suspects"], figures["payments"], figures["payments_yuan"]) == (suspects, payments, total)
