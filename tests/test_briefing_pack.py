"""The briefing pack: a PDF whose text holds the headline figures and real Chinese, a PPTX of six titled slides.

One pack of the demo case is made for the module (Kaleido and Chromium, offline);
the figures it must show are worked out here from the stored rows with pandas,
not read from the pack.
"""

from __future__ import annotations

import io
import unicodedata

import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pypdf import PdfReader

from casemap import briefing, i18n
from casemap.briefing_pack import make_pack, pack_file_name, pack_footer
from casemap.chart_images import close_painter, prepare_for_image, still
from casemap.filters import FilterState
from casemap.pack_layout import PAGE_HEIGHT, PAGE_WIDTH, image_size
from casemap.pdf_text import mend_radicals, radical_to_character
from casemap.query import CaseQuery, direct_runner
from casemap.store import Store
from geo import layers

LANG = "zh"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The demo case's stored rows, its slides in Chinese, the pack, and the progress calls seen."""
    folder = tmp_path_factory.mktemp("pack")
    store = Store(f"sqlite:///{folder / 'store.sqlite'}")
    store.ensure()
    version = store.data_version("demo")
    data = CaseQuery.of(direct_runner(store.engine), FilterState(), version)
    slides = briefing.build_slides(data, layers.load_places(), LANG, "light")
    calls = []
    pack = make_pack(slides, LANG, pack_footer("示例案件", version, data.data_as_of(), LANG),
                     progress=lambda done, count: calls.append((done, count)))
    yield store.load("demo"), slides, pack, calls
    close_painter()
    store.close()


def pdf_text(pack) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pack.pdf)).pages]


def test_the_pdf_has_a_16_9_page_per_slide_and_the_headline_figures_as_text(made):
    case, slides, pack, _ = made
    reader = PdfReader(io.BytesIO(pack.pdf))
    assert len(reader.pages) == len(slides) == 6
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(PAGE_WIDTH / PAGE_HEIGHT)
    suspects = case.suspects
    arrested = suspects[suspects["status"] == "arrested"]
    first = pdf_text(pack)[0]
    sentence = first.replace("\n", "")
    assert f"{len(arrested)}名" in sentence
    assert f"{suspects['province_adcode'].nunique()}个省份" in sentence
    assert f"{suspects['city_adcode'].nunique()}个城市" in sentence
    assert i18n.format_yuan(float(suspects["amount_yuan"].sum()), LANG) in sentence


def test_the_pdf_text_is_chinese_characters_not_radicals(made):
    _, slides, pack, _ = made
    text = "".join(pdf_text(pack))
    for slide in slides:
        assert slide.title in text
    assert "嫌疑人" in text and "金额" in text
    assert not [c for c in text if unicodedata.name(c, "").startswith(("KANGXI RADICAL", "CJK RADICAL"))]


def test_the_pptx_has_six_slides_with_their_titles_and_headlines(made):
    _, slides, pack, _ = made
    deck = Presentation(io.BytesIO(pack.pptx))
    assert len(deck.slides) == 6
    for slide, shown in zip(slides, deck.slides):
        texts = [shape.text_frame.text for shape in shown.shapes if shape.has_text_frame]
        assert texts[:2] == [slide.title, slide.headline]
        assert sum(shape.shape_type == 13 for shape in shown.shapes) == (1 if slide.figures else 0)  # a picture


def test_progress_is_told_after_every_slide(made):
    _, _, _, calls = made
    assert calls == [(n, 6) for n in range(1, 7)]


@pytest.mark.parametrize("code, text, expected", [
    (0x2F08, "", "人"), (0x2F3E, "户口", "户"), (0x2EC6, "", "角"), (0x4EBA, "", "人"), (0x41, "", "A"),
])
def test_radicals_in_the_text_layer_become_the_characters_drawn(code, text, expected):
    assert chr(radical_to_character(code, frozenset(map(ord, text)))) == expected


def test_a_pdf_without_radicals_is_left_as_it_is(made):
    _, _, pack, _ = made
    assert mend_radicals(pack.pdf) == pack.pdf  # already mended


def test_an_animation_prints_its_last_frame_without_buttons():
    fig = go.Figure(go.Bar(y=[0]), frames=[go.Frame(data=[go.Bar(y=[n])], name=str(n)) for n in range(3)])
    fig.update_layout(updatemenus=[{"type": "buttons", "buttons": [{"label": "▶", "method": "animate", "args": [None]}]}],
                      sliders=[{"steps": [{"label": str(n), "method": "animate", "args": [[str(n)]]} for n in range(3)]}])
    shown = still(fig)
    assert shown.data[0].y == (2,) and shown.layout.updatemenus == () and shown.layout.sliders[0].active == 2
    assert fig.frames and fig.data[0].y == (0,)  # the page's figure is untouched


def test_map_layers_are_read_from_the_shipped_files():
    fig = go.Figure(go.Choropleth(geojson=layers.layer_url("province"), locations=["430000"], z=[1]))
    path = prepare_for_image(fig, "light").data[0].geojson
    assert path.startswith("file://") and (layers.DATA_DIR / "provinces.geojson").as_uri() == path


def test_the_chart_leaves_room_for_a_table_and_kpis():
    assert image_size(True, True)[0] < image_size(False, False)[0]
    assert image_size(True, False)[1] < image_size(False, False)[1]


def test_file_names_say_case_version_and_language():
    assert pack_file_name("湖南/案 1", 7, "zh", "pdf") == "briefing-湖南_案_1-v7-zh.pdf"


def test_the_pdf_font_is_found_without_fontconfig_tools(monkeypatch):
    import casemap.pdf_text as pdf_text

    expected = pdf_text._pack_font()

    def missing(*args, **kwargs):
        raise FileNotFoundError("fc-match")

    monkeypatch.setattr(pdf_text.subprocess, "run", missing)
    assert pdf_text._pack_font() == expected


def test_images_are_drawn_without_streamlits_template(monkeypatch):
    import plotly.io as pio
    import streamlit  # noqa: F401 - importing it registers its plotly template

    monkeypatch.setattr(pio.templates, "default", "streamlit")
    fig = go.Figure(go.Bar(y=[1]))
    assert fig.layout.template == pio.templates["streamlit"]
    assert prepare_for_image(fig, "light").layout.template == pio.templates["plotly"]
