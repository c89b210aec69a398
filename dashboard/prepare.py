"""Answers prepared when a data version is loaded, so that a reader's first pick of an indicator is served from the
shared cache instead of being computed while the reader waits.

A pick of another indicator on the indicator page is answered with that indicator's default view, and that answer
depends only on the indicator picked, the language, the embed mode and whether the page's area picker already offers
the indicator's areas (``pages.indicator.pick_key``, by which dashboard.cache keys it). Computed, it costs the first
reader of each indicator 8-14 ms on the server at 100 times the real data, 28-30 ms for a quarterly indicator (its
rows, aggregate and records, then the figure), against 1-2,5 ms from the cache; in the browser the first picks of the
benchmark took 40-60 ms at 100x, the later ones 25-30 (bench.run's clicks in order: 59, 43, 44, 40, then 18-37 ms;
with the answers already in the cache 28, 29, 25, then 20-33).

So when a gunicorn worker has loaded a data version (at start, and after each reload), one process per version
(claimed in the shared cache, so the other workers do not start one) answers a pick of every indicator with data, in
Danish and in English, from a page whose area picker offers its areas and from one that does not, through the view
route's own function, which stores each answer in the shared cache under exactly the key a reader's pick gets. It
runs as its own process, ``python -m dashboard.prepare``, at the lowest CPU priority, and exits when done: a worker
that did it in a thread would keep every indicator's intermediate results (about 2,5 MB more per worker at 100x,
measured) and its requests would share the interpreter with the work. It loads the data itself (all done in 1,2 s on
the real data, 6,4 s at 100x on an idle machine) and holds a worker's memory while it runs. Without a working shared
cache it stores nothing and changes nothing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time

log = logging.getLogger(__name__)

LANGUAGE_SEARCHES = ("", "?sprog=en")  # the default (Danish) and English; embedded pages are computed when asked
CLAIM_PREFIX = "prepared|"
COMMAND = [sys.executable, "-m", "dashboard.prepare"]


def start(app) -> None:
    """In a gunicorn worker (gunicorn.conf.py, post_worker_init): prepare this data version's answers, and each
    later version's after a reload. Never raises: preparing is a head start only."""
    app.bosoc_data.on_new_version = lambda: _start_once(app)
    _start_once(app)


def _start_once(app) -> None:
    """Start the preparing process unless another worker has claimed this data version."""
    version = app.bosoc_data.get().version
    try:
        if not app.bosoc_cache.add(CLAIM_PREFIX + app.bosoc_cache_fingerprint + "|" + version, os.getpid()):
            return
        process = _launch()
    except Exception as error:  # a head start only: the answers are then computed when first asked for
        log.warning("answers not prepared ahead (%s: %s)", type(error).__name__, error)
        return
    # Reaped when it ends (no zombie process left in the worker).
    threading.Thread(target=process.wait, name="prepare-wait", daemon=True).start()


def _launch() -> subprocess.Popen:
    """The preparing process, with the worker's environment (its settings) and folder; its log goes to the worker's."""
    return subprocess.Popen(COMMAND, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, cwd=os.getcwd())


def prepare(app) -> int:
    """Answer a pick of every indicator with data, in each language, from a page with and without its areas, into the
    shared cache; return how many answers the route gave (whether or not the cache stored them)."""
    from dashboard.pages import indicator

    data = app.bosoc_data.get()
    with_data = [i for i in data.indicator_ids_with_data if indicator.areas_with_data(data, i)]
    if len(with_data) < 2:
        return 0
    route = app.bosoc_settings.url_prefix + indicator.VIEW_ROUTE
    endpoint = next(rule.endpoint for rule in app.server.url_map.iter_rules() if rule.rule == route)
    view = app.server.view_functions[endpoint]  # the route's function as dashboard.cache wrapped it
    answered = 0
    for search in LANGUAGE_SEARCHES:
        for picked in with_data:
            origin = next(i for i in with_data if i != picked)  # any other indicator: the answer is the same
            # Asked from a page whose area picker offers the picked indicator's areas, and from one that does not
            # (the answer then has the new options): the two answers a pick can get.
            for shown_areas in (indicator.area_set(indicator.areas_with_data(data, picked)), ""):
                body = {
                    "pathname": app.get_relative_path(f"/indikator/{origin}"),
                    "search": search,
                    "controls": {"areas": [], "measure": "niveau", "years": [0, 0], "connect": False, "tab": "graf"},
                    "picked": picked,
                    "areaSet": shown_areas,
                }
                with app.server.test_request_context(
                    route, method="POST", json=body, headers={"Accept-Encoding": "gzip"}
                ):
                    answered += app.server.make_response(view()).status_code == 200
    return answered


def main() -> int:
    os.nice(19)  # the lowest priority first: readers' requests go before this work
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    started = time.perf_counter()
    from dashboard.app import create_app

    app = create_app()
    answered = prepare(app)
    log.info(
        "%d answers prepared for data version %s in %.1f s (%d computed, %d already in the cache, %d cache errors)",
        answered,
        app.bosoc_data.get().version,
        time.perf_counter() - started,
        app.bosoc_cache.misses,
        app.bosoc_cache.hits,
        app.bosoc_cache.errors,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
