"""How the browser gets the front-end files: the smallest plotly.js that draws our charts, compressed once per worker.

plotly.js is most of every page's weight (4,8 MB, 1,4 MB gzipped). The dashboard draws only ``go.Scatter`` traces
(time series, and the offline map drawn with cartesian traces), so plotly.js's *cartesian* bundle suffices: 1,5 MB,
0,49 MB gzipped. ``scripts/install-frontend.sh`` (run by the README's install and test commands) takes it from
npm (``plotly.js-cartesian-dist-min``, at exactly the plotly.js version the plotly package ships) into the gitignored
``vendor/`` folder. Dash's graph component loads plotly.js lazily from an un-fingerprinted URL
(``_dash-component-suites/plotly/package_data/plotly.min.js``), revalidated by ETag; this module answers that URL
with the cartesian bundle, so pages without charts still load no plotly.js at all. The full bundle is served instead
when the opt-in tile map is on (``MAP_TILES``: ``go.Scattermap`` is not in the cartesian bundle), when the bundle is
not installed, or when its version differs from the plotly package's (each case is logged).

Dash loads @babel/polyfill 7.12.1 before anything else (32 KB gzipped): core-js 2, written for browsers of 2019, which
decides that current browsers' ``String.prototype.trim``, ``Number.parseFloat`` and others are faulty and replaces them
with slower JavaScript (plotly.js calls trim thousands of times per chart: about 6 % of the browser's time on a page
of charts). Of it, current browsers need only regenerator-runtime (Dash's renderer uses ``regeneratorRuntime``). With
``regenerator-runtime`` installed in ``vendor/`` by the same script, the polyfill's URL answers with that alone (7 KB
gzipped); without it, with Dash's polyfill.

Every component bundle is compressed once per worker and kept in memory (gzip level 9, or brotli when the browser
offers it), instead of flask-compress compressing 4,8 MB on every request.

:func:`install` also does Dash's first-request setup when the worker starts: Dash registers the script paths it may
serve on the first request, and a fresh worker (gunicorn restarts one every ``--max-requests``) that receives the
browser's parallel script requests before that setup has finished answers some of them with HTTP 500.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import pkgutil
import re
import threading
from pathlib import Path

import flask
from dash.fingerprint import check_fingerprint

from dashboard.settings import PROJECT_ROOT, Settings

try:  # brotli comes with flask-compress; without it the browser gets gzip
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

log = logging.getLogger(__name__)

PARTIAL_BUNDLE = PROJECT_ROOT / "vendor" / "node_modules" / "plotly.js-cartesian-dist-min" / "plotly-cartesian.min.js"
LEAN_POLYFILL = PROJECT_ROOT / "vendor" / "node_modules" / "regenerator-runtime" / "runtime.js"
DASH_POLYFILL = re.compile(r"deps/polyfill@[\d.]+(\.min)?\.js")
PLOTLY_PACKAGE_PATH = "package_data/plotly.min.js"
SUITES_ROUTE = "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
COMPRESSIBLE = frozenset({"application/javascript", "text/javascript", "text/css", "application/json"})
GZIP_LEVEL = 9
BROTLI_QUALITY = 9
_VERSION = re.compile(rb"plotly\.js[^\n]*?v(\d+\.\d+\.\d+)")
# Loaded by the pages after the first scripts (not named in the page's HTML): the charts', the dropdowns', plotly.js.
ASYNC_BUNDLES = ("dash/dcc/async-graph.js", "dash/dcc/async-dropdown.js", f"plotly/{PLOTLY_PACKAGE_PATH}")


def bundle_version(script: bytes) -> str | None:
    """The plotly.js version in a bundle's header comment ("plotly.js (cartesian - minified) v4.1.1")."""
    found = _VERSION.search(script[:300])
    return found.group(1).decode() if found else None


def plotly_bundle(settings: Settings, partial: Path = PARTIAL_BUNDLE) -> tuple[bytes, str]:
    """The plotly.js to serve and a word for the log: ``cartesian`` or ``full (reason)``."""
    full = pkgutil.get_data("plotly", PLOTLY_PACKAGE_PATH)
    if settings.map_tiles:
        return full, "full (the tile map needs Scattermap)"
    if not partial.is_file():
        return full, f"full ({partial} is not installed; see scripts/install-frontend.sh)"
    script = partial.read_bytes()
    wanted, found = bundle_version(full), bundle_version(script)
    if wanted != found:
        return full, f"full ({partial.name} is plotly.js {found}, the plotly package ships {wanted})"
    return script, "cartesian"


def polyfill_script(lean: Path | None = None) -> tuple[bytes | None, str]:
    """The script to serve for Dash's polyfill (None: Dash's own) and a word for the log."""
    lean = lean or LEAN_POLYFILL
    if not lean.is_file():
        return None, f"Dash's @babel/polyfill ({lean} is not installed; see scripts/install-frontend.sh)"
    return lean.read_bytes(), "regenerator-runtime only"


