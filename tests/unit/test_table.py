"""components.chart.table: text tables travel as one element with their cells as JSON; tables with links stay
components (the browser half is tested in tests/browser/test_paths.py)."""

from __future__ import annotations

import json

from dash import html

from dashboard.components.chart import table


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


def test_a_table_with_links_stays_a_component_table():
    link = html.A("Kilde", href="https://example.org")
    result = table(["Område", "Kilde"], [["Bispehaven", link]])
    assert isinstance(result, html.Table)
    body = result.children[2]
    assert body.children[0].children[1].children is link
