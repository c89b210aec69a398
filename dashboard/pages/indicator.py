"""Indikator (/indikator/<indicator_id>): all areas on one indicator, as chart, map or table.

Area selection, year range, measure (level, index, gap) and tab are in the URL. Aarhus Kommune is always shown as
the benchmark; "alle helhedsplanområder" is added for rates, labelled as the analysis layer labels it.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

import dash_bootstrap_components as dbc
import flask
from dash import ClientsideFunction, Input, Output, State, html
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

from dashboard import urlstate
from dashboard.components import mapview
from dashboard.components.chart import chart_card, definition_block, definition_spec, table_host, table_spec
from dashboard.components.controls import dropdown, limit_message, limit_notice, year_range
from dashboard.data.store import BENCHMARK_AREA_ID
from dashboard.i18n import t
from dashboard.pages import common

PATH = "/indikator/<indicator_id>"
TABS = ("graf", "kort", "tabel")
GRAPH_ID = "indicator-graph"
NOTICE_ID = "indicator-areas-notice"  # more areas chosen than an address can carry
VIEW_ID = "indicator-view"  # carries the view shown (data-shown) and where to ask for another (data-route)
VIEW_ROUTE = "_bosoc/indikator-visning"  # under the app's prefix; answers the page's controls (``answer``)
SVG_BUTTON_ID = {"type": "svg-button", "index": GRAPH_ID}  # made by components.chart.chart_card


def valid_path(data, indicator_id: str) -> bool:
    return indicator_id in data.dataset.indicators


def areas_with_data(data, indicator_id: str) -> list[str]:
    def compute():
        ids = [a for a in common.all_area_ids(data.dataset) if a != BENCHMARK_AREA_ID]
        if data.positions:  # the areas with rows of the indicator, as indexed at data load (no rows read)
            return tuple(a for a in ids if (a, indicator_id) in data.positions)
        present = set(data.select(indicator_id=indicator_id)["area_id"])
        return tuple(a for a in ids if a in present)

    return list(data.memo(("areas_with_data", indicator_id), compute))


def area_set(areas: list[str]) -> str:
    """A short name for a set of areas (the area picker's options): equal for equal sets."""
    return hashlib.sha256(",".join(areas).encode()).hexdigest()[:16]


def default_areas(data, indicator_id: str) -> tuple[str, ...]:
    helhedsplan = set(common.helhedsplan_area_ids(data.dataset))
    return tuple(a for a in areas_with_data(data, indicator_id) if a in helhedsplan) or tuple(
        areas_with_data(data, indicator_id)
    )


def params(data, indicator_id: str = "") -> list[urlstate.Param]:
    low, high = common.data_year_bounds(data)
    # The default range is the indicator's own years; any year in the data may be asked for.
    own = data.select(indicator_id=indicator_id)
    first, last = common.year_bounds(own) if areas_with_data(data, indicator_id) else (low, high)
    return [
        urlstate.Param(
            "omraader", default_areas(data, indicator_id), urlstate.id_list(areas_with_data(data, indicator_id))
        ),
        urlstate.Param("maal", "niveau", urlstate.choice(common.MEASURES)),
        urlstate.Param("fra", first, urlstate.year(low, high)),
        urlstate.Param("til", last, urlstate.year(low, high)),
        urlstate.Param("fane", "graf", urlstate.choice(TABS)),
        urlstate.Param("forbind", False, urlstate.flag),
    ]


def title(context) -> str:
    return context.dataset.indicators[context.path_params["indicator_id"]].name[context.lang]


def _view(context, area_ids, measure, years, connect):
    data, lang = context.data, context.lang
    indicator_id = context.path_params["indicator_id"]
    indicator = data.dataset.indicators[indicator_id]
    figure, columns, table_years, rows, notes = common.chart_parts(
        data, indicator, list(area_ids), lang, measure, years, connect, include_aggregate=True, height=480
    )
    summaries = [common.summary_for(data, indicator, a, lang, years) for a in area_ids[:3]]
    if BENCHMARK_AREA_ID in set(columns["area_id"]) or measure != "forskel":
        summaries.append(common.summary_for(data, indicator, BENCHMARK_AREA_ID, lang, years))
    summary = " ".join(summaries)
    if notes:
        summary += " " + t("area.aggregate_note", lang, method=notes[0]["note"])
    wide = table_spec(
        [t("common.area", lang), *table_years],
        rows,
        caption=f"{indicator.name[lang]} ({t('common.measure_' + measure, lang).lower()})",
    )
    return figure, summary, wide


def _sources(data, indicator_id: str) -> list[str]:
    """The sources of every row of the indicator (the chart's definition block lists them)."""
    return sorted(set(data.select(indicator_id=indicator_id)["source_id"]))


def _filename(indicator_id: str, measure: str, years: tuple[int, int]) -> str:
    return common.slug_filename(indicator_id, measure, f"{years[0]}-{years[1]}")


def _chart_card(context, parts: dict):
    """The chart card showing ``parts`` (``_chart_parts``: what a control change answers too)."""
    lang = context.lang
    indicator_id = context.path_params["indicator_id"]
    indicator = context.dataset.indicators[indicator_id]
    sources = _sources(context.data, indicator_id)
    return chart_card(
        graph_id=GRAPH_ID,
        figure=parts["figure"],
        filename=parts["filename"],
        title=indicator.name[lang],
        summary=parts["summary"],
        table_component=table_host(parts["table"], "indicator-chart-table"),
        definition=definition_block(context.dataset, indicator, lang, sources, id="indicator-definition"),
        lang=lang,
        summary_id="indicator-summary",
        title_id="indicator-card-title",
    )


def _map_tab(context):
    indicator_id = context.path_params["indicator_id"]
    if indicator_id not in mapview.map_indicator_ids(context.data):
        return html.P(t("common.no_data", context.lang))
    return mapview.map_block(
        context, "indicator", indicator_id, context.values["til"], "niveau", show_indicator_picker=False
    )


def layout(context) -> html.Div:
    lang, values, data = context.lang, context.values, context.data
    indicator_id = context.path_params["indicator_id"]
    indicator = data.dataset.indicators[indicator_id]
    years = common.year_span(values)
    picker = dropdown(
        lang,
        id="indicator-picker",
        options=[
            {
                "label": i.name[lang]
                + ("" if i.id in data.indicator_ids_with_data else f" ({t('common.no_data_yet', lang)})"),
                "value": i.id,
            }
            for i in data.dataset.indicators.values()
        ],
        value=indicator_id,
        clearable=False,
    )
    header = [
        html.H1(indicator.name[lang], id="indicator-heading"),
        html.P(indicator.definition[lang], className="lead", id="indicator-lead"),
        dbc.Row(
            dbc.Col([dbc.Label(t("indicator.pick_indicator", lang), html_for="indicator-picker"), picker], md=6),
            className="mb-3 no-print",
        ),
    ]
    available = areas_with_data(data, indicator_id)
    if not available:
        return html.Div(
            [
                *header,
                dbc.Alert(t("indicator.no_data_yet", lang), color="info"),
                definition_block(context.dataset, indicator, lang),
            ]
        )
    parts = _chart_parts(context, values)
    low, high = common.data_year_bounds(data)
    controls = dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("indicator.pick_areas", lang), html_for="indicator-areas"),
                            dropdown(
                                lang,
                                id="indicator-areas",
                                multi=True,
                                value=list(values["omraader"]),
                                options=[{"label": data.dataset.area_name(a, lang), "value": a} for a in available],
                            ),
                            limit_notice(NOTICE_ID),
                        ],
                        lg=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label(t("common.measure", lang), html_for="indicator-measure"),
                            dbc.RadioItems(
                                id="indicator-measure",
                                value=values["maal"],
                                options=[
                                    {"label": t(f"common.measure_{m}", lang), "value": m} for m in common.MEASURES
                                ],
                            ),
                        ],
                        lg=3,
                    ),
                    dbc.Col(
                        [
                            html.Span(t("common.years", lang), className="form-label d-block"),
                            year_range(lang, id="indicator-years", low=low, high=high, value=list(years)),
                            dbc.Checkbox(
                                id="indicator-connect",
                                value=values["forbind"],
                                label=t("area.connect_gaps", lang),
                                className="mt-2",
                            ),
                        ],
                        lg=4,
                    ),
                ],
                className="g-3",
            )
        ),
        className="mb-3 controls no-print",
    )
    # The map is drawn only when its tab is shown (on opening the tab, a callback below fills it): a map drawn in a
    # hidden tab cost every visit of the page a second plotly drawing, with all the areas' outlines.
    filled = values["fane"] == "kort"
    map_tab = html.Div(
        _map_tab(context) if filled else None, id="indicator-map-host", **{"data-filled": "1" if filled else ""}
    )
    tabs = dbc.Tabs(
        [
            dbc.Tab(
                html.Div(_chart_card(context, parts), id="indicator-chart"),
                label=t("indicator.tab_chart", lang),
                tab_id="graf",
            ),
            dbc.Tab(map_tab, label=t("indicator.tab_map", lang), tab_id="kort"),
            dbc.Tab(
                html.Div(
                    table_host(parts["table"], "indicator-table-data"),
                    id="indicator-table",
                    className="table-responsive mt-3",
                ),
                label=t("indicator.tab_table", lang),
                tab_id="tabel",
            ),
        ],
        id="indicator-tabs",
        active_tab=values["fane"],
        className="mb-3",
    )
    view = html.Div(
        id=VIEW_ID,
        hidden=True,
        **{
            "data-shown": json.dumps(shown_state(indicator_id, values)),
            "data-area-set": area_set(areas_with_data(data, indicator_id)),
            "data-route": context.app.get_relative_path("/" + VIEW_ROUTE),
            "data-failed": t("indicator.view_failed", lang),
        },
    )
    return html.Div([*header, controls, tabs, view])


