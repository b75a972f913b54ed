"""The briefing pack's PPTX: one 16:9 slide per page, built with python-pptx.

Texts are real text boxes and tables (editable, searchable); the chart is
the Kaleido PNG. Positions come from :mod:`casemap.pack_layout`, in pixels
of a 1920 x 1080 page, mapped onto PowerPoint's 13.333 x 7.5 inch slide.
Chinese text is tagged with an East Asian typeface so PowerPoint does not
fall back to a Latin font that has no Chinese.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from casemap.pack_layout import (
    FOOTER_HEIGHT, GAP, HEADER_HEIGHT, KPI_HEIGHT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TABLE_WIDTH, PackPage,
)
from casemap.style import palette

__all__ = ["build_pptx", "EAST_ASIAN_FONT", "LATIN_FONT"]

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13.333 x 7.5 in
EMU_PER_PX = SLIDE_WIDTH // PAGE_WIDTH
# Type sizes in points on the 13.333-inch slide (a 1080p pixel is 0.5 pt there).
LATIN_FONT = "Noto Sans"
EAST_ASIAN_FONT = "Microsoft YaHei"  # what PowerPoint has on Windows; other viewers map it to their CJK font
_BLANK_LAYOUT = 6


def _px(value: float) -> Emu:
    return Emu(int(value * EMU_PER_PX))


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _text(slide, left, top, width, height, text: str, size: float, colour: str, bold: bool = False) -> None:
    box = slide.shapes.add_textbox(_px(left), _px(top), _px(width), _px(height))
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    _font(run.font, size, colour, bold)


def _font(font, size: float, colour: str, bold: bool = False) -> None:
    font.size, font.bold, font.name = Pt(size), bold, LATIN_FONT
    font.color.rgb = _rgb(colour)
    properties = font._element  # a:rPr: its East Asian typeface is not in python-pptx's API
    east_asian = properties.find(qn("a:ea"))
    if east_asian is None:
        east_asian = properties.makeelement(qn("a:ea"), {})
        latin = properties.find(qn("a:latin"))
        (latin.addnext if latin is not None else properties.append)(east_asian)
    east_asian.set("typeface", EAST_ASIAN_FONT)


def _kpis(slide, page: PackPage, colours) -> None:
    for index, kpi in enumerate(page.kpis):
        left = MARGIN + index * (380 + GAP)
        box = slide.shapes.add_shape(1, _px(left), _px(HEADER_HEIGHT), _px(380), _px(KPI_HEIGHT - 20))
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(colours.panel)
        box.line.fill.background()
        _text(slide, left + 16, HEADER_HEIGHT + 4, 350, 80, kpi.value, 32, colours.primary, bold=True)
        _text(slide, left + 16, HEADER_HEIGHT + 84, 350, 40, kpi.label, 12, colours.muted)


def _table(slide, page: PackPage, top: int, colours) -> None:
    frame = page.table
    rows, columns = len(frame) + 1, len(frame.columns)
    left = PAGE_WIDTH - MARGIN - TABLE_WIDTH
    shape = slide.shapes.add_table(rows, columns, _px(left), _px(top), _px(TABLE_WIDTH), _px(44 * rows))
    for column, name in enumerate(frame.columns):
        _cell(shape.table.cell(0, column), str(name), colours.muted)
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for column, value in enumerate(values):
            _cell(shape.table.cell(row, column), str(value), colours.text)


def _cell(cell, text: str, colour: str) -> None:
    cell.fill.background()
    paragraph = cell.text_frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    _font(run.font, 11, colour)


def _slide(deck, page: PackPage, images: dict[str, bytes]) -> None:
    colours = palette("light")
    slide = deck.slides.add_slide(deck.slide_layouts[_BLANK_LAYOUT])
    _text(slide, MARGIN, 40, PAGE_WIDTH - 2 * MARGIN, 44, page.title, 14, colours.primary, bold=True)
    _text(slide, MARGIN, 84, PAGE_WIDTH - 2 * MARGIN, 120, page.headline, 22, colours.text, bold=True)
    if page.kpis:
        _kpis(slide, page, colours)
    top = HEADER_HEIGHT + (KPI_HEIGHT if page.kpis else 0)
    if page.image_name:
        width, height = page.image_size
        slide.shapes.add_picture(io.BytesIO(images[page.image_name]), _px(MARGIN), _px(top), _px(width), _px(height))
    if page.table is not None:
        _table(slide, page, top, colours)
    if not page.image_name and page.table is None:
        _text(slide, MARGIN, top + 60, PAGE_WIDTH - 2 * MARGIN, 80, page.empty, 16, colours.muted)
    _text(slide, MARGIN, PAGE_HEIGHT - FOOTER_HEIGHT + 10, PAGE_WIDTH - 2 * MARGIN - 200, 40, page.footer, 9, colours.muted)
    _text(slide, PAGE_WIDTH - MARGIN - 160, PAGE_HEIGHT - FOOTER_HEIGHT + 10, 160, 40, f"{page.number} / {page.count}", 9,
          colours.muted)
    if page.notes:
        slide.notes_slide.notes_text_frame.text = page.notes


def build_pptx(pages: list[PackPage], images: dict[str, bytes], title: str) -> bytes:
    """The pack as PPTX bytes: a slide per page, its chart from ``images`` (name -> PNG bytes)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    deck.core_properties.title = title
    for page in pages:
        _slide(deck, page, images)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
