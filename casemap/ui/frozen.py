"""The briefing's frozen snapshots and its pack, on the page: pin a view, freeze one, list, delete, export.

- :func:`pinned_view` swaps the view for a ``?snapshot=ID`` link's snapshot
  (its filters at its data version) and shows the banner that says so, or a
  notice and the live view when the id is bad or unknown;
- :func:`brief_tools` is the briefing's "⋯" menu: freeze the view shown,
  the case's snapshots (open, delete), the briefing pack (PDF and PPTX, with
  a progress bar per slide) and the current chart as a PNG.

Freezing and deleting a snapshot are writes: they are offered only to those
who may import (``access.can_import``), refused in code to anyone else, and
audited (``snapshot_freeze``, ``snapshot_delete``); every file the menu
hands out is audited as an ``export``. A viewer's pack is drawn from the
same masked queries as their slides.

The logic lives in :mod:`casemap.store.frozen`, :mod:`casemap.frozen_view`
and :mod:`casemap.briefing_pack`; this module only draws.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import time
from functools import partial
from urllib.parse import urlencode

import streamlit as st

from casemap import briefing, i18n
from casemap.briefing_pack import make_pack, pack_file_name, pack_footer
from casemap.chart_images import ChartImageError
from casemap.exporter import markdown_escape
from casemap.frozen_view import banner_text, pin, snapshot_query
from casemap.query import CaseQuery
from casemap.store import StoreError
from casemap.store.frozen import MAX_SNAPSHOT_NAME, SnapshotNameError
from casemap.style import palette
from casemap.ui import cache, signin
from casemap.ui.chart_png import png_download
from casemap.ui.shell import EMBED_THEME
from casemap.view import View

__all__ = ["SNAPSHOT_KEY", "pinned_view", "brief_tools"]

SNAPSHOT_KEY = "brief_snapshot"  # the page setting's widget key (casemap.page_settings)
PACK_KEY = "brief_pack"  # the last pack made in this session: (what it shows, Pack)


def _banner_style(theme: str) -> str:
    """The banner floats over the slide's top edge: a slide fills the screen, and the banner must not push it down."""
    pal, ink = palette(theme), palette("light").text
    return f"""<style>
[data-testid="stElementContainer"]:has(.frozen-banner) {{ height: 0; min-height: 0; margin: 0; overflow: visible; }}
.frozen-banner {{ position: fixed; top: 2px; left: 50%; transform: translateX(-50%); z-index: 999990;
  background: {pal.categorical[2]}; color: {ink}; padding: 1px 14px; border-radius: 6px; line-height: 1.4;
  font-size: clamp(12px, 1.05vw, 20px); font-weight: 600; max-width: 94vw; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
</style>"""


PDF, PPTX = "application/pdf", "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def pinned_view(view: View) -> View:
    """``view``, or the snapshot's view that the link's ``snapshot`` names, with its banner or a notice."""
    places = view.places
    provinces = set(places.loc[places["level"] == "province", "adcode"])
    cities = set(places.loc[places["level"] == "city", "adcode"])
    store = cache.get_store()
    pinned = pin(st.session_state.get(SNAPSHOT_KEY), store.frozen_snapshot, view.state, view.version,
                 provinces, cities)
    if pinned.problem:  # the value came from the link: shown as typed, never as Markdown
        key, values = pinned.problem
        st.warning(i18n.t(key, view.lang, **{name: markdown_escape(value) for name, value in values.items()}))
    if pinned.snapshot is None:
        return view
    st.html(_banner_style(view.theme) + f'<div class="frozen-banner" role="status">❄ '
            f'{html.escape(banner_text(pinned.snapshot, view.lang))}</div>')
    data = CaseQuery.of(cache.run, pinned.state, pinned.version, view.access)
    return dataclasses.replace(view, state=pinned.state, data=data, notices=view.notices + pinned.notices)


def _case_label(case: str, lang: str) -> str:
    return i18n.t("case_demo", lang) if case == "demo" else case


def _refused(view: View, action: str, **detail) -> bool:
    """Whether ``view``'s user may not write snapshots; a refusal is audited."""
    if view.access.can_import:
        return False
    signin.record(view.access, "denied", outcome=action, case=view.state.case, role=view.access.role, **detail)
    return True


def _freeze(view: View) -> None:
    lang = view.lang
    with st.form("freeze_form", border=False, clear_on_submit=False):
        st.caption(i18n.t("frozen_freeze_help", lang, version=view.version))
        today = i18n.format_date(dt.date.today(), lang)
        name = st.text_input(i18n.t("frozen_name", lang), value=i18n.t("frozen_default_name", lang, date=today),
                             max_chars=MAX_SNAPSHOT_NAME)
        if st.form_submit_button(i18n.t("frozen_freeze", lang), icon=":material/ac_unit:"):
            freeze(view, name)


def freeze(view: View, name: str) -> None:
    """Freeze ``view`` as snapshot ``name``, audited; refused (and audited) for a user who may not import."""
    lang, store = view.lang, cache.get_store()
    if _refused(view, "snapshot_freeze"):
        st.error(i18n.t("frozen_refused", lang))
        return
    try:
        made = store.freeze(view.state.case, name, snapshot_query(view.state), view.version)
    except SnapshotNameError as error:
        problem = i18n.t(f"frozen_name_{error.code}", lang, limit=MAX_SNAPSHOT_NAME)
        st.error(i18n.t("frozen_name_problem", lang, problem=problem))
    except StoreError as error:  # the case or its version went away meanwhile
        st.error(i18n.t("frozen_name_problem", lang, problem=markdown_escape(str(error))))
    else:
        signin.record(view.access, "snapshot_freeze", case=view.state.case, id=made.id, name=made.name,
                      version=made.data_version)
        base = (st.context.url or "").split("?")[0]
        st.success(i18n.t("frozen_saved", lang, id=made.id, link=f"`{base}?snapshot={made.id}`"))


