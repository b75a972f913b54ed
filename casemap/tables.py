"""Tables a person reads: translated headers, place labels, vocabulary labels, formatted amounts.

Pure functions, no streamlit. Each ``*_table`` returns a display frame in the
row order of its input, so a selected row maps back to the source frame by
position. Text from the case (names, addresses, ``extra``) is passed through
as text; the page shows it with ``st.dataframe``, which never renders markup.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from casemap import charts, i18n, maps, network, vocab
from casemap.charts import place_labels

SUSPECT_COLUMNS = (
    ("suspect_id", "tbl_id"),
    ("name", "tbl_name"),
    ("role", "tbl_role"),
    ("status", "tbl_status"),
    ("place", "tbl_place"),
    ("amount_yuan", "tbl_amount"),
    ("arrest_date", "tbl_arrest_date"),
)
DETAIL_FIELDS = (
    ("suspect_id", "tbl_id"),
    ("name", "tbl_name"),
    ("role", "tbl_role"),
    ("status", "tbl_status"),
    ("place", "tbl_place"),
    ("address", "tbl_address"),
    ("amount_yuan", "tbl_amount"),
    ("arrest_date", "tbl_arrest_date"),
    ("phone_cards", "tbl_phone_cards"),
    ("wechat_accounts", "tbl_wechat"),
    ("qq_accounts", "tbl_qq"),
)


def header(key: str, lang: str) -> str:
    """A translated column header."""
    return i18n.t(key, lang)


def suspect_places(suspects: pd.DataFrame, places: pd.DataFrame, lang: str) -> list[str]:
    """"Province · city" labels per suspect (the province alone when the city is unknown)."""
    provinces = place_labels(suspects["province_adcode"], places, lang)
    cities = place_labels(suspects["city_adcode"].fillna(""), places, lang)
    return [p if not c else f"{p} · {c}" for p, c in zip(provinces, cities)]


def suspects_table(suspects: pd.DataFrame, places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The suspects as shown in the table: labels translated, amount and date kept sortable.

    ``suspects`` is one page of rows (:func:`casemap.query.rows.suspect_page`);
    searching, sorting and paging happen in the database.
    """
    values = {
        "suspect_id": suspects["suspect_id"].to_numpy(),
        "name": suspects["name"].fillna("").to_numpy(),
        "role": [vocab.label(vocab.ROLES, v, lang) for v in suspects["role"]],
        "status": [vocab.label(vocab.STATUSES, v, lang) for v in suspects["status"]],
        "place": suspect_places(suspects, places, lang),
        "amount_yuan": suspects["amount_yuan"].to_numpy(dtype="float64"),
        "arrest_date": suspects["arrest_date"].dt.date.to_numpy(),
    }
    return pd.DataFrame({header(key, lang): values[field] for field, key in SUSPECT_COLUMNS})


