"""Quarterly figures in real Chromium (synthetic data, where four indicators have a row per quarter): the chart draws
the quarters inside their years, labels whole years, names the quarter when a point is pointed at, and follows a
control change; no console errors, and nothing is cut off on a phone."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import synthetic
from dashboard.settings import Settings
from tests.browser.test_smoke import CUT_LABELS_JS, DRAWN_JS, open_every_details
from tests.conftest import console_errors

PATH = "/indikator/uden-for-arbejdsmarkedet"

# Plotly's own record of what it drew: the x values of each trace, and the axis' tick labels as shown.
DRAWN = """
const gd = document.getElementById('indicator-graph').querySelector('.js-plotly-plot');
return {
  xs: gd.data.map(t => t.x.filter(x => x !== null)),
  ticks: Array.from(gd.querySelectorAll('.xtick text')).map(t => t.textContent),
};
"""
# The hover label of a point of the chart (trace ``curve``, point ``point``; a negative point counts from the end).
HOVER_JS = """
const [curve, point] = arguments;
const gd = document.getElementById('indicator-graph').querySelector('.js-plotly-plot');
const n = gd.data[curve].x.length;
Plotly.Fx.hover(gd, [{curveNumber: curve, pointNumber: point < 0 ? n + point : point}]);
const label = gd.querySelector('.hoverlayer .hovertext');
return label ? label.textContent : null;
"""


@pytest.fixture(scope="module")
def quarterly_folders(tmp_path_factory):
    return synthetic.generate(tmp_path_factory.mktemp("quarters"), 1)


@pytest.fixture
def quarterly_app(quarterly_folders, tmp_path):
    from dashboard.app import create_app

    data_dir, geo_dir = quarterly_folders
    return create_app(Settings(data_dir=data_dir, geo_dir=geo_dir, cache_dir=tmp_path / "cache"))


def drawn(dash_duo) -> dict:
    dash_duo.wait_for_no_elements(".dash-graph--pending", timeout=10)
    WebDriverWait(dash_duo.driver, 10).until(lambda driver: driver.execute_script(DRAWN_JS))
    return dash_duo.driver.execute_script(DRAWN)


def test_a_quarterly_chart_draws_quarters_labels_years_and_names_the_quarter_on_hover(dash_duo, quarterly_app):
    dash_duo.start_server(quarterly_app)
    dash_duo.driver.get(dash_duo.server_url + PATH + "?fra=2021&til=2022")
    dash_duo.wait_for_contains_text("h1", "uden for arbejdsmarkedet", timeout=15)
    chart = drawn(dash_duo)
    # Every x is a quarter of 2021 or 2022 (a fraction of its year), never a whole year.
    quarters = {2021.125, 2021.375, 2021.625, 2021.875, 2022.125, 2022.375, 2022.625, 2022.875}
    assert chart["xs"] and all(set(xs) <= quarters and xs for xs in chart["xs"])
    assert chart["ticks"] == ["2021", "2022"]
    hover = dash_duo.driver.execute_script(HOVER_JS, 0, -1)
    assert hover is not None and "2022K" in hover and "2022.875" not in hover, hover
    # A control change redraws with quarters: the gap to Aarhus Kommune, quarter by quarter.
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#indicator-measure input[value='forskel']").click()
    WebDriverWait(dash_duo.driver, 10).until(
        lambda driver: "forskel" in driver.execute_script("return window.location.search")
    )
    WebDriverWait(dash_duo.driver, 10).until(lambda driver: len(drawn(dash_duo)["xs"]) == 7)  # no Aarhus Kommune
    assert all(set(xs) <= quarters for xs in drawn(dash_duo)["xs"])
    assert console_errors(dash_duo) == []


def test_quarterly_pages_fit_a_phone(dash_duo, quarterly_app):
    dash_duo.start_server(quarterly_app)
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
    )
    try:
        for path in (PATH, PATH + "?fane=tabel", "/?indikator=uden-for-arbejdsmarkedet"):
            dash_duo.driver.get(dash_duo.server_url + path)
            dash_duo.wait_for_element(".site-footer", timeout=15)
            dash_duo.wait_for_no_elements(".dash-graph--pending", timeout=10)
            WebDriverWait(dash_duo.driver, 10).until(lambda driver: driver.execute_script(DRAWN_JS))
            open_every_details(dash_duo)
            wider = dash_duo.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert wider == 0, path  # also with the 80-column tables open
            assert dash_duo.driver.execute_script(CUT_LABELS_JS) == [], path
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert console_errors(dash_duo) == []


# Where the opened table's columns and row headers are, relative to the box it scrolls in.
TABLE_VIEW = """
const host = document.querySelector('#indicator-chart-table.data-table-host');
const box = host.getBoundingClientRect();
const inside = el => { const r = el.getBoundingClientRect(); return r.left >= box.left - 1 && r.right <= box.right + 1; };
const columns = Array.from(host.querySelectorAll('thead th[scope=col]'));
const rows = Array.from(host.querySelectorAll('tbody th[scope=row]'));
// The table is built when it is first shown, before the next paint (assets/clientside.js): not yet built, not shown.
if (!columns.length) { return {lastShown: null}; }
return {
  scrolled: host.scrollLeft,
  lastShown: inside(columns[columns.length - 1]) ? columns[columns.length - 1].textContent : null,
  firstShown: inside(columns[1]),
  rowHeadersAtLeft: rows.every(r => Math.abs(r.getBoundingClientRect().left - box.left) < 1.5),
};
"""


def test_an_opened_wide_table_shows_the_latest_quarters_beside_the_area_names(dash_duo, quarterly_app):
    """Eighty quarters do not fit: the table scrolls in its box, opens at the latest quarter, and the areas' names
    stay at the left edge while it scrolls."""
    dash_duo.start_server(quarterly_app)
    dash_duo.driver.get(dash_duo.server_url + PATH)
    dash_duo.wait_for_contains_text("h1", "uden for arbejdsmarkedet", timeout=15)
    summary = dash_duo.find_element("#indicator-chart .chart-table summary")
    dash_duo.driver.execute_script("arguments[0].click();", summary)  # opens "Vis som tabel"
    WebDriverWait(dash_duo.driver, 10).until(lambda driver: driver.execute_script(TABLE_VIEW)["lastShown"])
    view = dash_duo.driver.execute_script(TABLE_VIEW)
    assert view["lastShown"] == "2022K4" and not view["firstShown"] and view["scrolled"] > 0
    assert view["rowHeadersAtLeft"]
    # Scrolled back to the start by the reader, the names are still at the left and the first quarter is shown.
    dash_duo.driver.execute_script("document.querySelector('#indicator-chart-table.data-table-host').scrollLeft = 0;")
    view = dash_duo.driver.execute_script(TABLE_VIEW)
    assert view["firstShown"] and view["rowHeadersAtLeft"]
    assert console_errors(dash_duo) == []


LONE_PATH = "/indikator/ak-voksne-18-64"  # in the synthetic data, Trigeparken's first and last values stand alone
LONE_JS = """
const gd = document.getElementById('indicator-graph').querySelector('.js-plotly-plot');
const traces = gd.data.map((t, i) => ({name: t.name, mode: t.mode, visible: t.visible, x: t.x,
  of: t.meta ? t.meta.isolatedOf : null,
  points: gd.querySelectorAll('.scatterlayer .trace')[i].querySelectorAll('.point').length}));
