"""components.tree: page parts sent as data and built in the browser (assets/clientside.js)."""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboard.components.tree import tree_host, tree_spec


def test_html_components_links_and_text_become_plain_data():
    spec = json.loads(
        tree_spec(
            [
                html.P(["Tekst ", html.Strong("fed"), None, 3], className="lead", id="p1", **{"aria-live": "polite"}),
                dcc.Link("Bispehaven", href="/omraade/bispehaven", className="area"),
                html.A("Kilde", href="https://example.org", target="_blank", rel="noopener noreferrer"),
                html.Li("skjult", hidden=True, style={"color": "red"}),
            ]
        )
    )
    assert spec == [
        {
            "tag": "p",
            "attrs": {"class": "lead", "id": "p1", "aria-live": "polite"},
            "children": ["Tekst ", {"tag": "strong", "attrs": {}, "children": "fed"}, "3"],
        },
        {"tag": "a", "app": True, "attrs": {"class": "area", "href": "/omraade/bispehaven"}, "children": "Bispehaven"},
        {"tag": "a", "attrs": {"href": "https://example.org"}, "children": "Kilde"},  # target and rel: the browser's
        {"tag": "li", "attrs": {"hidden": ""}, "children": "skjult"},  # no style
    ]


def test_marked_links_open_in_the_app_or_as_plain_links_on_this_site():
    # The header (components.shell): its menu links open pages in the app (and mark the page shown); the language
    # switch and "Log ud" load a page of this site; the switch names the language of its text.
    spec = json.loads(
        tree_spec(
            [
                html.A("Strategi", href="/strategi", **{"data-app-link": "", "aria-current": "page"}),
                html.A("English", href="/?sprog=en", lang="en", **{"data-site-link": ""}),
            ]
        )
    )
    assert spec == [
        {
            "tag": "a",
            "app": True,
            "attrs": {"data-app-link": "", "aria-current": "page", "href": "/strategi"},
            "children": "Strategi",
        },
        {
            "tag": "a",
            "site": True,
            "attrs": {"lang": "en", "data-site-link": "", "href": "/?sprog=en"},
            "children": "English",
        },
    ]


def test_a_host_carries_its_content_and_keeps_its_own_props():
    host = tree_host(html.Span("x"), id="region", **{"aria-live": "polite"}).to_plotly_json()["props"]
    assert host["id"] == "region" and host["aria-live"] == "polite" and host.get("children") is None
    assert json.loads(host["data-tree"]) == {"tag": "span", "attrs": {}, "children": "x"}


def test_a_component_the_browser_cannot_build_is_refused_loudly():
    # A dbc component renders markup of its own (classes, roles): building it from data would not be the same.
    with pytest.raises(TypeError, match="Badge"):
        tree_spec([html.Div(dbc.Badge("x"))])
