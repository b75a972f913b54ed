"""The project's promises about itself: the README's commands, CI, pinned requirements, shipped files."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
TEST_COMMAND = "pip install -r requirements.txt -r requirements-build.txt && python -m pytest"


def test_readme_gives_the_start_and_test_commands():
    assert "pip install -r requirements.txt && streamlit run app.py" in README
    assert TEST_COMMAND in README


def test_ci_runs_exactly_the_readme_test_command_after_installing_chromium_and_fonts():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().splitlines()[-1] == TEST_COMMAND
    assert "apt-get update" in ci
    assert "chromium" in ci and "fonts-noto-cjk" in ci


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-build.txt"])
def test_requirements_pin_compatible_ranges(name):
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+>=[\w.]+,<[\w.]+", line), line


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
