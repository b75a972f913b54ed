"""The store's errors, and the rules about case names that raise them."""

from __future__ import annotations

from casemap.demo import DEMO_CASE
from casemap.store.tables import MAX_CASE_NAME

__all__ = [
    "StoreError", "ReadOnlyCaseError", "UnknownCaseError", "DuplicateKeyError", "NothingToUndoError",
    "check_case_name", "is_valid_case_name", "check_writable",
]


class StoreError(Exception):
    """Base class for store errors."""


class ReadOnlyCaseError(StoreError):
    """The demo case is read-only."""


class UnknownCaseError(StoreError, KeyError):
    """No case of that name is stored."""


class DuplicateKeyError(StoreError, ValueError):
    """Appending rows whose ids already exist in the case."""


class NothingToUndoError(StoreError):
    """The case has no import left to undo (``reason="none"``) or was changed after it (``"changed"``)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def check_case_name(case: object) -> str:
    """Return ``case`` if it can name a case, else raise ``StoreError``."""
    if not isinstance(case, str) or not case.strip() or case != case.strip() or len(case) > MAX_CASE_NAME:
        raise StoreError(f"invalid case name {case!r}: 1-{MAX_CASE_NAME} characters, no surrounding spaces")
    return case


def is_valid_case_name(case: object) -> bool:
    """Whether ``case`` can name a case: 1-100 characters, no surrounding spaces."""
    try:
        check_case_name(case)
    except StoreError:
        return False
    return True


def check_writable(case: str, allow_demo: bool = False) -> None:
    """Refuse a write to the demo case (``ReadOnlyCaseError``) unless ``allow_demo`` is set."""
    if case == DEMO_CASE and not allow_demo:
        raise ReadOnlyCaseError(f"the {DEMO_CASE!r} case is read-only; import into another case")
