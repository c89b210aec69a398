"""The benchmark: the dashboard against a floor app, in one run, on real, 10x and 100x data.

    python -m bench.run                      # everything (about 4 minutes on a 2-core machine)
    python -m bench.run --quick              # fewer repetitions (about 2 minutes), for a first look
    python -m bench.run --sizes real --reps 30 --loads 3 --seconds 4

It starts the floor app (``bench/floor_app.py``) and then the dashboard under gunicorn with the Procfile's command,
once per data size (the real ``data/``, then synthetic folders from :mod:`dashboard.synthetic`), each with a fresh
cache folder. For each it measures, with headless Chromium and loopback HTTP clients:

- page load of ``/``, ``/omraade/gellerup-toveshoej``, ``/indikator/skolefravaer`` and ``/strategi`` (the floor: its
  one page): time until every chart is drawn, number of requests, bytes transferred; the first load after start
  (server cache empty) is reported apart from the median of the following loads;
- interactions on the indicator page (area, indicator, measure, year range) and the measure on an area page (every
  chart on it; the floor: its dropdown): time until the charts on the screen are redrawn, median and p95 over
  ``--reps`` repetitions each, also until the frame after the last drawing (when the reader can see it), and on the
  area page also until every chart is (the others are redrawn when the browser is idle); the data page's area
  filter, until its observations table is rebuilt; and the strategy page's theme
  filter, until its initiatives are rebuilt;
- server: a request body captured from the page (the indicator page's measure change, posted to its view route; the
  floor's dropdown callback)
  posted by 1, 8 and 32 closed-loop clients for ``--seconds`` each (latency p50/p95/p99, requests per second,
  errors), and once per distinct year range by one client (every request computed: the cost of a cache miss);
- memory: resident size of each gunicorn worker after the browser measurements (warm-up).

It prints a table with each figure for the floor and the dashboard and the ratio dashboard/floor, checks the
targets of the performance issue, and writes everything to ``bench/results/<timestamp>.json``. The floor keeps
running throughout, and its page is loaded again right after each dashboard size's pages: page-load ratios use that
same-block floor (shown in the row "load floor / ms (same block)"), because other work on a shared machine moves load
times more than the apps do. Likewise each dashboard click is paired with a click on the floor's dropdown in a second
browser (in random order), and interaction ratios use those paired floor clicks ("interaction ... floor p95 ms
(paired)"; the floor's own run is the left column).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import load as server_load
from bench.browser import Browser
from bench.servers import DASHBOARD_APP, FLOOR_APP, ROOT, GunicornServer
from dashboard import synthetic
from dashboard.pages.indicator import VIEW_ROUTE

PAGES = ("/", "/omraade/gellerup-toveshoej", "/indikator/skolefravaer", "/strategi")
INDICATOR_PAGE = "/indikator/skolefravaer"
AREA_PAGE = "/omraade/gellerup-toveshoej"
DATA_PAGE = "/data"
DATA_TABLE = ("#data-table [data-table]", "data-table", "__bosocTable")
STRATEGY_PAGE = "/strategi"
STRATEGY_RESULTS = ("#strategy-results", "data-tree", "__bosocTree")
CLIENTS = (1, 8, 32)
RESULTS_DIR = ROOT / "bench" / "results"
PROPS_JS = """
const state = window.store.getState();
const path = state.paths.strs[arguments[0]];
if (!path) { return null; }
let node = state.layout;
for (const key of path) { node = node[key]; }
return node.props;
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None}
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(server_load.percentile(values, 0.95), 1),
    }


# --- browser ----------------------------------------------------------------------------------------------------


def page_loads(browser: Browser, base_url: str, path: str, loads: int) -> dict:
    """The first load (server cache cold after start), then ``loads`` more; medians of the latter."""
    runs = [browser.load(base_url + path) for _ in range(loads + 1)]
    errors = [r["error"] for r in runs if "error" in r]
    later = [r for r in runs[1:] if "error" not in r] or runs[:1]
    sizes = {e["name"].rsplit("/", 1)[-1][:60]: e["transfer"] for e in runs[-1]["resources"]}
    return {
        "first_ms": round(runs[0].get("ms", float("nan")), 1),
        "ms": round(statistics.median(r.get("ms", float("nan")) for r in later), 1),
        "requests": statistics.median(r["requests"] for r in later),
        "kb": round(statistics.median(r["bytes"] for r in later) / 1024, 1),
        "graphs": runs[-1].get("graphs"),
        "errors": errors,
        "largest_transfers_kb": {
            name: round(size / 1024, 1) for name, size in sorted(sizes.items(), key=lambda i: -i[1])[:6]
        },
    }


