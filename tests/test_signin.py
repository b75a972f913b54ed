"""Who is served: the sign-in mode from the settings, the local-mode address rule, and each outcome."""

from types import SimpleNamespace

import pytest

from casemap import access, signin
from casemap.signin import HEADER, LOCAL, OIDC, SignInConfig, SignInConfigError

USERS = {
    "viewer@unit": SimpleNamespace(role="viewer", provinces=()),
    "analyst@unit": SimpleNamespace(role="analyst", provinces=("430000",)),
}
PROXY = SignInConfig(HEADER, "X-Remote-User", frozenset({"10.0.0.5", "127.0.0.1"}))


@pytest.mark.parametrize("has_auth, env, expected", [
    (False, {}, SignInConfig(LOCAL)),
    (True, {}, SignInConfig(OIDC)),
    (False, {"CASEMAP_TRUSTED_HEADER": "X-Remote-User", "CASEMAP_TRUSTED_PROXIES": "10.0.0.5, ::1"},
     SignInConfig(HEADER, "X-Remote-User", frozenset({"10.0.0.5", "::1"}))),
    (False, {"CASEMAP_TRUSTED_HEADER": "  ", "CASEMAP_TRUSTED_PROXIES": "10.0.0.5"}, SignInConfig(LOCAL)),
])
def test_the_mode_comes_from_the_deployment(has_auth, env, expected):
    assert signin.read_config(has_auth, env) == expected


@pytest.mark.parametrize("has_auth, env, message", [
    (False, {"CASEMAP_TRUSTED_HEADER": "X-Remote-User"}, "needs CASEMAP_TRUSTED_PROXIES"),
    (False, {"CASEMAP_TRUSTED_HEADER": "X-Remote-User", "CASEMAP_TRUSTED_PROXIES": "proxy.unit"}, "not an IP address"),
    (True, {"CASEMAP_TRUSTED_HEADER": "X-Remote-User", "CASEMAP_TRUSTED_PROXIES": "10.0.0.5"}, "choose one"),
])
def test_contradicting_or_incomplete_settings_are_refused(has_auth, env, message):
    with pytest.raises(SignInConfigError, match=message):
        signin.read_config(has_auth, env)


@pytest.mark.parametrize("address, loopback", [
    (None, True), ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("::ffff:127.0.0.1", True),
    ("192.0.2.2", False), ("10.0.0.5", False), ("fd00::2", False), ("::ffff:10.0.0.5", False), ("garbage", False),
])
def test_loopback_addresses(address, loopback):
    assert signin.is_loopback(address) is loopback


def lookup(identity):
    return USERS.get(identity)


@pytest.mark.parametrize("config, address, headers, signed_in, outcome, identity", [
    # local mode: the person at the machine, and nobody else
    (SignInConfig(LOCAL), None, {}, None, "serve", None),
    (SignInConfig(LOCAL), "192.0.2.2", {}, None, "not_configured", None),
    (SignInConfig(LOCAL), None, {"X-Forwarded-For": "203.0.113.9"}, None, "not_configured", None),
    (SignInConfig(LOCAL), None, {"X-Remote-User": "analyst@unit"}, None, "serve", None),  # the header is not read
    # OIDC: signed in and in the users table
    (SignInConfig(OIDC), None, {}, None, "sign_in", None),
    (SignInConfig(OIDC), "192.0.2.2", {}, "stranger@unit", "not_authorised", "stranger@unit"),
    (SignInConfig(OIDC), "192.0.2.2", {}, "viewer@unit", "serve", "viewer@unit"),
    (SignInConfig(OIDC), None, {"X-Remote-User": "analyst@unit"}, None, "sign_in", None),  # the header is not read
    # trusted header: only from a trusted proxy, only with the header
    (PROXY, "10.0.0.5", {"x-remote-user": " Analyst@Unit "}, None, "serve", "analyst@unit"),
    (PROXY, None, {"X-Remote-User": "viewer@unit"}, None, "serve", "viewer@unit"),  # a proxy on this machine
    (PROXY, "10.0.0.6", {"X-Remote-User": "analyst@unit"}, None, "untrusted", None),
    (PROXY, "10.0.0.5", {}, None, "untrusted", None),
    (PROXY, "10.0.0.5", {"X-Remote-User": "stranger@unit"}, None, "not_authorised", "stranger@unit"),
    (PROXY, "10.0.0.5", {"X-Remote-User": "analyst@unit"}, "viewer@unit", "serve", "analyst@unit"),
])
def test_each_request_is_served_or_refused(config, address, headers, signed_in, outcome, identity):
    decision = signin.decide(config, address, headers, signed_in, lookup)
    assert decision.outcome == outcome
    assert decision.served is (outcome == "serve")
    if outcome == "serve":
        assert decision.access.user == identity
    else:
        assert decision.access is None and decision.identity == identity


def test_a_served_user_gets_their_role_and_provinces_and_local_mode_everything():
    scoped = signin.decide(SignInConfig(OIDC), None, {}, "analyst@unit", lookup).access
    assert (scoped.role, scoped.scope.provinces) == ("analyst", frozenset({"430000"}))
    everywhere = signin.decide(SignInConfig(OIDC), None, {}, "viewer@unit", lookup).access
    assert everywhere.scope == access.EVERYWHERE and everywhere.masked
    assert signin.decide(SignInConfig(LOCAL), None, {}, None, lookup).access == access.LOCAL


@pytest.mark.parametrize("claims, identity", [
    ({"email": "Zhou@Unit.gov.cn", "sub": "123"}, "zhou@unit.gov.cn"),
    ({"sub": "u-123"}, "u-123"),
    ({"email": "", "sub": "u-9"}, "u-9"),
    ({}, None),
])
def test_the_oidc_identity_is_the_email_else_the_subject(claims, identity):
    assert signin.oidc_identity(claims) == identity
