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
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