class FloorClicks:
    """The floor's dropdown, clicked in its own browser between the dashboard's clicks: each interaction's ratio
    compares clicks made under the same conditions (this machine's speed moves by a third between runs, and within a
    run), like the page loads' same-block floor."""

    def __init__(self, browser: Browser, base_url: str):
        browser.load(base_url + "/")
        options = browser.driver.execute_script(PROPS_JS, "floor-series")["options"]
        values = [o if isinstance(o, str) else o["value"] for o in options]
        self.browser, self.values, self.count = browser, values[1:] + values[:1], 0

    def click(self) -> dict:
        value = self.values[self.count % len(self.values)]
        self.count += 1
        return self.browser.interact("floor-series", {"value": value})


def _collect(results: list[dict]) -> dict:
    times = [r["ms"] for r in results if "error" not in r]
    every_chart = stats([r.get("all_ms", r["ms"]) for r in results if "error" not in r])
    frame = stats([r["frame_ms"] for r in results if "error" not in r and r.get("frame_ms") is not None])
    return stats(times) | {"errors": len(results) - len(times), "all_charts": every_chart, "frame": frame}


def repeat_interaction(browser: Browser, plan: Plan, reps: int, floor: FloorClicks | None = None) -> dict:
    """``reps`` changes planned by ``plan``; with ``floor``, each is paired with a floor click (in random order),
    whose figures are returned under "floor"."""
    mine, theirs = [], []
    for rep in range(reps):
        order = [0, 1] if floor is not None else [0]
        random.shuffle(order)
        for which in order:
            if which == 0:
                mine.append(plan.change(browser, rep))
            else:
                theirs.append(floor.click())
    result = _collect(mine) | {"distinct_states": min(len(plan.values), reps)}
    return result | ({"floor": _collect(theirs)} if floor is not None else {})


def year_ranges(low: int, high: int) -> list[list[int]]:
    """Distinct year ranges, widest first: the benchmark's cold callbacks use those the interactions did not show."""
    return [[a, a + span] for span in range(high - low, 1, -1) for a in range(low, high - span + 1)]


def year_steps(low: int, high: int, shown: list[int]) -> list[tuple[str, int, list[int]]]:
    """Changes of one end of the year range at a time, as a reader makes them with the "Fra år" and "Til år" selects
    (components.controls.year_range), each to a range not shown before (so no answer comes from the cache):
    (``"from"`` or ``"to"``, the year chosen, the range then shown). Starts from ``shown``."""
    current, seen, steps = list(shown), {tuple(shown)}, []
    while True:
        first, last = current
        # Latest "from" first, then the latest "to": a walk down through the ranges, each step to a new one.
        candidates = [("from", y, [y, last]) for y in range(last - 1, low - 1, -1)]
        candidates += [("to", y, [first, y]) for y in range(high, first, -1)]
        fresh = [c for c in candidates if tuple(c[2]) not in seen]
        if not fresh:
            return steps
        step = fresh[0]
        steps.append(step)
        seen.add(tuple(step[2]))
        current = step[2]


@dataclass
class Plan:
    """One of the benchmark's dashboard interactions: the control changed for each value (an id per value), the
    values in order, and for a page without charts the element it rebuilds (``Browser.interact``'s ``host``). The
    year range's plan also gives the data's first and last year and the ranges its steps show, the page's first."""

    name: str
    ids: list
    values: list
    host: tuple[str, str, str] | None = None
    years: tuple[int, int] | None = None
    ranges: list[list[int]] = field(default_factory=list)

    def change(self, browser: Browser, rep: int) -> dict:
        """The ``rep``-th change (the values in turn), timed by ``Browser.interact``."""
        i = rep % len(self.values)
        return browser.interact(self.ids[i], {"value": self.values[i]}, self.host)


