"""The briefing pack: the six briefing slides as a PDF and a PPTX, offline, in the viewer's language.

:func:`make_pack` takes the slides (:func:`casemap.briefing.build_slides`,
built in the light theme: paper is light), draws each slide's main chart
with Kaleido in the system's Chromium (:mod:`casemap.chart_images`), lays the
pages out once (:mod:`casemap.pack_layout`) and writes both files from that
layout (:mod:`casemap.pack_pdf`, :mod:`casemap.pack_pptx`). ``progress`` is
told after each slide, so a page can show how far it has got. Pure of
streamlit; the command line and the bench call it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from casemap import i18n
from casemap.chart_images import chart_png
from casemap.pack_layout import PackPage, page_of
from casemap.pack_pdf import pack_html, page_text, print_pdf
from casemap.pack_pptx import build_pptx

__all__ = ["Pack", "make_pack", "pack_footer", "pack_file_name", "figure_for_page"]

THEME = "light"


@dataclass(frozen=True)
class Pack:
    """The pack's two files, and how long each step took (seconds)."""

    pdf: bytes
    pptx: bytes
    timings: dict[str, float]


def pack_footer(case_label: str, version: int, as_of, lang: str, note: str = "") -> str:
    """The line under every page: the case, its data version and the date the figures stand at."""
    line = i18n.t("pack_footer", lang, case=case_label, version=version, date=i18n.format_date(as_of, lang))
    return f"{line} · {note}" if note else line


def pack_file_name(case: str, version: int, lang: str, extension: str) -> str:
    """A file name that says what the pack holds: ``briefing-<case>-v<version>-<lang>.<extension>``."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in case)[:60]
    return f"briefing-{safe}-v{version}-{lang}.{extension}"


def figure_for_page(fig: go.Figure, size: tuple[int, int]) -> go.Figure:
    """A copy of a slide's figure sized for its place on the page, without the page's own title."""
    copy = go.Figure(fig)
    copy.update_layout(width=size[0], height=size[1], title=None)
    return copy


def make_pack(
    slides: Sequence,
    lang: str,
    footer: str,
    progress: Callable[[int, int], None] | None = None,
) -> Pack:
    """Draw the slides' charts and write the PDF and the PPTX.

    ``slides`` are :class:`casemap.briefing.Slide` objects (title, headline,
    kpis, figures, table, notes); ``footer`` goes under every page;
    ``progress(done, count)`` is called after each slide's chart.
    Raises :class:`casemap.chart_images.ChartImageError` (or its ``PdfError``)
    when Chromium cannot draw or print.
    """
    count, started = len(slides), time.perf_counter()
    empty = i18n.t("pack_no_chart", lang)
    pages: list[PackPage] = []
    images: dict[str, bytes] = {}
    for number, slide in enumerate(slides, start=1):
        page = page_of(slide, number, count, footer, empty)
        if page.image_name:
            images[page.image_name] = chart_png(figure_for_page(slide.figures[0], page.image_size), THEME,
                                                width=page.image_size[0], height=page.image_size[1])
        pages.append(page)
        if progress is not None:
            progress(number, count)
    charted = time.perf_counter()
    pdf = print_pdf(pack_html(pages, lang), images, page_text(pages))
    printed = time.perf_counter()
    pptx = build_pptx(pages, images, pages[0].headline if pages else "")
    done = time.perf_counter()
    return Pack(pdf, pptx, {"charts": charted - started, "pdf": printed - charted, "pptx": done - printed,
                            "total": done - started})
