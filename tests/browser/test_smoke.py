"""One smoke test per page, in Danish and English, in real Chromium: the page renders its heading, its charts are
drawn, and the browser console has no errors."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import console_errors

PAGES = [
    ("/", "Overblik", "Overview"),
    ("/omraade/gellerup-toveshoej", "Gellerup/Toveshøj", "Gellerup/Toveshøj"),
    ("/indikator/skolefravaer", "Skolefravær", "School absence"),
    ("/strategi", "Strategi", "Strategy"),
    ("/data", "Data og kilder", "Data and sources"),
    ("/om", "Om", "About"),
    ("/findes-ikke", "Siden findes ikke", "Page not found"),
]


DRAWN_JS = """
return Array.from(document.querySelectorAll('.dash-graph')).every(g => g.querySelector('.main-svg'));
"""
CUT_LABELS_JS = """
const cut = [];
document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
  const box = gd.getBoundingClientRect();
  gd.querySelectorAll('.xtick text, .ytick text').forEach(function (label) {
    const r = label.getBoundingClientRect();
    const outside = r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5
      || r.bottom > box.bottom + 0.5;
    if (label.style.display === 'none' || outside) {
      cut.push(label.textContent + ' in ' + (gd.closest('.chart-card, .map-card, .card') || gd).textContent.slice(0, 40));
    }
  });
});
return cut;
"""

# Every area's label on a map (name and value) lies whole inside the map and clear of every other label.
MAP_LABELS_JS = """
const problems = [];
document.querySelectorAll('.map-graph .js-plotly-plot').forEach(function (gd) {
  const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const labels = [...gd.querySelectorAll('.textpoint text')].map(t => [t.textContent, t.getBoundingClientRect()]);
  if (!labels.length) { problems.push('a map without labels'); }
  labels.forEach(function ([name, r], i) {
    if (r.left < plot.left - 0.5 || r.right > plot.right + 0.5 || r.top < plot.top - 0.5 || r.bottom > plot.bottom + 0.5) {
      problems.push(name + ' is cut off');
    }
    labels.slice(i + 1).forEach(function ([other, s]) {
      const wide = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const high = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (wide > 1 && high > 1) { problems.push(name + ' covers ' + other); }
    });
  });
});
return problems;
"""


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize(("path", "heading_da", "heading_en"), PAGES)
def test_page_renders_without_console_errors(dash_duo, app, path, heading_da, heading_en, lang):
    dash_duo.start_server(app)
    query = "?sprog=en" if lang == "en" else ""
    dash_duo.driver.get(dash_duo.server_url + path + query)
    heading = heading_en if lang == "en" else heading_da
    dash_duo.wait_for_contains_text("h1", heading, timeout=15)
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == lang
    graphs = dash_duo.find_elements(".js-plotly-plot")
    for graph in graphs:
        # every chart on the page has drawn its traces
        assert graph.find_elements("css selector", ".main-svg")
    assert dash_duo.driver.execute_script(CUT_LABELS_JS) == []  # no axis label hidden or cut off
    assert dash_duo.driver.execute_script(MAP_LABELS_JS) == []  # every map label readable
    errors = console_errors(dash_duo)
    if path == "/findes-ikke":
        # The 404 page is served with HTTP status 404 on purpose; Chromium reports that status for the document.
        errors = [e for e in errors if "status of 404" not in e.get("message", "")]
    assert errors == []


# Every table that is shown has been built (assets/clientside.js builds a table when it is first shown, before the
# next paint): only then does a measurement see the tables' width.
SHOWN_TABLES_BUILT_JS = """
const shown = [...document.querySelectorAll('[data-table]')].filter(host => host.checkVisibility());
return shown.every(host => host.querySelector('table') !== null);
"""


def open_every_details(dash_duo) -> None:
    """Open every "Vis som tabel" and definition, and wait until the tables in them are built."""
    dash_duo.driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; });")
    WebDriverWait(dash_duo.driver, 10).until(lambda driver: driver.execute_script(SHOWN_TABLES_BUILT_JS))


STACKED_TABLES_JS = """
return [...document.querySelectorAll('table.stack-narrow')].map(t => [
  (t.querySelector('th') || t).textContent.slice(0, 40), t.scrollWidth <= t.parentElement.clientWidth + 1]);
"""


def test_no_page_is_wider_than_a_phone(dash_duo, app):
    # On a 375 px phone no page may be dragged sideways: wide content (tables, chips, charts) scrolls inside its own
    # box; and no chart's axis label is hidden or cut off at the chart's edge. Chromium's device emulation gives the
    # real narrow viewport (a desktop window cannot be that narrow).
    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
    )
    try:
        for path, heading, _ in PAGES:
            for query in ("", "?fane=kort", "?fane=tabel") if path.startswith("/indikator/") else ("",):
                dash_duo.driver.get(dash_duo.server_url + path + query)
                dash_duo.wait_for_contains_text("h1", heading, timeout=15)
                dash_duo.wait_for_element(".site-footer, .embed-footer", timeout=10)
                dash_duo.wait_for_no_elements(".dash-graph--pending", timeout=10)
                WebDriverWait(dash_duo.driver, 10).until(lambda driver: driver.execute_script(DRAWN_JS))
                wider = dash_duo.driver.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert wider == 0, f"{path}{query} is {wider} px wider than the phone"
                # Also with every "Vis som tabel" and definition open: a wide table scrolls in its own box.
                open_every_details(dash_duo)
                wider = dash_duo.driver.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert wider == 0, f"{path}{query} with its tables open is {wider} px wider than the phone"
                # Tables of text (key figures, state lists, criteria) read as labelled lines on a phone: none of them
                # needs sideways scrolling in its box (the area page's state lists did, with rows a screen tall).
                stacked = dash_duo.driver.execute_script(STACKED_TABLES_JS)
                assert all(fits for _, fits in stacked), f"{path}{query}: {stacked}"
                if path.startswith("/omraade/gellerup"):
                    assert len(stacked) >= 2, stacked  # the state lists and at least one year's criteria
                # Every axis label is whole and inside its chart (a hidden or cut-off year misleads the reader).
                assert dash_duo.driver.execute_script(CUT_LABELS_JS) == [], f"{path}{query}: labels cut off"
                assert dash_duo.driver.execute_script(MAP_LABELS_JS) == [], f"{path}{query}: map labels"
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    errors = [e for e in console_errors(dash_duo) if "status of 404" not in e.get("message", "")]
    assert errors == []
