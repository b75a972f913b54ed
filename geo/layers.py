"""Load the shipped boundary layers and place tables from ``data/geo/`` (built by ``geo.build``).

Loaders cache with ``functools.lru_cache``. :func:`load_places` and
:func:`counties` return the cached frames themselves: treat them as read-only
(``.copy()`` before changing). The other functions return new frames. The browser fetches the GeoJSON itself from the
URLs :func:`layer_url` returns: the app serves ``data/geo/`` as Streamlit static
files under ``app/static/``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
STATIC_URL = "app/static/"
LEVELS = ("province", "city")
SOUTH_SEA_LINE = "south_sea_line.json"

def _read_csv(name: str) -> pd.DataFrame:
    frame = pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)
    for column in ("label_lon", "label_lat"):
        if column in frame:
            frame[column] = frame[column].astype(float)
    return frame


@lru_cache(maxsize=1)
def load_places() -> pd.DataFrame:
    """Return every province and city (adcode, level, name, short_name, pinyin, province_adcode, label_lon/lat)."""
    return _read_csv("places.csv")


def provinces() -> pd.DataFrame:
    """Return the 34 provinces, one row each, in adcode order."""
    frame = load_places()
    return frame[frame["level"] == "province"].reset_index(drop=True)


def cities(province_adcode: str | None = None) -> pd.DataFrame:
    """Return the prefecture-level units, nationally or of one province, in adcode order."""
    frame = load_places()
    rows = frame["level"] == "city"
    if province_adcode is not None:
        rows &= frame["province_adcode"] == str(province_adcode)
    return frame[rows].reset_index(drop=True)


@lru_cache(maxsize=1)
def counties() -> pd.DataFrame:
    """Return every county or district: adcode, name, city_adcode."""
    return _read_csv("counties.csv")


def place(adcode: str) -> dict:
    """Return one province's or city's row as a dict; the province row where both share a code (台湾, 香港, 澳门).

    Raises
    ------
    KeyError
        If no province or city has this adcode.
    """
    frame = load_places()
    rows = frame[frame["adcode"] == str(adcode)]
    if rows.empty:
        raise KeyError(adcode)
    return rows.sort_values("level", key=lambda s: s != "province").iloc[0].to_dict()


@lru_cache(maxsize=64)
def _read_layer(name: str) -> gpd.GeoDataFrame:
    path = DATA_DIR / f"{name}.geojson"
    if not path.is_file() or DATA_DIR not in path.resolve().parents:
        raise ValueError(f"no layer {name!r} in {DATA_DIR}")
    collection = json.loads(path.read_text(encoding="utf-8"))
    return gpd.GeoDataFrame.from_features(collection, crs="EPSG:4326")[["adcode", "name", "geometry"]]


def read_layer(name: str) -> gpd.GeoDataFrame:
    """Return a shipped layer (``"provinces"``, ``"cities"``, ``"cities/430000"``): adcode, name, geometry."""
    return _read_layer(name).copy()


def layer_url(level: str, province_adcode: str | None = None) -> str:
    """Return the relative URL the browser fetches a layer from (``app/static/cities/430000.geojson``).

    Parameters
    ----------
    level : {"province", "city"}
        Provinces nationally, or cities.
    province_adcode : str, optional
        For cities only: the province to drill into, whose file has finer borders.
    """
    if level == "province" and province_adcode is None:
        return f"{STATIC_URL}provinces.geojson"
    if level == "city" and province_adcode is None:
        return f"{STATIC_URL}cities.geojson"
    if level == "city" and str(province_adcode) in set(provinces()["adcode"]):
        return f"{STATIC_URL}cities/{province_adcode}.geojson"
    raise ValueError(f"no layer for level={level!r}, province_adcode={province_adcode!r}")


@lru_cache(maxsize=1)
def south_sea_lines() -> list[tuple[list[float], list[float]]]:
    """Return the dashes of the maritime boundary line in the South China Sea as (lons, lats) per dash.

    The cached list itself is returned: treat it as read-only.
    """
    data = json.loads((DATA_DIR / SOUTH_SEA_LINE).read_text(encoding="utf-8"))
    return [([lon for lon, _ in dash], [lat for _, lat in dash]) for dash in data["lines"]]
