"""Exports: formula neutralisation, templates, rejected rows, and import -> export -> import round trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from casemap import exporter, importer
from casemap.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'casemap.sqlite'}") as s:
        s.ensure()
        yield s


def read_csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Chinese right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx_cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))  # not data_only: formulas would show as formulas
    return [cell for row in book.active.iter_rows() for cell in row]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+8613800000000", "'+8613800000000"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=x", "''=x"),  # so that taking one apostrophe off on import gives "'=x" back
        ("'abc", "'abc"),
        ("a=b", "a=b"),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("", ""),
        (12.5, 12.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert exporter.neutralise(value) == expected


def import_into(store, case, data, name, mode="append"):
    result = importer.import_file(data, name)
    importer.commit(store, case, [result], mode=mode)
    return result


def test_no_exported_csv_or_xlsx_cell_starts_a_formula(store):
    import_into(store, "c", (FIXTURES / "suspects_messy.csv").read_bytes(), "s.csv")
    frame = store.load("c").suspects
    cells = [c for row in read_csv_cells(exporter.export_bytes(frame, "suspects", "csv")) for c in row]
    assert "'=HYPERLINK(\"http://example.invalid\",\"点我\")" in cells
    assert not [c for c in cells if c[:1] in TRIGGERS]
    xlsx_cells = read_xlsx_cells(exporter.export_bytes(frame, "suspects", "xlsx"))
    assert not [c.coordinate for c in xlsx_cells if c.data_type == "f"]
    assert not [c.value for c in xlsx_cells if isinstance(c.value, str) and c.value[:1] in TRIGGERS]


def test_export_spreads_extra_back_into_its_columns(store):
    import_into(store, "c", (FIXTURES / "suspects_messy.csv").read_bytes(), "s.csv")
    table = exporter.export_frame(store.load("c").suspects, "suspects")
    assert list(table.columns[-2:]) == ["QQ号", "备注"]
    assert "extra" not in table.columns
    first = table.set_index("suspect_id").loc["S001"]
    assert (first["QQ号"], first["备注"], first["city_adcode"]) == ("12345678", "首批抓获", "431000")


@pytest.mark.parametrize("fmt", exporter.FORMATS)
@pytest.mark.parametrize("kind, fixture", [("suspects", "suspects_messy.csv"), ("payments", "payments_messy_gb18030.csv")])
def test_import_export_import_gives_the_same_stored_rows(store, fmt, kind, fixture):
    import_into(store, "first", (FIXTURES / fixture).read_bytes(), fixture)
    stored = getattr(store.load("first"), kind)
    assert len(stored) > 0
    exported = exporter.export_bytes(stored, kind, fmt)
    again = import_into(store, "second", exported, f"export.{fmt}")
    assert again.lists[0].rejected == 0
    pd.testing.assert_frame_equal(getattr(store.load("second"), kind), stored)


@pytest.mark.parametrize("fmt", exporter.FORMATS)
def test_the_demo_case_round_trips_with_every_column(store, fmt):
    demo = store.load("demo")
    for kind in ("suspects", "payments"):
        exported = exporter.export_bytes(getattr(demo, kind), kind, fmt)
        result = importer.import_file(exported, f"demo-{kind}.{fmt}")
        assert result.lists[0].rejected == 0, result.lists[0].rejects[:3]
        assert result.lists[0].unused == ()
        importer.commit(store, f"copy-{fmt}", [result])
    copy = store.load(f"copy-{fmt}")
    pd.testing.assert_frame_equal(copy.suspects, demo.suspects)
    pd.testing.assert_frame_equal(copy.payments, demo.payments)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "kind, row",
    [
        ("suspects", ["S1", "周某", "手机口", "已抓获", "湖南", "郴州", "城关镇", "2024-08-03", "1.2万"]),
        ("payments", ["P1", "2024-08-03 10:00", "S1", "S2", "支付宝", "100", "号码租用费"]),
    ],
)
def test_a_filled_in_template_imports_with_every_column_used(kind, row, lang):
    template = exporter.template_csv(kind, lang)
    header = read_csv_cells(template)
    assert len(header) == 1  # headers only: no example row that could be imported by mistake
    data = template + ",".join(row).encode("utf-8") + b"\r\n"
    (parsed,) = importer.import_file(data, "template.csv").lists
    assert parsed.kind == kind and parsed.accepted == 1 and parsed.unused == ()
    assert set(parsed.mapping) == set(header[0])


def test_templates_use_the_documented_headers():
    docs = (Path(__file__).resolve().parent.parent / "docs" / "import.md").read_text(encoding="utf-8")
    for kind in importer.KINDS:
        for lang in ("en", "zh"):
            header = read_csv_cells(exporter.template_csv(kind, lang))[0]
            assert ",".join(header) in docs


@pytest.mark.parametrize("lang, head", [("en", ["Row", "Column", "Reason"]), ("zh", ["行号", "列", "原因"])])
def test_rejected_rows_csv_is_neutralised_and_in_the_users_language(lang, head):
    data = "编号,姓名,角色,状态,省份,城市\r\nS1,=cmd|' /C calc'!A0,老板,已抓获,湖南,郴州\r\n".encode()
    (parsed,) = importer.import_file(data, "r.csv").lists
    rows = read_csv_cells(exporter.rejects_csv([parsed], lang))
    assert rows[0][:3] == head
    assert rows[1][0] == "2" and rows[1][1] == "角色"
    assert rows[1][4] == "'=cmd|' /C calc'!A0"
    assert not [c for row in rows for c in row if c[:1] in TRIGGERS]


def test_rejects_of_several_lists_name_their_list():
    suspects = importer.import_file((FIXTURES / "suspects_messy.csv").read_bytes(), "s.csv").lists[0]
    payments = importer.import_file((FIXTURES / "payments_messy_gb18030.csv").read_bytes(), "p.csv").lists[0]
    rows = read_csv_cells(exporter.rejects_csv([suspects, payments], "en"))
    assert rows[0][:4] == ["File", "Row", "Column", "Reason"]
    assert len(rows) - 1 == suspects.rejected + payments.rejected
    assert {r[0] for r in rows[1:]} == {"s.csv", "p.csv"}


def test_markdown_escape_defuses_links_images_and_colours():
    escaped = exporter.markdown_escape("![x](http://evil.invalid/a.png) :red[big] **b**")
    assert "![" not in escaped and "](" not in escaped and ":red[" not in escaped and "**" not in escaped
    # It reads as typed: the backslashes and the word joiner that keeps the address from linking are not seen.
    assert escaped.replace("\\", "").replace("\u2060", "") == "![x](http://evil.invalid/a.png) :red[big] **b**"


# -- writing a chunk at a time ----------------------------------------------------------------------


def chunks_of(frame: pd.DataFrame, size: int):
    return (frame.iloc[start:start + size] for start in range(0, len(frame), size))


@pytest.mark.parametrize("size", [1, 2, 1000])
def test_an_export_written_in_chunks_is_the_export_of_the_whole(store, size):
    import_into(store, "c", (FIXTURES / "suspects_messy.csv").read_bytes(), "s.csv")
    frame = store.load("c").suspects
    keys = exporter.extra_keys(frame["extra"])
    for fmt in exporter.FORMATS:
        out = io.BytesIO()
        written = exporter.write_export(out, "suspects", fmt, keys, chunks_of(frame, size))
        assert written == len(frame)
        whole = exporter.export_bytes(frame, "suspects", fmt)
        if fmt == "csv":
            assert out.getvalue() == whole
        else:
            assert [(c.value, c.data_type) for c in read_xlsx_cells(out.getvalue())] == [
                (c.value, c.data_type) for c in read_xlsx_cells(whole)]


def test_no_cell_of_a_chunked_export_starts_a_formula(store):
    import_into(store, "c", (FIXTURES / "suspects_messy.csv").read_bytes(), "s.csv")
    frame = store.load("c").suspects
    keys = exporter.extra_keys(frame["extra"])
    csv_out, xlsx_out = io.BytesIO(), io.BytesIO()
    exporter.write_export(csv_out, "suspects", "csv", keys, chunks_of(frame, 2))
    exporter.write_export(xlsx_out, "suspects", "xlsx", keys, chunks_of(frame, 2))
    cells = [c for row in read_csv_cells(csv_out.getvalue()) for c in row]
    assert "'=HYPERLINK(\"http://example.invalid\",\"点我\")" in cells
    assert not [c for c in cells if c[:1] in TRIGGERS]
    xlsx_cells = read_xlsx_cells(xlsx_out.getvalue())
    assert not [c.coordinate for c in xlsx_cells if c.data_type == "f"]
    assert not [c.value for c in xlsx_cells if isinstance(c.value, str) and c.value[:1] in TRIGGERS]


def test_a_header_that_looks_like_a_formula_stays_text_in_a_workbook():
    cells = read_xlsx_cells(exporter.to_xlsx(pd.DataFrame({"=SUM(A1:A9)": ["x"]})))
    assert (cells[0].value, cells[0].data_type) == ("=SUM(A1:A9)", "s")


def test_extra_keys_come_in_order_of_first_appearance():
    texts = ['{"b": 1}', None, "{}", '{"a": 2, "b": 3}', "not json", "[1]", '{"c": null}']
    assert exporter.extra_keys(texts) == ["b", "a", "c"]


def rows_of(n: int):
    return ([i, f"row {i}"] for i in range(n))


@pytest.mark.parametrize("rows, limit, allowed", [(3, 3, True), (4, 3, False), (0, 0, True), (5, None, True)])
def test_a_workbook_holds_at_most_its_row_limit(rows, limit, allowed):
    out = io.BytesIO()
    if allowed:
        assert exporter.write_xlsx(["n", "text"], rows_of(rows), out, max_rows=limit) == rows
        assert len(read_xlsx_cells(out.getvalue())) == 2 * (rows + 1)
    else:
        with pytest.raises(exporter.ExportTooLarge, match=f"at most {limit:,} rows"):
            exporter.write_xlsx(["n", "text"], rows_of(rows), out, max_rows=limit)


def test_the_row_limit_is_for_workbooks_only(store):
    frame = store.load("demo").suspects
    assert exporter.XLSX_MAX_ROWS >= 100_000  # the limit the Suspects page states
    with pytest.raises(exporter.ExportTooLarge):
        exporter.write_export(io.BytesIO(), "suspects", "xlsx", [], chunks_of(frame, 50), xlsx_max_rows=len(frame) - 1)
    out = io.BytesIO()
    assert exporter.write_export(out, "suspects", "csv", [], chunks_of(frame, 50), xlsx_max_rows=1) == len(frame)


def test_csv_is_written_row_by_row_from_a_generator():
    out = io.BytesIO()
    assert exporter.write_csv(["a", "b"], rows_of(3), out, bom=False) == 3
    assert out.getvalue() == b"a,b\r\n0,row 0\r\n1,row 1\r\n2,row 2\r\n"
    assert not out.closed  # the caller's file stays open
