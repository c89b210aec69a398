"""Front-end files (dashboard.frontend): which plotly.js is served, revalidation, and compression done once."""

from __future__ import annotations

import gc
import gzip
import importlib.util
import pkgutil
import re
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from dashboard import frontend
from dashboard.app import create_app

PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
FULL = pkgutil.get_data("plotly", frontend.PLOTLY_PACKAGE_PATH)


def test_the_cartesian_bundle_is_chosen_when_installed_at_the_same_version(settings, tmp_path):
    partial = tmp_path / "plotly-cartesian.min.js"
    partial.write_bytes(f"/**\n* plotly.js (cartesian - minified) v{frontend.bundle_version(FULL)}\n*/\n".encode())
    script, which = frontend.plotly_bundle(settings, partial)
    assert which == "cartesian" and script == partial.read_bytes()


@pytest.mark.parametrize(
    ("header", "tiles", "reason"),
    [
        ("v0.0.1", "", "ships"),  # another plotly.js version than the plotly package's
        (None, "", "not installed"),
        ("same", "osm", "Scattermap"),  # the opt-in tile map needs the full bundle
    ],
)
def test_the_full_bundle_is_served_otherwise(settings, tmp_path, header, tiles, reason):
    partial = tmp_path / "plotly-cartesian.min.js"
    if header:
        version = frontend.bundle_version(FULL) if header == "same" else header.removeprefix("v")
        partial.write_bytes(f"/**\n* plotly.js (cartesian - minified) v{version}\n*/\n".encode())
    script, which = frontend.plotly_bundle(replace(settings, map_tiles=tiles), partial)
    assert script == FULL
    assert which.startswith("full") and reason in which


def test_plotly_js_is_revalidated_by_etag_and_sent_compressed(client):
    first = client.get(PLOTLY_URL, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200
    assert first.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.get_data()).startswith(b"/**")
    again = client.get(PLOTLY_URL, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_tile_map_gets_the_full_bundle(settings):
    client = create_app(replace(settings, map_tiles="osm")).server.test_client()
    assert client.get(PLOTLY_URL).get_data() == FULL


def test_script_bundles_are_compressed_and_unchanged(client):
    html = client.get("/").get_data(as_text=True)
    src = re.search(r'src="(/_dash-component-suites/dash/dcc/dash_core_components\.v[^"]+)"', html).group(1)
    plain = client.get(src)
    compressed = client.get(src, headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.get_data()) == plain.get_data()
    assert len(compressed.get_data()) < len(plain.get_data()) / 3


def test_a_fresh_worker_knows_its_scripts_before_its_first_request(settings):
    """Dash registers the scripts it may serve during the first request, not thread-safely: a fresh gunicorn worker
    answered some of the browser's parallel script requests with 500. create_app does that setup at start."""
    app = create_app(settings)
    assert any(path.startswith("deps/react@") for path in app.registered_paths["dash"])
    assert "dcc/dash_core_components.js" in app.registered_paths["dash"]


def polyfill_url(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return re.search(r'src="(/_dash-component-suites/dash/deps/polyfill@[^"]+)"', html).group(1)


def test_the_polyfill_url_serves_only_regenerator_runtime_when_installed(client):
    # Dash's polyfill (core-js 2) replaces current browsers' trim and parseFloat with slower JavaScript; the page
    # needs only regeneratorRuntime from it.
    if not frontend.LEAN_POLYFILL.is_file():
        pytest.skip("regenerator-runtime is not installed in vendor/ (scripts/install-frontend.sh)")
    response = client.get(polyfill_url(client), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.get_data())
    assert body == frontend.LEAN_POLYFILL.read_bytes()
    assert b"regeneratorRuntime = runtime" in body and b"core-js" not in body
    assert "max-age" in response.headers.get("Cache-Control", "")
    assert client.get(polyfill_url(client), headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_without_regenerator_runtime_dash_polyfill_is_served(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(frontend, "LEAN_POLYFILL", tmp_path / "missing.js")
    script, which = frontend.polyfill_script()
    assert script is None and "not installed" in which
    client = create_app(settings).server.test_client()
    body = client.get(polyfill_url(client)).get_data()
    assert body == pkgutil.get_data("dash", "deps/polyfill@7.12.1.min.js")


def load_gunicorn_settings():
    """gunicorn.conf.py as a module (its name is not importable)."""
    path = Path(frontend.__file__).parents[1] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_settings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_gunicorn_worker_compresses_every_bundle_before_its_first_reader(settings, monkeypatch, unfrozen):
    # A worker's first readers waited for brotli and gzip of the page's scripts and plotly.js (about 0,3 s). gunicorn
    # calls post_worker_init (gunicorn.conf.py) once the worker has loaded the app: then every bundle a page loads
    # is compressed, and a reader's request compresses nothing.
    gunicorn_settings = load_gunicorn_settings()
    app = create_app(settings)
    prepared = []  # the worker also starts preparing answers (dashboard.prepare, tested in tests/integration/test_prepare.py)
    app.server.bosoc_prepare_answers = lambda: prepared.append(1)
    gunicorn_settings.post_worker_init(SimpleNamespace(wsgi=app.server))
    assert prepared == [1]
    compressed = []
    for module, name in [(frontend.gzip, "compress"), *([(frontend.brotli, "compress")] if frontend.brotli else [])]:
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, original=original, **k: compressed.append(1) or original(*a, **k))
    client = app.server.test_client()
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    urls += [f"/_dash-component-suites/{path}" for path in frontend.ASYNC_BUNDLES]
    assert len(urls) >= 12
    for url in urls:
        plain = client.get(url).get_data()
        for encoding, decompress in [
            ("gzip", gzip.decompress),
            *([("br", frontend.brotli.decompress)] if frontend.brotli else []),
        ]:
            response = client.get(url, headers={"Accept-Encoding": encoding})
            assert response.status_code == 200 and response.headers["Content-Encoding"] == encoding, url
            assert decompress(response.get_data()) == plain
    assert compressed == []
    # And the worker's app and data were left out of the garbage collector's full collections.
    tracked = {id(o) for o in gc.get_objects()}
    assert gc.get_freeze_count() > 0 and id(app) not in tracked and id(app.bosoc_data.get().observations) not in tracked


def test_a_worker_whose_warm_up_fails_still_starts(unfrozen):
    # The warm-up is a head start only: a failure is logged and the worker serves (compressing on first request).
    warnings = []

    def fail():
        raise OSError("disk full")

    worker = SimpleNamespace(
        wsgi=SimpleNamespace(bosoc_warm_up=fail), log=SimpleNamespace(warning=lambda *a: warnings.append(a))
    )
    load_gunicorn_settings().post_worker_init(worker)
    assert warnings and warnings[0][1] == "OSError" and str(warnings[0][2]) == "disk full"
