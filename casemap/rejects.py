"""Rejected rows: what was wrong with a cell, the rejected row, and the rejects file.

A rejects file is a CSV of the rejected rows: row number, column(s), reason,
then the row's original cells under the file's headers, cells neutralised so
no spreadsheet runs them. ``RejectsFile`` writes one a chunk at a time for a
file of any size; its bytes are those of ``exporter.rejects_csv`` for the
same list.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from casemap import vocab
from casemap.exporter import neutralise, write_csv
from casemap.i18n import t

__all__ = ["VOCABS", "Problem", "Reject", "cell_text", "RejectsFile"]

VOCABS = {"role": vocab.ROLES, "status": vocab.STATUSES, "channel": vocab.CHANNELS}


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one cell: the column's header, a reason code and its values."""

    column: str
    code: str
    params: dict = field(default_factory=dict)

    def text(self, row: int, lang: str) -> str:
        """The reason in ``lang``, naming the row and the column."""
        params = dict(self.params)
        if "vocab" in params:
            terms = VOCABS[params.pop("vocab")]
            params["expected"] = ("、" if lang == "zh" else ", ").join(vocab.label(terms, v, lang) for v in vocab.values(terms))
        return t(f"reject_{self.code}", lang, row=row, column=self.column, **params)


@dataclass(frozen=True, slots=True)
class Reject:
    """A rejected row: its row number in the file, its original cells and what was wrong.

    A list may have as many rejected rows as rows, each kept until the list is
    stored or dropped: the cells are kept packed, as one JSON string when
    they are all text (a CSV's always are), under the list's shared headers,
    rather than as a dict and a string per cell.
    """

    row: int
    headers: tuple[str, ...]
    packed: str | tuple
    problems: tuple[Problem, ...]

    @classmethod
    def of(cls, row: int, headers: Sequence[str], values: Sequence[object], problems: tuple[Problem, ...]) -> Reject:
        """The rejected row ``row`` with cells ``values`` under ``headers``."""
        text = all(value is None or type(value) is str for value in values)
        packed = json.dumps(list(values), ensure_ascii=False) if text else tuple(values)
        return cls(row, tuple(headers), packed, problems)

    @property
    def cells(self) -> dict[str, object]:
        """The row's original cells by header."""
        values = json.loads(self.packed) if isinstance(self.packed, str) else self.packed
        return dict(zip(self.headers, values))

    @property
    def column(self) -> str:
        """The column(s) at fault, comma-separated."""
        return ", ".join(dict.fromkeys(p.column for p in self.problems))

    def reason(self, lang: str) -> str:
        """Every problem of the row in ``lang``, one sentence each."""
        return " ".join(p.text(self.row, lang) for p in self.problems)


def cell_text(value: object) -> str:
    """An original cell as the rejects table shows it (blank for a missing cell)."""
    return "" if value is None else str(value)


class RejectsFile:
    """The rejects file of one list, written as chunks are parsed and finished once the headers are all known.

    Rows go to a spool file first: a later, wider row may still add columns
    to the header.
    """

    def __init__(self, lang: str = "en"):
        self.lang = lang
        self.count = 0
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self._writer = csv.writer(self._spool)

    def add(self, rejects: Sequence[Reject], headers: Sequence[str]) -> None:
        """Spool rejected rows, their cells in the order of ``headers``."""
        for reject in rejects:
            cells = (cell_text(reject.cells.get(h)) for h in headers)
            self._writer.writerow([neutralise(v) for v in (str(reject.row), reject.column, reject.reason(self.lang), *cells)])
        self.count += len(rejects)

    def save(self, out: BinaryIO, headers: Sequence[str]) -> None:
        """Write the rejects CSV to the binary file ``out`` under the list's final headers."""
        head = [t("col_row", self.lang), t("col_column", self.lang), t("col_reason", self.lang), *headers]
        self._spool.seek(0)
        width = len(head)
        rows = (row + [""] * (width - len(row)) for row in csv.reader(self._spool))
        write_csv([neutralise(h) for h in head], rows, out)

    def close(self) -> None:
        """Remove the spool."""
        self._spool.close()
