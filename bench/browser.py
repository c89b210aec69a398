"""Measurements in headless Chromium (Debian's chromium and chromedriver, through selenium).

- Page load: the browser cache is off (a first visit), the page is opened from ``about:blank``, and a script polls in
  the page until the page is *done*: Dash has no callback pending, every ``dcc.Graph`` on the page has been drawn by
  plotly.js (``.main-svg`` present, no ``dash-graph--pending``) and the page has its ``<h1>``. The time is
  ``performance.now()`` at that moment, i.e. milliseconds since navigation started. Requests and bytes come from the
  Resource Timing API: ``transferSize`` is what went over the wire (compressed, with headers).
- Interaction: a control's value is set the way the user's click sets it (``dash_clientside.set_props``, which runs
  the same callbacks), and the time runs until the callbacks are done and plotly.js has redrawn (a wrapper around
  ``Plotly.react`` counts finished drawings) every chart on the screen. Also reported: the time until the frame
  after the last drawing starts (``frame_ms``; its animation frame callbacks run just before it is painted), what
  the reader waits for: work the page does after the drawing but before that frame delays what the reader sees.
  The area page redraws its charts off the screen when the browser is idle (assets/clientside.js): the time until
  every chart of the page is redrawn is measured too (``all_ms``), and the next click waits for it.
- A filter on the data page or the strategy page: until the callbacks are done and the part it changes (the
  observations table; the initiatives) is built from its new content (one element carrying it as JSON;
  assets/clientside.js builds it).
- The request bodies for the server load test (a callback's, or the indicator page's view route's) are captured from
  Chromium's network log, exactly as the page sent them.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
)

# Shared by the load and interaction scripts: is the page done (callbacks finished, every graph drawn)?
READY_JS = """
window.__benchReady = function () {
  if (!window.store || !document.querySelector('h1')) { return false; }
  const callbacks = Object.assign({}, window.store.getState().callbacks);
  delete callbacks.stored; delete callbacks.completed;
  for (const key in callbacks) { if (callbacks[key] && callbacks[key].length) { return false; } }
  if (document.querySelector('[data-dash-is-loading="true"]')) { return false; }
  // A page that redraws the charts off the screen later (assets/clientside.js): the ones on it are drawn.
  if (window.bosocChartHosts && window.bosocChartHosts.pending(true)) { return false; }
  const graphs = document.querySelectorAll('.dash-graph');
  for (const graph of graphs) {
    if (graph.classList.contains('dash-graph--pending') || !graph.querySelector('.main-svg')) { return false; }
  }
  return true;
};
window.__benchCountDraws = function () {
  if (window.Plotly && !window.__benchWrapped) {
    const react = window.Plotly.react;
    window.Plotly.react = function () {
      return Promise.resolve(react.apply(this, arguments)).then(function (gd) {
        window.__benchDraws = (window.__benchDraws || 0) + 1;
        // The frame that shows the drawing: its animation frame callbacks run just before it is painted.
        window.requestAnimationFrame(function () {
          window.__benchFrames = (window.__benchFrames || 0) + 1;
          window.__benchFrameAt = performance.now();
        });
        return gd;
      });
    };
    window.__benchWrapped = true;
  }
};
"""

WAIT_LOADED_JS = (
    READY_JS
    + """
