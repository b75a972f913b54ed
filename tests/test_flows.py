"""Money-flow builders: every traced yuan is in the flows once, lines join the right places, labels are for people."""

import re

import pytest

from casemap import filters, flows, maps, metrics, vocab
from casemap.demo import generate_demo
from geo import layers
from tests import tiny_case

DEMO = generate_demo()
DEMO_PLACES = layers.load_places()
PROVINCES = ["110000", "430000", "440000", "810000"]
ADCODE = re.compile(r"\b\d{6}\b")


def tiny_flows():
    return flows.province_flows(tiny_case.payments(), tiny_case.suspects())


def test_payments_are_summed_by_payer_and_payee_province():
    table = tiny_flows().set_index(["source", "target"])
    # P1 (Hunan) -> V1 (Hunan) 1000; V1 -> P1 100; P1 -> V2 (Guangdong) 2000; P2 (Hunan) -> V2 300;
    # P1 -> V3 (Beijing) 500; P1 -> an account not in the list 50000.
    assert table.loc[("430000", "430000")].tolist() == [1_100.0, 2]
    assert table.loc[("430000", "440000")].tolist() == [2_300.0, 2]
    assert table.loc[("430000", "110000")].tolist() == [500.0, 1]
    assert table.loc[("430000", flows.OVERSEAS)].tolist() == [50_000.0, 1]
    assert len(table) == 4
    assert list(tiny_flows()["amount_yuan"]) == sorted(tiny_flows()["amount_yuan"], reverse=True)


@pytest.mark.parametrize("state", [
    filters.FilterState(),
    filters.FilterState(provinces=("440000",)),
    filters.FilterState(channels=("usdt",)),
    filters.FilterState(roles=("number_vendor",), statuses=("at_large",)),
])
def test_sankey_values_sum_to_the_filtered_payments(state):
    shown = filters.apply(state, DEMO.suspects, DEMO.payments)
    fig = flows.build_sankey(flows.province_flows(shown.payments, DEMO.suspects), DEMO_PLACES, lang="en")
    assert sum(fig.data[0].link.value) == pytest.approx(shown.payments["amount_yuan"].sum())


@pytest.mark.parametrize("lang, overseas", [("en", "Overseas"), ("zh", "境外")])
def test_sankey_nodes_are_place_names_with_overseas_its_own_node(lang, overseas):
    fig = flows.build_sankey(tiny_flows(), tiny_case.PLACES, lang=lang)
    labels = list(fig.data[0].node.label)
    hunan = "湖南 Hunan" if lang == "en" else "湖南"
    assert labels.count(hunan) == 2  # once as payer, once as payee
    assert labels.count(overseas) == 1
    assert not any(ADCODE.search(label) or label == flows.OVERSEAS for label in labels)
    link = fig.data[0].link
    overseas_index = labels.index(overseas)
    assert [v for t, v in zip(link.target, link.value) if t == overseas_index] == [50_000.0]


def test_lines_join_the_label_points_of_payer_and_payee_province():
    lines = flows.flow_lines(tiny_flows(), tiny_case.PLACES).set_index("target")
    assert lines.loc["440000", ["lon0", "lat0", "lon1", "lat1"]].tolist() == [111.7, 27.6, 113.4, 23.4]
    assert lines.loc["110000", ["lon1", "lat1"]].tolist() == [116.4, 40.2]
    assert lines.loc[flows.OVERSEAS, ["lon1", "lat1"]].tolist() == list(flows.OVERSEAS_LONLAT)
    assert "430000" not in lines.index  # money kept within Hunan has no line


def test_line_width_grows_with_the_amount():
    lines = flows.flow_lines(tiny_flows(), tiny_case.PLACES).sort_values("amount_yuan")
    assert lines["width"].is_monotonic_increasing
    assert lines["width"].max() == flows.LINE_MAX_WIDTH


def test_flow_map_draws_one_line_per_flow_between_provinces():
    fig = flows.build_flow_map(tiny_flows(), tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="en")
    drawn = [t for t in fig.data if t.type == "scattergeo" and t.mode == "lines" and t.name != maps.SEA_LINE_NAME]
    expected = flows.flow_lines(tiny_flows(), tiny_case.PLACES)
    assert sorted((t.lon[1], t.lat[1]) for t in drawn) == sorted(zip(expected["lon1"], expected["lat1"]))
    assert {t.line.width for t in drawn} == set(expected["width"])


def test_flow_map_hover_names_both_ends():
    fig = flows.build_flow_map(tiny_flows(), tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="zh")
    hover = next(t for t in fig.data if t.type == "scattergeo" and t.mode == "markers" and t.text is not None)
    assert any(text.startswith("湖南 → 广东") for text in hover.text)
    assert not any(ADCODE.search(text) for text in hover.text)


def test_purposes_are_labelled_free_text_kept_and_blanks_named():
    totals = flows.totals_by_purpose(tiny_case.payments())
    assert totals["amount_yuan"].sum() == tiny_case.payments()["amount_yuan"].sum()
    fig = flows.build_totals_bar(totals, "purpose", lang="en")
    labels = set(fig.data[0].y)
    assert {"Phone-number rental", "USDT settlement", "号码押金", "Not recorded"} <= labels
    assert not labels & set(vocab.values(vocab.PURPOSES))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_channel_bars_show_labels_and_every_yuan(lang):
    fig = flows.build_totals_bar(metrics.amount_by_channel(DEMO.payments), "channel", lang=lang)
    bar = fig.data[0]
    assert set(bar.y) == {term.en if lang == "en" else term.zh for term in vocab.CHANNELS}
    assert sum(bar.x) == pytest.approx(DEMO.payments["amount_yuan"].sum())
    colours = dict(zip(bar.y, bar.marker.color))
    alipay = vocab.label(vocab.CHANNELS, "alipay", lang)
    usdt = vocab.label(vocab.CHANNELS, "usdt", lang)
    assert colours[alipay] != colours[usdt]


def test_top_payers_and_vendors():
    payers = flows.top_parties(tiny_case.payments(), tiny_case.suspects(), "payer")
    assert list(payers.index) == ["P1", "P2", "V1"]
    assert payers.loc["P1"].tolist() == [53_500.0, 4, 4]
    vendors = flows.top_parties(tiny_case.payments(), tiny_case.suspects(), "payee", role="number_vendor")
    assert list(vendors.index) == ["V2", "V1", "V3"]  # the overseas account and P1 are not vendors
    assert vendors.loc["V2"].tolist() == [2_300.0, 2, 2]


def test_explained_share_is_traced_over_involved():
    share = flows.explained_share(tiny_case.suspects(), tiny_case.payments())
    assert share["payments_yuan"] == 53_900.0
    assert share["amount_yuan"] == 150_000.0  # V2's unknown amount is left out
    assert share["share"] == pytest.approx(53_900 / 150_000)
    nothing = tiny_case.suspects().assign(amount_yuan=float("nan"))
    assert flows.explained_share(nothing, tiny_case.payments())["share"] is None


def test_every_demo_flow_has_a_place_on_the_map():
    between = flows.province_flows(DEMO.payments, DEMO.suspects)
    lines = flows.flow_lines(between, DEMO_PLACES)
    inter = between[between["source"] != between["target"]]
    assert len(lines) == len(inter)


def test_flow_map_draws_the_south_china_sea_line_in_its_inset():
    fig = flows.build_flow_map(tiny_flows(), tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="en")
    sea = [t for t in fig.data if t.name == maps.SEA_LINE_NAME]
    assert len(sea) == 1 and sea[0].geo == "geo2"
