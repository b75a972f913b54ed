"""The door: who this request is (:mod:`casemap.signin` decides), what a refused one sees, and the audit lines.

:func:`admit` runs first on every rerun. A request that is not served gets
a page that says why, with no data, and the script stops there. A served
one gets its :class:`~casemap.access.Access`, which the shell hands to the
query layer (scope and masking) and the pages read for what they offer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlparse

import streamlit as st

from casemap import i18n, signin
from casemap.exporter import markdown_escape
from casemap.access import Access
from casemap.store import users
from casemap.ui import cache

__all__ = ["admit", "record", "who", "address", "identity_box", "record_page_view", "record_page_refused"]

log = logging.getLogger(__name__)
SIGNED_IN_KEY = "signin_recorded"  # the identity whose sign-in this session has audited
DENIED_KEY = "signin_denied"  # the refusal this session has audited (one line per session, not per rerun)
VIEWED_KEY = "signin_viewed"  # the page and filters of the last audited page view
REFUSED_PAGE_KEY = "signin_refused_page"  # the page not offered that this session last asked for


def client_address() -> str | None:
    """The client's address as Streamlit gives it: None for loopback (and for a script run without a browser)."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else None  # app tests give a stand-in object, not an address


def address() -> str:
    """The client's address as the audit log keeps it."""
    return client_address() or "127.0.0.1"


def _lang() -> str:
    return i18n.choose_lang(st.query_params.get("lang"), st.context.locale)


def _auth_configured() -> bool:
    try:
        return st.secrets.load_if_toml_exists() and "auth" in st.secrets
    except Exception as error:  # a broken secrets.toml: refuse rather than fall back to local mode
        raise signin.SignInConfigError(f"secrets.toml cannot be read: {error}") from None


def who(access: Access | None) -> str | None:
    """The identity an audit line names: the signed-in user, ``local`` in local mode, None for nobody."""
    if access is None:
        return None
    return access.user or "local"


def record(access: Access | None, action: str, *, client: str | None = None, **detail) -> None:
    """Append an audit line for this request: ``access``'s user (None: nobody signed in) did ``action``.

    ``client`` is the address when the line is written outside the script
    run (a download's file is made in a server thread): take it with
    :func:`address` while the page runs.
    """
    identity = detail.pop("identity", None)
    try:
        users.record(cache.get_store().engine, who(access) or identity, client or address(), action, **detail)
    except Exception:  # the log must not take the page down; the server log says what failed
        log.exception("could not write the audit line %s %s", action, detail)


def _refuse(decision: signin.Decision | None, lang: str, problem: str = "") -> None:
    with st.container(width=720):  # a short message reads better in a column than across a wall screen
        _refusal(decision, lang, problem)


def _refusal(decision: signin.Decision | None, lang: str, problem: str) -> None:
    st.title(i18n.t("signin_title", lang))
    if problem:
        st.error(i18n.t("signin_misconfigured", lang, problem=markdown_escape(problem)))
    elif decision.outcome == "sign_in":
        st.info(i18n.t("signin_prompt", lang))
        if st.button(i18n.t("signin_button", lang), type="primary", key="signin_login"):
            st.login()
    elif decision.outcome == "not_authorised":
        st.warning(i18n.t("signin_not_authorised", lang, identity=markdown_escape(decision.identity or "")))
        if st.user.get("is_logged_in"):  # OIDC: let them sign in as someone else (a proxy's header has no sign-out)
            _sign_out_button(None, lang)
    elif decision.outcome == "untrusted":
        st.error(i18n.t("signin_untrusted", lang))
    else:
        st.warning(i18n.t("signin_not_configured", lang))


def admit() -> tuple[Access, str]:
    """Who this request serves and the sign-in mode; a refused request gets its page and the script stops."""
    lang = _lang()
    try:
        config = signin.read_config(_auth_configured())
    except signin.SignInConfigError as error:
        log.error("sign-in settings: %s", error)
        _refuse(None, lang, str(error))
        st.stop()
    engine = cache.get_store().engine
    signed_in = signin.oidc_identity(st.user) if config.mode == signin.OIDC and st.user.is_logged_in else None
    decision = signin.decide(config, client_address(), dict(st.context.headers), signed_in,
                             lambda identity: users.get_user(engine, identity))
    if not decision.served:
        if decision.outcome != "sign_in" and st.session_state.get(DENIED_KEY) != decision.outcome:
            st.session_state[DENIED_KEY] = decision.outcome
            record(None, "denied", identity=decision.identity, outcome=decision.outcome, reason=decision.reason,
                   url=st.context.url)
        _refuse(decision, lang)
        st.stop()
    access = decision.access
    if config.mode != signin.LOCAL and st.session_state.get(SIGNED_IN_KEY) != access.user:
        st.session_state[SIGNED_IN_KEY] = access.user
        issued = st.user.get("iat") if config.mode == signin.OIDC else None
        # One line per sign-in, not per browser tab: a new session with the same token is no new sign-in.
        if issued is None or not users.signed_in_before(engine, access.user, issued):
            record(access, "sign_in", mode=config.mode, role=access.role, token_issued=issued)
    return access, config.mode


def record_page_view(access: Access, page: str, query: dict[str, str], not_offered: Iterable[str] = ()) -> None:
    """Audit a page view with its filter state, once per page and filters (not on every widget rerun).

    A link to a page in ``not_offered`` (the navigation shows the default
    page instead) is audited as a refused request.
    """
    requested = urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    if requested in set(not_offered):
        record_page_refused(access, requested)
    seen = (page, tuple(sorted(query.items())))
    if st.session_state.get(VIEWED_KEY) != seen:
        st.session_state[VIEWED_KEY] = seen
        record(access, "page_view", page=page, filters=query)


def record_page_refused(access: Access, requested: str) -> None:
    """Audit a request for a page this user is not offered (the navigation shows the default page instead)."""
    if st.session_state.get(REFUSED_PAGE_KEY) != requested:
        st.session_state[REFUSED_PAGE_KEY] = requested
        record(access, "denied", outcome="page_not_offered", page=requested, role=access.role)


def _sign_out(access: Access | None) -> None:
    record(access, "sign_out", identity=None if access else signin.oidc_identity(st.user))
    st.session_state.pop(SIGNED_IN_KEY, None)
    st.logout()


def _sign_out_button(access: Access | None, lang: str) -> None:
    if st.button(i18n.t("signout_button", lang), key="signin_logout", width="stretch"):
        _sign_out(access)


def identity_box(access: Access, mode: str, lang: str) -> None:
    """Who is signed in, in the sidebar: identity, role, provinces and sign-out (local mode's badge is above the page)."""
    if mode == signin.LOCAL:
        return
    role = i18n.t(f"role_{access.role}", lang)
    st.caption(markdown_escape(i18n.t("signin_as", lang, identity=access.user, role=role)))
    if access.scope.limited:
        names = cache.place_names(lang)
        shown = "、".join(names.get(code, code) for code in sorted(access.scope.provinces))
        st.caption(i18n.t("signin_scope", lang, provinces=shown))
    if mode == signin.OIDC:
        _sign_out_button(access, lang)