def _kept_search(lang: str, embed: bool) -> str:
    """What a pick keeps of the current address: the language and the embed mode (the rest is the new indicator's
    default view, as its stable link shows it)."""
    return urlstate.build_search({"sprog": lang, "embed": embed}, ())


def shown_state(indicator_id: str, values) -> dict:
    """The view a page shows, as its controls hold it (``data-shown``; assets/clientside.js compares the controls
    with it, and asks the server only when they differ)."""
    return {
        "indicator": indicator_id,
        "areas": list(values["omraader"]),
        "measure": values["maal"],
        "years": list(common.year_span(values)),
        "connect": bool(values["forbind"]),
        "tab": values["fane"],
    }


def _chart_parts(context, values) -> dict:
    """The chart card's changing parts for ``values``: what a control change sends."""
    span = common.year_span(values)
    figure, summary, wide = _view(context, values["omraader"], values["maal"], span, values["forbind"])
    filename = _filename(context.path_params["indicator_id"], values["maal"], span)
    return {"figure": figure, "filename": filename, "summary": summary, "table": wide}


def _picked(app, context, indicator_id: str, shown_area_set: str | None) -> dict:
    """The answer to a pick of another indicator: the page's parts for its default view, or (no data yet, or not an
    indicator) only the new address, which the router then renders as a page. ``shown_area_set``: the area set of
    the page's area picker (its data-area-set, sent by the page)."""
    from dashboard.pages import render_context

    data = context.data
    pathname = app.get_relative_path("/indikator/" + quote(indicator_id, safe=""))
    kept = _kept_search(context.lang, context.embed)
    areas = areas_with_data(data, indicator_id) if indicator_id in data.dataset.indicators else []
    if not areas:
        # Another page layout (the "no data yet" notice, or the 404 page): the router renders it.
        return {"navigate": {"path": pathname, "search": kept}}
    new = render_context(app, pathname, kept)
    values, lang = new.values, new.lang
    indicator = data.dataset.indicators[indicator_id]
    page = {
        "title": title(new),
        "heading": indicator.name[lang],
        "lead": indicator.definition[lang],
        "cardTitle": indicator.name[lang],
        "definition": definition_spec(new.dataset, indicator, lang, _sources(data, indicator_id)),
    }
    page["areaSet"] = area_set(areas)
    if page["areaSet"] != shown_area_set:
        # The area picker's options only when they change: a dropdown given its options again is drawn again (with
        # every area of the data, 400 at 100x), although it would show the same.
        page["areaOptions"] = [{"label": data.dataset.area_name(a, lang), "value": a} for a in areas]
    return {
        "pathname": pathname,
        "search": urlstate.build_search(values, new.page_params),
        "shown": shown_state(indicator_id, values),
        "view": _chart_parts(new, values),
        "page": page,
    }


