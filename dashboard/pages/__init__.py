"""Page registry, the shell around every page, and the router that maps the URL to a page.

The URL is the state. The router renders a page from its path and query string when the browser asks for it in
``route-request``: once when the app starts, and after every navigation (a link inside the app, the browser's back and
forward buttons). Controls on a page write their state back into the query string (``dcc.Location(refresh=False)``
pushes it to the browser's history without telling the app), and the page updates itself in place, so a control
change costs one server round trip and nothing runs after it. Which events are navigations is decided in the
browser, in plain JavaScript (assets/clientside.js, "Routing"); no Dash callback listens to the address, because
each would run, as a round of its own, after every control change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import dash
from dash import Input, Output, dcc, html
from dash.exceptions import PreventUpdate, UnsupportedRelativePath

from dashboard import urlstate
from dashboard.components import mapview
from dashboard.components.shell import page_shell
from dashboard.pages import about, area, data_page, indicator, not_found, overview, strategy
from dashboard.pages.context import PageContext

PAGE_MODULES = (overview, area, indicator, strategy, data_page, about)


@dataclass(frozen=True)
class Route:
    module: object
    pattern: re.Pattern


def _compile(path: str) -> re.Pattern:
    regex = re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", path.rstrip("/") or "/")
    return re.compile(f"^{regex}/?$")


ROUTES = tuple(Route(module, _compile(module.PATH)) for module in PAGE_MODULES)


def resolve(path: str, data) -> tuple[object, dict]:
    """The page module and path parameters for ``path`` (without the URL prefix); not_found when none fits."""
    path = "/" + path.strip("/")
    for route in ROUTES:
        match = route.pattern.match(path)
        if match:
            params = match.groupdict()
            valid = getattr(route.module, "valid_path", None)
            if valid is None or valid(data, **params):
                return route.module, params
            return not_found, {}
    return not_found, {}


def _resolve_address(app: dash.Dash, data, pathname: str | None) -> tuple[str, object, dict]:
    settings = app.bosoc_settings
    try:
        path = dash.strip_relative_path(pathname or settings.url_prefix) or ""
    except (UnsupportedRelativePath, AttributeError):
        # Not a path under the app's prefix (or not text at all): only a forged request sends one.
        path = not_found.PATH
    return path, *resolve(path, data)


def address_kept(app: dash.Dash, pathname: str | None, search: str | None) -> tuple[dict, str, bool]:
    """The path parameters, language and embed mode of a URL: what ``render_context`` gives of them, without working
    out the page's own parameters (for a cache key, which must cost little)."""
    data = app.bosoc_data.get()
    _, _, path_params = _resolve_address(app, data, pathname)
    values, _ = urlstate.parse_query(urlstate.split_search(search), [])
    return path_params, values["sprog"], values["embed"]


def render_context(app: dash.Dash, pathname: str | None, search: str | None) -> PageContext:
    """The page context for a URL: data, language, validated query values and notices."""
    data = app.bosoc_data.get()
    settings = app.bosoc_settings
    path, module, path_params = _resolve_address(app, data, pathname)
    # A page's parameters depend only on the data and the (validated) path: worked out once per data version.
    page_params = (
        list(
            data.memo(
                ("params", module.__name__, *sorted(path_params.items())), lambda: module.params(data, **path_params)
            )
        )
        if hasattr(module, "params")
        else []
    )
    values, ignored = urlstate.parse_query(urlstate.split_search(search), page_params)
    # An unknown address is never written back into the page's links (language switch, full view): it may be
    # anything a stranger typed; the 404 page's own links lead to its fixed path instead.
    shown_path = not_found.PATH if module is not_found else ("/" + path.strip("/") if path.strip("/") else "/")
    return PageContext(
        data=data,
        settings=settings,
        lang=values["sprog"],
        embed=values["embed"],
        values=values,
        path_params=path_params,
        notices=tuple(ignored),
        pathname=shown_path,
        page_params=tuple(page_params),
        module=module,
        app=app,
    )


def render(app: dash.Dash, pathname: str | None, search: str | None) -> tuple[object, str, str]:
    """The page for a URL inside its shell, its title, and its language."""
    context = render_context(app, pathname, search)
    title = context.module.title(context)
    return page_shell(context, context.module.layout(context), title), title, context.lang


def register(app: dash.Dash) -> None:
    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh=False),
            # Asked for once when the app starts; assets/clientside.js asks again on every navigation.
            dcc.Store(id="route-request"),
            dcc.Store(id="route-shown"),
            html.Div(id="page-title", hidden=True),
            html.Div(id="html-lang", hidden=True),
            html.Div(id="shell"),
        ]
    )

    # The first page: the address the browser opened (assets/clientside.js asks for the later ones).
    app.clientside_callback(
        "function(id) { return {path: window.location.pathname, search: window.location.search}; }",
        Output("route-request", "data"),
        Input("route-request", "id"),
    )

    @app.callback(
        Output("shell", "children"),
        Output("page-title", "children"),
        Output("html-lang", "children"),
        # The address rendered. Also for speed, measured but not explained: without a store among this callback's
        # outputs (all children properties), Dash 4's renderer took 2-3 times as long to show a large page (the area
        # page at 100x: 4,3-5,7 s against 1,6-1,8 s, same machine, interleaved).
        Output("route-shown", "data"),
        Input("route-request", "data"),
    )
    def route(request):
        if not isinstance(request, dict):
            raise PreventUpdate  # before the browser has asked, or a forged request
        pathname, search = request.get("path"), request.get("search")
        if not isinstance(pathname, str | None) or not isinstance(search, str | None):
            raise PreventUpdate  # only a forged request sends an address that is not text
        return (*render(app, pathname, search), {"path": pathname, "search": search or ""})

    mapview.register(app)
    for module in (*PAGE_MODULES, not_found):
        registrar: Callable | None = getattr(module, "register", None)
        if registrar:
            registrar(app)
