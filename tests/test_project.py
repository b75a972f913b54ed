"""The project's promises about itself: the README's commands, CI, pinned requirements, shipped files."""

import ast
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
CI_SCRIPT = (ROOT / ".ci" / "run").read_text()
# Each command makes its own virtual environment, so it works with Debian's python3 (PEP 668).
START_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/streamlit run app.py"
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -r requirements-test.txt -r requirements-build.txt"
    " && .venv/bin/python -m pytest"
)
TEST_TOOLS = {"pytest", "pytest-timeout", "hypothesis", "playwright"}
DEBIAN_PACKAGES_FOR_TESTS = ["chromium", "fonts-noto-cjk", "postgresql"]


def shell_lines(markdown):
    return [line for block in re.findall(r"```sh\n(.*?)```", markdown, re.S) for line in block.splitlines()]


def requirement_names(name):
    """Distribution names a requirements file lists (normalised), without its ``-r`` includes."""
    lines = (line.split("#")[0].strip() for line in (ROOT / name).read_text().splitlines())
    return {_normalise(re.split(r"[\[<>=!~;\s]", line)[0]) for line in lines if line and not line.startswith("-")}


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_readme_gives_the_start_and_test_commands_as_shell_lines():
    assert START_COMMAND in shell_lines(README)
    assert TEST_COMMAND in shell_lines(README)


def test_readme_names_the_debian_packages_the_tests_need():
    assert f"apt-get install {' '.join(DEBIAN_PACKAGES_FOR_TESTS)}" in README


def test_ci_runs_exactly_the_readme_test_command_last():
    assert CI_SCRIPT.rstrip().splitlines()[-1] == TEST_COMMAND


def test_ci_runs_the_test_command_with_debians_python(tmp_path):
    # Run the lines .ci/run runs between fixing the PATH and the test command, with
    # another python3 first on the PATH: the command's python3 must still be Debian's.
    lines = CI_SCRIPT.rstrip().splitlines()
    setup = lines[lines.index('export PATH="/usr/bin:$PATH"') : -1]
    other_python = tmp_path / "python3"
    other_python.write_text("#!/bin/sh\n")
    other_python.chmod(0o755)
    script = "\n".join(["set -euo pipefail", *setup, "command -v python3", 'echo "${PYTHONPATH-unset}"'])
    done = subprocess.run(
        ["bash", "-c", script], env={"PATH": f"{tmp_path}:/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": "elsewhere"},
        capture_output=True, text=True,
    )
    assert (done.returncode, done.stdout.split()) == (0, ["/usr/bin/python3", "unset"]), done.stderr


def test_ci_installs_the_missing_debian_packages_after_updating_the_index():
    assert CI_SCRIPT.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in CI_SCRIPT
    packages = re.search(r"^for pkg in (.*); do$", CI_SCRIPT, re.M).group(1).split()
    assert set(DEBIAN_PACKAGES_FOR_TESTS + ["python3-venv"]) <= set(packages)
    assert CI_SCRIPT.index("apt-get update") < CI_SCRIPT.index("apt-get install")


def test_ci_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], check=True)


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-test.txt", "requirements-build.txt"])
def test_requirements_pin_compatible_ranges(name):
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r "):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+>=[\w.]+,<[\w.]+", line), line


def test_runtime_requirements_hold_no_test_tools():
    assert requirement_names("requirements.txt") & TEST_TOOLS == set()


def test_test_requirements_are_the_runtime_ones_plus_the_test_tools():
    lines = [line for line in (ROOT / "requirements-test.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines[0] == "-r requirements.txt"
    assert requirement_names("requirements-test.txt") == TEST_TOOLS


def test_the_postgresql_driver_is_a_runtime_requirement():
    assert "psycopg" in requirement_names("requirements.txt")


def test_every_package_the_app_imports_at_load_time_is_a_runtime_requirement():
    first_party = {path.stem for path in ROOT.iterdir()}
    code = [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")]
    code += [*(ROOT / "casemap").rglob("*.py"), *(ROOT / "geo").rglob("*.py")]
    imported = {
        module
        for path in code
        for module in _top_level_imports(path.read_text(encoding="utf-8"))
        if module not in sys.stdlib_module_names and module not in first_party
    }
    distributions = importlib.metadata.packages_distributions()
    needed = {_normalise(dist) for module in imported for dist in distributions.get(module, [module])}
    assert needed - requirement_names("requirements.txt") == set()


def _top_level_imports(source):
    # Module-level statements only: build-time packages are imported inside the functions that need them.
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_no_code_points_at_the_internet():
    files = subprocess.run(["git", "ls-files", "*.py", "*.toml"], cwd=ROOT, capture_output=True, text=True).stdout
    hits = [
        f"{name}:{number}"
        for name in files.split()
        if not name.startswith("tests/")
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"https?://(?!127\.0\.0\.1|localhost)[^\s\"']*(cdn|tile|mapbox|openstreetmap|googleapis|gstatic|unpkg|jsdelivr)", line)
    ]
    assert hits == []


def test_static_serving_points_at_the_shipped_layers():
    static = ROOT / "static"
    assert static.is_symlink()
    assert static.resolve() == (ROOT / "data" / "geo").resolve()
