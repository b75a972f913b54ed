"""python -m casemap user add|list|set|remove and audit: the first admin, clear errors, exit codes."""

import json

import pytest

from casemap import cli
from casemap.store import Store


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-users') / 'casemap.sqlite'}"
    with Store(url) as store:
        store.ensure()
    return url


@pytest.fixture
def run(database, monkeypatch, capsys):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", database)

    def run(*argv):
        try:
            code = cli.main(list(argv))
        except SystemExit as exit:  # argparse's own refusals
            code = exit.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def users_listed(run) -> dict:
    code, out, _ = run("user", "list", "--json")
    assert code == 0
    return {u["identity"]: (u["role"], u["provinces"]) for u in json.loads(out)}


def test_the_first_admin_and_later_changes(run):
    assert run("user", "add", "Chief@Unit.gov.cn", "--role", "admin")[0] == 0
    assert run("user", "add", "li@unit.gov.cn", "--role", "viewer", "--provinces", "430000,450000")[0] == 0
    assert users_listed(run) == {"chief@unit.gov.cn": ("admin", []), "li@unit.gov.cn": ("viewer", ["430000", "450000"])}
    assert run("user", "set", "li@unit.gov.cn", "--role", "analyst")[0] == 0
    assert users_listed(run)["li@unit.gov.cn"] == ("analyst", ["430000", "450000"])
    assert run("user", "set", "li@unit.gov.cn", "--all-provinces")[0] == 0
    assert users_listed(run)["li@unit.gov.cn"] == ("analyst", [])
    assert run("user", "remove", "li@unit.gov.cn")[0] == 0
    assert "li@unit.gov.cn" not in users_listed(run)
    code, out, _ = run("audit", "--json", "--action", "user_set")
    assert code == 0
    changes = json.loads(out)
    assert [c["detail"] for c in changes] == [{"user": "li@unit.gov.cn", "provinces": []},
                                              {"user": "li@unit.gov.cn", "role": "analyst"}]
    assert {c["address"] for c in changes} == {"cli"}
    code, out, _ = run("audit", "--user", "nobody@unit", "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run("audit", "--action", "user_remove")
    assert code == 0 and out.count("\n") == 1 and "user_remove" in out and "li@unit.gov.cn" in out


@pytest.mark.parametrize("argv, message", [
    (("user", "add", "x@unit", "--role", "boss"), "invalid choice: 'boss'"),
    (("user", "add", "x@unit", "--role", "viewer", "--provinces", "430000,431000"), "unknown province adcode '431000'"),
    (("user", "add", "dup@unit", "--role", "viewer"), "already exists"),
    (("user", "set", "ghost@unit", "--role", "viewer"), "no user 'ghost@unit'"),
    (("user", "set", "dup@unit"), "nothing to change"),
    (("user", "remove", "ghost@unit"), "no user 'ghost@unit'"),
    (("audit", "--since", "2024-13-01"), "not a date"),
    (("audit", "--action", "hack"), "invalid choice: 'hack'"),
])
def test_bad_input_exits_2_with_a_message_and_changes_nothing(run, argv, message):
    if not any(u == "dup@unit" for u in users_listed(run)):
        run("user", "add", "dup@unit", "--role", "viewer")
    before = (users_listed(run), run("audit", "--json")[1])
    code, _, err = run(*argv)
    assert code == 2 and message in err
    assert (users_listed(run), run("audit", "--json")[1]) == before


def test_command_line_exports_are_audited(run, tmp_path):
    out = tmp_path / "suspects.csv"
    assert run("export", "--kind", "suspects", "-o", str(out))[0] == 0
    code, printed, _ = run("audit", "--action", "export", "--json")
    latest = json.loads(printed)[0]
    assert latest["address"] == "cli"
    assert latest["detail"]["kind"] == "suspects" and latest["detail"]["rows"] == len(out.read_text().splitlines()) - 1
