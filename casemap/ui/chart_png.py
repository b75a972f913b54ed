"""Charts as PNG downloads: a button per chart, the image drawn by Kaleido only when it is clicked (and audited)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from casemap import i18n
from casemap.chart_images import ChartImageError, chart_png
from casemap.ui import signin
from casemap.view import View

__all__ = ["png_download", "png_menu"]


def png_download(fig: go.Figure, key: str, view: View, name: str, label: str | None = None) -> None:
    """A button that downloads ``fig`` as ``<name>-v<version>.png`` in the page's theme, drawn when clicked.

    The download is audited as an ``export`` of kind ``chart_png`` (the line
    is written when the image is drawn, in a server thread: the client's
    address is taken now).
    """
    client = signin.address()

    def draw() -> bytes:
        signin.record(view.access, "export", client=client, kind="chart_png", chart=name, case=view.state.case,
                      version=view.version)
        try:
            return chart_png(fig, view.theme)
        except ChartImageError as error:  # the click gets a text file saying why rather than nothing
            return i18n.t("chart_png_failed", view.lang, reason=str(error)).encode("utf-8")

    st.download_button(label or i18n.t("chart_png", view.lang), draw, file_name=f"{name}-v{view.version}.png",
                       mime="image/png", key=key, on_click="ignore", icon=":material/image:", type="tertiary",
                       help=i18n.t("chart_png_help", view.lang))


def png_menu(view: View, figures: dict[str, go.Figure]) -> None:
    """One small menu with a PNG download per figure (name -> figure), each labelled by the figure's name."""
    label, help_text = i18n.t("chart_png", view.lang), i18n.t("chart_png_help", view.lang)
    with st.popover(label, icon=":material/image:", help=help_text):
        for name, fig in figures.items():
            png_download(fig, f"png_{name}", view, name, label=i18n.t(f"chart_png_{name}", view.lang))
