"""The map of the helhedsplan areas, drawn with cartesian traces so that it is fully offline.

Longitude/latitude are plotted on x/y with the y axis scaled by 1/cos(latitude) (about 1,8 in Aarhus), which is
what a map of this size needs. This draws without tiles or glyph servers, carries text labels, prints, and exports
to SVG. Areas are points (sized by residents) or, after an official geometry import, filled polygons. An optional
context layer (the municipality's outline and districts) is drawn beneath. Each area's ``customdata`` carries its
id so that a click can open the area's page.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from dash import Patch
from plotly.colors import sample_colorscale

from dashboard.figures import theme
from dashboard.i18n import t

AARHUS_LATITUDE = 56.16
NO_DATA_COLOUR = "#bcc3cc"
# Every marker is opaque: plotly.js draws markers of different sizes at 0.7 opacity unless told otherwise, and an
# area without a value, drawn grey over its place in the coloured trace, then showed the scale's colour through the
# grey (a blue-grey that is neither "no data" nor a value). Opaque markers also match the colour bar exactly.
MARKER_OPACITY = 1


def has_value(area: Mapping) -> bool:
    """Whether an area on the map has a number to show (not None, not NaN)."""
    return area.get("value") is not None and not math.isnan(area["value"])


# The legend (only "Ingen data" has an entry): across the top, over the map's empty corner.
MAP_LEGEND = {"orientation": "h", "y": 1, "x": 0, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)"}


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

# The plot of the map on a 375 px phone, measured in Chromium (the figure's height less its margins and colour bar):
# labels are placed for it, the narrowest map. The map's scale is set by its height on every screen (the areas lie
# further apart north-south than a phone is wide), so a wider screen shows the areas at the same size with more room
# at the sides, and a placement that fits the phone fits there too.
NARROWEST_PLOT_PX = (315, 425)
# A name longer than this is broken after its "/" (Frydenlund/Vandtårnsområdet): on one line it is two thirds of a
# phone's map, and sticks out of it wherever it is placed.
LONGEST_LABEL_LINE = 18
# What a label costs where it would be: over another area's marker (readable, with the halo), over another label
# (unreadable), or past the map's edge (cut off).
COST_OVER_MARKER, COST_OVER_LABEL, COST_PAST_EDGE = 1, 10, 100


def label_lines(name: str) -> list[str]:
    """A map label's name as lines: broken after a "/" when it is long."""
    head, slash, tail = name.partition("/")
    if len(name) <= LONGEST_LABEL_LINE or not slash or not tail:
        return [name]
    return [head + slash, *label_lines(tail)]


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


# How many positions the search for the best placement may try before it keeps the best found so far: the seven
# areas need about 2.200 (1-2 ms); with 20-80 areas the budget ends the search after 5-45 ms (measured).
PLACEMENT_SEARCH_BUDGET = 5_000
# Beyond this many areas the greedy placement is kept (the search goes one level deeper per area).
SEARCHED_UP_TO = 200


