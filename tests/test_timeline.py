"""The case over time: periods, cumulative arrests, milestone labels that do not overlap, the map playback.

The figures (activity per period, the spread month by month) come from the
query layer over the tiny case in a store, and are worked out by hand; the
builders are fed the same frames, from the query layer or from the reference
computation (tests/reference.py).
"""

import pandas as pd
import pytest

from casemap import maps, timeline, vocab
from casemap.filters import FilterState
from casemap.schema import CaseData, empty_milestones
from tests import reference as ref
from tests import tiny_case

PROVINCES = ["110000", "430000", "440000", "810000"]


def tiny_query(seeded_store, case="tiny"):
    return seeded_store.query(FilterState(case=case))


@pytest.fixture
def tiny_activity(seeded_store):
    return lambda freq="MS": tiny_query(seeded_store).activity(freq)


def demo_activity(demo_case, freq="MS", state=None):
    """The demo's activity per period by the reference, for the builders."""
    shown = ref.apply(state or FilterState(), demo_case.suspects, demo_case.payments)
    span = ref.case_span(shown.suspects, shown.payments, demo_case.milestones)
    return ref.activity_by_period(shown.suspects, shown.payments, freq, span=span)


def test_every_month_between_first_and_last_event_is_present(tiny_activity):
    activity = tiny_activity()
    # First event: a payment on 2023-07-05; last: an arrest on 2024-08-03 -> 14 months.
    assert list(activity["period"]) == list(pd.date_range("2023-07-01", "2024-08-01", freq="MS"))
    assert activity.set_index("period").loc["2023-10-01", "arrested"] == 1  # Zhou
    assert activity.set_index("period").loc["2024-08-01", "arrested"] == 2  # Xia and V3
    assert activity["arrested"].sum() == 3


def test_payments_per_period_add_up_by_channel_and_in_total(tiny_activity):
    activity = tiny_activity().set_index("period")
    assert activity.loc["2023-07-01", "payments_yuan"] == 3_000.0
    assert activity.loc["2023-07-01", "yuan_alipay"] == 3_000.0
    assert activity.loc["2023-09-01", "yuan_bank"] == 500.0
    assert activity.loc["2023-09-01", "yuan_wechat_pay"] == 300.0
    assert activity["payments"].sum() == 6
    channel_columns = [f"yuan_{c}" for c in vocab.values(vocab.CHANNELS)]
    assert activity[channel_columns].sum(axis=1).tolist() == activity["payments_yuan"].tolist()
    assert activity["payments_yuan"].sum() == tiny_case.payments()["amount_yuan"].sum()


def test_arrested_amount_is_credited_to_the_arrest_period(tiny_activity):
    activity = tiny_activity().set_index("period")
    assert activity.loc["2024-08-01", "arrested_amount_yuan"] == 102_000.0
    assert activity.loc["2023-10-01", "arrested_amount_yuan"] == 40_000.0


def test_weeks_start_on_monday(tiny_activity):
    activity = tiny_activity("W")
    assert (activity["period"].dt.day_of_week == 0).all()
    assert activity["arrested"].sum() == 3


def test_unknown_frequency_is_refused(tiny_activity):
    with pytest.raises(ValueError):
        tiny_activity("D")


@pytest.mark.parametrize("state", [
    FilterState(),
    FilterState(provinces=("440000",)),
    FilterState(roles=("number_vendor",)),
    FilterState(statuses=("at_large",)),
])
@pytest.mark.parametrize("freq", timeline.FREQS)
def test_cumulative_arrests_end_at_the_filtered_arrested_count(demo_case, state, freq):
    shown = ref.apply(state, demo_case.suspects, demo_case.payments)
    expected = int(((shown.suspects["status"] == "arrested") & shown.suspects["arrest_date"].notna()).sum())
    fig = timeline.build_timeline(demo_activity(demo_case, freq, state), demo_case.milestones, freq=freq, lang="en")
    line = next(trace for trace in fig.data if trace.type == "scatter")
    assert line.y[-1] == expected
    bars = next(trace for trace in fig.data if trace.type == "bar")
    assert sum(bars.y) == expected


