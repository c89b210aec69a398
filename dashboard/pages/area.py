"""Område (/omraade/<area_id>): a steering group's own page.

Every indicator with data for the area as a time series against Aarhus Kommune (and all helhedsplan areas
together, labelled as the analysis layer labels it), as level, index or gap; a year range; the initiatives in the
area; and the area's state-list history with the criteria evaluated against that year's rules.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, set_props
from dash.exceptions import PreventUpdate

from dashboard import urlstate
from dashboard.analysis import criteria as crit
from dashboard.analysis import series as ser
from dashboard.components.chart import (
    chart_card,
    chart_view,
    definition_block,
    source_text,
    table,
    table_host,
    table_spec,
)
from dashboard.components.controls import year_range
from dashboard.components.links import link
from dashboard.data import periods
from dashboard.data.store import BENCHMARK_AREA_ID
from dashboard.i18n import catalogue, t
from dashboard.i18n.numbers import format_number, format_value
from dashboard.pages import common

PATH = "/omraade/<area_id>"
GROUP_ORDER = ("bosocdata", "befolkning", "statsliste", "aarhus-monitorering", "kategoriseringsmodel")


def valid_path(data, area_id: str) -> bool:
    return area_id in set(data.dataset.areas["id"]) and area_id != BENCHMARK_AREA_ID


def params(data, area_id: str = "") -> list[urlstate.Param]:
    low, high = common.data_year_bounds(data)
    # The default range is the years with data for this area (or its benchmark); any year in the data may be asked for.
    own = data.select(area_id=area_id)
    first, last = (int(own["year"].min()), int(own["year"].max())) if len(own) else (low, high)
    return [
        urlstate.Param("maal", "niveau", urlstate.choice(common.MEASURES)),
        urlstate.Param("fra", first, urlstate.year(low, high)),
        urlstate.Param("til", last, urlstate.year(low, high)),
        urlstate.Param("forbind", False, urlstate.flag),
    ]


def title(context) -> str:
    return context.dataset.area_name(context.path_params["area_id"], context.lang)


def indicators_for_area(data, area_id: str) -> list[str]:
    """Indicators with at least one row (shown or suppressed) for the area, in catalogue order."""
    present = set(data.select(area_id=area_id)["indicator_id"])
    return [i for i in data.dataset.indicators if i in present]


def _chart_content(context, indicator_id: str, measure: str, years: tuple[int, int], connect: bool) -> dict:
    """What a control change updates in one chart card: figure, download name, summary and its note, and table (as
    its spec): the card's part of ``components.chart.chart_view``."""
    data, lang = context.data, context.lang
    area_id = context.path_params["area_id"]
    indicator = data.dataset.indicators[indicator_id]
    figure, _columns, table_years, rows, notes = common.chart_parts(
        data,
        indicator,
        [area_id],
        lang,
        measure,
        years,
        connect,
        include_aggregate=indicator_id in common.HEADLINE_INDICATORS,
        height=360,
    )
    return {
        "figure": figure,
        "filename": common.slug_filename(indicator_id, area_id, measure, f"{years[0]}-{years[1]}"),
        "summary": common.summary_for(data, indicator, area_id, lang, years),
        "note": t("area.aggregate_note", lang, method=notes[0]["note"]) if notes else None,
        "table": table_spec(
            [t("common.area", lang), *table_years],
            rows,
            caption=f"{indicator.name[lang]} – {context.dataset.area_name(area_id, lang)}",
        ),
    }


def _chart(context, indicator_id: str, measure: str, years: tuple[int, int], connect: bool):
    data, lang = context.data, context.lang
    area_id = context.path_params["area_id"]
    indicator = data.dataset.indicators[indicator_id]
    content = _chart_content(context, indicator_id, measure, years, connect)
    used_sources = sorted({r.source_id for a in (area_id, BENCHMARK_AREA_ID) for r in data.records(indicator_id, a)})
    return chart_card(
        graph_id={"type": "area-graph", "index": indicator_id},
        figure=content["figure"],
        filename=content["filename"],
        title=indicator.name[lang],
        summary=[content["summary"], html.Br(), html.Small(content["note"])] if content["note"] else content["summary"],
        table_component=table_host(content["table"]),
        definition=definition_block(context.dataset, indicator, lang, used_sources),
        lang=lang,
        view_key=indicator_id,
    )


def charts(context, measure: str, years: tuple[int, int], connect: bool) -> list:
    data, lang = context.data, context.lang
    area_id = context.path_params["area_id"]
    ids = indicators_for_area(data, area_id)
    if not ids:
        return [html.P(t("area.no_indicators", lang))]
    blocks = []
    for group in GROUP_ORDER + tuple(sorted({data.dataset.indicators[i].group for i in ids} - set(GROUP_ORDER))):
        in_group = [i for i in ids if data.dataset.indicators[i].group == group]
        if not in_group:
            continue
        label_key = f"area.group_{group}"
        label = t(label_key, lang) if label_key in catalogue() else group
        blocks.append(html.H2(label, className="h4 mt-4 indicator-group"))
        blocks.append(dbc.Row([dbc.Col(_chart(context, i, measure, years, connect), xl=6) for i in in_group]))
    return blocks


