"""Casemap: the case layer (vocabularies, schema, store, demo case, filters, metrics, CLI).

Nothing in this package imports Streamlit; the app's pages sit on top of it.
"""

__version__ = "0.1.0"