class CompressedFiles:
    """Compressed bodies of immutable files, per (path, encoding), kept for the life of the worker."""

    def __init__(self):
        self._bodies: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    @staticmethod
    def encoding_for(request: flask.Request) -> str | None:
        offered = request.headers.get("Accept-Encoding", "").lower()
        if brotli is not None and "br" in offered:
            return "br"
        return "gzip" if "gzip" in offered else None

    def get(self, key: str, encoding: str, body: bytes) -> bytes:
        with self._lock:
            found = self._bodies.get((key, encoding))
        if found is None:
            found = (
                brotli.compress(body, quality=BROTLI_QUALITY)
                if encoding == "br"
                else gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            )
            with self._lock:
                self._bodies[(key, encoding)] = found
        return found

    def respond(self, response: flask.Response, key: str) -> flask.Response:
        """Compress a 200 response from memory (flask-compress leaves responses with Content-Encoding alone)."""
        request = flask.request
        encoding = self.encoding_for(request)
        response.headers["Vary"] = "Accept-Encoding"
        if encoding is None or response.status_code != 200 or response.mimetype not in COMPRESSIBLE:
            return response
        response.direct_passthrough = False
        response.set_data(self.get(key, encoding, response.get_data()))
        response.headers["Content-Encoding"] = encoding
        return response


def _plotly_response(script: bytes, etag: str, files: CompressedFiles) -> flask.Response:
    if flask.request.if_none_match.contains(etag):
        response = flask.Response(status=304)
        response.set_etag(etag)
        return response
    response = flask.Response(script, mimetype="application/javascript")
    response.set_etag(etag)
    return files.respond(response, f"plotly.js:{etag}")


def install(app, settings: Settings) -> str:
    """Serve the smallest sufficient plotly.js and pre-compressed bundles; finish Dash's setup now. Returns which
    plotly.js is served (``cartesian`` or ``full (...)``)."""
    server = app.server
    with server.test_request_context(settings.url_prefix):
        app._setup_server()  # noqa: SLF001 (see the module docstring: Dash's first-request setup is not thread-safe)
    script, which = plotly_bundle(settings)
    log.info("serving plotly.js: %s", which)
    etag = hashlib.sha256(script).hexdigest()[:20]
    polyfill, polyfill_which = polyfill_script()
    log.info("serving the polyfill: %s", polyfill_which)
    polyfill_etag = hashlib.sha256(polyfill).hexdigest()[:20] if polyfill else ""
    files = CompressedFiles()
    route = f"{settings.url_prefix}{SUITES_ROUTE}"
    endpoint = next(rule.endpoint for rule in server.url_map.iter_rules() if rule.rule == route)
    view = server.view_functions[endpoint]

    def suites(package_name: str, fingerprinted_path: str):
        path, _fingerprinted = check_fingerprint(fingerprinted_path)
        if package_name == "plotly" and path == PLOTLY_PACKAGE_PATH:
            return _plotly_response(script, etag, files)
        lean = polyfill and package_name == "dash" and DASH_POLYFILL.fullmatch(path)
        if lean and flask.request.if_none_match.contains(polyfill_etag):
            response = flask.Response(status=304)
            response.set_etag(polyfill_etag)
            return response
        response = flask.make_response(view(package_name=package_name, fingerprinted_path=fingerprinted_path))
        if lean and response.status_code == 200:
            # Dash's headers (caching) with the lean body.
            response.direct_passthrough = False
            response.set_data(polyfill)
            response.set_etag(polyfill_etag)
            return files.respond(response, f"polyfill:{polyfill_etag}")
        return files.respond(response, f"{package_name}/{fingerprinted_path}")

    server.view_functions[endpoint] = suites

    def warm_up() -> int:
        """Compress every bundle a page loads (its scripts, the charts' and dropdowns' chunks, plotly.js) in each
        encoding a browser may ask for, as the routes above serve them, so that a worker's first readers are not
        the ones who wait for it (about 0,3 s of brotli and gzip per worker). Called by gunicorn when a worker has
        loaded the app (gunicorn.conf.py), not per app (the tests create many). Returns how many were compressed."""
        with server.test_request_context(settings.url_prefix):
            html = app.index()
        paths = sorted(set(re.findall(r'_dash-component-suites/([^"?]+)', html)) | set(ASYNC_BUNDLES))
        encodings = ("br", "gzip") if brotli is not None else ("gzip",)
        done = 0
        for path in paths:
            package_name, fingerprinted_path = path.split("/", 1)
            url = f"{settings.url_prefix}_dash-component-suites/{path}"
            for encoding in encodings:
                with server.test_request_context(url, headers={"Accept-Encoding": encoding}):
                    try:
                        response = suites(package_name, fingerprinted_path)
                    except Exception as error:  # a bundle that cannot be served now is compressed when asked for
                        log.warning("could not compress %s ahead (%s)", path, error)
                        continue
                    done += response.headers.get("Content-Encoding") == encoding
        return done

    server.bosoc_warm_up = warm_up
    app.bosoc_plotly_bundle = which
    return which
