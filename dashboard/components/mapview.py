"""The map block shared by the overview and the indicator page: controls, the offline map, summary and table.

The figure itself comes from ``dashboard.figures.map``; this module picks the values to colour by (from the
analysis layer), the hover text (value, year, source and how exact the location is), and wires the click that
opens an area's page.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import urlstate
from dashboard.analysis import series as ser
from dashboard.components.chart import table_host, table_spec
from dashboard.components.controls import dropdown
from dashboard.components.links import href
from dashboard.data import periods
from dashboard.figures.map import geometry_trace_count, has_value, map_figure, map_patch, tile_map_figure
from dashboard.figures.theme import graph_config
from dashboard.geo import layers
from dashboard.i18n import t
from dashboard.i18n.numbers import format_change_points, format_number, format_value
from dashboard.pages import common


def load_geo(geo_dir) -> dict:
    """The area points and polygons, and the context layer, read once per worker."""
    areas = layers.load_areas(geo_dir)
    context = layers.load_context(geo_dir)
    points = {p["area_id"]: p for p in layers.area_points(areas)}
    # An area of several places (a MultiPoint, e.g. Frydenlund/Vandtårnsområdet) gets a marker at each place,
    # not one at their mean, which would lie in neither.
    for feature in areas["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "MultiPoint" and len(geometry["coordinates"]) > 1:
            first, *others = geometry["coordinates"]
            point = points[feature["properties"]["area_id"]]
            point.update(lon=first[0], lat=first[1], extra_points=[tuple(c[:2]) for c in others])
    return {
        "points": points,
        "polygons": {p["area_id"]: p for p in layers.polygon_rings(areas)},
        "context": [(p["lons"], p["lats"]) for p in layers.polygon_rings(context)] if context else [],
        # Names the geometry this worker draws: a map drawn from the same outlines can be updated in place, and a
        # cached answer is only served for the same geometry (dashboard.cache).
        "version": layers.files_fingerprint(geo_dir),
    }


def outline_signature(app, areas: list[dict]) -> str | None:
    """What a drawn map's outline traces are made of: the outlines loaded and which area has how many polygons (in
    the order drawn). Two maps with the same signature differ only in what ``map_patch`` sends. None for the tile
    map, which has no outlines and is always sent whole."""
    if app.bosoc_settings.map_tiles:
        return None
    structure = ",".join(f"{a['area_id']}={len(a['rings'])}" for a in areas)
    return f"{app.bosoc_geo['version']}:{structure}"


def map_indicator_ids(data) -> list[str]:
    """Indicators that have a value for at least one helhedsplan area (the map shows only those areas)."""
    helhedsplan = common.helhedsplan_area_ids(data.dataset)
    present = {i for area_id in helhedsplan for i in data.select(area_id=area_id, shown=True)["indicator_id"]}
    return [i for i in data.dataset.indicators if i in present]


def _shown_periods(data, indicator_id: str) -> dict[int, float]:
    """Each year the helhedsplan areas have figures for (ascending) -> the period the map shows for it: the year
    itself, or for a quarterly indicator the year's latest quarter that any of them has (one quarter for every area,
    named as that quarter: never a year's figure made from quarters). Once per data version."""

    def compute():
        latest: dict[int, float] = {}
        for area_id in common.helhedsplan_area_ids(data.dataset):
            rows = data.select(indicator_id=indicator_id, area_id=area_id)
            for year, period in zip(rows["year"], rows["period"], strict=True):
                latest[int(year)] = max(float(period), latest.get(int(year), float(year)))
        return dict(sorted(latest.items()))

    return data.memo(("map_periods", indicator_id), compute)


def _years(data, indicator_id: str) -> list[int]:
    return list(_shown_periods(data, indicator_id))


def shown_period(data, indicator_id: str, year: int) -> float:
    """The period the map shows for a year (see _shown_periods); the year itself when there are no figures."""
    return _shown_periods(data, indicator_id).get(year, float(year))


def year_options(data, indicator_id: str, lang: str) -> list[dict]:
    """The map's years, each labelled with the period its map shows: "2022", or "2022K4" for a quarterly indicator
    (the year's latest quarter), so the choice says what it will show. Once per data version."""

    def compute():
        return [
            {"label": periods.label(shown_period(data, indicator_id, year), lang), "value": year}
            for year in _years(data, indicator_id)
        ]

    return data.memo(("map_year_options", indicator_id, lang), compute)


