"""Callback requests: hostile POSTs to /_dash-update-component for every registered callback.

For each callback in ``app.callback_map`` a well-formed request (as Dash's front end sends it) is built, checked to
succeed, then broken: wrong types and generated JSON in every input and state (hypothesis), unknown ids, out-of-range
values, missing fields, malformed or deeply nested JSON, wrong content types, and bodies over the 1 MB limit. Every
answer must be a 4xx or a handled answer (200, or 204 from PreventUpdate), never a 500, with no traceback in its
body; and after each batch the good request still succeeds (in a real server the worker is still alive: the load
test repeats a sample of these against gunicorn).
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import pages
from dashboard.app import MAX_REQUEST_BYTES
from tests.reliability.helpers import (
    TALLY,
    app_on_copies,
    fuzz_settings,
    item,
    outputs_of,
    pattern_id,
)

ENDPOINT = "/_dash-update-component"
HANDLED = {200, 204}
REFUSED = {400, 405, 413, 415}
TRACEBACK_SIGNS = ("Traceback", 'File "', "Werkzeug Debugger", "line ", "Error:")


# A good request per server-side callback (inputs, state, changedPropIds), keyed by its first input's id and its
# number of states (the data page's table and address callbacks share their inputs).
GOOD = {
    ("route-request", 0): (
        [item("route-request", "data", {"path": "/om", "search": ""})],
        [],
        ["route-request.data"],
    ),
    ('{"page":["MATCH"],"type":"map-indicator"}', 2): (
        [
            item(pattern_id("map-indicator"), "value", "skolefravaer"),
            item(pattern_id("map-year"), "value", 2017),
            item(pattern_id("map-measure"), "value", "niveau"),
        ],
        [item(pattern_id("map-outlines"), "data", None), item("url", "search", "")],
        ['{"page":"overview","type":"map-year"}.value'],
    ),
    ('{"page":["ALL"],"type":"map-graph"}', 1): (
        [[item(pattern_id("map-graph"), "clickData", {"points": [{"customdata": ["bispehaven"]}]})]],
        [item("url", "search", "")],
        ['{"page":"overview","type":"map-graph"}.clickData'],
    ),
    ('{"page":"overview","type":"map-indicator"}', 1): (
        [
            item(pattern_id("map-indicator"), "value", "uden-for-arbejdsmarkedet"),
            item(pattern_id("map-year"), "value", 2017),
            item(pattern_id("map-measure"), "value", "niveau"),
        ],
        [item("url", "search", "")],
        ['{"page":"overview","type":"map-indicator"}.value'],
    ),
    ("area-measure", 2): (
        [
            item("area-measure", "value", "indeks"),
            item("area-years-from", "value", "2006"),
            item("area-years-to", "value", "2018"),
            item("area-connect", "value", False),
        ],
        [item("url", "pathname", "/omraade/bispehaven"), item("url", "search", "")],
        ["area-measure.value"],
    ),
    ("indicator-tabs", 3): (
        [item("indicator-tabs", "active_tab", "kort")],
        [
            item("indicator-map-host", "data-filled", ""),
            item("url", "pathname", "/indikator/skolefravaer"),
            item("url", "search", ""),
        ],
        ["indicator-tabs.active_tab"],
    ),
    ("strategy-tema", 1): (
        [
            item("strategy-tema", "value", None),
            item("strategy-omraade", "value", "bispehaven"),
            item("strategy-partner", "value", None),
            item("strategy-fra", "value", None),
            item("strategy-til", "value", None),
            item("strategy-q", "value", ""),
        ],
        [item("url", "search", "")],
        ["strategy-omraade.value"],
    ),
    # The data page's table and address callbacks take the same inputs and state: one good request serves both.
    ("data-areas", 2): (
        [
            item("data-areas", "value", ["bispehaven"]),
            item("data-indicators", "value", ["skolefravaer"]),
            item("data-from", "value", None),
            item("data-to", "value", None),
        ],
        [item("url", "search", ""), item("data-filter-notice", "hidden", True)],
        ["data-areas.value"],
    ),
    ("data-download-csv-shown", 5): (
        [
            item("data-download-csv-shown", "n_clicks", 1),
            item("data-download-xlsx-shown", "n_clicks", 0),
            item("data-download-csv-all", "n_clicks", 0),
            item("data-download-xlsx-all", "n_clicks", 0),
            item("data-download-template", "n_clicks", 0),
        ],
        [
            item("data-areas", "value", ["bispehaven"]),
            item("data-indicators", "value", []),
            item("data-from", "value", None),
            item("data-to", "value", None),
            item("url", "search", ""),
        ],
        ["data-download-csv-shown.n_clicks"],
    ),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return app_on_copies(tmp_path_factory.mktemp("callback-fuzz"))


@pytest.fixture(scope="module")
def client(app):
    client = app.server.test_client()
    client.get("/")  # Dash finishes its set-up on the first request
    return client


def server_callbacks(app) -> dict[str, dict]:
    return {key: spec for key, spec in app.callback_map.items() if "callback" in spec}


def good_body(app, key: str) -> dict:
    spec = app.callback_map[key]
    found = GOOD.get((spec["inputs"][0]["id"], len(spec["state"])))
    assert found is not None, f"no good request for {key}: add one to GOOD"
    inputs, state, changed = copy.deepcopy(found)
    return {"output": key, "outputs": outputs_of(key), "inputs": inputs, "state": state, "changedPropIds": changed}


def post(client, body=None, *, data=None, content_type="application/json"):
    if data is None:
        data = json.dumps(body, allow_nan=True)
    return client.post(ENDPOINT, data=data, content_type=content_type)


def assert_clean(response, allowed, what) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code in allowed, (what, response.status_code, text[:400])
    assert response.status_code != 500, what
    if response.status_code >= 400:
        assert not any(sign in text for sign in TRACEBACK_SIGNS), (what, text[:400])


def assert_alive(client, app, key: str) -> None:
    response = post(client, good_body(app, key))
    assert response.status_code == 200, (key, response.status_code, response.get_data(as_text=True)[:300])


def test_every_server_callback_has_a_good_request_that_succeeds(app, client):
    callbacks = server_callbacks(app)
    assert len(callbacks) >= 9, list(callbacks)  # the indicator page's controls: its view route (test_view_route)
    for key in callbacks:
        assert_alive(client, app, key)


def test_client_side_callbacks_are_not_callable_on_the_server(app, client):
    for key, spec in app.callback_map.items():
        if "callback" in spec:
            continue
        body = {"output": key, "outputs": outputs_of(key), "inputs": [], "state": [], "changedPropIds": []}
        assert_clean(post(client, body), {400}, key)
        TALLY["callback:unknown or client-side callback"] += 1


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=15,
)
WRONG_VALUES = [
    None,
    0,
    -1,
    1.5,
    10**20,
    float("nan"),
    float("inf"),
    "",
    "x" * 10_000,
    "<script>alert(1)</script>",
    [],
    [None],
    [1, 2, 3],
    ["a"] * 500,
    [2018, 2006],
    [0, 99999],
    [-5, 5],
    [2017],
    {},
    {"points": "x"},
    {"points": [{"customdata": None}]},
    {"points": [{"customdata": ["<b>x</b>"]}]},
    True,
    "2017",
    2017,
    "skolefravaer",
    "ukendt",
    ["ukendt"],
    {"path": "/", "search": "?sprog=en"},
]
OUT_OF_RANGE = [0, -2017, 1989, 2101, 99999, 10**12, -(10**12), [1989, 2101], [2101, 1989], [2017, 2017.5]]


@pytest.mark.parametrize("value", WRONG_VALUES + OUT_OF_RANGE, ids=lambda v: repr(v)[:30])
def test_wrong_types_and_out_of_range_values_in_every_input_and_state(app, client, value):
    for key in server_callbacks(app):
        good = good_body(app, key)
        for group in ("inputs", "state"):
            for position, entry in enumerate(good[group]):
                body = copy.deepcopy(good)
                if isinstance(entry, list):
                    for element in body[group][position]:
                        element["value"] = value
                else:
                    body[group][position]["value"] = value
                assert_clean(post(client, body), HANDLED, (key, group, position, value))
                TALLY["callback:wrong type or out-of-range value"] += 1
        assert_alive(client, app, key)


@fuzz_settings(100)
@given(data=st.data())
def test_generated_values(app, client, data):
    keys = sorted(server_callbacks(app))
    key = data.draw(st.sampled_from(keys))
    body = good_body(app, key)
    entries = [(group, position) for group in ("inputs", "state") for position in range(len(body[group]))]
    for group, position in data.draw(st.lists(st.sampled_from(entries), min_size=1, max_size=3, unique=True)):
        value = data.draw(json_values)
        entry = body[group][position]
        for element in entry if isinstance(entry, list) else [entry]:
            element["value"] = value
    assert_clean(post(client, body), HANDLED, (key, body["inputs"], body["state"]))
    TALLY["callback:generated values"] += 1


def _structural_cases(good: dict) -> dict[str, dict | list | str]:
    cases: dict[str, object] = {}
    for field in ("output", "outputs", "inputs", "state"):
        if field == "state" and not good["state"]:
            continue  # a callback without State: a body without "state" is the same request
        broken = copy.deepcopy(good)
        del broken[field]
        cases[f"missing {field}"] = broken
    for field, value in (("output", 5), ("inputs", {}), ("inputs", "x"), ("state", None), ("changedPropIds", "x")):
        broken = copy.deepcopy(good)
        broken[field] = value
        cases[f"{field} of the wrong type ({value!r})"] = broken
    if good["inputs"]:
        broken = copy.deepcopy(good)
        broken["inputs"] = broken["inputs"][:-1]
        cases["an input missing"] = broken
        broken = copy.deepcopy(good)
        broken["inputs"].append(copy.deepcopy(broken["inputs"][0]))
        cases["an input too many"] = broken
        for field in ("id", "property"):
            broken = copy.deepcopy(good)
            first = broken["inputs"][0]
            (first[0] if isinstance(first, list) and first else first).pop(field, None)
            cases[f"an input without {field}"] = broken
        broken = copy.deepcopy(good)
        first = broken["inputs"][0]
        target = first[0] if isinstance(first, list) and first else first
        if isinstance(target, dict):
            target["id"] = "ukendt-komponent" if isinstance(target["id"], str) else {"type": "ukendt", "page": 1}
            cases["an unknown component id"] = broken
            broken2 = copy.deepcopy(good)
            first2 = broken2["inputs"][0]
            (first2[0] if isinstance(first2, list) and first2 else first2)["property"] = "dangerouslySetInnerHTML"
            cases["an unknown property"] = broken2
    broken = copy.deepcopy(good)
    broken["output"] = "ukendt.children"
    cases["an unknown output"] = broken
    broken = copy.deepcopy(good)
    broken["outputs"] = [{"id": "x", "property": "y"}] * 7
    cases["outputs that do not belong"] = broken
    cases["a JSON list"] = [good]
    cases["a JSON string"] = "output"
    cases["null"] = None
    return cases


def test_missing_fields_unknown_ids_and_wrong_shapes(app, client):
    for key in server_callbacks(app):
        for name, body in _structural_cases(good_body(app, key)).items():
            assert_clean(post(client, body), REFUSED | HANDLED, (key, name))
            assert post(client, body).status_code != 200 or name.startswith("changedPropIds"), (key, name)
            TALLY["callback:missing field, unknown id or wrong shape"] += 1
        assert_alive(client, app, key)


def test_malformed_json_and_wrong_content_types(app, client):
    key = next(k for k in server_callbacks(app) if "shell.children" in k)
    good = json.dumps(good_body(app, key))
    cases = {
        "truncated JSON": (good[: len(good) // 2], "application/json"),
        "not JSON": ("output=shell.children", "application/json"),
        "empty body": ("", "application/json"),
        "form encoded": ("output=x&inputs=y", "application/x-www-form-urlencoded"),
        "text/plain": (good, "text/plain"),
        "xml": ("<request><output/></request>", "application/xml"),
        "deeply nested array": ("[" * 100_000 + "]" * 100_000, "application/json"),
        "deeply nested object": ('{"a":' * 50_000 + "1" + "}" * 50_000, "application/json"),
        "invalid UTF-8": (b'{"output": "\xff\xfe"}', "application/json"),
        "NUL bytes": ('{"output": "\u0000"}', "application/json"),
        "a lone surrogate": ('{"output": "\\ud800"}', "application/json"),
    }
    for name, (data, content_type) in cases.items():
        assert_clean(post(client, data=data, content_type=content_type), REFUSED, name)
        TALLY["callback:malformed JSON or content type"] += 1
    assert_alive(client, app, key)


def test_oversized_bodies_are_refused_with_413(app, client):
    key = next(k for k in server_callbacks(app) if "strategy-results" in k)
    body = good_body(app, key)
    body["inputs"][-1]["value"] = "x" * (MAX_REQUEST_BYTES + 10)
    response = post(client, body)
    assert_clean(response, {413}, "oversized")
    for size in (MAX_REQUEST_BYTES + 1, 5 * MAX_REQUEST_BYTES, 20 * MAX_REQUEST_BYTES):
        assert_clean(post(client, data=b"{" + b" " * size + b"}"), {413}, size)
        TALLY["callback:oversized body"] += 1
    # Just under the limit is read and judged on its content.
    body["inputs"][-1]["value"] = "x" * (MAX_REQUEST_BYTES - 4096)
    assert_clean(post(client, body), HANDLED, "just under the limit")
    TALLY["callback:oversized body"] += 2
    assert_alive(client, app, key)


def test_other_methods_on_the_callback_endpoint(app, client):
    for method in ("get", "put", "delete", "patch"):
        response = getattr(client, method)(ENDPOINT)
        assert response.status_code in {404, 405}, (method, response.status_code)
        TALLY["callback:wrong method"] += 1


def test_debug_is_off_and_a_failing_callback_answers_without_a_traceback(app, client, monkeypatch):
    """Dash's dev tools and Flask's debugger are off; a bug in a callback is a bare 500, its traceback only logged."""
    assert not app.server.debug
    assert not app._dev_tools.ui and not app._dev_tools.serve_dev_bundles and not app._dev_tools.hot_reload

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /work/main/dashboard")

    monkeypatch.setattr(pages, "render", broken)
    key = next(k for k in server_callbacks(app) if "shell.children" in k)
    body = good_body(app, key)
    body["inputs"][0]["value"] = {
        "path": "/om",
        "search": "?not-cached=1",
    }  # a request no earlier test made (the response cache would answer)
    response = post(client, body)
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in text and "Traceback" not in text and "/work/" not in text
