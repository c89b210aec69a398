"""Hostile requests to the indicator page's view route (dashboard.pages.indicator.VIEW_ROUTE), as test_callback_fuzz
does for Dash's callback route: wrong types and generated JSON in every field, wrong shapes, malformed or deeply
nested JSON, wrong content types and bodies over the 1 MB limit. Every answer is a 4xx with a JSON message or a
handled answer (200 with only the keys the page reads), never a 500 or a traceback, and the good request still
succeeds after each batch."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.app import MAX_REQUEST_BYTES
from dashboard.pages.indicator import VIEW_ROUTE
from tests.reliability.helpers import TALLY, VIEW_BODY, app_on_copies, fuzz_settings
from tests.reliability.test_callback_fuzz import OUT_OF_RANGE, TRACEBACK_SIGNS, WRONG_VALUES, json_values

ROUTE = "/" + VIEW_ROUTE
ANSWER_KEYS = {"notice", "search", "shown", "view", "pathname", "page", "navigate"}
FIELDS = [("pathname",), ("search",), ("picked",), ("controls",)] + [
    ("controls", name) for name in ("areas", "measure", "years", "connect", "tab")
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return app_on_copies(tmp_path_factory.mktemp("view-fuzz"))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def with_value(path: tuple[str, ...], value, base: dict = VIEW_BODY) -> dict:
    body = copy.deepcopy(base)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


def assert_clean(response, what) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code in {200, 400, 413, 415}, (what, response.status_code, text[:400])
    assert not any(sign in text for sign in TRACEBACK_SIGNS), (what, text[:400])
    if response.status_code == 200:
        assert set(response.get_json()) <= ANSWER_KEYS, (what, text[:400])
    elif response.status_code == 400:
        assert response.get_json()["error"].startswith("Ugyldig forespørgsel: "), (what, text[:400])


def assert_alive(client) -> None:
    response = client.post(ROUTE, json=VIEW_BODY)
    assert response.status_code == 200 and "view" in response.get_json()


@pytest.mark.parametrize("value", WRONG_VALUES + OUT_OF_RANGE, ids=lambda v: repr(v)[:30])
def test_wrong_types_and_out_of_range_values_in_every_field(client, value):
    for path in FIELDS:
        body = with_value(path, value)
        assert_clean(client.post(ROUTE, data=json.dumps(body, allow_nan=True), content_type="application/json"), path)
        TALLY["view route:wrong type or out-of-range value"] += 1
    assert_alive(client)


@fuzz_settings(100)
@given(data=st.data())
def test_generated_values(client, data):
    body = copy.deepcopy(VIEW_BODY)
    for path in data.draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True)):
        if len(path) == 1 or isinstance(body["controls"], dict):  # a control, unless "controls" is already broken
            body = with_value(path, data.draw(json_values), body)
    assert_clean(client.post(ROUTE, data=json.dumps(body, allow_nan=True), content_type="application/json"), body)
    TALLY["view route:generated values"] += 1


@fuzz_settings(50)
@given(body=json_values)
def test_generated_bodies(client, body):
    assert_clean(client.post(ROUTE, data=json.dumps(body, allow_nan=True), content_type="application/json"), body)
    TALLY["view route:generated body"] += 1


def test_malformed_nested_oversized_and_wrongly_typed_bodies(client):
    cases = {
        "not JSON": (b"{'pathname': ", "application/json"),
        "empty": (b"", "application/json"),
        "deeply nested": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        "form data": (b"pathname=/indikator/skolefravaer", "application/x-www-form-urlencoded"),
        "text": (json.dumps(VIEW_BODY).encode(), "text/plain"),
        "over the limit": (b'{"pathname": "' + b"x" * (MAX_REQUEST_BYTES + 10) + b'"}', "application/json"),
    }
    for name, (data, content_type) in cases.items():
        response = client.post(ROUTE, data=data, content_type=content_type)
        assert_clean(response, name)
        assert response.status_code != 200, name
        TALLY["view route:malformed body"] += 1
    assert_alive(client)
