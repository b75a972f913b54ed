"""A tiny hand-made case for the tests of figures and builders: every figure can be worked out by hand.

Hunan (Chenzhou, Changsha), Guangdong (Shenzhen) and Beijing; two payers in
Chenzhou, three vendors, one overseas account.
"""

import pandas as pd

from casemap.schema import validate_payments, validate_suspects

PLACES = pd.DataFrame(
    [
        ("430000", "province", "湖南省", "湖南", "Hunan", "430000", 111.7, 27.6),
        ("440000", "province", "广东省", "广东", "Guangdong", "440000", 113.4, 23.4),
        ("110000", "province", "北京市", "北京", "Beijing", "110000", 116.4, 40.2),
        ("810000", "province", "香港特别行政区", "香港", "Hong Kong", "810000", 114.1, 22.4),
        ("431000", "city", "郴州市", "郴州", "Chenzhou", "430000", 113.0, 25.8),
        ("430100", "city", "长沙市", "长沙", "Changsha", "430000", 113.0, 28.2),
        ("440300", "city", "深圳市", "深圳", "Shenzhen", "440000", 114.1, 22.6),
        ("110100", "city", "北京市", "北京", "Beijing", "110000", 116.4, 40.3),
        ("810000", "city", "香港特别行政区", "香港", "Hong Kong", "810000", 114.1, 22.4),
    ],
    columns=["adcode", "level", "name", "short_name", "pinyin", "province_adcode", "label_lon", "label_lat"],
)


def suspects() -> pd.DataFrame:
    """Five suspects: Xia and Zhou in Chenzhou, vendors in Changsha, Shenzhen and Beijing."""
    return validate_suspects(pd.DataFrame({
        "suspect_id": ["P1", "P2", "V1", "V2", "V3"],
        "name": ["夏某", "周某", "李某", "<img src=x onerror=alert(1)>", "王某"],
        "role": ["payer", "mobile_port", "number_vendor", "number_vendor", "number_vendor"],
        "status": ["arrested", "arrested", "at_large", "under_investigation", "arrested"],
        "province_adcode": ["430000", "430000", "430000", "440000", "110000"],
        "city_adcode": ["431000", "431000", "430100", "440300", "110100"],
        "address": ["湖南省郴州市苏仙区", "湖南省郴州市临武县", None, "广东省深圳市", None],
        "arrest_date": pd.to_datetime(["2024-08-02", "2023-10-11", None, None, "2024-08-03"]),
        "amount_yuan": [100_000.0, 40_000.0, 8_000.0, None, 2_000.0],
        "phone_cards": [2, 90, 30, 12, None],
        "wechat_accounts": [1, 0, 5, None, 3],
        "qq_accounts": ["123456789,987654321", None, "55555", None, None],
        "extra": ['{"source": "list A", "seized_phones": 3}', "{}", "{}", "{}", "{}"],
    }))


def payments() -> pd.DataFrame:
    """Six payments: P1 pays the three vendors, P2 pays V2, P1 settles overseas, V1 pays P1 back."""
    return validate_payments(pd.DataFrame({
        "txn_id": ["T1", "T2", "T3", "T4", "T5", "T6"],
        "time": pd.to_datetime(["2023-07-05", "2023-07-20", "2023-09-02", "2023-09-15", "2023-11-30", "2024-01-10"]),
        "payer_id": ["P1", "P1", "P1", "P2", "P1", "V1"],
        "payee_id": ["V1", "V2", "V3", "V2", "OVERSEAS-1", "P1"],
        "channel": ["alipay", "alipay", "bank", "wechat_pay", "usdt", "alipay"],
        "amount_yuan": [1_000.0, 2_000.0, 500.0, 300.0, 50_000.0, 100.0],
        "purpose": ["number_rental", "wechat_rental", None, "号码押金", "settlement", "number_rental"],
    }))
