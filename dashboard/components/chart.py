"""A chart with everything a reader needs around it: a one-line summary, "vis som tabel", definition and source,
and PNG/SVG downloads named after the view.
"""

from __future__ import annotations

import json

from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard.components.tree import tree_host
from dashboard.data.store import Indicator
from dashboard.figures.theme import graph_config
from dashboard.i18n import t


def source_rows(dataset) -> dict[str, dict]:
    """sources.csv as {id: row}, once per dataset (a page names a source a hundred times: filtering the frame each
    time was a third of the area page's render at 100 times the real data)."""
    return dataset.memo("source_rows", lambda: {row["id"]: row for row in dataset.sources.to_dict("records")})


def _source_parts(dataset, source_id: str, short: bool = False) -> tuple[str, str, str]:
    """(label, full name, address) of a source; an unknown id is shown as it is."""
    row = source_rows(dataset).get(source_id)
    if row is None:
        return source_id, "", ""
    full = f"{row['title']} ({row['publisher']}, {row['year']})"
    return (f"{row['publisher']}, {row['year']}" if short else full), full, row["url"] or ""


def source_text(dataset, source_id: str, lang: str, short: bool = False) -> html.Span:
    """A source as a link to where it can be read; ``short`` shows only publisher and year (title on hover)."""
    label, full, url = _source_parts(dataset, source_id, short)
    if url:
        return html.Span(html.A(label, href=url, target="_blank", rel="noopener noreferrer", title=full))
    return html.Span(label, title=full) if full else html.Span(label)


def definition_block(
    dataset,
    indicator: Indicator,
    lang: str,
    source_ids: list[str] | None = None,
    id: str | None = None,  # noqa: A002 (Dash's name for it)
    after: list[tuple[str, str, str]] | None = None,
) -> html.Div:
    """Definition, population, direction and sources of an indicator (and ``after`` them, paragraphs of
    ``definition_spec``'s ``after``).

    The block travels as one element carrying its text as JSON (``data-definition``, see ``definition_spec``), and
    assets/clientside.js builds the paragraphs and source links in it (text nodes only, links to http(s) addresses
    only), as it builds tables: as Dash components a block was about 14 of them, and each component costs time in
    every later update of the page (an area page's 22 cards held 300 of its 816). A page that changes the block
    answers its ``data-definition``."""
    return html.Div(
        className="definition-block",
        **({"id": id} if id is not None else {}),
        **{"data-definition": definition_spec(dataset, indicator, lang, source_ids, after)},
    )


def definition_spec(
    dataset,
    indicator: Indicator,
    lang: str,
    source_ids: list[str] | None = None,
    after: list[tuple[str, str, str]] | None = None,
) -> str:
    """A definition block (``definition_block``) as the JSON its element carries: what a callback answers to change
    it. The sources are the indicator's own, then ``source_ids`` (those of the numbers shown). ``after``: more
    paragraphs after the sources, each ``(label, text, kind)``, where kind ``"code"`` shows the text as code (the
    data page's unit, direction and id)."""
    direction = {True: "common.lower_is_better", False: "common.higher_is_better"}.get(indicator.lower_is_better)
    sources = []
    for source_id in dict.fromkeys([indicator.source_id, *(source_ids or [])]):
        label, full, url = _source_parts(dataset, source_id)
        sources.append({"label": label, "title": full, "url": url})
    spec = {
        "rows": [
            [t("common.definition", lang), indicator.definition[lang]],
            [t("common.population", lang), indicator.population[lang]],
        ],
        "direction": t(direction, lang) if direction else "",
        "sourcesLabel": t("common.sources", lang),
        "sources": sources,
    }
    if after:
        spec["after"] = [[label, text, kind] for label, text, kind in after]
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


