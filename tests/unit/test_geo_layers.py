"""Tests for dashboard.geo.layers: the shipped areas file, validation, representative
points and polygon rings.

The runtime module must work on plain JSON, so most tests write small GeoJSON files by
hand; shapely is used only as an independent check of the pure-Python centroid.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from dashboard.geo.layers import (
    area_points,
    load_areas,
    load_context,
    polygon_rings,
    representative_point,
)

REPO = Path(__file__).resolve().parents[2]
HELHEDSPLAN_AREA_IDS = {
    "gellerup-toveshoej",
    "bispehaven",
    "viby-syd",
    "herredsvang",
    "langkaerparken",
    "trigeparken",
    "frydenlund-vandtaarnsomraadet",
}
# Aarhus municipality's bounding box: every shipped location must lie inside it.
AARHUS_LON = (9.99, 10.42)
AARHUS_LAT = (56.0, 56.32)


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_collection(path: Path, features: list[dict]) -> None:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}),
        encoding="utf-8",
    )


def square_ring(lon: float, lat: float, half: float) -> list[list[float]]:
    return [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]


def positions(geometry: dict) -> list[list[float]]:
    depth = {"Point": 0, "MultiPoint": 1, "Polygon": 2, "MultiPolygon": 3}[geometry["type"]]
    found = [geometry["coordinates"]]
    for _ in range(depth):
        found = [part for item in found for part in item]
    return found


def test_shipped_areas_cover_the_seven_helhedsplan_areas_inside_aarhus():
    collection = load_areas(REPO / "geo")
    features = collection["features"]
    assert {f["properties"]["area_id"] for f in features} == HELHEDSPLAN_AREA_IDS
    for item in features:
        properties = item["properties"]
        assert properties["name"], properties
        assert properties["source"], properties
        assert properties["method"] in {
            "published coordinate",
            "estimate",
            "official geometry",
        }
        if properties["method"] != "official geometry":
            assert properties["uncertainty_m"] > 0, properties
        for lon, lat in positions(item["geometry"]):
            assert AARHUS_LON[0] <= lon <= AARHUS_LON[1], properties["area_id"]
            assert AARHUS_LAT[0] <= lat <= AARHUS_LAT[1], properties["area_id"]
            assert round(lon, 6) == lon and round(lat, 6) == lat


def test_shipped_frydenlund_vandtaarnsomraadet_is_two_places():
    collection = load_areas(REPO / "geo")
    (item,) = [f for f in collection["features"] if f["properties"]["area_id"] == "frydenlund-vandtaarnsomraadet"]
    assert item["geometry"]["type"] == "MultiPoint"
    assert len(item["geometry"]["coordinates"]) == 2


def test_area_points_of_shipped_areas_lie_inside_aarhus():
    points = area_points(load_areas(REPO / "geo"))
    assert {p["area_id"] for p in points} == HELHEDSPLAN_AREA_IDS
    for point in points:
        assert AARHUS_LON[0] <= point["lon"] <= AARHUS_LON[1]
        assert AARHUS_LAT[0] <= point["lat"] <= AARHUS_LAT[1]
        assert set(point) == {
            "area_id",
            "name",
            "lon",
            "lat",
            "method",
            "source",
            "uncertainty_m",
        }


def test_representative_point_of_point_and_multipoint():
    assert representative_point({"type": "Point", "coordinates": [10.1, 56.1]}) == (
        10.1,
        56.1,
    )
    lon, lat = representative_point({"type": "MultiPoint", "coordinates": [[10.0, 56.0], [10.2, 56.4]]})
    assert lon == pytest.approx(10.1)
    assert lat == pytest.approx(56.2)


def test_representative_point_of_polygon_matches_shapely_centroid():
    # An L-shape: its centroid differs from the vertex mean, so this checks the area
    # weighting.
    ring = [
        [10.0, 56.0],
        [10.2, 56.0],
        [10.2, 56.05],
        [10.05, 56.05],
        [10.05, 56.2],
        [10.0, 56.2],
        [10.0, 56.0],
    ]
    expected = shapely.Polygon(ring).centroid
    lon, lat = representative_point({"type": "Polygon", "coordinates": [ring]})
    assert lon == pytest.approx(expected.x)
    assert lat == pytest.approx(expected.y)
    clockwise = representative_point({"type": "Polygon", "coordinates": [ring[::-1]]})
    assert clockwise == pytest.approx((lon, lat))


def test_representative_point_of_multipolygon_weights_parts_by_area():
    big = square_ring(10.0, 56.0, 0.02)
    small = square_ring(10.3, 56.1, 0.01)
    expected = shapely.MultiPolygon([shapely.Polygon(big), shapely.Polygon(small)]).centroid
    lon, lat = representative_point({"type": "MultiPolygon", "coordinates": [[big], [small]]})
    assert lon == pytest.approx(expected.x)
    assert lat == pytest.approx(expected.y)


def test_representative_point_of_a_degenerate_polygon_is_its_vertex_mean():
    flat = [[10.0, 56.0], [10.2, 56.0], [10.1, 56.0], [10.0, 56.0]]
    assert representative_point({"type": "Polygon", "coordinates": [flat]}) == pytest.approx((10.1, 56.0))


def test_polygon_rings_separate_rings_with_none_and_skip_points():
    outer = square_ring(10.2, 56.15, 0.02)
    hole = square_ring(10.2, 56.15, 0.005)[::-1]
    other = square_ring(10.3, 56.2, 0.01)
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature(
                {"type": "Polygon", "coordinates": [outer, hole]},
                area_id="bispehaven",
                name="Bispehaven",
            ),
            feature(
                {"type": "Point", "coordinates": [10.1, 56.1]},
                area_id="viby-syd",
                name="Viby Syd",
            ),
            feature(
                {"type": "MultiPolygon", "coordinates": [[outer], [other]]},
                name="Midtbyen",
            ),
        ],
    }
    traces = polygon_rings(collection)
    assert [t["name"] for t in traces] == ["Bispehaven", "Midtbyen"]
    assert traces[0]["area_id"] == "bispehaven"
    assert traces[1]["area_id"] is None
    assert traces[0]["lons"] == [p[0] for p in outer] + [None] + [p[0] for p in hole]
    assert traces[0]["lats"] == [p[1] for p in outer] + [None] + [p[1] for p in hole]
    assert traces[1]["lons"].count(None) == 1


def test_load_context_is_none_without_a_context_file(tmp_path):
    assert load_context(tmp_path) is None


def test_load_context_reads_polygons(tmp_path):
    write_collection(
        tmp_path / "context.geojson",
        [
            feature(
                {"type": "Polygon", "coordinates": [square_ring(10.2, 56.15, 0.02)]},
                name="Midtbyen",
            )
        ],
    )
    context = load_context(tmp_path)
    assert [t["name"] for t in polygon_rings(context)] == ["Midtbyen"]


def test_load_context_refuses_points(tmp_path):
    write_collection(
        tmp_path / "context.geojson",
        [feature({"type": "Point", "coordinates": [10.2, 56.1]})],
    )
    with pytest.raises(ValueError, match=r"context\.geojson.*Point"):
        load_context(tmp_path)


POINT = {"type": "Point", "coordinates": [10.2, 56.1]}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"type": "FeatureCollection", "features": [', "ikke gyldig JSON"),
        ('{"type": "Feature"}', "ikke en GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection"}', "ingen 'features'-liste"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "geometry": POINT}],
                }
            ),
            "properties",
        ),
        (
            json.dumps({"type": "FeatureCollection", "features": [feature(POINT, name="x")]}),
            "ingen 'area_id'",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        feature(POINT, area_id="a"),
                        feature(POINT, area_id="a"),
                    ],
                }
            ),
            "mere end én gang",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        feature(
                            {
                                "type": "LineString",
                                "coordinates": [[10, 56], [10.1, 56]],
                            },
                            area_id="a",
                        )
                    ],
                }
            ),
            "LineString",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [feature({"type": "Point", "coordinates": ["10", 56]}, area_id="a")],
                }
            ),
            "er fejlformede",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        feature(
                            {
                                "type": "Polygon",
                                "coordinates": [[[10, 56], [10.1, 56], [10, 56]]],
                            },
                            area_id="a",
                        )
                    ],
                }
            ),
            "færre end 4 positioner",
        ),
    ],
)
def test_load_areas_names_the_file_and_the_problem(tmp_path, content, problem):
    (tmp_path / "areas.geojson").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        load_areas(tmp_path)
    assert "areas.geojson" in str(raised.value)
    assert problem in str(raised.value)


def test_importing_layers_does_not_import_geopandas_or_shapely():
    # The web workers import this module; pulling in geopandas would make every worker
    # slow to start and large.
    code = "import dashboard.geo.layers, sys; assert 'geopandas' not in sys.modules and 'shapely' not in sys.modules"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
