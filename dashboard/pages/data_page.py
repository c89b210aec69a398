"""Data og kilder (/data): every public figure as a table, downloads, indicator definitions, sources, import template.

The secretariat's page for "where does this number come from?": the full public (suppressed) data with filters kept
in the URL (``omraader``, ``indikator``, ``fra``, ``til``), CSV and XLSX downloads of the current selection or of
everything, every indicator's definition (also those without data yet), the sources with their licences, the data
version, and the template and commands for importing new figures. The files are built by :mod:`dashboard.downloads`.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import downloads, urlstate
from dashboard.components.chart import definition_block, rich_table_spec, source_rows, table_host
from dashboard.components.controls import dropdown, limit_message, limit_notice, set_limit_notice
from dashboard.components.tree import tree_host
from dashboard.data import periods
from dashboard.i18n import catalogue, t
from dashboard.i18n.numbers import format_number, format_value, is_missing
from dashboard.pages import common

PATH = "/data"
# The table shows at most this many rows; the downloads always hold every matching row.
MAX_TABLE_ROWS = 200
FILTER_IDS = ("data-areas", "data-indicators", "data-from", "data-to")
NOTICE_ID = "data-filter-notice"  # more areas or indicators chosen than an address can carry
DOWNLOAD_BUTTONS = {
    "data-download-csv-shown": ("csv", "visning"),
    "data-download-xlsx-shown": ("xlsx", "visning"),
    "data-download-csv-all": ("csv", "alle"),
    "data-download-xlsx-all": ("xlsx", "alle"),
}
TEMPLATE_BUTTON = "data-download-template"
OBSERVATION_COLUMNS = (
    "col_area",
    "col_indicator",
    "col_year",
    "col_value",
    "col_numerator",
    "col_denominator",
    "col_source",
    "col_note",
)
SOURCE_COLUMNS = ("col_title", "col_publisher", "col_year", "col_licence", "col_note")
NUMERIC_COLUMNS = {"col_year", "col_value", "col_numerator", "col_denominator"}
COLUMN_WIDTHS = {
    "col_indicator": "12rem",
    "col_source": "10rem",
    "col_note": "16rem",
    "col_title": "14rem",
    "col_licence": "10rem",
    "col_publisher": "10rem",
}


def params(data) -> list[urlstate.Param]:
    low, high = common.data_year_bounds(data)
    return [
        urlstate.Param("omraader", (), urlstate.id_list(data.dataset.areas["id"])),
        urlstate.Param("indikator", (), urlstate.id_list(data.dataset.indicators)),
        urlstate.Param("fra", None, urlstate.year(low, high)),
        urlstate.Param("til", None, urlstate.year(low, high)),
    ]


def title(context) -> str:
    return t("data.title", context.lang)


def _filtered(data, values: dict):
    return downloads.filter_observations(
        data.observations, values["omraader"], values["indikator"], values["fra"], values["til"]
    )


# --- the data table -----------------------------------------------------------------------------------------------


def _source_cell(dataset, source_id: str) -> str | dict:
    row = source_rows(dataset).get(source_id)
    if row is None:
        return source_id
    # "Årsskrift 2018 (2018)" says the year twice; other titles need it to tell editions apart.
    label = row["title"] if str(row["year"]) in row["title"] else f"{row['title']} ({row['year']})"
    return {"text": label, "href": row["url"]} if row["url"] else label


def observation_rows(data, rows: pd.DataFrame, lang: str, suppression_limit: int) -> list[dict]:
    """Table rows as shown (``components.chart.rich_table_spec``): Danish-formatted values with unit; a suppressed
    value is "–" with its reason (on hover, and in bold in the note)."""
    dataset = data.dataset
    out = []
    for row in downloads.sorted_observations(rows, dataset).to_dict("records"):
        indicator = dataset.indicators[row["indicator_id"]]
        note = "" if is_missing(row["note"]) else str(row["note"])
        if row["suppressed"]:
            reason = downloads.reason_text(str(row["suppression_reason"]), lang, suppression_limit)
            value_cell = {"text": "–", "title": reason}
            note_cell = {"strong": t("data.suppressed_note", lang, reason=reason), "text": note}
            numerator = denominator = ""
        else:
            value_cell = format_value(row["value"], indicator.unit, indicator.decimals, lang)
            note_cell = note
            numerator = "" if is_missing(row["numerator"]) else format_number(row["numerator"], 0, lang)
            denominator = "" if is_missing(row["denominator"]) else format_number(row["denominator"], 0, lang)
        out.append(
            {
                "cells": [
                    dataset.area_name(row["area_id"], lang),
                    indicator.name[lang],
                    periods.label(row["period"], lang),
                    value_cell,
                    numerator,
                    denominator,
                    _source_cell(dataset, row["source_id"]),
                    note_cell,
                ],
                "className": "suppressed-row" if row["suppressed"] else "",
                "attrs": {"data-indicator": row["indicator_id"], "data-area": row["area_id"]},
            }
        )
    return out


def data_table(data, values: dict, lang: str, suppression_limit: int) -> list:
    """The count line and the table for the filters in ``values`` (at most ``MAX_TABLE_ROWS`` rows). The table is one
    element carrying its rows as JSON (``rich_table_spec``): as about 1.000 Dash components, a filter change that
    showed the real data's 80 rows took 3,9 s in the browser, and 200 rows 9,5 s."""
    matching = _filtered(data, values)
    total = len(data.observations)
    if matching.empty:
        return [html.P(t("data.no_rows", lang), className="data-count", role="status")]
    shown = downloads.sorted_observations(matching, data.dataset).head(MAX_TABLE_ROWS)
    if len(matching) > MAX_TABLE_ROWS:
        count = t("data.count_capped", lang, shown=len(shown), matching=len(matching), total=total)
    else:
        count = t("data.count", lang, shown=len(shown), total=total)
    spec = rich_table_spec(
        [t(f"data.{key}", lang) for key in OBSERVATION_COLUMNS],
        observation_rows(data, shown, lang, suppression_limit),
        class_name="table table-sm table-striped data-table observations-table stack-narrow",
        caption=t("data.table_caption", lang),
        table_id="data-observations",
        numeric=tuple(i for i, key in enumerate(OBSERVATION_COLUMNS) if key in NUMERIC_COLUMNS),
        widths={i: COLUMN_WIDTHS[key] for i, key in enumerate(OBSERVATION_COLUMNS) if key in COLUMN_WIDTHS},
        cell_classes={OBSERVATION_COLUMNS.index("col_note"): "note-cell"},
    )
    return [
        html.P(count, className="data-count", role="status"),
        html.Div(
            table_host(spec),
            className="table-responsive",
            tabIndex="0",
            role="region",
            **{"aria-label": t("data.table_region", lang)},
        ),
    ]


