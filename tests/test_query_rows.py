"""The suspects table in SQL: search, sort and paging, one suspect, export chunks; on SQLite and PostgreSQL.

Each result is checked against plain pandas over the whole case: the filters
of ``tests.reference`` and :func:`pandas_search`, the search as the page did
it in pandas before it moved into the database.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from casemap import exporter, tables, vocab
from casemap.filters import FilterState
from casemap.query import EVERYWHERE, CaseQuery, Scope, direct_runner
from casemap.query import rows as rows_query
from casemap.query.rows import SORTS, SuspectSearch
from casemap.schema import validate_suspects
from casemap.store import Store
from geo import layers
from tests import reference, tiny_case


def pandas_search(suspects: pd.DataFrame, query: str, places: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``suspects`` whose id, name, address, QQ, place, role or status label contain every word.

    As the page searched before: over one text per row, the place shown as
    "province · city". (So a search for "·" alone found every suspect with a
    city; the database search treats that dot as the punctuation it is.)
    """
    words = (query or "").casefold().split()
    if not words or suspects.empty:
        return suspects
    parts = [suspects[c].fillna("").astype(str) for c in ("suspect_id", "name", "address", "qq_accounts")]
    for lang in ("en", "zh"):
        parts.append(pd.Series(tables.suspect_places(suspects, places, lang), index=suspects.index))
        for column, terms in (("role", vocab.ROLES), ("status", vocab.STATUSES)):
            parts.append(suspects[column].map(lambda v, terms=terms, lang=lang: vocab.label(terms, v, lang)))
    text = parts[0]
    for part in parts[1:]:
        text = text + "\n" + part
    text = text.str.casefold()
    keep = pd.Series(True, index=suspects.index)
    for word in words:
        keep &= text.str.contains(word, regex=False)
    return suspects[keep.to_numpy(dtype=bool)]


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return layers.load_places()


def case_of(names: list[str], cities: list[str | None] | None = None) -> pd.DataFrame:
    """Suspects S1, S2, ... in Hunan with these names (and cities)."""
    n = len(names)
    return validate_suspects(pd.DataFrame({
        "suspect_id": [f"S{i + 1}" for i in range(n)],
        "name": names,
        "role": ["number_vendor"] * n,
        "status": ["arrested"] * n,
        "province_adcode": ["430000"] * n,
        "city_adcode": cities or ["431000"] * n,
    }))


# Small cases stored next to the demo: name -> suspects.
SMALL_CASES = {
    "tiny": tiny_case.suspects,
    "marks": lambda: case_of(["100%", "a_b", "axb", "x/y", "back\\slash", "plain"]),
    "codes": lambda: case_of(["甲", "乙", "丙"], ["431000", "431021", None]),  # 431021: not in the places table
    "six": lambda: case_of(["a", "b", "c", "d", "e", "f"]),
}


@pytest.fixture(scope="module", ids=["sqlite", "postgresql"],
                params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgresql)])
def store(request, tmp_path_factory):
    """One store per backend with the demo and the small cases, shared by the tests that only read."""
    server = name = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('rows') / 'cases.sqlite'}"
    else:
        server = request.getfixturevalue("postgres_server")
        name = server.create_database()
        url = server.url(name)
    with Store(url) as s:
        s.ensure()
        for case, suspects in SMALL_CASES.items():
            s.save(case, suspects=suspects())
        yield s
    if server is not None:
        server.drop_database(name)


@pytest.fixture
def fresh_store(store_url):
    """An empty store of its own (with the demo), for a test that writes a case."""
    with Store(store_url) as s:
        s.ensure()
        yield s


def case_query(store: Store, case: str = "demo", scope: Scope = EVERYWHERE, **filters) -> CaseQuery:
    state = FilterState(case=case, **filters)
    return CaseQuery.of(direct_runner(store.engine), state, store.data_version(case), scope)


def expected_rows(store: Store, query: str, places: pd.DataFrame, case: str = "demo", **filters) -> pd.DataFrame:
    """The filtered, searched suspects by pandas over the whole case, in suspect_id order."""
    data = store.load(case)
    shown = reference.apply(FilterState(case=case, **filters), data.suspects, data.payments).suspects
    return pandas_search(shown, query, places).sort_values("suspect_id", ignore_index=True)


def all_ids(data: CaseQuery, search: SuspectSearch) -> list[str]:
    return [i for chunk in data.suspect_chunks(search, size=7) for i in chunk["suspect_id"]]


# -- search ---------------------------------------------------------------------------------------


DEMO_QUERIES = [
    "", "hunan", "湖南", "HUNAN chenzhou", "郴州", "临武", "广东", "guang", "number", "号商", "vendor beijing",
    "在逃", "AT LARGE", "under", "arrested", "已抓获 湖南 号商", "pc", "端", "S00", "s01", "S170", "某",
    "某某", "1133", "113301618", "4310", "430000", "省", "市", "nobody-at-all", "hunan hunan",
]