const legend = [...document.querySelectorAll('#indicator-graph ~ .chart-legend button')]
  .map(b => [b.textContent, b.getAttribute('aria-pressed')]);
return {traces: traces, legend: legend};
"""


def test_a_lone_value_in_a_long_series_is_marked_hovered_and_hidden_with_its_line(dash_duo, quarterly_app):
    # A value no line passes through gets a marker, drawn by a trace of markers at the lone values only (a marker
    # size for every point made plotly style them all); the series' own trace still gives its hover, the legend has
    # one button per series, and hiding the series hides its markers too.
    dash_duo.start_server(quarterly_app)
    dash_duo.driver.get(dash_duo.server_url + LONE_PATH)
    dash_duo.wait_for_element("#indicator-graph .main-svg", timeout=15)
    WebDriverWait(dash_duo.driver, 10).until(lambda driver: driver.execute_script(LONE_JS)["legend"])
    seen = dash_duo.driver.execute_script(LONE_JS)
    series = [t for t in seen["traces"] if t["of"] is None]
    lone = [t for t in seen["traces"] if t["of"] is not None]
    assert [t["name"] for t in lone] == ["Trigeparken"] and lone[0]["x"] == [2003, 2022]
    assert lone[0]["mode"] == "markers" and lone[0]["points"] == 2  # both lone values drawn, nothing else
    line = next(i for i, t in enumerate(seen["traces"]) if t["name"] == "Trigeparken" and t["of"] is None)
    assert seen["traces"][line]["mode"] == "lines" and seen["traces"][line]["points"] == 0
    assert [name for name, _ in seen["legend"]] == [t["name"] for t in series]  # each series once
    hover = dash_duo.driver.execute_script(HOVER_JS, line, seen["traces"][line]["x"].index(2003))
    assert hover is not None and "Trigeparken" in hover and "2003" in hover, hover
    button = f"[...document.querySelectorAll('#indicator-graph ~ .chart-legend button')][{series.index(seen['traces'][line])}]"
    dash_duo.driver.execute_script(button + ".click();")
    visible = "return document.getElementById('indicator-graph').querySelector('.js-plotly-plot').data"
    trigeparken = visible + ".filter(t => t.name === 'Trigeparken').map(t => t.visible)"
    WebDriverWait(dash_duo.driver, 10).until(lambda d: d.execute_script(trigeparken) == ["legendonly"] * 2)
    dash_duo.driver.execute_script(button + ".click();")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: d.execute_script(trigeparken) == [True, True])
    assert console_errors(dash_duo) == []
