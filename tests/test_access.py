"""Roles, scope and the one masking rule for viewers (casemap/access.py)."""

import pandas as pd
import pytest

from casemap.access import (ADMIN, ANALYST, EVERYWHERE, LOCAL, ROLES, VIEWER, Access, Scope, column_rule,
                            is_pseudonym, mask_frame, mask_name, mask_record, mask_value, pseudonym)

HUNAN = Scope.of(["430000"])
VIEWER_IN_HUNAN = Access("v@unit", VIEWER, HUNAN)
ANALYST_IN_HUNAN = Access("a@unit", ANALYST, HUNAN)


@pytest.mark.parametrize("name, shown", [
    ("周某", "周*"),
    ("夏某某", "夏*"),
    ("周", "周*"),
    ("  欧阳某 ", "欧*"),
    ("Zhang San", "Z*"),
    ("=HYPERLINK(1)", "=*"),
    ("", ""),
    (None, None),
])
def test_a_name_keeps_its_first_character(name, shown):
    assert mask_name(name) == shown


def test_a_missing_name_stays_missing():
    assert pd.isna(mask_name(float("nan")))


@pytest.mark.parametrize("column, value, shown", [
    ("name", "周某", "周*"),
    ("address", "湖南省郴州市临武县某路1号", None),
    ("qq_accounts", "12345678;23456789", None),
    ("number", "13812345678", None),
    ("phone", "13812345678", None),
    ("extra", '{"备注": "x"}', None),
    ("extra:备注", "x", None),
    ("note", "seen together", None),
    ("txn_id", "T0001", None),
    ("amount_yuan", 1250.0, 1250.0),
    ("province_adcode", "430000", "430000"),
    ("role", "mobile_port", "mobile_port"),
    ("status", "arrested", "arrested"),
])
def test_each_column_follows_its_rule(column, value, shown):
    assert mask_value(column, value, "demo") == shown


@pytest.mark.parametrize("column", ["suspect_id", "party_id", "counterpart_id", "payer_id", "payee_id",
                                    "holder_id", "account_id", "from_id", "to_id"])
def test_ids_become_pseudonyms(column):
    shown = mask_value(column, "S006", "demo")
    assert column_rule(column) == "pseudonym"
    assert shown != "S006" and "S006" not in shown and is_pseudonym(shown)
    assert shown == pseudonym("demo", "S006")  # stable: a masked row still links to the same person
    assert shown != pseudonym("other", "S006") and shown != pseudonym("demo", "S007")


def test_a_secret_from_the_environment_is_shared_by_every_process(monkeypatch):
    monkeypatch.setenv("CASEMAP_SECRET", "one")
    first = pseudonym("demo", "S006")
    monkeypatch.setenv("CASEMAP_SECRET", "two")
    assert pseudonym("demo", "S006") != first
    monkeypatch.setenv("CASEMAP_SECRET", "one")
    assert pseudonym("demo", "S006") == first


def test_a_frame_is_masked_for_a_viewer_only():
    frame = pd.DataFrame({"suspect_id": ["S1", "S2"], "name": ["周某", None], "address": ["某路", "某街"],
                          "amount_yuan": [1.0, 2.0]}).set_index(pd.Index(["S1", "S2"], name="party_id"))
    assert mask_frame(frame, ANALYST_IN_HUNAN) is frame
    assert mask_frame(frame, LOCAL) is frame
    masked = mask_frame(frame, VIEWER_IN_HUNAN, "demo")
    assert masked["name"].iloc[0] == "周*" and pd.isna(masked["name"].iloc[1])
    assert masked["address"].isna().all()
    assert masked["amount_yuan"].tolist() == [1.0, 2.0]
    assert masked["suspect_id"].tolist() == [pseudonym("demo", "S1"), pseudonym("demo", "S2")]
    assert list(masked.index) == [pseudonym("demo", "S1"), pseudonym("demo", "S2")]
    assert frame["name"].iloc[0] == "周某"  # the original is left alone


def test_a_record_is_masked_for_a_viewer_only():
    row = pd.Series({"suspect_id": "S1", "name": "周某", "qq_accounts": "123", "role": "payer"})
    masked = mask_record(row, VIEWER_IN_HUNAN, "demo")
    assert isinstance(masked, pd.Series)
    assert (masked["name"], masked["qq_accounts"], masked["role"]) == ("周*", None, "payer")
    assert mask_record(row, ANALYST_IN_HUNAN) is row


@pytest.mark.parametrize("role, rows, imports, exports, admin", [
    (VIEWER, False, False, False, False),
    (ANALYST, True, True, True, False),
    (ADMIN, True, True, True, True),
])
def test_what_each_role_may_do(role, rows, imports, exports, admin):
    access = Access("someone", role)
    assert (access.can_see_rows, access.can_import, access.can_undo, access.can_export, access.can_admin) == (
        rows, imports, imports, exports, admin)
    assert access.masked == (role == VIEWER)


def test_local_mode_is_an_admin_everywhere():
    assert LOCAL.local and LOCAL.can_admin and not LOCAL.masked and LOCAL.scope == EVERYWHERE
    assert ROLES == (VIEWER, ANALYST, ADMIN)


@pytest.mark.parametrize("bad", ["430100", "4300", "hunan", "43000a"])
def test_a_scope_names_provinces_by_adcode(bad):
    with pytest.raises(ValueError, match=bad):
        Scope.of([bad])


def test_a_scope_allows_its_provinces():
    assert HUNAN.allows("430000") and not HUNAN.allows("440000") and not HUNAN.allows(None)
    assert EVERYWHERE.allows("440000") and not EVERYWHERE.limited
    assert Scope.of([]).limited and not Scope.of([]).allows("430000")  # an empty scope sees nothing


@pytest.mark.parametrize("role", ["reader", "", None, "Admin"])
def test_an_unknown_role_is_refused(role):
    with pytest.raises(ValueError, match="role"):
        Access("someone", role)


def test_accesses_are_values():
    assert Access("a", VIEWER, HUNAN) == Access("a", VIEWER, Scope.of(["430000"]))
    assert hash(Access("a", VIEWER, HUNAN)) == hash(Access("a", VIEWER, Scope.of(["430000"])))
    assert Access("a", VIEWER, HUNAN) != Access("a", ANALYST, HUNAN)
