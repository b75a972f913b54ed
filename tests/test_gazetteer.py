"""Gazetteer: names, short names, pinyin, counties and addresses to adcodes."""

import re
from collections import defaultdict

import pytest

from geo import layers
from geo.gazetteer import Resolution, get_gazetteer, normalise

OK = None


@pytest.fixture(scope="module")
def gazetteer():
    return get_gazetteer()


def check(found: Resolution, province, city, error=OK, detail=None):
    assert (found.province_adcode, found.city_adcode, found.error) == (province, city, error), found
    assert found.ok is (error is None)
    if detail is not None:
        for part in detail:
            assert part in found.detail, found


@pytest.mark.parametrize(
    "text, province, city",
    [
        ("湖南", "430000", None),
        ("湖南省", "430000", None),
        ("Hunan", "430000", None),
        ("hunan", "430000", None),
        ("  HUNAN  ", "430000", None),
        ("ＨＵＮＡＮ", "430000", None),  # full-width letters
        ("　湖南　", "430000", None),  # ideographic spaces
        ("Hunan Province", "430000", None),
        ("430000", "430000", None),
        ("广西", "450000", None),
        ("广西壮族自治区", "450000", None),
        ("Guangxi", "450000", None),
        ("内蒙古", "150000", None),
        ("Inner Mongolia", "150000", None),
        ("Nei Mongol", "150000", None),
        ("陕西", "610000", None),
        ("Shaanxi", "610000", None),
        ("Shanxi", "140000", None),
        ("西藏", "540000", None),
        ("Xizang", "540000", None),
        ("Tibet", "540000", None),
        ("新疆维吾尔自治区", "650000", None),
        ("宁夏", "640000", None),
        ("北京", "110000", "110100"),  # a municipality is one city
        ("北京市", "110000", "110100"),
        ("Chongqing", "500000", "500100"),
        ("上海", "310000", "310100"),
        ("台湾", "710000", "710000"),
        ("Hong Kong", "810000", "810000"),
        ("香港特别行政区", "810000", "810000"),
        ("Macao", "820000", "820000"),
        ("Macau", "820000", "820000"),
        ("澳门", "820000", "820000"),
    ],
)
def test_resolve_province(gazetteer, text, province, city):
    check(gazetteer.resolve_province(text), province, city)


@pytest.mark.parametrize(
    "text, error",
    [
        ("", "missing"),
        (None, "missing"),
        ("   ", "missing"),
        ("郴州", "unknown"),
        ("火星", "unknown"),
        ("Atlantis", "unknown"),
    ],
)
def test_resolve_province_failures(gazetteer, text, error):
    found = gazetteer.resolve_province(text)
    check(found, None, None, error)
    if error == "unknown":
        assert found.detail == text


@pytest.mark.parametrize(
    "text, province_hint, province, city",
    [
        ("郴州", None, "430000", "431000"),
        ("郴州市", None, "430000", "431000"),
        ("Chenzhou", None, "430000", "431000"),
        ("chen zhou", None, "430000", "431000"),
        ("Chenzhou City", None, "430000", "431000"),
        ("郴州", "湖南", "430000", "431000"),
        ("郴州", "430000", "430000", "431000"),
        ("恩施", None, "420000", "422800"),
        ("恩施土家族苗族自治州", None, "420000", "422800"),
        ("湘西", None, "430000", "433100"),
        ("仙桃", None, "420000", "429004"),  # county-level unit directly under the province
        ("五指山市", None, "460000", "469001"),
        ("三沙", None, "460000", "460300"),
        ("Sansha", None, "460000", "460300"),
        ("临武县", None, "430000", "431000"),  # a county resolves to its city
        ("临武", None, "430000", "431000"),  # short county name, unambiguous
        ("431025", None, "430000", "431000"),  # county adcode
        ("431000", "430000", "430000", "431000"),  # codes, as Casemap exports them
        ("北京", None, "110000", "110100"),
        ("上海市", None, "310000", "310100"),
        ("Chongqing", None, "500000", "500100"),
        ("710000", "710000", "710000", "710000"),
        ("吉林", None, "220000", "220200"),  # 吉林市, inside 吉林省
        ("Bengbu", None, "340000", "340300"),
        ("蚌埠", None, "340000", "340300"),
        ("Lu'an", None, "340000", "341500"),
        ("Luan", None, "340000", "341500"),
        ("Changsha", None, "430000", "430100"),
        ("Xiamen", None, "350000", "350200"),
        ("Xi'an", None, "610000", "610100"),
        ("Lhasa", None, "540000", "540100"),
        ("Lasa", None, "540000", "540100"),  # plain pinyin of an official form
        ("Urumqi", None, "650000", "650100"),
        ("Lvliang", None, "140000", "141100"),  # ü typed as v
        ("Fuzhou", "福建", "350000", "350100"),
        ("Fuzhou", "Jiangxi", "360000", "361000"),
        ("Taizhou", "浙江", "330000", "331000"),
        ("Taizhou", "Jiangsu", "320000", "321200"),
        ("Yichun", "黑龙江", "230000", "230700"),
        ("Yichun", "江西", "360000", "360900"),
        ("Suzhou", "江苏", "320000", "320500"),
        ("Suzhou", "安徽", "340000", "341300"),
        ("Yulin", "广西", "450000", "450900"),
        ("Yulin", "Shaanxi", "610000", "610800"),
        ("海南", "青海", "630000", "632500"),  # 海南藏族自治州
        ("朝阳", None, "210000", "211300"),  # the city 朝阳市 beats the districts
        ("朝阳", "北京", "110000", "110100"),  # ... unless the province says otherwise
        ("鼓楼区", "福建", "350000", "350100"),
        ("海南", "海南", "460000", None),  # the city field repeats the province
        ("湖南", None, "430000", None),
    ],
)
def test_resolve_city(gazetteer, text, province_hint, province, city):
    check(gazetteer.resolve_city(text, province=province_hint), province, city)


