"""A deterministic large case in the import format: N suspects and M payments.

    python bench/large_case.py --suspects 100000 --payments 1000000 --out DIR [--seed 7]

writes DIR/suspects.csv and DIR/payments.csv with the Chinese headers of an
analyst's export (UTF-8 with BOM, CRLF). In memory the case also has two
phone numbers or accounts per suspect, the overseas parties' wallets, and
links: each holder controls their accounts, and the mobile-port and PC-end
accounts are rented to an overseas wallet. Suspects are spread over the real
cities of data/geo/places.csv (Chenzhou heaviest, Hunan heavier than other
provinces), so the gazetteer resolves every row; payments run between
suspects, with a few USDT settlements to overseas parties that are not
suspects. Same seed, same bytes.

``generate(n_suspects, n_payments, seed)`` builds the same case in memory as
validated frames with adcodes, for tests that need a case larger than the demo.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casemap import vocab  # noqa: E402
from casemap.schema import (  # noqa: E402
    CaseData,
    empty_milestones,
    validate_accounts,
    validate_links,
    validate_payments,
    validate_suspects,
)
from geo.layers import load_places  # noqa: E402

__all__ = ["generate", "write_csv", "SUSPECT_HEADERS", "PAYMENT_HEADERS"]

DEFAULT_SEED = 7
CHENZHOU = "431000"
FIRST_DAY = np.datetime64("2023-07-01T00:00:00")
LAST_DAY = np.datetime64("2024-08-31T23:59:59")
OPERATION_DAY = np.datetime64("2024-08-01")
OVERSEAS_PARTIES = 40

SUSPECT_HEADERS = ("编号", "姓名", "角色", "状态", "省份", "城市", "抓获日期", "涉案金额")
PAYMENT_HEADERS = ("交易编号", "交易时间", "付款方", "收款方", "渠道", "金额", "用途", "收款账号")

ROLE_SHARES = {"number_vendor": 0.46, "mobile_port": 0.2, "pc_end": 0.14, "payer": 0.08, "organizer": 0.02, "other": 0.1}
STATUS_SHARES = {"arrested": 0.35, "at_large": 0.25, "under_investigation": 0.4}
CHANNEL_SHARES = {"alipay": 0.62, "wechat_pay": 0.2, "bank": 0.18}
PURPOSE_SHARES = {"number_rental": 0.35, "wechat_rental": 0.15, "other": 0.05, "": 0.45}
MEDIAN_AMOUNT = {"organizer": 400_000, "payer": 150_000, "mobile_port": 50_000, "pc_end": 30_000, "number_vendor": 12_000, "other": 5_000}
SURNAMES = tuple("李王张刘陈杨黄赵吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武")


ACCOUNTS_PER_SUSPECT = 2
WALLETS_PER_PARTY = 2
# The kind of a suspect's accounts by role: renters rent out numbers and WeChat accounts.
ACCOUNT_KIND_BY_ROLE = {"mobile_port": "phone", "pc_end": "wechat", "number_vendor": "phone", "payer": "alipay",
                        "organizer": "phone", "other": "qq"}


def generate(n_suspects: int, n_payments: int, seed: int = DEFAULT_SEED) -> CaseData:
    """Return the case as validated frames: suspects, payments, accounts and links (milestones empty).

    Accounts and links come from a random stream of their own: the suspects
    and payments are those this seed has always made (the payments gain the
    overseas wallet a settlement went to).
    """
    rng = np.random.default_rng(seed)
    suspects = _suspects(rng, n_suspects)
    payments = _payments(rng, suspects, n_payments)
    accounts, links, payments = _accounts_and_links(np.random.default_rng([seed, 2]), suspects, payments)
    return CaseData(suspects=suspects, payments=payments, milestones=empty_milestones(), accounts=accounts,
                    links=links)


def _accounts_and_links(rng: np.random.Generator, suspects: pd.DataFrame, payments: pd.DataFrame):
    """Two accounts per suspect, two wallets per overseas party; controls and rented_to links."""
    holders = np.repeat(suspects["suspect_id"].to_numpy(dtype=object), ACCOUNTS_PER_SUSPECT)
    roles = np.repeat(suspects["role"].to_numpy(dtype=object), ACCOUNTS_PER_SUSPECT)
    cities = np.repeat(suspects["city_adcode"].to_numpy(dtype=object), ACCOUNTS_PER_SUSPECT)
    kinds = pd.Series(roles).map(ACCOUNT_KIND_BY_ROLE).to_numpy(dtype=object)
    count = len(holders)
    digits = pd.Series(rng.integers(10**9, 10**10, size=count)).astype(str)
    numbers = np.where(kinds == "wechat", "wxid_" + digits, np.where(kinds == "qq", digits, "13" + digits.str[:9]))
    renters = np.isin(roles, ["mobile_port", "pc_end"])
    parties = np.array([f"OVERSEAS-{i:03d}" for i in range(1, OVERSEAS_PARTIES + 1)], dtype=object)
    wallets = np.repeat(parties, WALLETS_PER_PARTY)
    wallet_ids = _ids("W", len(wallets), 4)
    base58 = np.array(list("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"))
    addresses = ["T" + "".join(rng.choice(base58, size=33)) for _ in wallets]
    account_ids = _ids("A", count, 7)
    accounts = validate_accounts(pd.DataFrame({
        "account_id": np.concatenate([account_ids, wallet_ids]),
        "kind": np.concatenate([kinds, np.full(len(wallets), "usdt_wallet", dtype=object)]),
        "number": np.concatenate([numbers.astype(object), np.array(addresses, dtype=object)]),
        "holder_id": np.concatenate([holders, wallets]),
        "status": np.concatenate([np.where(renters, "rented", None), np.full(len(wallets), "frozen", dtype=object)]),
        "province_adcode": np.concatenate([[c[:2] + "0000" for c in cities], np.full(len(wallets), None)]),
        "city_adcode": np.concatenate([cities, np.full(len(wallets), None)]),
    }))
    rented = account_ids[renters]
    to_wallet = wallet_ids[rng.integers(len(wallet_ids), size=len(rented))]
    from_ids = np.concatenate([holders, rented])
    to_ids = np.concatenate([account_ids, to_wallet])
    relations = np.concatenate([np.full(count, "controls", dtype=object), np.full(len(rented), "rented_to", dtype=object)])
    links = validate_links(pd.DataFrame({
        "link_id": pd.Series(from_ids) + ">" + relations + ">" + pd.Series(to_ids),
        "from_id": from_ids, "to_id": to_ids, "relation": relations,
    }))
    overseas = payments["payee_id"].str.startswith("OVERSEAS-").to_numpy()
    party_wallet = pd.Series(wallet_ids[::WALLETS_PER_PARTY], index=parties)
    payee_account = np.full(len(payments), None, dtype=object)
    payee_account[overseas] = party_wallet.reindex(payments.loc[overseas, "payee_id"]).to_numpy(dtype=object)
    payments = validate_payments(payments.assign(payee_account=payee_account))
    return accounts, links, payments


def _ids(prefix: str, count: int, width: int) -> np.ndarray:
    width = max(width, len(str(count)))
    return (prefix + pd.Series(np.arange(1, count + 1)).astype(str).str.zfill(width)).to_numpy(dtype=object)


def _choose(rng: np.random.Generator, shares: dict[str, float], size: int) -> np.ndarray:
    names = np.array(list(shares), dtype=object)
    weights = np.array(list(shares.values()))
    return names[rng.choice(len(names), size=size, p=weights / weights.sum())]


def _city_weights(rng: np.random.Generator, cities: pd.DataFrame) -> np.ndarray:
    """Uneven, as in a real network: a long tail of cities, Hunan heavier, Chenzhou the heaviest."""
    weights = rng.pareto(1.2, size=len(cities)) + 0.2
    weights[cities["province_adcode"].eq("430000").to_numpy()] *= 3
    weights[cities["adcode"].eq(CHENZHOU).to_numpy()] = 0
    weights = 0.92 * weights / weights.sum()
    weights[cities["adcode"].eq(CHENZHOU).to_numpy()] = 0.08
    return weights


def _mainland_cities() -> pd.DataFrame:
    places = load_places()
    cities = places[places["level"].eq("city") & ~places["province_adcode"].isin(["710000", "810000", "820000"])]
    return cities.reset_index(drop=True)


def _suspects(rng: np.random.Generator, count: int) -> pd.DataFrame:
    cities = _mainland_cities()
    city = cities["adcode"].to_numpy(dtype=object)[rng.choice(len(cities), size=count, p=_city_weights(rng, cities))]
    roles = _choose(rng, ROLE_SHARES, count)
    status = _choose(rng, STATUS_SHARES, count)
    surnames = np.array(SURNAMES, dtype=object)[rng.integers(len(SURNAMES), size=count)]
    names = surnames + np.where(rng.random(count) < 0.3, "某某", "某")
    return validate_suspects(pd.DataFrame({
        "suspect_id": _ids("S", count, 6),
        "name": names,
        "role": roles,
        "status": status,
        "province_adcode": [code[:2] + "0000" for code in city],
        "city_adcode": city,
        "arrest_date": _arrest_dates(rng, status),
        "amount_yuan": _suspect_amounts(rng, roles),
    }))


def _arrest_dates(rng: np.random.Generator, status: np.ndarray) -> pd.Series:
    """Arrested suspects only: most in the first week of August 2024, the rest spread since July 2023."""
    span = int((LAST_DAY.astype("datetime64[D]") - FIRST_DAY.astype("datetime64[D]")).astype(int))
    spread = FIRST_DAY.astype("datetime64[D]") + rng.integers(0, span, size=len(status))
    operation = OPERATION_DAY + rng.integers(0, 7, size=len(status))
    days = np.where(rng.random(len(status)) < 0.6, operation, spread)
    return pd.Series(days.astype("datetime64[ns]")).where(status == "arrested")


def _suspect_amounts(rng: np.random.Generator, roles: np.ndarray) -> np.ndarray:
    medians = np.array([MEDIAN_AMOUNT[role] for role in roles], dtype=float)
    amounts = np.round(medians * rng.lognormal(0.0, 0.6, size=len(roles)), -2)
    amounts[rng.random(len(roles)) < 0.05] = np.nan  # not yet known
    return amounts


def _payments(rng: np.random.Generator, suspects: pd.DataFrame, count: int) -> pd.DataFrame:
    """Payers and organizers pay vendors and ports; a few settlements go overseas in USDT."""
    ids = suspects["suspect_id"].to_numpy(dtype=object)
    roles = suspects["role"].to_numpy(dtype=object)
    if count and len(ids) < 2:
        raise ValueError("payments run between suspects: generate at least two")
    paying = np.flatnonzero(np.isin(roles, ["payer", "organizer"]))
    paying = paying if len(paying) else np.arange(len(ids))
    payer_at = paying[rng.integers(len(paying), size=count)]
    payee_at = rng.integers(max(len(ids) - 1, 1), size=count)
    payee_at += payee_at >= payer_at  # nobody pays themselves
    payer, payee = ids[payer_at], ids[payee_at]
    overseas = rng.random(count) < 0.03
    parties = np.array([f"OVERSEAS-{i:03d}" for i in range(1, OVERSEAS_PARTIES + 1)], dtype=object)
    payee = np.where(overseas, parties[rng.integers(len(parties), size=count)], payee)
    channel = np.where(overseas, "usdt", _choose(rng, CHANNEL_SHARES, count))
    purpose = np.where(overseas, "settlement", _choose(rng, PURPOSE_SHARES, count))
    seconds = int((LAST_DAY - FIRST_DAY).astype(int))
    times = np.sort(FIRST_DAY + rng.integers(0, seconds + 1, size=count).astype("timedelta64[s]"))
    cents = np.where(overseas, rng.integers(2_000_000, 9_000_000, size=count), rng.integers(10_000, 2_000_000, size=count))
    return validate_payments(pd.DataFrame({
        "txn_id": _ids("P", count, 7),
        "time": times.astype("datetime64[ns]"),
        "payer_id": payer,
        "payee_id": payee,
        "channel": channel,
        "amount_yuan": cents / 100,
        "purpose": pd.Series(purpose, dtype=object).replace("", None),
    }))


def _labels(terms, values: pd.Series) -> pd.Series:
    return values.map({term.value: term.zh for term in terms}).fillna("")


def _amount_text(amounts: pd.Series) -> pd.Series:
    """Whole yuan without decimals, else two decimals; blank when unknown."""
    cents = (amounts * 100).round().astype("Int64")
    whole = (cents // 100).astype(str)
    text = whole.where(cents % 100 == 0, whole + "." + (cents % 100).astype(str).str.zfill(2))
    return text.where(amounts.notna(), "").astype(object)


def _time_text(times: pd.Series, unit: str) -> np.ndarray:
    text = np.datetime_as_string(times.to_numpy(dtype="datetime64[s]"), unit=unit)
    return np.where(pd.isna(times).to_numpy(), "", np.char.replace(text, "T", " "))


def suspects_table(suspects: pd.DataFrame) -> pd.DataFrame:
    """The suspects as an analyst's export: Chinese headers, labels and place names."""
    names = load_places().drop_duplicates("adcode").set_index("adcode")["name"]
    columns = [
        suspects["suspect_id"], suspects["name"].fillna(""), _labels(vocab.ROLES, suspects["role"]),
        _labels(vocab.STATUSES, suspects["status"]), suspects["province_adcode"].map(names),
        suspects["city_adcode"].map(names).fillna(""), _time_text(suspects["arrest_date"], "D"),
        _amount_text(suspects["amount_yuan"]),
    ]
    return pd.DataFrame({header: np.asarray(column, dtype=object) for header, column in zip(SUSPECT_HEADERS, columns)})


def payments_table(payments: pd.DataFrame) -> pd.DataFrame:
    """The payments as an analyst's export: Chinese headers and labels."""
    columns = [
        payments["txn_id"], _time_text(payments["time"], "s"), payments["payer_id"], payments["payee_id"],
        _labels(vocab.CHANNELS, payments["channel"]), _amount_text(payments["amount_yuan"]),
        _labels(vocab.PURPOSES, payments["purpose"]), payments["payee_account"].fillna(""),
    ]
    return pd.DataFrame({header: np.asarray(column, dtype=object) for header, column in zip(PAYMENT_HEADERS, columns)})


def write_csv(case: CaseData, out: Path) -> tuple[Path, Path]:
    """Write suspects.csv and payments.csv into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = out / "suspects.csv", out / "payments.csv"
    for table, path in zip((suspects_table(case.suspects), payments_table(case.payments)), paths):
        table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return paths


def main(argv: list[str] | None = None) -> int:
    """Generate the case and write its two files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suspects", type=int, required=True, metavar="N")
    parser.add_argument("--payments", type=int, required=True, metavar="M")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in write_csv(generate(args.suspects, args.payments, args.seed), args.out):
        print(f"{path} {path.stat().st_size / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
