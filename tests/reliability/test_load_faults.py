"""Load and faults, on loopback and bounded in time: gunicorn started exactly as the Procfile says.

The server is the Procfile's ``web`` command with its own variables filled in (a free port, the default worker count)
and one change: it binds to 127.0.0.1 instead of 0.0.0.0, so nothing is exposed. It runs under ``timeout`` so it
stops itself even if the test process dies, and it reads a private copy of the data.

- Load: 100 concurrent clients for 60 s, mixing page loads (GET), the router callback and the controls' callbacks
  (POST), assets and the health endpoint, plus a trickle of malformed callback requests (expected 4xx; the workers
  must survive them). Zero failed requests; latency percentiles and throughput are reported. No response carries a
  version banner.
- A worker killed (SIGKILL) under load: gunicorn starts a new one; requests in flight on the killed worker's
  connections fail (measured and reported), and once the replacement is up every request succeeds again.
- Redis as the cache, stopped under load: every answer stays correct (the same answer as while Redis ran) and no
  request fails.
- Two imports at once: one waits for the lock and then refuses cleanly (the other changed the data meanwhile); the
  data end in one valid state.
- An import under load: every response is 200 and shows either the old or the new value, never anything else; after
  the reload interval every response shows the new value.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
import requests

from dashboard.data import importer, store
from dashboard.datasource import RELOAD_CHECK_SECONDS
from dashboard.pages.indicator import VIEW_ROUTE
from dashboard.settings import PROJECT_ROOT
from tests.conftest import router_body
from tests.reliability.helpers import (
    FIGURES,
    TALLY,
    copy_data,
    copy_geo,
    folder_hashes,
    free_port,
    outputs_of,
    procfile_command,
)

pytestmark = pytest.mark.load

CLIENTS = 100
LOAD_SECONDS = 60
FAULT_SECONDS = 15
REQUEST_TIMEOUT = 30
SERVER_LIFETIME = 600  # seconds: gunicorn stops itself after this, whatever happens to the test
AREAS = ["gellerup-toveshoej", "bispehaven", "viby-syd", "herredsvang", "langkaerparken", "trigeparken"]
INDICATORS = ["skolefravaer", "uden-for-arbejdsmarkedet", "beboere"]


# --- the server ---------------------------------------------------------------------------------------------------


@dataclass
class Gunicorn:
    data_dir: Path
    geo_dir: Path
    log_path: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        self.port = free_port()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"WEB_CONCURRENCY", "REDIS_URL", "AUTH_MODE", "URL_PREFIX", "DASH_DEBUG"}
        }
        env.update(
            DATA_DIR=str(self.data_dir),
            GEO_DIR=str(self.geo_dir),
            CACHE_DIR=str(self.data_dir.parent / "cache"),
            PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
            **self.extra_env,
        )
        command = ["timeout", "--kill-after=10", str(SERVER_LIFETIME), *procfile_command(self.port)]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200 and len(self.workers()) >= 2:
                    return self
            except requests.RequestException:
                pass
            assert self.process.poll() is None, self.log_path.read_text(errors="replace")[-3000:]
            time.sleep(0.3)
        raise AssertionError("gunicorn did not start:\n" + self.log_path.read_text(errors="replace")[-3000:])

    def master(self) -> psutil.Process:
        (child,) = psutil.Process(self.process.pid).children()  # timeout's one child: the gunicorn master
        return child

    def workers(self) -> list[psutil.Process]:
        try:
            return self.master().children()
        except (ValueError, psutil.Error):
            return []

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("load")
    gunicorn = Gunicorn(copy_data(root / "data"), copy_geo(root / "geo"), root / "gunicorn.log").start()
    yield gunicorn
    gunicorn.stop()


# --- the clients --------------------------------------------------------------------------------------------------


def callback_keys(url: str) -> dict[str, str]:
    """The callback keys by first input id, from the running app's dependencies (as the browser learns them)."""
    keys = {}
    for spec in requests.get(url + "/_dash-dependencies", timeout=10).json():
        if spec.get("clientside_function"):
            continue
        first = spec["inputs"][0]["id"] if spec["inputs"] else ""
        keys.setdefault(first, spec["output"])
    return keys


