"""Workbook bombs: a workbook is measured before anything is built, and refused past a limit (casemap/workbook.py).

The bombs are written part by part with ``zipfile``: a sheet of highly
repetitive rows compresses enormously, so a few MB unpack to hundreds.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from casemap import importer, workbook
from casemap.importer import ImportFileError
from casemap.store import Store

ROOT = Path(__file__).resolve().parents[1]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADER = ("编号", "角色", "状态", "省份", "城市")


def write_workbook(path: Path, sheet_rows: Iterable[str], shared: Iterable[str] = (), dimension: str = "A1") -> Path:
    """An .xlsx of one sheet whose rows are the given ``<row>`` XML, streamed into the zip as written."""
    shared = list(shared)
    overrides = [("/xl/workbook.xml", f"{TYPES}.sheet.main+xml"), ("/xl/worksheets/sheet1.xml", f"{TYPES}.worksheet+xml")]
    if shared:
        overrides.append(("/xl/sharedStrings.xml", f"{TYPES}.sharedStrings+xml"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
            + "</Types>"))
        archive.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="嫌疑人" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
            + "</Relationships>"))
        if shared:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">' + "".join(
                f"<si><t>{text}</t></si>" for text in shared) + "</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode())
            block: list[str] = []
            for row in sheet_rows:
                block.append(row)
                if len(block) == 10_000:
                    sheet.write("".join(block).encode())
                    block.clear()
            sheet.write(("".join(block) + "</sheetData></worksheet>").encode())
    return path


def row(number: int, cells: Iterable[str], first_column: int = 1) -> str:
    """One ``<row>`` of inline-text cells from ``first_column`` on."""
    return f'<row r="{number}">' + "".join(
        f'<c r="{letters(first_column + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(cells)) + "</row>"


def same_rows(count: int, cells: Iterable[str]) -> Iterator[str]:
    """``count`` identical rows without cell references (which a sheet may leave out): they compress best."""
    line = "<row>" + "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in cells) + "</row>"
    return (line for _ in range(count))


def letters(column: int) -> str:
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


def suspect_rows(count: int, start: int = 2) -> Iterator[str]:
    yield row(1, HEADER)
    for number in range(start, start + count):
        yield row(number, (f"S{number}", "手机口", "在逃", "湖南", "郴州"))


# -- what a workbook within the limits reads -----------------------------------------------------------


def test_a_generated_workbook_reads_as_a_list(tmp_path):
    data = write_workbook(tmp_path / "small.xlsx", suspect_rows(30)).read_bytes()
    (parsed,) = importer.import_file(data, "small.xlsx").lists
    assert (parsed.kind, parsed.rows, parsed.accepted, parsed.sheet) == ("suspects", 30, 30, "嫌疑人")


def test_rows_the_sheet_skips_cost_nothing_and_keep_their_numbers(tmp_path):
    rows = [row(1, HEADER), row(2, ("S1", "手机口", "在逃", "湖南", "郴州")),
            row(workbook.MAX_ROWS, ("S2", "老板", "在逃", "湖南", "郴州"))]
    data = write_workbook(tmp_path / "far.xlsx", rows, dimension=f"A1:XFD{workbook.MAX_ROWS}").read_bytes()
    (parsed,) = importer.import_file(data, "far.xlsx").lists
    assert (parsed.rows, parsed.accepted) == (2, 1)
    assert [reject.row for reject in parsed.rejects] == [workbook.MAX_ROWS]


# -- refused, naming the limit ---------------------------------------------------------------------------


def refusal(data: bytes) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        importer.import_file(data, "bomb.xlsx")
    return caught.value


def test_a_cell_far_to_the_right_is_refused_before_any_row_is_padded(tmp_path):
    rows = [row(1, HEADER), row(2, ("S1", "手机口", "在逃", "湖南", "郴州")), row(3, ("x",), first_column=16_384)]
    error = refusal(write_workbook(tmp_path / "wide.xlsx", rows).read_bytes())
    assert error.code == "too_many_columns" and "16,384" in error.message("en")


def test_a_row_beyond_excels_last_is_refused(tmp_path):
    rows = [row(1, HEADER), row(workbook.MAX_ROWS + 1, ("S1", "手机口", "在逃", "湖南", "郴州"))]
    error = refusal(write_workbook(tmp_path / "long.xlsx", rows).read_bytes())
    assert error.code == "too_many_rows"
    assert f"{workbook.MAX_ROWS:,}" in error.message("en") and f"{workbook.MAX_ROWS:,}" in error.message("zh")


def test_a_shared_string_repeated_in_every_cell_counts_each_time(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_CHARS", 1_000)
    text = "湖" * 100
    rows = [row(1, HEADER)] + [f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(2, 13)]
    error = refusal(write_workbook(tmp_path / "echo.xlsx", rows, shared=[text]).read_bytes())
    assert error.code == "too_many_chars" and "1,000" in error.message("en") and "1,000" in error.message("zh")


def test_a_part_read_whole_is_refused_when_large(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_PART", 100)
    error = refusal(write_workbook(tmp_path / "meta.xlsx", suspect_rows(3)).read_bytes())
    assert error.code == "too_large_unzipped"


# -- the peak memory of a bomb ------------------------------------------------------------------------

# Runs in its own process, its address space capped so that a reader gone wrong fails here instead of
# taking the machine: the peak resident size of reading each file, and what the import said.
MEMORY_PROBE = """
import gc, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))
from casemap import importer

def status(field):
    return next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith(field + ":"))

