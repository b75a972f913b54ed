"""Money flows: every traced yuan is in the flows once, lines join the right places, labels are for people.

The figures (flows between provinces, top parties, totals, the explained
share) come from the query layer over the tiny case in a store; the
builders are fed the same frames, from the query layer or from the
reference computation (tests/reference.py).
"""

import math
import re

import pandas as pd
import pytest

from casemap import charts, flows, i18n, maps, vocab
from casemap.filters import NO_PURPOSE, FilterState, apply_click
from geo import layers
from tests import reference as ref
from tests import tiny_case

PROVINCES = ["110000", "430000", "440000", "810000"]
ADCODE = re.compile(r"\b\d{6}\b")
DEMO_STATES = [
    FilterState(),
    FilterState(provinces=("440000",)),
    FilterState(channels=("usdt",)),
    FilterState(roles=("number_vendor",), statuses=("at_large",)),
]


@pytest.fixture(scope="module")
def places():
    return layers.load_places()


def tiny_flows():
    return ref.province_flows(tiny_case.payments(), tiny_case.suspects())


def tiny_query(seeded_store, **filters):
    return seeded_store.query(FilterState(case="tiny", **filters))


def test_payments_are_summed_by_payer_and_payee_province(seeded_store):
    table = tiny_query(seeded_store).province_flows().set_index(["source", "target"])
    # P1 (Hunan) -> V1 (Hunan) 1000; V1 -> P1 100; P1 -> V2 (Guangdong) 2000; P2 (Hunan) -> V2 300;
    # P1 -> V3 (Beijing) 500; P1 -> an account not in the list 50000.
    assert table.loc[("430000", "430000")].tolist() == [1_100.0, 2]
    assert table.loc[("430000", "440000")].tolist() == [2_300.0, 2]
    assert table.loc[("430000", "110000")].tolist() == [500.0, 1]
    assert table.loc[("430000", flows.OVERSEAS)].tolist() == [50_000.0, 1]
    assert len(table) == 4
    assert list(table["amount_yuan"]) == sorted(table["amount_yuan"], reverse=True)


def test_a_counterpart_left_out_by_a_filter_keeps_its_province(seeded_store):
    # Only Guangdong shown: V2 was paid by P1 (2,000) and P2 (300), both in Hunan.
    table = tiny_query(seeded_store, provinces=("440000",)).province_flows()
    assert table.values.tolist() == [["430000", "440000", 2_300.0, 2]]


def test_payments_are_summed_by_payer_role_channel_and_payee_role(seeded_store):
    table = tiny_query(seeded_store).role_flows()
    # P1 (payer) pays V1 1,000 and V2 2,000 by Alipay, V3 500 by bank, the overseas account 50,000 in USDT;
    # P2 (mobile port) pays V2 300 by WeChat Pay; V1 (vendor) pays P1 100 back by Alipay.
    assert table.values.tolist() == [
        ["payer", "usdt", flows.OVERSEAS, 50_000.0, 1],
        ["payer", "alipay", "number_vendor", 3_000.0, 2],
        ["payer", "bank", "number_vendor", 500.0, 1],
        ["mobile_port", "wechat_pay", "number_vendor", 300.0, 1],
        ["number_vendor", "alipay", "payer", 100.0, 1],
    ]


def test_a_counterpart_left_out_by_a_filter_keeps_its_role(seeded_store):
    # Only mobile ports shown: P2 paid V2 (a vendor) 300 by WeChat Pay.
    table = tiny_query(seeded_store, roles=("mobile_port",)).role_flows()
    assert table.values.tolist() == [["mobile_port", "wechat_pay", "number_vendor", 300.0, 1]]


def sankey_links(fig) -> dict[tuple[str, str], float]:
    """Every link of a Sankey as (from label, to label) -> amount."""
    sankey = fig.data[0]
    labels = list(sankey.node.label)
    return {(labels[a], labels[b]): v for a, b, v in zip(sankey.link.source, sankey.link.target, sankey.link.value)}


def sankey_column(fig, labels) -> list[int]:
    """The node numbers of a Sankey's column (payers, channels or payees) by their labels, in node order."""
    nodes = list(fig.data[0].node.label)
    return [i for i, label in enumerate(nodes) if label in labels]


