"""Answers prepared at data load (dashboard.prepare): a reader's first pick of any indicator, in Danish or English,
is served from the shared cache, exactly as computed; one process per data version prepares them, started by the
first worker that loads the version, again after a reload, and never by the other workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from plotly.io.json import to_json_plotly

from dashboard import prepare
from dashboard.app import create_app
from dashboard.pages import indicator
from tests.reliability.helpers import VIEW_BODY

ROUTE = "/" + indicator.VIEW_ROUTE
ROOT = Path(__file__).resolve().parents[2]


def picks(app) -> list[dict]:
    """A reader's pick of every indicator with data, from the indicator page of another, in both languages, with the
    area picker offering the picked indicator's areas and offering others."""
    data = app.bosoc_data.get()
    with_data = [i for i in data.indicator_ids_with_data if indicator.areas_with_data(data, i)]
    bodies = []
    for search in ("?maal=indeks", "?sprog=en&fra=2010"):
        for picked in with_data:
            origin = with_data[-1] if picked == with_data[0] else with_data[0]
            for shown in (indicator.area_set(indicator.areas_with_data(data, picked)), "another set"):
                body = dict(VIEW_BODY, pathname=f"/indikator/{origin}", search=search, picked=picked, areaSet=shown)
                bodies.append(body)
    return bodies


@pytest.mark.parametrize("prefix", ["/", "/bosoc/"])
def test_prepared_answers_are_what_a_reader_would_have_computed_and_are_served_from_the_cache(settings, prefix):
    settings = replace(settings, url_prefix=prefix)
    app = create_app(settings)
    assert prepare.prepare(app) == len(picks(app)) > 20
    reader = create_app(settings).server.test_client()  # another worker, sharing the cache
    for body in picks(app):
        body = dict(body, pathname=prefix + body["pathname"].lstrip("/"))
        response = reader.post(prefix + ROUTE.lstrip("/"), json=body)
        assert response.status_code == 200 and response.headers["X-Bosoc-Cache"] == "hit", body
        with app.server.test_request_context("/"):
            computed = json.loads(to_json_plotly(indicator.answer(app, body)))
        assert response.get_json() == computed


def test_the_preparing_process_fills_the_shared_cache_on_its_own(settings):
    # What a worker starts: `python -m dashboard.prepare`, with the worker's settings (from the environment).
    env = dict(
        os.environ,
        DATA_DIR=str(settings.data_dir),
        GEO_DIR=str(settings.geo_dir),
        CACHE_DIR=str(settings.cache_dir),
    )
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.prepare"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    app = create_app(settings)
    expected = len(picks(app))
    assert f"{expected} answers prepared" in done.stderr and f"({expected} computed" in done.stderr
    client = app.server.test_client()
    assert {client.post(ROUTE, json=body).headers["X-Bosoc-Cache"] for body in picks(app)} == {"hit"}


@pytest.fixture
def started(monkeypatch):
    """The processes the workers would start (not started: recorded)."""
    calls = []

    class Process:
        def wait(self):
            return 0

    monkeypatch.setattr(prepare, "_launch", lambda: calls.append(prepare.COMMAND) or Process())
    return calls


def test_one_worker_per_data_version_starts_the_preparing_process_and_again_after_a_reload(settings, started):
    workers = [create_app(settings) for _ in range(3)]  # one machine's workers: one shared cache
    for app in workers:
        prepare.start(app)
    assert started == [[sys.executable, "-m", "dashboard.prepare"]]
    # A new import: the first worker to reload it starts the next one; the others find it claimed.
    statements = settings.data_dir / "statements.yaml"
    statements.write_text(statements.read_text(encoding="utf-8") + "\n# a new import\n", encoding="utf-8")
    for app in workers:
        app.bosoc_data.refresh()
    assert len(started) == 2


def test_without_a_working_cache_no_process_is_started_and_the_worker_serves_on(settings, started):
    app = create_app(settings)
    app.bosoc_cache._down_until = float("inf")  # the backend failed (Redis stopped): nothing could be stored
    prepare.start(app)
    assert started == []
    response = app.server.test_client().post(ROUTE, json=picks(app)[0])
    assert response.status_code == 200 and "view" in response.get_json()


def test_a_failure_to_start_the_process_is_logged_and_the_worker_serves_on(settings, monkeypatch, caplog):
    def fail(*args, **kwargs):
        raise OSError("no more processes")

    app = create_app(settings)
    monkeypatch.setattr(prepare.subprocess, "Popen", fail)  # what _launch calls
    prepare.start(app)
    assert "answers not prepared ahead (OSError: no more processes)" in caplog.text
    assert app.server.test_client().post(ROUTE, json=picks(app)[0]).status_code == 200
