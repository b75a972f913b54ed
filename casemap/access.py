"""Who is asking: a user's role and province scope, what they may do, and the one masking rule for viewers.

An :class:`Access` is an immutable value the shell builds once per rerun
(from the signed-in user, or :data:`LOCAL` for the person at the machine)
and hands to the query layer inside its cache key, so two users never share
a cached result and every query applies the same scope and masking.

Roles (:data:`ROLES`):

- ``viewer``: aggregates, maps and charts; personal data masked
  (:func:`mask_frame`), no export of person rows;
- ``analyst``: full rows within their scope, import, export and undo;
- ``admin``: everything, plus users, cases and the audit log.

Masking, for a viewer only (the rule is :data:`COLUMN_RULES`):

- a name keeps its first character and the rest becomes one ``*``
  (``周某某`` -> ``周*``);
- addresses, QQ accounts, phone and account numbers, notes and extra
  columns are hidden (``None``);
- ids are hidden behind a pseudonym (:func:`pseudonym`, ``#`` and ten hex
  digits), stable for one case and one server secret, so the pages can still
  link a masked row to its person view while the id itself never reaches the
  browser. The secret is ``CASEMAP_SECRET`` from the environment (the same
  on every replica); without it each process draws its own.

This module imports nothing from streamlit or the store: the command line,
the query layer and the pages all use it as it is.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "ROLES", "VIEWER", "ANALYST", "ADMIN", "Scope", "EVERYWHERE", "Access", "LOCAL",
    "MASK", "HIDE", "KEEP", "PSEUDONYM", "pseudonym", "is_pseudonym", "COLUMN_RULES", "column_rule", "mask_name", "mask_value", "mask_frame", "mask_record",
]

VIEWER, ANALYST, ADMIN = "viewer", "analyst", "admin"
ROLES: tuple[str, ...] = (VIEWER, ANALYST, ADMIN)  # least to most


@dataclass(frozen=True)
class Scope:
    """The provinces a user may see, as 6-digit province adcodes; ``None`` means every province."""

    provinces: frozenset[str] | None = None

    def __post_init__(self):
        if self.provinces is not None:
            codes = frozenset(str(code) for code in self.provinces)
            bad = sorted(c for c in codes if not (len(c) == 6 and c.isdigit() and c.endswith("0000")))
            if bad:
                raise ValueError(f"a scope lists province adcodes (like 430000); not one: {', '.join(bad[:5])}")
            object.__setattr__(self, "provinces", codes)

    @property
    def limited(self) -> bool:
        """Whether this scope hides anything."""
        return self.provinces is not None

    def allows(self, province_adcode: str | None) -> bool:
        """Whether a row in ``province_adcode`` is inside the scope (a row with no province is not, when limited)."""
        return not self.limited or province_adcode in self.provinces

    @classmethod
    def of(cls, provinces: Iterable[str] | None) -> Scope:
        """The scope of these province adcodes; ``None`` (not an empty list) for every province."""
        return cls(None if provinces is None else frozenset(provinces))


EVERYWHERE = Scope()


@dataclass(frozen=True)
class Access:
    """One user's rights for one rerun: who (``user``, ``None`` in local mode), ``role`` and ``scope``."""

    user: str | None
    role: str
    scope: Scope = field(default=EVERYWHERE)

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}; not {self.role!r}")
        if not isinstance(self.scope, Scope):
            raise TypeError(f"scope must be a Scope, not {type(self.scope).__name__}")

    @property
    def local(self) -> bool:
        """Whether this is local mode: the person at the machine, nobody signed in."""
        return self.user is None

    @property
    def masked(self) -> bool:
        """Whether personal data is masked for this user (a viewer)."""
        return self.role == VIEWER

    @property
    def can_see_rows(self) -> bool:
        """Whether the user sees person rows unmasked (analysts and admins, within the scope)."""
        return self.role in (ANALYST, ADMIN)

    @property
    def can_import(self) -> bool:
        """Whether the user may import files into a case (and undo an import)."""
        return self.role in (ANALYST, ADMIN)

    @property
    def can_undo(self) -> bool:
        """Whether the user may undo an import."""
        return self.can_import

    @property
    def can_export(self) -> bool:
        """Whether the user is offered exports of person rows (suspects, payments); aggregates are for everyone."""
        return self.role in (ANALYST, ADMIN)

    @property
    def can_admin(self) -> bool:
        """Whether the user manages users and cases and reads the audit log."""
        return self.role == ADMIN


