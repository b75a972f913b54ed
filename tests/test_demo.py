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


# -- accounts and links (the "two-card" model) ------------------------------------------------

RENTER_ROLES = {"mobile_port": "phone", "pc_end": "wechat"}
PER_RENTER = (3, 8)  # "several per renter"
OVERSEAS = r"OVERSEAS-\d{2}"


@pytest.fixture(scope="module")
def accounts(case):
    return case.accounts


@pytest.fixture(scope="module")
def graph(case):
    import networkx as nx

    g = nx.Graph()
    g.add_edges_from(zip(case.links["from_id"], case.links["to_id"]))
    return g


def test_accounts_and_links_are_valid_and_the_same_every_run(case):
    from casemap.schema import validate_accounts, validate_links

    pd.testing.assert_frame_equal(validate_accounts(case.accounts), case.accounts)
    pd.testing.assert_frame_equal(validate_links(case.links), case.links)
    again = generate_demo()
    pd.testing.assert_frame_equal(again.accounts, case.accounts)
    pd.testing.assert_frame_equal(again.links, case.links)


def test_adding_accounts_moved_no_suspect_or_payment(case):
    # The accounts come from a random stream of their own: suspects and payments are those the seed made before.
    import numpy as np

    from casemap import demo

    rng = np.random.default_rng(DEMO_SEED)
    suspects = demo._suspects(rng)
    pd.testing.assert_frame_equal(case.suspects, suspects)
    plain = demo._payments(rng, suspects)
    pd.testing.assert_frame_equal(case.payments.drop(columns=["payer_account", "payee_account"]),
                                  plain.drop(columns=["payer_account", "payee_account"]))


def test_every_number_passes_its_kind_check_and_one_card_is_flagged(accounts):
    from casemap.accounts import check_number

    checks = [check_number(kind, number) for kind, number in zip(accounts["kind"], accounts["number"])]
    assert all(check.ok for check in checks)
    assert [check.number for check in checks] == accounts["number"].tolist()  # stored normalised
    assert accounts["number"].is_unique
    cards = [check.luhn_ok for check, kind in zip(checks, accounts["kind"]) if kind == "bank_card"]
    assert cards.count(False) == 1 and cards.count(True) >= 1


def test_every_renter_holds_several_of_what_they_rented_within_their_counts(suspects, accounts):
    renters = suspects[suspects["role"].isin(list(RENTER_ROLES))]
    for renter in renters.itertuples():
        kind = RENTER_ROLES[renter.role]
        held = accounts[(accounts["holder_id"] == renter.suspect_id) & (accounts["kind"] == kind)]
        limit = renter.phone_cards if kind == "phone" else renter.wechat_accounts
        assert min(PER_RENTER[0], limit) <= len(held) <= min(PER_RENTER[1], limit), renter.suspect_id


def test_every_renter_reaches_the_overseas_side_through_their_accounts(case, suspects, accounts, graph):
    import networkx as nx

    links = case.links
    overseas = set(accounts.loc[accounts["holder_id"].str.fullmatch(OVERSEAS, na=False), "account_id"])
    assert overseas and set(accounts.loc[accounts["account_id"].isin(overseas), "kind"]) == {"usdt_wallet"}
    rented = links[links["relation"] == "rented_to"]
    assert rented["to_id"].isin(overseas).all()
    for renter in suspects.loc[suspects["role"].isin(list(RENTER_ROLES)), "suspect_id"]:
        own = set(links.loc[(links["from_id"] == renter) & (links["relation"] == "controls"), "to_id"])
        assert own & set(rented["from_id"]), renter
        path = nx.shortest_path(graph, renter, next(iter(overseas & nx.node_connected_component(graph, renter))))
        assert path[1] in own


def test_a_path_runs_from_a_mobile_port_renter_to_xia(suspects, graph):
    import networkx as nx

    xia = suspects.loc[suspects["name"] == "夏某", "suspect_id"].iat[0]
    for renter in suspects.loc[suspects["role"] == "mobile_port", "suspect_id"]:
        assert nx.has_path(graph, renter, xia), renter


def test_link_ends_and_payment_accounts_are_known_in_the_case(case):
    known = set(case.suspects["suspect_id"]) | set(case.accounts["account_id"])
    assert case.links["from_id"].isin(known).all() and case.links["to_id"].isin(known).all()
    assert case.links["link_id"].is_unique
    named = pd.concat([case.payments["payer_account"], case.payments["payee_account"]]).dropna()
    assert len(named) > len(case.payments) / 2 and named.isin(set(case.accounts["account_id"])).all()
    usdt = case.payments[case.payments["channel"] == "usdt"]
    kinds = case.accounts.set_index("account_id")["kind"]
    assert (kinds.loc[usdt["payer_account"]] == "usdt_wallet").all()


def test_the_two_card_leads_of_august_2023_named_the_first_renters_accounts(suspects, accounts):
    from_leads = accounts[accounts["lead"] == "two_card_lead"]
    assert len(from_leads) > 0
    assert from_leads["first_seen"].between("2023-08-01", "2023-08-31").all()
    holders = suspects.set_index("suspect_id").loc[from_leads["holder_id"].unique()]
    assert (holders["city_adcode"] == CHENZHOU).all() and "周某" in set(holders["name"])
    assert (accounts.loc[accounts["lead"] != "two_card_lead", "first_seen"].dropna() > "2023-08-31").all()
