"""Numbers of each account kind: normalised, checked, masked (CASE.md, "Accounts and links")."""

import pytest

from casemap.accounts import ACCOUNT_KIND_VALUES, check_number, luhn_ok, make_link_id, mask_number
from casemap.vocab import ACCOUNT_KINDS, values

WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"  # 34 base58 characters starting with T


@pytest.mark.parametrize(
    ("kind", "given", "number"),
    [
        ("phone", "13800138000", "13800138000"),
        ("phone", "+86 138-0013-8000", "13800138000"),
        ("phone", "+86１３８００１３８０００", "13800138000"),  # full-width digits
        ("phone", "0086 138 0013 8000", "13800138000"),
        ("phone", "86 13800138000", "13800138000"),
        ("phone", " 138 0013 8000 ", "13800138000"),
        ("bank_card", "6222 0212 3456 7894", "6222021234567894"),
        ("bank_card", "6222-0212-3456-7894", "6222021234567894"),
        ("bank_card", "622202123456", "622202123456"),  # 12 digits, the shortest
        ("usdt_wallet", f" {WALLET} ", WALLET),
        ("qq", "12345", "12345"),
        ("qq", "３９９９９９９９９９", "3999999999"),
        ("wechat", "wxid_ab12cd34ef", "wxid_ab12cd34ef"),
        ("wechat", "Zhou-2023", "Zhou-2023"),
        ("wechat", "+86 139 0000 0001", "13900000001"),  # an account known by its phone number
        ("alipay", "138-0013-8000", "13800138000"),
        ("alipay", "Xia.Mou@Example.com", "xia.mou@example.com"),
    ],
)
def test_accepted_numbers_are_normalised(kind, given, number):
    check = check_number(kind, given)
    assert check.ok, check.problem
    assert check.number == number


@pytest.mark.parametrize(
    ("kind", "given", "problem"),
    [
        ("phone", "1380013800", "phone_digits"),  # 10 digits
        ("phone", "138001380001", "phone_digits"),  # 12 digits
        ("phone", "23800138000", "phone_digits"),  # not starting with 1
        ("phone", "138OO138000", "phone_digits"),  # letters O
        ("phone", "", "phone_digits"),
        ("bank_card", "62220212345", "card_digits"),  # 11 digits
        ("bank_card", "62220212345678901234", "card_digits"),  # 20 digits
        ("bank_card", "6222 0212 3456 789X", "card_digits"),
        ("usdt_wallet", WALLET[:-1], "usdt_address"),  # 33 characters
        ("usdt_wallet", "X" + WALLET[1:], "usdt_address"),  # not starting with T
        ("usdt_wallet", WALLET[:-1] + "0", "usdt_address"),  # 0 is not base58
        ("usdt_wallet", WALLET[:-1] + "l", "usdt_address"),  # nor is l
        ("qq", "1234", "qq_digits"),
        ("qq", "012345", "qq_digits"),
        ("qq", "123456789012", "qq_digits"),
        ("wechat", "12345", "wechat_id"),
        ("wechat", "ab", "wechat_id"),
        ("wechat", "a" * 21, "wechat_id"),
        ("wechat", "周某的微信", "wechat_id"),
        ("alipay", "xia@", "alipay_login"),
        ("alipay", "12345", "alipay_login"),
    ],
)
def test_numbers_failing_their_kind_check_are_rejected(kind, given, problem):
    check = check_number(kind, given)
    assert not check.ok and check.problem == problem


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("4539578763621486", True), ("4539578763621487", False), ("79927398713", True), ("79927398710", False),
     ("6222021234567894", True), ("6222021234567895", False)],
)
def test_luhn(digits, valid):
    assert luhn_ok(digits) is valid


def test_a_card_failing_luhn_is_accepted_but_flagged():
    good, bad = check_number("bank_card", "6222021234567894"), check_number("bank_card", "6222021234567895")
    assert good.ok and good.luhn_ok is True
    assert bad.ok and bad.luhn_ok is False
    assert check_number("phone", "13800138000").luhn_ok is None  # only cards are flagged


@pytest.mark.parametrize(
    ("kind", "number", "shown"),
    [
        ("phone", "13812345678", "138****5678"),
        ("bank_card", "6222021234561234", "6222 **** **** 1234"),
        ("bank_card", "6222021234567891234", "6222 **** **** *** 1234"),
        ("bank_card", "622202121234", "6222 **** 1234"),
        ("usdt_wallet", WALLET, "TQn9****bLSE"),
        ("qq", "3999999999", "39****99"),
        ("wechat", "wxid_ab12cd34ef", "wx****ef"),
        ("wechat", "13900000001", "139****0001"),
        ("alipay", "13800138000", "138****8000"),
        ("alipay", "xia.mou@example.com", "x***@example.com"),
        ("qq", "123", "1**"),  # too short to keep both ends: only the first character shows
        ("phone", None, ""),
    ],
)
def test_masking_hides_the_middle(kind, number, shown):
    assert mask_number(kind, number) == shown


@pytest.mark.parametrize("kind", ACCOUNT_KIND_VALUES)
def test_a_mask_never_shows_a_whole_number(kind):
    number = {"phone": "13812345678", "bank_card": "6222021234561234", "usdt_wallet": WALLET, "qq": "3999999999",
              "wechat": "wxid_ab12cd34ef", "alipay": "13800138000"}[kind]
    masked = mask_number(kind, number)
    assert "*" in masked and number not in masked.replace(" ", "")
    assert sum(c != "*" and c != " " for c in masked) <= len(number) - 4  # at least four characters hidden


def test_every_vocabulary_kind_has_a_check():
    assert set(values(ACCOUNT_KINDS)) == set(ACCOUNT_KIND_VALUES)
    with pytest.raises(ValueError, match="unknown account kind"):
        check_number("fax", "123")


def test_a_link_id_is_its_ends_and_relation():
    assert make_link_id("S001", "controls", "A0001") == "S001>controls>A0001"
    assert make_link_id("A", "contact", "B") != make_link_id("B", "contact", "A")