LOCAL = Access(user=None, role=ADMIN, scope=EVERYWHERE)

# -- masking ----------------------------------------------------------------------------------

MASK, HIDE, KEEP, PSEUDONYM = "mask", "hide", "keep", "pseudonym"
# Column name -> rule for a viewer. A column not listed is kept: figures, places, roles, dates.
COLUMN_RULES: Mapping[str, str] = {
    "name": MASK,
    "counterpart_name": MASK,
    "holder_name": MASK,
    "address": HIDE,
    "qq_accounts": HIDE,
    "qq": HIDE,
    "phone": HIDE,
    "phone_cards_numbers": HIDE,
    "number": HIDE,
    "extra": HIDE,
    "note": HIDE,
    "suspect_id": PSEUDONYM,
    "party_id": PSEUDONYM,
    "counterpart_id": PSEUDONYM,
    "payer_id": PSEUDONYM,
    "payee_id": PSEUDONYM,
    "holder_id": PSEUDONYM,
    "account_id": PSEUDONYM,
    "txn_id": HIDE,
    "from_id": PSEUDONYM,
    "to_id": PSEUDONYM,
}
EXTRA_PREFIX = "extra:"  # an export's extra columns are named "extra:<header>"


SECRET_ENV = "CASEMAP_SECRET"
PSEUDONYM_PREFIX = "#"
_PROCESS_SECRET = secrets.token_bytes(32)


def _secret() -> bytes:
    value = os.environ.get(SECRET_ENV, "")
    return value.encode("utf-8") if value else _PROCESS_SECRET


def pseudonym(case: str, party_id) -> str | None:
    """The pseudonym a viewer sees for ``party_id`` of ``case``: ``#`` and ten hex digits (``None`` stays ``None``)."""
    if party_id is None or (isinstance(party_id, float) and pd.isna(party_id)):
        return None
    digest = hashlib.blake2b(f"{case}\x00{party_id}".encode("utf-8"), key=_secret()[:64], digest_size=5)
    return PSEUDONYM_PREFIX + digest.hexdigest()


def is_pseudonym(value) -> bool:
    """Whether ``value`` looks like a :func:`pseudonym`."""
    text = str(value)
    return len(text) == 11 and text.startswith(PSEUDONYM_PREFIX) and all(c in "0123456789abcdef" for c in text[1:])


def column_rule(column: str) -> str:
    """:data:`MASK`, :data:`HIDE`, :data:`PSEUDONYM` or :data:`KEEP`: what a viewer sees of ``column``."""
    name = str(column)
    if name.startswith(EXTRA_PREFIX):
        return HIDE
    return COLUMN_RULES.get(name, KEEP)


def mask_name(name):
    """A name as a viewer sees it: its first character then ``*`` (``周某`` -> ``周*``); blank stays blank."""
    if name is None or (isinstance(name, float) and pd.isna(name)) or name is pd.NA:
        return name
    text = str(name).strip()
    return f"{text[0]}*" if text else text


def mask_value(column: str, value, case: str = ""):
    """``value`` of ``column`` (in ``case``) as a viewer sees it (see :data:`COLUMN_RULES`)."""
    rule = column_rule(column)
    if rule == MASK:
        return mask_name(value)
    if rule == HIDE:
        return None
    if rule == PSEUDONYM:
        return pseudonym(case, value)
    return value


def mask_frame(frame: pd.DataFrame, access: Access, case: str = "") -> pd.DataFrame:
    """``frame`` of ``case`` as ``access`` may see it: unchanged unless masked, else every column by its rule.

    The index is masked by its name's rule too (a ``party_id`` index becomes
    pseudonyms), so a frame indexed by person never carries ids to a viewer.
    """
    if not access.masked:
        return frame
    out = frame.copy()
    for column in out.columns:
        rule = column_rule(column)
        if rule == KEEP:
            continue
        out[column] = pd.Series([mask_value(column, v, case) for v in out[column]], index=out.index, dtype=object)
    if out.index.name is not None and column_rule(out.index.name) != KEEP:
        out.index = pd.Index([mask_value(out.index.name, v, case) for v in out.index], name=out.index.name, dtype=object)
    return out


def mask_record(record: Mapping, access: Access, case: str = ""):
    """One row (a dict or a ``pd.Series``) of ``case`` as ``access`` may see it, of the same type."""
    if not access.masked:
        return record
    masked = {column: mask_value(column, value, case) for column, value in dict(record).items()}
    if isinstance(record, pd.Series):
        return pd.Series(masked, name=record.name, dtype=object)
    return masked
