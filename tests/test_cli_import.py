"""python -m casemap import / export: the JSON contract, exit codes, nothing stored on a bad file."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from casemap.store import Store
from tests.reference import headline

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SUSPECTS = FIXTURES / "suspects_messy.csv"
PAYMENTS = FIXTURES / "payments_messy_gb18030.csv"
IMPORT_KEYS = {"case", "kind", "rows", "accepted", "rejected", "rejects_file"}


@pytest.fixture
def database(tmp_path):
    return f"sqlite:///{tmp_path / 'casemap.sqlite'}"


def run(database, *args):
    env = {**os.environ, "CASEMAP_DATABASE_URL": database, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "casemap", *map(str, args)], capture_output=True, env=env, cwd=REPO, timeout=120
    )


def ok_json(result) -> dict:
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout.decode())


def refused(result) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr.decode())
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert result.stdout == b""
    return lines[0]


def copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    target.write_bytes(source.read_bytes())
    return target


def test_import_prints_the_contract_json_and_writes_the_rejects(database, tmp_path):
    report = ok_json(run(database, "import", copy(SUSPECTS, tmp_path), "--case", "linwu", "--json"))
    assert set(report) == IMPORT_KEYS
    assert report == {**report, "case": "linwu", "kind": "suspects", "rows": 20, "accepted": 9, "rejected": 11}
    rejects = list(csv.reader(io.StringIO(Path(report["rejects_file"]).read_text(encoding="utf-8-sig"))))
    assert rejects[0][:3] == ["Row", "Column", "Reason"]
    assert [int(r[0]) for r in rejects[1:]] == list(range(13, 24))
    assert all("Row " in r[2] for r in rejects[1:])


def test_summary_after_import_equals_the_metrics_of_the_stored_rows(database, tmp_path):
    ok_json(run(database, "import", copy(SUSPECTS, tmp_path), "--case", "linwu", "--json"))
    report = ok_json(run(database, "import", copy(PAYMENTS, tmp_path), "--case", "linwu", "--json"))
    assert (report["kind"], report["accepted"], report["rejected"]) == ("payments", 5, 6)
    summary = ok_json(run(database, "summary", "--case", "linwu", "--json"))
    data = Store(database).load("linwu")
    assert summary == headline(data.suspects, data.payments)
    # From the fixtures by hand: 9 suspects accepted, 5 of them arrested (S001, S002, S004, S005, S007); payments 12000+3000+800+50000+0.
    assert (summary["suspects"], summary["arrested"], summary["payments"]) == (9, 5, 5)
    assert summary["amount_yuan"] == 12000 + 12500 + 12500 + 12500 + 8000 + 30000
    assert summary["payments_yuan"] == 65800


def test_the_import_is_logged_with_file_hash_and_counts(database, tmp_path):
    path = copy(SUSPECTS, tmp_path)
    ok_json(run(database, "import", path, "--case", "linwu", "--json"))
    history = Store(database).import_history("linwu")
    assert len(history) == 1
    row = history.iloc[0]
    assert (row["file_name"], row["kind"], row["rows"], row["accepted"], row["rejected"]) == (
        "suspects_messy.csv", "suspects", 20, 9, 11,
    )
    assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_importing_into_the_demo_case_is_refused(database, tmp_path):
    message = refused(run(database, "import", copy(SUSPECTS, tmp_path), "--json"))
    assert "demo" in message and "read-only" in message
    assert Store(database).import_history("demo").empty


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\x00\x01\x02\x03binary\xff\xfe" * 50, "neither a CSV"),
        (b"PK\x03\x04 broken zip", "damaged"),
        ("姓名,备注\n周某,x\n".encode(), "match neither kind"),
        (b"", "no rows"),
    ],
)
def test_an_unreadable_file_exits_2_and_stores_nothing(database, tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    message = refused(run(database, "import", path, "--case", "fresh", "--json"))
    assert words in message
    store = Store(database)
    assert "fresh" not in store.cases()
    assert store.import_history("fresh").empty
    assert not (tmp_path / "bad.rejects.csv").exists()


def test_a_missing_file_exits_2(database, tmp_path):
    assert "cannot read" in refused(run(database, "import", tmp_path / "nope.csv", "--case", "fresh"))


def test_a_forced_kind_that_does_not_fit_exits_2(database, tmp_path):
    message = refused(run(database, "import", copy(SUSPECTS, tmp_path), "--case", "x", "--kind", "payments"))
    assert "Transaction ID" in message


def test_appending_stored_ids_stores_nothing_and_replace_replaces(database, tmp_path):
    path = copy(SUSPECTS, tmp_path)
    ok_json(run(database, "import", path, "--case", "linwu", "--json"))
    version = Store(database).data_version("linwu")
    assert "already stored" in refused(run(database, "import", path, "--case", "linwu", "--json"))
    assert Store(database).data_version("linwu") == version
    report = ok_json(run(database, "import", path, "--case", "linwu", "--mode", "replace", "--json"))
    assert report["accepted"] == 9
    assert len(Store(database).load("linwu").suspects) == 9


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_rows(database, tmp_path, fmt):
    ok_json(run(database, "import", copy(SUSPECTS, tmp_path), "--case", "linwu", "--json"))
    out = tmp_path / f"linwu.{fmt}"
    result = run(database, "export", "--case", "linwu", "--kind", "suspects", "--format", fmt, "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    report = ok_json(run(database, "import", out, "--case", "copy", "--json"))
    assert (report["accepted"], report["rejected"], report["rejects_file"]) == (9, 0, None)
    store = Store(database)
    pd.testing.assert_frame_equal(store.load("copy").suspects, store.load("linwu").suspects)


def test_export_to_standard_output_has_the_adcode_columns(database):
    result = run(database, "export", "--kind", "suspects")
    assert result.returncode == 0, result.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"))))
    demo = Store(database).load("demo").suspects
    assert len(rows) == len(demo)
    assert {"province_adcode", "city_adcode"} <= set(rows[0])
    assert {r["province_adcode"] for r in rows} == set(demo["province_adcode"])


def test_a_workbook_is_never_written_to_a_terminal(database):
    import pty

    leader, terminal = pty.openpty()
    env = {**os.environ, "CASEMAP_DATABASE_URL": database, "PYTHONPATH": str(REPO)}
    try:
        done = subprocess.run([sys.executable, "-m", "casemap", "export", "--kind", "suspects", "--format", "xlsx"],
                              stdout=terminal, stderr=subprocess.PIPE, env=env, cwd=REPO, timeout=120, check=False)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 2
    message = done.stderr.decode().strip()
    assert len(message.splitlines()) == 1 and "-o FILE.xlsx" in message and "terminal" in message
    assert b"PK" not in shown and shown == b""
    # redirected, the same command writes the workbook
    piped = run(database, "export", "--kind", "suspects", "--format", "xlsx")
    assert piped.returncode == 0 and piped.stdout[:2] == b"PK"


def test_export_of_an_unknown_case_exits_2(database):
    assert "no case named" in refused(run(database, "export", "--case", "nope", "--kind", "payments"))


# -- files of any size, streamed in chunks ---------------------------------------------------

def test_import_without_a_case_exits_2_saying_case_is_needed(database, tmp_path):
    message = refused(run(database, "import", copy(SUSPECTS, tmp_path)))
    assert "--case" in message and "read-only" in message


def chunked_file(tmp_path: Path) -> Path:
    """Suspects with rejects and repeated ids spread over many chunks of three rows."""
    rows = ["编号,角色,状态,省份,城市,涉案金额,备注"]
    for i in range(40):
        role = "老板" if i % 7 == 3 else "号商"
        ident = f"S{i // 2 if i % 5 == 4 else i}"  # every fifth row repeats an earlier id
        rows.append(f"{ident},{role},在逃,湖南,郴州,{-i if i % 11 == 6 else i * 100},{'=1+1' if i % 9 == 0 else ''}")
        if i % 13 == 0:
            rows.append(",,,,,,")
    path = tmp_path / "chunked.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))
    return path


def test_a_file_streamed_in_small_chunks_stores_what_one_pass_would(tmp_path, store_url):
    from casemap import exporter, file_import, importer

    path = chunked_file(tmp_path)
    store = Store(store_url)
    small = file_import.import_path(store, path, "small", chunk_rows=3)
    small_rejects = Path(small.rejects_file).read_bytes()
    large = file_import.import_path(store, path, "large", chunk_rows=10_000)
    (whole,) = importer.import_file(path.read_bytes(), path.name).lists
    assert (small.rows, small.accepted, small.rejected) == (large.rows, large.accepted, large.rejected)
    assert (small.rows, small.accepted, small.rejected) == (whole.rows, whole.accepted, whole.rejected)
    assert small.accepted + small.rejected == 40 and small.rejected > 5
    pd.testing.assert_frame_equal(store.load("small").suspects, store.load("large").suspects)
    assert small_rejects == Path(large.rejects_file).read_bytes() == exporter.rejects_csv([whole], "en")
    assert "repeats" in small_rejects.decode("utf-8-sig")


def test_a_file_that_breaks_off_in_a_later_chunk_stores_nothing(tmp_path, store_url):
    from casemap import file_import

    path = tmp_path / "broken.csv"
    good = "".join(f"P{i},2024-08-03 10:00:00,S1,S2,支付宝,{i}\r\n" for i in range(20))
    huge_field = '"' + "x" * 200_000 + '"'  # over the csv module's field limit
    path.write_text("交易编号,交易时间,付款方,收款方,渠道,金额\r\n" + good + f"P99,{huge_field},S1,S2,支付宝,1\r\n", "utf-8")
    store = Store(store_url)
    with pytest.raises(file_import.ImportFileError):
        file_import.import_path(store, path, "broken", chunk_rows=5)
    assert "broken" not in store.cases()
    assert store.import_history("broken").empty


def test_the_command_line_has_no_size_limit(tmp_path, monkeypatch, capsys):
    from casemap import cli, readers

    monkeypatch.setenv("CASEMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'casemap.sqlite'}")
    monkeypatch.setattr(readers, "MAX_BYTES", 100)  # the page's limit, far below this file's size
    assert cli.main(["import", str(copy(SUSPECTS, tmp_path)), "--case", "linwu", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accepted"] == 9


def test_a_workbook_goes_through_the_same_contract(database, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["编号", "角色", "状态", "省份", "城市"], ["S1", "手机口", "在逃", "湖南", "郴州"],
                ["S2", "老板", "在逃", "湖南", "郴州"], ["S1", "号商", "在逃", "湖南", "郴州"]]:
        sheet.append(row)
    path = tmp_path / "case.xlsx"
    book.save(path)
    report = ok_json(run(database, "import", path, "--case", "wb", "--json"))
    assert report == {**report, "kind": "suspects", "rows": 3, "accepted": 1, "rejected": 2}
    rejects = Path(report["rejects_file"]).read_text(encoding="utf-8-sig")
    assert "Row 3" in rejects and "Row 4" in rejects


# -- two imports at once ---------------------------------------------------------------------

def payments_file(tmp_path: Path, name: str, first: int, count: int) -> Path:
    lines = ["交易编号,交易时间,付款方,收款方,渠道,金额"]
    lines += [f"P{i:07d},2024-08-03 10:{i % 60:02d}:00,S1,S2,支付宝,{i}" for i in range(first, first + count)]
    path = tmp_path / name
    path.write_text("\r\n".join(lines) + "\r\n", "utf-8")
    return path


def start(database, *args):
    env = {**os.environ, "CASEMAP_DATABASE_URL": database, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "casemap", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)


def test_two_imports_into_one_case_at_once_both_store_everything(tmp_path, store_url):
    files = [payments_file(tmp_path, "a.csv", 0, 30_000), payments_file(tmp_path, "b.csv", 30_000, 30_000)]
    runs = [start(store_url, "import", path, "--case", "shared", "--json") for path in files]
    results = [(process.wait(timeout=300), *process.communicate()) for process in runs]
    assert [code for code, _, _ in results] == [0, 0], [err.decode() for _, _, err in results]
    stored = Store(store_url).load("shared").payments["txn_id"]
    assert len(stored) == 60_000 and stored.is_unique
    history = Store(store_url).import_history("shared")
    assert sorted(history["file_name"]) == ["a.csv", "b.csv"]


def test_the_same_file_imported_twice_at_once_is_stored_once(tmp_path, store_url):
    path = payments_file(tmp_path, "same.csv", 0, 20_000)
    runs = [start(store_url, "import", path, "--case", "shared", "--json") for _ in range(2)]
    results = sorted((process.wait(timeout=300), *process.communicate()) for process in runs)
    assert [code for code, _, _ in results] == [0, 2]
    assert b"already stored" in results[1][2]
    assert len(Store(store_url).load("shared").payments) == 20_000


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_read_in_small_chunks_equals_the_export_of_the_whole_case(tmp_path, store_url, fmt):
    import io as bytes_io

    from casemap import exporter, file_import

    store = Store(store_url)
    file_import.import_path(store, copy(SUSPECTS, tmp_path), "linwu")
    whole = exporter.export_bytes(store.load("linwu").suspects, "suspects", fmt)
    with store.export_rows("linwu", "suspects", size=2) as (extras, frames):
        out = bytes_io.BytesIO()
        exporter.write_export(out, "suspects", fmt, exporter.extra_keys(extras), frames)
    if fmt == "csv":
        assert out.getvalue() == whole
    else:
        read = lambda data: pd.read_excel(bytes_io.BytesIO(data), dtype=str)
        pd.testing.assert_frame_equal(read(out.getvalue()), read(whole))
    assert "QQ号" in (whole.decode("utf-8-sig") if fmt == "csv" else "".join(read(whole).columns))
