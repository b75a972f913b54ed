"""Phone numbers and accounts: normalising, checking and masking a number of each kind (CASE.md).

``check_number(kind, text)`` turns what a file holds into the number the
store keeps (``+86 138-0013-8000`` -> ``13800138000``) and says whether it
passes its kind's check. A bank card that fails the Luhn check is accepted
but flagged (``luhn_ok`` False); any other failed check is a ``problem`` that
rejects the row. ``mask_number`` hides the middle of a number for the pages
and charts; only an analyst's export carries the full normalised number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["NumberCheck", "check_number", "luhn_ok", "mask_number", "make_link_id", "ACCOUNT_KIND_VALUES"]

ACCOUNT_KIND_VALUES = ("phone", "wechat", "qq", "bank_card", "alipay", "usdt_wallet")

_SEPARATORS = re.compile(r"[\s\-–—_.()（）]+")
_COUNTRY = re.compile(r"^(?:\+86|0086|86(?=\d{11}$))")
_PHONE = re.compile(r"1\d{10}")
_CARD = re.compile(r"\d{12,19}")
_QQ = re.compile(r"[1-9]\d{4,10}")
_WECHAT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{5,19}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_TRC20 = re.compile(f"T[{_BASE58}]{{33}}")


@dataclass(frozen=True)
class NumberCheck:
    """A number as the store keeps it, and what its kind's check said.

    ``problem`` is None when the number is accepted, else a short English
    reason code ("phone_digits", ...) the importer turns into a message.
    ``luhn_ok`` is only set for bank cards.
    """

    number: str
    problem: str | None = None
    luhn_ok: bool | None = None

    @property
    def ok(self) -> bool:
        """Whether the row carrying this number is accepted."""
        return self.problem is None


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _phone(text: str) -> str:
    digits = _SEPARATORS.sub("", _folded(text))
    return _COUNTRY.sub("", digits)


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (bank card numbers)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def check_number(kind: str, text: object) -> NumberCheck:
    """Normalise ``text`` as a number of account ``kind`` and check it.

    Raises ValueError for a kind that is not one of ``ACCOUNT_KIND_VALUES``.
    """
    raw = "" if text is None else str(text)
    if kind == "phone":
        number = _phone(raw)
        return NumberCheck(number, None if _PHONE.fullmatch(number) else "phone_digits")
    if kind == "bank_card":
        number = _SEPARATORS.sub("", _folded(raw))
        if not _CARD.fullmatch(number):
            return NumberCheck(number, "card_digits")
        return NumberCheck(number, None, luhn_ok(number))
    if kind == "usdt_wallet":
        number = re.sub(r"\s+", "", _folded(raw))
        return NumberCheck(number, None if _TRC20.fullmatch(number) else "usdt_address")
    if kind == "qq":
        number = re.sub(r"\s+", "", _folded(raw))
        return NumberCheck(number, None if _QQ.fullmatch(number) else "qq_digits")
    if kind == "wechat":
        number = re.sub(r"\s+", "", _folded(raw))
        if _WECHAT_ID.fullmatch(number):
            return NumberCheck(number)
        phone = _phone(raw)  # a WeChat account may go by its bound phone number
        return NumberCheck(phone) if _PHONE.fullmatch(phone) else NumberCheck(number, "wechat_id")
    if kind == "alipay":
        number = re.sub(r"\s+", "", _folded(raw))
        if _EMAIL.fullmatch(number):
            return NumberCheck(number.lower())
        phone = _phone(raw)  # an Alipay account goes by a phone number or an e-mail address
        return NumberCheck(phone) if _PHONE.fullmatch(phone) else NumberCheck(number, "alipay_login")
    raise ValueError(f"unknown account kind {kind!r}; expected one of {', '.join(ACCOUNT_KIND_VALUES)}")


def _middle(number: str, head: int, tail: int) -> str:
    if len(number) <= head + tail:
        return number[:1] + "*" * max(len(number) - 1, 0)
    return number[:head] + "****" + number[len(number) - tail:]


def mask_number(kind: str, number: object) -> str:
    """The number with its middle hidden, for display: 138****5678, 6222 **** **** 1234, TQn9****Ls8Q.

    A missing number shows as an empty string.
    """
    if not isinstance(number, str) or not number:
        return ""
    if kind == "bank_card" and len(number) > 8:
        hidden = len(number) - 8
        stars = " ".join("*" * min(4, hidden - start) for start in range(0, hidden, 4))
        return f"{number[:4]} {stars} {number[-4:]}"
    if "@" in number:
        name, _, domain = number.partition("@")
        return f"{name[:1]}***@{domain}"
    if kind in ("phone", "alipay", "wechat") and _PHONE.fullmatch(number):
        return _middle(number, 3, 4)
    if kind == "usdt_wallet":
        return _middle(number, 4, 4)
    return _middle(number, 2, 2)


def make_link_id(from_id: str, relation: str, to_id: str) -> str:
    """The id of a link: its two ends and its relation, so one relation between two ends is one link."""
    return f"{from_id}>{relation}>{to_id}"
