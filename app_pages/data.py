"""Data: upload case files, see what each row became, store the accepted rows, undo, history."""

import time
from functools import partial

import streamlit as st

from casemap import exporter, importer, parse_worker
from casemap.exporter import markdown_escape as esc
from casemap.i18n import t
from casemap.readers import UPLOAD_LIMIT_MB
from casemap.store import (
    DEMO_CASE,
    CaseNameError,
    DuplicateKeyError,
    NothingToUndoError,
    ReadOnlyCaseError,
    StoreError,
    UnknownLinkEndError,
    case_name_problem,
)
from casemap.ui import cache
from casemap.view import View

NEW_CASE = "\x00new"
PARSED_KEY = "data_parsed"  # (file name, upload id) -> its ImportResult or ImportFileError
NAME_LIMIT = 120  # characters of a file or sheet name shown
COLUMNS_SHOWN = 20  # extra columns named under a list; the mapping table has them all
REJECTS_SHOWN = 1_000  # rejected rows sent to the browser as a table; the download has them all


def short(name: str) -> str:
    """A file or sheet name cut to :data:`NAME_LIMIT` characters, for a message."""
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


def templates(lang: str) -> None:
    """Blank case files with the headers the import understands."""
    with st.expander(t("template_heading", lang)):
        header_lang = st.radio(
            t("template_lang", lang), ["zh", "en"], horizontal=True, key="data_template_lang",
            format_func=lambda code: {"en": "English", "zh": "中文"}[code],
        )
        for column, kind in zip(st.columns(len(importer.KINDS)), importer.KINDS):
            column.download_button(
                t("template_download", lang, kind=t(f"kind_{kind}", lang)),
                exporter.template_csv(kind, header_lang),
                file_name=f"casemap-{kind}-template-{header_lang}.csv", mime="text/csv", key=f"data_template_{kind}",
            )
        st.caption(t("template_help", lang))


def read_upload(upload, lang: str):
    """Parse an uploaded file once per content, in a worker process; later reruns reuse the result.

    While the worker runs, a line says so and counts the seconds; each update
    is where this run learns that its visitor left or removed the file, and
    stops, ending the worker (see :mod:`casemap.parse_worker`). The result
    lives in this session's state only (freed with the session), until its
    rows are stored or the file is taken off the uploader.
    """
    done = st.session_state.setdefault(PARSED_KEY, {})
    key = (upload.name, upload.file_id)
    if key not in done:
        note, started = st.empty(), time.monotonic()

        def tick() -> None:
            seconds = int(time.monotonic() - started)
            note.caption(esc(t("upload_reading", lang, file=short(upload.name), seconds=seconds)))

        done[key] = parse_worker.parse_upload(upload.getvalue(), upload.name, tick)
        note.empty()
    return done[key]


def forget_removed(uploads) -> None:
    """Drop the parsed results of files no longer on the uploader: a removed file holds no memory."""
    done = st.session_state.get(PARSED_KEY)
    if done:
        current = {(upload.name, upload.file_id) for upload in uploads}
        for key in [key for key in done if key not in current]:
            del done[key]


def show_list(parsed, number: int, lang: str) -> None:
    """One list: its kind, counts, column mapping and rejected rows."""
    with st.container(border=True):
        st.subheader(esc(parsed.label, NAME_LIMIT))
        st.markdown(t("list_kind", lang, kind=t(f"kind_{parsed.kind}", lang), row=parsed.header_row))
        figures = [("metric_rows", parsed.rows), ("metric_accepted", parsed.accepted), ("metric_rejected", parsed.rejected)]
        for column, (key, value) in zip(st.columns(3), figures):
            column.metric(t(key, lang), f"{value:,}")
        with st.expander(t("mapping_heading", lang)):
            st.dataframe(parsed.mapping_frame(lang), hide_index=True)
        if parsed.unused:
            st.caption(esc(t("unused_columns", lang, columns=", ".join(parsed.unused[:COLUMNS_SHOWN])))
                       + (" " + t("param_ignored_more", lang, count=f"{len(parsed.unused) - COLUMNS_SHOWN:,}")
                          if len(parsed.unused) > COLUMNS_SHOWN else ""))
        if parsed.rejected:
            st.markdown(f"**{t('rejects_heading', lang)}**")
            st.dataframe(parsed.rejects_frame(lang, REJECTS_SHOWN), hide_index=True)
            if parsed.rejected > REJECTS_SHOWN:
                st.caption(t("rejects_shown", lang, shown=f"{REJECTS_SHOWN:,}", total=f"{parsed.rejected:,}"))
            st.download_button(  # the file is made when the button is clicked, not on every rerun
                t("rejects_download", lang), partial(exporter.rejects_csv, [parsed], lang),
                file_name=f"{parsed.label.replace(' › ', '-')}-rejected.csv", mime="text/csv",
                key=f"data_rejects_{number}", on_click="ignore",
            )


