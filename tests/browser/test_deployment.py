"""Deployment paths in real Chromium: under a sub-path behind a proxy, and keyboard access from the first Tab."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.conftest import console_errors


def test_the_dashboard_works_under_a_sub_path(dash_duo, data_dir, geo_dir):
    app = create_app(Settings(data_dir=data_dir, geo_dir=geo_dir, url_prefix="/bosoc/"))
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url.rstrip("/")
    dash_duo.driver.get(base + "/bosoc/")
    dash_duo.wait_for_contains_text("h1", "Overblik", timeout=15)
    dash_duo.driver.find_element(By.LINK_TEXT, "Bispehaven").click()
    dash_duo.wait_for_contains_text("h1", "Bispehaven", timeout=10)
    assert dash_duo.driver.current_url.endswith("/bosoc/omraade/bispehaven")
    # a callback round trip under the prefix: the measure changes the address and the chart
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#area-measure input[value='indeks']").click()
    dash_duo.wait_for_contains_text("#area-charts", "Indeks", timeout=10)
    assert "maal=indeks" in dash_duo.driver.current_url
    # the indicator page's view route under the prefix: a measure change, then a pick of another indicator
    dash_duo.driver.get(base + "/bosoc/indikator/skolefravaer")
    dash_duo.wait_for_contains_text("h1", "Skolefravær", timeout=15)
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#indicator-measure input[value='indeks']").click()
    dash_duo.wait_for_contains_text("#indicator-graph .ytitle", "Indeks", timeout=10)
    assert dash_duo.driver.current_url.endswith("/bosoc/indikator/skolefravaer?maal=indeks")
    dash_duo.driver.execute_script(
        "window.dash_clientside.set_props('indicator-picker', {value: 'uden-for-arbejdsmarkedet'})"
    )
    dash_duo.wait_for_contains_text("h1", "uden for arbejdsmarkedet", timeout=10)
    assert dash_duo.driver.current_url.endswith("/bosoc/indikator/uden-for-arbejdsmarkedet")
    resources = dash_duo.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    paths = [r.split(base, 1)[1] for r in resources if r.startswith(base)]
    assert paths and all(p.startswith("/bosoc/") for p in paths), [p for p in paths if not p.startswith("/bosoc/")]
    assert console_errors(dash_duo) == []


def test_first_tab_reaches_the_skip_link_which_jumps_to_the_content(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/omraade/herredsvang")
    dash_duo.wait_for_contains_text("h1", "Herredsvang", timeout=15)
    body = dash_duo.driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = dash_duo.driver.switch_to.active_element
    assert focused.text == "Gå til indhold"
    focused.send_keys(Keys.ENTER)
    assert dash_duo.driver.current_url.endswith("#main-content")
    assert console_errors(dash_duo) == []


def test_every_form_control_has_a_label(dash_duo, app):
    dash_duo.start_server(app)
    for path in ["/", "/omraade/bispehaven", "/indikator/skolefravaer", "/strategi", "/data"]:
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element("#main-content h1", timeout=15)
        time.sleep(1)  # let every control of the page mount
        unlabelled = dash_duo.driver.execute_script(
            """
            return [...document.querySelectorAll('#main-content input, #main-content select, #main-content textarea')]
              .filter(el => el.type !== 'hidden' && el.offsetParent !== null && el.getAttribute('aria-hidden') !== 'true')
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                            && !el.getAttribute('aria-labelledby') && !el.closest('label'))
              .map(el => el.outerHTML.slice(0, 120));
            """
        )
        assert unlabelled == [], (path, unlabelled)
    assert console_errors(dash_duo) == []