def interaction_plans(browser: Browser, base_url: str) -> Iterator[Plan]:
    """The dashboard's interactions in the benchmark's order; each is planned when the caller has run the ones
    before it (or skipped them), and a page is loaded when its first interaction is planned."""
    browser.load(base_url + INDICATOR_PAGE)
    driver = browser.driver
    year_options = driver.execute_script(PROPS_JS, "indicator-years-from")["options"]
    low, high = int(year_options[0]["value"]), int(year_options[-1]["value"])
    shown = [int(driver.execute_script(PROPS_JS, f"indicator-years-{end}")["value"]) for end in ("from", "to")]
    areas = driver.execute_script(PROPS_JS, "indicator-areas")
    picker = driver.execute_script(PROPS_JS, "indicator-picker")
    # One select at a time, every change to a range not shown before (setting the shown range again redraws nothing).
    steps = year_steps(low, high, shown)
    default_areas = list(areas["value"])
    # Add an area that is not shown (on the real data every area with data is shown: then take one away).
    extra = [o["value"] for o in areas["options"] if o["value"] not in default_areas][:1]
    other_areas = [*default_areas, *extra] if extra else default_areas[:-1]
    measures = ["indeks", "forskel", "niveau"]
    yield Plan("measure", ["indicator-measure"] * len(measures), measures)
    yield Plan(
        "years",
        [f"indicator-years-{end}" for end, _, _ in steps],
        [str(y) for _, y, _ in steps],
        years=(low, high),
        ranges=[shown, *(r for _, _, r in steps)],
    )
    yield Plan("area", ["indicator-areas"] * 2, [other_areas, default_areas])
    with_data = [o["value"] for o in picker["options"] if "(" not in o["label"] and o["value"] != "skolefravaer"]
    cycle = [*with_data[:4], "skolefravaer"]
    yield Plan("indicator", ["indicator-picker"] * len(cycle), cycle)
    # A steering group's own page: the measure changes every chart on it (22 on the real data; the floor has one).
    browser.load(base_url + AREA_PAGE)
    yield Plan("area-page", ["area-measure"] * len(measures), measures)
    # The secretariat's data page: the area filter between one area and none (every area: the table grows from one
    # area's rows to all rows, at most 200), until the observations table is rebuilt.
    browser.load(base_url + DATA_PAGE)
    one_area = [driver.execute_script(PROPS_JS, "data-areas")["options"][0]["value"]]
    yield Plan("data-page", ["data-areas"] * 2, [one_area, []], DATA_TABLE)
    # The board's strategy themes: the theme filter through two themes and back to every theme, until the initiatives
    # are rebuilt (the theme list is rebuilt by the same answer).
    browser.load(base_url + STRATEGY_PAGE)
    options = driver.execute_script(PROPS_JS, "strategy-tema")["options"]
    themes = [o["value"] if isinstance(o, dict) else o for o in options][:2]
    yield Plan("strategy", ["strategy-tema"] * 3, [*themes, None], STRATEGY_RESULTS)


def dashboard_interactions(
    browser: Browser, base_url: str, reps: int, floor: FloorClicks | None = None
) -> tuple[dict, tuple[str, bytes], list[list[int]]]:
    result, body, unused = {}, None, []
    for plan in interaction_plans(browser, base_url):
        result[plan.name] = repeat_interaction(browser, plan, reps, floor)
        if plan.name == "measure":
            # The server load test posts the body of the last measure change: a real user change, answered with a
            # chart (by the page's view route, pages/indicator.VIEW_ROUTE, which answers the indicator page's controls).
            body = pick_post(browser.captured_posts(), "/" + VIEW_ROUTE)
        if plan.years:
            shown = {tuple(r) for r in plan.ranges[: reps + 1]}
            unused = [r for r in year_ranges(*plan.years) if tuple(r) not in shown]
    return result, body, unused


def floor_interactions(browser: Browser, base_url: str, reps: int) -> dict:
    floor = FloorClicks(browser, base_url)
    return {
        "dropdown": _collect([floor.click() for _ in range(reps)]) | {"distinct_states": min(len(floor.values), reps)}
    }


def pick_post(posts: list[tuple[str, bytes]], route: str, output_id: str | None = None) -> tuple[str, bytes]:
    """The last captured POST to ``route`` (for Dash's callback route: of the callback with ``output_id``)."""
    for path, body in reversed(posts):
        if path.endswith(route) and (output_id is None or output_id in json.loads(body).get("output", "")):
            return path, body
    raise RuntimeError(f"no request to {route} {output_id or ''} was captured")


def with_years(body: bytes, years: list[int]) -> bytes:
    """The indicator page's view request with another year range."""
    payload = json.loads(body)
    payload["controls"]["years"] = years
    return json.dumps(payload).encode()


# --- one target -------------------------------------------------------------------------------------------------


