"""Helpers shared by the reliability suite: private data copies, folder hashes, free ports, and the tally.

Every test here tries to break the dashboard (bad files, bad URLs, bad requests, load, faults) and counts what it
tried in ``TALLY`` by "group:category"; ``FIGURES`` holds measured figures (latencies, memory). Both are printed at
the end of the run (see conftest.py), for the issue's report.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import socket
from collections import Counter
from pathlib import Path

import plotly
from dash._utils import split_callback_id
from hypothesis import HealthCheck, settings

from dashboard.settings import PROJECT_ROOT

SHIPPED_DATA = PROJECT_ROOT / "data"
SHIPPED_GEO = PROJECT_ROOT / "geo"
TALLY: Counter[str] = Counter()
FIGURES: dict[str, str] = {}


def fuzz_settings(max_examples: int) -> settings:
    """Hypothesis settings for this suite: no example database in the tree, no per-example deadline."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
    )


def copy_data(target: Path) -> Path:
    shutil.copytree(SHIPPED_DATA, target, ignore=shutil.ignore_patterns("versions", ".lock"))
    return target


def copy_geo(target: Path) -> Path:
    shutil.copytree(SHIPPED_GEO, target, ignore=shutil.ignore_patterns("*.bak", "versions"))
    return target


def folder_hashes(folder: Path) -> dict[str, str]:
    """Every file under a folder (versions and lock included) -> sha256: equal dicts mean nothing changed."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def app_on_copies(root: Path):
    """An app on private copies of the shipped data and geometry under ``root`` (a module's fuzzing target)."""
    from dashboard.app import create_app
    from dashboard.settings import Settings

    return create_app(Settings(data_dir=copy_data(root / "data"), geo_dir=copy_geo(root / "geo"), cache_dir=root / "c"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def to_json(component) -> str:
    """A Dash component tree (or callback answer) as the JSON the browser receives."""
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def strings_in(tree, component: str = "", prop: str = ""):
    """Every string in a JSON tree with the component type and the property it sits in: (component, prop, text).

    Dash serialises a component as {"type", "namespace", "props"}; a string's ``prop`` is the first property name
    above it inside that component (so text inside ``children`` lists stays ``children``).
    """
    if isinstance(tree, str):
        yield component, prop, tree
    elif isinstance(tree, list):
        for item in tree:
            yield from strings_in(item, component, prop)
    elif isinstance(tree, dict):
        if "props" in tree and "type" in tree:
            for key, value in tree["props"].items():
                if key == "data-tree" and isinstance(value, str):
                    # A part of the page sent as data (components.tree): its elements, as the browser builds them.
                    yield from _tree_strings(json.loads(value))
                    continue
                yield from strings_in(value, str(tree["type"]), key)
            return
        for key, value in tree.items():
            yield from strings_in(value, component, prop or key)


def tree_elements(node):
    """Every element of a ``data-tree`` (components.tree; its JSON text or the parsed data), in document order."""
    if isinstance(node, str):
        node = json.loads(node)
    if isinstance(node, list):
        for child in node:
            if not isinstance(child, str):
                yield from tree_elements(child)
    elif isinstance(node, dict):
        yield node
        if not isinstance(node.get("children"), str):
            yield from tree_elements(node.get("children"))


def _tree_strings(node, tag: str = ""):
    """(``tree:<tag>``, prop, text) for every string of a ``data-tree``: text children as "children", attributes by
    name (the builder in assets/clientside.js makes text nodes and attributes of them, nothing else)."""
    if isinstance(node, str):
        yield f"tree:{tag}", "children", node
    elif isinstance(node, list):
        for child in node:
            yield from _tree_strings(child, tag)
    elif isinstance(node, dict):
        for name, value in (node.get("attrs") or {}).items():
            yield f"tree:{node.get('tag')}", name, str(value)
        yield from _tree_strings(node.get("children"), str(node.get("tag")))


def procfile_command(port: int) -> list[str]:
    """The Procfile's web command with its variables expanded, bound to loopback instead of every interface."""
    line = next(line for line in (PROJECT_ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    command = line.split(":", 1)[1].strip()
    variables = {"PORT": str(port)}

    def expand(match: re.Match) -> str:
        return variables.get(match.group(1), os.environ.get(match.group(1)) or match.group(2))

    command = re.sub(r"\$\{(\w+):-([^}]*)\}", expand, command)
    assert "0.0.0.0:" in command, command
    return shlex.split(command.replace("0.0.0.0:", "127.0.0.1:"))


# --- callback requests as Dash's front end sends them ---------------------------------------------------------


def pattern_id(type_: str, page: str = "overview") -> dict:
    return {"page": page, "type": type_}


def item(component_id, prop: str, value=None, with_value: bool = True) -> dict:
    entry = {"id": component_id, "property": prop}
    if with_value:
        entry["value"] = value
    return entry


def outputs_of(output_key: str, all_indices: list[str] = ()) -> list[dict] | dict:
    """The outputs list the front end sends, from the callback's key (concrete ids for MATCH patterns). An ALL output
    lists one component per index in ``all_indices`` (the components the page has; none by default)."""

    def concrete(spec):
        text = spec["id"]
        component_id = json.loads(text.replace('["MATCH"]', '"overview"')) if text.startswith("{") else text
        return {"id": component_id, "property": spec["property"]}

    def every(spec):
        pattern = json.loads(spec["id"])
        return [
            {"id": {k: index if v == ["ALL"] else v for k, v in pattern.items()}, "property": spec["property"]}
            for index in all_indices
        ]

    if "." not in output_key:
        return []  # a callback without outputs (its key is a hash): the front end sends none
    specs = split_callback_id(output_key)
    if isinstance(specs, list):
        return [every(s) if '["ALL"]' in s["id"] else concrete(s) for s in specs]
    return every(specs) if '["ALL"]' in specs["id"] else concrete(specs)


# The indicator page's view route (dashboard.pages.indicator.answer): a control change as the page sends it, for
# Bispehaven and Viby Syd, 2007-2017, on /indikator/skolefravaer.
VIEW_CONTROLS = {"areas": ["bispehaven", "viby-syd"], "measure": "niveau", "years": [2007, 2017], "connect": False}
VIEW_BODY = {
    "pathname": "/indikator/skolefravaer",
    "search": "",
    "controls": VIEW_CONTROLS | {"tab": "graf"},
    "picked": None,
}


def post_view(app, body: object, **changes) -> dict:
    """The view route's answer to ``body`` (with ``changes`` to its controls), checked to be HTTP 200."""
    from dashboard.pages.indicator import VIEW_ROUTE

    if changes:
        body = dict(body, controls=dict(body["controls"], **changes))
    response = app.server.test_client().post("/" + VIEW_ROUTE, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()
