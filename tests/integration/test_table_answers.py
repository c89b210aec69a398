"""A control change answers every chart table as its text (the host's ``data-table``), and that text is the table the
page shows when its new address is opened: the table is never sent as Dash components (each ``children`` answer makes
Dash 4 recompute the paths of the whole page: on the area page that was a third of a measure change)."""

from __future__ import annotations

import json

import pytest
from dash import dcc
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from dashboard.pages import area, indicator, render_context
from tests.reliability.helpers import VIEW_BODY, item, outputs_of, post_view, tree_elements


def _key(app, first_input: str) -> str:
    return next(k for k, spec in app.callback_map.items() if spec["inputs"][0]["id"] == first_input)


def _post(app, key: str, inputs: list, state: list, changed: str, all_indices=()) -> dict:
    body = {
        "output": key,
        "outputs": outputs_of(key, list(all_indices)),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [changed],
    }
    response = app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def _hosts(layout) -> dict:
    """{id as JSON: data-table} for every table host in a page's layout."""
    return {
        json.dumps(node.id, sort_keys=True): getattr(node, "data-table")
        for node in [layout, *layout._traverse()]
        if isinstance(node, Component) and hasattr(node, "data-table") and getattr(node, "id", None) is not None
    }


def _area_cards(layout) -> dict:
    """{view key: (figure, download name, summary text, table text)} of every chart card in an area page's layout (the
    card's parts around its chart travel as a ``data-tree``; the summary as its text, or [text, note])."""
    cards = {}
    for card in [node for node in layout._traverse() if "chart-card" in (getattr(node, "className", "") or "").split()]:
        nodes = [node for node in card._traverse() if isinstance(node, Component)]
        key = next(getattr(n, "data-chart-key") for n in nodes if hasattr(n, "data-chart-key"))
        graph = next(n for n in nodes if isinstance(n, dcc.Graph))
        below = next(n for n in nodes if getattr(n, "className", None) == "chart-card-below")
        built = list(tree_elements(getattr(below, "data-tree")))
        button = next(n["attrs"] for n in built if "data-filename" in n.get("attrs", {}))
        summary = next(n["children"] for n in built if n.get("attrs", {}).get("class") == "chart-summary")
        if isinstance(summary, list):
            assert summary[1]["tag"] == "br" and summary[2]["tag"] == "small"
            summary = [summary[0], summary[2]["children"]]
        host = next(n["attrs"] for n in built if "data-table" in n.get("attrs", {}))
        cards[key] = (graph.figure, button["data-filename"], summary, host["data-table"])
    return cards


@pytest.mark.parametrize("measure", ["forskel", "niveau"])
def test_an_area_page_measure_change_answers_every_card_as_its_address_shows_it(app, measure):
    # One answer for all the cards (components.chart.chart_view), and each card's part is exactly what the page shows
    # when its new address is opened: figure, download name, summary (with the aggregate's note) and table as text.
    path = "/omraade/bispehaven"
    indicator_ids = area.indicators_for_area(app.bosoc_data.get(), "bispehaven")
    answer = _post(
        app,
        _key(app, "area-measure"),
        [
            item("area-measure", "value", measure),
            item("area-years-from", "value", "2008"),
            item("area-years-to", "value", "2017"),
            item("area-connect", "value", False),
        ],
        [item("url", "pathname", path), item("url", "search", "?maal=indeks")],
        "area-measure.value",
    )
    assert list(answer["area-charts"]) == ["data-view"]  # one output for every card, not four per card
    view = json.loads(answer["area-charts"]["data-view"])
    shown = _area_cards(area.layout(render_context(app, path, f"?maal={measure}&fra=2008&til=2017")))
    assert list(view) == indicator_ids == list(shown) and len(view) >= 3
    for key, part in view.items():
        figure, filename, summary, table = shown[key]
        assert part["figure"] == json.loads(to_json_plotly(figure))
        assert part["filename"] == filename and f"{measure}-2008-2017" in filename
        note = part["note"]
        assert summary == (part["summary"] if not note else [part["summary"], note])
        assert part["table"] == table
        spec = json.loads(part["table"])
        assert set(spec["header"][1:]) <= {str(y) for y in range(2008, 2018)}  # the chosen years
    school = json.loads(view["skolefravaer"]["table"])
    if measure == "forskel":
        assert any("procentpoint" in cell for row in school["rows"] for cell in row)  # the gap to Aarhus Kommune
    else:
        assert view["skolefravaer"]["note"]  # the aggregate's method note travels with its summary


def test_an_indicator_page_change_sends_both_tables_as_the_text_its_address_shows(app):
    path = "/indikator/skolefravaer"
    answer = post_view(app, VIEW_BODY)  # Bispehaven and Viby Syd, 2007-2017, as the page sends
    shown = _hosts(indicator.layout(render_context(app, path, "?omraader=bispehaven,viby-syd&fra=2007&til=2017")))
    # One table text: clientside.js sets both hosts (the chart card's "Vis som tabel" and the table tab) to it.
    rows = json.loads(answer["view"]["table"])["rows"]
    assert [row[0] for row in rows][:2] == ["Bispehaven", "Viby Syd"]
    for host in ("indicator-chart-table", "indicator-table-data"):
        assert answer["view"]["table"] == shown[json.dumps(host)]


def test_an_indicator_page_refuses_more_areas_than_an_address_carries_with_a_notice(app, monkeypatch):
    # urlstate.MAX_LIST_ITEMS (50) is reached only with that many areas in the data: lowered here to 2.
    from dashboard import urlstate

    monkeypatch.setattr(urlstate, "MAX_LIST_ITEMS", 2)
    refused = post_view(app, VIEW_BODY, areas=["bispehaven", "viby-syd", "herredsvang"])
    # Only the notice: chart, tables and address stay as they are.
    assert refused == {
        "notice": 'Højst 2 kan vælges i feltet "Områder" (du har valgt 3). Vælg færre; visningen er ikke ændret.'
    }
    english = post_view(app, dict(VIEW_BODY, search="?sprog=en"), areas=["bispehaven", "viby-syd", "herredsvang"])
    assert english["notice"].startswith("At most 2 can be chosen")
    # Back within the limit, or a pick of another indicator (its default areas): the notice is hidden ("").
    assert post_view(app, VIEW_BODY, areas=["bispehaven"])["notice"] == ""
    answer = post_view(app, dict(VIEW_BODY, picked="uden-for-arbejdsmarkedet"))
    assert answer["pathname"] == "/indikator/uden-for-arbejdsmarkedet" and answer["notice"] == ""


def test_an_area_page_year_range_chosen_backwards_shows_the_years_in_order(app):
    # "Fra år" set after "Til år" on a steering group's page: the charts show the years between them, the address has
    # them in order, and the two selects are set to them in order.
    body = {
        "output": _key(app, "area-measure"),
        "outputs": outputs_of(_key(app, "area-measure"), []),
        "inputs": [
            item("area-measure", "value", "niveau"),
            item("area-years-from", "value", "2015"),
            item("area-years-to", "value", "2009"),
            item("area-connect", "value", False),
        ],
        "state": [item("url", "pathname", "/omraade/bispehaven"), item("url", "search", "")],
        "changedPropIds": ["area-years-from.value"],
    }
    response = app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    assert answer["response"]["url"]["search"] == "?fra=2009&til=2015"
    assert answer["sideUpdate"] == {"area-years-from": {"value": "2009"}, "area-years-to": {"value": "2015"}}
    view = json.loads(answer["response"]["area-charts"]["data-view"])
    assert all("2009-2015" in part["filename"] for part in view.values())