@pytest.mark.parametrize("query", DEMO_QUERIES)
def test_search_finds_what_the_pandas_search_found_on_the_demo(store, places, query):
    data = case_query(store)
    search = SuspectSearch.parse(query, places)
    expected = expected_rows(store, query, places)["suspect_id"].tolist()
    assert all_ids(data, search) == expected
    assert data.suspect_count(search) == len(expected)


@pytest.mark.parametrize("query, filters", [
    ("", {"provinces": ("430000",)}),
    ("vendor", {"statuses": ("at_large",)}),
    ("某", {"min_amount": 50_000.0}),
    ("hunan", {"cities": ("431000",), "roles": ("payer", "organizer")}),
])
def test_search_applies_on_top_of_the_filters(store, places, query, filters):
    data = case_query(store, **filters)
    expected = expected_rows(store, query, places, **filters)["suspect_id"].tolist()
    assert expected  # the case has rows for each of these
    assert all_ids(data, SuspectSearch.parse(query, places)) == expected


@pytest.mark.parametrize("query, expected", [
    ("", ["P1", "P2", "V1", "V2", "V3"]),
    ("周某", ["P2"]),
    ("changsha", ["V1"]),
    ("深圳", ["V2"]),
    ("在逃", ["V1"]),
    ("under investigation", ["V2"]),
    ("number vendor beijing", ["V3"]),
    ("987654321", ["P1"]),
    ("临武", ["P2"]),
    ("ONERROR", ["V2"]),
    ("nobody", []),
])
def test_search_matches_every_word_in_either_language(store, query, expected):
    search = SuspectSearch.parse(query, tiny_case.PLACES)
    assert all_ids(case_query(store, "tiny"), search) == expected


@pytest.mark.parametrize("query, expected", [
    ("%", ["S1"]),
    ("100%", ["S1"]),
    ("_", ["S2"]),
    ("a_b", ["S2"]),
    ("a%b", []),
    ("/", ["S4"]),
    ("x/y", ["S4"]),
    ("\\", ["S5"]),
    ("axb", ["S3"]),
])
def test_sql_wildcards_in_a_search_mean_themselves(store, places, query, expected):
    search = SuspectSearch.parse(query, places)
    assert all_ids(case_query(store, "marks"), search) == expected
    assert pandas_search(SMALL_CASES["marks"](), query, places)["suspect_id"].tolist() == expected


@pytest.mark.parametrize("query, expected", [
    ("4310", ["S2"]),  # an unlisted city code shows as its digits
    ("431021", ["S2"]),
    ("431000", []),  # a listed code shows as its name
    ("430000", []),
    ("郴州", ["S1"]),
    ("湖南", ["S1", "S2", "S3"]),
])
def test_a_city_missing_from_the_places_table_is_found_by_its_code(store, places, query, expected):
    assert all_ids(case_query(store, "codes"), SuspectSearch.parse(query, places)) == expected
    assert pandas_search(SMALL_CASES["codes"](), query, places)["suspect_id"].tolist() == expected


def test_a_search_is_a_hashable_cache_key(places):
    first, again = SuspectSearch.parse("hunan  号商", places), SuspectSearch.parse(" hunan 号商 ", places)
    assert first == again and hash(first) == hash(again)
    assert SuspectSearch.parse("   ", places) == rows_query.NO_SEARCH


# -- sorting and paging ---------------------------------------------------------------------------


