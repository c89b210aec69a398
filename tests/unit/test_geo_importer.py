"""Tests for the geo-import command's logic (dashboard.geo.importer).

Every input file is generated here with geopandas/shapely in tmp_path, mostly in
EPSG:25832 around Aarhus (UTM 32N x=570000, y=6224000). Refusals must leave
`geo/areas.geojson` byte-for-byte unchanged.
"""

from __future__ import annotations

import json
import math
import shutil
import stat
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Transformer

from dashboard.geo.importer import match_area_ids, run_geo_import, slug
from dashboard.geo.layers import area_points, load_areas, load_context

REPO = Path(__file__).resolve().parents[2]
AARHUS_X, AARHUS_Y = 570_000, 6_224_000
KNOWN_AREAS = {
    "gellerup-toveshoej": "Gellerup/Toveshøj",
    "bispehaven": "Bispehaven",
    "viby-syd": "Viby Syd",
    "herredsvang": "Herredsvang",
    "langkaerparken": "Langkærparken",
    "trigeparken": "Trigeparken",
    "frydenlund-vandtaarnsomraadet": "Frydenlund/Vandtårnsområdet",
}
TO_LON_LAT = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)


@pytest.fixture
def geo_dir(tmp_path: Path) -> Path:
    """A geo directory with a copy of the shipped areas file, as an import finds it."""
    directory = tmp_path / "geo"
    directory.mkdir()
    shutil.copy(REPO / "geo" / "areas.geojson", directory / "areas.geojson")
    return directory


@pytest.fixture
def messages() -> list[str]:
    return []


def square(x: float, y: float, half: float = 100.0) -> shapely.Polygon:
    return shapely.box(x - half, y - half, x + half, y + half)


def write_frame(path: Path, ids: list, geometries: list, crs: str | None = "EPSG:25832", **columns) -> Path:
    frame = gpd.GeoDataFrame({"area_id": ids, **columns}, geometry=geometries, crs=crs)
    with warnings.catch_warnings():
        # Files without a CRS are written on purpose here; pyogrio's warning about them
        # is noise.
        warnings.filterwarnings("ignore", message="'crs' was not provided")
        frame.to_file(path)
    return path