class BadRequest(ValueError):
    """A request to the view route that the page never sends (a forged or broken one)."""


def _text_or_none(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"{name} skal være tekst")
    return value


def _request_parts(body: object) -> tuple[str | None, str | None, str | None, str | None, dict]:
    """The view route's body as ``answer`` reads it: pathname, search, picked, areaSet and controls. Raises
    ``BadRequest`` for a body the page never sends."""
    if not isinstance(body, dict):
        raise BadRequest("forespørgslen skal være et JSON-objekt")
    texts = [_text_or_none(body.get(name), name) for name in ("pathname", "search", "picked", "areaSet")]
    controls = body.get("controls")
    if not isinstance(controls, dict):
        raise BadRequest("controls skal være et JSON-objekt")
    return *texts, controls


def pick_key(app, body_bytes: bytes) -> str | None:
    """What the answer to a pick depends on (dashboard.cache keys the view route's answers by it instead of the whole
    body): the indicator picked, what the address keeps (language, embed mode; ``_kept_search``), and whether the
    page's area picker already offers that indicator's areas. Not the view or the indicator it was asked from: every
    reader's pick of one indicator shares one of two cache entries, which dashboard.prepare fills when a data version
    is loaded. None for any other body (keyed by the whole body)."""
    from dashboard.pages import address_kept

    try:
        pathname, search, picked, shown_set, _ = _request_parts(json.loads(body_bytes))
    except (ValueError, RecursionError):  # not JSON, or a body that answer() refuses (BadRequest is a ValueError)
        return None
    if not picked:
        return None  # not a pick
    # The address's path, language and embed mode only (render_context would also work out the shown page's own
    # parameters: a few milliseconds at 100x the first time in a worker, spent before a cached answer is found).
    path_params, lang, embed = address_kept(app, pathname, search)
    if picked == path_params.get("indicator_id", picked):
        return None  # not on an indicator page, or the indicator shown: nothing to answer
    data = app.bosoc_data.get()
    areas = areas_with_data(data, picked) if picked in data.dataset.indicators else []
    same_areas = area_set(areas) == shown_set
    return json.dumps({"picked": picked, "keep": _kept_search(lang, embed), "same_areas": same_areas}, sort_keys=True)


