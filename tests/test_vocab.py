"""Vocabularies: every spelling documented in CASE.md normalises to its canonical value."""

import pytest

from casemap import vocab
from casemap.vocab import CHANNELS, MILESTONES, PURPOSES, ROLES, STATUSES, label, normalize

# Transcribed from CASE.md, "Vocabulary (canonical value: accepted spellings ...)".
CASE_MD_SPELLINGS = {
    "roles": {
        "mobile_port": ["手机口", "mobile port"],
        "pc_end": ["电脑端", "PC端", "PC end"],
        "number_vendor": ["号商", "卡商", "number vendor", "card vendor"],
        "payer": ["支付结算", "结算", "payer", "payment"],
        "organizer": ["组织者", "organizer"],
        "other": ["其他", "other"],
    },
    "statuses": {
        "arrested": ["已抓获", "抓获", "arrested"],
        "at_large": ["在逃", "at large"],
        "under_investigation": ["在查", "待核查", "under investigation"],
    },
    "channels": {
        "alipay": ["支付宝", "支付宝转账", "Alipay"],
        "wechat_pay": ["微信支付", "微信", "微信转账", "财付通", "WeChat Pay", "WeChat"],
        "bank": ["银行卡", "银行", "银行转账", "网银", "对公转账", "bank", "bank transfer"],
        "usdt": ["USDT", "U", "USDT-TRC20", "泰达币", "虚拟货币", "virtual currency"],
    },
}
# Synonyms analysts write for roles and statuses, beyond CASE.md's list.
SYNONYMS = {
    "roles": {
        "number_vendor": ["号贩子", "卖卡人"],
        "organizer": ["头目"],
        "pc_end": ["电脑口"],
    },
    "statuses": {
        "arrested": ["已到案", "到案", "已逮捕", "已刑拘", "刑拘"],
        "at_large": ["在逃人员", "逃逸", "未到案"],
        "under_investigation": ["侦查中", "调查中", "核查中"],
    },
}
VOCABS = {"roles": ROLES, "statuses": STATUSES, "channels": CHANNELS}

DOCUMENTED = [
    (kind, value, spelling)
    for kind, table in CASE_MD_SPELLINGS.items()
    for value, spellings in table.items()
    for spelling in [value, *spellings, *SYNONYMS.get(kind, {}).get(value, [])]
]


@pytest.mark.parametrize(("kind", "value", "spelling"), DOCUMENTED)
def test_every_documented_spelling_normalises(kind, value, spelling):
    assert normalize(VOCABS[kind], spelling) == value


@pytest.mark.parametrize("kind", sorted(CASE_MD_SPELLINGS))
def test_values_in_documented_display_order(kind):
    assert vocab.values(VOCABS[kind]) == tuple(CASE_MD_SPELLINGS[kind])


@pytest.mark.parametrize(
    ("terms", "text", "expected"),
    [
        (CHANNELS, "ＵＳＤＴ", "usdt"),  # full-width letters
        (CHANNELS, "ｕ", "usdt"),
        (CHANNELS, "  alipay\t", "alipay"),
        (CHANNELS, "WECHAT PAY", "wechat_pay"),
        (CHANNELS, "wechat   pay", "wechat_pay"),
        (ROLES, "pc端", "pc_end"),
        (ROLES, "ＰＣ端", "pc_end"),
        (ROLES, "Mobile Port", "mobile_port"),
        (ROLES, "　号商　", "number_vendor"),  # ideographic spaces
        (STATUSES, "AT LARGE", "at_large"),
        (STATUSES, "Under Investigation", "under_investigation"),
    ],
)
def test_normalise_ignores_case_width_and_spaces(terms, text, expected):
    assert normalize(terms, text) == expected


@pytest.mark.parametrize(
    ("terms", "text"),
    [
        (ROLES, ""),
        (ROLES, "   "),
        (ROLES, None),
        (ROLES, 3),
        (ROLES, "vendor"),
        (STATUSES, "arrest"),
        (STATUSES, "在逃中"),
        (CHANNELS, "现金"),
        (CHANNELS, "alipay_"),
        (ROLES, "arrested"),  # a status is not a role
    ],
)
def test_normalise_unknown_is_none(terms, text):
    assert normalize(terms, text) is None


@pytest.mark.parametrize("terms", [ROLES, STATUSES, CHANNELS, PURPOSES, MILESTONES])
def test_no_spelling_is_ambiguous_within_a_vocabulary(terms):
    for term in terms:
        for spelling in (term.value, term.en, term.zh, *term.spellings):
            assert normalize(terms, spelling) == term.value, spelling


@pytest.mark.parametrize("terms", [ROLES, STATUSES, CHANNELS, PURPOSES, MILESTONES])
def test_labels_exist_in_both_languages(terms):
    for term in terms:
        assert label(terms, term.value, "en") == term.en and term.en.strip()
        assert label(terms, term.value, "zh") == term.zh and term.zh.strip()


@pytest.mark.parametrize(
    ("terms", "value", "lang", "expected"),
    [
        (ROLES, "mobile_port", "zh", "手机口"),
        (ROLES, "pc_end", "zh", "电脑端"),
        (ROLES, "number_vendor", "zh", "号商"),
        (STATUSES, "at_large", "zh", "在逃"),
        (CHANNELS, "alipay", "zh", "支付宝"),
        (CHANNELS, "wechat_pay", "en", "WeChat Pay"),
        (PURPOSES, "number_rental", "zh", "号码租用费"),
        (PURPOSES, "wechat_rental", "zh", "微信账号租用费"),
        (PURPOSES, "settlement", "zh", "USDT结算"),
        (PURPOSES, "other", "zh", "其他"),
    ],
)
def test_documented_labels(terms, value, lang, expected):
    assert label(terms, value, lang) == expected


def test_label_rejects_unknown_value_and_language():
    with pytest.raises(KeyError):
        label(ROLES, "boss", "en")
    with pytest.raises(ValueError):
        label(ROLES, "payer", "fr")


def test_purposes_and_milestones_keys():
    assert vocab.values(PURPOSES) == ("number_rental", "wechat_rental", "settlement", "other")
    assert {"activity_start", "task_force", "first_arrests", "operation"} <= set(vocab.values(MILESTONES))


def test_terms_are_frozen():
    with pytest.raises(AttributeError):
        ROLES[0].value = "x"
