"""The layer build: python -m geo.build reproduces data/geo/ byte for byte; the simplifier keeps topology.

The rebuild is slow (about 15 s) and marked so, but never skipped: it needs the
build-time packages in requirements-build.txt. The simplifier tests use tiny
made-up coverages and run in milliseconds.
"""

import numpy as np
import pytest
import shapely

from geo import build
from geo.layers import DATA_DIR
from geo.topology import Coverage, Rule, boundary_deviation

RULE = Rule(tolerance=0.05, min_area=0.01, group_distance=0.5, grid=0.001)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("geo")
    build.build(out, log=lambda *_: None)
    return out


def _files(root):
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_rebuild_is_byte_identical(rebuilt):
    shipped, fresh = _files(DATA_DIR), _files(rebuilt)
    assert sorted(fresh) == sorted(shipped)
    assert [name for name in shipped if shipped[name].read_bytes() != fresh[name].read_bytes()] == []


def test_cli_takes_an_output_directory(tmp_path, monkeypatch):
    written = []
    monkeypatch.setattr(build, "build", lambda out: written.append(out))
    assert build.main(["--out", str(tmp_path)]) == 0
    assert written == [tmp_path]


def _wiggly_pair():
    """Two unit squares side by side; their shared border zigzags by 0.01 with many vertices."""
    y = np.linspace(0, 1, 201)
    border = np.column_stack([1 + 0.01 * np.sin(y * 60), y])
    left = shapely.Polygon(np.vstack([[[0, 0]], border, [[0, 1]]]))
    right = shapely.Polygon(np.vstack([border, [[2, 1]], [[2, 0]]]))
    assert shapely.coverage_is_valid(shapely.GeometryCollection([left, right]))
    return left, right


def test_neighbours_keep_one_identical_simplified_border():
    left, right = _wiggly_pair()
    result = Coverage([left, right]).simplify(RULE)
    a, b = result.shapes
    assert shapely.coverage_is_valid(shapely.GeometryCollection([a, b]))
    assert a.intersection(b).area == 0 and abs(a.union(b).area - 2) < 0.01  # no overlap, no gap
    assert shapely.get_num_coordinates(a) < 40  # it was simplified: 200 border vertices are gone
    shared = a.boundary.intersection(b.boundary)
    assert shared.length >= 1


def test_exteriors_come_out_clockwise_and_holes_counter_clockwise():
    outer = shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2))
    inner = shapely.box(1, 1, 2, 2)
    for polygon in [p for shape in Coverage([outer, inner]).simplify(RULE).shapes for p in shape.geoms]:
        assert not polygon.exterior.is_ccw
        assert all(hole.is_ccw for hole in polygon.interiors)


def test_deviation_bound_covers_the_measured_deviation():
    left, right = _wiggly_pair()
    result = Coverage([left, right]).simplify(RULE)
    measured = boundary_deviation([left, right], result.shapes)
    assert measured <= result.max_deviation + 1e-12
    assert result.max_deviation <= RULE.tolerance + RULE.grid


def test_island_rule_keeps_one_island_per_group_and_marks_specks():
    mainland = shapely.box(0, 0, 1, 1)
    near = shapely.box(1.1, 0.5, 1.15, 0.55)  # small, 0.1 from the mainland: dropped
    far = shapely.box(3, 3, 3.05, 3.05)  # small, far away: kept as the group's island
    far_twin = shapely.box(3.1, 3, 3.15, 3.05)  # same size and group as `far`, listed later: dropped
    speck = shapely.box(6, 6, 6.0002, 6.0002)  # smaller than the grid: drawn as a marker
    unit = shapely.MultiPolygon([mainland, near, far, far_twin, speck])
    result = Coverage([unit]).simplify(RULE)
    parts = list(result.shapes[0].geoms)
    assert len(parts) == 3
    assert not any(p.intersects(near) for p in parts)
    assert any(p.intersects(far) for p in parts) and not any(p.intersects(far_twin) for p in parts)
    marker = [p for p in parts if p.distance(speck) < 0.01]
    assert len(marker) == 1 and result.markers == 1
    assert abs(marker[0].area - RULE.marker**2) < 1e-12


def test_label_point_is_inside_every_version():
    square = shapely.box(0, 0, 1, 1)
    notched = square.difference(shapely.box(0.4, 0.4, 1, 0.6))
    x, y = build.label_point([square, notched])
    assert notched.contains(shapely.Point(x, y)) and square.contains(shapely.Point(x, y))
