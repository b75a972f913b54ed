"""Print size and fidelity figures for the shipped boundary layers (not pass/fail).

For each layer: bytes, gzip bytes, features, vertices, tolerance, and the worst
border deviation from the unsimplified AMap source, measured here independently
of the build (a vertex-sampled Hausdorff distance, geo.topology.boundary_deviation)
next to the bound the build recorded in the manifest, in degrees and in pixels of
a 1920 px wide national view. Then the median time to load each layer.

    python bench/geo_layers.py

Needs the build-time packages (requirements-build.txt) for the source boundaries.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from pathlib import Path

import shapely
from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import build, layers  # noqa: E402
from geo.source import read_boundary, read_index  # noqa: E402
from geo.topology import boundary_deviation  # noqa: E402

PIXEL_DEG = 62 / 1920  # China spans about 62° of longitude


def _read(paths: list[Path]) -> dict[str, shapely.Geometry]:
    shapes = {}
    for path in paths:
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            shapes[feature["id"]] = shape(feature["geometry"])
    return shapes


def _median_seconds(load, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        layers._read_layer.cache_clear()
        started = time.perf_counter()
        load()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    index = read_index()
    source = {"province": {u.adcode: read_boundary(u.path) for u in index.provinces}}
    source["city"] = {u.adcode: read_boundary(u.path) for u in index.cities}
    manifest = {e["path"]: e for e in json.loads((layers.DATA_DIR / "manifest.json").read_text())["files"]}
    drilldown = sorted((layers.DATA_DIR / "cities").glob("*.geojson"))
    rows = [
        ("provinces", "province", [layers.DATA_DIR / "provinces.geojson"], build.PROVINCE_RULE),
        ("cities", "city", [layers.DATA_DIR / "cities.geojson"], build.CITY_RULE),
        ("cities/<province> (all 34)", "city", drilldown, build.DRILLDOWN_RULE),
    ]
    header = f"{'layer':28} {'bytes':>9} {'gzip':>8} {'features':>8} {'vertices':>8} {'tol °':>6} "
    header += f"{'worst °':>8} {'px':>5} {'bound °':>8} {'px':>5}"
    print(header)
    for label, level, paths, rule in rows:
        data = [p.read_bytes() for p in paths]
        shapes = _read(paths)
        codes = sorted(shapes)
        worst = boundary_deviation([source[level][c] for c in codes], [shapes[c] for c in codes], rule.min_area)
        bound = max(manifest[p.relative_to(layers.DATA_DIR).as_posix()]["max_deviation_deg"] for p in paths)
        print(
            f"{label:28} {sum(map(len, data)):>9,} {sum(len(gzip.compress(d, 9)) for d in data):>8,} "
            f"{len(shapes):>8} {int(shapely.get_num_coordinates(list(shapes.values())).sum()):>8,} "
            f"{rule.tolerance:>6} {worst:>8.4f} {worst / PIXEL_DEG:>5.2f} {bound:>8.4f} {bound / PIXEL_DEG:>5.2f}"
        )
    print("\nmedian load time, 5 runs (read_layer):")
    for name in ("provinces", "cities", "cities/430000"):
        print(f"  {name:16} {_median_seconds(lambda: layers.read_layer(name)) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
