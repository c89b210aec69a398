"""The shared callback cache (dashboard.cache): hits, invalidation by data version, sharing between app instances
(as between gunicorn workers), Redis, and a Redis that stops while the app is answering."""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from dashboard import pages
from dashboard.app import create_app
from dashboard.cache import PRUNE_TO, BatchPrunedFileSystemCache
from tests.conftest import router_body

REDIS_SERVER = Path("/usr/bin/redis-server")
AREA = "/omraade/gellerup-toveshoej"


@pytest.fixture
def render_calls(monkeypatch) -> list:
    """Counts calls of the page renderer that the router callback wraps."""
    calls = []
    original = pages.render

    def counting(app, pathname, search):
        calls.append((pathname, search))
        return original(app, pathname, search)

    monkeypatch.setattr(pages, "render", counting)
    return calls


def post(client, body: dict, **headers):
    return client.post("/_dash-update-component", json=body, headers=headers)


def page_title(response) -> str:
    return json.loads(response.get_data())["response"]["page-title"]["children"]


def test_second_identical_request_is_served_from_the_cache(app, client, render_calls):
    body = router_body(AREA)
    first = post(client, body)
    second = post(client, body)
    assert first.status_code == second.status_code == 200
    assert len(render_calls) == 1
    assert (first.headers["X-Bosoc-Cache"], second.headers["X-Bosoc-Cache"]) == ("miss", "hit")
    assert second.get_data() == first.get_data()
    assert page_title(second) == "Gellerup/Toveshøj"
    assert app.bosoc_cache.hits == 1