def _initiatives(context) -> html.Section:
    lang, area_id = context.lang, context.path_params["area_id"]
    initiatives = [i for i in context.dataset.strategy.get("initiatives", []) if area_id in (i.get("area_ids") or [])]
    items = [
        html.Li(
            [
                html.Strong(i["name"] if isinstance(i["name"], str) else i["name"][lang]),
                ": ",
                i["description"][lang],
                " ",
                html.Small(["(", source_text(context.dataset, i["source_id"], lang), ")"]),
            ]
        )
        for i in initiatives
    ]
    return html.Section(
        [
            html.H2(t("area.initiatives_title", lang), className="h4"),
            html.Ul(items) if items else html.P(t("area.initiatives_none", lang)),
            html.P(link(t("area.initiatives_more", lang), f"/strategi?omraade={area_id}", lang)),
        ],
        className="mb-4",
    )


# State-list evaluations (area, year) kept per data version: every year of the areas a board opens.
CRITERIA_KEPT = 256


def _criteria_tables(context, years_with_values: list[int]) -> list:
    lang, area_id, dataset = context.lang, context.path_params["area_id"], context.dataset
    blocks = []
    for year in years_with_values:
        # Once per data version, area and year: the same evaluation on every load of the page.
        evaluation = context.data.memo(
            ("criteria", area_id, year),
            lambda year=year: crit.evaluate(
                context.data.select(area_id=area_id, shown=True), dataset.criteria, area_id, year
            ),
            limit=CRITERIA_KEPT,
        )
        for result in evaluation.rulesets:
            rows = []
            for criterion in result.criteria:
                indicator = dataset.indicators.get(criterion.indicator_id)
                unit = indicator.unit if indicator else "pct"
                decimals = indicator.decimals if indicator else 1
                rows.append(
                    [
                        indicator.name[lang] if indicator else criterion.indicator_id,
                        format_value(criterion.value, unit, decimals, lang),
                        (criterion.operator + " " + format_value(criterion.threshold, unit, decimals, lang))
                        if criterion.threshold is not None
                        else criterion.threshold_note.get(lang, "–"),
                        format_number(criterion.distance, decimals, lang) if criterion.distance is not None else "–",
                        t({True: "area.met_yes", False: "area.met_no", None: "area.met_unknown"}[criterion.met], lang),
                    ]
                )
            status_key = {crit.STATUS_MET: "area.designation_met", crit.STATUS_NOT_MET: "area.designation_not_met"}.get(
                result.designation_status, "area.designation_unknown"
            )
            blocks += [
                html.H3(
                    t("area.criteria_title", lang, year=year, designation=result.designation[lang]), className="h6 mt-3"
                ),
                html.Div(
                    table(
                        [
                            t("area.col_criterion", lang),
                            t("common.value", lang),
                            t("area.col_threshold", lang),
                            t("area.col_distance", lang),
                            t("area.col_met", lang),
                        ],
                        rows,
                        stack_narrow=True,  # on a phone each criterion is a block of labelled lines
                    ),
                    className="table-responsive",
                ),
                html.P(
                    t(status_key, lang, met=result.met_count, unknown=result.unknown_count), className="fw-semibold"
                ),
            ]
    return blocks


def _state_lists(context) -> html.Section:
    lang, area_id, dataset = context.lang, context.path_params["area_id"], context.dataset
    lists = dataset.state_lists[dataset.state_lists["area_id"] == area_id].sort_values("year")
    rows = [
        [
            str(r["year"]),
            r["list_name"],
            t(f"overview.status_{r['status']}", lang) + (f" ({r['designation']})" if r["designation"] else ""),
            source_text(dataset, r["source_id"], lang),
        ]
        for r in lists.to_dict("records")
    ]
    own = context.data.select(area_id=area_id)
    criteria_years = sorted(
        {
            int(y)
            for y, indicator_id in zip(own["year"], own["indicator_id"], strict=True)
            if indicator_id.startswith("sl-")
        }
    )
    body = (
        [
            html.Div(
                table(
                    [
                        t("overview.col_list_year", lang),
                        "Liste" if lang == "da" else "List",
                        t("overview.col_list_status", lang),
                        t("common.source", lang),
                    ],
                    rows,
                    numeric_from=99,
                    stack_narrow=True,  # on a phone each list is a block of labelled lines, not a sideways scroll
                ),
                className="table-responsive",
            )
        ]
        if rows
        else [html.P(t("area.state_lists_none", lang))]
    )
    if criteria_years:
        body += [html.P(t("area.criteria_intro", lang), className="mt-3"), *_criteria_tables(context, criteria_years)]
    return html.Section([html.H2(t("area.state_lists_title", lang), className="h4"), *body], className="mb-4")


