"""The reference figures: plain pandas over whole frames, the way Casemap computed them before the query layer.

The query layer must give the same figures as these for the same filters
(tests/test_query.py checks it on hand-made, demo and generated cases). They
are test code only: the app never loads a whole case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casemap import vocab
from casemap.filters import FilterState
from casemap.schema import province_of_city

_STATUS_COLUMNS = tuple(term.value for term in vocab.STATUSES)
_FREQS = {"W": "W-SUN", "MS": "M"}
_PERIOD = _FREQS
FREQS = ("W", "MS")
OVERSEAS = "overseas"
UNRECORDED = "unrecorded"


@dataclass(frozen=True, eq=False)
class Filtered:
    """The suspects and payments left after applying a FilterState."""

    suspects: pd.DataFrame
    payments: pd.DataFrame


def _in_dates(times: pd.Series, state: FilterState) -> pd.Series:
    keep = pd.Series(True, index=times.index)
    if state.date_from:
        keep &= times >= pd.Timestamp(state.date_from)
    if state.date_to:
        keep &= times < pd.Timestamp(state.date_to) + pd.Timedelta(days=1)
    return keep & times.notna() if (state.date_from or state.date_to) else keep


def _in_amounts(amounts: pd.Series, low: float | None, high: float | None) -> pd.Series:
    keep = pd.Series(True, index=amounts.index)
    if low is not None:
        keep &= amounts >= low
    if high is not None:
        keep &= amounts <= high
    return keep


def _in_places(suspects: pd.DataFrame, state: FilterState) -> pd.Series:
    # A city narrows its own province; a selected province with no selected
    # city is kept whole. A city alone implies its province.
    if not (state.provinces or state.cities):
        return pd.Series(True, index=suspects.index)
    narrowed = {province_of_city(c) for c in state.cities}
    whole = [p for p in state.provinces if p not in narrowed]
    return suspects["city_adcode"].isin(state.cities) | suspects["province_adcode"].isin(whole)


def apply(state: FilterState, suspects: pd.DataFrame, payments: pd.DataFrame) -> Filtered:
    """Return the suspects and payments that pass ``state``.

    Suspects: active in [date_from, date_to], that is arrested in it or
    paying or paid in it; place, role, status; amount involved in the amount
    range (an unknown amount is dropped only when a bound is set).
    Payments: time in the date range, channel, purpose, payment-amount range; and
    when a suspect-level filter (place, role, status, amount involved) is
    set, only payments whose payer or payee is among the filtered suspects.
    The network of one suspect keeps that suspect and everyone they paid or
    were paid by in a payment that passes the payment-level filters, and
    only the payments that suspect made or received.
    """
    active = _in_dates(suspects["arrest_date"], state)
    if state.date_from or state.date_to:
        in_period = payments[_in_dates(payments["time"], state).to_numpy(dtype=bool)]
        active |= suspects["suspect_id"].isin(set(in_period["payer_id"]) | set(in_period["payee_id"]))
    keep = active & _in_places(suspects, state)
    if state.roles:
        keep &= suspects["role"].isin(state.roles)
    if state.statuses:
        keep &= suspects["status"].isin(state.statuses)
    keep &= _in_amounts(suspects["amount_yuan"], state.min_amount, state.max_amount)
    paid = _in_dates(payments["time"], state) & _in_amounts(payments["amount_yuan"], state.min_payment,
                                                             state.max_payment)
    if state.channels:
        paid &= payments["channel"].isin(state.channels)
    if state.purposes:
        paid &= purposes_of(payments).isin(state.purposes)
    if state.network is not None:
        person = state.network
        own = payments[paid.to_numpy(dtype=bool)]
        members = {person, *own.loc[own["payer_id"] == person, "payee_id"], *own.loc[own["payee_id"] == person, "payer_id"]}
        keep &= suspects["suspect_id"].isin(members)
        paid &= (payments["payer_id"] == person) | (payments["payee_id"] == person)
    kept_suspects = suspects[keep.to_numpy(dtype=bool)].reset_index(drop=True)

    if state.filters_suspects:
        ids = kept_suspects["suspect_id"]
        paid &= payments["payer_id"].isin(ids) | payments["payee_id"].isin(ids)
    kept_payments = payments[paid.to_numpy(dtype=bool)].reset_index(drop=True)
    return Filtered(suspects=kept_suspects, payments=kept_payments)



def arrests_in_period(suspects: pd.DataFrame, state: FilterState) -> pd.DataFrame:
    """The suspects with every arrest date outside the date range blanked: what counts over time see.

    A suspect active in the range but arrested after it was still free then.
    """
    out = suspects.copy()
    out["arrest_date"] = out["arrest_date"].where(_in_dates(out["arrest_date"], state))
    return out


def apply_in_scope(state: FilterState, provinces, suspects: pd.DataFrame, payments: pd.DataFrame) -> Filtered:
    """``apply`` for a user who may see only ``provinces`` (``None``: every province).

    The scope is one more suspect filter, always set: the suspects outside it
    are never shown, only payments whose payer or payee is shown are, and a
    payment with an end among the suspects outside the scope is never shown.
    """
    if provinces is None:
        return apply(state, suspects, payments)
    inside = suspects["province_adcode"].isin(sorted(provinces))
    seen = suspects[inside].reset_index(drop=True)
    outside = set(suspects.loc[~inside, "suspect_id"])
    payments = payments[~(payments["payer_id"].isin(outside) | payments["payee_id"].isin(outside))]
    shown = apply(state, seen, payments.reset_index(drop=True))
    ids = shown.suspects["suspect_id"]
    follows = shown.payments["payer_id"].isin(ids) | shown.payments["payee_id"].isin(ids)
    return Filtered(suspects=shown.suspects, payments=shown.payments[follows.to_numpy(dtype=bool)].reset_index(drop=True))

def headline(suspects: pd.DataFrame, payments: pd.DataFrame) -> dict:
    """Return the headline figures: counts as ints, yuan as floats rounded to 2 dp.

    ``provinces`` and ``cities`` count distinct known adcodes among suspects;
    unknown amounts (NaN) are left out of ``amount_yuan``.
    """
    return {
        "suspects": len(suspects),
        "arrested": int((suspects["status"] == "arrested").sum()),
        "provinces": int(suspects["province_adcode"].dropna().nunique()),
        "cities": int(suspects["city_adcode"].dropna().nunique()),
        "amount_yuan": round(float(suspects["amount_yuan"].sum()), 2),
        "payments": len(payments),
        "payments_yuan": round(float(payments["amount_yuan"].sum()), 2),
    }


def _by_place(suspects: pd.DataFrame, key: str, payments: pd.DataFrame | None) -> pd.DataFrame:
    # Counting with bincount over factorised codes: this runs on every filter
    # change, and it is several times faster than crosstab/groupby here.
    places = suspects[suspects[key].notna()]
    codes, index = pd.factorize(places[key].to_numpy(dtype=object), sort=True)
    size = len(index)
    out = pd.DataFrame(index=pd.Index(index, name=key, dtype="object"))
    out["suspects"] = np.bincount(codes, minlength=size).astype("int64")
    statuses = places["status"].to_numpy(dtype=object)
    for status in _STATUS_COLUMNS:
        out[status] = np.bincount(codes, weights=statuses == status, minlength=size).astype("int64")
    amounts = np.nan_to_num(places["amount_yuan"].to_numpy(dtype="float64"))  # unknown counts as nothing
    out["amount_yuan"] = np.bincount(codes, weights=amounts, minlength=size)
    if payments is not None:
        place_of = dict(zip(places["suspect_id"], codes))
        paid = payments["amount_yuan"].to_numpy(dtype="float64")
        for column, party in (("payments_out_yuan", "payer_id"), ("payments_in_yuan", "payee_id")):
            where = np.array([place_of.get(party_id, -1) for party_id in payments[party]], dtype="int64")
            known = where >= 0
            out[column] = np.bincount(where[known], weights=paid[known], minlength=size)
    return out


def by_province(suspects: pd.DataFrame, payments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return per-province figures, indexed by ``province_adcode``.

    Columns: ``suspects``, ``arrested``, ``at_large``, ``under_investigation``,
    ``amount_yuan``; with ``payments`` also ``payments_out_yuan`` and
    ``payments_in_yuan``: a payment counts for the payer's (payee's) province
    as recorded in ``suspects``; parties not in ``suspects`` (e.g. overseas)
    are not attributed.
    """
    return _by_place(suspects, "province_adcode", payments)


