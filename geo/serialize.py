"""Deterministic text for the shipped files: the same input always gives the same bytes.

Keys are sorted, features and rows come in adcode order, floats are written in
their shortest form after rounding, lines end in ``\\n`` and nothing records a time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import shapely


def _dumps(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def multipolygon_json(geometry: shapely.Geometry) -> dict:
    """Return a (Multi)Polygon as a GeoJSON MultiPolygon, rings as they are (no re-orientation)."""
    polygons = []
    for polygon in shapely.get_parts(geometry):
        rings = [polygon.exterior, *polygon.interiors]
        polygons.append([shapely.get_coordinates(ring).tolist() for ring in rings])
    return {"type": "MultiPolygon", "coordinates": polygons}


def feature(adcode: str, name: str, geometry: shapely.Geometry) -> dict:
    """Return a GeoJSON Feature keyed by adcode, with properties adcode and name only."""
    return {
        "type": "Feature",
        "id": adcode,
        "properties": {"adcode": adcode, "name": name},
        "geometry": multipolygon_json(geometry),
    }


def feature_collection_text(features: Iterable[dict]) -> str:
    """Return a FeatureCollection, one feature per line, features sorted by id."""
    lines = [_dumps(f) for f in sorted(features, key=lambda f: f["id"])]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def lines_text(lines: Iterable[Sequence[Sequence[float]]]) -> str:
    """Return ``{"lines": [...]}``, one line (a list of [lon, lat] pairs) per text line, in the given order."""
    rows = [_dumps([[float(x), float(y)] for x, y in line]) for line in lines]
    return '{"lines":[\n' + ",\n".join(rows) + "\n]}\n"


def json_text(value) -> str:
    """Return a JSON document with sorted keys, indented for reading and diffing."""
    return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def compact_json_text(value) -> str:
    """Return a JSON document with sorted keys and no whitespace."""
    return _dumps(value) + "\n"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Return CSV text with a header row and ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def coordinate(value: float, decimals: int) -> str:
    """Return a coordinate with a fixed number of decimals."""
    return f"{np.round(value, decimals):.{decimals}f}"


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