def _location_note(point: dict, lang: str) -> str:
    metres = point.get("uncertainty_m")
    method = (point.get("method") or "").lower()
    if metres is None or "official" in method:
        return t("common.location_official", lang)
    key = "common.location_estimate" if "estimate" in method else "common.location_published"
    return t(key, lang, metres=format_number(metres, 0, lang))


# Map views (indicator, year, measure, language) kept per data version.
MAP_VIEWS_KEPT = 64


def map_areas(app, data, indicator_id: str, year: int, measure: str, lang: str) -> list[dict]:
    """Each helhedsplan area with a location: its value for the map (as a number and as shown), hover text, residents
    and geometry. Once per data version and view (the geometry is loaded once per process): the overview asks on
    every load, and the same map twice (figure and table). The list is shared: callers must not change it."""
    return data.memo(
        ("map_areas", indicator_id, year, measure, lang),
        lambda: _map_areas(app, data, indicator_id, year, measure, lang),
        limit=MAP_VIEWS_KEPT,
    )


def _map_areas(app, data, indicator_id: str, year: int, measure: str, lang: str) -> list[dict]:
    indicator = data.dataset.indicators[indicator_id]
    period = shown_period(data, indicator_id, year)
    observations = data.select(indicator_id=indicator_id, shown=True)
    titles = common.source_titles(data.dataset)
    residents = common.residents_weights(data)
    geo = app.bosoc_geo
    areas = []
    for area_id in common.helhedsplan_area_ids(data.dataset):
        point = geo["points"].get(area_id)
        if point is None:
            continue
        if measure == "aendring":
            change = None
            values = ser.values_by_year(observations, area_id, indicator_id)
            if len(values) and period in values.index and float(values.index[0]) < period:
                change = ser.change(observations, area_id, indicator_id, float(values.index[0]), period)
            value = change.points if change else None
            label = (
                (
                    format_change_points(value, lang, indicator.decimals)
                    if indicator.unit in ("pct", "pct_region")
                    else format_number(value, indicator.decimals, lang)
                )
                if change
                else "–"
            )
            detail = ""
            if change:
                detail = f"{periods.label(change.from_year, lang)}–{periods.label(change.to_year, lang)}"
        else:
            value = ser.value_at(observations, area_id, indicator_id, period)
            label = format_value(value, indicator.unit, indicator.decimals, lang) if value is not None else "–"
            detail = periods.label(period, lang)
        rows = observations[
            (observations["area_id"] == area_id)
            & (observations["indicator_id"] == indicator_id)
            & (observations["period"] == period)
        ]
        source = titles.get(rows["source_id"].iloc[0], "") if len(rows) else ""
        hover = "<br>".join(
            part
            for part in (
                f"{indicator.short_name[lang]} {detail}",
                f"{t('common.source', lang)}: {source}" if source else t("common.no_data", lang),
                _location_note(point, lang),
            )
            if part
        )
        polygon = geo["polygons"].get(area_id)
        areas.append(
            {
                "area_id": area_id,
                "name": data.dataset.area_name(area_id, lang),
                "lon": point["lon"],
                "lat": point["lat"],
                "value": value,
                "label": label,
                "hover": hover,
                "residents": residents.get(area_id),
                "rings": [(polygon["lons"], polygon["lats"])] if polygon else [],
                "extra_points": point.get("extra_points", []),
            }
        )
    return areas


def shown_year(data, indicator_id: str, year: int | None) -> int | None:
    """The year the map shows when ``year`` is asked: that year, or the latest when none or an unknown is asked."""
    years = _years(data, indicator_id)
    return year if year in years else (years[-1] if years else None)


