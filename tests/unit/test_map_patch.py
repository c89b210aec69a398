"""The map's in-place update: with the same outlines, a ``Patch`` that leaves the outlines out turns the drawn map
into exactly the new one, whatever it showed before."""

from __future__ import annotations

import itertools
import json

import plotly
import pytest

from dashboard.figures.map import geometry_trace_count, map_figure, map_patch


def square(lon: float, lat: float, half: float) -> tuple[list, list]:
    lons = [lon - half, lon + half, lon + half, lon - half, lon - half]
    lats = [lat - half, lat - half, lat + half, lat + half, lat - half]
    return lons, lats


CONTEXT = [square(10.15, 56.16, 0.08), square(10.3, 56.2, 0.05)]


def areas(values: list, extra: bool = True) -> list[dict]:
    """Three areas with outlines (one of two parts), the third of two places; ``values`` per area (None = none)."""
    base = [
        ("a", "Gellerup/Toveshøj", 10.135, 56.157, [square(10.135, 56.157, 0.004)]),
        ("b", "Bispehaven", 10.155, 56.167, [square(10.155, 56.167, 0.003), square(10.16, 56.17, 0.001)]),
        ("c", "Frydenlund", 10.21, 56.17, []),
    ]
    return [
        {
            "area_id": area_id,
            "name": name,
            "lon": lon,
            "lat": lat,
            "value": value,
            "label": "–" if value is None else f"{value:.1f} %",
            "hover": f"hover {value}",
            "residents": 1000 + 500 * i,
            "rings": rings,
            "extra_points": [(10.22, 56.18)] if extra and area_id == "c" else [],
        }
        for i, ((area_id, name, lon, lat, rings), value) in enumerate(zip(base, values, strict=True))
    ]


def as_json(figure) -> dict:
    return json.loads(json.dumps(figure.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder))


def apply(figure: dict, patch) -> dict:
    """Dash's patch operations, as the browser applies them (the map's patch only assigns). ``patch`` is a Patch or
    the JSON form it travels in."""
    if not isinstance(patch, dict):
        patch = json.loads(json.dumps(patch.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder))
    for operation in patch["operations"]:
        assert operation["operation"] == "Assign"
        *parents, last = operation["location"]
        target = figure
        for key in parents:
            target = target[key]
        target[last] = operation["params"]["value"]
    return figure


VIEWS = [
    {"values": [8.0, 6.4, 12.0], "lang": "da", "diverging": False, "title": "Skolefravær"},
    {"values": [None, 3.1, None], "lang": "en", "diverging": False, "title": "School absence"},
    {"values": [-1.5, 2.0, 0.0], "lang": "da", "diverging": True, "title": "Ændring"},
    {"values": [None, None, None], "lang": "da", "diverging": False, "title": "Ingen"},
]


def draw(view: dict):
    return map_figure(
        areas(view["values"]),
        colour_title=view["title"],
        lang=view["lang"],
        context_rings=CONTEXT,
        diverging=view["diverging"],
    )


def test_the_figure_has_the_same_traces_whatever_the_values():
    counts = {len(draw(view).data) for view in VIEWS}
    # The context (one trace for its two rings), 3 area outlines (a: 1, b: 2), then extra places, coloured points,
    # "no data" and the labels.
    assert counts == {8}
    assert geometry_trace_count(areas(VIEWS[0]["values"]), CONTEXT) == 4
    assert [t.showlegend for t in draw(VIEWS[0]).data][-2] is False  # no "Ingen data" entry without such areas
    assert [t.name for t in draw(VIEWS[1]).data if t.showlegend] == ["No data"]


@pytest.mark.parametrize(("before", "after"), list(itertools.permutations(range(len(VIEWS)), 2)))
def test_patch_turns_any_drawn_map_with_the_same_outlines_into_the_new_one(before, after):
    new = draw(VIEWS[after])
    patch = map_patch(new, geometry_trace_count(areas(VIEWS[after]["values"]), CONTEXT))
    assert apply(as_json(draw(VIEWS[before])), patch) == as_json(new)


def test_patch_leaves_the_outlines_out():
    new = draw(VIEWS[0])
    patch = map_patch(new, geometry_trace_count(areas(VIEWS[0]["values"]), CONTEXT))
    operations = patch.to_plotly_json()["operations"]
    outline_ops = [op["location"] for op in operations if op["location"][0] == "data" and op["location"][1] < 4]
    assert outline_ops == [["data", index, "fillcolor"] for index in range(4)]
    sent = json.dumps(patch.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    # No outline's coordinates travel; the full figure carries every one of them.
    full = json.dumps(as_json(new))
    for lons, lats in CONTEXT + [r for a in areas(VIEWS[0]["values"]) for r in a["rings"]]:  # each ring, one by one
        for coordinates in (lons, lats):
            assert json.dumps(coordinates)[1:-1] in full
            assert json.dumps(coordinates)[1:-1] not in sent
    assert "template" not in {op["location"][1] for op in operations if op["location"][0] == "layout"}
