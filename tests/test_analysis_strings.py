"""The analysis pages' strings: both languages, same placeholders, merged, and every key used exists."""

import re
import string
from pathlib import Path

import pytest

from casemap import i18n, import_strings
from casemap.analysis_strings import ANALYSIS_STRINGS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "casemap" / f"{name}.py" for name in ("maps", "timeline", "flows", "network", "tables")] + [
    ROOT / "app_pages" / f"{name}.py" for name in ("map", "timeline", "flows", "network", "suspects")
]
# A string key passed to i18n.t / header / t: the first string literal of the call, and both branches of a
# conditional key ("a" if x else "b").
KEY_CALL = re.compile(r"""\b(?:i18n\.t|header|t)\(\s*(?:f?"([a-z_{}]+)"(?:\s+if\s+[^"]+\s+else\s+"([a-z_]+)")?)""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(ANALYSIS_STRINGS))
def test_every_string_has_both_languages_with_the_same_placeholders(key):
    entry = ANALYSIS_STRINGS[key]
    assert set(entry) == {"en", "zh"}
    assert entry["en"].strip() and entry["zh"].strip()
    assert placeholders(entry["en"]) == placeholders(entry["zh"])


def test_the_strings_are_merged_and_override_nothing():
    shell = set(i18n._SHELL_STRINGS)
    assert not set(ANALYSIS_STRINGS) & shell
    assert not set(ANALYSIS_STRINGS) & set(import_strings.IMPORT_STRINGS)
    for key, entry in ANALYSIS_STRINGS.items():
        assert i18n.STRINGS[key] is entry


@pytest.mark.parametrize("name", ["map", "timeline", "flows", "network", "suspects"])
def test_navigation_titles_exist(name):
    assert i18n.t(f"nav_{name}", "en") and i18n.t(f"nav_{name}", "zh")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_key_used_by_the_analysis_code_exists(path):
    keys = {key for match in KEY_CALL.finditer(path.read_text(encoding="utf-8")) for key in match.groups() if key}
    assert keys, "the pattern found no key: it no longer matches the code"
    formatted = {k for k in keys if "{" in k}
    for key in formatted:  # f"suspects_export_{fmt}" -> every format
        prefix = key.split("{")[0]
        assert any(existing.startswith(prefix) for existing in i18n.STRINGS), key
    missing = sorted(keys - formatted - set(i18n.STRINGS))
    assert not missing
