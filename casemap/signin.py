"""Who is asking, and may they be served: sign-in modes, the local-mode address rule, roles' rights.

Three modes, chosen by the deployment, never by the request:

- **local** (the default: no ``[auth]`` in secrets.toml, no trusted header):
  the person at the machine. Only clients on the loopback address are
  served, as an admin; any other address, or a request that came through a
  proxy (it carries a forwarding header), gets no data.
- **oidc** (an ``[auth]`` section in secrets.toml): Streamlit's built-in
  OpenID Connect sign-in; the identity is the token's e-mail, else its subject.
- **header** (``CASEMAP_TRUSTED_HEADER`` names the header, and
  ``CASEMAP_TRUSTED_PROXIES`` the proxy addresses allowed to send it): a
  reverse proxy that authenticates people passes their name in that header.
  A request from any other address is refused, and in the other two modes
  the header is never read.

In the oidc and header modes a person must be in the users table: their
role and provinces come from it, as an :class:`~casemap.access.Access`. This module is pure; ``casemap.ui.signin``
reads the request and draws the outcome.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from casemap import access as rights
from casemap.access import Access, Scope

__all__ = [
    "LOCAL", "OIDC", "HEADER", "SignInConfig", "SignInConfigError", "Decision", "read_config", "is_loopback",
    "oidc_identity", "decide", "access_of",
]

LOCAL, OIDC, HEADER = "local", "oidc", "header"
HEADER_ENV, PROXIES_ENV = "CASEMAP_TRUSTED_HEADER", "CASEMAP_TRUSTED_PROXIES"
# A request carrying one of these came through a proxy: its TCP peer says nothing about who sent it.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


class SignInConfigError(ValueError):
    """The deployment's sign-in settings contradict each other or are incomplete."""


@dataclass(frozen=True)
class SignInConfig:
    """How this deployment signs people in: the mode, and for the header mode its header and proxies."""

    mode: str = LOCAL
    header: str | None = None
    proxies: frozenset[str] = frozenset()


def read_config(has_auth_section: bool, environ: Mapping[str, str] | None = None) -> SignInConfig:
    """The sign-in mode from the secrets' ``[auth]`` section and the environment.

    Raises :class:`SignInConfigError` when the trusted header is set without
    proxies (or with a bad address), or together with ``[auth]``.
    """
    environ = os.environ if environ is None else environ
    header = (environ.get(HEADER_ENV) or "").strip()
    if not header:
        return SignInConfig(OIDC if has_auth_section else LOCAL)
    if has_auth_section:
        raise SignInConfigError(f"{HEADER_ENV} is set and secrets.toml has an [auth] section: choose one sign-in")
    proxies = frozenset(part.strip() for part in (environ.get(PROXIES_ENV) or "").split(",") if part.strip())
    if not proxies:
        raise SignInConfigError(f"{HEADER_ENV} needs {PROXIES_ENV}: the addresses of the proxies that may send it")
    for address in proxies:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise SignInConfigError(f"{PROXIES_ENV}: {address!r} is not an IP address") from None
    return SignInConfig(HEADER, header, frozenset(str(ipaddress.ip_address(a)) for a in proxies))




def is_loopback(address: str | None) -> bool:
    """Whether a client address is this machine's loopback.

    None counts as loopback: Streamlit gives None for 127.0.0.1 and ::1
    (and when a script runs without a browser, as in app tests).
    """
    if address is None:
        return True
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(parsed, "ipv4_mapped", None)
    return (mapped or parsed).is_loopback


def _peer(address: str | None) -> str:
    """The peer address as the proxies list spells it; None (Streamlit's loopback) is 127.0.0.1."""
    if address is None:
        return "127.0.0.1"
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address
    return str(getattr(parsed, "ipv4_mapped", None) or parsed)


def oidc_identity(user: Mapping) -> str | None:
    """The identity a signed-in OIDC user is known by: the e-mail claim, else the subject."""
    for claim in ("email", "sub"):
        value = user.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    return None


@dataclass(frozen=True)
class Decision:
    """What to do with a request: ``serve`` it with ``access``, or one of the refusals, with the identity seen and why.

    Outcomes: ``serve``; ``sign_in`` (oidc, nobody signed in); ``not_configured``
    (local mode, not the person at the machine); ``untrusted`` (header mode, the
    request did not come from a trusted proxy or lacks the header);
    ``not_authorised`` (signed in, but not in the users table).
    """

    outcome: str
    access: Access | None = None
    identity: str | None = None
    reason: str = ""

    @property
    def served(self) -> bool:
        """Whether the request gets the app."""
        return self.outcome == "serve"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def decide(config: SignInConfig, address: str | None, headers: Mapping[str, str], signed_in: str | None,
           lookup: Callable[[str], object | None]) -> Decision:
    """Serve or refuse one request.

    ``address`` is the client's (None for loopback), ``headers`` the
    request's, ``signed_in`` the OIDC identity (None when nobody is signed in)
    and ``lookup`` finds a user by identity (an object with ``role`` and
    ``provinces``, or None).
    """
    if config.mode == LOCAL:
        forwarded = [name for name in FORWARDING_HEADERS if _header(headers, name)]
        if not is_loopback(address):
            return Decision("not_configured", reason=f"client address {address} is not the loopback address")
        if forwarded:
            return Decision("not_configured", reason=f"request came through a proxy ({forwarded[0]} header)")
        return Decision("serve", rights.LOCAL)
    if config.mode == HEADER:
        peer = _peer(address)
        if peer not in config.proxies:
            return Decision("untrusted", reason=f"client address {peer} is not a trusted proxy")
        identity = (_header(headers, config.header or "") or "").strip().lower()
        if not identity:
            return Decision("untrusted", reason=f"no {config.header} header from the proxy")
    else:
        if not signed_in:
            return Decision("sign_in")
        identity = signed_in
    user = lookup(identity)
    if user is None:
        return Decision("not_authorised", identity=identity, reason="not in the users table")
    return Decision("serve", access_of(identity, user), identity)


def access_of(identity: str, user) -> Access:
    """The :class:`~casemap.access.Access` of a stored user: their role, and their provinces (none listed: all)."""
    return Access(identity, user.role, Scope.of(user.provinces or None))