def control_body(keys: dict[str, str], rng) -> tuple[str, dict]:
    """(path, body) of a control change as the browser sends it: an indicator page's controls or a pick (its view
    route), an area page's measure and years, or the data page's filters (Dash's callback route)."""
    roll = rng.random()
    if roll < 0.3:
        controls = {
            "areas": rng.sample(AREAS, rng.randint(1, 3)),
            "measure": rng.choice(["niveau", "indeks", "forskel"]),
            "years": [rng.choice([2006, 2007, 2010]), 2017],
            "connect": rng.random() < 0.3,
            "tab": rng.choice(["graf", "graf", "tabel"]),
        }
        picked = rng.choice(INDICATORS) if rng.random() < 0.2 else None
        body = {"pathname": f"/indikator/{rng.choice(INDICATORS)}", "search": "", "controls": controls}
        return "/" + VIEW_ROUTE, body | {"picked": picked}
    if roll < 0.65:
        area = rng.choice(AREAS)
        first = rng.choice([2006, 2007, 2010])
        return "/_dash-update-component", {
            "output": keys["area-measure"],
            # Two of the chart cards every area page has (a page sends all of its cards).
            "outputs": outputs_of(keys["area-measure"], ["skolefravaer", "uden-for-arbejdsmarkedet"]),
            "inputs": [
                {"id": "area-measure", "property": "value", "value": rng.choice(["niveau", "indeks", "forskel"])},
                {"id": "area-years-from", "property": "value", "value": str(first)},
                {"id": "area-years-to", "property": "value", "value": "2018"},
                {"id": "area-connect", "property": "value", "value": rng.random() < 0.3},
            ],
            "state": [
                {"id": "url", "property": "pathname", "value": f"/omraade/{area}"},
                {"id": "url", "property": "search", "value": ""},
            ],
            "changedPropIds": ["area-measure.value"],
        }
    return "/_dash-update-component", {
        "output": keys["data-areas"],
        "outputs": [{"id": "data-table", "property": "children"}, {"id": "url", "property": "search"}],
        "inputs": [
            {"id": "data-areas", "property": "value", "value": rng.sample(AREAS, rng.randint(0, 3))},
            {"id": "data-indicators", "property": "value", "value": rng.sample(INDICATORS, rng.randint(0, 2))},
            {"id": "data-from", "property": "value", "value": rng.choice([None, 2006, 2017])},
            {"id": "data-to", "property": "value", "value": None},
        ],
        "state": [
            {"id": "url", "property": "search", "value": rng.choice(["", "?sprog=en"])},
            {"id": "data-filter-notice", "property": "hidden", "value": True},
        ],
        "changedPropIds": ["data-areas.value"],
    }


PAGES = ["/", "/om", "/strategi", "/data", *(f"/omraade/{a}" for a in AREAS), *(f"/indikator/{i}" for i in INDICATORS)]
MALFORMED = [
    (b"{not json", "application/json"),
    (json.dumps({"output": "ukendt.children", "inputs": [], "state": []}).encode(), "application/json"),
    (json.dumps(router_body(12345)).encode(), "application/json"),
    (b"[" * 50_000, "application/json"),
    (b"x" * (2 * 1024 * 1024), "application/json"),
]


@dataclass
class Result:
    started: float
    seconds: float
    kind: str
    status: int | None
    error: str = ""
    body: bytes = b""
    server_header: str | None = None


def one_request(session: requests.Session, base: str, keys: dict[str, str], rng, malformed_share: float) -> Result:
    roll = rng.random()
    started = time.monotonic()
    kind = ""
    try:
        if roll < malformed_share:
            kind = "malformed"
            data, content_type = rng.choice(MALFORMED)
            response = session.post(
                base + "/_dash-update-component",
                data=data,
                headers={"Content-Type": content_type},
                timeout=REQUEST_TIMEOUT,
            )
        elif roll < 0.40:
            kind = "page GET"
            response = session.get(base + rng.choice(PAGES), headers={"Accept": "text/html"}, timeout=REQUEST_TIMEOUT)
        elif roll < 0.70:
            kind = "router POST"
            path = rng.choice(PAGES)
            search = rng.choice(["", "", "?sprog=en", "?maal=indeks", "?embed=1"])
            response = session.post(
                base + "/_dash-update-component", json=router_body(path, search), timeout=REQUEST_TIMEOUT
            )
        elif roll < 0.95:
            kind = "control POST"
            path, body = control_body(keys, rng)
            response = session.post(base + path, json=body, timeout=REQUEST_TIMEOUT)
        else:
            kind = "asset GET"
            path = rng.choice(["/_dash-layout", "/_dash-dependencies", "/healthz", "/_vendor/bootstrap.min.css"])
            response = session.get(base + path, timeout=REQUEST_TIMEOUT)
        return Result(
            started, time.monotonic() - started, kind, response.status_code, "", b"", response.headers.get("Server")
        )
    except requests.RequestException as error:
        return Result(started, time.monotonic() - started, kind, None, type(error).__name__ + ": " + str(error)[:200])


