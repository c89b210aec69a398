"""Interleaved A/B of one interaction: the dashboard as it is here, the dashboard at another commit, and the floor.

    python -m bench.ab 4140a48 --interaction indicator --reps 80
    python -m bench.ab HEAD~1 --interaction measure --size 100

Did a change make an interaction faster? Two runs of ``bench.run`` cannot say: this machine's speed moves by a third
between runs, more than most changes. Here the three apps run at once under gunicorn (the Procfile's command), each
clicked in its own Chromium, and every round clicks all three in random order, so they meet the same machine. The
interactions are ``bench.run``'s (``interaction_plans``), timed the same way; the floor is its dropdown. It prints
the median and p95 of each and the ratios to the floor, and writes them to ``bench/results/ab-<timestamp>.json``.

The other commit is exported with ``git archive`` into a temporary folder and served from there with this
environment's packages; the partial plotly bundle (``vendor/``, built by scripts/install-frontend.sh, not in git) is
copied from here, so both serve the same plotly.js.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench.browser import Browser
from bench.run import RESULTS_DIR, FloorClicks, interaction_plans, log, stats
from bench.servers import DASHBOARD_APP, FLOOR_APP, ROOT, GunicornServer
from dashboard import synthetic

INTERACTIONS = ("measure", "years", "area", "indicator", "area-page", "data-page", "strategy")


def export(rev: str, target: Path) -> str:
    """The project at ``rev`` in ``target`` (with this folder's vendor/); returns the commit's id."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    if (ROOT / "vendor").is_dir():
        shutil.copytree(ROOT / "vendor", target / "vendor", dirs_exist_ok=True)
    return commit


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the other commit (any git revision: a hash, HEAD~1, a branch)")
    parser.add_argument("--interaction", choices=INTERACTIONS, default="indicator", help="default: indicator (a pick)")
    parser.add_argument("--reps", type=int, default=60, help="clicks of each app (default 60)")
    parser.add_argument("--size", default="real", help="real, or a scale factor for synthetic data (10, 100)")
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="seconds to wait once the servers answer, before the first click (bench.run clicks its picks about a "
        "minute after the start, when dashboard.prepare's process has ended: 1-2 s on the real data, 6-10 s at 100x)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bosoc-ab-"))
    other = work / "other"
    try:
        commit = export(args.rev, other)
    except subprocess.CalledProcessError as error:
        print(f"bench.ab: {args.rev} is not a commit of {ROOT} ({(error.stderr or b'').strip()!r})", file=sys.stderr)
        return 2
    python_bin = Path(sys.executable)
    env: dict[str, str] = {}
    if args.size != "real":
        log(f"generating synthetic data at {int(args.size)}x")
        data_dir, geo_dir = synthetic.generate(work / "data", int(args.size))
        env = {"DATA_DIR": str(data_dir), "GEO_DIR": str(geo_dir)}
    roots = {"here": ROOT, "other": other}
    results: dict[str, list[float]] = {"floor": [], "here": [], "other": []}
    frames: dict[str, list[float]] = {name: [] for name in results}  # until the frame after the drawing
    errors: dict[str, int] = dict.fromkeys(results, 0)
    with ExitStack() as stack:
        servers = {"floor": stack.enter_context(GunicornServer(FLOOR_APP, {}, work / "floor.log", python_bin))}
        for name, root in roots.items():
            server_env = env | {"CACHE_DIR": str(work / f"cache-{name}")}
            servers[name] = stack.enter_context(
                GunicornServer(DASHBOARD_APP, server_env, work / f"{name}.log", python_bin, root=root)
            )
        for server in servers.values():
            server.wait_ready()
        time.sleep(args.settle)
        browsers = {name: Browser() for name in servers}
        for browser in browsers.values():
            stack.callback(browser.close)
        clicks = {"floor": FloorClicks(browsers["floor"], servers["floor"].base_url).click}
        for name in roots:
            plan = next(
                p for p in interaction_plans(browsers[name], servers[name].base_url) if p.name == args.interaction
            )
            clicks[name] = functools.partial(plan.change, browsers[name])
        log(f"{args.interaction} x{args.reps}: floor, here ({ROOT}), other ({args.rev} = {commit[:10]})")
        for rep in range(args.reps):
            order = list(clicks)
            random.shuffle(order)
            for name in order:
                outcome = clicks[name]() if name == "floor" else clicks[name](rep)
                if "error" in outcome:
                    errors[name] += 1
                else:
                    results[name].append(outcome["ms"])
                    if outcome.get("frame_ms") is not None:
                        frames[name].append(outcome["frame_ms"])
        console = {name: browser.console_errors() for name, browser in browsers.items()}
    figures = {
        name: stats(values) | {"errors": errors[name], "frame": stats(frames[name])} for name, values in results.items()
    }
    labels = {"floor": "floor", "here": "here (working tree)", "other": f"other ({args.rev})"}
    for title, pick in (("until drawn", lambda f: f), ("until the frame after the drawing", lambda f: f["frame"])):
        floor = pick(figures["floor"])
        if not floor["n"]:  # a filter on a page without charts: no drawing
            continue
        print(f"\n{args.interaction}, {args.size}, {args.reps} rounds, {title}")
        print(f"{'':36s} {'p50 ms':>8} {'p95 ms':>8} {'p50/floor':>10} {'p95/floor':>10}")
        for name, figure in figures.items():
            mine = pick(figure)
            ratios = [mine[k] / floor[k] if mine[k] and floor[k] else float("nan") for k in ("p50_ms", "p95_ms")]
            print(
                f"{labels[name]:36s} {mine['p50_ms']!s:>8} {mine['p95_ms']!s:>8} {ratios[0]:10.2f} {ratios[1]:10.2f}"
                f"   errors {figure['errors']}"
            )
    for name, messages in console.items():
        if messages:
            print(f"console errors ({name}): {messages[:3]}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"ab-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    settings = {k: str(v) for k, v in vars(args).items()} | {"other_commit": commit}
    out.write_text(
        json.dumps({"settings": settings, "figures": figures, "ms": results, "console_errors": console}, indent=2),
        encoding="utf-8",
    )
    print(f"results in {out}; logs in {work}")
    return 1 if any(errors.values()) or any(console.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