def _facts(context) -> html.Div:
    lang, area_id, dataset, data = context.lang, context.path_params["area_id"], context.dataset, context.data
    area = dataset.areas[dataset.areas["id"] == area_id].iloc[0]
    residents = ser.latest(data.select(area_id=area_id, indicator_id="beboere", shown=True), area_id, "beboere")
    parts = [html.Span(t(f"area.kind_{area['kind']}", lang), className="badge text-bg-secondary me-2")]
    if residents:
        parts.append(
            html.Span(
                t(
                    "area.residents",
                    lang,
                    value=format_value(residents[1], "persons", 0, lang),
                    year=periods.label(residents[0], lang),
                ),
                className="me-3",
            )
        )
    if area["housing_organisations"]:
        parts.append(
            html.Span(
                [
                    t("area.housing_organisations", lang, names=area["housing_organisations"].replace(";", ", ")),
                    " (",
                    source_text(dataset, area["housing_organisations_source_id"], lang),
                    ")",
                ]
            )
        )
    return html.P(parts, className="area-facts")


def _controls(context, measure: str, years: tuple[int, int], connect: bool) -> dbc.Card:
    lang = context.lang
    low, high = common.data_year_bounds(context.data)
    return dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("common.measure", lang), html_for="area-measure"),
                            dbc.RadioItems(
                                id="area-measure",
                                value=measure,
                                inline=True,
                                options=[
                                    {"label": t(f"common.measure_{m}", lang), "value": m} for m in common.MEASURES
                                ],
                            ),
                        ],
                        lg=6,
                    ),
                    dbc.Col(
                        [
                            html.Span(t("common.years", lang), className="form-label d-block"),
                            year_range(lang, id="area-years", low=low, high=high, value=list(years)),
                        ],
                        lg=4,
                    ),
                    dbc.Col(dbc.Checkbox(id="area-connect", value=connect, label=t("area.connect_gaps", lang)), lg=2),
                ],
                className="g-3",
            )
        ),
        className="mb-3 controls no-print",
    )


def layout(context) -> html.Div:
    lang, values = context.lang, context.values
    area_id = context.path_params["area_id"]
    years = common.year_span(values)
    name = context.dataset.area_name(area_id, lang)
    return html.Div(
        [
            html.H1(name),
            _facts(context),
            html.P(t("area.lead", lang, area=name), className="lead"),
            _controls(context, values["maal"], years, values["forbind"]),
            html.P(
                t("area.connect_gaps_note", lang),
                className="small text-muted",
                hidden=not values["forbind"],
                id="area-connect-note",
            ),
            # Each chart's summary is a live region of its own (components.chart): a control change updates the charts
            # in place, and a screen reader reads the summaries that changed.
            html.Div(charts(context, values["maal"], years, values["forbind"]), id="area-charts", **{"data-view": ""}),
            dbc.Row([dbc.Col(_initiatives(context), lg=5), dbc.Col(_state_lists(context), lg=7)], className="mt-4"),
        ]
    )


def register(app) -> None:
    from dashboard.pages import render_context

    # A control change updates every chart card in place (figure, download name, summary, table), in one answer for
    # all of them (components.chart.chart_view): plotly.js redraws the mounted charts instead of drawing new ones, the
    # charts on the screen first, and the cards' other parts (title, definition, sources) do not depend on the
    # controls. The answer holds the area's indicators (``indicators_for_area``); a card it does not hold (a page from
    # before a data import) is left as it is.
    @app.callback(
        Output("area-charts", "data-view"),
        Output("area-connect-note", "hidden"),
        Output("url", "search", allow_duplicate=True),
        Input("area-measure", "value"),
        Input("area-years-from", "value"),
        Input("area-years-to", "value"),
        Input("area-connect", "value"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def update(measure, year_from, year_to, connect, pathname, search):
        context = render_context(app, pathname, search)
        if context is None or "area_id" not in context.path_params:
            raise PreventUpdate
        page_params = context.page_params
        candidate = {
            "maal": measure,
            "fra": year_from if isinstance(year_from, str) else "",
            "til": year_to if isinstance(year_to, str) else "",
            "forbind": "1" if connect else "0",
        }
        clean, ignored = urlstate.parse_query({k: v for k, v in candidate.items() if v}, page_params)
        if ignored:
            raise PreventUpdate
        values = dict(context.values, **{k: clean[k] for k in ("maal", "fra", "til", "forbind")})
        if values["fra"] > values["til"]:  # a range chosen backwards: the selects and the address show it in order
            values["fra"], values["til"] = common.year_span(values)
            set_props("area-years-from", {"value": str(values["fra"])})
            set_props("area-years-to", {"value": str(values["til"])})
        new_search = urlstate.build_search(values, page_params)
        if new_search == (search or ""):
            # The page already shows this view: Dash calls this callback when the router inserts the controls,
            # and drawing every chart a second time doubled the page's load time.
            raise PreventUpdate
        span = common.year_span(values)
        indicator_ids = indicators_for_area(context.data, context.path_params["area_id"])
        view = {i: _chart_content(context, i, values["maal"], span, values["forbind"]) for i in indicator_ids}
        return chart_view(view), not values["forbind"], new_search
