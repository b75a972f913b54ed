"""Place-name rules shared by the build and the gazetteer: short names, romanisation, aliases.

Short names drop the administrative suffix and, for autonomous units, the ethnic
designation (恩施土家族苗族自治州 -> 恩施). Romanisation is Hanyu Pinyin with
apostrophes before a/o/e syllables (Xi'an, Lu'an), corrected for polyphonic
characters, except where an official English form is established (Shaanxi,
Inner Mongolia, Hong Kong, Macao, Hohhot, Urumqi, Lhasa ...). The plain pinyin of
such names is kept as an alias so the gazetteer still accepts it.

Only :func:`romanise` needs pypinyin, and only the build calls it.
"""

from __future__ import annotations

import re

# adcode -> (short name, romanisation, aliases). Written out: 34 rows, and several
# are not pinyin at all, so a rule would be longer than the table.
PROVINCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "110000": ("北京", "Beijing", ("Peking",)),
    "120000": ("天津", "Tianjin", ()),
    "130000": ("河北", "Hebei", ()),
    "140000": ("山西", "Shanxi", ()),
    "150000": ("内蒙古", "Inner Mongolia", ("Nei Mongol", "Neimenggu")),
    "210000": ("辽宁", "Liaoning", ()),
    "220000": ("吉林", "Jilin", ()),
    "230000": ("黑龙江", "Heilongjiang", ()),
    "310000": ("上海", "Shanghai", ()),
    "320000": ("江苏", "Jiangsu", ()),
    "330000": ("浙江", "Zhejiang", ()),
    "340000": ("安徽", "Anhui", ()),
    "350000": ("福建", "Fujian", ()),
    "360000": ("江西", "Jiangxi", ()),
    "370000": ("山东", "Shandong", ()),
    "410000": ("河南", "Henan", ()),
    "420000": ("湖北", "Hubei", ()),
    "430000": ("湖南", "Hunan", ()),
    "440000": ("广东", "Guangdong", ()),
    "450000": ("广西", "Guangxi", ()),
    "460000": ("海南", "Hainan", ()),
    "500000": ("重庆", "Chongqing", ()),
    "510000": ("四川", "Sichuan", ()),
    "520000": ("贵州", "Guizhou", ()),
    "530000": ("云南", "Yunnan", ()),
    "540000": ("西藏", "Xizang", ("Tibet",)),
    "610000": ("陕西", "Shaanxi", ()),
    "620000": ("甘肃", "Gansu", ()),
    "630000": ("青海", "Qinghai", ()),
    "640000": ("宁夏", "Ningxia", ()),
    "650000": ("新疆", "Xinjiang", ()),
    "710000": ("台湾", "Taiwan", ()),
    "810000": ("香港", "Hong Kong", ("Xianggang",)),
    "820000": ("澳门", "Macao", ("Macau", "Aomen")),
}

