"""The map's controls through Dash's callback route: after the first answer the browser holds the outlines, so later
answers send only what changed, and a map drawn from other outlines gets the whole figure again."""

from __future__ import annotations

import json
import math

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.reliability.helpers import item, outputs_of, pattern_id
from tests.unit.test_map_patch import apply

KEY = '{"page":["MATCH"],"type":"map-indicator"}'
GRAPH = '{"page":"overview","type":"map-graph"}'
OUTLINES = '{"page":"overview","type":"map-outlines"}'


def outline(lon: float, lat: float, radius: float, vertices: int = 120) -> list:
    """A closed ring round a point, with as many vertices as a simplified district outline has."""
    ring = [
        [round(lon + radius * math.cos(2 * math.pi * i / vertices), 6), round(lat + radius * math.sin(2 * math.pi * i / vertices), 6)]
        for i in range(vertices)
    ]  # fmt: skip
    return ring + ring[:1]


@pytest.fixture
def outlined_geo(geo_dir):
    """The shipped areas as imported outlines (a ring round each single point) plus a two-part context layer."""
    collection = json.loads((geo_dir / "areas.geojson").read_text(encoding="utf-8"))
    for feature in collection["features"]:
        if feature["geometry"]["type"] == "Point":
            lon, lat = feature["geometry"]["coordinates"]
            feature["geometry"] = {"type": "Polygon", "coordinates": [outline(lon, lat, 0.004)]}
            feature["properties"].update(method="official geometry", uncertainty_m=None)
    (geo_dir / "areas.geojson").write_text(json.dumps(collection), encoding="utf-8")
    context = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": n}, "geometry": {"type": "Polygon", "coordinates": [r]}}
            for n, r in (("vest", outline(10.12, 56.16, 0.05)), ("nord", outline(10.2, 56.22, 0.04)))
        ],
    }
    (geo_dir / "context.geojson").write_text(json.dumps(context), encoding="utf-8")
    return geo_dir


@pytest.fixture
def outlined_app(data_dir, outlined_geo, tmp_path):
    return create_app(Settings(data_dir=data_dir, geo_dir=outlined_geo, cache_dir=tmp_path / "cache"))


def post(app, year, measure="niveau", drawn=None, indicator="skolefravaer") -> tuple[dict, int]:
    """The request Dash's front end sends when the overview map's year (or measure) changes; (answer, bytes)."""
    key = next(k for k, spec in app.callback_map.items() if "callback" in spec and spec["inputs"][0]["id"] == KEY)
    body = {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": [
            item(pattern_id("map-indicator"), "value", indicator),
            item(pattern_id("map-year"), "value", year),
            item(pattern_id("map-measure"), "value", measure),
        ],
        "state": [item(pattern_id("map-outlines"), "data", drawn), item("url", "search", "")],
        "changedPropIds": ['{"page":"overview","type":"map-year"}.value'],
    }
    response = app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"], len(response.get_data())


def test_after_the_first_answer_only_what_changed_is_sent(outlined_app):
    first, first_bytes = post(outlined_app, 2007)
    figure, signature = first[GRAPH]["figure"], first[OUTLINES]["data"]
    assert "__dash_patch_update" not in figure and isinstance(signature, str)
    outline_traces = [trace for trace in figure["data"] if trace.get("fill") == "toself"]
    assert len(outline_traces) == 1 + 6  # the context (its two parts in one trace) and six areas' outlines

    # The browser now holds these outlines: the next answer is a patch, and the patched map equals the full answer.
    for year, measure in ((2017, "niveau"), (2017, "aendring"), (2007, "niveau")):
        answer, answer_bytes = post(outlined_app, year, measure, drawn=signature)
        patch = answer[GRAPH]["figure"]
        assert patch["__dash_patch_update"] == "__dash_patch_update"
        assert OUTLINES not in answer  # the signature is unchanged
        full, _ = post(outlined_app, year, measure)
        figure = apply(figure, patch)
        assert figure == full[GRAPH]["figure"]
        assert answer_bytes < first_bytes / 3
        assert not any(op["location"][-1] in ("x", "y") for op in patch["operations"])
        # Everything else of the answer is as before: summary, table, year list, year and the download's name.
        assert {k: v for k, v in answer.items() if k != GRAPH} == {
            k: v for k, v in full.items() if k not in (GRAPH, OUTLINES)
        }


@pytest.mark.parametrize("drawn", ["another-import:2:a=1", "", 17, {"x": 1}])
def test_a_map_drawn_from_other_outlines_gets_the_whole_figure(outlined_app, drawn):
    answer, _ = post(outlined_app, 2017, drawn=drawn)
    assert "__dash_patch_update" not in answer[GRAPH]["figure"]
    assert isinstance(answer[OUTLINES]["data"], str)


def test_the_download_is_named_after_the_year_shown(outlined_app):
    """The PNG/SVG buttons read the name from the summary's data-filename (the chart's config never changes)."""
    answer, _ = post(outlined_app, 2007)
    assert answer['{"page":"overview","type":"map-summary"}']["data-filename"] == "bosoc-kort-skolefravaer-2007"
    assert "config" not in answer[GRAPH]


def test_shipped_points_map_takes_the_same_path(app):
    """Without outlines the figure is small, but the update is the same: the first answer whole, then patches."""
    first, _ = post(app, 2007)
    answer, _ = post(app, 2017, drawn=first[OUTLINES]["data"])
    assert answer[GRAPH]["figure"]["__dash_patch_update"] == "__dash_patch_update"
    full, _ = post(app, 2017)
    assert apply(first[GRAPH]["figure"], answer[GRAPH]["figure"]) == full[GRAPH]["figure"]
