"""The demo case reproduces the public figures of CASE.md, deterministically."""

import re
from pathlib import Path

import pandas as pd
import pytest

from casemap import vocab
from casemap.demo import DEMO_CITIES, DEMO_SEED, generate_demo
from casemap.schema import validate_milestones, validate_payments, validate_suspects

# Public figures, from CASE.md ("What was publicly reported", "The demo case").
ARRESTED = 62
MORE_THAN_LINKED = 100
CITIES = 86
PROVINCES = 18
FIRST_ARRESTS = 5
HUNAN, CHENZHOU = "430000", "431000"
LINWU = "临武县"
AMOUNT_ABOVE, AMOUNT_BELOW = 4_000_000, 5_000_000
NOT_ARRESTED = {"at_large", "under_investigation"}

REPO = Path(__file__).resolve().parent.parent
PLACES_CSV = REPO / "data" / "geo" / "places.csv"


@pytest.fixture(scope="module")
def case():
    return generate_demo()


@pytest.fixture(scope="module")
def suspects(case):
    return case.suspects


@pytest.fixture(scope="module")
def payments(case):
    return case.payments


def test_same_seed_same_case():
    first, second = generate_demo(), generate_demo(DEMO_SEED)
    for kind in ("suspects", "payments", "milestones"):
        pd.testing.assert_frame_equal(getattr(first, kind), getattr(second, kind))


def test_a_different_seed_moves_details_not_figures():
    a, b = generate_demo(1), generate_demo(2)
    assert not a.suspects.equals(b.suspects)
    for data in (a, b):
        assert (data.suspects["status"] == "arrested").sum() == ARRESTED
        assert data.suspects["city_adcode"].nunique() == CITIES


def test_frames_are_valid(case):
    pd.testing.assert_frame_equal(validate_suspects(case.suspects), case.suspects)
    pd.testing.assert_frame_equal(validate_payments(case.payments), case.payments)
    pd.testing.assert_frame_equal(validate_milestones(case.milestones), case.milestones)


def test_arrested_and_linked_counts(suspects):
    assert (suspects["status"] == "arrested").sum() == ARRESTED
    others = suspects[suspects["status"] != "arrested"]
    assert len(others) > MORE_THAN_LINKED
    assert set(others["status"]) == NOT_ARRESTED


def test_every_suspect_is_placed_in_a_city(suspects):
    assert suspects["city_adcode"].notna().all()
    assert (suspects["province_adcode"] == suspects["city_adcode"].str[:2] + "0000").all()


def test_cities_and_provinces(suspects):
    assert suspects["city_adcode"].nunique() == CITIES
    assert suspects["province_adcode"].nunique() == PROVINCES
    assert HUNAN in set(suspects["province_adcode"])


def test_chenzhou_is_strictly_the_heaviest_city(suspects):
    counts = suspects["city_adcode"].value_counts()
    assert counts[CHENZHOU] > counts.drop(CHENZHOU).max()


def test_total_amount_is_over_four_million(suspects):
    assert AMOUNT_ABOVE < suspects["amount_yuan"].sum() < AMOUNT_BELOW


def test_amounts_known_for_most_and_non_negative(suspects):
    assert suspects["amount_yuan"].notna().mean() > 0.9
    assert (suspects["amount_yuan"].dropna() >= 0).all()


def test_names_are_masked_like_police_notices(suspects):
    assert suspects["name"].map(lambda n: re.fullmatch(r"[\u4e00-\u9fff]某{1,2}", n) is not None).all()
    assert (suspects["name"] == "周某").sum() == 1
    assert (suspects["name"] == "夏某").sum() == 1


def test_first_five_arrests_in_linwu_autumn_2023_with_zhou(suspects):
    arrested = suspects[suspects["status"] == "arrested"].sort_values(["arrest_date", "suspect_id"])
    first = arrested.head(FIRST_ARRESTS)
    assert first["arrest_date"].between("2023-09-01", "2023-11-30").all()
    assert (first["city_adcode"] == CHENZHOU).all()
    assert first["address"].str.contains(LINWU).all()
    assert "周某" in set(first["name"])
    assert (arrested["arrest_date"] < "2024-01-01").sum() == FIRST_ARRESTS


def test_remaining_arrests_in_the_first_days_of_august_2024(suspects):
    arrested = suspects[suspects["status"] == "arrested"].sort_values("arrest_date")
    rest = arrested.iloc[FIRST_ARRESTS:]
    assert len(rest) == ARRESTED - FIRST_ARRESTS
    assert rest["arrest_date"].between("2024-08-01", "2024-08-07").all()


def test_only_arrested_suspects_have_arrest_dates(suspects):
    assert (suspects["arrest_date"].notna() == (suspects["status"] == "arrested")).all()


def test_roles_and_counts_per_suspect(suspects):
    assert set(suspects["role"]) == set(vocab.values(vocab.ROLES))
    for column in ("phone_cards", "wechat_accounts"):
        assert suspects[column].notna().all() and (suspects[column] >= 0).all()
    qq = suspects["qq_accounts"].dropna()
    assert len(qq) > len(suspects) / 2
    assert qq.str.fullmatch(r"\d{5,11}(,\d{5,11})*").all()


