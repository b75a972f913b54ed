"""The deployment files: the compose file parses and runs what the README describes; no secret is tracked.

CI cannot run Docker, so these read the files: what they check is what a
person following the README relies on.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SECRET_FILES = re.compile(r"(^|/)(secrets\.toml|\.env|[^/]*\.key|[^/]*\.pem)$")


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Deploying\n", 1)[1].split("\n## ", 1)[0]


def test_the_compose_file_runs_the_services_the_readme_names():
    services = compose()["services"]
    named = set(re.findall(r"`(\w+)`", readme_section().split("```", 1)[0]))
    assert {"db", "app1", "app2", "proxy"} <= named
    assert set(services) == {"db", "app1", "app2", "proxy"}


def test_two_replicas_of_one_image_share_one_database():
    services = compose()["services"]
    apps = [services["app1"], services["app2"]]
    assert apps[0] == apps[1]  # the same service twice
    env = apps[0]["environment"]
    assert env["CASEMAP_DATABASE_URL"].startswith("postgresql+psycopg://") and "@db:5432/" in env["CASEMAP_DATABASE_URL"]
    assert apps[0]["build"]["dockerfile"] == "deploy/Dockerfile" and (ROOT / apps[0]["build"]["dockerfile"]).is_file()
    assert apps[0]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthcheck" in services["db"]


def test_only_the_proxy_is_published_and_it_speaks_tls():
    services = compose()["services"]
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    assert services["proxy"]["ports"] == ["443:443"]
    template = (DEPLOY / "nginx.conf.template").read_text(encoding="utf-8")
    mounted = [v.split(":")[0] for v in services["proxy"]["volumes"]]
    assert "./nginx.conf.template" in mounted and "./tls" in mounted
    assert "listen 443 ssl" in template and "ssl_certificate " in template
    # Every replica is behind the proxy, and a visitor keeps to one (a session lives in one process).
    assert "server app1:8501;" in template and "server app2:8501;" in template and "ip_hash;" in template


def test_secrets_come_from_the_environment():
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    for variable in ("POSTGRES_PASSWORD", "CASEMAP_SECRET"):
        assert re.search(r"\$\{" + variable + r":\?", text), f"{variable} must be required from .env"
    for name, service in compose()["services"].items():  # no literal value
        for key, value in service.get("environment", {}).items():
            if "PASSWORD" in key or "SECRET" in key:
                assert str(value).startswith("${"), f"{name}: {key} has a value in the file"
    url = compose()["services"]["app1"]["environment"]["CASEMAP_DATABASE_URL"]
    assert re.match(r"postgresql\+psycopg://casemap:\$\{POSTGRES_PASSWORD:\?[^}]*\}@", url)
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    assert all(line.endswith("=") for line in example.splitlines() if line and not line.startswith("#"))


def test_no_secret_file_is_tracked_and_git_ignores_them():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert not [path for path in tracked.splitlines() if SECRET_FILES.search(path)]
    candidates = [".streamlit/secrets.toml", "deploy/secrets.toml", "deploy/.env", "deploy/tls/casemap.key"]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *candidates], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    assert sorted(ignored) == sorted(candidates)
    docker_ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".streamlit/secrets.toml", "deploy/.env", "deploy/secrets.toml", "deploy/tls"} <= set(docker_ignored)


@pytest.mark.parametrize("option, value", [("enableXsrfProtection", True), ("enableCORS", True)])
def test_cross_site_requests_are_refused(option, value):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"][option] is value


def test_the_image_runs_the_app_as_an_unprivileged_user():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^USER casemap$", dockerfile, re.M)
    assert "requirements.txt" in dockerfile and "requirements-test" not in dockerfile
    assert '"streamlit", "run", "app.py"' in dockerfile
    # the files the app reads at run time are in the image
    for path in ("app.py", "app_pages", "casemap", "geo", "data", ".streamlit/config.toml"):
        assert f"COPY {path} " in dockerfile
