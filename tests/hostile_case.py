"""A case made of hostile text: every free-text field carries markup for Plotly, Markdown or HTML.

Shared by the unit tests of the chart builders (tests/test_hardening.py) and
the browser tests (tests/browser/test_hostile.py). The rows are the tiny
case's (tests/tiny_case.py), so every page and chart has something to draw.
"""

from __future__ import annotations

import pandas as pd

from casemap.schema import CaseData, validate_milestones, validate_payments, validate_suspects
from tests import tiny_case

NAME = "hostile"
# Each payload carries a marker word, so a test can find where it landed.
LINK = '<a href="https://evil.invalid/login">LOGIN</a>'
HUGE = '<span style="font-size:90px">HUGE</span>'
BREAK = "QQ<br>RR"
BOLD = "<b>BOLD</b>"
IMAGE = '<img src="https://evil.invalid/pixel.png">'
MARKDOWN = "![x](https://evil.invalid/t.png) [Session expired: sign in again](https://evil.invalid/) :red[RED]"
PAYLOADS = (LINK, HUGE, BREAK, BOLD, IMAGE, MARKDOWN)
# What must never appear as markup in a figure: the tags of the payloads, as typed.
TAGS = ("<a ", "<span", "<img", "QQ<br>RR", "<b>BOLD")
# A suspect id with markup: ids show in hovers, labels and tables.
VENDOR_ID = "V3" + BOLD


def suspects() -> pd.DataFrame:
    """The tiny case's suspects, named with the payloads; an address and a QQ field with markup too."""
    frame = tiny_case.suspects().copy()
    frame["suspect_id"] = frame["suspect_id"].replace({"V3": VENDOR_ID})
    frame["name"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(frame))]
    frame["address"] = HUGE
    frame["qq_accounts"] = LINK
    return validate_suspects(frame)


def payments() -> pd.DataFrame:
    """The tiny case's payments, their purposes the payloads, the overseas party's id a link."""
    frame = tiny_case.payments().copy()
    frame["purpose"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(frame))]
    frame["payee_id"] = frame["payee_id"].replace({"OVERSEAS-1": "OVERSEAS " + LINK, "V3": VENDOR_ID})
    return validate_payments(frame)


def milestones() -> pd.DataFrame:
    """Two milestones whose texts are payloads, in both languages."""
    return validate_milestones(pd.DataFrame({
        "date": pd.to_datetime(["2023-08-15", "2024-08-02"]),
        "key": ["m1", "m2"],
        "en": [LINK + " " + BREAK, HUGE + " " + BOLD],
        "zh": [IMAGE + " " + BREAK, MARKDOWN],
    }))


def case() -> CaseData:
    """The whole hostile case."""
    return CaseData(suspects=suspects(), payments=payments(), milestones=milestones())


def places() -> pd.DataFrame:
    """The tiny case's places with hostile names and pinyin, for builders that label places."""
    frame = tiny_case.PLACES.copy()
    frame["name"] = [PAYLOADS[i % len(PAYLOADS)] + code for i, code in enumerate(frame["adcode"])]
    frame["short_name"] = frame["name"]
    frame["pinyin"] = BREAK
    return frame
