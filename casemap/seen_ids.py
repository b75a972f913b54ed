"""The ids a list has had so far and the row each first appeared on, kept compact for a list of any length.

An id repeated anywhere in a list is rejected (CASE.md), so a parser must
remember every id it has seen. A Python dict of them costs about 170 bytes a
row (the text, the row number and the entry), several times a row's own bytes
in the file; here an id costs a 64-bit hash, its row number and its UTF-8 text
in an Arrow array, about 30 bytes. Hashes are keyed afresh for every list, so
no file can be made to collide, and a hash that matches is confirmed on the
text itself before a row is called a repeat.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["SeenIds"]


@dataclass(frozen=True)
class _Run:
    """Ids in the order of their hashes: hash, first row number, text."""

    hashes: np.ndarray  # uint64, sorted
    rows: np.ndarray  # int64
    ids: pa.Array  # large_string

    def __len__(self) -> int:
        return len(self.hashes)

    @staticmethod
    def merged(first: _Run, second: _Run) -> _Run:
        hashes = np.concatenate([first.hashes, second.hashes])
        order = np.argsort(hashes, kind="stable")  # two sorted runs: a merge
        ids = pa.concat_arrays([first.ids, second.ids]).take(pa.array(order))
        return _Run(hashes[order], np.concatenate([first.rows, second.rows])[order], ids)

    def find(self, hashes: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """The first row of each of ``ids`` found in this run, -1 where it is not."""
        found = np.full(len(ids), -1, dtype=np.int64)
        if not len(self):
            return found
        at = np.searchsorted(self.hashes, hashes)
        for i in np.flatnonzero(self.hashes[np.minimum(at, len(self) - 1)] == hashes).tolist():
            j = int(at[i])
            while j < len(self) and self.hashes[j] == hashes[i]:  # equal hashes sit together
                if self.ids[j].as_py() == ids[i]:
                    found[i] = self.rows[j]
                    break
                j += 1
        return found


class SeenIds:
    """Every id of a list so far with its first row: ask chunk by chunk which rows repeat an earlier id."""

    def __init__(self) -> None:
        self._key = secrets.token_hex(8)  # 16 characters, as pandas' hash key must be
        self._runs: list[_Run] = []

    def __len__(self) -> int:
        return sum(len(run) for run in self._runs)

    def repeats(self, ids: np.ndarray, numbers: np.ndarray) -> dict[int, tuple[str, int]]:
        """Positions of ``ids`` (row ``numbers``) whose id an earlier row had: position -> (id, that row).

        The earlier row may be in this chunk or in one asked about before; the
        chunk's new ids are remembered. A missing id (None) is never a repeat.
        """
        present = np.flatnonzero(pd.notna(ids))
        if not len(present):
            return {}
        codes, uniques = pd.factorize(ids[present])
        uniques = np.asarray(uniques, dtype=object)
        first_at = np.unique(codes, return_index=True)[1]  # where each distinct id first appears in the chunk
        first_row = np.asarray(numbers, dtype=np.int64)[present][first_at]
        hashes = pd.util.hash_array(uniques, hash_key=self._key, categorize=False)
        earlier = np.full(len(uniques), -1, dtype=np.int64)
        for run in self._runs:
            missing = np.flatnonzero(earlier < 0)
            if not len(missing):
                break
            earlier[missing] = run.find(hashes[missing], uniques[missing])
        new = earlier < 0
        first_row = np.where(new, first_row, earlier)
        self._remember(hashes[new], first_row[new], uniques[new])
        rows = np.asarray(numbers, dtype=np.int64)[present]
        repeated = np.flatnonzero(rows != first_row[codes])
        return {int(present[i]): (uniques[codes[i]], int(first_row[codes[i]])) for i in repeated.tolist()}

    def _remember(self, hashes: np.ndarray, rows: np.ndarray, ids: np.ndarray) -> None:
        if not len(hashes):
            return
        order = np.argsort(hashes, kind="stable")
        self._runs.append(_Run(hashes[order], rows[order], pa.array(ids[order].tolist(), type=pa.large_string())))
        # Merge runs of similar size: O(log n) runs, each id merged O(log n) times.
        while len(self._runs) > 1 and len(self._runs[-2]) < 2 * len(self._runs[-1]):
            second = self._runs.pop()
            self._runs[-1] = _Run.merged(self._runs[-1], second)