def run_load(
    base: str,
    seconds: float,
    clients: int = CLIENTS,
    malformed_share: float = 0.0,
    request: Callable | None = None,
    during: Callable[[], None] | None = None,
    after_during: float = 0.0,
) -> list[Result]:
    """``clients`` threads, each with its own session (keep-alive, like a browser), for ``seconds`` (and, when
    ``during`` runs meanwhile, at least ``after_during`` seconds after it has finished)."""
    import random

    keys = callback_keys(base)
    results: list[Result] = []
    lock = threading.Lock()
    stop_at = [time.monotonic() + seconds]

    def client(number: int) -> None:
        rng = random.Random(number)
        session = requests.Session()
        while time.monotonic() < stop_at[0]:
            result = request(session, base, rng) if request else one_request(session, base, keys, rng, malformed_share)
            with lock:
                results.append(result)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    if during:
        during()
        stop_at[0] = max(stop_at[0], time.monotonic() + after_during)
    for thread in threads:
        thread.join(timeout=max(stop_at[0] - time.monotonic(), 0) + REQUEST_TIMEOUT + 30)
    return results


def failures(results: list[Result]) -> list[Result]:
    # A malformed request is refused (400, 413) or ends in PreventUpdate (204, e.g. a path that is not text).
    expected = {"malformed": {204, 400, 413}}
    return [r for r in results if r.status not in expected.get(r.kind, {200, 204})]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(results: list[Result], seconds: float) -> str:
    latencies = [r.seconds * 1000 for r in results if r.status is not None and r.kind != "malformed"]
    kinds = {kind: sum(1 for r in results if r.kind == kind) for kind in sorted({r.kind for r in results})}
    return (
        f"{len(results)} requests in {seconds:.0f} s ({len(results) / seconds:.0f}/s), "
        f"{len(failures(results))} failed; latency ms p50 {percentile(latencies, 0.5):.0f}, "
        f"p95 {percentile(latencies, 0.95):.0f}, p99 {percentile(latencies, 0.99):.0f}, "
        f"max {max(latencies):.0f}, mean {statistics.mean(latencies):.0f}; mix {kinds}"
    )


# --- the tests ----------------------------------------------------------------------------------------------------


def test_100_clients_for_60_seconds_without_a_failed_request(server):
    results = run_load(server.url, LOAD_SECONDS, malformed_share=0.02)
    failed = failures(results)
    FIGURES[f"load ({CLIENTS} clients, gunicorn as in the Procfile)"] = summary(results, LOAD_SECONDS)
    TALLY["load:requests"] += len(results)
    TALLY["load:malformed requests among them (4xx expected)"] += sum(1 for r in results if r.kind == "malformed")
    assert not failed, [(r.kind, r.status, r.error) for r in failed[:10]]
    assert len(results) > 1000
    banners = {r.server_header for r in results if r.status}
    assert banners == {"bosoc"}, banners
    assert server.process.poll() is None and len(server.workers()) >= 2


