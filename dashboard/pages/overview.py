"""Overblik (/): the board's one-page answer to "how are the seven areas doing against Aarhus Kommune?".

Big numbers for the two headline indicators (latest value, change since the first year, gap to the municipality),
the map, the report's headline statements with their source, and each area's latest known state-list status.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard import urlstate
from dashboard.analysis import series as ser
from dashboard.components import mapview
from dashboard.components.chart import source_text, table
from dashboard.components.links import link
from dashboard.data import periods
from dashboard.data.store import BENCHMARK_AREA_ID
from dashboard.i18n import t
from dashboard.i18n.numbers import format_change_percent, format_change_points, format_value
from dashboard.pages import common

PATH = "/"


def params(data) -> list[urlstate.Param]:
    indicators = mapview.map_indicator_ids(data)
    low, high = common.data_year_bounds(data)
    return [
        urlstate.Param("indikator", "skolefravaer", urlstate.choice(indicators)),
        urlstate.Param("aar", None, urlstate.year(low, high)),
        urlstate.Param("maal", "niveau", urlstate.choice(("niveau", "aendring"))),
    ]


def title(context) -> str:
    return t("overview.title", context.lang)


def _kpi_values(data, indicator_id: str) -> tuple[list[tuple], list[str]]:
    """Per area (helhedsplan areas, then Aarhus Kommune): (area_id, latest (period, value) or None, change or None,
    gap to Aarhus Kommune in the same period or None); and the ids of the sources of every value used. Once per data
    version: the overview computes it on every load."""

    def compute():
        areas = [*common.helhedsplan_area_ids(data.dataset), BENCHMARK_AREA_ID]
        # Only the rows of the areas in the table: filtering a handful of rows, however large the extract.
        observations = pd.concat([data.select(indicator_id=indicator_id, area_id=a, shown=True) for a in areas])
        values = []
        shown: set[tuple[str, float]] = set()  # (area, period) of every value the table uses
        for area_id in areas:
            latest = ser.latest(observations, area_id, indicator_id)
            change = ser.change(observations, area_id, indicator_id)
            if change:
                shown |= {(area_id, change.from_year), (area_id, change.to_year)}
            gap = None
            if latest:
                shown.add((area_id, latest[0]))
            if latest and area_id != BENCHMARK_AREA_ID:
                benchmark = ser.value_at(observations, BENCHMARK_AREA_ID, indicator_id, latest[0])
                gap = None if benchmark is None else latest[1] - benchmark
                if benchmark is not None:
                    shown.add((BENCHMARK_AREA_ID, latest[0]))
            values.append((area_id, latest, change, gap))
        used = [
            str(source_id)
            for area_id, period, source_id in zip(
                observations["area_id"], observations["period"], observations["source_id"], strict=True
            )
            if (area_id, float(period)) in shown
        ]
        return values, list(dict.fromkeys(used))

    return data.memo(("kpi", indicator_id), compute)


def _kpi_table(context, indicator_id: str) -> html.Div:
    data, lang = context.data, context.lang
    indicator = data.dataset.indicators[indicator_id]
    values, source_ids = _kpi_values(data, indicator_id)
    rows = []
    first_years = {change.from_year for _area_id, _latest, change, _gap in values if change}
    for area_id, latest, change, gap in values:
        name = data.dataset.area_name(area_id, lang)
        rows.append(
            [
                link(name, f"/omraade/{area_id}", lang) if area_id != BENCHMARK_AREA_ID else html.Span(name),
                html.Span(
                    [
                        html.Span(
                            format_value(latest[1], indicator.unit, indicator.decimals, lang) if latest else "–",
                            className="kpi-big",
                        ),
                        html.Span(f" ({periods.label(latest[0], lang)})" if latest else "", className="kpi-year"),
                    ]
                ),
                html.Span(
                    [
                        html.Span(
                            format_change_points(change.points, lang, indicator.decimals, short=True) if change else "–"
                        ),
                        html.Br(),
                        html.Small(format_change_percent(change.relative_pct, lang) if change else ""),
                    ]
                ),
                html.Span(
                    format_change_points(gap, lang, indicator.decimals, short=True) if gap is not None else "–",
                    className="kpi-gap",
                ),
            ]
        )
    from_year = periods.long_label(min(first_years), lang) if first_years else ""
    caption = t("overview.kpi_caption", lang, indicator=indicator.name[lang], from_year=from_year)
    header = [
        t("common.area", lang),
        t("overview.col_latest", lang),
        t("overview.col_change", lang),
        t("overview.col_gap", lang),
    ]
    return dbc.Card(
        [
            dbc.CardHeader(
                html.H2(link(indicator.name[lang], f"/indikator/{indicator_id}", lang), className="h4 mb-0")
            ),
            dbc.CardBody(
                [
                    html.Div(
                        table(header, rows, caption=caption, stack_narrow=True), className="table-responsive kpi-table"
                    ),
                    html.P(
                        [t("common.source", lang), ": ", *_sources(data, source_ids, lang)],
                        className="source-line",
                    ),
                ]
            ),
        ],
        className="mb-4 kpi-card",
    )


def _sources(data, source_ids: list[str], lang: str) -> list:
    """The sources of the values in the table (every value there is a published number with its own source: an
    import of new figures brings their source here); "–" when the table is empty."""
    parts: list = []
    for source_id in source_ids:
        parts += [*(["; "] if parts else []), source_text(data.dataset, source_id, lang)]
    return parts or ["–"]


def _statements(context) -> html.Section:
    lang = context.lang
    items = []
    for statement in context.dataset.statements:
        note = statement.get("note")
        items.append(
            html.Figure(
                [
                    html.Blockquote(html.P(statement["text"][lang]), className="blockquote"),
                    html.Figcaption(
                        [
                            source_text(context.dataset, statement["source_id"], lang),
                            html.Br() if note else None,
                            html.Small(note[lang]) if note else None,
                        ],
                        className="blockquote-footer mt-1",
                    ),
                ],
                className="statement",
            )
        )
    return html.Section(
        [
            html.H2(t("overview.statements_title", lang), className="h3", id="statements"),
            html.P(t("overview.statements_intro", lang)),
            *items,
        ],
        className="mb-4",
        **{"aria-labelledby": "statements"},
    )


def _state_lists(context) -> html.Section:
    lang, dataset = context.lang, context.dataset
    lists = dataset.state_lists
    rows = []
    helhedsplan = common.helhedsplan_area_ids(dataset)
    # Other almene areas only where a state list names them: a full extract has hundreds of almene areas, and a
    # row of "unknown" for each would bury the ones the board watches.
    listed_almen = dataset.areas.loc[
        (dataset.areas["kind"] == "almen") & dataset.areas["id"].isin(set(lists["area_id"]))
    ]
    for area_id in helhedsplan + list(listed_almen["id"]):
        area_rows = lists[lists["area_id"] == area_id].sort_values("year")
        name = dataset.area_name(area_id, lang)
        name_cell = link(name, f"/omraade/{area_id}", lang) if area_id in helhedsplan else name
        if area_rows.empty:
            rows.append([name_cell, t("overview.status_unknown", lang), "–"])
            continue
        latest = area_rows.iloc[-1]
        status = t(f"overview.status_{latest['status']}", lang)
        if latest["designation"]:
            status += f" ({latest['designation']})"
        rows.append(
            [name_cell, f"{latest['year']}: {status}", source_text(dataset, latest["source_id"], lang, short=True)]
        )
    header = [
        t("common.area", lang),
        t("overview.col_list_status", lang),
        t("overview.col_list_source", lang),
    ]
    return html.Section(
        [
            html.H2(t("overview.state_list_title", lang), className="h3"),
            html.P(t("overview.state_list_intro", lang)),
            html.Div(table(header, rows, numeric_from=99, stack_narrow=True), className="table-responsive"),
        ],
        className="mb-4",
    )


def layout(context) -> html.Div:
    lang, values = context.lang, context.values
    return html.Div(
        [
            html.H1(t("overview.title", lang)),
            html.P(t("overview.lead", lang), className="lead"),
            dbc.Row(
                [
                    dbc.Col(_kpi_table(context, i), width=12)
                    for i in common.HEADLINE_INDICATORS
                    if i in context.dataset.indicators
                ]
            ),
            mapview.map_block(context, "overview", values["indikator"], values["aar"], values["maal"]),
            dbc.Row([dbc.Col(_statements(context), lg=6), dbc.Col(_state_lists(context), lg=6)]),
        ]
    )


def register(app) -> None:
    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input({"type": "map-indicator", "page": "overview"}, "value"),
        Input({"type": "map-year", "page": "overview"}, "value"),
        Input({"type": "map-measure", "page": "overview"}, "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def write_url(indicator_id, year, measure, search):
        """The map's choices go into the address bar, so a copied link reopens the same map."""
        data = app.bosoc_data.get()
        page_params = params(data)
        values, _ = urlstate.parse_query(urlstate.split_search(search), page_params)
        candidate = {"indikator": indicator_id, "aar": str(year) if year else "", "maal": measure}
        clean, ignored = urlstate.parse_query({k: v for k, v in candidate.items() if v}, page_params)
        if ignored:
            raise PreventUpdate
        values.update({k: clean[k] for k in candidate})
        new_search = urlstate.build_search(values, page_params)
        if new_search == (search or ""):
            raise PreventUpdate
        return new_search
