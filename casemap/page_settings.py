"""Each page's own settings (map metric, timeline period, ...) as URL query params beside the filters.

A page's settings are widgets with a fixed key; :data:`PAGE_SETTINGS` declares,
per page, which URL parameter carries each one, its allowed values and its
default. :func:`read` turns a URL's params into widget values (a bad value
falls back to the default with a :class:`~casemap.filters.Notice`, as a bad
filter does) and :func:`to_query` turns widget values back into params,
defaults left out so links stay short.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from casemap import linkgraph
from casemap.filters import Notice
from casemap.maps import MAP_METRICS
from casemap.query.periods import FREQS
from casemap.timeline import playback_months

__all__ = [
    "Setting", "PAGE_SETTINGS", "PARAMS", "OVERVIEW_METRICS", "FLOWS_VIEWS", "LINK_VIEWS", "PERSON_FREQS", "PERSON_KEY",
    "BRIEF_SLIDE_KEY", "params_of", "read", "to_query",
]

OVERVIEW_METRICS = ("arrested", "suspects", "amount_yuan")  # what the Overview's map can shade
PERSON_FREQS = ("D", "W", "MS")  # the person view's payments per day, week or month
FLOWS_VIEWS = ("sankey", "map")  # how the Flows page draws the money between provinces
LINK_VIEWS = ("graph", "path", "communities", "shared", "leads")  # what the link-analysis page shows
MAX_TEXT = 200  # characters of a free-text setting (a search, a person's id)
BRIEF_SLIDES = tuple(str(n) for n in range(1, 7))  # the briefing's slides, as casemap.briefing.SLIDE_KEYS
BRIEF_AUTO = tuple(str(n) for n in range(3, 601))  # seconds per slide when the briefing advances by itself
_ON, _OFF = ("on", "true", "1", "yes"), ("off", "false", "0", "no")


@dataclass(frozen=True)
class Setting:
    """One page setting: its URL ``param``, its widget ``key`` and ``default``.

    A boolean default makes a switch (``on``/``off`` in the URL); ``choices``
    make a choice among those values; otherwise the setting is free text,
    with ``None`` or ``""`` for "nothing chosen". ``known(data, value)`` says
    whether the case shown (a ``CaseQuery``) has the thing a text names.
    """

    param: str
    key: str
    default: str | bool | None
    choices: tuple[str, ...] = ()
    known: Callable[[object, str], bool] | None = None

    @property
    def is_text(self) -> bool:
        """Whether the setting is free text rather than a switch or a choice."""
        return not isinstance(self.default, bool) and not self.choices

    def parse(self, text: str) -> str | bool | None:
        """The widget value of URL value ``text``; None when it is not one."""
        if isinstance(self.default, bool):
            word = text.casefold()
            return True if word in _ON else False if word in _OFF else None
        if self.choices:
            return next((c for c in self.choices if c.casefold() == text.casefold()), None)
        return text if len(text) <= MAX_TEXT else None

    def format(self, value: object) -> str | None:
        """The URL value of widget value ``value``; None for the default or a value the setting cannot take."""
        if value == self.default or value in (None, ""):
            return None
        if isinstance(self.default, bool):
            return "on" if value else "off"
        if self.choices:
            return value if value in self.choices else None
        return str(value)


PAGE_SETTINGS: dict[str, tuple[Setting, ...]] = {
    "overview": (Setting("metric", "overview_metric", "arrested", OVERVIEW_METRICS),),
    "map": (
        Setting("metric", "map_metric", "arrested", MAP_METRICS),
        Setting("all_cities", "map_all_cities", False),
        Setting("bubbles", "map_bubbles", True),
    ),
    "timeline": (
        Setting("period", "timeline_freq", "MS", FREQS),
        Setting("month", "timeline_month", None, known=lambda data, month: month in playback_months(data.spread())),
    ),
    "flows": (Setting("view", "flows_view", "sankey", FLOWS_VIEWS),),
    "network": (
        Setting("view", "network_view", "graph", LINK_VIEWS),
        Setting("person", "network_person", None, known=lambda data, node: _linked(data, node)),
        Setting("expand", "network_expand", ""),  # the nodes expanded by one hop, comma-separated; no widget
        Setting("path_from", "network_from", None, known=lambda data, node: _linked(data, node)),
        Setting("path_to", "network_to", None, known=lambda data, node: _linked(data, node)),
    ),
    "suspects": (Setting("search", "suspects_query", ""),
                 Setting("suspect", "suspects_selected", None, known=lambda data, id_: data.suspect(id_) is not None)),
    # The person shown is no widget: the page's chooser sets it (:data:`PERSON_KEY`); the page names an unknown one.
    "person": (Setting("person", "person_shown", None), Setting("period", "person_freq", "MS", PERSON_FREQS)),
    # The slide shown (1-6) and the seconds between slides when they advance by themselves.
    # snapshot: a frozen briefing snapshot's id (casemap.ui.frozen reads and checks it against the store).
    "brief": (Setting("slide", "brief_slide", "1", BRIEF_SLIDES), Setting("auto", "brief_auto", None, BRIEF_AUTO),
              Setting("snapshot", "brief_snapshot", None)),
}
PERSON_KEY = "person_shown"
BRIEF_SLIDE_KEY = "brief_slide"
EXPAND_KEY = "network_expand"
PARAMS = frozenset(s.param for settings in PAGE_SETTINGS.values() for s in settings)  # every page's


def _linked(data, node: str) -> bool:
    """Whether the link graph shown has ``node`` to choose (a person, group or account; no overseas party)."""
    return node in linkgraph.choosable(data.link_graph().graph)


def params_of(page: str) -> set[str]:
    """The URL params of ``page``'s settings."""
    return {setting.param for setting in PAGE_SETTINGS.get(page, ())}


def read(page: str, params: Mapping[str, str | list[str]], data=None) -> tuple[dict[str, object], list[Notice]]:
    """The widget values of ``page`` (by widget key) that URL ``params`` ask for, and a notice per bad value.

    A setting the params leave out, or give a bad value, gets its default;
    with ``data`` (the case shown, a ``CaseQuery``) so does a person or
    suspect it does not have. A repeated param uses its last value, as
    filters do. Never raises.
    """
    values: dict[str, object] = {}
    notices: list[Notice] = []
    for setting in PAGE_SETTINGS.get(page, ()):
        raw = params.get(setting.param)
        text = (raw[-1] if isinstance(raw, list) and raw else raw if isinstance(raw, str) else "").strip()
        value = setting.parse(text) if text else None
        if text and value is None:
            notices.append(Notice(setting.param, text, "too_long" if setting.is_text else "unknown_value"))
        elif value is not None and setting.known and data is not None and not setting.known(data, value):
            notices.append(Notice(setting.param, text, "unknown_value"))
            value = None
        values[setting.key] = setting.default if value is None else value
    return values, notices


def to_query(page: str, values: Mapping[str, object]) -> dict[str, str]:
    """The URL params of ``page``'s widget ``values`` (by widget key); defaults and missing widgets left out."""
    query = {}
    for setting in PAGE_SETTINGS.get(page, ()):
        text = setting.format(values.get(setting.key, setting.default))
        if text is not None:
            query[setting.param] = text
    return query
