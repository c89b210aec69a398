"""A control change answers every chart table as its text (the host's ``data-table``), and that text is the table the
page shows when its new address is opened: the table is never sent as Dash components (each ``children`` answer makes
Dash 4 recompute the paths of the whole page: on the area page that was a third of a measure change)."""

from __future__ import annotations

import json

from dash.development.base_component import Component

from dashboard.pages import area, indicator, render_context
from tests.reliability.helpers import item, outputs_of
from tests.reliability.test_callback_fuzz import GOOD


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


def test_an_area_page_measure_change_sends_each_table_as_the_text_its_address_shows(app):
    path = "/omraade/bispehaven"
    indicator_ids = area.indicators_for_area(app.bosoc_data.get(), "bispehaven")
    answer = _post(
        app,
        _key(app, "area-measure"),
        [
            item("area-measure", "value", "forskel"),
            item("area-years", "value", [2008, 2017]),
            item("area-connect", "value", False),
        ],
        [item("url", "pathname", path), item("url", "search", "")],
        "area-measure.value",
        indicator_ids,
    )
    shown = _hosts(area.layout(render_context(app, path, "?maal=forskel&fra=2008&til=2017")))
    tables = {k: v for k, v in answer.items() if '"area-table"' in k}
    assert len(tables) == len(indicator_ids) >= 3
    for component_id, props in tables.items():
        assert list(props) == ["data-table"]  # no children: text only
        spec = json.loads(props["data-table"])
        assert set(spec["header"][1:]) <= {str(y) for y in range(2008, 2018)}  # the chosen years
        assert props["data-table"] == shown[json.dumps(json.loads(component_id), sort_keys=True)]
    school = json.loads(answer['{"index":"skolefravaer","type":"area-table"}']["data-table"])
    assert any("procentpoint" in cell for row in school["rows"] for cell in row)  # the gap to Aarhus Kommune


def test_an_indicator_page_change_sends_both_tables_as_the_text_its_address_shows(app):
    path = "/indikator/skolefravaer"
    inputs, state, changed = GOOD[("indicator-areas", 2)]  # Bispehaven and Viby Syd, 2007-2017, as the page sends
    answer = _post(app, _key(app, "indicator-areas"), inputs, state, changed[0])
    shown = _hosts(indicator.layout(render_context(app, path, "?omraader=bispehaven,viby-syd&fra=2007&til=2017")))
    for host in ("indicator-chart-table", "indicator-table-data"):
        assert list(answer[host]) == ["data-table"]
        rows = json.loads(answer[host]["data-table"])["rows"]
        assert [row[0] for row in rows][:2] == ["Bispehaven", "Viby Syd"]
        assert answer[host]["data-table"] == shown[json.dumps(host)]
