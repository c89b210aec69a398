"""Security headers on every kind of response, and no version banner, from the development server (``python app.py``)
as from gunicorn (checked on every response of the load test)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from dashboard.settings import PROJECT_ROOT
from tests.reliability.helpers import TALLY, copy_data, copy_geo, free_port

REQUESTS = [
    ("GET", "/", {}),
    ("GET", "/omraade/bispehaven?sprog=en", {}),
    ("GET", "/ukendt", {}),  # 404
    ("GET", "/healthz", {}),
    ("GET", "/_dash-layout", {}),
    ("GET", "/_dash-dependencies", {}),
    ("GET", "/_vendor/bootstrap.min.css", {}),
    ("GET", "/_vendor/ukendt.css", {}),  # 404
    ("POST", "/_dash-update-component", {"data": b"{not json", "headers": {"Content-Type": "application/json"}}),
    (
        "POST",
        "/_dash-update-component",
        {"data": b"x" * (2 * 1024 * 1024), "headers": {"Content-Type": "application/json"}},
    ),
    ("DELETE", "/", {}),  # 405
]


@pytest.fixture(scope="module")
def development_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("headers")
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(copy_data(root / "data")),
        "GEO_DIR": str(copy_geo(root / "geo")),
        "PORT": str(port),
    }
    env.pop("DASH_DEBUG", None)
    process = subprocess.Popen(
        ["timeout", "300", sys.executable, "app.py"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.parametrize(("method", "path", "options"), REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS])
def test_every_response_has_the_headers_and_no_version_banner(development_server, method, path, options):
    response = requests.request(method, development_server + path, timeout=30, **options)
    headers = response.headers
    assert response.status_code < 500, response.status_code
    assert headers.get("Server") == "bosoc", headers.get("Server")
    assert "X-Powered-By" not in headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy and "'unsafe-eval'" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    body = response.text
    assert "Traceback" not in body and "Werkzeug" not in body.replace("werkzeug", "")
    TALLY["headers:responses checked (python app.py)"] += 1
