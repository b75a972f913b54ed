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

from tests.reference import headline
from casemap.store import Store

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


def test_export_of_an_unknown_case_exits_2(database):
    assert "no case named" in refused(run(database, "export", "--case", "nope", "--kind", "payments"))