def test_vendors_in_all_provinces(suspects):
    vendors = suspects[suspects["role"] == "number_vendor"]
    assert vendors["province_adcode"].nunique() == PROVINCES


def test_xia_is_the_main_payer_among_others(suspects, payments):
    xia = suspects.loc[suspects["name"] == "夏某"].iloc[0]
    assert xia["role"] == "payer"
    rental = payments[payments["purpose"].isin(["number_rental", "wechat_rental"])]
    by_payer = rental.groupby("payer_id")["amount_yuan"].agg(["size", "sum"])
    assert by_payer["size"].idxmax() == xia["suspect_id"]
    assert by_payer["sum"].idxmax() == xia["suspect_id"]
    payers = set(suspects.loc[suspects["role"] == "payer", "suspect_id"])
    assert len(set(by_payer.index) & payers - {xia["suspect_id"]}) >= 1  # "Xia and others"


def test_alipay_rental_payments_reach_vendors_in_all_provinces(suspects, payments):
    rental = payments[(payments["channel"] == "alipay") & payments["purpose"].isin(["number_rental", "wechat_rental"])]
    payees = suspects.set_index("suspect_id").loc[rental["payee_id"]]
    assert set(payees["role"]) == {"number_vendor"}
    assert payees["province_adcode"].nunique() == PROVINCES
    assert rental["time"].between("2023-07-01", "2024-07-31 23:59:59").all()


def test_usdt_settlements_come_from_overseas_to_the_renters_in_chenzhou(suspects, payments):
    # CASE.md: overseas scam groups settled in USDT with the local people renting them numbers and accounts.
    usdt = payments[payments["channel"] == "usdt"]
    assert len(usdt) > 0
    assert (usdt["purpose"] == "settlement").all()
    assert usdt["payer_id"].str.fullmatch(r"OVERSEAS-\d{2}").all()
    assert not usdt["payer_id"].isin(suspects["suspect_id"]).any()
    payees = suspects.set_index("suspect_id").loc[usdt["payee_id"]]
    assert set(payees["role"]) <= {"organizer", "mobile_port", "pc_end"}
    assert (payees["city_adcode"] == CHENZHOU).all()
    assert not (payees["arrest_date"].to_numpy() <= usdt["time"].to_numpy()).any()  # nobody is paid once arrested


def test_every_channel_and_known_parties(suspects, payments):
    assert set(payments["channel"]) == set(vocab.values(vocab.CHANNELS))
    ids = set(suspects["suspect_id"])
    assert payments["payee_id"].isin(ids).all()
    overseas = ~payments["payer_id"].isin(ids)
    assert payments.loc[overseas, "payer_id"].str.startswith("OVERSEAS-").all()
    assert (payments.loc[overseas, "channel"] == "usdt").all()
    assert set(payments["purpose"]) <= set(vocab.values(vocab.PURPOSES))
    assert (payments["amount_yuan"] > 0).all()


def test_no_payment_before_activity_or_after_july_2024(payments):
    assert payments["time"].min() >= pd.Timestamp("2023-07-01")
    assert payments["time"].max() < pd.Timestamp("2024-08-01")


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("activity_start", "2023-07-01", "2023-07-31"),
        ("task_force", "2023-08-01", "2023-08-31"),
        ("first_arrests", "2023-09-01", "2023-11-30"),
        ("operation", "2024-08-01", "2024-08-07"),
    ],
)
def test_milestone_dates(case, key, start, end):
    milestones = case.milestones.set_index("key")
    assert pd.Timestamp(start) <= milestones.loc[key, "date"] <= pd.Timestamp(end)


def test_milestones_are_labelled_and_ordered(case):
    milestones = case.milestones
    assert milestones["date"].is_monotonic_increasing
    for row in milestones.itertuples():
        assert row.en == vocab.label(vocab.MILESTONES, row.key, "en")
        assert row.zh == vocab.label(vocab.MILESTONES, row.key, "zh")


def test_first_arrests_milestone_is_the_first_arrest(case):
    first_arrest = case.suspects["arrest_date"].min()
    assert case.milestones.set_index("key").loc["first_arrests", "date"] == first_arrest


def test_demo_city_list_is_86_distinct_cities_in_18_provinces():
    codes = [code for code, _ in DEMO_CITIES]
    assert len(codes) == len(set(codes)) == CITIES
    assert len({code[:2] for code in codes}) == PROVINCES
    # Prefecture-level codes end in "00" (but not "0000", which is a province).
    assert all(re.fullmatch(r"\d{4}00", code) and not code.endswith("0000") for code in codes)


def test_demo_cities_are_real_cities_of_the_shipped_gazetteer():
    places = pd.read_csv(PLACES_CSV, dtype=str)
    known = set(places["adcode"])
    cities = dict(places.loc[places["level"] == "city", ["adcode", "name"]].itertuples(index=False))
    missing = [code for code, _ in DEMO_CITIES if code not in cities]
    assert not missing
    assert [name for _, name in DEMO_CITIES] == [cities[code] for code, _ in DEMO_CITIES]
    provinces = {code[:2] + "0000" for code, _ in DEMO_CITIES}
    assert provinces <= known
