"""Controlled vocabularies of the case: roles, statuses, channels, purposes, milestones.

This module is the one source of truth for each term's canonical value, its
English and Chinese labels, and the spellings accepted on import (CASE.md).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Term",
    "ROLES",
    "STATUSES",
    "CHANNELS",
    "PURPOSES",
    "MILESTONES",
    "ACCOUNT_KINDS",
    "ACCOUNT_STATUSES",
    "RELATIONS",
    "LEAD_SOURCES",
    "LANGS",
    "normalize",
    "label",
    "values",
]

LANGS = ("en", "zh")


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: canonical value, display labels, accepted spellings."""

    value: str
    en: str
    zh: str
    spellings: tuple[str, ...] = ()


ROLES: tuple[Term, ...] = (
    Term("mobile_port", "Mobile port", "手机口", ("手机口", "mobile port")),
    Term("pc_end", "PC end", "电脑端", ("电脑端", "PC端", "PC end", "电脑口")),
    Term(
        "number_vendor",
        "Number vendor",
        "号商",
        ("号商", "卡商", "号贩子", "卖卡人", "number vendor", "card vendor"),
    ),
    Term("payer", "Payer", "支付结算", ("支付结算", "结算", "payer", "payment")),
    Term("organizer", "Organizer", "组织者", ("组织者", "头目", "organizer")),
    Term("other", "Other", "其他", ("其他", "other")),
)

STATUSES: tuple[Term, ...] = (
    Term("arrested", "Arrested", "已抓获", ("已抓获", "抓获", "已到案", "到案", "已逮捕", "已刑拘", "刑拘", "arrested")),
    Term("at_large", "At large", "在逃", ("在逃", "在逃人员", "逃逸", "未到案", "at large")),
    Term(
        "under_investigation",
        "Under investigation",
        "在查",
        ("在查", "待核查", "侦查中", "调查中", "核查中", "under investigation"),
    ),
)

CHANNELS: tuple[Term, ...] = (
    Term("alipay", "Alipay", "支付宝", ("支付宝", "支付宝转账", "Alipay")),
    Term("wechat_pay", "WeChat Pay", "微信支付", ("微信支付", "微信", "微信转账", "财付通", "WeChat Pay", "WeChat")),
    Term("bank", "Bank card", "银行卡", ("银行卡", "银行", "银行转账", "网银", "对公转账", "bank", "bank transfer")),
    Term("usdt", "USDT", "USDT", ("USDT", "U", "USDT-TRC20", "泰达币", "虚拟货币", "virtual currency")),
)

# Payment purposes; a payment's purpose may also be free text from an import.
PURPOSES: tuple[Term, ...] = (
    Term("number_rental", "Phone-number rental", "号码租用费", ("号码租用费", "号码租用")),
    Term("wechat_rental", "WeChat-account rental", "微信账号租用费", ("微信账号租用费", "微信租用")),
    Term("settlement", "USDT settlement", "USDT结算", ("USDT结算", "结算")),
    Term("other", "Other", "其他", ("其他",)),
)

# Timeline milestones in chronological order; the demo case dates each one.
MILESTONES: tuple[Term, ...] = (
    Term("activity_start", "Mobile-port activity begins", "“手机口”活动开始"),
    Term("leads", "Two-card leads received", "收到公安部推送的“两卡”线索"),
    Term("task_force", "Linwu task force formed", "临武县公安局成立专案组"),
    Term("first_arrests", "First 5 arrests in Linwu (Zhou among them)", "临武抓获周某等首批5人"),
    Term("payments_traced", "Alipay rental payments traced to Xia and others", "查明夏某等人经支付宝支付租用费"),
    Term("operation", "Nationwide arrest operation", "全国集中收网行动"),
)

# The "two-card" model (CASE.md, "Accounts and links").
ACCOUNT_KINDS: tuple[Term, ...] = (
    Term("phone", "Phone number", "手机号", ("手机号", "电话卡", "手机卡", "phone number")),
    Term("wechat", "WeChat account", "微信号", ("微信号", "微信", "WeChat")),
    Term("qq", "QQ account", "QQ号", ("QQ", "QQ号")),
    Term("bank_card", "Bank card", "银行卡", ("银行卡", "卡号", "bank card")),
    Term("alipay", "Alipay account", "支付宝账号", ("支付宝账号", "支付宝", "Alipay")),
    Term("usdt_wallet", "USDT wallet", "USDT地址", ("USDT地址", "钱包地址", "虚拟币钱包", "USDT wallet")),
)

# Blank means unknown; "unknown" is the canonical value a blank stands for in queries.
ACCOUNT_STATUSES: tuple[Term, ...] = (
    Term("rented", "Rented out", "出租", ("出租", "在用", "rented")),
    Term("frozen", "Frozen", "冻结", ("冻结", "frozen")),
    Term("seized", "Seized", "查扣", ("查扣", "扣押", "seized")),
    Term("unknown", "Unknown", "不明", ("不明", "未知", "unknown")),
)

RELATIONS: tuple[Term, ...] = (
    Term("rented_to", "Rented to", "出租给", ("出租给", "rented to")),
    Term("recruited", "Recruited", "招募", ("招募", "介绍", "recruited")),
    Term("paid_via", "Paid via", "支付通道", ("支付通道", "通过其支付", "paid via")),
    Term("controls", "Controls", "控制", ("控制", "使用", "controls")),
    Term("same_device", "Same device", "同设备", ("同设备", "same device")),
    Term("contact", "Contact", "联系", ("联系", "通话", "contact")),
)

LEAD_SOURCES: tuple[Term, ...] = (
    Term("two_card_lead", "Two-card lead", "两卡线索", ("两卡线索", "部推线索", "two-card lead")),
    Term("other_case", "Other case", "关联案件", ("关联案件", "other case")),
    Term("investigation", "Investigation", "侦查发现", ("侦查发现", "investigation")),
)

_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    # NFKC folds full-width forms (ＵＳＤＴ, ＰＣ端) to half-width; casefold
    # handles case; runs of spaces collapse so "at  large" still matches.
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).strip()).casefold()


@functools.lru_cache(maxsize=None)
def _lookup(vocab: tuple[Term, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for term in vocab:
        for spelling in (term.value, term.en, term.zh, *term.spellings):
            table.setdefault(_fold(spelling), term.value)
    return table


def normalize(vocab: tuple[Term, ...], text: object) -> str | None:
    """Return the canonical value for ``text`` in ``vocab``, or None if it is not a known spelling.

    Matching ignores case, full-/half-width forms, leading/trailing spaces and
    repeated inner spaces. Canonical values, labels and the accepted spellings
    all match.
    """
    if not isinstance(text, str):
        return None
    return _lookup(vocab).get(_fold(text))


def label(vocab: tuple[Term, ...], value: str, lang: str) -> str:
    """Return the display label of canonical ``value`` in ``lang`` ("en" or "zh").

    Raises KeyError for a value not in ``vocab`` and ValueError for an unknown language.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    for term in vocab:
        if term.value == value:
            return term.en if lang == "en" else term.zh
    raise KeyError(value)


def values(vocab: tuple[Term, ...]) -> tuple[str, ...]:
    """Return the canonical values of ``vocab`` in display order."""
    return tuple(term.value for term in vocab)