def table(
    header: list[str], rows: list[list], caption: str | None = None, numeric_from: int = 1, stack_narrow: bool = False
) -> html.Div:
    """A plain accessible table; columns from ``numeric_from`` are right-aligned. ``stack_narrow`` turns each row
    into a block on phones (each cell labelled with its column header) instead of scrolling sideways.

    A table of text travels as one element carrying its cells as JSON (``data-table``, see ``table_spec``), and
    assets/clientside.js builds the real ``<table>`` (caption, ``th scope``, ``data-label``) with text nodes only. As
    Dash components every cell would be a component: the area page has about 35 tables, and each component costs
    time in every later update of the page (Dash 4's renderer visits all of them), so a page of 3.000 cells answered
    clicks 2-4 times slower than the same page with its tables as data (bench/run.py). A callback that changes such a
    table answers its host's ``data-table`` (a string), not its ``children``: Dash recomputes the paths of the whole
    page for every ``children`` it is sent, which was a third of an area page's measure change.
    """
    if not _all_text(rows):
        # Cells with links or other components (html and dcc.Link only): the same table, sent as one element carrying
        # it as data (components.tree), which assets/clientside.js builds. As components, the overview's three such
        # tables were two thirds of its 410 components, each visited by Dash on every update of the page.
        return tree_host([_component_table(header, rows, caption, numeric_from, _class_name(stack_narrow))])
    return table_host(table_spec(header, rows, caption, numeric_from, stack_narrow))


def table_host(spec: str, id=None) -> html.Div:  # noqa: A002 (Dash's name for it)
    """The element that carries a text table (``table_spec``); clientside.js builds the table inside it."""
    return html.Div(className="data-table-host", **({"id": id} if id is not None else {}), **{"data-table": spec})


def table_spec(
    header: list[str], rows: list[list], caption: str | None = None, numeric_from: int = 1, stack_narrow: bool = False
) -> str:
    """A text table as the JSON that a ``table`` host carries in ``data-table``: what a callback answers to change it."""
    if not _all_text(rows):
        raise ValueError("a table spec holds text cells only")
    spec = {
        "className": _class_name(stack_narrow),
        "caption": caption or "",
        "header": [str(h) for h in header],
        "rows": [["" if cell is None else str(cell) for cell in row] for row in rows],
        "numericFrom": numeric_from,
    }
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


def chart_view(parts: dict[str, dict]) -> str:
    """What a page's one callback answers for all of its chart cards (``chart_card`` with ``view_key``), as the JSON its
    cards' container carries in ``data-view``: ``{view_key: {"figure", "filename", "summary", "note", "table"}}``,
    with the figure as plotly's JSON, the summary and its note (or None) as text, and the table as its ``table_spec``.
    assets/clientside.js writes each card from it (text nodes only), and redraws the charts on the screen at
    once and the others when the browser is idle. Dash 4 notifies every component of a page for each output it
    applies: four outputs per card made most of an area page's measure change (bench/run.py)."""
    return to_json_plotly(parts)


def rich_table_spec(
    header: list[str],
    rows: list[dict],
    *,
    class_name: str,
    caption: str = "",
    table_id: str = "",
    numeric: tuple[int, ...] = (),
    widths: dict[int, str] | None = None,
    cell_classes: dict[int, str] | None = None,
) -> str:
    """A table whose cells may carry a link, a hover text or a bold lead (the data page's observations), as the JSON
    a ``table_host`` carries: built by assets/clientside.js like a text table, with text nodes only, a link only to an
    http(s) address. Each row is ``{"cells": [...], "className": str, "attrs": {"data-...": str}}``; a cell is text or
    ``{"text", "href"?, "title"?, "strong"?, "small"?}`` (``small``: a second, muted line). The first cell is the row header. ``numeric`` columns are right-aligned
    (headers too), ``widths`` give columns a minimum width, and ``cell_classes`` a class for every cell of a column.
    As Dash components such a table of 200 rows took 9,5 s to replace in the browser (Dash 4 renders each new component
    with a cost that grows with the number of components on the page); as one element it is built in milliseconds."""
    spec = {
        "className": class_name,
        "id": table_id,
        "caption": caption,
        "header": [str(h) for h in header],
        "rows": rows,
        "numeric": list(numeric),
        "widths": {str(k): v for k, v in (widths or {}).items()},
        "cellClasses": {str(k): v for k, v in (cell_classes or {}).items()},
        "openAtStart": True,
    }
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


