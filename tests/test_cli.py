"""python -m casemap: the summary (through the query layer) shows the reference figures; demo re-seeds."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from casemap import cli
from casemap.filters import FilterState
from casemap.store import Store
from tests import reference as ref

REPO = Path(__file__).resolve().parent.parent
# The headline contract and the public figures, from CASE.md.
HEADLINE_KEYS = {"suspects", "arrested", "provinces", "cities", "amount_yuan", "payments", "payments_yuan"}
ARRESTED, CITIES, PROVINCES = 62, 86, 18
AMOUNT_BETWEEN = (4_000_000, 5_000_000)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('cli') / 'casemap.sqlite'}"


@pytest.fixture(
    scope="module",
    params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgresql)],
    ids=["sqlite", "postgresql"],
)
def summary_database(request, tmp_path_factory):
    """A store the summary creates and seeds itself, once on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('cli-summary') / 'casemap.sqlite'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


def assert_same_figures(got: dict, expected: dict) -> None:
    """Counts exactly; yuan to the cent (a sum summed in another order may round to the next cent)."""
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == (value if isinstance(value, int) else pytest.approx(value, abs=0.0100001)), key


def run(database, *args):
    env = {**os.environ, "CASEMAP_DATABASE_URL": database, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "casemap", *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=120
    )


@pytest.fixture(scope="module")
def national(summary_database):
    result = run(summary_database, "summary", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_summary_json_has_the_contract_keys(national):
    assert set(national) == HEADLINE_KEYS


def test_summary_equals_the_reference_on_the_demo(national, demo_case):
    assert_same_figures(national, ref.headline(demo_case.suspects, demo_case.payments))


def test_summary_shows_the_public_figures(national):
    assert national["arrested"] == ARRESTED
    assert national["cities"] == CITIES
    assert national["provinces"] == PROVINCES
    assert AMOUNT_BETWEEN[0] < national["amount_yuan"] < AMOUNT_BETWEEN[1]


def test_summary_by_province_is_narrower(summary_database, national, demo_case):
    result = run(summary_database, "summary", "--province", "430000", "--json")
    assert result.returncode == 0, result.stderr
    hunan = json.loads(result.stdout)
    assert set(hunan) == HEADLINE_KEYS
    assert hunan["provinces"] == 1
    assert 0 < hunan["suspects"] < national["suspects"]
    assert hunan["cities"] < national["cities"]
    assert hunan["amount_yuan"] < national["amount_yuan"]
    assert hunan["payments"] <= national["payments"]
    filtered = ref.apply(FilterState(provinces=("430000",)), demo_case.suspects, demo_case.payments)
    assert_same_figures(hunan, ref.headline(filtered.suspects, filtered.payments))


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


def test_readable_table(in_process, capsys):
    assert cli.main(["summary"]) == 0
    out = capsys.readouterr().out
    rows = {line.rsplit(maxsplit=1)[0].strip(): line.split()[-1] for line in out.strip().splitlines()}
    assert rows["Case"] == "demo" and rows["Province"] == "all"
    assert rows["Arrested"] == str(ARRESTED)
    assert rows["Cities"] == str(CITIES)
    assert rows["Provinces"] == str(PROVINCES)
    assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}", rows["Amount involved (yuan)"])  # thousands separated, 2 dp
    assert AMOUNT_BETWEEN[0] < float(rows["Amount involved (yuan)"].replace(",", "")) < AMOUNT_BETWEEN[1]


def test_unknown_case_exits_2(in_process, capsys):
    assert cli.main(["summary", "--case", "no-such-case"]) == 2
    err = capsys.readouterr().err
    assert "no-such-case" in err and len(err.strip().splitlines()) == 1


def test_other_cases_are_summarised(in_process, capsys, demo_case):
    store = Store()
    store.save("copy", suspects=demo_case.suspects.head(10), mode="replace")
    assert cli.main(["summary", "--case", "copy", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["suspects"] == 10 and figures["payments"] == 0
    assert figures["arrested"] == (demo_case.suspects.head(10)["status"] == "arrested").sum()


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
