"""Empty base maps for Plotly's geo traces, so a map renders with no network.

A ``go.Choropleth`` (any trace on a ``geo`` subplot) always fetches a base TopoJSON
named ``<scope>_<resolution>m.json`` from the ``topojsonURL`` config option (a CDN
by default) before it draws; offline the map stays blank. We serve our own files
at ``app/static/`` and draw only our GeoJSON, so the base layers can be empty:
every layer Plotly looks up (land, ocean, lakes, rivers, coastlines, countries,
subunits) is an empty GeometryCollection. The scopes and resolutions are those of
the plotly.js bundled with Streamlit (``src/plots/geo/constants``: scopeDefaults,
and resolution 110 or 50).
"""

from __future__ import annotations

SCOPES = (
    "world",
    "usa",
    "europe",
    "asia",
    "africa",
    "north america",
    "south america",
    "antarctica",
    "oceania",
)
RESOLUTIONS = (110, 50)
LAYERS = ("coastlines", "countries", "lakes", "land", "ocean", "rivers", "subunits")


def topojson_name(scope: str, resolution: int) -> str:
    """Return the file name plotly.js requests for a scope and resolution (``world_110m.json``)."""
    return f"{scope.replace(' ', '-')}_{resolution}m.json"


def empty_topology() -> dict:
    """Return a valid TopoJSON Topology whose every base layer is empty."""
    return {
        "type": "Topology",
        "arcs": [],
        "objects": {name: {"type": "GeometryCollection", "geometries": []} for name in LAYERS},
    }
