"""The link page's tables as a person reads them: communities, shared accounts, the leads; and the leads over time.

Pure functions over the small results of :mod:`casemap.linkgraph` and
:mod:`casemap.query.links`; headers and values in the viewer's language.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from casemap import i18n, link_chart, style, vocab
from casemap.charts import plain_text
from casemap.tables import header

INCOMING_SOURCES = ("two_card_lead", "other_case")  # leads that came in; "investigation" is the task force's own


def _name(graph: nx.Graph, node: str, names: Mapping[str, str], lang: str) -> str:
    return link_chart.node_text(node, graph.nodes[node], names, lang) if node in graph else node


def community_table(graph: nx.Graph, table: pd.DataFrame, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """:func:`casemap.linkgraph.community_table` with names and money as a person reads them."""
    return pd.DataFrame({
        header("tbl_link_community", lang): [i18n.t("link_community", lang, index=i) for i in table["community"]],
        header("tbl_link_people", lang): table["people"].astype(int).to_numpy(),
        header("tbl_link_accounts", lang): table["accounts"].astype(int).to_numpy(),
        header("tbl_link_hub", lang): [_name(graph, hub, names, lang) for hub in table["hub"]],
        header("tbl_link_amount", lang): [i18n.format_yuan(v, lang) for v in table["amount_yuan"]],
    })


def relation_label(relation: str, lang: str) -> str:
    """A relation's display name."""
    return i18n.t(f"link_rel_{relation}", lang)


def shared_table(graph: nx.Graph, shared: pd.DataFrame, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """:func:`casemap.linkgraph.shared_accounts` as a person reads it: masked number, kind, the people by name."""
    return pd.DataFrame({
        header("tbl_link_account", lang): shared["number"].to_numpy(),
        header("tbl_link_kind", lang): [link_chart.kind_label(k, lang) for k in shared["account_kind"]],
        header("tbl_link_count", lang): shared["count"].astype(int).to_numpy(),
        header("tbl_link_shared_by", lang): ["、".join(_name(graph, p, names, lang) for p in people)
                                             for people in shared["people"]],
        header("tbl_link_relations", lang): [", ".join(relation_label(r, lang) for r in relations)
                                             for relations in shared["relations"]],
    })


def lead_rows(leads: pd.DataFrame) -> pd.DataFrame:
    """The incoming leads, one row per source and holder: first date, accounts named by kind, the holder's fate.

    ``leads`` is :func:`casemap.query.links.leads`: one row per account
    with a lead source (``source, date, account, kind, holder, name,
    status, arrest_date``).
    """
    incoming = leads[leads["source"].isin(INCOMING_SOURCES)]
    columns = ["source", "date", "holder", "name", "kinds", "accounts", "status", "arrest_date"]
    if incoming.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (source, holder), part in incoming.groupby(["source", incoming["holder"].fillna("")], sort=False):
        kinds = part["kind"].value_counts()
        rows.append({"source": source, "date": part["date"].min(), "holder": holder or None,
                     "name": part["name"].iloc[0], "kinds": dict(sorted(kinds.items())), "accounts": len(part),
                     "status": part["status"].iloc[0], "arrest_date": part["arrest_date"].iloc[0]})
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["date", "source", "holder"], na_position="last", kind="stable", ignore_index=True)


def _follow_up(row, lang: str) -> str:
    if row.status == "arrested":
        date = "" if pd.isna(row.arrest_date) else f" {pd.Timestamp(row.arrest_date):%Y-%m-%d}"
        return vocab.label(vocab.STATUSES, "arrested", lang) + date
    if isinstance(row.status, str) and row.status:
        return vocab.label(vocab.STATUSES, row.status, lang)
    return i18n.t("link_lead_open", lang)


