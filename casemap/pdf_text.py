"""Mend the text layer of a PDF printed by Chromium, so Chinese copies and searches as Chinese.

The Noto CJK fonts draw a common character and its Kangxi radical (人 and ⼈,
金 and ⾦) with one glyph. Chromium writes each font's ToUnicode map from
glyph back to character and, for such a glyph, may pick the radical: the page
looks right, but its copied or searched text holds radicals, and a search
for 嫌疑人 fails. The radicals' compatibility forms (Unicode NFKC) are the
characters meant, so each map's radical targets are rewritten to them: the
character the font draws with the radical's glyph (⼾ is 户 in the simplified
Chinese face, though its NFKC form is 戶), one the document's own text uses
first; NFKC when the font cannot be read. The drawing is untouched.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError
from pypdf import PdfReader, PdfWriter

__all__ = ["mend_radicals", "radical_to_character"]

# pypdf warns that Chromium's trailer undercounts its objects; the file is read all the same.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# Kangxi radicals and CJK radicals supplement: the code points a ToUnicode map should not point at.
_RADICALS = re.compile(r"[\u2E80-\u2EFF\u2F00-\u2FDF]")
_BFCHAR = re.compile(rb"^(\s*<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]{4})>(\s*)$")
_BFRANGE = re.compile(rb"^\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4})>\s*$")


_COMPATIBILITY = re.compile(r"[\uF900-\uFAFF\U0002F800-\U0002FA1F]")
PACK_FONT = "Noto Sans CJK SC"


FONT_FOLDER = Path("/usr/share/fonts")


def _pack_font() -> tuple[str, int]:
    """The file and face index of the pack's CJK font: fontconfig's choice, else the Debian package's file."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", PACK_FONT], capture_output=True, text=True,
                               timeout=10, check=True).stdout
        path, _, index = found.rpartition(":")
        return path, int(index or 0)
    except (OSError, ValueError, subprocess.SubprocessError):  # no fontconfig tools: look where fonts-noto-cjk puts it
        for path in sorted(FONT_FOLDER.rglob("NotoSansCJK-Regular.ttc")):
            for index in range(len(TTCollection(str(path), lazy=True).fonts)):
                if TTFont(str(path), fontNumber=index, lazy=True)["name"].getDebugName(1) == PACK_FONT:
                    return str(path), index
    raise OSError(f"no {PACK_FONT} font found")


@lru_cache(maxsize=1)
def _glyph_twins() -> dict[int, tuple[int, ...]]:
    """Radical -> the ordinary characters the pack's font draws with the same glyph (empty without the font)."""
    try:
        path, index = _pack_font()
        cmap = TTFont(path, fontNumber=index, lazy=True).getBestCmap()
    except (OSError, ValueError, TTLibError):
        return {}
    by_glyph: dict[str, list[int]] = {}
    for code, glyph in cmap.items():
        if not _RADICALS.match(chr(code)) and not _COMPATIBILITY.match(chr(code)):
            by_glyph.setdefault(glyph, []).append(code)
    return {code: tuple(by_glyph.get(glyph, ())) for code, glyph in cmap.items() if _RADICALS.match(chr(code))}


def radical_to_character(code: int, text: frozenset[int] = frozenset()) -> int:
    """The character a radical code point stands for: one drawn with the same glyph by the pack's font
    (one that occurs in ``text`` first), else its NFKC form; any other code point unchanged."""
    if not _RADICALS.match(chr(code)):
        return code
    twins = _glyph_twins().get(code, ())
    if twins:
        return next((twin for twin in twins if twin in text), min(twins))
    folded = unicodedata.normalize("NFKC", chr(code))
    return ord(folded) if len(folded) == 1 else code


def _mend_line(line: bytes, text: frozenset[int]) -> bytes:
    char = _BFCHAR.match(line)
    if char:
        target = radical_to_character(int(char.group(2), 16), text)
        return char.group(1) + f"<{target:04X}>".encode() + char.group(3)
    span = _BFRANGE.match(line)
    if span:
        low, high, first = (int(group, 16) for group in span.groups())
        targets = [radical_to_character(first + step, text) for step in range(high - low + 1)]
        if targets != list(range(first, first + len(targets))):  # a radical inside: spell the range out
            width = len(span.group(1))
            listed = " ".join(f"<{target:04X}>" for target in targets)
            return f"<{low:0{width}X}> <{high:0{width}X}> [{listed}]".encode()
    return line


def _mend_cmap(data: bytes, text: frozenset[int]) -> bytes:
    return b"\n".join(_mend_line(line, text) for line in data.split(b"\n"))


def mend_radicals(pdf: bytes, text: str = "") -> bytes:
    """``pdf`` with every font's ToUnicode map pointing at characters, not radicals (unchanged when none do).

    ``text``, the document's own text, decides between characters that share a glyph.
    """
    codes = frozenset(map(ord, text))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    changed, seen = False, set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            cmap_ref = font.get_object().get("/ToUnicode")
            if cmap_ref is None:
                continue
            cmap = cmap_ref.get_object()
            key = getattr(cmap_ref, "idnum", id(cmap))
            if key in seen:
                continue
            seen.add(key)
            data = cmap.get_data()
            mended = _mend_cmap(data, codes)
            if mended != data:
                cmap.set_data(mended)
                changed = True
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
