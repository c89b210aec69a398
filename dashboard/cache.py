"""A cache shared by all gunicorn workers for the expensive callback responses, keyed on the data version.

What is cached, and why (measured with ``bench/run.py``): a page is drawn by the router callback (``shell``), the
area page redraws its charts in one callback, the indicator page's controls are answered by its view route, and the
data page's filters by one callback (``data-table``: at 100 times the real data 20 ms for every area, which sorts
all 357 000 rows for the first 200, and 7 ms for one area).
Building those responses costs 3-1000 ms (plotly figure objects, then JSON); sending a stored response costs under a
millisecond. So the cache stores the *finished HTTP body* of those answers, gzip-compressed, and serves a hit without
running the callback, building a figure or serialising JSON, and (when the browser accepts gzip, as every browser
does) without compressing again.
Other callbacks (URL writers, filters on small lists) are cheaper than a cache round trip and are not cached.

The key is a hash of everything the response depends on: the request body (callback, inputs and state), the data
version (:attr:`PublicData.version`, a hash of the data files), the settings that change what is drawn, and a
fingerprint of the dashboard's code and strings (so a deployment never serves a response built by older code). A new
import therefore never meets a stale entry: its version is part of every key, and old entries age out.

Backends (flask-caching): a :class:`FileSystemCache` in ``settings.cache_dir`` by default, shared by all workers on the
machine; a :class:`RedisCache` when ``settings.redis_url`` is set. The cache is an optimisation, never a dependency:
any error from the backend (Redis stopped, disk full) is logged, the response is computed as if there were no cache,
and the backend is left alone for ``RETRY_SECONDS`` so that requests do not each wait for a dead server.

The cache is applied by wrapping Flask's view function of the callback route, so every ``before_request`` hook (login,
request checks) runs first: a cached response is never served to a request that would have been refused.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import struct
import threading
import time
from pathlib import Path

import flask
from flask_caching import Cache
from flask_caching.backends.filesystemcache import FileSystemCache

from dashboard.settings import Settings

log = logging.getLogger(__name__)

CALLBACK_ROUTE = "_dash-update-component"
# Component ids (or pattern-matching id types) whose callbacks are pure functions of their inputs and the data.
CACHED_OUTPUT_IDS = frozenset({"shell", "area-charts", "indicator-map-host", "map-graph", "data-table"})
TIMEOUT_SECONDS = 24 * 60 * 60
FILESYSTEM_THRESHOLD = 1000
PRUNE_TO = 0.8  # a full file cache keeps this share of its threshold (BatchPrunedFileSystemCache)
RETRY_SECONDS = 10.0
REDIS_TIMEOUT_SECONDS = 0.5
GZIP_LEVEL = 6
PACKAGE_DIR = Path(__file__).resolve().parent


def code_fingerprint(root: Path = PACKAGE_DIR) -> str:
    """A hash of the dashboard's source and string files: a new deployment gets new cache keys."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".yaml", ".yml", ".json"}):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def backend_config(settings: Settings) -> dict:
    """flask-caching configuration: Redis when ``redis_url`` is set, else a filesystem cache in ``cache_dir``."""
    if settings.redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.redis_url,
            "CACHE_KEY_PREFIX": "bosoc:",
            "CACHE_DEFAULT_TIMEOUT": TIMEOUT_SECONDS,
            # Without these a stopped or unreachable Redis would hold every request for the operating system's
            # connect timeout; with them a request waits at most half a second once, then RETRY_SECONDS pass.
            "CACHE_OPTIONS": {
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    return {
        "CACHE_TYPE": "dashboard.cache.BatchPrunedFileSystemCache",
        "CACHE_DIR": str(settings.cache_dir),
        "CACHE_THRESHOLD": FILESYSTEM_THRESHOLD,
        "CACHE_DEFAULT_TIMEOUT": TIMEOUT_SECONDS,
    }


class BatchPrunedFileSystemCache(FileSystemCache):
    """flask-caching's file cache, pruned in batches. Over its threshold, cachelib's own prune reads every entry's
    expiry (twice) to remove a single entry, and so again on every later write: with 1000 entries a cache miss took
    24 ms instead of 2 (1140 distinct answers to one gunicorn at 100x, p95). This prune removes the expired entries,
    then those that expire first until ``PRUNE_TO`` of the threshold are left, and writes the count once: a full
    cache is pruned once per few hundred new entries."""

    def _prune(self) -> None:
        if not self._over_threshold():
            return
        now = time.time()
        entries = []
        for name in self._list_dir():
            try:
                with self._safe_stream_open(name, "rb") as stream:
                    expires = struct.unpack("I", stream.read(4))[0]
            except FileNotFoundError:
                continue  # removed meanwhile (another worker's prune)
            except (OSError, EOFError, struct.error):
                expires = 1  # unreadable: removed first
            entries.append((expires != 0 and expires < now, expires or float("inf"), name))
        entries.sort(key=lambda entry: (not entry[0], entry[1]))  # expired first, then by expiry
        keep = int(self._threshold * PRUNE_TO)
        expired = sum(1 for entry in entries if entry[0])
        remove = max(expired, len(entries) - keep)
        left = len(entries)
        for _, _, name in entries[:remove]:
            try:
                os.remove(name)
            except FileNotFoundError:
                pass
            except OSError as error:
                log.warning("cache file %s could not be removed (%s)", name, error)
                continue
            left -= 1
        self._update_count(value=left)


class SharedCache:
    """get/set on the flask-caching backend that never raise: a failing backend means "compute it"."""

    def __init__(self, server: flask.Flask, settings: Settings):
        self.backend_name = "redis" if settings.redis_url else "filesystem"
        if not settings.redis_url:
            Path(settings.cache_dir).mkdir(parents=True, exist_ok=True)
        self.cache = Cache(server, config=backend_config(settings))
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, action: str, error: Exception) -> None:
        with self._lock:
            self.errors += 1
            self._down_until = time.monotonic() + RETRY_SECONDS
        log.warning("cache %s failed (%s: %s); computing without cache", action, type(error).__name__, error)

    def get(self, key: str):
        if not self._available():
            return None
        try:
            value = self.cache.get(key)
        except Exception as error:  # any backend failure (ConnectionError, TimeoutError, OSError, ...)
            self._failed("get", error)
            return None
        with self._lock:
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
        return value

    def add(self, key: str, value) -> bool:
        """Store ``value`` unless ``key`` is there; True if this call stored it (a claim: with Redis only one of
        several workers asking at once gets True; with the file cache two may)."""
        if not self._available():
            return False
        try:
            return bool(self.cache.add(key, value, timeout=TIMEOUT_SECONDS))
        except Exception as error:
            self._failed("add", error)
            return False

    def set(self, key: str, value) -> None:
        if not self._available():
            return
        try:
            self.cache.set(key, value, timeout=TIMEOUT_SECONDS)
        except Exception as error:
            self._failed("set", error)