# City short name -> (romanisation, aliases). Two kinds of entry: polyphonic
# characters pypinyin reads wrongly in a place name, and official English forms
# of names transcribed from Mongolian, Tibetan or Uyghur.
CITY_ROMANISATION: dict[str, tuple[str, tuple[str, ...]]] = {
    # polyphonic characters
    "重庆": ("Chongqing", ()),
    "长沙": ("Changsha", ()),
    "长春": ("Changchun", ()),
    "长治": ("Changzhi", ()),
    "厦门": ("Xiamen", ()),
    "蚌埠": ("Bengbu", ()),
    "六安": ("Lu'an", ()),
    "漯河": ("Luohe", ()),
    "朝阳": ("Chaoyang", ()),
    "乐山": ("Leshan", ()),
    "曲靖": ("Qujing", ()),
    "宿州": ("Suzhou", ()),
    "宿迁": ("Suqian", ()),
    "东莞": ("Dongguan", ()),
    "亳州": ("Bozhou", ()),
    "大兴安岭": ("Da Hinggan Ling", ("Daxing'anling",)),
    # Inner Mongolia and Heilongjiang
    "呼和浩特": ("Hohhot", ("Huhehaote",)),
    "鄂尔多斯": ("Ordos", ("E'erduosi",)),
    "呼伦贝尔": ("Hulunbuir", ("Hulunbei'er",)),
    "巴彦淖尔": ("Bayannur", ("Bayannao'er",)),
    "乌兰察布": ("Ulanqab", ("Wulanchabu",)),
    "兴安": ("Hinggan", ("Xing'an",)),
    "锡林郭勒": ("Xilingol", ("Xilinguole",)),
    "阿拉善": ("Alxa", ("Alashan",)),
    "哈尔滨": ("Harbin", ("Ha'erbin",)),
    "齐齐哈尔": ("Qiqihar", ("Qiqiha'er",)),
    # Xizang
    "拉萨": ("Lhasa", ("Lasa",)),
    "日喀则": ("Xigaze", ("Shigatse", "Rikaze")),
    "昌都": ("Qamdo", ("Changdu",)),
    "林芝": ("Nyingchi", ("Linzhi",)),
    "那曲": ("Nagqu", ("Naqu",)),
    "阿里": ("Ngari", ("Ali",)),
    # Xinjiang and Qinghai
    "乌鲁木齐": ("Urumqi", ("Wulumuqi",)),
    "克拉玛依": ("Karamay", ("Kelamayi",)),
    "吐鲁番": ("Turpan", ("Tulufan",)),
    "博尔塔拉": ("Bortala", ("Bo'ertala",)),
    "巴音郭楞": ("Bayingolin", ("Bayinguoleng",)),
    "阿克苏": ("Aksu", ("Akesu",)),
    "克孜勒苏": ("Kizilsu", ("Kezilesu",)),
    "喀什": ("Kashgar", ("Kashi",)),
    "和田": ("Hotan", ("Hetian",)),
    "伊犁": ("Ili", ("Yili",)),
    "阿勒泰": ("Altay", ("Aletai",)),
    "图木舒克": ("Tumxuk", ("Tumushuke",)),
    "阿拉尔": ("Aral", ("Ala'er",)),
    "可克达拉": ("Kokdala", ("Kekedala",)),
    "果洛": ("Golog", ("Guoluo",)),
}

_ADMIN_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|省|市|盟|县|区|旗)$")
_AUTONOMOUS = re.compile(r"自治[州县旗区]$")
_ETHNIC_GROUPS = (
    "蒙古|维吾尔|哈萨克|柯尔克孜|乌孜别克|塔吉克|塔塔尔|俄罗斯|达斡尔|鄂温克|鄂伦春|土家|布依|朝鲜"
    "|哈尼|傈僳|拉祜|纳西|景颇|仫佬|毛南|仡佬|东乡|撒拉|裕固|保安|锡伯|布朗|阿昌|普米|德昂|独龙|赫哲"
    "|门巴|珞巴|基诺|回|藏|苗|彝|壮|满|侗|瑶|白|傣|黎|佤|畲|水|土|羌|怒|京|各"
)
# Xinjiang names carry 蒙古, 维吾尔, 哈萨克 and 柯尔克孜 without 族.
_ETHNIC = re.compile(rf"(?:(?:{_ETHNIC_GROUPS})族|蒙古|维吾尔|哈萨克|柯尔克孜)$")
_VOWEL_SYLLABLE = re.compile(r"^[aoe]")


def short_name(name: str) -> str:
    """Return the common short form of a unit's full name (郴州市 -> 郴州, 恩施土家族苗族自治州 -> 恩施)."""
    autonomous = bool(_AUTONOMOUS.search(name))
    short = _ADMIN_SUFFIX.sub("", name)
    while autonomous:
        shorter = _ETHNIC.sub("", short)
        if shorter == short or len(shorter) < 2:
            break
        short = shorter
    if autonomous and short.endswith("族") and len(short) > 2:
        short = short[:-1]  # 东乡族自治县 -> 东乡: the unit is named after the people
    return short if len(short) >= 2 else name


def join_syllables(syllables: list[str]) -> str:
    """Join toneless pinyin syllables into one capitalised word, with apostrophes (xi, an -> Xi'an)."""
    word = syllables[0]
    for syllable in syllables[1:]:
        word += ("'" if _VOWEL_SYLLABLE.match(syllable) else "") + syllable
    return word[:1].upper() + word[1:]


def romanise(short: str) -> str:
    """Return the romanised form of a city's short name (build time only: needs pypinyin)."""
    if short in CITY_ROMANISATION:
        return CITY_ROMANISATION[short][0]
    from pypinyin import lazy_pinyin  # build-time dependency

    return join_syllables(lazy_pinyin(short, v_to_u=True))
