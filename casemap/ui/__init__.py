"""The one streamlit-aware part of the package: the shell around every page, and the caches."""
