"""Where things go on a page of the briefing pack: shared by its PDF and its PPTX.

A page is 1920 x 1080 CSS pixels (16:9, the wall screen the slides are made
for): the slide's title and headline sentence on top, its KPIs under them,
then its main chart, with its small table beside the chart when it has one,
and a footer naming the case, the data version and the date.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "PAGE_WIDTH", "PAGE_HEIGHT", "MARGIN", "HEADER_HEIGHT", "KPI_HEIGHT", "FOOTER_HEIGHT", "GAP", "TABLE_WIDTH",
    "TABLE_ROWS", "PackPage", "image_size", "page_of",
]

PAGE_WIDTH, PAGE_HEIGHT = 1920, 1080
MARGIN = 64
TABLE_WIDTH = 620  # the table beside a chart
TABLE_ROWS = 8  # a slide's table is small; more rows would not be read from the back of the room
HEADER_HEIGHT = 48 + 40 + 130  # padding, title, headline
KPI_HEIGHT = 150
FOOTER_HEIGHT = 70
GAP = 32


@dataclass(frozen=True)
class PackPage:
    """One page: the slide's texts, its chart image (file name and size in px, or none) and its table."""

    number: int
    count: int
    title: str
    headline: str
    kpis: tuple
    table: pd.DataFrame | None
    image_name: str | None
    image_size: tuple[int, int]
    footer: str
    empty: str
    notes: str = ""


def image_size(has_kpis: bool, has_table: bool) -> tuple[int, int]:
    """The chart's width and height in px on a page with or without KPIs and a table."""
    width = PAGE_WIDTH - 2 * MARGIN - ((TABLE_WIDTH + GAP) if has_table else 0)
    height = PAGE_HEIGHT - HEADER_HEIGHT - (KPI_HEIGHT if has_kpis else 0) - FOOTER_HEIGHT
    return width, height


def page_of(slide, number: int, count: int, footer: str, empty: str) -> PackPage:
    """The page of a briefing ``slide`` (title, headline, kpis, figures, table, notes), its number counted from 1."""
    table = slide.table if slide.table is not None and not slide.table.empty else None
    if table is not None:
        table = table.head(TABLE_ROWS)
    has_figure = bool(slide.figures)
    return PackPage(
        number=number, count=count, title=slide.title, headline=slide.headline, kpis=tuple(slide.kpis[:3]),
        table=table, image_name=f"slide-{number}.png" if has_figure else None,
        image_size=image_size(bool(slide.kpis), table is not None), footer=footer, empty=empty,
        notes=getattr(slide, "notes", "") or "",
    )
