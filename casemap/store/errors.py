"""The store's errors, and the rules about case names that raise them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from casemap.demo import DEMO_CASE
from casemap.store.tables import MAX_CASE_NAME

__all__ = [
    "StoreError", "ReadOnlyCaseError", "UnknownCaseError", "DuplicateKeyError", "UnknownLinkEndError", "NothingToUndoError", "CaseNameError",
    "fold_case_name", "case_name_problem", "check_case_name", "is_valid_case_name", "check_writable",
]


class StoreError(Exception):
    """Base class for store errors."""


class ReadOnlyCaseError(StoreError):
    """The demo case is read-only."""


class UnknownCaseError(StoreError, KeyError):
    """No case of that name is stored."""


class DuplicateKeyError(StoreError, ValueError):
    """Appending rows whose ids already exist in the case."""


class UnknownLinkEndError(StoreError, ValueError):
    """Links naming an end that is neither a suspect nor an account of the case (``missing``: those ids)."""

    def __init__(self, case: str, missing: list[str], rows: int):
        self.case, self.missing, self.rows = case, missing, rows
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        super().__init__(f"links: {rows} row(s) name an end unknown in case {case!r}: {shown}")


class NothingToUndoError(StoreError):
    """The case has no import left to undo (``reason="none"``) or was changed after it (``"changed"``)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class CaseNameError(StoreError, ValueError):
    """A name that cannot name a new case; ``code`` says why (a ``case_name_<code>`` string), ``params`` fill it."""

    def __init__(self, case: object, code: str, **params):
        self.case, self.code, self.params = case, code, params
        super().__init__(f"invalid case name {case!r}: {self.message('en')}")

    def message(self, lang: str) -> str:
        """Why the name was refused, in ``lang``."""
        from casemap.i18n import t  # late: i18n pulls in the whole string table

        return t(f"case_name_{self.code}", lang, limit=MAX_CASE_NAME, **self.params)


# Characters a case name may not hold: control characters, zero-width and
# bidirectional formatting, line and paragraph separators, private-use and
# unassigned code points. Each makes a name that reads like another one.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def fold_case_name(case: str) -> str:
    """The form two names that look alike share: compatibility forms unified, case ignored ("Ｄｅｍｏ" -> "demo")."""
    return unicodedata.normalize("NFKC", case).casefold()


def case_name_problem(case: object, existing: Iterable[str] = ()) -> CaseNameError | None:
    """Why ``case`` cannot name a case, or None when it can: the one rule for the store, the command line and the page.

    A name is 1-100 characters with no surrounding spaces; it holds no hidden
    character (control, zero-width, bidirectional, line breaks) and no space
    but the plain one; it does not look like the demo case ("Demo", "ｄｅｍｏ")
    or like another of the ``existing`` names ("Linwu" beside "linwu").
    """
    if not isinstance(case, str) or not case.strip():
        return CaseNameError(case, "empty")
    if len(case) > MAX_CASE_NAME:
        return CaseNameError(case, "too_long")
    if case != case.strip():
        return CaseNameError(case, "spaces")
    if any(unicodedata.category(ch) in _HIDDEN_CATEGORIES or (ch.isspace() and ch != " ") for ch in case):
        return CaseNameError(case, "hidden")
    folded = fold_case_name(case)
    if case != DEMO_CASE and folded == fold_case_name(DEMO_CASE):
        return CaseNameError(case, "demo")
    other = next((name for name in existing if name != case and fold_case_name(name) == folded), None)
    if other is not None:
        return CaseNameError(case, "looks_like", other=other)
    return None


def check_case_name(case: object, existing: Iterable[str] = ()) -> str:
    """Return ``case`` if it can name a case (:func:`case_name_problem`), else raise ``CaseNameError``."""
    problem = case_name_problem(case, existing)
    if problem is not None:
        raise problem
    return case


def is_valid_case_name(case: object, existing: Iterable[str] = ()) -> bool:
    """Whether ``case`` can name a case (:func:`case_name_problem`)."""
    return case_name_problem(case, existing) is None


def check_writable(case: str, allow_demo: bool = False) -> None:
    """Refuse a write to the demo case (``ReadOnlyCaseError``) unless ``allow_demo`` is set."""
    if case == DEMO_CASE and not allow_demo:
        raise ReadOnlyCaseError(f"the {DEMO_CASE!r} case is read-only; import into another case")