def answer(app, body: object) -> dict:
    """The indicator page's answer to a change of its controls or a pick of another indicator (``VIEW_ROUTE``, asked
    by assets/clientside.js). ``body``: ``{"pathname", "search", "controls": {"areas", "measure", "years",
    "connect", "tab"}, "picked", "areaSet"}``, the page's address, what its controls hold, and with a pick the set of
    areas its area picker offers (data-area-set). The answer (every key optional):

    - ``notice``: the text for the notice under the area picker ("" hides it); with a notice, nothing else changes;
    - ``search`` and ``shown``: the new address's query and the view it shows (``shown_state``);
    - ``view``: the chart card's parts (``_chart_parts``), only when the chart changes (not for a tab);
    - ``pathname`` and ``page``: a pick's new address and the page's texts, definition, area set and (when that set
      differs from the page's) area options;
    - ``navigate``: an address for the router (a pick of an indicator without data).

    {} when there is nothing to change. Raises ``BadRequest`` for a body the page never sends."""
    from dashboard.pages import render_context

    pathname, search, picked, shown_area_set, controls = _request_parts(body)
    area_ids, measure, years = controls.get("areas"), controls.get("measure"), controls.get("years")
    connect, tab = controls.get("connect"), controls.get("tab")
    context = render_context(app, pathname, search)
    if "indicator_id" not in context.path_params:
        return {}  # the page has left (a late answer), or a forged address
    lang = context.lang
    if picked is not None:
        if not picked or picked == context.path_params["indicator_id"]:
            return {}
        return {"notice": ""} | _picked(app, context, picked, shown_area_set)
    # More areas than an address may carry (urlstate.MAX_LIST_ITEMS; only with that many areas in the data): said
    # under the area picker, and the view stays as it is.
    message = limit_message(lang, {t("indicator.pick_areas", lang): area_ids})
    if message:
        return {"notice": message}
    if not isinstance(area_ids, list) or not all(isinstance(a, str) for a in area_ids):
        raise BadRequest("areas skal være en liste af tekster")
    if not area_ids:
        return {"notice": t("indicator.no_areas_selected", lang)}  # the view stays until an area is chosen
    if not isinstance(years, list) or len(years) != 2 or not all(isinstance(y, int | str) for y in years):
        raise BadRequest("years skal være to år")
    if not all(isinstance(v, str) for v in (measure, tab)) or not isinstance(connect, bool):
        raise BadRequest("measure og tab skal være tekst, connect sand eller falsk")
    candidate = {
        "omraader": ",".join(area_ids),
        "maal": measure,
        "fra": str(years[0]),
        "til": str(years[1]),
        "fane": tab,
        "forbind": "1" if connect else "0",
    }
    clean, ignored = urlstate.parse_query({k: v for k, v in candidate.items() if v}, context.page_params)
    if ignored:
        return {}  # a value the controls do not offer (only a forged request sends one): the view stays
    values = dict(context.values, **{k: clean[k] for k in candidate})
    values["fra"], values["til"] = common.year_span(values)  # a range chosen backwards: in order in the address too
    new_search = urlstate.build_search(values, context.page_params)
    indicator_id = context.path_params["indicator_id"]
    shown = shown_state(indicator_id, values)
    result = {"notice": "", "search": new_search, "shown": shown}
    if shown | {"tab": ""} != shown_state(indicator_id, context.values) | {"tab": ""}:
        result["view"] = _chart_parts(context, values)
    return result


