"""What the shell hands to every page's ``render(view)``: language, theme, filters and the case's queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from casemap.filters import FilterState, Notice
from casemap.query import CaseQuery


@dataclass(frozen=True)
class View:
    """One rerun's inputs to a page, prepared by the shell before the page renders.

    ``data`` answers every question about the case under the current filters
    (and the user's scope); ``apply_filters`` is the one way a page changes
    the filters: pass it a new :class:`FilterState` from a click callback.
    """

    lang: str
    theme: str
    state: FilterState
    data: CaseQuery
    places: pd.DataFrame
    apply_filters: Callable[[FilterState], None]
    cases: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = field(default_factory=tuple)

    @property
    def is_demo(self) -> bool:
        """Whether the illustrative demo case is shown."""
        return self.state.case == "demo"

    @property
    def access(self):
        """Who is looking (a :class:`casemap.access.Access`): role, scope, masking."""
        return self.data.key.access

    @property
    def version(self) -> int:
        """The data version the figures were computed at."""
        return self.data.key.version