def _filters(context) -> html.Div:
    data, lang, values = context.data, context.lang, context.values
    dataset = data.dataset
    present = set(data.observations["indicator_id"])
    area_options = [{"label": dataset.area_name(a, lang), "value": a} for a in dataset.areas["id"]]
    indicator_options = [
        {
            "label": indicator.name[lang] + ("" if indicator.id in present else f" ({t('common.no_data_yet', lang)})"),
            "value": indicator.id,
        }
        for indicator in dataset.indicators.values()
    ]
    years = sorted({int(y) for y in data.observations["year"]})
    year_options = [{"label": str(y), "value": y} for y in years]

    def field(label_key: str, control, **width) -> dbc.Col:
        # Dash 4's dropdown keeps an invisible, fixed-width focus input that pokes out of a narrow column and
        # makes the whole page scroll sideways on a phone; clipping sideways (not downwards) keeps the menu.
        return dbc.Col(
            [dbc.Label(t(label_key, lang), html_for=control.id), control], style={"overflowX": "clip"}, **width
        )

    return html.Div(
        [
            html.H3(t("data.filters_label", lang), className="h5", id="data-filters-title"),
            dbc.Row(
                [
                    field(
                        "data.filter_areas",
                        dropdown(
                            lang,
                            id="data-areas",
                            options=area_options,
                            value=list(values["omraader"]),
                            multi=True,
                            placeholder=t("data.filter_all_areas", lang),
                        ),
                        lg=4,
                        md=6,
                    ),
                    field(
                        "data.filter_indicators",
                        dropdown(
                            lang,
                            id="data-indicators",
                            options=indicator_options,
                            value=list(values["indikator"]),
                            multi=True,
                            placeholder=t("data.filter_all_indicators", lang),
                        ),
                        lg=4,
                        md=6,
                    ),
                    field(
                        "data.filter_from",
                        dropdown(
                            lang,
                            id="data-from",
                            options=year_options,
                            value=values["fra"],
                            clearable=True,
                            searchable=False,
                            placeholder=t("data.filter_first_year", lang),
                        ),
                        lg=2,
                        xs=6,
                    ),
                    field(
                        "data.filter_to",
                        dropdown(
                            lang,
                            id="data-to",
                            options=year_options,
                            value=values["til"],
                            clearable=True,
                            searchable=False,
                            placeholder=t("data.filter_last_year", lang),
                        ),
                        lg=2,
                        xs=6,
                    ),
                ],
                className="g-3",
            ),
            limit_notice(NOTICE_ID),
            html.P(t("data.filter_hint", lang), className="form-text mb-0"),
        ],
        className="data-filters no-print mb-3",
        role="group",
        **{"aria-labelledby": "data-filters-title"},
    )