def register(app) -> None:
    from dashboard.pages import render_context

    # The page's controls are wired in assets/clientside.js (``indicatorView``), not by a Dash callback with outputs:
    # a change posts the page's address and controls to VIEW_ROUTE, and the answer's parts are handed to the page's
    # components with set_props (so Dash's state is what the page shows). Why (bench/run.py, interaction rows): Dash
    # marks every declared output of a running server callback as loading and applies each, which on this page (21
    # outputs, for a pick) cost more than the server's answer; a clientside callback with no outputs costs neither,
    # and only the parts that change are set. Picking another indicator is answered the same way (heading, texts,
    # controls, chart and tables in place, and the new address written, which does not make the router render the
    # page again: see pages/__init__): the result is exactly the page that the new address shows when opened
    # (tests/browser/test_paths.py). An indicator without data (another page layout) is sent to the router.
    app.clientside_callback(
        ClientsideFunction("bosoc", "indicatorView"),
        Input("indicator-areas", "value"),
        Input("indicator-measure", "value"),
        Input("indicator-years-from", "value"),
        Input("indicator-years-to", "value"),
        Input("indicator-connect", "value"),
        Input("indicator-tabs", "active_tab"),
        Input("indicator-picker", "value"),
        State(VIEW_ID, "data-shown"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )

    route = app.bosoc_settings.url_prefix + VIEW_ROUTE
    app.bosoc_cached_routes = (*getattr(app, "bosoc_cached_routes", ()), route)  # every answer (dashboard.cache)
    app.bosoc_cache_keys = {**getattr(app, "bosoc_cache_keys", {}), route: lambda body: pick_key(app, body)}

    @app.server.route(route, methods=["POST"])
    def indicator_view():
        try:
            body = flask.request.get_json(silent=True)
        except RecursionError:  # '[[[[...' nested deeper than the parser can go
            body = None
        try:
            result = answer(app, body)
        except BadRequest as error:
            return flask.Response(
                json.dumps({"error": f"Ugyldig forespørgsel: {error}"}, ensure_ascii=False),
                status=400,
                mimetype="application/json",
            )
        return flask.Response(to_json_plotly(result), mimetype="application/json")

    @app.callback(
        Output("indicator-map-host", "children"),
        Output("indicator-map-host", "data-filled"),
        Input("indicator-tabs", "active_tab"),
        State("indicator-map-host", "data-filled"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def fill_map(tab, filled, pathname, search):
        if tab != "kort" or filled:
            raise PreventUpdate  # another tab, or the map is already there
        context = render_context(app, pathname, search)
        if "indicator_id" not in context.path_params:
            raise PreventUpdate
        return _map_tab(context), "1"
