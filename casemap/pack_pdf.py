"""The briefing pack's PDF: each slide laid out as an HTML page, printed by the system's Chromium.

Text stays text (headline, KPIs, tables, footer), so a reader can search and
copy it; Chromium embeds the subset of the Noto CJK fonts the pages use, so
Chinese prints as Chinese on a machine without those fonts. The charts are
the Kaleido PNGs. The page is 1920 x 1080 CSS pixels, the screen the slides
are made for. The browser that drew the charts prints it (DevTools'
Page.printToPDF), so no second Chromium starts. Nothing is fetched: the
page and its images are local files.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from casemap.chart_images import ChartImageError, print_pdf_page
from casemap.pack_layout import PAGE_HEIGHT, PAGE_WIDTH, PackPage
from casemap.pdf_text import mend_radicals
from casemap.style import FONT_FAMILY, palette

__all__ = ["pack_html", "page_text", "print_pdf", "PdfError"]

_THEME = "light"  # paper is light, whatever the screen's theme


class PdfError(ChartImageError):
    """Chromium could not print the pack: the message says why."""


def _css() -> str:
    pal = palette(_THEME)
    return f"""
@page {{ size: {PAGE_WIDTH}px {PAGE_HEIGHT}px; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; background: {pal.background}; color: {pal.text};
  font-family: {FONT_FAMILY}; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
section {{ width: {PAGE_WIDTH}px; height: {PAGE_HEIGHT}px; padding: 48px 64px 0 64px; position: relative;
  overflow: hidden; page-break-after: always; break-after: page; }}
section:last-child {{ page-break-after: auto; break-after: auto; }}
.title {{ font-size: 28px; color: {pal.primary}; font-weight: 700; letter-spacing: .02em; }}
.headline {{ font-size: 44px; font-weight: 700; line-height: 1.25; margin: 10px 0 18px 0; max-height: 112px;
  overflow: hidden; }}
.kpis {{ display: flex; gap: 32px; margin-bottom: 12px; }}
.kpi {{ background: {pal.panel}; border-radius: 10px; padding: 10px 24px; min-width: 300px; }}
.kpi .value {{ font-size: 64px; font-weight: 700; line-height: 1.1; color: {pal.primary}; }}
.kpi .label {{ font-size: 24px; color: {pal.muted}; }}
.body {{ display: flex; gap: 32px; align-items: flex-start; }}
.body img {{ display: block; }}
.empty {{ font-size: 32px; color: {pal.muted}; padding-top: 80px; }}
table {{ border-collapse: collapse; font-size: 22px; width: 100%; }}
th {{ text-align: left; color: {pal.muted}; font-weight: 400; border-bottom: 2px solid {pal.grid}; padding: 6px 8px; }}
td {{ border-bottom: 1px solid {pal.grid}; padding: 6px 8px; }}
.footer {{ position: absolute; left: 64px; right: 64px; bottom: 20px; font-size: 18px; color: {pal.muted};
  display: flex; justify-content: space-between; }}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _table(page: PackPage) -> str:
    if page.table is None:
        return ""
    head = "".join(f"<th>{_e(c)}</th>" for c in page.table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
                   for row in page.table.itertuples(index=False))
    return f'<div style="flex:1"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def _section(page: PackPage) -> str:
    kpis = "".join(f'<div class="kpi"><div class="value">{_e(k.value)}</div><div class="label">{_e(k.label)}</div></div>'
                   for k in page.kpis)
    image = (f'<img src="{_e(page.image_name)}" width="{page.image_size[0]}" height="{page.image_size[1]}" alt="">'
             if page.image_name else "")
    body = image + _table(page) if image or page.table is not None else f'<div class="empty">{_e(page.empty)}</div>'
    return (
        f'<section><div class="title">{_e(page.title)}</div><div class="headline">{_e(page.headline)}</div>'
        + (f'<div class="kpis">{kpis}</div>' if kpis else "")
        + f'<div class="body">{body}</div>'
        + f'<div class="footer"><span>{_e(page.footer)}</span><span>{page.number} / {page.count}</span></div></section>'
    )


def pack_html(pages: list[PackPage], lang: str) -> str:
    """The whole pack as one HTML document, a ``<section>`` per page; images are named relative to it."""
    doc_lang = "zh-CN" if lang == "zh" else "en"
    sections = "\n".join(_section(page) for page in pages)
    return (f'<!DOCTYPE html><html lang="{doc_lang}"><head><meta charset="utf-8"><title>{_e(pages[0].title)}</title>'
            f"<style>{_css()}</style></head><body>{sections}</body></html>")


def page_text(pages: list[PackPage]) -> str:
    """Every character the pages print, to tell the PDF's text layer which characters were meant."""
    parts = [f"{p.title}{p.headline}{p.footer}{p.empty}" + "".join(f"{k.label}{k.value}" for k in p.kpis)
             + ("" if p.table is None else p.table.to_csv(index=False)) for p in pages]
    return "".join(parts)


def print_pdf(document: str, images: dict[str, bytes], text: str = "") -> bytes:
    """Print ``document`` (with its ``images``, name -> PNG bytes) to PDF bytes in the charts' Chromium.

    ``text`` is the document's text, which mends the PDF's text layer (:mod:`casemap.pdf_text`).
    """
    with tempfile.TemporaryDirectory(prefix="casemap-pack-") as folder:
        root = Path(folder)
        for name, data in images.items():
            (root / name).write_bytes(data)
        page = root / "pack.html"
        page.write_text(document, encoding="utf-8")
        try:
            printed = print_pdf_page(page.as_uri())
        except ChartImageError as error:
            raise PdfError(str(error)) from error
    if not printed.startswith(b"%PDF"):
        raise PdfError("Chromium printed no PDF")
    return mend_radicals(printed, text)
