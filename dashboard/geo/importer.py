"""The geo-import command: a Shapefile/GeoPackage/GeoJSON in, the map's GeoJSON out.

This is the only module that uses geopandas/shapely. The web workers read the result
with `dashboard.geo.layers` and never import this module, so they start fast and stay
small.

The steps, each refusing bad input with a plain message instead of a traceback: read the
file -> settle its CRS -> (areas) match its ids to the known areas -> check geometry
types -> repair invalid geometry -> reproject to EPSG:25832 and simplify in metres ->
reproject to EPSG:4326 -> check the result lies in Denmark -> write `geo/areas.geojson`
or `geo/context.geojson` atomically, keeping the previous file as `<name>.geojson.bak`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio.errors
import shapely
import shapely.geometry

from dashboard.geo import layers

LAYER_FILES = {"areas": layers.AREAS_FILE, "context": layers.CONTEXT_FILE}
LAYER_GEOMETRY_TYPES = {
    "areas": layers.AREA_GEOMETRY_TYPES,
    "context": layers.CONTEXT_GEOMETRY_TYPES,
}

# ETRS89 / UTM 32N: the metric CRS of Danish public geodata, so the simplification
# tolerance is in metres.
WORKING_CRS = "EPSG:25832"
OUTPUT_CRS = "EPSG:4326"
# lon_min, lat_min, lon_max, lat_max: generous enough for Bornholm and the sea around; a
# file outside this box was almost certainly read in the wrong CRS.
DENMARK_BOUNDS = (7.5, 54.4, 15.5, 58.0)
OUTPUT_GRID = 10.0**-layers.COORDINATE_DECIMALS
OFFICIAL_METHOD = "official geometry"

DANISH_TRANSLITERATION = {"æ": "ae", "ø": "oe", "å": "aa"}
# Names typed without Danish letters often just drop the stroke or ring ("Toveshoj",
# "Langkarparken" is rarer than "Langkaerparken"), so that spelling is matched too.
DANISH_FOLDING = {"æ": "ae", "ø": "o", "å": "a"}

_READ_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.CRSError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.FieldError,
    OSError,
    ValueError,
)
_MAX_LISTED = 10


class ImportRefused(Exception):
    """Bad input: its message is shown instead of a traceback; nothing is written."""


def run_geo_import(
    path: Path | str,
    id_field: str,
    layer: str = "areas",
    geo_dir: Path = Path("geo"),
    tolerance_m: float = 5.0,
    dry_run: bool = False,
    known_area_ids: Mapping[str, str] | Iterable[str] | None = None,
    name_field: str | None = None,
    source: str | None = None,
    out: Callable[[str], None] = print,
) -> int:
    """Import one geometry file into `geo_dir`; return 0 when done, 1 when refused.

    `known_area_ids` is the area catalogue, either ids or {id: display name}; by default
    the areas already in `geo_dir/areas.geojson`. `source` is extra text for the
    features' `source` property after the file name.
    """
    path = Path(path)
    geo_dir = Path(geo_dir)
    try:
        collection = _prepare_collection(
            path,
            id_field,
            layer,
            geo_dir,
            tolerance_m,
            known_area_ids,
            name_field,
            source,
            out,
        )
        target = geo_dir / LAYER_FILES[layer]
        text = feature_collection_text(collection["features"])
        byte_count = len(text.encode("utf-8"))
        thousands = f"{byte_count:,}".replace(",", ".")
        size = f"{len(collection['features'])} objekter, {thousands} bytes"
        if dry_run:
            out(f"Prøvekørsel (--dry-run): ville skrive {target} ({size}); intet er skrevet.")
            return 0
        backup = write_atomically(target, text)
    except ImportRefused as refusal:
        out(f"Afvist, intet er ændret: {refusal}")
        return 1
    except OSError as error:
        out(f"Afvist, intet er ændret: kunne ikke skrive i {geo_dir}: {error}")
        return 1
    kept = f"; den forrige version er gemt som {backup}" if backup else ""
    out(f"Skrev {target} ({size}){kept}.")
    return 0


def _prepare_collection(
    path: Path,
    id_field: str,
    layer: str,
    geo_dir: Path,
    tolerance_m: float,
    known_area_ids: Mapping[str, str] | Iterable[str] | None,
    name_field: str | None,
    source: str | None,
    out: Callable[[str], None],
) -> dict[str, Any]:
    if layer not in LAYER_FILES:
        raise ImportRefused(f"ukendt lag {layer!r}; brug et af {', '.join(LAYER_FILES)}")
    # Written as "not >=" so that NaN is refused too.
    if not tolerance_m >= 0:
        raise ImportRefused(f"forenklingens tolerance skal være 0 meter eller mere, ikke {tolerance_m}")
    frame = read_geometry_file(path, [field for field in (id_field, name_field) if field])
    out(f"Læste {len(frame)} objekter fra {path.name} (koordinatsystem {_crs_label(frame.crs)}).")
    frame = settle_crs(frame, out)
    source_text = f"{path.name}; {source}" if source else path.name

    if layer == "areas":
        previous = _previous_areas(geo_dir)
        known = known_areas(known_area_ids, previous)
        frame = select_known_areas(frame, id_field, known, out)
        frame = prepare_geometry(frame, id_field, layer, tolerance_m, out, dissolve_by="area_id")
        return area_collection(frame, known, previous, source_text, out)

    frame = prepare_geometry(frame, id_field, layer, tolerance_m, out)
    return context_collection(frame, name_field or id_field, source_text)


def read_geometry_file(path: Path, required_fields: list[str]) -> gpd.GeoDataFrame:
    """Read a vector file; refuse it if unreadable, empty or lacking a needed field."""
    if not path.is_file():
        raise ImportRefused(f"{path} findes ikke eller er ikke en fil")
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except _READ_ERRORS as error:
        raise ImportRefused(f"kunne ikke læse {path.name} som Shapefile, GeoPackage eller GeoJSON: {error}") from error
    if frame.empty:
        raise ImportRefused(f"{path.name} har ingen objekter")
    fields = [column for column in frame.columns if column != frame.geometry.name]
    for field in required_fields:
        if field not in fields:
            available = ", ".join(fields) or "(ingen)"
            raise ImportRefused(f"{path.name} har intet felt {field!r}; felterne er: {available}")
    # Checked before the CRS: without coordinates, or with NaN ones, the CRS check would
    # blame the projection.
    missing = (frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
    if missing.all():
        raise ImportRefused(f"{path.name} har ingen geometri: alle objekters geometri er tom")
    coordinates = shapely.get_coordinates(np.asarray(frame.geometry.values)[~missing])
    if not np.isfinite(coordinates).all():
        raise ImportRefused(f"{path.name} har koordinater, der ikke er tal (NaN eller uendelig); eksportér filen igen")
    # Heights (Z) play no part on a flat map and some sources carry placeholder values
    # such as -999.
    return _with_geometry(frame, shapely.force_2d(frame.geometry.values))


def settle_crs(frame: gpd.GeoDataFrame, out: Callable[[str], None]) -> gpd.GeoDataFrame:
    """Make sure the frame has a CRS that fits its coordinates, or refuse it."""
    bounds = frame.total_bounds
    if frame.crs is None:
        if _plausibly_lon_lat(bounds):
            out(
                "Bemærk: filen har intet koordinatsystem; koordinaterne ligner "
                "længde-/breddegrader, så EPSG:4326 er antaget."
            )
            return frame.set_crs(OUTPUT_CRS)
        raise ImportRefused(
            "filen har intet koordinatsystem (for en Shapefile: .prj-filen mangler), og "
            f"dens koordinater ({_bounds_text(bounds)}) er ikke længde-/breddegrader; "
            "eksportér den igen med sit koordinatsystem, for eksempel EPSG:25832"
        )
    if frame.crs.is_geographic and not _plausibly_lon_lat(bounds):
        raise ImportRefused(
            f"filen angiver koordinatsystemet {_crs_label(frame.crs)} (grader), men dens "
            f"koordinater ({_bounds_text(bounds)}) er ikke grader: forkert projektion? "
            "Angiv det koordinatsystem, filen er lavet i, for eksempel EPSG:25832"
        )
    return frame


def known_areas(
    known_area_ids: Mapping[str, str] | Iterable[str] | None,
    previous: dict[str, dict[str, Any]],
) -> dict[str, str]:
    """The areas an import may match, as {area_id: display name}."""
    previous_names = {area_id: feature["properties"].get("name") or area_id for area_id, feature in previous.items()}
    if isinstance(known_area_ids, Mapping):
        return dict(known_area_ids)
    if known_area_ids is not None:
        return {area_id: previous_names.get(area_id, area_id) for area_id in known_area_ids}
    if not previous_names:
        raise ImportRefused(
            f"ingen kendte områder at matche: der er endnu ingen {layers.AREAS_FILE}; angiv områdekatalogets id'er"
        )
    return previous_names


def slug(text: str, letters: Mapping[str, str] = DANISH_TRANSLITERATION) -> str:
    """A spelling-insensitive key: lower case, ASCII only, symbol runs as one '-'."""
    text = text.lower()
    for letter, spelling in letters.items():
        text = text.replace(letter, spelling)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def match_keys(text: str) -> set[str]:
    """Every key under which `text` may be matched."""
    return {slug(text), slug(text, DANISH_FOLDING)}


def match_area_ids(values: Iterable[Any], known: Mapping[str, str]) -> dict[Any, str]:
    """Map each value naming exactly one known area (id or name, any spelling) to it."""
    lookup: dict[str, set[str]] = {}
    for area_id, name in known.items():
        for key in match_keys(area_id) | match_keys(name):
            lookup.setdefault(key, set()).add(area_id)
    matches = {}
    for value in values:
        if _is_missing(value):
            continue
        candidates = set().union(*(lookup.get(key, set()) for key in match_keys(str(value))))
        if len(candidates) == 1:
            matches[value] = candidates.pop()
    return matches


def select_known_areas(
    frame: gpd.GeoDataFrame,
    id_field: str,
    known: Mapping[str, str],
    out: Callable[[str], None],
) -> gpd.GeoDataFrame:
    """Keep features naming a known area, adding `area_id`; report and drop the rest."""
    matches = match_area_ids(frame[id_field].unique(), known)
    area_ids = frame[id_field].map(lambda value: None if _is_missing(value) else matches.get(value))
    matched = area_ids.notna()
    if not matched.any():
        raise ImportRefused(
            f"ingen af værdierne i feltet {id_field!r} ({_listing(frame[id_field])}) "
            f"svarer til et kendt område ({', '.join(known)})"
        )
    for value, area_id in matches.items():
        out(f"Matchede {value!r} -> {area_id}")
    if not matched.all():
        out(
            f"Advarsel: {(~matched).sum()} objekt(er) svarer ikke til et kendt område og "
            f"udelades: {_listing(frame.loc[~matched, id_field])}"
        )
    return frame.loc[matched].assign(area_id=area_ids[matched])


def prepare_geometry(
    frame: gpd.GeoDataFrame,
    label_field: str,
    layer: str,
    tolerance_m: float,
    out: Callable[[str], None],
    dissolve_by: str | None = None,
) -> gpd.GeoDataFrame:
    """Check, repair, dissolve, simplify, reproject; refuse results outside Denmark."""
    check_geometry_types(frame, label_field, LAYER_GEOMETRY_TYPES[layer])
    frame = repair_geometry(frame, label_field, out)
    metric = frame.to_crs(WORKING_CRS)
    if dissolve_by:
        metric = dissolve(metric, dissolve_by, out)
    metric = _with_geometry(
        metric,
        shapely.simplify(metric.geometry.values, tolerance_m, preserve_topology=True),
    )
    result = metric.to_crs(OUTPUT_CRS)
    # Snap to the written precision in a way that keeps polygons valid, so rounding on
    # output cannot create self-intersections; then RFC 7946 winding (exterior
    # counter-clockwise), which snapping does not preserve.
    snapped = shapely.set_precision(np.asarray(result.geometry.values), OUTPUT_GRID)
    result = _with_geometry(result, shapely.orient_polygons(snapped, exterior_cw=False))
    collapsed = result.geometry.is_empty
    if collapsed.any():
        labels = _listing(result.loc[collapsed, dissolve_by or label_field])
        raise ImportRefused(
            f"{collapsed.sum()} objekt(er) forsvinder, når de forenkles med {tolerance_m} m "
            f"og afrundes til {layers.COORDINATE_DECIMALS} decimaler: {labels}"
        )
    check_inside_denmark(result, _crs_label(frame.crs))
    return result


def check_geometry_types(frame: gpd.GeoDataFrame, label_field: str, accepted: frozenset[str]) -> None:
    """Refuse features without geometry or with a type the layer cannot draw."""
    missing = frame.geometry.isna() | frame.geometry.is_empty
    if missing.any():
        labels = _listing(frame.loc[missing, label_field])
        raise ImportRefused(f"{missing.sum()} objekt(er) har ingen geometri: {labels}")
    wrong = ~frame.geom_type.isin(accepted)
    if wrong.any():
        kinds = ", ".join(sorted(set(frame.geom_type[wrong])))
        raise ImportRefused(
            f"geometritype(r) {kinds} kan ikke bruges her (tilladt: "
            f"{', '.join(sorted(accepted))}); objekter: "
            f"{_listing(frame.loc[wrong, label_field])}"
        )


def repair_geometry(frame: gpd.GeoDataFrame, label_field: str, out: Callable[[str], None]) -> gpd.GeoDataFrame:
    """Repair invalid geometry with make_valid; refuse what stays invalid or empty."""
    invalid = ~frame.geometry.is_valid
    if not invalid.any():
        return frame
    geometry = np.asarray(frame.geometry.values).copy()
    mask = invalid.to_numpy()
    # The "structure" method keeps a polygon a polygon (dropping collapsed slivers)
    # where the default method may return stray lines and points that the map cannot
    # draw as areas.
    geometry[mask] = shapely.make_valid(geometry[mask], method="structure", keep_collapsed=False)
    repaired = _with_geometry(frame, geometry)
    still_bad = ~repaired.geometry.is_valid | repaired.geometry.is_empty
    if still_bad.any():
        raise ImportRefused(
            f"{still_bad.sum()} objekt(er) har geometri, der er ugyldig eller tom selv "
            f"efter reparation: {_listing(frame.loc[still_bad, label_field])}"
        )
    noun = "ugyldig geometri" if invalid.sum() == 1 else "ugyldige geometrier"
    out(f"Reparerede {invalid.sum()} {noun}: {_listing(frame.loc[invalid, label_field])}")
    return repaired


def dissolve(frame: gpd.GeoDataFrame, key: str, out: Callable[[str], None]) -> gpd.GeoDataFrame:
    """Merge features sharing `key` (an area drawn in several parts) into one each."""
    values = list(dict.fromkeys(frame[key]))
    geometry = np.asarray(frame.geometry.values)
    unions = [shapely.union_all(geometry[(frame[key] == value).to_numpy()]) for value in values]
    merged = gpd.GeoDataFrame({key: values}, geometry=unions, crs=frame.crs)
    for value, count in frame[key].value_counts().items():
        if count > 1:
            out(f"Samlede {count} objekter til {value}")
    mixed = ~merged.geom_type.isin(layers.AREA_GEOMETRY_TYPES)
    if mixed.any():
        labels = _listing(merged.loc[mixed, key])
        raise ImportRefused(f"punkter og polygoner er blandet i ét område: {labels}")
    return merged


def check_inside_denmark(frame: gpd.GeoDataFrame, source_crs: str) -> None:
    """Refuse a result outside Denmark's box: the usual sign of a mislabelled CRS."""
    bounds = frame.total_bounds
    lon_min, lat_min, lon_max, lat_max = DENMARK_BOUNDS
    inside = (
        np.isfinite(bounds).all()
        and bounds[0] >= lon_min
        and bounds[1] >= lat_min
        and bounds[2] <= lon_max
        and bounds[3] <= lat_max
    )
    if not inside:
        raise ImportRefused(
            f"læst som {source_crs} ligger geometrien ved {_bounds_text(bounds)}, "
            f"uden for Danmark (længde {lon_min}..{lon_max}, bredde {lat_min}..{lat_max}): "
            "forkert projektion?"
        )