def _output_ids(body: dict) -> set[str]:
    outputs = body.get("outputs")
    items = outputs if isinstance(outputs, list) else [outputs]
    names = set()
    for item in items:
        for entry in item if isinstance(item, list) else [item]:
            component_id = entry.get("id") if isinstance(entry, dict) else None
            names.add(component_id.get("type") if isinstance(component_id, dict) else component_id)
    return names


def _accepts_gzip(request: flask.Request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _cached_response(stored: bytes, request: flask.Request) -> flask.Response:
    if _accepts_gzip(request):
        response = flask.Response(stored, mimetype="application/json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = flask.Response(gzip.decompress(stored), mimetype="application/json")
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["X-Bosoc-Cache"] = "hit"
    return response


def install(app, settings: Settings) -> SharedCache:
    """Serve the callbacks of :data:`CACHED_OUTPUT_IDS`, and every answer of the routes a page registered in
    ``app.bosoc_cached_routes`` (full paths; pages/indicator's view route), from the shared cache; return the cache
    (tests read its counters)."""
    server = app.server
    shared = SharedCache(server, settings)
    fingerprint = "|".join(
        [
            code_fingerprint(),
            app.bosoc_geo["version"],  # the geometry files this worker draws (geo.layers.files_fingerprint)
            settings.url_prefix,
            settings.map_tiles,
            str(settings.suppression_limit),
        ]
    )

    def key_for(request: flask.Request) -> str | None:
        if not request.is_json:
            return None  # the routes read only JSON bodies: another body is refused, and never answered from a key
        body_bytes = request.get_data(cache=True)
        if request.path == callback_route:
            try:
                body = json.loads(body_bytes)
            except ValueError:
                return None
            if not isinstance(body, dict) or not (_output_ids(body) & CACHED_OUTPUT_IDS):
                return None
        version = app.bosoc_data.get().version
        digest = hashlib.sha256(f"{fingerprint}|{version}|{request.path}|".encode())
        # A page may say what its route's answer to a body depends on (pages/indicator.pick_key: a pick depends on
        # the indicator picked, the language and embed mode, and whether the page already offers its areas, not on
        # the view it was asked from); otherwise the whole body.
        page_key = page_keys[request.path](body_bytes) if request.path in page_keys else None
        digest.update(b"page-key|" + page_key.encode() if page_key is not None else b"body|" + body_bytes)
        return "cb:" + digest.hexdigest()

    def cached(view):
        def cached_view(*args, **kwargs):
            request = flask.request
            key = key_for(request)
            if key is None:
                return view(*args, **kwargs)
            stored = shared.get(key)
            if stored is not None:
                return _cached_response(stored, request)
            response = flask.make_response(view(*args, **kwargs))
            if response.status_code == 200 and response.mimetype == "application/json" and not response.is_streamed:
                body = response.get_data()
                stored = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
                shared.set(key, stored)
                if _accepts_gzip(request):
                    # Already compressed once for the cache: send those bytes (flask-compress skips encoded responses).
                    response.set_data(stored)
                    response.headers["Content-Encoding"] = "gzip"
                    response.headers["Vary"] = "Accept-Encoding"
            response.headers["X-Bosoc-Cache"] = "miss"
            return response

        return cached_view

    callback_route = f"{settings.url_prefix}{CALLBACK_ROUTE}"
    page_keys = dict(getattr(app, "bosoc_cache_keys", {}))
    # The callback route (the callbacks of CACHED_OUTPUT_IDS) and the pages' own JSON routes (every answer).
    routes = {callback_route, *getattr(app, "bosoc_cached_routes", ())}
    for rule in list(server.url_map.iter_rules()):
        if rule.rule in routes:
            server.view_functions[rule.endpoint] = cached(server.view_functions[rule.endpoint])
    app.bosoc_cache = shared
    app.bosoc_cache_fingerprint = fingerprint
    return shared