const done = arguments[arguments.length - 1];
const deadline = performance.now() + arguments[0];
(function poll() {
  if (window.__benchReady()) {
    window.__benchCountDraws();
    done({ms: performance.now(), graphs: document.querySelectorAll('.dash-graph').length});
  } else if (performance.now() > deadline) { done({error: 'timeout'}); }
  else { setTimeout(poll, 4); }
})();
"""
)

INTERACT_JS = """
const [componentId, props, timeoutMs] = arguments;
const done = arguments[arguments.length - 1];
const before = window.__benchDraws || 0;
const start = performance.now();
window.dash_clientside.set_props(componentId, props);
let ms = null;
(function poll() {
  if (ms === null && (window.__benchDraws || 0) > before && window.__benchReady()) { ms = performance.now() - start; }
  // Then until every chart of the page shows the change (the charts off the screen are redrawn when the browser is
  // idle): the next click waits for it, and it is reported as the time until all charts are drawn. And until the
  // frame after the last drawing has come: the time until the reader can see the chart (frame_ms).
  if (ms !== null && !(window.bosocChartHosts && window.bosocChartHosts.pending(false)) &&
      (window.__benchFrames || 0) >= (window.__benchDraws || 0)) {
    done({ms: ms, all_ms: performance.now() - start, frame_ms: window.__benchFrameAt - start});
  }
  else if (performance.now() - start > timeoutMs) { done({error: 'timeout'}); }
  else { setTimeout(poll, 2); }
})();
"""

# A filter on a page without charts (the data page's table, the strategy page's initiatives): the part it changes is
# one element carrying its content as JSON in an attribute, built by assets/clientside.js, which records the JSON it
# built in a property of the element. The time runs until the callbacks are done and the element shows its new content.
INTERACT_HOST_JS = """
const [componentId, props, selector, attribute, builtProperty, timeoutMs] = arguments;
const done = arguments[arguments.length - 1];
const first = document.querySelector(selector);
const before = first && first.getAttribute(attribute);
const start = performance.now();
window.dash_clientside.set_props(componentId, props);
(function poll() {
  const host = document.querySelector(selector);
  const spec = host && host.getAttribute(attribute);
  if (spec && spec !== before && host[builtProperty] === spec && window.__benchReady()) {
    done({ms: performance.now() - start});
  }
  else if (performance.now() - start > timeoutMs) { done({error: 'timeout'}); }
  else { setTimeout(poll, 2); }
})();
"""

RESOURCES_JS = """
const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
return entries.map(e => ({name: e.name, transfer: e.transferSize, body: e.encodedBodySize, type: e.initiatorType}));
"""


class Browser:
    def __init__(self, timeout_s: float = 60.0):
        options = Options()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_script_timeout(timeout_s + 5)
        self.timeout_ms = timeout_s * 1000
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})

    def close(self) -> None:
        self.driver.quit()

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def load(self, url: str) -> dict:
        """Open ``url`` with an empty cache; time until done, requests and bytes transferred."""
        self.driver.get("about:blank")
        self.driver.get_log("performance")  # drop what came before
        self.driver.get(url)
        try:
            result = self.driver.execute_async_script(WAIT_LOADED_JS, self.timeout_ms)
        except TimeoutException:
            result = {"error": "timeout"}
        entries = self.driver.execute_script(RESOURCES_JS)
        result["requests"] = len(entries)
        result["bytes"] = sum(int(e["transfer"] or 0) for e in entries)
        result["resources"] = entries
        return result

    def interact(self, component_id, props: dict, host: tuple[str, str, str] | None = None) -> dict:
        """Set ``props`` of ``component_id``; time until the charts on the screen are redrawn, or (``host``: a CSS
        selector, the attribute with the element's JSON, the property in which clientside.js records what it built)
        until that element shows its new content."""
        try:
            if host is not None:
                return self.driver.execute_async_script(
                    READY_JS + INTERACT_HOST_JS, component_id, props, *host, self.timeout_ms
                )
            return self.driver.execute_async_script(INTERACT_JS, component_id, props, self.timeout_ms)
        except TimeoutException:
            return {"error": "timeout"}

    def captured_posts(self) -> list[tuple[str, bytes]]:
        """(path, body) of the POST requests with a body that the page sent since the last call (network log)."""
        posts = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") != "Network.requestWillBeSent":
                continue
            request = message["params"]["request"]
            if request.get("method") == "POST" and request.get("postData"):
                path = urlsplit(request["url"]).path
                posts.append((path, request["postData"].encode("utf-8")))
        return posts