def by_city(suspects: pd.DataFrame, payments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return per-city figures indexed by ``city_adcode``, with a ``province_adcode`` column.

    Same columns and attribution as ``by_province``; suspects with an unknown city are left out.
    """
    out = _by_place(suspects, "city_adcode", payments)
    province = suspects.dropna(subset=["city_adcode"]).groupby("city_adcode")["province_adcode"].first()
    out.insert(0, "province_adcode", province.reindex(out.index).astype("str"))
    return out


def arrests_over_time(suspects: pd.DataFrame, freq: str = "W") -> pd.DataFrame:
    """Return arrests per period: columns ``period`` (period start), ``arrested``, ``cumulative``.

    ``freq`` is ``"W"`` (weeks starting Monday) or ``"MS"`` (calendar months).
    Periods between the first and last arrest with no arrest appear with 0.
    Only suspects with status arrested and a known arrest date count.
    """
    if freq not in _FREQS:
        raise ValueError(f"freq must be one of {tuple(_FREQS)}, got {freq!r}")
    dates = suspects.loc[(suspects["status"] == "arrested") & suspects["arrest_date"].notna(), "arrest_date"]
    if dates.empty:
        return pd.DataFrame({
            "period": pd.Series([], dtype="datetime64[ns]"),
            "arrested": pd.Series([], dtype="int64"),
            "cumulative": pd.Series([], dtype="int64"),
        })
    periods = dates.dt.to_period(_FREQS[freq])
    counts = periods.value_counts().sort_index()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq=_FREQS[freq])
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({
        "period": full.start_time.astype("datetime64[ns]"),
        "arrested": counts.to_numpy(dtype="int64"),
        "cumulative": counts.cumsum().to_numpy(dtype="int64"),
    })


def amount_by_channel(payments: pd.DataFrame) -> pd.DataFrame:
    """Return ``payments`` (count) and ``amount_yuan`` per channel, every channel in display order."""
    channels = [term.value for term in vocab.CHANNELS]
    grouped = payments.groupby("channel")["amount_yuan"]
    out = pd.DataFrame({"payments": grouped.size(), "amount_yuan": grouped.sum()})
    out = out.reindex(channels, fill_value=0)
    out.index.name = "channel"
    return out.astype({"payments": "int64", "amount_yuan": "float64"})


def _periods(times: pd.Series, freq: str) -> pd.Series:
    return times.dt.to_period(_PERIOD[freq]).dt.start_time.astype("datetime64[ns]")


def case_span(suspects: pd.DataFrame, payments: pd.DataFrame, milestones: pd.DataFrame | None = None):
    """The first and last dated event of the case (payment, arrest or milestone), or (None, None)."""
    parts = [payments["time"], suspects["arrest_date"], *([milestones["date"]] if milestones is not None else [])]
    stamps = pd.concat([part.dropna() for part in parts])
    return (stamps.min(), stamps.max()) if len(stamps) else (None, None)


def activity_by_period(
    suspects: pd.DataFrame,
    payments: pd.DataFrame,
    freq: str = "MS",
    *,
    span: tuple | None = None,
) -> pd.DataFrame:
    """Arrests and traced payments per period, every period of ``span`` present.

    Columns: ``period`` (start), ``arrested``, ``cumulative`` (arrested so
    far), ``arrested_amount_yuan`` (amount involved of those arrested in the
    period), ``payments``, ``payments_yuan`` and one ``yuan_<channel>`` per
    channel. ``span`` defaults to the first and last arrest or payment.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, got {freq!r}")
    start, end = span if span else case_span(suspects, payments)
    channels = vocab.values(vocab.CHANNELS)
    columns = ["period", "arrested", "cumulative", "arrested_amount_yuan", "payments", "payments_yuan",
               *(f"yuan_{c}" for c in channels)]
    if start is None:
        return pd.DataFrame({c: pd.Series([], dtype="datetime64[ns]" if c == "period" else "float64") for c in columns})
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=_PERIOD[freq]).start_time
    out = pd.DataFrame(index=pd.DatetimeIndex(periods.astype("datetime64[ns]"), name="period"))
    arrests = arrests_over_time(suspects, freq).set_index("period")
    out["arrested"] = arrests["arrested"].reindex(out.index, fill_value=0).astype("int64")
    out["cumulative"] = out["arrested"].cumsum()
    arrested = suspects[(suspects["status"] == "arrested") & suspects["arrest_date"].notna()]
    out["arrested_amount_yuan"] = (
        arrested.groupby(_periods(arrested["arrest_date"], freq))["amount_yuan"].sum().reindex(out.index, fill_value=0.0)
    )
    paid = payments.assign(period=_periods(payments["time"], freq))
    out["payments"] = paid.groupby("period").size().reindex(out.index, fill_value=0).astype("int64")
    out["payments_yuan"] = paid.groupby("period")["amount_yuan"].sum().reindex(out.index, fill_value=0.0)
    by_channel = paid.pivot_table(index="period", columns="channel", values="amount_yuan", aggfunc="sum")
    for channel in channels:
        column = by_channel[channel] if channel in by_channel.columns else pd.Series(dtype="float64")
        out[f"yuan_{channel}"] = column.reindex(out.index).fillna(0.0).astype("float64")
    return out.reset_index()[columns]


