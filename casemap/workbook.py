"""Reading .xlsx workbooks within a budget, a row at a time.

A workbook is a zip of XML parts, and a few MB of it can unpack to hundreds of
MB of cells, or to a few cells far apart that a reader pads into millions.
So nothing is built before the workbook is measured: every part's declared
size is checked, the shared strings are read against the budget, and each
sheet is counted as it streams past (rows, columns, cells, characters) with
no tree kept. Only a workbook within every limit is then read, row by row,
with openpyxl's read-only reader. Reading one thus costs at most what the
limits allow, whatever the file holds or claims; what exceeds them is
refused with ``ImportFileError`` naming the limit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import iterparse
from xml.parsers import expat

from casemap.fields import check_width
from casemap.readers import ImportFileError

__all__ = ["MAX_UNZIPPED", "MAX_PART", "MAX_CELLS", "MAX_CHARS", "MAX_ROWS", "read_workbook", "too_large"]

# Limits of one workbook. A workbook holds at most about what the largest CSV
# upload holds (50 MB: some 5 million cells, 50 million characters), so that
# reading one keeps well under 1 GB (tests/test_workbook.py measures it).
MAX_UNZIPPED = 400 * 2**20  # all parts, as the zip declares them
MAX_PART = 16 * 2**20  # a part openpyxl reads whole (styles, workbook, relations): only sheets and strings stream
MAX_CELLS = 5_000_000  # cells in all sheets, and entries of the shared strings
MAX_CHARS = 50_000_000  # characters in all cells, and in the shared strings
MAX_ROWS = 1_048_576  # Excel's last row

_CONTENT_TYPES = "[Content_Types].xml"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class _Budget:
    """Cells and characters counted so far against :data:`MAX_CELLS` and :data:`MAX_CHARS`."""

    def __init__(self):
        self.cells = self.chars = 0

    def add(self, cells: int, chars: int) -> None:
        self.cells += cells
        self.chars += chars
        if self.cells > MAX_CELLS:
            raise ImportFileError("too_many_cells", limit=f"{MAX_CELLS:,}")
        if self.chars > MAX_CHARS:
            raise ImportFileError("too_many_chars", limit=f"{MAX_CHARS:,}")


def read_workbook(source: BinaryIO) -> Iterator[tuple[str, Iterator[tuple[int, list[object]]]]]:
    """Each sheet of the .xlsx in ``source``: (title, its rows as (row number, cells)), read as consumed.

    The whole workbook is measured on the first step, before any row is
    built; the sheets are meant to be consumed in turn. Raises
    ``ImportFileError`` for a workbook over a limit or one that cannot be read.
    """
    with _readable():
        book = _open(source)
    try:
        for sheet in book.worksheets:
            yield sheet.title, _rows(sheet)
    finally:
        book.close()


@contextlib.contextmanager
def _readable() -> Iterator[None]:
    """Let ``ImportFileError`` through; anything else openpyxl or the zip raise means a damaged workbook."""
    try:
        yield
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many types on a damaged workbook
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFileError("bad_workbook", detail=detail[:200]) from None


def _rows(sheet) -> Iterator[tuple[int, list[object]]]:
    # The stored dimension is often wrong (and may claim a million rows): read the rows there are.
    sheet.reset_dimensions()
    with _readable():
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if cells:  # rows the sheet skips come as () and hold nothing
                yield number, list(cells)


def _open(source: BinaryIO):
    from openpyxl.reader.excel import ExcelReader  # late: only workbooks need it
    from openpyxl.xml.constants import SHARED_STRINGS, WORKSHEET_TYPE

    class MeasuredReader(ExcelReader):
        """openpyxl's read-only reader, with the parts measured before it reads them."""

        def read_manifest(self):
            sizes = {info.filename: info.file_size for info in self.archive.infolist()}
            if sum(sizes.values()) > MAX_UNZIPPED or sizes.get(_CONTENT_TYPES, 0) > MAX_PART:
                raise too_large()
            super().read_manifest()
            streamed = {part.PartName[1:] for part in self.package.Override
                        if part.ContentType in (SHARED_STRINGS, WORKSHEET_TYPE)}
            if any(size > MAX_PART for name, size in sizes.items() if name not in streamed):
                raise too_large()

        def read_strings(self):
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as src:
                    self.shared_strings = _read_shared_strings(src, _Budget())

        def read_worksheets(self):
            for _, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    with self.archive.open(rel.target) as src:
                        _measure_sheet(src, self.shared_strings, cells)
            super().read_worksheets()

    cells = _Budget()  # of every sheet together: all their rows are held once parsed
    reader = MeasuredReader(source, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def too_large() -> ImportFileError:
    """The refusal of a workbook that unpacks to more than :data:`MAX_UNZIPPED`, or with a part too large."""
    return ImportFileError("too_large_unzipped", limit_mb=MAX_UNZIPPED // 2**20)


def _read_shared_strings(source: BinaryIO, budget: _Budget) -> list[str]:
    """The shared strings table as openpyxl reads it, counted as it grows, each entry let go once read."""
    from openpyxl.cell.text import Text

    strings: list[str] = []
    root = None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
        elif event == "end" and node.tag == f"{_MAIN}si":
            text = Text.from_tree(node).content.replace("x005F_", "")
            budget.add(1, len(text))
            strings.append(text)
            root.clear()  # the table's elements are not kept
    return strings


def _measure_sheet(source: BinaryIO, strings: list[str], budget: _Budget) -> None:
    """Count a sheet's rows, columns, cells and characters as its XML streams past; raise at the first limit.

    Nothing is kept but the counts: the parser calls back per element and
    builds no tree. Every cell the sheet lists counts, with or without a value.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    at = {"row": 0, "column": 0, "type": None, "text": None}

    def start(name: str, attrs: dict) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "c":
            ref = attrs.get("r")
            at["column"] = _column(ref) if ref else at["column"] + 1
            check_width(at["column"])  # a cell far to the right would make every row that wide
            at["type"] = attrs.get("t")
            budget.add(1, 0)
        elif tag == "row":
            at["row"] = int(attrs["r"]) if "r" in attrs else at["row"] + 1
            at["column"] = 0
            if at["row"] > MAX_ROWS:
                raise ImportFileError("too_many_rows", limit=f"{MAX_ROWS:,}")
        elif tag in ("v", "t"):
            at["text"] = []

    def text(data: str) -> None:
        if at["text"] is not None:
            at["text"].append(data)

    def end(name: str) -> None:
        tag = name.rpartition(" ")[2]
        if tag in ("v", "t") and at["text"] is not None:
            value = "".join(at["text"])
            at["text"] = None
            if at["type"] == "s" and tag == "v":
                index = int(value)
                budget.add(0, len(strings[index]) if 0 <= index < len(strings) else 0)
            else:
                budget.add(0, len(value))

    parser.StartElementHandler, parser.CharacterDataHandler, parser.EndElementHandler = start, text, end
    parser.ParseFile(source)


def _column(ref: str) -> int:
    """The column number of a cell reference ("AB12" is 28)."""
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(ref.rstrip("0123456789"))