def leads_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`lead_rows` as a person reads them: source, date, what the lead named, and what became of it."""
    def named(row) -> str:
        accounts = "、".join(i18n.t("link_account_group", lang, count=n, kind=link_chart.kind_label(k, lang))
                             for k, n in row.kinds.items())
        person = f"{row.name or row.holder}" if row.holder else ""
        return f"{person} · {accounts}" if person else accounts

    return pd.DataFrame({
        header("tbl_lead_source", lang): [vocab.label(vocab.LEAD_SOURCES, s, lang) for s in rows["source"]],
        header("tbl_lead_date", lang): [f"{d:%Y-%m-%d}" if not pd.isna(d) else "—" for d in rows["date"]],
        header("tbl_lead_named", lang): [named(row) for row in rows.itertuples(index=False)],
        header("tbl_lead_status", lang): [_follow_up(row, lang) for row in rows.itertuples(index=False)],
    })


def leads_by_month(rows: pd.DataFrame, arrests: pd.DataFrame) -> pd.DataFrame:
    """Leads (by first date) and arrests per month, over the months of either: ``month, leads, arrests``.

    ``arrests`` is :meth:`casemap.query.CaseQuery.arrests_over_time` by month
    (``period``, ``arrested``).
    """
    leads = rows.dropna(subset=["date"])
    lead_months = pd.to_datetime(leads["date"]).dt.to_period("M").value_counts()
    arrest_months = (pd.Series(arrests["arrested"].to_numpy(), index=pd.to_datetime(arrests["period"]).dt.to_period("M"))
                     if not arrests.empty else pd.Series(dtype=int)).groupby(level=0).sum()
    months = sorted({*lead_months.index, *arrest_months.index})
    if not months:
        return pd.DataFrame(columns=["month", "leads", "arrests"])
    span = pd.period_range(months[0], months[-1], freq="M")
    return pd.DataFrame({
        "month": span.to_timestamp(),
        "leads": [int(lead_months.get(m, 0)) for m in span],
        "arrests": [int(arrest_months.get(m, 0)) for m in span],
    })


STORY_MILESTONES = ("leads", "task_force", "first_arrests", "operation")  # drawn as dotted lines on the leads chart
LABELLED_MILESTONES = ("task_force", "operation")  # ... and named (the others sit too close to be named)


def build_leads_chart(frame: pd.DataFrame, *, lang: str, theme: str | None = None, height: int = 380,
                      milestones: pd.DataFrame | None = None) -> go.Figure:
    """Leads and arrests per month as bars side by side: the leads of August 2023 before the arrests they led to.

    ``milestones`` (``date, key, en, zh``) of :data:`STORY_MILESTONES` are dotted lines, some of them named.
    """
    pal = style.palette(theme)
    fig = go.Figure([
        go.Bar(x=frame["month"], y=frame["leads"], name=i18n.t("link_leads_series", lang),
               marker_color=pal.categorical[2 % len(pal.categorical)],
               hovertemplate="%{x|%Y-%m}: %{y}<extra>" + i18n.t("link_leads_series", lang) + "</extra>"),
        go.Bar(x=frame["month"], y=frame["arrests"], name=i18n.t("link_arrests_series", lang),
               marker_color=style.category_color("status", "arrested", theme),
               hovertemplate="%{x|%Y-%m}: %{y}<extra>" + i18n.t("link_arrests_series", lang) + "</extra>"),
    ])
    style.apply_template(fig, theme, title=i18n.t("link_leads_chart_title", lang), height=height)
    fig.update_layout(barmode="group", legend=style.LEGEND_BELOW)
    shown = milestones if milestones is not None else pd.DataFrame(columns=["date", "key", "en", "zh"])
    story = shown[shown["key"].isin(STORY_MILESTONES)]
    last = story["date"].max() if len(story) else None
    for row in story.itertuples(index=False):
        fig.add_vline(x=pd.Timestamp(row.date).timestamp() * 1000, line={"color": pal.muted, "dash": "dot", "width": 1})
        if row.key in LABELLED_MILESTONES:
            # The last one reads leftwards, so two names at the two ends of the chart never run into each other.
            right = row.date == last
            # ... and sits lower, so the two never overlap on a phone either.
            fig.add_annotation(x=pd.Timestamp(row.date), y=0.88 if right else 0.98, yref="paper",
                               text=plain_text(getattr(row, lang)),
                               showarrow=False, xanchor="right" if right else "left", yanchor="top",
                               xshift=-4 if right else 4, font={"color": pal.text})
    if len(frame):
        fig.update_xaxes(range=[frame["month"].min() - pd.Timedelta(days=20), frame["month"].max() + pd.Timedelta(days=20)])
    fig.update_xaxes(tickformat="%Y-%m", dtick="M2")
    fig.update_yaxes(title=i18n.t("link_leads_axis", lang), rangemode="tozero")
    return fig