def test_a_browser_gets_the_stored_gzip_bytes(app, client):
    body = router_body(AREA)
    plain = post(client, body)
    compressed = post(client, body, **{"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.get_data()) == plain.get_data()


def test_different_views_are_different_entries(app, client, render_calls):
    post(client, router_body(AREA))
    response = post(client, router_body(AREA, "?maal=indeks"))
    assert response.headers["X-Bosoc-Cache"] == "miss"
    assert len(render_calls) == 2


def test_a_new_data_version_is_never_served_an_old_entry(app, client, settings, render_calls):
    body = router_body("/")
    old_version = app.bosoc_data.get().version
    post(client, body)
    statements = settings.data_dir / "statements.yaml"
    statements.write_text(statements.read_text(encoding="utf-8") + "\n# a new import\n", encoding="utf-8")
    new_version = app.bosoc_data.refresh().version
    assert new_version != old_version
    response = post(client, body)
    assert response.headers["X-Bosoc-Cache"] == "miss"
    assert len(render_calls) == 2
    assert new_version in response.get_data(as_text=True)  # the footer names the data version


def test_the_filesystem_cache_is_shared_between_two_app_instances(settings, render_calls):
    first, second = create_app(settings), create_app(settings)  # like two gunicorn workers on one cache_dir
    body = router_body(AREA)
    assert post(first.server.test_client(), body).headers["X-Bosoc-Cache"] == "miss"
    response = post(second.server.test_client(), body)
    assert response.headers["X-Bosoc-Cache"] == "hit"
    assert len(render_calls) == 1
    assert page_title(response) == "Gellerup/Toveshøj"
    assert any(Path(settings.cache_dir).iterdir())


def test_callbacks_outside_the_list_are_not_cached(app, client):
    output = next(key for key in app.callback_map if key.startswith("..strategy-results.data-tree"))
    body = {
        "output": output,
        "outputs": [
            {"id": "strategy-results", "property": "data-tree"},
            {"id": "strategy-themes", "property": "data-tree"},
            {"id": "url", "property": "search"},
        ],
        "inputs": [
            {"id": f"strategy-{key}", "property": "value", "value": value}
            for key, value in [("tema", None), ("omraade", None), ("partner", None), ("fra", None), ("til", None)]
        ]
        + [{"id": "strategy-q", "property": "value", "value": "bolig"}],
        "changedPropIds": ["strategy-q.value"],
        "state": [{"id": "url", "property": "search", "value": ""}],
    }
    response = post(client, body)
    assert response.status_code == 200
    assert "X-Bosoc-Cache" not in response.headers


def test_a_cached_response_is_not_served_to_a_request_the_login_refuses(data_dir, geo_dir, tmp_path):
    settings = replace(
        app_settings(data_dir, geo_dir, tmp_path),
        auth_mode="header",
        auth_trusted_proxies=("127.0.0.1",),
        secret_key="s" * 32,
    )
    app = create_app(settings)
    client = app.server.test_client()
    body = router_body(AREA)
    assert post(client, body, **{"X-Forwarded-User": "anna"}).status_code == 200
    assert post(client, body, **{"X-Forwarded-User": "anna"}).headers["X-Bosoc-Cache"] == "hit"
    assert post(client, body).status_code == 401


def app_settings(data_dir, geo_dir, tmp_path, **changes):
    from dashboard.settings import Settings

    return Settings(data_dir=data_dir, geo_dir=geo_dir, cache_dir=tmp_path / "cache", **changes)


# --- Redis ---------------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """(url, process, client) of a real redis-server on a free loopback port, stopped after the test (or earlier, by
    the test itself)."""
    if not REDIS_SERVER.exists() and not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (scripts/test.sh installs Debian's redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [
            shutil.which("redis-server") or str(REDIS_SERVER),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", process, client
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def test_redis_cache_serves_hits_and_is_shared(data_dir, geo_dir, tmp_path, redis_url, render_calls):
    url, _process, client = redis_url
    settings = app_settings(data_dir, geo_dir, tmp_path, redis_url=url)
    first, second = create_app(settings), create_app(settings)
    assert first.bosoc_cache.backend_name == "redis"
    body = router_body(AREA)
    assert post(first.server.test_client(), body).headers["X-Bosoc-Cache"] == "miss"
    response = post(second.server.test_client(), body)
    assert response.headers["X-Bosoc-Cache"] == "hit"
    assert len(render_calls) == 1
    assert page_title(response) == "Gellerup/Toveshøj"
    assert client.dbsize() >= 1


def test_with_redis_stopped_the_app_keeps_answering_correctly(data_dir, geo_dir, tmp_path, redis_url, render_calls):
    url, process, _client = redis_url
    app = create_app(app_settings(data_dir, geo_dir, tmp_path, redis_url=url))
    client = app.server.test_client()
    assert post(client, router_body(AREA)).status_code == 200
    process.terminate()
    process.wait(timeout=10)
    for path, title in [(AREA, "Gellerup/Toveshøj"), ("/", "Overblik"), (AREA, "Gellerup/Toveshøj")]:
        started = time.monotonic()
        response = post(client, router_body(path, "?maal=indeks" if path == AREA else ""))
        assert response.status_code == 200
        assert page_title(response) == title
        assert time.monotonic() - started < 5, "a stopped Redis must not hold requests"
    assert app.bosoc_cache.errors >= 1
    assert client.get("/healthz").status_code == 200
    assert client.get(AREA).status_code == 200


# --- the file cache when full --------------------------------------------------------------------------------------


def test_a_full_file_cache_is_pruned_in_batches_keeping_the_entries_that_expire_last(tmp_path, monkeypatch):
    # cachelib's own prune read every entry to remove one, and so on every write past the threshold: with 1000
    # entries a cache miss took 24 ms instead of 2. A full cache is pruned to PRUNE_TO of its threshold at once.
    cache = BatchPrunedFileSystemCache(str(tmp_path), threshold=50, default_timeout=300)
    scans = []
    listing = cache._list_dir
    monkeypatch.setattr(cache, "_list_dir", lambda: scans.append(1) or listing())

    def stored() -> set[str]:
        return {key for key in (f"k{i}" for i in range(80)) if cache.get(key) is not None}

    for i in range(51):  # the 51st is the first over the threshold; the prune runs before the next write
        cache.set(f"k{i}", i, timeout=300 + i)  # those set first expire first
    assert not scans and len(stored()) == 51
    cache.set("k51", 51, timeout=351)
    assert len(scans) == 1
    kept = int(50 * PRUNE_TO)
    assert stored() == {f"k{i}" for i in range(51 - kept, 52)}  # the 40 that expire last, and the new one
    for i in range(52, 61):  # back up to the threshold: no scan
        cache.set(f"k{i}", i, timeout=300 + i)
    assert len(scans) == 1 and len(stored()) == 50
    assert cache.get("k60") == 60
