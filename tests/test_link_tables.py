"""The link page's tables and the leads over time, from small hand-made results."""

from __future__ import annotations

import pandas as pd
import pytest

from casemap import link_tables


def leads() -> pd.DataFrame:
    """Two two-card leads on Zhou's numbers in August 2023, one on Li's WeChat; one other case; one of the task
    force's own finds, which is no incoming lead."""
    rows = [
        ("two_card_lead", "2023-08-08", "A1", "phone", "S1", "周某", "arrested", "2023-10-12"),
        ("two_card_lead", "2023-08-08", "A2", "phone", "S1", "周某", "arrested", "2023-10-12"),
        ("two_card_lead", "2023-08-20", "A3", "wechat", "S3", "李某", "at_large", None),
        ("other_case", "2024-02-01", "A4", "usdt_wallet", None, None, None, None),
        ("investigation", "2024-01-20", "A5", "alipay", "S2", "夏某", "arrested", "2024-08-03"),
    ]
    frame = pd.DataFrame(rows, columns=["source", "date", "account", "kind", "holder", "name", "status", "arrest_date"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["arrest_date"] = pd.to_datetime(frame["arrest_date"])
    return frame


def test_lead_rows_are_one_per_source_and_holder_with_the_accounts_they_named():
    rows = link_tables.lead_rows(leads())
    assert rows["holder"].tolist()[:2] == ["S1", "S3"] and pd.isna(rows["holder"].iloc[2])
    zhou = rows.iloc[0]
    assert zhou["kinds"] == {"phone": 2} and zhou["accounts"] == 2 and zhou["status"] == "arrested"
    assert "investigation" not in set(rows["source"])


@pytest.mark.parametrize(("lang", "arrested", "open_"), [("en", "Arrested 2023-10-12", "At large"),
                                                          ("zh", "已抓获 2023-10-12", "在逃")])
def test_the_leads_table_says_what_each_lead_named_and_what_became_of_it(lang, arrested, open_):
    table = link_tables.leads_table(link_tables.lead_rows(leads()), lang)
    follow_up = table.iloc[:, 3].tolist()
    assert follow_up[0] == arrested and follow_up[1] == open_
    assert table.iloc[0, 1] == "2023-08-08"
    assert "周某" in table.iloc[0, 2] and ("2 × phone" if lang == "en" else "2 个手机号") in table.iloc[0, 2]
    assert table.iloc[2, 3] == link_tables.i18n.t("link_lead_open", lang)  # a wallet with no holder: still open


def test_leads_and_arrests_per_month_cover_every_month_between():
    arrests = pd.DataFrame({"period": pd.to_datetime(["2023-10-01", "2024-08-01"]), "arrested": [5, 57],
                            "cumulative": [5, 62]})
    frame = link_tables.leads_by_month(link_tables.lead_rows(leads()), arrests)
    assert frame["month"].iloc[0] == pd.Timestamp("2023-08-01") and frame["month"].iloc[-1] == pd.Timestamp("2024-08-01")
    assert len(frame) == 13
    by_month = frame.set_index("month")
    assert by_month.loc["2023-08-01", "leads"] == 2  # Zhou and Li, one lead each
    assert by_month.loc["2024-02-01", "leads"] == 1
    assert by_month.loc["2024-08-01", "arrests"] == 57 and frame["arrests"].sum() == 62


def test_the_leads_chart_draws_leads_before_arrests():
    arrests = pd.DataFrame({"period": pd.to_datetime(["2023-10-01"]), "arrested": [5], "cumulative": [5]})
    frame = link_tables.leads_by_month(link_tables.lead_rows(leads()), arrests)
    milestones = pd.DataFrame({"date": pd.to_datetime(["2023-08-08", "2023-08-15", "2024-08-01"]),
                               "key": ["leads", "task_force", "activity_start"], "en": ["L", "T", "A"],
                               "zh": ["线", "专案组", "始"]})
    fig = link_tables.build_leads_chart(frame, lang="zh", theme="screen", milestones=milestones)
    assert [t.name for t in fig.data] == ["线索", "抓获"]
    assert len(fig.layout.shapes) == 2  # the leads and the task force; the start of activity is no part of the story
    assert [a.text for a in fig.layout.annotations if a.text in ("线", "专案组", "始")] == ["专案组"]
    assert sum(fig.data[0].y) == 3 and sum(fig.data[1].y) == 5


def test_no_incoming_lead_gives_empty_rows_and_an_empty_month_table():
    rows = link_tables.lead_rows(leads().iloc[4:])
    assert rows.empty
    empty = pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns]"), "arrested": pd.Series([], dtype=int)})
    assert link_tables.leads_by_month(rows, empty).empty
