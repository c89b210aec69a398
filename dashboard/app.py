"""Build the Dash app: pages, theme, locally served assets, security headers, compression and the data source.

``create_app(settings)`` is the only way the app is made (``app.py`` at the project root calls it), so tests can
build apps with their own data folder, URL prefix or framing origins.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import NoReturn

import flask
from dash import Dash
from flask_compress import Compress
from werkzeug.serving import WSGIRequestHandler

from dashboard import auth, cache, frontend, i18n, pages, prepare, requestguard
from dashboard.cli import RESTORE_HINT
from dashboard.components.mapview import load_geo
from dashboard.data import store
from dashboard.data.problems import DataValidationError, Problem, format_problems
from dashboard.datasource import DataSource
from dashboard.i18n import normalise_language
from dashboard.settings import Settings

# Bootstrap's CSS ships inside the bootstrap-flask wheel; we serve it ourselves so no page needs a CDN. The package is
# found, not imported: importing it loads WTForms and more (a few MB in every web worker) for a folder name.
BOOTSTRAP_DIR = Path(importlib.util.find_spec("flask_bootstrap").origin).with_name("static") / "bootstrap5" / "css"
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
VENDOR_ROUTE = "_vendor/"
VENDOR_FILES = {"bootstrap.min.css": (BOOTSTRAP_DIR / "bootstrap.min.css").read_bytes()}
# Callback bodies are a few kB; anything above this is refused with 413 before it is read.
MAX_REQUEST_BYTES = 1024 * 1024
# What the servers say in the Server header instead of their name and version (see also gunicorn.conf.py).
SERVER_NAME = "bosoc"


class BosocDash(Dash):
    """Dash with ``<html lang>`` following the ``sprog`` query parameter (screen readers, hyphenation)."""

    def interpolate_index(self, **kwargs):
        html = super().interpolate_index(**kwargs)
        lang = normalise_language(flask.request.args.get("sprog")) if flask.has_request_context() else "da"
        return html.replace("<html>", f'<html lang="{lang}">', 1)


def content_security_policy(app: Dash, settings: Settings) -> str:
    """Only the app's own origin; inline scripts only by hash (Dash's config script); framing as configured."""
    hashes = " ".join(app.csp_hashes())
    return (
        "default-src 'self'; "
        f"script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:{' https://tile.openstreetmap.org' if settings.map_tiles == 'osm' else ''}; "
        "font-src 'self' data:; "
        "worker-src 'self' blob:; "
        f"connect-src 'self'{' https://tile.openstreetmap.org' if settings.map_tiles == 'osm' else ''}; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; "
        f"frame-ancestors {' '.join(settings.frame_ancestors)}"
    )


def _add_security_headers(app: Dash, settings: Settings) -> None:
    policy_cache: dict[str, str] = {}

    @app.server.after_request
    def headers(response: flask.Response) -> flask.Response:
        if "csp" not in policy_cache:
            policy_cache["csp"] = content_security_policy(app, settings)
        response.headers["Content-Security-Policy"] = policy_cache["csp"]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.pop("X-Frame-Options", None)
        response.headers.pop("Server", None)
        return response


def _add_not_found_status(app: Dash, settings: Settings) -> None:
    """Unknown pages are answered with HTTP 404 (the page itself is the app's own 404 page)."""

    # Dash's index and catch-all routes serve the pages; other HTML (the login page) is not a page path.
    page_endpoints = {settings.url_prefix, settings.url_prefix + "<path:path>"}

    @app.server.after_request
    def status(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.method != "GET" or response.status_code != 200 or response.mimetype != "text/html":
            return response
        if request.endpoint not in page_endpoints:
            return response
        if not request.path.startswith(settings.url_prefix):
            return response
        path = request.path[len(settings.url_prefix) - 1 :]
        module, _ = pages.resolve(path, app.bosoc_data.get())
        if module is pages.not_found:
            response.status_code = 404
        return response


def _add_vendor_route(app: Dash, settings: Settings) -> None:
    @app.server.route(f"{settings.url_prefix}{VENDOR_ROUTE}<path:filename>")
    def vendor(filename: str):
        if filename not in VENDOR_FILES:
            flask.abort(404)
        # Returned as bytes (not streamed) so that flask-compress can gzip it: 232 kB becomes about 31 kB.
        response = flask.Response(VENDOR_FILES[filename], mimetype="text/css")
        response.cache_control.public = True
        response.cache_control.max_age = 86400
        return response

    @app.server.route(f"{settings.url_prefix}healthz")
    def health():
        return {"status": "ok", "data_version": app.bosoc_data.get().version}


def _load_geo_checked(geo_dir: Path) -> dict:
    """The map layers; an unreadable geometry file is a data problem like any other (named, not a traceback)."""
    try:
        return load_geo(geo_dir)
    except (OSError, ValueError, KeyError, TypeError) as error:
        problem = Problem(f"{geo_dir}/areas.geojson", f"kortgeometrien kan ikke læses ({error})")
        raise DataValidationError([problem]) from None


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings.from_env()
    auth.check_configuration(settings)
    # The UI strings now, not in a worker's first request (which took 57 ms instead of 2: bench.run's cold row).
    i18n.catalogue()
    data_source = DataSource(settings.data_dir, settings.suppression_limit)
    app = BosocDash(
        __name__,
        title="BoSoc Dashboard",
        url_base_pathname=settings.url_prefix,
        assets_folder=str(ASSETS_DIR),
        external_stylesheets=[f"{settings.url_prefix}{VENDOR_ROUTE}bootstrap.min.css"],
        serve_locally=True,
        suppress_callback_exceptions=True,
        compress=False,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.bosoc_settings = settings
    app.bosoc_data = data_source
    app.bosoc_geo = _load_geo_checked(settings.geo_dir)
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.server.config["COMPRESS_MIMETYPES"] = [
        "text/html",
        "text/css",
        "application/javascript",
        "text/javascript",
        "application/json",
        "text/csv",
        "image/svg+xml",
    ]
    Compress(app.server)
    # Login first (an anonymous request learns nothing, not even that its callback body was malformed).
    auth.install(app, settings)
    requestguard.install(app, settings)
    _add_security_headers(app, settings)
    _add_vendor_route(app, settings)
    _add_not_found_status(app, settings)
    pages.register(app)
    # Last, so that it wraps the callback route after login and request checks are in place (see dashboard.cache).
    cache.install(app, settings)
    frontend.install(app, settings)
    # Called by gunicorn.conf.py in a worker (not in tests or the command line): see dashboard.prepare.
    app.server.bosoc_prepare_answers = lambda: prepare.start(app)
    return app


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's development server (``python app.py``) without its version banner in the Server header."""

    def version_string(self) -> str:
        return SERVER_NAME


def _exit(message: str, exit_code: int) -> NoReturn:
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(exit_code)


def _startup_message(error: Exception, settings: Settings) -> str:
    if isinstance(error, DataValidationError):
        return (
            f"BoSoc Dashboard kan ikke starte: data i {settings.data_dir} er ikke gyldige.\n"
            f"{format_problems(error.problems)}\n\n{RESTORE_HINT}"
        )
    return f"BoSoc Dashboard kan ikke starte: {error}"


def _settings_or_exit(exit_code: int) -> Settings:
    try:
        return Settings.from_env()
    except ValueError as error:
        _exit(f"BoSoc Dashboard kan ikke starte: fejl i indstillingerne: {error}", exit_code)


def create_app_or_exit(exit_code: int = 1) -> Dash:
    """create_app() from the environment, for ``python app.py`` and gunicorn's workers.

    A problem a person must fix (damaged data, a bad setting, login switched on without a secret key) is printed as
    a message (file, row, problem, and how to restore the last good version) and ends the process with
    ``exit_code``, never with a traceback.
    """
    settings = _settings_or_exit(exit_code)
    try:
        return create_app(settings)
    except (DataValidationError, auth.ConfigurationError) as error:
        _exit(_startup_message(error, settings), exit_code)


def check_startup_or_exit(exit_code: int = 1) -> None:
    """What create_app() would refuse, checked without building the app (gunicorn's master, before any worker)."""
    settings = _settings_or_exit(exit_code)
    try:
        auth.check_configuration(settings)
        store.load_dataset(settings.data_dir)
        _load_geo_checked(settings.geo_dir)
    except (DataValidationError, auth.ConfigurationError) as error:
        _exit(_startup_message(error, settings), exit_code)