def _viewer(view: View) -> dict[str, str]:
    """The viewer's language and theme for a link (the theme with the front end's switch, as the shell writes it)."""
    return {"lang": view.lang, "theme": view.theme, "embed_options": EMBED_THEME[view.theme]}


def delete(view: View, snapshot_id: int) -> None:
    """Delete snapshot ``snapshot_id``, audited; refused (and audited) for a user who may not import."""
    if _refused(view, "snapshot_delete", id=snapshot_id):
        return
    cache.get_store().delete_frozen(snapshot_id)
    signin.record(view.access, "snapshot_delete", case=view.state.case, id=snapshot_id)
    st.session_state["frozen_deleted"] = snapshot_id  # told once, on the rerun this callback starts


def _listing(view: View) -> None:
    lang = view.lang
    st.markdown(f"**{i18n.t('frozen_list', lang)}**")
    deleted = st.session_state.pop("frozen_deleted", None)
    if deleted is not None:
        st.caption(i18n.t("frozen_deleted", lang, id=deleted))
    snapshots = cache.get_store().frozen_snapshots(view.state.case)
    if not snapshots:
        st.caption(i18n.t("frozen_none", lang))
    for snapshot in snapshots:
        row = i18n.t("frozen_row", lang, id=snapshot.id, name=snapshot.name, version=snapshot.data_version,
                     date=f"{i18n.format_date(snapshot.taken_at, lang)} {snapshot.taken_at:%H:%M}")
        text, open_link, remove = st.columns([6, 1, 1], vertical_alignment="center")
        text.html(f'<span class="frozen-row">{html.escape(row)}</span>')
        query = html.escape(urlencode({"snapshot": snapshot.id, **_viewer(view)}))
        open_link.html(f'<a href="?{query}" target="_self" style="color:{palette(view.theme).primary}">'
                       f'{html.escape(i18n.t("frozen_open", lang))}</a>')
        if view.access.can_import:  # a write: not offered to viewers
            remove.button(i18n.t("frozen_delete", lang), key=f"frozen_delete_{snapshot.id}", on_click=delete,
                          args=(view, snapshot.id), type="tertiary")


def _pack_identity(view: View) -> tuple:
    return (view.state, view.version, view.lang)


def _pack(view: View) -> None:
    lang = view.lang
    st.markdown(f"**{i18n.t('pack_title', lang)}**")
    if st.button(i18n.t("pack_make", lang), key="pack_make", icon=":material/picture_as_pdf:"):
        started = time.perf_counter()
        with st.status(i18n.t("pack_printing", lang), expanded=True) as status:
            bar = st.progress(0.0)
            try:
                slides = briefing.build_slides(view.data, view.places, lang, "light")
                note = i18n.t("illustrative_badge", lang) if view.state.case == "demo" else ""
                footer = pack_footer(_case_label(view.state.case, lang), view.version, view.data.data_as_of(), lang,
                                     note)
                pack = make_pack(slides, lang, footer, progress=lambda done, count: bar.progress(
                    done / count, text=i18n.t("pack_progress", lang, number=done, count=count)))
            except ChartImageError as error:
                status.update(label=i18n.t("pack_failed", lang, reason=str(error)), state="error")
                return
            seconds = f"{time.perf_counter() - started:.1f}"
            status.update(label=i18n.t("pack_done", lang, seconds=seconds), state="complete", expanded=False)
        st.session_state[PACK_KEY] = (_pack_identity(view), pack)
    made = st.session_state.get(PACK_KEY)
    if made is not None and made[0] == _pack_identity(view):
        pack, client = made[1], signin.address()
        pdf, pptx = st.columns(2)
        pdf.download_button(i18n.t("pack_pdf", lang), partial(pack_file, view, pack, "pdf", client), mime=PDF,
                            on_click="ignore", icon=":material/download:",
                            file_name=pack_file_name(view.state.case, view.version, lang, "pdf"))
        pptx.download_button(i18n.t("pack_pptx", lang), partial(pack_file, view, pack, "pptx", client), mime=PPTX,
                             on_click="ignore", icon=":material/download:",
                             file_name=pack_file_name(view.state.case, view.version, lang, "pptx"))


def pack_file(view: View, pack, fmt: str, client: str) -> bytes:
    """The pack's ``fmt`` ("pdf" or "pptx") as its button hands it out, the download audited as an export."""
    signin.record(view.access, "export", client=client, kind="briefing_pack", format=fmt, case=view.state.case,
                  version=view.version, lang=view.lang)
    return pack.pdf if fmt == "pdf" else pack.pptx


def brief_tools(view: View, slide: briefing.Slide) -> None:
    """The briefing's "⋯" menu: freeze (for those who may import), the snapshots, the pack, the chart as a PNG."""
    with st.popover("⋯", help=i18n.t("frozen_tools", view.lang)):
        if view.access.can_import:
            _freeze(view)
            st.divider()
        _listing(view)
        st.divider()
        _pack(view)
        if slide.figures:
            st.divider()
            png_download(slide.figures[0], f"png_{slide.key}", view, f"briefing-{slide.key}")
