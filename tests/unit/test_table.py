"""components.chart.table: text tables travel as one element with their cells as JSON; tables with links travel as
one element carrying the table's elements (components.tree); the browser half is tested in
tests/browser/test_paths.py."""

from __future__ import annotations

import json

import pytest
from dash import html

from dashboard.components.chart import table, table_host, table_spec


def test_a_text_table_is_one_element_with_every_cell_as_text():
    host = table(["Område", "2007", "2017"], [["Bispehaven", "9,7 %", "–"], ["<b>x</b>", None, 3]], caption="Fravær")
    props = host.to_plotly_json()["props"]
    assert props["className"] == "data-table-host" and props.get("children") is None
    spec = json.loads(props["data-table"])
    assert spec["caption"] == "Fravær"
    assert spec["header"] == ["Område", "2007", "2017"]
    # Every cell is kept as the text shown (nothing dropped, markup kept as text, missing as empty).
    assert spec["rows"] == [["Bispehaven", "9,7 %", "–"], ["<b>x</b>", "", "3"]]
    assert spec["numericFrom"] == 1 and "data-table" in spec["className"]


def test_stacking_on_phones_and_alignment_are_carried():
    spec = json.loads(
        table(["a", "b"], [["x", "y"]], numeric_from=99, stack_narrow=True).to_plotly_json()["props"]["data-table"]
    )
    assert "stack-narrow" in spec["className"] and spec["numericFrom"] == 99


def test_a_table_with_links_is_one_element_carrying_the_whole_table():
    link = html.A("Kilde", href="https://example.org", title="Årsskrift 2018")
    result = table(["Område", "Kilde"], [["Bispehaven", link], ["<b>x</b>", "9,7 %"]], caption="Kilder", numeric_from=1)
    props = result.to_plotly_json()["props"]
    assert props.get("children") is None
    [built] = json.loads(props["data-tree"])
    assert built["tag"] == "table" and built["attrs"]["class"] == "table table-sm data-table"
    caption, head, body = built["children"]
    assert caption == {"tag": "caption", "attrs": {}, "children": "Kilder"}
    assert head["children"]["children"] == [
        {"tag": "th", "attrs": {"scope": "col"}, "children": "Område"},
        {"tag": "th", "attrs": {"scope": "col"}, "children": "Kilde"},
    ]
    first, second = body["children"]
    # The row header, then each cell labelled with its column (phones), numbers right-aligned; the link as a link
    # with its hover text, markup as text.
    assert first["children"][0] == {"tag": "th", "attrs": {"scope": "row"}, "children": "Bispehaven"}
    assert first["children"][1] == {
        "tag": "td",
        "attrs": {"class": "num", "data-label": "Kilde"},
        "children": {
            "tag": "a",
            "attrs": {"title": "Årsskrift 2018", "href": "https://example.org"},
            "children": "Kilde",
        },
    }
    assert second["children"][0]["children"] == "<b>x</b>"


def test_a_table_spec_is_what_its_host_carries_and_holds_text_only():
    spec = table_spec(["Område", "2017"], [["Bispehaven", "6,4 %"]], caption="Fravær")
    host = table_host(spec, {"type": "area-table", "index": "skolefravaer"}).to_plotly_json()["props"]
    assert host["data-table"] == spec and host["id"] == {"type": "area-table", "index": "skolefravaer"}
    assert (
        table(["Område", "2017"], [["Bispehaven", "6,4 %"]], caption="Fravær").to_plotly_json()["props"]["data-table"]
        == spec
    )
    with pytest.raises(ValueError):  # a link cannot travel as text: such a table stays a component table
        table_spec(["Område", "Kilde"], [["Bispehaven", html.A("Kilde", href="https://example.org")]])