def place_labels(
    areas: Sequence[Mapping],
    plot_width_px: float = NARROWEST_PLOT_PX[0],
    plot_height_px: float = NARROWEST_PLOT_PX[1],
    font_px: float = 13,
    extent: tuple[float, float, float, float] | None = None,
) -> list[str]:
    """A position for each area's label (name and value) so that the labels together cost least (COST_*): none past
    the map's edge if that can be helped, then none over another label, then as few over other markers as can be.
    A greedy placement (largest area first) is the first bound of a branch-and-bound search over every placement,
    which stops after PLACEMENT_SEARCH_BUDGET steps with the best found.

    ``extent`` is what the map is asked to show (lon from, lon to, lat from, lat to), by default the areas with a
    margin. plotly keeps the scale equal, so the map shows at least that, centred: pixels per degree follow from
    whichever side of the plot limits, and the edges from the plot's size round the extent's centre. A context layer
    round the areas makes the map show more, so the areas lie closer together on screen. Further places of an area
    (``extra_points``) are markers a label must not cover either.
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
    centre_x, centre_y = (lon_from + lon_to) / 2 * scale, (lat_from + lat_to) / 2 * scale * stretch
    edges = (
        centre_x - plot_width_px / 2,
        centre_y - plot_height_px / 2,
        centre_x + plot_width_px / 2,
        centre_y + plot_height_px / 2,
    )
    points = [(a["lon"] * scale, a["lat"] * scale * stretch, _marker_size(a.get("residents")) / 2) for a in areas]
    markers = [((x - r, y - r, x + r, y + r), i) for i, (x, y, r) in enumerate(points)]
    for i, area in enumerate(areas):
        for lon, lat in area.get("extra_points") or []:
            x, y, r = lon * scale, lat * scale * stretch, _marker_size(area.get("residents")) * 0.8 / 2
            markers.append(((x - r, y - r, x + r, y + r), i))

    # Each label's box at each position, and what it costs there whatever the other labels do.
    boxes: list[list[tuple]] = []
    fixed: list[list[int]] = []
    for i, area in enumerate(areas):
        lines = [*label_lines(str(area["name"])), str(area.get("label", ""))]
        width, height = 0.6 * font_px * max(len(line) for line in lines), 1.2 * font_px * len(lines)
        boxes.append([_label_box(*points[i], width, height, position) for position in LABEL_POSITIONS])
        fixed.append(
            [
                COST_PAST_EDGE * ((b[0] < edges[0]) + (b[1] < edges[1]) + (b[2] > edges[2]) + (b[3] > edges[3]))
                + COST_OVER_MARKER * sum(_overlaps(b, marker) for marker, owner in markers if owner != i)
                for b in boxes[i]
            ]
        )
    # Which label positions of two areas overlap, worked out once; only for areas near enough for that to happen.
    positions = range(len(LABEL_POSITIONS))
    clashes: list[list[list[tuple[int, int]]]] = [[[] for _ in positions] for _ in areas]
    # How far an area's labels reach from its marker, in either direction: areas further apart cannot clash.
    reach = [
        max(max(abs(b[0] - x), abs(b[2] - x), abs(b[1] - y), abs(b[3] - y)) for b in boxes[i])
        for i, (x, y, _) in enumerate(points)
    ]
    for i, j in itertools.combinations(range(len(areas)), 2):
        if (
            abs(points[i][0] - points[j][0]) > reach[i] + reach[j]
            or abs(points[i][1] - points[j][1]) > reach[i] + reach[j]
        ):
            continue
        for p, q in itertools.product(positions, positions):
            if _overlaps(boxes[i][p], boxes[j][q]):
                clashes[i][p].append((j, q))
                clashes[j][q].append((i, p))

    # hits[i][p]: how many labels already placed the label of area i would overlap at position p.
    hits = [[0 for _ in positions] for _ in areas]

    def place(i: int, p: int, step: int) -> None:
        for j, q in clashes[i][p]:
            hits[j][q] += step

    order = sorted(range(len(areas)), key=lambda i: -points[i][2])
    # The least the labels not yet placed can cost: a bound that prunes most of the search.
    least_after = [0] * (len(order) + 1)
    for k in range(len(order) - 1, -1, -1):
        least_after[k] = least_after[k + 1] + min(fixed[order[k]])
    greedy: dict[int, int] = {}
    greedy_cost = 0
    for i in order:
        p = min(positions, key=lambda p, i=i: fixed[i][p] + COST_OVER_LABEL * hits[i][p])
        greedy_cost += fixed[i][p] + COST_OVER_LABEL * hits[i][p]
        greedy[i] = p
        place(i, p, 1)
    for i, p in greedy.items():
        place(i, p, -1)
    best = {"cost": greedy_cost, "choice": greedy}
    cheapest_first = [sorted(positions, key=costs.__getitem__) for costs in fixed]
    steps = 0

    def search(k: int, chosen: dict[int, int], cost: int) -> None:
        nonlocal steps
        if k == len(order):
            best["cost"], best["choice"] = cost, dict(chosen)
            return
        i = order[k]
        for p in cheapest_first[i]:
            steps += 1
            extra = fixed[i][p] + COST_OVER_LABEL * hits[i][p]
            if cost + extra + least_after[k + 1] >= best["cost"] or steps >= PLACEMENT_SEARCH_BUDGET:
                continue
            chosen[i] = p
            place(i, p, 1)
            search(k + 1, chosen, cost + extra)
            place(i, p, -1)
            del chosen[i]

    if len(areas) <= SEARCHED_UP_TO:
        search(0, {}, 0)
    return [LABEL_POSITIONS[best["choice"][i]] for i in range(len(areas))]


MARGIN_TOP, MARGIN_BOTTOM = 10, 70
LABEL_HALO = ", ".join(f"{x}px {y}px 1px #fff" for x, y in ((1, 1), (-1, -1), (1, -1), (-1, 1), (0, 2), (0, -2)))
# plotly widens the bottom margin to this for the colour bar under the map (measured in Chromium).
BOTTOM_WITH_COLOUR_BAR = 85


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
    values = [a["value"] for a in areas if has_value(a)]
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
    # The traces after the outlines are always these four, empty or not, so that the figure's structure depends
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
                "opacity": MARKER_OPACITY,
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
    with_value = [has_value(a) for a in areas]
    sizes = [_marker_size(a.get("residents")) for a in areas]
    figure.add_trace(
        go.Scatter(
            x=[a["lon"] for a in areas],
            y=[a["lat"] for a in areas],
            mode="markers",
            customdata=[[a["area_id"]] for a in areas],
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "size": sizes,
                "color": [a["value"] if ok else low for a, ok in zip(areas, with_value, strict=True)],
                "colorscale": colourscale,
                "cmin": low,
                "cmax": high,
                "line": {"color": "#243b53", "width": 1.5},
                # A scale of one value (one area with a figure, or all the same) says nothing, and plotly labels
                # it with made-up fractions round the value (7.002,6-7.003,4 residents): then none is shown.
                "showscale": bool(values) and (diverging or high > low),
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
                "opacity": MARKER_OPACITY,
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
                "opacity": MARKER_OPACITY,
            },
            customdata=[[a["area_id"]] for a in missing],
            hovertext=[f"<b>{a['name']}</b><br>{a['label']}" for a in missing],
            hovertemplate="%{hovertext}<extra></extra>",
            name=t("common.no_data", lang),
            showlegend=bool(missing),
        )
    )
    # The labels come last, over every marker (the grey ones too): on a phone the seven areas leave no room for every
    # label beside its own marker, and a label that lies over another area's marker must not be hidden by it. A
    # white halo keeps it readable there (part of the figure, so a PNG or SVG download has it too). The trace's
    # markers are invisible: plotly sets text off by the size of the trace's own marker. It takes no hover or click
    # (the markers under it do).
    figure.add_trace(
        go.Scatter(
            x=[a["lon"] for a in areas],
            y=[a["lat"] for a in areas],
            mode="markers+text",
            text=[f"{'<br>'.join(label_lines(a['name']))}<br><b>{a['label']}</b>" for a in areas],
            textposition=place_labels(
                areas, plot_height_px=height - MARGIN_TOP - BOTTOM_WITH_COLOUR_BAR, extent=extent
            ),
            textfont={"size": 13, "color": theme.TEXT_COLOUR, "shadow": LABEL_HALO},
            marker={"size": sizes, "opacity": 0},
            hoverinfo="skip",
            showlegend=False,
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
        margin={"l": 5, "r": 5, "t": MARGIN_TOP, "b": MARGIN_BOTTOM},
        dragmode="pan",
        hovermode="closest",
        legend=MAP_LEGEND,
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


def tile_map_figure(
    areas: Sequence[Mapping], *, colour_title: str, tiles: str, lang: str = "da", height: int = 520
) -> go.Figure:
    """The opt-in tile map (MAP_TILES=osm): the same areas on an OpenStreetMap basemap.

    MapLibre needs a glyph server to draw text, so names are in the hover and the table, not on the map. As on the
    offline map, an area without a value is grey and named "Ingen data" in the legend, never given the scale's
    lowest colour.
    """
    values = [a["value"] for a in areas if has_value(a)]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    colourscale = [[i / (len(theme.SEQUENTIAL_SCALE) - 1), c] for i, c in enumerate(theme.SEQUENTIAL_SCALE)]
    points = [(a, lon, lat) for a in areas for lon, lat in [(a["lon"], a["lat"]), *(a.get("extra_points") or [])]]

    def trace(chosen: list[tuple], marker: dict, **extra) -> go.Scattermap:
        return go.Scattermap(
            lon=[lon for _, lon, _ in chosen],
            lat=[lat for _, _, lat in chosen],
            mode="markers",
            customdata=[[a["area_id"]] for a, _, _ in chosen],
            hovertext=[f"<b>{a['name']}</b><br>{a['label']}<br>{a.get('hover', '')}" for a, _, _ in chosen],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": [_marker_size(a.get("residents")) for a, _, _ in chosen], "opacity": MARKER_OPACITY}
            | marker,
            **extra,
        )

    coloured = [p for p in points if has_value(p[0])]
    missing = [p for p in points if not has_value(p[0])]
    figure = go.Figure(
        [
            trace(
                coloured,
                {
                    "color": [a["value"] for a, _, _ in coloured],
                    "colorscale": colourscale,
                    "cmin": low,
                    "cmax": high,
                    "showscale": high > low,  # see map_figure
                    "colorbar": {"title": {"text": colour_title, "side": "right"}},
                },
                showlegend=False,
            ),
            trace(
                missing,
                {"color": NO_DATA_COLOUR},
                name=t("common.no_data", lang),
                showlegend=bool(missing),
            ),
        ],
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
        legend=MAP_LEGEND,
    )
    return figure
