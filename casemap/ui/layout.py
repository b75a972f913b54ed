"""Rows of columns that reflow on narrow screens; the rules are in ``layout.css`` beside this file.

Streamlit stacks columns only on a phone. A laptop with the sidebar open has
room for neither six headline cards nor a chart with a table beside it: these
rows reflow by the width they actually get.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

CSS = Path(__file__).with_name("layout.css")
# Key prefixes of the containers the rules apply to (Streamlit turns a key into the class "st-key-" + key).
CARDS, STACK = "cards-", "stack-"


def load_css() -> None:
    """Add the layout rules to the page (a style-only ``st.html`` takes no space)."""
    st.html(CSS)


def cards(count: int, key: str):
    """``count`` columns for headline cards: all in one row on a wall screen, three per row on a laptop."""
    return st.container(key=CARDS + key).columns(count)


def side_by_side(spec, key: str):
    """Columns that sit side by side on a wide screen and stack when their row is narrower."""
    return st.container(key=STACK + key).columns(spec)


BRIEF_CSS = Path(__file__).with_name("brief.css")
BRIEF_JS = Path(__file__).with_name("brief.js")


def brief_keys(auto_seconds: str | None) -> None:
    """The briefing's chrome off, and its keys on: →, space and Page Down go on, ← and Page Up go back.

    Every ``auto_seconds`` (the page's ``auto=`` setting; None for never) the
    next slide comes, round to the first after the last. The script clicks
    the page's own arrow buttons, so a key does just what a click does.
    """
    st.html(BRIEF_CSS)
    script = BRIEF_JS.read_text(encoding="utf-8").replace("__AUTO_SECONDS__", str(int(auto_seconds or 0)))
    st.html(f'<span class="casemap-script"></span><script>{script}</script>', unsafe_allow_javascript=True)


THEME_JS = Path(__file__).with_name("theme.js")
THEME_RERUN_KEY = "theme_rerun"  # the hidden button the script presses when the page's theme changes


def theme_sync(drawn: str, label: str) -> None:
    """Keep the figures in the page's theme, however it was chosen.

    A link's ``theme`` without the front end's ``embed_options`` would leave
    the page in the other theme: the script adds it and reloads once. A theme
    chosen in the menu or by the system changes the page without a rerun:
    the script watches the page's background and, when it no longer matches
    ``drawn`` (the theme the figures were styled in), presses a hidden button (``label``)
    so the page reruns and the shell styles the figures for the theme the
    browser now reports. Printing uses light text rules (``layout.css``).
    """
    st.button(label, key=THEME_RERUN_KEY)  # hidden by layout.css; a click is a rerun
    script = THEME_JS.read_text(encoding="utf-8").replace("__EMBED__", '{"light": "light_theme", "screen": "dark_theme"}')
    st.html(f'<span class="casemap-script casemap-theme" data-drawn="{drawn}"></span><script>{script}</script>',
            unsafe_allow_javascript=True)
