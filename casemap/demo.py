"""The shipped demo case: generated, deterministic, reproducing the public figures.

The real records are not public. This module generates an illustrative case
that matches what was reported in August 2024 (see CASE.md): 62 arrested,
more than 100 further suspects, 86 prefecture-level cities in 18 provinces
with Chenzhou (Hunan) the heaviest, and over 4 million yuan involved. Names
are masked as police notices do; no real person's data is used.

Every figure follows from the seed through ``numpy.random.default_rng``; there
is no wall-clock input, so the same seed always gives identical frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casemap import vocab
from casemap.demo_accounts import demo_accounts_and_links
from casemap.schema import (
    CaseData,
    province_of_city,
    validate_milestones,
    validate_payments,
    validate_suspects,
)

__all__ = [
    "DEMO_CASE",
    "DEMO_SEED",
    "DEMO_PROVINCES",
    "DEMO_CITIES",
    "ARRESTED",
    "LINKED",
    "TOTAL_AMOUNT_YUAN",
    "generate_demo",
]

DEMO_CASE = "demo"
DEMO_SEED = 20240805

ARRESTED = 62  # public figure: suspects arrested
LINKED = 108  # "more than 100 further suspects", not arrested
FIRST_ARRESTS = 5  # Linwu, autumn 2023, Zhou among them
TOTAL_AMOUNT_YUAN = 4_326_800.0  # "over 4 million yuan"
CHENZHOU = "431000"
CHENZHOU_SUSPECTS = 16
MAX_SUSPECTS_ELSEWHERE = 6  # keeps Chenzhou the heaviest city by construction

# The 18 provincial-level units (adcode -> name), Hunan first.
DEMO_PROVINCES: dict[str, str] = {
    "430000": "湖南省",
    "440000": "广东省",
    "450000": "广西壮族自治区",
    "360000": "江西省",
    "350000": "福建省",
    "420000": "湖北省",
    "510000": "四川省",
    "520000": "贵州省",
    "530000": "云南省",
    "410000": "河南省",
    "340000": "安徽省",
    "330000": "浙江省",
    "320000": "江苏省",
    "370000": "山东省",
    "130000": "河北省",
    "610000": "陕西省",
    "210000": "辽宁省",
    "140000": "山西省",
}

# The 86 prefecture-level cities (GB/T 2260 adcode, name), checked against the
# Amap-sourced city index; a test re-checks them when that index is available.
DEMO_CITIES: tuple[tuple[str, str], ...] = (
    ("430100", "长沙市"), ("430200", "株洲市"), ("430300", "湘潭市"), ("430400", "衡阳市"),
    ("430500", "邵阳市"), ("430600", "岳阳市"), ("430700", "常德市"), ("431000", "郴州市"),
    ("431100", "永州市"), ("431300", "娄底市"),
    ("440100", "广州市"), ("440300", "深圳市"), ("440500", "汕头市"), ("440600", "佛山市"),
    ("440800", "湛江市"), ("441300", "惠州市"), ("441400", "梅州市"), ("441900", "东莞市"),
    ("450100", "南宁市"), ("450200", "柳州市"), ("450300", "桂林市"), ("450800", "贵港市"),
    ("450900", "玉林市"), ("451100", "贺州市"),
    ("360100", "南昌市"), ("360700", "赣州市"), ("360800", "吉安市"), ("360900", "宜春市"),
    ("361000", "抚州市"), ("361100", "上饶市"),
    ("350100", "福州市"), ("350200", "厦门市"), ("350500", "泉州市"), ("350600", "漳州市"),
    ("350800", "龙岩市"),
    ("420100", "武汉市"), ("420500", "宜昌市"), ("420600", "襄阳市"), ("421000", "荆州市"),
    ("421100", "黄冈市"),
    ("510100", "成都市"), ("510700", "绵阳市"), ("511300", "南充市"), ("511500", "宜宾市"),
    ("511700", "达州市"),
    ("520100", "贵阳市"), ("520300", "遵义市"), ("520500", "毕节市"),
    ("522600", "黔东南苗族侗族自治州"),
    ("530100", "昆明市"), ("530300", "曲靖市"), ("532500", "红河哈尼族彝族自治州"),
    ("532900", "大理白族自治州"),
    ("410100", "郑州市"), ("410300", "洛阳市"), ("411300", "南阳市"), ("411400", "商丘市"),
    ("411600", "周口市"),
    ("340100", "合肥市"), ("340800", "安庆市"), ("341200", "阜阳市"), ("341300", "宿州市"),
    ("330100", "杭州市"), ("330300", "温州市"), ("330700", "金华市"), ("331000", "台州市"),
    ("320100", "南京市"), ("320300", "徐州市"), ("320500", "苏州市"), ("321300", "宿迁市"),
    ("370100", "济南市"), ("370200", "青岛市"), ("371300", "临沂市"), ("371700", "菏泽市"),
    ("130100", "石家庄市"), ("130400", "邯郸市"), ("130600", "保定市"),
    ("610100", "西安市"), ("610400", "咸阳市"), ("610700", "汉中市"),
    ("210100", "沈阳市"), ("210200", "大连市"), ("211300", "朝阳市"),
    ("140100", "太原市"), ("140700", "晋中市"), ("140800", "运城市"),
)

LINWU_ADDRESS = "湖南省郴州市临武县"
OVERSEAS_PARTIES = ("OVERSEAS-01", "OVERSEAS-02", "OVERSEAS-03")
# The Linwu group rents numbers ("mobile port") and WeChat accounts ("PC end") to the overseas
# groups, who settle in USDT with the organizer half of the time, else with a renter.
RENTER_ROLES = ("mobile_port", "pc_end")
ORGANIZER_SETTLES = 0.5

ACTIVITY_START = pd.Timestamp("2023-07-01")
ACTIVITY_END = pd.Timestamp("2024-07-31 23:59:59")
FIRST_ARREST_DATES = ("2023-10-11", "2023-10-11", "2023-10-11", "2023-10-12", "2023-10-12")
OPERATION_DAYS = pd.date_range("2024-08-01", "2024-08-07", freq="D")
OPERATION_DAY_WEIGHTS = (0.34, 0.24, 0.15, 0.11, 0.08, 0.05, 0.03)

MILESTONE_DATES: dict[str, str] = {
    "activity_start": "2023-07-01",
    "leads": "2023-08-08",
    "task_force": "2023-08-15",
    "first_arrests": FIRST_ARREST_DATES[0],
    "payments_traced": "2024-01-20",
    "operation": "2024-08-01",
}

# Masked surnames; 周 and 夏 are reserved for Zhou and Xia so they stay unique.
_SURNAMES = tuple(
    "李王张刘陈杨黄赵吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武"
)

# The Linwu group (Chenzhou): fixed roles; Zhou first, Xia the main payer.
_LINWU_ROLES = (
    "mobile_port", "mobile_port", "mobile_port", "pc_end", "pc_end",  # the first 5 arrests
    "payer", "organizer", "payer", "payer",
    "mobile_port", "mobile_port", "pc_end", "pc_end", "other", "other", "mobile_port",
)
_ZHOU, _XIA, _ORGANIZER = 0, 5, 6
_OTHER_PAYERS = (7, 8)

_MEDIAN_AMOUNT = {
    "organizer": 380_000, "payer": 150_000, "mobile_port": 55_000,
    "pc_end": 35_000, "number_vendor": 14_000, "other": 6_000,
}
_PHONE_CARDS = {
    "organizer": (10, 40), "payer": (0, 6), "mobile_port": (30, 160),
    "pc_end": (0, 10), "number_vendor": (10, 120), "other": (0, 10),
}
_WECHAT_ACCOUNTS = {
    "organizer": (0, 10), "payer": (0, 6), "mobile_port": (0, 6),
    "pc_end": (20, 150), "number_vendor": (0, 40), "other": (0, 6),
}


def _city_counts(rng: np.random.Generator) -> dict[str, int]:
    """One suspect per city, 16 in Chenzhou, the rest spread with a cap per city."""
    counts = {adcode: 1 for adcode, _ in DEMO_CITIES}
    counts[CHENZHOU] = CHENZHOU_SUSPECTS
    others = [adcode for adcode, _ in DEMO_CITIES if adcode != CHENZHOU]
    weights = np.array([3.0 if a.startswith("43") else 2.0 if a[:2] in ("44", "45", "36") else 1.0 for a in others])
    for _ in range(ARRESTED + LINKED - sum(counts.values())):
        open_ = np.array([counts[a] < MAX_SUSPECTS_ELSEWHERE for a in others])
        p = weights * open_
        counts[others[rng.choice(len(others), p=p / p.sum())]] += 1
    return counts


def _masked_name(rng: np.random.Generator) -> str:
    surname = _SURNAMES[rng.integers(len(_SURNAMES))]
    return surname + ("某某" if rng.random() < 0.3 else "某")


def _people(rng: np.random.Generator) -> pd.DataFrame:
    """Who is where, with which role: the Linwu group first, then city by city."""
    counts = _city_counts(rng)
    rows = []
    for i, role in enumerate(_LINWU_ROLES):
        name = {_ZHOU: "周某", _XIA: "夏某"}.get(i) or _masked_name(rng)
        address = "湖南省郴州市苏仙区" if i == _XIA else LINWU_ADDRESS
        rows.append((name, role, CHENZHOU, address))
    for adcode, city in DEMO_CITIES:
        if adcode == CHENZHOU:
            continue
        address = DEMO_PROVINCES[province_of_city(adcode)] + city
        for k in range(counts[adcode]):
            # The first suspect of each city is a vendor, so vendors reach all 18 provinces.
            role = "number_vendor" if k == 0 else str(rng.choice(
                ["number_vendor", "pc_end", "mobile_port", "other"], p=[0.6, 0.15, 0.1, 0.15]))
            rows.append((_masked_name(rng), role, adcode, address))
    people = pd.DataFrame(rows, columns=["name", "role", "city_adcode", "address"])
    people.insert(0, "suspect_id", [f"S{i + 1:03d}" for i in range(len(people))])
    people["province_adcode"] = people["city_adcode"].map(province_of_city)
    return people


def _statuses(rng: np.random.Generator, n: int) -> tuple[list[str], list[pd.Timestamp]]:
    """5 arrests in Linwu in autumn 2023, 57 in the August 2024 operation, the rest not arrested."""
    status = [""] * n
    arrested_on: list[pd.Timestamp] = [pd.NaT] * n
    for i, day in enumerate(FIRST_ARREST_DATES):
        status[i], arrested_on[i] = "arrested", pd.Timestamp(day)
    later = [_XIA, _ORGANIZER]
    pool = [i for i in range(FIRST_ARRESTS, n) if i not in later]
    later += sorted(rng.choice(pool, size=ARRESTED - FIRST_ARRESTS - len(later), replace=False).tolist())
    for i in later:
        status[i] = "arrested"
        arrested_on[i] = OPERATION_DAYS[rng.choice(len(OPERATION_DAYS), p=OPERATION_DAY_WEIGHTS)]
    for i in range(n):
        if not status[i]:
            status[i] = "at_large" if rng.random() < 0.35 else "under_investigation"
    return status, arrested_on


def _amounts(rng: np.random.Generator, roles: pd.Series, status: list[str]) -> np.ndarray:
    """Amounts by role, a few unknown, scaled to the reported total in whole hundreds."""
    raw = np.array([_MEDIAN_AMOUNT[r] * rng.lognormal(0.0, 0.5) for r in roles])
    raw[_XIA] = 2.8 * _MEDIAN_AMOUNT["payer"]
    unknown = np.array([s == "under_investigation" and rng.random() < 0.15 for s in status])
    raw[unknown] = np.nan
    amounts = np.round(raw * TOTAL_AMOUNT_YUAN / np.nansum(raw), -2)
    amounts[_ORGANIZER] += TOTAL_AMOUNT_YUAN - np.nansum(amounts)
    return amounts


def _counts(rng: np.random.Generator, roles: pd.Series, ranges: dict) -> list[int]:
    return [int(rng.integers(*ranges[r], endpoint=True)) for r in roles]


def _qq_accounts(rng: np.random.Generator, roles: pd.Series) -> list[str | None]:
    out: list[str | None] = []
    for role in roles:
        if role == "other" and rng.random() < 0.5:
            out.append(None)
            continue
        numbers = rng.integers(100_000_000, 3_999_999_999, size=int(rng.integers(1, 4)))
        out.append(",".join(str(n) for n in numbers))
    return out


def _suspects(rng: np.random.Generator) -> pd.DataFrame:
    people = _people(rng)
    status, arrested_on = _statuses(rng, len(people))
    people["status"] = status
    people["arrest_date"] = pd.to_datetime(pd.Series(arrested_on, dtype=object))
    people["amount_yuan"] = _amounts(rng, people["role"], status)
    people["phone_cards"] = _counts(rng, people["role"], _PHONE_CARDS)
    people["wechat_accounts"] = _counts(rng, people["role"], _WECHAT_ACCOUNTS)
    people["qq_accounts"] = _qq_accounts(rng, people["role"])
    return validate_suspects(people)


def _random_time(rng: np.random.Generator, start: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    seconds = int((end - start).total_seconds())
    return start + pd.Timedelta(seconds=int(rng.integers(0, seconds, endpoint=True)))


def _settled_with(rng: np.random.Generator, suspects: pd.DataFrame, time: pd.Timestamp) -> str:
    """Who in the Linwu group an overseas party pays at ``time``: the organizer, or a renter not yet arrested."""
    if rng.random() < ORGANIZER_SETTLES:
        return suspects["suspect_id"].iat[_ORGANIZER]
    group = suspects.iloc[:len(_LINWU_ROLES)]
    free = group[group["role"].isin(RENTER_ROLES) & ~(group["arrest_date"] <= time)]
    return free["suspect_id"].iat[int(rng.integers(len(free)))]


def _payments(rng: np.random.Generator, suspects: pd.DataFrame) -> pd.DataFrame:
    """Rental fees from Xia and other payers to vendors; USDT settlements from overseas to the Linwu group."""
    ids = suspects["suspect_id"]
    payers = [ids[_XIA], ids[_OTHER_PAYERS[0]], ids[_OTHER_PAYERS[1]]]
    rows = []
    for vendor in ids[suspects["role"] == "number_vendor"]:
        for k in range(int(rng.integers(2, 9))):
            # Every vendor has at least one Alipay payment, so Alipay reaches all 18 provinces.
            channel = "alipay" if k == 0 else str(rng.choice(["alipay", "wechat_pay", "bank"], p=[0.8, 0.12, 0.08]))
            purpose = "number_rental" if rng.random() < 0.7 else "wechat_rental"
            payer = payers[rng.choice(3, p=[0.6, 0.25, 0.15])]
            amount = float(np.round(rng.uniform(300, 6000), -1))
            rows.append((_random_time(rng, ACTIVITY_START, ACTIVITY_END), payer, vendor, channel, amount, purpose))
    settlements = []
    for month in pd.date_range(ACTIVITY_START, ACTIVITY_END, freq="MS"):
        month_end = month + pd.offsets.MonthEnd(1) + pd.Timedelta(hours=23, minutes=59, seconds=59)
        for _ in range(int(rng.integers(1, 4))):
            payer = OVERSEAS_PARTIES[rng.integers(len(OVERSEAS_PARTIES))]
            amount = float(np.round(rng.uniform(20_000, 90_000), -2))
            settlements.append((_random_time(rng, month, month_end), payer, amount))
    rows += [(time, payer, _settled_with(rng, suspects, time), "usdt", amount, "settlement")
             for time, payer, amount in settlements]
    payments = pd.DataFrame(rows, columns=["time", "payer_id", "payee_id", "channel", "amount_yuan", "purpose"])
    payments = payments.sort_values(["time", "payer_id", "payee_id"], kind="stable").reset_index(drop=True)
    payments.insert(0, "txn_id", [f"T{i + 1:05d}" for i in range(len(payments))])
    return validate_payments(payments)


def _milestones() -> pd.DataFrame:
    rows = [
        (pd.Timestamp(MILESTONE_DATES[term.value]), term.value, term.en, term.zh)
        for term in vocab.MILESTONES
    ]
    return validate_milestones(pd.DataFrame(rows, columns=["date", "key", "en", "zh"]))


def generate_demo(seed: int = DEMO_SEED) -> CaseData:
    """Generate the demo case; the same seed always yields identical frames.

    Parameters
    ----------
    seed : int
        Seed for ``numpy.random.default_rng``. Any seed keeps the public
        figures (62 arrested, 86 cities, 18 provinces, Chenzhou heaviest,
        total amount); the seed only moves the details.

    Returns
    -------
    CaseData
        Validated suspects, payments, milestones, accounts and links frames, ``version`` 0.
    """
    rng = np.random.default_rng(seed)
    suspects = _suspects(rng)
    payments = _payments(rng, suspects)
    ids = suspects["suspect_id"]
    payers = (ids.iat[_XIA], *(ids.iat[i] for i in _OTHER_PAYERS))
    accounts, links, payments = demo_accounts_and_links(seed, suspects, payments, OVERSEAS_PARTIES, payers[0], payers)
    return CaseData(suspects=suspects, payments=payments, milestones=_milestones(), version=0,
                    accounts=accounts, links=links)
