"""The map figure: offline by default (no URL anywhere in the figure), labels readable, tiles only when asked."""

from __future__ import annotations

import itertools
import json
import math

import plotly
import pytest

from dashboard.figures.map import (
    AARHUS_LATITUDE,
    NARROWEST_PLOT_PX,
    NO_DATA_COLOUR,
    OSM_TILE_URL,
    _label_box,
    _marker_size,
    _overlaps,
    label_lines,
    map_figure,
    place_labels,
    tile_map_figure,
)
from dashboard.settings import Settings

AREAS = [
    {
        "area_id": "a",
        "name": "Gellerup/Toveshøj",
        "lon": 10.135,
        "lat": 56.157,
        "value": 8.0,
        "label": "8,0 %",
        "hover": "Skolefravær 2017",
        "residents": 5260,
    },
    {
        "area_id": "b",
        "name": "Bispehaven",
        "lon": 10.155,
        "lat": 56.167,
        "value": 6.4,
        "label": "6,4 %",
        "hover": "",
        "residents": 2236,
    },
    {
        "area_id": "c",
        "name": "Herredsvang",
        "lon": 10.166,
        "lat": 56.179,
        "value": None,
        "label": "–",
        "hover": "",
        "residents": 3775,
    },
]


def figure_json(figure) -> str:
    return json.dumps(figure.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)


def test_default_map_is_cartesian_and_makes_no_external_request():
    figure = map_figure(AREAS, colour_title="Skolefravær (%)")
    assert {trace.type for trace in figure.data} == {"scatter"}
    assert "http" not in figure_json(figure)


def test_labels_name_and_value_every_area_on_the_map():
    figure = map_figure(AREAS, colour_title="x")
    labelled = next(t for t in figure.data if t.mode == "markers+text")
    assert list(labelled.text) == [
        "Gellerup/Toveshøj<br><b>8,0 %</b>",
        "Bispehaven<br><b>6,4 %</b>",
        "Herredsvang<br><b>–</b>",
    ]


def test_area_without_value_is_grey_and_never_gets_a_colour_from_the_scale():
    figure = map_figure(AREAS, colour_title="x")
    missing = next(t for t in figure.data if t.name == "Ingen data")
    assert [c[0] for c in missing.customdata] == ["c"]


def test_clickable_points_carry_the_area_id():
    figure = map_figure(AREAS, colour_title="x")
    coloured = next(t for t in figure.data if t.marker.colorscale)
    assert [c[0] for c in coloured.customdata] == ["a", "b", "c"]
    missing = next(t for t in figure.data if t.name == "Ingen data")
    assert [c[0] for c in missing.customdata] == ["c"]


def test_labels_are_drawn_over_every_marker_and_take_no_clicks():
    """A label that has to lie over another area's marker was hidden by it when that area had no value (the grey
    markers are drawn over the coloured ones)."""
    figure = map_figure(AREAS, colour_title="x")
    labelled = figure.data[-1]
    assert labelled.mode == "markers+text" and len(labelled.text) == 3
    assert labelled.marker.opacity == 0 and labelled.hoverinfo == "skip"
    assert all("text" not in (t.mode or "") for t in figure.data[:-1])


def test_labels_of_close_areas_do_not_all_take_the_same_side():
    close = [dict(a, lon=10.16 + i * 0.002, lat=56.17) for i, a in enumerate(AREAS)]
    assert len(set(place_labels(close))) > 1


def test_tile_map_is_opt_in_and_names_its_provider():
    figure = tile_map_figure(AREAS, colour_title="x", tiles="osm")
    assert figure.data[0].type == "scattermap"
    style = figure.layout.map.style
    assert style["sources"]["osm"]["tiles"] == [OSM_TILE_URL]
    assert "OpenStreetMap" in style["sources"]["osm"]["attribution"]
    assert "glyphs" not in style


def test_unknown_tile_provider_is_refused():
    with pytest.raises(ValueError):
        Settings.from_env({"MAP_TILES": "google"})


def test_numbers_on_the_map_follow_the_language():
    assert map_figure(AREAS, colour_title="x", lang="da").layout.separators == ",."
    assert map_figure(AREAS, colour_title="x", lang="en").layout.separators == ".,"


def test_context_layer_is_one_trace_with_every_ring_filled_on_its_own():
    rings = [([10.0, 10.1, 10.1, 10.0], [56.0, 56.0, 56.1, 56.0]), ([10.3, 10.4, 10.3], [56.2, 56.2, 56.3])]
    figure = map_figure(AREAS, colour_title="x", context_rings=rings)
    context = [t for t in figure.data if t.fill == "toself"]
    assert len(context) == 1 and context[0].hoverinfo == "skip"
    # A gap between rings: plotly fills each stretch between gaps as a shape of its own.
    assert list(context[0].x) == [10.0, 10.1, 10.1, 10.0, None, 10.3, 10.4, 10.3]
    assert list(context[0].y) == [56.0, 56.0, 56.1, 56.0, None, 56.2, 56.2, 56.3]


def label_boxes(areas, positions, extent, plot_width_px=700, plot_height_px=500, font_px=13):
    """The labels' boxes in pixels on a map that shows ``extent`` (as plotly draws it: equal scale)."""
    stretch = 1 / math.cos(math.radians(AARHUS_LATITUDE))
    lon_from, lon_to, lat_from, lat_to = extent
    scale = min(plot_width_px / (lon_to - lon_from), plot_height_px / ((lat_to - lat_from) * stretch))
    boxes = []
    for area, position in zip(areas, positions, strict=True):
        lines = [*label_lines(area["name"]), area["label"]]
        width = 0.6 * font_px * max(len(line) for line in lines)
        radius = _marker_size(area.get("residents")) / 2
        x, y = area["lon"] * scale, area["lat"] * scale * stretch
        boxes.append(_label_box(x, y, radius, width, 1.2 * font_px * len(lines), position))
    return boxes