def area_collection(
    frame: gpd.GeoDataFrame,
    known: Mapping[str, str],
    previous: dict[str, dict[str, Any]],
    source_text: str,
    out: Callable[[str], None],
) -> dict[str, Any]:
    """The new areas: imported outlines, else each area's previous feature."""
    imported = {
        area_id: {
            "type": "Feature",
            "properties": {
                "area_id": area_id,
                "name": known.get(area_id, area_id),
                "method": OFFICIAL_METHOD,
                "source": source_text,
                "uncertainty_m": None,
            },
            "geometry": geometry_json(geometry),
        }
        for area_id, geometry in zip(frame["area_id"], frame.geometry, strict=True)
    }
    lacking = [area_id for area_id in known if area_id not in imported]
    kept = [area_id for area_id in lacking if area_id in previous]
    if kept:
        out("Kendte områder uden geometri i denne fil beholder deres hidtidige geometri: " + ", ".join(kept))
    if len(kept) < len(lacking):
        absent = [area_id for area_id in lacking if area_id not in previous]
        out(f"Kendte områder helt uden geometri: {', '.join(absent)}")
    features = {**previous, **imported}
    # Catalogue order first, so the file diffs cleanly and the map's legend is stable.
    ordered = [area_id for area_id in known if area_id in features]
    ordered += [area_id for area_id in features if area_id not in known]
    return {
        "type": "FeatureCollection",
        "features": [features[area_id] for area_id in ordered],
    }


