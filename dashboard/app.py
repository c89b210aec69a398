"""Build the Dash app: pages, theme, locally served assets, security headers, compression and the data source.

``create_app(settings)`` is the only way the app is made (``app.py`` at the project root calls it), so tests can
build apps with their own data folder, URL prefix or framing origins.
"""

from __future__ import annotations

from pathlib import Path

import flask

# Bootstrap's CSS ships inside the bootstrap-flask wheel; we serve it ourselves so no page needs a CDN.
import flask_bootstrap  # noqa: E402  (imported for its static folder only)
from dash import Dash
from flask_compress import Compress

from dashboard import pages
from dashboard.components.mapview import load_geo
from dashboard.datasource import DataSource
from dashboard.i18n import normalise_language
from dashboard.settings import Settings

BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).with_name("static") / "bootstrap5" / "css"
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
VENDOR_ROUTE = "_vendor/"
VENDOR_FILES = {"bootstrap.min.css": (BOOTSTRAP_DIR / "bootstrap.min.css").read_bytes()}


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
        "img-src 'self' data: blob:; "
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

    @app.server.after_request
    def status(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.method != "GET" or response.status_code != 200 or response.mimetype != "text/html":
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


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings.from_env()
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
    app.bosoc_geo = load_geo(settings.geo_dir)
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
    _add_security_headers(app, settings)
    _add_vendor_route(app, settings)
    _add_not_found_status(app, settings)
    pages.register(app)
    return app
