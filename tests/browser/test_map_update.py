"""The map's year and measure in real Chromium with imported outlines: the browser keeps the outlines, applies the
patch, and draws exactly the map the whole figure would give; the answer is a fraction of the figure's size."""

from __future__ import annotations

import json

import plotly
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import create_app
from dashboard.components import mapview
from dashboard.settings import Settings
from tests.conftest import console_errors
from tests.integration.test_map_update import outlined_geo  # noqa: F401 (a fixture)

MAP = {"type": "map-graph", "page": "overview"}
# What plotly.js holds for the drawn map, and the size of every callback answer the browser received.
DRAWN = """
const gd = document.querySelector('.map-graph .js-plotly-plot');
const answers = performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component'));
return {
  data: gd.data.map(t => ({x: t.x, y: t.y, fillcolor: t.fillcolor || null, text: t.text || null,
                           color: t.marker ? t.marker.color || null : null, customdata: t.customdata})),
  answers: answers.map(e => e.decodedBodySize),
};
"""


def expected(app, year: int, measure: str) -> list[dict]:
    with app.server.test_request_context("/"):
        figure, _, _ = mapview.map_figure_for(app, app.bosoc_data.get(), "skolefravaer", year, measure, "da")
    data = json.loads(json.dumps(figure.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder))["data"]
    return data


def same_map(drawn: list[dict], figure: list[dict]) -> bool:
    keys = ("x", "y", "fillcolor", "text", "customdata")
    drawn_keys = [{k: t[k] for k in keys} for t in drawn]
    figure_keys = [{k: t.get(k) for k in keys} for t in figure]
    colours = [t["color"] for t in drawn] == [(t.get("marker") or {}).get("color") for t in figure]
    return drawn_keys == figure_keys and colours


def test_year_and_measure_patch_the_drawn_map_in_place(dash_duo, data_dir, outlined_geo, tmp_path):  # noqa: F811
    app = create_app(Settings(data_dir=data_dir, geo_dir=outlined_geo, cache_dir=tmp_path / "cache"))
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/")
    dash_duo.wait_for_element(".map-graph .scatterlayer .point", timeout=15)
    assert same_map(dash_duo.driver.execute_script(DRAWN)["data"], expected(app, 2017, "niveau"))
    whole = len(json.dumps(expected(app, 2017, "niveau"), separators=(",", ":")))

    for control, value, (year, measure) in (
        ("map-year", 2007, (2007, "niveau")),
        ("map-year", 2017, (2017, "niveau")),
        ("map-measure", "aendring", (2017, "aendring")),
    ):
        answers_before = len(dash_duo.driver.execute_script(DRAWN)["answers"])
        dash_duo.driver.execute_script(
            "window.dash_clientside.set_props(arguments[0], {value: arguments[1]});",
            {"type": control, "page": "overview"},
            value,
        )
        want = expected(app, year, measure)
        WebDriverWait(dash_duo.driver, 10).until(
            lambda driver, want=want: same_map(driver.execute_script(DRAWN)["data"], want),
            message=f"the map for {year} {measure}",
        )
        answers = dash_duo.driver.execute_script(DRAWN)["answers"][answers_before:]
        # The outlines stayed in the browser: every answer was a fraction of the figure's size.
        assert answers and max(answers) < whole / 3, (answers, whole)
        assert str(year) in dash_duo.find_element(".map-card .chart-summary").text
        # The PNG/SVG buttons name the file after the year shown (read from the card when clicked).
        named = dash_duo.driver.execute_script(
            "return document.querySelector('.map-card [data-filename]').getAttribute('data-filename');"
        )
        assert named == f"bosoc-kort-skolefravaer-{year}"
    assert console_errors(dash_duo) == []


# For each marker of an area without a value: its colour and its opacity with that of every group it is drawn in, and
# whether it is drawn after (so over) every coloured marker; and the same for the legend's "Ingen data" swatch.
MISSING_PAINTED = """
const gd = document.querySelector('.map-graph .js-plotly-plot');
const missing = gd.data.findIndex(t => t.name === 'Ingen data');
const traces = gd.querySelectorAll('.scatterlayer .trace');
const look = el => {
  let opacity = 1;
  for (let node = el; node && node !== gd; node = node.parentElement) {
    opacity *= parseFloat(getComputedStyle(node).opacity);
  }
  return [getComputedStyle(el).fill, opacity];
};
// The markers drawn in colour (the labels' trace has invisible markers, opacity 0).
const coloured = [...traces].filter((trace, i) => i !== missing && gd.data[i].marker.opacity !== 0)
  .flatMap(t => [...t.querySelectorAll('path.point')]);
const painted = [...traces[missing].querySelectorAll('path.point')].map(point => ({
  over: coloured.every(other => other.compareDocumentPosition(point) & Node.DOCUMENT_POSITION_FOLLOWING),
  look: look(point),
}));
const swatch = gd.querySelector('.legend .legendpoints path');
// Every label is drawn after (over) every visible marker, the grey ones too.
const markers = [...coloured, ...traces[missing].querySelectorAll('path.point')];
const labels = [...gd.querySelectorAll('.textpoint text')];
const labelsOver = labels.length === 7 && labels.every(
  label => markers.every(m => m.compareDocumentPosition(label) & Node.DOCUMENT_POSITION_FOLLOWING));
return {painted: painted, legend: swatch ? look(swatch) : null, names: gd.data[missing].customdata.map(c => c[0]),
        labelsOver: labelsOver};
"""


def test_an_area_without_a_value_looks_exactly_like_the_no_data_legend(dash_duo, app):
    """In the map's first year there is no change to show, so every area is "Ingen data". plotly.js draws markers of
    several sizes at 0.7 opacity unless told otherwise, and the grey then let the scale's colour underneath show
    through: a blue-grey that looked like a value. Each area must look exactly like the legend's grey."""
    with app.server.test_request_context("/"):
        first_year = mapview.year_options(app.bosoc_data.get(), "skolefravaer", "da")[0]["value"]
    dash_duo.start_server(app)
    dash_duo.driver.get(f"{dash_duo.server_url}/?indikator=skolefravaer&aar={first_year}&maal=aendring")
    dash_duo.wait_for_element(".map-graph .legend .legendpoints path", timeout=15)
    seen = dash_duo.driver.execute_script(MISSING_PAINTED)
    assert len(seen["names"]) == 7, seen  # every helhedsplan area: no change in the first year
    assert seen["legend"] == ["rgb(188, 195, 204)", 1], seen
    assert [p["look"] for p in seen["painted"]] == [seen["legend"]] * 7, seen
    assert all(p["over"] for p in seen["painted"]), seen
    assert seen["labelsOver"], seen  # no grey marker hides a label that lies over it
    assert console_errors(dash_duo) == []
