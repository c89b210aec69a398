"""Links inside the app: respect the URL prefix (sub-path deployments) and keep the language and embed mode."""

from __future__ import annotations

import dash
from dash import dcc

from dashboard import urlstate


def href(path: str, lang: str = "da", embed: bool = False) -> str:
    """An in-app address for ``path`` (which may carry a query string), under the app's URL prefix."""
    base, _, query = path.partition("?")
    full = dash.get_relative_path(base)
    if query:
        full += "?" + query
    return urlstate.keep_language(full, lang, embed)


def link(children, path: str, lang: str = "da", embed: bool = False, **kwargs) -> dcc.Link:
    return dcc.Link(children, href=href(path, lang, embed), **kwargs)
