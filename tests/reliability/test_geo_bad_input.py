"""Geometry import, bad input: refused with a clear message, exit code 1, and the geo folder byte-for-byte unchanged.

tests/unit/test_geo_importer.py already covers empty and zero-byte files, a missing file, a missing id field, UTM
labelled as lon/lat, swapped lat/lon, UTM without CRS, lines, points as context, no matching id, a missing geometry,
a polygon too small to keep and an unknown layer, all through ``run_geo_import``. This adds what was missing, and runs
every case through the command line (``python -m dashboard geo-import``, in process) against the real area
catalogue: broken and non-GeoJSON files, geometry that stays invalid or empty after repair (collinear and two-point
rings), empty polygons, files whose every geometry is null, non-numeric, NaN and infinite coordinates, other
projections (UTM 33, Web Mercator metres labelled as UTM 32, an unknown CRS), places outside Denmark, geometry
collections, a shapefile without its index, and ids or name fields that are missing or empty.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from unittest import mock

import pytest

from dashboard import cli
from tests.reliability.helpers import TALLY, copy_data, copy_geo, folder_hashes

X, Y = 570_000, 6_224_000  # Aarhus in EPSG:25832
UTM32 = "urn:ogc:def:crs:EPSG::25832"


def collection(features: list[dict], crs: str | None = None) -> str:
    content: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        content["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(content)


def feature(geometry: dict | None, area_id: object = "bispehaven") -> dict:
    return {"type": "Feature", "properties": {"area_id": area_id}, "geometry": geometry}


def square(x: float, y: float, half: float = 100) -> dict:
    ring = [
        [x - half, y - half],
        [x + half, y - half],
        [x + half, y + half],
        [x - half, y + half],
        [x - half, y - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def polygon(*points) -> dict:
    return {"type": "Polygon", "coordinates": [[list(p) for p in points]]}


GOOD = collection([feature(square(X, Y))], UTM32)
POINT = collection([feature({"type": "Point", "coordinates": [1e400, 56.1]})]).replace("Infinity", "1e400")

CASES = {
    "invalid: truncated GeoJSON": (GOOD[: len(GOOD) // 2], [], "kunne ikke læse"),
    "invalid: an HTML error page saved as .geojson": (
        "<html><body>502 Bad Gateway</body></html>",
        [],
        "kunne ikke læse",
    ),
    "invalid: coordinates that are text": (
        collection([feature(polygon(("a", "b"), ("c", "d"), ("e", "f"), ("a", "b")))]),
        [],
        "har ingen geometri",
    ),
    "invalid: NaN coordinates": (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"area_id":"bispehaven"},'
        '"geometry":{"type":"Point","coordinates":[NaN,56.1]}}]}',
        [],
        "ikke er tal (NaN eller uendelig)",
    ),
    "invalid: infinite coordinates": (POINT, [], ("kunne ikke læse", "ikke er tal (NaN eller uendelig)")),
    "invalid: a geometry collection": (
        collection(
            [feature({"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [10.1, 56.1]}]})]
        ),
        [],
        "GeometryCollection kan ikke bruges",
    ),
    "self-intersecting: collinear ring (no area left after repair)": (
        collection([feature(polygon((X, Y), (X + 100, Y + 100), (X + 200, Y + 200), (X, Y)))], UTM32),
        [],
        "ugyldig eller tom selv efter reparation",
    ),
    "self-intersecting: two-point ring": (
        collection([feature(polygon((X, Y), (X + 100, Y), (X, Y)))], UTM32),
        [],
        "ugyldig eller tom selv efter reparation",
    ),
    "empty: POLYGON EMPTY": (
        collection([feature({"type": "Polygon", "coordinates": []})], UTM32),
        [],
        ("har ingen geometri",),
    ),
    "empty: every geometry null": (
        collection([feature(None), feature(None, "viby-syd")]),
        [],
        "har ingen geometri",
    ),
    "empty: one of two geometries null": (
        collection([feature(square(X, Y)), feature(None, "viby-syd")], UTM32),
        [],
        "har ingen geometri: 'viby-syd'",
    ),
    "wrongly projected: UTM 32 coordinates labelled UTM 33": (
        collection([feature(square(X, Y))], "urn:ogc:def:crs:EPSG::25833"),
        [],
        "uden for Danmark",
    ),
    "wrongly projected: Web Mercator metres labelled UTM 32": (
        collection([feature(square(1_128_000, 7_590_000))], UTM32),
        [],
        "uden for Danmark",
    ),
    "wrongly projected: an unknown CRS": (
        collection([feature(square(X, Y))], "EPSG:999999"),
        [],
        "forkert projektion?",
    ),
    "wrongly projected: a place in Greenland": (
        collection([feature({"type": "Point", "coordinates": [-51.7, 64.2]})]),
        [],
        "uden for Danmark",
    ),
    "id field: values all null": (
        collection([feature({"type": "Point", "coordinates": [10.17, 56.17]}, None)]),
        [],
        "svarer til et kendt område",
    ),
    "id field: named differently in the file": (
        GOOD.replace('"area_id"', '"omraade_id"'),
        [],
        "har intet felt 'area_id'",
    ),
    "id field: the context layer's name field missing": (
        collection([feature(square(10.17, 56.17, 0.001))]),
        ["--layer", "context", "--name-field", "navn"],
        "har intet felt 'navn'",
    ),
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("geo-bad-input")
    return copy_data(root / "data"), copy_geo(root / "geo")


def run_cli(args: list[str], data_dir: Path, geo_dir: Path) -> tuple[int, str]:
    out = io.StringIO()
    environment = {"DATA_DIR": str(data_dir), "GEO_DIR": str(geo_dir)}
    with mock.patch.dict(os.environ, environment), contextlib.redirect_stdout(out):
        code = cli.main(args)
    return code, out.getvalue()


def refused(folders, path: Path, extra: list[str], expected, category: str) -> None:
    data_dir, geo_dir = folders
    before = folder_hashes(geo_dir)
    code, text = run_cli(["geo-import", str(path), "--id-field", "area_id", *extra], data_dir, geo_dir)
    assert code == 1, text
    last = text.strip().splitlines()[-1]
    assert last.startswith("Afvist, intet er ændret: "), text
    expected = (expected,) if isinstance(expected, str) else expected
    assert any(phrase in last for phrase in expected), text
    assert "Traceback" not in text
    assert folder_hashes(geo_dir) == before, "the geo folder changed"
    TALLY[f"geo:{category}"] += 1


@pytest.mark.parametrize("case", list(CASES))
def test_bad_geometry_is_refused_and_nothing_changes(folders, tmp_path, case):
    text, extra, expected = CASES[case]
    path = tmp_path / "input.geojson"
    path.write_text(text, encoding="utf-8")
    refused(folders, path, extra, expected, case.split(":")[0])


def test_a_shapefile_without_its_index_or_table(folders, tmp_path):
    """A shapefile sent without its .shx/.dbf companions (a common e-mail accident)."""
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({"area_id": ["bispehaven"]}, geometry=[shapely.box(X - 100, Y - 100, X + 100, Y + 100)])
    frame.set_crs("EPSG:25832").to_file(tmp_path / "areas.shp")
    (tmp_path / "areas.shx").unlink()
    (tmp_path / "areas.dbf").unlink()
    refused(folders, tmp_path / "areas.shp", [], ("kunne ikke læse", "has no field"), "invalid")


def test_a_good_file_is_accepted_in_a_dry_run(folders, tmp_path):
    """The base of the cases above is valid, so each refusal is the case's own doing."""
    data_dir, geo_dir = folders
    path = tmp_path / "good.geojson"
    path.write_text(GOOD, encoding="utf-8")
    before = folder_hashes(geo_dir)
    code, text = run_cli(["geo-import", str(path), "--id-field", "area_id", "--dry-run"], data_dir, geo_dir)
    assert code == 0, text
    assert folder_hashes(geo_dir) == before