@pytest.mark.parametrize(
    "text, province_hint, error, detail",
    [
        ("Fuzhou", None, "ambiguous", ["福州市", "抚州市"]),
        ("Taizhou", None, "ambiguous", ["台州市", "泰州市"]),
        ("Yichun", None, "ambiguous", ["伊春市", "宜春市"]),
        ("Suzhou", None, "ambiguous", ["苏州市", "宿州市"]),
        ("Yulin", None, "ambiguous", ["玉林市", "榆林市"]),
        ("海南", None, "ambiguous", ["海南省", "海南藏族自治州"]),
        ("朝阳区", None, "ambiguous", ["北京市", "长春市"]),
        ("鼓楼区", "江苏", "ambiguous", ["南京市", "徐州市"]),
        ("福州", "江西", "not_in_province", ["福州"]),
        ("郴州", "广东", "not_in_province", ["郴州"]),
        ("临武县", "Guangdong", "not_in_province", ["临武县"]),
        ("Chenzhou", "火星", "unknown", ["火星"]),
        ("", None, "missing", []),
        ("xyz", None, "unknown", ["xyz"]),
    ],
)
def test_resolve_city_failures(gazetteer, text, province_hint, error, detail):
    check(gazetteer.resolve_city(text, province=province_hint), None, None, error, detail)


@pytest.mark.parametrize(
    "fields, province, city",
    [
        ({"province": "湖南"}, "430000", None),
        ({"province": "湖南", "city": "郴州"}, "430000", "431000"),
        ({"province": "Jiangxi", "city": "Fuzhou"}, "360000", "361000"),
        ({"province": "430000", "city": "431000"}, "430000", "431000"),
        ({"address": "湖南省郴州市临武县城关镇人民路1号"}, "430000", "431000"),
        ({"address": "湖南郴州临武"}, "430000", "431000"),
        ({"address": "临武县城关镇"}, "430000", "431000"),
        ({"address": "城关镇 临武县"}, "430000", "431000"),
        ({"address": "北京市朝阳区建国路88号"}, "110000", "110100"),
        ({"address": "吉林长春"}, "220000", "220100"),
        ({"address": "吉林市船营区"}, "220000", "220200"),
        ({"address": "广西南宁市青秀区"}, "450000", "450100"),
        ({"address": "内蒙古呼和浩特市新城区"}, "150000", "150100"),
        ({"address": "湖南省长沙市北京路"}, "430000", "430100"),  # 北京路 is a street
        ({"address": "香港九龙"}, "810000", "810000"),
        ({"address": "Fuzhou, Jiangxi"}, "360000", "361000"),
        ({"address": "Chenzhou, Hunan"}, "430000", "431000"),
        ({"address": "Hohhot, Inner Mongolia"}, "150000", "150100"),
        ({"province": "湖南", "address": "郴州市北湖区"}, "430000", "431000"),
        ({"province": "湖南", "address": "北京路123号"}, "430000", None),
        ({"province": "湖南", "city": "", "address": None}, "430000", None),
    ],
)
def test_resolve(gazetteer, fields, province, city):
    check(gazetteer.resolve(**fields), province, city)


