"""Which figures a briefing shows: the live ones, or a frozen snapshot's.

A ``?snapshot=ID`` in the link names a stored snapshot (:mod:`casemap.store.frozen`):
the briefing then shows that snapshot's filter state at its data version,
in the viewer's language and theme. A bad or unknown id leaves the live view
and says why. Pure: the store lookup is passed in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from casemap import i18n
from casemap.filters import FilterState, Notice
from casemap.store.frozen import FrozenSnapshot, parse_snapshot_id

__all__ = ["SNAPSHOT_PARAM", "Pinned", "snapshot_query", "pin", "banner_text", "problem_text"]

SNAPSHOT_PARAM = "snapshot"
_VIEWER_PARAMS = ("lang", "theme")  # the viewer's, not the snapshot's
MAX_QUOTED = 40  # characters of a bad id quoted back


@dataclass(frozen=True)
class Pinned:
    """What to show: the filter ``state`` at data ``version``, the ``snapshot`` it came from (None: live),
    and ``problem``, an i18n key and its values when the link named no usable snapshot."""

    state: FilterState
    version: int
    snapshot: FrozenSnapshot | None = None
    problem: tuple[str, dict[str, str]] | None = None
    notices: tuple[Notice, ...] = ()


def snapshot_query(state: FilterState) -> dict[str, str]:
    """The URL form of ``state`` a snapshot stores: its filters and case, without the viewer's language and theme."""
    return {key: value for key, value in state.to_query().items() if key not in _VIEWER_PARAMS}


def pin(
    value: str | None,
    lookup: Callable[[int], FrozenSnapshot | None],
    live: FilterState,
    live_version: int,
    known_provinces: set[str],
    known_cities: set[str],
) -> Pinned:
    """The view a ``snapshot`` URL ``value`` asks for; the live ``live`` state at ``live_version`` when it names none.

    The snapshot's stored filters are read back like a link's, so a place
    code no longer known is dropped with a notice, never an error.
    """
    if value is None or value == "":
        return Pinned(live, live_version)
    snapshot_id = parse_snapshot_id(value)
    if snapshot_id is None:
        return Pinned(live, live_version, problem=("frozen_bad_id", {"value": value[:MAX_QUOTED]}))
    snapshot = lookup(snapshot_id)
    if snapshot is None:
        return Pinned(live, live_version, problem=("frozen_unknown", {"value": str(snapshot_id)}))
    query = {k: v for k, v in snapshot.query.items() if k not in _VIEWER_PARAMS}
    state, notices = FilterState.from_query(query, known_provinces, known_cities)
    state = dataclasses.replace(state, case=snapshot.case, lang=live.lang, theme=live.theme)
    return Pinned(state, snapshot.data_version, snapshot, notices=tuple(notices))


def banner_text(snapshot: FrozenSnapshot, lang: str) -> str:
    """"Snapshot “name” of <date>, data version N" in ``lang`` (plain text: the caller escapes it)."""
    date = i18n.format_date(snapshot.taken_at, lang)
    return i18n.t("frozen_banner", lang, name=snapshot.name, date=f"{date} {snapshot.taken_at:%H:%M} UTC",
                  version=snapshot.data_version)


def problem_text(pinned: Pinned, lang: str) -> str | None:
    """Why the link's snapshot is not shown, in ``lang`` (plain text), or None."""
    if pinned.problem is None:
        return None
    key, values = pinned.problem
    return i18n.t(key, lang, **values)