def test_payment_bars_carry_every_traced_yuan(demo_case):
    fig = timeline.build_timeline(demo_activity(demo_case), demo_case.milestones, freq="MS", lang="zh")
    channel_names = {vocab.label(vocab.CHANNELS, c, "zh") for c in vocab.values(vocab.CHANNELS)}
    bars = [trace for trace in fig.data if trace.type == "bar" and trace.name in channel_names]
    assert len(bars) == len(vocab.CHANNELS)
    assert sum(sum(trace.y) for trace in bars) == pytest.approx(demo_case.payments["amount_yuan"].sum())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_milestone_is_annotated_in_the_language(demo_case, lang):
    fig = timeline.build_timeline(demo_activity(demo_case), demo_case.milestones, freq="MS", lang=lang)
    assert ("年" in fig.layout.xaxis2.tickformat) == (lang == "zh")  # dates on the axis read in the language
    expected = [term.en if lang == "en" else term.zh for term in vocab.MILESTONES]
    # Each milestone is numbered on the chart and read in full on hover, after its date and the language's colon.
    colon = "：" if lang == "zh" else ": "
    assert sorted(a.hovertext.split(colon, 1)[1] for a in fig.layout.annotations) == sorted(expected)
    assert sorted(int(a.text) for a in fig.layout.annotations) == list(range(1, len(vocab.MILESTONES) + 1))
    assert len([s for s in fig.layout.shapes if s.type == "line"]) == len(vocab.MILESTONES)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_milestone_numbers_never_overlap_on_the_narrowest_plot(demo_case, lang):
    fig = timeline.build_timeline(demo_activity(demo_case), demo_case.milestones, freq="MS", lang=lang)
    start, end = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    span = (end - start).total_seconds()
    boxes = []  # each number's pixel extent on a plot MIN_PLOT_WIDTH wide, and its row
    for a in fig.layout.annotations:
        x = (pd.Timestamp(a.x) - start).total_seconds() / span * timeline.MIN_PLOT_WIDTH
        width = timeline.LABEL_FONT_SIZE * 0.6 * len(a.text) + 2 * (a.borderpad + a.borderwidth)
        left, right = (x, x + width) if a.xanchor == "left" else (x - width, x)
        assert 0 <= left and right <= timeline.MIN_PLOT_WIDTH
        boxes.append((a.yshift, left, right))
    for i, (row, left, right) in enumerate(boxes):
        for other_row, other_left, other_right in boxes[i + 1:]:
            assert row != other_row or right <= other_left or other_right <= left


def test_close_milestones_are_put_in_different_rows():
    # The leads (8 Aug 2023) and the task force (15 Aug 2023) are a week apart.
    placed = timeline.stagger_labels(pd.Series(pd.to_datetime(["2023-08-08", "2023-08-15"])),
                                     ["2", "3"], "2023-07-01", "2024-08-31")
    assert placed[0]["row"] != placed[1]["row"]


def test_far_apart_milestones_share_the_first_row_and_the_last_one_extends_left():
    placed = timeline.stagger_labels(pd.Series(pd.to_datetime(["2023-07-01", "2024-08-01"])),
                                     ["1", "6"], "2023-07-01", "2024-08-01")
    assert [p["row"] for p in placed] == [0, 0]
    assert placed[1]["anchor"] == "right"


def test_milestones_are_numbered_as_in_the_table_beside_the_chart(demo_case):
    # Only the milestones after mid-2024 fall in this period; they keep their numbers from the whole list.
    activity = demo_activity(demo_case)
    late = activity[activity["period"] >= "2024-06-01"]
    fig = timeline.build_timeline(late, demo_case.milestones, freq="MS", lang="en")
    table = timeline.milestone_table(demo_case.milestones, "en")
    numbered = dict(zip(table["What happened"], table["No."]))
    assert fig.layout.annotations
    for a in fig.layout.annotations:
        assert int(a.text) == numbered[a.hovertext.split(": ", 1)[1]]


