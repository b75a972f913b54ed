"""Resolve place names to adcodes: provinces, prefecture-level cities, counties and address strings.

Accepted spellings: full names (湖南省, 郴州市), short names (湖南, 郴州, 广西, 内蒙古,
恩施), romanisations (Hunan, Chenzhou, Inner Mongolia, Xi'an; case, spaces,
apostrophes and a trailing "province"/"city"/"shi" ignored), adcodes, and
full-width characters (NFKC). A county or district (临武县, or 临武 when no other
county has that short name) resolves to its city. Municipalities, 台湾, 香港 and
澳门 are one city each, so naming the province also gives the city
(北京 -> 110000, 110100).

A name shared by several cities (Fuzhou: 福州 and 抚州) resolves only with its
province; otherwise the result is ``ambiguous`` and ``detail`` lists the
candidates. A city outside the given province is ``not_in_province``.

Address strings ("湖南省郴州市临武县城关镇…", "湖南郴州临武") are read left to right,
longest name first; the first province, then the first city in it, then (if no
city was named) the first county in it decide. Street names that happen to
contain a place name are skipped when they fall outside the province found
first, so an address never fails on them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from geo import layers, names

MISSING, UNKNOWN, AMBIGUOUS, NOT_IN_PROVINCE = "missing", "unknown", "ambiguous", "not_in_province"

# County short names that are also everyday address words (城关镇, 市中心, 南关街), never read on their own.
_GENERIC_COUNTY_SHORT_NAMES = frozenset(
    {"市中", "市北", "市南", "城中", "城东", "城西", "城北", "城关", "城厢", "南关", "北关", "西市", "新市", "新城"}
)
_ROMAN_SUFFIXES = ("autonomous region", "province", "municipality", "prefecture", "city", "sheng", "shi", "sar")
_SEPARATORS = re.compile(r"[\s'’`´‘·・\-_.]+")
_ADDRESS_BREAKS = re.compile(r"[\s,，、;；/|()（）]+")


@dataclass(frozen=True)
class Resolution:
    """Where a name or address points: adcodes, or why it could not be resolved."""

    province_adcode: str | None
    city_adcode: str | None
    error: str | None = None  # None when resolved; else "missing" | "unknown" | "ambiguous" | "not_in_province"
    detail: str = ""  # the offending text, or the candidates when ambiguous

    @property
    def ok(self) -> bool:
        """True when the text resolved (to a province, and to a city where one was named)."""
        return self.error is None


@dataclass(frozen=True)
class _Entry:
    level: str  # "province" | "city" | "county"
    province_adcode: str
    city_adcode: str | None  # for a province: its only city, if it has just one


def normalise(text: object) -> str:
    """Return the lookup key of a name: NFKC, lower case, no spaces, apostrophes or dots; ü and v read as u."""
    if text is None:
        return ""
    key = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(text)).strip().lower())
    return key.replace("ü", "u").replace("v", "u") if key.isascii() else key.replace("ü", "u")


def _blank(text: object) -> bool:
    return not normalise(text)


class Gazetteer:
    """Name, pinyin, county and address lookup over ``places.csv`` and ``counties.csv``."""

    def __init__(self, places, counties) -> None:
        self._index: dict[str, list[_Entry]] = {}
        self._names = dict(zip(places["adcode"] + places["level"], places["name"]))
        provinces = places[places["level"] == "province"]
        cities = places[places["level"] == "city"]
        city_counts = cities["province_adcode"].value_counts()
        only_city = {p: c for p, c in zip(cities["province_adcode"], cities["adcode"]) if city_counts[p] == 1}
        for row in provinces.itertuples():
            entry = _Entry("province", row.adcode, only_city.get(row.adcode))
            self._add(entry, row.adcode, row.name, row.short_name, row.pinyin, *names.PROVINCES[row.adcode][2])
        for row in cities.itertuples():
            aliases = names.CITY_ROMANISATION.get(row.short_name, ("", ()))[1]
            entry = _Entry("city", row.province_adcode, row.adcode)
            self._add(entry, row.adcode, row.name, row.short_name, row.pinyin, *aliases)
        province_of = dict(zip(cities["adcode"], cities["province_adcode"]))
        for row in counties.itertuples():
            entry = _Entry("county", province_of[row.city_adcode], row.city_adcode)
            short = names.short_name(row.name)
            self._add(entry, row.adcode, row.name)
            if short != row.name and short not in _GENERIC_COUNTY_SHORT_NAMES:
                self._add(entry, short)
        self._longest = max(len(key) for key in self._index)

    def _add(self, entry: _Entry, *spellings: str) -> None:
        for spelling in spellings:
            key = normalise(spelling)
            if key and entry not in self._index.setdefault(key, []):
                self._index[key].append(entry)

    def _lookup(self, text: object) -> list[_Entry]:
        key = normalise(text)
        if key in self._index or not key.isascii():
            return self._index.get(key, [])
        for suffix in map(normalise, _ROMAN_SUFFIXES):
            if key.endswith(suffix) and key[: -len(suffix)] in self._index:
                return self._index[key[: -len(suffix)]]
        return []

    def _label(self, entry: _Entry) -> str:
        province = self._names[entry.province_adcode + "province"]
        if entry.city_adcode is None:
            return province
        return f"{self._names[entry.city_adcode + 'city']} ({province})"

    def _pick(self, candidates: list[_Entry]) -> Resolution:
        """Resolve to the one place the candidates agree on, or report them as ambiguous."""
        places = sorted({(e.province_adcode, e.city_adcode or "") for e in candidates})
        if len(places) == 1:
            return Resolution(candidates[0].province_adcode, candidates[0].city_adcode)
        labels = sorted({(e.city_adcode or e.province_adcode, self._label(e)) for e in candidates})
        return Resolution(None, None, AMBIGUOUS, ", ".join(label for _, label in labels))

    def resolve_province(self, text) -> Resolution:
        """Resolve a province name, short name, pinyin or adcode (a one-city province also gives its city)."""
        if _blank(text):
            return Resolution(None, None, MISSING)
        for entry in self._lookup(text):
            if entry.level == "province":
                return Resolution(entry.province_adcode, entry.city_adcode)
        return Resolution(None, None, UNKNOWN, str(text).strip())

    def resolve_city(self, text, province=None) -> Resolution:
        """Resolve a city (or a county, to its city), within ``province`` (a name or adcode) when given."""
        if _blank(text):
            return Resolution(None, None, MISSING)
        within = None if _blank(province) else self.resolve_province(province)
        if within is not None and not within.ok:
            return within
        entries = self._lookup(text)
        named_province = [e for e in entries if e.level == "province"]
        for level in ("city", "county"):
            candidates = [e for e in entries if e.level == level]
            if within is not None:
                candidates = [e for e in candidates if e.province_adcode == within.province_adcode]
            elif named_province and all(e.province_adcode != named_province[0].province_adcode for e in candidates):
                candidates += named_province  # 海南: the province, or 海南藏族自治州 in 青海?
            if candidates:
                return self._pick(candidates)
        if within is None:
            return self._pick(named_province) if named_province else Resolution(None, None, UNKNOWN, str(text).strip())
        if any(e.province_adcode == within.province_adcode for e in named_province):
            return within  # the city field repeats the province
        error = NOT_IN_PROVINCE if entries else UNKNOWN
        return Resolution(None, None, error, str(text).strip())

    def _tokens(self, address: str) -> list[list[_Entry]]:
        """Split an address into the places it names, left to right, longest name first."""
        tokens: list[list[_Entry]] = []
        chunks = [c for c in _ADDRESS_BREAKS.split(unicodedata.normalize("NFKC", address)) if c]
        i = 0
        while i < len(chunks):
            if not chunks[i].isascii():
                tokens.extend(self._scan(normalise(chunks[i])))
                i += 1
                continue
            # romanised names are whole words, up to three of them ("Inner Mongolia")
            for width in range(min(3, len(chunks) - i), 0, -1):
                entries = self._lookup("".join(chunks[i : i + width]))
                if entries:
                    tokens.append(entries)
                    break
            i += width if entries else 1
        return tokens

    def _scan(self, text: str) -> list[list[_Entry]]:
        found, i = [], 0
        while i < len(text):
            for width in range(min(self._longest, len(text) - i), 1, -1):
                entries = self._index.get(text[i : i + width])
                if entries:
                    found.append(entries)
                    i += width
                    break
            else:
                i += 1
        return found

    def resolve_address(self, address, province=None) -> Resolution:
        """Resolve the province and city named in an address string, within ``province`` when given."""
        if _blank(address):
            return Resolution(None, None, MISSING)
        tokens = self._tokens(str(address))
        within = self.resolve_province(province) if not _blank(province) else None
        if within is not None and not within.ok:
            return within
        used = None
        if within is None:
            for n, entries in enumerate(tokens):
                match = [e for e in entries if e.level == "province"]
                if match:
                    within, used = Resolution(match[0].province_adcode, match[0].city_adcode), n
                    break
        if within is not None and within.city_adcode:
            return within
        ambiguous = None
        for level in ("city", "county"):
            for n, entries in enumerate(tokens):
                candidates = [e for e in entries if e.level == level and n != used]
                if within is not None:
                    candidates = [e for e in candidates if e.province_adcode == within.province_adcode]
                if not candidates:
                    continue
                found = self._pick(candidates)
                if found.ok:
                    return found
                ambiguous = ambiguous or found
        return within or ambiguous or Resolution(None, None, UNKNOWN, str(address).strip())

    def resolve(self, province=None, city=None, address=None) -> Resolution:
        """Resolve a place given as province and/or city fields, or an address string."""
        if not _blank(city):
            return self.resolve_city(city, province)
        if not _blank(address):
            return self.resolve_address(address, province)
        return self.resolve_province(province)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """Return the gazetteer over the shipped ``places.csv`` and ``counties.csv``, built once."""
    return Gazetteer(layers.load_places(), layers.counties())
