"""components.chart.definition_block: an indicator's definition, population, direction and sources travel as one
element with their text as JSON (``data-definition``), built in the browser (tests/browser/test_paths.py); the
indicator pick answers that JSON. Every source of the numbers shown is named, with its address."""

from __future__ import annotations

import json

from dash.development.base_component import Component

from dashboard.components.chart import definition_block, definition_spec
from dashboard.pages import area, render_context
from tests.reliability.helpers import VIEW_BODY, post_view, tree_elements


def _blocks(layout) -> list[dict]:
    """Every definition block of a layout, in page order: as a component, or inside a part sent as data (the area
    page's chart cards, components.tree)."""
    specs = []
    for node in [layout, *layout._traverse()]:
        if isinstance(node, Component) and hasattr(node, "data-definition"):
            specs.append(getattr(node, "data-definition"))
        if isinstance(node, Component) and hasattr(node, "data-tree"):
            specs.extend(
                e["attrs"]["data-definition"]
                for e in tree_elements(getattr(node, "data-tree"))
                if "data-definition" in e["attrs"]
            )
    return [json.loads(spec) for spec in specs]


def test_a_definition_block_is_one_element_carrying_its_text(app):
    dataset = app.bosoc_data.get().dataset
    indicator = dataset.indicators["skolefravaer"]
    block = definition_block(dataset, indicator, "da", ["ukendt-kilde"], id="x")
    props = block.to_plotly_json()["props"]
    assert props.get("children") is None and props["id"] == "x" and props["className"] == "definition-block"
    spec = json.loads(props["data-definition"])
    assert spec["rows"] == [["Definition", indicator.definition["da"]], ["Population", indicator.population["da"]]]
    assert spec["direction"] == "Lavere er bedre" and spec["sourcesLabel"] == "Kilder"
    own = dataset.sources.set_index("id").loc[indicator.source_id]
    assert spec["sources"][0] == {
        "label": f"{own['title']} ({own['publisher']}, {own['year']})",
        "title": f"{own['title']} ({own['publisher']}, {own['year']})",
        "url": own["url"],
    }
    assert spec["sources"][1] == {"label": "ukendt-kilde", "title": "", "url": ""}  # an unknown id, as it is
    english = json.loads(definition_spec(dataset, indicator, "en"))
    assert english["rows"][0] == ["Definition", indicator.definition["en"]] and english["sourcesLabel"] == "Sources"


def test_an_area_page_names_the_sources_of_every_chart(app):
    data = app.bosoc_data.get()
    context = render_context(app, "/omraade/gellerup-toveshoej", "")
    blocks = _blocks(area.layout(context))
    ids = area.indicators_for_area(data, "gellerup-toveshoej")
    assert len(blocks) == len(ids) >= 3
    sources = data.dataset.sources.set_index("id")
    for indicator_id, block in zip(ids, blocks, strict=True):
        # The sources of the area's and Aarhus Kommune's numbers in the chart, each with its address.
        used = {
            r.source_id for a in (area.BENCHMARK_AREA_ID, "gellerup-toveshoej") for r in data.records(indicator_id, a)
        }
        named = {s["label"]: s["url"] for s in block["sources"]}
        for source_id in used:
            row = sources.loc[source_id]
            assert named[f"{row['title']} ({row['publisher']}, {row['year']})"] == row["url"]


def test_an_indicator_pick_answers_the_new_definition_as_its_text(app):
    answer = post_view(app, dict(VIEW_BODY, picked="uden-for-arbejdsmarkedet"))
    spec = json.loads(answer["page"]["definition"])  # text (data-definition), not components
    indicator = app.bosoc_data.get().dataset.indicators["uden-for-arbejdsmarkedet"]
    assert spec["rows"][0] == ["Definition", indicator.definition["da"]]