def map_figure_for(app, data, indicator_id: str, year: int | None, measure: str, lang: str, with_outlines: bool = True):
    """The figure, a one-line summary and the year actually shown (see shown_year). ``with_outlines``: see
    figures.map.map_figure."""
    year = shown_year(data, indicator_id, year)
    indicator = data.dataset.indicators[indicator_id]
    areas = map_areas(app, data, indicator_id, year, measure, lang) if year else []
    title = indicator.short_name[lang] if measure == "niveau" else t("common.measure_forskel", lang)
    if measure == "aendring":
        title = f"{indicator.short_name[lang]}: " + ("ændring" if lang == "da" else "change")
    if app.bosoc_settings.map_tiles:
        figure = tile_map_figure(areas, colour_title=title, tiles=app.bosoc_settings.map_tiles, lang=lang)
    else:
        figure = map_figure(
            areas,
            colour_title=title,
            lang=lang,
            context_rings=app.bosoc_geo["context"],
            diverging=measure == "aendring",
            with_outlines=with_outlines,
        )
    with_values = [a for a in areas if has_value(a)]
    when = periods.label(shown_period(data, indicator_id, year), lang) if year else "–"
    change = "_change" if measure == "aendring" else ""
    # As the reader sees them: figures that differ only past the shown decimals are the same figure to them.
    shown_figures = {a["label"] for a in with_values}
    if len(with_values) == 1:
        # "Highest in X, lowest in X" would be true but odd: say that X is the only one.
        summary = t(
            f"overview.map_summary_one{change}",
            lang,
            indicator=indicator.name[lang],
            year=when,
            area=with_values[0]["name"],
            value=with_values[0]["label"],
        )
    elif len(shown_figures) == 1:
        # Every area with a figure has the same one: no highest or lowest.
        names = [a["name"] for a in with_values]
        joined = ", ".join(names[:-1]) + (" og " if lang == "da" else " and ") + names[-1]
        summary = t(
            f"overview.map_summary_same{change}",
            lang,
            indicator=indicator.name[lang],
            year=when,
            areas=joined,
            value=with_values[0]["label"],
        )
    elif with_values:
        highest = max(with_values, key=lambda a: a["value"])
        lowest = min(with_values, key=lambda a: a["value"])
        summary = t(
            "overview.map_summary",
            lang,
            indicator=indicator.name[lang],
            year=when,
            highest=highest["name"],
            highest_value=highest["label"],
            lowest=lowest["name"],
            lowest_value=lowest["label"],
        )
    else:
        # In the first year there is no change to show, though every area may have figures for it.
        first = year is not None and measure == "aendring" and _years(data, indicator_id)[:1] == [year]
        none_key = "overview.map_summary_none_change" if first else "overview.map_summary_none"
        summary = t(none_key, lang, indicator=indicator.name[lang], year=when)
    if len(with_values) > 1 and len(areas) > len(with_values):
        summary += " " + t(f"overview.map_missing{change}", lang, missing=len(areas) - len(with_values))
    return figure, summary, year


def _filename(indicator_id: str, year: int | None) -> str:
    return common.slug_filename("kort", indicator_id, str(year or ""))


def _map_table(areas: list[dict], lang: str) -> str:
    return table_spec([t("common.area", lang), t("common.value", lang)], [[a["name"], a["label"]] for a in areas])


def map_block(
    context, page: str, indicator_id: str, year: int | None, measure: str, show_indicator_picker: bool = True
) -> dbc.Card:
    """The map card. On an indicator's own page the indicator is fixed (the picker is kept but hidden)."""
    app_data, lang = context.data, context.lang
    app = context.app
    figure, summary, year = map_figure_for(app, app_data, indicator_id, year, measure, lang)
    options = [{"label": app_data.dataset.indicators[i].name[lang], "value": i} for i in map_indicator_ids(app_data)]
    areas = map_areas(app, app_data, indicator_id, year, measure, lang) if year else []
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(t("overview.map_title", lang), className="h4 mb-0")),
            dbc.CardBody(
                [
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label(t("overview.map_indicator", lang)),
                                    dropdown(
                                        lang,
                                        id={"type": "map-indicator", "page": page},
                                        options=options,
                                        value=indicator_id,
                                        clearable=False,
                                        searchable=True,
                                    ),
                                ],
                                md=6,
                                style=None if show_indicator_picker else {"display": "none"},
                            ),
                            dbc.Col(
                                [
                                    dbc.Label(t("overview.map_year", lang)),
                                    dropdown(
                                        lang,
                                        id={"type": "map-year", "page": page},
                                        options=year_options(app_data, indicator_id, lang),
                                        value=year,
                                        clearable=False,
                                        searchable=False,
                                    ),
                                ],
                                md=2,
                                xs=6,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label(t("overview.map_measure", lang)),
                                    dbc.RadioItems(
                                        id={"type": "map-measure", "page": page},
                                        options=[
                                            {"label": t("overview.map_measure_niveau", lang), "value": "niveau"},
                                            {"label": t("overview.map_measure_aendring", lang), "value": "aendring"},
                                        ],
                                        value=measure,
                                        inline=False,
                                    ),
                                ],
                                md=4,
                                xs=6,
                            ),
                        ],
                        className="g-3 mb-2 controls no-print",
                    ),
                    dcc.Graph(
                        id={"type": "map-graph", "page": page},
                        figure=figure,
                        config=graph_config(_filename(indicator_id, year), lang),
                        className="map-graph",
                    ),
                    # The outlines the drawn map is made of (see ``update_map``).
                    dcc.Store(id={"type": "map-outlines", "page": page}, data=outline_signature(app, areas)),
                    html.P(
                        summary,
                        id={"type": "map-summary", "page": page},
                        className="chart-summary",
                        # The PNG/SVG downloads read the file name here when clicked (assets/clientside.js): the
                        # chart's config stays the same, so that plotly updates the map instead of drawing it anew.
                        **{"aria-live": "polite", "data-filename": _filename(indicator_id, year)},
                    ),
                    html.P(t("overview.map_hint", lang), className="text-muted small"),
                    html.Details(
                        [
                            html.Summary(t("common.show_table", lang)),
                            table_host(_map_table(areas, lang), {"type": "map-table", "page": page}),
                        ],
                        className="chart-table",
                    ),
                ]
            ),
        ],
        className="mb-4 map-card",
    )