@pytest.mark.parametrize("state", DEMO_STATES)
def test_every_filtered_yuan_passes_once_through_each_channel(demo_case, state):
    shown = ref.apply(state, demo_case.suspects, demo_case.payments)
    fig = flows.build_sankey(ref.role_flows(shown.payments, demo_case.suspects), lang="en")
    link = fig.data[0].link
    by_channel = ref.amount_by_channel(shown.payments)["amount_yuan"]
    for channel in vocab.CHANNELS:
        node = sankey_column(fig, {channel.en})
        into = sum(v for t, v in zip(link.target, link.value) if [t] == node)
        out = sum(v for s, v in zip(link.source, link.value) if [s] == node)
        assert into == pytest.approx(by_channel[channel.value]) and out == pytest.approx(into)
    assert sum(link.value) == pytest.approx(2 * shown.payments["amount_yuan"].sum())


@pytest.mark.parametrize("state", DEMO_STATES)
def test_builders_draw_the_query_layers_frames(seeded_store, places, state):
    q = seeded_store.query(state)
    traced = q.headline()["payments_yuan"]
    between = q.province_flows()
    assert sum(flows.build_sankey(q.role_flows(), lang="zh").data[0].link.value) == pytest.approx(2 * traced)
    drawn = flows.build_flow_map(between, places, units=PROVINCES, geojson_url="x", lang="en")
    assert len(drawn_segments(drawn)) == len(flows.flow_lines(between, places))
    for kind, totals in (("channel", q.by_channel()), ("purpose", q.by_purpose())):
        assert sum(flows.build_totals_bar(totals, kind, lang="en").data[0].x) == pytest.approx(traced)


@pytest.mark.parametrize("lang, overseas", [("en", "Overseas"), ("zh", "境外")])
def test_sankey_nodes_are_roles_and_channels_with_overseas_its_own_node(lang, overseas):
    fig = flows.build_sankey(ref.role_flows(tiny_case.payments(), tiny_case.suspects()), lang=lang)
    labels = list(fig.data[0].node.label)
    role = {term.value: (term.en if lang == "en" else term.zh) for term in vocab.ROLES}
    channel = {term.value: (term.en if lang == "en" else term.zh) for term in vocab.CHANNELS}
    assert labels.count(role["number_vendor"]) == 2 and labels.count(role["payer"]) == 2  # both paid and paying
    assert labels.count(overseas) == 1
    absent = {role["pc_end"], role["organizer"], role["other"]}  # no such suspect in the tiny case
    assert set(labels) == {*role.values(), *channel.values(), overseas} - absent
    links = sankey_links(fig)
    assert links[role["payer"], channel["usdt"]] == 50_000.0
    assert links[channel["usdt"], overseas] == 50_000.0
    assert links[channel["alipay"], role["number_vendor"]] == 3_000.0  # P1's two Alipay payments to vendors
    settled = list(links).index((role["payer"], channel["usdt"]))
    assert list(fig.data[0].link.customdata[settled]) == [
        i18n.format_yuan(50_000.0, lang), i18n.t("flows_payments_count", lang, count=i18n.format_count(1, lang))]


def test_the_demo_sankey_tells_how_the_money_moved(seeded_store):
    """USDT comes in from overseas to the Linwu renters; Alipay goes from the payers to the vendors."""
    fig = flows.build_sankey(seeded_store.query(FilterState()).role_flows(), lang="en")
    links = sankey_links(fig)
    into_usdt = {frm for frm, to in links if to == "USDT"}
    out_of_usdt = {to for frm, to in links if frm == "USDT"}
    assert into_usdt == {"Overseas"}
    assert out_of_usdt <= {"Organizer", "Mobile port", "PC end"} and out_of_usdt
    assert {frm for frm, to in links if to == "Alipay"} == {"Payer"}
    assert {to for frm, to in links if frm == "Alipay"} == {"Number vendor"}
    # Overseas is where money comes from, never where it goes.
    assert sankey_column(fig, {"Overseas"}) == [0]


def test_lines_join_the_label_points_of_payer_and_payee_province():
    lines = flows.flow_lines(tiny_flows(), tiny_case.PLACES).set_index("target")
    assert lines.loc["440000", ["lon0", "lat0", "lon1", "lat1"]].tolist() == [111.7, 27.6, 113.4, 23.4]
    assert lines.loc["110000", ["lon1", "lat1"]].tolist() == [116.4, 40.2]
    assert lines.loc[flows.OVERSEAS, ["lon1", "lat1"]].tolist() == list(flows.OVERSEAS_LONLAT)
    assert "430000" not in lines.index  # money kept within Hunan has no line