def test_annotations_use_the_rows_they_were_given(demo_case):
    fig = timeline.build_timeline(demo_activity(demo_case), demo_case.milestones, freq="MS", lang="en")
    shifts = {a.hovertext.split(": ", 1)[1]: a.yshift for a in fig.layout.annotations}
    assert shifts["Two-card leads received"] != shifts["Linwu task force formed"]


def tiny_variant(seeded_store, tiny_case_data, name, suspects=None, payments=None):
    """The query layer over a variant of the tiny case, stored as ``name``."""
    frames = CaseData(suspects=tiny_case_data.suspects if suspects is None else suspects,
                      payments=tiny_case_data.payments if payments is None else payments, milestones=empty_milestones())
    seeded_store.put(name, frames)
    return tiny_query(seeded_store, name)


def hunan(spread):
    return spread[spread["province_adcode"] == "430000"].set_index("month")


def test_activity_starts_with_the_first_payment_paid_or_received(seeded_store):
    spread = tiny_query(seeded_store).spread().set_index(["month", "province_adcode"])
    # P1 paid and V1 was paid on 2023-07-05; V2 was paid on 07-20; V3 on 09-02; Zhou (P2) paid on 09-15.
    assert spread.loc[("2023-07-01", "430000"), "active"] == 2
    assert spread.loc[("2023-07-01", "440000"), "active"] == 1
    assert spread.loc[("2023-08-01", "110000"), "active"] == 0
    assert spread.loc[("2023-09-01", "110000"), "active"] == 1
    assert spread.loc[("2023-09-01", "430000"), "active"] == 3


def test_an_arrest_before_any_payment_starts_the_activity(seeded_store, tiny_case_data):
    suspects = tiny_case_data.suspects.copy()
    suspects.loc[suspects["suspect_id"] == "P2", "arrest_date"] = pd.Timestamp("2023-06-01")
    spread = hunan(tiny_variant(seeded_store, tiny_case_data, "tiny-zhou-arrested-early", suspects=suspects).spread())
    assert spread.index[0] == pd.Timestamp("2023-06-01")
    assert spread.loc["2023-06-01"].tolist() == ["430000", 1, 1, 0]  # Zhou: active and arrested


def test_a_suspect_with_no_payment_starts_with_their_city(seeded_store, tiny_case_data):
    payments = tiny_case_data.payments
    payments = payments[(payments["payer_id"] != "P2") & (payments["payee_id"] != "P2")]
    spread = hunan(tiny_variant(seeded_store, tiny_case_data, "tiny-zhou-never-paid", payments=payments).spread())
    # Chenzhou's first payment is Xia's, on 2023-07-05: Zhou is active from July with Xia and V1.
    assert spread.loc["2023-07-01", "active"] == 3


def test_spread_counts_active_arrested_and_open_per_province_and_month(seeded_store):
    spread = tiny_query(seeded_store).spread().set_index(["month", "province_adcode"])
    assert spread.loc[("2023-07-01", "430000"), "active"] == 2  # P1 and V1
    assert spread.loc[("2023-07-01", "440000"), "active"] == 1
    assert spread.loc[("2023-07-01", "110000"), "active"] == 0
    assert spread.loc[("2023-10-01", "430000")].tolist() == [3, 1, 2]  # Zhou arrested
    assert spread.loc[("2024-08-01", "430000")].tolist() == [3, 2, 1]
    last = spread.xs(pd.Timestamp("2024-08-01"), level="month")
    assert last["active"].sum() == 5 and last["arrested"].sum() == 3


