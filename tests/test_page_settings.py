"""Page settings to and from URL params: every setting round-trips, defaults stay out, bad values are told."""

from __future__ import annotations

import datetime as dt

import pytest

from casemap import i18n
from casemap.filters import REASONS, FilterState, Notice
from casemap.page_settings import MAX_TEXT, PAGE_SETTINGS, PARAMS, params_of, read, to_query

SETTINGS = [(page, setting) for page, settings in PAGE_SETTINGS.items() for setting in settings]


def other_value(setting):
    """A value of ``setting`` that is not its default."""
    if isinstance(setting.default, bool):
        return not setting.default
    if setting.choices:
        return next(choice for choice in setting.choices if choice != setting.default)
    return "S0042 湖南"


def test_the_issue_lists_every_setting():
    declared = {(page, s.key) for page, s in SETTINGS}
    assert declared >= {
        ("overview", "overview_metric"), ("map", "map_metric"), ("map", "map_all_cities"), ("map", "map_bubbles"),
        ("timeline", "timeline_freq"), ("timeline", "timeline_month"),
        ("flows", "flows_view"), ("network", "network_person"), ("suspects", "suspects_query"),
    }
    bubbles = next(s for page, s in SETTINGS if s.key == "map_bubbles")
    assert bubbles.default is True  # the bubbles show unless a link turns them off


def test_no_page_param_is_a_filter_param():
    every_filter = FilterState(
        case="x", date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 2, 1), provinces=("430000",),
        cities=("431000",), roles=("mobile_port",), statuses=("arrested",), channels=("bank",),
        min_amount=1, max_amount=2, min_payment=1, max_payment=2, lang="en", theme="light",
    ).to_query()
    assert len(every_filter) == 14
    assert PARAMS.isdisjoint(every_filter)
    assert PARAMS.isdisjoint({"embed", "embed_options"})  # Streamlit's own


def test_each_page_names_a_param_once():
    for page, settings in PAGE_SETTINGS.items():
        assert len(params_of(page)) == len(settings) == len({s.key for s in settings})


@pytest.mark.parametrize("page, setting", SETTINGS, ids=lambda x: getattr(x, "param", x))
def test_a_setting_round_trips_and_its_default_stays_out(page, setting):
    value = other_value(setting)
    query = to_query(page, {setting.key: value})
    assert list(query) == [setting.param]
    values, notices = read(page, query)
    assert values[setting.key] == value and not notices
    defaults, _ = read(page, {})
    assert defaults == {s.key: s.default for s in PAGE_SETTINGS[page]}
    assert to_query(page, defaults) == {}
    assert to_query(page, {}) == {}  # a widget not drawn yet counts as its default


def test_all_settings_of_a_page_together():
    values = {"map_metric": "amount_yuan", "map_all_cities": True, "map_bubbles": False}
    query = to_query("map", values)
    assert query == {"metric": "amount_yuan", "all_cities": "on", "bubbles": "off"}
    assert read("map", query) == (values, [])


@pytest.mark.parametrize("text, expected", [("on", True), ("TRUE", True), ("1", True), ("off", False),
                                            ("no", False), (" 0 ", False)])
def test_switches_read_the_usual_spellings(text, expected):
    assert read("map", {"all_cities": text})[0]["map_all_cities"] is expected


def test_choices_ignore_case_and_the_last_repeat_wins():
    assert read("timeline", {"period": "w"})[0]["timeline_freq"] == "W"
    assert read("map", {"metric": ["suspects", "arrested"]})[0]["map_metric"] == "arrested"


@pytest.mark.parametrize("page, params, bad", [
    ("map", {"metric": "bogus"}, Notice("metric", "bogus", "unknown_value")),
    ("map", {"bubbles": "maybe"}, Notice("bubbles", "maybe", "unknown_value")),
    ("timeline", {"period": "year"}, Notice("period", "year", "unknown_value")),
    ("flows", {"view": "pie"}, Notice("view", "pie", "unknown_value")),
    ("suspects", {"search": "x" * (MAX_TEXT + 1)}, Notice("search", "x" * (MAX_TEXT + 1), "too_long")),
])
def test_a_bad_value_falls_back_to_the_default_with_a_notice(page, params, bad):
    values, notices = read(page, params)
    assert notices == [bad]
    assert values == read(page, {})[0]
    assert bad.reason in REASONS
    for lang in i18n.LANGS:
        assert i18n.t(f"reason_{bad.reason}", lang)


def test_another_pages_params_and_empty_values_are_no_settings_of_this_page():
    assert read("map", {"person": "S1", "search": "x", "metric": ""}) == (read("map", {})[0], [])
    assert to_query("map", {"network_person": "S1"}) == {}


class OneSuspectCase:
    """Stands in for the case shown (a CaseQuery): it knows suspect S1 only."""

    def suspect(self, suspect_id):
        return {"suspect_id": suspect_id} if suspect_id == "S1" else None


def test_a_suspect_the_case_does_not_have_is_told_and_dropped():
    known = read("suspects", {"suspect": "S1"}, OneSuspectCase())
    assert known == ({"suspects_query": "", "suspects_selected": "S1"}, [])
    values, notices = read("suspects", {"suspect": "S9", "search": "S9"}, OneSuspectCase())
    assert values == {"suspects_query": "S9", "suspects_selected": None}
    assert notices == [Notice("suspect", "S9", "unknown_value")]
