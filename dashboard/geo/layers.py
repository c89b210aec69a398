"""Runtime loading of the prepared map geometry in `geo/` for the web workers.

The files are GeoJSON FeatureCollections in EPSG:4326 written by the geo-import command
(or authored by hand for `areas.geojson`). This module reads them with the standard
library only: a worker must start fast and stay small, so geopandas and shapely stay in
`dashboard.geo.importer`, which only the command line imports.

The map is drawn with cartesian traces, so this module also turns features into what
those traces need: one representative point per area and None-separated ring coordinates
per polygon feature.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

AREAS_FILE = "areas.geojson"
CONTEXT_FILE = "context.geojson"

# How deeply each supported geometry nests its positions; anything else is not drawn by
# the map.
_POSITION_DEPTH = {"Point": 0, "MultiPoint": 1, "Polygon": 2, "MultiPolygon": 3}
AREA_GEOMETRY_TYPES = frozenset(_POSITION_DEPTH)
POLYGON_TYPES = frozenset({"Polygon", "MultiPolygon"})
CONTEXT_GEOMETRY_TYPES = POLYGON_TYPES

COORDINATE_DECIMALS = 6


def files_fingerprint(geo_dir: Path) -> str:
    """A short hash of the geometry files' names and bytes: changes whenever an import changes them."""
    digest = hashlib.sha256()
    for path in sorted(Path(geo_dir).glob("*.geojson")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_areas(geo_dir: Path) -> dict[str, Any]:
    """Read and validate `areas.geojson`: one feature per area, unique `area_id`s."""
    path = Path(geo_dir) / AREAS_FILE
    collection = _read_feature_collection(path, AREA_GEOMETRY_TYPES)
    problem = area_ids_problem(collection)
    if problem:
        raise ValueError(f"{path}: {problem}")
    return collection


def load_context(geo_dir: Path) -> dict[str, Any] | None:
    """Read and validate `context.geojson`; None when no context layer was imported."""
    path = Path(geo_dir) / CONTEXT_FILE
    if not path.is_file():
        return None
    return _read_feature_collection(path, CONTEXT_GEOMETRY_TYPES)


def area_points(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """One marker per area: a representative lon/lat and what a hover text needs."""
    points = []
    for feature in collection["features"]:
        properties = feature["properties"]
        lon, lat = representative_point(feature["geometry"])
        points.append(
            {
                "area_id": properties["area_id"],
                "name": properties.get("name") or properties["area_id"],
                "lon": round(lon, COORDINATE_DECIMALS),
                "lat": round(lat, COORDINATE_DECIMALS),
                "method": properties.get("method"),
                "source": properties.get("source"),
                "uncertainty_m": properties.get("uncertainty_m"),
            }
        )
    return points


def polygon_rings(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """The Polygon/MultiPolygon features as fillable traces: one dict per feature.

    Each dict has `area_id` (None in the context layer), `name`, and `lons`/`lats`
    holding every ring of the feature, rings separated by None so that one
    `go.Scatter(fill="toself")` draws the whole feature with one hover label. Point
    features are skipped: they are drawn as markers from `area_points`.
    """
    traces = []
    for feature in collection["features"]:
        rings = _rings(feature["geometry"])
        if not rings:
            continue
        lons: list[float | None] = []
        lats: list[float | None] = []
        for ring in rings:
            if lons:
                lons.append(None)
                lats.append(None)
            lons.extend(position[0] for position in ring)
            lats.extend(position[1] for position in ring)
        properties = feature["properties"]
        traces.append(
            {
                "area_id": properties.get("area_id"),
                "name": properties.get("name"),
                "lons": lons,
                "lats": lats,
            }
        )
    return traces


def representative_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """An area's marker: the point, the mean of the parts, or the outline's centroid.

    For a concave outline the centroid can fall just outside it; for the compact estates
    on this map that is an acceptable price for a stable, dependency-free point.
    """
    kind = geometry["type"]
    coordinates = geometry["coordinates"]
    if kind == "Point":
        return float(coordinates[0]), float(coordinates[1])
    if kind == "MultiPoint":
        return _mean_position(coordinates)
    if kind == "Polygon":
        return _rings_centroid([coordinates[0]])
    if kind == "MultiPolygon":
        return _rings_centroid([polygon[0] for polygon in coordinates])
    raise ValueError(f"intet repræsentativt punkt for en {kind}-geometri")


def feature_collection_problem(collection: Any, geometry_types: frozenset[str]) -> str | None:
    """The first structural problem of a parsed FeatureCollection, or None if usable."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return "ikke en GeoJSON FeatureCollection"
    features = collection.get("features")
    if not isinstance(features, list):
        return "FeatureCollection har ingen 'features'-liste"
    for number, feature in enumerate(features, start=1):
        problem = _feature_problem(feature, geometry_types)
        if problem:
            return f"objekt {number}: {problem}"
    return None


def area_ids_problem(collection: dict[str, Any]) -> str | None:
    """A missing or repeated `area_id` in a well-formed collection, or None."""
    seen: set[str] = set()
    for number, feature in enumerate(collection["features"], start=1):
        area_id = feature["properties"].get("area_id")
        if not isinstance(area_id, str) or not area_id:
            return f"objekt {number}: ingen 'area_id'-egenskab"
        if area_id in seen:
            return f"objekt {number}: area_id {area_id!r} optræder mere end én gang"
        seen.add(area_id)
    return None


def _read_feature_collection(path: Path, geometry_types: frozenset[str]) -> dict[str, Any]:
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: ikke gyldig JSON ({error})") from error
    problem = feature_collection_problem(collection, geometry_types)
    if problem:
        raise ValueError(f"{path}: {problem}")
    return collection


def _feature_problem(feature: Any, geometry_types: frozenset[str]) -> str | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return "ikke et GeoJSON Feature"
    if not isinstance(feature.get("properties"), dict):
        return "intet 'properties'-objekt"
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return "ingen geometri"
    kind = geometry.get("type")
    if kind not in geometry_types:
        return f"geometritypen {kind!r} er ikke en af {', '.join(sorted(geometry_types))}"
    if not _positions_ok(geometry.get("coordinates"), _POSITION_DEPTH[kind]):
        return f"koordinaterne i {kind} er fejlformede"
    if kind in POLYGON_TYPES and not all(len(ring) >= 4 for ring in _rings(geometry)):
        return f"{kind} har en ring med færre end 4 positioner"
    return None


def _positions_ok(coordinates: Any, depth: int) -> bool:
    """True when finite [lon, lat] positions nest `depth` non-empty lists deep."""
    if depth == 0:
        return (
            isinstance(coordinates, list)
            and len(coordinates) >= 2
            and all(_is_finite_number(value) for value in coordinates[:2])
        )
    return (
        isinstance(coordinates, list)
        and len(coordinates) > 0
        and all(_positions_ok(part, depth - 1) for part in coordinates)
    )


def _is_finite_number(value: Any) -> bool:
    # bool is an int subclass, but `true` is never a coordinate.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _mean_position(positions: list[list[float]]) -> tuple[float, float]:
    return (
        sum(position[0] for position in positions) / len(positions),
        sum(position[1] for position in positions) / len(positions),
    )


def _rings_centroid(rings: list[list[list[float]]]) -> tuple[float, float]:
    """Area-weighted centroid of rings (shoelace formula), computed on lon/lat directly.

    Scaling longitude by cos(latitude) is a linear map, and centroids commute with
    linear maps, so working in degrees gives the same point as a local metric projection
    would for areas of this size.
    """
    weighted_lon = weighted_lat = total_area = 0.0
    for ring in rings:
        signed_area = lon_moment = lat_moment = 0.0
        # Wrapping round to the first position makes an unclosed ring work too; a closed
        # one adds a zero term.
        for index, (lon_a, lat_a) in enumerate(position[:2] for position in ring):
            lon_b, lat_b = ring[(index + 1) % len(ring)][:2]
            cross = lon_a * lat_b - lon_b * lat_a
            signed_area += cross
            lon_moment += (lon_a + lon_b) * cross
            lat_moment += (lat_a + lat_b) * cross
        if signed_area:
            # Weight by absolute area so a ring wound the "wrong" way still counts
            # positively.
            area = abs(signed_area) / 2
            weighted_lon += area * lon_moment / (3 * signed_area)
            weighted_lat += area * lat_moment / (3 * signed_area)
            total_area += area
    if total_area == 0:
        # A degenerate (zero-area) outline still has a sensible middle: the mean of its
        # vertices.
        return _mean_position([position for ring in rings for position in ring[:-1]])
    return weighted_lon / total_area, weighted_lat / total_area