def _table_section(context) -> html.Section:
    lang = context.lang
    return html.Section(
        [
            html.H2(t("data.section_table", lang), id="tabel", className="h3"),
            _filters(context),
            _downloads_block(context),
            html.Div(
                data_table(context.data, context.values, lang, context.settings.suppression_limit),
                id="data-table",
                **{"aria-live": "polite"},
            ),
        ],
        className="mb-5",
    )


# --- downloads ----------------------------------------------------------------------------------------------------


def _button(button_id: str, label_key: str, lang: str, primary: bool = False) -> html.Button:
    style = "btn-primary" if primary else "btn-outline-primary"
    return html.Button(t(label_key, lang), id=button_id, n_clicks=0, type="button", className=f"btn {style} me-2 mb-2")


def _downloads_block(context) -> html.Div:
    """The download buttons sit between the filters and the table: "as shown" means exactly that table."""
    lang = context.lang
    return html.Div(
        [
            html.H3(t("data.section_downloads", lang), id="hent", className="h5"),
            html.P(t("data.downloads_intro", lang), className="small mb-1"),
            html.Ul(
                [html.Li(t("data.downloads_csv_format", lang)), html.Li(t("data.downloads_xlsx_format", lang))],
                className="small",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H4(t("data.downloads_shown_label", lang), className="h6"),
                            _button("data-download-csv-shown", "data.download_csv_shown", lang, primary=True),
                            _button("data-download-xlsx-shown", "data.download_xlsx_shown", lang, primary=True),
                        ],
                        md=6,
                    ),
                    dbc.Col(
                        [
                            html.H4(t("data.downloads_all_label", lang), className="h6"),
                            _button("data-download-csv-all", "data.download_csv_all", lang),
                            _button("data-download-xlsx-all", "data.download_xlsx_all", lang),
                        ],
                        md=6,
                    ),
                ],
                className="no-print",
            ),
            dcc.Download(id="data-download"),
        ],
        className="data-downloads border rounded bg-white p-3 mb-3",
    )


# --- definitions, sources, template -------------------------------------------------------------------------------


def _group_title(group: str, lang: str) -> str:
    key = f"data.group_{group}"
    return t(key, lang) if key in catalogue() else (group or t("data.group_other", lang))


def _indicator_entry(context, indicator) -> html.Details:
    lang, data = context.lang, context.data
    rows = data.observations[data.observations["indicator_id"] == indicator.id]
    direction = {True: "common.lower_is_better", False: "common.higher_is_better"}.get(
        indicator.lower_is_better, "data.direction_none"
    )
    if rows.empty:
        status = html.Span(t("common.no_data_yet", lang), className="badge ms-2 no-data-badge bg-secondary")
    else:
        status = html.Small(
            " · "
            + t(
                "data.observation_count",
                lang,
                count=len(rows),
                first=int(rows["year"].min()),
                last=int(rows["year"].max()),
            )
            + (t("data.quarterly", lang) if (rows["quarter"] > 0).any() else ""),
            className="text-muted",
        )
    # Unit, direction and id are paragraphs of the definition block (text, built in the browser): as components the
    # 35 entries were about 350 of the page's components, and each one costs every filter change time.
    after = [
        (t("data.unit", lang), t(f"common.unit_{indicator.unit}", lang), "text"),
        (t("data.direction", lang), t(direction, lang), "text"),
        (t("data.indicator_id", lang), indicator.id, "code"),
    ]
    return html.Details(
        [
            html.Summary([html.Span(indicator.name[lang], className="fw-semibold"), status]),
            html.Div(definition_block(context.dataset, indicator, lang, after=after), className="ps-3"),
        ],
        id=f"definition-{indicator.id}",
        className="indicator-definition",
    )


