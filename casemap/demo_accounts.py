"""The demo case's phone numbers and accounts, and the links between them and the suspects.

Generated from the demo's suspects and payments on a random stream of its
own, so adding them moved none of the public figures. The story (CASE.md):

- every renter controls the numbers ("mobile port") or WeChat accounts ("PC
  end") they rented out, several each and never more than the suspect's
  ``phone_cards`` / ``wechat_accounts`` count; each of those was rented to one
  of the overseas groups, known by its USDT wallet;
- the rent of a number or account was paid via a payer's Alipay account:
  Xia's mostly, so a path runs from every mobile-port renter to Xia;
- the payers paid the vendors from their Alipay accounts and bank cards,
  the overseas groups settled from their wallets into the Linwu group's, and
  the payments name those accounts;
- the accounts of the Linwu group's first renters came from the "two-card"
  leads of August 2023; the rest from the investigation or other cases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casemap.accounts import luhn_ok, make_link_id
from casemap.schema import validate_accounts, validate_links, validate_payments

__all__ = ["demo_accounts_and_links", "LEADS_DATE", "OVERSEAS_WALLETS", "ACCOUNTS_PER_RENTER"]

LEADS_DATE = pd.Timestamp("2023-08-08")  # the "two-card" leads milestone
ACCOUNTS_PER_RENTER = (3, 8)  # numbers or accounts on record per renter, never above the suspect's count
OVERSEAS_WALLETS = 2  # per overseas group
UNTRACED_SHARE = 0.3  # outside Linwu, of a renter's further numbers: rented out to a buyer not traced yet
_LEAD_RENTERS = 5  # the first five arrested (Zhou among them): their accounts came with the leads
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_STREAM = 2  # this module's own random stream of the demo seed


class _Numbers:
    """Unique random numbers of each kind."""

    def __init__(self, rng: np.random.Generator):
        self.rng, self.seen = rng, set()

    def _unique(self, make) -> str:
        while (number := make()) in self.seen:
            pass
        self.seen.add(number)
        return number

    def _digits(self, count: int) -> str:
        return "".join(str(d) for d in self.rng.integers(0, 10, size=count))

    def phone(self) -> str:
        return self._unique(lambda: "1" + str(self.rng.choice([3, 5, 7, 8, 9])) + self._digits(9))

    def wechat(self) -> str:
        return self._unique(lambda: "wxid_" + "".join(self.rng.choice(list(_ALNUM), size=10)))

    def usdt(self) -> str:
        return self._unique(lambda: "T" + "".join(self.rng.choice(list(_BASE58), size=33)))

    def card(self, valid: bool = True) -> str:
        def make() -> str:
            body = "6222" + self._digits(11)
            check = next(str(d) for d in range(10) if luhn_ok(body + str(d)) == valid)
            return body + check
        return self._unique(make)


class _Builder:
    """Accounts and links as they are made, with ids in order."""

    def __init__(self):
        self.accounts: list[dict] = []
        self.links: list[dict] = []

    def account(self, kind: str, number: str, holder: str | None, place: str | None = None, **more) -> str:
        account_id = f"A{len(self.accounts) + 1:04d}"
        self.accounts.append({
            "account_id": account_id, "kind": kind, "number": number, "holder_id": holder,
            "province_adcode": None if place is None else place[:2] + "0000", "city_adcode": place, **more,
        })
        return account_id

    def link(self, from_id: str, relation: str, to_id: str, date: pd.Timestamp | None, source: str, note=None):
        self.links.append({
            "link_id": make_link_id(from_id, relation, to_id), "from_id": from_id, "to_id": to_id,
            "relation": relation, "source": source, "date": date, "note": note,
        })


def _status(suspect) -> str:
    """Numbers of an arrested renter were seized, of one at large frozen; the rest still rented."""
    return {"arrested": "seized", "at_large": "frozen"}.get(suspect.status, "rented")


def _wallet_status(suspect) -> str | None:
    """A wallet the group was paid into is not rented out: seized on arrest, frozen when at large, else unknown."""
    return {"arrested": "seized", "at_large": "frozen"}.get(suspect.status)


def _first_seen(rng: np.random.Generator, lead: bool) -> pd.Timestamp:
    if lead:
        return LEADS_DATE
    return pd.Timestamp("2023-09-01") + pd.Timedelta(days=int(rng.integers(0, 300)))


def demo_accounts_and_links(
    seed: int, suspects: pd.DataFrame, payments: pd.DataFrame, overseas: tuple[str, ...], xia: str,
    payers: tuple[str, ...],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The demo's accounts and links, and its payments naming the accounts they went between.

    ``overseas`` are the overseas groups' party ids, ``xia`` Xia's suspect id
    and ``payers`` every payer's (Xia first).
    """
    rng = np.random.default_rng([seed, _STREAM])
    numbers, built = _Numbers(rng), _Builder()
    wallets = {group: [built.account("usdt_wallet", numbers.usdt(), group, status="frozen", lead="other_case")
                       for _ in range(OVERSEAS_WALLETS)] for group in overseas}
    by_id = suspects.set_index("suspect_id")
    alipay, card = {}, {}
    for payer in payers:
        place = by_id.at[payer, "city_adcode"]
        alipay[payer] = built.account("alipay", numbers.phone(), payer, place, status="frozen", lead="investigation",
                                      first_seen=pd.Timestamp("2024-01-20"))
        # Xia's second card fails the Luhn check: a mistyped number kept, and flagged, as the records had it.
        card[payer] = built.account("bank_card", numbers.card(valid=payer != xia), payer, place, status="frozen",
                                    lead="investigation", first_seen=pd.Timestamp("2024-01-20"))
        built.link(payer, "controls", alipay[payer], pd.Timestamp("2024-01-20"), "investigation")
        built.link(payer, "controls", card[payer], pd.Timestamp("2024-01-20"), "investigation")
    vendors = suspects[suspects["role"] == "number_vendor"]
    vendor_alipay = {}
    for vendor in vendors.itertuples():
        vendor_alipay[vendor.suspect_id] = built.account(
            "alipay", numbers.phone(), vendor.suspect_id, vendor.city_adcode,
            status={"arrested": "frozen"}.get(vendor.status),
            lead="investigation", first_seen=pd.Timestamp("2024-01-20"))
        built.link(vendor.suspect_id, "controls", vendor_alipay[vendor.suspect_id], None, "investigation")
    usdt = _renters(rng, numbers, built, suspects, vendors, wallets, alipay, xia, payers)
    return (validate_accounts(pd.DataFrame(built.accounts)), validate_links(pd.DataFrame(built.links)),
            _payments_with_accounts(payments, alipay, card, vendor_alipay, wallets, usdt, rng))