def context_collection(frame: gpd.GeoDataFrame, name_field: str, source_text: str) -> dict[str, Any]:
    """The context layer: each outline with its name and where it came from."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "name": None if _is_missing(name) else str(name),
                "source": source_text,
            },
            "geometry": geometry_json(geometry),
        }
        for name, geometry in zip(frame[name_field], frame.geometry, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def geometry_json(geometry: shapely.Geometry) -> dict[str, Any]:
    """A GeoJSON geometry with coordinates rounded to the files' precision (~0.1 m)."""
    mapped = shapely.geometry.mapping(geometry)
    return {"type": mapped["type"], "coordinates": _rounded(mapped["coordinates"])}


def feature_collection_text(features: list[dict[str, Any]]) -> str:
    """One feature per line: compact, yet a changed feature is a one-line diff."""
    lines = ",\n".join(json.dumps(feature, ensure_ascii=False) for feature in features)
    return f'{{"type": "FeatureCollection", "features": [\n{lines}\n]}}\n'


def write_atomically(target: Path, text: str) -> Path | None:
    """Replace `target` with `text`; readers see the old or the new file, never half.

    The previous file is copied to `<target>.bak` first; that path is returned (None
    when there was no previous file).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file private (0600); the web workers, possibly another
        # user, must still be able to read it.
        os.fchmod(handle, _file_mode(target))
        with os.fdopen(handle, "w", encoding="utf-8") as temp_file:
            temp_file.write(text)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        backup = None
        if target.exists():
            backup = target.with_name(f"{target.name}.bak")
            shutil.copy2(target, backup)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    # Persist the rename itself, not only the file's bytes.
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return backup


def _file_mode(target: Path) -> int:
    """Keep the permissions of the file being replaced; a new file is world-readable."""
    return stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644


def _with_geometry(frame: gpd.GeoDataFrame, geometry: np.ndarray) -> gpd.GeoDataFrame:
    """The frame with new geometry, keeping its CRS (shapely's arrays carry none)."""
    return frame.set_geometry(gpd.GeoSeries(geometry, index=frame.index, crs=frame.crs, name=frame.geometry.name))


def _previous_areas(geo_dir: Path) -> dict[str, dict[str, Any]]:
    if not (geo_dir / layers.AREAS_FILE).is_file():
        return {}
    try:
        collection = layers.load_areas(geo_dir)
    except ValueError as error:
        raise ImportRefused(f"den nuværende fil kan ikke læses, så den kan ikke flettes: {error}") from error
    return {feature["properties"]["area_id"]: feature for feature in collection["features"]}


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates[0], (int, float)):
        return [round(float(value), layers.COORDINATE_DECIMALS) for value in coordinates]
    return [_rounded(part) for part in coordinates]


def _plausibly_lon_lat(bounds: np.ndarray) -> bool:
    lon_min, lat_min, lon_max, lat_max = bounds
    return bool(np.isfinite(bounds).all() and lon_min >= -180 and lon_max <= 180 and lat_min >= -90 and lat_max <= 90)


def _bounds_text(bounds: np.ndarray) -> str:
    x_min, y_min, x_max, y_max = bounds
    return f"x {x_min:.6g}..{x_max:.6g}, y {y_min:.6g}..{y_max:.6g}"


def _crs_label(crs: Any) -> str:
    if crs is None:
        return "intet"
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.name


def _is_missing(value: Any) -> bool:
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _listing(values: Iterable[Any]) -> str:
    """At most a screenful of values for a message, with a count of the rest."""
    values = list(values)
    shown = ", ".join(repr(value) for value in values[:_MAX_LISTED])
    rest = len(values) - _MAX_LISTED
    return f"{shown} og {rest} flere" if rest > 0 else shown
