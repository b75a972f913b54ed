"""python -m casemap: the summary shows the same figures as the metrics; demo re-seeds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casemap import cli
from casemap.demo import generate_demo
from casemap.filters import FilterState, apply
from casemap.metrics import headline
from casemap.store import Store

REPO = Path(__file__).resolve().parent.parent
# The headline contract and the public figures, from CASE.md.
HEADLINE_KEYS = {"suspects", "arrested", "provinces", "cities", "amount_yuan", "payments", "payments_yuan"}
ARRESTED, CITIES, PROVINCES = 62, 86, 18


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('cli') / 'casemap.sqlite'}"


def run(database, *args):
    env = {**os.environ, "CASEMAP_DATABASE_URL": database, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "casemap", *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=120
    )


@pytest.fixture(scope="module")
def national(database):
    result = run(database, "summary", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_summary_json_has_the_contract_keys(national):
    assert set(national) == HEADLINE_KEYS


def test_summary_equals_the_metrics_on_the_demo(national):
    demo = generate_demo()
    assert national == headline(demo.suspects, demo.payments)


def test_summary_shows_the_public_figures(national):
    assert national["arrested"] == ARRESTED
    assert national["cities"] == CITIES
    assert national["provinces"] == PROVINCES
    assert national["amount_yuan"] > 4_000_000


def test_summary_by_province_is_narrower(database, national):
    result = run(database, "summary", "--province", "430000", "--json")
    assert result.returncode == 0, result.stderr
    hunan = json.loads(result.stdout)
    assert set(hunan) == HEADLINE_KEYS
    assert hunan["provinces"] == 1
    assert 0 < hunan["suspects"] < national["suspects"]
    assert hunan["cities"] < national["cities"]
    assert hunan["amount_yuan"] < national["amount_yuan"]
    assert hunan["payments"] <= national["payments"]
    demo = generate_demo()
    filtered = apply(FilterState(provinces=("430000",)), demo.suspects, demo.payments)
    assert hunan == headline(filtered.suspects, filtered.payments)


@pytest.mark.parametrize("province", ["999999", "abc", "4300", "431000"])
def test_unknown_province_exits_2_with_one_line(database, province):
    result = run(database, "summary", "--province", province)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert province in result.stderr


def test_demo_reseeds(database):
    before = Store(database).data_version("demo")
    result = run(database, "demo")
    assert result.returncode == 0, result.stderr
    assert "demo" in result.stdout
    assert Store(database).data_version("demo") > before


# In-process runs for the remaining behaviour (faster than a subprocess each).


@pytest.fixture
def in_process(database, monkeypatch):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", database)


def test_readable_table(in_process, capsys, national):
    assert cli.main(["summary"]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert any(line.startswith("Arrested") and line.split()[-1] == str(ARRESTED) for line in lines)
    assert any(line.startswith("Cities") and line.split()[-1] == str(CITIES) for line in lines)
    assert f"{national['amount_yuan']:,.2f}" in out


def test_unknown_case_exits_2(in_process, capsys):
    assert cli.main(["summary", "--case", "no-such-case"]) == 2
    err = capsys.readouterr().err
    assert "no-such-case" in err and len(err.strip().splitlines()) == 1


def test_other_cases_are_summarised(in_process, capsys):
    demo = generate_demo()
    store = Store()
    store.save("copy", suspects=demo.suspects.head(10), mode="replace")
    assert cli.main(["summary", "--case", "copy", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["suspects"] == 10 and figures["payments"] == 0


@pytest.mark.parametrize("argv", [[], ["nonsense"], ["summary", "--bogus"]])
def test_bad_arguments_exit_2(in_process, argv):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2


def test_casemap_never_imports_streamlit():
    code = (
        "import sys, casemap.cli, casemap.store, casemap.demo, casemap.metrics, casemap.filters, casemap.schema;"
        "sys.exit('streamlit' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0
