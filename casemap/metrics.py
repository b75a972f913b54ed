"""Small figure helpers over the query layer's per-place results."""

from __future__ import annotations

import pandas as pd

__all__ = ["HEADLINE_KEYS", "top_provinces"]

HEADLINE_KEYS = ("suspects", "arrested", "provinces", "cities", "amount_yuan", "payments", "payments_yuan")


def top_provinces(by_province_frame: pd.DataFrame, metric: str, n: int = 10) -> pd.DataFrame:
    """Return the ``n`` rows with the largest ``metric``; ties go to the lower adcode."""
    if metric not in by_province_frame.columns:
        raise KeyError(f"unknown metric {metric!r}; expected one of {list(by_province_frame.columns)}")
    ordered = by_province_frame.sort_index(kind="stable").sort_values(metric, ascending=False, kind="stable")
    return ordered.head(n)
