"""bench/large_case.py: a deterministic case in the import format that imports back to the frames it was made from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench import large_case
from casemap import importer, vocab
from casemap.schema import validate_payments, validate_suspects

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def case():
    return large_case.generate(800, 6_000, seed=3)


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    for folder in ("a", "b", "c"):
        seed = "5" if folder != "c" else "6"
        command = [sys.executable, str(REPO / "bench" / "large_case.py"), "--suspects", "300", "--payments", "2000",
                   "--out", str(tmp_path / folder), "--seed", seed]
        subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    for name in ("suspects.csv", "payments.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes()


def test_the_frames_are_valid_and_sized_as_asked(case):
    assert (len(case.suspects), len(case.payments)) == (800, 6_000)
    pd.testing.assert_frame_equal(validate_suspects(case.suspects), case.suspects)
    pd.testing.assert_frame_equal(validate_payments(case.payments), case.payments)


def test_the_case_looks_like_a_real_network(case):
    suspects, payments = case.suspects, case.payments
    assert suspects["province_adcode"].nunique() >= 25
    assert suspects["city_adcode"].value_counts().index[0] == large_case.CHENZHOU
    assert set(suspects["role"]) <= set(vocab.values(vocab.ROLES))
    assert set(payments["channel"]) == set(vocab.values(vocab.CHANNELS))
    arrested = suspects["status"] == "arrested"
    assert suspects.loc[arrested, "arrest_date"].notna().all() and suspects.loc[~arrested, "arrest_date"].isna().all()
    ids = set(suspects["suspect_id"])
    overseas = ~payments["payee_id"].isin(ids)
    assert payments["payer_id"].isin(ids).all() and (payments["payer_id"] != payments["payee_id"]).all()
    assert 0 < overseas.mean() < 0.1 and (payments.loc[overseas, "channel"] == "usdt").all()
    months = payments["time"].dt.strftime("%Y-%m")
    assert sorted(months.unique()) == [str(p) for p in pd.period_range("2023-07", "2024-08", freq="M")]


def test_the_written_files_import_back_to_the_same_frames(case, tmp_path):
    suspects_path, payments_path = large_case.write_csv(case, tmp_path)
    for path, kind, frame in ((suspects_path, "suspects", case.suspects), (payments_path, "payments", case.payments)):
        (parsed,) = importer.import_file(path.read_bytes(), path.name).lists
        assert (parsed.kind, parsed.rejected) == (kind, 0), [r.reason("en") for r in parsed.rejects[:3]]
        assert list(parsed.headers) == list(large_case.SUSPECT_HEADERS if kind == "suspects" else large_case.PAYMENT_HEADERS)
        pd.testing.assert_frame_equal(parsed.frame, frame)
