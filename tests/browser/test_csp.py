"""The dashboard works fully under its Content-Security-Policy, in real Chromium, with no console error.

Every page is opened (Danish and English) and used: the overview's map, the area page's measure, the indicator page's
tabs (map, table, chart), the strategy page's text search, the data page's downloads (CSV, XLSX, template). Before each
page the test checks that the document really carries the policy, and at the end that Chromium enforces it (an
injected inline script is blocked), so a page cannot "work" because the policy is missing. Chromium reports every
policy violation as a console error, which fails the test.
"""

from __future__ import annotations

import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.app import content_security_policy
from tests.conftest import console_errors

PAGES = ["/", "/omraade/bispehaven", "/indikator/skolefravaer", "/strategi", "/data", "/om", "/findes-ikke"]


def errors_except_404(dash_duo) -> list[dict]:
    # The 404 page is served with HTTP status 404 on purpose; Chromium reports that status for the document.
    return [e for e in console_errors(dash_duo) if "status of 404" not in e.get("message", "")]


def open_page(dash_duo, path: str) -> None:
    policy = requests.get(dash_duo.server_url + path, timeout=10).headers.get("Content-Security-Policy")
    assert policy == content_security_policy(dash_duo.app_under_test, dash_duo.app_under_test.bosoc_settings)
    assert "'unsafe-eval'" not in policy and "default-src 'self'" in policy
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#main-content h1", timeout=15)


def click(driver, element) -> None:
    # A script click: the page scrolls smoothly, so a pointer click can land on a stale position.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def use_page(dash_duo, path: str, lang: str) -> None:
    """The page's main interactions, each a callback round trip under the policy."""
    driver = dash_duo.driver
    if path == "/":
        dash_duo.wait_for_element(".map-graph .scatterlayer .point", timeout=10)
    elif path.startswith("/omraade/"):
        click(driver, driver.find_element(By.CSS_SELECTOR, "#area-measure input[value='indeks']"))
        dash_duo.wait_for_contains_text("#area-charts", "Index" if lang == "en" else "Indeks", timeout=10)
    elif path.startswith("/indikator/"):
        for tab in ("Map", "Table", "Chart") if lang == "en" else ("Kort", "Tabel", "Graf"):
            candidates = driver.find_elements(By.XPATH, f"//*[@id='indicator-tabs']//a[normalize-space()='{tab}']")
            if candidates:
                click(driver, candidates[0])
                time.sleep(0.5)
        dash_duo.wait_for_element("#indicator-graph .main-svg", timeout=10)
    elif path == "/strategi":
        search = driver.find_element(By.ID, "strategy-q")
        search.send_keys("lektie" + Keys.ENTER)  # the box is debounced: Enter sends it
        deadline = time.time() + 10
        while "q=lektie" not in driver.current_url and time.time() < deadline:
            time.sleep(0.2)
        assert "q=lektie" in driver.current_url
    elif path == "/data":
        for button in ("data-download-csv-shown", "data-download-xlsx-all", "data-download-template"):
            click(driver, driver.find_element(By.ID, button))
            time.sleep(0.7)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_page_works_under_the_policy_without_console_errors(dash_duo, app, lang):
    dash_duo.start_server(app)
    dash_duo.app_under_test = app
    query = "?sprog=en" if lang == "en" else ""
    for path in PAGES:
        open_page(dash_duo, path + query)
        use_page(dash_duo, path, lang)
        time.sleep(0.3)
        assert errors_except_404(dash_duo) == [], path


def test_the_browser_enforces_the_policy(dash_duo, app):
    """The control: the same browser refuses an injected inline script on a dashboard page, and says so."""
    dash_duo.start_server(app)
    dash_duo.app_under_test = app
    open_page(dash_duo, "/om")
    assert errors_except_404(dash_duo) == []
    # (Selenium's own script runs outside the page's policy; what it injects into the page does not.)
    injected = dash_duo.driver.execute_script(
        """
        window.__injected = false;
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true;';
        document.body.appendChild(script);
        return window.__injected;
        """
    )
    assert injected is False
    messages = " ".join(e.get("message", "") for e in console_errors(dash_duo))
    assert "Content Security Policy" in messages
