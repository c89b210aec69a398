"""A part of a page that a callback replaces often, sent as one element carrying its content as JSON.

Dash 4's renderer checks every component of a page on each store update, and a callback that answers new
``children`` mounts every component in them: the strategy page's filter replaced about 380 components (the initiative
cards and the theme list) and took 90-200 ms in the browser. The same content built with ``html`` components and
``dcc.Link`` is turned into plain data here (``tree_spec``), and assets/clientside.js builds the elements from it
(``data-tree``), with text nodes only: a tag outside a short list becomes a ``span``, an attribute outside ``class``,
``id``, ``role``, ``title``, ``hidden``, ``scope``, ``lang``, ``aria-*`` and ``data-*`` is dropped, an ``html.A`` links
only to an http(s) address (new tab, no access to this page), or, marked ``data-site-link``, to a path on this site
(a plain link: the language switch, "Log ud"), and a ``dcc.Link`` (or an ``html.A`` marked ``data-app-link``) only
to an address inside the app, which it opens the way ``dcc.Link`` does (no page load). Also used for an area page's
chart cards around their charts, tables whose cells hold links, the data page's definitions and the site's header and
footer: every part of a page that no callback answers as components.
"""

from __future__ import annotations

import json
import re

from dash import dcc, html

_ATTRIBUTES = {
    "className": "class",
    "id": "id",
    "role": "role",
    "title": "title",
    "hidden": "hidden",
    "scope": "scope",
    "lang": "lang",
}
_PREFIXED = re.compile(r"^(aria|data)-[a-z-]+$")


def tree_spec(children) -> str:
    """``children`` (components, text, lists; None is left out) as the JSON a ``data-tree`` element carries."""
    return json.dumps(_node(children), ensure_ascii=False, separators=(",", ":"))


def tree_host(children, **props) -> html.Div:
    """A ``div`` whose content assets/clientside.js builds from ``children`` (a callback answers its ``data-tree``)."""
    return html.Div(**props, **{"data-tree": tree_spec(children)})


def _node(value):
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return [node for node in (_node(child) for child in value) if node is not None]
    if isinstance(value, dcc.Link):
        props = value.to_plotly_json()["props"]
        return {"tag": "a", "app": True, "attrs": _attributes(props, href=props.get("href")), **_children(props)}
    if isinstance(value, html.A):
        props = value.to_plotly_json()["props"]
        # Marked: an address inside the app, opened as dcc.Link opens one; or a path on this site, a plain link.
        kind = {"app": True} if "data-app-link" in props else {"site": True} if "data-site-link" in props else {}
        return {"tag": "a", **kind, "attrs": _attributes(props, href=props.get("href")), **_children(props)}
    if getattr(value, "_namespace", None) == "dash_html_components":
        props = value.to_plotly_json()["props"]
        return {"tag": value._type.lower(), "attrs": _attributes(props), **_children(props)}
    raise TypeError(f"{type(value).__name__} cannot travel as a tree (html components, dcc.Link and text only)")


def _children(props: dict) -> dict:
    children = _node(props.get("children"))
    return {} if children is None else {"children": children}


def _attributes(props: dict, **extra) -> dict:
    out = {}
    for name, value in props.items():
        if value is None or value is False or name == "children":
            continue
        if name in _ATTRIBUTES:
            out[_ATTRIBUTES[name]] = "" if value is True else str(value)
        elif _PREFIXED.match(name):
            out[name] = str(value)
    return out | {name: str(value) for name, value in extra.items() if value}