def _definitions_section(context) -> html.Section:
    lang, dataset = context.lang, context.dataset
    groups: dict[str, list] = {}
    for indicator in dataset.indicators.values():
        groups.setdefault(indicator.group, []).append(indicator)
    with_data = set(context.data.observations["indicator_id"])
    count = sum(1 for i in dataset.indicators if i in with_data)
    children = [
        html.H2(t("data.section_definitions", lang), id="definitioner", className="h3"),
        html.P(t("data.definitions_intro", lang)),
        html.P(t("data.definitions_count", lang, total=len(dataset.indicators), with_data=count)),
    ]
    entries = []
    for group, indicators in groups.items():
        entries.append(html.H3(_group_title(group, lang), className="h5 mt-3"))
        entries.extend(_indicator_entry(context, indicator) for indicator in indicators)
    # The entries travel as one element carrying them (components.tree): as components they were about 210 of the
    # page's components, each visited by Dash on every filter change.
    return html.Section([*children, tree_host(entries, className="definition-list")], className="mb-5")


def _sources_section(context) -> html.Section:
    lang, dataset = context.lang, context.dataset
    # One element carrying the rows as JSON (components.chart.rich_table_spec), like the observations table: as
    # components the table was about 320 of the page's components, and each one costs every filter change time.
    rows = [
        {
            "cells": [
                {
                    "text": source["title"],
                    "href": source["url"] or None,
                    "small": t("data.source_id", lang, id=source["id"]),
                },
                source["publisher"],
                str(source["year"]),
                source["licence"],
                source["note"],
            ]
        }
        for source in dataset.sources.to_dict("records")
    ]
    table = table_host(
        rich_table_spec(
            [t(f"data.{key}", lang) for key in SOURCE_COLUMNS],
            rows,
            class_name="table table-sm data-table sources-table stack-narrow",
            numeric=tuple(i for i, key in enumerate(SOURCE_COLUMNS) if key in NUMERIC_COLUMNS),
            widths={i: COLUMN_WIDTHS[key] for i, key in enumerate(SOURCE_COLUMNS) if key in COLUMN_WIDTHS},
            cell_classes={SOURCE_COLUMNS.index("col_note"): "note-cell"},
        )
    )
    return html.Section(
        [
            html.H2(t("data.section_sources", lang), id="kilder", className="h3"),
            html.P(t("data.sources_intro", lang)),
            html.Div(
                table,
                className="table-responsive",
                tabIndex="0",
                role="region",
                **{"aria-label": t("data.section_sources", lang)},
            ),
        ],
        className="mb-5",
    )


def _template_section(context) -> html.Section:
    lang = context.lang

    def command(text: str) -> html.Pre:
        return html.Pre(html.Code(text), className="command mb-2")

    return html.Section(
        [
            html.H2(t("data.section_template", lang), id="import", className="h3"),
            html.P(t("data.template_intro", lang)),
            html.P(t("data.template_columns", lang)),
            html.P(_button(TEMPLATE_BUTTON, "data.template_download", lang), className="no-print"),
            html.Ol(
                [
                    html.Li(t("data.template_step_fill", lang)),
                    html.Li(
                        [t("data.template_step_dry_run", lang), command("python -m dashboard import FIL --dry-run")]
                    ),
                    html.Li([t("data.template_step_import", lang), command("python -m dashboard import FIL")]),
                    html.Li(
                        [
                            t("data.template_step_versions", lang),
                            command("python -m dashboard versions\npython -m dashboard restore VERSION"),
                        ]
                    ),
                ]
            ),
            html.P(t("data.template_reload", lang)),
        ],
        className="mb-5",
    )


def layout(context) -> html.Div:
    lang, dataset = context.lang, context.dataset
    sections = [
        ("#tabel", "data.section_table"),
        ("#hent", "data.section_downloads"),
        ("#definitioner", "data.section_definitions"),
        ("#kilder", "data.section_sources"),
        ("#import", "data.section_template"),
    ]
    return html.Div(
        [
            html.H1(t("data.title", lang)),
            html.P(t("data.lead", lang), className="lead"),
            html.P(
                t("data.version_line", lang, version=dataset.version, date=dataset.modified.strftime("%d.%m.%Y")),
                className="data-version",
            ),
            html.Nav(
                html.Ul(
                    [
                        html.Li(html.A(t(key, lang), href=anchor), className="list-inline-item")
                        for anchor, key in sections
                    ],
                    className="list-inline page-contents",
                ),
                className="no-print",
                **{"aria-label": t("data.contents_label", lang)},
            ),
            _table_section(context),
            _definitions_section(context),
            _sources_section(context),
            _template_section(context),
        ],
        className="data-page",
    )