def test_a_killed_worker_is_replaced_and_requests_succeed_again(server):
    killed: dict[str, float | int] = {}

    def kill_one_worker() -> None:
        time.sleep(5)
        victim = server.workers()[0]
        killed["pid"], killed["at"] = victim.pid, time.monotonic()
        victim.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pids = {worker.pid for worker in server.workers()}
            if len(pids) >= 2 and killed["pid"] not in pids:
                try:
                    if requests.get(server.url + "/healthz", timeout=5).status_code == 200:
                        killed["replaced"] = time.monotonic()
                        return
                except requests.RequestException:
                    pass
            time.sleep(0.1)

    results = run_load(server.url, FAULT_SECONDS, during=kill_one_worker)
    assert "replaced" in killed, "gunicorn did not replace the killed worker"
    # Requests that were in flight (or queued on a kept-alive connection) in the killed worker when it died.
    window_end = killed["replaced"] + 2
    in_window = [r for r in failures(results) if r.started < window_end]
    after = [r for r in failures(results) if r.started >= window_end]
    FIGURES["worker killed under load"] = (
        f"{len(results)} requests; replacement serving after {killed['replaced'] - killed['at']:.1f} s; "
        f"{len(in_window)} failed around the kill ({sorted({r.error.split(':')[0] for r in in_window})}), "
        f"{len(after)} after it"
    )
    TALLY["faults:worker killed"] += 1
    assert not after, [(r.kind, r.status, r.error) for r in after[:5]]
    # At most the killed worker's requests in flight: one per client connection it held.
    assert len(in_window) <= CLIENTS
    assert all(r.started >= killed["at"] - REQUEST_TIMEOUT for r in in_window)


def _import_file(path: Path, value: str) -> Path:
    path.write_text(
        f"område;indikator;år;værdi;kilde\r\nbispehaven;skolefravaer;2017;{value};aarsskrift-2018\r\n", encoding="utf-8"
    )
    return path


