"""Refuse malformed callback requests with 400 before Dash dispatches them.

Dash's callback endpoint (``POST /_dash-update-component``) trusts the shape of the JSON body its own front end
sends: a body without ``output``, with inputs that are not a list of ``{id, property, value}`` objects, for a
client-side or unknown callback, or with ids that do not belong to the callback raises KeyError or TypeError deep
inside Dash, which Flask answers with 500. Anyone can post anything, so this hook checks the envelope against
``app.callback_map`` first and answers 400 with a one-line message; only well-formed requests reach a callback, and
each callback checks its own *values* (wrong types and unknown ids end in PreventUpdate, HTTP 204).

The body size is limited by Flask's ``MAX_CONTENT_LENGTH`` (413), set in :func:`dashboard.app.create_app`.
"""

from __future__ import annotations

import json

import flask
from dash._utils import split_callback_id

from dashboard.settings import Settings

CALLBACK_ROUTE = "_dash-update-component"
WILDCARDS_MANY = (["ALL"], ["ALLSMALLER"])
WILDCARD_ANY = (["ALL"], ["ALLSMALLER"], ["MATCH"])


class MalformedCallback(ValueError):
    """The request does not have the shape of a call of the callback it names."""


def _spec_id(text: str) -> str | dict:
    return json.loads(text) if text.startswith("{") else text


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool) and value is not None


def _id_matches(spec: str | dict, given: object) -> bool:
    if isinstance(spec, str):
        return given == spec
    if not isinstance(given, dict) or set(given) != set(spec):
        return False
    return all(_is_scalar(given[key]) if value in WILDCARD_ANY else given[key] == value for key, value in spec.items())


def _property(name: object) -> str:
    # Outputs with allow_duplicate carry a "@<hash>" suffix in the callback map; the front end may send either.
    return str(name).split("@", 1)[0]


def _check_item(spec: dict, item: object, where: str, output: bool = False) -> None:
    spec_id = _spec_id(spec["id"])
    many = isinstance(spec_id, dict) and any(value in WILDCARDS_MANY for value in spec_id.values())
    entries = item if many else [item]
    if many and not isinstance(item, list):
        raise MalformedCallback(f"{where}: forventede en liste")
    for entry in entries:
        if not isinstance(entry, dict) or "id" not in entry or "property" not in entry:
            raise MalformedCallback(f"{where}: forventede et objekt med id og property")
        if not _id_matches(spec_id, entry["id"]) or _property(entry["property"]) != _property(spec["property"]):
            raise MalformedCallback(f"{where}: id eller egenskab hører ikke til callbacken")
        if output and "value" in entry:
            raise MalformedCallback(f"{where}: et output har ingen værdi")


def _check_list(specs: list[dict], items: object, where: str, output: bool = False) -> None:
    if not isinstance(items, list) or len(items) != len(specs):
        raise MalformedCallback(f"{where}: forventede {len(specs)} element(er)")
    for number, (spec, item) in enumerate(zip(specs, items, strict=True)):
        _check_item(spec, item, f"{where}[{number}]", output)


def check_body(callback_map: dict, body: object) -> None:
    """Raise MalformedCallback unless ``body`` is a well-formed call of a server-side callback."""
    if not isinstance(body, dict):
        raise MalformedCallback("kroppen skal være et JSON-objekt")
    output = body.get("output")
    callback = callback_map.get(output) if isinstance(output, str) else None
    if callback is None or "callback" not in callback:
        raise MalformedCallback("ukendt callback")
    _check_list(callback["inputs"], body.get("inputs"), "inputs")
    _check_list(callback["state"], body.get("state", []), "state")
    outputs = split_callback_id(output)
    if isinstance(outputs, list):
        _check_list(outputs, body.get("outputs"), "outputs", output=True)
    else:
        _check_item(outputs, body.get("outputs"), "outputs", output=True)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(prop, str) for prop in changed):
        raise MalformedCallback("changedPropIds skal være en liste af tekster")


def install(app, settings: Settings) -> None:
    path = settings.url_prefix + CALLBACK_ROUTE

    @app.server.before_request
    def check_callback_request():
        request = flask.request
        if request.path != path or request.method != "POST":
            return None
        # Reading the body enforces MAX_CONTENT_LENGTH (413); silent=True turns bad JSON into None (400 below).
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            # '[[[[...' a hundred thousand deep is valid JSON syntax that the parser cannot nest.
            body = None
        try:
            check_body(app.callback_map, body)
        except MalformedCallback as error:
            return flask.Response(f"Ugyldig callback-forespørgsel: {error}", status=400, mimetype="text/plain")
        return None