def _renters(rng, numbers, built, suspects, vendors, wallets, alipay, xia, payers) -> dict[str, str]:
    """Each renter's numbers or accounts, rented to an overseas group and paid via a payer's Alipay."""
    organizer = suspects.loc[suspects["role"] == "organizer", "suspect_id"].iat[0]
    groups = list(wallets)
    usdt = {}
    renters = suspects[suspects["role"].isin(("mobile_port", "pc_end"))]
    for position, renter in enumerate(renters.itertuples()):
        linwu = renter.city_adcode == "431000"
        lead = position < _LEAD_RENTERS
        kind = "phone" if renter.role == "mobile_port" else "wechat"
        held = renter.phone_cards if kind == "phone" else renter.wechat_accounts
        count = min(int(rng.integers(*ACCOUNTS_PER_RENTER, endpoint=True)), int(held))
        group = groups[int(rng.integers(len(groups)))]
        payer = xia if renter.role == "mobile_port" or rng.random() < 0.6 else payers[int(rng.integers(len(payers)))]
        for number_index in range(count):
            # A number was bought from a vendor: half of them are registered in the vendor's city.
            place = renter.city_adcode
            if kind == "phone" and rng.random() < 0.5:
                place = vendors["city_adcode"].iat[int(rng.integers(len(vendors)))]
            seen = _first_seen(rng, lead)
            number = numbers.phone() if kind == "phone" else numbers.wechat()
            account = built.account(kind, number, renter.suspect_id, place, status=_status(renter), first_seen=seen,
                                    lead="two_card_lead" if lead else "investigation" if linwu else "other_case")
            built.link(renter.suspect_id, "controls", account, seen, "two_card_lead" if lead else "investigation")
            wallet = wallets[group][int(rng.integers(len(wallets[group])))]
            # Outside Linwu the buyer of a renter's further numbers is not always traced yet: rented, to nobody known.
            if linwu or number_index == 0 or rng.random() > UNTRACED_SHARE:
                built.link(account, "rented_to", wallet, seen, "two_card_lead" if lead else "investigation")
            built.link(account, "paid_via", alipay[payer], seen, "investigation")
        if linwu:
            usdt[renter.suspect_id] = built.account("usdt_wallet", numbers.usdt(), renter.suspect_id, renter.city_adcode,
                                                    status=_wallet_status(renter), lead="investigation")
            built.link(renter.suspect_id, "controls", usdt[renter.suspect_id], None, "investigation")
            built.link(organizer, "recruited", renter.suspect_id, pd.Timestamp("2023-07-01"), "investigation")
    organizer_row = suspects.set_index("suspect_id").loc[organizer]
    usdt[organizer] = built.account("usdt_wallet", numbers.usdt(), organizer, organizer_row["city_adcode"],
                                    status=_wallet_status(organizer_row), lead="investigation")
    built.link(organizer, "controls", usdt[organizer], None, "investigation")
    return usdt


def _payments_with_accounts(payments, alipay, card, vendor_alipay, wallets, usdt, rng) -> pd.DataFrame:
    """The payments with the accounts they went from and to, where those are on record."""
    out = payments.copy()
    payer_account, payee_account = [], []
    for row in out.itertuples():
        if row.channel == "usdt":
            group = wallets[row.payer_id]
            payer_account.append(group[int(rng.integers(len(group)))])
            payee_account.append(usdt.get(row.payee_id))
        elif row.channel == "alipay":
            payer_account.append(alipay.get(row.payer_id))
            payee_account.append(vendor_alipay.get(row.payee_id))
        elif row.channel == "bank":
            payer_account.append(card.get(row.payer_id))
            payee_account.append(None)
        else:
            payer_account.append(None)
            payee_account.append(None)
    out["payer_account"], out["payee_account"] = payer_account, payee_account
    return validate_payments(out)