def test_an_import_under_load_is_seen_whole_or_not_at_all(server, tmp_path):
    """Every answer shows the old value (6,4 %) or the new one (7,1 %): never an error, a mix or a missing row."""
    body = router_body("/data", "?omraader=bispehaven&indikator=skolefravaer&fra=2017&til=2017")
    old, new = "6,4 %", "7,1 %"
    seen = {"old": 0, "new": 0}
    lock = threading.Lock()

    def request(session, base, rng):
        started = time.monotonic()
        try:
            response = session.post(base + "/_dash-update-component", json=body, timeout=REQUEST_TIMEOUT)
        except requests.RequestException as error:
            return Result(started, time.monotonic() - started, "router POST", None, str(error))
        has_old, has_new = old in response.text, new in response.text
        whole = response.status_code == 200 and has_old != has_new
        with lock:
            if whole:
                seen["new" if has_new else "old"] += 1
        status = response.status_code if whole else 599  # 599: neither value, or both
        return Result(started, time.monotonic() - started, "router POST", status, "" if whole else response.text[:200])

    imported: dict[str, float] = {}

    def import_midway() -> None:
        time.sleep(4)
        result = subprocess.run(
            [sys.executable, "-m", "dashboard", "import", str(_import_file(tmp_path / "ny.csv", "7,1"))],
            cwd=PROJECT_ROOT,
            env={**os.environ, "DATA_DIR": str(server.data_dir)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        imported["at"] = time.monotonic()

    results = run_load(
        server.url, 10, clients=20, request=request, during=import_midway, after_during=RELOAD_CHECK_SECONDS + 4
    )
    failed = failures(results)
    late = [r for r in results if r.started > imported["at"] + RELOAD_CHECK_SECONDS + 1]
    FIGURES["import under load"] = (
        f"{len(results)} requests; {seen['old']} saw the old value, {seen['new']} the new; {len(failed)} failed"
    )
    TALLY["faults:import under load"] += 1
    assert not failed, [(r.status, r.error) for r in failed[:5]]
    assert seen["old"] and seen["new"]
    assert late and all(r.status == 200 for r in late)
    assert store.load_dataset(server.data_dir)


def test_two_imports_at_once_one_waits_and_refuses_and_the_data_stay_valid(tmp_path):
    """Both imports are planned from the same data; the first writes under the lock (held 1.5 s here), the second
    waits for the lock and then refuses, because its plan no longer matches the files."""
    data_dir = copy_data(tmp_path / "data")
    base = folder_hashes(data_dir)
    plan_a = importer.plan_import(_import_file(tmp_path / "a.csv", "7,1"), data_dir)
    plan_b = importer.plan_import(_import_file(tmp_path / "b.csv", "5,5"), data_dir)
    outcome: dict[str, object] = {}

    def first() -> None:
        with store.data_lock(data_dir):
            outcome["a_locked"] = time.monotonic()
            time.sleep(1.5)
            store.write_files_atomically(data_dir, plan_a.contents, "import a.csv", plan_a.summary())

    def second() -> None:
        time.sleep(0.3)
        started = time.monotonic()
        try:
            importer.apply_import(plan_b, data_dir, "import b.csv")
            outcome["b"] = "written"
        except importer.ImportRefused as refusal:
            outcome["b"] = refusal.reason
        outcome["b_waited"] = time.monotonic() - started

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome["b"] == "datafilerne blev ændret under importen; kør importen igen", outcome
    assert outcome["b_waited"] >= 1.0
    dataset = store.load_dataset(data_dir)
    value = dataset.observations.query("area_id == 'bispehaven' and indicator_id == 'skolefravaer' and year == 2017")
    assert list(value["value"]) == [7.1]
    assert (data_dir / "observations.csv").read_bytes() == plan_a.contents["observations.csv"]
    assert len(store.list_versions(data_dir)) == 1 and folder_hashes(data_dir) != base
    TALLY["faults:two imports at once"] += 1


def test_two_import_commands_started_together_end_in_one_valid_state(tmp_path):
    """The same race with two real ``python -m dashboard import`` processes: whatever the timing, each exits 0 or
    refuses cleanly with 1, and the data equal the result of the successful imports applied one after the other."""
    data_dir = copy_data(tmp_path / "data")
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    files = {"7.1": _import_file(tmp_path / "a.csv", "7,1"), "5.5": _import_file(tmp_path / "b.csv", "5,5")}
    processes = {
        value: subprocess.Popen(
            [sys.executable, "-m", "dashboard", "import", str(path)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for value, path in files.items()
    }
    outputs = {value: process.communicate(timeout=120)[0] for value, process in processes.items()}
    codes = {value: process.returncode for value, process in processes.items()}
    assert set(codes.values()) <= {0, 1} and 0 in codes.values(), (codes, outputs)
    for value, code in codes.items():
        assert "Traceback" not in outputs[value]
        if code == 1:
            assert "kør importen igen" in outputs[value], outputs[value]
    dataset = store.load_dataset(data_dir)
    shown = dataset.observations.query("area_id == 'bispehaven' and indicator_id == 'skolefravaer' and year == 2017")
    written = [float(value) for value, code in codes.items() if code == 0]
    assert len(shown) == 1 and shown["value"].iloc[0] in written
    assert len(store.list_versions(data_dir)) == len(written)
    FIGURES["two import commands at once"] = f"exit codes {codes}; final value {shown['value'].iloc[0]}"
    TALLY["faults:two imports at once"] += 1


@pytest.fixture
def redis_server(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    while time.monotonic() < deadline:
        try:
            client.ping()
            break
        except redis.RedisError:
            time.sleep(0.1)
    yield {"port": port, "process": process, "client": client}
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def test_stopping_redis_under_load_changes_no_answer_and_fails_no_request(tmp_path, redis_server):
    root = tmp_path / "redis-load"
    gunicorn = Gunicorn(
        copy_data(root / "data"),
        copy_geo(root / "geo"),
        tmp_path / "gunicorn.log",
        extra_env={"REDIS_URL": f"redis://127.0.0.1:{redis_server['port']}/0"},
    ).start()
    try:
        probe = router_body("/omraade/herredsvang", "?maal=indeks")
        reference = requests.post(gunicorn.url + "/_dash-update-component", json=probe, timeout=30).content
        assert redis_server["client"].dbsize() > 0, "nothing was cached in Redis"
        stopped: dict[str, float] = {}

        def stop_redis() -> None:
            time.sleep(5)
            redis_server["process"].terminate()
            redis_server["process"].wait(timeout=10)
            stopped["at"] = time.monotonic()

        results = run_load(gunicorn.url, FAULT_SECONDS, clients=50, during=stop_redis)
        failed = failures(results)
        after = [r for r in results if r.started > stopped["at"]]
        # The same request answered without Redis: the same bytes.
        without = requests.post(gunicorn.url + "/_dash-update-component", json=probe, timeout=30).content
        FIGURES["Redis stopped under load"] = (
            f"{len(after)} requests after the stop (every answer computed again); " + summary(results, FAULT_SECONDS)
        )
        TALLY["faults:Redis stopped"] += 1
        assert not failed, [(r.kind, r.status, r.error) for r in failed[:5]]
        assert len(after) > 20
        assert json.loads(without) == json.loads(reference)
        assert gunicorn.process.poll() is None
    finally:
        gunicorn.stop()