def metres_between(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> float:
    # An equirectangular approximation is exact enough at the scale of a few metres.
    dx = (lon_a - lon_b) * 111_320 * math.cos(math.radians(lat_a))
    dy = (lat_a - lat_b) * 110_574
    return math.hypot(dx, dy)


def areas_by_id(geo_dir: Path) -> dict[str, dict]:
    return {f["properties"]["area_id"]: f for f in load_areas(geo_dir)["features"]}


def run(path: Path, geo_dir: Path, messages: list[str], **options) -> int:
    options.setdefault("id_field", "area_id")
    options.setdefault("known_area_ids", KNOWN_AREAS)
    return run_geo_import(path, geo_dir=geo_dir, out=messages.append, **options)


@pytest.mark.parametrize("file_name", ["areas.geojson", "areas.gpkg", "areas.shp"])
def test_a_utm_square_lands_at_the_right_lon_lat(tmp_path, geo_dir, messages, file_name):
    source = write_frame(tmp_path / file_name, ["bispehaven"], [square(AARHUS_X, AARHUS_Y)])

    assert run(source, geo_dir, messages) == 0, messages

    bispehaven = areas_by_id(geo_dir)["bispehaven"]
    assert bispehaven["geometry"]["type"] == "Polygon"
    ring = bispehaven["geometry"]["coordinates"][0]
    corners = shapely.box(AARHUS_X - 100, AARHUS_Y - 100, AARHUS_X + 100, AARHUS_Y + 100).exterior.coords
    for x, y in corners:
        lon, lat = TO_LON_LAT.transform(x, y)
        assert min(metres_between(lon, lat, *position) for position in ring) < 1.0
    assert all(round(value, 6) == value for position in ring for value in position)
    centre_lon, centre_lat = TO_LON_LAT.transform(AARHUS_X, AARHUS_Y)
    (point,) = [p for p in area_points(load_areas(geo_dir)) if p["area_id"] == "bispehaven"]
    assert metres_between(centre_lon, centre_lat, point["lon"], point["lat"]) < 1.0
    assert bispehaven["properties"] == {
        "area_id": "bispehaven",
        "name": "Bispehaven",
        "method": "official geometry",
        "source": file_name,
        "uncertainty_m": None,
    }


def test_exterior_rings_are_counter_clockwise(tmp_path, geo_dir, messages):
    clockwise = shapely.Polygon(list(square(AARHUS_X, AARHUS_Y).exterior.coords)[::-1])
    source = write_frame(tmp_path / "areas.geojson", ["bispehaven"], [clockwise])
    assert run(source, geo_dir, messages) == 0, messages
    ring = areas_by_id(geo_dir)["bispehaven"]["geometry"]["coordinates"][0]
    assert shapely.LinearRing(ring).is_ccw


def test_a_bow_tie_polygon_is_repaired_and_reported(tmp_path, geo_dir, messages):
    x, y = AARHUS_X, AARHUS_Y
    bow_tie = shapely.Polygon([(x - 100, y - 100), (x + 100, y + 100), (x + 100, y - 100), (x - 100, y + 100)])
    assert not bow_tie.is_valid
    source = write_frame(tmp_path / "areas.geojson", ["bispehaven"], [bow_tie])

    assert run(source, geo_dir, messages) == 0, messages

    assert any("Reparerede 1 ugyldig geometri" in message for message in messages)
    repaired = shapely.geometry.shape(areas_by_id(geo_dir)["bispehaven"]["geometry"])
    assert repaired.geom_type == "MultiPolygon"
    assert repaired.is_valid


def test_a_matched_import_writes_the_areas_and_keeps_the_previous_version(tmp_path, geo_dir, messages):
    previous = (geo_dir / "areas.geojson").read_bytes()
    # Spellings as other systems write them: underscores, capitals, Danish letters
    # dropped.
    source = write_frame(
        tmp_path / "areas.geojson",
        ["gellerup_toveshoj", "BISPEHAVEN"],
        [square(AARHUS_X, AARHUS_Y), square(AARHUS_X + 1_000, AARHUS_Y)],
    )

    assert run(source, geo_dir, messages, source="Aarhus Kommune, CC BY 4.0") == 0, messages

    areas = areas_by_id(geo_dir)
    assert list(areas) == list(KNOWN_AREAS)
    assert areas["gellerup-toveshoej"]["geometry"]["type"] == "Polygon"
    assert areas["gellerup-toveshoej"]["properties"]["name"] == "Gellerup/Toveshøj"
    assert areas["gellerup-toveshoej"]["properties"]["source"] == "areas.geojson; Aarhus Kommune, CC BY 4.0"
    assert areas["bispehaven"]["geometry"]["type"] == "Polygon"
    # Areas the file does not cover keep their previous location rather than vanishing
    # from the map.
    assert areas["viby-syd"]["geometry"]["type"] == "Point"
    assert areas["viby-syd"]["properties"]["method"] == "estimate"
    assert (geo_dir / "areas.geojson.bak").read_bytes() == previous
    assert sorted(p.name for p in geo_dir.iterdir()) == [
        "areas.geojson",
        "areas.geojson.bak",
    ]


def test_written_files_keep_the_previous_permissions(tmp_path, geo_dir, messages):
    (geo_dir / "areas.geojson").chmod(0o640)
    source = write_frame(tmp_path / "a.geojson", ["bispehaven"], [square(AARHUS_X, AARHUS_Y)])
    new_geo_dir = tmp_path / "new-geo"

    assert run(source, geo_dir, messages) == 0, messages
    assert run(source, new_geo_dir, messages) == 0, messages

    assert stat.S_IMODE((geo_dir / "areas.geojson").stat().st_mode) == 0o640
    # A first file must be readable by the web workers, which may run as another user.
    assert stat.S_IMODE((new_geo_dir / "areas.geojson").stat().st_mode) == 0o644


def test_unmatched_features_are_reported_and_dropped(tmp_path, geo_dir, messages):
    source = write_frame(
        tmp_path / "areas.geojson",
        ["bispehaven", "nowhere-park"],
        [square(AARHUS_X, AARHUS_Y), square(AARHUS_X + 1_000, AARHUS_Y)],
    )

    assert run(source, geo_dir, messages) == 0, messages

    assert any("udelades" in message and "'nowhere-park'" in message for message in messages)
    assert any("beholder deres hidtidige geometri" in message and "viby-syd" in message for message in messages)
    assert "nowhere-park" not in areas_by_id(geo_dir)


def test_known_areas_without_any_geometry_are_reported(tmp_path, messages):
    source = write_frame(tmp_path / "areas.geojson", ["bispehaven"], [square(AARHUS_X, AARHUS_Y)])
    empty_geo_dir = tmp_path / "new-geo"

    assert run(source, empty_geo_dir, messages) == 0, messages

    assert any("helt uden geometri" in message and "trigeparken" in message for message in messages)
    assert list(areas_by_id(empty_geo_dir)) == ["bispehaven"]


def test_features_of_one_area_are_merged(tmp_path, geo_dir, messages):
    source = write_frame(
        tmp_path / "areas.geojson",
        ["Viby Syd", "viby-syd"],
        [square(AARHUS_X, AARHUS_Y), square(AARHUS_X + 1_000, AARHUS_Y)],
    )

    assert run(source, geo_dir, messages) == 0, messages

    assert any("Samlede 2 objekter til viby-syd" in message for message in messages)
    assert areas_by_id(geo_dir)["viby-syd"]["geometry"]["type"] == "MultiPolygon"


def test_simplification_removes_vertices_finer_than_the_tolerance(tmp_path, geo_dir, messages):
    circle = shapely.Point(AARHUS_X, AARHUS_Y).buffer(300, quad_segs=256)
    source = write_frame(tmp_path / "areas.geojson", ["herredsvang"], [circle])

    assert run(source, geo_dir, messages, tolerance_m=5.0) == 0, messages

    ring = areas_by_id(geo_dir)["herredsvang"]["geometry"]["coordinates"][0]
    assert 10 < len(ring) < len(circle.exterior.coords) / 4


def test_a_file_without_crs_but_with_lon_lat_is_taken_as_epsg_4326(tmp_path, geo_dir, messages):
    lon, lat = TO_LON_LAT.transform(AARHUS_X, AARHUS_Y)
    source = write_frame(tmp_path / "areas.shp", ["trigeparken"], [shapely.Point(lon, lat)], crs=None)

    assert run(source, geo_dir, messages) == 0, messages

    assert any("EPSG:4326 er antaget" in message for message in messages)
    assert areas_by_id(geo_dir)["trigeparken"]["geometry"]["coordinates"] == [
        round(lon, 6),
        round(lat, 6),
    ]


def test_the_context_layer_lands_in_context_geojson(tmp_path, geo_dir, messages):
    areas_before = (geo_dir / "areas.geojson").read_bytes()
    source = write_frame(
        tmp_path / "lokalsamfund.gpkg",
        ["01", "02"],
        [square(AARHUS_X, AARHUS_Y, 500), square(AARHUS_X + 1_000, AARHUS_Y, 500)],
        distrikt=["Midtbyen", "Hasle"],
    )

    code = run(
        source,
        geo_dir,
        messages,
        layer="context",
        name_field="distrikt",
        known_area_ids=None,
    )

    assert code == 0, messages
    context = load_context(geo_dir)
    assert [f["properties"]["name"] for f in context["features"]] == [
        "Midtbyen",
        "Hasle",
    ]
    assert all(f["properties"]["source"] == "lokalsamfund.gpkg" for f in context["features"])
    assert (geo_dir / "areas.geojson").read_bytes() == areas_before


def test_a_dry_run_reports_without_writing(tmp_path, geo_dir, messages):
    before = (geo_dir / "areas.geojson").read_bytes()
    source = write_frame(tmp_path / "areas.geojson", ["bispehaven"], [square(AARHUS_X, AARHUS_Y)])

    assert run(source, geo_dir, messages, dry_run=True) == 0, messages

    assert any(message.startswith("Prøvekørsel") for message in messages)
    assert any("Matchede 'bispehaven' -> bispehaven" in message for message in messages)
    assert (geo_dir / "areas.geojson").read_bytes() == before
    assert sorted(p.name for p in geo_dir.iterdir()) == ["areas.geojson"]


def write_empty_collection(path: Path) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    return path


def write_zero_bytes(path: Path) -> Path:
    path.write_bytes(b"")
    return path


REFUSALS = {
    "empty collection": (
        lambda d: write_empty_collection(d / "empty.geojson"),
        {},
        "har ingen objekter",
    ),
    "zero-byte file": (
        lambda d: write_zero_bytes(d / "zero.geojson"),
        {},
        "kunne ikke læse zero.geojson",
    ),
    "missing file": (lambda d: d / "missing.geojson", {}, "findes ikke"),
    "no id field": (
        lambda d: write_frame(d / "a.geojson", ["bispehaven"], [square(AARHUS_X, AARHUS_Y)]),
        {"id_field": "omraade"},
        "intet felt 'omraade'; felterne er: area_id",
    ),
    "utm labelled as lon/lat": (
        lambda d: write_frame(
            d / "a.geojson",
            ["bispehaven"],
            [square(AARHUS_X, AARHUS_Y)],
            crs="EPSG:4326",
        ),
        {},
        "forkert projektion?",
    ),
    "lat/lon swapped": (
        lambda d: write_frame(
            d / "a.geojson",
            ["bispehaven"],
            [shapely.Point(56.17, 10.15)],
            crs="EPSG:4326",
        ),
        {},
        "uden for Danmark",
    ),
    "utm without crs": (
        lambda d: write_frame(d / "a.shp", ["bispehaven"], [square(AARHUS_X, AARHUS_Y)], crs=None),
        {},
        "intet koordinatsystem",
    ),
    "lines": (
        lambda d: write_frame(
            d / "a.geojson",
            ["bispehaven"],
            [shapely.LineString([(AARHUS_X, AARHUS_Y), (AARHUS_X + 9, AARHUS_Y)])],
        ),
        {},
        "LineString kan ikke bruges",
    ),
    "points as context": (
        lambda d: write_frame(d / "a.geojson", ["01"], [shapely.Point(AARHUS_X, AARHUS_Y)]),
        {"layer": "context"},
        "Point kan ikke bruges",
    ),
    "no matching id": (
        lambda d: write_frame(d / "a.geojson", ["aarhus-c"], [square(AARHUS_X, AARHUS_Y)]),
        {},
        "svarer til et kendt område",
    ),
    "missing geometry": (
        lambda d: write_frame(
            d / "a.geojson",
            ["bispehaven", "viby-syd"],
            [square(AARHUS_X, AARHUS_Y), None],
        ),
        {},
        "har ingen geometri: 'viby-syd'",
    ),
    "too small to keep": (
        lambda d: write_frame(d / "a.geojson", ["bispehaven"], [square(AARHUS_X, AARHUS_Y, 0.02)]),
        {},
        "forsvinder, når de forenkles",
    ),
    "unknown layer": (
        lambda d: write_frame(d / "a.geojson", ["bispehaven"], [square(AARHUS_X, AARHUS_Y)]),
        {"layer": "roads"},
        "ukendt lag 'roads'",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_bad_input_is_refused_and_leaves_the_areas_file_unchanged(tmp_path, geo_dir, messages, case):
    make_source, options, expected = REFUSALS[case]
    before = (geo_dir / "areas.geojson").read_bytes()
    source = make_source(tmp_path)

    assert run(source, geo_dir, messages, **options) == 1

    assert messages[-1].startswith("Afvist, intet er ændret: ")
    assert expected in messages[-1]
    assert (geo_dir / "areas.geojson").read_bytes() == before
    assert sorted(p.name for p in geo_dir.iterdir()) == ["areas.geojson"]


def test_without_a_catalogue_or_areas_file_nothing_can_be_matched(tmp_path, messages):
    source = write_frame(tmp_path / "a.geojson", ["bispehaven"], [square(AARHUS_X, AARHUS_Y)])
    assert run(source, tmp_path / "geo", messages, known_area_ids=None) == 1
    assert "ingen kendte områder" in messages[-1]


def test_by_default_the_areas_already_on_the_map_are_the_known_areas(tmp_path, geo_dir, messages):
    source = write_frame(tmp_path / "a.geojson", ["Langkærparken"], [square(AARHUS_X, AARHUS_Y)])
    assert run(source, geo_dir, messages, known_area_ids=None) == 0, messages
    assert areas_by_id(geo_dir)["langkaerparken"]["properties"]["method"] == "official geometry"


def test_slug_spells_out_danish_letters():
    assert slug("Gellerup/Toveshøj") == "gellerup-toveshoej"
    assert slug("  Frydenlund / Vandtårnsområdet ") == "frydenlund-vandtaarnsomraadet"
    assert slug("LANGKÆRPARKEN") == "langkaerparken"


def test_match_area_ids_accepts_ids_names_and_their_variants():
    values = [
        "gellerup_toveshoej",
        "Gellerup_Toveshoj",
        "Langkærparken",
        "VIBY SYD",
        "frydenlund",
        None,
        7,
    ]
    assert match_area_ids(values, KNOWN_AREAS) == {
        "gellerup_toveshoej": "gellerup-toveshoej",
        "Gellerup_Toveshoj": "gellerup-toveshoej",
        "Langkærparken": "langkaerparken",
        "VIBY SYD": "viby-syd",
    }
