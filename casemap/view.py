"""What the shell hands to every page: language, theme, filters and the frames."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from casemap.filters import FilterState, Filtered, Notice


@dataclass(frozen=True)
class View:
    """One rerun's shared inputs, computed once by ``app.py`` before the page runs."""

    lang: str
    theme: str
    state: FilterState
    cases: tuple[str, ...]
    suspects: pd.DataFrame
    payments: pd.DataFrame
    milestones: pd.DataFrame
    filtered: Filtered
    places: pd.DataFrame
    data_version: int
    notices: tuple[Notice, ...] = field(default_factory=tuple)

    @property
    def is_demo(self) -> bool:
        """Whether the illustrative demo case is shown."""
        return self.state.case == "demo"
