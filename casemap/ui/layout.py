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