def test_the_demo_network_spreads_and_is_then_taken_down(seeded_store, demo_case):
    spread = seeded_store.query(FilterState()).spread()
    totals = spread.groupby("month")[["active", "arrested", "open"]].sum()
    assert totals["active"].is_monotonic_increasing and totals["arrested"].is_monotonic_increasing
    assert totals["active"].iloc[-1] == len(demo_case.suspects)
    assert totals["arrested"].iloc[-1] == (demo_case.suspects["status"] == "arrested").sum()
    assert totals["open"].iloc[-1] < totals["open"].max()


def tiny_spread():
    return ref.spread_by_month(tiny_case.suspects(), tiny_case.payments())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_playback_has_one_frame_per_month_with_play_and_slider(lang):
    spread = tiny_spread()
    fig = timeline.build_playback_map(spread, tiny_case.PLACES, units=PROVINCES, geojson_url="app/static/p.geojson",
                                      lang=lang)
    months = sorted(spread["month"].unique())
    assert len(fig.frames) == len(months) == 14
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == [f.name for f in fig.frames]
    assert steps[0].label == ("2023-07" if lang == "en" else "2023年7月")
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.method for b in buttons] == ["animate", "animate"]
    for month, frame in zip(months, fig.frames):
        expected = spread[(spread["month"] == month) & (spread["active"] > 0)]
        choropleth = frame.data[0]
        assert list(choropleth.locations) == expected["province_adcode"].tolist()
        assert list(choropleth.z) == expected["open"].astype(float).tolist()
        assert choropleth.zmax == spread["open"].max()


def test_playback_opens_at_the_month_a_link_names():
    spread = tiny_spread()
    months = timeline.playback_months(spread)
    assert (months[0], months[6], len(months)) == ("2023-07", "2024-01", 14)

    def opened(start):
        return timeline.build_playback_map(spread, tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="zh",
                                           start=start)
    fig = opened("2024-01")
    assert fig.layout.sliders[0].active == 6
    january = spread[(spread["month"] == pd.Timestamp("2024-01-01")) & (spread["active"] > 0)]
    assert list(fig.data[timeline.PLAYBACK_SHADED].locations) == january["province_adcode"].tolist()
    assert timeline.month_label("2024-01", "zh") == "2024年1月"
    assert opened("1999-01").layout.sliders[0].active == opened(None).layout.sliders[0].active == 0


def test_each_frame_updates_the_layers_it_replaces():
    spread = tiny_spread()
    fig = timeline.build_playback_map(spread, tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="en")
    for frame in fig.frames:
        for index, data in zip(frame.traces, frame.data):
            target = fig.data[index]
            assert (target.type, target.geo, target.name) == (data.type, data.geo, data.name)
    inset = [t for t in fig.data if t.geo == "geo2"]
    assert [t.name for t in inset][0] == "base" and len(inset) == 3  # the South China Sea inset: base, shaded, line
    assert inset[-1].name == maps.SEA_LINE_NAME


def test_playback_hover_names_places_not_codes():
    spread = tiny_spread()
    fig = timeline.build_playback_map(spread, tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="en")
    labels = {row[0] for frame in fig.frames for row in frame.data[0].customdata}
    assert labels == {"湖南 Hunan", "广东 Guangdong", "北京 Beijing"}


def test_milestone_table_is_dated_and_translated(demo_case):
    table = timeline.milestone_table(demo_case.milestones, "zh")
    assert list(table.columns) == ["编号", "日期", "事件"]
    assert table.iloc[0].tolist() == [1, "2023年7月1日", vocab.MILESTONES[0].zh]