# --- callbacks ----------------------------------------------------------------------------------------------------


def _candidate(areas, indicators, year_from, year_to) -> dict[str, str]:
    """The controls' state as raw query values, so the same parser checks them as a typed-in address."""
    return {
        "omraader": ",".join(areas or []),
        "indikator": ",".join(indicators or []),
        "fra": str(year_from) if year_from else "",
        "til": str(year_to) if year_to else "",
    }


def _is_id_list(value) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(item, str) for item in value))


def values_from_controls(data, search: str | None, areas, indicators, year_from, year_to) -> tuple[dict, bool]:
    """Clean page values for the controls (language from the address) and whether any control value was invalid."""
    page_params = params(data)
    values, _ = urlstate.parse_query(urlstate.split_search(search), page_params)
    if not (_is_id_list(areas) and _is_id_list(indicators)):
        # Only a forged request sends anything but a list of ids from the pickers.
        return values, True
    candidate = _candidate(areas, indicators, year_from, year_to)
    clean, ignored = urlstate.parse_query({k: v for k, v in candidate.items() if v}, page_params)
    values.update({k: clean[k] for k in candidate})
    return values, bool(ignored)


def changed_search(data, values: dict, search: str | None) -> str | None:
    """The query string for clean page ``values``, or None when it is the one shown."""
    new_search = urlstate.build_search(values, params(data))
    return None if new_search == (search or "") else new_search


def download_for_button(data, button: str, search: str | None, filters: tuple, suppression_limit: int) -> dict:
    """What dcc.Download receives for a pressed button: the import template, or the data "as shown" or "all"."""
    if button == TEMPLATE_BUTTON:
        return dcc.send_bytes(downloads.template_csv_bytes(data), downloads.template_file_name(), type="text/csv")
    fmt, scope = DOWNLOAD_BUTTONS[button]
    values, invalid = values_from_controls(data, search, *filters)
    if invalid:
        raise PreventUpdate
    content, name = downloads.build_download(
        data,
        fmt,
        scope,
        values["sprog"],
        suppression_limit,
        values["omraader"],
        values["indikator"],
        values["fra"],
        values["til"],
    )
    mime = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return dcc.send_bytes(content, name, type=mime)


def register(app) -> None:
    filter_inputs = [Input(control, "value") for control in FILTER_IDS]

    # One answer for the table and the address: each callback Dash runs costs the browser a few store updates, and
    # each update costs every component of this long page a check.
    @app.callback(
        Output("data-table", "children"),
        Output("url", "search", allow_duplicate=True),
        *filter_inputs,
        State("url", "search"),
        State(NOTICE_ID, "hidden"),
        prevent_initial_call=True,
    )
    def update_table(areas, indicators, year_from, year_to, search, notice_hidden):
        """The table for the filters, and the filters in the address bar (a copied link reopens the selection)."""
        data = app.bosoc_data.get()
        values, invalid = values_from_controls(data, search, areas, indicators, year_from, year_to)
        lang = values["sprog"]
        # More items than an address may carry (urlstate.MAX_LIST_ITEMS; reachable only with that many areas or
        # indicators in the data): said beside the filters, and the table and address stay as they are.
        message = limit_message(
            lang, {t("data.filter_areas", lang): areas, t("data.filter_indicators", lang): indicators}
        )
        set_limit_notice(NOTICE_ID, message, notice_hidden)
        if invalid:
            if message or notice_hidden is False:
                return no_update, no_update  # only the notice changes
            raise PreventUpdate
        new_search = changed_search(data, values, search)
        table = data_table(data, values, lang, app.bosoc_settings.suppression_limit)
        return table, no_update if new_search is None else new_search

    buttons = (*DOWNLOAD_BUTTONS, TEMPLATE_BUTTON)

    @app.callback(
        Output("data-download", "data"),
        *[Input(button, "n_clicks") for button in buttons],
        *[State(control, "value") for control in FILTER_IDS],
        State("url", "search"),
        prevent_initial_call=True,
    )
    def download(*args):
        """Build the file for the button that was pressed, from the public data and the current filters."""
        clicks, filters, search = args[: len(buttons)], args[len(buttons) : -1], args[-1]
        if ctx.triggered_id not in buttons or not any(clicks):
            raise PreventUpdate
        return download_for_button(
            app.bosoc_data.get(), ctx.triggered_id, search, tuple(filters), app.bosoc_settings.suppression_limit
        )