def test_arrows_point_from_payer_to_payee_halfway_along_each_line():
    incoming = pd.DataFrame([(flows.OVERSEAS, "430000", 50_000.0, 1), ("430000", "110000", 500.0, 1),
                             ("430000", "440000", 2_300.0, 2)], columns=["source", "target", "amount_yuan", "payments"])
    fig = flows.build_flow_map(incoming, tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="en")
    arrows = next(t for t in fig.data if t.type == "scattergeo" and t.marker.symbol == "triangle-up")
    # On a Mercator map north is up everywhere: a marker turned clockwise by the heading points along it.
    assert fig.layout.geo.projection.type == "mercator" and arrows.marker.angleref in (None, "up")
    lines = flows.flow_lines(incoming, tiny_case.PLACES)
    headings = list(arrows.marker.angle)
    for row, lon, lat, angle in zip(lines.itertuples(), arrows.lon, arrows.lat, headings):
        assert min(row.lon0, row.lon1) < lon < max(row.lon0, row.lon1)
        assert min(row.lat0, row.lat1) - 0.5 < lat < max(row.lat0, row.lat1) + 0.5
        # the compass bearing of the payee seen from the payer, on a local flat map, within a few degrees
        east, north = (row.lon1 - row.lon0) * math.cos(math.radians((row.lat0 + row.lat1) / 2)), row.lat1 - row.lat0
        expected = math.degrees(math.atan2(east, north)) % 360
        assert abs((angle - expected + 180) % 360 - 180) < 5, (row.source, row.target)
    headings = {target: angle % 360 for target, angle in zip(lines["target"], headings)}
    assert 270 < headings["430000"] < 360  # overseas (east of Hainan) to Hunan: north-west
    assert 0 < headings["110000"] < 90 and 90 < headings["440000"] < 180


def line_colours(fig, lon: float) -> set[str]:
    """The colours of the flow lines that start or end at longitude ``lon``."""
    return {t.line.color for t in fig.data if t.name == "flow" and lon in t.lon}


@pytest.mark.parametrize("overseas_side", ["source", "target"])
def test_the_overseas_node_is_named_and_coloured_whichever_side_pays(overseas_side):
    overseas = (flows.OVERSEAS, "430000") if overseas_side == "source" else ("430000", flows.OVERSEAS)
    shown = pd.DataFrame([(*overseas, 50_000.0, 1), ("430000", "440000", 2_300.0, 2)],
                         columns=["source", "target", "amount_yuan", "payments"])
    fig = flows.build_flow_map(shown, tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="zh")
    named = [(lon, lat) for t in fig.data if t.type == "scattergeo" and t.text is not None
             for lon, lat, text in zip(t.lon, t.lat, t.text) if text == "境外"]
    assert named == [flows.OVERSEAS_LONLAT]
    abroad, at_home = line_colours(fig, flows.OVERSEAS_LONLAT[0]), line_colours(fig, 113.4)  # 113.4: Guangdong
    assert len(abroad) == 1 and len(at_home) == 1 and abroad != at_home


def test_line_width_grows_with_the_amount():
    lines = flows.flow_lines(tiny_flows(), tiny_case.PLACES).sort_values("amount_yuan")
    assert lines["width"].is_monotonic_increasing
    assert lines["width"].max() == flows.LINE_MAX_WIDTH