@pytest.mark.parametrize(
    "fields, error",
    [
        ({}, "missing"),
        ({"province": "", "city": " ", "address": None}, "missing"),
        ({"address": "火星基地"}, "unknown"),
        ({"address": "朝阳区建国路88号"}, "ambiguous"),
        ({"address": "Fuzhou"}, "ambiguous"),
        ({"province": "江西", "city": "福州"}, "not_in_province"),
        ({"province": "火星", "city": "郴州"}, "unknown"),
    ],
)
def test_resolve_failures(gazetteer, fields, error):
    check(gazetteer.resolve(**fields), None, None, error)


def test_resolution_ok_follows_error():
    assert Resolution("430000", None).ok
    assert not Resolution(None, None, "unknown", "x").ok


def test_gazetteer_is_built_once():
    assert get_gazetteer() is get_gazetteer()


@pytest.mark.parametrize("text, key", [("Xi'an", "xian"), ("Ｘｉ’ａｎ", "xian"), ("Lüliang", "luliang"), (" 郴 州 ", "郴州")])
def test_normalise(text, key):
    assert normalise(text) == key


# Round trips: every province and city by its own names. The expected ambiguity is
# worked out here from places.csv, independently of the gazetteer's index.


def _key(text: str) -> str:
    return re.sub(r"[\s'’]", "", text.lower()).replace("ü", "u")


PLACES = layers.load_places()
PROVINCE_ROWS = PLACES[PLACES["level"] == "province"].to_dict("records")
CITY_ROWS = PLACES[PLACES["level"] == "city"].to_dict("records")


def _clashes(column: str, key=lambda s: s) -> dict[str, set[str]]:
    """For each spelling: the provinces it could mean besides cities (to tell city from province)."""
    owners = defaultdict(set)
    for row in CITY_ROWS:
        owners[key(row[column])].add(("city", row["adcode"], row["province_adcode"]))
    for row in PROVINCE_ROWS:
        owners[key(row[column])].add(("province", row["adcode"], row["adcode"]))
    return owners


def _expect_ambiguous(row: dict, column: str, key=lambda s: s) -> bool:
    owners = _clashes(column, key)[key(row[column])]
    other_cities = {o for o in owners if o[0] == "city" and o[1] != row["adcode"]}
    other_provinces = {o for o in owners if o[0] == "province" and o[1] != row["province_adcode"]}
    return bool(other_cities or other_provinces)


@pytest.mark.parametrize("row", PROVINCE_ROWS, ids=lambda r: r["adcode"])
def test_every_province_round_trips(gazetteer, row):
    for spelling in (row["name"], row["short_name"], row["pinyin"], row["adcode"]):
        assert gazetteer.resolve_province(spelling).province_adcode == row["adcode"], spelling


@pytest.mark.parametrize("row", CITY_ROWS, ids=lambda r: r["adcode"])
def test_every_city_round_trips(gazetteer, row):
    for column, key in (("name", str), ("short_name", str), ("pinyin", _key)):
        found = gazetteer.resolve_city(row[column])
        if _expect_ambiguous(row, column, key):
            assert found.error == "ambiguous", (column, row[column], found)
        else:
            assert found.city_adcode == row["adcode"], (column, row[column], found)
        within = gazetteer.resolve_city(row[column], province=row["province_adcode"])
        assert (within.province_adcode, within.city_adcode) == (row["province_adcode"], row["adcode"])


def test_shared_pinyin_is_found_in_the_data():
    """Guards the round trip above: the data really holds the pinyin clashes the rules are about."""
    owners = _clashes("pinyin", _key)
    clashing = {k for k, found in owners.items() if len({o[1] for o in found if o[0] == "city"}) > 1}
    assert {"fuzhou", "taizhou", "yichun", "suzhou", "yulin"} <= clashing


COUNTIES = layers.counties()


@pytest.mark.parametrize("province", [r["adcode"] for r in PROVINCE_ROWS])
def test_every_county_resolves_to_its_city_within_its_province(gazetteer, province):
    city_province = dict(zip(PLACES["adcode"], PLACES["province_adcode"]))
    mine = COUNTIES[COUNTIES["city_adcode"].map(city_province) == province]
    repeated = set(mine["name"][mine["name"].duplicated()])
    city_spellings = set(PLACES["name"]) | set(PLACES["short_name"])
    for row in mine.itertuples():
        found = gazetteer.resolve_city(row.name, province=province)
        if row.name in repeated:
            assert found.error == "ambiguous", row
        elif row.name not in city_spellings:
            assert found.city_adcode == row.city_adcode, (row, found)