def register(app) -> None:
    @app.callback(
        Output({"type": "map-graph", "page": MATCH}, "figure"),
        Output({"type": "map-summary", "page": MATCH}, "children"),
        Output({"type": "map-table", "page": MATCH}, "data-table"),
        Output({"type": "map-year", "page": MATCH}, "options"),
        Output({"type": "map-year", "page": MATCH}, "value"),
        Output({"type": "map-summary", "page": MATCH}, "data-filename"),
        Output({"type": "map-outlines", "page": MATCH}, "data"),
        Input({"type": "map-indicator", "page": MATCH}, "value"),
        Input({"type": "map-year", "page": MATCH}, "value"),
        Input({"type": "map-measure", "page": MATCH}, "value"),
        State({"type": "map-outlines", "page": MATCH}, "data"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def update_map(indicator_id, year, measure, drawn, search):
        """A new indicator, year or measure. When the browser's map has the outlines this worker would draw, only
        what changed is sent (``map_patch``: colours, labels, hover, colour bar); the outlines, most of the figure
        once polygons and a context layer are imported, stay in the browser. Otherwise the whole figure is sent,
        with the signature of its outlines."""
        data = app.bosoc_data.get()
        if indicator_id not in map_indicator_ids(data) or measure not in ("niveau", "aendring"):
            raise PreventUpdate
        if year is not None and not isinstance(year, int):
            raise PreventUpdate
        lang = urlstate.language(search)
        year = shown_year(data, indicator_id, year)
        areas = map_areas(app, data, indicator_id, year, measure, lang) if year else []
        signature = outline_signature(app, areas)
        patch = signature is not None and drawn == signature
        figure, summary, _ = map_figure_for(app, data, indicator_id, year, measure, lang, with_outlines=not patch)
        if patch:
            figure, signature = map_patch(figure, geometry_trace_count(areas, app.bosoc_geo["context"])), no_update
        options = year_options(data, indicator_id, lang)
        return figure, summary, _map_table(areas, lang), options, year, _filename(indicator_id, year), signature

    @app.callback(
        Output("url", "pathname", allow_duplicate=True),
        Output("url", "search", allow_duplicate=True),
        Output("route-request", "data", allow_duplicate=True),
        Input({"type": "map-graph", "page": ALL}, "clickData"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def open_area(clicks, search):
        """A click on an area opens its page (keeping the language and the embed mode)."""
        click = next((c for c in clicks or [] if c), None)
        try:
            area_id = click["points"][0]["customdata"][0]
        except (TypeError, KeyError, IndexError):
            raise PreventUpdate from None
        data = app.bosoc_data.get()
        if area_id not in common.helhedsplan_area_ids(data.dataset):
            raise PreventUpdate
        # The area page, in the same language and (in the intranet's iframe) still embedded: links.href's rule.
        kept, _ = urlstate.parse_query(urlstate.split_search(search), ())
        path, _, query = href(f"/omraade/{area_id}", kept["sprog"], kept["embed"]).partition("?")
        query = f"?{query}" if query else ""
        return path, query, {"path": path, "search": query}