def measure(name: str, server: GunicornServer, args, is_floor: bool, floor_url: str | None = None) -> dict:
    log(f"[{name}] {server.command}")
    result = {"name": name, "command": server.command, "startup_s": round(server.wait_ready(), 1)}
    browser = Browser()
    try:
        paths = ("/",) if is_floor else PAGES
        result["pages"] = {}
        for path in paths:
            log(f"[{name}] page load {path}")
            result["pages"][path] = page_loads(browser, server.base_url, path, args.loads)
        if floor_url:
            # The floor's page again, right after the dashboard's: page-load ratios compare loads made under the
            # same conditions (other work on the machine changes load times more than the apps do).
            log(f"[{name}] floor page load, same block")
            result["floor_page"] = page_loads(browser, floor_url, "/", args.loads)
        log(f"[{name}] interactions x{args.reps}")
        if is_floor:
            result["interactions"] = floor_interactions(browser, server.base_url, args.reps)
            path, body = pick_post(browser.captured_posts(), server_load.CALLBACK_PATH, "floor-chart")
            cold_bodies = [body] * args.reps
        else:
            floor_browser = Browser() if floor_url else None
            try:
                floor = FloorClicks(floor_browser, floor_url) if floor_browser else None
                result["interactions"], (path, body), unused_ranges = dashboard_interactions(
                    browser, server.base_url, args.reps, floor
                )
                if floor_browser:
                    result["floor_console_errors"] = floor_browser.console_errors()
            finally:
                if floor_browser:
                    floor_browser.close()
            cold_bodies = [with_years(body, r) for r in unused_ranges[: args.reps]]
        result["console_errors"] = browser.console_errors()
    finally:
        browser.close()
    result["worker_rss_mb"] = server.worker_rss_mb()
    result["request_path"] = path
    result["callback_body_bytes"] = len(body)
    result["server"] = {}
    for clients in CLIENTS:
        log(f"[{name}] server load, {clients} client(s), {args.seconds} s")
        result["server"][str(clients)] = server_load.hammer(server.base_url, body, clients, args.seconds, path=path)
    log(f"[{name}] cold callbacks x{len(cold_bodies)}")
    result["server"]["cold"] = server_load.sequential(server.base_url, cold_bodies, path=path)
    result["worker_rss_after_load_mb"] = server.worker_rss_mb()
    return result


# --- report -----------------------------------------------------------------------------------------------------


def _ratio(value, floor) -> str:
    if value is None or floor in (None, 0):
        return "–"
    return f"{value / floor:.2f}"


def rows_for(floor: dict, run: dict) -> list[tuple[str, float | None, float | None, str]]:
    """(figure, floor value, dashboard value, comparison) rows; higher-is-better figures are marked."""
    floor_page = run.get("floor_page") or floor["pages"]["/"]
    rows = [("load floor / ms (same block)", floor["pages"]["/"]["ms"], floor_page["ms"], "")]
    for path, page in run["pages"].items():
        rows.append((f"load {path} ms", floor_page["ms"], page["ms"], "≤1.3"))
        rows.append((f"load {path} first ms", floor_page["first_ms"], page["first_ms"], ""))
        rows.append((f"load {path} requests", floor_page["requests"], page["requests"], ""))
        rows.append((f"load {path} KB", floor_page["kb"], page["kb"], "≤1.2"))
    dropdown = floor["interactions"]["dropdown"]
    for kind, values in run["interactions"].items():
        # The floor's clicks made between this interaction's clicks, when there are any (older results: the floor's
        # own run).
        paired = values.get("floor") or dropdown
        rows.append((f"interaction {kind} floor p95 ms (paired)", dropdown["p95_ms"], paired["p95_ms"], ""))
        rows.append((f"interaction {kind} p50 ms", paired["p50_ms"], values["p50_ms"], ""))
        rows.append((f"interaction {kind} p95 ms", paired["p95_ms"], values["p95_ms"], "≤1.5"))
        # The frame after the last drawing (older results have none; on the area page the last drawing is that of
        # the charts redrawn when the browser is idle: the row "all charts" tells that).
        if kind != "area-page" and (values.get("frame") or {}).get("n") and (paired.get("frame") or {}).get("n"):
            rows.append(
                (f"interaction {kind} until its frame p95 ms", paired["frame"]["p95_ms"], values["frame"]["p95_ms"], "")
            )
        if kind == "area-page":  # its charts off the screen are redrawn later, when the browser is idle
            every_chart = values.get("all_charts") or {}
            rows.append((f"interaction {kind} all charts p95 ms", paired["p95_ms"], every_chart.get("p95_ms"), ""))
    for clients in (*map(str, CLIENTS), "cold"):
        mine, theirs = run["server"][clients], floor["server"][clients]
        label = (
            f"server {clients} client{'s' if clients != '1' else ''}" if clients != "cold" else "server cold 1 client"
        )
        for key in ("p50_ms", "p95_ms", "p99_ms"):
            rows.append(
                (f"{label} {key.removesuffix('_ms')} ms", theirs[key], mine[key], "≤2" if key == "p95_ms" else "")
            )
        if clients != "cold":
            rows.append((f"{label} req/s", theirs["rps"], mine["rps"], "≥0.5" if clients == "32" else ""))
        rows.append((f"{label} errors", theirs["errors"], mine["errors"], "=0"))
    rows.append(("worker RSS max MB", max(floor["worker_rss_mb"]), max(run["worker_rss_mb"]), "≤1.5"))
    return rows