def first_active(suspects: pd.DataFrame, payments: pd.DataFrame) -> pd.Series:
    """When each suspect is first seen active, indexed by ``suspect_id``.

    A suspect's first payment (paid or received); failing that, the first
    payment of anyone in the same city (the cell they belong to); failing
    that, the case's first payment. An arrest is never before activity, so the
    arrest date caps it. NaT only when the case has no dated event at all.
    """
    seen = pd.concat([payments.set_index("payer_id")["time"], payments.set_index("payee_id")["time"]])
    frame = pd.DataFrame({
        "own": seen.groupby(level=0).min().reindex(suspects["suspect_id"]).to_numpy(),
        "city": suspects["city_adcode"].to_numpy(),
        "arrest": suspects["arrest_date"].to_numpy(),
    }, index=suspects["suspect_id"])
    start = frame["own"].fillna(frame.groupby("city")["own"].transform("min"))
    start = start.fillna(payments["time"].min() if len(payments) else pd.NaT)
    return pd.concat([start, frame["arrest"]], axis=1).min(axis=1).astype("datetime64[ns]")


def _month_number(times: pd.Series) -> pd.Series:
    return times.dt.year * 12 + times.dt.month - 1


def spread_by_month(suspects: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """Per month and province: suspects active so far, arrested so far, and still free (``open``).

    Long frame with columns ``month`` (first day), ``province_adcode``,
    ``active``, ``arrested``, ``open``; every province with a suspect appears
    in every month from the first activity to the last arrest.
    """
    columns = ["month", "province_adcode", "active", "arrested", "open"]
    start = _month_number(first_active(suspects, payments)).to_numpy()
    if np.isnan(start).all():
        return pd.DataFrame(columns=columns)
    arrested = _month_number(suspects["arrest_date"].where(suspects["status"] == "arrested")).to_numpy()
    provinces = suspects["province_adcode"].to_numpy()
    frames = []
    for month in range(int(np.nanmin(start)), int(np.nanmax(np.append(arrested, start))) + 1):
        counts = pd.DataFrame({"active": start <= month, "arrested": arrested <= month}, index=provinces)
        counts = counts.groupby(level=0).sum().rename_axis("province_adcode").reset_index()
        counts.insert(0, "month", pd.Timestamp(year=month // 12, month=month % 12 + 1, day=1))
        frames.append(counts)
    out = pd.concat(frames, ignore_index=True)
    out["open"] = out["active"] - out["arrested"]
    return out[columns].astype({"active": "int64", "arrested": "int64", "open": "int64"})


def _flows(payments: pd.DataFrame, suspects: pd.DataFrame, column: str, *between: str) -> pd.DataFrame:
    """Payments summed by the payer's and payee's ``column`` of ``suspects`` (and ``between`` payment columns)."""
    of_party = suspects.drop_duplicates("suspect_id").set_index("suspect_id")[column]
    pairs = pd.DataFrame({
        "source": payments["payer_id"].map(of_party).fillna(OVERSEAS).to_numpy(),
        **{name: payments[name].to_numpy() for name in between},
        "target": payments["payee_id"].map(of_party).fillna(OVERSEAS).to_numpy(),
        "amount_yuan": payments["amount_yuan"].to_numpy(dtype="float64"),
    })
    names = ["source", *between, "target"]
    out = pairs.groupby(names, as_index=False).agg(amount_yuan=("amount_yuan", "sum"), payments=("amount_yuan", "size"))
    return out.sort_values(["amount_yuan", *names], ascending=[False, *[True] * len(names)], ignore_index=True)


def province_flows(payments: pd.DataFrame, suspects: pd.DataFrame) -> pd.DataFrame:
    """Payments summed by (payer's province, payee's province), largest first.

    ``suspects`` should be the whole case, so that a payment kept by a filter
    still finds a counterpart outside the filter. Columns ``source``,
    ``target`` (adcode or :data:`OVERSEAS`), ``amount_yuan``, ``payments``.
    """
    return _flows(payments, suspects, "province_adcode")


def role_flows(payments: pd.DataFrame, suspects: pd.DataFrame) -> pd.DataFrame:
    """Payments summed by (payer's role, channel, payee's role), largest first.

    ``suspects`` should be the whole case, as for :func:`province_flows`.
    Columns ``source``, ``channel``, ``target`` (role or :data:`OVERSEAS`),
    ``amount_yuan``, ``payments``.
    """
    return _flows(payments, suspects, "role", "channel")


def purposes_of(payments: pd.DataFrame) -> pd.Series:
    """Each payment's purpose as filters and totals see it: trimmed, a blank one ``unrecorded``."""
    return payments["purpose"].fillna("").astype(str).str.strip().replace("", UNRECORDED)


def totals_by_purpose(payments: pd.DataFrame) -> pd.DataFrame:
    """``payments`` and ``amount_yuan`` per purpose, largest first; blank purposes are ``unrecorded``."""
    purpose = purposes_of(payments)
    grouped = payments.assign(purpose=purpose.to_numpy()).groupby("purpose")["amount_yuan"]
    out = pd.DataFrame({"payments": grouped.size(), "amount_yuan": grouped.sum()})
    return out.sort_values("amount_yuan", ascending=False).astype({"payments": "int64", "amount_yuan": "float64"})


def top_parties(payments: pd.DataFrame, suspects: pd.DataFrame, side: str, *, n: int = 10,
                role: str | None = None) -> pd.DataFrame:
    """The ``n`` parties that paid (``side="payer"``) or received (``"payee"``) the most.

    Indexed by party id with ``amount_yuan``, ``payments``, ``counterparts``
    (distinct parties on the other side); ``role`` keeps only suspects of that
    role (e.g. ``"number_vendor"`` for the top vendors).
    """
    own, other = ("payer_id", "payee_id") if side == "payer" else ("payee_id", "payer_id")
    grouped = payments.groupby(own)
    out = pd.DataFrame({
        "amount_yuan": grouped["amount_yuan"].sum(),
        "payments": grouped.size(),
        "counterparts": grouped[other].nunique(),
    })
    if role is not None:
        out = out[out.index.isin(suspects.loc[suspects["role"] == role, "suspect_id"])]
    out.index.name = "party_id"
    return out.sort_values(["amount_yuan"], ascending=False, kind="stable").head(n)


def explained_share(suspects: pd.DataFrame, payments: pd.DataFrame) -> dict:
    """How much of the amount involved the traced payments account for.

    ``{"payments_yuan", "amount_yuan", "share"}``; ``share`` is
    payments_yuan / amount_yuan, None when no amount is known.
    """
    traced = float(payments["amount_yuan"].sum())
    involved = float(suspects["amount_yuan"].sum())
    return {"payments_yuan": traced, "amount_yuan": involved, "share": traced / involved if involved > 0 else None}


def data_as_of(suspects: pd.DataFrame, payments: pd.DataFrame):
    """The date of the latest dated event in the case (an arrest or a payment), None if none."""
    dates = [d for d in (suspects["arrest_date"].max(), payments["time"].max()) if pd.notna(d)]
    return max(dates).date() if dates else None


def natural_freq(dates: pd.Series, weeks_up_to_days: int = 120) -> str:
    """Weeks ("W") for a span of up to ``weeks_up_to_days`` days between the known dates, else months ("MS")."""
    known = dates.dropna()
    if known.empty:
        return "W"
    return "W" if (known.max() - known.min()).days <= weeks_up_to_days else "MS"


def counterparts(person: str, payments: pd.DataFrame, suspects: pd.DataFrame) -> pd.DataFrame:
    """Whom ``person`` paid and was paid by among ``payments``, a row per counterpart and direction.

    ``suspects`` is the whole case as far as the user may see it: where a
    counterpart's record is looked up. Largest amount first.
    """
    pays = payments["payer_id"] == person
    own = payments[(pays | (payments["payee_id"] == person)).to_numpy(dtype=bool)]
    pays = own["payer_id"] == person
    moved = own.assign(counterpart_id=own["payee_id"].where(pays, own["payer_id"]),
                       direction=np.where(pays, "paid", "received"))
    out = moved.groupby(["counterpart_id", "direction"], as_index=False).agg(
        amount_yuan=("amount_yuan", "sum"), payments=("amount_yuan", "size"),
        first_time=("time", "min"), last_time=("time", "max"))
    records = suspects.drop_duplicates("suspect_id").set_index("suspect_id")
    found = records.reindex(out["counterpart_id"])
    for column in ("name", "role", "status", "province_adcode", "city_adcode"):
        values = found[column].astype(object).where(found[column].notna(), None).to_numpy()
        out[column] = pd.Series(values, index=out.index, dtype=object)
    out["counterpart_amount_yuan"] = found["amount_yuan"].to_numpy(dtype="float64")
    columns = ["counterpart_id", "name", "role", "status", "province_adcode", "city_adcode",
               "counterpart_amount_yuan", "direction", "amount_yuan", "payments", "first_time", "last_time"]
    out = out[columns].sort_values(["amount_yuan", "counterpart_id", "direction"], ascending=[False, True, True])
    return out.reset_index(drop=True)


def counterpart_places(found: pd.DataFrame, level: str) -> pd.DataFrame:
    """``counterparts`` per counterpart province or city: counterparts, arrested, their amount involved, paid, received."""
    column = f"{level}_adcode"
    rows = {}
    for code, there in found[found[column].notna()].groupby(column):
        people = there.drop_duplicates("counterpart_id")
        rows[code] = {
            "suspects": len(people),
            "arrested": int((people["status"] == "arrested").sum()),
            "amount_yuan": float(people["counterpart_amount_yuan"].sum()),
            "payments_out_yuan": float(there.loc[there["direction"] == "paid", "amount_yuan"].sum()),
            "payments_in_yuan": float(there.loc[there["direction"] == "received", "amount_yuan"].sum()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["suspects", "arrested", "amount_yuan",
                                                                "payments_out_yuan", "payments_in_yuan"])
    out.index.name = column
    return out.sort_index()


def person_payments(person: str, payments: pd.DataFrame, freq: str) -> pd.DataFrame:
    """The payments ``person`` made and received per day, week or month, every period between the first and last."""
    period_of = {"D": "D", "W": "W-SUN", "MS": "M"}[freq]
    own = payments[((payments["payer_id"] == person) | (payments["payee_id"] == person)).to_numpy(dtype=bool)]
    columns = ["period", "paid", "paid_yuan", "received", "received_yuan"]
    if own.empty:
        return pd.DataFrame(columns=columns)
    periods = own["time"].dt.to_period(period_of)
    full = pd.period_range(periods.min(), periods.max(), freq=period_of)
    pays = (own["payer_id"] == person).to_numpy()
    out = pd.DataFrame({"period": full.start_time.astype("datetime64[ns]")})
    for name, way in (("paid", pays), ("received", ~pays)):
        counts = periods[way].value_counts()
        sums = own.loc[way, "amount_yuan"].groupby(periods[way]).sum()
        out[name] = [int(counts.get(p, 0)) for p in full]
        out[f"{name}_yuan"] = [float(sums.get(p, 0.0)) for p in full]
    return out[columns]
