"""Counts per day bucketed into weeks or months: pure pandas over the small per-day results of the queries.

Weeks start on Monday (``"W"``), months on the 1st (``"MS"``).
"""

from __future__ import annotations

import pandas as pd

from casemap import vocab

FREQS = ("W", "MS")
PANDAS_PERIODS = {"W": "W-SUN", "MS": "M"}  # the pandas period behind each frequency


def _periods(times: pd.Series, freq: str) -> pd.Series:
    return times.dt.to_period(PANDAS_PERIODS[freq]).dt.start_time.astype("datetime64[ns]")



def arrests_over_time(daily: pd.DataFrame, freq: str = "W") -> pd.DataFrame:
    """Return arrests per period from arrests per day: columns ``period`` (start), ``arrested``, ``cumulative``.

    ``daily`` has a ``day`` and an ``arrested`` column (see
    :func:`casemap.query.figures.arrests_by_day`). ``freq`` is ``"W"`` (weeks
    starting Monday) or ``"MS"`` (calendar months). Periods between the first
    and last arrest with no arrest appear with 0.
    """
    if freq not in PANDAS_PERIODS:
        raise ValueError(f"freq must be one of {tuple(PANDAS_PERIODS)}, got {freq!r}")
    daily = daily[daily["arrested"] > 0]
    if daily.empty:
        return pd.DataFrame({
            "period": pd.Series([], dtype="datetime64[ns]"),
            "arrested": pd.Series([], dtype="int64"),
            "cumulative": pd.Series([], dtype="int64"),
        })
    periods = pd.to_datetime(daily["day"]).dt.to_period(PANDAS_PERIODS[freq])
    counts = daily["arrested"].groupby(periods.to_numpy()).sum()
    full = pd.period_range(periods.min(), periods.max(), freq=PANDAS_PERIODS[freq])
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({
        "period": full.start_time.astype("datetime64[ns]"),
        "arrested": counts.to_numpy(dtype="int64"),
        "cumulative": counts.cumsum().to_numpy(dtype="int64"),
    })



def natural_freq(first, last, weeks_up_to_days: int = 120) -> str:
    """Weeks ("W") for a span of up to ``weeks_up_to_days`` days between ``first`` and ``last``, else months ("MS")."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "W"
    return "W" if (pd.Timestamp(last) - pd.Timestamp(first)).days <= weeks_up_to_days else "MS"



def activity_by_period(
    arrests: pd.DataFrame,
    payments: pd.DataFrame,
    freq: str = "MS",
    *,
    span: tuple | None = None,
) -> pd.DataFrame:
    """Arrests and traced payments per period, every period of ``span`` present.

    ``arrests`` has ``day``, ``arrested`` and ``amount_yuan`` (of those
    arrested) per day; ``payments`` has ``day``, ``channel``, ``payments``
    and ``amount_yuan`` per day and channel (see :mod:`casemap.query.figures`).
    Columns: ``period`` (start), ``arrested``, ``cumulative`` (arrested so
    far), ``arrested_amount_yuan``, ``payments``, ``payments_yuan`` and one
    ``yuan_<channel>`` per channel. ``span`` defaults to the first and last
    arrest or payment day.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, got {freq!r}")
    if span is None or span[0] is None:
        days = pd.concat([arrests["day"], payments["day"]])
        span = (days.min(), days.max()) if len(days) else (None, None)
    start, end = span
    channels = vocab.values(vocab.CHANNELS)
    columns = ["period", "arrested", "cumulative", "arrested_amount_yuan", "payments", "payments_yuan",
               *(f"yuan_{c}" for c in channels)]
    if start is None:
        return pd.DataFrame({c: pd.Series([], dtype="datetime64[ns]" if c == "period" else "float64") for c in columns})
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=PANDAS_PERIODS[freq]).start_time
    out = pd.DataFrame(index=pd.DatetimeIndex(periods.astype("datetime64[ns]"), name="period"))
    arrested = arrests.groupby(_periods(pd.to_datetime(arrests["day"]), freq).to_numpy())
    out["arrested"] = arrested["arrested"].sum().reindex(out.index, fill_value=0).astype("int64")
    out["cumulative"] = out["arrested"].cumsum()
    out["arrested_amount_yuan"] = arrested["amount_yuan"].sum().reindex(out.index, fill_value=0.0).astype("float64")
    paid = payments.assign(period=_periods(pd.to_datetime(payments["day"]), freq))
    out["payments"] = paid.groupby("period")["payments"].sum().reindex(out.index, fill_value=0).astype("int64")
    out["payments_yuan"] = paid.groupby("period")["amount_yuan"].sum().reindex(out.index, fill_value=0.0)
    by_channel = paid.pivot_table(index="period", columns="channel", values="amount_yuan", aggfunc="sum")
    for channel in channels:
        column = by_channel[channel] if channel in by_channel.columns else pd.Series(dtype="float64")
        out[f"yuan_{channel}"] = column.reindex(out.index).fillna(0.0).astype("float64")
    return out.reset_index()[columns]