def extra_fields(extra: str | None) -> list[tuple[str, str]]:
    """The ``extra`` JSON object as (key, value-as-text) pairs; unreadable JSON comes back whole."""
    if not extra:
        return []
    try:
        data = json.loads(extra)
    except ValueError:
        return [("extra", str(extra))]
    if not isinstance(data, dict):
        return [("extra", str(extra))]
    return [(str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for k, v in data.items()]


def _detail_value(field: str, row: pd.Series, places: pd.DataFrame, lang: str) -> str:
    value = row.get(field)
    if field == "place":
        return suspect_places(row.to_frame().T, places, lang)[0]
    if value is None or pd.isna(value):
        return "—"
    if field == "role":
        return vocab.label(vocab.ROLES, value, lang)
    if field == "status":
        return vocab.label(vocab.STATUSES, value, lang)
    if field == "amount_yuan":
        return i18n.format_yuan(float(value), lang, compact=False)
    if field == "arrest_date":
        return i18n.format_date(pd.Timestamp(value).date(), lang)
    if field == "qq_accounts":
        return ", ".join(part.strip() for part in str(value).split(",") if part.strip())
    return str(value)


def person_name(row: pd.Series) -> str:
    """A suspect's name, or their id when the name is blank."""
    name = row.get("name")
    return name if isinstance(name, str) and name.strip() else str(row["suspect_id"])


def suspect_detail(row: pd.Series, places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One suspect as (field, value) rows: the record, phone cards, WeChat, QQ, then every ``extra`` entry."""
    rows = [(header(key, lang), _detail_value(field, row, places, lang)) for field, key in DETAIL_FIELDS]
    rows += extra_fields(row.get("extra"))
    return pd.DataFrame(rows, columns=[header("tbl_field", lang), header("tbl_value", lang)])


def ranking_table(values: pd.DataFrame, metric: str, places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Places ranked by ``metric``, that metric's column first, then every other map metric, formatted.

    Indexed by adcode, so a chosen row names its place.
    """
    ordered = values.sort_index(kind="stable").sort_values(metric, ascending=False, kind="stable")
    out = pd.DataFrame({
        header("tbl_rank", lang): range(1, len(ordered) + 1),
        header("tbl_place", lang): place_labels(ordered.index, places, lang),
    }, index=pd.Index(ordered.index, name="adcode"))
    for column in (metric, *(m for m in maps.MAP_METRICS if m != metric and m in ordered.columns)):
        out[charts.metric_label(column, lang)] = [charts.format_metric(v, column, lang) for v in ordered[column]]
    return out


def parties_table(parties: pd.DataFrame, suspects: pd.DataFrame, places: pd.DataFrame, lang: str,
                  *, side: str = "payer") -> pd.DataFrame:
    """Top payers (``side="payer"``) or payees from :func:`casemap.flows.top_parties`, as a person reads them."""
    known = suspects.drop_duplicates("suspect_id").set_index("suspect_id")
    listed = parties.index.isin(known.index)
    found = known.reindex(parties.index)
    outside = i18n.t("flows_overseas", lang)
    return pd.DataFrame({
        header("tbl_name", lang): [
            (name if isinstance(name, str) and name else pid) if ok else i18n.t("network_external", lang, party=pid)
            for pid, name, ok in zip(parties.index, found["name"], listed)
        ],
        header("tbl_role", lang): [vocab.label(vocab.ROLES, r, lang) if ok else "—" for r, ok in zip(found["role"], listed)],
        header("tbl_place", lang): [
            suspect_places(known.loc[[pid]], places, lang)[0] if ok else outside for pid, ok in zip(parties.index, listed)
        ],
        header("tbl_amount_paid" if side == "payer" else "tbl_amount_received", lang):
            [i18n.format_yuan(v, lang) for v in parties["amount_yuan"]],
        header("tbl_payments", lang): parties["payments"].astype(int).to_numpy(),
        header("tbl_counterparts", lang): parties["counterparts"].astype(int).to_numpy(),
    })


def key_persons_table(graph, names: Mapping[str, str], lang: str, *, n: int = 10,
                      ranks: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``n`` most central nodes of a payment graph: name, role, counterparts, amount moved, betweenness.

    ``names`` maps adcodes to display labels, as for :func:`casemap.network.node_label`;
    ``ranks`` is :func:`casemap.network.centrality` of ``graph`` when already computed.
    """
    ranks = (network.centrality(graph) if ranks is None else ranks).head(n)
    data = [graph.nodes[node] for node in ranks.index]
    return pd.DataFrame({
        header("tbl_name", lang): [network.node_label(node, d, names, lang) for node, d in zip(ranks.index, data)],
        header("tbl_role", lang): [vocab.label(vocab.ROLES, d["role"], lang) if d["role"] else "—" for d in data],
        header("tbl_status", lang): [vocab.label(vocab.STATUSES, d["status"], lang) if d["status"] else "—" for d in data],
        header("tbl_counterparts", lang): ranks["degree"].astype(int).to_numpy(),
        header("tbl_amount_moved", lang): [i18n.format_yuan(v, lang) for v in ranks["amount_moved_yuan"]],
        header("tbl_betweenness", lang): ranks["betweenness"].astype(float).round(3).to_numpy(),
    })


def counterparts_table(found: pd.DataFrame, places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A person's counterparts (:meth:`casemap.query.CaseQuery.counterparts`) as a person reads them, in its row order.

    A counterpart that is no suspect of the case shows as an overseas account.
    """
    listed = found["name"].notna() | found["role"].notna()
    return pd.DataFrame({
        header("tbl_name", lang): [
            (name or pid) if ok else i18n.t("network_external", lang, party=pid)
            for pid, name, ok in zip(found["counterpart_id"], found["name"], listed)
        ],
        header("tbl_id", lang): found["counterpart_id"].to_numpy(),
        header("tbl_direction", lang): [i18n.t(f"tbl_direction_{d}", lang) for d in found["direction"]],
        header("tbl_amount_moved_yuan", lang): found["amount_yuan"].to_numpy(dtype="float64"),
        header("tbl_payments", lang): found["payments"].astype(int).to_numpy(),
        header("tbl_role", lang): [vocab.label(vocab.ROLES, r, lang) if ok else "—" for r, ok in zip(found["role"], listed)],
        header("tbl_status", lang): [
            vocab.label(vocab.STATUSES, s, lang) if ok else "—" for s, ok in zip(found["status"], listed)
        ],
        header("tbl_place", lang): [
            place if ok else i18n.t("flows_overseas", lang)
            for place, ok in zip(suspect_places(found.fillna({"province_adcode": ""}), places, lang), listed)
        ],
        header("tbl_first_payment", lang): found["first_time"].dt.date.to_numpy(),
        header("tbl_last_payment", lang): found["last_time"].dt.date.to_numpy(),
    })