def check(target: str, floor_value, value) -> str:
    if not target or value is None or floor_value is None:
        return ""
    if target == "=0":
        return "ok" if value == 0 else "MISS"
    limit = float(target[1:])
    ratio = value / floor_value if floor_value else float("inf")
    return "ok" if (ratio >= limit if target.startswith("≥") else ratio <= limit) else "MISS"


def print_table(results: dict) -> None:
    floor = results["floor"]
    sizes = [s for s in results["runs"]]
    tables = {size: rows_for(floor, results["runs"][size]) for size in sizes}
    header = f"{'figure':44s} {'floor':>9s}" + "".join(f" {size:>9s} {'ratio':>6s} {'':>4s}" for size in sizes)
    print(header)
    print("-" * len(header))
    for index, (label, floor_value, _, target) in enumerate(tables[sizes[0]]):
        line = f"{label:44s} {_fmt(floor_value):>9s}"
        for size in sizes:
            row = tables[size][index] if index < len(tables[size]) else (label, floor_value, None, target)
            line += f" {_fmt(row[2]):>9s} {_ratio(row[2], row[1]):>6s} {check(target, row[1], row[2]):>4s}"
        print(line + (f"   target {target}" if target else ""))
    if "real" in results["runs"] and "100x" in results["runs"]:
        real, big = results["runs"]["real"], results["runs"]["100x"]
        print("\nGrowth 100x / real (targets: callback p95 ≤ 3, page load ≤ 1.5)")
        for clients in ("1", "cold"):
            a, b = real["server"][clients]["p95_ms"], big["server"][clients]["p95_ms"]
            print(f"  callback p95, {clients:>4s}: {_fmt(a)} -> {_fmt(b)} ms  x{_ratio(b, a)}")
        for kind in real["interactions"]:
            a, b = real["interactions"][kind]["p95_ms"], big["interactions"][kind]["p95_ms"]
            print(f"  interaction {kind:9s} p95: {_fmt(a)} -> {_fmt(b)} ms  x{_ratio(b, a)}")
        for path in real["pages"]:
            a, b = real["pages"][path]["ms"], big["pages"][path]["ms"]
            print(f"  page load {path:30s}: {_fmt(a)} -> {_fmt(b)} ms  x{_ratio(b, a)}")


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value != int(value):
        return f"{value:.1f}"
    return str(int(value)) if isinstance(value, float) else str(value)


# --- main -------------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,10,100", help="comma-separated: real and/or scale factors")
    parser.add_argument("--reps", type=int, default=30, help="repetitions of each interaction (default 30)")
    parser.add_argument("--loads", type=int, default=3, help="page loads after the first, per page (default 3)")
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds per server load level (default 4)")
    parser.add_argument("--quick", action="store_true", help="--reps 10 --loads 1 --seconds 2")
    parser.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/<timestamp>.json)")
    args = parser.parse_args(argv)
    if args.quick:
        args.reps, args.loads, args.seconds = 10, 1, 2.0
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    python_bin = Path(sys.executable)
    work = Path(tempfile.mkdtemp(prefix="bosoc-bench-"))
    results: dict = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {k: str(v) for k, v in vars(args).items()},
        "runs": {},
    }
    with GunicornServer(FLOOR_APP, {}, work / "floor.log", python_bin) as floor:
        results["floor"] = measure("floor", floor, args, is_floor=True)
        for size in args.sizes.split(","):
            size = size.strip()
            env = {"CACHE_DIR": str(work / f"cache-{size}")}
            label = "real" if size == "real" else f"{int(size)}x"
            if size != "real":
                log(f"[{label}] generating synthetic data")
                data_dir, geo_dir = synthetic.generate(work / label, int(size))
                env |= {"DATA_DIR": str(data_dir), "GEO_DIR": str(geo_dir)}
            with GunicornServer(DASHBOARD_APP, env, work / f"dashboard-{label}.log", python_bin) as server:
                results["runs"][label] = measure(label, server, args, is_floor=False, floor_url=floor.base_url)
    results["duration_s"] = round(time.monotonic() - started, 1)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = args.out or RESULTS_DIR / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print_table(results)
    print(f"\n{results['duration_s']} s; results in {out}; logs in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
