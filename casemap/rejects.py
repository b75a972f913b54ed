"""Rejected rows: what was wrong with a cell, the rejected row, and the rejects file.

A rejects file is a CSV of the rejected rows: row number, column(s), reason,
then the row's original cells under the file's headers, cells neutralised so
no spreadsheet runs them. ``RejectsFile`` writes one a chunk at a time for a
file of any size; its bytes are those of ``exporter.rejects_csv`` for the
same list.
"""

from __future__ import annotations

import csv
import tempfile
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from casemap import vocab
from casemap.exporter import neutralise, write_csv
from casemap.i18n import t

__all__ = ["VOCABS", "Problem", "Reject", "Rejects", "cell_text", "RejectsFile"]

# How a rejected row's text cells are packed (Reject.of): the unit separator between cells, NUL for a missing one.
_SEPARATOR, _MISSING = "\x1f", "\x00"
VOCABS = {
    "role": vocab.ROLES, "status": vocab.STATUSES, "channel": vocab.CHANNELS, "kind": vocab.ACCOUNT_KINDS,
    "account_status": vocab.ACCOUNT_STATUSES, "relation": vocab.RELATIONS, "lead_source": vocab.LEAD_SOURCES,
}


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
    stored or dropped: the cells are kept packed under the list's shared
    headers, rather than as a dict and a string per cell. Text cells (a CSV's
    always are) become one UTF-8 string, the cells split by a control
    character no cell holds; anything else stays a tuple.
    """

    row: int
    headers: tuple[str, ...]
    packed: bytes | tuple
    problems: tuple[Problem, ...]

    @classmethod
    def of(cls, row: int, headers: Sequence[str], values: Sequence[object], problems: tuple[Problem, ...]) -> Reject:
        """The rejected row ``row`` with cells ``values`` under ``headers``."""
        if all(value is None or (type(value) is str and _SEPARATOR not in value and _MISSING not in value)
               for value in values):
            packed = _SEPARATOR.join(_MISSING if value is None else value for value in values).encode()
        else:
            packed = tuple(values)
        return cls(row, tuple(headers), packed, problems)

    @property
    def cells(self) -> dict[str, object]:
        """The row's original cells by header."""
        if isinstance(self.packed, bytes):
            values = [None if v == _MISSING else v for v in self.packed.decode().split(_SEPARATOR)]
        else:
            values = self.packed
        return dict(zip(self.headers, values))

    @property
    def column(self) -> str:
        """The column(s) at fault, comma-separated."""
        return ", ".join(dict.fromkeys(p.column for p in self.problems))

    def reason(self, lang: str) -> str:
        """Every problem of the row in ``lang``, one sentence each."""
        return " ".join(p.text(self.row, lang) for p in self.problems)


class Rejects(Sequence[Reject]):
    """A list's rejected rows, held packed until the list is stored or dropped; a sequence of :class:`Reject`.

    A list may be rejected whole. Instead of an object per row, the rows'
    packed text goes into one buffer, and the row numbers and ends into
    arrays; a row's headers and problems are shared objects (see
    ``ListParser._problem``), so each costs a reference. A :class:`Reject`
    is made again when one is asked for.
    """

    def __init__(self, rejects: Iterable[Reject] = ()):
        self._rows = array("q")
        self._ends = array("q")
        self._text = bytearray()
        self._headers: list[tuple[str, ...]] = []
        self._problems: list[tuple[Problem, ...]] = []
        self._cells: dict[int, tuple] = {}  # rows whose cells are not all text (workbooks)
        self.extend(rejects)

    def extend(self, rejects: Iterable[Reject]) -> None:
        """Add rejected rows."""
        for reject in rejects:
            if isinstance(reject.packed, bytes):
                self._text += reject.packed
            else:
                self._cells[len(self._rows)] = reject.packed
            self._rows.append(reject.row)
            self._ends.append(len(self._text))
            self._headers.append(reject.headers)
            self._problems.append(reject.problems)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        packed = self._cells.get(index)
        if packed is None:
            start = self._ends[index - 1] if index else 0
            packed = bytes(self._text[start:self._ends[index]])
        return Reject(self._rows[index], self._headers[index], packed, self._problems[index])

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None


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