def uploaded_lists(lang: str) -> list:
    """The uploaded files, each parsed and shown; the results that can be stored."""
    uploads = st.file_uploader(
        t("upload_label", lang), type=["csv", "xlsx"], accept_multiple_files=True, max_upload_size=UPLOAD_LIMIT_MB,
        key=f"data_uploads_{st.session_state.get('data_upload_round', 0)}",
    )
    st.caption(t("upload_help", lang, limit=UPLOAD_LIMIT_MB))
    forget_removed(uploads or [])
    results = []
    for upload in uploads or []:
        outcome = read_upload(upload, lang)
        if isinstance(outcome, importer.ImportFileError):
            st.error(esc(t("file_problem", lang, file=short(upload.name), message=outcome.message(lang))))
            continue
        for sheet, error in outcome.skipped:
            st.warning(esc(t("sheet_skipped", lang, sheet=short(sheet), message=error.message(lang))))
        for parsed in outcome.lists:
            show_list(parsed, sum(len(r.lists) for r in results) + outcome.lists.index(parsed), lang)
        results.append(outcome)
    return results


def store_accepted_rows(store, case: str, mode: str, results: list, lang: str) -> None:
    """Commit every uploaded list at once; on success rerun so every page sees the new data version."""
    stored = store.cases()
    problem = case_name_problem(case, () if case in stored else stored)  # a stored case takes more rows as it is
    if problem is not None:
        st.error(esc(problem.message(lang)))
        return
    user = st.user.get("email") if st.user.get("is_logged_in") else None
    accepted = sum(p.accepted for r in results for p in r.lists)
    try:
        version = importer.commit(store, case, results, mode=mode, user=user)
    except ReadOnlyCaseError:
        st.error(t("commit_demo", lang))
    except CaseNameError as error:
        st.error(esc(error.message(lang)))
    except DuplicateKeyError as error:
        st.error(esc(t("commit_duplicates", lang, detail=error)))
    except UnknownLinkEndError as error:
        detail = ", ".join(error.missing[:5]) + (" …" if len(error.missing) > 5 else "")
        st.error(esc(t("commit_link_ends_unknown", lang, count=error.rows, case=case, detail=detail)))
    except StoreError as error:
        st.error(esc(t("commit_failed", lang, detail=error)))
    else:
        if version is None:  # every row was rejected: no case was created and there is nothing to undo
            st.warning(t("commit_nothing", lang))
            return
        cache.reader(case, version)  # the pages' snapshot of the new version, built while the spinner still turns
        st.session_state["data_notice"] = t("commit_done", lang, accepted=f"{accepted:,}", case=esc(case), version=version)
        st.session_state["data_pending_case"] = case
        st.session_state["data_upload_round"] = st.session_state.get("data_upload_round", 0) + 1
        st.session_state.pop(PARSED_KEY, None)
        st.rerun()


def undo_and_history(store, choice: str, lang: str) -> None:
    """Undo the last import of the chosen case, and its import history."""
    if st.button(t("undo_button", lang, case=esc(choice)), key="data_undo"):
        try:
            version = store.undo_last_import(choice)
        except NothingToUndoError as error:
            st.warning(t(f"undo_{'changed' if error.reason == 'changed' else 'nothing'}", lang, case=esc(choice)))
        else:
            cache.reader(choice, version)
            st.session_state["data_notice"] = t("undo_done", lang, case=esc(choice))
            st.rerun()
    history = importer.history_frame(store, choice, lang)
    if history.empty:
        st.caption(t("history_empty", lang, case=esc(choice)))
    else:
        st.dataframe(history, hide_index=True)


def render(view: View) -> None:
    """Draw the import page."""
    lang = view.lang
    store = cache.get_store()
    st.title(t("data_title", lang))
    st.caption(t("data_intro", lang))
    if "data_notice" in st.session_state:  # what the last store or undo did, shown once after its rerun
        st.success(st.session_state.pop("data_notice"))
    templates(lang)
    results = uploaded_lists(lang)

    st.divider()
    st.subheader(t("commit_heading", lang))
    if "data_pending_case" in st.session_state:
        st.session_state["data_case"] = st.session_state.pop("data_pending_case")
    existing = [case for case in store.cases() if case != DEMO_CASE]  # fresh: this page is what adds cases
    choice = st.selectbox(
        t("commit_case", lang), [*existing, NEW_CASE], key="data_case",
        format_func=lambda case: t("commit_new_case", lang) if case == NEW_CASE else case,
    )
    case = st.text_input(t("commit_new_name", lang), key="data_new_case").strip() if choice == NEW_CASE else choice
    mode = st.radio(t("commit_mode", lang), ["append", "replace"], horizontal=True, key="data_mode",
                    format_func=lambda m: t(f"mode_{m}", lang))
    accepted = sum(p.accepted for r in results for p in r.lists)
    if st.button(t("commit_button", lang, accepted=f"{accepted:,}"), type="primary",
                 disabled=not (accepted and case), key="data_commit"):
        store_accepted_rows(store, case, mode, results, lang)

    st.subheader(t("undo_heading", lang))
    if choice == NEW_CASE:
        st.caption(t("history_pick_case", lang))
        return
    undo_and_history(store, choice, lang)