for path in sys.argv[1:]:
    gc.collect()
    open("/proc/self/clear_refs", "w").write("5")  # the peak resident size starts again from here
    before = status("VmRSS")
    data = open(path, "rb").read()
    try:
        importer.import_file(data, "bomb.xlsx")
        outcome = "read"
    except importer.ImportFileError as error:
        outcome = error.code
    del data
    print(outcome, status("VmHWM") - before, flush=True)
"""


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        # The bomb: a sheet of highly repetitive rows that unpacks to some 390 MB.
        "many": write_workbook(folder / "many.xlsx", same_rows(1_800_000, ("S1", "手机口", "在逃", "湖南", "郴州"))),
        # Fewer cells, each long: the characters run out first.
        "long": write_workbook(folder / "long.xlsx", itertools.chain(
            [row(1, (*HEADER, "地址"))], same_rows(30_000, ("S1", "手机口", "在逃", "湖南", "郴州", "某" * 2_000)))),
        # Sparse: 2,000 rows, each with a cell in Excel's last column, and the dimension of the whole sheet.
        "sparse": write_workbook(folder / "sparse.xlsx", itertools.chain([row(1, HEADER)], (
            row(n, (f"S{n}", "手机口", "在逃", "湖南", "郴州")).replace(
                "</row>", f'<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>') for n in range(2, 2_002)
        )), dimension="A1:XFD1048576"),
    }


def test_workbook_bombs_are_refused_within_a_gigabyte(bombs):
    files = list(bombs.values())
    for path in files:
        assert path.stat().st_size < importer.MAX_BYTES  # each gets past the upload limit
        with zipfile.ZipFile(path) as archive:
            print(f"{path.name}: {path.stat().st_size / 2**20:.1f} MB, unpacks to "
                  f"{sum(i.file_size for i in archive.infolist()) / 2**20:.0f} MB")
    with zipfile.ZipFile(bombs["many"]) as archive:
        assert 350 * 2**20 < sum(i.file_size for i in archive.infolist()) < workbook.MAX_UNZIPPED
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, *map(str, files)], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    outcomes = [line.split() for line in done.stdout.splitlines()]
    for path, (outcome, peak) in zip(files, outcomes):
        print(f"{path.name}: {outcome}, peak {int(peak) / 2**20:.0f} MB above the process before it")
    assert [outcome for outcome, _ in outcomes] == ["too_many_cells", "too_many_chars", "too_many_columns"]
    assert all(int(peak) <= 2**30 for _, peak in outcomes)


# The command line in its own process, its address space capped as above; it prints its peak resident size last.
CLI_PROBE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))
from casemap.cli import main
code = main(sys.argv[1:])
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")), file=sys.stderr)
sys.exit(code)
"""


def test_the_command_line_refuses_a_bomb_with_exit_2_naming_file_and_limit(bombs, tmp_path):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "CASEMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite'}",
           "CASEMAP_SNAPSHOT_DIR": str(tmp_path / "snapshots")}
    done = subprocess.run([sys.executable, "-c", CLI_PROBE, "import", str(bombs["long"]), "--case", "bomb"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    *said, peak_kb = done.stderr.strip().splitlines()
    print(*said, f"peak {int(peak_kb) / 1024:.0f} MB", sep="\n")
    assert done.returncode == 2, done.stderr[-2000:]
    assert str(bombs["long"]) in said[-1] and f"{workbook.MAX_CHARS:,}" in said[-1]
    assert int(peak_kb) * 1024 <= 2**30
    assert not (tmp_path / "snapshots").exists() and "bomb" not in Store(env["CASEMAP_DATABASE_URL"]).cases()


def test_a_workbook_file_larger_than_it_may_unpack_is_not_even_read(tmp_path, monkeypatch):
    from casemap import file_import

    monkeypatch.setattr(workbook, "MAX_UNZIPPED", 100)
    path = write_workbook(tmp_path / "big.xlsx", suspect_rows(3))
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read whole"))
    with pytest.raises(ImportFileError) as caught:
        file_import.import_path(Store(f"sqlite:///{tmp_path / 'c.sqlite'}"), path, "big")
    assert caught.value.code == "too_large_unzipped"


@pytest.mark.parametrize("lang, limit", [("en", "limit"), ("zh", "上限")])
def test_the_data_page_shows_a_bomb_as_an_error_and_goes_on(bombs, tmp_path, monkeypatch, lang, limit):
    from tests.apptest import page_test

    monkeypatch.setenv("CASEMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'c.sqlite'}")
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    at = page_test("data")
    at.query_params["lang"] = lang
    at.run()
    small = write_workbook(tmp_path / "small.xlsx", suspect_rows(3)).read_bytes()
    at.file_uploader[0].set_value([("long.xlsx", bombs["long"].read_bytes(), "application/octet-stream"),
                                   ("small.xlsx", small, "application/octet-stream")]).run(timeout=300)
    assert not at.exception, at.exception
    (error,) = at.error
    shown = error.value.replace("\\", "")
    assert "long.xlsx" in shown and f"{workbook.MAX_CHARS:,}" in shown and limit in shown
    assert [m.value for m in at.metric][:3] == ["3", "3", "0"]  # the other file is read all the same


def test_the_import_docs_state_the_workbook_limits():
    from casemap.fields import MAX_COLUMNS

    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for limit in (workbook.MAX_CELLS, workbook.MAX_CHARS, workbook.MAX_ROWS, MAX_COLUMNS):
        assert text.count(f"{limit:,}") >= 2, limit  # in English and in Chinese
    assert text.count(f"{workbook.MAX_UNZIPPED // 2**20} MB") >= 2