def test_labels_are_placed_for_the_extent_the_map_shows():
    """A context layer (the municipality) makes the map show far more than the areas: they lie close together on
    screen, and labels placed as if the areas filled the map ran into each other."""
    centre = [(10.135, 56.157), (10.155, 56.167), (10.166, 56.179), (10.122, 56.176), (10.180, 56.163)]
    close = [
        dict(AREAS[0], area_id=str(i), name=f"Område nummer {i}", lon=lon, lat=lat, residents=3000)
        for i, (lon, lat) in enumerate(centre)
    ]
    municipality = (9.95, 10.40, 56.02, 56.33)
    desktop = {"plot_width_px": 700, "plot_height_px": 500}
    placed = label_boxes(close, place_labels(close, extent=municipality, **desktop), municipality, **desktop)
    assert not any(_overlaps(a, b) for a, b in itertools.combinations(placed, 2))
    as_if_alone = label_boxes(close, place_labels(close, **desktop), municipality, **desktop)
    assert any(_overlaps(a, b) for a, b in itertools.combinations(as_if_alone, 2))  # what the map drew before


def test_a_long_name_is_broken_after_its_slash():
    """On one line "Frydenlund/Vandtårnsområdet" is two thirds of a phone's map and stuck out of it."""
    assert label_lines("Frydenlund/Vandtårnsområdet") == ["Frydenlund/", "Vandtårnsområdet"]
    assert label_lines("Gellerup/Toveshøj") == ["Gellerup/Toveshøj"]  # short enough on one line
    assert label_lines("Et meget langt områdenavn") == ["Et meget langt områdenavn"]  # nowhere to break it
    long = dict(AREAS[0], name="Frydenlund/Vandtårnsområdet", label="6,6 %")
    labelled = next(t for t in map_figure([long], colour_title="x").data if t.mode == "markers+text")
    assert list(labelled.text) == ["Frydenlund/<br>Vandtårnsområdet<br><b>6,6 %</b>"]


def test_a_label_that_would_reach_past_the_edge_goes_to_the_other_side():
    east = [
        dict(AREAS[0], area_id="w", name="Vest", lon=10.10, lat=56.15),
        dict(AREAS[0], area_id="e", name="Et langt navn mod øst", lon=10.20, lat=56.15),
    ]
    extent = (10.08, 10.22, 56.10, 56.20)
    positions = place_labels(east, extent=extent)
    assert positions[1].endswith("left"), positions
    plot_height, stretch = NARROWEST_PLOT_PX[1], 1 / math.cos(math.radians(AARHUS_LATITUDE))
    plot = {"plot_width_px": NARROWEST_PLOT_PX[0], "plot_height_px": NARROWEST_PLOT_PX[1]}
    scale = min(plot["plot_width_px"] / 0.14, plot_height / (0.10 * stretch))
    right_edge = 10.15 * scale + plot["plot_width_px"] / 2
    assert label_boxes(east, positions, extent, **plot)[1][2] <= right_edge


def test_tile_map_draws_an_area_without_value_grey_not_in_the_scale():
    """The opt-in tile map gave an area without a value the scale's lowest colour: it looked like the best area."""
    figure = tile_map_figure(AREAS, colour_title="x", tiles="osm", lang="da")
    coloured, missing = figure.data
    assert [c[0] for c in coloured.customdata] == ["a", "b"]
    assert list(coloured.marker.color) == [8.0, 6.4]
    assert [c[0] for c in missing.customdata] == ["c"]
    assert missing.marker.color == NO_DATA_COLOUR and missing.name == "Ingen data" and missing.showlegend
    assert tile_map_figure(AREAS, colour_title="x", tiles="osm", lang="en").data[1].name == "No data"
    everything = tile_map_figure(AREAS[:2], colour_title="x", tiles="osm")
    assert not everything.data[1].showlegend  # no legend entry when every area has a value


def test_no_colour_bar_for_a_single_figure():
    """With one area with a figure (or all the same) plotly drew a colour bar from 7.002,6 to 7.003,4 residents:
    fractions nobody measured. The value is on the map's label; the bar is left out."""
    one = [dict(AREAS[0], value=7003.0, label="7.003"), AREAS[2]]
    coloured = next(t for t in map_figure(one, colour_title="x").data if t.marker.colorscale)
    assert coloured.marker.showscale is False
    same = [dict(AREAS[0], value=19.0), dict(AREAS[1], value=19.0)]
    assert next(t for t in map_figure(same, colour_title="x").data if t.marker.colorscale).marker.showscale is False
    assert next(t for t in map_figure(AREAS, colour_title="x").data if t.marker.colorscale).marker.showscale
    # A change of one value still has its scale round zero (its sign is the information).
    change = next(t for t in map_figure(one, colour_title="x", diverging=True).data if t.marker.colorscale)
    assert change.marker.showscale
    assert tile_map_figure(one, colour_title="x", tiles="osm").data[0].marker.showscale is False
    assert tile_map_figure(AREAS, colour_title="x", tiles="osm").data[0].marker.showscale