def drawn_segments(fig) -> list[tuple[float, float, float, float, float]]:
    """Every flow line the map draws: (lon0, lat0, lon1, lat1, width), read back from its traces."""
    segments = []
    for trace in fig.data:
        if trace.type == "scattergeo" and trace.mode == "lines" and trace.name == "flow":
            lon, lat = list(trace.lon), list(trace.lat)
            assert lon[2::3] == [None] * (len(lon) // 3) and len(lon) % 3 == 0  # start, end, gap
            for i in range(0, len(lon), 3):
                segments.append((lon[i], lat[i], lon[i + 1], lat[i + 1], trace.line.width))
    return segments


def test_flow_map_draws_one_line_per_flow_between_provinces():
    fig = flows.build_flow_map(tiny_flows(), tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="en")
    expected = flows.flow_lines(tiny_flows(), tiny_case.PLACES)
    segments = drawn_segments(fig)
    assert sorted(s[:4] for s in segments) == sorted(zip(expected["lon0"], expected["lat0"], expected["lon1"],
                                                         expected["lat1"]))
    # each line is drawn at its width rounded up to one of a few steps, the widest at the maximum
    by_end = {(s[2], s[3]): s[4] for s in segments}
    for row in expected.itertuples():
        assert row.width <= by_end[row.lon1, row.lat1] + 1e-9
        assert by_end[row.lon1, row.lat1] - row.width < (flows.LINE_MAX_WIDTH - flows.LINE_MIN_WIDTH) / flows.LINE_STEPS
    assert max(by_end.values()) == flows.LINE_MAX_WIDTH


def test_a_thousand_flows_are_a_few_traces(places):
    codes = sorted(places.loc[places["level"] == "province", "adcode"])
    between = pd.DataFrame([(a, b, float(1 + (i * 7919) % 10_000), 1) for i, (a, b) in
                            enumerate((a, b) for a in codes for b in [*codes, flows.OVERSEAS] if a != b)],
                           columns=["source", "target", "amount_yuan", "payments"])
    assert len(between) > 900
    fig = flows.build_flow_map(between, places, units=PROVINCES, geojson_url="x", lang="en")
    line_traces = [t for t in fig.data if t.type == "scattergeo" and t.mode == "lines" and t.name == "flow"]
    assert len(line_traces) <= 2 * flows.LINE_STEPS
    assert len(drawn_segments(fig)) == len(flows.flow_lines(between, places))


def test_flow_map_hover_names_both_ends():
    fig = flows.build_flow_map(tiny_flows(), tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="zh")
    hover = next(t for t in fig.data if t.type == "scattergeo" and t.mode == "markers" and t.text is not None)
    assert any(text.startswith("湖南 → 广东") for text in hover.text)
    assert not any(ADCODE.search(text) for text in hover.text)


def test_purposes_are_totalled_largest_first_with_blanks_unrecorded(seeded_store):
    totals = tiny_query(seeded_store).by_purpose()
    # T1 1,000 + T6 100 number rental; T2 2,000 WeChat rental; T3 500 with no purpose; T4 300 free text.
    assert totals.index.tolist() == ["settlement", "wechat_rental", "number_rental", NO_PURPOSE, "号码押金"]
    assert totals["amount_yuan"].tolist() == [50_000.0, 2_000.0, 1_100.0, 500.0, 300.0]
    assert totals["payments"].tolist() == [1, 1, 2, 1, 1]


def test_purposes_are_labelled_free_text_kept_and_blanks_named():
    totals = ref.totals_by_purpose(tiny_case.payments())
    fig = flows.build_totals_bar(totals, "purpose", lang="en")
    labels = set(fig.data[0].y)
    assert {"Phone-number rental", "USDT settlement", "号码押金", "Not recorded"} <= labels
    assert not labels & set(vocab.values(vocab.PURPOSES))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_channel_bars_show_labels_and_every_yuan(demo_case, lang):
    fig = flows.build_totals_bar(ref.amount_by_channel(demo_case.payments), "channel", lang=lang)
    bar = fig.data[0]
    assert set(bar.y) == {term.en if lang == "en" else term.zh for term in vocab.CHANNELS}
    assert sum(bar.x) == pytest.approx(demo_case.payments["amount_yuan"].sum())
    colours = dict(zip(bar.y, bar.marker.color))
    alipay = vocab.label(vocab.CHANNELS, "alipay", lang)
    usdt = vocab.label(vocab.CHANNELS, "usdt", lang)
    assert colours[alipay] != colours[usdt]


def test_top_payers_and_vendors(seeded_store):
    q = tiny_query(seeded_store)
    payers = q.top_parties("payer")
    assert list(payers.index) == ["P1", "P2", "V1"]
    assert payers.loc["P1"].tolist() == [53_500.0, 4, 4]
    vendors = q.top_parties("payee", 10, "number_vendor")
    assert list(vendors.index) == ["V2", "V1", "V3"]  # the overseas account and P1 are not vendors
    assert vendors.loc["V2"].tolist() == [2_300.0, 2, 2]
    assert list(q.top_parties("payer", 2).index) == ["P1", "P2"]


def test_top_vendors_of_a_filter_are_among_the_parties_shown(seeded_store):
    # Only Beijing shown: V3, paid 500 by P1.
    vendors = tiny_query(seeded_store, provinces=("110000",)).top_parties("payee", 10, "number_vendor")
    assert vendors.reset_index().values.tolist() == [["V3", 500.0, 1, 1]]


def test_explained_share_is_traced_over_involved(seeded_store):
    share = flows.explained_share(tiny_query(seeded_store).headline())
    assert share["payments_yuan"] == 53_900.0
    assert share["amount_yuan"] == 150_000.0  # V2's unknown amount is left out
    assert share["share"] == pytest.approx(53_900 / 150_000)
    # V2 alone: no known amount, 2,300 traced to V2.
    unknown = flows.explained_share(tiny_query(seeded_store, statuses=("under_investigation",)).headline())
    assert (unknown["payments_yuan"], unknown["amount_yuan"], unknown["share"]) == (2_300.0, 0.0, None)


def test_every_demo_flow_has_a_place_on_the_map(demo_case, places):
    between = ref.province_flows(demo_case.payments, demo_case.suspects)
    lines = flows.flow_lines(between, places)
    inter = between[between["source"] != between["target"]]
    assert len(lines) == len(inter)


def test_flow_map_draws_the_south_china_sea_line_in_its_inset():
    fig = flows.build_flow_map(tiny_flows(), tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="en")
    sea = [t for t in fig.data if t.name == maps.SEA_LINE_NAME]
    assert len(sea) == 1 and sea[0].geo == "geo2"


@pytest.mark.parametrize("purposes, payments, amount", [
    (("number_rental",), 2, 1_100.0),  # T1 1,000 and T6 100
    ((NO_PURPOSE,), 1, 500.0),  # T3, with no purpose
    (("号码押金",), 1, 300.0),  # T4, free text
    (("settlement", "wechat_rental"), 2, 52_000.0),  # T5 50,000 and T2 2,000
])
def test_the_purpose_filter_keeps_the_payments_of_those_purposes(seeded_store, purposes, payments, amount):
    q = tiny_query(seeded_store, purposes=purposes)
    totals = q.by_purpose()
    assert sorted(totals.index) == sorted(purposes)
    assert (int(totals["payments"].sum()), float(totals["amount_yuan"].sum())) == (payments, amount)
    assert q.headline()["payments"] == payments


def test_a_bar_of_channels_or_purposes_carries_what_its_click_filters():
    totals = pd.DataFrame({"payments": [1, 2], "amount_yuan": [10.0, 20.0]},
                          index=pd.Index(["alipay", "usdt"], name="channel"))
    bars = flows.build_totals_bar(totals, "channel", lang="en")
    by_label = dict(zip(bars.data[0].y, bars.data[0].ids))
    assert by_label == {"Alipay": "channel:alipay", "USDT": "channel:usdt"}
    clicked = apply_click(FilterState(), by_label["USDT"])
    assert clicked.channels == ("usdt",)
    purposes = pd.DataFrame({"payments": [1, 1], "amount_yuan": [5.0, 3.0]},
                            index=pd.Index(["号码押金", NO_PURPOSE], name="purpose"))
    bars = flows.build_totals_bar(purposes, "purpose", lang="zh")
    by_label = dict(zip(bars.data[0].y, bars.data[0].ids))
    assert by_label == {"号码押金": "purpose:号码押金", "未记录": f"purpose:{NO_PURPOSE}"}
    assert apply_click(FilterState(), by_label["未记录"]).purposes == (NO_PURPOSE,)


def test_a_purpose_that_cannot_be_a_filter_value_has_no_click_target():
    purposes = pd.DataFrame({"payments": [1, 1], "amount_yuan": [5.0, 3.0]},
                            index=pd.Index(["押金, 租金", "settlement"], name="purpose"))
    bars = flows.build_totals_bar(purposes, "purpose", lang="en")
    clicked = charts.clicked_codes(bars, [{"curve_number": 0, "point_index": i} for i in range(2)])
    assert clicked == ["purpose:settlement"]
