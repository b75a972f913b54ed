"""Users (admins only): who may sign in, their role and the provinces they see."""

import pandas as pd
import streamlit as st

from casemap.access import ROLES
from casemap.exporter import markdown_escape as esc
from casemap.i18n import t
from casemap.store import users
from casemap.ui import cache, signin
from casemap.view import View


def users_frame(people: list, lang: str) -> pd.DataFrame:
    """The users as a table in ``lang``: identity, role, provinces by name, added and changed."""
    names = cache.place_names(lang)
    return pd.DataFrame({
        t("users_identity", lang): [u.identity for u in people],
        t("users_role", lang): [t(f"role_{u.role}", lang) for u in people],
        t("users_provinces", lang): ["、".join(names.get(c, c) for c in u.provinces) or t("users_all_provinces", lang)
                                     for u in people],
        t("users_created", lang): [u.created_at for u in people],
        t("users_updated", lang): [u.updated_at for u in people],
    })


def _self_change(view: View, identity: str, role: str | None) -> bool:
    """Whether an admin would remove themself or drop their own admin role (and so lock everyone out)."""
    me = view.access.user
    return me is not None and users.normalise_identity(identity) == me and role != "admin"


def save_form(view: View, engine) -> None:
    """Add a user, or change the one with that identity."""
    lang = view.lang
    names = cache.place_names(lang)
    provinces = sorted(view.places.loc[view.places["level"] == "province", "adcode"])
    with st.form("users_form", clear_on_submit=False):
        identity = st.text_input(t("users_identity", lang), key="users_identity")
        role = st.selectbox(t("users_role", lang), ROLES, format_func=lambda r: t(f"role_{r}", lang), key="users_role")
        chosen = st.multiselect(t("users_provinces", lang), provinces, format_func=lambda c: names.get(c, c),
                                placeholder=t("users_all_provinces", lang), key="users_provinces")
        if not st.form_submit_button(t("users_save", lang), type="primary"):
            return
    if not view.access.can_admin:  # the page is not offered to others; refuse all the same
        signin.record(view.access, "denied", outcome="not_admin", page="users")
        return
    try:
        if _self_change(view, identity, role):
            st.error(t("users_not_self", lang))
            return
        if users.get_user(engine, identity) is None:
            saved = users.add_user(engine, identity, role, chosen, by=signin.who(view.access), address=signin.address())
        else:
            saved = users.set_user(engine, identity, role=role, provinces=chosen, by=signin.who(view.access),
                                   address=signin.address())
    except users.UserError as error:
        st.error(esc(str(error)))
    else:
        st.success(t("users_saved", lang, identity=esc(saved.identity)))


def remove_form(view: View, engine, people: list) -> None:
    """Remove one user."""
    lang = view.lang
    if not people:
        return
    st.subheader(t("users_remove_heading", lang))
    identity = st.selectbox(t("users_identity", lang), [u.identity for u in people], key="users_remove_choice")
    if st.button(t("users_remove", lang, identity=esc(identity)), key="users_remove"):
        if not view.access.can_admin:
            signin.record(view.access, "denied", outcome="not_admin", page="users")
        elif _self_change(view, identity, None):
            st.error(t("users_not_self", lang))
        else:
            users.remove_user(engine, identity, by=signin.who(view.access), address=signin.address())
            st.rerun()


def render(view: View) -> None:
    """Draw the users page."""
    lang = view.lang
    st.title(t("users_title", lang))
    st.caption(t("users_intro", lang))
    if not view.access.can_admin:  # the page is not offered to others; refuse all the same
        return
    engine = cache.get_store().engine
    st.subheader(t("users_add_heading", lang))
    save_form(view, engine)
    people = users.list_users(engine)
    if people:
        st.dataframe(users_frame(people, lang), hide_index=True)
    else:
        st.info(t("users_none", lang))
    remove_form(view, engine, people)
