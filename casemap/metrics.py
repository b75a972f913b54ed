"""Figures the pages and the CLI show: pure functions over validated case frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casemap import vocab

__all__ = [
    "HEADLINE_KEYS",
    "headline",
    "by_province",
    "by_city",
    "arrests_over_time",
    "top_provinces",
    "amount_by_channel",
]

HEADLINE_KEYS = ("suspects", "arrested", "provinces", "cities", "amount_yuan", "payments", "payments_yuan")
_STATUS_COLUMNS = tuple(term.value for term in vocab.STATUSES)  # arrested, at_large, under_investigation
_FREQS = {"W": "W-SUN", "MS": "M"}  # pandas period for each supported frequency


def headline(suspects: pd.DataFrame, payments: pd.DataFrame) -> dict:
    """Return the headline figures: counts as ints, yuan as floats rounded to 2 dp.

    ``provinces`` and ``cities`` count distinct known adcodes among suspects;
    unknown amounts (NaN) are left out of ``amount_yuan``.
    """
    return {
        "suspects": int(len(suspects)),
        "arrested": int((suspects["status"] == "arrested").sum()),
        "provinces": int(suspects["province_adcode"].dropna().nunique()),
        "cities": int(suspects["city_adcode"].dropna().nunique()),
        "amount_yuan": round(float(suspects["amount_yuan"].sum()), 2),
        "payments": int(len(payments)),
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


def data_as_of(suspects: pd.DataFrame, payments: pd.DataFrame):
    """The date of the latest dated event in the case (an arrest or a payment), None if none."""
    dates = [d for d in (suspects["arrest_date"].max(), payments["time"].max()) if pd.notna(d)]
    return max(dates).date() if dates else None


def natural_freq(dates: pd.Series, weeks_up_to_days: int = 120) -> str:
    """Weeks ("W") for a span of up to ``weeks_up_to_days`` days, else months ("MS")."""
    known = dates.dropna()
    if known.empty:
        return "W"
    return "W" if (known.max() - known.min()).days <= weeks_up_to_days else "MS"


def top_provinces(by_province_frame: pd.DataFrame, metric: str, n: int = 10) -> pd.DataFrame:
    """Return the ``n`` rows with the largest ``metric``; ties go to the lower adcode."""
    if metric not in by_province_frame.columns:
        raise KeyError(f"unknown metric {metric!r}; expected one of {list(by_province_frame.columns)}")
    ordered = by_province_frame.sort_index(kind="stable").sort_values(metric, ascending=False, kind="stable")
    return ordered.head(n)


def amount_by_channel(payments: pd.DataFrame) -> pd.DataFrame:
    """Return ``payments`` (count) and ``amount_yuan`` per channel, every channel in display order."""
    channels = [term.value for term in vocab.CHANNELS]
    grouped = payments.groupby("channel")["amount_yuan"]
    out = pd.DataFrame({"payments": grouped.size(), "amount_yuan": grouped.sum()})
    out = out.reindex(channels, fill_value=0)
    out.index.name = "channel"
    return out.astype({"payments": "int64", "amount_yuan": "float64"})