def _all_text(rows: list[list]) -> bool:
    return all(isinstance(cell, str | int | float) or cell is None for row in rows for cell in row)


def _class_name(stack_narrow: bool) -> str:
    return "table table-sm data-table" + (" stack-narrow" if stack_narrow else "")


def _component_table(header: list[str], rows: list[list], caption, numeric_from: int, class_name: str) -> html.Table:
    return html.Table(
        [
            html.Caption(caption) if caption else None,
            html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Th(cell, scope="row")
                            if i == 0
                            else html.Td(
                                cell, className="num" if i >= numeric_from else None, **{"data-label": header[i]}
                            )
                            for i, cell in enumerate(row)
                        ]
                    )
                    for row in rows
                ]
            ),
        ],
        className=class_name,
    )


def chart_card(
    *,
    graph_id,
    figure,
    filename: str,
    title: str,
    summary: str,
    table_component,
    definition,
    lang: str,
    summary_id=None,
    title_id=None,
    view_key=None,
) -> html.Div:
    """``graph_id`` may be a pattern-matching dict id; the SVG button of a card updated by Dash outputs (no
    ``view_key``) has the same id with type 'svg-button'. ``title_id`` names the heading, for a page that updates it in
    place (a page that updates the definition gives its ``definition_block`` an id, and answers its
    ``data-definition``); a page that updates the table passes a ``table_host`` with an id, and answers its
    ``data-table``.

    ``view_key`` marks the card as one of a page's cards that a single callback updates together (``chart_view``):
    the element around the chart carries it as ``data-chart-key``. Such a card is, apart from its chart, two elements
    built in the browser from data (``components.tree``: heading; legend, summary, table, definition and download
    button), since assets/clientside.js, not Dash, updates them: as Dash components a card was 16 of them, and Dash
    4's renderer visits every component of a page on each update (an area page has 22-35 cards). The elements built
    are the same as those of a card of Dash components; their ids (``title_id``, ``summary_id``) are plain text."""
    key = graph_id if isinstance(graph_id, str) else graph_id.get("index", "")
    lean = view_key is not None
    graph = dcc.Graph(id=graph_id, figure=figure, config=graph_config(filename, lang), className="chart")
    if lean:
        graph = html.Div(graph, className="chart-host", **{"data-chart-key": view_key})
    heading = html.H3(title, className="h5 mb-0", **({"id": title_id} if title_id else {}))
    summary_id = summary_id or f"{key}-summary"
    button_props = {"data-filename": filename, "data-graph": str(key)}
    if not lean:  # a page's callback answers its data-filename
        button_props["id"] = {"type": "svg-button", "index": str(key)}
    below = [
        # The chart's legend: built in the browser from the drawn traces (assets/clientside.js).
        html.Div(className="chart-legend", **{"data-lang": lang}),
        html.P(summary, className="chart-summary", id=summary_id, **{"aria-live": "polite"}),
        html.Details([html.Summary(t("common.show_table", lang)), table_component], className="chart-table"),
        html.Details([html.Summary(t("common.show_definition", lang)), definition], className="chart-definition"),
        html.Div(
            # assets/clientside.js downloads the card's chart as SVG on a click.
            html.Button(
                t("common.download_svg", lang),
                type="button",
                className="btn btn-sm btn-outline-secondary",
                **button_props,
            ),
            className="chart-downloads no-print",
        ),
    ]
    if lean:
        return html.Div(
            [
                tree_host([heading], className="card-header"),
                html.Div([graph, tree_host(below, className="chart-card-below")], className="card-body"),
            ],
            className="card chart-card mb-4",
        )
    return html.Div(
        [html.Div(heading, className="card-header"), html.Div([graph, *below], className="card-body")],
        className="card chart-card mb-4",
    )