def pandas_order(frame: pd.DataFrame, sort: str, descending: bool) -> list[str]:
    columns = {"place": ["province_adcode", "city_adcode"]}.get(sort, [sort])
    by_id = frame.sort_values("suspect_id", kind="stable")
    ordered = by_id.sort_values(columns, ascending=not descending, na_position="last", kind="stable")
    return ordered["suspect_id"].tolist()


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", list(SORTS))
def test_pages_follow_the_sort_with_unknowns_last_and_ties_by_id(store, places, sort, descending):
    data, search = case_query(store), SuspectSearch.parse("hunan", places)
    expected = pandas_order(expected_rows(store, "hunan", places), sort, descending)
    size = 8
    offsets = range(0, len(expected) + size, size)
    pages = [data.suspect_page(search, sort, descending, offset, size) for offset in offsets]
    assert [i for page in pages for i in page["suspect_id"]] == expected
    assert all(len(page) == size for page in pages[: len(expected) // size])
    assert len(pages[len(expected) // size]) == len(expected) % size  # the last page holds what is left
    assert pages[-1].empty  # past the end


def test_ties_are_broken_by_id_in_both_directions(fresh_store):
    suspects = case_of(["a", "b", "c", "d"])
    suspects["amount_yuan"] = [5.0, 9.0, 5.0, None]
    fresh_store.save("ties", suspects=suspects)
    data = case_query(fresh_store, "ties")
    amounts = [data.suspect_page(sort="amount_yuan", descending=d)["suspect_id"].tolist() for d in (False, True)]
    assert amounts == [["S1", "S3", "S2", "S4"], ["S2", "S1", "S3", "S4"]]


def test_a_page_has_the_columns_and_types_the_table_shows(store, places):
    page = case_query(store).suspect_page(limit=5)
    assert tuple(page.columns) == rows_query.PAGE_COLUMNS
    assert pd.api.types.is_datetime64_any_dtype(page["arrest_date"])
    assert page["amount_yuan"].dtype == "float64"


def test_an_unknown_sort_is_refused(store):
    with pytest.raises(ValueError, match="sort must be one of"):
        case_query(store).suspect_page(sort="txn_id")


# -- one suspect ----------------------------------------------------------------------------------


def test_one_suspect_has_every_stored_column(store):
    stored = store.load("demo").suspects.set_index("suspect_id")
    row = case_query(store, roles=("payer",)).suspect("S001")  # a detail is shown whatever the filters
    assert row["suspect_id"] == "S001"
    for column in ("name", "role", "status", "province_adcode", "city_adcode", "address", "qq_accounts", "extra"):
        assert row[column] == stored.loc["S001", column]
    assert row["amount_yuan"] == stored.loc["S001", "amount_yuan"]
    assert pd.Timestamp(row["arrest_date"]) == stored.loc["S001", "arrest_date"]
    assert row["phone_cards"] == stored.loc["S001", "phone_cards"]


def test_a_suspect_outside_the_scope_or_the_case_is_none(store):
    suspect = store.load("demo").suspects.iloc[0]
    elsewhere = Scope(frozenset({"110000" if suspect["province_adcode"] != "110000" else "120000"}))
    home = Scope(frozenset({suspect["province_adcode"]}))
    assert case_query(store, scope=home).suspect(suspect["suspect_id"])["name"] == suspect["name"]
    assert case_query(store, scope=elsewhere).suspect(suspect["suspect_id"]) is None
    assert case_query(store).suspect("no-such-id") is None


# -- exports --------------------------------------------------------------------------------------


def streamed(data: CaseQuery, search: SuspectSearch, fmt: str = "csv", size: int = 7) -> bytes:
    out = io.BytesIO()
    exporter.write_export(out, "suspects", fmt, data.suspect_extra_keys(search), data.suspect_chunks(search, size))
    return out.getvalue()


@pytest.mark.parametrize("query, filters", [
    ("", {}),
    ("hunan", {}),
    ("vendor", {"statuses": ("arrested",)}),
    ("nobody-at-all", {}),
])
def test_export_chunks_add_up_to_the_filtered_searched_table(store, places, query, filters):
    data, search = case_query(store, **filters), SuspectSearch.parse(query, places)
    expected = expected_rows(store, query, places, **filters)
    chunks = list(data.suspect_chunks(search, size=7))
    assert all(len(chunk) == 7 for chunk in chunks[:-1]) and all(len(chunk) for chunk in chunks)
    together = pd.concat(chunks, ignore_index=True) if chunks else expected.iloc[:0]
    assert together["suspect_id"].tolist() == expected["suspect_id"].tolist()
    # The streamed file is the file the page built from the whole frame before.
    assert streamed(data, search) == exporter.export_bytes(expected, "suspects", "csv")


@pytest.mark.parametrize("size, sizes", [(1, [1] * 6), (3, [3, 3]), (4, [4, 2]), (6, [6]), (7, [6])])
def test_chunks_cover_every_row_once_whatever_the_size(store, size, sizes):
    data = case_query(store, "six")
    assert [len(chunk) for chunk in data.suspect_chunks(size=size)] == sizes
    direct = rows_query.suspect_chunks(store.engine, data.key, size=size)  # the same, without a runner
    assert [i for chunk in direct for i in chunk["suspect_id"]] == ["S1", "S2", "S3", "S4", "S5", "S6"]


def test_an_export_spreads_extra_fields_and_neutralises_formulas(fresh_store):
    suspects = case_of(["=HYPERLINK(\"http://x\",\"y\")", "+86 138", "plain"])
    suspects["extra"] = ['{"备注": "=1+1"}', "{}", '{"QQ号": "123", "备注": "ok"}']
    fresh_store.save("formulas", suspects=suspects)
    data = case_query(fresh_store, "formulas")
    assert data.suspect_extra_keys() == ("备注", "QQ号")
    text = streamed(data, rows_query.NO_SEARCH, size=2).decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].endswith(",备注,QQ号")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in lines[1] and lines[1].endswith(",'=1+1,")
    assert ",'+86 138," in lines[2]
    stored = fresh_store.load("formulas").suspects
    assert streamed(data, rows_query.NO_SEARCH) == exporter.export_bytes(stored, "suspects")


def test_the_table_and_the_detail_read_the_same_from_the_database(store):
    data, in_memory = case_query(store, "tiny"), tiny_case.suspects()
    page = data.suspect_page(limit=10)
    for lang in ("en", "zh"):
        pd.testing.assert_frame_equal(tables.suspects_table(page, tiny_case.PLACES, lang),
                                      tables.suspects_table(in_memory, tiny_case.PLACES, lang))
        for position, suspect_id in enumerate(in_memory["suspect_id"]):
            pd.testing.assert_frame_equal(
                tables.suspect_detail(data.suspect(suspect_id), tiny_case.PLACES, lang),
                tables.suspect_detail(in_memory.iloc[position], tiny_case.PLACES, lang),
            )
