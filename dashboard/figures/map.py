"""The map of the helhedsplan areas, drawn with cartesian traces so that it is fully offline.

Longitude/latitude are plotted on x/y with the y axis scaled by 1/cos(latitude) (about 1,8 in Aarhus), which is
what a map of this size needs. This draws without tiles or glyph servers, carries text labels, prints, and exports
to SVG. Areas are points (sized by residents) or, after an official geometry import, filled polygons. An optional
context layer (the municipality's outline and districts) is drawn beneath. Each area's ``customdata`` carries its
id so that a click can open the area's page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from dash import Patch
from plotly.colors import sample_colorscale

from dashboard.figures import theme

AARHUS_LATITUDE = 56.16
NO_DATA_COLOUR = "#bcc3cc"


def _scale_position(value: float, low: float, high: float) -> float:
    return 0.5 if high == low else (value - low) / (high - low)


def _marker_size(residents: float | None) -> float:
    # Area of the marker proportional to residents; areas without a count get a middle size.
    if residents is None or math.isnan(residents):
        return 18
    return max(12.0, min(46.0, 6 * math.sqrt(residents / 100)))


LABEL_POSITIONS = (
    "middle right",
    "middle left",
    "top center",
    "bottom center",
    "top right",
    "bottom left",
    "top left",
    "bottom right",
)


def _label_box(x: float, y: float, radius: float, width: float, height: float, position: str) -> tuple:
    """The box (left, bottom, right, top) in pixels of a label placed at ``position`` around a marker."""
    vertical, horizontal = position.split()
    if horizontal == "right":
        left = x + radius + 2
    elif horizontal == "left":
        left = x - radius - 2 - width
    else:
        left = x - width / 2
    if vertical == "top":
        bottom = y + radius + 2
    elif vertical == "bottom":
        bottom = y - radius - 2 - height
    else:
        bottom = y - height / 2
    return left, bottom, left + width, bottom + height


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    areas: Sequence[Mapping],
    plot_width_px: float = 700,
    plot_height_px: float = 500,
    font_px: float = 13,
    extent: tuple[float, float, float, float] | None = None,
) -> list[str]:
    """Greedy label placement: for each area (largest first) the first position whose label box overlaps no other
    marker and no label already placed; falls back to the position with the least overlap.

    ``extent`` is what the map shows (lon from, lon to, lat from, lat to), by default the areas with a margin. Pixels
    per degree follow from whichever side of the plot limits the equal-scale map (usually the height): a context
    layer around the areas makes the map show more, so the areas lie closer together on screen.
    """
    if not areas:
        return []
    lons = [a["lon"] for a in areas]
    lats = [a["lat"] for a in areas]
    if extent is None:
        extent = (min(lons) - 0.03, max(lons) + 0.03, min(lats) - 0.012, max(lats) + 0.012)
    lon_from, lon_to, lat_from, lat_to = extent
    stretch = 1 / math.cos(math.radians(AARHUS_LATITUDE))
    scale = min(plot_width_px / (lon_to - lon_from), plot_height_px / ((lat_to - lat_from) * stretch))
    left_edge, right_edge = lon_from * scale, lon_to * scale
    points = [(a["lon"] * scale, a["lat"] * scale * stretch, _marker_size(a.get("residents")) / 2) for a in areas]
    markers = [(x - r, y - r, x + r, y + r) for x, y, r in points]
    placed: dict[int, tuple] = {}
    positions = ["middle right"] * len(areas)
    order = sorted(range(len(areas)), key=lambda i: -points[i][2])
    for i in order:
        x, y, r = points[i]
        width = 0.6 * font_px * max(len(str(areas[i]["name"])), len(str(areas[i].get("label", ""))))
        height = 2.4 * font_px
        best, best_cost = LABEL_POSITIONS[0], None
        for position in LABEL_POSITIONS:
            box = _label_box(x, y, r, width, height, position)
            cost = sum(_overlaps(box, other) for j, other in enumerate(markers) if j != i)
            # A label reaching past the map's left or right edge would be cut off: worse than touching a marker.
            cost += 2 * (box[0] < left_edge) + 2 * (box[2] > right_edge)
            cost += sum(_overlaps(box, other) for other in placed.values())
            if best_cost is None or cost < best_cost:
                best, best_cost = position, cost
            if cost == 0:
                break
        positions[i] = best
        placed[i] = _label_box(x, y, r, width, height, best)
    return positions


def map_figure(
    areas: Sequence[Mapping],
    *,
    colour_title: str,
    lang: str = "da",
    context_rings: Sequence[tuple[list, list]] = (),
    diverging: bool = False,
    height: int = 520,
    with_outlines: bool = True,
) -> go.Figure:
    """``areas``: dicts with area_id, name, lon, lat, value (float or None), label (formatted value or '–'),
    hover (extra hover lines), residents (or None), rings (list of (lons, lats) for polygons, may be empty).

    ``with_outlines=False`` leaves the outline traces without coordinates (same traces, styles and fill colours):
    for ``map_patch``, which does not send them. Checking tens of thousands of outline coordinates was most of the
    time a map update took on the server (about 50 of 60 ms with Aarhus' lokalsamfund).
    """
    figure = go.Figure(layout={"template": theme.TEMPLATE_NAME, "height": height, "separators": theme.separators(lang)})
    if context_rings:
        # The context layer in one trace, its features separated by gaps (plotly fills each on its own): plotly.js's
        # drawing time grows with the number of traces, and Aarhus' 24 lokalsamfund were 24 of the map's 32.
        figure.add_trace(
            go.Scatter(
                x=[x for ring_lons, _ in context_rings for x in [None, *ring_lons]][1:] if with_outlines else [],
                y=[y for _, ring_lats in context_rings for y in [None, *ring_lats]][1:] if with_outlines else [],
                mode="lines",
                fill="toself",
                fillcolor="#f3f5f7",
                line={"color": "#c5ccd4", "width": 1},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    values = [a["value"] for a in areas if a.get("value") is not None and not math.isnan(a["value"])]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if diverging:
        bound = max(abs(low), abs(high)) or 1.0
        low, high = -bound, bound
    scale = theme.DIVERGING_SCALE if diverging else theme.SEQUENTIAL_SCALE
    colourscale = [[i / (len(scale) - 1), colour] for i, colour in enumerate(scale)]

    def colour_of(value):
        if value is None or math.isnan(value):
            return NO_DATA_COLOUR
        return sample_colorscale(colourscale, [_scale_position(value, low, high)])[0]

    for area in areas:
        for lons, lats in area.get("rings") or []:
            figure.add_trace(
                go.Scatter(
                    x=lons if with_outlines else [],
                    y=lats if with_outlines else [],
                    mode="lines",
                    fill="toself",
                    fillcolor=colour_of(area.get("value")),
                    line={"color": "#334e68", "width": 1},
                    hoverinfo="skip",
                    showlegend=False,
                    customdata=[[area["area_id"]]] * len(lons) if with_outlines else [],
                )
            )
    hover = [f"<b>{a['name']}</b><br>{a['label']}<br>{a.get('hover', '')}" for a in areas]
    extra = [(a, lon, lat) for a in areas for lon, lat in a.get("extra_points") or []]
    # The traces after the outlines are always these three, empty or not, so that the figure's structure depends
    # only on the geometry (``map_patch`` relies on it).
    # Further places of a multi-place area: same colour, same hover, labelled once (on its first place).
    figure.add_trace(
        go.Scatter(
            x=[lon for _, lon, _ in extra],
            y=[lat for _, _, lat in extra],
            mode="markers",
            marker={
                "size": [_marker_size(a.get("residents")) * 0.8 for a, _, _ in extra],
                "color": [colour_of(a.get("value")) for a, _, _ in extra],
                "line": {"color": "#243b53", "width": 1.5},
            },
            customdata=[[a["area_id"]] for a, _, _ in extra],
            hovertext=[f"<b>{a['name']}</b><br>{a['label']}<br>{a.get('hover', '')}" for a, _, _ in extra],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    lons = (
        [a["lon"] for a in areas]
        + [lon for _, lon, _ in extra]
        + [x for r in context_rings for x in r[0] if x is not None]
    )
    lats = (
        [a["lat"] for a in areas]
        + [lat for _, _, lat in extra]
        + [y for r in context_rings for y in r[1] if y is not None]
    )
    pad_x, pad_y = 0.04, 0.012
    extent = (min(lons) - pad_x, max(lons) + pad_x, min(lats) - pad_y, max(lats) + pad_y) if lons else None
    with_value = [a.get("value") is not None and not math.isnan(a["value"]) for a in areas]
    figure.add_trace(
        go.Scatter(
            x=[a["lon"] for a in areas],
            y=[a["lat"] for a in areas],
            mode="markers+text",
            text=[f"{a['name']}<br><b>{a['label']}</b>" for a in areas],
            textposition=place_labels(areas, plot_height_px=height - 15 - 70, extent=extent),
            textfont={"size": 13, "color": theme.TEXT_COLOUR},
            customdata=[[a["area_id"]] for a in areas],
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "size": [_marker_size(a.get("residents")) for a in areas],
                "color": [a["value"] if ok else low for a, ok in zip(areas, with_value, strict=True)],
                "colorscale": colourscale,
                "cmin": low,
                "cmax": high,
                "line": {"color": "#243b53", "width": 1.5},
                "showscale": bool(values),
                # Horizontal, below the map: leaves the full width to the areas on a phone.
                "colorbar": {
                    "title": {"text": colour_title, "side": "top"},
                    "orientation": "h",
                    "thickness": 12,
                    "len": 0.6,
                    "x": 0.5,
                    "xanchor": "center",
                    "y": -0.02,
                    "yanchor": "top",
                },
                "opacity": 0.95,
            },
            showlegend=False,
        )
    )
    missing = [a for a, ok in zip(areas, with_value, strict=True) if not ok]
    # Areas without a value are drawn grey on top, so the colour scale never suggests a number (legend entry only
    # when there are such areas).
    figure.add_trace(
        go.Scatter(
            x=[a["lon"] for a in missing],
            y=[a["lat"] for a in missing],
            mode="markers",
            marker={
                "size": [_marker_size(a.get("residents")) for a in missing],
                "color": NO_DATA_COLOUR,
                "line": {"color": "#243b53", "width": 1.5},
            },
            customdata=[[a["area_id"]] for a in missing],
            hovertext=[f"<b>{a['name']}</b><br>{a['label']}" for a in missing],
            hovertemplate="%{hovertext}<extra></extra>",
            name="Ingen data" if lang == "da" else "No data",
            showlegend=bool(missing),
        )
    )
    figure.update_xaxes(visible=False, range=[extent[0], extent[1]] if extent else None)
    figure.update_yaxes(
        visible=False,
        range=[extent[2], extent[3]] if extent else None,
        scaleanchor="x",
        scaleratio=1 / math.cos(math.radians(AARHUS_LATITUDE)),
    )
    figure.update_layout(
        margin={"l": 5, "r": 5, "t": 10, "b": 70},
        dragmode="pan",
        hovermode="closest",
        legend={"orientation": "h", "y": 1, "x": 0, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)"},
    )
    return figure


def geometry_trace_count(areas: Sequence[Mapping], context_rings: Sequence) -> int:
    """How many traces of ``map_figure`` are outlines (context rings, then the areas' polygons): they come first."""
    return (1 if context_rings else 0) + sum(len(area.get("rings") or []) for area in areas)


def map_patch(figure: go.Figure, geometry_traces: int) -> Patch:
    """The update that turns a drawn map with the same outlines into ``figure``, without sending the outlines.

    An outline trace is fixed by the geometry (coordinates, the area id on each vertex, line style) except for its
    fill colour, so only ``fillcolor`` is sent for those. Every other trace, and the layout except the (constant)
    template, is sent whole, so the result does not depend on which indicator, year or language the map showed
    before: only on its outlines being the same, which the caller checks. With imported outlines the outlines are
    most of the figure: with Aarhus' 24 lokalsamfund as context and six areas' districts, a map change sends 4,8-5,2 KB
    instead of 154 KB (1,4 instead of 45 KB compressed).
    """
    full = figure.to_plotly_json()
    patch = Patch()
    for index, trace in enumerate(full["data"]):
        if index < geometry_traces:
            patch["data"][index]["fillcolor"] = trace.get("fillcolor")
        else:
            patch["data"][index] = trace
    for key, value in full["layout"].items():
        if key != "template":
            patch["layout"][key] = value
    return patch


OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bidragydere'


def tile_map_style(tiles: str) -> dict:
    """A MapLibre style with one raster tile source and no glyphs (so no font server is contacted)."""
    if tiles != "osm":
        raise ValueError(f"unknown tile provider {tiles!r}")
    return {
        "version": 8,
        "sources": {
            "osm": {"type": "raster", "tiles": [OSM_TILE_URL], "tileSize": 256, "attribution": OSM_ATTRIBUTION}
        },
        "layers": [{"id": "osm", "type": "raster", "source": "osm"}],
    }


def tile_map_figure(areas: Sequence[Mapping], *, colour_title: str, tiles: str, height: int = 520) -> go.Figure:
    """The opt-in tile map (MAP_TILES=osm): the same areas on an OpenStreetMap basemap.

    MapLibre needs a glyph server to draw text, so names are in the hover and the table, not on the map.
    """
    values = [a["value"] for a in areas if a.get("value") is not None and not math.isnan(a["value"])]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    colourscale = [[i / (len(theme.SEQUENTIAL_SCALE) - 1), c] for i, c in enumerate(theme.SEQUENTIAL_SCALE)]
    points = [(a, lon, lat) for a in areas for lon, lat in [(a["lon"], a["lat"]), *(a.get("extra_points") or [])]]
    figure = go.Figure(
        go.Scattermap(
            lon=[lon for _, lon, _ in points],
            lat=[lat for _, _, lat in points],
            mode="markers",
            customdata=[[a["area_id"]] for a, _, _ in points],
            hovertext=[f"<b>{a['name']}</b><br>{a['label']}<br>{a.get('hover', '')}" for a, _, _ in points],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "size": [_marker_size(a.get("residents")) for a, _, _ in points],
                "color": [a["value"] if a.get("value") is not None else low for a, _, _ in points],
                "colorscale": colourscale,
                "cmin": low,
                "cmax": high,
                "showscale": bool(values),
                "colorbar": {"title": {"text": colour_title, "side": "right"}},
            },
        ),
        layout={"template": theme.TEMPLATE_NAME, "height": height},
    )
    lons = [lon for _, lon, _ in points] or [10.18]
    lats = [lat for _, _, lat in points] or [56.16]
    figure.update_layout(
        map={
            "style": tile_map_style(tiles),
            "center": {"lon": sum(lons) / len(lons), "lat": sum(lats) / len(lats)},
            "zoom": 10.3,
        },
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
    )
    return figure