def test_builders_draw_the_query_layers_frames(seeded_store, demo_case):
    q = seeded_store.query(FilterState(provinces=("430000",)))
    freq = q.natural_freq()
    activity = q.activity(freq)
    fig = timeline.build_timeline(activity, q.milestones(), freq=freq, lang="en")
    line = next(trace for trace in fig.data if trace.type == "scatter")
    assert line.y[-1] == q.arrests_over_time(freq)["cumulative"].iloc[-1]
    assert len(fig.layout.annotations) == len(demo_case.milestones)
    spread = q.spread()
    playback = timeline.build_playback_map(spread, tiny_case.PLACES, units=PROVINCES, geojson_url="x", lang="zh")
    assert len(playback.frames) == spread["month"].nunique()


@pytest.mark.parametrize("start, freq, target", [
    ("2024-02-01", "MS", "period:2024-02-01/2024-02-29"),  # a leap year's February
    ("2023-12-01", "MS", "period:2023-12-01/2023-12-31"),
    ("2024-07-29", "W", "period:2024-07-29/2024-08-04"),  # a Monday to the Sunday, across a month's end
])
def test_a_period_bar_carries_its_first_and_last_day(start, freq, target):
    assert timeline.period_target(pd.Timestamp(start), freq) == target


def test_every_bar_of_the_timeline_filters_to_its_period():
    activity = ref.activity_by_period(tiny_case.suspects(), tiny_case.payments(), freq="MS")
    fig = timeline.build_timeline(activity, empty_milestones(), freq="MS", lang="en")
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert len(bars) == 1 + len(vocab.CHANNELS)
    expected = [timeline.period_target(p, "MS") for p in activity["period"]]
    assert all(list(trace.ids) == expected for trace in bars)
    assert [trace.ids for trace in fig.data if trace.type != "bar"] == [None]  # the running total is not a filter


@pytest.mark.parametrize("freq", ["D", "W", "MS"])
def test_person_payments_chart_draws_paid_and_received_per_period(freq):
    over_time = ref.person_payments("P1", tiny_case.payments(), freq)
    fig = timeline.build_person_payments(over_time, freq=freq, lang="en")
    paid, received = fig.data
    assert (paid.name, received.name) == ("Paid", "Received")
    assert list(paid.y) == over_time["paid_yuan"].tolist() and sum(paid.y) == 53_500.0  # T1, T2, T3, T5
    assert list(received.y) == over_time["received_yuan"].tolist() and sum(received.y) == 100.0  # T6
    assert fig.layout.barmode == "group"


def test_person_payments_chart_of_no_payment_is_empty():
    fig = timeline.build_person_payments(ref.person_payments("NOBODY", tiny_case.payments(), "W"), freq="W", lang="zh")
    assert [len(t.x) for t in fig.data] == [0, 0]


@pytest.mark.parametrize("lang, unit", [("zh", "万"), ("en", "K")])
def test_payment_axis_reads_like_the_kpis(demo_case, lang, unit):
    fig = timeline.build_timeline(demo_activity(demo_case), demo_case.milestones, freq="MS", lang=lang)
    people, money = fig.layout.yaxis, fig.layout.yaxis2
    assert len(set(money.ticktext)) == len(money.ticktext) > 2
    assert all(text.endswith(unit) for text in money.ticktext[1:]), money.ticktext
    assert not any(text.endswith("k") for text in money.ticktext)  # never plotly's SI "100k"
    assert len(set(people.ticktext)) == len(people.ticktext)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hover_labels_use_the_languages_colon_and_the_legend_lies_below(demo_case, lang):
    fig = timeline.build_timeline(demo_activity(demo_case), demo_case.milestones, freq="MS", lang=lang)
    templates = [trace.hovertemplate for trace in fig.data]
    assert all(("：" in t) == (lang == "zh") for t in templates)
    playback = timeline.build_playback_map(tiny_spread(), tiny_case.PLACES, units=PROVINCES, geojson_url="x",
                                           lang=lang)
    templates = [t.hovertemplate for t in playback.data if t.hovertemplate and "customdata[1]" in t.hovertemplate]
    assert templates and all(("：" in t) == (lang == "zh") for t in templates)
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")
